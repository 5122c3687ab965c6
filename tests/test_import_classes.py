"""The failure classes of issue 27, each with a metamorphic test (the same report in every layout
pages give it reads alike) and a "never wrong" test (take the fact away and the field is left
empty with its reason, never filled from somewhere else)."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest
from import_layouts import FIXTURES, imported_fields
from import_layouts import fields_of_lines as _fields
from import_layouts import reasons_of_lines as _reasons

from site_builder.importer.output import import_one

BODY = ["一、主要举措和成效", "（一）加强组织领导。全年召开专题会议4次，研究解决重点问题6项。", "（二）深化普法宣传。开展普法活动18场次。",
        "二、存在的不足", "部分干部法治意识有待提高。", "三、下一步工作安排", "继续推进法治政府建设。"]




# --- a title over two or three lines, printed twice, or given as a file name ---------------------

OPENING = "2022年，桃源县坚持以习近平法治思想为指导，全面推进依法行政。现将有关情况报告如下："
TITLE_LAYOUTS = {
    "one line": ["桃源县人民政府关于2022年度法治政府建设情况的报告"],
    "issuer alone on the first line": ["桃源县人民政府", "关于2022年度法治政府建设情况的报告"],
    "three lines, broken inside a phrase": ["桃源县人民政府", "关于2022年度法治政府建设", "情况的报告"],
    "printed twice (page heading, then the document's)": ["桃源县人民政府2022年度法治政府建设情况报告", "发布时间：2023-03-01",
                                                           "桃源县人民政府", "关于2022年度法治政府建设情况的报告"],
    "a file name": ["附件：", "桃源县人民政府关于2022年度法治政府建设情况的报告.docx"],
}


@pytest.mark.parametrize("layout", sorted(TITLE_LAYOUTS))
def test_a_title_reads_alike_in_every_layout(layout: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*TITLE_LAYOUTS[layout], OPENING, *BODY])
    assert fields["title"] == "桃源县人民政府关于2022年度法治政府建设情况的报告", layout
    assert (fields["unit"], fields["town"], fields["level"], fields["year"]) == ("桃源县人民政府", "桃源县", "县区", "2022")


@pytest.mark.parametrize("layout", sorted(TITLE_LAYOUTS))
def test_without_its_title_lines_the_title_is_empty_with_the_reason(layout: str, tmp_path: Path) -> None:
    lines = [line for line in TITLE_LAYOUTS[layout] if "法治" not in line] + [OPENING, *BODY]
    assert "title" not in _fields(tmp_path, lines)
    assert "no line before the body names the report" in _reasons(tmp_path, lines)["title"]


def test_a_heading_with_the_pages_date_beside_it_gives_the_title_and_the_date(tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["桃源县人民政府2022年度法治政府建设情况报告 2023-03-01", OPENING, *BODY])
    assert (fields["title"], fields["published"]) == ("桃源县人民政府2022年度法治政府建设情况报告", "2023-03-01")
    assert "published" not in _fields(tmp_path, ["桃源县人民政府2022年度法治政府建设情况报告", OPENING, *BODY])


def test_a_news_headline_is_not_the_reports_title(tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["司法部发布2023年法治政府建设年度报告", "发布时间:2024-10-09 07:41:52 来源: sp20241009",
                                "中新网 3月28日电 据司法部网站消息，司法部发布2023年法治政府建设年度报告。具体报告如下：",
                                "部党组坚持把法治政府建设摆在突出位置。", *BODY])
    assert "title" not in fields and "published" not in fields  # the wire's headline and date, not the report's
    assert (fields["unit"], fields["level"]) == ("司法部", "部门")


# --- departments and offices named in the header, the location bar or the opening ---------------

DEPARTMENT_LAYOUTS = {
    "signature": ["2022年度法治政府建设工作报告", "2022年，我局坚持以习近平法治思想为指导。现将有关情况报告如下：", *BODY, "太湖县司法局",
                  "2023年2月8日"],
    "title": ["太湖县司法局2022年度法治政府建设工作报告", "2022年，我局坚持以习近平法治思想为指导。现将有关情况报告如下：", *BODY],
    "opening sentence": ["2022年度法治政府建设工作报告", "2022年，太湖县司法局坚持以习近平法治思想为指导，现将我局有关情况报告如下：",
                         *BODY],
    "site header and opening": ["太湖县人民政府 2023年3月1日 星期三", "2022年度法治政府建设工作报告",
                                "2022年，县司法局紧紧围绕县委、县政府中心工作，为我县发展提供法治保障。现将我局有关情况报告如下：", *BODY],
}


@pytest.mark.parametrize("layout", sorted(DEPARTMENT_LAYOUTS))
def test_a_departments_report_reads_alike_wherever_it_is_named(layout: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, DEPARTMENT_LAYOUTS[layout])
    assert (fields["town"], fields["level"], fields["county"], fields["province"]) == ("太湖县司法局", "部门", "太湖县", "安徽省"), layout


def test_a_county_governments_office_is_a_department_not_the_county(tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["太湖县人民政府办公室2022年度法治政府建设工作报告", OPENING.replace("桃源县", "县政府办公室"), *BODY,
                                "太湖县人民政府办公室", "2023年2月8日"])
    assert (fields["town"], fields["level"], fields["county"]) == ("太湖县人民政府办公室", "部门", "太湖县")


def test_a_department_no_text_places_is_left_unplaced(tmp_path: Path) -> None:
    """`县司法局` with no site header: which county's is not stated — never the county itself."""
    lines = ["2022年度法治政府建设工作报告", "2022年，县司法局紧紧围绕县委、县政府中心工作，为全县发展提供法治保障。现将我局有关情况报告如下：",
             *BODY]
    fields = _fields(tmp_path, lines)
    assert fields.get("level") == "部门" and not {"town", "county", "unit", "province"} & set(fields)
    reasons = _reasons(tmp_path, lines)
    assert "town" in reasons and "county" in reasons and "unit" in reasons


