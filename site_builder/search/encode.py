"""The browser index's binary encoding: unsigned LEB128 varints, written in bulk with numpy.

Two kinds of entries (search/analysis.py says which terms have which), side by side in shard
files named by the hash of the term (search/s/{shard}.bin):
- a *doc list*, for a one-character term and a filter term: df, then per report `doc delta, tf,
  best` (best = the first position in the best field: title, else heading, else body);
- *positions*, for a two-character term: df, then per report `doc delta, count, positions` (the
  first absolute, then deltas) — to check a word's bigrams stand at their offsets.

A shard file: varint header length, a UTF-8 JSON header `[term, entry bytes, term, entry
bytes, …]` (terms sorted), then the entries in that order. theme/assets/search.js reads it."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass

import numpy as np

LISTED = np.dtype([("key", "<u8"), ("doc", "<u4"), ("count", "<u4"), ("best", "<u4")])
"""One spilled doc-list row: a key in one report, how often, and its best position."""
PLACED = np.dtype([("key", "<u8"), ("doc", "<u4"), ("code", "<u4")])
"""One spilled position: a key, its report and its position."""


def varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LEB128 bytes of every value (< 2^35), and the byte offset where each value starts (with
    the total appended)."""
    values = values.astype(np.uint64)
    widths = np.ones(len(values), dtype=np.uint8)
    for bits in (7, 14, 21, 28):
        widths += values >= (1 << bits)
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(widths, out=offsets[1:])
    out = np.empty(int(offsets[-1]), dtype=np.uint8)
    starts = offsets[:-1]
    # Every value's first byte at once; then only the values that need one more byte (most need
    # none: deltas and counts are small), narrowing the set byte by byte.
    out[starts] = (values & np.uint64(0x7F)).astype(np.uint8) | ((widths > 1).view(np.uint8) << 7)
    present = np.flatnonzero(widths > 1)
    for index in range(1, 5):
        if not len(present):
            break
        more = widths[present] > index + 1
        group = ((values[present] >> np.uint64(7 * index)) & np.uint64(0x7F)).astype(np.uint8)
        out[starts[present] + index] = group | (more.view(np.uint8) << 7)
        present = present[more]
    return out, offsets


def varint_bytes(values: list[int]) -> bytes:
    """The same encoding for a short Python list (words and filters)."""
    out = bytearray()
    for value in values:
        while value >= 0x80:
            out.append((value & 0x7F) | 0x80)
            value >>= 7
        out.append(value)
    return bytes(out)


@dataclass
class Entries:
    """Every key's entry for a group of sorted rows: the bytes, and where each key's entry starts."""

    keys: np.ndarray
    data: bytes
    offsets: np.ndarray

    def entry(self, index: int) -> bytes:
        return self.data[self.offsets[index]: self.offsets[index + 1]]


