"""One raw report → Markdown with front-matter, and an account of everything that was inferred,
removed or redacted (with line numbers), so an editor can check it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.importer import metadata as md
from site_builder.importer.lines import Line, escape_inline, squeeze
from site_builder.importer.personal import MARKER, is_contact_only, redact
from site_builder.importer.repair import Removed, is_boilerplate, normalize, strip_artifacts
from site_builder.importer.sources import Source
from site_builder.importer.structure import Block, build_blocks, numbering_level, should_join

REQUIRED = ("title", "unit", "town", "county", "province", "year")
META_LABEL = re.compile(r"(索引号|发文字号|文号|发布机构|发文机关|发布日期|发文日期|成文日期|主题分类|标题)\s*[:：]\s*")
LABEL_FIELDS = {"索引号": "index_no", "发文字号": "doc_no", "文号": "doc_no", "发布机构": "page_unit", "发文机关": "page_unit",
                "发布日期": "published", "发文日期": "issued", "成文日期": "page_signed", "标题": "page_title"}
DISTRIBUTION = re.compile(r"^\s*(?:抄送|抄报|分送|主题词|印发|\S.{0,40}\d{4}年\d{1,2}月\d{1,2}日\s*印发)|印发\s*$")
SALUTATION = re.compile(r"^[\u4e00-\u9fff、，,（）()\s]{2,30}[：:]$")


@dataclass
class Converted:
    markdown_body: str
    meta: dict[str, md.Inferred]
    removed: list[Removed] = field(default_factory=list)
    redactions: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, kind, original text) for each piece of personal data replaced."""
    restored: list[tuple[int, str]] = field(default_factory=list)
    """(line, text) added back, e.g. heading numbers lost in the source."""

    @property
    def missing(self) -> list[str]:
        return [key for key in REQUIRED if key not in self.meta]


def convert(source: Source, keep_personal_data: bool = False) -> Converted:
    removed: list[Removed] = []
    redactions: list[tuple[int, str, str]] = []
    page: dict[str, tuple[str, int]] = dict(source.page_meta)
    lines: list[Line] = []
    for line in source.lines:
        text, artifacts = strip_artifacts(line)
        removed += artifacts
        text = squeeze(text)
        if META_LABEL.search(text) and _take_page_metadata(text, line.number, page):
            removed.append(Removed(line.number, "page-metadata", text))
            continue
        if is_boilerplate(text):
            if text:
                removed.append(Removed(line.number, "boilerplate", text))
            continue
        if not keep_personal_data:
            text, findings = redact(text)
            redactions += [(line.number, f.kind, f.text) for f in findings]
            if is_contact_only(text):
                removed.append(Removed(line.number, "personal-data", text))
                continue
        lines.append(Line(text, line.number, line.heading, line.role))

    lines, closing, distribution = _split_closing(lines)
    removed += distribution
    title_block, lines = _split_title_block(lines)
    removed += [Removed(line.number, "title", line.text) for line in title_block]
    recipients = next((line for line in lines if line.text), None)
    recipients_text = recipients.text[:-1] if recipients and SALUTATION.match(recipients.text) else ""

    paragraphs = _join(lines)
    blocks = _structure(paragraphs)
    restored = [(b.line, b.restored) for b in blocks if b.restored]
    body = _render(blocks, closing)
    meta = _infer(title_block, closing, page, recipients_text, paragraphs)
    return Converted(body, meta, removed, redactions, restored)


def _take_page_metadata(text: str, number: int, page: dict[str, tuple[str, int]]) -> bool:
    """Read `索引号: … 文号: …` style lines; True when the line was page metadata."""
    labels = list(META_LABEL.finditer(text))
    if not labels or labels[0].start() > 2:
        return False
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        value = text[label.end():end].strip()
        if value:
            page.setdefault(LABEL_FIELDS[label.group(1)], (value, number))
    return True


def _split_closing(lines: list[Line]) -> tuple[list[Line], list[Line], list[Removed]]:
    """Take the signature and date off the end, and the 抄送/印发 lines after them."""
    body = list(lines)
    distribution: list[Removed] = []
    while body and (not body[-1].text or DISTRIBUTION.search(body[-1].text)):
        line = body.pop()
        if line.text:
            distribution.append(Removed(line.number, "distribution", line.text))
    closing: list[Line] = []
    while body and (not body[-1].text or md.date_line(body[-1].text) or _org_parts(body[-1].text)):
        line = body.pop()
        if line.text:
            parts = _org_parts(line.text) or [line.text]
            closing[:0] = [Line(part, line.number) for part in parts]
    if closing and not any(md.date_line(line.text) for line in closing) and len(closing) > 2:
        body += closing  # not a signature block after all
        closing = []
    return body, closing, distribution[::-1]


