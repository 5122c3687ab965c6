"""One heading, one anchor, everywhere (issue 14): with every heading shape Markdown allows — setext,
inside a block quote, with a link, an entity, inline code, written twice — the report page's ids,
its table of contents, the statistics' part links, the key figures' evidence links, and the
section anchors of both search indexes are the same, and every one of them resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import Project, copy_project

from site_builder.linkcheck import check_site

REPORT = """---
title: 关于2023年法治政府建设情况的报告
unit: 潼南区花岩镇人民政府
town: 花岩镇
county: 潼南区
province: 重庆市
year: 2023
---

区委、区政府：

现将我镇2023年法治政府建设情况报告如下。

一、推进法治政府建设的主要举措和成效
----------------------------------

全年受理矛盾纠纷42件，调处成功40件。

> ## （一）强化组织领导
>
> 成立领导小组。

## 二、[存在的不足](https://example.org/rules)和原因

聘请法律顾问3名。

## 三、A &amp; B 党政主要负责人履行第一责任人职责情况

开展法治宣传活动`12`场次，发放宣传资料800份。

## 四、`2024`年下一步工作安排

## 四、`2024`年下一步工作安排

继续推进。
"""
EXPECTED_ANCHORS = ["一推进法治政府建设的主要举措和成效", "一强化组织领导", "二存在的不足和原因", "三-a-b-党政主要负责人履行第一责任人职责情况",
                    "四-2024年下一步工作安排", "四-2024年下一步工作安排-2"]
URL = "chongqing/tongnan/huayan/2023/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("anchors") / "proj", with_content=False)
    project.write("content/huayan/2023.md", REPORT)
    project.write("content/other/2023.md", REPORT.replace("花岩", "古溪"))  # stats tables need a neighbour
    from site_builder.build import build
    from site_builder.config import load_config

    config, _ = load_config(project.root / "config.yaml", {"site_url": "https://example.org"})
    build(config)
    return project


def _page(project: Project, url: str) -> BeautifulSoup:
    return BeautifulSoup((project.site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def _fragments_to(project: Project, url: str) -> set[str]:
    """Every #fragment of a link to the report page, from every page of the site."""
    found = set()
    for path in project.site.rglob("*.html"):
        for link in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True):
            if link["href"].split("#")[0].endswith("/" + url) and "#" in link["href"]:
                found.add(link["href"].split("#", 1)[1])
    return found


def test_every_heading_shape_gets_its_anchor_on_the_page(built: Project) -> None:
    page = _page(built, URL)
    headings = page.select(".report-body h1, .report-body h2, .report-body h3")
    assert [h["id"] for h in headings] == EXPECTED_ANCHORS
    assert [h.get_text() for h in headings][2] == "二、存在的不足和原因"
    assert [a["href"] for a in page.select("nav.toc a")] == [f"#{anchor}" for anchor in EXPECTED_ANCHORS]


def test_stats_and_evidence_links_use_the_same_anchors_and_resolve(built: Project) -> None:
    ids = {tag["id"] for tag in _page(built, URL).find_all(id=True)}
    fragments = _fragments_to(built, URL)
    part_anchors = {f for f in fragments if not f.startswith("ev-")}
    assert {"一推进法治政府建设的主要举措和成效", "二存在的不足和原因", "三-a-b-党政主要负责人履行第一责任人职责情况"} <= part_anchors
    evidence = {f for f in fragments if f.startswith("ev-")}
    assert {"ev-disputes_accepted", "ev-legal_advisers"} <= evidence
    assert fragments <= ids
    # the figure's sentence is the marked one
    marked = _page(built, URL).find(id="ev-legal_advisers")
    assert marked is not None and "聘请法律顾问3名" in marked.get_text()
    rows = next((built.site / "data").glob("*-主要数据.csv")).read_text(encoding="utf-8-sig")
    assert re.search(rf"/{URL}#ev-legal_advisers", rows)
    # <code> splits the sentence of 发放宣传资料: its figure links to the section instead
    assert re.search(rf"发放宣传资料,.*/{URL}#三-a-b-党政主要负责人履行第一责任人职责情况", rows)
    broken, checked = check_site(built.site, "/")
    assert broken == [] and checked > 100


def test_both_search_indexes_name_the_same_sections(built: Project) -> None:
    from search_oracle import doc_header

    docs = [doc_header(p) for p in (built.site / "search" / "docs").glob("*.json")]
    ours = next(d for d in docs if d["u"] == URL)
    browser_anchors = [record[2] for record in ours["s"] if record[2]]
    assert browser_anchors == EXPECTED_ANCHORS

    from site_builder.build import inspect_site
    from site_builder.config import load_config
    from site_builder.search.service import search, update_index

    config, _ = load_config(built.root / "config.yaml")
    update_index(inspect_site(config)[0])
    hits = search(config, "法律顾问", limit=10).hits
    assert {(hit.url, hit.anchor) for hit in hits} >= {(URL, "二存在的不足和原因")}
    assert all(hit.anchor in EXPECTED_ANCHORS for hit in hits if hit.url == URL)


def test_a_figure_whose_sentence_markup_splits_links_to_its_section(tmp_path: Path) -> None:
    from site_builder.document import parse_document
    from site_builder.stats.analysis import analyse
    from site_builder.stats.evidence import mark_evidence

    document = parse_document("## 一、成效\n\n聘请法律顾问**3**名。\n\n## 二、不足\n\n全年受理矛盾\n纠纷42件。\n")
    figures = {f.key: f for f in analyse(document, 2023).figures}
    assert figures["legal_advisers"].evidence_id == ""  # <strong> splits the sentence: the section instead
    assert figures["legal_advisers"].section == "一成效"
    assert figures["disputes_accepted"].evidence_id == "ev-disputes_accepted"  # a soft line break does not
    assert 'id="ev-disputes_accepted"' in mark_evidence(document.html, figures.values())
