"""Hostile and extreme input: escaped everywhere, never a traceback, a correct build or a clear
error within seconds."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import Project, copy_project, report_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.document import parse_document as render
from site_builder.reader import parse_report
from site_builder.stats.columnar import records

NASTY = '<script>alert(1)</script>"\'&<b>]]><!--'


def test_front_matter_values_are_escaped_everywhere(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    text = report_text().replace("title: 关于2023年法治政府建设情况的报告", f"title: '{NASTY.replace(chr(39), chr(39) * 2)}'")
    text = text.replace("---\n\n", f"summary: '{NASTY.replace(chr(39), chr(39) * 2)}'\ndoc_no: '{NASTY.replace(chr(39), chr(39) * 2)}'\n---\n\n", 1)
    project.write("content/chongqing/tongnan/shuangjiang/2023.md", text)
    result = project.run(capsys, "build", "--site-url", "https://example.org")
    assert result.code == 0, result.err
    for page in project.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, page
        assert "<b>]]>" not in html, page
    report = project.page("chongqing/tongnan/shuangjiang/2023/")
    assert report.h1.get_text() == NASTY  # shown as text, exactly
    assert report.find("meta", attrs={"name": "ArticleTitle"})["content"] == NASTY
    ET.parse(project.site / "feed.xml")       # still well-formed XML
    ET.parse(project.site / "sitemap.xml")
    data = json.loads((project.site / "data/stats.json").read_text(encoding="utf-8"))
    assert NASTY in {row["title"] for row in records(data["reports"])}


def test_script_in_report_text_is_shown_not_run(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    body = report_text() + "\n代码 `<script>alert(1)</script>` 与 \\<script\\>alert(2)\\</script\\> 和 <script>alert(3)</script>\n"
    body += "\n[点我](javascript:alert(4)) <a href=\"data:text/html,x\">数据</a> <img src=javascript:alert(5) onerror=alert(5)>\n"
    project.write("content/chongqing/tongnan/shuangjiang/2023.md", body)
    assert project.run(capsys, "build").code == 0
    html = (project.site / "chongqing/tongnan/shuangjiang/2023/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;script&gt;alert(2)" in html
    from bs4 import BeautifulSoup

    body = BeautifulSoup(html, "html.parser").select_one("div.report-body")
    assert body.find("script") is None and all(not img.get("src") for img in body.find_all("img"))
    for tag in body.find_all(True):
        for attribute, value in tag.attrs.items():
            assert not attribute.startswith("on"), tag
            assert not str(value).strip().lower().startswith(("javascript:", "data:")), tag
    assert "[点我](javascript:alert(4))" in body.get_text()  # the refused link stays visible as text


@pytest.mark.parametrize("slug", ["../../etc", "a/b", "..", "Shuang", "x" * 61])
def test_slugs_cannot_escape_the_output(project: Project, capsys: pytest.CaptureFixture[str], slug: str) -> None:
    project.write("content/chongqing/tongnan/shuangjiang/2023.md", report_text(extra=f'slug: "{slug}"\n'))
    result = project.run(capsys, "build")
    assert result.code == 1 and "[slug]" in result.err
    assert not (project.root / "etc").exists()


def test_place_names_that_look_like_paths_stay_inside(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/x.md", report_text(town="../../镇", county="/etc/区", province="..省"))
    assert project.run(capsys, "build").code == 0
    outside = [p for p in project.root.parent.iterdir() if p.name not in ("proj",)]
    assert all(not (p / "index.html").exists() for p in outside)
    assert all(p.resolve().is_relative_to(project.site.resolve()) for p in project.site.rglob("*"))


@pytest.mark.parametrize(("name", "body"), [
    ("5 MB report", "一是加强法治建设，提高依法行政水平。" * 100_000),          # ~5.4 MB of UTF-8
    ("100,000 short lines", "\n".join(f"第{i}行。" for i in range(100_000))),
    ("1,000-deep nested list", "\n".join("  " * i + "- 层" for i in range(1000))),
    ("1,000-deep blockquote", ">" * 1000 + " 引用"),
    ("10,000 headings", "\n\n".join(f"## 标题{i}" for i in range(10_000))),
])
def test_extreme_reports_build_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                       name: str, body: str) -> None:
    monkeypatch.chdir(tmp_path)
    project = copy_project(tmp_path / "p", with_content=False)
    project.write("content/big.md", report_text() + "\n" + body + "\n")
    started = time.perf_counter()
    result = project.run(capsys, "build")
    elapsed = time.perf_counter() - started
    assert result.code == 0, result.err
    assert elapsed < 300, f"{name} took {elapsed:.1f} s"  # a hang detector only: a loaded CI host is many times slower


def test_a_file_too_large_is_refused_with_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    project = copy_project(tmp_path / "p", with_content=False)
    project.write("content/huge.md", report_text() + "字" * 3_000_000)  # 9 MB
    result = project.run(capsys, "build")
    assert result.code == 1 and "content/huge.md: error: The file is 9.0 MB" in result.err


front_matter_values = st.one_of(st.text(max_size=30), st.integers(), st.sampled_from(["", "~", "no", "0123", "2023-13-01", "[1, 2", "{a: b}", "&x", "*x", "!!python/object:os.system", "|\n  多行"]))
keys = st.one_of(st.sampled_from(["title", "unit", "town", "county", "province", "year", "published", "signed", "slug", "metrics", "level", "yaer"]),
                 st.text(min_size=1, max_size=8))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, front_matter_values, max_size=10), st.text(max_size=300))
def test_fuzzed_front_matter_and_markdown_never_raise(fields: dict[str, object], markdown: str) -> None:
    lines = [f"{key}: {value}" for key, value in fields.items()]
    text = "---\n" + "\n".join(lines) + "\n---\n" + markdown
    report, problems = parse_report(text, Path("f.md"), "f.md", "hash")
    assert report is not None or problems  # either a report or a message saying why not
    for problem in problems:
        assert problem.message and problem.file == "f.md"
    render(markdown)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=2000))
def test_fuzzed_markdown_renders_safely(markdown: str) -> None:
    html = render(markdown).html
    lowered = html.lower()
    assert "<script" not in lowered and "javascript:" not in lowered and " onerror=" not in lowered


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200), st.text(max_size=500))
def test_fuzzed_build_gives_exit_code_and_message_never_a_traceback(tmp_path_factory: pytest.TempPathFactory,
                                                                   capsys: pytest.CaptureFixture[str], front: str, markdown: str) -> None:
    from site_builder.cli import main

    root = tmp_path_factory.mktemp("fuzz")
    copy_project(root, with_content=False)
    (root / "content" / "r.md").write_text("---\n" + front + "\n---\n" + markdown, encoding="utf-8", errors="surrogatepass")
    code = main(["build", "--config", str(root / "config.yaml")])
    captured = capsys.readouterr()
    assert code in (0, 1)
    assert "Traceback" not in captured.err
    if code:
        assert "error" in captured.err
