"""Which line is the report's title. A title names its subject (法治政府建设, 依法行政 …) and its kind
(报告, 情况, 总结 …), is not a sentence, and stands before the body: `某镇2024年法治政府建设年度报告`,
`某镇法治政府建设年度报告(2024年度)`, `某省人民政府2022年度法治政府建设工作情况` (no 报告). A title
split after its issuers (`中共某镇委员会 某镇人民政府` over `关于2025年…的报告`) is one title. When a
page repeats its title, or an aggregator put its own headline first, the last title before the
body is the document's. An opening sentence is never a title: a report without one gets none."""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.importer.lines import Line, squeeze
from site_builder.importer.metadata import ORG_SUFFIX, is_org_line
from site_builder.importer.repair import normalize
from site_builder.importer.structure import numbering_level

SUBJECT = re.compile(r"法治政府|依法行政|法治建设|依法治|法治(?:街道|乡镇)创建|(?<=\d年度)政府建设(?=情况|工作)")
"""…and `2020年度政府建设情况`: a copy that deleted the word 法治 (censored sites do)."""
KIND = re.compile(r"报告|情况|总结|工作")
SENTENCE_MARK = re.compile(r"[，。；！？,;:：]")
SENTENCE_START = re.compile(r"^(?:根据|按照|依据|为了?|现将|在|我[镇乡县区市省局]|经|今年|近年|一年来|\d{4}年[，,])")
NOT_A_TITLE = re.compile(r"[>＞»]|》是|^[\u4e00-\u9fff]{2,20}?(?:发布|公布|印发)\d{4}")
"""Not a title: a breadcrumb, an aggregator's description, a news headline (`某部发布2023年…报告`)."""
SALUTATION = re.compile(r"^(?!附件)[\u4e00-\u9fff、，,（）()\s]{2,40}[：:]$")
ATTACHMENT = re.compile(r"^(?:附件\s*\d*\s*[：:]\s*)?(.+?)\s*\.(?:docx?|wps|pdf|txt)$", re.IGNORECASE)
"""A file name standing where the title is (`附件：某镇2023年…报告.docx`): the title is the name."""
TITLE_END = re.compile(r"^(?:[\u4e00-\u9fff]{0,6}(?:报告|情况|总结))$")
"""The last line of a title broken inside a phrase (`关于2017年度法治政府建设` + `情况的报告`)."""
REST_OF_TITLE = re.compile(r"^(?:关于|\d{4}\s*年|[一二〇○零]{4}年)")
MAX_BLOCK = 10
"""Lines before the body that can belong to the title block (a site's header lines included)."""


@dataclass(frozen=True)
class Title:
    text: str
    lines: tuple[int, ...]
    """Source lines it was read from."""
    issuers: tuple[str, ...] = ()
    """Organisations written above the title on their own line (a split title's first line)."""


def is_title(text: str) -> bool:
    text = squeeze(text)
    return (6 <= len(text) <= 90 and bool(SUBJECT.search(text)) and bool(KIND.search(text))
            and not SENTENCE_MARK.search(text) and not SENTENCE_START.match(text) and not NOT_A_TITLE.search(text))


def starts_body(text: str) -> bool:
    """The line where the title block ends: a salutation, a numbered heading, or a sentence."""
    text = squeeze(text)
    return bool(SALUTATION.match(text) or numbering_level(text) or "。" in text
                or (len(text) > 30 and re.search(r"[，,；;]", text)))


def split_title_block(lines: list[Line], plain: dict[int, str]) -> tuple[list[Line], list[Line]]:
    """(the lines before the body, the rest). `plain` holds each line's text made simplified."""
    index = filled = 0
    block: list[Line] = []
    while index < len(lines) and filled < MAX_BLOCK:
        line = lines[index]
        if line.text.strip() and (starts_body(plain.get(line.number, line.text)) or line.role):
            break
        block.append(line)
        filled += bool(line.text.strip())
        index += 1
    return block, lines[index:]


def find_title(block: list[Line], plain: dict[int, str]) -> Title | None:
    """The last title in the block (a split title joined), or None; its text made simplified."""
    texts, joined = _join_broken([(line, squeeze(plain.get(line.number, line.text))) for line in block if line.text.strip()])
    found: Title | None = None
    for position, (line, text) in enumerate(texts):
        above = _issuer_lines(texts[:position])
        own = joined.get(line.number, (line.number,))
        if above and (REST_OF_TITLE.match(text) or _party_then_government(above, text)) and SUBJECT.search(text) \
                and not SENTENCE_MARK.search(text):
            issuers = tuple(name for _, names in above for name in names)
            numbers = (*tuple(row.number for row, _ in above), *own)
            found = Title(clean_title(" ".join(issuers) + " " + text), numbers, issuers)
        elif is_title(text):
            found = Title(clean_title(text), own)
    return found


