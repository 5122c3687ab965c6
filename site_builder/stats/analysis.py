"""Per-report analysis of the Markdown source: the required parts (from the heading outline, or
the text when a report has no headings) and the key figures, each with its evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from site_builder.markdown import Heading as Section
from site_builder.markdown import anchor_base
from site_builder.names import unique_name
from site_builder.stats.figures import Figure, extract_figures
from site_builder.stats.parts import PartMatch, detect_parts

ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass(frozen=True)
class Paragraph:
    text: str
    """Markdown source of the paragraph, on one line."""
    section: str
    """Anchor of the heading it sits under ('' before the first heading)."""


@dataclass(frozen=True)
class ReportAnalysis:
    parts: tuple[PartMatch, ...]
    figures: tuple[Figure, ...]
    rejected: tuple[str, ...] = field(default=())
    """Figures left blank because the text gave two different values."""


def outline(markdown: str) -> tuple[list[Section], list[Paragraph]]:
    """Headings with the same anchors the renderer gives them, and paragraphs with their section."""
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    used: set[str] = set()
    current, fenced = "", False
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            paragraphs.append(Paragraph(" ".join(buffer).strip(), current))
            buffer.clear()

    for line in markdown.split("\n"):
        if FENCE.match(line):
            fenced = not fenced
            flush()
            continue
        match = None if fenced else ATX.match(line)
        if match:
            flush()
            text = UNESCAPE.sub(r"\1", match.group(2)).strip()
            anchor = unique_name(anchor_base(text), used)
            sections.append(Section(len(match.group(1)), text, anchor))
            current = anchor
        elif not line.strip():
            flush()
        elif not fenced:
            buffer.append(line.strip())
    flush()
    return sections, paragraphs


def analyse(markdown: str, year: int) -> ReportAnalysis:
    sections, paragraphs = outline(markdown)
    figures, rejected = extract_figures(paragraphs)
    return ReportAnalysis(tuple(detect_parts(sections, paragraphs, year)), tuple(figures), tuple(rejected))
