"""One raw report → Markdown with front-matter, and an account of everything that was inferred,
removed or redacted (with line numbers), so an editor can check it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.importer import metadata as md
from site_builder.importer.copies import strip_readings, undo_copying
from site_builder.importer.infer import Evidence, infer
from site_builder.importer.labels import read_labels, read_line
from site_builder.importer.lines import Line, escape_inline, squeeze
from site_builder.importer.personal import MARKER, is_contact_only, redact
from site_builder.importer.repair import Removed, is_boilerplate, normalize, page_furniture, strip_artifacts
from site_builder.importer.sources import Source
from site_builder.importer.structure import Block, build_blocks, numbering_level, should_join
from site_builder.importer.titles import SALUTATION, Title, clean_title, find_title, is_title, org_names, split_title_block
from site_builder.names import to_simplified

REQUIRED = ("title", "unit", "town", "county", "province", "year")
DISTRIBUTION = re.compile(r"^\s*(?:抄送|抄报|分送|主题词|印发|\S.{0,40}\d{4}年\d{1,2}月\d{1,2}日\s*印发)|印发\s*$")


@dataclass
class Converted:
    markdown_body: str
    meta: dict[str, md.Inferred]
    removed: list[Removed] = field(default_factory=list)
    redactions: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, kind, original text) for each piece of personal data replaced."""
    restored: list[tuple[int, str]] = field(default_factory=list)
    """(line, text) added back, e.g. heading numbers lost in the source."""
    reasons: dict[str, str] = field(default_factory=dict)
    """Why a field is missing, for each field nothing in the document states."""
    landmarks: dict[str, int] = field(default_factory=dict)
    """Source lines an editor looks at for a missing field: top, opening, closing."""

    @property
    def missing(self) -> list[str]:
        return [key for key in REQUIRED if key not in self.meta]


def convert(source: Source, keep_personal_data: bool = False, simplified: bool = False) -> Converted:
    """`simplified`: the body and title made simplified too (names always are)."""
    removed: list[Removed] = []
    redactions: list[tuple[int, str, str]] = []
    page = {key: (strip_readings(value), line) for key, (value, line) in source.page_meta.items()}
    lines = _page_text(source, page, removed, simplified)
    kept: list[Line] = []
    for line in lines:
        if not keep_personal_data:
            text, findings = redact(line.text)
            redactions += [(line.number, f.kind, f.text) for f in findings]
            if is_contact_only(text):
                removed.append(Removed(line.number, "personal-data", text))
                continue
            line = Line(text, line.number, line.heading, line.role)
        kept.append(line)

    plain = {line.number: to_simplified(line.text) for line in kept if not line.role}
    body_lines, closing, distribution = _split_closing(kept)
    removed += distribution
    block, body_lines = split_title_block(body_lines, plain)
    removed += [Removed(line.number, "title", line.text) for line in block if line.text.strip()]
    title = find_title(block, plain)
    recipients = next((line for line in body_lines if line.text), None)
    recipients_text = recipients.text[:-1] if recipients and SALUTATION.match(recipients.text) else ""

    paragraphs = _join(body_lines)
    blocks = _structure(paragraphs)
    restored = [(b.line, b.restored) for b in blocks if b.restored]
    body = _render(blocks, closing)
    evidence = Evidence(
        title=title, block=[_plain(line) for line in block], closing=[_plain(line) for line in closing], page=page,
        recipients=to_simplified(recipients_text), body=[(to_simplified(p.text), p.number) for p in paragraphs if not p.role],
        original_title=_as_written(title, block) if title else None)
    meta, reasons = infer(evidence)
    landmarks = {"top": kept[0].number if kept else 1, "opening": paragraphs[0].number if paragraphs else 1,
                 "closing": closing[0].number if closing else (paragraphs[-1].number if paragraphs else 1)}
    return Converted(body, meta, removed, redactions, restored, reasons, landmarks)


def _plain(line: Line) -> Line:
    return Line(to_simplified(line.text), line.number, line.heading, line.role)


