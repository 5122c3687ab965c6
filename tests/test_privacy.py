"""Nothing private is published by any command: personal data and Word/WPS residue planted in a
corpus stop a plain `build` and `serve` (nothing is written; the message says file, line, column
and how to fix it); office landlines and hotlines are published; a value the front-matter names as
public is published; the redaction edits (for `check --fix`) change exactly the planted values."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Project, copy_project, luhn_complete, report_text
from servers import fetch, serving, wait_for

from site_builder.importer.personal import MARKER
from site_builder.privacy import apply_edits, fix_report_file, redaction_edits

PLANTED = {
    "mobile": "13912345678",
    "id-number": "11010519491231002X",
    "bank-card": luhn_complete("622202020000123456"),
    "contact-name": "王小明",
    "residue": "[bookmark: _GoBack]",
    "field-code": "{ PAGEREF _Toc123456789 \\h }",
    "comment": "[批注: 这里再核实]",
}
PLANTED_LINES = [
    f"如有疑问请联系{PLANTED['mobile']}。",
    f"当事人身份证号{PLANTED['id-number']}，账号{PLANTED['bank-card']}。",
    f"（联系人：{PLANTED['contact-name']}）",
    f"{PLANTED['residue']}一是加强学习。",
    f"详见第二部分{PLANTED['field-code']}。{PLANTED['comment']}",
]
PUBLIC_LINE = "咨询请拨打政务服务热线12345、法律援助热线12348，或办公室电话023-68123456、（0533）3221234。"


def planted_corpus(root: Path) -> Project:
    """A small site: one clean report, and one nested deep with every kind of leak."""
    project = copy_project(root, with_content=False)
    project.write("content/chongqing/tongnan/shuangjiang/2023.md", report_text() + "\n" + PUBLIC_LINE + "\n")
    project.write("content/a/b/c/shandong-2022.md", report_text(town="中庄镇", county="沂源县", province="山东省", year=2022)
                  + "\n" + "\n".join(PLANTED_LINES) + "\n")
    return project


def published_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file())


def test_a_plain_build_refuses_personal_data_and_residue_and_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = planted_corpus(tmp_path / "p")
    result = project.run(capsys, "build")
    assert result.code == 1 and "nothing was published" in result.err
    assert not project.site.exists()
    text = (project.content / "a/b/c/shandong-2022.md").read_text(encoding="utf-8").split("\n")
    for kind, value in PLANTED.items():
        line = next(n for n, t in enumerate(text, 1) if value in t)
        column = text[line - 1].index(value) + 1
        assert f"content/a/b/c/shandong-2022.md:{line}: error" in result.err, kind
        assert f"Line {line}, column {column} has" in result.err, kind
    assert "a mobile number “139******78”" in result.err and PLANTED["mobile"] not in result.err  # masked, even in the log
    assert "“[bookmark: _GoBack]”" in result.err and "check --fix" in result.err and "public_numbers" in result.err
    assert "shuangjiang" not in result.err  # the landline and hotlines are not personal


def test_a_site_built_before_keeps_its_pages_and_never_gets_the_leak(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = planted_corpus(tmp_path / "p")
    leaky = project.content / "a/b/c/shandong-2022.md"
    planted = leaky.read_text(encoding="utf-8")
    leaky.write_text(report_text(town="中庄镇", county="沂源县", province="山东省", year=2022), encoding="utf-8")
    assert project.run(capsys, "build").code == 0
    before = published_text(project.site)
    assert "023-68123456" in before and "12348" in before  # an office landline and hotlines are published
    leaky.write_text(planted, encoding="utf-8")
    assert project.run(capsys, "build").code == 1
    after = published_text(project.site)
    assert after == before
    for value in PLANTED.values():
        assert value not in after


def test_values_the_front_matter_names_public_are_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", with_content=False)
    project.write("content/x.md", report_text(extra='public_numbers: ["139 1234 5678"]\npublic_names: ["王小明"]\n')
                  + "\n24小时值班手机13912345678，新闻发言人联系人：王小明。另一个手机13800001111。\n")
    result = project.run(capsys, "build")
    assert result.code == 1 and result.err.count("error [personal-data]") == 1 and "138******11" in result.err
    project.write("content/x.md", report_text(extra='public_numbers: ["139 1234 5678"]\npublic_names: ["王小明"]\n')
                  + "\n24小时值班手机13912345678，新闻发言人联系人：王小明。\n")
    assert project.run(capsys, "build").code == 0
    assert "13912345678" in published_text(project.site)


def test_redaction_edits_change_exactly_the_planted_values() -> None:
    body = "\n".join(["一、总体情况", PUBLIC_LINE, *PLANTED_LINES, "二、存在的不足"])
    edits = redaction_edits(body, first_line=10)
    assert sorted(e.text for e in edits) == sorted(PLANTED.values())
    fixed = apply_edits(body, edits, first_line=10)
    for value in PLANTED.values():
        assert value not in fixed
    assert fixed.split("\n")[1] == PUBLIC_LINE
    assert f"如有疑问请联系{MARKER}。" in fixed and f"（联系人：{MARKER}）" in fixed and "\n一是加强学习。\n" in fixed
    assert redaction_edits(fixed) == []  # a second --fix finds nothing


def test_serve_shows_where_the_leak_is_and_publishes_none_of_it(tmp_path: Path) -> None:
    project = planted_corpus(tmp_path / "p")
    with serving(project.root, ready=500) as served:
        status, page = fetch(served.base + "shandong/")
        assert status == 500 and "content/a/b/c/shandong-2022.md" in page and ", column " in page
        for kind in ("mobile", "id-number", "bank-card"):
            assert PLANTED[kind] not in page  # masked: the error page may be seen by others
        leaky = project.content / "a/b/c/shandong-2022.md"
        fixed = apply_edits(leaky.read_text(encoding="utf-8"), redaction_edits(leaky.read_text(encoding="utf-8")))
        leaky.write_text(fixed, encoding="utf-8")
        assert wait_for(lambda: fetch(served.base)[0] == 200), served.logged()
        status, page = fetch(served.base + "shandong/yiyuan/zhongzhuang/2022/")
        assert status == 200 and MARKER in page
        for value in PLANTED.values():
            assert value not in page


def test_fixing_a_file_redacts_exactly_the_planted_values_and_the_build_then_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = planted_corpus(tmp_path / "p")
    leaky = project.content / "a/b/c/shandong-2022.md"
    leaky.write_bytes(b"\xef\xbb\xbf" + leaky.read_text(encoding="utf-8").replace("\n", "\r\n").encode())
    before = leaky.read_bytes().decode("utf-8-sig").split("\r\n")
    edits = fix_report_file(leaky)
    assert sorted(e.text for e in edits) == sorted(PLANTED.values())
    after = leaky.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == len(before) - 1
    changed = [(a, b) for a, b in zip(before, after.decode("utf-8-sig").split("\r\n"), strict=True) if a != b]
    assert len(changed) == len(PLANTED_LINES)  # nothing else was touched
    assert fix_report_file(leaky) == []
    assert project.run(capsys, "build").code == 0
    text = published_text(project.site)
    for value in PLANTED.values():
        assert value not in text
    assert MARKER in text and "12348" in text


def test_check_fix_redacts_the_planted_values_and_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = planted_corpus(tmp_path / "p")
    result = project.run(capsys, "check", "--fix")
    assert "content/a/b/c/shandong-2022.md:" in result.err and "removed “[bookmark: _GoBack]”" in result.err
    assert f"replaced “139******78” by {MARKER}" in result.err and PLANTED["mobile"] not in result.err
    assert "personal-data" not in result.out and "residue" not in result.out
    text = (project.content / "a/b/c/shandong-2022.md").read_text(encoding="utf-8")
    for value in PLANTED.values():
        assert value not in text
    assert PUBLIC_LINE in (project.content / "chongqing/tongnan/shuangjiang/2023.md").read_text(encoding="utf-8")


def test_the_front_matter_is_checked_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", with_content=False)
    project.write("content/x.md", report_text(extra="summary: 经办人：王小明，手机13912345678。\n"))
    result = project.run(capsys, "build")
    assert result.code == 1 and "content/x.md:8: error [personal-data]: Line 8, column 20 has a mobile number" in result.err
    assert "Line 8, column 14 has a contact person's name" in result.err
    assert fix_report_file(project.content / "x.md") and project.run(capsys, "build").code == 0
    assert "13912345678" not in published_text(project.site) and "王小明" not in published_text(project.site)
