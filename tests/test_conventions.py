"""政务公开 conventions on the built pages (issue 15): the 落款 set flush right, only known 公开信息
fields, a source shown only when a reader can use it, an HTML site map, lists that name the place
first, A–Z and jump links on long lists, a way back to the top, numbers kept with their units."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Project, report_text


@pytest.fixture
def built(project: Project, capsys: pytest.CaptureFixture[str]) -> Project:
    assert project.run(capsys, "build").code == 0
    return project


def test_the_closing_signature_is_marked_for_flush_right(built: Project) -> None:
    body = built.page("chongqing/fengdu/rensha/2024/").select_one(".report-body")
    signature = body.select("p.signature")
    assert [p.get_text("|", strip=True) for p in signature] == ["中共丰都县仁沙镇委员会|丰都县仁沙镇人民政府|2025年1月23日"]
    assert signature[0] is body.find_all("p")[-1]
    # A report that ends with an ordinary paragraph has no 落款 marked.
    assert not built.page("tianjin/xiqing/xinkou/2023/").select("p.signature")
    css = (built.site / "assets" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"p\.signature \{[^}]*text-align: right", css)


def test_only_known_disclosure_fields_are_shown_in_order(built: Project) -> None:
    rows = built.page("chongqing/fengdu/rensha/2024/").select("table.doc-meta th")
    assert [th.get_text() for th in rows] == ["年度", "发布机构", "成文日期", "主送"]  # no 索引号, 发布日期, 文号 known
    assert "—" not in built.page("chongqing/fengdu/rensha/2024/").select_one("table.doc-meta").get_text()


def test_a_source_is_shown_only_when_a_reader_can_use_it(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = "content/chongqing/tongnan/shuangjiang/2023.md"
    for source, shown in (("000_b24b1b9919cb2792.txt", None), ("报告.docx", None),
                          ("https://www.example.gov.cn/art/2024/3/28/art_1.html", "https://www.example.gov.cn/art/2024/3/28/art_1.html"),
                          ("《潼南区政府公报》2024年第3期", "《潼南区政府公报》2024年第3期"),
                          ("潼南区人民政府门户网站", "潼南区人民政府门户网站"), ("export_2024_03", None)):
        project.write(path, report_text(extra=f'source: "{source}"\n'))
        assert project.run(capsys, "build").code == 0
        found = project.page("chongqing/tongnan/shuangjiang/2023/").select_one("p.source")
        assert (found.get_text().removeprefix("来源：") if found else None) == shown


def test_an_html_site_map_beside_the_xml_one(built: Project) -> None:
    footer = built.page("").select_one("footer")
    assert footer.find("a", string="网站地图")["href"] == "/sitemap/"
    page = built.page("sitemap/")
    links = {a["href"] for a in page.select("main a")}
    assert {"/", "/regions/", "/years/", "/towns/", "/stats/", "/years/2023/", "/chongqing/", "/chongqing/tongnan/", "/sitemap.xml"} <= links
    assert (built.site / "sitemap.xml").is_file()


def test_lists_name_the_place_first(built: Project) -> None:
    latest = built.page("").select("ul.report-list li > a")
    assert [" ".join(a.get_text().split()) for a in latest][:2] == ["重庆市丰都县仁沙镇 2024年度", "天津市西青区辛口镇 2023年度"]
    year = built.page("years/2023/")
    named = sorted(link["aria-label"].split("：")[0] for link in year.select("td a[aria-label]"))
    assert named == ["双江镇2023年度", "辛口镇2023年度"]  # each report link is named by its place first
    script = (built.site / "assets" / "search.js").read_text(encoding="utf-8")
    assert 'doc.p + " " + doc.y + "年度"' in script  # search results: place and year as the link text


def test_long_lists_have_an_index_and_a_way_back_up(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/extra/2023.md", report_text(town="阿坝镇", county="汶川县", province="四川省"))
    assert project.run(capsys, "build").code == 0
    towns = project.page("towns/")
    letters = [a.get_text() for a in towns.select("ul.az-index a")]
    assert letters == sorted(letters) and "A" in letters and "S" in letters
    for a in towns.select("ul.az-index a"):
        assert towns.find(id=a["href"][1:]) is not None
    assert "阿坝镇" in towns.find(id="letter-A").find_parent("section").get_text()
    year = project.page("years/2023/")
    jumps = [a["href"] for a in year.select("ul.jump-links a")]
    assert jumps == ["#p-sichuan", "#p-tianjin", "#p-chongqing"] or len(jumps) == 3
    for page in ("years/2023/", "towns/", "regions/", "stats/", "chongqing/tongnan/shuangjiang/2023/"):
        assert project.page(page).select_one("p.to-top a")["href"] == "#top"
    assert project.page("").find(id="top") is not None


def test_numbers_and_dates_stay_whole_and_tables_scroll_in_their_box(built: Project) -> None:
    page = built.page("chongqing/fengdu/rensha/2024/")
    kept = [s.get_text() for s in page.select(".report-body n-u")]
    assert "306次" in kept and "100%" in kept and "2025年1月23日" in kept
    stats = built.page("stats/")
    for table in stats.select("main table"):
        box = table.parent
        assert "table-scroll" in box.get("class", []) and box["tabindex"] == "0" and box["role"] == "region"
    assert not page.select("title span")  # never inside <head>


def test_index_numbers_in_an_unusual_form_are_warned_about(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = "content/chongqing/tongnan/shuangjiang/2023.md"
    for number, warned in (("11500223MB1234567X/2024-00012", False), ("115002230/2024-000123", False),
                           ("1137032300422372XD/2023-None", True), ("第12号", True)):
        project.write(path, report_text(extra=f'index_no: "{number}"\n'))
        result = project.run(capsys, "check")
        assert bool(re.search(r"shuangjiang/2023\.md:\d+: warning \[index_no\]", result.out)) is warned, number
