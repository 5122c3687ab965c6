"""What mirror and aggregator sites do to a report they copy, undone before anything is read:
pinyin readings inserted after characters (`內(nèi)蒙古`, `建設(shè)`), every line break of the
report collapsed into a space (the whole report on one line), and the site's watermark inside
the text (`本文档由某某网整理`, `（本文来源于某某文库 www.….cn）`, `第1页 共2页`). Each removal is
returned, so the import summary lists it; the report's own words are never dropped."""

from __future__ import annotations

import re

from site_builder.importer.lines import Line
from site_builder.importer.repair import Removed
from site_builder.importer.titles import is_title
from site_builder.names import to_simplified

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
READING = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-z{TONED}]*[{TONED}])[a-z{TONED}]{{1,7}}\)")
"""A reading in brackets right after a character, with a tone mark (so `公里(km)` is kept)."""
SITE = r"(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org)(?:/\S*)?"
WATERMARKS = re.compile(
    rf"[（(]\s*(?:本文)?(?:来源|来自|转载自)于?[\u4e00-\u9fff]{{1,12}}?(?:网|文库|文档)\s*(?:{SITE})?\s*[）)]"
    rf"|本文档?由[\u4e00-\u9fff]{{1,12}}?(?:网|文库)\s*(?:{SITE})?\s*(?:收集)?整理[，,]?(?:仅供参考|欢迎下载)?"
    rf"|更多(?:精品|精彩|优秀)?(?:范文|文章|资料)请(?:访问|关注|登录)\s*(?:{SITE}|[\u4e00-\u9fff]{{1,12}}?网)"
    rf"|[\u4e00-\u9fff]{{2,8}}?(?:之家|网|文库|文档)\s*[—\-－|｜]{{1,2}}\s*[\u4e00-\u9fff]{{2,16}}?\s*(?:https?://)?www\.[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org)"
    rf"|第\s*\d{{1,3}}\s*页\s*[，,]?\s*共\s*\d{{1,3}}\s*页"
    rf"|(?:word|WORD|Word)?文档(?:可编辑|下载后可编辑)|精品文档|可编辑版")
UNFOLD_MIN = 150
"""A line this long with several spaces between Chinese text, far apart, is a whole report with
its line breaks collapsed (a mirror's copy); text spaced out by PDF extraction has them every
few characters, and shorter lines keep their spaces."""
MIN_SEGMENT = 8
COLLAPSED = re.compile(r"(?:(?<=[。：；！？])|(?<=报告)|(?<=情况)|(?<=总结)|(?<=政府)|(?<=办事处)|(?<=委员会)|(?<=局)|(?<=\d-\d\d)|(?<=\d:\d\d))\s+"
                       r"|\s+(?=[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|\d{4}年\d{1,2}月\d{1,2}日\s*$)")
"""Where a collapsed line break was: after a sentence, a title or an organisation's name, before a
numbered heading or the closing date (a space inside a sentence, before a quotation, stays)."""


TAG_LEFT = re.compile(r"(?<=[\u4e00-\u9fff])(?:<br\s*/?>|br|&?nbsp;?)(?=[\u4e00-\u9fff])")
"""An HTML line break a mirror printed as text between two characters (`某省人民政府br关于…`)."""


def strip_readings(text: str) -> str:
    """`內(nèi)蒙古` → `內蒙古`; `人民政府br关于` → `人民政府关于`."""
    return TAG_LEFT.sub("", READING.sub("", text))


def strip_watermarks(line: Line) -> tuple[str, list[Removed]]:
    """The line without a copying site's watermark (found on its simplified text: 來源於 as 来源于)."""
    plain = to_simplified(line.text)
    if len(plain) != len(line.text):
        plain = line.text
    spans = [m.span() for m in WATERMARKS.finditer(plain) if m.group().strip()]
    if not spans:
        return line.text, []
    found = [Removed(line.number, "watermark", line.text[start:end]) for start, end in spans]
    kept, position = [], 0
    for start, end in spans:
        kept.append(line.text[position:start])
        position = end
    kept.append(line.text[position:])
    return "".join(kept).rstrip(), found


GLUED_TITLE = re.compile(r"^(?P<title>[^，。；：]{6,80}?(?:报告|情况|总结))(?=\s*\d{4}\s*年\s*[，,])")
"""A title run into the first sentence with no break at all (`…情况报告2025 年，全县…`)."""


def _glued(line: Line) -> list[Line]:
    match = GLUED_TITLE.match(line.text) if not line.role and len(line.text) >= UNFOLD_MIN else None
    if match is None or not is_title(to_simplified(match.group("title"))):
        return [line]
    return [Line(match.group("title"), line.number, line.heading), Line(line.text[match.end():].strip(), line.number)]


def unfold(lines: list[Line]) -> list[Line]:
    """Lines whose breaks a mirror collapsed into spaces, split again. Every line needs its own
    number, so when a line is split the lines are numbered as split (the summary's line numbers
    then count the restored lines)."""
    out: list[Line] = []
    pieces = [part for whole in lines for part in _glued(whole)]
    split = len(pieces) != len(lines)
    for line in pieces:
        breaks = 0 if line.role or len(line.text) < UNFOLD_MIN else len(COLLAPSED.findall(line.text))
        if breaks < 3 or len(line.text) / (breaks + 1) < MIN_SEGMENT:
            out.append(line)
            continue
        out += [Line(part, line.number, line.heading) for part in COLLAPSED.split(line.text) if part.strip()]
        split = True
    return [Line(line.text, number, line.heading, line.role) for number, line in enumerate(out, 1)] if split else out


def undo_copying(lines: list[Line]) -> tuple[list[Line], list[Removed]]:
    """The document's lines as the report wrote them, and what the copying site had added."""
    removed: list[Removed] = []
    cleaned: list[Line] = []
    for line in unfold(lines):
        text = strip_readings(line.text)
        if text != line.text:
            removed.append(Removed(line.number, "reading", "pinyin readings after characters"))
        line = Line(text, line.number, line.heading, line.role)
        text, marks = strip_watermarks(line)
        removed += marks
        if marks and not text.strip():
            continue
        cleaned.append(Line(text, line.number, line.heading, line.role))
    return cleaned, removed
