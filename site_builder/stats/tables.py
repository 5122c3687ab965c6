"""The summary tables, computed once from the site model; pages, downloads and the `stats`
command only display them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from site_builder.models import Report, Site
from site_builder.stats import coverage as cov
from site_builder.stats.analysis import NOTHING, ReportAnalysis
from site_builder.stats.coverage import CountyCoverage, PartsRow, Timeliness, Totals
from site_builder.stats.figures import BY_KEY, BY_LABEL, METRICS, Figure, Metric
from site_builder.stats.naming import download_paths
from site_builder.stats.parts import PARTS
from site_builder.stats.trends import Trend, county_trends, town_trends
from site_builder.stats.units import UnitList

MAX_BARS = 40


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
    units: UnitList | None
    """The list of units that must publish (units.csv or config's registry); None: not known."""
    deadline: str
    report_figures: Mapping[str, dict[str, Figure]] = field(default_factory=dict)
    """Report path → its key figures by metric key (see figures_of)."""
    town_figures: Mapping[str, list[MetricSeries]] = field(default_factory=dict)
    """Town path → each metric the town reported at least once, over its years (oldest first)."""
    year_figures: Mapping[int, list[MetricSeries]] = field(default_factory=dict)
    """Year → each metric at least one town reported that year, town by town."""
    year_county_figures: Mapping[tuple[int, str], list[MetricSeries]] = field(default_factory=dict)
    """(year, county page path) → the same, for one county's towns."""
    town_trends: Mapping[str, list[Trend]] = field(default_factory=dict)
    """Town path → each figure the town gave in two years or more, year by year."""
    county_trends: Mapping[str, list[Trend]] = field(default_factory=dict)
    """County statistics page path → the county's totals per year (推算)."""
    files: Mapping[str, str] = field(default_factory=dict)
    """The downloads: 'xlsx', 'json', 'schema' and each table → site-relative path (see naming)."""
    charts: Mapping[str, Chart] = field(default_factory=dict)
    """coverage / completeness by year for /stats/; year-<N>-<metric> for the year pages."""

    @property
    def listed(self) -> bool:
        """Whether the site knows who must publish: only then is anything 未公开 and a rate shown."""
        return self.units is not None

    @functools.cached_property
    def year_totals(self) -> list[Totals]:
        return cov.totals(self.coverage, self.years, self._complete, self.listed, "year")

    @functools.cached_property
    def county_totals(self) -> list[Totals]:
        return cov.totals(self.coverage, self.years, self._complete, self.listed, "county")

    @functools.cached_property
    def _complete(self) -> dict[int, bool]:
        return {id(row.report): row.complete for row in self.parts}

    @property
    def kinds(self) -> tuple[tuple[str, str], ...]:
        """The lists each count links to (with a list of units; without it, no 未公开 and no 名录外)."""
        return cov.KINDS if self.listed else tuple(k for k in cov.KINDS if k[0] in (cov.PUBLISHED, cov.LATE))

    @property
    def metrics(self) -> tuple[Metric, ...]:
        return METRICS

    @property
    def parts_labels(self) -> tuple[tuple[str, str, bool], ...]:
        return PARTS


def figures_of(report: Report, analysis: ReportAnalysis) -> dict[str, Figure]:
    """Key figures by metric key: declared in front-matter `metrics` first, else from the text."""
    found = {f.key: f for f in analysis.figures}
    for name, value in report.meta.metrics.items():
        metric = BY_KEY.get(name) or BY_LABEL.get(name)
        if metric:
            found[metric.key] = Figure(metric.key, float(value), "", "", "", "")
    return found


def compute(site: Site, analyses: Mapping[str, ReportAnalysis], units: UnitList | None = None) -> SiteStats:
    """The tables, from the site model, each report's analysis (by content hash) and the list of
    units that must publish (None when the site has none)."""
    config = site.config
    years = cov.table_years(site, units)
    coverage = cov.coverage(site, units, years, config.deadline)
    order = cov.place_order(cov.town_codes(site))
    # Every table in 区划代码 order (a town by its division_code, else by pinyin), then by year.
    reports = sorted(site.reports, key=lambda r: (order((r.meta.province, r.meta.county, r.meta.town)), r.meta.year))
    found = {r.path: analyses.get(r.content_hash, NOTHING) for r in reports}
    parts = [PartsRow(r, {key: next((m for m in found[r.path].parts if m.part == key), None) for key, _, _ in PARTS})
             for r in reports]
    times = [cov.timeliness(r, config.deadline) for r in reports]
    blocks = {(b.province, b.county): b for b in coverage}
    for row, time in zip(parts, times, strict=True):
        block = blocks[(row.report.meta.province, row.report.meta.county)]
        block.parts.append(row)
        block.timeliness.append(time)
        block.reports.append(row.report)
    stats = SiteStats(years, coverage, parts, times, units, config.deadline)
    stats.files = download_paths(site)
    by_path = {r.path: r for r in reports}
    stats.report_figures = figures = Lazy(by_path, lambda path: figures_of(by_path[path], found[path]))
    # Computed when a page asks: a rebuild after one edit renders a handful of pages.
    towns = {t.path: t for t in site.towns}
    stats.town_figures = Lazy(towns, lambda path: _series(list(reversed(towns[path].reports)), figures))
    by_year = {y.year: [r for g in y.groups for c in g.counties for r in c.reports] for y in site.years}
    stats.year_figures = Lazy(by_year, lambda year: _series(by_year[year], figures))
    counties = {(y.year, c.county.path): c.reports for y in site.years for g in y.groups for c in g.counties}
    stats.year_county_figures = Lazy(counties, lambda key: _series(counties[key], figures))
    stats.town_trends = Lazy(towns, lambda path: town_trends(list(reversed(towns[path].reports)), figures))
    stats.county_trends = Lazy(blocks_by_path := {b.stats_path: b for b in coverage},
                               lambda path: county_trends(blocks_by_path[path].reports, figures, path))
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
    if key == "coverage" and stats.listed:
        return Chart("chart-coverage", "各年度报告公开比例", f"每个年度名录（{stats.units.source if stats.units else ''}）中应公开的报告里已公开的比例。",
                     [(f"{t.name}年度", (t.share or 0.0) * 100, _percent(t.published, t.expected)) for t in stats.year_totals], 100)
    if key == "coverage":
        return Chart("chart-coverage", "各年度本站收录的报告数", "每个年度本站收录的报告份数；本站没有应公开单位名录，不计算公开比例。",
                     [(f"{t.name}年度", float(t.published), f"{t.published} 份") for t in stats.year_totals])
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
