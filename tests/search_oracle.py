"""The differential oracle for search: plain substring search over each report's title, headings
and paragraphs (the match rule of site_builder/search/match.py, written here without the index),
query samples drawn from the reports, and a reader of the static index files written from the
format description (docs/search-index.md), independently of the code that writes them."""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Iterator
from pathlib import Path

from site_builder.build import inspect_site
from site_builder.cache import document_store
from site_builder.config import load_config
from site_builder.load import document_of
from site_builder.search.match import fold, relaxed, unit_text, words

VARIETY_REPORT = """---
title: "测试镇2023年度法治政府建设情况报告（ＡＢＣ版）"
province: 重庆市
county: 测试县
town: 测试镇
unit: 重庆市测试县测试镇人民政府
year: 2023
published: 2024-01-20
---

## 一、Work  Plan 与“八五”普法

全镇 100% 的村（社区）配备法律顾问，比上年增长１２．５％；“一村(社区)一法律顾问”全覆盖。
PDF 文件见 www.example.gov.cn/a-b_c?d=1&e=2 ；学法、知法、守法、用法。𠀀字与𪚥字也要能找到。

## 二、Ｈｅａｄｉｎｇ　ＷＩＴＨ　ＦＵＬＬ-width

《中华人民共和国民法典》学习 3 次，100余人参加；A&B 合作，C++ 与 C# 培训；50%以上。

雙江鎮開展法治宣傳活動12場次，發放資料；鄉、縣、區三級聯動，調解糾紛。
"""


def report_units(config_path: Path) -> dict[str, list[str]]:
    """Report URL → its folded title, headings and paragraphs: what a word must stand inside."""
    config, _ = load_config(config_path)
    site, _ = inspect_site(config)
    store = document_store(config.root)
    units: dict[str, list[str]] = {}
    for report in site.reports:
        document = document_of(store, report.source)
        texts = document.section_texts()
        parts = [report.meta.title, *(h.text for h in document.headings), *(p for paragraphs in texts.values() for p in paragraphs)]
        units[report.path] = [fold(unit_text(part)) for part in parts if unit_text(part)]
    return units


def truth(units: dict[str, list[str]], query: str, relax: bool = True) -> set[str]:
    """The reports holding every word of the query; when none does and the words hold
    punctuation, those holding every word of the relaxed query (as the front ends do)."""
    query_words = words(query)
    if not query_words:
        return set()
    texts = _joined(units)
    found = {url for url, text in texts.items() if all(word in text for word in query_words)}
    loose = relaxed(query_words) if relax and not found else None
    if loose:
        found = {url for url, text in texts.items() if all(word in text for word in loose)}
    return found


_JOINED: dict[int, tuple[dict[str, list[str]], dict[str, str]]] = {}


def _joined(units: dict[str, list[str]]) -> dict[str, str]:
    """Each report's units on lines of their own: a word (which holds no line break) is in the
    joined text exactly when it is inside one unit."""
    cached = _JOINED.get(id(units))
    if cached is None or cached[0] is not units:
        cached = _JOINED[id(units)] = (units, {url: "\n".join(parts) for url, parts in units.items()})
    return cached[1]


FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


def _to_traditional(text: str) -> str:
    import opencc

    return str(opencc.OpenCC("s2t").convert(text))


def samples(units: dict[str, list[str]], count: int, seed: int = 7) -> Iterator[str]:
    """Queries a person types or pastes: substrings of 1 to 120 characters starting and ending
    anywhere (across punctuation, digits, Latin words), in full-width or upper case forms,
    several words, quoted phrases, and strings found nowhere."""
    rng = random.Random(seed)
    parts = [part for texts in units.values() for part in texts]

    def piece(longest: int = 120) -> str:
        part = rng.choice(parts)
        length = min(len(part), rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 8, 12, 20, 40, rng.randint(1, longest)]))
        start = rng.randint(0, len(part) - length)
        return part[start: start + length]

    for _ in range(count):
        kind = rng.random()
        if kind < 0.45:
            query = piece()
        elif kind < 0.55:
            query = "".join(FULL_WIDTH.get(c, c) for c in piece())
        elif kind < 0.58:
            query = piece().upper()
        elif kind < 0.62:  # typed with a traditional-character input method (雙江鎮 for 双江镇)
            query = _to_traditional(piece())
        elif kind < 0.75:
            query = " ".join(piece(20) for _ in range(rng.randint(2, 4)))
        elif kind < 0.85:
            query = '"' + piece(40) + '"' + (" " + piece(10) if rng.random() < 0.5 else "")
        elif kind < 0.95:
            text = piece(30)
            cut = rng.randint(0, len(text))
            query = text[:cut] + rng.choice("的法，。%（)ｘ量子\u3000\u00a0\ufeffⅫﬁİ") + text[cut:]
        else:
            query = piece(10)[::-1] + "量子计算机"
        query = query.replace('"', "") if not query.startswith('"') else query
        if words(query) and len(query) <= 200 and len(words(query)) <= 10:
            yield query


