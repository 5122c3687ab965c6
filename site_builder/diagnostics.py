"""Problems found in user input, reported with file, line and a fix an editor can act on."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


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

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        text = f"{where}: {self.severity.value}{field}: {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text

    def github_annotation(self) -> str:
        """A GitHub Actions workflow command: the problem appears on its line in a pull request.

        Data is escaped as the runner expects (% CR LF), properties also : and , ."""
        properties = [f"file={_escape_property(self.file)}"]
        if self.line:
            properties.append(f"line={self.line}")
        title = f"{self.field}" if self.field else "site-builder"
        properties.append(f"title={_escape_property(title)}")
        message = self.message + (f" — fix: {self.hint}" if self.hint else "")
        return f"::{self.severity.value} {','.join(properties)}::{_escape_data(message)}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def error(file: str, line: int, field: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, line, Severity.ERROR, field, message, hint)


def warning(file: str, line: int, field: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, line, Severity.WARNING, field, message, hint)


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
        self.summary = summary or f"{errors} error(s) found; nothing was published"
        super().__init__(self.summary)

    def __reduce__(self) -> tuple[object, ...]:
        # Exceptions pickle their args; ours are the diagnostics, so they survive worker processes.
        return (type(self), (self.diagnostics, self.summary))

    def report(self) -> str:
        lines = [d.format() for d in self.diagnostics]
        lines.append(self.summary)
        return "\n".join(lines)
