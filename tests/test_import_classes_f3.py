"""The layout classes found in issue 27's batch F3 (municipalities, county departments, autonomous
counties named by their short form, metadata below the body, speeches to a standing committee),
each with a metamorphic test (the same report in every layout those pages give it reads alike) and
a "never wrong" test (take the fact away and the field is left empty with its reason, never filled
from elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_layouts import fields_of_lines as _fields
from import_layouts import reasons_of_lines as _reasons

BODY = ["一、主要举措和成效", "（一）加强组织领导。全年召开专题会议4次，研究解决重点问题6项。", "（二）深化普法宣传。开展普法活动18场次。",
        "二、存在的不足", "部分干部法治意识有待提高。", "三、下一步工作安排", "继续推进法治政府建设。"]




# --- an autonomous county by its short form (通道县 for 通道侗族自治县) ----------------------------

@pytest.mark.parametrize("name", ["通道县", "通道侗族自治县"])
def test_an_autonomous_countys_department_reads_alike_in_either_form_of_the_name(name: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [f"{name}司法局关于2024年度法治政府建设情况的报告", "县委、县人民政府：",
                                "2024年，在县委、县政府的坚强领导下，我局高效推进法治政府建设。现将工作情况报告如下：", *BODY,
                                f"{name}司法局", "2025年1月20日"])
    assert (fields["unit"], fields["county"], fields["province"], fields["level"]) == (f"{name}司法局", "通道侗族自治县", "湖南省", "部门")


@pytest.mark.parametrize("name", ["镇宁县", "镇宁布依族苗族自治县"])
def test_an_autonomous_countys_own_report_reads_alike_in_either_form(name: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [f"2024年，{name}坚持以习近平法治思想为指导，为全县经济社会发展提供法治保障。现将有关情况报告如下。", *BODY])
    assert (fields["town"], fields["county"], fields["province"], fields["level"]) == \
        ("镇宁布依族苗族自治县", "镇宁布依族苗族自治县", "贵州省", "县区")


@pytest.mark.parametrize("short", ["镇宁县", "通道县"])
def test_a_short_form_is_never_read_as_the_shorter_county_inside_it(short: str, tmp_path: Path) -> None:
    """宁县 (甘肃) sits inside 镇宁县 and 道县 (湖南) inside 通道县: never those."""
    fields = _fields(tmp_path, [f"2024年，{short}坚持依法行政，全县法治政府建设取得新成效。现将有关情况报告如下。", *BODY])
    assert fields.get("county") not in ("宁县", "道县") and fields.get("province") != "甘肃省"


def test_an_unknown_short_form_leaves_the_county_empty(tmp_path: Path) -> None:
    """雪宁县 is no county (no autonomous county of that stem): empty, with its reason."""
    lines = ["2024年，雪宁县坚持依法行政，全县法治政府建设取得新成效。现将有关情况报告如下。", *BODY]
    fields = _fields(tmp_path, lines)
    assert "county" not in fields and "province" not in fields
    assert "county" in _reasons(tmp_path, lines)


# --- page labels: an empty label does not take a line of another shape ------------------------------

GRID = ["| 索引号: | 4311220012/2026-00417 | 分类: | |", "| 发文机关: | 东安县应急管理局 | 发文日期: | |", "| 名称: | |||", "| 文号 : | |||"]
OPENING = "东安县应急管理局坚持以习近平法治思想为统揽，在县委县政府的坚强领导下依法履职。现将2025年法治政府建设情况报告如下："


@pytest.mark.parametrize("title", [["东安县应急管理局", "2025年法治政府建设报告"], ["东安县应急管理局2025年法治政府建设报告"]])
def test_a_title_under_an_empty_number_label_reads_alike_on_one_line_or_two(title: list[str], tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*GRID, *title, OPENING, *BODY])
    assert (fields["title"], fields["unit"], fields["county"], fields["index_no"]) == \
        ("东安县应急管理局2025年法治政府建设报告", "东安县应急管理局", "东安县", "4311220012/2026-00417")
    assert "doc_no" not in fields


@pytest.mark.parametrize("value", ["2025", "2025年"])
def test_a_bare_year_under_the_document_number_label_is_no_number(value: str, tmp_path: Path) -> None:
    lines = ["索引号", "文  号", value, "来 源", "雪岭镇", "公开日期", "2026-02-05", "雪岭镇人民政府2025年法治政府建设工作报告",
             "2025年，雪岭镇在市委、市政府的坚强领导下推进法治建设。现将本年度工作情况报告如下：", *BODY]
    fields = _fields(tmp_path, lines)
    assert "doc_no" not in fields and fields["published"] == "2026-02-05"


def test_a_real_number_under_the_same_label_is_read(tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["文  号", "雪政发〔2026〕3号", "雪岭镇人民政府2025年法治政府建设工作报告",
                                "2025年，雪岭镇推进法治建设。现将本年度工作情况报告如下：", *BODY])
    assert fields["doc_no"] == "雪政发〔2026〕3号"


# --- a county that makes itself the opening's subject and speaks as itself --------------------------

@pytest.mark.parametrize("speaks", ["坚持法治渝中、法治政府、法治社会一体建设。", "制发《渝中区2022年法治政府建设工作要点》。", "全区法治政府建设有序推进。"])
def test_a_county_speaking_as_itself_reads_alike_however_it_does(speaks: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["2022年，在市委、市政府的坚强领导下，渝中区深入学习贯彻习近平法治思想。" + speaks, *BODY,
                                "发布时间：2023-03-14 09:30", "来源：渝中区司法局"])
    assert (fields["town"], fields["county"], fields["province"], fields["level"], fields["published"]) == \
        ("渝中区", "渝中区", "重庆市", "县区", "2023-03-14")


def test_a_county_named_in_the_opening_that_never_speaks_as_itself_is_not_the_report(tmp_path: Path) -> None:
    """Without 全区, 法治渝中 or a plan of its own the district is only named: no place is filled."""
    lines = ["2022年，在市委、市政府的坚强领导下，渝中区深入学习贯彻习近平法治思想。", *BODY]
    fields = _fields(tmp_path, lines)
    assert "town" not in fields and "county" not in fields
    assert "town" in _reasons(tmp_path, lines)


@pytest.mark.parametrize("subject", ["县委、县政府", "县政府"])
def test_the_county_government_as_subject_reads_alike_with_or_without_its_party_committee(subject: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["中共红河州委、红河州人民政府:",
                                f"2025年,{subject}坚持以习近平新时代中国特色社会主义思想为指导,扎实推进法治政府建设,现将工作开展情况报告如下。",
                                *BODY[:2], "印发《屏边县领导干部应知应会党内法规和法律法规清单》等文件。", *BODY[2:]])
    assert (fields["town"], fields["county"], fields["province"]) == ("屏边苗族自治县", "屏边苗族自治县", "云南省")


def test_a_town_led_by_the_county_is_never_the_county(tmp_path: Path) -> None:
    fields = _fields(tmp_path, ["2025年,在县委、县政府的坚强领导下,我镇扎实推进法治政府建设,现将工作开展情况报告如下。",
                                *BODY[:2], "贯彻《屏边县领导干部应知应会党内法规和法律法规清单》。", *BODY[2:]])
    assert fields.get("level") != "县区" and fields.get("town") != "屏边苗族自治县"


# --- a department presenting itself (现将某局2024年…报告如下) --------------------------------------

@pytest.mark.parametrize("opening", [
    "根据市委依法治市办通知要求，现将江门市农业农村局2024年法治政府建设情况报告如下：",
    "2024年，江门市农业农村局坚持以习近平法治思想为指导，推进农业农村法治建设。",
])
def test_a_department_presenting_itself_reads_like_one_that_opens_as_subject(opening: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [opening, "2024年，我局把农业农村法治建设放在全局中谋划推进。", *BODY])
    assert (fields["unit"], fields["town"], fields["province"], fields["level"]) == ("江门市农业农村局", "江门市农业农村局", "广东省", "部门")


def test_a_department_presented_by_its_kind_only_is_never_the_unit(tmp_path: Path) -> None:
    lines = ["根据县委依法治县办通知要求，现将县农业农村局2024年法治政府建设情况报告如下：", "2024年，我局推进农业法治建设。", *BODY]
    fields = _fields(tmp_path, lines)
    assert "unit" not in fields and fields.get("level") == "部门"
    assert "unit" in _reasons(tmp_path, lines)


# --- a title issued by a department named by its kind only (县司法局…报告) -------------------------

@pytest.mark.parametrize("title", ["县司法局2023年度法治政府建设工作报告", "县司法局关于2023年度法治政府建设工作情况的报告"])
def test_a_kind_only_department_in_the_title_is_a_departments_report(title: str, tmp_path: Path) -> None:
    lines = [title, "2023年以来，县司法局在县委、县政府的坚强领导下，全面贯彻落实决策部署。", *BODY]
    fields = _fields(tmp_path, lines)
    assert fields["level"] == "部门" and "unit" not in fields and "town" not in fields and "county" not in fields
    assert "county" in _reasons(tmp_path, lines)


# --- the year of a speech to the standing committee (2024年5月28日 is the day it was given) ---------

SPEECH = ["重庆市人民政府关于法治政府建设情况的报告", "（2024年5月28日在市六届人大常委会第九次会议上）", "市人大常委会：",
          "按照工作安排，现就法治政府建设情况报告如下。"]


@pytest.mark.parametrize("lead", ["2023年，在市委坚强领导下，全市各级行政机关深学笃用习近平法治思想。",
                                  "2023年度，在市委坚强领导下，全市各级行政机关深学笃用习近平法治思想。"])
def test_a_speechs_year_is_the_one_under_its_first_heading(lead: str, tmp_path: Path) -> None:
    fields = _fields(tmp_path, [*SPEECH, "一、主要工作举措及成效", lead, *BODY[1:]])
    assert (fields["year"], fields["level"], fields["province"]) == ("2023", "省", "重庆市")


def test_a_speech_without_a_years_lead_has_no_year(tmp_path: Path) -> None:
    """The occasion's date (2024年5月28日) is never the report's year."""
    lines = [*SPEECH, "一、主要工作举措及成效", "在市委坚强领导下，全市各级行政机关深学笃用习近平法治思想。", *BODY[1:]]
    fields = _fields(tmp_path, lines)
    assert "year" not in fields
    assert "year" in _reasons(tmp_path, lines)
