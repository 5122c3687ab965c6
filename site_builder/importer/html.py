"""Saved government web pages: keep the article, drop navigation and page furniture, keep the
page's metadata (索引号, 发布机构, 发布日期 …) as lines the metadata stage reads."""

from __future__ import annotations

import re
from collections import Counter

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from site_builder.importer.copies import strip_readings
from site_builder.importer.labels import read_labels
from site_builder.importer.lines import Line
from site_builder.importer.repair import page_furniture
from site_builder.importer.titles import is_title
from site_builder.names import to_simplified

DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button", "select", "template")
BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article", "td", "th",
              "blockquote", "pre", "dd", "dt", "table", "ul", "ol")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _cjk_count(node: Tag) -> int:
    return len(CJK.findall(node.get_text()))


def _article(body: Tag) -> Tag:
    """The element holding most of the page's Chinese text, descending while one child holds
    nearly all of it (a simple readability rule: menus and footers hold little text)."""
    node = body
    while True:
        children = [c for c in node.children if isinstance(c, Tag)]
        if not children:
            return node
        best = max(children, key=_cjk_count)
        if _cjk_count(best) < 0.75 * _cjk_count(node):
            return node
        node = best


def _just_before(article: Tag) -> str:
    """The text of the element right before the article (a title paragraph the readability rule
    left out when the whole report is one paragraph after it)."""
    previous = article.find_previous_sibling()
    return " ".join(previous.get_text(" ", strip=True).split()) if isinstance(previous, Tag) else ""


def _lines(node: Tag) -> list[tuple[str, int]]:
    """Text of block elements as lines, with a heading level for h1–h6."""
    out: list[tuple[str, int]] = []
    buffer: list[str] = []

    def flush(level: int = 0) -> None:
        text = "".join(buffer)
        buffer.clear()
        for part in text.split("\n"):
            out.append((part, level if part.strip() else 0))

    def walk(element: Tag) -> None:
        for child in element.children:
            if isinstance(child, NavigableString):
                buffer.append(str(child).replace("\n", " "))
            elif isinstance(child, Tag):
                if child.name == "br":
                    buffer.append("\n")
                    continue
                block = child.name in BLOCK_TAGS
                if block:
                    flush()
                if child.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    buffer.append(child.get_text(" "))
                    flush(int(child.name[1]))
                    continue
                if child.name == "td" or child.name == "th":
                    buffer.append(child.get_text(" ") + " ")
                    continue
                walk(child)
                if block:
                    flush()

    walk(node)
    flush()
    return out


MAX_DEPTH = 200
"""Real pages nest a few dozen elements deep; thousands (a hostile or broken page) would make the
parser recurse without end and the article search slow, so such pages are flattened first."""
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"})
KEPT_WHEN_FLAT = frozenset({"html", "head", "body", "title", "meta", "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                            "script", "style", "nav", "header", "footer"})


def _depth(text: str) -> int:
    depth = deepest = 0
    for closing, name, self_closing in TAG.findall(text):
        if name.lower() in VOID or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _flattened(text: str) -> str:
    """The page without its wrapper elements when they nest past MAX_DEPTH (each becomes a line break)."""
    if _depth(text) <= MAX_DEPTH:
        return text

    def flat(match: re.Match[str]) -> str:
        name = match.group(2).lower()
        if name in KEPT_WHEN_FLAT:
            return match.group(0)
        return "<br>" if name in BLOCK_TAGS else ""

    return TAG.sub(flat, text)


def read_html(text: str) -> tuple[list[Line], dict[str, tuple[str, int]]]:
    soup = BeautifulSoup(_flattened(text), "html.parser")
    meta: dict[str, tuple[str, int]] = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("name") or "").strip()
        if name in ("ArticleTitle", "PubDate", "ContentSource") and tag.get("content"):
            meta[name] = (str(tag["content"]).strip(), 0)
    if soup.title and soup.title.string and soup.title.string.strip():  # the page's <title>, without the site's name after it
        meta.setdefault("title", (re.split(r"\s*[_|｜]\s*|\s+-\s+|-(?=[^-]*$)", soup.title.string.strip())[0], 0))
    for tag in soup(DROP_TAGS):
        tag.decompose()
    body = soup.body or soup
    # The page's labels (索引号, 发布机构 …) and the site's header often sit outside the article's
    # text block: their lines are kept, before the article's.
    everything = _lines(body)
    _, used = read_labels([(to_simplified(t), n) for n, (t, _) in enumerate(everything)])
    article = _article(body)
    article_lines = _lines(article)
    outside = Counter(t for t, _ in everything) - Counter(t for t, _ in article_lines)
    header_lines: list[tuple[str, int]] = []
    lead = _just_before(article)
    for number, (text, level) in enumerate(everything):
        # the page's title above its text block: a heading, or the paragraph right before a one-paragraph article
        heading = (level > 0 or " ".join(text.split()) == lead) and is_title(strip_readings(to_simplified(text)))
        if (number in used or heading or page_furniture(to_simplified(text))[0] == "site-header") and outside[text] > 0:
            header_lines.append((text, level))
            outside[text] -= 1
    lines = header_lines + article_lines
    return [Line(t, n, level) for n, (t, level) in enumerate(lines, 1)], meta