def _org_parts(text: str) -> list[str]:
    """'中共某镇委员会  某镇人民政府' → both names; [] when the line is not only organisation names."""
    parts = text.split()
    return parts if parts and all(md.is_org_line(part) for part in parts) else []


def _split_title_block(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The title (and issuer lines, a site name, repeated titles) before the salutation or body."""
    index = 0
    block: list[Line] = []
    while index < len(lines):
        text = lines[index].text
        if not text:
            index += 1
            continue
        titleish = len(text) <= 80 and not SALUTATION.match(text) and not numbering_level(text) and (
            "报告" in text or md.is_org_line(text) or (len(text) <= 30 and not re.search(r"[，。；：,.;:]", text)))
        if not titleish or len(block) >= 8:
            break
        block.append(lines[index])
        index += 1
    return block, lines[index:]


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


def _infer(title_block: list[Line], closing: list[Line], page: dict[str, tuple[str, int]], recipients: str,
           paragraphs: list[Line]) -> dict[str, md.Inferred]:
    meta: dict[str, md.Inferred] = {}
    titles = [normalize(line.text) for line in title_block if "报告" in line.text]
    if "page_title" in page:
        meta["title"] = md.Inferred(normalize(page["page_title"][0]), f"page header 标题 (line {page['page_title'][1]})")
    elif "ArticleTitle" in page:
        meta["title"] = md.Inferred(normalize(page["ArticleTitle"][0]), "page <meta name=ArticleTitle>")
    elif titles:
        best = max(titles, key=len)
        line = next(line.number for line in title_block if normalize(line.text) == best)
        meta["title"] = md.Inferred(best, f"title (line {line})")

    signature = [line for line in closing if md.is_org_line(line.text)]
    issuers = [line for line in title_block if md.is_org_line(line.text)]
    title_text = meta["title"].value if "title" in meta else ""
    title_prefix = re.match(rf"^(.{{2,30}}{md.ORG_SUFFIX})关于", str(title_text))
    if signature:
        meta["unit"] = md.Inferred("、".join(line.text for line in signature), f"signature (line {signature[0].number})")
    elif title_prefix:
        meta["unit"] = md.Inferred(title_prefix.group(1), "title, the words before 关于")
    elif "page_unit" in page:
        meta["unit"] = md.Inferred(page["page_unit"][0], f"page header 发布机构 (line {page['page_unit'][1]})")
    elif issuers:
        meta["unit"] = md.Inferred("、".join(line.text for line in issuers), f"title block (line {issuers[0].number})")

    sources = [(str(meta["unit"].value), meta["unit"].source)] if "unit" in meta else []
    sources += [(str(title_text), meta["title"].source)] if title_text else []
    sources += [(line.text, f"title block (line {line.number})") for line in issuers]
    sources += [(page["page_unit"][0], "page header 发布机构")] if "page_unit" in page else []
    for text, where in sources:
        place = md.places_in(text)
        for key in ("town", "county", "province"):
            value = getattr(place, key)
            if value and key not in meta:
                meta[key] = md.Inferred(value, where)
    body = [(p.text, p.number) for p in paragraphs if not p.role]
    if "town" not in meta and (found := md.town_from_body(body)):
        meta["town"] = found
    if "county" not in meta and (found := md.county_from_body(body, recipients)):
        meta["county"] = found
    if "province" not in meta and "county" in meta:
        province, how = md.province_for(str(meta["county"].value))
        if province:
            meta["province"] = md.Inferred(province, how)

    year = md.report_year(str(title_text)) if title_text else None
    if year:
        meta["year"] = md.Inferred(year, "title")
    else:
        for text, line in body[:3]:
            if re.search(r"报告如下|以来|年度|年，", text) and (year := md.report_year(text)):
                meta["year"] = md.Inferred(year, f"opening paragraph (line {line})")
                break

    dates = [(md.date_line(line.text), line.number) for line in closing]
    dates = [(d, n) for d, n in dates if d]
    if dates:
        meta["signed"] = md.Inferred(dates[-1][0], f"date under the signature (line {dates[-1][1]})")
    for key, label in (("published", "发布日期"), ("issued", "发文日期")):
        if key in page and "published" not in meta and (date := md.parse_date(page[key][0].split()[0])):
            meta["published"] = md.Inferred(date, f"page header {label} (line {page[key][1]})")
    if "index_no" in page:
        meta["index_no"] = md.Inferred(page["index_no"][0].split()[0], f"page header 索引号 (line {page['index_no'][1]})")
    if "doc_no" in page:
        meta["doc_no"] = md.Inferred(page["doc_no"][0], f"page header 文号 (line {page['doc_no'][1]})")
    if recipients:
        meta["recipients"] = md.Inferred(recipients, "salutation")
    return meta


__all__ = ["MARKER", "REQUIRED", "Converted", "Path", "convert"]
