"""Key figures (主要数据) from report text by tested patterns, each with the sentence it came from.

Conservative by design: a number is taken only when the words right before it say what it counts,
in the same clause; two different values for one figure in one report leave it blank; a figure with
no evidence is blank, never 0 — except where the report says so in words (无行政复议案件 → 0)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from site_builder.document import Paragraph

N = r"(?P<n>\d+(?:\.\d+)?)(?P<approx>余|多)?"
GAP = r"[^，。；：！？,;:\d]{0,8}?"  # a few words inside one clause, no digits

MAX_DIGITS = 15
"""Longer digit runs are not figures (and would not survive as a float)."""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    triggers: tuple[str, ...]
    """Words one of which every match contains: paragraphs without any are not searched."""
    patterns: tuple[re.Pattern[str], ...]
    zero: tuple[re.Pattern[str], ...] = ()
    """Sentences that state the figure is zero, in words."""
    scale: dict[str, float] | None = None


def _p(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


METRICS: tuple[Metric, ...] = (
    Metric("disputes_screened", "排查矛盾纠纷", "次", ("排查",), _p(rf"排查(?:、预防)?(?:矛盾)?纠纷(?:隐患)?{N}(?:次|件|起)")),
    Metric("disputes_accepted", "受理矛盾纠纷", "件", ("受理",), _p(rf"受理(?:各类)?矛盾纠纷{N}(?:件|起)")),
    Metric("disputes_resolved", "化解（调处成功）矛盾纠纷", "件", ("调处", "化解"),
           _p(rf"(?:矛盾纠纷|受理)[^。；]{{0,20}}调处成功{N}(?:件|起)", rf"成功调处(?:各类)?矛盾纠纷{N}(?:件|起)",
              rf"(?<!未)化解(?:各类)?矛盾纠纷{N}(?:件|起)")),
    Metric("mediation_success_rate", "调解成功率", "%", ("成功率",), _p(rf"调(?:处|解)成功率(?:达到?|为)?{N}%")),
    Metric("reconsideration", "行政复议案件", "件", ("复议",), _p(rf"行政复议(?:案件)?{N}(?:件|起)"),
           zero=_p(r"(?:无|未发生|没有)(?:一起)?行政复议")),
    Metric("litigation", "行政诉讼（应诉）案件", "件", ("诉讼", "应诉"), _p(rf"行政(?:诉讼|应诉)(?:案件)?{N}(?:件|起)"),
           zero=_p(r"(?:无|未发生|没有)(?:一起)?行政(?:诉讼|应诉)")),
    Metric("legal_advisers", "法律顾问", "名", ("法律顾问",), _p(rf"法律顾问{N}(?:名|人|位)(?!次)")),
    Metric("publicity_events", "法治宣传活动", "场次", ("活动",),
           _p(rf"(?:开展|举办|组织){GAP}(?:宣传|普法){GAP}活动{N}(?:场次|场|次)")),
    Metric("materials", "发放宣传资料", "份", ("发放",), _p(rf"发放{GAP}(?:资料|材料|手册|宣传册){N}(?:份|册|本)")),
    Metric("penalties", "行政处罚", "件", ("处罚",), _p(rf"行政处罚(?:案件)?{N}(?:件|起|次)")),
    Metric("penalty_amount", "罚没金额", "元", ("金额",), _p(rf"行政处罚\d+(?:件|起|次)，(?:罚没)?金额{N}(?P<scale>万)?元"),
           scale={"万": 10_000}),
    Metric("petitions", "受理信访案件", "件", ("信访",), _p(rf"受理{GAP}信访(?:案件|件){N}(?:件|起)")),
    Metric("trained", "法治培训人次", "人次", ("人次",), _p(rf"培训{GAP}{N}人次")),
    Metric("model_villages", "民主法治示范村（社区）", "个", ("民主法治",),
           _p(rf"{N}个(?:市级|省级|区级|县级|全国)?[“\"]?民主法治(?:示范)?村")),
)
BY_KEY = {m.key: m for m in METRICS}
TRIGGERS = re.compile("|".join(sorted({w for m in METRICS for w in m.triggers}, key=len, reverse=True)))
ALIASES = {"矛盾纠纷化解": "disputes_resolved"}
"""Names editors write in `metrics:` for a figure (`new` and the schema's hint give the first)."""
BY_LABEL = {m.label: m for m in METRICS} | {alias: BY_KEY[key] for alias, key in ALIASES.items()}


def metric_of(name: str) -> Metric | None:
    """The metric a front-matter `metrics:` name stands for (its key, its label or an alias)."""
    return BY_KEY.get(name) or BY_LABEL.get(name)


def nearest_metric(name: str) -> str:
    """The known name closest to an unknown one: a metric whose key words it holds, else the most alike."""
    for metric in METRICS:
        if any(word in name for word in metric.triggers):
            return metric.label
    close = difflib.get_close_matches(name, list(BY_LABEL), n=1, cutoff=0.3)
    return close[0] if close else METRICS[0].label


@dataclass(frozen=True)
class Figure:
    key: str
    value: float
    approx: str
    """'余', '多' or '以上' when the report gives a lower bound ('' for an exact figure)."""
    sentence: str
    """The sentence the figure came from ('' for figures declared in front-matter)."""
    section: str
    """Anchor of the section holding the sentence."""
    evidence_id: str
    """Id of the highlighted sentence in the report page ('' if it cannot be marked)."""

    @property
    def label(self) -> str:
        return BY_KEY[self.key].label

    @property
    def unit(self) -> str:
        return BY_KEY[self.key].unit

    @property
    def display(self) -> str:
        number = f"{self.value:g}" if self.value != int(self.value) else f"{int(self.value)}"
        if self.approx == "以上":
            return f"{number}{self.unit if self.unit == '%' else ''}以上"
        return number + self.approx


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of `text` holding text[start:end] (patterns never cross 。；！？)."""
    left = max(text.rfind(mark, 0, start) for mark in "。；！？") + 1
    rights = [i for i in (text.find(mark, end) for mark in "。；！？") if i >= 0]
    return text[left: min(rights) + 1 if rights else len(text)].strip()


def extract_figures(paragraphs: list[Paragraph]) -> tuple[list[Figure], list[str]]:
    """Figures found, and the keys left blank because the text disagreed with itself."""
    found: dict[str, list[Figure]] = {}
    for paragraph in paragraphs:
        text = paragraph.text
        words = set(TRIGGERS.findall(text))
        if not words:
            continue
        for metric in METRICS:
            if words.isdisjoint(metric.triggers):
                continue
            for value, approx, sentence in _values(metric, text):
                found.setdefault(metric.key, []).append(Figure(
                    metric.key, value, approx, sentence, paragraph.section, f"ev-{metric.key}"))
    figures, rejected = [], []
    for metric in METRICS:
        candidates = found.get(metric.key, [])
        if not candidates:
            continue
        values = {f.value for f in candidates}
        if len(values) == 1:
            figures.append(candidates[0])
        else:
            rejected.append(metric.key)
    return figures, rejected


def _values(metric: Metric, text: str) -> list[tuple[float, str, str]]:
    """(value, approx, sentence) for each match in a paragraph; a zero statement counts only in a
    sentence that gives no number for the metric."""
    values: list[tuple[float, str, str]] = []
    for pattern in metric.patterns:
        for match in pattern.finditer(text):
            digits = match.group("n")
            if len(digits.replace(".", "").lstrip("0")) > MAX_DIGITS:
                continue  # a serial number or a typo, not a count a report would give
            number = float(digits)
            scale = match.groupdict().get("scale")
            if scale and metric.scale:
                number *= metric.scale[scale]
            approx = match.group("approx") or ("以上" if text.startswith("以上", match.end()) else "")
            values.append((number, approx, sentence_at(text, match.start(), match.end())))
    with_numbers = {sentence for _, _, sentence in values}
    for pattern in metric.zero:
        for match in pattern.finditer(text):
            sentence = sentence_at(text, match.start(), match.end())
            if sentence not in with_numbers:
                values.append((0.0, "", sentence))
                with_numbers.add(sentence)
    return values