def test_a_bureau_helping_a_town_is_not_the_towns_unit(tmp_path: Path) -> None:
    """A town's report on a county's site: 县司法局 in its opening and 事关全局 in its text are no reason."""
    lines = ["潼关县人民政府 2023年5月18日 星期四", "2022年度法治政府建设工作情况报告",
             "2022年，县司法局在我镇开展法治宣传，我镇把法治建设作为事关全局的工作。现将有关情况报告如下：", *BODY]
    fields = _fields(tmp_path, lines)
    assert "unit" not in fields and fields.get("level") == "镇"


def test_a_county_government_is_the_unit_of_its_own_report_never_of_a_towns(tmp_path: Path) -> None:
    own = ["2024年，在市委、市政府的正确领导下，息县人民政府坚持依法行政，全县法治政府建设取得新成效。", *BODY]
    assert (_fields(tmp_path, own)["unit"], _fields(tmp_path, own)["level"]) == ("息县人民政府", "县区")
    town = ["关于2024年度法治政府建设情况的报告", "2024年，息县人民政府在我镇召开全县依法行政现场会，我镇全面推进依法行政。", *BODY]
    fields = _fields(tmp_path, town)
    assert "unit" not in fields and fields.get("level") == "镇"


def test_an_organisation_the_report_does_not_speak_as_is_not_its_unit(tmp_path: Path) -> None:
    """The opening names 长治市司法局, but the report never speaks as it (我局, 局党组): not read."""
    fields = _fields(tmp_path, ["2022年度法治政府建设情况报告", "2022年，长治市司法局坚持指导各地开展法治政府建设。", *BODY])
    assert "unit" not in fields and "town" not in fields


# --- the level stated only by 我镇 / 我乡 / 本街道 / 我县 ----------------------------------------

@pytest.mark.parametrize(("word", "level"), [("我镇", "镇"), ("本镇", "镇"), ("我乡", "乡"), ("我街道", "街道"), ("本街道", "街道"),
                                            ("我县", "县区")])
def test_the_level_a_report_calls_itself_is_read_when_no_name_is_given(word: str, level: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["关于2022年度法治政府建设情况的报告", f"今年以来，{word}全面推进依法行政。现将有关情况报告如下：", *BODY])
    assert fields.get("level") == level and "town" not in fields and "county" not in fields


