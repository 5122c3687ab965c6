"""Writing the browser index as part of a build. In full, in two passes over forked workers (like
Pagefind's fossick → index → output): reports → tokens spilled to bucket files; buckets → shards,
memory bounded by one bucket whatever the number of reports. After a few reports changed, in
place: only the shards their terms live in are rewritten (search/patch.py)."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from site_builder import cache, document, markdown
from site_builder import parallel as forking
from site_builder.cache import EntryStore, cache_root, document_store, fingerprint
from site_builder.load import document_of
from site_builder.parallel import map_forked, shared, slices, workers
from site_builder.search import analysis, browser, match
from site_builder.search.browser import (
    FILTERS,
    FORMAT,
    IndexedReport,
    doc_files,
    facets,
    filter_postings,
    index_report,
    lengths_file,
    manifest,
    shard_count,
    stats_file,
)
from site_builder.search.heads import DocTable
from site_builder.search.patch import MAX_CHANGED, DocKey, Payloads, add_changes, patch_shard, term_payloads
from site_builder.search.shards import BUCKETS, Spill, build_bucket
from site_builder.store import PickleFile, save_bytes
from site_builder.writer import SiteWriter, digest

if TYPE_CHECKING:
    from site_builder.document import Document
    from site_builder.models import Report, Site


@dataclass
class SearchState:
    """What the index in an output folder was built from, for the next build to patch it. Saved
    beside a file naming the build (writer.Manifest.build_id) whose index it describes."""

    shards: int
    docs: list[DocKey]
    lengths: list[tuple[int, tuple[int, int]]]
    """Each report's length and field bounds (browser.lengths_file)."""
    format: int = FORMAT

    @staticmethod
    def location(project: Path, output: Path) -> Path:
        return cache_root(project) / "outputs" / f"{hashlib.sha256(str(output).encode()).hexdigest()[:16]}.search"

    @classmethod
    def phrases(cls, project: Path, output: Path) -> Path:
        """The folder of the phrases' full entries (`{shard}.bin`, as p/'s files): not published
        (the site needs only their heads), kept for the next patch to make their heads again."""
        return cls.location(project, output).with_suffix(".phrases")

    @classmethod
    def forget(cls, project: Path, output: Path) -> None:
        """No state names the output while its index is being written: a build stopped half way
        (the phrase entries changed, the output not) leaves the next build a full one."""
        with contextlib.suppress(OSError):
            cls.location(project, output).with_suffix(".id").unlink(missing_ok=True)

    @classmethod
    def load(cls, project: Path, writer: SiteWriter) -> SearchState | None:
        """The state of the index in the output, if it is the one the output holds."""
        path = cls.location(project, writer.output)
        try:
            if writer.before is None or path.with_suffix(".id").read_text(encoding="utf-8") != writer.before.build_id:
                return None
        except OSError:
            return None
        state = PickleFile[SearchState](path).load()
        return state if isinstance(state, SearchState) and getattr(state, "format", None) == FORMAT else None

    def save(self, project: Path, output: Path, build_id: str) -> None:
        target = self.location(project, output)
        with contextlib.suppress(OSError):
            target.with_suffix(".id").unlink(missing_ok=True)  # no moment where the id names the wrong state
        # Not saved, the next build writes the whole index; the id names the build whose output holds it.
        if PickleFile[SearchState](target).save(self):
            save_bytes(target.with_suffix(".id"), build_id.encode("utf-8"))


def token_store(project: Path) -> EntryStore[IndexedReport]:
    """Each report's analysed text by content hash: a rebuild analyses changed reports only."""
    return EntryStore(project, "search", fingerprint(markdown, document, analysis, browser, match, cache), compress=False)


def doc_key(report: Report) -> DocKey:
    return DocKey(report.content_hash, report.path, tuple(f"={key}:{getattr(report.meta, key)}" for key in FILTERS))


