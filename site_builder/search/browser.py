"""The static browser index: a small manifest, term shards fetched only when a query needs them,
and one small file per report for result titles and snippets. Terms are hashed (FNV-1a) into
shards; the browser computes the same hash (theme/assets/search.js)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from site_builder.names import sort_key
from site_builder.search.tokens import tokens
from site_builder.stats.analysis import outline

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
        for term, offset in tokens(text):
            postings.setdefault(term, []).append((start + offset) * 3 + field)
            count += 1
        laid_out.append(text + "\n" * FIELD_GAP)
        position = start + len(text) + FIELD_GAP
        return start

    add(report.meta.title, FIELD_TITLE)
    texts: dict[str, list[str]] = {}
    for paragraph in paragraphs:
        texts.setdefault(paragraph.section, []).append(_plain(paragraph.text))
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


def _plain(markdown_text: str) -> str:
    """Markdown paragraph source → the text a reader sees (escapes and emphasis marks removed)."""
    import re

    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown_text)
    text = re.sub(r"(\*\*|__|\*|_|`)", "", text)
    return re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)


def write_index(reports: list[Report], indexed: list[IndexedReport]) -> dict[str, bytes]:
    """Site-relative path → bytes for every search file."""
    terms: dict[str, list[list[int]]] = {}
    for doc_id, item in enumerate(indexed):
        for term, codes in item.postings.items():
            deltas = [codes[0]] + [b - a for a, b in zip(codes, codes[1:])]
            terms.setdefault(term, []).append([doc_id, *deltas])
    for key in FILTERS:
        for doc_id, report in enumerate(reports):
            terms.setdefault(f"={key}:{getattr(report.meta, key)}", []).append([doc_id])
    estimate = sum(len(term) * 3 + sum(len(p) * 4 for p in postings) for term, postings in terms.items())
    shard_count = 8
    while shard_count < 4096 and estimate / shard_count > SHARD_TARGET_BYTES:
        shard_count *= 2
    shards: list[dict[str, list[list[int]]]] = [{} for _ in range(shard_count)]
    for term in sorted(terms):
        shards[fnv1a(term) % shard_count][term] = terms[term]
    files = {f"search/shards/{n}.json": _json(shard) for n, shard in enumerate(shards)}
    for doc_id, item in enumerate(indexed):
        files[f"search/docs/{doc_id}.json"] = _json(item.doc)
        files.update({f"search/docs/{doc_id}-{k}.json": _json(chunk) for k, chunk in enumerate(item.chunks)})
    lengths = [item.length for item in indexed]
    choices = {key: sorted({str(getattr(r.meta, key)) for r in reports}, reverse=True) if key == "year"
               else sorted({str(getattr(r.meta, key)) for r in reports}, key=sort_key) for key in FILTERS}
    manifest = {"v": 1, "n": shard_count, "docs": len(indexed), "avg": (sum(lengths) / len(lengths)) if lengths else 0,
                "len": lengths, "filters": choices}
    files["search/meta.json"] = _json(manifest)
    return files


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def documents(reports: Iterable[Report]) -> list[Report]:
    """Reports in index order (the site's region order), so doc ids are stable between builds."""
    return list(reports)
