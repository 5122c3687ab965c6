"""Downloads of the summary tables: CSV (UTF-8 with BOM, so Excel shows Chinese), XLSX and JSON.
The JSON schema is documented in docs/stats-schema.md and shipped as data/stats.schema.json."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from typing import TYPE_CHECKING, Any

from site_builder.stats.parts import PARTS, PartMatch

if TYPE_CHECKING:
    from site_builder.models import Site
    from site_builder.stats.tables import SiteStats

TABLES = ("coverage", "parts", "timeliness", "figures")
TITLES = {"coverage": "公开情况", "parts": "结构完整性", "timeliness": "公开时效", "figures": "主要数据"}
SCHEMA_VERSION = 1


def rows(site: Site, stats: SiteStats, table: str) -> list[dict[str, Any]]:
    """One table as a list of flat records; the same records feed CSV, XLSX, JSON and the CLI."""
    base = site.config.base_url

    def place(report: Any) -> dict[str, Any]:
        m = report.meta
        return {"province": m.province, "county": m.county, "town": m.town, "year": m.year, "title": m.title,
                "url": base + report.path}

    if table == "coverage":
        out = []
        for block in stats.coverage:
            for row in block.rows:
                for year, cell in zip(stats.years, row.cells, strict=True):
                    out.append({"province": block.province, "county": block.county, "town": row.town, "year": year,
                                "expected": row.expected, "published": cell is not None,
                                "url": base + cell.path if cell else "", "published_on": _date(cell.meta.published) if cell else ""})
        return out
    if table == "parts":
        return [{**place(row.report), **{key: _part_text(row.parts[key]) for key, _, _ in PARTS},
                 "complete": row.complete} for row in stats.parts]
    if table == "timeliness":
        return [{**place(t.report), "published_on": _date(t.report.meta.published), "signed_on": _date(t.report.meta.signed),
                 "deadline": _date(t.deadline), "status": t.status, "days_late": t.days_late if t.days_late is not None else ""}
                for t in stats.timeliness]
    if table == "figures":
        out = []
        for report in site.reports:
            for key, figure in stats.report_figures[report.path].items():
                evidence = f"{base}{report.path}#{figure.evidence_id or figure.section}" if figure.sentence else ""
                out.append({**place(report), "metric": key, "label": figure.label, "value": figure.value,
                            "approx": figure.approx, "unit": figure.unit, "sentence": figure.sentence,
                            "evidence_url": evidence, "declared": not figure.sentence})
        return out
    raise ValueError(table)


def _part_text(match: PartMatch | None) -> str:
    return match.text if match else ""


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (=HYPERLINK(…) in an imported title) gets a
    leading apostrophe (OWASP, CSV injection); numbers stay numbers."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def to_csv(records: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    if records:
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({key: _inert(value) for key, value in record.items()} for record in records)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_json(site: Site, stats: SiteStats, tables: dict[str, list[dict[str, Any]]] | None = None) -> bytes:
    tables = tables or {table: rows(site, stats, table) for table in TABLES}
    document = {"schema": f"{site.config.base_url}data/stats.schema.json", "schema_version": SCHEMA_VERSION,
                "site": site.config.site_name, "years": list(stats.years), "registry": stats.registry,
                "deadline": stats.deadline, **tables}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def to_xlsx(site: Site, stats: SiteStats, tables: dict[str, list[dict[str, Any]]] | None = None) -> bytes:
    import xlsxwriter

    tables = tables or {table: rows(site, stats, table) for table in TABLES}
    buffer = io.BytesIO()
    # Text is written as text: never turned into a formula, a link or a number.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
    # A fixed creation date keeps the file byte-identical between builds.
    workbook.set_properties({"title": site.config.site_name, "created": dt.datetime(2000, 1, 1)})
    bold = workbook.add_format({"bold": True})
    for table in TABLES:
        sheet = workbook.add_worksheet(TITLES[table])
        records = tables[table]
        if not records:
            continue
        sheet.write_row(0, 0, list(records[0]), bold)
        for row, record in enumerate(records, 1):
            for column, value in enumerate(record.values()):
                _write_cell(sheet, row, column, value)
        sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def _write_cell(sheet: Any, row: int, column: int, value: object) -> None:
    """The typed writer at once (write_row works out each cell's type, and takes twice as long)."""
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value)
    elif value is None or value == "":
        return  # a blank cell without a format is not written at all (xlsxwriter ignores it)
    else:
        sheet.write_string(row, column, str(value))


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "site_builder summary tables",
    "type": "object",
    "required": ["schema_version", "years", "coverage", "parts", "timeliness", "figures"],
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "years": {"type": "array", "items": {"type": "integer"}},
        "registry": {"type": "boolean", "description": "expected units from a registry (true) or derived from content (false)"},
        "deadline": {"type": "string", "description": "MM-DD of year N+1 from which a report on year N is late"},
        "coverage": {"type": "array", "items": {"type": "object", "required": ["province", "county", "town", "year", "expected", "published"]}},
        "parts": {"type": "array", "items": {"type": "object", "required": ["url", "measures", "shortcomings", "leaders", "plans", "complete"]}},
        "timeliness": {"type": "array", "items": {"type": "object", "required": ["url", "deadline", "status"],
                       "properties": {"status": {"enum": ["on_time", "late", "unknown"]}}}},
        "figures": {"type": "array", "items": {"type": "object", "required": ["url", "metric", "value", "unit", "sentence", "evidence_url"]}},
    },
}


DOWNLOAD_PARTS = ("text", "xlsx")
"""downloads() in two parts that can be made at once: the CSV and JSON files, and the workbook."""


def downloads(site: Site, stats: SiteStats, part: str = "") -> dict[str, bytes]:
    """Site-relative path → file content (of one of DOWNLOAD_PARTS, or all)."""
    tables = {table: rows(site, stats, table) for table in TABLES}
    files: dict[str, bytes] = {}
    if part in ("", "text"):
        files.update({f"data/{table}.csv": to_csv(tables[table]) for table in TABLES})
        files["data/stats.json"] = to_json(site, stats, tables)
        files["data/stats.schema.json"] = json.dumps(SCHEMA, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    if part in ("", "xlsx"):
        files["data/stats.xlsx"] = to_xlsx(site, stats, tables)
    return files


def text_table(records: list[dict[str, object]]) -> str:
    """A plain aligned table for the terminal (CJK characters count double width)."""
    if not records:
        return "(none)"
    columns = [c for c in records[0] if c not in ("title", "url", "sentence", "evidence_url")]

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    def cell(value: object) -> str:
        return "✔" if value is True else "✘" if value is False else str(value)[:24]

    widths = {c: max(width(c), *(width(cell(r[c])) for r in records)) for c in columns}
    lines = ["  ".join(c + " " * (widths[c] - width(c)) for c in columns)]
    for record in records:
        lines.append("  ".join(cell(record[c]) + " " * (widths[c] - width(cell(record[c]))) for c in columns))
    return "\n".join(lines)