def write_search(site: Site, writer: SiteWriter) -> tuple[int, SearchState]:
    """Write search/ into the staging folder (the files that changed); returns the reports
    analysed and the state to save once the build is published."""
    reports = site.reports
    root = site.config.root
    shards = search_shards(site)
    docs = [doc_key(r) for r in reports]
    previous = SearchState.load(root, writer)
    store = token_store(root)
    changed = [i for i, (old, new) in enumerate(zip(previous.docs, docs, strict=True)) if old != new] \
        if previous and previous.shards == shards and len(previous.docs) == len(docs) else None
    SearchState.forget(root, writer.output)
    if previous is not None and changed is not None and len(changed) <= MAX_CHANGED \
            and SearchState.phrases(root, writer.output).is_dir():
        analysed, lengths = _patch(site, writer, store, previous, changed)
    else:
        analysed, lengths = _full(site, writer, store, shards)
    writer.put("search/meta.json", manifest(reports, shards))
    writer.put("search/facets.json", facets(reports))
    writer.put("search/lengths.bin", lengths_file(lengths))
    writer.put("search/stats.json", stats_file(lengths))
    store.keep_only({r.content_hash for r in reports} | ({d.content_hash for d in previous.docs} if previous else set()))
    return analysed, SearchState(shards, docs, lengths)


def search_shards(site: Site) -> int:
    """The number of shard files (the search page carries it: the first query needs no manifest)."""
    return shard_count(sum(r.source.path.stat().st_size for r in site.reports))


def _item(store: EntryStore[IndexedReport], report: Report, documents: EntryStore[Document]) -> tuple[IndexedReport, bool]:
    """A report's analysed text, from the store or analysed now (True)."""
    item = store.get(report.content_hash)
    if item is not None:
        return item, False
    item = index_report(report, document_of(documents, report.source))
    store.put(report.content_hash, item)
    return item, True


def _patch(site: Site, writer: SiteWriter, store: EntryStore[IndexedReport], previous: SearchState,
           changed: list[int]) -> tuple[int, list[tuple[int, tuple[int, int]]]]:
    reports, shards = site.reports, previous.shards
    documents = document_store(site.config.root)
    lengths = list(previous.lengths)
    olds = {doc: store.get(previous.docs[doc].content_hash) for doc in changed}
    if any(old is None for old in olds.values()):  # the cache was cleared: the entries to remove are unknown
        return _full(site, writer, store, shards)
    items = {doc: _item(store, reports[doc], documents) for doc in changed}
    for doc, (item, _) in items.items():
        lengths[doc] = (item.length, item.bounds)
    table = DocTable(lengths)
    if table.average != DocTable(previous.lengths).average:  # every head's bounds move: built again
        analysed, lengths = _full(site, writer, store, shards)
        return analysed + sum(new for _, new in items.values()), lengths
    writer.keep(("search/",))  # the index as it is; what follows replaces the changed files
    changes: Payloads = {}
    for doc, old in olds.items():
        assert old is not None
        item = items[doc][0]
        item.doc.update(u=reports[doc].path)
        add_changes(changes, doc, term_payloads(old.tokens, previous.docs[doc].filters, shards),
                    term_payloads(item.tokens, doc_key(reports[doc]).filters, shards), lengths[doc] != previous.lengths[doc])
        for path, data in doc_files(doc, item).items():
            writer.put(path, data)
    patches = sorted(changes.items())
    runs = slices(range(len(patches)), workers() * 4) if patches else []
    # An edit that moves the positions of a whole report touches a tenth of the shards: in workers.
    context = (writer, patches, table, SearchState.phrases(site.config.root, writer.output))
    for records in map_forked(_patch_run, runs, context, len(patches) >= PARALLEL_PATCHES):
        _record(writer, records)
    return sum(new for _, new in items.values()), lengths


PARALLEL_PATCHES = 200
"""Shards to patch from which forked workers pay off (a shard takes about a millisecond)."""


def _patch_run(run: Sequence[int]) -> Written:
    context = cast("tuple[SiteWriter, list[tuple[int, dict[str, dict[int, bytes | None]]]], DocTable, Path]", shared())
    writer, patches, table, folder = context
    records: Written = []
    for index in run:
        shard, terms = patches[index]
        heads, tails, phrased = f"search/s/{shard}.bin", f"search/p/{shard}.bin", folder / f"{shard}.bin"
        head_data, tail_data, phrase_data = patch_shard((writer.output / heads).read_bytes(), (writer.output / tails).read_bytes(),
                                                        phrased.read_bytes() if phrased.exists() else b"", terms, table)
        _put(writer, heads, head_data, records)
        _put(writer, tails, tail_data, records)
        _keep_phrases(phrased, phrase_data)
    return records