class StaticIndex:
    """The browser index of a built site, read from its files: the query algorithm of the
    format description, in Python."""

    def __init__(self, site: Path) -> None:
        self.root = site / "search"
        page = (site / "search" / "index.html").read_text(encoding="utf-8")
        start = page.index('data-search="') + len('data-search="')
        setup = json.loads(page[start: page.index('"', start)].replace("&#34;", '"').replace("&quot;", '"'))
        self.shards = setup["n"]
        self.docs = [self._doc(path) for path in sorted((self.root / "docs").glob("*.json"), key=lambda p: int(p.stem))]

    def _doc(self, path: Path) -> str:
        return str(doc_header(path)["u"])

    def entry(self, term: str) -> list[int]:
        value = 0x811C9DC5
        for char in term:
            value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
        path = self.root / "p" / f"{value % self.shards}.bin"  # the full entries (format 8: zlib-compressed)
        data = zlib.decompress(path.read_bytes())
        size, at = _varint(data, 0)
        header = json.loads(data[at: at + size])
        offset = at + size
        for name, length in zip(header[::2], header[1::2], strict=True):
            if name == term:
                numbers, cursor = [], offset
                while cursor < offset + length:
                    number, cursor = _varint(data, cursor)
                    numbers.append(number)
                return numbers
            offset += length
        return []

    def starts(self, word: str) -> dict[int, set[int]]:
        """Report number → starts of the word."""
        if len(word) == 1:
            numbers = self.entry(word)
            found, doc, at = {}, 0, 1
            for _ in range(numbers[0] if numbers else 0):
                doc += numbers[at]
                found[doc] = {numbers[at + 2]}
                at += 3
            return found
        grams = [(word[i: i + 2], i) for i in range(0, len(word) - 1, 2)] + ([(word[-2:], len(word) - 2)] if len(word) % 2 else [])
        lists = [(self._positions(self.entry(gram)), offset) for gram, offset in grams]
        result = {}
        for doc, first in lists[0][0].items():
            starts = {p - lists[0][1] for p in first}
            for positions, offset in lists[1:]:
                starts &= {p - offset for p in positions.get(doc, ())}
            if starts:
                result[doc] = starts
        return result

    @staticmethod
    def _positions(numbers: list[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        doc, at = 0, 1
        for _ in range(numbers[0] if numbers else 0):
            doc += numbers[at]
            count, at = numbers[at + 1], at + 2
            positions, position = [], 0
            for delta in numbers[at: at + count]:
                position += delta
                positions.append(position)
            found[doc], at = positions, at + count
        return found

    def search(self, query: str) -> set[str]:
        query_words = words(query)
        found = self._all(query_words)
        loose = relaxed(query_words) if query_words and not found else None
        return self._all(loose) if loose else found

    def _all(self, query_words: list[str]) -> set[str]:
        docs: set[int] | None = None
        for word in query_words:
            hits = set(self.starts(word))
            docs = hits if docs is None else docs & hits
        return {self.docs[d] for d in docs or set()}


def doc_header(path: Path) -> dict[str, object]:
    """A result's search/docs/{id}.json (its text, beside it in {id}.bin, must inflate)."""
    zlib.decompress(path.with_suffix(".bin").read_bytes())
    header: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return header


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if byte < 0x80:
            return value, at
        shift += 7
