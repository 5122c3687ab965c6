"""Corrections computed from an editor's own file: the slips of a Chinese keyboard, of Word and of
copying from web pages, each found on its line and column with the corrected line.

Only certain corrections are made here (colons, year and date forms, invisible characters, tabs,
Word residue, spaces inside place names, an English comma in a list of bodies, a title broken
over two lines, a field written twice with the same value); `check --fix` writes them and the
reader names them instead of the YAML error they cause. What needs a person's judgement stays
a message elsewhere (schema.py)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from site_builder.i18n import t
from site_builder.names import INVISIBLE
from site_builder.text.residue import BOOKMARK

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
"""As schema.FORBIDDEN_CHARS (line ends aside): characters that break feed.xml or reorder text invisibly."""
FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$")
FULL_WIDTH_COLON = re.compile(r"^(\s*)([^\s:：#][^:：]*?)[ \t\u3000]*：[ \t\u3000]*(.*)$")
MISSING_SPACE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?=[^\s/])(.*)$")
CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
YEAR = re.compile(r"^(\d{4})(?:\s*年度?|\s*年?度)?(?:\s*\1\s*(?:年度?|度)?)*$")
DATE = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$|^(\d{4})(\d{2})(\d{2})$")
ACCEPTED_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
WORD_BULLET = re.compile("^([ \t]*)[\uf0a7\uf0b7\uf076\uf0d8\uf0fc\uf06c\uf06e\uf075\u2022\u25cf\u25aa\u25a0\u25c6\u25e6\u27a2\u2023\u2043][ \t\u3000]*")
WORD_RESIDUE = re.compile(rf"{BOOKMARK}|\{{#_Toc\d+\}}")
"""What `--fix` removes as a certain fix: bookmarks (text/residue's rule) and the anchors of a table of contents."""
NAME_KEYS = ("town", "county", "province")
DATE_KEYS = ("published", "signed")
LIST_KEYS = ("unit", "recipients")
JOINABLE_KEYS = ("title", "unit", "summary", "recipients")


@dataclass(frozen=True)
class Finding:
    """One certain correction: where, why, the line as written and as it should be."""

    line: int
    """1-based line of the file."""
    column: int
    field: str
    message: str
    quote: str
    """The line as written."""
    fixed: str
    """The corrected line (for a joined line: the line it joins)."""


def front_matter_end(lines: list[str]) -> int:
    """Index of the closing fence of the front-matter, or 0 when there is none."""
    if not lines or INVISIBLE.sub("", lines[0]).strip() != "---":
        return 0
    return next((i for i in range(1, len(lines)) if FENCE.match(lines[i])), 0)


def fix_lines(lines: list[str], keep_lines: bool = False) -> tuple[list[str], list[Finding]]:
    """The file's lines (without line ends) corrected, and every correction made.

    With keep_lines, a line joined to the one before becomes empty instead of disappearing, so
    line numbers stay those of the file."""
    end = front_matter_end(lines)
    out: list[str] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for index, original in enumerate(lines):
        number = index + 1
        if 0 < index < end:
            line, found = _front_line(original, out[-1] if out else "", seen)
            if line is None:  # joined to the line before, or a repeated field
                joined = found[-1][2]
                if joined is not None:
                    out[-1] = joined
                if keep_lines:
                    out.append("")
                findings.extend(Finding(number, c, f, m, original, joined or "") for c, m, _, f in found)
                continue
        else:
            line, found = _body_line(original)
        out.append(line)
        findings.extend(Finding(number, c, f, m, original, line) for c, m, _, f in found)
    return out, findings


Step = tuple[int, str, str | None, str]
"""(column, message, joined line or None, field)."""


def _front_line(line: str, previous: str, seen: dict[str, str]) -> tuple[str | None, list[Step]]:
    found: list[Step] = []
    line = _invisible(line, found, CONTROL)
    if "\t" in line:
        found.append((line.index("\t") + 1, t("A tab character; YAML reads only spaces here."), None, ""))
        stripped = line.lstrip("\t")
        top_level = KEY_LINE.match(stripped.replace("\t", " ")) or FULL_WIDTH_COLON.match(stripped)
        indent = "" if top_level and not previous.startswith(("metrics:", " ")) else "  " * (len(line) - len(stripped))
        line = indent + re.sub(r"[ ]*\t[ \t]*", " ", stripped)
    line = _colon(line, found)
    match = KEY_LINE.match(line)
    if match is None:
        return _continuation(line, previous, found)
    key, value = match.group(1), (match.group(2) or "").strip()
    found[:] = [(column, message, joined, field or key) for column, message, joined, field in found]  # the line's field
    if key in seen and seen[key] == value and value:
        found.append((1, t("The field `{key}` is written twice with the same value; the second line is removed.", key=key),
                      None, key))
        return None, found
    seen.setdefault(key, value)
    value, comment = _split_comment(value)
    fixed = _value(key, value, found)
    if fixed != value:
        line = f"{key}: {fixed}{comment}"
    return line, found


def _split_comment(value: str) -> tuple[str, str]:
    """(the value, a trailing YAML comment with its leading spaces); a quoted value ends at its quote."""
    if value.startswith("#"):  # no value, only a comment (`town:   # 未找到…`, as the importer writes)
        return "", value
    if value[:1] in ("'", '"'):
        end = value.find(value[0], 1)
        while end > 0 and value[0] == '"' and value[end - 1] == "\\":
            end = value.find('"', end + 1)
        if end > 0:
            return value[: end + 1], value[end + 1:]
        return value, ""
    match = re.search(r"\s+#", value)
    return (value[: match.start()], value[match.start():]) if match else (value, "")


def _continuation(line: str, previous: str, found: list[Step]) -> tuple[str | None, list[Step]]:
    """A line without `key:` right after a title: the title was broken over two lines."""
    match = KEY_LINE.match(previous)
    text = line.strip()
    if (match and match.group(1) in JOINABLE_KEYS and match.group(2) and text and line[0] not in " #-"
            and not match.group(2).startswith(("'", '"', "|", ">")) and not re.match(r"[A-Za-z_]\w*\s", text)):
        joined = previous.rstrip() + text
        found.append((1, t("This line continues `{key}` from the line before; a field's value must stay on one line.",
                           key=match.group(1)), joined, match.group(1)))
        return None, found
    return line, found


def _invisible(line: str, found: list[Step], control: re.Pattern[str] | None = None) -> str:
    for pattern in (INVISIBLE, control):
        if pattern is None:
            continue
        match = pattern.search(line)
        if match:
            found.append((match.start() + 1, t("An invisible character (U+{code}) copied from a web page or Word is removed.",
                                               code=f"{ord(match.group()):04X}"), None, ""))
            line = pattern.sub("", line)
    return line


def _colon(line: str, found: list[Step]) -> str:
    if ": " not in line and not line.rstrip().endswith(":"):
        match = FULL_WIDTH_COLON.match(line)
        if match and (match.group(1) or re.fullmatch(r"[A-Za-z_]\w*", match.group(2))):
            found.append((line.index("：") + 1, t("The colon after `{key}` is the full-width “：”; YAML needs the ASCII colon and a space.",
                                                  key=match.group(2)), None, match.group(2)))
            return f"{match.group(1)}{match.group(2)}: {match.group(3)}".rstrip()
    match = MISSING_SPACE.match(line)
    if match:
        found.append((len(match.group(1)) + 2, t("A space is needed after the colon of `{key}`.", key=match.group(1)),
                      None, match.group(1)))
        return f"{match.group(1)}: {match.group(2)}"
    return line


def _value(key: str, value: str, found: list[Step]) -> str:
    column = len(key) + 3
    if key == "year":
        year = _year(value)
        if year and year != value:
            found.append((column, t("`{value}` is not written as a year; write the four digits only.", value=value), None, key))
            return year
    elif key in DATE_KEYS:
        date = _date(value)
        if date and date != value:
            found.append((column, t("`{value}` is not written as a date; write it as YYYY-MM-DD.", value=value), None, key))
            return date
    elif key in NAME_KEYS and re.search(CJK, value) and re.search(r"[\s\u3000]", value):
        found.append((column + re.search(r"[\s\u3000]", value).start(),  # type: ignore[union-attr]  # searched just above
                      t("The name `{value}` holds spaces; a place name is written without them.", value=value), None, key))
        return re.sub(r"[\s\u3000]+", "", value)
    elif key in LIST_KEYS and re.search(rf"(?<={CJK})\s*,\s*(?={CJK})", value):
        found.append((column + value.index(","), t("The bodies in `{key}` are separated by an English comma; Chinese lists use “、”.",
                                                   key=key), None, key))
        return re.sub(rf"(?<={CJK})\s*,\s*(?={CJK})", "、", value)
    if ": " in value and not value.startswith(("'", '"')):
        found.append((column + value.index(": "), t("The value of `{key}` contains “: ”, which YAML reads as a new field; the value is put in double quotes.",
                                                    key=key), None, key))
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def _year(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip().strip("\"'").translate(CHINESE_DIGITS)
    match = YEAR.match(text)
    return match.group(1) if match else ""


def _date(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip().strip("\"'").translate(CHINESE_DIGITS)
    if ACCEPTED_DATE.match(text):
        return text
    match = DATE.match(text)
    if not match:
        return ""
    year, month, day = (int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _body_line(original: str) -> tuple[str, list[Step]]:
    found: list[Step] = []
    line = _invisible(original, found, CONTROL)
    bullet = WORD_BULLET.match(line)
    if bullet:
        found.append((bullet.end(1) + 1, t("“{bullet}” is a bullet pasted from Word; a Markdown list item starts with “- ”.",
                                           bullet=line[bullet.end(1)]), None, ""))
        line = f"{bullet.group(1)}- {line[bullet.end():]}"
    residue = WORD_RESIDUE.search(line)
    if residue:
        found.append((max(original.find(residue.group()), residue.start()) + 1, t("`{residue}` is left over from Word and is removed.", residue=residue.group()), None, ""))
        line = WORD_RESIDUE.sub("", line).rstrip() if line.strip() != residue.group() else ""
    return line, found


def fix_text(text: str) -> tuple[str, list[Finding]]:
    """A whole file corrected, line ends kept as they were (CRLF stays CRLF)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""  # a BOM before the first line is allowed
    lines, findings = fix_lines(text[len(bom):].split(newline))
    return bom + newline.join(lines), findings
