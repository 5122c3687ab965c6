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
from site_builder.parallel import map_forked, shared, slices, workers
from site_builder.reader import read_body
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

if TYPE_CHECKING:
    from site_builder.models import Report, Site
    from site_builder.writer import SiteWriter


def write_search(site: Site, writer: SiteWriter) -> tuple[int, int, int]:
    """Write search/ into the staging folder; returns (files, bytes, reports analysed).

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
        files = size = analysed = 0
        for run_lengths, run_files, run_size, run_analysed in map_forked(_index_run, runs, (reports, writer, spill, shards, cache), parallel):
            lengths.update(run_lengths)
            files, size, analysed = files + run_files, size + run_size, analysed + run_analysed
        filters = Spill(spill / "filters", shards)
        for term, docs in filter_postings(reports).items():
            for doc in docs:
                filters.add_line(term, doc, "")
        filters.close()
        sources = sorted(p for p in spill.iterdir() if p.is_dir())
        for shard_files, shard_size in map_forked(_shard_bucket, list(range(BUCKETS)), (writer, sources, shards), parallel):
            files, size = files + shard_files, size + shard_size
        ordered = [lengths[i] for i in range(len(reports))]
        size += writer.write_uncounted("search/meta.json", manifest(reports, ordered, shards))
        size += writer.write_uncounted("search/lengths.bin", lengths_file(ordered))
        _forget_stale(cache, {r.content_hash for r in reports})
        return files + 2, size, analysed
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def _index_run(run: Sequence[int]) -> tuple[dict[int, int], int, int, int]:
    context = cast("tuple[list[Report], SiteWriter, Path, int, Path]", shared())
    reports, writer, spill, shards, cache = context
    lengths: dict[int, int] = {}
    files = size = analysed = 0
    run_spill = Spill(spill / f"run-{run[0]:06d}", shards)
    try:
        for doc_id in run:
            report = reports[doc_id]
            item = _cached(cache, report)
            if item is None:
                item = index_report(report, read_body(report.source.path, report.content_hash))
                _store(cache, report.content_hash, item)
                analysed += 1
            item.doc.update(u=report.path)  # the URL can change without the text changing
            lengths[doc_id] = item.length
            run_spill.add(doc_id, item.tokens)
            for path, data in doc_files(doc_id, item).items():
                size += writer.write_uncounted(path, data)
                files += 1
    finally:
        run_spill.close()  # also when the disk fills up: no file left open
    return lengths, files, size, analysed


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


def _shard_bucket(bucket: int) -> tuple[int, int]:
    context = cast("tuple[SiteWriter, list[Path], int]", shared())
    writer, sources, shards = context
    size = 0
    built = build_bucket(bucket, shards, sources)
    for shard, (doc_list, positions) in sorted(built.items()):
        size += writer.write_uncounted(f"search/t/{shard}.bin", doc_list)
        size += writer.write_uncounted(f"search/p/{shard}.bin", positions)
    return 2 * len(built), size
