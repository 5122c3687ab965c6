"""Problems found in user input, reported with file, line and a fix an editor can act on."""

from __future__ import annotations

import contextlib
import json
import os
import unicodedata
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from site_builder.i18n import t


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one place. Sorted by file, then line, so output is stable."""

    file: str
    """Path as the editor knows it (relative to the project when possible)."""
    line: int
    """1-based line number; 0 when the problem concerns the whole file."""
    severity: Severity
    field: str
    """The front-matter or config key concerned, or '' for the file as a whole."""
    message: str
    """What is wrong."""
    hint: str = ""
    """What to write instead."""
    column: int = 0
    """1-based column of the offending text on its line (0: the line as a whole)."""
    quote: str = ""
    """The line as the editor wrote it, shown under the message."""
    fixed: str = ""
    """The corrected line, when it can be known from the file."""

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file  # the column: a caret under the quoted line
        text = _headline(self.severity, where, self.field, self.message)
        if self.quote:
            text += f"\n    {self.line} | {self.quote}"
            if self.column:
                text += f"\n    {' ' * len(str(self.line))} | {' ' * _width(self.quote[: self.column - 1])}^"
        if self.fixed:
            text += "\n    " + t("write: {corrected}", corrected=self.fixed)
        if self.hint:
            text += "\n    " + t("fix: {hint}", hint=self.hint)
        return text

    def github_annotation(self) -> str:
        """A GitHub Actions workflow command: the problem appears on its line in a pull request.

        Data is escaped as the runner expects (% CR LF), properties also : and , ."""
        properties = [f"file={_escape_property(self.file)}"]
        if self.line:
            properties.append(f"line={self.line}")
        if self.line and self.column:
            properties.append(f"col={self.column}")
        title = f"{self.field}" if self.field else "site-builder"
        properties.append(f"title={_escape_property(title)}")
        message = self.message
        if self.fixed:
            message = t("{message} — write: {corrected}", message=message, corrected=self.fixed)
        if self.hint:
            message = t("{message} — fix: {hint}", message=message, hint=self.hint)
        return f"::{self.severity.value} {','.join(properties)}::{_escape_data(message)}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _headline(severity: Severity, where: str, field: str, message: str) -> str:
    if severity is Severity.ERROR:
        if field:
            return t("{where}: error [{field}]: {message}", where=where, field=field, message=message)
        return t("{where}: error: {message}", where=where, message=message)
    if field:
        return t("{where}: warning [{field}]: {message}", where=where, field=field, message=message)
    return t("{where}: warning: {message}", where=where, message=message)


def _width(text: str) -> int:
    """Terminal cells of text: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def error(file: str, line: int, field: str, message: str, hint: str = "", *,
          column: int = 0, quote: str = "", fixed: str = "") -> Diagnostic:
    return Diagnostic(file, line, Severity.ERROR, field, message, hint, column, quote, fixed)


def warning(file: str, line: int, field: str, message: str, hint: str = "", *,
            column: int = 0, quote: str = "", fixed: str = "") -> Diagnostic:
    return Diagnostic(file, line, Severity.WARNING, field, message, hint, column, quote, fixed)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def display_path(path: Path, root: Path | None = None) -> str:
    """The path relative to root (or the working directory) when it lies below it."""
    text, prefix = str(path), f"{root}{os.sep}"
    if root is not None and text.startswith(prefix):  # the common case, without asking the file system
        return text[len(prefix):].replace(os.sep, "/")
    for base in (root, Path.cwd()):
        if base is None:
            continue
        pairs = [(path, base)]
        with contextlib.suppress(OSError, RuntimeError):  # a link loop: show the path as given
            pairs.append((path.resolve(), base.resolve()))
        for candidate, anchor in pairs:
            if candidate.is_relative_to(anchor):
                return candidate.relative_to(anchor).as_posix()
    return path.as_posix()


def dumps(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in sorted(diagnostics)], ensure_ascii=False, indent=2)


class BuildError(Exception):
    """Raised when input is invalid; carries every problem found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic], summary: str = "") -> None:
        self.diagnostics = sorted(diagnostics)
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        self.summary = summary or t("{count} error(s) found; nothing was published", count=errors)
        super().__init__(self.summary)

    def __reduce__(self) -> tuple[object, ...]:
        # Exceptions pickle their args; ours are the diagnostics, so they survive worker processes.
        return (type(self), (self.diagnostics, self.summary))

    def report(self) -> str:
        lines = [d.format() for d in self.diagnostics]
        lines.append(self.summary)
        return "\n".join(lines)
