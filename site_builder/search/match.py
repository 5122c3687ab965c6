"""What a search matches — the one definition, implemented here as the reference. The browser
index (search/analysis.py, theme/assets/search.js) and the whoosh service (search/service.py)
answer the same question and are tested against this module on generated text.

A report's searchable text is its title, each heading and each paragraph. Text and query are
folded the same way, character by character: NFKC and lower case where that gives one character
(full- and half-width forms are the same, `（` = `(`, `Ａ` = `a`), traditional characters as their
simplified forms (`雙江鎮` = `双江镇`), every kind of space is one space.
A query is split on spaces into words; `"…"` keeps spaces inside a phrase. A report matches when
every word stands, as written, punctuation and symbols included, inside its title, one heading or
one paragraph. A word may be one character or a pasted sentence.

When a query whose words hold punctuation finds nothing, `relaxed` gives the same words with the
punctuation as separators (`矛盾纠纷，调解` → `矛盾纠纷 调解`), which the front ends run instead and say
so."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2FA20))
"""Where traditional characters are: the CJK blocks, their extensions and compatibility forms."""


T2S_TABLE = Path(__file__).resolve().parent.parent / "data" / "t2s.txt"
"""traditional_to_simplified() as computed with the OpenCC named on its first line: one pair of
characters a line. Reading it takes milliseconds; asking OpenCC for 92,000 characters took a tenth
to nearly a second of every build. With another OpenCC the table is computed again."""


@functools.cache
def traditional_to_simplified() -> dict[str, str]:
    """Each traditional character whose simplified form is one character (OpenCC's t2s, one
    character at a time), to that form: 雙 → 双, 鎮 → 镇, 區 → 区. A search for 双江镇 finds 雙江鎮 and
    the reverse. Read from T2S_TABLE when it was computed with the OpenCC installed; the search
    page carries it for search.js."""
    lines = T2S_TABLE.read_text(encoding="utf-8").split("\n") if T2S_TABLE.is_file() else [""]
    if lines[0] != t2s_header():
        return computed_t2s()
    return {line[0]: line[1] for line in lines[1:] if len(line) == 2}


def t2s_header() -> str:
    """T2S_TABLE's first line: the OpenCC installed."""
    import opencc

    return f"opencc {getattr(opencc, '__version__', 'unknown')}"


def computed_t2s() -> dict[str, str]:
    """traditional_to_simplified() from OpenCC itself (scripts/t2s_table.py writes T2S_TABLE from it)."""
    import opencc

    converter = opencc.OpenCC("t2s")
    table: dict[str, str] = {}
    for start, end in CJK_RANGES:
        for code in range(start, end):
            char = chr(code)
            simplified = converter.convert(char)
            if len(simplified) == 1 and simplified != char:
                table[char] = simplified
    return {char: table.get(simple, simple) for char, simple in table.items()}  # no chains: one step is final


class _Fold(dict[int, str]):
    """Character → its NFKC lowercase form where that is one character, then its simplified form
    where it is a traditional character; others stay as they are."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char).lower()
        folded = folded if len(folded) == 1 else char
        self[code] = value = traditional_to_simplified().get(folded, folded)
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
    for wide, narrow in _COMMON_FOLDS:  # in C, a pass each: most of what changes in Chinese text
        text = text.replace(wide, narrow)
    return _folded_chars().sub(lambda match: _FOLD[ord(match.group())], text)


_COMMON_FOLDS = tuple((wide, unicodedata.normalize("NFKC", wide).lower()) for wide in "，（）；：！？－％")
"""The full-width punctuation of Chinese prose, folded before the per-character rule (the same
result, a tenth of the time)."""


BREAK = "\n"
"""Separates the title, headings and paragraphs in a laid-out text: no match spans it."""
SPACE_CHARS = "\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""What counts as a space (str.isspace), written out so that search.js uses the same class."""
_SPACES = re.compile(f"[{SPACE_CHARS}]+")
_ODD_SPACE = re.compile(f"[{SPACE_CHARS.replace(' ', '').replace(BREAK, '')}]")
_WORDS = re.compile(f'"([^"]*)"|([^{SPACE_CHARS}]+)')


def fold(text: str) -> str:
    """Text as index and query see it; the same length, so positions stay those of the text."""
    folded = normalize(text)
    return _ODD_SPACE.sub(" ", folded)


def unit_text(text: str) -> str:
    """A title, heading or paragraph as it is laid out: runs of spaces (and line ends) as one
    space, none at the ends."""
    return _SPACES.sub(" ", text).strip()


def words(query: str) -> list[str]:
    """The query's words, folded: split on spaces; "quoted words" are one word with single
    spaces. Empty words are dropped."""
    found = []
    for quoted, bare in _WORDS.findall(query):
        word = fold(unit_text(quoted if quoted else bare))
        if word:
            found.append(word)
    return found


def grams(word: str) -> list[tuple[str, int]]:
    """The index terms that fix every character of a folded word, with their offsets: the
    character itself for one character; else the bigrams at offsets 0, 2, 4, … and the last one
    (法治政府建设 → 法治@0 政府@2 建设@4; 矛盾纠纷调 → 矛盾@0 纠纷@2 纷调@3). A report holds the word
    exactly where all of them stand at those offsets from one start."""
    if len(word) == 1:
        return [(word, 0)]
    found = [(word[at: at + 2], at) for at in range(0, len(word) - 1, 2)]
    if len(word) % 2:
        found.append((word[-2:], len(word) - 2))
    return found


def occurrences(word: str, folded: str) -> list[int]:
    """Every start of `word` in a folded laid-out text, overlapping ones included."""
    found, at = [], folded.find(word)
    while at >= 0:
        found.append(at)
        at = folded.find(word, at + 1)
    return found


def _is_separator(char: str) -> bool:
    return unicodedata.category(char)[0] in "PSZ"


def relaxed(query_words: list[str]) -> list[str] | None:
    """The words with punctuation and symbols as separators, or None when that changes nothing."""
    split = [part for word in query_words for part in _pieces(word)]
    return split if split and split != query_words else None


def _pieces(word: str) -> Iterator[str]:
    piece = ""
    for char in word:
        if _is_separator(char):
            if piece:
                yield piece
            piece = ""
        else:
            piece += char
    if piece:
        yield piece
