"""The parts a report must have (法治政府建设与责任落实督察工作规定, 2019, art. 25): main measures
and results; shortcomings and their causes; how the principal Party and government leaders
performed their duty as first responsible persons; the main plans for next year; optionally other
matters. Real reports phrase them in many ways; the list below is the documented vocabulary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from site_builder.document import Paragraph
    from site_builder.markdown import Heading as Section

PARTS: tuple[tuple[str, str, bool], ...] = (
    ("measures", "主要举措和成效", True),
    ("shortcomings", "存在的不足和原因", True),
    ("leaders", "党政主要负责人履行第一责任人职责情况", True),
    ("plans", "下一年度主要安排", True),
    ("other", "其他需要报告的事项", False),
)
LABELS = {key: label for key, label, _ in PARTS}
REQUIRED_PARTS = tuple(key for key, _, required in PARTS if required)

# How real reports title each part (checked in this order: a heading belongs to the first that fits).
LEADERS = re.compile(r"第一责任人|主要负责人.{0,12}职责|主要负责人.{0,6}履")
SHORTCOMINGS = re.compile(r"不足|存在.{0,4}问题|问题和原因|短板|差距|薄弱")
PLANS = re.compile(r"打算|安排|思路|计划|下一年|下一步|下步|明年|来年|新的一年")
MEASURES = re.compile(r"成效|主要举措|工作举措|主要工作|工作情况|进展|主要做法|推进法治政府建设情况")
OTHER = re.compile(r"其他")
YEAR = re.compile(r"(\d{4})\s*年")


@dataclass(frozen=True)
class PartMatch:
    part: str
    """measures, shortcomings, leaders, plans or other."""
    found_in: str
    """'heading' or 'text'."""
    text: str
    """The heading (or the sentence) that matched."""
    anchor: str
    """Where it is in the report page."""


def classify_heading(text: str, report_year: int) -> str:
    if LEADERS.search(text):
        return "leaders"
    if SHORTCOMINGS.search(text):
        return "shortcomings"
    years = [int(y) for y in YEAR.findall(text)]
    if PLANS.search(text) or (re.search(r"举措|措施|任务", text) and any(y > report_year for y in years)):
        return "plans"
    if MEASURES.search(text):
        return "measures"
    if OTHER.search(text):
        return "other"
    return ""


def detect_parts(sections: list[Section], paragraphs: list[Paragraph], report_year: int) -> list[PartMatch]:
    """Parts found from the top-level headings; from the text only when the report has none."""
    top = min((s.level for s in sections), default=0)
    found: dict[str, PartMatch] = {}
    for section in sections:
        if section.level != top:
            continue
        part = classify_heading(section.text, report_year)
        if part and part not in found:
            found[part] = PartMatch(part, "heading", section.text, section.anchor)
    if not sections:
        for paragraph in paragraphs:
            for sentence in re.split(r"(?<=[。；！？])", paragraph.text):
                part = classify_heading(sentence, report_year) if len(sentence) < 60 else ""
                if part and part not in found:
                    found[part] = PartMatch(part, "text", sentence.strip(), paragraph.section)
    return [found[key] for key, _, _ in PARTS if key in found]
