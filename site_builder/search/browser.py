"""The static browser index: term shards fetched only when a query needs them, one file of
report lengths, and one small file per report for its result (title, sections, text). Terms are hashed (FNV-1a) into
shards; the browser computes the same hash (theme/assets/search.js)."""

from __future__ import annotations

import functools
import json
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from site_builder.names import sort_key
from site_builder.search.analysis import Tokens, analyse
from site_builder.search.encode import varint_bytes
from site_builder.search.limits import browser_limits
from site_builder.search.match import BREAK, traditional_to_simplified, unit_text
from site_builder.search.phrases import bloom

if TYPE_CHECKING:
    from site_builder.document import Document
    from site_builder.models import Report

FIELD_TITLE, FIELD_HEADING, FIELD_BODY = 0, 1, 2
SHARD_TARGET_BYTES = 8_000
MAX_SHARDS = 131_072
"""At 50,000 reports, 16,384 shards were 50 KB each, and one edited report (≈ 3,500 terms) had
≈ 3,500 of them inflated, patched and deflated again: 287 s. Bounded only by hosts' file counts."""
TEXT_LEVEL = 6
"""zlib level of each report's text in its docs/ file."""
FILTERS = ("year", "province", "county", "town")
FORMAT = 9
"""The version of the files under search/ (meta.json `v`)."""


def fnv1a(text: str) -> int:
    value = 0x811C9DC5
    for char in text:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


@dataclass
class IndexedReport:
    doc: dict[str, object]
    """What the result list shows: url, title, place, year, and each section's positions."""
    text: str
    """The title, the headings, then the paragraphs, one per line (match.BREAK between them)."""
    fields: list[tuple[int, int]]
    """(field, number of characters) for each run of the text, in order."""

    @functools.cached_property
    def tokens(self) -> Tokens:
        """Every term with its positions: analysed when asked (cheaper than caching them)."""
        kinds, lengths = zip(*self.fields, strict=True) if self.fields else ((), ())
        return analyse(self.text, np.repeat(np.array(kinds, dtype=np.uint8), lengths))

    @property
    def length(self) -> int:
        return self.tokens.count

    @property
    def bounds(self) -> tuple[int, int]:
        """Where the headings start and where the body starts: a position's field, for ranking."""
        title = self.fields[0][1] if self.fields else 0
        return title, title + sum(size for field, size in self.fields if field == FIELD_HEADING)

    def __getstate__(self) -> dict[str, object]:
        return {"doc": self.doc, "text": self.text, "fields": self.fields}  # never the tokens


def index_report(report: Report, document: Document) -> IndexedReport:
    """The report laid out in one position space: the title, then every heading, then the
    paragraphs (so a position says its field: title, heading or body, by two bounds). Each
    section is recorded as [heading position, body position or -1, anchor, heading]."""
    parts: list[str] = []
    fields: list[tuple[int, int]] = []
    position = 0

    def add(text: str, field: int) -> int:
        nonlocal position
        start = position
        parts.append(text + BREAK)
        fields.append((field, len(text) + 1))
        position += len(text) + 1
        return start

    add(unit_text(report.meta.title), FIELD_TITLE)
    texts = document.section_texts()
    records: list[list[object]] = [[-1, -1, "", ""]]
    for section in document.headings:
        records.append([add(unit_text(section.text), FIELD_HEADING), -1, section.anchor, section.text])
    for record in records:
        for paragraph in texts.get(str(record[2]), []):
            line = unit_text(paragraph)
            if line:
                start = add(line, FIELD_BODY)
                if record[1] == -1:
                    record[1] = start
    if records[0][1] == -1:
        records.pop(0)
    meta = report.meta
    doc = {"u": report.path, "t": meta.title, "p": f"{meta.province}{meta.county}{meta.town}", "y": meta.year, "s": records}
    item = IndexedReport(doc, "".join(parts).replace("\x00", " "), fields)
    doc["b"] = list(item.bounds)  # a hit's field, for the snippet (the first page needs no lengths.bin)
    return item


