"""Downloads of the summary tables, for a newsroom: CSV (UTF-8 with BOM, so Excel shows Chinese) and
XLSX with Chinese headers, 是/否, whole numbers as whole numbers and dates as dates; JSON with
stable English keys (docs/stats-schema.md, shipped as data/stats.schema.json). Links are absolute
when site_url is set, so they open from a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from typing import TYPE_CHECKING, Any

from site_builder.stats.columnar import columnar
from site_builder.stats.coverage import MISSING, MISSING_NOTE, NONE, OFF_LIST, STATUS_TEXT
from site_builder.stats.figures import METRICS
from site_builder.stats.naming import as_of
from site_builder.stats.parts import PARTS, PartMatch

if TYPE_CHECKING:
    from site_builder.models import Report, Site
    from site_builder.stats.tables import SiteStats

TABLES = ("coverage", "parts", "timeliness", "figures", "figures_wide", "county_totals")
TITLES = {"coverage": "公开情况", "parts": "结构完整性", "timeliness": "公开时效", "figures": "主要数据",
          "figures_wide": "主要数据（宽表）", "county_totals": "区县合计（推算）"}

HEADERS = {
    "province": "省", "county": "区县", "town": "乡镇（街道）", "year": "年度", "title": "报告标题", "url": "报告链接",
    "expected": "应公开", "status_text": "公开情况", "published_on": "发布日期", "signed_on": "成文日期",
    "deadline": "逾期起算日", "status": "状态代码", "days_late": "逾期天数", "note": "备注",
    **{key: label for key, label, _ in PARTS}, "complete": "必备部分齐全",
    "metric": "指标代码", "label": "指标", "value": "数值", "approx": "约数", "unit": "单位", "sentence": "原文句子",
    "evidence_url": "出处链接", "declared": "报告声明（非摘自正文）", "derived": "推算", "towns": "合计的乡镇（街道）数",
    **{m.key: f"{m.label}（{m.unit}）" for m in METRICS},
}
"""English key (JSON) → Chinese header (CSV, XLSX)."""
TIMELINESS_TEXT = {"on_time": "按时", "late": "逾期", "unknown": "发布日期不详"}


def link_base(site: Site) -> str:
    """Absolute with site_url (the link opens from Excel), else a path from the server root."""
    return f"{site.config.site_url}{site.config.base_url}"


def number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def rows(site: Site, stats: SiteStats, table: str) -> list[dict[str, Any]]:
    """One table as flat records with English keys and typed values (bool, date, int, None); the
    same records feed CSV, XLSX, JSON and the CLI."""
    base = link_base(site)
    if table == "coverage":
        return _coverage(stats, base)
    if table == "parts":
        return [{**_place(row.report, base), **{key: _part_text(row.parts[key]) for key, _, _ in PARTS},
                 "complete": row.complete} for row in stats.parts]
    if table == "timeliness":
        return [{**_place(t.report, base), "published_on": t.report.meta.published, "signed_on": t.report.meta.signed,
                 "deadline": t.deadline, "status": t.status, "status_text": TIMELINESS_TEXT[t.status],
                 "days_late": t.days_late} for t in stats.timeliness]
    if table == "figures":
        return _figures(stats, base)
    if table == "figures_wide":  # a report a row, an indicator a column (those the site has at all)
        present = {key for row in stats.parts for key in stats.report_figures[row.report.path]}
        return [{**_place(row.report, base), **{m.key: _value(stats, row.report, m.key) for m in METRICS if m.key in present}}
                for row in stats.parts]
    if table == "county_totals":
        return [{"province": b.province, "county": b.county, "year": p.year, "metric": t.metric.key, "label": t.metric.label,
                 "value": number(p.value), "unit": t.metric.unit, "derived": True, "note": p.note}
                for b in stats.coverage for t in stats.county_trends[b.stats_path] for p in t.points]
    raise ValueError(table)


def _place(report: Report, base: str) -> dict[str, Any]:
    m = report.meta
    return {"province": m.province, "county": m.county, "town": m.town, "year": m.year, "title": m.title,
            "url": base + report.path}


def _coverage(stats: SiteStats, base: str) -> list[dict[str, Any]]:
    """With a list: a row for each unit and year it must publish, and for each report the list
    does not ask for. Without one: a row for each report held, and `expected` unknown (None)."""
    out = []
    for block in stats.coverage:
        for row in block.rows:
            for cell in row.cells:
                if cell.status == NONE:
                    continue
                report, time = cell.report, cell.time
                out.append({"province": block.province, "county": block.county, "town": row.town, "year": cell.year,
                            "expected": cell.expected if stats.listed else None, "status": cell.status,
                            "status_text": STATUS_TEXT[cell.status] + (f"（{MISSING_NOTE}）" if cell.status == MISSING else ""),
                            "url": base + report.path if report else "", "published_on": report.meta.published if report else None,
                            "days_late": time.days_late if time and cell.status != OFF_LIST else None, "note": row.note})
    return out


def _figures(stats: SiteStats, base: str) -> list[dict[str, Any]]:
    out = []
    for row in stats.parts:
        report = row.report
        for key, figure in stats.report_figures[report.path].items():
            evidence = f"{base}{report.path}#{figure.evidence_id or figure.section}" if figure.sentence else ""
            out.append({**_place(report, base), "metric": key, "label": figure.label, "value": number(figure.value),
                        "approx": figure.approx, "unit": figure.unit, "sentence": figure.sentence,
                        "evidence_url": evidence, "declared": not figure.sentence})
    return out


def _value(stats: SiteStats, report: Report, key: str) -> int | float | None:
    figure = stats.report_figures[report.path].get(key)
    return number(figure.value) if figure else None


def _part_text(match: PartMatch | None) -> str:
    return match.text if match else ""


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
JSON_ONLY = ("status", "metric")
"""Codes for programs; a person reads the words beside them."""


def inert(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (=HYPERLINK(…) in an imported title) gets a
    leading apostrophe (OWASP, CSV injection); numbers stay numbers."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def for_people(value: Any, key: str = "") -> Any:
    """A cell as a spreadsheet should show it: 是/否, an unknown `expected` as 不详, no None."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "不详" if key == "expected" else ""
    return value


