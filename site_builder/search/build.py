"""Writing the browser index as part of a build, in two passes over forked workers (like
Pagefind's fossick → index → output): reports → tokens spilled to bucket files; buckets → shards.
Memory stays bounded by one bucket, whatever the number of reports."""

from __future__ import annotations

import os
import pickle
import shutil
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from site_builder import parallel as forking
from site_builder.cache import EntryStore, document_store
from site_builder.load import document_of
from site_builder.parallel import map_forked, shared, slices, workers
from site_builder.search.browser import (
    IndexedReport,
    doc_files,
    filter_postings,
    index_report,
    lengths_file,
    manifest,
    shard_count,
)
from site_builder.search.shards import BUCKETS, Spill, build_bucket
from site_builder.writer import SiteWriter, digest

if TYPE_CHECKING:
    from site_builder.document import Document
    from site_builder.models import Report, Site


def write_search(site: Site, writer: SiteWriter) -> int:
    """Write search/ into the staging folder (the files that changed); returns the reports analysed.

    Each report's analysis is kept in .site-cache/search/ by content hash, so a rebuild after one
    report changed analyses that report only."""
    reports = site.reports
    cache = site.config.root / ".site-cache" / "search"
    cache.mkdir(parents=True, exist_ok=True)
    spill = writer.staging.parent / f".{writer.output.name}.search-spill"
    shutil.rmtree(spill, ignore_errors=True)
    spill.mkdir()
    try:
        shards = shard_count(sum(r.source.path.stat().st_size for r in reports))
        parallel = len(reports) >= forking.PARALLEL_THRESHOLD
        runs = slices(range(len(reports)), workers() * 4) if reports else []
        lengths: dict[int, int] = {}
        analysed = 0
        store = document_store(site.config.root)
        for run_lengths, records, run_analysed in map_forked(_index_run, runs, (reports, writer, spill, shards, cache, store), parallel):
            lengths.update(run_lengths)
            analysed += run_analysed
            _record(writer, records)
        filters = Spill(spill / "filters", shards)
        for term, docs in filter_postings(reports).items():
            for doc in docs:
                filters.add_line(term, doc, "")
        filters.close()
        sources = sorted(p for p in spill.iterdir() if p.is_dir())
        for records in map_forked(_shard_bucket, list(range(BUCKETS)), (writer, sources, shards), parallel):
            _record(writer, records)
        ordered = [lengths[i] for i in range(len(reports))]
        writer.put("search/meta.json", manifest(reports, ordered, shards))
        writer.put("search/lengths.bin", lengths_file(ordered))
        _forget_stale(cache, {r.content_hash for r in reports})
        return analysed
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


def _index_run(run: Sequence[int]) -> tuple[dict[int, int], Written, int]:
    context = cast("tuple[list[Report], SiteWriter, Path, int, Path, EntryStore[Document]]", shared())
    reports, writer, spill, shards, cache, store = context
    lengths: dict[int, int] = {}
    records: Written = []
    analysed = 0
    run_spill = Spill(spill / f"run-{run[0]:06d}", shards)
    try:
        for doc_id in run:
            report = reports[doc_id]
            item = _cached(cache, report)
            if item is None:
                item = index_report(report, document_of(store, report.source))
                _store(cache, report.content_hash, item)
                analysed += 1
            item.doc.update(u=report.path)  # the URL can change without the text changing
            lengths[doc_id] = item.length
            run_spill.add(doc_id, item.tokens)
            for path, data in doc_files(doc_id, item).items():
                _put(writer, path, data, records)
    finally:
        run_spill.close()  # also when the disk fills up: no file left open
    return lengths, records, analysed


def _cached(cache: Path, report: Report) -> IndexedReport | None:
    path = cache / f"{report.content_hash}.bin"
    try:
        return cast("IndexedReport", pickle.loads(zlib.decompress(path.read_bytes())))
    except (OSError, zlib.error, pickle.PickleError, EOFError, AttributeError):
        return None


def _store(cache: Path, content_hash: str, item: IndexedReport) -> None:
    """Write atomically: workers may store at the same time, a killed build leaves no half file."""
    temporary = cache / f".{content_hash}.{os.getpid()}.tmp"
    temporary.write_bytes(zlib.compress(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL), 1))
    os.replace(temporary, cache / f"{content_hash}.bin")


def _forget_stale(cache: Path, wanted: set[str]) -> None:
    for path in cache.glob("*.bin"):
        if path.stem not in wanted:
            path.unlink(missing_ok=True)


def _shard_bucket(bucket: int) -> Written:
    context = cast("tuple[SiteWriter, list[Path], int]", shared())
    writer, sources, shards = context
    records: Written = []
    for shard, (doc_list, positions) in sorted(build_bucket(bucket, shards, sources).items()):
        _put(writer, f"search/t/{shard}.bin", doc_list, records)
        _put(writer, f"search/p/{shard}.bin", positions, records)
    return records
