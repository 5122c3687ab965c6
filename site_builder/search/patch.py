"""Updating the browser index in place after a few reports changed: only the shards holding a
term of a changed report (in its old or new text) are read back, the changed reports' entries
spliced out and in, and written again — byte for byte what a full build would write, because
the encoding (search/encode.py) is canonical: the same postings, the same bytes.

A report keeps its number (its place in the site's report order) as long as no report is added,
removed or moved elsewhere in that order; when the numbers shift, the full build runs instead."""

from __future__ import annotations

import bisect
import json
import zlib
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from site_builder.search.analysis import Tokens, fnv1a_keys, key_text
from site_builder.search.browser import fnv1a
from site_builder.search.encode import decode, record_starts, shard_file, varint_bytes
from site_builder.search.heads import DocTable, head_of_entry
from site_builder.search.phrases import is_phrase

MAX_CHANGED = 200
"""More changed report numbers than this: the full build is as quick."""

Payloads = dict[int, dict[str, dict[int, bytes | None]]]
"""shard number → term → report number → its entry payload (None: remove the report)."""


class DocKey(NamedTuple):
    """What a report number holds, as far as the index is concerned."""

    content_hash: str
    path: str
    filters: tuple[str, ...]
    """Its filter terms (=year:2023, =province:…)."""


def _payload_t(count: int, best: int) -> bytes:
    return varint_bytes([count, best])


def _payload_p(codes: Iterable[int]) -> bytes:
    values, last = [], 0
    for code in codes:
        values.append(code - last)
        last = code
    return varint_bytes([len(values), *values])


def term_payloads(tokens: Tokens, filters: tuple[str, ...], shards: int) -> dict[int, dict[str, bytes]]:
    """Every entry a report has in the index: shard number → term → payload (what follows the
    report-number delta in the term's entry)."""
    found: dict[int, dict[str, bytes]] = {}
    listed_shards = (fnv1a_keys(tokens.listed_keys) % np.uint32(shards)).tolist()
    for key, shard, count, best in zip(tokens.listed_keys.tolist(), listed_shards, tokens.listed_counts.tolist(),
                                       tokens.listed_best.tolist(), strict=True):
        found.setdefault(shard, {})[key_text(key)] = _payload_t(count, best)
    keys = tokens.placed_keys
    if len(keys):
        starts = np.flatnonzero(np.append(True, keys[1:] != keys[:-1]))
        bounds = np.append(starts, len(keys)).tolist()
        placed_shards = (fnv1a_keys(keys[starts]) % np.uint32(shards)).tolist()
        codes = tokens.placed_codes.tolist()
        for index, key in enumerate(keys[starts].tolist()):
            found.setdefault(placed_shards[index], {})[key_text(key)] = _payload_p(codes[bounds[index]: bounds[index + 1]])
    for term in filters:
        found.setdefault(fnv1a(term) % shards, {})[term] = _payload_t(1, 0)
    return found


def has_positions(term: str) -> bool:
    """A bigram's and a phrase's entry list positions; a character's and a filter term's are doc lists."""
    return len(term) >= 2 and not term.startswith("=")


def add_changes(into: Payloads, doc: int, old: dict[int, dict[str, bytes]], new: dict[int, dict[str, bytes]],
                every: bool = False) -> None:
    """Record what report `doc` loses and gains (an entry that stays the same is left alone,
    unless `every`: its length changed, so every head it is in is written again)."""
    for shard, terms in old.items():
        kept = new.get(shard, {})
        for term in terms:
            if term not in kept:
                into.setdefault(shard, {}).setdefault(term, {})[doc] = None
    for shard, terms in new.items():
        was = old.get(shard, {})
        for term, payload in terms.items():
            if every or was.get(term) != payload:
                into.setdefault(shard, {}).setdefault(term, {})[doc] = payload


def read_shard(data: bytes) -> dict[str, bytes]:
    """A shard file → its entries by term (the inverse of encode.shard_file)."""
    data = zlib.decompress(data)
    length, at = _varint(data, 0)
    header = json.loads(data[at: at + length].decode("utf-8"))
    entries, offset = {}, at + length
    for term, size in zip(header[::2], header[1::2], strict=True):
        entries[term] = data[offset: offset + size]
        offset += size
    return entries


