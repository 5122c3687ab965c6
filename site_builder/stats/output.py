"""The statistics as an output: each report analysed when read, the summary tables computed once
per build, the statistics pages, the figures' sentences marked in the report pages, the data/
downloads made in a process of their own beside the pages, and `check`'s missing-parts warning."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from site_builder.diagnostics import Diagnostic, warning
from site_builder.document import Document
from site_builder.i18n import t
from site_builder.models import Report, Site
from site_builder.outputs import Analyser, Output, Run
from site_builder.pages import SUMMARY, Kind, Page
from site_builder.parallel import Started, shared, start_forked
from site_builder.reader import ReportFile
from site_builder.stats.analysis import ReportAnalysis, analyse
from site_builder.stats.charts import Bar, bars
from site_builder.stats.downloads import DOWNLOAD_PARTS, downloads
from site_builder.stats.evidence import mark_evidence
from site_builder.stats.figures import metric_of, nearest_metric
from site_builder.stats.naming import SCHEMA_PATH, STABLE_JSON, STABLE_XLSX
from site_builder.stats.pages import plan_stats_pages
from site_builder.stats.parts import LABELS, PARTS, REQUIRED_PARTS
from site_builder.stats.tables import Chart, SiteStats, compute
from site_builder.stats.units import UnitList, load_units, stats_inputs
from site_builder.writer import SiteWriter

Written = tuple[int, int, list[str]]
"""(files, bytes, the paths written) of one part of the downloads."""


class StatsOutput(Output):
    name = "stats"
    deferred = True
    folders = ("data/",)
    permanent = (STABLE_JSON, STABLE_XLSX, SCHEMA_PATH)

    def __init__(self) -> None:
        self.stats: SiteStats | None = None
        self.units: UnitList | None = None
        self.downloads_key = ""
        self.making: Started[Written] | None = None

    def analyser(self) -> Analyser:
        return analyse

    def check(self, source: ReportFile, document: Document, analyses: Mapping[str, object]) -> list[Diagnostic]:
        found = {m.part for m in cast(ReportAnalysis, analyses[self.name]).parts}
        missing = [p for p in REQUIRED_PARTS if p not in found]
        if not missing:
            return []
        # The example heading is the first missing part's own, numbered as the 2019 规定 orders the parts.
        number = "一二三四五"[[key for key, _, _ in PARTS].index(missing[0])]
        return [warning(source.rel_path, source.body_line, "required-part",
                        t("No part found for: {parts}.", parts="、".join(LABELS[p] for p in missing)),
                        t("Check the report has these parts, each under a heading of its own, e.g. `## {number}、{heading}`.",
                          number=number, heading=LABELS[missing[0]]))]

    def prepare(self, site: Site) -> list[Diagnostic]:
        """The summary tables, with the list of units that must publish (units.csv or the registry)."""
        self.units, problems = load_units(site.config.root, site.config.registry, site)
        analyses = {r.content_hash: cast(ReportAnalysis, r.analyses[self.name]) for r in site.reports}
        self.stats = compute(site, analyses, self.units)
        return [p for r in site.reports for p in unknown_metrics(r.source)] + problems

    def inputs(self) -> str:
        return stats_inputs(self.units)

    def site_pages(self, run: Run) -> list[Page]:
        return [Page(Kind.STATS, "stats/", "统计", inputs=SUMMARY)]

    def pages(self, run: Run) -> list[Page]:
        return plan_stats_pages(self.tables, run.inputs)

    def template_globals(self) -> Mapping[str, object]:
        return {"stats": self.stats, "chart_bars": chart_bars}

    def mark(self, report: Report, html: str) -> str:
        figures = self.tables.report_figures.get(report.path, {})
        return mark_evidence(html, figures.values()) if figures else html

    def start(self, run: Run) -> None:
        """The downloads (seconds of XLSX on large sites) summarise every report: made again, in a
        process of their own, when a front-matter or what the statistics found changed."""
        self.downloads_key = run.key(run.whole_site[SUMMARY])
        before = run.writer.before.files if run.writer.before else {}
        previous = [path for path in before if path.startswith(self.folders)]
        if previous and all(before[path] == self.downloads_key for path in previous):
            run.writer.keep(self.folders)  # nothing changed: the files in the output are kept
            return
        self.making = start_forked(_write_part, DOWNLOAD_PARTS, (run.site, self.tables, run.writer))

    def finish(self, run: Run) -> None:
        for files, size, paths in self.making or []:
            run.writer.count(files, size)
            for path in paths:
                run.writer.record(path, self.downloads_key)

    def stop(self) -> None:
        if self.making is not None:
            self.making.close()

    @property
    def tables(self) -> SiteStats:
        assert self.stats is not None, "prepare() computes the tables first"
        return self.stats


def unknown_metrics(source: ReportFile) -> list[Diagnostic]:
    """A warning for each `metrics:` name the tables do not know: its figure would be dropped."""
    unknown = [name for name in source.meta.metrics if metric_of(name) is None]
    if not unknown:
        return []
    try:
        lines = source.path.read_text(encoding="utf-8-sig").split("\n")[: source.body_line]
    except (OSError, UnicodeDecodeError):
        lines = []
    found = []
    for name in unknown:
        line = next((n for n, text in enumerate(lines, 1) if text.strip().startswith(f"{name}:")), 0)
        found.append(warning(source.rel_path, line, "metrics", t("The tables do not know the figure “{name}”; this number will not appear in any table.", name=name),
                             t("Use a known name, e.g. “{example}” (every name is listed in README › 主要数据).",
                               example=f"{nearest_metric(name)}: {source.meta.metrics[name]:g}")))
    return found


def chart_bars(chart: Chart) -> list[Bar]:
    return bars(chart.bars, chart.maximum)


def _write_part(part: str) -> Written:
    """Write one of DOWNLOAD_PARTS (in the downloads' process)."""
    site, stats, writer = cast("tuple[Site, SiteStats, SiteWriter]", shared())
    files = downloads(site, stats, part)
    return len(files), sum(writer.write_uncounted(path, data) for path, data in files.items()), sorted(files)