@pytest.mark.parametrize("words", [("我镇", "我县"), ("我乡", "本街道"), ("我委", "我镇"), ()])
def test_two_kinds_of_self_reference_or_none_give_no_level(words: tuple[str, ...], tmp_path: Path) -> None:
    said = "，".join(f"{word}全面推进依法行政" for word in words) or "全面推进依法行政"
    lines = ["关于2022年度法治政府建设情况的报告", f"今年以来，{said}。现将有关情况报告如下：", *BODY]
    assert "level" not in _fields(tmp_path, lines)
    assert "town" in _reasons(tmp_path, lines)


def test_a_masked_name_states_its_kind_of_place_and_two_kinds_state_none(tmp_path: Path) -> None:
    assert _fields(tmp_path, ["2020年，XX街道深入推进依法治街工作。", *BODY]).get("level") == "街道"
    assert "level" not in _fields(tmp_path, ["2020年，XX街道和XX镇共同推进依法治理工作。", *BODY])


def test_a_district_government_as_the_openings_subject_names_its_district_only_once_named(tmp_path: Path) -> None:
    lines = ["2022年，区政府坚持以习近平法治思想为指导，有力推动法治政府建设。现将有关情况报告如下：", "成立铜梁区法治宣讲团，开展宣讲80余场次。", *BODY]
    assert (_fields(tmp_path, lines)["town"], _fields(tmp_path, lines)["level"]) == ("铜梁区", "县区")
    two = [lines[0], "学习荣昌区、铜梁区的经验，开展宣讲80余场次。", *BODY]  # which district: not said
    assert not {"town", "county", "level"} & set(_fields(tmp_path, two))


UNNAMED_LEVELS = {
    "本街道": (["2021年，本街道全面推进依法行政。现将有关情况报告如下："], "街道"),
    "街道 as the subject": (["为加强法治政府建设，2021年来，街道按照全县实施方案的要求全力推进。", "街道建立科室疑难会商机制。"], "街道"),
    "我局": (["2024年，我局全面推进依法行政。现将有关情况报告如下："], "部门"),
    "an unnamed bureau as the subject, speaking as 局党委": (["2024年以来，教育局坚持以习近平法治思想为指引。", "局党委全年学法16次。"], "部门"),
    "现将<a department's short name><year>…报告": (["现将市人社局2024年法治政府建设情况报告予以公开。", "本报告包括四个部分。"], "部门"),
}


@pytest.mark.parametrize("layout", sorted(UNNAMED_LEVELS))
def test_an_unnamed_reports_level_reads_alike_however_it_speaks_of_itself(layout: str, tmp_path: Path) -> None:
    opening, level = UNNAMED_LEVELS[layout]
    fields = _fields(tmp_path, [*opening, *BODY])
    assert fields.get("level") == level and not {"town", "unit", "county", "province"} & set(fields), layout


@pytest.mark.parametrize("opening", [
    ["2021年，我镇和各街道按照全县实施方案的要求全力推进。", "街道建立科室疑难会商机制。"],  # two kinds: none
    ["2024年以来，教育局坚持以习近平法治思想为指引。", "全县学校聘请法治副校长84人。"],  # never speaks as the bureau
    ["现将有关情况报告如下：", "各街道按照全县实施方案的要求全力推进。"],  # 各街道: the ones it oversees
])
def test_a_level_the_report_does_not_state_of_itself_is_left_empty(opening: list[str], tmp_path: Path) -> None:
    assert "level" not in _fields(tmp_path, [*opening, *BODY])


@pytest.mark.parametrize("verb", ["坚持", "坚决", "主动", "奋力"])
def test_a_department_as_the_openings_subject_reads_alike_whatever_word_follows(verb: str, tmp_path: Path) -> None:
    lines = [f"2023年，萧山区交通运输局{verb}贯彻落实区委区政府部署，按照局党委部署推进法治政府建设。", *BODY]
    fields = _fields(tmp_path, lines)
    assert (fields["unit"], fields["county"], fields["level"]) == ("萧山区交通运输局", "萧山区", "部门"), verb
    alone = [lines[0].replace("按照局党委部署", ""), *BODY]  # never speaks as the bureau: not its unit
    assert "unit" not in _fields(tmp_path, alone)


