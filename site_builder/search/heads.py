"""Bounded heads (format 7): for every character and bigram, the at most HEAD reports with the
highest score bound for that term, with what scores them exactly — so the browser's first page
needs a number of bytes that does not grow with the collection (docs/search-index.md).

A head entry: `df`, `tail bound`, `kept`, then `kept` records in the order of their score bound
(highest first, then report number):
- a character's record: `doc, length, tf, field`;
- a bigram's record: `doc, length, headings start, body start, count, positions` (the first
  absolute, then deltas).
`tail bound` is 0 when the head holds every report of the term; else ceil(SCALE × the highest
score bound of a report left out) + 1. A score bound is BM25's term part times the field boost,
without idf, computed with `average` (average_bound): the average length rounded *up* to a coarse
grid, so it bounds the score at the true average (BM25's term part grows with the average length),
and stays the same after most edits (the patch then rebuilds only the changed terms' heads).

One function encodes every head, for the full build (all keys of a bucket at once) and for a
patch (one key, decoded from its full entry): the same bytes either way."""

from __future__ import annotations

import numpy as np

from site_builder.search.encode import Entries, decode_values, record_starts, varints

K1, B = 1.2, 0.75
BOOST = np.array([3.0, 2.0, 1.0])
HEAD = 128
"""Reports a term's head keeps: 10 a page, and enough behind them to settle it (measured: at 5,000 reports,
64 left 矛盾纠纷 to 16 text checks; 128 settles it from the heads alone)."""
SCALE = 1_000_000
"""Tail bounds are integers: ceil(SCALE × score) + 1 (a margin for the browser's rounding)."""


