"""Word documents (python-docx): paragraphs in order, heading styles, numbered lists, tables."""

from __future__ import annotations

import io

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from site_builder.importer.lines import Line, escape_inline


def _blocks(document: Document) -> list[Paragraph | Table]:
    """Paragraphs and tables in document order (python-docx lists them separately)."""
    body = document.element.body
    blocks: list[Paragraph | Table] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Paragraph(child, document))
        elif tag == "tbl":
            blocks.append(Table(child, document))
    return blocks


MAX_HEADING_LEVEL = 4
"""Word's heading levels 1–4 become Markdown's ## … ##### (level + 1 #); deeper ones are level 4."""
MAX_LIST_LEVEL = 8
"""Word numbers list levels 0–8."""


def _heading_level(paragraph: Paragraph) -> int:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    for prefix in ("Heading ", "标题 "):
        number = name[len(prefix):].strip()
        if name.startswith(prefix) and number.isascii() and number.isdigit():
            return min(max(int(number), 1), MAX_HEADING_LEVEL)  # a style "Heading 99" is a deep heading
    return 1 if name in ("Title", "标题") else 0


def _list_kind(paragraph: Paragraph) -> str:
    """'number', 'bullet' or '' — from the paragraph's own numbering or its style's."""
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name.startswith("List Bullet"):
        return "bullet"
    if name.startswith("List Number"):
        return "number"
    properties = paragraph._p.pPr
    return "number" if properties is not None and properties.numPr is not None else ""


def _list_level(paragraph: Paragraph) -> int:
    numbering = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    level = getattr(numbering, "ilvl", None)
    try:
        value = int(level.val) if level is not None else 0
    except (TypeError, ValueError):
        return 0
    return min(max(value, 0), MAX_LIST_LEVEL)  # a level of 300,000,000 once cost 2.7 GB of indentation


def _table_lines(table: Table) -> list[str]:
    rows = [[escape_inline(" ".join(cell.text.split())).replace("|", "\\|") for cell in row.cells] for row in table.rows]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return lines


def read_docx(data: bytes) -> tuple[list[Line], dict[str, tuple[str, int]]]:
    document = docx.Document(io.BytesIO(data))
    lines: list[Line] = []
    counters: dict[int, int] = {}
    for number, block in enumerate(_blocks(document), 1):
        if isinstance(block, Table):
            lines += [Line(text, number, role="table") for text in _table_lines(block)]
            continue
        text = block.text
        kind = _list_kind(block) if not _heading_level(block) and text.strip() else ""
        if kind:
            # Word generates the number; keep the list as a Markdown list rather than lose it.
            level = _list_level(block)
            counters[level] = counters.get(level, 0) + 1
            marker = f"{counters[level]}." if kind == "number" else "-"
            lines.append(Line("   " * level + f"{marker} {escape_inline(text.strip())}", number, role="list"))
            continue
        if text.strip():
            counters.clear()
        lines.append(Line(text, number, _heading_level(block)))
    core = document.core_properties
    meta = {"title": (core.title, 0)} if core.title else {}
    return lines, meta
