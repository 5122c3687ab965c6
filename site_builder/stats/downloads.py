"""The data/ downloads as files: CSV and JSON ("text") and the workbook ("xlsx"), which a build
makes in one process beside the pages."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from site_builder.stats.exports import TABLES, rows, to_csv, to_json
from site_builder.stats.naming import STABLE_XLSX, download_paths
from site_builder.stats.schema import schema
from site_builder.stats.workbook import to_xlsx

if TYPE_CHECKING:
    from site_builder.models import Site
    from site_builder.stats.tables import SiteStats

DOWNLOAD_PARTS = ("",)
"""downloads() in one process, all parts: the tables' rows are computed once for the CSVs, the JSON
and the workbook. (In two processes, each computed them, and each held its own copy of the site
model as reference counts wrote to it: a build after one edit at 5,000 reports took 15 % more
memory, at 50,000 the year-change build's tree passed 4 GB.)"""


def downloads(site: Site, stats: SiteStats, part: str = "") -> dict[str, bytes]:
    """Site-relative path → file content (of one of DOWNLOAD_PARTS, or all): the CSVs under names with
    place and date, the workbook, the JSON and its schema under their stable names."""
    tables = {table: rows(site, stats, table) for table in TABLES}
    paths = download_paths(site)
    files: dict[str, bytes] = {}
    if part in ("", "text"):
        for table in TABLES:
            files[paths[table]] = to_csv(tables[table])
        files[paths["json"]] = to_json(site, stats, tables)
        files[paths["schema"]] = json.dumps(schema(site.config.stats_json_version), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    if part in ("", "xlsx"):
        files[STABLE_XLSX] = to_xlsx(site, stats, tables)
    return files
