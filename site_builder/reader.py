"""Stage 1: read `content/` into validated source reports. Reads and checks; never renders."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from site_builder.diagnostics import Diagnostic, display_path, error
from site_builder.schema import ReportMeta, validate
from site_builder.yamlsafe import YamlProblem, load_mapping

FENCE = "---"
# A report is a few tens of KB; a file far larger is almost certainly a mistake (a pasted PDF dump).
MAX_FILE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class SourceReport:
    """One report as read from disk: validated metadata plus its Markdown body."""

    path: Path
    """Absolute path of the Markdown file."""
    rel_path: str
    """Path shown to editors (relative to the project)."""
    meta: ReportMeta
    markdown: str
    """The body after the front-matter ('' once the build has dropped it to save memory; see read_body)."""
    body_line: int
    """1-based line of the file on which the body starts."""
    content_hash: str
    """sha256 of the file's bytes: the key for caches and incremental rebuilds."""

    @property
    def identity(self) -> tuple[str, str, str, int]:
        """What makes a report unique: the place and the year, not the file name."""
        m = self.meta
        return (m.province, m.county, m.town, m.year)


NOT_REPORTS = frozenset({"readme.md"})
"""A guide for editors may sit beside the reports (`site-builder init` writes content/README.md)."""


def find_sources(content_dir: Path) -> list[Path]:
    """Every report file below content_dir, sorted so output never depends on the file system."""
    return sorted(path for path in content_dir.rglob("*.md")
                  if not any(part.startswith(".") for part in path.relative_to(content_dir).parts)
                  and path.name.lower() not in NOT_REPORTS)


def missing_content(content_dir: Path, project_root: Path | None) -> list[Diagnostic]:
    if content_dir.is_dir():
        return []
    return [error(display_path(content_dir, project_root), 0, "", "the content folder does not exist",
                  "create it, or set `content_dir` in config.yaml")]


def read_content(content_dir: Path, project_root: Path | None = None) -> tuple[list[SourceReport], list[Diagnostic]]:
    """Read and validate every report (one process; the build spreads this over cores)."""
    problems = missing_content(content_dir, project_root)
    reports: list[SourceReport] = []
    for path in find_sources(content_dir) if not problems else []:
        report, found = read_report(path, display_path(path, project_root))
        problems.extend(found)
        if report is not None:
            reports.append(report)
    problems.extend(find_duplicates(reports))
    return reports, problems


def read_report(path: Path, shown: str) -> tuple[SourceReport | None, list[Diagnostic]]:
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        return None, [error(shown, 0, "", f"the file is {len(data) / 1e6:.1f} MB; at most {MAX_FILE_BYTES // 2**20} MB is accepted",
                            "check that the file holds one report; split or shorten it")]
    try:
        text = _text_of(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [error(shown, line, "", "the file is not UTF-8 text",
                            "save it as UTF-8 (in Notepad: Save As → Encoding UTF-8), or import it with `site-builder import`")]
    return parse_report(text, path, shown, hashlib.sha256(data).hexdigest())


def _text_of(data: bytes) -> str:
    """UTF-8 (a BOM is allowed) with Windows and old-Mac line ends made Unix ones."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def parse_report(text: str, path: Path, shown: str, content_hash: str) -> tuple[SourceReport | None, list[Diagnostic]]:
    first_line, _, rest = text.partition("\n")
    if first_line.strip() != FENCE:
        return None, [error(shown, 1, "", "the file does not start with front-matter",
                            "begin the file with a line `---`, the fields (title, unit, town, county, province, year), and another `---`")]
    closing = _CLOSING_FENCE.search(rest)
    if closing is None:
        return None, [error(shown, 1, "", "the front-matter is not closed",
                            "add a line `---` after the last field, before the report text")]
    try:
        front = load_mapping(rest[: closing.start()])
    except YamlProblem as exc:
        return None, [error(shown, exc.line + 1, "", f"the front-matter cannot be read: {exc.message}",
                            "each line must be `key: value`; see README › Adding a report")]
    meta, problems = validate(front, shown, line_offset=1)
    if meta is None:
        return None, problems
    body_line = rest.count("\n", 0, closing.end()) + 3
    body = rest[closing.end() + 1:]
    return SourceReport(path, shown, meta, body, body_line, content_hash), problems


class ChangedDuringBuild(Exception):
    pass


def read_body(path: Path, content_hash: str) -> str:
    """The Markdown body of a file read earlier, checked to be the same bytes as then."""
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != content_hash:
        raise ChangedDuringBuild(path)
    rest = _text_of(data).partition("\n")[2]
    closing = _CLOSING_FENCE.search(rest)
    assert closing is not None  # it was validated when first read
    return rest[closing.end() + 1:]


def find_duplicates(reports: list[SourceReport]) -> list[Diagnostic]:
    first_seen: dict[tuple[str, str, str, int], SourceReport] = {}
    problems: list[Diagnostic] = []
    for report in reports:
        other = first_seen.setdefault(report.identity, report)
        if other is not report:
            province, county, town, year = report.identity
            problems.append(error(report.rel_path, 1, "town",
                                  f"{province}{county}{town} already has a {year} report in {other.rel_path}",
                                  f"keep one of {other.rel_path} and {report.rel_path}, or correct `town`/`year` in one of them"))
    return problems
