"""The JSON download's schema (data/stats.schema.json; described in docs/stats-schema.md)."""

from __future__ import annotations

from typing import Any

from site_builder.stats.figures import METRICS

_PLACE = ["province", "county", "town", "year", "title", "url"]
_DATE = {"type": ["string", "null"], "format": "date"}

SCHEMA: dict[str, Any] = {
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
