"""What Word, WPS, converters and web pages leave in a report's text — one rule for every command:
`build`/`serve` refuse the hidden Word/WPS marks (privacy: an error; `check --fix` removes them),
`check` warns about the rest of a web page or converter left in a line (`leftover`), and the
importer removes all of it and lists what it removed (importer/repair)."""

from __future__ import annotations

import re

from site_builder.text.furniture import is_boilerplate

BOOKMARK = r"\[bookmark: ?[^\]\n]*\]"
"""Word bookmarks as converters write them: [bookmark: _GoBack]."""
WORD_RESIDUE = re.compile("|".join((
    BOOKMARK,
    r"\[\]\{#_[A-Za-z][^}\n]*\}",                                # pandoc's empty anchors: []{#_GoBack}
    r"(?<![A-Za-z0-9])_(?:GoBack|Toc\d{6,}|Hlk\d{6,})(?![A-Za-z0-9])",               # Word's hidden bookmarks by name
    r"\[(?:comment|批注|注释)[:：]?[^\]\n]*\]",                     # comments kept as text
    r"\{\.(?:comment-start|comment-end|insertion|deletion|paragraph-insertion)\b[^}\n]*\}",
    r"\[(?:deleted|inserted|删除|插入)[:：][^\]\n]*\]",              # tracked changes kept as text
    r"\{\+\+.*?\+\+\}|\{--.*?--\}|\{~~.*?~~\}|\{>>.*?<<\}|\{==.*?==\}",  # CriticMarkup (tracked changes)
    r"\{\s*(?:PAGE|NUMPAGES|SECTIONPAGES|HYPERLINK|PAGEREF|TOC|REF|SEQ|MERGEFIELD|DATE|TIME)\b[^}\n]*\}",  # field codes
    r"\\\*\s*MERGEFORMAT\b|\bPAGEREF\s+_\w+(?:\s*\\h)?|\bHYPERLINK\s+(?:\\l\s+)?\"[^\"\n]*\"",
)))
"""The hidden marks of a Word or WPS document (bookmarks, comments, tracked changes, field codes):
never meant to be read, an error wherever a report is published."""
WORD_RESIDUE_HINT = re.compile(r"[\[{\\]|_(?:GoBack|Toc|Hlk)|HYPERLINK|PAGEREF|MERGEFORMAT")
"""What every line with a hidden mark has: the full rule runs only on such lines."""

IMAGE_PLACEHOLDER = r"\[(?:图片|image)[^\]\n]*\]"
"""Where a converter dropped a picture: [图片], [image: image1.png]."""
INVISIBLE = "[\u200b\ufeff]"
"""A zero-width space, a byte-order mark inside a line."""
CONVERTER_RESIDUE = re.compile(f"{WORD_RESIDUE.pattern}|{IMAGE_PLACEHOLDER}|{INVISIBLE}")
"""Everything the importer removes from a line (and lists)."""
LEFTOVER = re.compile(f"{IMAGE_PLACEHOLDER}|您(?:当前)?所在的?位置|^\\s*【?(?:字号|打印|关闭)")
"""A line that is still part of the web page or converter around the report (`check` warns)."""


def word_residue(line: str) -> list[re.Match[str]]:
    """Each hidden Word/WPS mark in `line`, left to right."""
    return list(WORD_RESIDUE.finditer(line)) if WORD_RESIDUE_HINT.search(line) else []


def kept_of(residue: str) -> str:
    """What stays of a piece of residue: the text an accepted tracked change inserted, else nothing."""
    if residue.startswith(("{++", "{==")):
        return residue[3:-3]
    if residue.startswith("{~~"):
        return residue[3:-3].split("~>", 1)[-1]
    return ""


def without_residue(line: str) -> tuple[str, list[str]]:
    """`line` with every piece of converter residue removed (an accepted change's text kept), and
    the pieces removed (for the importer's list)."""
    removed: list[str] = []

    def drop(match: re.Match[str]) -> str:
        removed.append(match.group())
        return kept_of(match.group())

    for _ in range(8):  # again: a removal can join two halves into a new piece ("\\hPAGEREF …")
        line = CONVERTER_RESIDUE.sub(drop, line)
        if not CONVERTER_RESIDUE.search(line):
            break
    return line, removed


def is_leftover(text: str) -> bool:
    """A line `check` warns about: a converter's placeholder, a location bar, a font-size or print
    toolbar, other page furniture."""
    return bool(LEFTOVER.search(text)) or is_boilerplate(text)