def average_bound(total: int, docs: int) -> int:
    """The average length rounded up to a grid of about 1/32 of it (a power of two): an upper
    bound of the true average that the next edit seldom moves."""
    if not docs:
        return 1
    step = 1 << max(0, (total // docs).bit_length() - 6)
    return max(1, -(-total // (docs * step)) * step)


class DocTable:
    """Per report number: its length, where its headings start and where its body starts."""

    def __init__(self, lengths: list[tuple[int, tuple[int, int]]]) -> None:
        self.length = np.array([item[0] for item in lengths], dtype=np.int64)
        self.headings = np.array([item[1][0] for item in lengths], dtype=np.int64)
        self.body = np.array([item[1][1] for item in lengths], dtype=np.int64)
        self.average = average_bound(int(self.length.sum()), len(lengths))

    def field(self, docs: np.ndarray, positions: np.ndarray) -> np.ndarray:
        field: np.ndarray = (positions >= self.headings[docs]).astype(np.int64) + (positions >= self.body[docs])
        return field


def score_bounds(tf: np.ndarray, length: np.ndarray, field: np.ndarray, average: int) -> np.ndarray:
    """BM25's term part times the field boost, without idf (as search.js `part`)."""
    bound: np.ndarray = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average)) * BOOST[field]
    return bound


def head_entries(pair_key: np.ndarray, pair_doc: np.ndarray, pair_count: np.ndarray, pair_field: np.ndarray,
                 table: DocTable, codes: np.ndarray | None = None, pair_row: np.ndarray | None = None) -> Entries:
    """The heads of sorted (key, report) pairs. `codes` (absolute positions, grouped by pair in
    pair order, each pair's `pair_count` of them starting at `pair_row`) for bigrams; None for
    characters."""
    pair_doc = pair_doc.astype(np.int64)
    pair_count = pair_count.astype(np.int64)
    score = score_bounds(pair_count.astype(np.float64), table.length[pair_doc], pair_field, table.average)
    new_key = np.ones(len(pair_key), dtype=bool)
    new_key[1:] = pair_key[1:] != pair_key[:-1]
    key_index = np.cumsum(new_key) - 1
    order = np.lexsort((pair_doc, -score, key_index))
    key_starts = np.flatnonzero(new_key)
    df = np.diff(np.append(key_starts, len(pair_key)))
    rank = np.arange(len(order)) - key_starts[key_index[order]]
    tail = df > HEAD
    bound = np.zeros(len(key_starts), dtype=np.int64)
    cut = order[key_starts[tail] + HEAD]
    bound[tail] = np.ceil(score[cut] * SCALE).astype(np.int64) + 1
    kept = order[rank < HEAD]                       # pairs, by key, then score bound
    kept_key = key_index[kept]
    width = 4 if codes is None else 5
    sizes = np.full(len(kept), width, dtype=np.int64) + (pair_count[kept] if codes is not None else 0)
    before = np.zeros(len(kept) + 1, dtype=np.int64)
    np.cumsum(sizes, out=before[1:])
    at = 3 * (kept_key + 1) + before[:-1]          # where each record's values start
    first_of_key = np.flatnonzero(np.append(True, kept_key[1:] != kept_key[:-1]))
    header = 3 * np.arange(len(key_starts)) + before[first_of_key]
    values = np.zeros(3 * len(key_starts) + int(before[-1]), dtype=np.int64)
    values[header], values[header + 1], values[header + 2] = df, bound, np.minimum(df, HEAD)
    docs = pair_doc[kept]
    values[at], values[at + 1] = docs, table.length[docs]
    if codes is None:
        values[at + 2], values[at + 3] = pair_count[kept], pair_field[kept]
    else:
        assert pair_row is not None
        values[at + 2], values[at + 3], values[at + 4] = table.headings[docs], table.body[docs], pair_count[kept]
        counts = pair_count[kept]
        rows = np.repeat(pair_row[kept] - np.append(0, np.cumsum(counts)[:-1]), counts) + np.arange(int(counts.sum()))
        deltas = codes[rows].astype(np.int64)
        starts_here = np.zeros(len(rows), dtype=bool)
        starts_here[np.append(0, np.cumsum(counts)[:-1])[counts > 0]] = True
        deltas[1:] -= np.where(starts_here[1:], 0, codes[rows][:-1].astype(np.int64))
        targets = np.repeat(at + 5 - np.append(0, np.cumsum(counts)[:-1]), counts) + np.arange(int(counts.sum()))
        values[targets] = deltas
    data, offsets = varints(values)
    return Entries(pair_key[key_starts], data.tobytes(), offsets[np.append(header, len(values))])


def listed_heads(keys: np.ndarray, docs: np.ndarray, counts: np.ndarray, best: np.ndarray, table: DocTable) -> Entries:
    """Characters' heads from LISTED rows sorted by (key, report)."""
    return head_entries(keys, docs, counts, table.field(docs.astype(np.int64), best.astype(np.int64)), table)


def placed_heads(keys: np.ndarray, docs: np.ndarray, codes: np.ndarray, table: DocTable) -> Entries:
    """Bigrams' heads from PLACED rows sorted by (key, report, position)."""
    new_pair = np.ones(len(keys), dtype=bool)
    new_pair[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
    rows = np.flatnonzero(new_pair)
    counts = np.diff(np.append(rows, len(keys)))
    pair_docs = docs[rows].astype(np.int64)
    fields = table.field(pair_docs, codes[rows].astype(np.int64))
    return head_entries(keys[rows], pair_docs, counts, fields, table, codes, rows)


def head_of_entry(entry: bytes, positions: bool, table: DocTable) -> bytes:
    """One term's head from its full entry (encode.doc_list_entries / position_entries): what a
    patch writes after splicing the entry."""
    if not entry:
        return b""
    values = decode_values(entry)
    orbit = record_starts(values, positions)
    docs = np.cumsum(values[orbit])
    counts = values[orbit + 1]
    key = np.zeros(len(orbit), dtype=np.uint64)
    if not positions:
        return listed_heads(key, docs, counts, values[orbit + 2], table).entry(0)
    total = int(counts.sum())
    starts = np.append(0, np.cumsum(counts)[:-1])
    index = np.repeat(orbit + 2 - starts, counts) + np.arange(total)
    deltas = values[index]
    running = np.cumsum(deltas)
    codes = running - np.repeat(running[starts] - deltas[starts], counts)
    return placed_heads(np.repeat(key, counts), np.repeat(docs, counts), codes, table).entry(0)
