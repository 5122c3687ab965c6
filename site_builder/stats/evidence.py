"""Mark the sentence each key figure came from, so the figure can link to it and the page can
highlight it (the `:target` style in the theme)."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import replace

from site_builder.markdown import RenderedBody
from site_builder.stats.figures import Figure


def mark_evidence(body: RenderedBody, figures: Iterable[Figure]) -> RenderedBody:
    """Wrap each figure's sentence in <span id="ev-…" class="evidence">; a sentence that gave
    several figures gets nested spans, one id each, so any of them can be the :target."""
    text = body.html
    by_sentence: dict[str, list[str]] = {}
    for figure in figures:
        if figure.evidence_id and figure.sentence:
            by_sentence.setdefault(figure.sentence, []).append(figure.evidence_id)
    for sentence, ids in by_sentence.items():
        escaped = html.escape(sentence, quote=False)
        index = text.find(escaped)
        if index < 0:
            escaped = html.escape(sentence, quote=True).replace("&#x27;", "'")
            index = text.find(escaped)
        if index < 0:
            continue
        marked = "".join(f'<span id="{i}" class="evidence">' for i in ids) + escaped + "</span>" * len(ids)
        text = text[:index] + marked + text[index + len(escaped):]
    return replace(body, html=text)
