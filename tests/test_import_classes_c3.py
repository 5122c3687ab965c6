"""The layout classes batch C3 of issue 27 taught the importer (fixtures c3-01…c3-30), each with a
metamorphic test (the same report in each layout reads alike) and a "never wrong" test (take the
fact away and the field is left empty, never filled from elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_layouts import fields_of_lines as _fields
from import_layouts import imported_fields
from import_layouts import reasons_of_lines as _reasons

BODY = ["一、主要举措和成效", "（一）加强组织领导。全年召开专题会议4次，研究解决重点问题6项。", "（二）深化普法宣传。开展普法活动18场次。",
        "二、存在的不足", "部分干部法治意识有待提高。"]




TOWN = ["柳林镇2025年法治政府建设报告", "2025年，柳林镇坚持以习近平法治思想为指导，我镇法治建设取得新进展。现将有关情况汇报如下：", *BODY]


# --- a label printed without a value ------------------------------------------------------------

@pytest.mark.parametrize("labels", [["- 文 号:桂委〔2025〕38号", "- 时效:有效"], ["| 文号: | 桂委〔2025〕38号 | 效力状态: | 有效 |"],
                                    ["文号:", "桂委〔2025〕38号", "信息格式/语种 中文"]])
def test_a_document_number_reads_alike_in_every_label_layout(labels: list[str], tmp_path: Path) -> None:
    assert _fields(tmp_path, [*labels, *TOWN])["doc_no"] == "桂委〔2025〕38号"


@pytest.mark.parametrize("labels", [["- 文 号:无", "- 效力状态:有效"], ["文号:", "时效:"], ["文 号 信息格式/语种"], ["文号: 暂无"]])
def test_a_label_without_a_value_gives_no_document_number(labels: list[str], tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*labels, *TOWN])
    assert "doc_no" not in fields and fields["town"] == "柳林镇"


# --- a department's name above a title that names a place: the site's name ---------------------

PROVINCE = ["黑龙江省2021年法治政府建设情况报告", "发布日期:2022-03-25  来源:黑龙江省司法厅",
            "2021年，黑龙江省坚持以习近平法治思想为指导，全省法治政府建设取得新成效。现将有关工作情况报告如下。", *BODY]


@pytest.mark.parametrize("header", [[], ["黑龙江省司法厅"], ["黑龙江省司法厅", "当前位置:首页 > 法治政府建设 > 年度报告"]])
def test_a_provinces_report_reads_alike_on_its_departments_site(header: list[str], tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*header, *PROVINCE])
    assert (fields["town"], fields["level"], fields["province"]) == ("黑龙江省", "省", "黑龙江省")
    assert "unit" not in fields


def test_a_department_above_a_title_without_a_place_is_still_its_issuer(tmp_path: Path) -> None:
    """Only a title naming a place makes the department's name the site's: over a title naming
    nothing, the name stands as the issuer (the department-report layouts)."""
    lines = ["丰县司法局", "2023年度法治政府建设工作报告", "2023年，我局坚持依法行政。现将有关情况报告如下：", *BODY]
    fields = _fields(tmp_path, lines)
    assert (fields.get("unit"), fields.get("level")) == ("丰县司法局", "部门")
    without = _fields(tmp_path, ["黑龙江省司法厅", *PROVINCE[:1], *PROVINCE[2:]])
    assert "unit" not in without and without["level"] == "省"
    assert "unit" in _reasons(tmp_path, ["黑龙江省司法厅", *PROVINCE])


# --- a mirror's word before the 发布机构 name ----------------------------------------------------

@pytest.mark.parametrize("label", ["发布机构:溪东镇人民政府", "发布机构:澳门皇冠:溪东镇人民政府", "发布机构：某某娱乐：溪东镇人民政府"])
def test_the_issuer_label_reads_alike_with_a_mirrors_word_before_it(label: str, tmp_path: Path) -> None:
    lines = ["索 引 号:QZ07925-0101-2025-00014", label, "溪东镇2024年法治政府建设年度报告", TOWN[1].replace("柳林镇", "溪东镇"), *BODY]
    assert (_fields(tmp_path, lines)["unit"], _fields(tmp_path, lines)["town"]) == ("溪东镇人民政府", "溪东镇")


@pytest.mark.parametrize("label", ["发布机构:澳门皇冠", "发布机构:澳门皇冠:溪东镇"])
def test_a_label_with_no_organisation_after_the_word_gives_no_issuer(label: str, tmp_path: Path) -> None:
    lines = [label, "溪东镇2024年法治政府建设年度报告", TOWN[1].replace("柳林镇", "溪东镇"), *BODY]
    fields = _fields(tmp_path, lines)
    assert "unit" not in fields and fields["town"] == "溪东镇"


# --- 某镇政府 as the opening's subject; 现将某乡… after a full stop ---------------------------------

@pytest.mark.parametrize("subject", ["柳园镇政府", "柳园镇人民政府"])
def test_a_town_government_as_the_openings_subject_reads_alike_short_or_full(subject: str, tmp_path: Path) -> None:
    lines = [f"{subject}在区委、区政府领导下，严格落实武清区依法治区办的工作部署。现将柳园镇法治政府建设有关情况汇报如下：", *BODY]
    fields = _fields(tmp_path, lines)
    assert (fields["unit"], fields["town"], fields["county"], fields["level"]) == (subject, "柳园镇", "武清区", "镇")


def test_a_town_government_that_is_not_the_subject_is_not_the_unit(tmp_path: Path) -> None:
    lines = ["2022年，区司法局协助柳园镇政府开展普法，我镇全面推进依法行政。现将有关情况汇报如下：", *BODY]
    fields = _fields(tmp_path, lines)
    assert "unit" not in fields and fields.get("level") == "镇"


@pytest.mark.parametrize("lead", ["有序开展。现将", "有序开展，现将"])
def test_a_town_named_after_xianjiang_reads_alike_after_a_full_stop_or_a_comma(lead: str, tmp_path: Path) -> None:
    lines = [f"2024年，我乡在县委、县政府的正确领导下，扎实推进法治政府各项工作{lead}桔林乡2024年法治政府建设报告情况如下：", *BODY]
    assert (_fields(tmp_path, lines)["town"], _fields(tmp_path, lines)["level"]) == ("桔林乡", "乡")


def test_two_towns_after_xianjiang_name_none(tmp_path: Path) -> None:
    lines = ["2024年，我乡扎实推进法治政府各项工作。现将桔林乡、梅溪乡2024年法治政府建设报告情况如下：", *BODY]
    fields = _fields(tmp_path, lines)
    assert "town" not in fields and fields.get("level") == "乡"


# --- a department named in full and led by its superiors; the year from the first heading --------

@pytest.mark.parametrize("speaks", ["", "局党组全年专题学法6次。"])
def test_a_department_led_by_its_superiors_reads_alike_whether_it_says_wo_ju_or_not(speaks: str, tmp_path: Path) -> None:
    lines = ["今年以来，吉安市司法局在市委、市政府的正确领导和省司法厅的精心指导下，坚持以习近平法治思想为指导。" + speaks,
             "一、2022年工作开展情况", *BODY[1:]]
    fields = _fields(tmp_path, lines)
    assert (fields["unit"], fields["level"], fields["province"], fields["year"]) == ("吉安市司法局", "部门", "江西省", "2022")


@pytest.mark.parametrize("opening", [
    "今年以来，司法局在市委、市政府的正确领导下，坚持以习近平法治思想为指导。",  # no place: which bureau
    "今年以来，吉安市司法局在市委、市政府的正确领导下，在我镇开展普法，我镇全面推进依法行政。",  # a town's report
    "今年以来，吉安市司法局坚持指导各地开展法治政府建设。",  # not led, never speaks as it
])
def test_a_department_not_shown_as_the_reports_own_is_not_its_unit(opening: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [opening, "一、主要工作", *BODY[1:]])
    assert "unit" not in fields and fields.get("town") != "吉安市司法局" and "year" not in fields


# --- a county that names itself only as the issuer of its own plan ------------------------------

COUNTY = ["2022年，我县坚持以习近平法治思想为指导，不断推进法治政府建设。现将有关工作情况报告如下。", "一、主要举措",
          "（一）建立健全工作机制。我县制定了《宁都县法治政府建设实施方案(2022—2025年)》，分解重点任务。", *BODY[2:]]


@pytest.mark.parametrize("title", [[], ["宁都县2022年法治政府建设情况报告"]])
def test_a_county_reads_alike_from_its_title_or_from_its_own_plan(title: list[str], tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*title, *COUNTY])
    assert (fields["town"], fields["county"], fields["province"], fields["level"]) == ("宁都县", "宁都县", "江西省", "县区")


@pytest.mark.parametrize(("old", "new"), [("我县制定了《宁都县", "我县学习了《宁都县"),  # another's plan, studied
                                          ("》，分解", "》《石城县法治政府建设工作要点》，分解"),  # two counties: none
                                          ("我县坚持", "我镇坚持")])  # not a county's report
def test_a_plan_that_is_not_the_countys_own_names_no_county(old: str, new: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [line.replace(old, new) for line in COUNTY])
    assert "county" not in fields and "town" not in fields


# --- second part: a title broken after 关于 or after a cover page's issuer; 区政府 after 在…下 ---------

@pytest.mark.parametrize("title", [["四平市人民政府关于2023年度法治政府建设情况的报告"], ["四平市人民政府关于", "2023年度法治政府建设情况的报告"],
                                   ["四平市人民政府", "关于2023年度法治政府建设情况的报告"]])
def test_a_city_title_reads_alike_whole_or_broken_after_its_issuer_or_after_guanyu(title: list[str], tmp_path: Path) -> None:
    lines = [*title, "时间:2024-04-02 15:02 来源:", "2023年，市政府坚持以习近平法治思想为指导，各项工作取得扎实成效。", *BODY]
    fields = _fields(tmp_path, lines)
    assert (fields["title"], fields["unit"], fields["town"], fields["level"]) == \
        ("四平市人民政府关于2023年度法治政府建设情况的报告", "四平市人民政府", "四平市", "市")


@pytest.mark.parametrize("cover", [["2023年度奉贤区青溪新镇人民政府法治政府建设情况报告"], ["2023年度奉贤区青溪新镇人民政府", "法治政府建设情况报告"]])
def test_a_cover_pages_title_reads_alike_on_one_line_or_two(cover: list[str], tmp_path: Path) -> None:
    lines = ["索引号 发布机构 青溪新镇", "公开类别 主动公开 发布时间 2024-03-21", *cover,
             "2023年，青溪新镇坚持依法行政。现将青溪新镇2023年度法治政府建设工作报告如下：", *BODY]
    fields = _fields(tmp_path, lines)
    assert (fields["title"], fields["unit"], fields["county"], fields["published"]) == \
        ("2023年度奉贤区青溪新镇人民政府法治政府建设情况报告", "奉贤区青溪新镇人民政府", "奉贤区", "2024-03-21")
    assert "index_no" not in fields  # 索引号 followed by the next label: no value


@pytest.mark.parametrize("lines", [["四平市人民政府关于", "全市法治政府建设情况的报告"],  # no year below 关于: not rejoined as one
                                   ["2023年度", "法治政府建设情况报告"]])  # a year alone names no issuer
def test_a_line_above_a_title_that_names_no_issuer_gives_no_unit(lines: list[str], tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*lines, "2023年，坚持依法行政，各项工作取得扎实成效。", *BODY])
    assert "unit" not in fields


DISTRICT = ["常州市人民政府:", "2025年以来，在市委、市政府和区委的正确领导下，在区人大、区政协的监督支持下，区政府坚持以习近平法治思想为指导。",
            "一、主要举措", "修订《常州市钟楼区人民政府工作规则》，推动政府依法高效履职。", *BODY[3:]]


@pytest.mark.parametrize("opening", [DISTRICT[1], "2025年，区政府坚持以习近平法治思想为指导。"])
def test_a_district_government_as_the_subject_reads_alike_after_zai_clauses_or_not(opening: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [DISTRICT[0], opening, *DISTRICT[2:]])
    assert (fields["town"], fields["county"], fields["province"], fields["level"]) == ("钟楼区", "钟楼区", "江苏省", "县区")


def test_a_district_government_naming_two_districts_names_none(tmp_path: Path) -> None:
    lines = [*DISTRICT[:3], "修订《常州市钟楼区人民政府工作规则》，学习新北区的经验。", *DISTRICT[4:]]
    fields = _fields(tmp_path, lines)
    assert "county" not in fields and "town" not in fields


@pytest.mark.parametrize("again", ["以高水平法治服务吴中新实践，将法治建设纳入吴中经济社会发展规划。", "全区法治建设取得新成效。"])
def test_a_county_in_the_opening_reads_alike_whether_it_says_quan_qu_or_its_name_again(again: str, tmp_path: Path) -> None:
    lines = ["苏州市人民政府:", "2024年，吴中区始终坚持以习近平法治思想为指导，" + again, *BODY]
    fields = _fields(tmp_path, lines)
    assert (fields["town"], fields["county"], fields["level"]) == ("吴中区", "吴中区", "县区")


def test_a_county_in_the_opening_never_named_again_nor_spoken_as_is_not_read(tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["苏州市人民政府:", "2024年，吴中区始终坚持以习近平法治思想为指导，推进依法行政。", *BODY])
    assert "county" not in fields and "town" not in fields


# --- a saved page whose report is one paragraph, its title a paragraph right before it -----------

ONE_PARAGRAPH = ("2025年，虹梅镇坚持以习近平法治思想为指导，在区委、区政府的坚强领导下，持续深化法治建设。现将本年度法治建设工作情况报告如下："
                 " 一、主要措施和成效 （一）强化思想引领。全年集体学法8次。 （二）规范权力运行。全年对5项重大行政决策开展合法性审查。"
                 " 二、存在的不足 法治人才储备不足。")


def _page(tmp_path: Path, before: str) -> dict[str, str]:
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><div>{before}<p>{ONE_PARAGRAPH}</p></div></body></html>", encoding="utf-8")
    return imported_fields(path)


@pytest.mark.parametrize("tag", ["h1", "h2", "p", "div"])
def test_a_title_right_before_a_one_paragraph_report_reads_alike_in_any_tag(tag: str, tmp_path: Path) -> None:
    fields = _page(tmp_path, f"<{tag}>虹梅镇2025年法治建设工作情况报告</{tag}>")
    assert (fields["title"], fields["town"], fields["year"]) == ("虹梅镇2025年法治建设工作情况报告", "虹梅镇", "2025")


def test_a_title_like_link_away_from_the_report_is_not_its_title(tmp_path: Path) -> None:
    """A list of other reports before the report (a sidebar), then a line that is no title."""
    fields = _page(tmp_path, "<ul><li>梅陇镇2024年法治建设工作情况报告</li></ul><p>浏览次数:</p>")
    assert "title" not in fields and fields["town"] == "虹梅镇"