OWN_DOCUMENT_LAYOUTS = {
    "区司法局 as the opening's subject": ["2024年，在区委、区政府的领导下，区司法局坚持以习近平法治思想为指导。",
                                          "印发《綦江区司法局贯彻落实法治政府建设指标体系任务分工方案》。"],
    "我局 and 局党组": ["2024年，我局坚持以习近平法治思想为指导。", "局党组审议并通过了《綦江区司法局参与法治政府建设示范创建实施方案》。"],
}


@pytest.mark.parametrize("layout", sorted(OWN_DOCUMENT_LAYOUTS))
def test_a_department_named_only_in_its_own_documents_title_reads_alike(layout: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*OWN_DOCUMENT_LAYOUTS[layout], *BODY])
    assert (fields["unit"], fields["town"], fields["county"], fields["level"]) == ("綦江区司法局", "綦江区司法局", "綦江区", "部门"), layout


@pytest.mark.parametrize("lines", [
    ["2024年，县政府坚持以习近平法治思想为指导。", "印发《綦江区司法局贯彻落实任务分工方案》。"],  # never speaks as the bureau
    ["2024年，区司法局坚持以习近平法治思想为指导。", "印发《綦江区教育局贯彻落实任务分工方案》。"],  # another function
    ["2024年，我局坚持以习近平法治思想为指导。", "印发《綦江区司法局贯彻落实方案》《璧山区司法局贯彻落实方案》。"],  # two
    ["2024年，我局坚持以习近平法治思想为指导。", "学习《綦江区司法局关于规范执法的通知》。"],  # read, not issued
])
def test_a_document_the_report_did_not_issue_as_itself_names_no_unit(lines: list[str], tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*lines, *BODY])
    assert not {"unit", "town", "county"} & set(fields)


TOWN_ISSUER_LAYOUTS = {
    "signed at the end": ["2023年，云岗街道坚持以习近平法治思想为指导。现将有关情况报告如下：", *BODY, "云岗街道办事处", "2024年1月10日"],
    "the opening's subject": ["2023年，在区委、区政府的正确领导下，云岗街道办事处坚持以习近平法治思想为指导。现将有关情况报告如下：", *BODY],
}


@pytest.mark.parametrize("layout", sorted(TOWN_ISSUER_LAYOUTS))
def test_a_towns_issuer_reads_alike_signed_or_as_the_openings_subject(layout: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, TOWN_ISSUER_LAYOUTS[layout])
    assert (fields["unit"], fields["town"], fields["level"]) == ("云岗街道办事处", "云岗街道", "街道"), layout


@pytest.mark.parametrize("lines", [
    ["2023年，云岗街道办事处和石门街道办事处坚持以习近平法治思想为指导。"],  # two: none
    ["石门街道2023年法治政府建设情况报告", "2023年，云岗街道办事处坚持指导石门街道推进依法行政。"],  # the title's town is another
    ["2023年，在云岗街道办事处的指导下，本社区全面推进依法治理。"],  # not the subject
])
def test_a_town_office_that_is_not_the_reports_subject_is_not_its_unit(lines: list[str], tmp_path: Path) -> None:
    assert "unit" not in _fields(tmp_path, [*lines, *BODY])


def test_a_province_inside_another_bodys_name_is_not_the_departments(tmp_path: Path) -> None:
    lines = ["2024年，省人社厅坚持以习近平法治思想为指导。", "我厅邀请湖南省博物馆研究馆员作专题辅导报告。", *BODY]
    fields = _fields(tmp_path, lines)
    assert fields.get("level") == "部门" and not {"town", "unit", "province"} & set(fields)
    named = [lines[0], "我厅落实湖南省人民政府的部署，邀请专家作专题辅导报告。", *BODY]
    assert (_fields(tmp_path, named)["town"], _fields(tmp_path, named)["province"]) == ("湖南省人社厅", "湖南省")


# --- the province or county through a prefecture-level city, a unique county or 法治内蒙古 --------

