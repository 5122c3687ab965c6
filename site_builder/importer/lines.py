"""A line of an imported document, and how its text is made Markdown: shared by every reader
(sources.py for TXT, html.py, docx.py) and the pipeline."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Line:
    text: str
    number: int
    """1-based line (or paragraph) number in the source, for messages."""
    heading: int = 0
    """Heading level given by the source itself (Word heading styles, HTML h1–h6); 0 if none."""
    role: str = ""
    """'table' for a Markdown table row, 'list' for a list item, both already written as Markdown."""


WHITESPACE = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u200b\ufeff]+")


def squeeze(text: str) -> str:
    """Collapse runs of (full-width, non-breaking, zero-width) spaces; strip the ends."""
    return WHITESPACE.sub(" ", text).strip()


MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
"""Characters that Markdown (or raw HTML: a `<style>` in a table cell) would read as markup."""


def escape_inline(text: str) -> str:
    """Plain text from a document as Markdown that shows exactly that text."""
    return MD_SPECIAL.sub(r"\\\1", text)
