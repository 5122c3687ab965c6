"""The checks of `site-builder check` (run by build.check_project): everything that must be right before a site is published, in one run:
front-matter, duplicates, encodings, personal data, import leftovers, resources loaded from
outside the site, and broken internal links and anchors. The outputs add their own checks of
each report (the statistics: missing required parts; see outputs.Output.check)."""

from __future__ import annotations

import re
from pathlib import Path

from site_builder.config import Config
from site_builder.diagnostics import Diagnostic, Severity, display_path, error, warning
from site_builder.document import Document
from site_builder.linkcheck import check_site
from site_builder.reader import ReportFile
from site_builder.text.furniture import is_boilerplate
from site_builder.text.hints import hint_in
from site_builder.text.personal import find_personal_data, mask
from site_builder.theme import Theme

KIND_NAMES = {"mobile": "a mobile number", "landline": "a landline number", "id-number": "an ID card number",
              "bank-card": "a bank card number", "contact-name": "a contact person's name"}
# Things that make a browser fetch from elsewhere (plain hyperlinks to other sites are fine).
EXTERNAL_IN_HTML = re.compile(r"""<(?:img|script|iframe|embed|source|video|audio|object)\b[^>]*?\b(?:src|data)\s*=\s*["']?(?:https?:)?//|"""
                              r"""<link\b[^>]*?\bhref\s*=\s*["']?(?:https?:)?//""", re.I)
EXTERNAL_IN_CSS = re.compile(r"""url\(\s*["']?(?:https?:)?//|@import\s+["'](?:https?:)?//""", re.I)
EXTERNAL_IN_JS = re.compile(r"""\b(?:fetch|importScripts)\(\s*["'`](?:https?:)?//|\bimport\b[^;\n]*?["'](?:https?:)?//|\.src\s*=\s*["'`](?:https?:)?//""")
LEFTOVER = re.compile(r"\[bookmark:|\[image[^\]]*\]|您(?:当前)?所在的?位置|^\s*【?(?:字号|打印|关闭)")


def check_report(source: ReportFile, document: Document) -> list[Diagnostic]:
    """What must be right in one report before it is published, from its file's lines and its
    parsed document (the build's own: nothing is parsed here)."""
    try:
        lines = source.path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return []  # read and validated moments ago; a file changing now is caught by the build
    shown = source.rel_path
    problems = _personal_data(shown, lines)
    problems += _leftovers(shown, lines, source.body_line, source.meta.title)
    problems += _external_in_content(shown, lines)
    problems += _document_problems(shown, document, source.body_line)
    problems += _index_number(shown, lines, source.meta.index_no)
    problems += _import_hints(shown, lines[: source.body_line])
    return problems


def _import_hints(shown: str, front: list[str]) -> list[Diagnostic]:
    """Values `site-builder import` read from weak evidence, marked 〔请核对：…〕 until an editor checks them."""
    return [warning(shown, number, "import-hint", f"{line.split(':', 1)[0]} 是导入时推断的值，尚未核对：{hint_in(line)}",
                    "核对原文后，删除这一行末尾的〔请核对…〕注释")
            for number, line in enumerate(front, 1) if "〔请核对" in hint_in(line)]


def _personal_data(shown: str, lines: list[str]) -> list[Diagnostic]:
    found = []
    for number, line in enumerate(lines, 1):
        for finding in find_personal_data(line):
            found.append(error(shown, number, "personal-data", f"{KIND_NAMES[finding.kind]} ({mask(finding.text)}) must not be published",
                               "delete it or replace it with 〔已隐去〕 (`site-builder import` does this for new files)"))
    return found


def _leftovers(shown: str, lines: list[str], body_line: int, title: str) -> list[Diagnostic]:
    found = []
    for number, line in enumerate(lines[body_line - 1:], body_line):
        text = line.strip()
        if not text:
            continue
        if LEFTOVER.search(text) or is_boilerplate(text):
            found.append(warning(shown, number, "leftover", f"looks like web page or Word residue: {text[:40]}",
                                 "delete the line (or the artifact) if it is not part of the report"))
        elif text.lstrip("# ").strip() == title:
            found.append(warning(shown, number, "leftover", "the title is repeated in the text",
                                 "delete it: the page shows the title from the front-matter"))
    return found


EXTERNAL_HINT = "copy the file into the site (e.g. theme/assets/) and link to it there, or link to it instead of embedding it"


def _external_in_content(shown: str, lines: list[str]) -> list[Diagnostic]:
    return [error(shown, number, "external-resource", "the page would load a file from another site", EXTERNAL_HINT)
            for number, line in enumerate(lines, 1) if EXTERNAL_IN_HTML.search(line)]


INDEX_NO = re.compile(r"^[0-9A-Z]{9}(?:[0-9A-Z]{9})?/\d{4}-\d{5,6}$")
"""索引号 as most portals write it: the unit's code (9 or 18 characters), the year and a serial number."""


def _index_number(shown: str, lines: list[str], index_no: str) -> list[Diagnostic]:
    if not index_no or INDEX_NO.match(index_no):
        return []
    line = next((n for n, text in enumerate(lines, 1) if text.startswith("index_no:")), 0)
    return [warning(shown, line, "index_no", f"索引号 {index_no} is not in the usual form (unit code/year-serial number)",
                    "copy it again from the publishing portal, e.g. 11500223MB1234567X/2024-00012; leave it empty if unknown")]


def _document_problems(shown: str, document: Document, body_line: int) -> list[Diagnostic]:
    """What only the parsed Markdown shows: images from other sites (any spelling, reference-style
    too) and raw HTML left open, which the page shows as text."""
    found = [warning(shown, body_line + item.line, "raw-html", f"{item.opener} is never closed, so it would hide the rest "
                     "of the page; it is shown as text", "delete it, or close it; to show a < write &lt;")
             for item in document.unclosed_html]
    found += [error(shown, body_line + line, "external-resource",
                    f"the page would load a file from another site (the image {source})", EXTERNAL_HINT)
              for line, source in document.external_images]
    return found


def check_theme(config: Config) -> list[Diagnostic]:
    theme = Theme.load(config.custom_path)
    files = theme.template_files() + list(theme.assets().values())
    found = []
    for path in files:
        if path.suffix not in (".html", ".xml", ".css", ".js", ".txt", ".svg"):
            continue
        pattern = {".css": EXTERNAL_IN_CSS, ".js": EXTERNAL_IN_JS}.get(path.suffix, EXTERNAL_IN_HTML)
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if pattern.search(line) or (path.suffix in (".html", ".svg") and EXTERNAL_IN_CSS.search(line)):
                found.append(error(display_path(path, config.root), number, "external-resource",
                                   "the theme loads a file from another site (no internet on an intranet; a privacy leak elsewhere)",
                                   "put the file in the theme's assets/ and use {{ asset('name') }}"))
    return found


def broken_links(folder: Path, base_url: str) -> list[Diagnostic]:
    """Every internal link and anchor of a built (or staged) site that leads nowhere."""
    broken, _ = check_site(folder, base_url)
    return [error(f"(built page) {b.page}", 0, "broken-link", f"{b.link} — {b.reason}",
                  "fix the link in the report's Markdown, or the template that writes it") for b in broken]


CONTENT_WARNINGS = frozenset({"required-part", "leftover", "index_no", "raw-html", "import-hint"})
"""Warnings about a report's own text: shown by `build --strict`, which does not refuse them."""


def exit_code(problems: list[Diagnostic]) -> int:
    """0 clean, 1 warnings only, 2 errors."""
    if any(p.severity is Severity.ERROR for p in problems):
        return 2
    return 1 if problems else 0
