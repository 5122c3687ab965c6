"""Stages 1–2 for the whole content folder: every file read, validated, parsed once into its
document and analysed by the enabled outputs' analysers — or all of that taken from the cache,
when neither the file nor the code has changed since. Workers parse; the parent keeps only the
small results, never the bodies."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

from site_builder import document as document_module
from site_builder import names, privacy, reader
from site_builder.bundles import outside_images
from site_builder.cache import EntryStore, cache_root, document_store, fingerprint
from site_builder.config import Config
from site_builder.diagnostics import Diagnostic, display_path
from site_builder.document import Document, parse_document
from site_builder.outputs import Analyser
from site_builder.parallel import map_forked, shared
from site_builder.privacy import report_leaks
from site_builder.reader import (
    ReportFile,
    find_duplicates,
    find_sources,
    missing_content,
    read_body,
    read_report,
)
from site_builder.safepaths import remove
from site_builder.store import PickleFile

FileStat = tuple[int, int, int, int]


@dataclass(frozen=True)
class ReadEntry:
    """What one file gave the last time it was read."""

    stat: FileStat
    """(mtime, size, inode, ctime) when it was read: the same again means the same file."""
    source: ReportFile | None
    """The validated report (None when the file has errors)."""
    analyses: Mapping[str, object] | None
    """What each output's analyser found in it, by the output's name."""
    problems: tuple[Diagnostic, ...]
    summary: str = ""
    """A digest of the analyses: pages summarising the report change only when they do."""
    images: tuple[tuple[int, str], ...] = ()
    """(line of the file, address) of each image shown from beside the report (see bundles)."""


@dataclass
class ReadIndex:
    """Every file's ReadEntry by its path as shown, kept in memory by `serve` and on disk between
    builds (.site-cache/reports/<code fingerprint>/index.bin)."""

    entries: dict[str, ReadEntry] = field(default_factory=dict)
    code: str = ""
    changed: bool = True
    """Whether entries changed since it was last saved."""
    syllables: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """The pinyin of every place name seen (names.syllables), so a build loads pypinyin only for a new one."""

    @staticmethod
    def path(project: Path, code: str) -> Path:
        return cache_root(project) / "reports" / code / "index.bin"

    @classmethod
    def load(cls, project: Path, analysers: Mapping[str, Analyser]) -> ReadIndex:
        code = read_code(analysers)
        index = PickleFile[ReadIndex](cls.path(project, code)).load()
        if isinstance(index, ReadIndex) and index.code == code:
            index.changed = False
            names.remember_syllables(index.syllables)
            return index
        return cls({}, code)

    def save(self, project: Path) -> None:
        known = names.known_syllables()
        if len(known) != len(self.syllables):
            self.syllables, self.changed = known, True
        if not self.changed:
            return
        self.changed = False
        target = self.path(project, self.code)
        if PickleFile[ReadIndex](target).save(self):  # if not, it only costs time next build
            for other in target.parent.parent.iterdir():
                if other != target.parent:  # made by another version of the code
                    remove(other)


def read_code(analysers: Mapping[str, Analyser]) -> str:
    """The fingerprint of everything that turns a file into a validated report and its analyses."""
    code = fingerprint(reader, document_module, privacy, sys.modules[__name__], *(sys.modules[a.__module__] for a in analysers.values()))
    return "-".join([code, *sorted(analysers)])


@dataclass
class Loaded:
    sources: list[ReportFile]
    """Validated reports, without their Markdown."""
    analyses: dict[str, Mapping[str, object]]
    """Each report's analyses (by output) by content hash."""
    summaries: dict[str, str]
    """Each report's ReadEntry.summary by content hash."""
    problems: list[Diagnostic]
    read: int = 0
    """Files read and parsed in this build (the others came from the cache)."""
    files: tuple[list[Path], list[Diagnostic]] = ([], [])
    """The report files found (and the problems finding them), for `serve` to reuse until one is
    added, removed or renamed."""
    images: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    """Each report's ReadEntry.images by content hash (only those that show any)."""


def _stat(path: Path) -> FileStat | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino, status.st_ctime_ns


