"""The Output protocol: what a feature adds to a build, and the one build-wide object it is handed.

A build (build.py) reads every report once, then loops over the enabled outputs at each stage;
it names none of them. An output may:

- analyse each report's parsed Document at read time (in the read stage's workers; the result is
  cached with the report and reaches every output as `report.analyses[name]`);
- check each report, for `site-builder check` and `build --strict`;
- prepare what it needs from the whole site model (the statistics' tables, the addresses);
- plan pages (rendered by the build with every other page) and give the templates globals;
- post-process a report's HTML (the statistics mark the sentences their figures came from);
- start work beside the pages (a forked process), write its files, and finish;
- say what it depends on: every file it writes is recorded with a key of its inputs
  (`Run.key`), so an incremental build writes only what changed.

`deferred` outputs are left as they were by `serve`'s first, quick build (the pages of the reports
that changed) and brought up to date by the second. A disabled output is not constructed at all:
it costs nothing, not even its analysis. site_builder/registry.py lists the outputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import jinja2

    from site_builder.config import Config
    from site_builder.diagnostics import Diagnostic
    from site_builder.document import Document
    from site_builder.models import Report, Site
    from site_builder.pages import Inputs, Page
    from site_builder.reader import ReportFile
    from site_builder.writer import SiteWriter

Analyser = Callable[["Document", int], object]
"""(document, year of the report) → what an output keeps of one report: small, picklable, its
repr stable (a digest of it says whether pages summarising the report change)."""


@dataclass(frozen=True)
class Run:
    """One build as the outputs see it, the same for its whole length."""

    config: Config
    site: Site
    env: jinja2.Environment
    writer: SiteWriter
    inputs: Inputs
    whole_site: Mapping[tuple[str, ...], str]
    """The digests pages.LISTING and pages.SUMMARY stand for."""
    common: str
    """What every file is made from besides its reports: code, theme, config (build.site_key)."""
    deferred: bool
    """`serve`'s first build: deferred outputs keep their files as they were."""

    def key(self, *parts: str) -> str:
        """The key recorded for a file made from `parts` (and the code, theme and config)."""
        return hashlib.sha256(" ".join((self.common, *parts)).encode()).hexdigest()[:32]


class Output:
    """An output with nothing to do; a feature overrides what it needs."""

    name: ClassVar[str] = ""
    deferred: ClassVar[bool] = False
    """Whether `serve`'s first build leaves this output's files as they were (see Output.keep)."""
    folders: ClassVar[tuple[str, ...]] = ()
    """The output folders it owns, kept as they were by a deferred build."""
    permanent: ClassVar[tuple[str, ...]] = ()
    """Files it writes under a stable name for others to link to (data/stats.xlsx): remembered in
    published-urls.txt as pages are, never dropped silently (see permanence)."""

    def analyser(self) -> Analyser | None:
        """What to run on every report read or changed; None: the output needs nothing per report."""
        return None

    def check(self, source: ReportFile, document: Document, analyses: Mapping[str, object]) -> list[Diagnostic]:
        """`check`'s problems with one report that this output finds (it runs in workers)."""
        return []

    def prepare(self, site: Site) -> list[Diagnostic]:
        """Compute what the output needs of the whole site, once the site model is built; returns
        the problems found doing so (a units list that cannot be read)."""
        return []

    def inputs(self) -> str:
        """What its files are made from besides the reports, the code, the theme and the config
        (the units list): part of every page's key."""
        return ""

    def site_pages(self, run: Run) -> list[Page]:
        """Pages about the whole site, listed after the home page and the indexes (the sitemap's order)."""
        return []

    def pages(self, run: Run) -> list[Page]:
        """Every other page it adds, listed after the pages of places and years."""
        return []

    def template_globals(self) -> Mapping[str, object]:
        """What every template may read of it."""
        return {}

    def mark(self, report: Report, html: str) -> str:
        """A report body's HTML as this output wants it on the page."""
        return html

    def start(self, run: Run) -> None:
        """Begin work that goes on beside the rendering of the pages (in a process of its own)."""

    def write(self, run: Run, pages: list[Page]) -> int:
        """Write its files once the pages are written; returns the reports it analysed anew."""
        return 0

    def finish(self, run: Run) -> None:
        """Collect what `start` began."""

    def stop(self) -> None:
        """The build failed: end what `start` began."""

    def keep(self, run: Run) -> None:
        """Instead of writing, in a deferred build: keep the files as they were."""
        run.writer.keep(self.folders)

    def published(self, run: Run) -> None:
        """The output folder now holds this build: save what the next build starts from."""
