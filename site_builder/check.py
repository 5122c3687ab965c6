"""The checks of `site-builder check` (run by build.check_project): everything that must be right before a site is published, in one run:
front-matter, duplicates, encodings, import leftovers (personal data and Word residue are found
where every build reads a report: see privacy), resources loaded from outside the site, and broken
internal links and anchors. The outputs add their own checks of each report (the statistics:
missing required parts; see outputs.Output.check)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from site_builder import divisions
from site_builder.config import Config
from site_builder.diagnostics import Diagnostic, Severity, display_path, error, warning
from site_builder.document import Document
from site_builder.fixes import fix_lines
from site_builder.i18n import t
from site_builder.linkcheck import check_site
from site_builder.reader import ReportFile
from site_builder.text.hints import hint_in
from site_builder.text.residue import is_leftover
from site_builder.theme import Theme

# Things that make a browser fetch from elsewhere (plain hyperlinks to other sites are fine).
EXTERNAL_IN_HTML = re.compile(r"""<(?:img|script|iframe|embed|source|video|audio|object)\b[^>]*?\b(?:src|data)\s*=\s*["']?(?:https?:)?//|"""
                              r"""<link\b[^>]*?\bhref\s*=\s*["']?(?:https?:)?//""", re.I)
EXTERNAL_IN_CSS = re.compile(r"""url\(\s*["']?(?:https?:)?//|@import\s+["'](?:https?:)?//""", re.I)
EXTERNAL_IN_JS = re.compile(r"""\b(?:fetch|importScripts)\(\s*["'`](?:https?:)?//|\bimport\b[^;\n]*?["'](?:https?:)?//|\.src\s*=\s*["'`](?:https?:)?//""")


def check_report(source: ReportFile, document: Document) -> list[Diagnostic]:
    """What must be right in one report before it is published, from its file's lines and its
    parsed document (the build's own: nothing is parsed here)."""
    try:
        lines = source.path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return []  # read and validated moments ago; a file changing now is caught by the build
    shown = source.rel_path
    problems = certain_fixes(shown, lines)
    fixed_lines = {p.line for p in problems if p.field == "fix"}
    problems += [p for p in _leftovers(shown, lines, source.body_line, source.meta.title) if p.line not in fixed_lines]
    problems += _external_in_content(shown, lines)
    problems += _document_problems(shown, document, source.body_line)
    problems += _index_number(shown, lines, source.meta.index_no)
    problems += _import_hints(shown, lines[: source.body_line])
    problems += _town_name(shown, lines[: source.body_line], source.meta.province, source.meta.county, source.meta.town)
    return problems


def _town_name(shown: str, front: list[str], province: str, county: str, town: str) -> list[Diagnostic]:
    """A town the national division list does not hold in its county, when the list has a town the
    name most likely means (福集 → 福集镇): a new or renamed town may be missing from the list, so a warning."""
    usual = divisions.town_suggestion(province, county, town)
    if not usual:
        return []
    line = next((n for n, text in enumerate(front, 1) if text.startswith("town:")), 0)
    quote = front[line - 1] if line else ""
    return [warning(shown, line, "town", t("{county} has no {town}; did you mean {usual}?", county=county, town=town, usual=usual),
                    t("Write town: {usual} if that is the town; the names follow {source}.", usual=usual, source=divisions.SOURCE),
                    quote=quote, fixed=quote.replace(town, usual, 1) if quote else "")]


def _import_hints(shown: str, front: list[str]) -> list[Diagnostic]:
    """Values `site-builder import` read from weak evidence, marked 〔请核对：…〕 until an editor checks them."""
    return [warning(shown, number, "import-hint", t("{field} is a value the importer inferred and nobody has checked yet: {hint}", field=line.split(":", 1)[0],
                      hint=hint_in(line)),
                    t("Check it against the original, then delete the 〔请核对…〕 note at the end of this line."))
            for number, line in enumerate(front, 1) if "〔请核对" in hint_in(line)]


def certain_fixes(shown: str, lines: list[str]) -> list[Diagnostic]:
    """Slips with a certain correction in a file that builds all the same (Word bullets and
    residue, invisible characters, …): warnings that `check --fix` clears."""
    _, findings = fix_lines(lines)
    return [warning(shown, f.line, "fix", f.message, t("`site-builder check --fix` writes this correction."),
                    column=f.column, quote=f.quote, fixed=f.fixed) for f in findings]


def _leftovers(shown: str, lines: list[str], body_line: int, title: str) -> list[Diagnostic]:
    found = []
    for number, line in enumerate(lines[body_line - 1:], body_line):
        text = line.strip()
        if not text:
            continue
        if is_leftover(text):
            found.append(warning(shown, number, "leftover", t("This looks like web page or Word residue."),
                                 t("Delete the line (or the artifact) if it is not part of the report."), quote=line))
        elif text.lstrip("# ").strip() == title:
            found.append(warning(shown, number, "leftover", t("The title is repeated in the text."),
                                 t("Delete it: the page shows the title from the front-matter."), quote=line))
    return found




