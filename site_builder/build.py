"""The whole build in one place: gather and check everything first, then write once."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import jinja2

from site_builder.config import Config
from site_builder.diagnostics import BuildError, Diagnostic, Severity, display_path, error, has_errors, warning
from site_builder.markdown import RenderedBody, render
from site_builder.models import Report, Site, build_site
from site_builder.pages import Page, plan_pages, render_feeds, render_pages
from site_builder.parallel import PARALLEL_THRESHOLD, map_forked, shared, slices, workers
from site_builder.reader import (
    ChangedDuringBuild,
    SourceReport,
    find_duplicates,
    find_sources,
    missing_content,
    read_body,
    read_report,
)
from site_builder.stats.analysis import ReportAnalysis, analyse
from site_builder.stats.evidence import mark_evidence
from site_builder.stats.exports import downloads
from site_builder.stats.tables import compute as compute_stats
from site_builder.theme import Theme
from site_builder.writer import MARKER, SiteWriter

Progress = Callable[[int, int], None]


@dataclass
class BuildResult:
    reports: int
    pages: int
    files: int
    bytes: int
    seconds: float
    warnings: list[Diagnostic] = field(default_factory=list)
    rendered: int = 0
    """Report bodies rendered in this build (the rest came from the cache)."""
    search_analysed: int = 0
    """Reports analysed for the search index (the rest came from .site-cache/search/)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage, for `build --verbose` and the benchmark."""

    def summary(self) -> str:
        return (f"built {self.reports} reports into {self.pages} pages ({self.files} files, "
                f"{self.bytes / 1e6:.1f} MB) in {self.seconds:.2f} s; {len(self.warnings)} warning(s)")


@dataclass
class RenderCache:
    """Rendered bodies by content hash. `serve` keeps one across rebuilds, so a rebuild renders
    only the reports that changed; a one-off build needs none."""

    bodies: dict[str, RenderedBody] = field(default_factory=dict)
    keep: bool = True


def build(config: Config, *, strict: bool = False, cache: RenderCache | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the site into config.output_path, or raise BuildError and leave the old output untouched."""
    started = time.perf_counter()
    cache = cache if cache is not None else RenderCache(keep=False)
    clock = _Clock()
    theme = Theme.load(config.custom_path)
    writer = SiteWriter(config.output_path, config.root, protected_folders(config, theme))
    writer.refuse_unsafe()  # at once, not after reading thousands of reports

    sources, analyses, problems = load_reports(config)
    if not sources and not has_errors(problems):
        problems.append(empty_content(config, replaces_a_site=strict or (config.output_path / MARKER).is_file()))
    _stop_on_errors(problems, strict)
    site, model_problems = build_site(sources, config, analyses)
    site.stats = compute_stats(site) if config.stats else None
    problems += model_problems
    if not config.site_url:
        problems.append(warning("config.yaml", 0, "site_url", "site_url is not set: sitemap.xml and feed.xml carry paths without a host",
                                "set `site_url: https://your.host` in config.yaml or pass --site-url"))
    _stop_on_errors(problems, strict)
    clock.lap("read")

    env = theme.environment(config.base_url)
    try:
        env.get_template("base.html")  # a syntax error in the theme stops the build before any work
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None
    pages = plan_pages(site)
    rendered = analysed = 0
    with writer:
        # Report bodies are rendered where their pages are written, in worker processes for large
        # sites, so the Markdown and HTML of thousands of reports never cross between processes.
        # The downloads (a few seconds of XLSX/JSON on large sites) go first, beside the pages.
        jobs: list[Sequence[int]] = [DOWNLOADS] if site.stats else []
        jobs += slices(range(len(pages)), workers() * 4)
        context = (site, env, pages, writer, cache)
        for files, size, new_bodies in map_forked(_write_pages, jobs, context, len(pages) >= PARALLEL_THRESHOLD):
            writer.count(files, size)
            rendered += len(new_bodies)
            if cache.keep:
                cache.bodies.update(new_bodies)
            if progress:
                progress(writer.files_written, len(pages))
        clock.lap("markdown+pages")
        if config.search:
            from site_builder.search.build import write_search  # numpy: loaded only when needed

            try:
                search_files, search_bytes, analysed = write_search(site, writer)
            except OSError as exc:  # its spill files and cache live outside the staging folder
                raise writer.explain(exc) from None
            writer.count(search_files, search_bytes)
            clock.lap("search index")
        feed_reports = site.latest[: config.feed_size]
        rendered += len(attach_bodies(feed_reports, cache))
        try:
            for path, text in render_feeds(site, env, pages):
                writer.write(path, text)
        except jinja2.TemplateError as exc:
            raise template_error(exc) from None
        for name, asset in theme.assets().items():
            writer.write(f"assets/{name}", asset.read_bytes())
        clock.lap("feeds+assets")
        writer.commit()
        clock.lap("commit")
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    return BuildResult(len(site.reports), len(pages), writer.files_written, writer.bytes_written,
                       time.perf_counter() - started, warnings, rendered, analysed, clock.laps)


def protected_folders(config: Config, theme: Theme) -> dict[str, Path]:
    """What a build must never replace or write into, by the name an error message gives it."""
    folders = {"the content folder": config.content_path, "site-builder's own files": Path(__file__).parent,
               "the theme": theme.folders[-1]}  # the bundled theme comes last, after custom_dir
    if config.custom_path:
        folders["the theme folder (custom_dir)"] = config.custom_path
    return folders


