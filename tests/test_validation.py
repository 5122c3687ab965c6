"""Bad front-matter and config: every problem reported in one run with file, line, field and a fix;
non-zero exit; the previous site left exactly as it was."""

from __future__ import annotations

import pytest
from conftest import Project, report_text, snapshot

GOOD = "content/chongqing/tongnan/shuangjiang/2023.md"
OTHER = "content/tianjin/xiqing/xinkou/2023.md"


@pytest.fixture
def published(project: Project, capsys: pytest.CaptureFixture[str]) -> Project:
    """The seed site, built, with one report in a known plain format to break in each test."""
    project.write(GOOD, report_text(extra="recipients: 区委、区政府\n"))
    project.write(OTHER, report_text(town="辛口镇", county="西青区", province="天津市"))
    assert project.run(capsys, "build").code == 0
    return project


def replace_line(project: Project, rel: str, old: str, new: str) -> None:
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(project: Project, rel: str, needle: str) -> int:
    lines = (project.root / rel).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(("old", "new", "field", "expect"), [
    ("year: 2023", "year: 二〇二三", "year", "`二〇二三` is not written as a year; write the four digits only"),
    ("year: 2023", "year: 23", "year", "“23” is not a year"),
    ("year: 2023", "year: 2023-01-01", "year", "is not a year"),
    ("recipients: 区委、区政府", "published: 2023-13-01", "published", "is not a real date"),
    ("recipients: 区委、区政府", "published: 2024/03/01", "published", "`2024/03/01` is not written as a date; write it as YYYY-MM-DD"),
    ("recipients: 区委、区政府", "level: 村", "level", "“村” is not a known level"),
    ("recipients: 区委、区政府", "slug: Shuang Jiang", "slug", "not a valid URL segment"),
    ("recipients: 区委、区政府", "division_code: 5001", "division_code", "not a 9- or 12-digit division code"),
    ("recipients: 区委、区政府", "metrics: 12", "metrics", "A list of `name: number` lines was expected"),
    ("town: 双江镇", "town: true", "town", "Text was expected here; found the yes/no value true"),
])
def test_bad_value_is_named_with_line_and_fix_and_site_kept(published: Project, capsys: pytest.CaptureFixture[str],
                                                            old: str, new: str, field: str, expect: str) -> None:
    before = snapshot(published.site)
    replace_line(published, GOOD, old, new)
    result = published.run(capsys, "build")
    assert result.code == 1
    line = line_of(published, GOOD, new)
    assert f"proj/{GOOD}:{line}: error [{field}]:" in result.err or f"{GOOD}:{line}: error [{field}]:" in result.err
    assert expect in result.err
    assert "fix:" in result.err or "write:" in result.err
    assert snapshot(published.site) == before


def test_every_problem_in_every_file_in_one_run(published: Project, capsys: pytest.CaptureFixture[str]) -> None:
    replace_line(published, GOOD, "year: 2023", "year: 二〇二三")
    replace_line(published, GOOD, "recipients: 区委、区政府", "published: 2023-13-01")
    other = OTHER
    replace_line(published, other, "title: 关于2023年法治政府建设情况的报告\n", "")
    result = published.run(capsys, "build")
    assert result.code == 1
    assert "[year]" in result.err and "[published]" in result.err
    assert f"{other}:1: error [title]: The required field `title` is missing." in result.err
    assert "Add the line `title: " in result.err
    assert "3 error(s) found" in result.err


def test_unknown_key_warns_with_nearest_known_key(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write(GOOD, report_text(extra="yaer: 2023\n"))
    result = project.run(capsys, "build")
    assert result.code == 0
    assert "warning [yaer]: The unknown field `yaer` is ignored." in result.err
    assert "Did you mean `year`?" in result.err
    strict = project.run(capsys, "build", "--strict")
    assert strict.code == 1 and "with --strict" in strict.err


def test_same_town_and_year_twice_names_both_files(published: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(published.site)
    published.write("content/copy-of-shuangjiang.md", report_text(year=2023))
    result = published.run(capsys, "build")
    assert result.code == 1
    # The second file in path order is blamed; both are named.
    assert "content/copy-of-shuangjiang.md" in result.err and GOOD in result.err
    assert "already has a 2023 report" in result.err
    assert snapshot(published.site) == before


def test_yaml_1_1_traps_are_text_not_numbers_or_booleans(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    extra = 'index_no: 0012345\ndoc_no: no\ndivision_code: 012345678\nrecipients: on\nsummary: 1:30\n'
    project.write("content/chongqing/tongnan/shuangjiang/2023.md", report_text(extra=extra))
    assert project.run(capsys, "build").code == 0
    page = project.page("chongqing/tongnan/shuangjiang/2023/")
    meta = {th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True) for th in page.select("table.doc-meta th")}
    assert meta["索引号"] == "0012345"   # not the octal number 5349
    assert meta["文号"] == "no"          # not False
    assert meta["主送"] == "on"          # not True
    assert page.find("meta", attrs={"name": "Description"})["content"] == "1:30"  # not 90 (sexagesimal)


@pytest.mark.parametrize(("text", "line", "expect"), [
    ("---\ntitle: a\nyear: [2023\n---\nbody\n", 4, "The front-matter cannot be read"),
    ("---\ntitle: a: b\n---\nbody\n", 2, "The value of `title` contains “: ”, which YAML reads as a new field; the value is put in double quotes"),
    ("---\na: &x [1, 2]\nb: *x\n---\n", 2, "Aliases (*name) are not allowed"),
    ("no front matter\n", 1, "does not start with front-matter"),
    ("---\ntitle: x\n", 1, "The front-matter is not closed"),
    ("---\ntitle: 1\ntitle: 2\n---\n", 3, "The field `title` is written twice"),
])
def test_unreadable_front_matter(project: Project, capsys: pytest.CaptureFixture[str], text: str, line: int, expect: str) -> None:
    project.write("content/broken.md", text)
    result = project.run(capsys, "build")
    assert result.code == 1
    assert f"content/broken.md:{line}: error" in result.err
    assert expect in result.err


def test_file_that_is_not_utf8(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (project.content / "gbk.md").write_bytes(report_text().encode("gb18030"))
    result = project.run(capsys, "build")
    assert result.code == 1
    assert "content/gbk.md:2: error: The file is not UTF-8 text" in result.err
    assert "site-builder import" in result.err


def test_yaml_bomb_is_refused_quickly(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    project.write("content/bomb.md", "---\n" + "\n".join(levels) + "\n---\n")
    result = project.run(capsys, "build")
    assert result.code == 1 and "Aliases (*name) are not allowed" in result.err


def test_bad_config_lists_every_problem_with_lines(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (project.root / "config.yaml").write_text("site_name: 测试\nbase_url: http://x/y\nfeed_size: many\nsite_url: example.org\nbase_ulr: /x/\n"
                                              "stats_json_version: 4\n",
                                              encoding="utf-8")
    result = project.run(capsys, "build")
    assert result.code == 1
    assert "config.yaml:2: error [base_url]" in result.err
    assert "config.yaml:3: error [feed_size]" in result.err
    assert "config.yaml:4: error [site_url]" in result.err
    assert "config.yaml:5: warning [base_ulr]" in result.err and "Did you mean `base_url`?" in result.err
    assert "config.yaml:6: error [stats_json_version]" in result.err and "stats_json_version: 3" in result.err
