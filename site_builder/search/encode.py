"""The browser index's binary encoding: unsigned LEB128 varints, written in bulk with numpy.

Every term has two entries, in two shard files named by the term's hash:
- its *doc list* (search/t/): df, then per report `doc delta, tf, best code` (best code = the
  first position in the best field: title, else heading, else body) — all a one-token query needs;
- its *positions* (search/p/): df, then per report `doc delta, count, position codes` (the first
  absolute, then deltas) — fetched only for phrases, to check the tokens sit side by side.

A shard file: varint header length, a UTF-8 JSON header `[term, entry bytes, term, entry
bytes, …]` (terms sorted), then the entries in that order. theme/assets/search.js reads it."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

ROW = np.dtype([("key", "<u4"), ("doc", "<u4"), ("code", "<u4")])
"""One spilled token occurrence: its key, report number and position code."""


def varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LEB128 bytes of every value (< 2^35), and the byte offset where each value starts (with
    the total appended)."""
    values = values.astype(np.uint64)
    widths = np.ones(len(values), dtype=np.int64)
    for bits in (7, 14, 21, 28):
        widths += values >= (1 << bits)
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(widths, out=offsets[1:])
    out = np.zeros(int(offsets[-1]), dtype=np.uint8)
    for index in range(5):
        present = np.flatnonzero(widths > index)
        if not len(present):
            break
        group = ((values[present] >> np.uint64(7 * index)) & np.uint64(0x7F)).astype(np.uint8)
        group |= np.where(widths[present] > index + 1, 0x80, 0).astype(np.uint8)
        out[offsets[present] + index] = group
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
    """Every key's two entries for a group of sorted rows: bytes and per-key byte ranges."""

    keys: np.ndarray
    docs: bytes
    doc_offsets: np.ndarray
    positions: bytes
    position_offsets: np.ndarray

    def doc_list(self, index: int) -> bytes:
        return self.docs[self.doc_offsets[index]: self.doc_offsets[index + 1]]

    def position_list(self, index: int) -> bytes:
        return self.positions[self.position_offsets[index]: self.position_offsets[index + 1]]


def entries(rows: np.ndarray) -> Entries:
    """Both entries of every key in `rows` (sorted by key, then report, then position)."""
    keys, docs, codes = rows["key"], rows["doc"].astype(np.int64), rows["code"].astype(np.int64)
    count = len(rows)
    new_key = np.ones(count, dtype=bool)
    new_key[1:] = keys[1:] != keys[:-1]
    new_pair = new_key.copy()
    new_pair[1:] |= docs[1:] != docs[:-1]
    pair_rows = np.flatnonzero(new_pair)                      # first row of each (key, report)
    pair_counts = np.diff(np.append(pair_rows, count))
    pair_new_key = new_key[pair_rows]
    key_pairs = np.flatnonzero(pair_new_key)                  # first pair of each key
    key_of_pair = np.cumsum(pair_new_key) - 1
    df = np.diff(np.append(key_pairs, len(pair_rows)))
    pair_docs = docs[pair_rows]
    doc_deltas = pair_docs.copy()
    doc_deltas[1:] -= np.where(pair_new_key[1:], 0, pair_docs[:-1])
    fields, places = codes % 3, codes // 3
    best = np.minimum.reduceat(fields << 32 | places, pair_rows) if count else np.zeros(0, dtype=np.int64)
    best_codes = (best & 0xFFFFFFFF) * 3 + (best >> 32)

    # Doc lists: df, then (delta, tf, best) per pair.
    pair_index = np.arange(len(pair_rows))
    doc_values = np.zeros(len(key_pairs) + 3 * len(pair_rows), dtype=np.int64)
    at = key_of_pair + 1 + 3 * pair_index
    doc_values[at], doc_values[at + 1], doc_values[at + 2] = doc_deltas, pair_counts, best_codes
    key_starts = np.arange(len(key_pairs)) + 3 * key_pairs
    doc_values[key_starts] = df
    doc_bytes, doc_offsets = varints(doc_values)

    # Positions: df, then (delta, count, first code, code deltas…) per pair.
    code_deltas = codes.copy()
    code_deltas[1:] -= np.where(new_pair[1:], 0, codes[:-1])
    position_values = np.zeros(len(key_pairs) + 2 * len(pair_rows) + count, dtype=np.int64)
    row_pair = np.cumsum(new_pair) - 1
    position_values[key_of_pair[row_pair] + 1 + 2 * (row_pair + 1) + np.arange(count)] = code_deltas
    header = key_of_pair + 1 + 2 * pair_index + pair_rows
    position_values[header], position_values[header + 1] = doc_deltas, pair_counts
    position_starts = np.arange(len(key_pairs)) + 2 * key_pairs + pair_rows[key_pairs]
    position_values[position_starts] = df
    position_bytes, position_offsets = varints(position_values)
    return Entries(keys[pair_rows[key_pairs]], doc_bytes.tobytes(), doc_offsets[np.append(key_starts, len(doc_values))],
                   position_bytes.tobytes(), position_offsets[np.append(position_starts, len(position_values))])


def python_entries(postings: list[tuple[int, list[int]]]) -> tuple[bytes, bytes]:
    """Both entries of one word or filter term: [(report, position codes)], in report order."""
    doc_values, position_values = [len(postings)], [len(postings)]
    previous = 0
    for doc, codes in postings:
        best = min(codes, key=lambda code: (code % 3, code)) if codes else 0
        doc_values += [doc - previous, max(1, len(codes)), best]
        position_values += [doc - previous, len(codes)]
        last = 0
        for code in codes:
            position_values.append(code - last)
            last = code
        previous = doc
    return varint_bytes(doc_values), varint_bytes(position_values)


def shard_file(entries_by_term: dict[str, bytes]) -> bytes:
    terms = sorted(entries_by_term)
    header = json.dumps([item for term in terms for item in (term, len(entries_by_term[term]))],
                        ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return varint_bytes([len(header)]) + header + b"".join(entries_by_term[term] for term in terms)