def test_a_county_named_with_its_city_gives_the_province_an_ambiguous_name_alone_does_not(tmp_path: Path) -> None:
    lines = ["兴庆坊街道办事处2024年度法治政府建设工作报告", "2024年，在西安市新城区委、区政府的坚强领导下，我街道扎实推进法治政府建设。", *BODY]
    assert _fields(tmp_path, lines)["province"] == "陕西省"  # 新城区 of 西安市
    alone = [lines[0], lines[1].replace("西安市", ""), *BODY]
    fields = _fields(tmp_path, alone)
    assert fields["county"] == "新城区" and "province" not in fields  # 西安 and 呼和浩特 both have one
    assert "gazetteer cannot place" in _reasons(tmp_path, alone)["province"]


def test_a_region_named_only_as_fazhi_neimenggu_is_its_province_and_only_then(tmp_path: Path) -> None:
    lines = ["2022年，我区坚持以习近平法治思想为指导。现将有关情况报告如下：",
             "自治区人民政府把学习贯彻习近平法治思想作为重大政治任务，编写法治内蒙古建设发展报告。", *BODY]
    fields = _fields(tmp_path, lines)
    assert (fields["level"], fields["province"], fields["town"]) == ("省", "内蒙古自治区", "内蒙古自治区")
    for changed in ([lines[0], lines[1].replace("法治内蒙古", "法治政府"), *BODY],  # no name: none
                    [lines[0], lines[1].replace("法治内蒙古", "法治内蒙古和法治新疆"), *BODY]):  # two: none chosen
        assert "province" not in _fields(tmp_path, changed)
    whole = ["2023年，全区各级人民政府坚持以习近平法治思想为指导。", lines[1], *BODY]  # 全区各级人民政府 speaks as the region too
    assert (_fields(tmp_path, whole)["level"], _fields(tmp_path, whole)["province"]) == ("省", "内蒙古自治区")
    district = ["2023年，全区坚持以习近平法治思想为指导。", lines[1], *BODY]  # a district's 全区: not the region's report
    assert "province" not in _fields(tmp_path, district) and _fields(tmp_path, district).get("level") != "省"


def test_a_provincial_department_gets_its_province_only_from_the_text(tmp_path: Path) -> None:
    lines = ["2021年，司法厅坚持以习近平法治思想为指导，为建设法治四川提供有力保障。", "厅党委会全年研究法治政府建设14次。", *BODY]
    assert _fields(tmp_path, lines)["town"] == "四川省司法厅"
    bare = [lines[0].replace("法治四川", "法治政府"), *lines[1:]]
    fields = _fields(tmp_path, bare)
    assert "town" not in fields and "unit" not in fields and "province" not in fields  # 司法厅 of which province: none


def test_a_county_named_only_as_fazhi_shangcheng_and_never_the_towns_own_stem(tmp_path: Path) -> None:
    lines = ["2023年，涌金街道落实“2023年法治上城建设工作要点”，我街道全面推进依法行政。", *BODY]
    fields = _fields(tmp_path, lines)
    assert (fields["town"], fields["county"], fields["province"]) == ("涌金街道", "上城区", "浙江省")
    own = ["2023年，龙泉镇推进法治龙泉建设，我镇全面推进依法行政。", *BODY]  # 龙泉市 exists: the town's stem is not its county
    assert _fields(tmp_path, own)["town"] == "龙泉镇" and "county" not in _fields(tmp_path, own)


def test_a_city_that_says_wo_shi_is_read_only_when_no_county_level_city_is_named(tmp_path: Path) -> None:
    lines = ["2018年，我市各级行政机关深入推进依法行政，为推动东莞高质量发展提供法治保障。", "紧扣《东莞市法治政府建设规划》的任务措施。", *BODY]
    assert (_fields(tmp_path, lines)["level"], _fields(tmp_path, lines)["town"]) == ("市", "东莞市")
    county_city = [lines[0].replace("东莞", "普宁"), "按照揭阳市委部署，紧扣《揭阳市法治政府建设规划》，普宁市扎实推进。", *BODY]
    fields = _fields(tmp_path, county_city)  # 普宁市 is a county-level city: its 我市 is not 揭阳市
    assert fields.get("town") != "揭阳市" and fields.get("level") != "市"


# --- mirror and aggregator copies ----------------------------------------------------------------

