"""Inline SVG bar charts, built at build time: no JavaScript, a <title> and <desc> for screen
readers, and the page always shows the same numbers as a table next to it."""

from __future__ import annotations

from html import escape

BAR_HEIGHT = 26
GAP = 10
LABEL_WIDTH = 150
CHART_WIDTH = 640


def bar_chart(chart_id: str, title: str, description: str, bars: list[tuple[str, float, str]], maximum: float | None = None) -> str:
    """Horizontal bars: (label, value, value as shown). Values are drawn to scale against `maximum`."""
    top = max([maximum or 0.0] + [value for _, value, _ in bars]) or 1.0
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    span = CHART_WIDTH - LABEL_WIDTH - 90
    parts = [f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" width="100%" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-title">{escape(title)}</title>', f'<desc id="{chart_id}-desc">{escape(description)}</desc>']
    for index, (label, value, shown) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = max(1.0, span * value / top) if value else 0.0
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.72:.1f}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" rx="3"></rect>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 8:.1f}" y="{y + BAR_HEIGHT * 0.72:.1f}">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)