def _party_then_government(above: list[tuple[Line, list[str]]], text: str) -> bool:
    """`中共某镇委员会` over `某镇人民政府关于…的报告`: the party committee on its own line, the
    government's name opening the line below — one title of both issuers (a site's header above a
    government's title is not a party committee)."""
    return above[-1][1][-1].startswith("中共") and ORG_START.match(text) is not None


def _join_broken(texts: list[tuple[Line, str]]) -> tuple[list[tuple[Line, str]], dict[int, tuple[int, ...]]]:
    """A title broken inside a phrase made one line again: `关于2017年度法治政府建设` over `情况的报告`
    (the first names the subject but no kind, the second is only the kind); with the lines joined."""
    out: list[tuple[Line, str]] = []
    joined: dict[int, tuple[int, ...]] = {}
    for line, text in texts:
        if out and (_kind_only_below(out[-1][1], text) or _issuer_over_rest(out[-1][1], text)) and is_title(out[-1][1] + text):
            previous, first = out.pop()
            out.append((previous, first + text))
            joined[previous.number] = (*joined.get(previous.number, (previous.number,)), line.number)
            continue
        out.append((line, text))
    return out, joined


def _kind_only_below(first: str, second: str) -> bool:
    """`关于2017年度法治政府建设` over `情况的报告`: the subject without its kind, then the kind alone."""
    return bool(TITLE_END.match(second) and SUBJECT.search(first) and not KIND.search(first.split("法治")[-1]))


BROKEN_AFTER_GUANYU = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,30}}?{ORG_SUFFIX}关于$")
YEAR_AND_ISSUER = re.compile(rf"^\d{{4}}\s*年度?[\u4e00-\u9fff（）()]{{2,30}}?{ORG_SUFFIX}$")


def _issuer_over_rest(first: str, second: str) -> bool:
    """A title broken after its issuer: `某市人民政府关于` over `2023年度…的报告`, or (a cover page)
    `2023年度某区某镇人民政府` over `法治政府建设情况报告` — the second line alone names no one."""
    if BROKEN_AFTER_GUANYU.match(first):
        return bool(re.match(r"\d{4}\s*年|[一二〇○零]{4}年", second))
    return bool(YEAR_AND_ISSUER.match(first) and SUBJECT.match(second))


def _issuer_lines(texts: list[tuple[Line, str]]) -> list[tuple[Line, list[str]]]:
    """The lines of organisation names right above a point of the block (one or several)."""
    lines: list[tuple[Line, list[str]]] = []
    for line, text in reversed(texts):
        names = org_names(text)
        if not names:
            break
        lines.insert(0, (line, names))
    return lines


def org_names(text: str) -> list[str]:
    """'中共某镇委员会  某镇人民政府' → both names; [] unless the line is only organisation names."""
    parts = squeeze(text).split(" ")
    return parts if parts and all(is_org_line(part) for part in parts) else []


BULLET = re.compile(r"^(?:[•·●◆◇▪■□]+|【\s*\d{4}\s*年度?\s*】)\s*")
"""A list item's bullet before a title a page printed as one (`• 某省人民政府关于…`), or the
column's year tag (`【2023年】某局2023年度…报告`)."""
ORG_END = re.compile(rf"{ORG_SUFFIX}$")
ORG_START = re.compile(rf"^(?:中共)?[\u4e00-\u9fff（）()]{{2,30}}?{ORG_SUFFIX}(?=关于|\d{{4}}\s*年|$)")


def clean_title(text: str) -> str:
    """The title as written, tidied like the body (full-width punctuation, PDF spaces gone), but
    a space between two issuers' names kept: `中共某镇委员会 某镇人民政府关于…`."""
    text = BULLET.sub("", squeeze(text))
    attachment = ATTACHMENT.match(text)
    parts = squeeze(attachment.group(1) if attachment else text).split(" ")
    out = normalize(parts[0])
    for part in parts[1:]:
        between_issuers = ORG_END.search(out) and ORG_START.match(part)
        out += (" " if between_issuers else "") + normalize(part)
    return normalize(out) if " " not in out else out