def load_reports(config: Config, index: ReadIndex, analysers: Mapping[str, Analyser],
                 files: tuple[list[Path], list[Diagnostic]] | None = None) -> Loaded:
    """Every report of content/, read and analysed only where the file changed since `index`
    saw it; `index` (made for these `analysers`) is brought up to date. `files`: the files found
    by the last build, when none has been added, removed or renamed since (serve knows)."""
    if files is None:
        problems = missing_content(config.content_path, config.root)
        files = ([], problems) if problems else find_sources(config.content_path, config.root)
    paths, problems = files[0], list(files[1])
    shown = _shown(paths, config.root)
    stats = [_stat(path) for path in paths]
    jobs = [(path, name, stat) for path, name, stat in zip(paths, shown, stats, strict=True)
            if stat is None or name not in index.entries or index.entries[name].stat != stat]
    store = document_store(config.root)
    for name, entry in zip((job[1] for job in jobs), map_forked(_read_one, jobs, (store, index, analysers)), strict=True):
        index.entries[name] = entry
    for gone in set(index.entries) - set(shown):
        del index.entries[gone]
        index.changed = True
    index.changed |= bool(jobs)
    sources: list[ReportFile] = []
    analyses: dict[str, Mapping[str, object]] = {}
    summaries: dict[str, str] = {}
    images: dict[str, tuple[tuple[int, str], ...]] = {}
    for name in shown:
        entry = index.entries[name]
        problems.extend(entry.problems)
        if entry.source is not None and entry.analyses is not None:
            sources.append(entry.source)
            analyses[entry.source.content_hash] = entry.analyses
            summaries[entry.source.content_hash] = entry.summary
            if entry.images:
                images[entry.source.content_hash] = entry.images
    problems.extend(find_duplicates(sources))
    return Loaded(sources, analyses, summaries, problems, len(jobs), files, images)


_SHOWN: list[tuple[list[Path], Path, list[str]]] = []
"""The names shown for the last list of files: `serve` hands the same list to build after build."""


def _shown(paths: list[Path], root: Path) -> list[str]:
    if _SHOWN and _SHOWN[0][0] is paths and _SHOWN[0][1] == root:
        return _SHOWN[0][2]
    shown = [display_path(path, root) for path in paths]
    _SHOWN[:] = [(paths, root, shown)]
    return shown


def _read_one(job: tuple[Path, str, FileStat | None]) -> ReadEntry:
    store, index, analysers = cast("tuple[EntryStore[Document], ReadIndex, Mapping[str, Analyser]]", shared())
    path, shown, stat = job
    source, problems = read_report(path, shown)
    if source is not None and source.meta.withdrawn is not None:
        source = replace(source, markdown="")  # taken down: its text is published nowhere, not even in search
    elif source is not None:
        problems += report_leaks(source)  # personal data and Word residue: errors of every build
    if source is None:
        return ReadEntry(stat or (0, 0, 0, 0), None, None, tuple(problems))
    before = index.entries.get(shown)
    if before is not None and before.source is not None and before.source.content_hash == source.content_hash:
        return replace(before, stat=stat or (0, 0, 0, 0))  # touched, not changed
    document = store.get(source.content_hash)
    if document is None:
        document = parse_document(source.markdown)
        store.put(source.content_hash, document)
    analyses = {name: analyse(document, source.meta.year) for name, analyse in sorted(analysers.items())}
    summary = hashlib.sha256(repr(analyses).encode()).hexdigest()[:32] if analyses else ""
    images = tuple((source.body_line + line, address) for line, address in document.local_images)
    problems += outside_images(shown, source.body_line, document.external_images)
    return ReadEntry(stat or (0, 0, 0, 0), source.file, analyses, tuple(problems), summary, images)


def document_of(store: EntryStore[Document], source: ReportFile) -> Document:
    """The parsed body of a report read in this build: from the cache, else parsed again."""
    document = store.get(source.content_hash)
    if document is None:
        document = parse_document(read_body(source.path, source.content_hash) if source.meta.withdrawn is None else "")
        store.put(source.content_hash, document)
    return document
