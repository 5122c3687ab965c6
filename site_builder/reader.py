"""Stage 1: read `content/` into validated source reports. Reads and checks; never renders."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from site_builder.diagnostics import Diagnostic, display_path, error, warning
from site_builder.fixes import fix_lines, front_matter_end
from site_builder.i18n import t
from site_builder.names import strip_suffix
from site_builder.portable_names import reserved_name_problems
from site_builder.safepaths import bad_name, bounds_of, folder_link_out, refusal
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

    Linked folders are followed once (a link back up the tree is not a loop for ever), and only
    while they stay inside the project (safepaths); hidden files and folders are skipped."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    visited: set[tuple[int, int]] = set()
    bounds = bounds_of(project_root, content_dir)
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
            if bad_name(entry.name) or entry.is_symlink():
                refused = refusal(path, bounds, project_root)
                if refused is not None:
                    problems.append(refused)
                    continue
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
    found.sort()
    return found, problems + reserved_name_problems(found, content_dir, project_root)


def _unreadable(path: Path, exc: OSError, project_root: Path | None) -> Diagnostic:
    if exc.errno == errno.ELOOP:
        message = t("This is a link that leads back to itself.")
    elif exc.errno == errno.EACCES:
        message = t("This cannot be read (no permission).")
    else:
        message = t("This cannot be read: {reason}", reason=exc.strerror or exc)
    return error(display_path(path, project_root), 0, "", message, t("Remove the link or fix its target, or the folder's permissions."))


def _not_a_file(path: Path, project_root: Path | None) -> Diagnostic:
    shown = display_path(path, project_root)
    if path.is_symlink() and not path.exists():
        return error(shown, 0, "", t("This is a link to {target}, which does not exist.", target=os.readlink(path)),
                     t("Remove the link or restore its target."))
    return error(shown, 0, "", t("This is not an ordinary file (a pipe, socket or device); it is not read."),
                 t("Remove it or rename it so it does not end in .md."))


def missing_content(content_dir: Path, project_root: Path | None) -> list[Diagnostic]:
    if project_root is not None and (link_out := folder_link_out(content_dir, project_root)):
        return [link_out]
    if content_dir.is_dir():
        return []
    return [error(display_path(content_dir, project_root), 0, "", t("The content folder does not exist."),
                  t("Create it, or set `content_dir` in config.yaml."))]


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
        return None, [error(shown, 0, "", t("The file cannot be read: {reason}", reason=exc.strerror or exc),
                            t("Check that it is an ordinary file you may read."))]
    if size > MAX_FILE_BYTES:
        return None, [error(shown, 0, "", t("The file is {size:.1f} MB; at most {limit} MB is accepted.", size=size / 1e6, limit=MAX_FILE_BYTES // 2**20),
                            t("Check that the file holds one report; split or shorten it."))]
    try:
        text = _text_of(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [error(shown, line, "", t("The file is not UTF-8 text (a Word or GBK file?)."),
                            t("Save it as UTF-8 (in Notepad: Save As → Encoding UTF-8), or import it with `site-builder import`."))]
    return parse_report(text, path, shown, hashlib.sha256(data).hexdigest())


def _text_of(data: bytes) -> str:
    """UTF-8 (a BOM is allowed) with Windows and old-Mac line ends made Unix ones."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def parse_report(text: str, path: Path, shown: str, content_hash: str) -> tuple[SourceReport | None, list[Diagnostic]]:
    first_line, _, rest = text.partition("\n")
    if first_line.strip() != FENCE:
        return None, _fixable(text, shown) or [error(shown, 1, "", t("The file does not start with front-matter."), t(
            "Begin the file with a line `---`, the fields (title, unit, town, county, province, year), and another `---`."))]
    closing = _CLOSING_FENCE.search(rest)
    if closing is None:
        return None, [error(shown, 1, "", t("The front-matter is not closed."),
                            t("Add a line `---` after the last field, before the report text."))]
    bad = FORBIDDEN_CHARS.search(rest, 0, closing.start())
    if bad:
        line = rest.count("\n", 0, bad.start()) + 2
        key = rest[rest.rfind("\n", 0, bad.start()) + 1: bad.start()].split(":", 1)[0].strip()
        return None, _fixable(text, shown) or [error(
            shown, line, key if key.isidentifier() else "",
            t("The front-matter holds an invisible control character (U+{code}).", code=f"{ord(bad.group()):04X}"),
            t("Retype the line; text copied from a web page or PDF can carry such characters."))]
    try:
        front = load_mapping(rest[: closing.start()])
    except YamlProblem as exc:
        return None, _fixable(text, shown) or [_unreadable_front(shown, exc, text)]
    meta, problems = validate(front, shown, line_offset=1)
    problems = _with_import_hints(problems, text)
    if problems:
        problems = _quoted(problems, text)
    if meta is None:
        return None, _fixable(text, shown) or problems
    body_line = rest.count("\n", 0, closing.end()) + 3
    body = _clean_body(rest[closing.end() + 1:])
    if PLACEHOLDER in body:
        line = body_line + body[: body.index(PLACEHOLDER)].count("\n")
        return None, [*problems, error(shown, line, "", t("The report still holds the hints written by `site-builder new`."),
                                       t("Replace each line starting with {placeholder} with the report's text, "
                                         "or move the file out of content/ until it is written.", placeholder=PLACEHOLDER),
                                       quote=text.split("\n")[line - 1])]
    return SourceReport(path, shown, meta, body_line, content_hash, markdown=body), problems


