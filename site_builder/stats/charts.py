"""Bar charts drawn in HTML at build time: no JavaScript, no SVG text that shrinks to 7 px on a
phone; each bar is a list item whose label and value are ordinary, readable text."""

from __future__ import annotations

from dataclasses import dataclass

MAX_BAR_SHARE = 70.0
"""Per cent of the row the longest bar takes; the rest holds the value beside it."""


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    """The value as the page shows it, e.g. 201/201（100%）."""
    width: float
    """Bar length in per cent of its row."""


def bars(values: list[tuple[str, float, str]], maximum: float | None = None) -> list[Bar]:
    """(label, value, value as shown) drawn to scale against `maximum` (default: the largest value)."""
    top = max([maximum or 0.0] + [value for _, value, _ in values]) or 1.0
    return [Bar(label, shown, round(max(0.5, MAX_BAR_SHARE * value / top), 1) if value else 0.0)
            for label, value, shown in values]
