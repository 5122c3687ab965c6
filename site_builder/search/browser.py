"""The static browser index: a small manifest, term shards fetched only when a query needs them,
and one small file per report for result titles and snippets. Terms are hashed (FNV-1a) into
shards; the browser computes the same hash (theme/assets/search.js)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO, TYPE_CHECKING

from site_builder.names import sort_key
from site_builder.search.tokens import add_postings
from site_builder.stats.analysis import UNESCAPE, outline

if TYPE_CHECKING:
    from site_builder.models import Report

FIELD_TITLE, FIELD_HEADING, FIELD_BODY = 0, 1, 2
FIELD_GAP = 2  # positions between fields, so a phrase never matches across two of them
SHARD_TARGET_BYTES = 24_000
CHUNK_CHARS = 2048
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
    postings: dict[str, list[int]]
    """term → sorted position codes (position × 3 + field)."""
    length: int


def index_report(report: Report, markdown: str) -> IndexedReport:
    """Tokens of the title, each heading and each section's text, in one position space."""
    sections, paragraphs = outline(markdown)
    postings: dict[str, list[int]] = {}
    laid_out: list[str] = []
    position = 0
    count = 0

    def add(text: str, field: int) -> int:
        nonlocal position, count
        start = position
        count += add_postings(text, start, field, postings)
        laid_out.append(text + "\n" * FIELD_GAP)
        position = start + len(text) + FIELD_GAP
        return start

    add(report.meta.title, FIELD_TITLE)
    texts: dict[str, list[str]] = {}
    for paragraph in paragraphs:
        texts.setdefault(paragraph.section, []).append(plain_text(paragraph.text))
    records = []
    leading = "\n".join(texts.get("", []))
    if leading:
        records.append([add(leading, FIELD_BODY), "", ""])
    for section in sections:
        records.append([add(section.text, FIELD_HEADING), section.anchor, section.text])
        body = "\n".join(texts.get(section.anchor, []))
        if body:
            add(body, FIELD_BODY)
    full = "".join(laid_out)
    chunks = [full[i: i + CHUNK_CHARS] for i in range(0, len(full), CHUNK_CHARS)]
    meta = report.meta
    doc = {"u": report.path, "t": meta.title, "p": f"{meta.province}{meta.county}{meta.town}", "y": meta.year,
           "s": records, "c": CHUNK_CHARS}
    return IndexedReport(doc, chunks, postings, count)


def plain_text(markdown_text: str) -> str:
    """Markdown paragraph source → the text a reader sees (escapes and emphasis marks removed)."""
    text = UNESCAPE.sub(r"\1", markdown_text)
    text = re.sub(r"(\*\*|__|\*|_|`)", "", text)
    return re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)


BUCKETS = 64
"""Shards are built in this many groups, each from its own spill files, so memory stays small."""


def shard_count(content_bytes: int) -> int:
    """A power of two giving shards of about SHARD_TARGET_BYTES (the index is ~4× the Markdown)."""
    count = 8
    while count < 16384 and content_bytes * 4 / count > SHARD_TARGET_BYTES:
        count *= 2
    return count


def spill_postings(doc_id: int, postings: dict[str, list[int]], shards: int, files: list[IO[str]]) -> None:
    """Append one report's postings as lines `term<TAB>shard<TAB>doc<TAB>deltas` to bucket files."""
    for term, codes in postings.items():
        shard = fnv1a(term) % shards
        deltas = ",".join(map(str, [codes[0]] + [b - a for a, b in pairwise(codes)]))
        files[shard % BUCKETS].write(f"{term}\t{shard}\t{doc_id}\t{deltas}\n")


def filter_postings(reports: list[Report]) -> dict[str, list[int]]:
    """Filter values as terms whose postings are the reports that have them (no positions)."""
    found: dict[str, list[int]] = {}
    for doc_id, report in enumerate(reports):
        for key in FILTERS:
            found.setdefault(f"={key}:{getattr(report.meta, key)}", []).append(doc_id)
    return found


def build_shards(bucket: int, shards: int, spill_files: list[Path]) -> dict[int, bytes]:
    """Every shard of one bucket, from the spilled lines of every worker (sorted: deterministic)."""
    grouped: dict[int, dict[str, list[tuple[int, str]]]] = {s: {} for s in range(bucket, shards, BUCKETS)}
    for path in spill_files:
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                term, shard_text, doc, deltas = line.rstrip("\n").split("\t")
                grouped[int(shard_text)].setdefault(term, []).append((int(doc), deltas))
    out: dict[int, bytes] = {}
    for shard, terms in grouped.items():
        parts = []
        for term in sorted(terms):
            postings = ",".join(f"[{doc}{',' if deltas else ''}{deltas}]" for doc, deltas in sorted(terms[term]))
            parts.append(f"{json.dumps(term, ensure_ascii=False)}:[{postings}]")
        out[shard] = ("{" + ",".join(parts) + "}").encode("utf-8")
    return out


def manifest(reports: list[Report], lengths: list[int], shards: int) -> bytes:
    choices = {key: sorted({str(getattr(r.meta, key)) for r in reports}, reverse=True) if key == "year"
               else sorted({str(getattr(r.meta, key)) for r in reports}, key=sort_key) for key in FILTERS}
    return _json({"v": 1, "n": shards, "docs": len(reports), "avg": (sum(lengths) / len(lengths)) if lengths else 0,
                  "len": lengths, "filters": choices})


def doc_files(doc_id: int, item: IndexedReport) -> dict[str, bytes]:
    files = {f"search/docs/{doc_id}.json": _json(item.doc)}
    files.update({f"search/docs/{doc_id}-{k}.json": _json(chunk) for k, chunk in enumerate(item.chunks)})
    return files


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
