"""From analysed reports to shard files, with bounded memory: each worker spills its reports'
tokens into BUCKETS files (binary rows for Chinese tokens, text lines for words); then each
bucket, read back from every worker's spill, becomes its shards. Memory is one bucket at a time,
whatever the number of reports."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

import numpy as np

from site_builder.search.analysis import Tokens, fnv1a_keys, key_text
from site_builder.search.browser import fnv1a
from site_builder.search.encode import ROW, Entries, entries, python_entries, shard_file

BUCKETS = 64
"""Shards are built in this many groups (shard number modulo BUCKETS)."""
FLUSH_ROWS = 1_000_000
"""Token rows a worker holds (12 bytes each) before it sorts them into its bucket files."""


class Spill:
    """One worker's spill folder: `{bucket}.rows` (ROW records, in report order) and
    `{bucket}.words` (lines `term<TAB>shard<TAB>report<TAB>codes`)."""

    def __init__(self, folder: Path, shards: int) -> None:
        folder.mkdir(parents=True)
        self.shards = shards
        self.rows = [(folder / f"{b}.rows").open("wb") for b in range(BUCKETS)]
        self.words: list[IO[str]] = [(folder / f"{b}.words").open("w", encoding="utf-8") for b in range(BUCKETS)]
        self.pending: list[tuple[int, Tokens]] = []
        self.pending_rows = 0
        self.word_shards: dict[str, int] = {}

    def add(self, doc_id: int, tokens: Tokens) -> None:
        self.pending.append((doc_id, tokens))
        self.pending_rows += len(tokens.keys)
        for word, codes in tokens.words.items():
            self.add_line(word, doc_id, ",".join(map(str, codes)))
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
        rows = np.empty(self.pending_rows, dtype=ROW)
        at = 0
        for doc_id, tokens in self.pending:
            end = at + len(tokens.keys)
            rows["key"][at:end], rows["doc"][at:end], rows["code"][at:end] = tokens.keys, doc_id, tokens.codes
            at = end
        buckets = fnv1a_keys(rows["key"]) % np.uint32(self.shards) % np.uint32(BUCKETS)
        order = np.argsort(buckets, kind="stable")  # stable: report order kept within a bucket
        rows, buckets = rows[order], buckets[order]
        bounds = np.searchsorted(buckets, np.arange(BUCKETS + 1))
        for bucket in range(BUCKETS):
            rows[bounds[bucket]: bounds[bucket + 1]].tofile(self.rows[bucket])
        self.pending, self.pending_rows = [], 0

    def close(self) -> None:
        self.flush()
        for rows in self.rows:
            rows.close()
        for words in self.words:
            words.close()


def build_bucket(bucket: int, shards: int, spills: list[Path]) -> dict[int, tuple[bytes, bytes]]:
    """Every shard of one bucket as (doc-list file, positions file), from all spills in order."""
    doc_lists: dict[int, dict[str, bytes]] = {s: {} for s in range(bucket, shards, BUCKETS)}
    positions: dict[int, dict[str, bytes]] = {s: {} for s in range(bucket, shards, BUCKETS)}
    parts = [np.fromfile(folder / f"{bucket}.rows", dtype=ROW) for folder in spills if (folder / f"{bucket}.rows").exists()]
    rows = np.concatenate(parts) if parts else np.empty(0, dtype=ROW)
    # Stable: spills are in report order and each report's rows in position order, so this sorts
    # by (key, report, position).
    rows = rows[np.argsort(rows["key"], kind="stable")]
    if len(rows):
        found = entries(rows)
        _add_entries(found, (fnv1a_keys(found.keys) % np.uint32(shards)).tolist(), doc_lists, positions)
    for (term, shard), postings in _read_lines(folder / f"{bucket}.words" for folder in spills).items():
        doc_list, position_list = python_entries(postings)
        doc_lists[shard][term] = doc_list
        if not term.startswith("="):  # filter terms have no positions
            positions[shard][term] = position_list
    return {shard: (shard_file(doc_lists[shard]), shard_file(positions[shard])) for shard in doc_lists}


def _add_entries(found: Entries, key_shards: list[int], doc_lists: dict[int, dict[str, bytes]],
                 positions: dict[int, dict[str, bytes]]) -> None:
    for index, (key, shard) in enumerate(zip(found.keys.tolist(), key_shards, strict=True)):
        term = key_text(key)
        doc_lists[shard][term] = found.doc_list(index)
        positions[shard][term] = found.position_list(index)


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
