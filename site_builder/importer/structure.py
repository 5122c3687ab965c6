"""Document structure from the numbering conventions of Chinese official documents (GB/T 9704):
一、 → level 1, （一） → level 2, 1. / 1、 → level 3, （1） → level 4. Inline 一是……二是…… stays in
its paragraph; a lost opening bracket (a line starting with a bare `)`) is repaired by position."""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.importer.repair import NUMERALS, ends_sentence

LEVEL_PATTERNS = (
    (1, re.compile(rf"^第[{NUMERALS}]+(?:部分|章)\s*|^[{NUMERALS}]+\s*[、．.]\s*")),
    (2, re.compile(rf"^（[{NUMERALS}]+）\s*")),
    (3, re.compile(r"^\d{1,2}\s*[.．、](?!\d)\s*")),
    (4, re.compile(r"^[（(]\d{1,2}[)）]\s*")),
)
BROKEN_LEVEL_2 = re.compile(rf"^[)）](?=[{NUMERALS}]?[\u4e00-\u9fff])")
MAX_HEADING_CHARS = 50
MAX_RUN_IN_CHARS = 40
CHINESE_NUMBERS = "一二三四五六七八九十"


@dataclass
class Block:
    text: str
    line: int
    level: int = 0
    """0 for a paragraph; 1–4 for headings (rendered as ## to #####)."""
    restored: str = ""
    """Numbering added back by position (seed 001's lost `（一`)."""
    role: str = ""
    """'table' or 'list' for Markdown passed through from a Word document."""


def numbering_level(text: str) -> int:
    if BROKEN_LEVEL_2.match(text):
        return 2
    for level, pattern in LEVEL_PATTERNS:
        if pattern.match(text):
            return level
    return 0


def chinese_number(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (CHINESE_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CHINESE_NUMBERS[ones - 1] if ones else "")


def split_heading(text: str) -> tuple[str, str] | None:
    """(heading, rest of paragraph) for a numbered line, or None if it reads as a paragraph.

    A short line is a heading; a long one is a heading only when its first sentence is short
    (a run-in heading: "（一）强化组织领导。切实发挥……")."""
    body = text.rstrip("。")
    if len(text) <= MAX_HEADING_CHARS and not re.search(r"[。；;！？]", body):
        return body, ""
    match = re.match(rf"^(.{{2,{MAX_RUN_IN_CHARS}}}?)。(.+)$", text)
    if match and not re.search(r"[；;，,].*[，,].*[，,]", match.group(1)):
        return match.group(1), match.group(2)
    return None


def build_blocks(paragraphs: list[tuple[str, int, int]]) -> list[Block]:
    """Paragraphs (text, line, level hint from the source) → headings and paragraphs.

    Siblings are decided together: under one parent, numbered items of a level are all headings or
    all numbered paragraphs, so a list of findings never comes out half as headings."""
    levels = [hint or numbering_level(text) for text, _, hint in paragraphs]
    as_heading = _decide_siblings(paragraphs, levels)
    blocks: list[Block] = []
    counters = [0, 0, 0, 0, 0]
    for (text, line, hint), level, heading in zip(paragraphs, levels, as_heading, strict=True):
        if level:
            counters[level] += 1
            for deeper in range(level + 1, 5):
                counters[deeper] = 0
        restored = ""
        if level == 2 and BROKEN_LEVEL_2.match(text):
            restored = f"（{chinese_number(counters[2])}"
            text = f"{restored}）{text[1:]}"
        if not heading:
            blocks.append(Block(text, line, 0, restored))
            continue
        if hint:
            blocks.append(Block(text.rstrip("。"), line, hint, restored))
            continue
        head, rest = split_heading(text) or (text, "")
        blocks.append(Block(head, line, level, restored))
        if rest:
            blocks.append(Block(rest, line))
    return blocks


def _decide_siblings(paragraphs: list[tuple[str, int, int]], levels: list[int]) -> list[bool]:
    decisions = [bool(level) for level in levels]
    groups: dict[tuple[int, int], list[int]] = {}
    parent = [-1] * 6
    for index, level in enumerate(levels):
        if not level:
            continue
        if paragraphs[index][2]:
            parent[level] = index  # a styled heading is a heading, whatever its text
            continue
        groups.setdefault((parent[level - 1] if level > 1 else -1, level), []).append(index)
        parent[level] = index
        for deeper in range(level + 1, 6):
            parent[deeper] = -1
    for members in groups.values():
        ok = all(split_heading(paragraphs[i][0]) is not None for i in members)
        for i in members:
            decisions[i] = ok
    return decisions


def should_join(previous: str, previous_is_heading: bool, line: str) -> bool:
    """A line continues the previous one when that one stops mid-sentence (PDF extraction)."""
    if not previous or previous_is_heading or ends_sentence(previous):
        return False
    if numbering_level(line):
        return False
    if re.match(r"^[，。、；：）”’」』]", line):
        return True
    return len(previous) >= 20
