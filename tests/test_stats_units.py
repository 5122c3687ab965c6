"""The list of units that must publish (units.csv) and what the statistics say with and without it:
a generated corpus (units that never publish, late ones, a merged unit, a report the list does not
ask for) checked against counts computed here independently; the newsroom downloads read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import zipfile
from pathlib import Path

import pytest
from conftest import Project, build_once, copy_project, report_text

from site_builder.stats.columnar import records as rows_of
from site_builder.stats.units import read_units

YEARS = range(2020, 2025)
# (province, county, town, from_year, to_year, note)
UNITS = [
    ("重庆市", "潼南区", "双江镇", 2020, None, ""),
    ("重庆市", "潼南区", "古溪镇", 2020, None, ""),
    ("重庆市", "潼南区", "米心镇", 2020, None, ""),
    ("重庆市", "潼南区", "旧县镇", 2020, 2021, "2022年并入双江镇"),
    ("山东省", "沂源县", "中庄镇", 2020, None, ""),
    ("山东省", "沂源县", "燕崖镇", 2020, None, ""),  # never publishes
    ("山东省", "沂源县", "南麻街道", 2022, None, "2022年设立"),
]
NEVER = {"燕崖镇"}
OFF_LIST = ("重庆市", "潼南区", "塘坝镇", 2022)


def generated_reports(seed: int = 7) -> dict[tuple[str, str, str, int], dt.date | None]:
    """(place, year) → publication date (None: undated) of each report of the corpus."""
    rng = random.Random(seed)
    reports: dict[tuple[str, str, str, int], dt.date | None] = {}
    for province, county, town, start, end, _ in UNITS:
        if town in NEVER:
            continue
        for year in YEARS:
            if year < start or (end is not None and year > end):
                continue
            choice = rng.choice(["on_time", "late", "late", "missing", "undated", "on_time"])
            if choice == "missing":
                continue
            day = {"on_time": dt.date(year + 1, 3, 1 + rng.randrange(28)), "late": dt.date(year + 1, 4, 1 + rng.randrange(29)),
                   "undated": None}[choice]
            reports[(province, county, town, year)] = day
    reports[OFF_LIST] = dt.date(2023, 2, 1)
    return reports


def write_corpus(project: Project, units_text: str | None, encoding: str = "utf-8") -> dict[tuple[str, str, str, int], dt.date | None]:
    import shutil

    shutil.rmtree(project.content)
    reports = generated_reports()
    for number, ((province, county, town, year), day) in enumerate(sorted(reports.items(), key=lambda kv: str(kv[0]))):
        extra = f"published: {day.isoformat()}\n" if day else ""
        body = report_text(town=town, county=county, province=province, year=year, extra=extra)
        project.write(f"content/r{number}.md", body + f"\n全年受理矛盾纠纷{10 + year - 2020}件。\n")
    if units_text is not None:
        (project.root / "units.csv").write_bytes(units_text.encode(encoding))
    return reports


def units_csv(chinese: bool = True) -> str:
    header = "省,区县,乡镇（街道）,起始年度,终止年度,备注" if chinese else "province,county,town,from_year,to_year,note"
    lines = [header] + [f"{p},{c},{t},{a},{'' if b is None else b},{n}" for p, c, t, a, b, n in UNITS]
    return "\r\n".join(lines) + "\r\n,,,,,\r\n"  # Excel's trailing empty row


def independent_counts(reports: dict[tuple[str, str, str, int], dt.date | None]) -> dict[int, dict[str, int]]:
    counts = {year: {"expected": 0, "published": 0, "missing": 0, "late": 0, "off_list": 0} for year in YEARS}
    listed = set()
    for province, county, town, start, end, _ in UNITS:
        for year in YEARS:
            if start <= year and (end is None or year <= end):
                listed.add((province, county, town, year))
                counts[year]["expected"] += 1
                key = (province, county, town, year)
                if key in reports:
                    counts[year]["published"] += 1
                    day = reports[key]
                    counts[year]["late"] += day is not None and day >= dt.date(year + 1, 4, 1)
                else:
                    counts[year]["missing"] += 1
    for key in reports:
        if key not in listed:
            counts[key[3]]["off_list"] += 1
    return counts


@pytest.fixture(scope="module")
def listed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict]:
    """Built once: the tests that take it only read it."""
    project = copy_project(tmp_path_factory.mktemp("listed") / "proj")
    reports = write_corpus(project, units_csv(), encoding="gb18030")  # as Excel saves it on a Chinese Windows
    result = build_once(project, "--site-url", "https://fzzf.example.gov.cn")
    assert result.code == 0, result.err
    assert "塘坝镇 is not in the list units.csv" in result.err  # the report the list does not ask for
    return project, reports


def test_counts_equal_an_independent_computation(listed_site: tuple[Project, dict]) -> None:
    project, reports = listed_site
    expected = independent_counts(reports)
    assert any(c["late"] for c in expected.values()) and any(c["missing"] for c in expected.values())
    page = project.page("stats/")
    table = page.select("#coverage ~ .table-scroll table")[0]
    headers = [th.get_text() for th in table.thead.find_all("th")]
    for tr in table.tbody.find_all("tr"):
        year = int(tr.th.get_text())
        cells = dict(zip(headers[1:], [td.get_text() for td in tr.find_all("td")], strict=True))
        want = expected[year]
        assert (int(cells["应公开"]), int(cells["已公开"]), int(cells["未公开"]), int(cells["逾期"]), int(cells["名录外"])) == \
            (want["expected"], want["published"], want["missing"], want["late"], want["off_list"]), year
        assert cells["公开比例"] == f"{want['published'] / want['expected']:.0%}"
    records = rows_of(json.loads((project.site / "data/stats.json").read_text(encoding="utf-8"))["coverage"])
    for year in YEARS:
        rows = [r for r in records if r["year"] == year]
        assert sum(r["status"] == "missing" for r in rows) == expected[year]["missing"]
        assert sum(r["expected"] for r in rows) == expected[year]["expected"]
    # The merged unit is expected only until 2021; the unit that never published is 未公开 each year.
    county = project.page("stats/chongqing/tongnan/")
    merged = next(tr for tr in county.select("table.coverage tbody tr") if tr.th.get_text().startswith("旧县镇"))
    assert "2022年并入双江镇" in merged.th.get_text()
    assert [td.get_text(strip=True) for td in merged.find_all("td")][2:] == ["—", "—", "—"]
    never = project.page("stats/shandong/yiyuan/")
    row = next(tr for tr in never.select("table.coverage tbody tr") if tr.th.get_text().startswith("燕崖镇"))
    assert [td.get_text(strip=True) for td in row.find_all("td")] == ["✘ 未公开（尚未在本站公开）"] * len(YEARS)


def test_every_missing_row_says_so_and_every_count_links_to_its_rows(listed_site: tuple[Project, dict]) -> None:
    from site_builder.linkcheck import check_site

    project, _ = listed_site
    for path in ("stats/chongqing/tongnan/", "stats/shandong/yiyuan/"):
        page = project.page(path)
        for missing in page.select(".missing"):
            if "未公开" in missing.get_text():
                assert "尚未在本站公开" in missing.parent.get_text()
    page = project.page("stats/")
    counts = [td for td in page.select("#coverage ~ .table-scroll table td") if td.get_text().isdigit() and td.get_text() != "0"]
    assert counts and all(td.a is not None for td in counts)
    assert check_site(project.site)[0] == []  # every count's link (with its #fragment) lands on an element
    missing_2024 = page.find(id="y2024-missing")
    assert missing_2024 is not None and "山东省沂源县" in missing_2024.get_text()


def test_the_seed_site_without_a_list_calls_no_unit_unpublished(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert not (project.root / "units.csv").exists()
    assert project.run(capsys, "build").code == 0
    for path in sorted(project.site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        texts = [zipfile.ZipFile(path).read(name) for name in zipfile.ZipFile(path).namelist()] if path.suffix == ".xlsx" else [data]
        for text in texts:
            for word in ("未公开", "应公开 5", "20%"):
                assert word.encode() not in text, (path, word)
    page = project.page("stats/")
    assert "不知道哪些单位应当公开" in page.select_one(".lead").get_text()
    assert "公开比例" not in page.select_one("#coverage ~ .table-scroll table").get_text()
    coverage = next((project.site / "data").glob("*-公开情况.csv")).read_bytes().decode("utf-8-sig")
    assert {r["应公开"] for r in csv.DictReader(io.StringIO(coverage))} == {"不详"}


def test_downloads_for_a_newsroom(listed_site: tuple[Project, dict]) -> None:
    import openpyxl

    project, reports = listed_site
    data = project.site / "data"
    names = sorted(p.name for p in data.iterdir())
    # Two provinces: the site's name, and the newest report date of the corpus.
    stem = f"法治政府建设年度报告公开-统计-{max(d for d in reports.values() if d).isoformat()}"
    assert f"{stem}-主要数据宽表.csv" in names and "stats.xlsx" in names
    assert f"{stem}.xlsx" not in names  # one workbook: the statistics page saves it under the dated name
    link = project.page("stats/").select_one('#downloads a[href$="data/stats.xlsx"]')
    assert link["download"] == f"{stem}.xlsx"
    figures = list(csv.DictReader(io.StringIO((data / f"{stem}-主要数据.csv").read_bytes().decode("utf-8-sig"))))
    assert figures and list(figures[0])[:4] == ["省", "区县", "乡镇（街道）", "年度"]
    assert all(r["报告链接"].startswith("https://fzzf.example.gov.cn/") for r in figures)
    assert {r["数值"] for r in figures} <= {str(n) for n in range(100)}  # 12, not 12.0
    assert {r["报告声明（非摘自正文）"] for r in figures} == {"否"}
    # 区划代码 order: 山东 (37) before 重庆 (50), whatever the pinyin says.
    assert [r["省"] for r in figures].index("重庆市") > [r["省"] for r in figures].index("山东省")
    book = openpyxl.load_workbook(data / "stats.xlsx")
    assert book.sheetnames[0] == "说明" and "推算" in " ".join(str(c.value) for c in book["说明"]["A"])
    sheet = book["主要数据"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert isinstance(row["数值"], int) and isinstance(row["年度"], int)
    assert row["报告链接"].startswith("https://") and sheet.cell(2, header.index("报告链接") + 1).hyperlink is not None
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.column_dimensions["A"].width >= 6
    timeliness = book["公开时效"]
    header = [c.value for c in timeliness[1]]
    dates = [r[header.index("发布日期")] for r in timeliness.iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(d, dt.datetime) for d in dates)
    wide = book["主要数据（宽表）"]
    assert "受理矛盾纠纷（件）" in [c.value for c in wide[1]]
    totals = list(csv.DictReader(io.StringIO((data / f"{stem}-区县合计.csv").read_bytes().decode("utf-8-sig"))))
    assert totals and {r["推算"] for r in totals} == {"是"}


def test_file_names_take_the_date_from_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    project = copy_project(tmp_path / "proj", with_content=False)
    project.write("content/a.md", report_text(year=2022, extra="published: 2023-03-15\n"))
    project.write("content/b.md", report_text(town="古溪镇", year=2023, extra="published: 2024-03-20\n"))
    assert project.run(capsys, "build").code == 0
    first = sorted(p.name for p in (project.site / "data").iterdir())
    assert "潼南区-法治政府建设年度报告统计-2024-03-20-公开时效.csv" in first
    assert project.page("stats/").select_one("p.downloads a")["download"] == "潼南区-法治政府建设年度报告统计-2024-03-20.xlsx"
    assert project.run(capsys, "build").code == 0  # the same content: the same files, byte for byte
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796601600")  # 2026-12-07 00:00 UTC
    assert project.run(capsys, "build").code == 0
    link = project.page("stats/").select_one("p.downloads a")
    assert link["href"] == "/data/stats.xlsx" and link["download"] == "潼南区-法治政府建设年度报告统计-2026-12-07.xlsx"
    assert (project.site / link["href"].lstrip("/")).is_file()


def test_trends_link_each_point_to_its_sentence(listed_site: tuple[Project, dict]) -> None:
    project, reports = listed_site
    page = project.page("chongqing/tongnan/shuangjiang/")
    trend = page.select_one("figure.trend")
    assert trend is not None and "受理矛盾纠纷" in trend.figcaption.get_text()
    years = sorted(year for (_, _, town, year) in reports if town == "双江镇")
    points = trend.select("li")
    assert [li.select_one(".bar-label").get_text() for li in points] == [f"{y}年度" for y in years]
    for li in points:
        href = li.select_one("a")["href"]
        path, anchor = href.split("#")
        target = project.page(path.lstrip("/")).find(id=anchor)
        assert target is not None and "受理矛盾纠纷" in target.get_text()
    county = project.page("stats/chongqing/tongnan/")
    assert all("推算" in f.figcaption.get_text() for f in county.select("#trends ~ figure.trend, section figure.trend"))
    assert county.select("section figure.trend")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("chinese", [True, False])
def test_units_csv_reads_as_excel_writes_it(tmp_path: Path, encoding: str, chinese: bool) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(units_csv(chinese).encode(encoding))
    units, problems = read_units(path)
    assert problems == [] and units is not None
    assert [(u.town, u.from_year, u.to_year) for u in units.units][3] == ("旧县镇", 2020, 2021)
    assert units.units[3].note == "2022年并入双江镇" and units.units[3].line == 5


def test_check_names_the_line_of_each_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    project = copy_project(tmp_path / "proj")
    project.write("units.csv", "省,区县,乡镇（街道）,起始年度,终止年度\n重庆市,潼南区,双江镇,2019,\n重庆市,潼南县,古溪镇,2019,\n"
                               "重庆市,潼南区,双江镇,2021,\n重庆市,潼南区,米心镇,二〇一九,\n")
    result = project.run(capsys, "check")
    assert result.code == 2
    assert "units.csv:3: warning [区县]" in result.out and "潼南县" in result.out  # not a county of 重庆市
    assert "units.csv:4: error" in result.out and "Line 4 and line 2 are the same unit" in result.out
    assert "units.csv:5: error [起始年度]" in result.out


def test_a_registry_without_years_expects_its_units_in_the_years_of_the_reports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    project = copy_project(tmp_path / "proj", with_content=False)
    project.write("content/a.md", report_text(year=2022))
    project.write("content/b.md", report_text(year=2023))
    config = project.root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "registry:\n  units:\n    重庆市:\n      潼南区: [双江镇, 古溪镇]\n",
                      encoding="utf-8")
    assert project.run(capsys, "build").code == 0
    records = json.loads((project.site / "data/stats.json").read_text(encoding="utf-8"))
    assert records["years"] == [2022, 2023] and records["units_list"] == "config.yaml › registry"
    assert sorted((r["town"], r["year"], r["status"]) for r in rows_of(records["coverage"])) == [
        ("双江镇", 2022, "published"), ("双江镇", 2023, "published"), ("古溪镇", 2022, "missing"), ("古溪镇", 2023, "missing")]
