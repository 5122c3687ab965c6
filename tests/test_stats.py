"""Summary tables on the seeds (expectations written by reading them), on a small registry, and
their downloads."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, Project, build_once, copy_project, report_text

from site_builder.document import Paragraph, parse_document
from site_builder.reader import read_report
from site_builder.stats.analysis import analyse
from site_builder.stats.columnar import records
from site_builder.stats.figures import extract_figures

CONTENT = REPO / "content"
SHUANGJIANG, ZHONGZHUANG, XINGLONG, RENSHA, XINKOU = (
    "chongqing/tongnan/shuangjiang/2023.md", "shandong/yiyuan/zhongzhuang/2022.md", "chongqing/yubei/xinglong/2021.md",
    "chongqing/fengdu/rensha/2024.md", "tianjin/xiqing/xinkou/2023.md")


def analysis_of(rel: str):
    source, _ = read_report(CONTENT / rel, rel)
    assert source is not None
    return analyse(parse_document(source.markdown), source.meta.year)


# Which required part each report's top-level headings give, by reading the seeds.
PARTS = {
    SHUANGJIANG: {"measures": "一、", "shortcomings": "二、", "leaders": None, "plans": "三、"},  # no separate leaders' part
    ZHONGZHUANG: {"measures": "一、", "shortcomings": "三、", "leaders": "二、", "plans": "四、"},
    XINGLONG: {"measures": "一、", "shortcomings": "三、", "leaders": "二、", "plans": "四、"},
    RENSHA: {"measures": "一、", "shortcomings": "三、", "leaders": "二、", "plans": "四、"},
    XINKOU: {"measures": "二、", "shortcomings": "三、", "leaders": "一、", "plans": "四、"},  # the leaders' duty first
}


@pytest.mark.parametrize("rel", sorted(PARTS))
def test_required_parts_match_the_seeds(rel: str) -> None:
    found = {m.part: m.text[:2] for m in analysis_of(rel).parts}
    expected = {part: number for part, number in PARTS[rel].items() if number}
    assert found == expected


# Checked by hand against the sentences in the seed files: (metric, value, approx, words of the sentence).
FIGURES = {
    RENSHA: [("disputes_screened", 306, "", "累计排查矛盾纠纷306次"), ("disputes_accepted", 338, "", "受理矛盾纠纷338件"),
             ("disputes_resolved", 338, "", "调处成功338件"), ("mediation_success_rate", 100, "", "调处成功率达100%"),
             ("publicity_events", 70, "余", "开展宣传活动70余场"), ("penalties", 30, "", "办理行政处罚案件30件")],
    SHUANGJIANG: [("reconsideration", 0, "", "2023年无行政复议案件"), ("legal_advisers", 6, "", "配备法律顾问6人"),
                  ("publicity_events", 24, "", "开展宣传教育活动24场次"), ("materials", 8000, "余", "发放各类资料8000余册"),
                  ("petitions", 86, "", "受理各种信访案件86件"), ("model_villages", 7, "", "7个市级民主法治示范村")],
    XINGLONG: [("disputes_screened", 253, "", "共排查、预防纠纷253次"), ("litigation", 0, "", "全年无行政应诉案件"),
               ("materials", 4000, "余", "发放普法宣传材料4000余份")],
    ZHONGZHUANG: [("disputes_resolved", 113, "", "成功调处矛盾纠纷113起"), ("mediation_success_rate", 96, "以上", "调解成功率达96%以上")],
    XINKOU: [("disputes_resolved", 151, "", "全年共化解矛盾纠纷151起"), ("litigation", 18, "", "办理行政诉讼案件18件"),
             ("publicity_events", 65, "", "开展各类宣传教育活动65场次"), ("materials", 6000, "余", "发放材料6000余份"),
             ("penalties", 29, "", "实施行政处罚29次"), ("penalty_amount", 469531, "", "金额46.9531万元")],
}


@pytest.mark.parametrize("rel", sorted(FIGURES))
def test_key_figures_and_their_sentences(rel: str) -> None:
    figures = {f.key: f for f in analysis_of(rel).figures}
    assert sorted(figures) == sorted(key for key, *_ in FIGURES[rel])  # nothing else taken
    for key, value, approx, words in FIGURES[rel]:
        figure = figures[key]
        assert (figure.value, figure.approx) == (value, approx), key
        assert words in figure.sentence, (key, figure.sentence)


def test_at_least_twenty_hand_checked_figures() -> None:
    assert sum(len(v) for v in FIGURES.values()) >= 20


def test_conflicting_values_leave_a_figure_blank() -> None:
    """兴隆镇 gives three different training counts (32, 20, 186 人次): none is taken."""
    assert "trained" in analysis_of(XINGLONG).rejected


@pytest.mark.parametrize("sentence", [
    "2023年全镇法治建设稳步推进。",                     # a year
    "联系电话13800138000，受理矛盾纠纷请拨打。",          # a phone number is not a count
    "落实《法治政府建设实施纲要（2021—2025年）》。",      # a year range
    "一是开展普法活动，二是发放宣传资料。",              # 一是 is not a figure
    "行政复议工作规范开展，复议决定均在法定期限内作出。",  # no number at all
    "调解员达100余人。",                                 # people, not disputes
])
def test_near_misses_are_not_figures(sentence: str) -> None:
    figures, _ = extract_figures([Paragraph(sentence, "", 0)])
    assert figures == []


@pytest.fixture(scope="module")
def registry_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Two counties, three towns, two years; one town missing, one report late, one undated. Built once:
    the tests that take it only read it."""
    project = copy_project(tmp_path_factory.mktemp("registry") / "proj", with_content=False)
    project.write("content/a.md", report_text(town="双江镇", year=2022, extra="published: 2023-03-15\nsigned: 2023-03-01\n"))
    project.write("content/b.md", report_text(town="双江镇", year=2023, extra="published: 2024-04-20\n"))
    project.write("content/c.md", report_text(town="古溪镇", year=2023, extra="metrics:\n  法律顾问: 4\n"))
    config = project.root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + """
registry:
  years: [2022, 2023]
  units:
    重庆市:
      潼南区: [双江镇, 古溪镇, 米心镇]
""", encoding="utf-8")
    result = build_once(project)
    assert result.code == 0, result.err
    return project


