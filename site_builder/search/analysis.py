"""The index's side of the analysis in search/tokens.py, vectorised with numpy: a report's laid-out
text → integer-keyed tokens with position codes (position × 3 + field: 0 title, 1 heading, 2 body).

Two sets of tokens, for the two kinds of shard files (search/encode.py):
- *listed* tokens, each report's doc list: exactly `tokens()` — every bigram and every
  one-character run of Chinese — counted per report, with the first position in the best field;
- *placed* tokens, with every position, for phrases: every trigram of a Chinese run (a phrase of
  three or more characters is fixed by a few trigrams at known offsets, and a trigram is far
  rarer than the bigrams in it, so its positions are far fewer bytes), plus the first character
  and bigram of a run right after a Latin letter or digit, and the last ones of a run right
  before one (where a query joins digits to Chinese, like 2023年度, that is all it can match).

A key packs up to three characters: (first << 32) | (second << 16) | third, zeros where there are
fewer. Every Chinese character searched is in the Basic Multilingual Plane, so keys fit 48 bits.
Latin and digit words stay strings (few per report) and are both listed and placed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from site_builder.search.tokens import WORD, normalize

FNV_OFFSET, FNV_PRIME = 0x811C9DC5, 0x01000193
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # as tokens.CJK


@dataclass
class Tokens:
    listed_keys: np.ndarray
    """uint64 keys of the bigrams and one-character runs, each once, ascending."""
    listed_counts: np.ndarray
    """uint32: how often each listed key occurs."""
    listed_best: np.ndarray
    """uint32: the position code of its first occurrence in its best field."""
    placed_keys: np.ndarray
    """uint64 keys of the trigrams and run edges, ascending (equal keys in text order)."""
    placed_codes: np.ndarray
    """uint32 position codes aligned with `placed_keys`."""
    words: dict[str, list[int]]
    """Latin and digit word → its position codes, ascending."""

    @property
    def count(self) -> int:
        """The number of tokens (`tokens()` yields): the report's length for ranking."""
        return int(self.listed_counts.sum()) + sum(len(codes) for codes in self.words.values())


def analyse(text: str, fields: np.ndarray) -> Tokens:
    """`fields[i]` is the field of character i of `text` (title, heading or body)."""
    folded = normalize(text)
    chars = np.frombuffer(folded.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    cjk = np.zeros(len(chars) + 2, dtype=bool)  # two spare places: no run continues past the end
    for low, high in CJK_RANGES:
        cjk[:-2] |= (chars >= low) & (chars <= high)
    latin = np.zeros(len(chars) + 3, dtype=bool)  # one spare place before, two after
    latin[1:-2] = ((chars >= 0x30) & (chars <= 0x39)) | ((chars >= 0x61) & (chars <= 0x7A))
    here, next1, next2 = cjk[:-2], cjk[1:-1], cjk[2:]
    before = np.zeros_like(here)
    before[1:] = here[:-1]
    starts, ends = here & ~before, here & ~next1
    # Run edges touching a Latin letter or digit: only there can a query join the two (2023年度).
    starts_after_latin, ends_before_latin = starts & latin[:-3], ends & latin[2:-1]
    ends_next = np.zeros_like(here)
    ends_next[:-1] = ends_before_latin[1:]
    padded = np.append(chars, np.zeros(2, dtype=np.uint64))
    first, second, third = padded[:-2] << np.uint64(32), padded[1:-1] << np.uint64(16), padded[2:]

    def keyed(places: np.ndarray, width: int) -> np.ndarray:
        key: np.ndarray = first[places]
        if width > 1:
            key |= second[places]
        if width > 2:
            key |= third[places]
        return key

    bigrams, singles = np.flatnonzero(here & next1), np.flatnonzero(starts & ends)
    listed = _listed(np.concatenate([keyed(bigrams, 2), keyed(singles, 1)]), _codes(np.concatenate([bigrams, singles]), fields))
    trigrams = np.flatnonzero(here & next1 & next2)
    edge_chars = np.flatnonzero(starts_after_latin | ends_before_latin)
    edge_bigrams = np.flatnonzero((starts_after_latin & next1) | (here & next1 & ends_next))
    places = np.concatenate([trigrams, edge_chars, edge_bigrams])
    keys = np.concatenate([keyed(trigrams, 3), keyed(edge_chars, 1), keyed(edge_bigrams, 2)])
    order = np.lexsort((places, keys))
    words: dict[str, list[int]] = {}
    for match in WORD.finditer(folded):
        words.setdefault(match.group(), []).append(match.start() * 3 + int(fields[match.start()]))
    return Tokens(*listed, keys[order], _codes(places, fields)[order], words)


def _codes(places: np.ndarray, fields: np.ndarray) -> np.ndarray:
    codes: np.ndarray = (places * 3 + fields[places]).astype(np.uint32)
    return codes


def _listed(keys: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each distinct key once, with its count and its first position in its best field."""
    if not len(keys):
        return keys, np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint32)
    order = np.lexsort((codes, keys))
    keys, codes = keys[order], codes[order].astype(np.int64)
    starts = np.flatnonzero(np.append(True, keys[1:] != keys[:-1]))
    counts = np.diff(np.append(starts, len(keys))).astype(np.uint32)
    best = np.minimum.reduceat((codes % 3) << 32 | codes // 3, starts)   # field first, then position
    return keys[starts], counts, ((best & 0xFFFFFFFF) * 3 + (best >> 32)).astype(np.uint32)


def key_text(key: int) -> str:
    """The token a key stands for."""
    return "".join(chr(part) for part in (key >> 32, (key >> 16) & 0xFFFF, key & 0xFFFF) if part)


def fnv1a_keys(keys: np.ndarray) -> np.ndarray:
    """FNV-1a of each key's token text, as `browser.fnv1a` (and the browser) computes it."""
    value = np.full(len(keys), FNV_OFFSET, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for shift in (32, 16, 0):
            part = ((keys >> np.uint64(shift)) & np.uint64(0xFFFF)).astype(np.uint32)
            value = np.where(part != 0, (value ^ part) * np.uint32(FNV_PRIME), value)
    return value
