"""Issue 21: the mistakes county editors make, each answered in Chinese on its own line with the
correction computed from the file; `check --fix` corrects the certain ones and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
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


def load_mistakes() -> list[Mistake]:
    """The table in tests/fixtures/editor_mistakes.yaml: the certain slips, then those needing judgement."""
    table = yaml.safe_load((REPO / "tests/fixtures/editor_mistakes.yaml").read_text(encoding="utf-8"))
    return [Mistake(*row, certain=kind == "certain") for kind in ("certain", "judged") for row in table[kind]]


MISTAKES = load_mistakes()


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
def test_each_mistake_is_named_on_its_line_and_fixed_only_when_certain(chinese: None, mistake: Mistake) -> None:
    text = text_of(mistake)
    problems = diagnose(text)
    here = [p for p in problems if p.line == mistake.line]
    assert here, "\n".join(p.format() for p in problems)
    said = "\n".join(p.format() for p in here)
    assert mistake.says in said, said
    if mistake.fixed is not None:
        assert any(p.fixed == mistake.fixed for p in here), said
    assert all(p.file == "content/2024.md" for p in problems)

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
