"""The national division list down to 乡镇/街道 (site_builder/divisions.py, issues 21 and 25): its
data, the town names `new`, `check` and `import` test against it, `init --county` writing units.csv
from it, and the 区划代码 order of the site model. Every project is generated in a temporary folder."""

from __future__ import annotations

import csv
import io
import json
import lzma
from pathlib import Path

import pytest
from conftest import REPO, Project, copy_project, report_text

from site_builder import division_order, divisions
from site_builder.cli import main
from site_builder.stats.units import read_units


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_BUILDER_LANG", "zh")


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)
    return copy_project(tmp_path / "proj", with_content=False)


def test_the_list_holds_every_township_with_its_code() -> None:
    data = divisions.data()
    towns = [t for ts in data.towns.values() for t in ts]
    assert len(data.provinces) == 31 and sum(len(cs) for cs in data.counties.values()) == 2978
    assert len(towns) == 41352 and 38000 < sum(t.is_township for t in towns) < 39500
    (tongnan,) = divisions.counties_named("潼南区")
    assert (tongnan.code, tongnan.province, tongnan.city) == ("500152", "重庆市", "重庆市")
    names = [t.name for t in divisions.towns_of(tongnan)]
    assert names[:3] == ["桂林街道", "梓潼街道", "大佛街道"] and "双江镇" in names and len(names) == 23
    assert divisions.town_code("四川省", "泸县", "福集镇") == "510521100"
    assert len(divisions.counties_named("朝阳区")) == 2 and divisions.counties_named("吉林省长春市朝阳区")[0].code == "220104"
    assert divisions.counties_named("重庆潼南区") == (tongnan,)


def test_the_vendored_file_says_where_it_came_from() -> None:
    folder = REPO / "site_builder" / "data" / "divisions"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "国家统计局" in readme and "2023-06-30" in readme and "WTFPL" in readme and "refresh-divisions.py" in readme
    lines = lzma.decompress((folder / "divisions.csv.xz").read_bytes()).decode("utf-8").splitlines()
    assert lines == sorted(lines) and all(len(line.split(",")[0]) in (2, 4, 6, 9) for line in lines)
    assert (folder / "divisions.csv.xz").stat().st_size < 300_000


@pytest.mark.parametrize(("county", "town", "usual"), [
    ("泸县", "福集", "福集镇"),     # the suffix left out
    ("泸县", "福集乡", "福集镇"),   # the wrong suffix
    ("潼南区", "双红镇", "双江镇"),  # a slip of one character
    ("潼南区", "桂林街道办事处", ""),  # the list's long form of 桂林街道 is the same town
    ("潼南区", "双江镇", ""),
    ("潼南区", "区司法局", ""),     # a department is not a misspelt town
    ("不存在县", "福集", ""),       # a county the list does not hold: nothing to say
])
def test_the_town_a_name_most_likely_means(county: str, town: str, usual: str) -> None:
    province = "四川省" if county == "泸县" else "重庆市"
    assert divisions.town_suggestion(province, county, town) == usual


def test_new_refuses_a_town_the_list_knows_by_another_name(empty: Project, capsys: pytest.CaptureFixture[str],
                                                           chinese: None) -> None:
    refused = empty.run(capsys, "new", "--province", "重庆市", "--county", "潼南区", "--town", "双江", "--year", "2024")
    assert refused.code == 1 and "潼南区没有“双江”；是不是 双江镇？" in refused.err and "--new-town" in refused.err
    assert not list(empty.content.rglob("*.md"))
    assert empty.run(capsys, "new", "--province", "重庆市", "--county", "潼南区", "--town", "双江镇", "--year", "2024").code == 0
    written = (empty.content / "chongqing/tongnan/shuangjiang/2024.md").read_text(encoding="utf-8")
    assert 'division_code: "500152110"' in written  # the code from the list
    assert empty.run(capsys, "new", "--province", "重庆市", "--county", "潼南区", "--town", "双江", "--year", "2022",
                     "--new-town").code == 0
    assert empty.run(capsys, "new", "--province", "重庆市", "--county", "潼南区", "--town", "区司法局", "--year", "2024").code == 0


def test_check_names_the_listed_town_on_the_town_line(empty: Project, capsys: pytest.CaptureFixture[str], chinese: None) -> None:
    empty.write("content/cq/tn/sj/2023.md", report_text(town="双红镇"))
    empty.write("content/cq/tn/gl/2023.md", report_text(town="桂林街道"))
    result = empty.run(capsys, "check", "--format", "json")
    found = [p for p in json.loads(result.out) if p["field"] == "town"]
    assert len(found) == 1, found
    (problem,) = found
    assert problem["file"].endswith("sj/2023.md") and problem["line"] == 4 and problem["severity"] == "warning"
    assert problem["message"] == "潼南区没有“双红镇”；是不是 双江镇？" and problem["fixed"] == "town: 双江镇"
    assert "2023年统计用区划代码" in problem["hint"]


