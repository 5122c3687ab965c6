"""One value kept in one file, saved atomically: the caches' entries, the read index, the search
index's state and the outputs' manifests are all saved by PickleFile; the project's own records
beside config.yaml (published-urls.txt, update-history.json) by read_text / save_text."""

from __future__ import annotations

import contextlib
import os
import pickle
import zlib
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class PickleFile(Generic[T]):
    """One value kept in one file. Saved atomically (a temporary file beside it, then renamed):
    workers may save at once, and a killed build leaves no half-written file. A file that cannot
    be read or written only costs time: it reads as missing."""

    def __init__(self, path: Path, *, compress: bool = False) -> None:
        self.path = path
        self.compress = compress

    def load(self) -> T | None:
        try:
            data = self.path.read_bytes()
            value: T = pickle.loads(zlib.decompress(data) if self.compress else data)
        except (OSError, zlib.error, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
            return None
        return value

    def save(self, value: T) -> bool:
        """Whether it was saved."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return save_bytes(self.path, zlib.compress(data, 1) if self.compress else data)


def save_bytes(path: Path, data: bytes) -> bool:
    """Write `path` atomically, its folder made if need be; whether it was written."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):  # its folder may be a file, a link refused, or gone
            temporary.unlink(missing_ok=True)
        return False
    return True


def read_text(path: Path) -> str | None:
    """An ordinary file's text; None when it is missing, a link, not an ordinary file (a pipe:
    never opened, it would block) or unreadable. safepaths.unsafe_records names the bad ones."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def save_text(path: Path, text: str) -> bool:
    """Write `text` into `path` atomically unless it already holds it (a link there is replaced,
    never written through); whether the file now holds it."""
    if read_text(path) == text:
        return True
    return save_bytes(path, text.encode("utf-8"))