def inspect_site(config: Config) -> Site:
    """The site model with its summary tables, without writing anything (for `stats`)."""
    sources, analyses, problems = load_reports(config)
    _stop_on_errors(problems, strict=False)
    site, model_problems = build_site(sources, config, analyses)
    _stop_on_errors(model_problems, strict=False)
    site.stats = compute_stats(site)
    return site


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now


def load_reports(config: Config) -> tuple[list[SourceReport], dict[str, ReportAnalysis], list[Diagnostic]]:
    """Read, validate and analyse every report (spread over the cores for large sites).

    The sources come back without their Markdown, to keep memory and inter-process traffic down;
    attach_bodies reads it again when the pages are written."""
    problems = missing_content(config.content_path, config.root)
    paths: list[Path] = []
    if not problems:
        paths, problems = find_sources(config.content_path, config.root)
    jobs = [(path, display_path(path, config.root)) for path in paths]
    sources: list[SourceReport] = []
    analyses: dict[str, ReportAnalysis] = {}
    for source, analysis, found in map_forked(_read_one if config.stats else _read_only, jobs):
        problems.extend(found)
        if source is not None and analysis is not None:
            sources.append(source)
            analyses[source.content_hash] = analysis
    problems.extend(find_duplicates(sources))
    return sources, analyses, problems


def empty_content(config: Config, *, replaces_a_site: bool) -> Diagnostic:
    """No report at all. Refused where it would replace a published site (an output built before,
    or --strict, which the publishing workflows use: on GitHub Pages every build is a first one);
    a new site's first local build is only warned about."""
    shown = display_path(config.content_path, config.root)
    if replaces_a_site:
        return error(shown, 0, "", f"there are no reports in {shown}/, so there is nothing to publish",
                     "add a report (site-builder new … or site-builder import FILE); the site published before is kept")
    return warning(shown, 0, "", f"there are no reports in {shown}/ yet; the site is built without any",
                   "add a report with site-builder new … or site-builder import FILE")


def _read_only(job: tuple[Path, str]) -> tuple[SourceReport | None, ReportAnalysis | None, list[Diagnostic]]:
    source, problems = read_report(*job)
    return (replace(source, markdown="") if source else None), ReportAnalysis((), ()), problems


def _read_one(job: tuple[Path, str]) -> tuple[SourceReport | None, ReportAnalysis | None, list[Diagnostic]]:
    source, problems = read_report(*job)
    if source is None:
        return None, None, problems
    return replace(source, markdown=""), analyse(source.markdown, source.meta.year), problems


def attach_bodies(reports: Sequence[Report], cache: RenderCache) -> dict[str, RenderedBody]:
    """Give each report its rendered body, from the cache or by rendering; returns the new ones."""
    new: dict[str, RenderedBody] = {}
    for report in reports:
        if report.body is not None:
            continue
        body = cache.bodies.get(report.content_hash)
        if body is None:
            try:
                body = render(read_body(report.source.path, report.content_hash))
                if report.analysis.figures:
                    body = mark_evidence(body, report.analysis.figures)
            except ChangedDuringBuild:
                raise BuildError([error(report.rel_path, 0, "", "the file changed while the site was being built",
                                        "build again once editing has finished")]) from None
            new[report.content_hash] = body
        report.body = body
    return new


DOWNLOADS: tuple[int, ...] = (-1,)
"""The job that writes data/ (CSV, XLSX, JSON) instead of a run of pages."""


def _write_pages(run: Sequence[int]) -> tuple[int, int, dict[str, RenderedBody]]:
    """Render and write one run of pages; returns (files, bytes, bodies rendered for the cache)."""
    context = cast("tuple[Site, jinja2.Environment, list[Page], SiteWriter, RenderCache]", shared())
    site, env, pages, writer, cache = context
    if run == DOWNLOADS:
        assert site.stats is not None  # the DOWNLOADS job is queued only with stats
        files = downloads(site, site.stats)
        return len(files), sum(writer.write_uncounted(path, data) for path, data in files.items()), {}
    chosen: list[Page] = [pages[i] for i in run]
    new = attach_bodies([p.context["report"] for p in chosen if "report" in p.context and p.template == "report.html"], cache)
    size = 0
    try:
        for path, html in render_pages(site, env, chosen):
            size += writer.write_uncounted(path, html)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None
    return len(run), size, new if cache.keep else {}


def _stop_on_errors(problems: list[Diagnostic], strict: bool) -> None:
    if has_errors(problems) or (strict and problems):
        raise BuildError(problems, "" if has_errors(problems) else f"{len(problems)} warning(s) with --strict; nothing was published")


def template_error(exc: jinja2.TemplateError) -> BuildError:
    """Point at the template file and line, not at a Python traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where, line = exc.filename or exc.name or "template", exc.lineno
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
        where, line = (frames[-1].filename, frames[-1].lineno or 0) if frames else ("template", 0)
    shown = display_path(Path(where)) if where != "template" else where
    return BuildError([error(shown, line, "", f"template error: {exc.message or exc}",
                             "fix the template (or remove your override of it to use the bundled one)")],
                      "the theme could not be rendered; nothing was published")
