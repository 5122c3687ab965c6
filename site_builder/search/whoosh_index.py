"""The whoosh index behind `search` and `serve-search` (search/service.py reads it): one document
per report, its laid-out text indexed as every character and every bigram at its offset. Updated
incrementally, keyed by each report's content hash: a changed report's old document is deleted
and only new or changed reports are analysed. A first build of a large site writes one segment
per forked worker, each reading and analysing its own share, and the parent commits them with
its deletions in one table of contents (as whoosh's MpWriter does with multisegment=True)."""

from __future__ import annotations

import itertools
import pickle
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from site_builder import parallel as forking
from site_builder.cache import document_store
from site_builder.i18n import t
from site_builder.load import document_of
from site_builder.locking import acquire_lock, release_lock
from site_builder.search import match, whoosh_mapped
from site_builder.search.browser import IndexedReport, index_report

if TYPE_CHECKING:
    from site_builder.config import Config
    from site_builder.models import Report, Site

whoosh_mapped.install()  # segments read through their memory map, not copied into each process

WRITER_MB = 256
"""Memory of one segment writer's sorting pool before it spills a run to disk."""
FORMAT = "3.2"
"""The layout of the whoosh index; another value in an old index makes it built again."""


class GramTokenizer(Tokenizer):  # type: ignore[misc]  # whoosh ships no type information
    """A laid-out text → every character and every bigram not spanning a break, at its position
    (the character offset): the terms of the browser index, for whoosh."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, mode: str = "",
                 **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        folded = match.fold(value)
        last = len(folded) - 1
        for at, char in enumerate(folded):
            if char == match.BREAK:
                continue
            for text in (char, folded[at: at + 2]) if at < last and folded[at + 1] != match.BREAK else (char,):
                token.text, token.boost, token.stopped = text, 1.0, False
                if positions:
                    token.pos = start_pos + at
                if chars:
                    token.startchar, token.endchar = start_char + at, start_char + at + len(text)
                yield token


class GramText(TEXT):  # type: ignore[misc]  # whoosh ships no type information
    """The text field, indexed as GramTokenizer tokenizes it but without a Token object per term:
    the same postings (term, positions in order, frequency, weight), in a third of the time."""

    def index(self, value: str, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        folded = match.fold(value)
        places: dict[str, list[int]] = {}
        for at, char in enumerate(folded):
            if char == match.BREAK:
                continue
            places.setdefault(char, []).append(at)
            after = folded[at + 1: at + 2]
            if after and after != match.BREAK:
                places.setdefault(char + after, []).append(at)
        boost = self.format.field_boost
        for term, found in places.items():
            yield term.encode("utf-8"), len(found), len(found) * 1.0 * boost, _encode_positions(found)


def _encode_positions(places: list[int]) -> bytes:
    """whoosh's Positions.encode (the count, then the gaps pickled), without its Python loop."""
    return bytes(pack_uint(len(places)) + pickle.dumps([places[0], *(b - a for a, b in itertools.pairwise(places))], 2))


class _Writer(SegmentWriter):  # type: ignore[misc]  # whoosh ships no type information
    """whoosh's segment writer, but the postings are written knowing each document's field
    lengths from a dictionary: whoosh reads the length from the column file once per posting
    (a third of the writing time, for 3,500 postings a report)."""

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        self.fieldwriter.add_postings(self.schema, _KnownLengths(lengths) if lengths else None, self.pool.iter_postings())
        self.fieldwriter.close()
        if lengths:
            lengths.close()


