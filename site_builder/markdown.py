"""The Markdown dialect and its safety: markdown-it configured for reports (heading anchors, the
落款, table headers), raw HTML that would swallow the page escaped, the result sanitised.
document.py parses each body once with it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from site_builder.names import unique_name

OUTLINE_LEVELS = (2, 3)
MAX_ANCHOR_CHARS = 32

# What survives sanitising: the structure a report needs, nothing that runs or loads.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "th": {"scope", "style", "colspan", "rowspan"},
    "td": {"style", "colspan", "rowspan"}, **{f"h{n}": {"id"} for n in range(1, 7)},
    "img": {"src", "alt", "title"},  # a photo beside the report (bundles): sized and made lazy when published
}


# Elements whose content a browser (and the sanitiser's HTML parser) reads as raw text up to the
# closing tag: left open, each one swallows the rest of the page. <!-- does the same up to -->.
RAW_TEXT_OPENER = re.compile(
    r"<(script|style|title|textarea|xmp|iframe|noembed|noframes|noscript|plaintext)(?=[\s/>])[^>]*>|<!--", re.I)
MAX_ESCAPE_ROUNDS = 50


@dataclass(frozen=True)
class UnclosedRawText:
    line: int
    """0-based line of the body where the element opens."""
    opener: str
    """The opening tag as written, e.g. <style>."""


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


def anchor_base(text: str) -> str:
    """A readable id: letters, digits and CJK kept, everything else folded to single hyphens."""
    text = unicodedata.normalize("NFKC", text).lower()
    kept = "".join(ch if ch.isalnum() else "-" for ch in text)
    kept = re.sub(r"-+", "-", kept).strip("-")
    # Drop hyphens between CJK characters: "一、强化" -> "一强化" reads better than "一-强化".
    kept = re.sub(r"(?<=[^\x00-\x7f])-(?=[^\x00-\x7f])", "", kept)
    return kept[:MAX_ANCHOR_CHARS].strip("-") or "section"


# Ids the page templates use (skip link target, sections of the report page): never a heading's.
TEMPLATE_IDS = frozenset({"main", "top", "content", "toc-h", "figures", "figures-h", "parts", "coverage", "timeliness",
                          "compare", "other-years-h", "latest-h", "entries-h", "counts-h", "search-form", "search-q",
                          "search-status", "search-results", "site-search-q"})


def inline_text(token: Token) -> str:
    """The text of an inline token as a reader sees it: marks dropped, entities decoded (markdown-it
    did that), a line break as a space — or as nothing between two Chinese characters (CSS Text 3's
    segment break rule: 矛盾\n纠纷 reads 矛盾纠纷)."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    text = "".join(parts).strip()
    return BREAK.sub(lambda m: "" if _wide(m.string, m.start() - 1) and _wide(m.string, m.end()) else " ", text)


BREAK = re.compile(r"[ \t]*\n[ \t]*")


def _wide(text: str, index: int) -> bool:
    return 0 <= index < len(text) and unicodedata.east_asian_width(text[index]) in "WF"


def _anchor_rule(state: StateCore) -> None:
    """Give each heading a unique id and record it; runs once per document."""
    used: set[str] = set(TEMPLATE_IDS)
    headings: list[Heading] = []
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        text = inline_text(inline)
        anchor = unique_name(anchor_base(text), used)
        token.attrSet("id", anchor)
        headings.append(Heading(int(token.tag[1]), text, anchor))
    state.env["headings"] = headings


SIGNATURE_LINE = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九十]{4}年[〇零一二三四五六七八九十]{1,3}月[〇零一二三四五六七八九十]{1,3}日"
    r"|[^，。；：！？,;:!?]{2,40}(?:人民政府|委员会|办事处|党委|党工委|管委会|政府|司法所|司法局|办公室|街道|局))$")
MAX_SIGNATURE_PARAGRAPHS = 4