READINGS = {"设": "shè", "统": "tǒng", "关": "guān", "领": "lǐng", "务": "wù", "发": "fā", "内": "nèi"}
MIRRORED = ["t65-watermarks-in-text.txt", "t17-department-report.txt", "t16-county-own-report.txt", "t07-pipe-table-spaced-labels.txt",
            "t02-index-rows-without-colons.txt", "t37-autonomous-region.txt"]


TABLES = ("t07-pipe-table-spaced-labels.txt", "t02-index-rows-without-colons.txt")
"""Pages whose labels stand in a table: collapsed into one line, the rows can no longer be told apart."""


def _with_readings(text: str) -> str:
    return re.sub("[" + "".join(READINGS) + "]", lambda m: m.group() + f"({READINGS[m.group()]})", text)


def _collapsed(text: str) -> str:
    return " ".join(line for line in text.split("\n") if line.strip())


def _watermarked(text: str) -> str:
    lines = text.split("\n")
    middle = len(lines) // 2
    lines[middle] += "本文档由范文网www.fanwen-demo.com整理，仅供参考"
    return "\n".join([*lines[:middle + 1], "第1页 共2页", *lines[middle + 1:]])


BANNER = "文秘之家—全网资源每日更新www.wenmi-demo.com"


def _banner_watermarked(text: str) -> str:
    """A document site's banner before the text and inside a sentence, as a PDF copy prints it."""
    lines = text.split("\n")
    middle = len(lines) // 2
    lines[middle] = lines[middle][:len(lines[middle]) // 2] + BANNER + lines[middle][len(lines[middle]) // 2:]
    return BANNER + "\n".join(lines)


def _traditional(text: str) -> str:
    return str(opencc.OpenCC("s2t").convert(text))


MIRRORS = {"readings inserted": _with_readings, "line breaks collapsed": _collapsed, "watermarks": _watermarked,
           "a site's banner before and inside the text": _banner_watermarked,
           "traditional characters": _traditional, "traditional with readings": lambda t: _with_readings(_traditional(t))}


@pytest.mark.parametrize("mirror", sorted(MIRRORS))
@pytest.mark.parametrize("name", MIRRORED)
def test_a_mirrors_copy_reads_like_the_original(name: str, mirror: str, tmp_path: Path) -> None:
    want = imported_fields(FIXTURES / name)
    path = tmp_path / name
    path.write_text(MIRRORS[mirror]((FIXTURES / name).read_text(encoding="utf-8")), encoding="utf-8")
    got = imported_fields(path)
    simplify = opencc.OpenCC("t2s").convert
    if "title" in want and "title" in got:
        got["title"], want["title"] = simplify(got["title"]), simplify(want["title"])
    if mirror == "line breaks collapsed" and name in TABLES:  # a label table run into one line: fields may be lost, never wrong
        assert {key: value for key, value in got.items() if want.get(key) != value} == {}, mirror
    else:
        assert got == want, mirror


def test_readings_and_watermarks_are_taken_out_of_the_body_and_listed(tmp_path: Path) -> None:
    path = tmp_path / "copy.txt"
    path.write_text(_watermarked(_with_readings((FIXTURES / "t65-watermarks-in-text.txt").read_text(encoding="utf-8"))),
                    encoding="utf-8")
    outcome = import_one(path, tmp_path / "out", {}, dry_run=True)
    assert outcome.converted is not None
    body = outcome.converted.markdown_body
    assert "(shè)" not in body and "fanwen-demo" not in body and "第1页" not in body and "仅供参考" not in body
    assert "法治建设领导小组" in body and "2600余份" in body  # the report's own words stay
    kinds = {item.kind for item in outcome.converted.removed}
    assert {"reading", "watermark"} <= kinds


@pytest.mark.parametrize("mask", ["xx", "××", "某某", "*"])
def test_masked_names_are_never_read_as_places(mask: str, tmp_path: Path) -> None:
    lines = [f"{mask}镇2023年法治政府建设工作总结", f"2023年，{mask}镇在{mask}县委、县政府的领导下，我镇全面推进依法行政。现将有关情况报告如下：",
             *BODY, f"{mask}镇人民政府", "2024年1月10日"]
    fields = _fields(tmp_path, lines)
    assert not {"town", "county", "province", "unit"} & set(fields), fields
    assert fields["level"] == "镇" and fields["year"] == "2023"
