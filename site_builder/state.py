"""What a build returns (BuildResult) and what it leaves the next one (BuildState)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from site_builder.config import Config
from site_builder.diagnostics import Diagnostic
from site_builder.i18n import t
from site_builder.load import ReadIndex, read_code
from site_builder.outputs import Analyser
from site_builder.theme import Theme, compiled_templates, template_error


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
    analysed: dict[str, int] = field(default_factory=dict)
    """Reports each output analysed anew (the rest came from its cache), by output."""
    incremental: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage, for `build --verbose` and the benchmark."""

    @property
    def search_analysed(self) -> int:
        """Reports analysed for the search index (the rest came from .site-cache/search/)."""
        return self.analysed.get("search", 0)

    def summary(self) -> str:
        values = {"reports": self.reports, "pages": self.pages, "files": self.files, "megabytes": f"{self.bytes / 1e6:.1f}",
                  "rendered": self.rendered, "seconds": f"{self.seconds:.2f}", "warnings": len(self.warnings)}
        if self.incremental:
            return t("built {reports} reports into {pages} pages ({files} files written, {megabytes} MB, {rendered} of "
                     "{pages} pages rendered again) in {seconds} s; {warnings} warning(s)", **values)
        return t("built {reports} reports into {pages} pages ({files} files written, {megabytes} MB) in {seconds} s; "
                 "{warnings} warning(s)", **values)


@dataclass
class BuildState:
    """What one build leaves the next: `serve` keeps it in memory; the CLI reads it from .site-cache/."""

    reads: ReadIndex | None = None
    """What every report file gave when last read (loaded by the first build that needs it)."""
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
        return cls()

    def index(self, project: Path, analysers: dict[str, Analyser]) -> ReadIndex:
        """The read index for these analysers (a site that turns its statistics on reads again)."""
        if self.reads is None or self.reads.code != read_code(analysers):
            self.reads = ReadIndex.load(project, analysers)
        return self.reads

    def environment(self, theme: Theme, base_url: str, key: str, project: Path | None = None) -> jinja2.Environment:
        env = self.environments.get(f"{key} {base_url}")
        if env is None:
            self.environments.clear()
            env = self.environments[f"{key} {base_url}"] = theme.environment(base_url, compiled_templates(project))
        try:
            env.get_template("base.html")  # a syntax error in the theme stops the build before any work
        except jinja2.TemplateError as exc:
            raise template_error(exc) from None
        return env
