"""Issue 21: the mistakes county editors make, each answered in Chinese on its own line with the
correction computed from the file; `check --fix` corrects the certain ones and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, Project, copy_project

from site_builder.check import certain_fixes
from site_builder.diagnostics import Diagnostic
from site_builder.fixes import fix_text
from site_builder.fixfiles import fix_content
from site_builder.reader import parse_report

GOOD = """---
title: 关于2024年法治政府建设情况的报告
unit: 四川省泸县福集镇人民政府
town: 福集镇
county: 泸县
province: 四川省
year: 2024
published: 2025-03-20
recipients: 县委、县政府
---

## 一、2024年推进法治政府建设的主要举措和成效

一是加强组织领导，全年召开专题会议4次。

## 二、存在的不足和原因

法治宣传的针对性还不够强。

## 三、2025年推进法治政府建设的主要安排

继续抓好依法行政。
"""


@dataclass(frozen=True)
class Mistake:
    name: str
    old: str
    """Text of the good report replaced (first occurrence) …"""
    new: str
    """… by the editor's slip."""
    line: int
    """Line of the file on which the message must stand."""
    says: str
    """Part of the Chinese message or its advice."""
    fixed: str | None
    """The corrected line offered; None when none is offered."""
    certain: bool
    """`check --fix` corrects it (else the file is left as it is)."""


MISTAKES = [
    Mistake("full-width colon", "county: 泸县", "county：泸县", 5, "中文全角冒号“：”", "county: 泸县", True),
    Mistake("full-width colon with spaces", "county: 泸县", "county ： 泸县", 5, "中文全角冒号“：”", "county: 泸县", True),
    Mistake("no space after the colon", "year: 2024", "year:2024", 7, "冒号后面要有一个空格", "year: 2024", True),
    Mistake("year with 年", "year: 2024", "year: 2024年", 7, "不是规范的年份写法", "year: 2024", True),
    Mistake("year with 年度", "year: 2024", "year: 2024年度", 7, "不是规范的年份写法", "year: 2024", True),
    Mistake("year in full-width digits", "year: 2024", "year: ２０２４", 7, "不是规范的年份写法", "year: 2024", True),
    Mistake("year in Chinese numerals", "year: 2024", "year: 二〇二四", 7, "不是规范的年份写法", "year: 2024", True),
    Mistake("year written twice in the value", "year: 2024", "year: 2024年2024年", 7, "不是规范的年份写法", "year: 2024", True),
    Mistake("year line written twice", "year: 2024\n", "year: 2024\nyear: 2024\n", 8, "写了两次", "", True),
    Mistake("date in Chinese", "published: 2025-03-20", "published: 2025年3月20日", 8, "不是规范的日期写法", "published: 2025-03-20", True),
    Mistake("date with dots", "published: 2025-03-20", "published: 2025.3.20", 8, "不是规范的日期写法", "published: 2025-03-20", True),
    Mistake("date with slashes", "published: 2025-03-20", "published: 2025/03/20", 8, "不是规范的日期写法", "published: 2025-03-20", True),
    Mistake("date as eight digits", "published: 2025-03-20", "published: 20250320", 8, "不是规范的日期写法", "published: 2025-03-20", True),
    Mistake("date with full-width hyphens", "published: 2025-03-20", "published: 2025－03－20", 8, "不是规范的日期写法",
            "published: 2025-03-20", True),
    Mistake("a tab before a field", "year: 2024", "\tyear: 2024", 7, "制表符", "year: 2024", True),
    Mistake("a BOM before a field", "title: ", "\ufefftitle: ", 2, "不可见字符（U+FEFF）", "title: 关于2024年法治政府建设情况的报告", True),
    Mistake("a zero-width space in the title", "关于2024年法治", "关于2024年\u200b法治", 2, "不可见字符（U+200B）",
            "title: 关于2024年法治政府建设情况的报告", True),
    Mistake("a control character from a PDF", "关于2024年法治", "关于2024年\x08法治", 2, "不可见字符（U+0008）",
            "title: 关于2024年法治政府建设情况的报告", True),
    Mistake("a title broken over two lines", "法治政府建设情况的报告", "法治政府建设\n情况的报告", 3, "上一行 `title` 的接续",
            "title: 关于2024年法治政府建设情况的报告", True),
    Mistake("a title holding “: ”", "title: 关于2024年", "title: 福集镇: 关于2024年", 2, "会被当成新的字段",
            'title: "福集镇: 关于2024年法治政府建设情况的报告"', True),
    Mistake("a space inside the town's name", "town: 福集镇", "town: 福集 镇", 4, "地名中间不应有空格", "town: 福集镇", True),
    Mistake("a full-width space inside the county's name", "county: 泸县", "county: 泸\u3000县", 5, "地名中间不应有空格", "county: 泸县", True),
    Mistake("an English comma in a Chinese list", "县委、县政府", "县委,县政府", 9, "中文并列应用顿号“、”", "recipients: 县委、县政府", True),
    Mistake("a Word bullet (Symbol font)", "一是加强组织领导", "\uf0b7 一是加强组织领导", 14, "从 Word 粘贴来的项目符号",
            "- 一是加强组织领导，全年召开专题会议4次。", True),
    Mistake("a Word bullet (●)", "一是加强组织领导", "● 一是加强组织领导", 14, "从 Word 粘贴来的项目符号",
            "- 一是加强组织领导，全年召开专题会议4次。", True),
    Mistake("a Word bookmark", "全年召开", "全年[bookmark: _Toc1234]召开", 14, "`[bookmark: _Toc1234]` 是 Word 留下的痕迹",
            "一是加强组织领导，全年召开专题会议4次。", True),
    # What needs the editor's judgement: a message with the advice, the file left as it is.
    Mistake("the town left out", "town: 福集镇\n", "", 1, "按发布机构，应为 福集镇", None, False),
    Mistake("a misspelt field", "published:", "pubished:", 8, "是不是要写 `published`", None, False),
    Mistake("a wrong county for the town", "county: 泸县", "county: 潼南区", 5, "发布机构（unit）写的是泸县的福集镇", "county: 泸县", False),
    Mistake("an unknown level", "recipients:", "level: 镇级\nrecipients:", 9, "是不是要写 `level: 镇`", None, False),
    Mistake("a date that does not exist", "published: 2025-03-20", "published: 2025-02-30", 8, "不是真实的日期", None, False),
    Mistake("the same field twice with two values", "year: 2024\n", "year: 2024\nyear: 2023\n", 8, "写了两次", None, False),
    Mistake("the front-matter not closed", "---\n\n## 一", "\n## 一", 1, "文件头没有结束行", None, False),
    Mistake("the hints of `new` left in", "法治宣传的针对性还不够强。", "（待填写：存在的不足）", 18, "还留着 `site-builder new` 写入的填写提示",
            None, False),
]