def _quoted(problems: list[Diagnostic], text: str) -> list[Diagnostic]:
    """Each problem with its line as the editor wrote it."""
    lines = text.split("\n")
    return [replace(p, quote=lines[p.line - 1]) if 0 < p.line <= len(lines) and not p.quote and p.field and
            lines[p.line - 1].startswith(p.field) else p for p in problems]


def _unreadable_front(shown: str, exc: YamlProblem, text: str) -> Diagnostic:
    lines = text.split("\n")
    quote = lines[exc.line] if exc.line < len(lines) else ""
    return error(shown, exc.line + 1, "", t("The front-matter cannot be read: {problem}", problem=exc.message),
                 t("Each line must be `key: value`; see README › Adding a report."), quote=quote)


def _fixable(text: str, shown: str) -> list[Diagnostic]:
    """A front-matter that fails because of a slip with a certain correction: each slip named on
    its own line with the corrected line (what `check --fix` writes), then whatever else the
    corrected front-matter still gets wrong. Empty when there is no such slip."""
    lines = text.split("\n")
    end = front_matter_end(lines)
    fixed, findings = fix_lines(lines[: end + 1], keep_lines=True)
    if not end or not findings:
        return []
    found = [error(shown, f.line, f.field, f.message, column=f.column, quote=f.quote, fixed=f.fixed) for f in findings]
    fixed_lines = {f.line for f in findings}
    try:
        front = load_mapping("\n".join(fixed[1:end]))
    except YamlProblem as exc:
        return [*found, _unreadable_front(shown, exc, text)]
    _, remaining = validate(front, shown, line_offset=1)
    remaining = _quoted(remaining, "\n".join(fixed))
    return [*found, *(p for p in remaining if p.line not in fixed_lines)]


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


def find_twin_towns(reports: list[ReportFile]) -> list[Diagnostic]:
    """A town written once with its suffix and once without (福集镇 and 福集) in one county: two
    towns on the site where there is one. The name written less often is named, with the other."""
    names: dict[tuple[str, str, str], dict[str, list[ReportFile]]] = {}
    for report in reports:
        m = report.meta
        if m.town != m.county:
            names.setdefault((m.province, m.county, strip_suffix(m.town)), {}).setdefault(m.town, []).append(report)
    problems: list[Diagnostic] = []
    for (_, county, _), spellings in sorted(names.items()):
        if len(spellings) < 2:
            continue
        usual = max(sorted(spellings), key=lambda name: (len(spellings[name]), len(name)))
        for name, written in sorted(spellings.items()):
            if name != usual:
                problems.extend(warning(r.rel_path, 0, "town", t("{county} has no {town}; did you mean {usual}?", county=county,
                                                                 town=name, usual=usual),
                                        t("Write `town: {usual}`, as in {other}.", usual=usual, other=spellings[usual][0].rel_path),
                                        fixed=f"town: {usual}") for r in written)
    return problems


def find_duplicates(reports: list[ReportFile]) -> list[Diagnostic]:
    first_seen: dict[tuple[str, str, str, int], ReportFile] = {}
    problems: list[Diagnostic] = list(find_twin_towns(reports))
    for report in reports:
        other = first_seen.setdefault(report.identity, report)
        if other is not report:
            province, county, town, year = report.identity
            problems.append(error(report.rel_path, 1, "town",
                                  t("{place} already has a {year} report in {other}.", place=f"{province}{county}{town}",
                                    year=year, other=other.rel_path),
                                  t("Keep one of {other} and {this}, or correct `town` or `year` in one of them.",
                                    other=other.rel_path, this=report.rel_path)))
    return problems
