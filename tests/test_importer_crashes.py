"""The importer's crash list (issue 12): each damaged or hostile file gives one clear line and the
batch goes on; files that only look odd (a Chinese date written digit by digit, a style "Heading 99",
a list level of 300,000,000, a GBK Markdown file with front-matter) import."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Project
from tests.test_safety import assert_no_traceback, cli

BODY = ["关于2023年法治政府建设情况的报告", "区委、区政府：", "2023年，双江镇坚持依法行政，全面推进法治政府建设，现将有关情况报告如下。",
        "一、主要举措和成效", "全年开展法治宣传活动二十场次。", "重庆市潼南区双江镇人民政府"]
PLACE = ["--province", "重庆市", "--county", "潼南区", "--town", "双江镇", "--unit", "重庆市潼南区双江镇人民政府", "--year", "2019"]  # no such report yet


def _docx(path: Path, style_heading: str = "", list_level: str = "") -> Path:
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for line in BODY:
        paragraph = document.add_paragraph(line)
        if style_heading and line.startswith("一、"):
            paragraph.style = document.styles.add_style(style_heading, 1)
        if list_level and line.startswith("全年"):
            numbering = OxmlElement("w:numPr")
            for tag, value in (("w:ilvl", list_level), ("w:numId", "1")):
                element = OxmlElement(tag)
                element.set(qn("w:val"), value)
                numbering.append(element)
            paragraph._p.get_or_add_pPr().append(numbering)
    document.save(str(path))
    return path


def test_a_chinese_date_written_digit_by_digit_or_wrongly_does_not_stop_the_import(project: Project) -> None:
    for written, parsed in (("二〇二四年一二月一日", "2024-12-01"), ("二〇二四年十十月一日", None)):
        source = project.root / "dated.txt"
        source.write_text("\n".join([*BODY, written]) + "\n", encoding="utf-8")
        result = cli(project, "import", str(source), *PLACE, "--dry-run", "--show")
        assert result.returncode == 0, result.stderr + result.stdout
        assert_no_traceback(result)
        assert (f"signed: {parsed}" in result.stdout) if parsed else "signed:" not in result.stdout.split("---")[1]


def test_word_heading_99_and_a_huge_list_level_import_quickly(project: Project) -> None:
    for name, source in (("heading", _docx(project.root / "h.docx", style_heading="Heading 99")),
                         ("list", _docx(project.root / "l.docx", list_level="300000000"))):
        started = time.perf_counter()
        result = cli(project, "import", str(source), *PLACE, "--dry-run", "--show")
        assert result.returncode == 0, (name, result.stderr + result.stdout)
        assert time.perf_counter() - started < 300 and len(result.stdout) < 20_000, name  # < 300 s: hang detection only
        assert "全年开展法治宣传活动" in result.stdout


@pytest.mark.parametrize("damage", ["empty", "truncated", "not a zip", "no document.xml", "broken xml"])
def test_a_damaged_docx_is_one_line_and_the_batch_goes_on(project: Project, damage: str) -> None:
    good = _docx(project.root / "good.docx").read_bytes()
    if damage == "empty":
        data = b""
    elif damage == "truncated":
        data = good[: len(good) // 2]
    elif damage == "not a zip":
        data = "这不是Word文件".encode()
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == "word/document.xml":
                    if damage == "no document.xml":
                        continue
                    content = content[: len(content) // 2]
                target.writestr(item, content)
        data = buffer.getvalue()
    bad = project.root / "bad.docx"
    bad.write_bytes(data)
    text = project.root / "good.txt"
    text.write_text("\n".join(BODY) + "\n", encoding="utf-8")
    result = cli(project, "import", str(bad), str(text), *PLACE[:8], "--year", "2022")
    assert result.returncode == 1
    assert_no_traceback(result)
    assert "bad.docx" in result.stderr and "cannot be read as a Word document" in result.stderr
    assert "1 of 2 files not imported" in result.stderr
    assert (project.content / "chongqing" / "tongnan" / "shuangjiang" / "2022.md").is_file()  # good.txt was imported


def test_html_nested_thousands_deep_imports_in_seconds(project: Project) -> None:
    for opener in ("<div>", "<font>", "<table><tr><td>"):
        page = project.root / "deep.html"
        page.write_text("<html><body>" + opener * 5000 + "".join(f"<p>{line}</p>" for line in BODY) + "</body></html>",
                        encoding="utf-8")
        started = time.perf_counter()
        result = cli(project, "import", str(page), *PLACE, "--dry-run", "--show")
        assert result.returncode == 0 and time.perf_counter() - started < 300, result.stderr  # hang detection only
        assert "全年开展法治宣传活动" in result.stdout


def test_a_text_file_too_large_for_a_report_is_refused_at_import(project: Project) -> None:
    source = project.root / "huge.txt"
    source.write_text("\n".join(BODY) + "\n" + ("全年开展法治宣传活动二十场次。" * 40 + "\n") * 8000, encoding="utf-8")
    assert source.stat().st_size > 9 * 2**20
    result = cli(project, "import", str(source), *PLACE[:8], "--year", "2021")
    assert result.returncode == 1 and "MB a build accepts" in result.stderr
    assert not (project.content / "chongqing" / "tongnan" / "shuangjiang" / "2021.md").exists()


def test_a_gbk_markdown_file_with_front_matter_keeps_its_fields(project: Project) -> None:
    source = project.root / "old.md"
    front = ["---", "title: 关于2019年法治政府建设情况的报告", "unit: 重庆市潼南区双江镇人民政府", "town: 双江镇",
             "county: 潼南区", "province: 重庆市", "year: 2019", "---", ""]
    source.write_bytes("\n".join(front + BODY[1:]).encode("gbk"))
    result = cli(project, "import", str(source), "--dry-run", "--show")
    assert result.returncode == 0, result.stderr + result.stdout
    header = result.stdout.split("---")[1]
    assert 'title: "关于2019年法治政府建设情况的报告"' in header and "year: 2019" in header
    assert "title:" not in result.stdout.split("---", 2)[2]  # the old front-matter is not part of the body
