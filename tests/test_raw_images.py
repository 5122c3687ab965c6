"""Photos shown by raw HTML (`<img src="photos/a.png">`, which the sanitiser keeps) travel with the
report as a Markdown image does: published under a content-hashed name, sized and lazy-loaded, in
`build`, an incremental rebuild and `serve`; one from outside the bundle is refused the same way,
at its line of the report. A Markdown image on a page with raw HTML is kept too."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Project, copy_project, report_text
from servers import fetch, fetch_bytes, serving, wait_for
from test_bundles import BUNDLE, PAGE, png, published

BODY = ('\n<img src="photos/raw.png" alt="合影">\n\n段落中的照片 <img src=\'photos/b&amp;c.png\' onerror="alert(1)"> 在此。\n\n'
        "![会议现场](photos/md.png)\n")


def raw_bundle(root: Path) -> Project:
    project = copy_project(root, with_content=False)
    project.write(f"{BUNDLE}/2023.md", report_text() + BODY)
    (project.root / BUNDLE / "photos").mkdir()
    for name, (width, height) in {"raw.png": (40, 30), "b&c.png": (8, 6), "md.png": (3, 2)}.items():
        (project.root / BUNDLE / "photos" / name).write_bytes(png(width, height))
    return project


def body_images(project: Project) -> list[dict[str, str]]:
    return [dict(img.attrs) for img in project.page(PAGE).find(class_="report-body").find_all("img")]


def test_raw_html_images_are_published_like_markdown_images(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = raw_bundle(tmp_path / "p")
    assert project.run(capsys, "build", "--base-url", "/sub/").code == 0
    images = body_images(project)
    assert [(i["width"], i["height"], i["loading"]) for i in images] == [("40", "30", "lazy"), ("8", "6", "lazy"), ("3", "2", "lazy")]
    assert images[0]["alt"] == "合影" and images[2]["alt"] == "会议现场"
    for image, name in zip(images, ("raw.png", "b&c.png", "md.png"), strict=True):
        assert image["src"].endswith(".png") and "/" not in image["src"] and image["src"] != f"photos/{name}"
        assert published(project, PAGE, image["src"], "/sub/") == (project.root / BUNDLE / "photos" / name).read_bytes()
        assert not any(key.startswith("on") for key in image)


def test_an_incremental_build_follows_a_raw_html_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = raw_bundle(tmp_path / "p")
    assert project.run(capsys, "build").code == 0
    old = body_images(project)[0]["src"]
    (project.root / BUNDLE / "photos/raw.png").write_bytes(png(60, 20, 90))
    assert project.run(capsys, "build").code == 0
    new = body_images(project)[0]
    assert new["src"] != old and (new["width"], new["height"]) == ("60", "20")
    assert published(project, PAGE, new["src"], "/") == png(60, 20, 90)
    assert not (project.site / PAGE / old).exists()


@pytest.mark.parametrize(("tag", "words"), [
    ('<img src="https://cdn.example.com/a.png">', "The image “https://cdn.example.com/a.png” is on another website"),
    ("<p>见图 <img src=//cdn.example.com/a.png></p>", "is on another website"),
    ('<img src="../../outside.png">', "The image “../../outside.png” is not in the report's folder"),
    ('<img alt="x" src="photos/none.png">', "The image “photos/none.png” cannot be found"),
])
def test_a_raw_html_image_from_outside_stops_the_build_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   tag: str, words: str) -> None:
    project = raw_bundle(tmp_path / "p")
    (project.root / "content/outside.png").write_bytes(png(2, 2))
    text = report_text() + "\n" + tag + "\n"
    project.write(f"{BUNDLE}/2023.md", text)
    for command in ("build", "check"):
        result = project.run(capsys, command)
        said = result.err + result.out
        assert result.code != 0 and f"{BUNDLE}/2023.md:{text.split(chr(10)).index(tag) + 1}: error" in said and words in said
    assert not project.site.exists()


def test_serve_publishes_a_raw_html_image_and_refuses_an_outside_one(tmp_path: Path) -> None:
    project = raw_bundle(tmp_path / "p")
    with serving(project.root, ready_path=PAGE) as served:
        source = fetch(served.base + PAGE)[1].split('<img src="', 1)[1].split('"', 1)[0]
        assert fetch_bytes(served.base + PAGE + source) == png(40, 30)
        project.write(f"{BUNDLE}/2023.md", report_text() + '\n<img src="https://cdn.example.com/a.png">\n')
        assert wait_for(lambda: fetch(served.base)[0] == 500), served.logged()
        status, error_page = fetch(served.base + PAGE)
        assert status == 500 and "is on another website" in error_page and "Put the file in the folder" in error_page
