"""The analysis shared by the index and the query: Chinese text as overlapping character bigrams
with positions, so any run of two or more characters is found exactly, whatever the word
boundaries; Latin letters and digits as lowercase words. (A word segmenter would split a query
differently from the text and miss reports; bigrams cannot.)

This module is the reference: the index's vectorised analysis (search/analysis.py) and the
browser's query analysis (theme/assets/search.js) are tested against it."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(rf"[{CJK}]+|[0-9a-z]+")
WORD = re.compile(r"[0-9a-z]+")


class _Fold(dict[int, str]):
    """Character → its NFKC lowercase form where that is one character; others stay as they are."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char).lower()
        self[code] = value = folded if len(folded) == 1 else char
        return value


_FOLD = _Fold()


@functools.cache
def _folded_chars() -> re.Pattern[str]:
    """The characters _FOLD changes: of the Basic Multilingual Plane, found once (16 ms); every
    character beyond it, left to _FOLD to decide."""
    changing = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF and _FOLD[code] != chr(code)]
    return re.compile("[" + "".join(map(re.escape, changing)) + "\U00010000-\U0010ffff]")


def normalize(text: str) -> str:
    """Full-width letters and digits to ASCII, lowercase: what both index and query see.

    Character by character, so the length is kept: a position in the normalized text is a
    position in the text a reader sees (snippets are cut from the latter). Only the characters
    that change are looked at: most of a Chinese text stays as it is."""
    return _folded_chars().sub(lambda match: _FOLD[ord(match.group())], text)


def tokens(text: str) -> Iterator[tuple[str, int]]:
    """(term, position) in character offsets of the text. A one-character Chinese run is its own
    term, so 2023年 (with 年 alone) is findable too."""
    for match in RUN.finditer(normalize(text)):
        run, start = match.group(), match.start()
        if run[0].isascii() or len(run) == 1:
            yield run, start
        else:
            for offset in range(len(run) - 1):
                yield run[offset: offset + 2], start + offset

