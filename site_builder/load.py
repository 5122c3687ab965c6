"""Stages 1–2 for the whole content folder: every file read, validated, parsed once into its
document and analysed — or all of that taken from the cache, when neither the file nor the code
has changed since. Workers parse; the parent keeps only the small results, never the bodies."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

from site_builder import names, privacy
from site_builder.bundles import outside_images
from site_builder.cache import EntryStore, cache_root, document_store, read_fingerprint
from site_builder.config import Config
from site_builder.diagnostics import Diagnostic, display_path
from site_builder.document import Document, parse_document
from site_builder.importer import personal
from site_builder.parallel import map_forked, shared
from site_builder.privacy import report_leaks
from site_builder.reader import SourceReport, find_duplicates, find_sources, missing_content, read_body, read_report
from site_builder.stats import analysis as analysis_module
from site_builder.stats import evidence, figures, parts
from site_builder.stats.analysis import ReportAnalysis, analyse

FileStat = tuple[int, int, int, int]


@dataclass(frozen=True)
class ReadEntry:
    """What one file gave the last time it was read."""

    stat: FileStat
    """(mtime, size, inode, ctime) when it was read: the same again means the same file."""
    source: SourceReport | None
    """The validated report without its Markdown (None when the file has errors)."""
    analysis: ReportAnalysis | None
    problems: tuple[Diagnostic, ...]
    summary: str = ""
    """A digest of the analysis: pages summarising the report change only when it does."""
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
    def load(cls, project: Path) -> ReadIndex:
        code = read_fingerprint(analysis_module, evidence, figures, parts, privacy, personal, sys.modules[__name__])
        try:
            with cls.path(project, code).open("rb") as stream:
                index = pickle.load(stream)
            if isinstance(index, ReadIndex) and index.code == code:
                index.changed = False
                names.remember_syllables(index.syllables)
                return index
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
            pass
        return cls({}, code)

    def save(self, project: Path) -> None:
        known = names.known_syllables()
        if len(known) != len(self.syllables):
            self.syllables, self.changed = known, True
        if not self.changed:
            return
        self.changed = False
        target = self.path(project, self.code)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            for other in target.parent.parent.iterdir():
                if other != target.parent:  # made by another version of the code
                    shutil.rmtree(other, ignore_errors=True)
            temporary = target.with_name(f".index.{os.getpid()}.tmp")
            with temporary.open("wb") as stream:
                pickle.dump(self, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except OSError:
            pass  # only costs time next build


@dataclass
class Loaded:
    sources: list[SourceReport]
    """Validated reports, without their Markdown."""
    analyses: dict[str, ReportAnalysis]
    """Each report's analysis by content hash."""
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


def load_reports(config: Config, index: ReadIndex, files: tuple[list[Path], list[Diagnostic]] | None = None) -> Loaded:
    """Every report of content/, read and analysed only where the file changed since `index`
    saw it; `index` is brought up to date. `files`: the files found by the last build, when none
    has been added, removed or renamed since (serve knows)."""
    if files is None:
        problems = missing_content(config.content_path, config.root)
        files = ([], problems) if problems else find_sources(config.content_path, config.root)
    paths, problems = files[0], list(files[1])
    shown = [display_path(path, config.root) for path in paths]
    stats = [_stat(path) for path in paths]
    jobs = [(path, name, stat) for path, name, stat in zip(paths, shown, stats, strict=True)
            if stat is None or name not in index.entries or index.entries[name].stat != stat]
    store = document_store(config.root)
    for name, entry in zip((job[1] for job in jobs), map_forked(_read_one, jobs, (store, index)), strict=True):
        index.entries[name] = entry
    for gone in set(index.entries) - set(shown):
        del index.entries[gone]
        index.changed = True
    index.changed |= bool(jobs)
    sources: list[SourceReport] = []
    analyses: dict[str, ReportAnalysis] = {}
    summaries: dict[str, str] = {}
    images: dict[str, tuple[tuple[int, str], ...]] = {}
    for name in shown:
        entry = index.entries[name]
        problems.extend(entry.problems)
        if entry.source is not None and entry.analysis is not None:
            sources.append(entry.source)
            analyses[entry.source.content_hash] = entry.analysis
            summaries[entry.source.content_hash] = entry.summary
            if entry.images:
                images[entry.source.content_hash] = entry.images
    problems.extend(find_duplicates(sources))
    return Loaded(sources, analyses, summaries, problems, len(jobs), files, images)


def _read_one(job: tuple[Path, str, FileStat | None]) -> ReadEntry:
    store, index = cast("tuple[EntryStore[Document], ReadIndex]", shared())
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
    analysis = analyse(document, source.meta.year)
    summary = hashlib.sha256(repr(analysis).encode()).hexdigest()[:32]
    images = tuple((source.body_line + line, address) for line, address in document.local_images)
    problems += outside_images(shown, source.body_line, document.external_images)
    return ReadEntry(stat or (0, 0, 0, 0), replace(source, markdown=""), analysis, tuple(problems), summary, images)


def document_of(store: EntryStore[Document], source: SourceReport) -> Document:
    """The parsed body of a report read in this build: from the cache, else parsed again."""
    document = store.get(source.content_hash)
    if document is None:
        document = parse_document(read_body(source.path, source.content_hash) if source.meta.withdrawn is None else "")
        store.put(source.content_hash, document)
    return document