def _keep_phrases(path: Path, data: bytes) -> None:
    if data:
        path.write_bytes(data)  # a failure stops the build: the state is saved only after it
    else:
        path.unlink(missing_ok=True)


def _full(site: Site, writer: SiteWriter, store: EntryStore[IndexedReport], shards: int) -> tuple[int, list[tuple[int, tuple[int, int]]]]:
    reports = site.reports
    spill = writer.staging.parent / f".{writer.output.name}.search-spill"
    shutil.rmtree(spill, ignore_errors=True)
    spill.mkdir()
    try:
        parallel = len(reports) >= forking.PARALLEL_THRESHOLD
        runs = slices(range(len(reports)), workers() * 4) if reports else []
        lengths: dict[int, tuple[int, tuple[int, int]]] = {}
        analysed = 0
        context = (reports, writer, spill, shards, store, document_store(site.config.root))
        for run_lengths, records, run_analysed in map_forked(_index_run, runs, context, parallel):
            lengths.update(run_lengths)
            analysed += run_analysed
            _record(writer, records)
        filters = Spill(spill / "filters", shards)
        for term, docs in filter_postings(reports).items():
            for doc in docs:
                filters.add_line(term, doc, "")
        filters.close()
        sources = sorted(p for p in spill.iterdir() if p.is_dir())
        ordered = [lengths[i] for i in range(len(reports))]
        phrases = SearchState.phrases(site.config.root, writer.output)
        shutil.rmtree(phrases, ignore_errors=True)
        phrases.mkdir(parents=True)
        buckets = (writer, sources, shards, DocTable(ordered), phrases)
        for records in map_forked(_shard_bucket, list(range(BUCKETS)), buckets, parallel):
            _record(writer, records)
        return analysed, ordered
    finally:
        shutil.rmtree(spill, ignore_errors=True)


Written = list[tuple[str, str, int]]
"""(path, key, bytes written or -1 when the output already held it) of files a worker made."""


def _put(writer: SiteWriter, path: str, data: bytes, into: Written) -> None:
    key = digest(data)
    into.append((path, key, -1 if writer.unchanged(path, key) else writer.write_uncounted(path, data)))


def _record(writer: SiteWriter, records: Written) -> None:
    for path, key, size in records:
        writer.record(path, key)
        if size >= 0:
            writer.count(1, size)


def _index_run(run: Sequence[int]) -> tuple[dict[int, tuple[int, tuple[int, int]]], Written, int]:
    context = cast("tuple[list[Report], SiteWriter, Path, int, EntryStore[IndexedReport], EntryStore[Document]]", shared())
    reports, writer, spill, shards, store, documents = context
    lengths: dict[int, tuple[int, tuple[int, int]]] = {}
    records: Written = []
    analysed = 0
    run_spill = Spill(spill / f"run-{run[0]:06d}", shards)
    try:
        for doc_id in run:
            report = reports[doc_id]
            item, new = _item(store, report, documents)
            analysed += new
            item.doc.update(u=report.path)  # the URL can change without the text changing
            lengths[doc_id] = (item.length, item.bounds)
            run_spill.add(doc_id, item.tokens)
            for path, data in doc_files(doc_id, item).items():
                _put(writer, path, data, records)
    finally:
        run_spill.close()  # also when the disk fills up: no file left open
    return lengths, records, analysed


def _shard_bucket(bucket: int) -> Written:
    context = cast("tuple[SiteWriter, list[Path], int, DocTable, Path]", shared())
    writer, sources, shards, table, phrases = context
    records: Written = []
    for shard, (heads, tails, phrased) in sorted(build_bucket(bucket, shards, sources, table).items()):
        _put(writer, f"search/s/{shard}.bin", heads, records)
        _put(writer, f"search/p/{shard}.bin", tails, records)
        if phrased:
            (phrases / f"{shard}.bin").write_bytes(phrased)
    return records
