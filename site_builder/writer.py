"""Stage 5: the one writer. Pages go into a staging folder beside the output; only a build that
finished swaps it in, atomically. A failed, interrupted or concurrent build never leaves a broken
site behind."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from pathlib import Path, PurePosixPath
from types import TracebackType

from site_builder.diagnostics import BuildError, error

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(BuildError):
    """The output folder cannot be written; the message says what to do."""

    def __init__(self, path: Path, what: str, hint: str) -> None:
        super().__init__([error(str(path), 0, "", what, hint)], f"output not written: {what}")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


class SiteWriter:
    """`with SiteWriter(out) as w: w.write(...); w.commit()` — without commit() nothing changes."""

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.parent = self.output.parent
        self.staging = self.parent / f".{self.output.name}.staging"
        self.previous = self.parent / f".{self.output.name}.previous"
        self._lock_file: int | None = None
        self.files_written = 0
        self.bytes_written = 0

    def __enter__(self) -> SiteWriter:
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._lock_file = os.open(self.parent / f".{self.output.name}.lock", os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as exc:
            raise self._explain(exc) from None
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another build is writing {self.output.name}/; waiting for it to finish…", flush=True)
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        if self.output.exists() and not self.output.is_dir():
            raise OutputError(self.output, "the output path exists and is not a folder", "remove it or choose another --output")
        self._recover()
        try:
            self.staging.mkdir()
        except OSError as exc:
            raise self._explain(exc) from None
        return self

    def _recover(self) -> None:
        """Undo what a build killed mid-swap (fallback path) or mid-write left behind."""
        if self.previous.exists() and not self.output.exists():
            os.rename(self.previous, self.output)
        for leftover in (self.staging, self.previous):
            if leftover.exists():
                shutil.rmtree(leftover)

    def target(self, rel_path: str) -> Path:
        """The staging path for a site-relative path; refuses anything that would leave the site."""
        pure = PurePosixPath(rel_path)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in rel_path or "\x00" in rel_path:
            raise OutputError(self.output, f"refusing to write outside the site: {rel_path!r}", "check the slug fields")
        return self.staging.joinpath(*pure.parts)

    def write(self, rel_path: str, data: bytes | str) -> None:
        self.count(1, self.write_uncounted(rel_path, data))

    def write_uncounted(self, rel_path: str, data: bytes | str) -> int:
        """Write one file into the staging folder (safe from worker processes); returns its size."""
        payload = data.encode("utf-8") if isinstance(data, str) else data
        path = self.target(rel_path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(payload)
        except OSError as exc:
            raise self._explain(exc) from None
        return len(payload)

    def count(self, files: int, size: int) -> None:
        """Add files written with write_uncounted (by worker processes, say) to the totals."""
        self.files_written += files
        self.bytes_written += size

    def commit(self) -> None:
        """Make the staged site the output in one step."""
        try:
            if not self.output.exists():
                os.rename(self.staging, self.output)
                return
            if _exchange(self.staging, self.output):
                shutil.rmtree(self.staging)  # now holds the old site
                return
            os.rename(self.output, self.previous)
            os.rename(self.staging, self.output)
            shutil.rmtree(self.previous)
        except OSError as exc:
            raise self._explain(exc) from None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            if self._lock_file is not None:
                os.close(self._lock_file)  # closing releases the flock

    def _explain(self, exc: OSError) -> OutputError:
        if exc.errno == errno.ENOSPC:
            return OutputError(self.output, "the disk is full", "free some space and build again; the previous site is unchanged")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return OutputError(self.output, f"no permission to write here ({exc.filename})",
                               "choose a writable --output folder or fix its permissions; the previous site is unchanged")
        return OutputError(self.output, f"{exc.strerror} ({exc.filename})", "the previous site is unchanged")
