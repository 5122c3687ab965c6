"""The static browser index: a small manifest, term shards fetched only when a query needs them,
and one small file per report for result titles and snippets. Terms are hashed (FNV-1a) into
shards; the browser computes the same hash (theme/assets/search.js)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from site_builder.names import sort_key
from site_builder.search.analysis import Tokens, analyse
from site_builder.search.encode import varint_bytes
from site_builder.search.limits import browser_limits

if TYPE_CHECKING:
    from site_builder.document import Document
    from site_builder.models import Report

FIELD_TITLE, FIELD_HEADING, FIELD_BODY = 0, 1, 2
FIELD_GAP = 2  # positions between fields, so a phrase never matches across two of them
SHARD_TARGET_BYTES = 4_000
CHUNK_CHARS = 1024
"""Each report's text is split into chunks of this many positions: a result fetches only the one
holding its hit, for the snippet."""
FILTERS = ("year", "province", "county", "town")


def fnv1a(text: str) -> int:
    value = 0x811C9DC5
    for char in text:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


@dataclass
class IndexedReport:
    doc: dict[str, object]
    """What the result list shows: url, title, place, year, and where each section starts."""
    chunks: list[str]
    """The text laid out by position (field gaps as newlines), in CHUNK_CHARS pieces."""
    fields: list[tuple[int, int]]
    """(field, number of characters) for each run of the text, in order."""

    @functools.cached_property
    def tokens(self) -> Tokens:
        """Every token with its position code: analysed when asked (cheaper than caching them)."""
        kinds, lengths = zip(*self.fields, strict=True) if self.fields else ((), ())
        return analyse("".join(self.chunks), np.repeat(np.array(kinds, dtype=np.uint8), lengths))

    @property
    def length(self) -> int:
        return self.tokens.count

    def __getstate__(self) -> dict[str, object]:
        return {"doc": self.doc, "chunks": self.chunks, "fields": self.fields}  # never the tokens


def index_report(report: Report, document: Document) -> IndexedReport:
    """The title, each heading and each section's text laid out in one position space, analysed."""
    laid_out: list[str] = []
    fields: list[int] = []
    position = 0

    def add(text: str, field: int) -> int:
        nonlocal position
        start = position
        laid_out.append(text + "\n" * FIELD_GAP)
        fields.append(field)
        position = start + len(text) + FIELD_GAP
        return start

    add(report.meta.title, FIELD_TITLE)
    texts = document.section_texts()
    records = []
    leading = "\n".join(texts.get("", []))
    if leading:
        records.append([add(leading, FIELD_BODY), "", ""])
    for section in document.headings:
        records.append([add(section.text, FIELD_HEADING), section.anchor, section.text])
        body = "\n".join(texts.get(section.anchor, []))
        if body:
            add(body, FIELD_BODY)
    full = "".join(laid_out)
    chunks = [full[i: i + CHUNK_CHARS] for i in range(0, len(full), CHUNK_CHARS)]
    meta = report.meta
    doc = {"u": report.path, "t": meta.title, "p": f"{meta.province}{meta.county}{meta.town}", "y": meta.year,
           "s": records, "c": CHUNK_CHARS}
    return IndexedReport(doc, chunks, [(field, len(part)) for field, part in zip(fields, laid_out, strict=True)])


def shard_count(content_bytes: int) -> int:
    """A power of two giving shard files of about SHARD_TARGET_BYTES (the doc lists, and the
    positions, each take about half the bytes of the Markdown): small enough that a query's
    download is mostly the entries of its own terms."""
    count = 8
    while count < 16384 and content_bytes / 2 / count > SHARD_TARGET_BYTES:
        count *= 2
    return count


def filter_postings(reports: list[Report]) -> dict[str, list[int]]:
    """Filter values as terms whose doc lists are the reports that have them."""
    found: dict[str, list[int]] = {}
    for doc_id, report in enumerate(reports):
        for key in FILTERS:
            found.setdefault(f"={key}:{getattr(report.meta, key)}", []).append(doc_id)
    return found


def manifest(reports: list[Report], lengths: list[int], shards: int) -> bytes:
    choices = {key: sorted({str(getattr(r.meta, key)) for r in reports}, reverse=True) if key == "year"
               else sorted({str(getattr(r.meta, key)) for r in reports}, key=sort_key) for key in FILTERS}
    return _json({"v": 2, "n": shards, "docs": len(reports), "avg": round(sum(lengths) / len(lengths), 1) if lengths else 0,
                  "filters": choices, "limits": browser_limits()})


def lengths_file(lengths: list[int]) -> bytes:
    """Each report's number of tokens (for BM25's length normalisation), as varints."""
    return varint_bytes(lengths)


def doc_files(doc_id: int, item: IndexedReport) -> dict[str, bytes]:
    files = {f"search/docs/{doc_id}.json": _json(item.doc)}
    files.update({f"search/docs/{doc_id}-{k}.txt": chunk.encode("utf-8") for k, chunk in enumerate(item.chunks)})
    return files


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
