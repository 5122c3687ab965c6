"""Photos and the signed original travel with the report (page bundles): an image beside the report
and the 附件 its front-matter lists are published byte for byte, linked, sized and checked — in
`build`, a sub-path build, an incremental rebuild and `serve` alike; an image from outside the
bundle is refused with the way to publish it; a broken link is named at its line of the report."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import Project, copy_project, report_text
from servers import fetch, fetch_bytes, serving, wait_for

from site_builder.linkcheck import check_site

BUNDLE = "content/chongqing/tongnan/shuangjiang"
PAGE = "chongqing/tongnan/shuangjiang/2023/"
ATTACHMENTS = 'attachments:\n  - file: 原件/签章版.pdf\n    title: 报告（签章版）\n  - file: 数据.xlsx\n'


def png(width: int, height: int, shade: int = 0) -> bytes:
    """A real PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([shade, 100, 50]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def bundle(root: Path) -> Project:
    project = copy_project(root, with_content=False)
    project.write(f"{BUNDLE}/2023.md", report_text(extra=ATTACHMENTS) + "\n![会议现场](<photos/会议 现场.png>)\n\n![](photos/b.png)\n")
    (project.root / BUNDLE / "photos").mkdir()
    (project.root / BUNDLE / "photos/会议 现场.png").write_bytes(png(40, 30))
    (project.root / BUNDLE / "photos/b.png").write_bytes(png(8, 6, 200))
    (project.root / BUNDLE / "原件").mkdir()
    (project.root / BUNDLE / "原件/签章版.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 50)
    (project.root / BUNDLE / "数据.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 3000)
    return project


def published(project: Project, page: str, link: str, base: str) -> bytes:
    path = unquote(link)
    target = project.site / path[len(base):] if path.startswith("/") else project.site / page / path
    return target.read_bytes()


def test_images_and_attachments_are_published_beside_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = bundle(tmp_path / "p")
    assert project.run(capsys, "build", "--base-url", "/sub/").code == 0
    page = project.page(PAGE)
    images = page.find(class_="report-body").find_all("img")
    assert [(i["width"], i["height"], i["loading"]) for i in images] == [("40", "30", "lazy"), ("8", "6", "lazy")]
    assert images[0]["alt"] == "会议现场" and ".png" in images[0]["src"] and images[0]["src"] != "photos/会议 现场.png"
    assert published(project, PAGE, images[0]["src"], "/sub/") == (project.root / BUNDLE / "photos/会议 现场.png").read_bytes()
    items = page.find(class_="attachments").find_all("li")
    assert page.find(id="attachments-h").text == "附件"
    assert "报告（签章版）" in items[0].text and "PDF" in items[0].text and "13 KB" in items[0].text
    assert "数据" in items[1].text and "Excel" in items[1].text
    link = items[0].a
    assert link["download"] == "签章版.pdf"
    assert published(project, PAGE, link["href"], "/sub/") == (project.root / BUNDLE / "原件/签章版.pdf").read_bytes()
    broken, checked = check_site(project.site, "/sub/")
    assert broken == [] and checked > 0


def test_an_incremental_build_follows_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = bundle(tmp_path / "p")
    assert project.run(capsys, "build").code == 0
    old = project.page(PAGE).find(class_="report-body").img["src"]
    (project.root / BUNDLE / "photos/会议 现场.png").write_bytes(png(60, 20, 90))
    result = project.run(capsys, "build", "--verbose")
    assert result.code == 0 and "1 of" in result.out  # only the report's page is made again
    new = project.page(PAGE).find(class_="report-body").img
    assert new["src"] != old and (new["width"], new["height"]) == ("60", "20")
    assert published(project, PAGE, new["src"], "/") == png(60, 20, 90)
    assert not (project.site / PAGE / unquote(old)).exists()  # the stale copy is gone
    (project.root / BUNDLE / "原件/签章版.pdf").write_bytes(b"%PDF-1.7 new")
    assert project.run(capsys, "build").code == 0
    link = project.page(PAGE).find(class_="attachments").a["href"]
    assert published(project, PAGE, link, "/") == b"%PDF-1.7 new"


@pytest.mark.parametrize(("line", "words"), [
    ("![](photos/none.png)", "The image “photos/none.png” cannot be found"),
    ("![](../../outside.png)", "is not in the report's folder"),
    ("![](https://cdn.example.com/a.png)", "is on another website"),
    ("![](photos/a.bmp)", "(.bmp) cannot be published"),
])
def test_a_missing_or_outside_image_stops_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, words: str) -> None:
    project = bundle(tmp_path / "p")
    (project.root / "content/outside.png").write_bytes(png(2, 2))
    (project.root / BUNDLE / "photos/a.bmp").write_bytes(b"BM")
    text = report_text() + "\n" + line + "\n"
    project.write(f"{BUNDLE}/2023.md", text)
    result = project.run(capsys, "build")
    number = text.split("\n").index(line) + 1
    assert result.code == 1 and f"{BUNDLE}/2023.md:{number}: error" in result.err and words in result.err
    assert "Put the file in the folder of the report" in result.err or "cannot be" in words
    assert not project.site.exists()


def test_a_missing_attachment_and_a_huge_photo_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = bundle(tmp_path / "p")
    (project.root / BUNDLE / "原件/签章版.pdf").unlink()
    (project.root / BUNDLE / "photos/b.png").write_bytes(png(8, 6) + b"\x00" * (6 * 2**20))
    result = project.run(capsys, "build")
    assert result.code == 1
    assert f"{BUNDLE}/2023.md:9: error [bundle]: The attachment “原件/签章版.pdf” cannot be found" in result.err
    assert "The image “photos/b.png” is 6.0 MB, over the limit of 5 MB" in result.err


def test_check_names_the_line_of_a_broken_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", with_content=False)
    text = report_text() + "\n见[辛口镇](/tianjin/xiqing/xinkou/2019/)。\n"
    project.write(f"{BUNDLE}/2023.md", text)
    result = project.run(capsys, "check")
    number = text.split("\n").index("见[辛口镇](/tianjin/xiqing/xinkou/2019/)。") + 1
    assert f"{BUNDLE}/2023.md:{number}: error [broken-link]: The link “/tianjin/xiqing/xinkou/2019/” does not work" in result.out


def test_serve_publishes_the_bundle_too(tmp_path: Path) -> None:
    project = bundle(tmp_path / "p")
    with serving(project.root, "/sub/", ready_path=PAGE) as served:
        page = fetch(served.base + PAGE)[1]
        source = page.split('<img src="', 1)[1].split('"', 1)[0]
        assert fetch_bytes(served.base + PAGE + source) == (project.root / BUNDLE / "photos/会议 现场.png").read_bytes()
        project.write(f"{BUNDLE}/2023.md", report_text() + "\n![](../../../outside.png)\n")
        assert wait_for(lambda: fetch(served.base)[0] == 500), served.logged()
        status, error_page = fetch(served.base + PAGE)
        assert status == 500 and "is not in the report" in error_page and "Put the file in the folder" in error_page
