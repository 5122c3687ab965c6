"""Stage 1: read `content/` into validated source reports. Reads and checks; never renders."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from site_builder.diagnostics import Diagnostic, display_path, error
from site_builder.portable_names import reserved_name_problems
from site_builder.schema import FORBIDDEN_CHARS, PLACEHOLDER, ReportMeta, validate
from site_builder.yamlsafe import YamlProblem, load_mapping

FENCE = "---"
# A report is a few tens of KB; a file far larger is almost certainly a mistake (a pasted PDF dump).
MAX_FILE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class ReportFile:
    """One validated report file without its body: what a build keeps of it (the body is parsed
    once into its Document, which the cache keeps by content hash)."""

    path: Path
    """Absolute path of the Markdown file."""
    rel_path: str
    """Path shown to editors (relative to the project)."""
    meta: ReportMeta
    body_line: int
    """1-based line of the file on which the body starts."""
    content_hash: str
    """sha256 of the file's bytes: the key for caches and incremental rebuilds."""

    @property
    def identity(self) -> tuple[str, str, str, int]:
        """What makes a report unique: the place and the year, not the file name."""
        m = self.meta
        return (m.province, m.county, m.town, m.year)


@dataclass(frozen=True)
class SourceReport(ReportFile):
    """One report as read from disk: the validated file and its Markdown body."""

    markdown: str
    """The body after the front-matter."""

    @property
    def file(self) -> ReportFile:
        return ReportFile(self.path, self.rel_path, self.meta, self.body_line, self.content_hash)


NOT_REPORTS = frozenset({"readme.md"})
"""A guide for editors may sit beside the reports (`site-builder init` writes content/README.md)."""


