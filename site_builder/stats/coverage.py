"""Coverage (公开情况) and timeliness (公开时效) per year, county and unit. Whether a unit *should*
have published is known only from the list of units (units.csv): without it a cell is either a
report the site holds or blank, never 未公开, and no rate is computed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from site_builder import division_order
from site_builder.division_order import PlaceKey
from site_builder.names import base_slug
from site_builder.stats.parts import REQUIRED_PARTS, PartMatch

if TYPE_CHECKING:
    from site_builder.models import Report, Site
    from site_builder.stats.units import UnitList

Place = tuple[str, str, str]

PUBLISHED, MISSING, OFF_LIST, NONE = "published", "missing", "off_list", "none"
STATUS_TEXT = {PUBLISHED: "已公开", MISSING: "未公开", OFF_LIST: "名录外", NONE: ""}
MISSING_NOTE = "尚未在本站公开"


@dataclass
class PartsRow:
    report: Report
    parts: dict[str, PartMatch | None]

    @property
    def complete(self) -> bool:
        return all(self.parts[key] for key in REQUIRED_PARTS)


@dataclass
class Timeliness:
    report: Report
    deadline: dt.date
    """The first day that is late: 1 April of the following year by default."""
    status: str
    """on_time, late or unknown."""
    days_late: int | None = None

    @property
    def label(self) -> str:
        if self.status == "on_time":
            return "按时公开"
        if self.status == "late":
            return f"逾期 {self.days_late} 天"
        return "发布日期不详"


@dataclass
class Cell:
    year: int
    status: str
    """published, missing (on the list, no report), off_list (a report the list does not ask for) or none."""
    report: Report | None = None
    time: Timeliness | None = None

    @property
    def expected(self) -> bool:
        return self.status in (PUBLISHED, MISSING) and self.listed

    listed: bool = False
    """The site has a list of units (so MISSING is meaningful)."""

    @property
    def late(self) -> bool:
        return self.time is not None and self.time.status == "late"


@dataclass
class TownRow:
    town: str
    path: str
    """Town page path, '' for a listed town with no report at all."""
    cells: list[Cell]
    """One per year of the table."""
    listed: bool
    """On the list of units (False without a list, or for a town the list leaves out)."""
    note: str = ""
    """The list's note (merged into …, renamed …)."""


@dataclass
class CountyCoverage:
    """One county's tables; each county has its own statistics page (stats_path)."""

    province: str
    county: str
    path: str
    """The county's page, '' for a listed county with no report yet."""
    stats_path: str
    rows: list[TownRow]
    parts: list[PartsRow] = field(default_factory=list)
    timeliness: list[Timeliness] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)

    def cells(self, status: str = "", year: int | None = None, late: bool = False) -> list[tuple[TownRow, Cell]]:
        """The cells of one status (any when ''), of one year (any when None), only late ones if asked."""
        return [(row, cell) for row in self.rows for cell in row.cells
                if (not status or cell.status == status) and (year is None or cell.year == year) and (cell.late or not late)]

    def listing(self, kind: str, year: int | None = None) -> list[tuple[TownRow, Cell]]:
        """The rows behind a count of KINDS (late: published late)."""
        return self.cells(PUBLISHED, year, late=True) if kind == LATE else self.cells(kind, year)


LATE = "late"
KINDS = ((PUBLISHED, "已公开"), (MISSING, "未公开（尚未在本站公开）"), (LATE, "逾期公开"), (OFF_LIST, "名录外的报告"))
"""The lists a count links to: on a county's page `#y<year>-<kind>`, on /stats/ the counties of each."""


def deadline_for(year: int, deadline: str) -> dt.date:
    month, day = (int(x) for x in deadline.split("-"))
    return dt.date(year + 1, month, day)


def timeliness(report: Report, deadline: str) -> Timeliness:
    due = deadline_for(report.meta.year, deadline)
    published = report.meta.published
    if published is None:
        return Timeliness(report, due, "unknown")
    if published < due:
        return Timeliness(report, due, "on_time")
    return Timeliness(report, due, "late", (published - due).days + 1)