def _groups(keys: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted by (key, report) → whether each row starts a key, whether it starts a (key,
    report) pair, and each pair's report number as a delta (absolute for a key's first pair)."""
    new_key = np.ones(len(keys), dtype=bool)
    new_key[1:] = keys[1:] != keys[:-1]
    new_pair = new_key.copy()
    new_pair[1:] |= docs[1:] != docs[:-1]
    pair_docs = docs[new_pair].astype(np.int64)
    deltas = pair_docs.copy()
    deltas[1:] -= np.where(new_key[new_pair][1:], 0, pair_docs[:-1])
    return new_key, new_pair, deltas


def doc_list_entries(rows: np.ndarray) -> Entries:
    """`df`, then `doc delta, count, best` per report, for each key of LISTED rows sorted by
    (key, report) (one row per key and report)."""
    new_key, _, deltas = _groups(rows["key"], rows["doc"])
    key_rows, count = np.flatnonzero(new_key), len(rows)
    values = np.zeros(len(key_rows) + 3 * count, dtype=np.int64)
    key_of_row = np.cumsum(new_key) - 1
    at = key_of_row + 1 + 3 * np.arange(count)
    values[at], values[at + 1], values[at + 2] = deltas, rows["count"], rows["best"]
    starts = np.arange(len(key_rows)) + 3 * key_rows
    values[starts] = np.diff(np.append(key_rows, count))
    data, offsets = varints(values)
    return Entries(rows["key"][key_rows], data.tobytes(), offsets[np.append(starts, len(values))])


def position_entries(rows: np.ndarray) -> Entries:
    """`df`, then `doc delta, count, first code, code deltas…` per report, for each key of PLACED
    rows sorted by (key, report, position)."""
    keys, codes, count = rows["key"], rows["code"].astype(np.int64), len(rows)
    new_key, new_pair, deltas = _groups(keys, rows["doc"])
    key_rows, pair_rows = np.flatnonzero(new_key), np.flatnonzero(new_pair)
    pair_counts = np.diff(np.append(pair_rows, count))
    pair_new_key = new_key[pair_rows]
    key_pairs = np.flatnonzero(pair_new_key)                  # first pair of each key
    key_of_pair = np.cumsum(pair_new_key) - 1
    code_deltas = codes.copy()
    code_deltas[1:] -= np.where(new_pair[1:], 0, codes[:-1])
    values = np.zeros(len(key_rows) + 2 * len(pair_rows) + count, dtype=np.int64)
    row_pair = np.cumsum(new_pair) - 1
    values[key_of_pair[row_pair] + 1 + 2 * (row_pair + 1) + np.arange(count)] = code_deltas
    header = key_of_pair + 1 + 2 * np.arange(len(pair_rows)) + pair_rows
    values[header], values[header + 1] = deltas, pair_counts
    starts = np.arange(len(key_rows)) + 2 * key_pairs + key_rows
    values[starts] = np.diff(np.append(key_pairs, len(pair_rows)))
    data, offsets = varints(values)
    return Entries(keys[key_rows], data.tobytes(), offsets[np.append(starts, len(values))])


def filter_entry(docs: list[int]) -> bytes:
    """The doc list of a filter term (=year:2023 …): its reports, each once, at position 0."""
    values, previous = [len(docs)], 0
    for doc in docs:
        values += [doc - previous, 1, 0]
        previous = doc
    return varint_bytes(values)


SHARD_LEVEL = 6
"""zlib level of the shard files: fixed (the same bytes on every build and after a patch); 9 is no
smaller on these varints and a quarter slower."""


def shard_file(entries_by_term: dict[str, bytes]) -> bytes:
    """The shard container (docs/search-index.md), zlib-compressed: shard files are served as
    application/octet-stream, which most servers do not gzip, so these bytes are the wire's."""
    terms = sorted(entries_by_term)
    header = json.dumps([item for term in terms for item in (term, len(entries_by_term[term]))],
                        ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zlib.compress(varint_bytes([len(header)]) + header + b"".join(entries_by_term[term] for term in terms), SHARD_LEVEL)


def decode(entry: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Every varint of an entry and the byte where each starts: the first byte of all at once,
    then the further bytes of the few values that have them (most are one byte)."""
    raw = np.frombuffer(entry, dtype=np.uint8)
    ends = np.flatnonzero(raw < 0x80)
    starts = np.empty(len(ends), dtype=np.int64)
    starts[:1] = 0
    starts[1:] = ends[:-1] + 1
    values = (raw[starts] & 0x7F).astype(np.int64)
    longer, at = np.flatnonzero(ends > starts), 1
    while len(longer):
        index = starts[longer] + at
        values[longer] |= (raw[index] & 0x7F).astype(np.int64) << (7 * at)
        longer, at = longer[ends[longer] > index], at + 1
    return values, starts


def decode_values(entry: bytes) -> np.ndarray:
    """Every varint of an entry, as int64."""
    return decode(entry)[0]


def record_starts(values: np.ndarray, positions: bool) -> np.ndarray:
    """Where each record of an entry's values starts (at its report-number delta). A positions
    record's length depends on its count, so its start is found by pointer doubling over 'the
    record starting at value j ends at j + 2 + count'."""
    df, total = int(values[0]), len(values)
    if not positions:
        return 1 + 3 * np.arange(df)
    following = np.append(values[1:], 0)  # the value after each: a count where a record starts
    jump = np.minimum(np.arange(total) + 2 + following[:total], total)
    jump = np.append(jump, total)  # `total` is a sink
    orbit = np.array([1])
    while len(orbit) < df:
        orbit = np.concatenate([orbit, jump[orbit]])
        jump = jump[jump]
    return orbit[:df]