def _external_in_content(shown: str, lines: list[str]) -> list[Diagnostic]:
    return [error(shown, number, "external-resource", t("The page would load a file from another site."), _external_hint(),
                  quote=line) for number, line in enumerate(lines, 1) if EXTERNAL_IN_HTML.search(line)]


def _external_hint() -> str:
    return t("Put the file beside the report (.md) and show it by a relative address, e.g. ![会议现场](photos/meeting.jpg); "
             "or link to it instead of embedding it.")


INDEX_NO = re.compile(r"^[0-9A-Z]{9}(?:[0-9A-Z]{9})?/\d{4}-\d{5,6}$")
"""索引号 as most portals write it: the unit's code (9 or 18 characters), the year and a serial number."""


def _index_number(shown: str, lines: list[str], index_no: str) -> list[Diagnostic]:
    if not index_no or INDEX_NO.match(index_no):
        return []
    line = next((n for n, text in enumerate(lines, 1) if text.startswith("index_no:")), 0)
    return [warning(shown, line, "index_no", t("索引号 {index_no} is not in the usual form (unit code/year-serial number).", index_no=index_no),
                    t("Copy it again from the publishing portal, e.g. 11500223MB1234567X/2024-00012; leave it empty if unknown."),
                    quote=lines[line - 1] if line else "")]


def _document_problems(shown: str, document: Document, body_line: int) -> list[Diagnostic]:
    """What only the parsed Markdown shows: images from other sites (any spelling, reference-style
    too) and raw HTML left open, which the page shows as text."""
    found = [warning(shown, body_line + item.line, "raw-html",
                     t("{opener} is never closed, so it would hide the rest of the page; it is shown as text.", opener=item.opener),
                     t("Delete it, or close it; to show a < write &lt;."))
             for item in document.unclosed_html]
    return found  # images from another site are refused by every build (bundles.outside_images)


def check_theme(config: Config) -> list[Diagnostic]:
    theme = Theme.load(config.custom_path, config.root)
    files = theme.template_files() + list(theme.assets().values())
    found = []
    for path in files:
        if path.suffix not in (".html", ".xml", ".css", ".js", ".txt", ".svg"):
            continue
        pattern = {".css": EXTERNAL_IN_CSS, ".js": EXTERNAL_IN_JS}.get(path.suffix, EXTERNAL_IN_HTML)
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if pattern.search(line) or (path.suffix in (".html", ".svg") and EXTERNAL_IN_CSS.search(line)):
                found.append(error(display_path(path, config.root), number, "external-resource",
                                   t("The theme loads a file from another site (no internet on an intranet; a privacy leak elsewhere)."),
                                   t("Put the file in the theme's assets/ and use {example}.", example="{{ asset('name') }}")))
    return found


def broken_links(folder: Path, base_url: str, sources: dict[str, ReportFile] | None = None) -> list[Diagnostic]:
    """Every internal link and anchor of a built (or staged) site that leads nowhere: at the line
    of the report that writes it (`sources`: each report page's file path → its report), else at
    the built page (a template's link)."""
    broken, _ = check_site(folder, base_url)
    found = []
    for b in broken:
        source = (sources or {}).get(b.page)
        line = _line_with(source, b.link, base_url) if source is not None else 0
        if source is not None and line:
            found.append(error(source.rel_path, line, "broken-link", t("The link “{link}” does not work: {reason}", link=b.link, reason=b.reason),
                               t("Correct this link in the report; put pictures and attachments beside the report and link them by a relative address.")))
        else:
            found.append(error(t("(built page) {page}", page=b.page), 0, "broken-link", t("{link} — {reason}", link=b.link, reason=b.reason),
                               t("Fix the link in the report's Markdown, or the template that writes it.")))
    return found


def _line_with(source: ReportFile, link: str, base_url: str) -> int:
    """The first line of the report's text that writes `link` (as written, decoded, or without the base URL)."""
    try:
        lines = source.path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return 0
    decoded = unquote(link)
    forms = [link, decoded, "/" + decoded[len(base_url):] if decoded.startswith(base_url) else decoded]
    for number, text in enumerate(lines[source.body_line - 1:], source.body_line):
        if any(form and form in text for form in forms):
            return number
    return 0


CONTENT_WARNINGS = frozenset({"required-part", "leftover", "index_no", "raw-html", "import-hint", "fix"})
"""Warnings about a report's own text: shown by `build --strict`, which does not refuse them."""


def exit_code(problems: list[Diagnostic]) -> int:
    """0 clean, 1 warnings only, 2 errors."""
    if any(p.severity is Severity.ERROR for p in problems):
        return 2
    return 1 if problems else 0
