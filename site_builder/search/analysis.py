"""The index's side of the match rule (search/match.py), vectorised with numpy: a report's
laid-out text (title, headings, paragraphs, separated by match.BREAK) → integer-keyed terms.

Two sets of terms, for the two kinds of entries (search/encode.py):
- *listed* terms, each report's doc list: every character, counted per report, with its first
  position in its best field (title, else a heading, else the body) — a one-character word needs
  no more;
- *placed* terms, with every position: every bigram that does not span a break. Any word of two
  or more characters is fixed by a few bigrams at known offsets (match.grams). And every word of
  the phrase dictionary (search/phrases.py) where it stands: its head answers that word, and
  longer words made of such words, from a bounded number of bytes.

A key packs one or two characters of 21 bits: `(first << 21) | second` for a bigram, the code
point alone for a character (so a bigram's key is at least 2^21); a phrase's is above 2^42
(phrases.PHRASE_BASE)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from site_builder.search.match import BREAK, fold
from site_builder.search.phrases import PHRASE_BASE, phrase_hashes, phrase_tokens, phrases

FNV_OFFSET, FNV_PRIME = 0x811C9DC5, 0x01000193
CHAR_BITS = 21
LOW = (1 << CHAR_BITS) - 1


@dataclass
class Tokens:
    listed_keys: np.ndarray
    """uint64 keys of the report's characters, each once, ascending."""
    listed_counts: np.ndarray
    """uint32: how often each character occurs."""
    listed_best: np.ndarray
    """uint32: the position of its first occurrence in its best field."""
    placed_keys: np.ndarray
    """uint64 keys of the bigrams and phrases, ascending (equal keys in text order)."""
    placed_codes: np.ndarray
    """uint32 positions aligned with `placed_keys`."""

    @property
    def count(self) -> int:
        """The number of characters searched: the report's length for ranking."""
        return int(self.listed_counts.sum())


def analyse(text: str, fields: np.ndarray) -> Tokens:
    """`fields[i]` is the field of character i of `text` (0 title, 1 heading, 2 body)."""
    chars = np.frombuffer(fold(text).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    kept = chars != ord(BREAK)
    places = np.flatnonzero(kept)
    listed = _listed(chars[places], places, fields)
    pairs = np.flatnonzero(kept[:-1] & kept[1:])
    phrase_keys, phrase_starts = phrase_tokens(chars)
    keys = np.concatenate([(chars[pairs] << np.uint64(CHAR_BITS)) | chars[pairs + 1], phrase_keys])
    starts = np.concatenate([pairs, phrase_starts])
    order = stable_order(keys)  # stable: each key's positions stay ascending (a phrase's are found in order)
    return Tokens(*listed, keys[order], starts[order].astype(np.uint32))


def _listed(keys: np.ndarray, places: np.ndarray, fields: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each distinct character once, with its count and its first position in its best field."""
    if not len(keys):
        return keys, np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint32)
    ranked = (fields[places].astype(np.int64) << 32) | places   # field first, then position
    order = stable_order(keys)
    keys, ranked = keys[order], ranked[order]
    starts = np.flatnonzero(np.append(True, keys[1:] != keys[:-1]))
    counts = np.diff(np.append(starts, len(keys))).astype(np.uint32)
    return keys[starts], counts, (np.minimum.reduceat(ranked, starts) & 0xFFFFFFFF).astype(np.uint32)


def stable_order(keys: np.ndarray) -> np.ndarray:
    """`np.argsort(keys, kind="stable")` for unsigned integer keys, five to eight times quicker:
    each key and its index packed into one uint64 and sorted by value (numpy's SIMD sort; the
    values are distinct, so any sort gives the stable order). Falls back when they do not fit."""
    count = len(keys)
    index_bits = max(1, (count - 1).bit_length())
    if not count or int(keys.max()).bit_length() + index_bits > 64:
        return np.argsort(keys, kind="stable")
    packed = (keys.astype(np.uint64) << np.uint64(index_bits)) | np.arange(count, dtype=np.uint64)
    packed.sort()
    return (packed & np.uint64((1 << index_bits) - 1)).astype(np.intp)


def key_text(key: int) -> str:
    """The term a key stands for."""
    if key >= PHRASE_BASE:
        return phrases()[key - PHRASE_BASE]
    return chr(key >> CHAR_BITS) + chr(key & LOW) if key > LOW else chr(key)


def fnv1a_keys(keys: np.ndarray) -> np.ndarray:
    """FNV-1a of each key's term over its code points, as `browser.fnv1a` (and the browser)
    computes it."""
    value = np.full(len(keys), FNV_OFFSET, dtype=np.uint32)
    first, second = (keys >> np.uint64(CHAR_BITS)).astype(np.uint32), (keys & np.uint64(LOW)).astype(np.uint32)
    with np.errstate(over="ignore"):
        value = np.where(first != 0, (value ^ first) * np.uint32(FNV_PRIME), value)
        value = (value ^ second) * np.uint32(FNV_PRIME)
    phrase = keys >= np.uint64(PHRASE_BASE)
    if phrase.any():
        value[phrase] = phrase_hashes()[(keys[phrase] - np.uint64(PHRASE_BASE)).astype(np.int64)]
    return value
