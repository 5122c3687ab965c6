"""The whole build in one place: gather and check everything first, then write once — and only
what changed since the site now in the output folder was built. The build is a loop over the
site's outputs (outputs.py; registry.py says which): it names no feature."""

from __future__ import annotations

import functools
import gc
import hashlib
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import jinja2

import site_builder
from site_builder.bundles import attach_files
from site_builder.cache import document_store
from site_builder.check import CONTENT_WARNINGS, broken_links, check_theme
from site_builder.config import Config
from site_builder.diagnostics import BuildError, Diagnostic, Severity, display_path, error, has_errors, warning
from site_builder.history import attach_history
from site_builder.i18n import N_, t
from site_builder.identifiers import missing_identifiers
from site_builder.load import Loaded, ReadIndex, load_reports
from site_builder.models import Site, build_site
from site_builder.outputs import Output, Run
from site_builder.pages import Inputs, Page, pages_to_render, render_pages, site_inputs
from site_builder.parallel import map_forked, shared, slices, workers
from site_builder.permanence import Published
from site_builder.precompress import precompress
from site_builder.reports import Bodies, report_checks
from site_builder.safepaths import check_cache, refuse_unsafe_writes
from site_builder.site_outputs import AddressesOutput
from site_builder.state import BuildResult as BuildResult  # build's callers find both here
from site_builder.state import BuildState as BuildState
from site_builder.theme import Theme, template_error
from site_builder.writer import MARKER, SiteWriter

Progress = Callable[[int, int], None]
PARALLEL_PAGES = 16
"""Pages to render from which forked workers pay off: a year or a statistics page takes 0.1 s."""


@dataclass(frozen=True)
class Options:
    strict: bool
    checks: bool
    """`check`'s checks of every report, of the theme and of the staged site's links."""
    publish: bool
    defer: bool
    progress: Progress | None