def patch_shard(heads: bytes, tails: bytes, phrased: bytes, changes: dict[str, dict[int, bytes | None]],
                table: DocTable) -> tuple[bytes, bytes, bytes]:
    """A shard's two files (s/: heads and filter lists; p/: full entries) and its phrases' full
    entries (kept in the cache; b"": none) with the changes: a filter term's list spliced in s/, a
    character's, bigram's or phrase's full entry spliced and its head made again from it."""
    head_entries, tail_entries = read_shard(heads), read_shard(tails)
    phrase_entries = read_shard(phrased) if phrased else {}
    for term, docs in changes.items():
        if term.startswith("="):
            _put(head_entries, term, splice(head_entries.get(term, b""), docs, positions=False))
            continue
        full = phrase_entries if is_phrase(term) else tail_entries
        entry = splice(full.get(term, b""), docs, has_positions(term))
        _put(full, term, entry)
        _put(head_entries, term, head_of_entry(entry, has_positions(term), table))
    return shard_file(head_entries), shard_file(tail_entries), shard_file(phrase_entries) if phrase_entries else b""


def _put(entries: dict[str, bytes], term: str, entry: bytes) -> None:
    if entry:
        entries[term] = entry
    else:
        entries.pop(term, None)


def splice(entry: bytes, changes: dict[int, bytes | None], positions: bool) -> bytes:
    """A term's entry with some reports' payloads replaced, added or removed. The runs of records
    between changed reports are copied as they are; only the first record of each run gets a new
    report-number delta."""
    docs, starts, payloads, end = _records(entry, positions)
    count = len(docs)
    out: list[bytes] = []
    kept, previous, cursor = 0, 0, 0

    def copy_run(until: int) -> None:  # records cursor … until-1
        nonlocal kept, previous
        if until > cursor:
            out.append(varint_bytes([docs[cursor] - previous]))
            out.append(entry[payloads[cursor]: starts[until] if until < count else end])
            kept += until - cursor
            previous = docs[until - 1]

    for doc, payload in sorted(changes.items()):
        index = bisect.bisect_left(docs, doc)
        copy_run(index)
        cursor = index + 1 if index < count and docs[index] == doc else index
        if payload is not None:
            out.append(varint_bytes([doc - previous]))
            out.append(payload)
            kept += 1
            previous = doc
    copy_run(count)
    return varint_bytes([kept]) + b"".join(out) if kept else b""


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if byte < 0x80:
            return value, at
        shift += 7


SMALL_ENTRY = 600
"""Bytes below which an entry is walked in plain Python: most terms are rare, and numpy's fixed
cost per call would outweigh the work."""


def _records_in_python(entry: bytes, positions: bool) -> tuple[list[int], list[int], list[int], int]:
    df, at = _varint(entry, 0)
    docs, starts, payloads = [], [], []
    doc = 0
    for _ in range(df):
        starts.append(at)
        delta, at = _varint(entry, at)
        doc += delta
        docs.append(doc)
        payloads.append(at)
        count, at = _varint(entry, at)
        for _ in range(count if positions else 1):  # the codes, or the best position
            while entry[at] >= 0x80:
                at += 1
            at += 1
    return docs, starts, payloads, at


def _records(entry: bytes, positions: bool) -> tuple[list[int], list[int], list[int], int]:
    """Each record's report number, byte offset, and offset of its payload; and the entry's end."""
    if not entry:
        return [], [], [], 0
    if len(entry) < SMALL_ENTRY:
        return _records_in_python(entry, positions)
    values, starts = decode(entry)
    offsets = np.append(starts, len(entry))
    df = int(values[0])
    orbit = record_starts(values, positions)
    if positions:
        last = int(orbit[-1]) + 2 + int(values[int(orbit[-1]) + 1]) if df else 1
    else:
        last = 1 + 3 * df
    docs = np.cumsum(values[orbit])
    return docs.tolist(), offsets[orbit].tolist(), offsets[orbit + 1].tolist(), int(offsets[last])