def test_import_names_the_listed_town(empty: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path, chinese: None) -> None:
    raw = tmp_path / "report.txt"
    raw.write_text("关于2023年法治政府建设情况的报告\n\n区委、区政府：\n\n2023年，我镇坚持依法行政。\n\n"
                   "一、主要举措\n\n全年开展法治培训3次。\n\n重庆市潼南区双红镇人民政府\n2024年1月10日\n", encoding="utf-8")
    result = main(["import", str(raw), "--town", "双红镇", "--county", "潼南区", "--province", "重庆市",
                   "--into", str(empty.content), "--allow-incomplete"])
    out = capsys.readouterr()
    assert result == 0 and "请核对：潼南区没有“双红镇”；是不是 双江镇？" in out.out and "--town 双江镇" in out.out


def test_init_county_writes_the_units_of_the_county(tmp_path: Path, capsys: pytest.CaptureFixture[str], chinese: None) -> None:
    assert main(["init", str(tmp_path / "site"), "--county", "重庆市潼南区", "--tool", "site-builder"]) == 0
    out = capsys.readouterr().out
    assert "潼南区的 23 个乡镇（街道）" in out and "起始年度均为 2019" in out
    data = (tmp_path / "site" / "units.csv").read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data  # as Excel writes it
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["省", "区县", "乡镇（街道）", "起始年度", "终止年度", "备注"]
    assert rows[1] == ["重庆市", "潼南区", "桂林街道", "2019", "", ""] and len(rows) == 24
    units, problems = read_units(tmp_path / "site" / "units.csv")
    assert problems == [] and units is not None and len(units.units) == 23
    assert [u.town for u in units.units] == [t.name for t in divisions.towns_of(divisions.counties_named("潼南区")[0])]


def test_init_county_asks_for_the_province_of_a_name_two_counties_share(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                        chinese: None) -> None:
    assert main(["init", str(tmp_path / "a"), "--county", "朝阳区", "--tool", "x"]) == 2
    err = capsys.readouterr().err
    assert "有 2 个区县名为“朝阳区”：北京市朝阳区、吉林省长春市朝阳区。" in err and "--province 北京市" in err
    assert not (tmp_path / "a").exists()
    assert main(["init", str(tmp_path / "a"), "--county", "潼南县", "--tool", "x"]) == 2
    assert "是不是 --county 潼南区？" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "a"), "--county", "朝阳区", "--province", "吉林省", "--tool", "x"]) == 0
    assert "吉林省,朝阳区,南湖街道" in (tmp_path / "a" / "units.csv").read_text(encoding="utf-8-sig")


def test_check_names_the_listed_town_of_a_units_csv_line(empty: Project, capsys: pytest.CaptureFixture[str], chinese: None) -> None:
    empty.write("content/cq/tn/sj/2023.md", report_text())
    empty.write("units.csv", "省,区县,乡镇（街道）,起始年度,终止年度,备注\n重庆市,潼南区,双江镇,2019,,\n重庆市,潼南区,梓潼,2019,,\n"
                             "重庆市,潼南区,旧县镇,2019,2021,2022年并入双江镇\n")
    problems = json.loads(empty.run(capsys, "check", "--format", "json").out)
    named = [p for p in problems if p["file"].endswith("units.csv")]
    assert [(p["line"], p["message"]) for p in named] == [(3, "第 3 行：潼南区没有“梓潼”；是不是 梓潼街道？")]


def test_places_are_in_division_code_order_where_the_code_is_known(empty: Project, capsys: pytest.CaptureFixture[str]) -> None:
    for province, county, town in [("重庆市", "潼南区", "双江镇"), ("重庆市", "潼南区", "桂林街道"), ("重庆市", "潼南区", "阿乡镇"),
                                   ("四川省", "泸县", "福集镇"), ("北京市", "东城区", "东华门街道"), ("重庆市", "渝北区", "龙溪街道"),
                                   ("重庆市", "新县区", "某镇")]:
        empty.write(f"content/{county}/{town}/2023.md", report_text(town=town, county=county, province=province))
    assert empty.run(capsys, "build").code in (0, 1)
    page = empty.page("regions/")
    assert [s.get_text() for s in page.select(".region-name")] == ["北京市", "重庆市", "四川省"]
    chongqing = page.select("details.region")[1]
    counties = [a.get_text() for a in chongqing.select("ul.tree > li > a")]
    assert counties == ["渝北区", "潼南区", "新县区"]  # 500112, 500152, then the county the list does not hold
    towns = [a.get_text() for a in chongqing.select("ul.tree > li")[1].select("li > ul > li > a:first-child")]
    assert towns == ["桂林街道", "双江镇", "阿乡镇"]  # 500152001, 500152110, then by pinyin
    year = [h.get_text() for h in empty.page("years/2023/").select("h2")]
    assert [name for name in year if name in ("北京市", "重庆市", "四川省")] == ["北京市", "重庆市", "四川省"]
    assert division_order.place_key("重庆市", "潼南区", "双江镇") < division_order.place_key("四川省", "泸县", "福集镇")
