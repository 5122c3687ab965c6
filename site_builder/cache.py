"""The build cache in .site-cache/: what was computed from a report's bytes, kept by content hash,
so a report is read, parsed and analysed once — until it changes, or the code that did it does.

Every folder is named by a fingerprint of the code whose output it holds (the package version and
the source of those modules): a new version of the parser or the analysis starts a new folder and
the old one is removed. Entries are written atomically; a damaged one is computed again."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import os
import pickle
import sys
import zlib
from pathlib import Path
from types import ModuleType
from typing import Generic, TypeVar

import site_builder
from site_builder import document, markdown, names, reader, schema, theme, yamlsafe
from site_builder.safepaths import remove

T = TypeVar("T")
CACHE_DIR = ".site-cache"
LIBRARIES = ("markdown-it-py", "nh3", "PyYAML", "jieba", "opencc", "pypinyin", "Jinja2")


@functools.cache
def fingerprint(*modules: ModuleType) -> str:
    """Changes whenever the code of `modules`, site-builder's version or a library it relies on does.
    Once per process: every store of every build (and every worker's) asks for it."""
    digest = hashlib.sha256(f"{site_builder.__version__} {sys.version_info[:2]}".encode())
    for name in LIBRARIES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
    for module in modules:
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:16]


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
        try:
            data = (self.folder / f"{key}.bin").read_bytes()
            value: T = pickle.loads(zlib.decompress(data) if self.compress else data)
        except (OSError, zlib.error, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
            return None
        return value

    def put(self, key: str, value: T) -> None:
        """Atomic: workers may store at once, and a killed build leaves no half-written entry."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{key}.{os.getpid()}.tmp"
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.write_bytes(zlib.compress(data, 1) if self.compress else data)
            os.replace(temporary, self.folder / f"{key}.bin")
        except OSError:
            pass  # a cache that cannot be written only costs time

    def keep_only(self, wanted: set[str]) -> None:
        """Remove entries not in `wanted`, and the folders of other code versions."""
        if self.base.is_dir():
            for other in self.base.iterdir():
                if other != self.folder:
                    remove(other)
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.suffix == ".tmp" or path.stem not in wanted:
                    path.unlink(missing_ok=True)


def document_store(project: Path) -> EntryStore[document.Document]:
    """Parsed report bodies by content hash: uncompressed (≈ 36 KB a report), since compressing
    them cost a tenth of a cold build."""
    return EntryStore(project, "documents", fingerprint(markdown, document, sys.modules[__name__]), compress=False)


def read_fingerprint(*analysis: ModuleType) -> str:
    """Of everything that turns a file into a validated report and its analysis."""
    return fingerprint(reader, schema, names, yamlsafe, markdown, document, *analysis)


def compiled_templates(project: Path | None) -> Path | None:
    """.site-cache/templates/{code}/: templates compiled once, not by every build process (a
    tenth of a second each time); a new version of the theme code or of Jinja starts afresh."""
    if project is None:
        return None
    base = cache_root(project) / "templates"
    folder = base / fingerprint(theme)
    try:
        if not folder.is_dir():
            remove(base)
            folder.mkdir(parents=True)
    except OSError:
        return None  # the templates are compiled in memory, as without a cache
    return folder
