"""`site-builder init [DIR]`: a new site repository of one's own (like `mkdocs new`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from site_builder import __version__
from site_builder.i18n import current_language
from site_builder.install_source import Source, install_source
from site_builder.resources import bundled

# Files stored as dot-x in the package (setuptools skips dot-files in package data) and written as .x.
DOT_PREFIX = "dot-"


@dataclass(frozen=True)
class Planned:
    target: Path
    """Where the file goes in the new site."""
    data: bytes


def _site_files(target: Path, example: bool, tool: Source) -> list[Planned]:
    planned: list[Planned] = []
    template = bundled("site")
    for source in sorted(template.rglob("*")):
        if source.is_dir():
            continue
        parts = [("." + p[len(DOT_PREFIX):]) if p.startswith(DOT_PREFIX) else p for p in source.relative_to(template).parts]
        data = source.read_bytes().replace(b"@TOOL@", tool.requirement.encode()).replace(b"@VERSION@", __version__.encode())
        planned.append(Planned(target.joinpath(*parts), data))
    if current_language() == "en":  # the editors' guide in the language the site's editors asked for
        guide = bundled("site-en") / "content" / "README.md"
        planned = [Planned(p.target, guide.read_bytes()) if p.target == target / "content" / "README.md" else p for p in planned]
    if tool.wheel is not None:  # the workflows install this wheel, committed with the site
        planned.append(Planned(target / tool.requirement, tool.wheel))
    if example:
        examples = bundled("examples")
        for source in sorted(examples.rglob("*.md")):
            planned.append(Planned(target / "content" / source.relative_to(examples), source.read_bytes()))
    return planned


def init_site(target: Path, *, example: bool = False, tool: str = "", extra: Mapping[str, bytes] | None = None) -> list[Path]:
    """Write the new site's files; refuses (writing nothing) when any of them exists already.

    `tool` is what the GitHub workflows install (a pip requirement: a wheel's URL from a release,
    git+https://…@commit, a version); by default what this site-builder was installed from, or this
    installation as a wheel bundled into the site (see install_source). `extra`: more files by their
    path in the site (units.csv from `init --county`)."""
    planned = _site_files(target, example, Source(tool) if tool else install_source())
    planned += [Planned(target / name, data) for name, data in (extra or {}).items()]
    existing = [p.target for p in planned if p.target.exists() or p.target.is_symlink()]
    if existing:
        raise FileExistsError(existing)
    for item in planned:
        item.target.parent.mkdir(parents=True, exist_ok=True)
        item.target.write_bytes(item.data)
    return [p.target for p in planned]

