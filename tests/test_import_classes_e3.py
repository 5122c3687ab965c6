"""The layout classes found in issue 27's batch E3 (departments — 公安, 教育, 卫健, 人社 —, development
zones, 街道 and 乡 of sites not studied before), each with a metamorphic test (the same report in
every layout those pages give it reads alike) and a "never wrong" test (take the fact away and the
field is left empty with its reason, never filled from elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_layouts import fields_of_lines as _fields
from import_layouts import reasons_of_lines as _reasons

BODY = ["一、主要举措和成效", "（一）加强组织领导。全年召开专题会议4次，研究解决重点问题6项。", "（二）深化普法宣传。开展普法活动18场次。",
        "二、存在的不足", "部分干部法治意识有待提高。", "三、下一步工作安排", "继续推进法治政府建设。"]




# --- a commission named by its short form (卫生健康委) is a department -----------------------------

COMMISSION_NAMES = ["珠海市卫生健康局", "珠海市卫生健康委", "珠海市卫生健康委员会"]


@pytest.mark.parametrize("name", COMMISSION_NAMES)
def test_a_commissions_report_reads_alike_whatever_form_of_its_name(name: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [f"{name}关于2024年度法治政府建设情况的报告",
                                "2024年，在市委、市政府正确领导下，坚持以习近平法治思想为指导。现将有关情况报告如下。", *BODY])
    assert (fields["unit"], fields["town"], fields["level"], fields["province"]) == (name, name, "部门", "广东省"), name
    assert "county" not in fields, name


@pytest.mark.parametrize("opening", ["2023年，厦门市卫生健康委坚持以习近平法治思想为指导，全面推进法治政府建设。",
                                     "2023年，厦门市卫生健康委在市委、市政府领导下，全面推进法治政府建设。"])
def test_a_commission_as_the_openings_subject_is_the_issuer(opening: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [opening, *BODY[:2], "委主要负责同志带头述法。", *BODY[2:]])
    assert (fields["unit"], fields["level"], fields["province"]) == ("厦门市卫生健康委", "部门", "福建省")


def test_without_its_name_a_provincial_commission_is_never_the_province(tmp_path: Path) -> None:
    lines = ["关于2023年度法治政府建设情况的报告", "在省委省政府的坚强领导下，省卫生健康委坚持依法行政。", *BODY[:2], "委党组研究法治建设。", *BODY[2:]]
    fields = _fields(tmp_path, lines)
    assert fields.get("level") in (None, "部门") and "province" not in fields and "unit" not in fields
    assert "province" in _reasons(tmp_path, lines)


# --- page labels: glued to their value, the next label on a value's line, the poster before the date

LABEL_LAYOUTS = {
    "colons": ["索引号：lcxqshrmzf/2026-00001", "发布机构：绿春县清水河乡人民政府", "发布日期：2026-01-28"],
    "glued between dashes": ["- 乡镇信息公开", "-", "索引号lcxqshrmzf/2026-00001", "-", "发布机构绿春县清水河乡人民政府", "-", "文号", "-",
                             "发布日期2026-01-28", "-", "时效性有效"],
}


@pytest.mark.parametrize("layout", sorted(LABEL_LAYOUTS))
def test_labels_glued_to_their_values_read_like_labels_with_colons(layout: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*LABEL_LAYOUTS[layout], "清水河乡2025年法治政府建设工作情况报告",
                                "2025年，清水河乡在县委、县政府的坚强领导下，全面推进法治政府建设。现将有关情况报告如下：", *BODY])
    assert (fields["unit"], fields["index_no"], fields["published"], fields["county"]) == \
        ("绿春县清水河乡人民政府", "lcxqshrmzf/2026-00001", "2026-01-28", "绿春县"), layout


def test_a_word_that_starts_like_a_label_is_not_read_as_one(tmp_path: Path) -> None:
    """`发布机构改革…`, `发布日期待定`: the value has not the field's shape, so no label stands."""
    lines = ["发布日期待定", "发布机构改革任务落实情况", "清水河乡2025年法治政府建设工作情况报告", "2025年，我乡全面推进法治政府建设。", *BODY]
    fields = _fields(tmp_path, lines)
    assert "published" not in fields and not fields.get("unit", "").startswith("发布机构")


BULLET_LABELS = {
    "one per line": ["索引号：4311250009/2025-00612", "发文机关：江永县教育局", "发文日期：2025-02-26",
                     "名称：中共江永县教育局党组2024年度法治政府建设年度报告", "文号："],
    "the next label on the value's line": ["- 索 引 号:4311250009/2025-00612 分 类:", "-", "发文机关:",
                                           "江永县教育局 发文日期:2025-02-26 10:12 - 名称:",
                                           "中共江永县教育局党组2024年度法治政府建设年度报告 - 文号:"],
}


