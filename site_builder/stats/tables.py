"""The summary tables, computed once from the site model; pages, downloads and the `stats`
command only display them."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from site_builder.models import Report, Site
from site_builder.names import base_slug, sort_key
from site_builder.stats.analysis import NOTHING, ReportAnalysis
from site_builder.stats.figures import BY_KEY, BY_LABEL, METRICS, Figure, Metric
from site_builder.stats.parts import PARTS, REQUIRED_PARTS, PartMatch

MAX_BARS = 40


@dataclass
class TownRow:
    town: str
    path: str
    """Town page path, '' for an expected town with no report at all."""
    cells: list[Report | None]
    """One per year of the table."""
    expected: bool


@dataclass
class CountyCoverage:
    """One county's tables; each county has its own statistics page (stats_path)."""

    province: str
    county: str
    path: str
    """The county's page, '' for a registry county with no report yet."""
    stats_path: str
    rows: list[TownRow]
    published: int = 0
    expected: int = 0
    parts: list[PartsRow] = field(default_factory=list)
    timeliness: list[Timeliness] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.published / self.expected if self.expected else 0.0


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
class Totals:
    """Counts for one year or one county."""

    name: str
    expected: int = 0
    published: int = 0
    complete: int = 0
    on_time: int = 0
    late: int = 0
    unknown: int = 0

    @property
    def share(self) -> float:
        return self.published / self.expected if self.expected else 0.0


@dataclass
class MetricSeries:
    metric: Metric
    values: list[tuple[Report, Figure | None]]


@dataclass
class Chart:
    """A bar chart's data, ready to draw (theme global `chart_bars`)."""

    id: str
    title: str
    description: str
    bars: list[tuple[str, float, str]]
    """(label, value to scale, value as shown)."""
    maximum: float | None = None


@dataclass
class SiteStats:
    years: tuple[int, ...]
    coverage: list[CountyCoverage]
    parts: list[PartsRow]
    timeliness: list[Timeliness]
    registry: bool
    """True when the expected units come from a registry, False when derived from content/."""
    deadline: str
    report_figures: Mapping[str, dict[str, Figure]] = field(default_factory=dict)
    """Report path → its key figures by metric key (see figures_of)."""
    town_figures: Mapping[str, list[MetricSeries]] = field(default_factory=dict)
    """Town path → each metric the town reported at least once, over its years (oldest first)."""
    year_figures: Mapping[int, list[MetricSeries]] = field(default_factory=dict)
    """Year → each metric at least one town reported that year, town by town."""
    year_county_figures: Mapping[tuple[int, str], list[MetricSeries]] = field(default_factory=dict)
    """(year, county page path) → the same, for one county's towns."""
    charts: Mapping[str, Chart] = field(default_factory=dict)
    """coverage / completeness by year for /stats/; year-<N>-<metric> for the year pages."""

    @functools.cached_property
    def year_totals(self) -> list[Totals]:
        return _totals(self, "year")

    @functools.cached_property
    def county_totals(self) -> list[Totals]:
        return _totals(self, "county")

    @property
    def metrics(self) -> tuple[Metric, ...]:
        return METRICS

    @property
    def parts_labels(self) -> tuple[tuple[str, str, bool], ...]:
        return PARTS


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


def figures_of(report: Report, analysis: ReportAnalysis) -> dict[str, Figure]:
    """Key figures by metric key: declared in front-matter `metrics` first, else from the text."""
    found = {f.key: f for f in analysis.figures}
    for name, value in report.meta.metrics.items():
        metric = BY_KEY.get(name) or BY_LABEL.get(name)
        if metric:
            found[metric.key] = Figure(metric.key, float(value), "", "", "", "")
    return found


