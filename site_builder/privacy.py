"""Nothing private is published: personal data (mobile numbers, ID card numbers with a valid GB 11643
check digit, bank card numbers, the names written next to 联系人/联系电话/经办人) and what Word or WPS
leaves in a text (bookmarks, comments, tracked changes, field codes) are errors of every build — of
`build` and `serve` as much as of `check` — found where each report is read.

What is not personal, and so published as it is: an office's landline (an area code, then 7 or 8
digits: 023-12345678, (0533)1234567) and a service hotline (12345, 12348, 400/800 numbers): they
are the numbers the public is meant to call. A mobile number (11 digits from 13–19) is a person's.
An editor who must publish one — a 24-hour duty mobile, say — lists it in the report's front-matter
(`public_numbers: ["13800000000"]`), as a named official's name (`public_names: ["张三"]`).

`redaction_edits` gives the changes `check --fix` makes: each value replaced with 〔已隐去〕, each
piece of residue removed."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from site_builder.diagnostics import Diagnostic, error
from site_builder.reader import SourceReport, read_report
from site_builder.text.personal import MARKER, NOT_A_PERSON, find_personal_data, mask
from site_builder.text.residue import kept_of, word_residue

PERSONAL_KINDS = {"mobile": "手机号码", "id-number": "身份证号码", "bank-card": "银行卡号", "contact-name": "联系人姓名"}
"""What is personal (landlines are not: see the module's text), with the name a message gives it."""



PERSONAL_HINT = re.compile(r"\d{7}|\d{3,4}[-－—\s)）]\s?\d{3}|联系人|经办人|承办人|电话|联系方式")
"""What every line holding personal data has (seven digits in a row or in groups, or a contact
label): the full rules run only on such lines."""


@dataclass(frozen=True)
class Leak:
    """One value that must not be published, where it is in the file."""

    line: int
    """1-based line of the file."""
    column: int
    """1-based character column on that line."""
    kind: str
    """mobile, id-number, bank-card, contact-name, or residue."""
    text: str
    replacement: str
    """What --fix writes in its place."""


@dataclass(frozen=True)
class Allowed:
    """The values a report's front-matter says are public (public_numbers, public_names)."""

    numbers: frozenset[str] = frozenset()
    """Digits only, so 023-12345678 and 023 1234 5678 are the same number."""
    names: frozenset[str] = frozenset()

    @classmethod
    def of(cls, numbers: Iterable[str], names: Iterable[str]) -> Allowed:
        return cls(frozenset(_digits(n) for n in numbers), frozenset(n.strip() for n in names))

    def allows(self, kind: str, text: str) -> bool:
        if kind == "contact-name":
            return text in self.names
        return _digits(text) in self.numbers


NAME_AFTER_PHONE_LABEL = re.compile(r"(?:联系电话|联系方式|电话)\s*[:：]\s*(?P<name>[\u4e00-\u9fff·]{2,4}?)[\s,，、]*(?=[0-9〔（(])")
"""联系电话：张三 138…: the name written before the number."""


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text).upper()


def find_leaks(lines: list[str], first_line: int, allowed: Allowed = Allowed()) -> list[Leak]:
    """Every personal value (not allowed) and piece of residue in `lines`, which start at `first_line`."""
    found: list[Leak] = []
    for number, line in enumerate(lines, first_line):
        if PERSONAL_HINT.search(line):  # most lines have neither hint: the full rules are skipped
            found += _personal_leaks(number, line, allowed)
        for match in word_residue(line):
            found.append(Leak(number, match.start() + 1, "residue", match.group(), kept_of(match.group())))
    return found


def _personal_leaks(number: int, line: str, allowed: Allowed) -> list[Leak]:
    found = [Leak(number, f.start + 1, f.kind, f.text, MARKER) for f in find_personal_data(line)
             if f.kind in PERSONAL_KINDS and not allowed.allows(f.kind, f.text)]
    for match in NAME_AFTER_PHONE_LABEL.finditer(line):
        name = match.group("name")
        if not NOT_A_PERSON.search(name) and not allowed.allows("contact-name", name):
            found.append(Leak(number, match.start("name") + 1, "contact-name", name, MARKER))
    return found


