"""`site-builder check` finds each kind of problem, says where and how to fix it, and exits by
severity; `build --strict` refuses to publish while it finds any."""

from __future__ import annotations

import json

import pytest
from conftest import Project, luhn_complete, report_text


def test_the_bundled_site_has_no_errors(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    result = project.run(capsys, "check")
    # One warning: seed 000 has no part on the leaders' duty (content/ is the seeds as imported, byte
    # for byte). Seed 001's 索引号 read "…/2023-None" on its portal: the importer leaves it out now.
    assert result.code == 1
    assert "0 error(s), 1 warning(s)" in result.out
    assert "shuangjiang/2023.md" in result.out and "党政主要负责人履行第一责任人职责情况" in result.out


@pytest.mark.parametrize(("line", "code", "words"), [
    ("如有疑问请联系13912345678。", "personal-data", "a mobile number “139******78”"),
    ("身份证号11010519491231002X。", "personal-data", "an ID card number"),
    ("账号" + luhn_complete("622202020000123456") + "。", "personal-data", "a bank card number"),
    ("联系人：王小明。", "personal-data", "a contact person's name"),
    ("[bookmark: _GoBack]一是加强学习。", "residue", "“[bookmark: _GoBack]”"),
    ("![图](https://cdn.example.com/a.png)", "external-resource", "is on another website"),
    ('<img src="//cdn.example.com/a.png">', "external-resource", "load a file from another site"),
])
def test_errors_in_content(project: Project, capsys: pytest.CaptureFixture[str], line: str, code: str, words: str) -> None:
    path = "content/chongqing/tongnan/shuangjiang/2023.md"
    text = report_text() + "\n" + line + "\n"
    project.write(path, text)
    result = project.run(capsys, "check")
    assert result.code == 2
    number = text.split("\n").index(line) + 1
    assert f"{path}:{number}: error [{code}]: " in result.out and words in result.out and "fix:" in result.out


@pytest.mark.parametrize(("line", "words"), [
    ("字号：大 中 小", "residue"),
    ("打印本页", "residue"),
    ("关于2023年法治政府建设情况的报告", "The title is repeated"),
])
def test_import_leftovers_are_warnings(project: Project, capsys: pytest.CaptureFixture[str], line: str, words: str) -> None:
    project.write("content/chongqing/tongnan/shuangjiang/2023.md", report_text(extra="published: 2024-03-01\n") + "\n" + line + "\n")
    result = project.run(capsys, "check")
    assert ("warning [leftover]" in result.out or "warning [fix]" in result.out) and words in result.out


def test_an_imported_value_left_unchecked_is_a_warning_on_its_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    text = report_text().replace("town: 双江镇", "town: 双江镇  # body 〔请核对：由正文中的出现次数读出，见原文第23行〕", 1)
    assert "请核对" in text
    project.write("content/chongqing/tongnan/shuangjiang/2023.md", text)
    result = project.run(capsys, "check")
    line = text.split("\n").index(next(x for x in text.split("\n") if "请核对" in x)) + 1
    assert f"shuangjiang/2023.md:{line}: warning [import-hint]: town is a value the importer inferred" in result.out
    assert "见原文第23行" in result.out


def test_broken_internal_link_and_anchor(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/chongqing/tongnan/shuangjiang/2023.md",
                  report_text() + "\n见[辛口镇](/tianjin/xiqing/xinkou/2019/)和[本页目录](#no-such-heading)。\n")
    result = project.run(capsys, "check")
    assert result.code == 2
    line = len(report_text().split("\n")) + 1  # named at the report's line, not at the built page
    assert f"content/chongqing/tongnan/shuangjiang/2023.md:{line}: error [broken-link]" in result.out
    assert "/tianjin/xiqing/xinkou/2019/” does not work: There is no such file in the site." in result.out
    assert "#no-such-heading” does not work: No element has the id “no-such-heading”." in result.out


def test_external_resource_in_a_theme_override(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    custom = project.root / "custom" / "templates" / "partials"
    custom.mkdir(parents=True)
    (custom / "footer.html").write_text('<footer><script src="https://cdn.example.com/x.js"></script></footer>\n', encoding="utf-8")
    (project.root / "custom" / "assets").mkdir()
    (project.root / "custom" / "assets" / "site.css").write_text("body{background:url(https://example.com/bg.png)}\n", encoding="utf-8")
    config = project.root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('custom_dir: ""', "custom_dir: custom"), encoding="utf-8")
    result = project.run(capsys, "check", "--format", "json")
    assert result.code == 2
    problems = json.loads(result.out)
    places = {(p["file"], p["line"], p["field"]) for p in problems if p["severity"] == "error"}
    assert ("custom/templates/partials/footer.html", 1, "external-resource") in places
    assert ("custom/assets/site.css", 1, "external-resource") in places


def test_bundled_theme_loads_nothing_from_outside(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    from site_builder.check import check_theme
    from site_builder.config import load_config

    config, _ = load_config(project.root / "config.yaml")
    assert check_theme(config) == []


def test_strict_build_refuses_to_publish(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/chongqing/tongnan/shuangjiang/2023.md", report_text() + "\n联系电话13912345678。\n")
    result = project.run(capsys, "build", "--strict", "--site-url", "https://example.org")
    assert result.code == 1 and "personal-data" in result.err and "nothing was published" in result.err
    assert not project.site.exists()


def test_a_missing_part_is_shown_with_its_own_heading(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """The hint's example heading is the missing part's, not a fixed one (it once named 存在的不足和原因
    for a report that lacked only the leaders' part)."""
    path = "content/chongqing/tongnan/shuangjiang/2023.md"
    project.write(path, report_text())  # the template has no leaders' part
    out = project.run(capsys, "check").out
    assert "No part found for: 党政主要负责人履行第一责任人职责情况." in out
    assert "`## 三、党政主要负责人履行第一责任人职责情况`" in out and "## 三、存在的不足和原因" not in out
    project.write(path, report_text().replace("## 二、存在的不足和原因", "## 二、其他"))
    out = project.run(capsys, "check").out
    assert "`## 二、存在的不足和原因`" in out
