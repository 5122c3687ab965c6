"""Stage 2: a report body parsed once (markdown-it) into the document every later stage reads:
the page's HTML, the headings with their anchors, the paragraphs as plain text under the anchor
of their section, and what `check` reports. Pages, stats, both search indexes and `check` read
this; nothing else parses Markdown, so an anchor means the same heading everywhere."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import cast

from markdown_it.token import Token

from site_builder.markdown import (
    OUTLINE_LEVELS,
    Heading,
    UnclosedRawText,
    drop_foreign_ids,
    has_raw_html,
    inline_text,
    parse_safely,
    parser,
    sanitize,
)

EXCERPT_CHARS = 120
EXTERNAL_URL = re.compile(r"\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Paragraph:
    text: str
    """What a reader sees: inline marks removed, entities decoded, a soft line break as a space."""
    section: str
    """Anchor of the heading it sits under ('' before the first heading)."""
    line: int
    """0-based line of the body where it starts."""


@dataclass(frozen=True)
class Document:
    """One report body, parsed once."""

    html: str
    """Sanitised HTML of the body, headings carrying their anchors as ids."""
    headings: tuple[Heading, ...]
    """Every heading in document order (also in block quotes), with its unique anchor."""
    paragraphs: tuple[Paragraph, ...]
    """Every block of text that is not a heading — paragraphs, list items, table cells, code,
    the text of raw HTML — in document order."""
    excerpt: str
    """The opening of the body as plain text, for page descriptions and lists."""
    unclosed_html: tuple[UnclosedRawText, ...] = ()
    """Raw HTML left open, shown as text instead of hiding the rest of the page (for `check`)."""
    external_images: tuple[tuple[int, str], ...] = ()
    """(0-based line, address) of each image the page would load from another site (for `check`)."""
    local_images: tuple[tuple[int, str], ...] = ()
    """(0-based line, address) of each image shown by a relative address: a file beside the report."""

    @property
    def outline(self) -> tuple[Heading, ...]:
        return tuple(h for h in self.headings if h.level in OUTLINE_LEVELS)

    def section_texts(self) -> dict[str, list[str]]:
        """Paragraph texts grouped by the anchor of their section ('' for the opening)."""
        texts: dict[str, list[str]] = {}
        for paragraph in self.paragraphs:
            texts.setdefault(paragraph.section, []).append(paragraph.text)
        return texts


def parse_document(markdown: str) -> Document:
    md = parser()
    env: dict[str, object] = {}
    tokens, unclosed = parse_safely(markdown, env)
    html = md.renderer.render(tokens, md.options, env)
    headings = tuple(cast("list[Heading]", env.get("headings", [])))
    if has_raw_html(tokens):
        # Only raw HTML can carry markup markdown-it did not write itself: text is escaped and
        # javascript:/vbscript:/file:/data: links are refused by its validateLink.
        html = drop_foreign_ids(sanitize(html), {h.anchor for h in headings})
    paragraphs = tuple(_paragraphs(tokens, headings))
    return Document(html, headings, paragraphs, _excerpt(tokens), tuple(unclosed), tuple(_external_images(tokens)),
                    tuple(_images(tokens, local=True)))


def _paragraphs(tokens: list[Token], headings: tuple[Heading, ...]) -> list[Paragraph]:
    found: list[Paragraph] = []
    section, heading_index = "", 0
    for index, token in enumerate(tokens):
        line = token.map[0] if token.map else 0
        if token.type == "heading_open":
            section = headings[heading_index].anchor
            heading_index += 1
            continue
        if token.type == "inline" and tokens[index - 1].type != "heading_open":
            text = inline_text(token)
        elif token.type in ("fence", "code_block"):
            text = token.content.strip()
        elif token.type == "html_block":
            text = " ".join(html_lib.unescape(_TAG.sub(" ", sanitize(token.content))).split())
        else:
            continue
        if text:
            found.append(Paragraph(text, section, line))
    return found


def _external_images(tokens: list[Token]) -> list[tuple[int, str]]:
    return _images(tokens, local=False)


def _images(tokens: list[Token], local: bool) -> list[tuple[int, str]]:
    """Images from another site, or (local) those a relative address shows (a file beside the report):
    a Markdown image's, or an <img> of raw HTML's (kept by the sanitiser, so published the same way)."""
    found = []
    for line, source in _image_sources(tokens):
        if (not local and EXTERNAL_URL.match(source)) or \
                (local and not EXTERNAL_URL.match(source) and not source.startswith(("/", "#")) and not SCHEME.match(source)):
            found.append((line, source))
    return found


RAW_IMG = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
SCHEME = re.compile(r"\s*[a-z][a-z0-9+.-]*:", re.I)
"""javascript:, data: and the like: the sanitiser drops such an address, nothing is loaded."""


def _image_sources(tokens: list[Token]) -> list[tuple[int, str]]:
    """(0-based line, address) of every image: Markdown's, and <img> in raw HTML (a block, or a tag
    inside a paragraph), its address as the browser reads it (entities decoded)."""
    found: list[tuple[int, str]] = []
    for token in tokens:
        if token.map is None:
            continue
        if token.type == "html_block":
            found += [(token.map[0] + token.content.count("\n", 0, m.start()), _address(m)) for m in RAW_IMG.finditer(token.content)]
        line = token.map[0]
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "image" and child.attrGet("src"):
                found.append((line, str(child.attrGet("src"))))
            elif child.type == "html_inline":
                found += [(line, _address(m)) for m in RAW_IMG.finditer(child.content)]
    return [(line, source) for line, source in found if source]


def _address(match: re.Match[str]) -> str:
    return html_lib.unescape(next(group for group in match.groups() if group is not None)).strip()


def _excerpt(tokens: list[Token], length: int = EXCERPT_CHARS) -> str:
    """The first paragraph long enough to say something (a salutation like 区委、区政府： is not)."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == 0 or tokens[index - 1].type != "paragraph_open" or not token.children:
            continue
        text = "".join(c.content for c in token.children if c.type in ("text", "code_inline")).strip()
        if len(text) > 20:
            return text[:length] + ("…" if len(text) > length else "")
    return ""