class _KnownLengths:
    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.known: dict[tuple[int, str], int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        if key not in self.known:
            self.known[key] = self.reader.doc_field_length(docnum, fieldname, default)
        return self.known[key]


def schema() -> Schema:
    numbers = {"sortable": True, "stored": False}
    return Schema(doc=ID(stored=True, sortable=True), content_hash=ID(stored=True, sortable=True), format=ID(sortable=True),
                  text=GramText(analyzer=GramTokenizer(), phrase=True),
                  town=ID(stored=True), county=ID(stored=True), province=ID(stored=True), year=ID(stored=True),
                  length=NUMERIC(**numbers), heading_start=NUMERIC(**numbers), body_start=NUMERIC(**numbers),
                  layout=STORED, unit=STORED)


def index_folder(config: Config) -> Path:
    return config.root / ".site-cache" / "whoosh"


def update_index(site: Site) -> tuple[int, int]:
    """Bring the whoosh index in line with the site; returns (reports analysed, reports removed)."""
    folder = index_folder(site.config)
    folder.mkdir(parents=True, exist_ok=True)
    # Two `search` commands at once on a fresh index must take turns, not meet whoosh's LockError.
    lock = acquire_lock(folder.parent / "whoosh.lock", t("the search index"))
    try:
        return _update(site, folder)
    finally:
        release_lock(lock)


class _Storage(FileStorage):  # type: ignore[misc]  # whoosh ships no type information
    """whoosh's own write lock is fcntl's or msvcrt's, chosen by os.name; the index is written only
    under update_index's lock (locking.py's, which works everywhere and between threads), so whoosh's
    is never contended: a fresh one each time, which a failed writer cannot leave held."""

    def lock(self, name: str) -> threading.Lock:
        return threading.Lock()


def open_dir(folder: Path) -> Any:
    return _Storage(str(folder)).open_index()


def _open(folder: Path) -> Any:
    """The index, or a new empty one when there is none or it is of another format."""
    storage = _Storage(str(folder))
    if storage.index_exists():
        ix = storage.open_index()
        if "layout" in ix.schema and "format" in ix.schema:
            with ix.searcher() as searcher:
                if all(value == FORMAT for value in column(searcher, "format")):
                    return ix
    return storage.create_index(schema())


def _update(site: Site, folder: Path) -> tuple[int, int]:
    ix = _open(folder)
    wanted = {r.content_hash: r for r in site.reports}
    with ix.searcher() as searcher:
        present = set(column(searcher, "content_hash"))
    stale = present - set(wanted)
    fresh = sorted((r for h, r in wanted.items() if h not in present), key=lambda r: r.path)
    if not stale and not fresh:
        return 0, 0
    # Many new reports (a first build): a segment per worker process, each analysing its share;
    # a few: written here. Either way only the reports whose content hash changed are analysed.
    parallel = len(fresh) >= forking.PARALLEL_THRESHOLD and forking.workers() > 1 and forking.can_fork()
    writer = _Writer(ix, limitmb=WRITER_MB)
    try:
        for content_hash in sorted(stale):
            writer.delete_by_term("content_hash", content_hash)
        segments = _write_segments(site, folder, fresh) if parallel else []
        if not parallel:
            store = document_store(site.config.root)
            for report in fresh:
                writer.add_document(**_fields(report, index_report(report, document_of(store, report.source))))
        _commit(writer, segments)
    except BaseException:
        writer.cancel()  # its temporary segment files go; the index stays as it was
        raise
    return len(fresh), len(stale)


def _write_segments(site: Site, folder: Path, fresh: list[Report]) -> list[Any]:
    """The new reports as one whoosh segment per worker process, not yet in the index's table of
    contents (the parent commits them with its deletions)."""
    parts = [list(run) for run in forking.slices(range(len(fresh)), forking.workers())]
    return list(forking.map_forked(_segment_of, parts, (site.config.root, folder, fresh), parallel=True))


def _segment_of(part: list[int]) -> Any:
    """In a worker (forked: the reports are seen, not pickled): a segment of the reports numbered `part`."""
    root, folder, fresh = cast("tuple[Path, Path, list[Report]]", forking.shared())
    writer = _Writer(open_dir(folder), _lk=False, limitmb=WRITER_MB)
    store = document_store(root)
    try:
        for report in (fresh[number] for number in part):
            writer.add_document(**_fields(report, index_report(report, document_of(store, report.source))))
        return writer._finalize_segment()
    except BaseException:
        writer.cancel()
        raise


def _commit(writer: Any, segments: list[Any]) -> None:
    """Commit the writer's deletions and additions with the segments written by workers: as
    whoosh's MpWriter does with its sub-writers' segments (multisegment=True)."""
    if not segments:
        writer.commit()
        return
    final = writer._merge_segments(None, None, None) + segments
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final)
    writer._finish()


def column(searcher: Any, name: str) -> list[Any]:
    """A sortable field's value in every live document, without loading the stored fields
    (which hold each report's text)."""
    reader = searcher.reader()
    if not reader.doc_count_all():
        return []  # an empty index has no columns
    column = reader.column_reader(name, translate=True)
    return [column[doc] for doc in reader.all_doc_ids()]


def _fields(report: Report, item: IndexedReport) -> dict[str, Any]:
    meta = report.meta
    heading_start, body_start = item.bounds
    return {"doc": report.path, "content_hash": report.content_hash, "format": FORMAT, "text": item.text,
            "town": meta.town, "county": meta.county, "province": meta.province, "year": str(meta.year),
            "length": item.length, "heading_start": heading_start, "body_start": body_start,
            "layout": (item.text, item.doc), "unit": meta.unit}
