"""Text repair: what PDF extraction, web pages and Word leave behind, fixed without ever dropping
or reordering body text. Everything removed is returned, so it can be listed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.importer.lines import Line, squeeze
from site_builder.text.furniture import is_boilerplate as is_boilerplate
from site_builder.text.furniture import page_furniture as page_furniture
from site_builder.text.residue import without_residue

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CN_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】…—「」『』〔〕"
CJK_OR_PUNCT = f"[{CJK}{CN_PUNCT}]"
TERMINAL = re.compile(r"[。！？；：…!?;][”’」』）)\]]*$")
NUMERALS = "一二三四五六七八九十百零〇"


@dataclass(frozen=True)
class Removed:
    """Text taken out of the body on purpose, listed in the import summary."""

    line: int
    kind: str
    """title, page-metadata, boilerplate, artifact, distribution, personal-data, repeated-title."""
    text: str


def strip_artifacts(line: Line) -> tuple[str, list[Removed]]:
    """The line without what Word, WPS or a converter left in it (text/residue: the rule `build`
    and `check` apply), and what was removed."""
    text, removed = without_residue(line.text)
    return text, [Removed(line.number, "artifact", piece) for piece in removed if piece.strip()]


def normalize(text: str) -> str:
    """Chinese-context punctuation to full width; the spaces PDF extraction puts around numbers and
    between CJK characters removed. Numbers, dates, URLs and Latin text are left alone."""
    text = squeeze(text)
    text = re.sub(rf"(?<={CJK_OR_PUNCT}),|,(?={CJK_OR_PUNCT})", "，", text)
    text = re.sub(rf"(?<={CJK_OR_PUNCT});|;(?={CJK_OR_PUNCT})", "；", text)
    text = re.sub(rf"(?<={CJK_OR_PUNCT}):(?!//)|:(?={CJK_OR_PUNCT})", "：", text)
    text = re.sub(rf"(?<={CJK_OR_PUNCT})\?|(?<={CJK_OR_PUNCT})!", lambda m: "？" if m.group() == "?" else "！", text)
    # Brackets: (一) numbering, and brackets holding Chinese text.
    text = re.sub(rf"\(\s*([{NUMERALS}]+)\s*[)）]\s*|（\s*([{NUMERALS}]+)\s*\)\s*", lambda m: f"（{m.group(1) or m.group(2)}）", text)
    text = re.sub(rf"\(([^()]*{CJK_OR_PUNCT}[^()]*)\)", r"（\1）", text)
    # Spaces: between CJK (or Chinese punctuation) and digits, and between CJK characters.
    text = re.sub(rf"(?<={CJK_OR_PUNCT}) (?=[\d{CJK}{CN_PUNCT}])", "", text)
    text = re.sub(rf"(?<=[\d%]) (?={CJK_OR_PUNCT})", "", text)
    return text


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL.search(text.rstrip()))
