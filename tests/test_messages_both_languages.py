"""Messages once written in Chinese in the code (safe paths, published addresses, photos, personal
data, units.csv), now through the catalogue (issue 21): the editor reads the same Chinese as before
by default, and English with --lang en. Each case is a real mistake in a real project."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project, copy_project, report_text

TOWN = "content/chongqing/tongnan/shuangjiang/2023.md"


def _link_out(project: Project) -> None:
    outside = project.root.parent / "elsewhere.md"
    outside.write_text(report_text(), encoding="utf-8")
    (project.content / "out.md").symlink_to(outside)


def _moved(project: Project) -> None:
    project.write(TOWN, report_text(extra="slug: sj\n"))


def _outside_image(project: Project) -> None:
    project.write(TOWN, report_text() + "\n![会议](https://cdn.example.com/a.png)\n")


def _phone(project: Project) -> None:
    project.write(TOWN, report_text() + "\n如有疑问请联系13912345678。\n")


def _units(project: Project) -> None:
    project.write("units.csv", "省,区县,乡镇（街道）,起始年度,终止年度,备注\n重庆市,潼南区,双江镇,二〇一九,,\n")


CASES: dict[str, tuple[Callable[[Project], None], str, tuple[str, ...], tuple[str, ...]]] = {
    "a link out of the project (safepaths)": (
        _link_out, "build",
        ("content/out.md: 错误：这是一个指向项目文件夹之外（", "的链接，为安全起见不读取、不发布。", "请删除这个链接，或把所需文件复制到项目文件夹内。"),
        ("content/out.md: error: This is a link leading outside the project folder (",
         "; for safety it is neither read nor published.", "Remove this link, or copy the file you need into the project folder.")),
    "a moved address (permanence)": (
        _moved, "build",
        ("已发布的地址 /chongqing/tongnan/shuangjiang/2023/（重庆市/潼南区/双江镇/2023）将变为 /chongqing/tongnan/sj/2023/，"
         "外部已有的链接会失效。", "或用 --allow-move 构建，旧地址会变为跳转页。"),
        ("The published address /chongqing/tongnan/shuangjiang/2023/ (重庆市/潼南区/双江镇/2023) would become "
         "/chongqing/tongnan/sj/2023/; links to it elsewhere would break.", "or build with --allow-move, and the old address "
         "becomes a redirect.")),
    "an image on another site (bundles)": (
        _outside_image, "build",
        ("图片「https://cdn.example.com/a.png」在别的网站上，页面不能从外部加载文件。",
         "请把文件放在报告（.md 文件）所在的文件夹或其子文件夹中，并用相对地址引用，例如 ![会议现场](photos/meeting.jpg)。"),
        ("The image “https://cdn.example.com/a.png” is on another website; a page may not load files from outside.",
         "Put the file in the folder of the report (the .md file) or a folder inside it")),
    "a mobile number (privacy)": (
        _phone, "build",
        ("第 28 行第 8 列有手机号码「139******78」，属于个人信息，不能公开发布。",
         "请把它改成〔已隐去〕，运行 site-builder check --fix 可以自动处理。如果它确实是对外公开的（如值班手机、新闻发言人），"
         "请在前言（front-matter）中写 `public_numbers: [\"这个号码\"]`。"),
        ("Line 28, column 8 has a mobile number “139******78”; it is personal information and may not be published.",
         "Replace it with 〔已隐去〕; running site-builder check --fix does this for you.")),
    "a year that is not a year in units.csv (stats.units)": (
        _units, "check",
        ("units.csv:2", "第 2 行的起始年度“二〇一九”不是四位年份。", "写成 2019 这样的四位数字。"),
        ("units.csv:2", "The from_year (起始年度) “二〇一九” on line 2 is not a four-digit year.", "Write four digits, such as 2019.")),
}


@pytest.fixture
def built(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Project:
    """A small site built once (so its addresses are published), the reader's language left to the defaults."""
    monkeypatch.delenv("SITE_BUILDER_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.chdir(tmp_path)
    project = copy_project(tmp_path / "p", with_content=False)
    project.write(TOWN, report_text())
    assert project.run(capsys, "build").code == 0
    return project


@pytest.mark.parametrize("case", CASES)
def test_chinese_by_default_and_english_on_request(built: Project, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    make_mistake, command, chinese, english = CASES[case]
    make_mistake(built)
    result = built.run(capsys, command)
    said = result.out + result.err
    assert result.code != 0 and all(words in said for words in chinese), said
    assert not any(words in said for words in english[1:]), said

    result = built.run(capsys, "--lang", "en", command)
    said = result.out + result.err
    assert result.code != 0 and all(words in said for words in english), said
    assert not any(words in said for words in chinese[1:]), said
