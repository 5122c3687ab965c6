"""The seed site builds and every page type holds what it must (checked on parsed HTML)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import Project, build_once, copy_project, report_text

SEED_REPORTS = {
    # url path: (title, town, year) — read off the seed files, see ../shared/seeds/README.md
    "chongqing/tongnan/shuangjiang/2023/": ("关于2023年法治政府建设情况的报告", "双江镇", 2023),
    "shandong/yiyuan/zhongzhuang/2022/": ("中共沂源县中庄镇委员会关于2022年度法治政府建设工作的报告", "中庄镇", 2022),
    "chongqing/yubei/xinglong/2021/": ("重庆市渝北区兴隆镇人民政府2021年法治政府建设年度报告", "兴隆镇", 2021),
    "chongqing/fengdu/rensha/2024/": ("中共丰都县仁沙镇委员会 丰都县仁沙镇人民政府关于2024年法治政府建设情况的报告", "仁沙镇", 2024),
    "tianjin/xiqing/xinkou/2023/": ("西青区辛口镇2023年度法治政府建设情况报告", "辛口镇", 2023),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed site built once: the tests that take it only read it."""
    project = copy_project(tmp_path_factory.mktemp("built") / "proj")
    result = build_once(project)
    assert result.code == 0, result.err
    assert "built 5 reports" in result.out
    return project


def test_every_page_type_exists(built: Project) -> None:
    for path in ["index.html", "404.html", "sitemap.xml", "feed.xml", "robots.txt", "regions/index.html",
                 "years/index.html", "towns/index.html", "years/2023/index.html", "chongqing/index.html",
                 "chongqing/tongnan/index.html", "chongqing/tongnan/shuangjiang/index.html", "assets/site.css", "assets/site.js"]:
        assert (built.site / path).is_file(), path
    for url in SEED_REPORTS:
        assert (built.site / url / "index.html").is_file(), url


def test_every_html_page_is_chinese_accessible_and_self_contained(built: Project) -> None:
    for page in built.site.rglob("*.html"):
        soup = built.page(page.relative_to(built.site).as_posix().removesuffix("index.html"))
        assert soup.html["lang"] == "zh-CN"
        skip = soup.select_one("a.skip-link")
        assert skip is not None and skip["href"] == "#main" and soup.find(id="main") is not None
        assert soup.find("meta", attrs={"name": "viewport"}) is not None
        assert len(soup.find_all("h1")) == 1, page
        for table in soup.find_all("table"):
            assert table.find("caption") is not None, f"{page}: table without caption"
            assert all(th.has_attr("scope") for th in table.find_all("th")), f"{page}: th without scope"
        for tag in soup.find_all(["script", "link", "img"]):
            ref = tag.get("src") or tag.get("href") or ""
            assert not ref.startswith(("http:", "https:", "//")), f"{page}: external resource {ref}"


def test_home_page(built: Project) -> None:
    home = built.page("")
    counts = [li.get_text(" ", strip=True) for li in home.select("ul.counts li")]
    assert counts == ["5 份报告", "5 个乡镇（街道）", "5 个区县", "4 个年度"]
    latest = [a["href"] for a in home.select("ul.report-list a")]
    # Newest first by published, else signed date; an undated report on year N counts as out by
    # 1 January N+1 (it cannot have come out earlier), ties broken by path, descending.
    assert latest == ["/chongqing/fengdu/rensha/2024/",       # signed 2025-01-23
                      "/tianjin/xiqing/xinkou/2023/",         # undated, 2023 → 2024-01-01
                      "/chongqing/tongnan/shuangjiang/2023/",  # undated, 2023 → 2024-01-01
                      "/shandong/yiyuan/zhongzhuang/2022/",   # published 2023-02-01
                      "/chongqing/yubei/xinglong/2021/"]      # signed 2022-01-10
    entries = {a.get_text(strip=True): a["href"] for a in home.select("ul.entries a")}
    assert entries == {"按地区浏览": "/regions/", "按年度浏览": "/years/", "全部乡镇（街道）": "/towns/"}