def find_sources(content_dir: Path, project_root: Path | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """Every report file below content_dir, sorted so output never depends on the file system,
    and what cannot be read as one: a link to nothing or to itself, a pipe or device named *.md.

    Linked folders are followed once (a link back up the tree is not a loop for ever); hidden
    files and folders are skipped."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    visited: set[tuple[int, int]] = set()
    pending = [content_dir]
    while pending:
        folder = pending.pop()
        try:
            status = folder.stat()
            if (status.st_dev, status.st_ino) in visited:
                continue
            visited.add((status.st_dev, status.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(_unreadable(folder, exc, project_root))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows links; raises or says False for a broken one
                is_file = entry.is_file()
            except OSError as exc:
                problems.append(_unreadable(path, exc, project_root))
                continue
            if is_dir:
                pending.append(path)
            elif entry.name.lower().endswith(".md") and entry.name.lower() not in NOT_REPORTS:
                if is_file:
                    found.append(path)
                else:
                    problems.append(_not_a_file(path, project_root))
    return sorted(found), problems + reserved_name_problems(sorted(found), content_dir, project_root)


def _unreadable(path: Path, exc: OSError, project_root: Path | None) -> Diagnostic:
    what = {errno.ELOOP: "is a link that leads back to itself", errno.EACCES: "cannot be read (no permission)"}
    return error(display_path(path, project_root), 0, "", f"{what.get(exc.errno or 0, exc.strerror or 'cannot be read')}",
                 "remove the link or fix its target, or the folder's permissions")


def _not_a_file(path: Path, project_root: Path | None) -> Diagnostic:
    shown = display_path(path, project_root)
    if path.is_symlink() and not path.exists():
        return error(shown, 0, "", f"is a link to {os.readlink(path)}, which does not exist", "remove the link or restore its target")
    return error(shown, 0, "", "is not an ordinary file (a pipe, socket or device); it is not read",
                 "remove it or rename it so it does not end in .md")


def missing_content(content_dir: Path, project_root: Path | None) -> list[Diagnostic]:
    if content_dir.is_dir():
        return []
    return [error(display_path(content_dir, project_root), 0, "", "the content folder does not exist",
                  "create it, or set `content_dir` in config.yaml")]


def _read_regular_file(path: Path) -> tuple[bytes, int]:
    """(bytes, size) of an ordinary file, the bytes left out past MAX_FILE_BYTES; never blocks on
    a pipe put in the file's place after the scan."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, "not an ordinary file", str(path))
        if status.st_size > MAX_FILE_BYTES:
            return b"", status.st_size
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read()
        return data, len(data)
    finally:
        os.close(fd)


def read_report(path: Path, shown: str) -> tuple[SourceReport | None, list[Diagnostic]]:
    try:
        data, size = _read_regular_file(path)
    except OSError as exc:
        return None, [error(shown, 0, "", f"the file cannot be read: {exc.strerror or exc}",
                            "check that it is an ordinary file you may read")]
    if size > MAX_FILE_BYTES:
        return None, [error(shown, 0, "", f"the file is {size / 1e6:.1f} MB; at most {MAX_FILE_BYTES // 2**20} MB is accepted",
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
    bad = FORBIDDEN_CHARS.search(rest, 0, closing.start())
    if bad:
        line = rest.count("\n", 0, bad.start()) + 2
        key = rest[rest.rfind("\n", 0, bad.start()) + 1: bad.start()].split(":", 1)[0].strip()
        return None, [error(shown, line, key if key.isidentifier() else "",
                            f"the front-matter holds an invisible control character (U+{ord(bad.group()):04X})",
                            "retype the line; text copied from a web page or PDF can carry such characters")]
    try:
        front = load_mapping(rest[: closing.start()])
    except YamlProblem as exc:
        return None, [error(shown, exc.line + 1, "", f"the front-matter cannot be read: {exc.message}",
                            "each line must be `key: value`; see README › Adding a report")]
    meta, problems = validate(front, shown, line_offset=1)
    problems = _with_import_hints(problems, text)
    if meta is None:
        return None, problems
    body_line = rest.count("\n", 0, closing.end()) + 3
    body = _clean_body(rest[closing.end() + 1:])
    if PLACEHOLDER in body:
        line = body_line + body[: body.index(PLACEHOLDER)].count("\n")
        return None, [*problems, error(shown, line, "", "the report still holds the hints written by `site-builder new`",
                                       f"replace each line starting with {PLACEHOLDER} with the report's text, "
                                       "or move the file out of content/ until it is written")]
    return SourceReport(path, shown, meta, body_line, content_hash, markdown=body), problems


IMPORT_HINT = re.compile(r"#.*?(未找到[^#]*?)\s*$")
"""The Chinese hint `site-builder import` writes on a field it could not fill (importer/hints.py)."""


def _with_import_hints(problems: list[Diagnostic], text: str) -> list[Diagnostic]:
    """A problem on a field the importer left empty also says where in the original to look."""
    lines = text.split("\n")
    out = []
    for problem in problems:
        found = IMPORT_HINT.search(lines[problem.line - 1]) if problem.field and 0 < problem.line <= len(lines) else None
        out.append(dataclasses.replace(problem, hint=f"{problem.hint}; {found.group(1)}") if found else problem)
    return out


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
    return _clean_body(rest[closing.end() + 1:])


def _clean_body(markdown: str) -> str:
    """Control characters and bidi overrides (from PDFs and web pages) are dropped: they would make
    feed.xml invalid and can reorder text invisibly. Pages, search and stats all read this text."""
    return FORBIDDEN_CHARS.sub("", markdown)


def find_duplicates(reports: list[ReportFile]) -> list[Diagnostic]:
    first_seen: dict[tuple[str, str, str, int], ReportFile] = {}
    problems: list[Diagnostic] = []
    for report in reports:
        other = first_seen.setdefault(report.identity, report)
        if other is not report:
            province, county, town, year = report.identity
            problems.append(error(report.rel_path, 1, "town",
                                  f"{province}{county}{town} already has a {year} report in {other.rel_path}",
                                  f"keep one of {other.rel_path} and {report.rel_path}, or correct `town`/`year` in one of them"))
    return problems
