"""Search with whoosh, for the command line (`site-builder search`) and for an optional intranet
service (`site-builder serve-search`). The same analysis as the browser index: Chinese bigrams,
Latin and digit words; one whoosh document per report section. The index lives in
.site-cache/whoosh/ and is updated incrementally: only reports whose content hash changed are
analysed again."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh import qparser  # noqa: F401  (imported so whoosh registers its plugins once)
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.query import And, Or, Phrase, Query, Term
from whoosh.scoring import BM25F

from site_builder import parallel as forking
from site_builder.cache import document_store
from site_builder.document import Document
from site_builder.load import document_of
from site_builder.locking import acquire_lock, release_lock
from site_builder.search.limits import MAX_POSTINGS, QueryRefused, check_query
from site_builder.search.tokens import tokens

if TYPE_CHECKING:
    from site_builder.config import Config
    from site_builder.models import Report, Site

FIELD_BOOSTS = {"title": 3.0, "heading": 2.0, "text": 1.0}
WRITER_BATCH = 100
"""Sections handed to a writer process at a time, when several write the index."""


class BigramTokenizer(Tokenizer):  # type: ignore[misc]  # whoosh ships no type information
    """whoosh tokenizer over site_builder.search.tokens: positions are token ordinals, so the
    bigrams of one Chinese phrase are consecutive and a whoosh Phrase query matches it exactly."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, mode: str = "",
                 **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        last_end = None
        ordinal = start_pos
        for term, offset in tokens(value):
            # A gap in the text (punctuation, a space) breaks a phrase: skip an ordinal there.
            if last_end is not None and offset > last_end:
                ordinal += 1
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = ordinal
            if chars:
                token.startchar, token.endchar = start_char + offset, start_char + offset + len(term)
            yield token
            ordinal += 1
            last_end = offset + len(term)


def schema() -> Schema:
    analyzer = BigramTokenizer()
    return Schema(doc=ID(stored=True), content_hash=ID(stored=True), url=STORED, anchor=STORED,
                  title=TEXT(analyzer=analyzer, stored=True, field_boost=FIELD_BOOSTS["title"]),
                  heading=TEXT(analyzer=analyzer, stored=True, field_boost=FIELD_BOOSTS["heading"]),
                  text=TEXT(analyzer=analyzer, stored=True),
                  town=ID(stored=True), county=ID(stored=True), province=ID(stored=True), year=NUMERIC(stored=True),
                  unit=STORED)


def index_folder(config: Config) -> Path:
    return config.root / ".site-cache" / "whoosh"


def update_index(site: Site) -> tuple[int, int]:
    """Bring the whoosh index in line with the site; returns (reports analysed, reports removed)."""
    folder = index_folder(site.config)
    folder.mkdir(parents=True, exist_ok=True)
    # Two `search` commands at once on a fresh index must take turns, not meet whoosh's LockError.
    lock = acquire_lock(folder.parent / "whoosh.lock", "the search index")
    try:
        return _update(site, folder)
    finally:
        release_lock(lock)


def _update(site: Site, folder: Path) -> tuple[int, int]:
    ix = whoosh_index.open_dir(str(folder)) if whoosh_index.exists_in(str(folder)) else whoosh_index.create_in(str(folder), schema())
    wanted = {r.content_hash: r for r in site.reports}
    with ix.searcher() as searcher:
        present = {fields["content_hash"] for fields in searcher.all_stored_fields()}
    stale = present - set(wanted)
    fresh = [r for h, r in wanted.items() if h not in present]
    if not stale and not fresh:
        return 0, 0
    # Several processes for a first build of a large site (a segment each); one for a few changes.
    parallel = len(fresh) >= forking.PARALLEL_THRESHOLD and forking.workers() > 1 and forking.can_fork()
    writer = ix.writer(procs=forking.workers(), limitmb=256, multisegment=True, batchsize=WRITER_BATCH) if parallel else ix.writer()
    for content_hash in sorted(stale):
        writer.delete_by_term("content_hash", content_hash)
    store = document_store(site.config.root)
    for report in fresh:
        for fields in _sections(report, document_of(store, report.source)):
            writer.add_document(**fields)
    writer.commit()
    return len(fresh), len(stale)


def _sections(report: Report, document: Document) -> Iterator[dict[str, Any]]:
    texts = document.section_texts()
    meta = report.meta
    common = {"doc": report.path, "content_hash": report.content_hash, "url": report.path, "title": meta.title,
              "town": meta.town, "county": meta.county, "province": meta.province, "year": meta.year, "unit": meta.unit}
    yield {**common, "anchor": "", "heading": "", "text": "\n".join(texts.get("", []))}
    for section in document.headings:
        yield {**common, "anchor": section.anchor, "heading": section.text, "text": "\n".join(texts.get(section.anchor, []))}