def shard_count(content_bytes: int) -> int:
    """A power of two giving shard files of about SHARD_TARGET_BYTES (the index takes about the
    bytes of the Markdown): small enough that a query's download is mostly the entries of its
    own terms."""
    count = 8
    while count < MAX_SHARDS and content_bytes / count > SHARD_TARGET_BYTES:
        count *= 2
    return count


def filter_postings(reports: list[Report]) -> dict[str, list[int]]:
    """Filter values as terms whose doc lists are the reports that have them."""
    found: dict[str, list[int]] = {}
    for doc_id, report in enumerate(reports):
        for key in FILTERS:
            found.setdefault(f"={key}:{getattr(report.meta, key)}", []).append(doc_id)
    return found


def manifest(reports: list[Report], shards: int) -> bytes:
    """Filter choices (each county under its province) and the format; a query does not wait
    for it: the search page carries the shard count (search_page_data)."""
    choices = {key: sorted({str(getattr(r.meta, key)) for r in reports}, reverse=True) if key == "year"
               else sorted({str(getattr(r.meta, key)) for r in reports}, key=sort_key) for key in FILTERS if key != "town"}
    counties: dict[str, set[str]] = {}
    for report in reports:
        counties.setdefault(report.meta.province, set()).add(report.meta.county)
    return _json({"v": FORMAT, "n": shards, "docs": len(reports), "filters": choices,
                  "counties": {province: sorted(names, key=sort_key) for province, names in sorted(counties.items())}})


def facets(reports: list[Report]) -> bytes:
    """search/facets.json: each report's year, town (with its county and page) and 发布日期, by
    report number. The search page counts results by 年度, 区县 and 乡镇 from it, lists reports by
    filters alone, sorts by year or date and offers the towns for completion (fetched beside the
    first round of a query: it adds no round)."""
    years = sorted({r.meta.year for r in reports}, reverse=True)
    counties = sorted({(r.meta.province, r.meta.county) for r in reports}, key=lambda pc: (sort_key(pc[0]), sort_key(pc[1])))
    county_number = {pc: i for i, pc in enumerate(counties)}
    towns: dict[str, list[object]] = {}
    for report in reports:
        towns.setdefault(report.town_path, [report.meta.town, county_number[(report.meta.province, report.meta.county)],
                                            report.town_path])
    town_number = {path: i for i, path in enumerate(towns)}
    year_number = {year: i for i, year in enumerate(years)}
    docs = [[year_number[r.meta.year], town_number[r.town_path], r.meta.published.isoformat() if r.meta.published else ""]
            for r in reports]
    return _json({"v": FORMAT, "years": years, "counties": [list(pc) for pc in counties], "towns": list(towns.values()), "docs": docs})


def search_page_data(shards: int) -> str:
    """What search.js needs before its first request, written into the search page."""
    pairs = "".join(char + simple for char, simple in sorted(traditional_to_simplified().items()))
    return json.dumps({"v": FORMAT, "n": shards, "limits": browser_limits(), "t": pairs, "ph": bloom()},
                      ensure_ascii=False, separators=(",", ":"))


def stats_file(items: list[tuple[int, tuple[int, int]]]) -> bytes:
    """search/stats.json: the number of reports and their characters (idf and the average length
    of BM25), fetched beside the heads: the first page needs no per-report file."""
    return _json({"v": FORMAT, "docs": len(items), "chars": sum(length for length, _ in items)})


def lengths_file(items: list[tuple[int, tuple[int, int]]]) -> bytes:
    """Per report: its length in characters (BM25's length normalisation), where its headings
    start and where its body starts (a hit's field), as varints."""
    return varint_bytes([value for length, (title, body) in items for value in (length, title, body)])


def doc_files(doc_id: int, item: IndexedReport) -> dict[str, bytes]:
    """A result's two files: `docs/{id}.json` (url, title, place, year, sections: what the result
    list shows first) and `docs/{id}.bin`, the laid-out text zlib-compressed, for the snippet (the
    browser inflates it with DecompressionStream('deflate'))."""
    return {f"search/docs/{doc_id}.json": _json(item.doc),
            f"search/docs/{doc_id}.bin": zlib.compress(item.text.encode("utf-8"), TEXT_LEVEL)}


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