def report_leaks(source: SourceReport) -> list[Diagnostic]:
    """The leaks of one report (read with it): in its front-matter's values (a summary is published
    too) and its body, as errors. The values listed as public are let through wherever they stand."""
    allowed = Allowed.of(source.meta.public_numbers, source.meta.public_names)
    try:
        front = source.path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")[1:source.body_line - 2]
    except (OSError, UnicodeDecodeError):
        front = []  # read a moment ago; a file changing now is caught by the build
    return leak_problems(source.rel_path, front, 2, allowed) + \
        leak_problems(source.rel_path, source.markdown.split("\n"), source.body_line, allowed)


def leak_problems(shown: str, lines: list[str], first_line: int, allowed: Allowed) -> list[Diagnostic]:
    """The errors a build reports for a report's leaks: file, line, column and the text (masked when personal)."""
    return [_problem(shown, leak) for leak in find_leaks(lines, first_line, allowed)]


FIX = "运行 site-builder check --fix 可以自动处理"


def _problem(shown: str, leak: Leak) -> Diagnostic:
    if leak.kind == "residue":
        return error(shown, leak.line, "residue",
                     f"第 {leak.line} 行第 {leak.column} 列有 Word/WPS 留下的痕迹「{leak.text[:60]}」（书签、批注、修订或域代码），发布后会被读者看到。",
                     f"请删除「{leak.text[:60]}」；{FIX}。")
    what = PERSONAL_KINDS[leak.kind]
    public = ""
    if leak.kind != "id-number":  # the value itself is not repeated here: logs are read by others
        key, example = ("public_names", "这个姓名") if leak.kind == "contact-name" else ("public_numbers", "这个号码")
        public = f"如果它确实是对外公开的（如值班手机、新闻发言人），请在前言（front-matter）中写 `{key}: [\"{example}\"]`。"
    return error(shown, leak.line, "personal-data",
                 f"第 {leak.line} 行第 {leak.column} 列有{what}「{mask(leak.text)}」，属于个人信息，不能公开发布。",
                 f"请把它改成{MARKER}，{FIX}。{public}")


def redaction_edits(text: str, first_line: int = 1, allowed: Allowed = Allowed()) -> list[Leak]:
    """The edits `check --fix` makes to `text` (a report body starting at `first_line`): apply them
    with apply_edits. Each personal value becomes 〔已隐去〕, each piece of residue goes."""
    return find_leaks(text.split("\n"), first_line, allowed)


def apply_edits(text: str, edits: list[Leak], first_line: int = 1) -> str:
    """`text` with `edits` (from redaction_edits on the same text) made, right to left on each line."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        index, start = edit.line - first_line, edit.column - 1
        line = lines[index]
        if line[start:start + len(edit.text)] == edit.text:
            lines[index] = line[:start] + edit.replacement + line[start + len(edit.text):]
    return "\n".join(lines)


def fix_report_file(path: Path, shown: str = "") -> list[Leak]:
    """For `check --fix`: make the redaction edits in a report file, in place (its BOM and line
    ends kept); returns the edits made ([] for a file that cannot be read as a report, or is clean)."""
    source, _ = read_report(path, shown or str(path))
    if source is None or source.meta.withdrawn is not None:
        return []
    allowed = Allowed.of(source.meta.public_numbers, source.meta.public_names)
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    edits = find_leaks(lines[1:], 2, allowed)  # the front-matter's values too (not its opening ---)
    if not edits:
        return []
    fixed = newline.join(apply_edits("\n".join(lines), edits).split("\n"))
    temporary = path.with_name(f".{path.name}.{os.getpid()}.fix")
    temporary.write_bytes(("\ufeff" if bom else "").encode() + fixed.encode("utf-8"))
    os.replace(temporary, path)
    return edits
