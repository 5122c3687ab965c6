"""Phrase terms (format 9): the words of the dictionary site_builder/data/phrases.txt — three and
four Chinese characters that rule-of-law reports share (scripts/phrases.py reads them from the
bundled reports) — indexed with their positions like a bigram. Their heads answer a query for such
a word, or for a longer word made of them, without the heads of its very common bigrams, which
bound it too loosely (docs/search-index.md, "Phrase heads").

A phrase's key is PHRASE_BASE + its place in the sorted dictionary: above every bigram key (two
21-bit characters), so the index's integer keys and sorts hold phrases unchanged."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

PHRASES_FILE = Path(__file__).resolve().parent.parent / "data" / "phrases.txt"
PHRASE_BASE = 1 << 42
SIZES = (3, 4)
FIRST, END = 0x3400, 0xA000
"""The characters a phrase is made of: CJK Unified Ideographs and Extension A (16 bits each, so a
phrase of four packs into one uint64)."""


@functools.cache
def phrases() -> tuple[str, ...]:
    """The dictionary, sorted."""
    return tuple(sorted(line for line in PHRASES_FILE.read_text(encoding="utf-8").split("\n") if line))


def _packed(word: str) -> int:
    value = 0
    for char in word:
        value = (value << 16) | ord(char)
    return value


@functools.cache
def _table() -> tuple[np.ndarray, np.ndarray]:
    """The dictionary's packed words, ascending, and each one's phrase number."""
    packed = np.array([_packed(word) for word in phrases()], dtype=np.uint64)
    order = np.argsort(packed, kind="stable")
    return packed[order], order.astype(np.uint64)


def phrase_tokens(chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys, starts) of every dictionary word standing in `chars` (folded code points, uint64),
    in no particular order."""
    table, numbers = _table()
    keys, starts = [np.zeros(0, dtype=np.uint64)], [np.zeros(0, dtype=np.int64)]
    if not len(table):
        return keys[0], starts[0]
    allowed = (chars >= FIRST) & (chars < END)
    for size in SIZES:
        count = len(chars) - size + 1
        if count <= 0:
            continue
        good = allowed[:count].copy()
        packed = np.zeros(count, dtype=np.uint64)
        for offset in range(size):
            good &= allowed[offset: offset + count]
            packed = (packed << np.uint64(16)) | (chars[offset: offset + count] & np.uint64(0xFFFF))
        at = np.flatnonzero(good)
        place = np.minimum(np.searchsorted(table, packed[at]), len(table) - 1)
        hit = table[place] == packed[at]
        keys.append(numbers[place[hit]] + np.uint64(PHRASE_BASE))
        starts.append(at[hit])
    return np.concatenate(keys), np.concatenate(starts)


@functools.cache
def phrase_hashes() -> np.ndarray:
    """FNV-1a of each phrase over its code points (as browser.fnv1a), by phrase number."""
    return np.array([_fnv(word) for word in phrases()], dtype=np.uint32)


def is_phrase(term: str) -> bool:
    """A phrase term (characters are one, bigrams two, filter terms start with =)."""
    return len(term) in SIZES and not term.startswith("=")


BLOOM_BITS, BLOOM_HASHES = 8192, 7
"""The search page's filter of the dictionary (1 KB; a word not in it is told 998 times in 1,000):
search.js asks for a long word's phrase heads only when the filter may hold all its pieces, so a
word outside the dictionary costs no extra round."""


def _fnv(text: str) -> int:
    value = 0x811C9DC5
    for char in text:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


def bloom_bits(word: str) -> list[int]:
    """The filter's bits of a word: FNV-1a of the word and of the word and U+0001, double hashing
    (search.js `mayBePhrase`)."""
    first, second = _fnv(word), _fnv(word + "\x01")
    return [(first + index * second) % BLOOM_BITS for index in range(BLOOM_HASHES)]


@functools.cache
def bloom() -> str:
    """The filter of the whole dictionary, base64 (bit b is bit b % 8 of byte b // 8)."""
    import base64

    bits = bytearray(BLOOM_BITS // 8)
    for word in phrases():
        for bit in bloom_bits(word):
            bits[bit // 8] |= 1 << (bit % 8)
    return base64.b64encode(bytes(bits)).decode("ascii")
