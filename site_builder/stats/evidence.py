"""Mark the sentence each key figure came from, so the figure can link to it and the page can
highlight it (the `:target` style in the theme)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from site_builder.stats.figures import Figure


def locate(page_html: str, sentence: str) -> tuple[int, int] | None:
    """Where the sentence stands in the body's HTML as one run of text (a soft line break of the
    source is a newline there, a space or nothing in the text), or None when markup splits it."""
    if not sentence:
        return None
    spellings = (html.escape(sentence, quote=False), html.escape(sentence, quote=True).replace("&#x27;", "'"))
    for escaped in spellings:  # as written: most sentences, and fast
        start = page_html.find(escaped)
        if start >= 0:
            return start, start + len(escaped)
    if "\n" not in page_html:
        return None
    for escaped in spellings:  # across the source's line breaks
        found = re.search(r"\s*".join(map(re.escape, "".join(escaped.split()))), page_html)
        if found:
            return found.start(), found.end()
    return None


def mark_evidence(page_html: str, figures: Iterable[Figure]) -> str:
    """Wrap each figure's sentence in <span id="ev-…" class="evidence">; a sentence that gave
    several figures gets nested spans, one id each, so any of them can be the :target."""
    by_sentence: dict[str, list[str]] = {}
    for figure in figures:
        if figure.evidence_id and figure.sentence:
            by_sentence.setdefault(figure.sentence, []).append(figure.evidence_id)
    for sentence, ids in by_sentence.items():
        where = locate(page_html, sentence)
        if where is None:
            continue
        start, end = where
        marked = "".join(f'<span id="{i}" class="evidence">' for i in ids) + page_html[start:end] + "</span>" * len(ids)
        page_html = page_html[:start] + marked + page_html[end:]
    return page_html