def test_report_page_metadata_outline_and_body(built: Project) -> None:
    page = built.page("shandong/yiyuan/zhongzhuang/2022/")
    assert page.h1.get_text() == SEED_REPORTS["shandong/yiyuan/zhongzhuang/2022/"][0]
    meta = {th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True) for th in page.select("table.doc-meta th")}
    assert "索引号" not in meta  # its portal printed …/2023-None: no number, so none is shown
    assert meta["发布机构"] == "中共沂源县中庄镇委员会"
    assert meta["发布日期"] == "2023年2月1日"
    assert meta["成文日期"] == "2023年1月31日"
    assert meta["年度"] == "2022"
    assert "文号" not in meta  # not known: not shown as an empty "—"
    outline = [a.get_text(strip=True) for a in page.select("nav.toc a")]
    assert outline[0] == "一、推进法治政府建设的主要举措和成效"
    assert outline[1] == "（一）强化法治意识和组织领导，保障法治建设工作推进"  # the lost （一 restored
    assert "二、党政主要负责人履行推进法治建设第一责任人职责情况" in outline
    for link in page.select("nav.toc a"):
        assert page.find(id=link["href"][1:]) is not None, link["href"]
    body = page.select_one("div.report-body").get_text()
    assert "特此报告" in body and "字号" not in body and "打印" not in body
    assert page.select_one("nav.reading-bar a.bar-toc") is not None  # its buttons are site.js's (tests/browser)
    crumbs = [a.get_text(strip=True) for a in page.select("nav.breadcrumbs a")]
    assert crumbs == ["首页", "山东省", "沂源县", "中庄镇", "2022年度"]


def test_report_page_hides_personal_phone_number(built: Project) -> None:
    text = built.page("chongqing/fengdu/rensha/2024/").get_text()
    assert "15320804990" not in text and "联系人" not in text


def test_town_page_lists_years_newest_first_and_report_links_other_years(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/chongqing/tongnan/shuangjiang/2021.md", report_text(year=2021))
    project.write("content/chongqing/tongnan/shuangjiang/2022.md", report_text(year=2022, extra="published: 2023-03-01\n"))
    assert project.run(capsys, "build").code == 0
    town = project.page("chongqing/tongnan/shuangjiang/")
    years = [th.get_text() for th in town.select("table.listing")[0].select("tbody th")]
    assert years == ["2023", "2022", "2021"]
    report = project.page("chongqing/tongnan/shuangjiang/2022/")
    others = [a["href"] for a in report.select("nav.other-years a")]
    assert others == ["/chongqing/tongnan/shuangjiang/2023/", "/chongqing/tongnan/shuangjiang/2021/"]


def test_year_page_groups_by_province_then_county_in_division_code_order(built: Project) -> None:
    page = built.page("years/2023/")
    provinces = [h2.get_text() for h2 in page.select("main section[aria-labelledby^=p-] > h2")]
    assert provinces == ["天津市", "重庆市"]  # 12 before 50 (by pinyin chóng would come before tiān)
    captions = [c.get_text() for c in page.select("main section[aria-labelledby^=p-] caption")]
    assert captions == ["天津市西青区", "重庆市潼南区"]


def test_region_pages_and_tree(built: Project) -> None:
    chongqing = built.page("chongqing/")
    assert [h2.get_text(strip=True) for h2 in chongqing.select("main h2")] == ["渝北区", "潼南区", "丰都县"]  # 500112, 500152, 500230
    county = built.page("chongqing/fengdu/")
    assert [a["href"] for a in county.select("tbody th a")] == ["/chongqing/fengdu/rensha/"]
    tree = built.page("regions/")
    top = [s.get_text() for s in tree.select("details.region > summary .region-name")]
    assert top == ["天津市", "山东省", "重庆市"]  # folded by province in 行政区划代码 order: 12, 37, 50
    towns = [a.get_text() for a in built.page("towns/").select("tbody th a")]
    assert towns == ["仁沙镇", "双江镇", "辛口镇", "兴隆镇", "中庄镇"]  # rén, shuāng, xīn, xīng, zhōng


def test_sitemap_feed_robots(built: Project) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "a": "http://www.w3.org/2005/Atom"}
    locs = [e.text for e in ET.parse(built.site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert "/chongqing/tongnan/shuangjiang/2023/" in locs and "/404.html" not in locs
    # every HTML page but the 404 and the search page (incl. /stats/, 5 county statistics pages and /sitemap/)
    assert len(locs) == len(set(locs)) == 33 and "/sitemap/" in locs
    feed = ET.parse(built.site / "feed.xml").getroot()
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 5
    assert entries[0].find("a:title", ns).text == "中共丰都县仁沙镇委员会 丰都县仁沙镇人民政府关于2024年法治政府建设情况的报告"
    assert entries[0].find("a:updated", ns).text == "2025-01-23T00:00:00+08:00"
    assert feed.find("a:updated", ns).text == "2025-01-23T00:00:00+08:00"
    assert "User-agent: *" in (built.site / "robots.txt").read_text()


def test_404_page_links_work_from_any_depth(built: Project) -> None:
    page = built.page("404.html")
    assert page.h1.get_text() == "页面未找到"
    assert all(a["href"].startswith("/") for a in page.find_all("a") if not a["href"].startswith("#"))
