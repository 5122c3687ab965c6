"""Every internal link and anchor in the built site resolves, at a server root and under a sub-path."""

from __future__ import annotations

import pytest
from conftest import Project

from site_builder.linkcheck import check_site


@pytest.mark.parametrize("base_url", ["/", "/reports-site/"])
def test_all_internal_links_and_anchors_resolve(project: Project, capsys: pytest.CaptureFixture[str], base_url: str) -> None:
    result = project.run(capsys, "build", "--base-url", base_url)
    assert result.code == 0, result.err
    broken, checked = check_site(project.site, base_url)
    assert broken == []
    assert checked > 300  # nav, breadcrumbs, lists and outlines on 27 pages


def test_sub_path_prefixes_every_link_and_asset(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run(capsys, "build", "--base-url", "reports-site", "--site-url", "https://example.github.io").code == 0
    page = project.page("chongqing/tongnan/shuangjiang/2023/")
    refs = [t.get("href") or t.get("src") for t in page.find_all(["a", "link", "script"]) if t.get("href") or t.get("src")]
    internal = [r for r in refs if not r.startswith(("#", "data:"))]
    assert internal and all(r.startswith("/reports-site/") for r in internal), internal
    sitemap = (project.site / "sitemap.xml").read_text()
    assert "<loc>https://example.github.io/reports-site/chongqing/tongnan/shuangjiang/2023/</loc>" in sitemap
    assert "Sitemap: https://example.github.io/reports-site/sitemap.xml" in (project.site / "robots.txt").read_text()


def test_link_checker_reports_a_missing_anchor_and_page(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """The checker itself must be able to fail."""
    assert project.run(capsys, "build").code == 0
    page = project.site / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</main>", '<a href="/nowhere/">x</a><a href="/regions/#nope">y</a></main>'), encoding="utf-8")
    broken, _ = check_site(project.site, "/")
    assert {(b.link, b.reason) for b in broken} == {("/nowhere/", "There is no such file in the site."),
                                                    ("/regions/#nope", "No element has the id “nope”.")}