def compute(site: Site, analyses: Mapping[str, ReportAnalysis]) -> SiteStats:
    """The tables, from the site model and each report's analysis (by content hash)."""
    config = site.config
    reports = site.reports
    by_place = {(r.meta.province, r.meta.county, r.meta.town, r.meta.year): r for r in reports}
    if config.registry:
        years = config.registry.years
        expected = {(p, c, t) for p, counties in config.registry.units.items() for c, towns in counties.items() for t in towns}
    else:
        content_years = [r.meta.year for r in reports]
        years = tuple(range(min(content_years), max(content_years) + 1)) if content_years else ()
        expected = {(r.meta.province, r.meta.county, r.meta.town) for r in reports}
    town_paths = {(t.province, t.county, t.name): t.path for t in site.towns}
    county_paths = {(c.province, c.name): c.path for c in site.counties}
    places = expected | set(town_paths)

    coverage: list[CountyCoverage] = []
    for province, county in sorted({(p, c) for p, c, _ in places}, key=lambda pc: (sort_key(pc[0]), sort_key(pc[1]))):
        page = county_paths.get((province, county), "")
        stats_path = f"stats/{page}" if page else f"stats/{base_slug(province)}/{base_slug(county)}/"
        block = CountyCoverage(province, county, page, stats_path, [])
        for town in sorted({t for p, c, t in places if (p, c) == (province, county)}, key=sort_key):
            is_expected = (province, county, town) in expected
            cells = [by_place.get((province, county, town, year)) for year in years]
            block.rows.append(TownRow(town, town_paths.get((province, county, town), ""), cells, is_expected))
            if is_expected:
                block.expected += len(years)
                block.published += sum(cell is not None for cell in cells)
        coverage.append(block)

    found = {r.path: analyses.get(r.content_hash, NOTHING) for r in reports}
    parts = [PartsRow(r, {key: next((m for m in found[r.path].parts if m.part == key), None) for key, _, _ in PARTS})
             for r in reports]
    times = [timeliness(r, config.deadline) for r in reports]
    blocks = {(b.province, b.county): b for b in coverage}
    for row, time in zip(parts, times, strict=True):
        block = blocks[(row.report.meta.province, row.report.meta.county)]
        block.parts.append(row)
        block.timeliness.append(time)
        block.reports.append(row.report)
    stats = SiteStats(years, coverage, parts, times, config.registry is not None, config.deadline)
    by_path = {r.path: r for r in reports}
    stats.report_figures = figures = Lazy(by_path, lambda path: figures_of(by_path[path], found[path]))
    # Computed when a page asks: a rebuild after one edit renders a handful of pages.
    towns = {t.path: t for t in site.towns}
    stats.town_figures = Lazy(towns, lambda path: _series(list(reversed(towns[path].reports)), figures))
    by_year = {y.year: [r for g in y.groups for c in g.counties for r in c.reports] for y in site.years}
    stats.year_figures = Lazy(by_year, lambda year: _series(by_year[year], figures))
    counties = {(y.year, c.county.path): c.reports for y in site.years for g in y.groups for c in g.counties}
    stats.year_county_figures = Lazy(counties, lambda key: _series(counties[key], figures))
    stats.charts = Lazy(_chart_keys(stats, by_year), lambda key: _chart(stats, key))
    return stats


K = TypeVar("K")
V = TypeVar("V")


class Lazy(Mapping[K, V]):
    """A mapping whose values are computed on first access (keys known in advance)."""

    def __init__(self, keys: Iterable[K], compute: Callable[[K], V]) -> None:
        self._keys, self._compute = list(keys), compute
        self._values: dict[K, V] = {}
        self._known = set(self._keys)

    def __getitem__(self, key: K) -> V:
        if key not in self._values:
            if key not in self._known:
                raise KeyError(key)
            self._values[key] = self._compute(key)
        return self._values[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._known


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole}（{part / whole:.0%}）" if whole else "—"


def _chart_keys(stats: SiteStats, years: dict[int, list[Report]]) -> list[str]:
    """coverage, complete, and year-<N>-<metric> for each metric of a year with few enough towns."""
    keys = ["coverage", "complete"]
    for year, reports in years.items():
        if len(reports) > MAX_BARS:
            continue  # hundreds of towns make no readable chart: the per-county tables say it better
        keys += [f"year-{year}-{series.metric.key}" for series in stats.year_figures[year]]
    return keys


def _chart(stats: SiteStats, key: str) -> Chart:
    if key == "coverage":
        return Chart("chart-coverage", "各年度报告公开比例", "每个年度应公开的报告中已公开的比例。",
                     [(f"{t.name}年度", t.share * 100, _percent(t.published, t.expected)) for t in stats.year_totals], 100)
    if key == "complete":
        return Chart("chart-complete", "各年度结构完整的报告数", "每个年度已公开报告中四个必备部分齐全的份数。",
                     [(f"{t.name}年度", float(t.complete), _percent(t.complete, t.published)) for t in stats.year_totals])
    _, year_text, metric_key = key.split("-", 2)
    year = int(year_text)
    series = next(s for s in stats.year_figures[year] if s.metric.key == metric_key)
    bars = [(r.meta.town, f.value if f else 0.0, f"{f.display}{'' if f.approx == '以上' else f.unit}" if f else "未提及")
            for r, f in series.values]
    return Chart(f"chart-{year}-{metric_key}", f"{year}年度各乡镇（街道）{series.metric.label}",
                 f"{year}年度报告中{series.metric.label}（{series.metric.unit}）的数字，按乡镇（街道）；未提及的为空。", bars)


def _series(reports: list[Report], figures: Mapping[str, dict[str, Figure]]) -> list[MetricSeries]:
    present = {key for r in reports for key in figures[r.path]}
    return [MetricSeries(metric, [(r, figures[r.path].get(metric.key)) for r in reports])
            for metric in METRICS if metric.key in present]


def _totals(stats: SiteStats, by: str) -> list[Totals]:
    totals: dict[str, Totals] = {str(y): Totals(str(y)) for y in stats.years} if by == "year" else {}
    complete = {id(row.report): row.complete for row in stats.parts}
    status = {id(t.report): t.status for t in stats.timeliness}
    for block in stats.coverage:
        for row in block.rows:
            for year, cell in zip(stats.years, row.cells, strict=True):
                key = str(year) if by == "year" else f"{block.province}{block.county}"
                total = totals.setdefault(key, Totals(key))
                total.expected += row.expected
                if cell is None or not row.expected:
                    continue
                total.published += 1
                total.complete += complete[id(cell)]
                total.on_time += status[id(cell)] == "on_time"
                total.late += status[id(cell)] == "late"
                total.unknown += status[id(cell)] == "unknown"
    return list(totals.values())
