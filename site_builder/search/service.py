"""Search with whoosh, for the command line (`site-builder search`) and for an optional intranet
service (`site-builder serve-search`), under the match rule of search/match.py — the same
answers as the browser index. One whoosh document per report: its laid-out text (title, headings,
paragraphs) indexed as characters and bigrams with their positions; a word is found where the
bigrams of match.grams stand at their offsets. The index lives in .site-cache/whoosh/ and is
updated incrementally by search/whoosh_index.py."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whoosh import qparser  # noqa: F401  (imported so whoosh registers its plugins once)
from whoosh.reading import TermNotFound

from site_builder.i18n import t
from site_builder.search import match
from site_builder.search.limits import MAX_POSTINGS, QueryRefused, check_query
from site_builder.search.whoosh_index import GramText as GramText  # the index's schema names them here
from site_builder.search.whoosh_index import GramTokenizer as GramTokenizer
from site_builder.search.whoosh_index import column, index_folder, open_dir
from site_builder.search.whoosh_index import update_index as update_index

if TYPE_CHECKING:
    from site_builder.config import Config

K1, B, BOOST = 1.2, 0.75, (3.0, 2.0, 1.0)
"""BM25, times 3 for a word in the title and 2 in a heading: as search.js ranks."""
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
    """Body text around the best hit, every query word between 【】."""
    score: float

    def to_json(self, base: str) -> dict[str, Any]:
        return {"title": self.title, "url": base + self.url + (f"#{self.anchor}" if self.anchor else ""), "section": self.section,
                "town": self.town, "county": self.county, "province": self.province, "year": self.year,
                "snippet": self.snippet, "score": round(self.score, 4)}


@dataclass
class Found:
    total: int
    """The number of reports matching."""
    hits: list[Hit]
    """The best `limit` of them."""
    relaxed: list[str] | None = None
    """The words searched instead, when the query as written found nothing (match.relaxed)."""


def search(config: Config, query: str, *, year: int | None = None, town: str = "", county: str = "", province: str = "",
           limit: int = 10) -> Found:
    """The reports holding every word of the query (match.py), best first."""
    words = check_query(query)
    if not words:
        return Found(0, [])
    filters = [(k, v) for k, v in (("town", town), ("county", county), ("province", province), ("year", str(year or ""))) if v]
    ix = open_dir(index_folder(config))
    with ix.searcher() as searcher:
        ranked, loose = _answer(searcher, words, filters)
        shown = loose or words
        return Found(len(ranked), [_hit(searcher.stored_fields(doc), score, shown) for doc, score in ranked[:limit]], loose)


def report_urls(config: Config, query: str) -> list[str]:
    """Every report matching the query (relaxed when nothing matches), best first: the same
    answer as `search`, without building a result for each (for the differential tests)."""
    words = check_query(query)
    if not words:
        return []
    ix = open_dir(index_folder(config))
    with ix.searcher() as searcher:
        ranked, _ = _answer(searcher, words, [])
        paths = searcher.reader().column_reader("doc", translate=True)
        return [paths[doc] for doc, _ in ranked]


def _answer(searcher: Any, words: list[str], filters: list[tuple[str, str]]) -> tuple[list[tuple[int, float]], list[str] | None]:
    """The ranked reports holding the words; when none does, those holding the relaxed words
    (match.relaxed), and those words."""
    _check_postings(searcher, words)
    ranked = _ranked(searcher, words, filters)
    loose = match.relaxed(words) if not ranked else None
    if loose:
        _check_postings(searcher, loose)
        ranked = _ranked(searcher, loose, filters)
    return ranked, loose


def _check_postings(searcher: Any, words: list[str]) -> None:
    """Refuse a query whose terms would make whoosh read more than MAX_POSTINGS entries."""
    total = sum(searcher.doc_frequency("text", gram) for word in words for gram, _ in match.grams(word))
    if total > MAX_POSTINGS:
        raise QueryRefused(t("The query's words are so common together that it would read too much of the index; "
                             "use fewer or rarer words."))


def _ranked(searcher: Any, words: list[str], filters: list[tuple[str, str]]) -> list[tuple[int, float]]:
    """(whoosh document number, score) of every report holding all the words, best first."""
    if not searcher.doc_count_all():
        return []
    allowed: set[int] | None = None
    for field, value in filters:
        docs = set(_positions(searcher, field, value))
        allowed = docs if allowed is None else allowed & docs
    columns = {name: searcher.reader().column_reader(name, translate=True) for name in ("length", "heading_start", "body_start")}
    count = searcher.doc_count() or 1  # live reports: a deleted one waits in its segment until a merge
    average = sum(column(searcher, "length")) / count or 1.0
    scores: dict[int, float] | None = None
    for word in words:
        starts = _starts(searcher, word, allowed if scores is None else set(scores))
        idf = math.log(1 + (searcher.doc_count() - len(starts) + 0.5) / (len(starts) + 0.5))
        next_scores: dict[int, float] = {}
        for doc, places in starts.items():
            bounds = (columns["heading_start"][doc], columns["body_start"][doc])
            best_field = min(0 if p < bounds[0] else 1 if p < bounds[1] else 2 for p in places)
            tf, length = len(places), columns["length"][doc]
            next_scores[doc] = (scores or {}).get(doc, 0.0) + \
                idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average)) * BOOST[best_field]
        scores = next_scores
    paths = searcher.reader().column_reader("doc", translate=True)
    return sorted((scores or {}).items(), key=lambda item: (-item[1], paths[item[0]]))


def _positions(searcher: Any, field: str, term: str, only: set[int] | None = None) -> dict[int, list[int]]:
    """Document number → the term's positions (empty for an ID field), for the documents in `only`."""
    found: dict[int, list[int]] = {}
    try:
        matcher = searcher.postings(field, term)
    except TermNotFound:
        return found
    positions = field == "text"
    for doc in sorted(only) if only is not None else [None]:
        if doc is not None:
            if not matcher.is_active():
                break
            if matcher.id() < doc:
                matcher.skip_to(doc)
            if not matcher.is_active() or matcher.id() != doc:
                continue
            found[doc] = matcher.value_as("positions") if positions else []
            continue
        while matcher.is_active():
            found[matcher.id()] = matcher.value_as("positions") if positions else []
            matcher.next()
    return found