def build(config: Config, *, strict: bool = False, checks: bool = False, publish: bool = True, defer: bool = False,
          state: BuildState | None = None, progress: Progress | None = None, allow_move: bool = False,
          remember_urls: bool = True, outputs: Sequence[Output] | None = None) -> BuildResult:
    """Build the site into config.output_path, or raise BuildError and leave the old output untouched.

    `checks` runs `site-builder check`'s checks of every report and of the theme, and checks the
    links of the whole staged site before it is published (`strict` implies it); `publish=False`
    stops short of replacing the output (for `check`). `defer` (for `serve`) publishes the pages of
    changed reports and their towns first and keeps the deferred outputs as they were, for a second
    build to bring up to date a moment later; a first build does everything. `allow_move` lets a
    published address move (a redirect page is written; see permanence), `remember_urls` keeps the
    addresses published in published-urls.txt. `outputs`: by default those the config enables (registry.py).

    Python's cyclic garbage collector is paused meanwhile: the site model and the read index are
    hundreds of thousands of objects it would walk again and again for nothing (a tenth of a
    build's time); the little cyclic garbage a build makes is collected once it runs again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        options = Options(strict, checks or strict, publish, defer, progress)
        chosen = list(outputs) if outputs is not None else _outputs_for(config)
        published = Published.load(config.root)  # read once: 60,000 lines at 50,000 reports
        return _build(config, options, state or BuildState(), published,
                      [*chosen, AddressesOutput(published, allow_move=allow_move, remember=remember_urls and publish,
                                                downloads=tuple(path for output in chosen for path in output.permanent))])
    finally:
        if was_enabled:
            gc.enable()


def _outputs_for(config: Config) -> list[Output]:
    from site_builder.registry import outputs_for  # the composition root, which names the features

    return outputs_for(config)


def _build(config: Config, options: Options, state: BuildState, published: Published, outputs: list[Output]) -> BuildResult:
    started, clock = time.perf_counter(), _Clock()
    theme = Theme.load(config.custom_path, config.root)
    writer = SiteWriter(config.output_path, config.root, protected_folders(config, theme), incremental=not options.checks,
                        check_files=not options.defer)
    # At once, not after reading thousands of reports; the cache too: never written through a link.
    refuse_unsafe_writes(config.root, writer.refuse_unsafe)
    loaded, problems = _read(config, options, state, outputs, theme.problems())
    site, model_problems = _model(config, loaded, outputs, record=options.publish, published=published)
    problems += model_problems
    if not config.site_url:
        problems.append(warning("config.yaml", 0, "site_url", t("site_url is not set: sitemap.xml and feed.xml carry paths without a host."),
                                t("Set `site_url: https://your.host` in config.yaml or pass --site-url.")))
    problems += missing_identifiers(config)
    _stop_on_errors(problems, options.strict)
    clock.lap("read")
    common = site_key(config, theme, [f"{output.name} {output.inputs()}" for output in outputs])
    env = state.environment(theme, config.base_url, common, config.root)
    inputs = Inputs(loaded.summaries)
    with writer:
        run = Run(config, site, env, writer, inputs, site_inputs(site, inputs), common,
                  options.defer and writer.before is not None)
        pages, rendered, analysed = _write_outputs(run, outputs, options.progress, clock)
        for name, asset in theme.assets().items():
            writer.put(f"assets/{name}", asset.read_bytes())
        precompress(writer, config.precompress)
        if options.checks:
            _stop_on_errors(broken_links(writer.staging, config.base_url,
                                         {report.path + "index.html": report.source for report in site.reports}), strict=False)
            clock.lap("links")
        if options.publish:
            writer.commit()
            for output in outputs:
                output.published(run)
            clock.lap("commit")
    if not run.deferred and state.reads is not None:  # the second build of `serve` saves it
        state.reads.save(config.root)
    if not run.deferred:  # serve's second build tidies the cache; its first, the reload, has no time to
        document_store(config.root).keep_only({s.content_hash for s in loaded.sources})
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    return BuildResult(len(site.reports), len(pages), writer.files_written, writer.bytes_written,
                       time.perf_counter() - started, warnings, loaded.read, rendered, analysed,
                       writer.incremental, clock.laps)


def _read(config: Config, options: Options, state: BuildState, outputs: list[Output],
          theme_problems: list[Diagnostic]) -> tuple[Loaded, list[Diagnostic]]:
    """Every report read (or taken from the cache) and analysed, and checked with `checks`;
    `theme_problems`: what in the custom theme folder is refused."""
    analysers = {o.name: a for o in outputs if (a := o.analyser()) is not None}
    rescan, state.rescan = state.rescan, False  # a file added meanwhile sets it again, for the next build
    known_files = None if rescan or not state.keep_files else state.files
    loaded = load_reports(config, state.index(config.root, analysers), analysers, known_files)
    state.files = loaded.files
    problems = loaded.problems + theme_problems
    if not loaded.sources and not has_errors(problems):
        problems.append(empty_content(config, replaces_a_site=options.strict or (config.output_path / MARKER).is_file()))
    if options.checks:
        problems += check_theme(config) + report_checks(config, loaded, outputs)
    _stop_on_errors(problems, options.strict)
    return loaded, problems


def _write_outputs(run: Run, outputs: list[Output], progress: Progress | None, clock: _Clock) -> tuple[list[Page], int, dict[str, int]]:
    """Every output's pages and files; a deferred build keeps the deferred outputs as they were."""
    waiting = [o for o in outputs if run.deferred and o.deferred]
    active = [o for o in outputs if o not in waiting]
    try:
        for output in active:
            output.start(run)  # the statistics' downloads, beside the planning and the pages
        pages = [p for o in outputs for p in o.site_pages(run)] + [p for o in outputs for p in o.pages(run)]
        rendered = _render(run, pages, outputs, progress)
        clock.lap("markdown+pages")
        for output in waiting:
            output.keep(run)
        analysed = {}
        for output in active:
            analysed[output.name] = output.write(run, pages)
            clock.lap(output.name)
    except BaseException:
        for output in active:
            output.stop()
        raise
    for output in active:
        output.finish(run)
    clock.lap("finish")
    return pages, rendered, analysed


def _render(run: Run, pages: list[Page], outputs: list[Output], progress: Progress | None) -> int:
    """Render the pages whose inputs changed. Report bodies are rendered where their pages are
    written, in worker processes for large sites, so the Markdown and HTML of thousands of
    reports never cross between processes."""
    todo = pages_to_render(run.writer, pages, run.common, run.whole_site, run.deferred)
    template_globals = {name: value for o in outputs for name, value in o.template_globals().items()}
    rendered = 0
    runs = slices(todo, workers() * 4) if todo else []
    for files, size in map_forked(_write_pages, runs, (run, pages, template_globals), len(todo) >= PARALLEL_PAGES):
        run.writer.count(files, size)
        rendered += files
        if progress:
            progress(rendered, len(todo))
    return rendered


def _write_pages(indices: Sequence[int]) -> tuple[int, int]:
    """Render and write one run of pages; returns (files, bytes)."""
    run, pages, template_globals = cast("tuple[Run, list[Page], dict[str, object]]", shared())
    size = 0
    try:
        for path, html in render_pages(run.site, run.env, [pages[i] for i in indices], template_globals):
            size += run.writer.write_uncounted(path, html)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None
    return len(indices), size


