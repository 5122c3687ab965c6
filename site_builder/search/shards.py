"""From analysed reports to shard files, with bounded memory: each worker spills its reports'
terms into BUCKETS files (binary rows for characters and bigrams, text lines for filters); then each
bucket, read back from every worker's spill, becomes its shards. Memory is one bucket at a time,
whatever the number of reports."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

import numpy as np

from site_builder.search.analysis import Tokens, fnv1a_keys, key_text, stable_order
from site_builder.search.browser import fnv1a
from site_builder.search.encode import LISTED, PLACED, Entries, doc_list_entries, filter_entry, position_entries, shard_file
from site_builder.search.heads import DocTable, listed_heads, placed_heads
from site_builder.search.phrases import PHRASE_BASE

BUCKETS = 64
"""Shards are built in this many groups (shard number modulo BUCKETS)."""
FLUSH_ROWS = 500_000
"""Token rows a worker holds (~16 bytes each) before it sorts them into its bucket files."""


class Spill:
    """One worker's spill folder: `{bucket}.listed` and `{bucket}.placed` (LISTED and PLACED
    records, in report order) and `{bucket}.words` (filter terms: lines `term<TAB>shard<TAB>report<TAB>codes`)."""

    def __init__(self, folder: Path, shards: int) -> None:
        folder.mkdir(parents=True)
        self.shards = shards
        self.listed: list[IO[bytes]] = [(folder / f"{b}.listed").open("wb") for b in range(BUCKETS)]
        self.placed: list[IO[bytes]] = [(folder / f"{b}.placed").open("wb") for b in range(BUCKETS)]
        self.words: list[IO[str]] = [(folder / f"{b}.words").open("w", encoding="utf-8") for b in range(BUCKETS)]
        self.pending: list[tuple[int, Tokens]] = []
        self.pending_rows = 0
        self.word_shards: dict[str, int] = {}

    def add(self, doc_id: int, tokens: Tokens) -> None:
        self.pending.append((doc_id, tokens))
        self.pending_rows += len(tokens.listed_keys) + len(tokens.placed_keys)
        if self.pending_rows >= FLUSH_ROWS:
            self.flush()

    def add_line(self, term: str, doc_id: int, codes: str) -> None:
        shard = self.word_shards.get(term)
        if shard is None:
            shard = self.word_shards[term] = fnv1a(term) % self.shards
        self.words[shard % BUCKETS].write(f"{term}\t{shard}\t{doc_id}\t{codes}\n")

    def flush(self) -> None:
        if not self.pending:
            return
        listed = _rows(LISTED, [(doc, {"key": t.listed_keys, "count": t.listed_counts, "best": t.listed_best}) for doc, t in self.pending])
        placed = _rows(PLACED, [(doc, {"key": t.placed_keys, "code": t.placed_codes}) for doc, t in self.pending])
        self._write(listed, self.listed)
        self._write(placed, self.placed)
        self.pending, self.pending_rows = [], 0

    def _write(self, rows: np.ndarray, files: list[IO[bytes]]) -> None:
        buckets = fnv1a_keys(rows["key"]) % np.uint32(self.shards) % np.uint32(BUCKETS)
        # Stable (a radix sort on one byte): report order kept within a bucket.
        order = np.argsort(buckets.astype(np.uint8), kind="stable")
        rows, buckets = rows[order], buckets[order]
        bounds = np.searchsorted(buckets, np.arange(BUCKETS + 1))
        for bucket in range(BUCKETS):
            rows[bounds[bucket]: bounds[bucket + 1]].tofile(files[bucket])

    def close(self) -> None:
        self.flush()
        for handle in [*self.listed, *self.placed]:
            handle.close()
        for words in self.words:
            words.close()


def _rows(dtype: np.dtype, reports: list[tuple[int, dict[str, np.ndarray]]]) -> np.ndarray:
    rows = np.empty(sum(len(columns["key"]) for _, columns in reports), dtype=dtype)
    at = 0
    for doc, columns in reports:
        end = at + len(columns["key"])
        rows["doc"][at:end] = doc
        for name, column in columns.items():
            rows[name][at:end] = column
        at = end
    return rows


def build_bucket(bucket: int, shards: int, spills: list[Path], table: DocTable) -> dict[int, tuple[bytes, bytes, bytes]]:
    """Every shard of one bucket, from all spills in order: (its heads and filter lists, s/; its
    full entries, p/; its phrases' full entries, kept in the cache for the next patch, or b"")."""
    heads: dict[int, dict[str, bytes]] = {s: {} for s in range(bucket, shards, BUCKETS)}
    tails: dict[int, dict[str, bytes]] = {s: {} for s in range(bucket, shards, BUCKETS)}
    phrased: dict[int, dict[str, bytes]] = {s: {} for s in range(bucket, shards, BUCKETS)}
    for kind, dtype in (("listed", LISTED), ("placed", PLACED)):
        paths = [folder / f"{bucket}.{kind}" for folder in spills]
        parts = [np.fromfile(path, dtype=dtype) for path in paths if path.exists()]
        rows = np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
        # Stable: spills are in report order and each report's rows in position order, so this
        # sorts by (key, report, position).
        rows = rows[stable_order(rows["key"])]
        if not len(rows):
            continue
        if kind == "listed":
            _add_entries(doc_list_entries(rows), shards, tails)
            _add_entries(listed_heads(rows["key"], rows["doc"], rows["count"], rows["best"], table), shards, heads)
        else:
            _add_entries(position_entries(rows), shards, tails, phrased)
            _add_entries(placed_heads(rows["key"], rows["doc"], rows["code"], table), shards, heads)
        del rows
    for (term, shard), postings in _read_lines(folder / f"{bucket}.words" for folder in spills).items():
        heads[shard][term] = filter_entry([doc for doc, _ in postings])
    return {shard: (shard_file(heads[shard]), shard_file(tails[shard]), shard_file(phrased[shard]) if phrased[shard] else b"")
            for shard in heads}


def _add_entries(found: Entries, shards: int, into: dict[int, dict[str, bytes]],
                 phrases: dict[int, dict[str, bytes]] | None = None) -> None:
    """Each key's entry into its shard's dict (a phrase's into `phrases`: the site needs only its head)."""
    key_shards = (fnv1a_keys(found.keys) % np.uint32(shards)).tolist()
    for index, (key, shard) in enumerate(zip(found.keys.tolist(), key_shards, strict=True)):
        (phrases if phrases is not None and key >= PHRASE_BASE else into)[shard][key_text(key)] = found.entry(index)


def _read_lines(paths: Iterable[Path]) -> dict[tuple[str, int], list[tuple[int, list[int]]]]:
    grouped: dict[tuple[str, int], list[tuple[int, list[int]]]] = {}
    for path in paths:
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                term, shard, doc, codes = line.rstrip("\n").split("\t")
                grouped.setdefault((term, int(shard)), []).append((int(doc), [int(c) for c in codes.split(",")] if codes else []))
    for postings in grouped.values():
        postings.sort()
    return grouped