YEAR_DIGITS = {"2024": "0123456789", "２０２４": "０１２３４５６７８９", "二〇二四": "〇一二三四五六七八九"}


def text_of(mistake: Mistake) -> str:
    assert mistake.old in GOOD, mistake.name
    return GOOD.replace(mistake.old, mistake.new, 1)


def diagnose(text: str) -> list[Diagnostic]:
    """What build and check say about one file: the reader's problems, then check's certain slips."""
    report, problems = parse_report(text, Path("2024.md"), "content/2024.md", "")
    if report is not None:
        problems = problems + certain_fixes("content/2024.md", text.split("\n"))
    return problems


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_BUILDER_LANG", "zh")


def test_the_table_is_long_enough() -> None:
    assert len(MISTAKES) >= 25 and sum(m.certain for m in MISTAKES) >= 20
    assert len({m.name for m in MISTAKES}) == len(MISTAKES)


def test_the_good_report_has_nothing_to_say(chinese: None) -> None:
    assert diagnose(GOOD) == []
    assert fix_text(GOOD) == (GOOD, [])


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_each_mistake_is_named_in_chinese_on_its_line_with_the_correction(chinese: None, mistake: Mistake) -> None:
    problems = diagnose(text_of(mistake))
    here = [p for p in problems if p.line == mistake.line]
    assert here, "\n".join(p.format() for p in problems)
    said = "\n".join(p.format() for p in here)
    assert mistake.says in said, said
    if mistake.fixed is not None:
        assert any(p.fixed == mistake.fixed for p in here), said
    assert all(p.file == "content/2024.md" for p in problems)


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_fix_corrects_the_certain_ones_and_nothing_else(chinese: None, mistake: Mistake) -> None:
    text = text_of(mistake)
    fixed, findings = fix_text(text)
    if not mistake.certain:
        assert fixed == text and findings == []
        return
    assert findings
    report, problems = parse_report(fixed, Path("2024.md"), "content/2024.md", "")
    assert report is not None, "\n".join(p.format() for p in problems)
    assert fix_text(fixed) == (fixed, [])  # once is enough
    assert diagnose(fixed) == []


def test_fix_keeps_line_ends_and_a_leading_bom() -> None:
    text = "\ufeff" + text_of(MISTAKES[0]).replace("\n", "\r\n")
    fixed, _ = fix_text(text)
    assert fixed == "\ufeff" + GOOD.replace("\n", "\r\n")
    assert fix_text("\ufeff" + GOOD) == ("\ufeff" + GOOD, [])


