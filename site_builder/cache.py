"""The build cache in .site-cache/: what was computed from a report's bytes, kept by content hash,
so a report is read, parsed and analysed once — until it changes, or the code that did it does.

Every folder is named by a fingerprint of the code whose output it holds: the package version,
the libraries, and the source of the modules a stage runs — found by following their imports,
not listed by hand, so a change anywhere they reach starts a new folder (and the old one is
removed). Every file is saved by store.PickleFile, atomically; a damaged one reads as missing and
is computed again."""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import importlib.metadata
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Generic, TypeVar

import site_builder
from site_builder import document
from site_builder.safepaths import remove
from site_builder.store import PickleFile

T = TypeVar("T")
PACKAGE = Path(site_builder.__file__).parent
CACHE_DIR = ".site-cache"
LIBRARIES = ("markdown-it-py", "nh3", "PyYAML", "jieba", "opencc", "pypinyin", "Jinja2")


@functools.cache
def fingerprint(*modules: ModuleType) -> str:
    """Changes whenever the code `modules` run (their own source and that of every site_builder
    module they import, directly or not), site-builder's version or a library it relies on does.
    Once per process: every store of every build (and every worker's) asks for it."""
    digest = hashlib.sha256(f"{site_builder.__version__} {sys.version_info[:2]}".encode())
    for name in LIBRARIES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
    for path in code_of(*(module.__name__ for module in modules)):
        digest.update(f"{path.relative_to(PACKAGE).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def code_of(*names: str) -> list[Path]:
    """The source files of the modules `names` and of every site_builder module they import, at
    the top or inside a function, followed to the end."""
    found: dict[str, Path] = {}
    pending = list(names)
    while pending:
        name = pending.pop()
        path = _source(name)
        if name in found or path is None:
            continue
        found[name] = path
        pending.extend(imported_by(path, name))
    return sorted(found.values())


def _source(name: str) -> Path | None:
    if name != "site_builder" and not name.startswith("site_builder."):
        return None
    base = PACKAGE.joinpath(*name.split(".")[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


@functools.cache
def imported_by(path: Path, name: str) -> frozenset[str]:
    """The site_builder modules the file `path` (module `name`) imports when it runs (imports for
    type checkers only are left out). Once per process, like fingerprint(): the stores' fingerprints
    share most of their modules, and parsing them again was a tenth of a one-edit build's own time."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _run_time_nodes(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            # `from site_builder import stats` imports a module; `from x import name`, x itself
            found.update(f"{base}.{a.name}" if _source(f"{base}.{a.name}") else base for a in node.names)
    return frozenset(module for module in found if _source(module) is not None)


def _run_time_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in (child, *_run_time_nodes(child)))
            continue
        yield node
        yield from _run_time_nodes(node)


def cache_root(project: Path) -> Path:
    return project / CACHE_DIR


class EntryStore(Generic[T]):
    """Files `{key}.bin` under `.site-cache/{name}/{fingerprint}/`: pickles, zlib-compressed when
    `compress` (what is compressed fast enough to be worth it)."""

    def __init__(self, project: Path, name: str, code: str, *, compress: bool = True) -> None:
        self.base = cache_root(project) / name
        self.folder = self.base / code
        self.compress = compress

    def get(self, key: str) -> T | None:
        return PickleFile[T](self.folder / f"{key}.bin", compress=self.compress).load()

    def put(self, key: str, value: T) -> None:
        PickleFile[T](self.folder / f"{key}.bin", compress=self.compress).save(value)

    def keep_only(self, wanted: set[str]) -> None:
        """Remove entries not in `wanted`, and the folders of other code versions."""
        if self.base.is_dir():
            for other in self.base.iterdir():
                if other != self.folder:
                    remove(other)
        if self.folder.is_dir():
            with os.scandir(self.folder) as entries:  # 50,000 files at 50,000 reports: no Path for each
                unwanted = [entry.path for entry in entries
                            for stem, suffix in (os.path.splitext(entry.name),) if suffix == ".tmp" or stem not in wanted]
            for path in unwanted:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)


def document_store(project: Path) -> EntryStore[document.Document]:
    """Parsed report bodies by content hash: uncompressed (≈ 36 KB a report), since compressing
    them cost a tenth of a cold build."""
    return EntryStore(project, "documents", fingerprint(document, sys.modules[__name__]), compress=False)
