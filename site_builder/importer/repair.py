"""Text repair: what PDF extraction, web pages and Word leave behind, fixed without ever dropping
or reordering body text. Everything removed is returned, so it can be listed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.importer.lines import Line, squeeze

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CN_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】…—「」『』〔〕"
CJK_OR_PUNCT = f"[{CJK}{CN_PUNCT}]"
TERMINAL = re.compile(r"[。！？；：…!?;][”’」』）)\]]*$")
NUMERALS = "一二三四五六七八九十百零〇"


@dataclass(frozen=True)
class Removed:
    """Text taken out of the body on purpose, listed in the import summary."""

    line: int
    kind: str
    """title, page-metadata, boilerplate, artifact, distribution, personal-data, repeated-title."""
    text: str


WORD_ARTIFACTS = re.compile(r"\[bookmark: ?[^\]]*\]|\[(?:图片|image)[^\]]*\]|\{\s*PAGE\s*\}|\u200b|\ufeff")
BOILERPLATE = re.compile(
    r"^(?:[•·|｜\s]|字号|[大中小](?=\s|$|[】\]])|打印(?:本页|此页)?|关闭(?:窗口|本页)?|分享到?|收藏|"
    r"【|】|\[|\]|[:：]|默认|背景色|返回顶部|扫一扫.*|在手机上打开|微信|微博|QQ空间|纠错)+$")
LOCATION = re.compile(r"^\s*(?:您(?:当前)?所在的?位置|当前位置)\s*[:：]")
PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*$|^\s*第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?\s*$")


SITE_HEADER = re.compile(r"^(?P<site>[\u4e00-\u9fff]{2,30}?(?:人民政府|政府|门户网站|网站))\s*\d{4}年\d{1,2}月\d{1,2}日\s*星期[一二三四五六日天]"
                         r"(?:\s*(?:无障碍|简体|繁体|[|｜]|长者模式|关怀版|English))*\s*$")
"""A site's header: its name and today's date (not the report's), as it prints them on every page."""
TODAY = re.compile(r"^今天是\s*[:：]?\s*\d{4}年\d{1,2}月\d{1,2}日")
SITE_TOOLS = re.compile(r"^(?:\s*(?:无障碍|简体|繁体|简|繁|[|｜/]|长者模式|关怀版|English|登录|注册|网站地图|智能问答|设为首页|加入收藏|首页))+\s*$")
AGGREGATOR = re.compile(r"小编|供大家参考|网友投稿|公文范文|仅展示\s*\d+\s*字|全文共\s*\d+\s*字|开头部分已省略|我要投稿|版权声明|》是\d{4}年.{2,40}发布的")
"""Lines that document-sharing sites add around a report they copied (and their description of it)."""


def page_furniture(text: str) -> tuple[str, str]:
    """(kind, the site's name if it is a site header) of a line a web page adds around the
    report — ('', '') for any other line."""
    stripped = text.strip()
    header = SITE_HEADER.match(stripped)
    if header:
        return "site-header", header.group("site")
    if TODAY.match(stripped) or (stripped and SITE_TOOLS.match(stripped)):
        return "boilerplate", ""
    if len(stripped) <= 120 and AGGREGATOR.search(stripped):
        return "aggregator", ""
    return "", ""


def strip_artifacts(line: Line) -> tuple[str, list[Removed]]:
    found = [Removed(line.number, "artifact", m.group()) for m in WORD_ARTIFACTS.finditer(line.text) if m.group().strip()]
    return WORD_ARTIFACTS.sub("", line.text), found


def is_boilerplate(text: str) -> bool:
    """Page furniture: font-size switches, print/close/share links, location bars, page numbers."""
    stripped = text.strip()
    if not stripped or len(stripped) > 40:
        return False
    return bool(BOILERPLATE.match(stripped) or LOCATION.match(stripped) or PAGE_NUMBER.match(stripped))


def normalize(text: str) -> str:
    """Chinese-context punctuation to full width; the spaces PDF extraction puts around numbers and
    between CJK characters removed. Numbers, dates, URLs and Latin text are left alone."""
    text = squeeze(text)
    text = re.sub(rf"(?<={CJK_OR_PUNCT}),|,(?={CJK_OR_PUNCT})", "，", text)
    text = re.sub(rf"(?<={CJK_OR_PUNCT});|;(?={CJK_OR_PUNCT})", "；", text)
    text = re.sub(rf"(?<={CJK_OR_PUNCT}):(?!//)|:(?={CJK_OR_PUNCT})", "：", text)
    text = re.sub(rf"(?<={CJK_OR_PUNCT})\?|(?<={CJK_OR_PUNCT})!", lambda m: "？" if m.group() == "?" else "！", text)
    # Brackets: (一) numbering, and brackets holding Chinese text.
    text = re.sub(rf"\(\s*([{NUMERALS}]+)\s*[)）]\s*|（\s*([{NUMERALS}]+)\s*\)\s*", lambda m: f"（{m.group(1) or m.group(2)}）", text)
    text = re.sub(rf"\(([^()]*{CJK_OR_PUNCT}[^()]*)\)", r"（\1）", text)
    # Spaces: between CJK (or Chinese punctuation) and digits, and between CJK characters.
    text = re.sub(rf"(?<={CJK_OR_PUNCT}) (?=[\d{CJK}{CN_PUNCT}])", "", text)
    text = re.sub(rf"(?<=[\d%]) (?={CJK_OR_PUNCT})", "", text)
    return text


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL.search(text.rstrip()))