def test_check_fix_makes_every_certain_mistake_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITE_BUILDER_LANG", "zh")
    project = copy_project(tmp_path / "proj", with_content=False)
    certain = [m for m in MISTAKES if m.certain]
    for number, mistake in enumerate(certain):
        year = 1995 + number  # one report per year: the same town may not have two on one year
        text = text_of(mistake).replace("2025", str(year + 1))
        for written, digits in YEAR_DIGITS.items():  # the year as the mistake writes it
            text = text.replace(written, str(year).translate(str.maketrans("0123456789", digits)))
        project.write(f"content/sichuan/luxian/fuji/{year}.md", text)
    before = {p: p.read_bytes() for p in project.content.rglob("*.md")}
    assert project.run(capsys, "build").code == 1
    dry = project.run(capsys, "check", "--fix", "--dry-run")
    assert "--dry-run" in dry.out and dry.out.count("+++ b/content/") == len(certain)
    assert {p: p.read_bytes() for p in project.content.rglob("*.md")} == before
    fixed = project.run(capsys, "check", "--fix")
    # Word bookmarks are removed by the redaction that runs first (privacy.fix_report_file); the rest here.
    assert f"已在 {len(certain) - 1} 个文件中写入" in fixed.out
    built = project.run(capsys, "build")
    assert built.code == 0, built.err
    again = project.run(capsys, "check", "--fix")
    assert "没有可以自动改正的地方" in again.out


def test_fix_changes_nothing_in_the_bundled_content() -> None:
    assert fix_content(REPO / "content", REPO, write=False) == []


def test_fix_changes_nothing_in_a_generated_corpus(tmp_path: Path) -> None:
    from corpus import generate
    generate(1000, tmp_path / "content")
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "content").rglob("*.md")}
    assert len(before) >= 1000
    assert fix_content(tmp_path / "content", tmp_path, write=True) == []
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "content").rglob("*.md")} == before


def test_the_messages_are_english_on_request(monkeypatch: pytest.MonkeyPatch, project: Project) -> None:
    monkeypatch.setenv("SITE_BUILDER_LANG", "en")
    said = "\n".join(p.format() for p in diagnose(text_of(MISTAKES[0])))
    assert "The colon after `county` is the full-width “：”" in said and "write: county: 泸县" in said


def test_the_error_page_shows_the_lines_around_the_mistake_in_chinese(tmp_path: Path, chinese: None) -> None:
    from site_builder.diagnostics import BuildError
    from site_builder.errorpage import error_page
    path = tmp_path / "content" / "2024.md"
    path.parent.mkdir()
    path.write_text(text_of(MISTAKES[0]), encoding="utf-8")
    failure = BuildError(diagnose(text_of(MISTAKES[0])))
    page = error_page(failure.diagnostics, failure.report(), tmp_path).decode("utf-8")
    assert '<html lang="zh-CN">' in page and "<h1>构建失败</h1>" in page and "content/2024.md:5</h2>" in page
    assert "   4 | town: 福集镇\n" in page and '<span class="here">   5 | county：泸县</span>' in page and "   7 | year: 2024" in page
    assert "改为：county: 泸县" in page and "发现 1 处错误" in page


def test_new_refuses_a_town_that_is_an_existing_one_without_its_suffix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITE_BUILDER_LANG", "zh")
    project = copy_project(tmp_path / "proj", with_content=False)
    project.write("content/sichuan/luxian/fuji/2023.md", GOOD.replace("2024", "2023").replace("2025", "2024"))
    refused = project.run(capsys, "new", "--province", "四川省", "--county", "泸县", "--town", "福集", "--year", "2024")
    assert refused.code == 1 and "泸县没有“福集”；是不是 福集镇？" in refused.err and "--new-town" in refused.err
    assert not (project.content / "sichuan/luxian/fuji/2024.md").exists()
    assert project.run(capsys, "new", "--province", "四川省", "--county", "泸县", "--town", "福集镇", "--year", "2024").code == 0
    forced = project.run(capsys, "new", "--province", "四川省", "--county", "泸县", "--town", "福集", "--year", "2022", "--new-town")
    assert forced.code == 0


def test_check_names_a_town_written_without_its_suffix(chinese: None) -> None:
    from site_builder.reader import find_duplicates
    reports = [parse_report(GOOD.replace("2024", str(year)).replace("town: 福集镇", f"town: {town}"), Path(f"{year}.md"),
                            f"content/{year}.md", str(year))[0] for year, town in ((2022, "福集镇"), (2023, "福集镇"), (2024, "福集"))]
    found = find_duplicates([r for r in reports if r is not None])
    assert [(p.file, p.message, p.fixed) for p in found] == [("content/2024.md", "泸县没有“福集”；是不是 福集镇？", "town: 福集镇")]
