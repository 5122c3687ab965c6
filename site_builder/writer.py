"""Stage 5: the one writer. Pages go into a staging folder beside the output; only a build that
finished swaps it in, atomically. A failed, interrupted or concurrent build never leaves a broken
site behind."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import sys
import time
from pathlib import Path, PurePosixPath
from types import TracebackType

from site_builder.diagnostics import BuildError, error

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
MARKER = ".site-builder-output"
"""A file in every built site: only a folder holding it is ever replaced by a build."""
MARKER_TEXT = "This folder is written by site-builder and replaced on every build; do not keep files here.\n"


class OutputError(BuildError):
    """The output folder cannot be written; the message says what to do."""

    def __init__(self, path: Path, what: str, hint: str) -> None:
        super().__init__([error(str(path), 0, "", what, hint)], "nothing was written; the previous site is unchanged")

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a worker process, it reaches the build as the BuildError it is.
        return (BuildError, (self.diagnostics, self.summary))


_held_locks: set[int] = set()


def _forget_locks_in_child() -> None:
    """A forked worker must not keep the build's lock alive: only the build process holds it."""
    for fd in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


def _process_gone(pid: int) -> bool:
    """True when no process `pid` runs (a zombie, killed but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state in ("Z", "X")


def _holder(fd: int) -> int:
    try:
        return int(os.pread(fd, 32, 0).decode("ascii", "replace").strip() or 0)
    except (OSError, ValueError):
        return 0


def acquire_lock(path: Path, what: str) -> int:
    """An exclusive lock on `path` (flock), held until the returned descriptor is closed.

    Another build holding it is waited for; a lock whose holder has died (its forked workers, say,
    kept it alive) is taken over with a message, never waited on for ever."""
    announced = False
    while True:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if holder and _process_gone(holder):
                _take_over(path, fd, holder, what)
                continue
            os.close(fd)
            if not announced:
                print(f"another build (process {holder or '?'}) is writing {what}; waiting for it to finish…",
                      file=sys.stderr, flush=True)
                announced = True
            time.sleep(0.2)
            continue
        if os.fstat(fd).st_ino != _inode(path):  # taken over and replaced meanwhile: lock the new file
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held_locks.add(fd)
        return fd


def _inode(path: Path) -> int:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return -1


def _take_over(path: Path, fd: int, holder: int, what: str) -> None:
    """Replace a lock file whose holder is gone, under a guard lock so two builds cannot both do it."""
    guard = os.open(path.with_name(path.name + ".guard"), os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if os.fstat(fd).st_ino == _inode(path):
            print(f"the build that locked {what} (process {holder}) has ended without releasing it; taking over",
                  file=sys.stderr, flush=True)
            path.unlink()
    finally:
        os.close(guard)
        os.close(fd)


def release_lock(fd: int) -> None:
    _held_locks.discard(fd)
    os.close(fd)  # closing releases the flock


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


GENERATOR_TAG = b'<meta name="generator" content="site_builder">'


def _built_before_markers(output: Path) -> bool:
    """A site written by site-builder 0.1 (before MARKER): its home page names the generator."""
    try:
        with (output / "index.html").open("rb") as page:
            return GENERATOR_TAG in page.read(4096)
    except OSError:
        return False


def unsafe_output(output: Path, project: Path | None, protected: dict[str, Path]) -> str:
    """Why writing the site to `output` would destroy something ('' when it is safe).

    The output may lie inside the project but must not be it or contain it; it must not be, contain
    or lie inside a `protected` folder (content/, the theme). It is replaced whole, so it must be a
    folder site-builder wrote (it holds MARKER), an empty one, or a new one."""
    output = output.resolve()
    if output == Path(output.anchor) or output == Path.home().resolve():
        return f"{output} is a root or home folder"
    if project is not None and project.resolve().is_relative_to(output):
        return f"it is or contains the project ({project.resolve()})"
    for what, folder in protected.items():
        folder = folder.resolve()
        if output == folder or folder.is_relative_to(output):
            return f"it is or contains {what} ({folder})"
        if output.is_relative_to(folder):
            return f"it is inside {what} ({folder})"
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        return f"{output} exists and is not a folder"
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file() and not _built_before_markers(output):
        return (f"{output} already holds files that site-builder did not write (it has no {MARKER}); "
                "a build replaces the whole folder")
    return ""


class SiteWriter:
    """`with SiteWriter(out) as w: w.write(...); w.commit()` — without commit() nothing changes."""

    def __init__(self, output: Path, project: Path | None = None, protected: dict[str, Path] | None = None) -> None:
        self.project, self.protected = project, protected or {}
        self.output = output.resolve()
        self.parent = self.output.parent
        self.staging = self.parent / f".{self.output.name}.staging"
        self.previous = self.parent / f".{self.output.name}.previous"
        self._lock_file: int | None = None
        self.files_written = 0
        self.bytes_written = 0

    def refuse_unsafe(self) -> None:
        """Raise OutputError when the output folder must not be replaced (see unsafe_output)."""
        try:
            reason = unsafe_output(self.output, self.project, self.protected)
        except OSError as exc:  # a name too long for the file system, a folder that cannot be read
            raise self.explain(exc) from None
        if reason:
            raise OutputError(self.output, f"refusing to write the site here: {reason}",
                              "choose a new or empty folder for --output / output_dir (the default is `site`); "
                              "a folder site-builder built before can be reused")

    def __enter__(self) -> SiteWriter:
        self.refuse_unsafe()  # before anything is created: a wrong --output must never cost a file
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._lock_file = acquire_lock(self.parent / f".{self.output.name}.lock", f"{self.output.name}/")
        except OSError as exc:
            raise self.explain(exc) from None
        self._recover()
        try:
            self.staging.mkdir()
            (self.staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        except OSError as exc:
            raise self.explain(exc) from None
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
            raise self.explain(exc) from None
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
            raise self.explain(exc) from None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            if self._lock_file is not None:
                release_lock(self._lock_file)

    def explain(self, exc: OSError) -> OutputError:
        if exc.errno == errno.ENOSPC:
            return OutputError(self.output, "the disk is full", "free some space and build again; the previous site is unchanged")
        if exc.errno == errno.ENAMETOOLONG:
            return OutputError(self.output, "the folder's name is too long for the file system",
                               "choose a shorter --output / output_dir; the previous site is unchanged")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return OutputError(self.output, f"no permission to write here ({exc.filename})",
                               "choose a writable --output folder or fix its permissions; the previous site is unchanged")
        return OutputError(self.output, f"{exc.strerror} ({exc.filename})", "the previous site is unchanged")