def test_coverage_with_a_registry(registry_site: Project) -> None:
    page = registry_site.page("stats/")
    county_link = next(a for a in page.select("main table a") if a.get_text() == "重庆市潼南区")
    assert county_link["href"] == "/stats/chongqing/tongnan/"
    county = registry_site.page("stats/chongqing/tongnan/")
    table = next(t for t in county.select("table.coverage") if "潼南区" in t.caption.get_text())
    assert "已公开 3" in county.select_one(".lead").get_text() and "未公开 3" in county.select_one(".lead").get_text()
    rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")}
    missing = "✘ 未公开（尚未在本站公开）"
    assert rows == {"古溪镇": [missing, "✔ 已公开"], "米心镇": [missing, missing], "双江镇": ["✔ 已公开", "✔ 已公开（逾期20 天）"]}  # strip=True joins the typeset number
    totals = {tr.th.get_text(): [td.get_text() for td in tr.find_all("td")] for tr in page.select("#coverage ~ .table-scroll table")[0].tbody.find_all("tr")}
    assert totals["2022"][:4] == ["3", "1", "2", "33%"] and totals["2023"][:4] == ["3", "2", "1", "67%"]


def test_timeliness_on_time_late_and_unknown(registry_site: Project) -> None:
    page = registry_site.page("stats/chongqing/tongnan/")
    rows = {tr.th.get_text(strip=True): tr.find_all("td")[-1].get_text() for tr in page.select("#timeliness ~ .table-scroll table tbody tr")}
    assert rows == {"双江镇 2022": "按时公开", "双江镇 2023": "逾期 20 天", "古溪镇 2023": "发布日期不详"}
    records = list(csv.DictReader(io.StringIO(next((registry_site.site / "data").glob("*-公开时效.csv")).read_bytes().decode("utf-8-sig"))))
    late = next(r for r in records if r["年度"] == "2023" and r["乡镇（街道）"] == "双江镇")
    assert (late["公开情况"], late["逾期天数"], late["逾期起算日"]) == ("逾期", "20", "2024-04-01")


def test_declared_metrics_override_and_show_on_town_page(registry_site: Project) -> None:
    page = registry_site.page("chongqing/tongnan/guxi/")
    cells = [td.get_text(" ", strip=True) for td in page.select("#figures ~ div table tbody td")]
    assert cells == ["4名 （报告声明）"]  # a number stays with its unit (issue 26)