def _as_written(title: Title, block: list[Line]) -> Title:
    """The title as the document writes it (traditional characters kept)."""
    written = {line.number: line.text for line in block}
    return Title(clean_title(" ".join(written[number] for number in title.lines)), title.lines, title.issuers)


def _page_text(source: Source, page: dict[str, tuple[str, int]], removed: list[Removed], simplified: bool) -> list[Line]:
    """The document's lines without what the web page put around it — page labels (read into
    `page`), the site's header, navigation, an aggregator's notes — each removal listed."""
    lines: list[Line] = []
    copied, added = undo_copying(source.lines)
    removed += added
    for line in copied:
        text, artifacts = strip_artifacts(line)
        removed += artifacts
        text = squeeze(text)
        lines.append(Line(to_simplified(text) if simplified else text, line.number, line.heading, line.role))
    plain = [to_simplified(line.text) for line in lines]
    furniture = [page_furniture(text) if not line.role else ("", "") for line, text in zip(lines, plain, strict=True)]
    for line, text, (kind, site) in zip(lines, plain, furniture, strict=True):
        if kind == "site-header":
            page.setdefault("site", (site, line.number))
        elif (crumb := _breadcrumb_org(text)) and not line.role:
            page.setdefault("breadcrumb", (crumb, line.number))
    first, last = _body_span(plain)
    candidates = [(text, line.number) for index, (line, text, (kind, _)) in enumerate(zip(lines, plain, furniture, strict=True))
                  if not kind and (not line.role or _labelled_row(text)) and not first <= index <= last]
    values, used = read_labels(candidates)
    for key, (value, number) in values.items():
        if key == "page_title":
            value = _written_value(value, number, lines, plain)
        page.setdefault(key, (value, number))
    kept: list[Line] = []
    for line, text, (kind, _) in zip(lines, plain, furniture, strict=True):
        dated = TITLE_WITH_DATE.match(text)
        if dated and not line.role and len(text) == len(line.text) and is_title(dated.group("title")):  # `某街道2022年度…报告 2023-02-09`: the page's date
            page.setdefault("published", (dated.group("date"), line.number))
            line = Line(line.text[: len(dated.group("title"))], line.number, line.heading)
        if kind:
            removed.append(Removed(line.number, kind, line.text))
        elif line.number in used and (not line.role or _labelled_row(text) or TABLE_RULE.match(text)):
            if line.text:
                removed.append(Removed(line.number, "page-metadata", line.text))
        elif is_boilerplate(text):
            if line.text:
                removed.append(Removed(line.number, "boilerplate", line.text))
        else:
            kept.append(line)
    return kept


def _body_span(plain: list[str]) -> tuple[int, int]:
    """The first and last line that are sentences of the report: a page's labels stand before or
    after them, never between (时间：… 地点：… in the body is the report's own text)."""
    sentences = [index for index, text in enumerate(plain)
                 if ("。" in text and len(text) >= 10) or (text.count("，") >= 2 and len(text) > 30)]
    return (sentences[0], sentences[-1]) if sentences else (len(plain), -1)


TITLE_WITH_DATE = re.compile(r"^(?P<title>\S.*?\S)\s+(?P<date>\d{4}-\d{1,2}-\d{1,2})$")
"""A page's heading with its publication date beside it."""
BREADCRUMB = re.compile(r"\s*[>＞»→]\s*")


def _breadcrumb_org(text: str) -> str:
    """The last organisation named in a location bar (`首页 > 乡镇信息公开 > 某镇人民政府 > 部门信息`)."""
    parts = BREADCRUMB.split(LOCATION_PREFIX.sub("", text.strip()))
    if len(parts) < 3 or len(text) > 120:
        return ""
    return next((part for part in reversed(parts) if md.is_org_line(part)), "")


LOCATION_PREFIX = re.compile(r"^(?:您(?:当前)?所在的?位置|当前位置)\s*[:：]\s*")
TABLE_RULE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")


