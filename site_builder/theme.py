"""The theme: Jinja2 templates and static assets, bundled or overridden file by file from a
site-level folder (like mkdocs' custom_dir); templates compiled once into .site-cache/, and their
errors reported at the template's file and line."""

from __future__ import annotations

import contextlib
import hashlib
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.bccache

from site_builder.cache import cache_root, fingerprint
from site_builder.diagnostics import BuildError, Diagnostic, display_path, error
from site_builder.i18n import t
from site_builder.models import cn_date
from site_builder.resources import bundled
from site_builder.safepaths import bounds_of, folder_link_out, remove, walk_files
from site_builder.typeset import slash_breaks, title_breaks


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept on disk (written atomically by Jinja); one that cannot be written
    (the cache folder removed meanwhile, a read-only project) only costs the time to compile."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@dataclass(frozen=True)
class Theme:
    """Where templates and assets come from: the custom folder first, then the bundled theme."""

    folders: tuple[Path, ...]
    root: Path | None = None
    """The project: a link in the custom folder is followed only while it stays inside it."""

    @classmethod
    def load(cls, custom_dir: Path | None, root: Path | None = None) -> Theme:
        folders = [custom_dir] if custom_dir else []
        return cls((*folders, bundled("theme")), root)

    def files(self, folder: Path, kind: str = "") -> tuple[list[Path], list[Diagnostic]]:
        """The files of one theme folder (of its `kind` subfolder), and a message per path refused
        (a link out of the project, a pipe, a name that is not UTF-8): never read, never published."""
        where = folder / kind if kind else folder
        if not where.is_dir():
            return [], []
        return walk_files(where, bounds_of(self.root, folder), self.root)

    def problems(self) -> list[Diagnostic]:
        """What in the custom folder is refused (the bundled theme is the package's own)."""
        if len(self.folders) == 1:
            return []
        if self.root is not None and (link_out := folder_link_out(self.folders[0], self.root)):
            return [link_out]
        return self.files(self.folders[0])[1]

    def environment(self, base_url: str, compiled: Path | None = None) -> jinja2.Environment:
        """The templates' environment; `compiled`: a folder where compiled templates are kept
        between processes (each is compiled again when its source changes)."""
        env = jinja2.Environment(
            bytecode_cache=_CompiledTemplates(str(compiled)) if compiled else None,
            loader=jinja2.FileSystemLoader([str(f / "templates") for f in self.folders]),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # no stat of every template on every page; a changed theme gets a new environment
        )
        assets = self.asset_versions()
        env.globals["url"] = lambda path="": base_url + path
        env.globals["asset"] = lambda name: f"{base_url}assets/{name}?v={assets[name]}"
        env.filters["cn_date"] = cn_date
        env.filters["title_breaks"] = title_breaks
        env.filters["slash_breaks"] = slash_breaks
        for name in ("provinces_in_code_order", "counties_in_code_order", "towns_in_code_order"):
            env.filters[name] = list  # the site model is in 区划代码 order already; kept for themes copied before
        return env

    def assets(self) -> dict[str, Path]:
        """Asset name -> file; a custom file replaces the bundled one of the same name."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            root = folder / "assets"
            for path in self.files(folder, "assets")[0]:
                found[path.relative_to(root).as_posix()] = path
        return dict(sorted(found.items()))

    def asset_versions(self) -> dict[str, str]:
        """A short content hash per asset, appended to its URL so browsers never keep a stale copy."""
        return {name: hashlib.sha256(path.read_bytes()).hexdigest()[:10] for name, path in self.assets().items()}

    def template_files(self) -> list[Path]:
        return sorted(p for f in self.folders for p in self.files(f, "templates")[0])


def template_error(exc: jinja2.TemplateError) -> BuildError:
    """Point at the template file and line, not at a Python traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where, line = exc.filename or exc.name or "template", exc.lineno
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
        where, line = (frames[-1].filename, frames[-1].lineno or 0) if frames else ("template", 0)
    shown = display_path(Path(where)) if where != "template" else where
    return BuildError([error(shown, line, "", t("Template error: {error}", error=exc.message or exc),
                             t("Fix the template (or remove your copy of it to use the bundled one)."))],
                      t("The theme could not be rendered; nothing was published."))


def compiled_templates(project: Path | None) -> Path | None:
    """.site-cache/templates/{code}/: templates compiled once, not by every build process (a
    tenth of a second each time); a new version of the theme code or of Jinja starts afresh."""
    if project is None:
        return None
    base = cache_root(project) / "templates"
    folder = base / fingerprint(sys.modules[__name__])
    try:
        if not folder.is_dir():
            remove(base)
            folder.mkdir(parents=True)
    except OSError:
        return None  # the templates are compiled in memory, as without a cache
    return folder
