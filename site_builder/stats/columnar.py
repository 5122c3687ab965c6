"""data/stats.json version 3: the tables of version 2 with their columns named once and each report's
place, title, URL, dates and parts once (docs/stats-schema.md). Made from the same records as the
CSVs, so the two cannot disagree; 1.5 KB a report instead of 3.45 at 5,000 reports."""

from __future__ import annotations

from typing import Any

from site_builder.stats.figures import METRICS
from site_builder.stats.parts import PARTS

PLACE = ("province", "county", "town", "year")
REPORT_COLUMNS = (*PLACE, "title", "url", "published_on", "signed_on", "deadline", "timeliness", "days_late",
                  *(key for key, _, _ in PARTS), "complete")
COVERAGE_COLUMNS = (*PLACE, "expected", "status", "report", "days_late", "note")
FIGURE_COLUMNS = ("report", "metric", "value", "approx", "sentence", "evidence", "declared")
TOTAL_COLUMNS = ("province", "county", "year", "metric", "value", "note")
METRIC_COLUMNS = ("metric", "label", "unit")
TABLE_COLUMNS = {"reports": REPORT_COLUMNS, "coverage": COVERAGE_COLUMNS, "figures": FIGURE_COLUMNS,
                 "county_totals": TOTAL_COLUMNS, "metrics": METRIC_COLUMNS}
"""Table → its columns, in order (the schema and the documentation are made from these)."""


def table(columns: tuple[str, ...], records: list[dict[str, Any]]) -> dict[str, Any]:
    """The shape pandas reads as `DataFrame(t["data"], columns=t["columns"])`."""
    return {"columns": list(columns), "data": [[record[key] for key in columns] for record in records]}


def columnar(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Version 2's records (exports.rows) → version 3's tables. The parts and timeliness rows are one
    per report in the same order: they become the reports table, which the others refer to by index."""
    reports = [{**part, **time, "timeliness": time["status"]}
               for part, time in zip(tables["parts"], tables["timeliness"], strict=True)]
    index = {record["url"]: number for number, record in enumerate(reports)}
    coverage = [{**row, "report": index[row["url"]] if row["url"] else None} for row in tables["coverage"]]
    figures = [{**row, "report": index[row["url"]], "evidence": row["evidence_url"].partition("#")[2]}
               for row in tables["figures"]]
    metrics = [{"metric": m.key, "label": m.label, "unit": m.unit} for m in METRICS]
    return {"reports": table(REPORT_COLUMNS, reports), "coverage": table(COVERAGE_COLUMNS, coverage),
            "figures": table(FIGURE_COLUMNS, figures), "county_totals": table(TOTAL_COLUMNS, tables["county_totals"]),
            "metrics": table(METRIC_COLUMNS, metrics)}


def records(table_of: dict[str, Any]) -> list[dict[str, Any]]:
    """A version 3 table back as one dict a row (what version 2 held), for programs and tests."""
    columns = table_of["columns"]
    return [dict(zip(columns, row, strict=True)) for row in table_of["data"]]