@dataclass
class Hit:
    title: str
    url: str
    anchor: str
    section: str
    town: str
    county: str
    province: str
    year: int
    snippet: str
    """The text around the first match, the match between 【】."""
    score: float

    def to_json(self, base: str) -> dict[str, Any]:
        return {"title": self.title, "url": base + self.url + (f"#{self.anchor}" if self.anchor else ""), "section": self.section,
                "town": self.town, "county": self.county, "province": self.province, "year": self.year,
                "snippet": self.snippet, "score": round(self.score, 4)}




def _phrase_query(phrase: str) -> Query | None:
    terms = [term for term, _ in tokens(phrase)]
    if not terms:
        return None
    per_field = [Phrase(field, terms) if len(terms) > 1 else Term(field, terms[0]) for field in FIELD_BOOSTS]
    return Or(per_field)


def search(config: Config, query: str, *, year: int | None = None, town: str = "", county: str = "", province: str = "",
           limit: int = 10) -> tuple[int, list[Hit]]:
    """(number of reports matching, the best `limit` of them, one hit each: its best section)."""
    phrases = check_query(query)
    parts = [q for q in (_phrase_query(p) for p in phrases) if q is not None]
    if not parts:
        return 0, []
    filters: list[Query] = [Term(k, v) for k, v in (("town", town), ("county", county), ("province", province)) if v]
    ix = whoosh_index.open_dir(str(index_folder(config)))
    with ix.searcher(weighting=BM25F()) as searcher:
        _check_postings(searcher, phrases)
        # Phrases must all match in the report, not necessarily in one section: find reports per phrase first.
        reports: set[str] | None = None
        for part in parts:
            found = {hit["doc"] for hit in searcher.search(And([part, *filters]) if filters else part, limit=None)}
            reports = found if reports is None else reports & found
        if year is not None:
            reports = {d for d in reports or set() if _year_of(searcher, d) == year}
        if not reports:
            return 0, []
        best: dict[str, tuple[float, dict[str, Any]]] = {}
        for hit in searcher.search(Or(parts), limit=None):
            doc = hit["doc"]
            if doc in reports and (doc not in best or hit.score > best[doc][0]):
                best[doc] = (hit.score, dict(hit.fields()))
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        return len(reports), [_hit(fields, score, phrases) for _, (score, fields) in ranked[:limit]]


def _check_postings(searcher: Any, phrases: list[str]) -> None:
    """Refuse a query whose terms would make whoosh read more than MAX_POSTINGS entries."""
    total = sum(searcher.doc_frequency(field, term) for phrase in phrases for term, _ in tokens(phrase) for field in FIELD_BOOSTS)
    if total > MAX_POSTINGS:
        raise QueryRefused("the query's words are so common together that it would read too much of the index; "
                           "use fewer or rarer words")


def _year_of(searcher: Any, doc: str) -> int:
    return int(next(searcher.documents(doc=doc))["year"])


def _hit(fields: dict[str, Any], score: float, phrases: list[str]) -> Hit:
    text = fields.get("text") or ""
    snippet = _snippet(fields.get("heading", "") + "\n" + text, phrases) or _snippet(fields["title"], phrases)
    return Hit(fields["title"], fields["url"], fields.get("anchor", ""), fields.get("heading", ""), fields["town"],
               fields["county"], fields["province"], int(fields["year"]), snippet, score)


def _snippet(text: str, phrases: list[str], width: int = 40) -> str:
    normalized = unicodedata.normalize("NFKC", text).lower()
    for phrase in phrases:
        index = normalized.find(unicodedata.normalize("NFKC", phrase).lower())
        if index >= 0:
            start, end = max(0, index - width), min(len(text), index + len(phrase) + width)
            snippet = ("…" if start else "") + text[start:index] + "【" + text[index:index + len(phrase)] + "】" + \
                text[index + len(phrase):end] + ("…" if end < len(text) else "")
            return " ".join(snippet.split())
    return ""


def answer(config: Config, params: dict[str, str]) -> dict[str, Any]:
    """The JSON answer of GET /api/search?q=…&year=…&town=…&county=…&province=…&limit=…;
    QueryRefused (an HTTP 400) for a parameter that is not understood or a query past the bounds."""
    year = _whole_number(params, "year", 1900, 2100, None)
    limit = _whole_number(params, "limit", 1, 100, 10) or 10
    total, hits = search(config, params.get("q", ""), year=year, town=params.get("town", ""), county=params.get("county", ""),
                         province=params.get("province", ""), limit=limit)
    return {"query": params.get("q", ""), "total": total, "results": [h.to_json(config.base_url) for h in hits]}


def _whole_number(params: dict[str, str], key: str, low: int, high: int, default: int | None) -> int | None:
    text = params.get(key, "").strip()
    if not text:
        return default
    if not re.fullmatch(r"[0-9]{1,6}", text) or not low <= int(text) <= high:
        raise QueryRefused(f"{key}={text[:20]!r} is not understood: give a whole number from {low} to {high}")
    return int(text)


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
