"""The statistics of each county as pages of the site (stats.html itself is one of pages.py's)."""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.pages import Inputs, Kind, Page
from site_builder.stats.coverage import CountyCoverage
from site_builder.stats.tables import SiteStats


@dataclass(slots=True)
class CountyStatsView:
    block: CountyCoverage


def plan_stats_pages(stats: SiteStats, inputs: Inputs) -> list[Page]:
    # The years of the tables and the downloads' names (their date) come from the whole site.
    years = f"years {stats.years} {stats.files.get('xlsx_name', '')}"
    return [Page(Kind.STATS_COUNTY, block.stats_path, f"{block.province}{block.county}统计", CountyStatsView(block),
                 (years, *map(inputs.summary, block.reports))) for block in stats.coverage]
