"""`site-builder check --fix`: the certain corrections of fixes.py written into the report files,
each shown as a unified diff. A file without such a slip is not opened for writing, so a correct
file stays byte-identical; a file that is not UTF-8 text or is a link is left alone."""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from site_builder.diagnostics import display_path
from site_builder.fixes import Finding, fix_text
from site_builder.reader import MAX_FILE_BYTES, find_sources


@dataclass(frozen=True)
class FileFix:
    shown: str
    diff: str
    findings: tuple[Finding, ...]


def fix_content(content_dir: Path, project_root: Path | None, write: bool) -> list[FileFix]:
    """Every report file's certain corrections; written when `write` (else only shown)."""
    paths, _ = find_sources(content_dir, project_root) if content_dir.is_dir() else ([], [])
    done = []
    for path in paths:
        shown = display_path(path, project_root)
        change = fix_file(path, shown, write)
        if change is not None:
            done.append(change)
    return done


def fix_file(path: Path, shown: str, write: bool) -> FileFix | None:
    if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    fixed, findings = fix_text(text)
    if fixed == text:
        return None
    diff = "".join(difflib.unified_diff(text.splitlines(keepends=True), fixed.splitlines(keepends=True),
                                        fromfile=f"a/{shown}", tofile=f"b/{shown}"))
    if write:
        _replace(path, fixed.encode("utf-8"))
    return FileFix(shown, diff, tuple(findings))


def _replace(path: Path, data: bytes) -> None:
    """Atomically, keeping the file's permissions: a file is never left half written."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
