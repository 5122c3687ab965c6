"""The analysis shared by the index and the query: Chinese text as overlapping character bigrams
with positions, so any run of two or more characters is found exactly, whatever the word
boundaries; Latin letters and digits as lowercase words. (A word segmenter would split a query
differently from the text and miss reports; bigrams cannot.)"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(rf"[{CJK}]+|[0-9a-z]+")


def normalize(text: str) -> str:
    """Full-width letters and digits to ASCII, lowercase: what both index and query see."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> Iterator[tuple[str, int]]:
    """(term, position) in character offsets of the normalized text. A one-character Chinese run
    is its own term, so 2023年 (with 年 alone) is findable too."""
    for match in RUN.finditer(normalize(text)):
        run, start = match.group(), match.start()
        if run[0].isascii():
            yield run, start
        elif len(run) == 1:
            yield run, start
        else:
            for offset in range(len(run) - 1):
                yield run[offset: offset + 2], start + offset


def add_postings(text: str, base: int, field: int, postings: dict[str, list[int]]) -> int:
    """The index's hot loop: what `tokens` yields, appended as position codes (position × 3 +
    field) to `postings`, without a generator or tuples in between. Returns the number added."""
    added = 0
    for match in RUN.finditer(normalize(text)):
        run, start = match.group(), base + match.start()
        if run[0].isascii() or len(run) == 1:
            postings.setdefault(run, []).append(start * 3 + field)
            added += 1
            continue
        code = start * 3 + field
        for offset in range(len(run) - 1):
            postings.setdefault(run[offset: offset + 2], []).append(code + offset * 3)
        added += len(run) - 1
    return added


def query_constraints(phrase: str) -> list[tuple[str, int]]:
    """The tokens a phrase must have at fixed offsets from a common start, to match exactly."""
    found = list(tokens(phrase))
    if not found:
        return []
    base = found[0][1]
    return [(term, position - base) for term, position in found]