def _starts(searcher: Any, word: str, only: set[int] | None) -> dict[int, list[int]]:
    """Document number → every start of the word (where all its grams stand at their offsets)."""
    grams = sorted(match.grams(word), key=lambda gram: searcher.doc_frequency("text", gram[0]))
    candidates = only
    lists: list[tuple[int, dict[int, list[int]]]] = []
    for gram, offset in grams:
        found = _positions(searcher, "text", gram, candidates)
        candidates = set(found)
        lists.append((offset, found))
        if not candidates:
            return {}
    first_offset, first = lists[0]
    starts: dict[int, list[int]] = {}
    for doc in candidates or set():
        rest = [(offset, set(found[doc])) for offset, found in lists[1:]]
        places = [p - first_offset for p in first[doc] if all(p - first_offset + offset in s for offset, s in rest)]
        if places:
            starts[doc] = places
    return starts


def _hit(fields: dict[str, Any], score: float, words: list[str]) -> Hit:
    text, doc = fields["layout"]
    anchor, section, snippet = _snippet(text, doc, words)
    return Hit(str(doc["t"]), str(doc["u"]), anchor, section, fields["town"], fields["county"], fields["province"],
               int(fields["year"]), snippet, score)


def _snippet(text: str, doc: dict[str, Any], words: list[str], width: int = 120) -> tuple[str, str, str]:
    """(anchor, heading, snippet) around the body hit where the most words stand close together;
    for a title or heading hit, the start of that section's text."""
    folded = match.fold(text)
    # (start, end, word), the longer first where two start together: as search.js marks them.
    hits = sorted(((start, start + len(word), index) for index, word in enumerate(words)
                   for start in match.occurrences(word, folded)), key=lambda hit: (hit[0], -hit[1]))
    sections = [s for s in doc["s"] if s[1] >= 0]
    body = sections[0][1] if sections else len(text)
    in_body = [h for h in hits if h[0] >= body]
    if in_body:
        def words_near(hit: tuple[int, int, int]) -> int:
            return len({word for start, _, word in in_body if hit[0] - 20 <= start < hit[0] + 80})
        at = max(in_body, key=lambda hit: (words_near(hit), -hit[0]))[0]
    else:
        first = hits[0][0] if hits else 0
        headed = [s for s in sections if 0 <= s[0] <= first]
        at = headed[-1][1] if headed else body
    section = ([s for s in sections if s[1] <= at] or [[-1, -1, "", ""]])[-1]
    line_start = text.rfind(match.BREAK, 0, at) + 1
    line_end = text.find(match.BREAK, at)
    line_end = len(text) if line_end < 0 else line_end
    start = max(line_start, at - 30)
    end = min(line_end, start + width)
    out, cursor = [], start
    for hit_start, hit_end, _ in hits:
        if hit_start >= cursor and hit_start < end:
            out.append(text[cursor:hit_start] + "【" + text[hit_start:min(hit_end, end)] + "】")
            cursor = min(hit_end, end)
    out.append(text[cursor:end])
    return str(section[2]), str(section[3]), ("…" if start > line_start else "") + "".join(out) + ("…" if end < line_end else "")


def answer(config: Config, params: dict[str, str]) -> dict[str, Any]:
    """The JSON answer of GET /api/search?q=…&year=…&town=…&county=…&province=…&limit=…;
    QueryRefused (an HTTP 400) for a parameter that is not understood or a query past the bounds."""
    year = _whole_number(params, "year", 1900, 2100, None)
    limit = _whole_number(params, "limit", 1, 100, 10) or 10
    found = search(config, params.get("q", ""), year=year, town=params.get("town", ""), county=params.get("county", ""),
                   province=params.get("province", ""), limit=limit)
    answer = {"query": params.get("q", ""), "total": found.total, "results": [h.to_json(config.base_url) for h in found.hits]}
    if found.relaxed:
        answer["relaxed"] = " ".join(found.relaxed)
    return answer


def _whole_number(params: dict[str, str], key: str, low: int, high: int, default: int | None) -> int | None:
    text = params.get(key, "").strip()
    if not text:
        return default
    if not re.fullmatch(r"[0-9]{1,6}", text) or not low <= int(text) <= high:
        raise QueryRefused(f"{key}={text[:20]!r} is not understood: give a whole number from {low} to {high}")
    return int(text)


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
