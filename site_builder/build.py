"""The whole build in one place: gather and check everything first, then write once — and only
what changed since the site now in the output folder was built."""

from __future__ import annotations

import gc
import hashlib
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import jinja2

import site_builder
from site_builder.bundles import attach_files, files_to_publish, show_images
from site_builder.cache import EntryStore, compiled_templates, document_store
from site_builder.check import CONTENT_WARNINGS, broken_links, check_report, check_theme
from site_builder.config import Config
from site_builder.diagnostics import BuildError, Diagnostic, Severity, display_path, error, has_errors, warning
from site_builder.document import Document
from site_builder.history import attach_history
from site_builder.identifiers import missing_identifiers
from site_builder.load import Loaded, ReadIndex, document_of, load_reports
from site_builder.models import Report, Site, build_site
from site_builder.pages import (
    SUMMARY,
    Inputs,
    Kind,
    Page,
    feed_inputs,
    feed_reports,
    input_key,
    plan_pages,
    render_feed,
    render_pages,
    site_inputs,
)
from site_builder.parallel import map_forked, shared, slices, start_forked, workers
from site_builder.permanence import Published, plan_addresses
from site_builder.precompress import precompress
from site_builder.reader import ChangedDuringBuild, SourceReport
from site_builder.safepaths import check_cache, refuse_unsafe_writes
from site_builder.stats.downloads import DOWNLOAD_PARTS, downloads
from site_builder.stats.evidence import mark_evidence
from site_builder.stats.pages import plan_stats_pages
from site_builder.stats.tables import SiteStats
from site_builder.stats.tables import compute as compute_stats
from site_builder.stats.units import load_units, stats_inputs
from site_builder.theme import Theme
from site_builder.writer import MARKER, SiteWriter

Progress = Callable[[int, int], None]
PARALLEL_PAGES = 16
"""Pages to render from which forked workers pay off: a year or a statistics page takes 0.1 s."""


@dataclass
class BuildResult:
    reports: int
    pages: int
    files: int
    """Files written by this build (an incremental build writes only those that changed)."""
    bytes: int
    seconds: float
    warnings: list[Diagnostic] = field(default_factory=list)
    read: int = 0
    """Report files read and analysed in this build (the rest came from the cache)."""
    rendered: int = 0
    """Pages rendered in this build (the rest were unchanged)."""
    search_analysed: int = 0
    """Reports analysed for the search index (the rest came from .site-cache/search/)."""
    incremental: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage, for `build --verbose` and the benchmark."""

    def summary(self) -> str:
        how = f", {self.rendered} of {self.pages} pages rendered again" if self.incremental else ""
        return (f"built {self.reports} reports into {self.pages} pages ({self.files} files written, "
                f"{self.bytes / 1e6:.1f} MB{how}) in {self.seconds:.2f} s; {len(self.warnings)} warning(s)")


@dataclass
class BuildState:
    """What one build leaves the next: `serve` keeps it in memory; the CLI reads it from .site-cache/."""

    reads: ReadIndex
    files: tuple[list[Path], list[Diagnostic]] | None = None
    """The report files the last build found."""
    rescan: bool = True
    """Whether to look for the files again: `serve`'s watcher says so when one is added, removed
    or renamed; without a watcher (keep_files False) every build does."""
    environments: dict[str, jinja2.Environment] = field(default_factory=dict)
    """The theme's template environment by site_key and base URL: templates compile once."""

    keep_files: bool = False
    """Whether something tells the state when files come and go (`serve`'s watcher)."""

    @classmethod
    def load(cls, config: Config) -> BuildState:
        return cls(ReadIndex.load(config.root))

    def environment(self, theme: Theme, base_url: str, key: str, project: Path | None = None) -> jinja2.Environment:
        env = self.environments.get(f"{key} {base_url}")
        if env is None:
            self.environments.clear()
            env = self.environments[f"{key} {base_url}"] = theme.environment(base_url, compiled_templates(project))
        return env


