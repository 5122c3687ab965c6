"""The layout classes found in issue 27's batch D (sites of the central, southern and western
provinces, and their copies), each with a metamorphic test (the same report in every layout those
pages give it reads alike) and a "never wrong" test (take the fact away and the field is left empty
with its reason, never filled from elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_layouts import fields_of_lines as _fields
from import_layouts import reasons_of_lines as _reasons

BODY = ["一、主要举措和成效", "（一）加强组织领导。全年召开专题会议4次，研究解决重点问题6项。", "（二）深化普法宣传。开展普法活动18场次。",
        "二、存在的不足", "部分干部法治意识有待提高。", "三、下一步工作安排", "继续推进法治政府建设。"]




# --- the office that posted a place's own report is not its issuer ---------------------------------

DISTRICT_TITLE = "西塞山区2024年法治政府建设工作报告"
DISTRICT_OPENING = "2024年，西塞山区坚持以习近平法治思想为指导，深入推进法治政府建设。现将工作情况报告如下。"
POSTED_BY = {
    "no label": [],
    "发布机构 the district's 司法局": ["索 引 号: 000014350/2025-17702 发布日期: 2025-02-28 发布机构: 西塞山区司法局"],
    "发布机构 the district government's office": ["发布机构：西塞山区人民政府办公室", "发布日期：2025-02-28"],
    "来源 the 司法局": ["来源：西塞山区司法局 发布时间：2025-02-28"],
}


@pytest.mark.parametrize("layout", sorted(POSTED_BY))
def test_a_places_report_reads_alike_whichever_office_posted_it(layout: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*POSTED_BY[layout], DISTRICT_TITLE, DISTRICT_OPENING, *BODY])
    assert (fields["town"], fields["county"], fields["level"], fields["province"]) == ("西塞山区", "西塞山区", "县区", "湖北省"), layout
    assert "unit" not in fields, layout


def test_a_bureaus_own_report_keeps_its_bureau_as_the_issuer(tmp_path: Path) -> None:
    """The rule's other side: the title names the bureau, so 发布机构 is the report's issuer."""
    fields = _fields(tmp_path, ["发布机构：西塞山区司法局", "西塞山区司法局2024年法治政府建设工作报告",
                                "2024年，我局坚持以习近平法治思想为指导。现将工作情况报告如下。", *BODY])
    assert (fields["unit"], fields["level"]) == ("西塞山区司法局", "部门")


def test_without_the_places_title_the_posting_office_never_becomes_another_place(tmp_path: Path) -> None:
    lines = ["发布机构: 西塞山区司法局", "2024年，坚持以习近平法治思想为指导，深入推进法治政府建设。现将工作情况报告如下。", *BODY]
    fields = _fields(tmp_path, lines)
    assert fields.get("county") in (None, "西塞山区") and fields.get("level") in (None, "部门")


# --- a province or a prefecture as the first sentence's subject ------------------------------------

PROVINCE_OPENINGS = {
    "party committee and government": "2024年，青海省委、省政府坚持以习近平法治思想为指导，法治政府建设取得新成效。现将有关情况报告如下。",
    "this year, the name alone": "今年以来，青海省深入学习贯彻习近平法治思想，法治政府建设取得新成效。现将有关情况报告如下。",
    "after 在…领导下": "2024年，在党中央坚强领导下，青海省坚持依法行政，法治政府建设取得新成效。现将有关情况报告如下。",
}


@pytest.mark.parametrize("layout", sorted(PROVINCE_OPENINGS))
@pytest.mark.parametrize("header", [[], ["青海省司法厅", "首页 > 法治督察 > 工作动态"]])
def test_a_provinces_report_named_by_its_opening_reads_alike_under_any_sites_header(layout: str, header: list[str],
                                                                                    tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*header, PROVINCE_OPENINGS[layout], "一、2024年法治政府建设情况", *BODY[1:]])
    assert (fields["town"], fields["province"], fields["level"], fields["year"]) == ("青海省", "青海省", "省", "2024"), (layout, header)
    assert "unit" not in fields


def test_a_prefecture_as_the_subject_is_a_citys_report(tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["今年以来，阿克苏地区深入学习贯彻习近平法治思想，法治政府建设持续推进。", "一、2023年法治政府建设情况",
                                *BODY[1:]])
    assert (fields["town"], fields["province"], fields["level"], fields["year"]) == ("阿克苏地区", "新疆维吾尔自治区", "市", "2023")


@pytest.mark.parametrize("change", ["a department speaking", "no name"])
def test_without_the_provinces_name_or_voice_its_report_is_not_read(change: str, tmp_path: Path) -> None:
    opening = PROVINCE_OPENINGS["party committee and government"]
    if change == "no name":
        opening = opening.replace("青海省委", "省委")
    lines = [opening, *BODY[:2], "我厅党委研究部署法治政府建设。" if change == "a department speaking" else "全省推进依法行政。", *BODY[2:]]
    fields = _fields(tmp_path, lines)
    assert fields.get("level") != "省" and "town" not in fields and "province" not in fields, change
    assert "town" in _reasons(tmp_path, lines)


# --- a town as the first sentence's subject (no 我镇, named once) ----------------------------------

TOWN_OPENINGS = {
    "after the year": "2024年，永宁镇始终坚持以习近平法治思想为指导，扎实推进法治政府建设。现将具体工作情况报告如下：",
    "after 在…领导下": "2024年，在县委、县政府的坚强领导下，永宁镇始终坚持依法行政。现将具体工作情况报告如下：",
    "after 在…引领下, 坚定": "2024年，在县委、县政府的正确引领下，永宁镇坚定不移推进依法行政。现将具体工作情况汇报如下：",
}


@pytest.mark.parametrize("layout", sorted(TOWN_OPENINGS))
def test_a_town_as_the_first_sentences_subject_reads_alike(layout: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [TOWN_OPENINGS[layout], *BODY])
    assert (fields["town"], fields["level"], fields["year"]) == ("永宁镇", "镇", "2024"), layout
    assert "county" not in fields  # 永宁县 is a county elsewhere; 县委 names none


@pytest.mark.parametrize("change", ["the report speaks as a county", "two towns in the opening", "the town in passing"])
def test_a_town_the_opening_only_mentions_is_never_the_reports(change: str, tmp_path: Path) -> None:
    opening = {
        "the report speaks as a county": "2024年，永宁镇始终坚持依法行政，我县在全市考核中位列第一。现将有关情况报告如下：",
        "two towns in the opening": "2024年，永宁镇始终坚持依法行政，与红寺堡镇共建法治长廊。现将有关情况报告如下：",
        "the town in passing": "2024年，我们在永宁镇召开现场会，推进依法行政。现将有关情况报告如下：",
    }[change]
    fields = _fields(tmp_path, [opening, *BODY])
    assert fields.get("town") != "永宁镇" and "county" not in fields, change


# --- a county's own report speaking as 全县, named only in its own plans ---------------------------

COUNTY_LAYOUTS = {
    "its own plan": "2022年，在市委、市政府和县委的坚强领导下，全县法治政府建设稳步推进，制定下发了《临泽县法治政府建设实施方案(2021—2025年)》。",
    "法治临泽": "2022年，在市委、市政府和县委的坚强领导下，全县以法治临泽建设为目标推进依法行政。",
    "现将县人民政府…": "现将县人民政府2022年法治政府建设工作情况报告如下。2022年，县人民政府制定了《临泽县人民政府常务会会前学法制度》。",
}


@pytest.mark.parametrize("layout", sorted(COUNTY_LAYOUTS))
def test_a_county_named_only_in_its_own_plans_reads_alike(layout: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [COUNTY_LAYOUTS[layout], *BODY])
    assert (fields["town"], fields["county"], fields["province"], fields["level"]) == ("临泽县", "临泽县", "甘肃省", "县区"), layout


@pytest.mark.parametrize("change", ["a town speaking", "two counties", "no county named"])
def test_a_county_is_never_read_from_plans_a_town_or_two_counties_name(change: str, tmp_path: Path) -> None:
    opening = COUNTY_LAYOUTS["its own plan"]
    opening = {"a town speaking": opening.replace("全县", "全镇"),
               "two counties": opening + "学习借鉴《高台县法治政府建设实施方案》。",
               "no county named": opening.replace("《临泽县", "《县")}[change]
    fields = _fields(tmp_path, [opening, *BODY])
    assert fields.get("county") in (None,) and fields.get("level") != "县区", change


# --- titles, dates and years --------------------------------------------------------------------

def test_a_party_committee_over_the_governments_title_line_is_one_title(tmp_path: Path) -> None:
    title = "中共重庆市万州区白鹭镇委员会 重庆市万州区白鹭镇人民政府关于2025年法治政府建设情况的报告"
    for lines in (["中共重庆市万州区白鹭镇委员会", "重庆市万州区白鹭镇人民政府关于2025年法治政府建设情况的报告"], [title]):
        fields = _fields(tmp_path, [*lines, "区委、区政府：", "现将白鹭镇2025年法治政府建设情况报告如下：", *BODY])
        assert fields["title"] == title and fields["unit"] == "中共重庆市万州区白鹭镇委员会、重庆市万州区白鹭镇人民政府", lines


def test_a_site_header_over_a_governments_title_is_not_joined_to_it(tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["重庆市万州区人民政府", "重庆市万州区白鹭镇人民政府关于2025年法治政府建设情况的报告",
                                "现将白鹭镇2025年法治政府建设情况报告如下：", *BODY])
    assert fields["title"] == "重庆市万州区白鹭镇人民政府关于2025年法治政府建设情况的报告"


@pytest.mark.parametrize("line", ["发布时间:2023-08-14 浏览:126 来源:网络整理", "时间:2023-04-03 作者:佚名 阅读:"])
def test_a_copying_sites_date_is_never_the_reports(line: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["广西壮族自治区2022年法治政府建设年度报告", line, "2022年，自治区党委、政府坚持依法行政。", *BODY])
    assert "published" not in fields and fields["year"] == "2022"
    assert _fields(tmp_path, ["广西壮族自治区2022年法治政府建设年度报告", "发布时间:2023-04-03 来源:自治区司法厅",
                              "2022年，自治区党委、政府坚持依法行政。", *BODY])["published"] == "2023-04-03"


def test_this_years_opening_gives_no_year_from_the_earlier_years_it_names(tmp_path: Path) -> None:
    opening = "今年以来，湘江桥街道严格依法行政。2022年，湘江桥司法所获评先进集体，现将有关情况报告如下："
    assert "year" not in _fields(tmp_path, [opening, *BODY])
    assert _fields(tmp_path, [opening, "一、2023年法治政府建设情况", *BODY[1:]])["year"] == "2023"


def test_a_bare_county_government_is_named_by_the_rules_it_made(tmp_path: Path) -> None:
    lines = [COUNTY_LAYOUTS["现将县人民政府…"], *BODY]
    assert _fields(tmp_path, lines)["unit"] == "临泽县人民政府"
    borrowed = [lines[0] + "学习了《高台县人民政府工作规则》，制定了《高台县人民政府重大行政决策程序规定》。", *BODY]
    fields = _fields(tmp_path, borrowed)
    assert "unit" not in fields and fields.get("county") in (None, "临泽县")  # two counties' rules: no issuer
    assert "unit" in _reasons(tmp_path, borrowed)


# --- a censored copy: 法治 deleted, an HTML line break left as text, a bullet before the title ------

CENSORED_OPENING = "2020年，省政府加快落实各项任务，扎实推进依法行政。现将有关情况报告如下："


@pytest.mark.parametrize("title", ["海南省人民政府关于2020年度政府建设情况的报告", "海南省人民政府br关于2020年度政府建设情况的报告",
                                   "• 海南省人民政府<br>关于2020年度政府建设情况的报告", "•   海南省人民政府nbsp关于2020年度政府建设情况的报告"])
def test_a_censored_copys_title_reads_alike_with_its_mirror_residue(title: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["• 当前所在位置:首页 - 海南资讯", title, CENSORED_OPENING, *BODY])
    assert fields["title"] == "海南省人民政府关于2020年度政府建设情况的报告", title
    assert (fields["unit"], fields["province"], fields["level"]) == ("海南省人民政府", "海南省", "省")


@pytest.mark.parametrize("line", ["海南省数字政府建设工作报告", "海南省人民政府关于政府建设情况的报告", "brbr 2020年度工作情况"])
def test_a_government_building_line_without_the_censored_year_phrase_is_no_title(line: str, tmp_path: Path) -> None:
    lines = [line, CENSORED_OPENING, *BODY]
    fields = _fields(tmp_path, lines)
    assert "title" not in fields and "unit" not in fields, line
    assert "title" in _reasons(tmp_path, lines)