def test_downloads_csv_xlsx_json(registry_site: Project) -> None:
    import jsonschema
    import openpyxl

    data = registry_site.site / "data"
    raw = next(data.glob("*-公开情况.csv")).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 6 and {r["乡镇（街道）"] for r in rows} == {"双江镇", "古溪镇", "米心镇"}
    assert sum(r["公开情况"] == "已公开" for r in rows) == 3
    book = openpyxl.load_workbook(data / "stats.xlsx")
    assert book.sheetnames == ["说明", "公开情况", "结构完整性", "公开时效", "主要数据", "主要数据（宽表）", "区县合计（推算）"]
    assert book["公开情况"].max_row == 7
    document = json.loads((data / "stats.json").read_text(encoding="utf-8"))
    schema = json.loads((data / "stats.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["schema_version"] == 3
    reports = records(document["reports"])
    assert sorted((r["town"], r["year"], r["timeliness"]) for r in reports) == \
        [("双江镇", 2022, "on_time"), ("双江镇", 2023, "late"), ("古溪镇", 2023, "unknown")]
    coverage = records(document["coverage"])
    assert len(coverage) == 6 and sum(r["status"] == "missing" for r in coverage) == 3
    assert all(reports[r["report"]]["town"] == r["town"] for r in coverage if r["report"] is not None)


def test_stats_json_version_2_still_written_on_request_with_the_same_content(
        registry_site: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`stats_json_version: 2` (a transition for programs not yet changed) writes the old layout, and
    version 3 holds the same facts: each v2 row comes back from v3's tables."""
    import jsonschema

    project = copy_project(tmp_path / "v2", with_content=False)
    shutil.copytree(registry_site.root / "content", project.root / "content", dirs_exist_ok=True)
    config = (registry_site.root / "config.yaml").read_text(encoding="utf-8")
    (project.root / "config.yaml").write_text(config + "stats_json_version: 2\n", encoding="utf-8")
    assert project.run(capsys, "build").code == 0
    old = json.loads((project.site / "data/stats.json").read_text(encoding="utf-8"))
    jsonschema.validate(old, json.loads((project.site / "data/stats.schema.json").read_text(encoding="utf-8")))
    new = json.loads((registry_site.site / "data/stats.json").read_text(encoding="utf-8"))
    assert old["schema_version"] == 2 and new["schema_version"] == 3
    reports = records(new["reports"])
    metrics = {m["metric"]: m for m in records(new["metrics"])}
    place = ("province", "county", "town", "year", "title", "url")
    assert old["parts"] == [{k: r[k] for k in old["parts"][0]} for r in reports]
    assert [{**row, "status_text": None} for row in old["timeliness"]] == \
        [{**{k: r[k] for k in place}, "published_on": r["published_on"], "signed_on": r["signed_on"], "deadline": r["deadline"],
          "status": r["timeliness"], "status_text": None, "days_late": r["days_late"]} for r in reports]
    assert old["figures"] == [{**{k: reports[f["report"]][k] for k in place}, "metric": f["metric"],
                               "label": metrics[f["metric"]]["label"], "value": f["value"], "approx": f["approx"],
                               "unit": metrics[f["metric"]]["unit"], "sentence": f["sentence"],
                               "evidence_url": f"{reports[f['report']]['url']}#{f['evidence']}" if f["evidence"] else "",
                               "declared": f["declared"]} for f in records(new["figures"])]
    assert [{k: v for k, v in row.items() if k not in ("status_text", "url", "published_on")} for row in old["coverage"]] == \
        [{k: v for k, v in row.items() if k != "report"} for row in records(new["coverage"])]
    assert [row["url"] for row in old["coverage"]] == \
        [reports[row["report"]]["url"] if row["report"] is not None else "" for row in records(new["coverage"])]


def test_seed_site_figures_link_to_highlighted_sentences(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run(capsys, "build").code == 0
    document = json.loads((project.site / "data/stats.json").read_text(encoding="utf-8"))
    figures, reports = records(document["figures"]), records(document["reports"])
    assert len(figures) == 23
    for figure in figures:
        path, anchor = reports[figure["report"]]["url"], figure["evidence"]
        page = project.page(path.lstrip("/"))
        marked = page.find(id=anchor)
        assert marked is not None and "evidence" in marked["class"], anchor
        assert marked.get_text() == figure["sentence"]


def test_charts_are_readable_text_bars_with_a_title(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run(capsys, "build").code == 0
    for path in ("stats/", "years/2023/"):  # a year with few towns gets one chart per figure
        page = project.page(path)
        charts = page.select("figure.chart-figure")
        assert charts
        for figure in charts:
            title = figure.find(id=figure["aria-labelledby"])
            assert title is not None and title.get_text().strip()
            items = figure.select("ul.chart li")
            assert items
            for item in items:  # label and value are text a reader sees, the bar is drawn to scale
                assert item.select_one(".bar-label").get_text().strip() and item.select_one(".bar-value").get_text().strip()
                width = float(item.select_one(".bar")["style"].split(":")[1].strip().rstrip("%"))
                assert 0 <= width <= 70


def test_stats_command(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    result = project.run(capsys, "stats", "--table", "parts")
    assert result.code == 0 and "结构完整性 (parts): 5 rows" in result.out
    assert project.run(capsys, "stats", "--format", "json").out.lstrip().startswith("{")
    csv_out = project.run(capsys, "stats", "--table", "figures", "--format", "csv").out
    assert csv_out.splitlines()[0].startswith("省,区县,乡镇（街道）,年度")


def test_pages_only_build_has_no_tables_and_no_dead_links(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    from site_builder.linkcheck import check_site

    assert project.run(capsys, "build", "--no-stats").code == 0
    assert not (project.site / "stats").exists() and not (project.site / "data").exists()
    assert "统计" not in [a.get_text() for a in project.page("").select("nav.site-nav a")]
    assert project.page("shandong/yiyuan/zhongzhuang/2022/").select_one("aside.figures") is None
    assert check_site(project.site)[0] == []