def to_csv(records: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    if records:
        keys = [key for key in records[0] if key not in JSON_ONLY]
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([HEADERS.get(key, key) for key in keys])
        writer.writerows([[_csv_cell(record[key], key) for key in keys] for record in records])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _csv_cell(value: Any, key: str) -> Any:
    """inert(for_people(value)), dates as ISO dates: plain text and numbers, nearly every cell of
    a 50,000-report download, are told apart by their exact type first (a minute of a build's CPU)."""
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(FORMULA_START) else value
    if kind is int or kind is float:
        return value
    value = inert(for_people(value, key))
    return value.isoformat() if isinstance(value, dt.date) else value


def _json_value(value: Any) -> Any:
    """What json.dumps cannot write itself: a date, as YYYY-MM-DD."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def to_json(site: Site, stats: SiteStats, tables: dict[str, list[dict[str, Any]]] | None = None) -> bytes:
    """data/stats.json in the version config.yaml asks for (`stats_json_version`, default 3)."""
    tables = tables or {table: rows(site, stats, table) for table in TABLES}
    date = as_of(site)
    version = site.config.stats_json_version
    body = columnar(tables) if version == 3 else tables
    document = {"schema": f"{link_base(site)}data/stats.schema.json", "schema_version": version,
                "site": site.config.site_name, "as_of": date.isoformat() if date else None, "years": list(stats.years),
                "units_list": stats.units.source if stats.units else None, "deadline": stats.deadline, **body}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=_json_value).encode("utf-8") + b"\n"


def text_table(records: list[dict[str, object]]) -> str:
    """A plain aligned table for the terminal (CJK characters count double width)."""
    if not records:
        return "(none)"
    columns = [c for c in records[0] if c not in ("title", "url", "sentence", "evidence_url", *JSON_ONLY)]

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    def cell(value: object, key: str) -> str:
        shown = for_people(value, key)
        return (shown.isoformat() if isinstance(shown, dt.date) else str(shown))[:24]

    headers = {c: HEADERS.get(c, c) for c in columns}
    widths = {c: max(width(headers[c]), *(width(cell(r[c], c)) for r in records)) for c in columns}
    lines = ["  ".join(headers[c] + " " * (widths[c] - width(headers[c])) for c in columns)]
    for record in records:
        lines.append("  ".join(cell(record[c], c) + " " * (widths[c] - width(cell(record[c], c))) for c in columns))
    return "\n".join(lines)
