"""The JSON download's schema (data/stats.schema.json; described in docs/stats-schema.md)."""

from __future__ import annotations

from typing import Any

from site_builder.stats.columnar import TABLE_COLUMNS
from site_builder.stats.figures import METRICS

_PLACE = ["province", "county", "town", "year", "title", "url"]
_DATE = {"type": ["string", "null"], "format": "date"}

SCHEMA_V2: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "site_builder summary tables",
    "type": "object",
    "required": ["schema_version", "years", "units_list", "coverage", "parts", "timeliness", "figures", "figures_wide",
                 "county_totals"],
    "properties": {
        "schema_version": {"const": 2},
        "as_of": {**_DATE, "description": "the date the tables describe: SOURCE_DATE_EPOCH, else the newest report date"},
        "years": {"type": "array", "items": {"type": "integer"}},
        "units_list": {"type": ["string", "null"],
                       "description": "where the list of units that must publish came from; null: not known, so no row is `missing`"},
        "deadline": {"type": "string", "description": "MM-DD of year N+1 from which a report on year N is late"},
        "coverage": {"type": "array", "items": {"type": "object", "required": ["province", "county", "town", "year", "expected", "status"],
                     "properties": {"expected": {"type": ["boolean", "null"]},
                                    "status": {"enum": ["published", "missing", "off_list"]},
                                    "published_on": _DATE, "days_late": {"type": ["integer", "null"]}}}},
        "parts": {"type": "array", "items": {"type": "object", "required": [*_PLACE, "measures", "shortcomings", "leaders", "plans", "complete"]}},
        "timeliness": {"type": "array", "items": {"type": "object", "required": [*_PLACE, "deadline", "status"],
                       "properties": {"status": {"enum": ["on_time", "late", "unknown"]}, "published_on": _DATE,
                                      "signed_on": _DATE, "deadline": {"type": "string", "format": "date"},
                                      "days_late": {"type": ["integer", "null"]}}}},
        "figures": {"type": "array", "items": {"type": "object", "required": [*_PLACE, "metric", "value", "unit", "sentence", "evidence_url"],
                    "properties": {"metric": {"enum": [m.key for m in METRICS]}, "value": {"type": "number"}}}},
        "figures_wide": {"type": "array", "items": {"type": "object", "required": _PLACE}},
        "county_totals": {"type": "array", "items": {"type": "object",
                          "required": ["province", "county", "year", "metric", "value", "unit", "derived"]}},
    },
}

_TEXT = {"type": "string"}
_INT_OR_NULL = {"type": ["integer", "null"]}
_METRIC = {"enum": [m.key for m in METRICS]}
_CELLS: dict[str, dict[str, Any]] = {
    "province": _TEXT, "county": _TEXT, "town": _TEXT, "year": {"type": "integer"}, "title": _TEXT, "url": _TEXT,
    "published_on": _DATE, "signed_on": _DATE, "deadline": {"type": "string", "format": "date"},
    "timeliness": {"enum": ["on_time", "late", "unknown"]}, "days_late": _INT_OR_NULL, "complete": {"type": "boolean"},
    "expected": {"type": ["boolean", "null"]}, "status": {"enum": ["published", "missing", "off_list"]},
    "report": {**_INT_OR_NULL, "description": "the row of `reports` (from 0); null: no report"}, "note": _TEXT,
    "metric": _METRIC, "value": {"type": "number"}, "approx": {"enum": ["", "余", "多", "以上"]}, "sentence": _TEXT,
    "evidence": {**_TEXT, "description": "the anchor of the sentence on the report's page (its url + #); \"\" when declared"},
    "declared": {"type": "boolean"}, "label": _TEXT, "unit": _TEXT,
}
"""A cell's type by column name (the part columns, `measures` …, are text)."""


def _table(columns: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "object", "required": ["columns", "data"], "additionalProperties": False,
            "properties": {"columns": {"const": list(columns)},
                           "data": {"type": "array", "items": {"type": "array", "minItems": len(columns), "maxItems": len(columns),
                                                               "prefixItems": [_CELLS.get(c, _TEXT) for c in columns]}}}}


SCHEMA_V3: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "site_builder summary tables, version 3: each table is {columns, data}, a row per list",
    "type": "object",
    "required": ["schema_version", "years", "units_list", "deadline", *TABLE_COLUMNS],
    "properties": {
        "schema_version": {"const": 3},
        "as_of": SCHEMA_V2["properties"]["as_of"], "years": SCHEMA_V2["properties"]["years"],
        "units_list": SCHEMA_V2["properties"]["units_list"], "deadline": SCHEMA_V2["properties"]["deadline"],
        **{name: _table(columns) for name, columns in TABLE_COLUMNS.items()},
    },
}


def schema(version: int) -> dict[str, Any]:
    """The schema of data/stats.json in that version (config.yaml's `stats_json_version`)."""
    return SCHEMA_V3 if version == 3 else SCHEMA_V2