def _labelled_row(text: str) -> bool:
    """A Word table row is page metadata when it holds two labels or more (索引号 | … | 发布机构 | …)."""
    found, is_meta = read_line(text, 0)
    return is_meta and len(found) >= 2


def _written_value(value: str, number: int, lines: list[Line], plain: list[str]) -> str:
    """A labelled value as the line writes it (the labels were read from its simplified text)."""
    for line, text in zip(lines, plain, strict=True):
        at = text.find(value) if line.number == number else -1
        if at >= 0 and len(text) == len(line.text):
            return line.text[at: at + len(value)]
    return value


def _split_closing(lines: list[Line]) -> tuple[list[Line], list[Line], list[Removed]]:
    """Take the signature and date off the end, and the 抄送/印发 lines after them."""
    body = list(lines)
    distribution: list[Removed] = []
    while body and (not body[-1].text or DISTRIBUTION.search(body[-1].text)):
        line = body.pop()
        if line.text:
            distribution.append(Removed(line.number, "distribution", line.text))
    closing: list[Line] = []
    while body and (not body[-1].text or md.date_line(body[-1].text) or org_names(to_simplified(body[-1].text))):
        line = body.pop()
        if line.text:
            parts = line.text.split() if org_names(to_simplified(line.text)) else [line.text]
            closing[:0] = [Line(part, line.number) for part in parts]
    if closing and not any(md.date_line(line.text) for line in closing) and len(closing) > 2:
        body += closing  # not a signature block after all
        closing = []
    return body, closing, distribution[::-1]


def _join(lines: list[Line]) -> list[Line]:
    """Lines → paragraphs, repairing PDF line breaks; tables and lists from Word stay as they are."""
    paragraphs: list[Line] = []
    for line in lines:
        text = line.text.strip() if line.role else normalize(line.text)
        if not text:
            continue
        if paragraphs and not line.heading and not line.role and not paragraphs[-1].role:
            previous = paragraphs[-1]
            previous_is_heading = bool(previous.heading) or (numbering_level(previous.text) and len(previous.text) <= 45)
            if should_join(previous.text, bool(previous_is_heading), text):
                previous.text += text
                continue
        paragraphs.append(Line(text, line.number, line.heading, line.role))
    return paragraphs


def _structure(paragraphs: list[Line]) -> list[Block]:
    """Headings from numbering for ordinary paragraphs; Word tables and lists pass through."""
    blocks: list[Block] = []
    run: list[Line] = []

    def flush() -> None:
        blocks.extend(build_blocks([(p.text, p.number, p.heading) for p in run]))
        run.clear()

    for paragraph in paragraphs:
        if paragraph.role:
            flush()
            blocks.append(Block(paragraph.text, paragraph.number, role=paragraph.role))
        else:
            run.append(paragraph)
    flush()
    return blocks


MD_LEADING = re.compile(r"^(#{1,6}\s|>|[-+*]\s|=+\s*$|\d+[.)]\s|\|)")


def escape(text: str) -> str:
    text = escape_inline(text)
    match = MD_LEADING.match(text)
    if match:
        marker = match.group(1)
        escaped = re.sub(r"([#>+\-*=|.)])", r"\\\1", marker, count=1)
        text = escaped + text[len(marker):]
    return text


def _render(blocks: list[Block], closing: list[Line]) -> str:
    parts: list[str] = []
    previous_role = ""
    for block in blocks:
        if block.role and block.role == previous_role:
            parts[-1] += "\n" + block.text  # rows of one table, items of one list: no blank line between
        elif block.role:
            parts.append(block.text)
        elif block.level:
            parts.append("#" * (block.level + 1) + " " + escape(block.text))
        else:
            parts.append(escape(block.text))
        previous_role = block.role
    if closing:
        parts.append("  \n".join(escape(normalize(line.text)) for line in closing))
    return "\n\n".join(parts) + "\n"


__all__ = ["MARKER", "REQUIRED", "Converted", "Path", "convert"]