def check_project(config: Config, outputs: Sequence[Output] | None = None) -> list[Diagnostic]:
    """`site-builder check`: the build with its checks, into a temporary folder, published nowhere."""
    with tempfile.TemporaryDirectory(prefix="site-builder-check-") as folder:
        try:
            result = build(replace(config, output_dir=str(Path(folder) / "site")), checks=True, publish=False, outputs=outputs)
        except BuildError as exc:
            return sorted(set(exc.diagnostics))
    return sorted({p for p in result.warnings if p.field != "site_url"})  # a local preview needs no host


def site_key(config: Config, theme: Theme, outputs: list[str]) -> str:
    """What every page is made from besides its reports: the code, the theme, the config and the outputs."""
    # Where the project, its content and its output lie does not change a page.
    placed = replace(config, root=Path("."), content_dir="", output_dir="", custom_dir="")
    digest = hashlib.sha256(f"{site_builder.__version__} {placed!r} {outputs}".encode())
    digest.update(_code_digest())
    for number, folder in enumerate(theme.folders):
        for path in theme.files(folder)[0]:
            digest.update(f"{number} {path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()


@functools.cache
def _code_digest() -> bytes:
    """The package's sources, read once per process: the code a process runs does not change under
    it (`serve` builds again and again; the theme, which can, is read every time)."""
    digest = hashlib.sha256()
    for path in sorted(Path(site_builder.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.digest()


def protected_folders(config: Config, theme: Theme) -> dict[str, Path]:
    """What a build must never replace or write into, by the name an error message gives it."""
    folders = {t("the content folder"): config.content_path, t("site-builder's own files"): Path(__file__).parent,
               t("the theme"): theme.folders[-1]}  # the bundled theme comes last, after custom_dir
    if config.custom_path:
        folders[t("the theme folder (custom_dir)")] = config.custom_path
    return folders


def inspect_site(config: Config, outputs: Sequence[Output] | None = None) -> tuple[Site, list[Output]]:
    """The site model and its outputs prepared (the statistics' tables computed), without
    writing anything but the read index in .site-cache/ (for `stats` and the search commands)."""
    check_cache(config.root)
    outputs = list(outputs) if outputs is not None else _outputs_for(config)
    analysers = {o.name: a for o in outputs if (a := o.analyser()) is not None}
    reads = ReadIndex.load(config.root, analysers)
    loaded = load_reports(config, reads, analysers)
    # Kept, as a build keeps it: else on a site never built every `search` reads every report
    # again (155 s of 212 at 50,000 reports).
    reads.save(config.root)
    _stop_on_errors(loaded.problems, strict=False)
    site, model_problems = _model(config, loaded, outputs, record=False, published=Published.load(config.root))
    _stop_on_errors(model_problems, strict=False)
    return site, outputs


def _model(config: Config, loaded: Loaded, outputs: list[Output], *, record: bool,
           published: Published) -> tuple[Site, list[Diagnostic]]:
    """The site model, its addresses kept as published, its reports' 更新记录, photos and
    attachments attached, and every output prepared (the statistics' tables, the redirects).
    `published`: published-urls.txt as the caller read it (a build reads it once)."""
    remembered = published.remembered_slugs()
    site, problems = build_site(loaded.sources, config, loaded.analyses, Bodies(document_store(config.root), outputs), remembered)
    attach_history(config.root, site.reports, record=record)
    problems += attach_files(site, loaded.images)
    for output in outputs:
        problems += output.prepare(site)
    return site, problems


STAGES = {"read": N_("reading the reports"), "links": N_("checking the links"), "commit": N_("publishing"),
          "markdown+pages": N_("rendering the pages"), "pages": N_("writing the pages"), "feed": N_("the feed"),
          "sitemap": N_("the sitemap"), "bundles": N_("the photos and attachments"),
          "addresses": N_("the published addresses"), "stats": N_("the summary tables"), "search": N_("the search index"),
          "finish": N_("finishing")}
"""What `build --verbose` calls each stage of the clock (the benchmark reads the keys)."""


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
        return error(shown, 0, "", t("There are no reports in {folder}/, so there is nothing to publish.", folder=shown),
                     t("Add a report (site-builder new … or site-builder import FILE); the site published before is kept."))
    return warning(shown, 0, "", t("There are no reports in {folder}/ yet; the site is built without any.", folder=shown),
                   t("Add a report with site-builder new … or site-builder import FILE."))


NOT_ENFORCED = CONTENT_WARNINGS | {"site_url"}
"""Warnings --strict shows but does not refuse: a report's own text, and a site without its host
(a preview, or a site served under any name: its pages link by path; only the feed lacks a host)."""


def _stop_on_errors(problems: list[Diagnostic], strict: bool) -> None:
    if has_errors(problems) or (strict and [p for p in problems if p.field not in NOT_ENFORCED]):
        raise BuildError(problems, "" if has_errors(problems) else t("{count} warning(s) with --strict; nothing was published", count=len(problems)))
