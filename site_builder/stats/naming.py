"""File names of the downloads: the place and a date in each, so files saved from several counties'
sites do not overwrite one another (潼南区-法治政府建设年度报告统计-2026-12-07.xlsx). The date
comes from the data — SOURCE_DATE_EPOCH when set, else the newest report date — never from the
clock: the same content gives the same site, byte for byte."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from site_builder.models import Site

SUBJECT = "法治政府建设年度报告统计"
UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')
CHINA = dt.timezone(dt.timedelta(hours=8))


def as_of(site: Site) -> dt.date | None:
    """The date the statistics describe: SOURCE_DATE_EPOCH (a release's date), else the newest
    date of a report (published, else signed); None for a site whose reports carry no date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=CHINA).date()
    dates = [r.date for r in site.reports if r.date]
    return max(dates) if dates else None


def place_label(site: Site) -> str:
    """The one county (or province) all reports are from, else the site's name."""
    counties = {(r.meta.province, r.meta.county) for r in site.reports}
    if len(counties) == 1:
        return next(iter(counties))[1]
    provinces = {province for province, _ in counties}
    if len(provinces) == 1:
        return next(iter(provinces))
    return site.config.site_name


def stem(site: Site) -> str:
    date = as_of(site)
    label = UNSAFE.sub("", place_label(site)) or "site"
    # A site named after its subject (the default 法治政府建设年度报告公开) is not named twice.
    parts = [label, "统计" if "年度报告" in label else SUBJECT] + ([date.isoformat()] if date else [])
    return "-".join(parts)


TABLE_FILES = {"coverage": "公开情况", "parts": "结构完整性", "timeliness": "公开时效", "figures": "主要数据",
               "figures_wide": "主要数据宽表", "county_totals": "区县合计"}
"""Table → the word its CSV file's name ends with."""
STABLE_JSON = "data/stats.json"
"""The JSON keeps one stable name: programs fetch it by URL (people download the dated files)."""
STABLE_XLSX = "data/stats.xlsx"
"""The workbook is written once, under its stable name; the statistics page's link saves it under
the dated name (`download` attribute), so a dated copy beside it is not needed (0.44 KB a report)."""
SCHEMA_PATH = "data/stats.schema.json"


def download_paths(site: Site) -> dict[str, str]:
    """'xlsx', 'json' and each table → its site-relative path; 'xlsx_name' → the name the workbook
    is saved under (with place and date, as the CSVs')."""
    name = stem(site)
    paths = {table: f"data/{name}-{word}.csv" for table, word in TABLE_FILES.items()}
    paths["xlsx"] = STABLE_XLSX
    paths["xlsx_name"] = f"{name}.xlsx"
    paths["json"] = STABLE_JSON
    paths["schema"] = SCHEMA_PATH
    return paths