def build(config: Config, *, strict: bool = False, checks: bool = False, publish: bool = True, defer: bool = False,
          state: BuildState | None = None, progress: Progress | None = None, allow_move: bool = False,
          remember_urls: bool = True) -> BuildResult:
    """See _build. Python's cyclic garbage collector is paused meanwhile: the site model and the
    read index are hundreds of thousands of objects it would walk again and again for nothing (a
    tenth of a build's time); the little cyclic garbage a build makes is collected once it runs again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(config, strict=strict, checks=checks, publish=publish, defer=defer, state=state, progress=progress,
                      urls=(allow_move, remember_urls and publish))
    finally:
        if was_enabled:
            gc.enable()


def _build(config: Config, *, strict: bool, checks: bool, publish: bool, defer: bool,
           state: BuildState | None, progress: Progress | None, urls: tuple[bool, bool]) -> BuildResult:
    """Build the site into config.output_path, or raise BuildError and leave the old output untouched.

    `checks` runs `site-builder check`'s checks of every report and of the theme, and checks the
    links of the whole staged site before it is published (`strict` implies it); `publish=False`
    stops short of replacing the output (for `check`). `defer` (for `serve`) publishes the pages of
    changed reports and their towns first and keeps everything else as it was, for a second build
    to bring up to date a moment later; a first build does everything. `urls`: (--allow-move, whether
    to remember the addresses published in published-urls.txt; see permanence)."""
    started, clock = time.perf_counter(), _Clock()
    checks = checks or strict
    theme = Theme.load(config.custom_path, config.root)
    writer = SiteWriter(config.output_path, config.root, protected_folders(config, theme), incremental=not checks,
                        check_files=not defer)
    # At once, not after reading thousands of reports; the cache too: never written through a link.
    refuse_unsafe_writes(config.root, writer.refuse_unsafe)
    state = state or BuildState.load(config)

    rescan, state.rescan = state.rescan, False  # a file added meanwhile sets it again, for the next build
    loaded = load_reports(config, state.reads, None if rescan or not state.keep_files else state.files)
    state.files = loaded.files
    problems = loaded.problems + theme.problems()
    if not loaded.sources and not has_errors(problems):
        problems.append(empty_content(config, replaces_a_site=strict or (config.output_path / MARKER).is_file()))
    if checks:
        problems += check_theme(config) + report_checks(config, loaded)
    _stop_on_errors(problems, strict)
    published = Published.load(config.root)
    site, model_problems = build_site(loaded.sources, config, published.remembered_slugs())
    addresses = plan_addresses(site, published, allow_move=urls[0])
    site.moved = addresses.redirects
    attach_history(config.root, site.reports, record=publish)
    model_problems += addresses.problems + attach_files(site, loaded.images)
    units, unit_problems = load_units(config.root, config.registry, site) if config.stats else (None, [])
    stats = compute_stats(site, loaded.analyses, units) if config.stats else None
    problems += model_problems + unit_problems
    if not config.site_url:
        problems.append(warning("config.yaml", 0, "site_url", "site_url is not set: sitemap.xml and feed.xml carry paths without a host",
                                "set `site_url: https://your.host` in config.yaml or pass --site-url"))
    problems += missing_identifiers(config)
    _stop_on_errors(problems, strict)
    clock.lap("read")

    common = site_key(config, theme, stats is not None, stats_inputs(units)) + addresses.digest
    env = state.environment(theme, config.base_url, common, config.root)
    try:
        env.get_template("base.html")  # a syntax error in the theme stops the build before any work
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None
    inputs = Inputs(loaded.summaries if stats else {})
    whole_site = site_inputs(site, inputs)
    rendered = analysed = 0
    search_state, keep_search_state = None, False
    with writer:
        defer = defer and writer.before is not None
        # The downloads (seconds of XLSX on large sites) are made in a process of their own,
        # started first, beside the planning, the pages and the search index.
        downloads_key = hashlib.sha256(f"{common} {whole_site[SUMMARY]}".encode()).hexdigest()[:32]
        making_downloads = start_forked(_write_pages, list(DOWNLOADS), (site, stats, env, [], writer)) \
            if stats and not defer and not _downloads_unchanged(writer, downloads_key) else None
        try:
            pages = plan_pages(site, inputs, stats=stats is not None, search_data=_search_data(site)) + \
                (plan_stats_pages(stats, inputs) if stats else [])
            todo = _pages_to_render(writer, pages, common, whole_site, defer)
            if defer:
                writer.keep(("data/", "search/"))
            # Report bodies are rendered where their pages are written, in worker processes for large
            # sites, so the Markdown and HTML of thousands of reports never cross between processes.
            context = (site, stats, env, pages, writer)
            runs = slices(todo, workers() * 4) if todo else []
            for files, size, _ in map_forked(_write_pages, runs, context, len(todo) >= PARALLEL_PAGES):
                writer.count(files, size)
                rendered += files
                if progress:
                    progress(rendered, len(todo))
            clock.lap("markdown+pages")
            if config.search and defer:
                from site_builder.search.build import SearchState

                search_state = SearchState.load(config.root, writer)  # still true of the index kept
            elif config.search:
                from site_builder.search.build import write_search  # numpy: loaded only when needed

                try:
                    analysed, search_state = write_search(site, writer)
                except OSError as exc:  # its spill files and cache live outside the staging folder
                    raise writer.explain(exc) from None
                clock.lap("search index")
        except BaseException:
            if making_downloads is not None:
                making_downloads.close()
            raise
        for files, size, data_files in making_downloads or []:
            writer.count(files, size)
            for path in data_files:
                writer.record(path, downloads_key)
        clock.lap("downloads")
        for name, made_from in feed_inputs(site, pages, inputs).items():
            key = hashlib.sha256(f"{common} {name} {made_from}".encode()).hexdigest()[:32]
            writer.record(name, key)
            if writer.unchanged(name, key):
                continue
            attach_bodies(feed_reports(site), stats, document_store(config.root))  # for the feed's summaries
            try:
                writer.write(name, render_feed(name, site, env, pages))
            except jinja2.TemplateError as exc:
                raise template_error(exc) from None
        for name, asset in theme.assets().items():
            writer.put(f"assets/{name}", asset.read_bytes())
        for path, redirect in addresses.pages(site):
            writer.put(path, redirect)
        _write_bundles(site, writer)
        precompress(writer, config.precompress)
        clock.lap("feeds+assets")
        if checks:
            pages_of = {report.path + "index.html": report.source for report in site.reports}
            _stop_on_errors(broken_links(writer.staging, config.base_url, pages_of), strict=False)
            clock.lap("links")
        if publish:
            writer.commit()
            if urls[1]:
                addresses.save(config.root)
            if search_state is not None:
                search_state.save(config.root, writer.output, writer.manifest.build_id)
            elif keep_search_state:
                from site_builder.search.build import stamp

                stamp(config.root, writer.output, writer.manifest.build_id)
            clock.lap("commit")
    if not defer:  # the second build of `serve` saves it
        state.reads.save(config.root)
    document_store(config.root).keep_only({s.content_hash for s in loaded.sources})
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    return BuildResult(len(site.reports), len(pages), writer.files_written, writer.bytes_written,
                       time.perf_counter() - started, warnings, loaded.read, rendered, analysed,
                       writer.incremental, clock.laps)


def check_project(config: Config) -> list[Diagnostic]:
    """`site-builder check`: the build with its checks, into a temporary folder, published nowhere."""
    with tempfile.TemporaryDirectory(prefix="site-builder-check-") as folder:
        try:
            result = build(replace(config, output_dir=str(Path(folder) / "site")), checks=True, publish=False)
        except BuildError as exc:
            return sorted(set(exc.diagnostics))
    return sorted({p for p in result.warnings if p.field != "site_url"})  # a local preview needs no host


def site_key(config: Config, theme: Theme, stats: bool, units: str = "") -> str:
    """What every page is made from besides its reports: the code, the theme, the config and the
    list of units that must publish (units.csv)."""
    # Where the project, its content and its output lie does not change a page.
    placed = replace(config, root=Path("."), content_dir="", output_dir="", custom_dir="")
    digest = hashlib.sha256(f"{site_builder.__version__} {placed!r} {stats} {units}".encode())
    for path in sorted(Path(site_builder.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    for number, folder in enumerate(theme.folders):
        for path in theme.files(folder)[0]:
            digest.update(f"{number} {path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()


FIRST_KINDS = frozenset({Kind.REPORT, Kind.TOWN})
"""What a deferred build (serve's first) renders: the pages of the reports themselves and of their
towns; the lists, years and statistics follow with the search index (as Hugo's fast render does)."""


def _search_data(site: Site) -> str:
    if not site.config.search:
        return ""
    from site_builder.search.browser import search_page_data
    from site_builder.search.build import search_shards
    return search_page_data(search_shards(site))


def _pages_to_render(writer: SiteWriter, pages: list[Page], common: str, whole_site: dict[tuple[str, ...], str],
                     defer: bool) -> list[int]:
    """The pages whose inputs changed, recording each with its key. Deferred, a changed page of
    another kind keeps the key it had (and its file), so the next build renders it."""
    todo = []
    before = writer.before.files if writer.before else {}
    for index, page in enumerate(pages):
        path, key = page.file_path, input_key(page, common, whole_site)
        if writer.unchanged(path, key):
            writer.record(path, key)
        elif not defer or page.kind in FIRST_KINDS:
            writer.record(path, key)
            todo.append(index)
        elif path in before:
            writer.record(path, before[path])
    return todo


def _downloads_unchanged(writer: SiteWriter, key: str) -> bool:
    """The data/ downloads summarise every report: made again when a front-matter or what the
    statistics found changed. When nothing did, the files in the output are kept."""
    before = writer.before.files if writer.before else {}
    previous = [path for path in before if path.startswith("data/")]
    if not previous or any(before[path] != key for path in previous):
        return False
    writer.keep(("data/",))
    return True


def protected_folders(config: Config, theme: Theme) -> dict[str, Path]:
    """What a build must never replace or write into, by the name an error message gives it."""
    folders = {"the content folder": config.content_path, "site-builder's own files": Path(__file__).parent,
               "the theme": theme.folders[-1]}  # the bundled theme comes last, after custom_dir
    if config.custom_path:
        folders["the theme folder (custom_dir)"] = config.custom_path
    return folders


def inspect_site(config: Config) -> tuple[Site, SiteStats]:
    """The site model and its summary tables, without writing anything (for `stats`)."""
    check_cache(config.root)
    loaded = load_reports(config, ReadIndex.load(config.root))
    _stop_on_errors(loaded.problems, strict=False)
    site, model_problems = build_site(loaded.sources, config, Published.load(config.root).remembered_slugs())
    units, unit_problems = load_units(config.root, config.registry, site)
    _stop_on_errors(model_problems + unit_problems, strict=False)
    return site, compute_stats(site, loaded.analyses, units)


def report_checks(config: Config, loaded: Loaded) -> list[Diagnostic]:
    """`check`'s per-report checks, on the documents this build parsed (in workers for large sites)."""
    found: list[Diagnostic] = []
    for problems in map_forked(_check_one, loaded.sources, (document_store(config.root), loaded)):
        found += problems
    return found


def _check_one(source: object) -> list[Diagnostic]:
    store, loaded = cast("tuple[EntryStore[Document], Loaded]", shared())
    report = cast(SourceReport, source)
    return check_report(report, document_of(store, report), loaded.analyses[report.content_hash])


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now


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


def attach_bodies(reports: Sequence[Report], stats: SiteStats | None, store: EntryStore[Document]) -> None:
    """Give each report its parsed body, the sentences of its key figures marked."""
    for report in reports:
        if report.body is not None:
            continue
        try:
            body = document_of(store, report.source)
        except ChangedDuringBuild:
            raise BuildError([error(report.rel_path, 0, "", "the file changed while the site was being built",
                                    "build again once editing has finished")]) from None
        figures = stats.report_figures.get(report.path, {}) if stats else {}
        if figures:
            body = replace(body, html=mark_evidence(body.html, figures.values()))
        report.body = replace(body, html=show_images(body.html, report)) if report.images else body


DOWNLOADS: dict[tuple[int, ...], str] = {(-1 - n,): part for n, part in enumerate(DOWNLOAD_PARTS)}
"""The jobs that write data/ (CSV and JSON; XLSX) instead of a run of pages."""


def _write_pages(run: Sequence[int]) -> tuple[int, int, list[str]]:
    """Render and write one run of pages (or the downloads); returns (files, bytes, downloads written)."""
    context = cast("tuple[Site, SiteStats | None, jinja2.Environment, list[Page], SiteWriter]", shared())
    site, stats, env, pages, writer = context
    if tuple(run) in DOWNLOADS:
        assert stats is not None  # the DOWNLOADS jobs are queued only with stats
        files = downloads(site, stats, DOWNLOADS[tuple(run)])
        return len(files), sum(writer.write_uncounted(path, data) for path, data in files.items()), sorted(files)
    chosen: list[Page] = [pages[i] for i in run]
    reports = [p.view.report for p in chosen if p.kind.name == "REPORT"]
    attach_bodies(reports, stats, document_store(site.config.root))
    size = 0
    try:
        for path, html in render_pages(site, env, chosen, {"stats": stats}):
            size += writer.write_uncounted(path, html)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None
    return len(run), size, []


def _write_bundles(site: Site, writer: SiteWriter) -> None:
    """The photos and attachments beside the reports, byte for byte, each under its page."""
    for path, item in files_to_publish(site):
        key = item.digest[:32]
        writer.record(path, key)
        if not writer.unchanged(path, key):
            try:
                writer.write(path, item.source.read_bytes())
            except OSError:
                raise BuildError([error(display_path(item.source, site.config.root), 0, "bundle",
                                        "这个文件在构建过程中被移走或无法读取。", "等编辑完成后再构建一次。")]) from None


NOT_ENFORCED = CONTENT_WARNINGS | {"site_url"}
"""Warnings --strict shows but does not refuse: a report's own text, and a site without its host
(a preview, or a site served under any name: its pages link by path; only the feed lacks a host)."""


def _stop_on_errors(problems: list[Diagnostic], strict: bool) -> None:
    if has_errors(problems) or (strict and [p for p in problems if p.field not in NOT_ENFORCED]):
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