def table_years(site: Site, units: UnitList | None) -> tuple[int, ...]:
    """The registry's years; else from the first year the list or a report names to the last."""
    if units is not None and units.years:
        return units.years
    years = [r.meta.year for r in site.reports]
    if units is not None and units.years is None:
        years += [u.from_year for u in units.units] + [u.to_year for u in units.units if u.to_year is not None]
    return tuple(range(min(years), max(years) + 1)) if years else ()


def town_codes(site: Site) -> dict[Place, str]:
    """The division code a town's reports give (front-matter division_code), when any does."""
    codes: dict[Place, str] = {}
    for report in site.reports:
        if report.meta.division_code:
            codes.setdefault((report.meta.province, report.meta.county, report.meta.town), report.meta.division_code)
    return codes


def place_order(codes: dict[Place, str]) -> Callable[[Place], PlaceKey]:
    """Sort key of a place in 区划代码 order: province, county, then town (its code, else pinyin)."""
    def key(place: Place) -> PlaceKey:
        return division_order.place_key(*place, codes.get(place, ""))
    return key


def coverage(site: Site, units: UnitList | None, years: tuple[int, ...], deadline: str) -> list[CountyCoverage]:
    by_place = {(r.meta.province, r.meta.county, r.meta.town, r.meta.year): r for r in site.reports}
    times = {id(r): timeliness(r, deadline) for r in site.reports}
    town_paths = {(t.province, t.county, t.name): t.path for t in site.towns}
    county_paths = {(c.province, c.name): c.path for c in site.counties}
    listed = {u.place for u in units.units} if units else set()
    order = place_order(town_codes(site))
    blocks: dict[tuple[str, str], CountyCoverage] = {}
    for place in sorted(listed | set(town_paths), key=order):
        province, county, town = place
        block = blocks.get((province, county))
        if block is None:
            page = county_paths.get((province, county), "")
            stats_path = f"stats/{page}" if page else f"stats/{base_slug(province)}/{base_slug(county)}/"
            block = blocks[(province, county)] = CountyCoverage(province, county, page, stats_path, [])
        cells = []
        for year in years:
            report = by_place.get((*place, year))
            cells.append(_cell(year, report, times[id(report)] if report else None, units, place))
        block.rows.append(TownRow(town, town_paths.get(place, ""), cells, place in listed, units.notes(place) if units else ""))
    return list(blocks.values())


def _cell(year: int, report: Report | None, time: Timeliness | None, units: UnitList | None, place: Place) -> Cell:
    if units is None:
        return Cell(year, PUBLISHED if report else NONE, report, time)
    expected = units.expected(place, year)
    if report is not None:
        return Cell(year, PUBLISHED if expected else OFF_LIST, report, time, listed=True)
    return Cell(year, MISSING if expected else NONE, None, None, listed=True)


@dataclass
class Totals:
    """Counts for one year or one county; `expected`, `missing` and `share` mean something only with a list."""

    name: str
    anchor: str
    """Where the rows behind these counts are listed."""
    listed: bool
    expected: int = 0
    published: int = 0
    missing: int = 0
    off_list: int = 0
    complete: int = 0
    on_time: int = 0
    late: int = 0
    unknown: int = 0

    @property
    def share(self) -> float | None:
        return self.published / self.expected if self.listed and self.expected else None


def totals(blocks: list[CountyCoverage], years: tuple[int, ...], complete: dict[int, bool], listed: bool,
           by: str) -> list[Totals]:
    """Per year (by='year', anchors on /stats/) or per county (anchors on the county's page)."""
    found: dict[str, Totals] = {str(y): Totals(str(y), f"y{y}", listed) for y in years} if by == "year" else {}
    for block in blocks:
        if by != "year":
            found[block.stats_path] = Totals(f"{block.province}{block.county}", block.stats_path, listed)
        for row in block.rows:
            for cell in row.cells:
                total = found[str(cell.year) if by == "year" else block.stats_path]
                _count(total, cell, complete)
    return list(found.values())


def _count(total: Totals, cell: Cell, complete: dict[int, bool]) -> None:
    total.expected += cell.expected
    total.missing += cell.status == MISSING
    total.off_list += cell.status == OFF_LIST
    if cell.status != PUBLISHED or cell.report is None or cell.time is None:
        return
    total.published += 1
    total.complete += complete.get(id(cell.report), False)
    total.on_time += cell.time.status == "on_time"
    total.late += cell.time.status == "late"
    total.unknown += cell.time.status == "unknown"