def _signature_rule(state: StateCore) -> None:
    """The 落款 — the issuing bodies and the date closing a 公文 — is set flush right (GB/T 9704):
    the last paragraphs of the body whose every line is an organisation's name or a date."""
    tokens = state.tokens
    end = len(tokens)
    marked = 0
    while marked < MAX_SIGNATURE_PARAGRAPHS and end >= 3 and tokens[end - 1].type == "paragraph_close" \
            and tokens[end - 3].type == "paragraph_open" and tokens[end - 3].level == 0:
        inline = tokens[end - 2]
        lines = "".join("\n" if c.type in ("softbreak", "hardbreak") else c.content
                        for c in inline.children or [] if c.type in ("text", "softbreak", "hardbreak")).split("\n")
        if not all(SIGNATURE_LINE.match(line.strip()) for line in lines if line.strip()) or not inline.content.strip():
            break
        tokens[end - 3].attrSet("class", "signature")
        marked += 1
        end -= 3


def _table_rule(state: StateCore) -> None:
    """Header cells get scope="col" so screen readers announce them with each cell."""
    for token in state.tokens:
        if token.type == "th_open":
            token.attrSet("scope", "col")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    md.core.ruler.push("heading_anchors", _anchor_rule)
    md.core.ruler.push("table_scope", _table_rule)
    md.core.ruler.push("signature", _signature_rule)
    return md


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        filter_style_properties={"text-align"},
        allowed_classes={"p": {"signature"}},  # the 落款 mark of _signature_rule, nothing an editor could misuse
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _closed_after(opener: re.Match[str], text: str) -> bool:
    if opener.group(0) == "<!--":
        return "-->" in text[opener.end():]
    name = opener.group(1).lower()
    return name != "plaintext" and re.search(rf"</{name}\s*>", text[opener.end():], re.I) is not None


def unclosed_raw_text(tokens: list[Token]) -> list[UnclosedRawText]:
    """Raw-text elements (and comments) opened in a block of raw HTML, or a paragraph, and not
    closed within it: those would hide everything after them."""
    found: list[UnclosedRawText] = []
    for token in tokens:
        if token.map is None or token.type not in ("html_block", "inline"):
            continue
        text = token.content
        if token.type == "inline":  # only tags markdown-it took as HTML (not code, not escaped text)
            raw = [c.content for c in token.children or [] if c.type == "html_inline"]
            text = "".join(raw)
            if not raw:
                continue
        for opener in RAW_TEXT_OPENER.finditer(text):
            if not _closed_after(opener, text):
                line = token.map[0] + (text.count("\n", 0, opener.start()) if token.type == "html_block" else 0)
                found.append(UnclosedRawText(line, opener.group(0)))
    return found


def _escape_openers(markdown: str, openers: list[UnclosedRawText]) -> str:
    """Write each unclosed opener's `<` as `&lt;`, so it shows as text and hides nothing."""
    lines = markdown.split("\n")
    for item in openers:
        for number in range(item.line, len(lines)):
            if item.opener in lines[number]:
                lines[number] = lines[number].replace(item.opener, "&lt;" + item.opener[1:], 1)
                break
    return "\n".join(lines)


def parse_safely(markdown: str, env: dict[str, object]) -> tuple[list[Token], list[UnclosedRawText]]:
    """The tokens of a body in which no raw HTML swallows the text after it; and what was escaped."""
    md = parser()
    escaped: list[UnclosedRawText] = []
    for _ in range(MAX_ESCAPE_ROUNDS):
        env.clear()
        tokens = md.parse(markdown, env)
        openers = unclosed_raw_text(tokens)
        if not openers:
            return tokens, escaped
        escaped += openers
        fixed = _escape_openers(markdown, openers)
        if fixed == markdown:
            break
        markdown = fixed
    # Pathological input (thousands of openers): no raw HTML at all rather than a swallowed page.
    env.clear()
    return md.parse(markdown.replace("<", "&lt;"), env), escaped


_HEADING_ID = re.compile(r'(<h[1-6]\b[^>]*?)\s+id="([^"]*)"')


def drop_foreign_ids(html: str, anchors: set[str]) -> str:
    """An id written in raw HTML (<h2 id="main">) could take the page's own targets: dropped."""
    return _HEADING_ID.sub(lambda m: m.group(0) if m.group(2) in anchors else m.group(1), html)


def has_raw_html(tokens: list[Token]) -> bool:
    for token in tokens:
        if token.type == "html_block":
            return True
        if token.children and any(child.type == "html_inline" for child in token.children):
            return True
    return False
