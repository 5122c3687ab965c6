"""Per-report analysis of the parsed document: the required parts (from the headings, or the text
when a report has no headings) and the key figures, each with the sentence it came from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from site_builder.document import Document
from site_builder.stats.evidence import locate
from site_builder.stats.figures import Figure, extract_figures
from site_builder.stats.parts import PartMatch, detect_parts


@dataclass(frozen=True)
class ReportAnalysis:
    parts: tuple[PartMatch, ...]
    figures: tuple[Figure, ...]
    rejected: tuple[str, ...] = field(default=())
    """Figures left blank because the text gave two different values."""


NOTHING = ReportAnalysis((), ())


def analyse(document: Document, year: int) -> ReportAnalysis:
    figures, rejected = extract_figures(list(document.paragraphs))
    # A figure links to its sentence only where the page can mark that sentence.
    figures = [f if f.evidence_id and locate(document.html, f.sentence) else replace(f, evidence_id="") for f in figures]
    parts = detect_parts(list(document.headings), list(document.paragraphs), year)
    return ReportAnalysis(tuple(parts), tuple(figures), tuple(rejected))
