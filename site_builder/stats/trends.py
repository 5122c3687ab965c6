"""Key figures across the years (趋势): a town's figure in each year it reported it, each point
linking to its sentence; a county's total of each year, added up from its towns' reports and
marked 推算 (derived), since no report states it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from site_builder.stats.charts import bars
from site_builder.stats.figures import METRICS, Figure, Metric

if TYPE_CHECKING:
    from site_builder.models import Report

DERIVED = "推算"


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    shown: str
    """As the page shows it: 306 次, 8000余 册, 合计 457 件."""
    href: str
    """Site-relative link to the evidence: the sentence, or the rows a total was added up from."""
    derived: bool
    """Computed by this site (a county's total), not stated in a report."""
    width: float = 0.0
    """Bar length in per cent of its row."""
    note: str = ""


@dataclass(frozen=True)
class Trend:
    metric: Metric
    points: tuple[Point, ...]

    @property
    def derived(self) -> bool:
        return any(p.derived for p in self.points)

    @property
    def id(self) -> str:
        return f"trend-{self.metric.key}"


def _shown(figure: Figure) -> str:
    return f"{figure.display}{'' if figure.approx == '以上' else ' ' + figure.unit}"


def _scaled(points: list[Point]) -> tuple[Point, ...]:
    drawn = bars([(str(p.year), p.value, p.shown) for p in points])
    return tuple(Point(p.year, p.value, p.shown, p.href, p.derived, bar.width, p.note) for p, bar in zip(points, drawn, strict=True))


def town_trends(reports: list[Report], figures: Mapping[str, dict[str, Figure]]) -> list[Trend]:
    """A town's reports (oldest first): each metric it gave in at least two years."""
    trends = []
    for metric in METRICS:
        points = []
        for report in reports:
            figure = figures[report.path].get(metric.key)
            if figure is None:
                continue
            anchor = figure.evidence_id or figure.section
            href = f"{report.path}#{anchor}" if figure.sentence and anchor else report.path
            points.append(Point(report.meta.year, figure.value, _shown(figure), href, False,
                                note="" if figure.sentence else "报告声明"))
        if len(points) >= 2:
            trends.append(Trend(metric, _scaled(points)))
    return trends


def county_trends(reports: list[Report], figures: Mapping[str, dict[str, Figure]], stats_path: str) -> list[Trend]:
    """A county's totals per year of each countable metric (rates are not added up), from the
    towns that gave it; each total links to the county page's rows of that year."""
    trends = []
    years = sorted({r.meta.year for r in reports})
    for metric in METRICS:
        if metric.unit == "%":
            continue
        points = []
        for year in years:
            found = [f for r in reports if r.meta.year == year and (f := figures[r.path].get(metric.key)) is not None]
            if not found:
                continue
            total = sum(f.value for f in found)
            lower = any(f.approx for f in found)
            number = f"{total:g}" if total != int(total) else f"{int(total)}"
            shown = f"{number}{'以上' if lower else ''} {metric.unit}"
            points.append(Point(year, total, shown, f"{stats_path}#figures-{year}", True,
                                note=f"{len(found)} 个乡镇（街道）合计，{DERIVED}"))
        if points:
            trends.append(Trend(metric, _scaled(points)))
    return trends