@pytest.mark.parametrize("layout", sorted(BULLET_LABELS))
def test_a_value_followed_by_the_next_label_reads_like_one_label_per_line(layout: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*BULLET_LABELS[layout], "2024年，江永县教育局在县委、县政府的正确领导下，狠抓普法任务落实。现将有关情况报告如下：",
                                *BODY])
    assert (fields["title"], fields["signed"], fields["index_no"], fields["level"]) == \
        ("中共江永县教育局党组2024年度法治政府建设年度报告", "2025-02-26", "4311250009/2025-00612", "部门"), layout
    assert "doc_no" not in fields, layout  # 文号 left empty; the opening below is not its value


POSTED = {"the poster before the date": "辽源市教育局   2025-01-09 10:21:00   来源:政策法规科",
          "labels only": "发布时间：2025-01-09 10:21:00 来源：政策法规科"}


@pytest.mark.parametrize("layout", sorted(POSTED))
def test_the_posting_office_before_the_pages_date_reads_like_a_date_label(layout: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["辽源市教育局关于2024年度法治政府建设情况的报告", POSTED[layout],
                                "2024年，辽源市教育局坚持依法治教。现将有关情况报告如下：", *BODY])
    assert (fields["published"], fields["unit"], fields["province"]) == ("2025-01-09", "辽源市教育局", "吉林省"), layout


def test_an_office_and_a_date_without_a_label_are_not_the_pages_date(tmp_path: Path) -> None:
    lines = ["辽源市教育局关于2024年度法治政府建设情况的报告", "辽源市教育局 2025-01-09", "2024年，我局坚持依法治教。", *BODY]
    assert "published" not in _fields(tmp_path, lines)


# --- a department named only by its place's kind (市…局, 州…局, 高新区…局) ---------------------------

SHORT_TITLE = "市人力资源社会保障局2020年法治政府建设年度报告"
FULL_OPENING = "2020年度，天津市人力资源和社会保障局（以下称市人社局）以习近平法治思想为指导，稳步推进法治人社建设，现将相关情况报告如下。"


@pytest.mark.parametrize("title", [SHORT_TITLE, "天津市人力资源和社会保障局2020年法治政府建设年度报告", None])
def test_a_bureaus_full_name_reads_alike_from_the_title_or_the_opening(title: str | None, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*([title] if title else []), FULL_OPENING, *BODY])
    assert (fields["unit"], fields["town"], fields["province"], fields["level"]) == \
        ("天津市人力资源和社会保障局", "天津市人力资源和社会保障局", "天津市", "部门"), title


@pytest.mark.parametrize("title", [SHORT_TITLE, "【2023年】州生态环境局2023年度法治政府建设报告", "高新区社会事务局2022年法治政府建设年度报告"])
def test_a_department_named_by_its_places_kind_alone_is_never_the_issuer(title: str, tmp_path: Path) -> None:
    lines = [title, "2020年，我局深入学习贯彻习近平法治思想，推进依法行政。现将有关情况报告如下。", *BODY]
    fields = _fields(tmp_path, lines)
    assert "unit" not in fields and "town" not in fields and "province" not in fields, title
    assert fields["level"] == "部门", title
    assert "unit" in _reasons(tmp_path, lines)


def test_a_columns_year_tag_is_not_part_of_the_title(tmp_path: Path) -> None:
    plain = _fields(tmp_path, ["州生态环境局2023年度法治政府建设报告", "2023年，我局深入推进依法行政。", *BODY])
    tagged = _fields(tmp_path, ["【2023年】州生态环境局2023年度法治政府建设报告", "2023年，我局深入推进依法行政。", *BODY])
    assert tagged == plain and tagged["title"] == "州生态环境局2023年度法治政府建设报告"


# --- a city bureau's branch (某市公安局武江分局) is in its district ----------------------------------

@pytest.mark.parametrize("name", ["韶关市公安局武江分局", "韶关市武江区公安分局"])
def test_a_city_bureaus_branch_reads_like_the_districts_bureau(name: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [f"{name}关于2023年度法治政府建设情况的报告", "2023年，我分局在区委、区政府的坚强领导下推进法治公安建设。", *BODY])
    assert (fields["unit"], fields["county"], fields["province"], fields["level"]) == (name, "武江区", "广东省", "部门"), name


def test_a_branch_whose_name_is_no_district_gets_no_county(tmp_path: Path) -> None:
    lines = ["韶关市公安局交通警察分局关于2023年度法治政府建设情况的报告", "2023年，我分局深入推进法治公安建设。", *BODY]
    fields = _fields(tmp_path, lines)
    assert "county" not in fields and fields["province"] == "广东省"
    assert "county" in _reasons(tmp_path, lines)
