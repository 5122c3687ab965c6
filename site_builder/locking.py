"""The output lock: one build at a time writes a given output folder; a lock whose holder died
is taken over instead of waited on for ever.

The mechanism is the system's own lock where there is one — flock (Linux, macOS), a byte-range
lock (Windows) — which the system releases when its holder dies; elsewhere, a lock file created
exclusively, taken over by PID once its holder is gone."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from site_builder.i18n import t
from site_builder.safepaths import open_for_write

try:
    import fcntl

    HAVE_FLOCK = True
except ImportError:  # Windows
    HAVE_FLOCK = False
if sys.platform == "win32":
    import msvcrt

_WINDOWS_LOCK_OFFSET = 1 << 20
"""The byte locked on Windows: far from the holder's PID at the start, which others must read."""
_held_locks: set[int] = set()
_soft_locks: dict[int, Path] = {}


def _forget_locks_in_child() -> None:
    """A forked worker must not keep the build's lock alive: only the build process holds it."""
    for fd in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_forget_locks_in_child)


def _process_gone(pid: int) -> bool:
    """True when no process `pid` runs (a zombie, killed but not yet reaped, counts as gone)."""
    if sys.platform == "win32":
        return _windows_process_gone(pid)
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


if sys.platform == "win32":
    def _windows_process_gone(pid: int) -> bool:
        """os.kill(pid, 0) would end the process on Windows: ask for its exit code instead."""
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 87  # ERROR_INVALID_PARAMETER: no such process
        try:
            code = ctypes.c_ulong()
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value != 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)


def _read_at_start(fd: int, size: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)  # os.pread does not exist on Windows
    return os.read(fd, size)


def _holder(fd: int) -> int:
    try:
        return int(_read_at_start(fd, 32).decode("ascii", "replace").strip() or 0)
    except (OSError, ValueError):
        return 0


def _try_lock(fd: int) -> bool:
    """Lock the open file `fd` exclusively without waiting; False when another process holds it."""
    if HAVE_FLOCK:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    if sys.platform == "win32":
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    return True  # soft locks: holding the file created exclusively is the lock (see _open)


def _open(path: Path) -> int | None:
    """The lock file opened for locking; None, with soft locks, when another process created it."""
    if HAVE_FLOCK or sys.platform == "win32":
        return open_for_write(path, os.O_CREAT | os.O_RDWR)  # never through a link planted at `path`
    try:
        fd = open_for_write(path, os.O_CREAT | os.O_EXCL | os.O_RDWR)
    except FileExistsError:
        return None
    _soft_locks[fd] = path
    return fd


def _soft_holder(path: Path) -> int:
    try:
        return int(path.read_text(encoding="ascii", errors="replace").strip() or 0)
    except (OSError, ValueError):
        return 0


def acquire_lock(path: Path, what: str) -> int:
    """An exclusive lock on `path`, held until `release_lock` is given the returned descriptor.

    Another build holding it is waited for; a lock whose holder has died (its forked workers, say,
    kept it alive) is taken over with a message, never waited on for ever."""
    announced = False
    while True:
        fd = _open(path)
        if fd is not None and _try_lock(fd):
            if os.fstat(fd).st_ino != _inode(path):  # taken over and replaced meanwhile: lock the new file
                _soft_locks.pop(fd, None)  # (not ours to remove)
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode())
            _held_locks.add(fd)
            return fd
        holder = _holder(fd) if fd is not None else _soft_holder(path)
        if holder and _process_gone(holder):
            _take_over(path, fd, holder, what)
            continue
        if fd is not None:
            os.close(fd)
        if not announced:
            print(t("Another build (process {process}) is writing {what}; waiting for it to finish…", process=holder or "?",
                    what=what),
                  file=sys.stderr, flush=True)
            announced = True
        time.sleep(0.2)


def _inode(path: Path) -> int:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return -1


def _take_over(path: Path, fd: int | None, holder: int, what: str) -> None:
    """Replace a lock file whose holder is gone, under a guard lock so two builds cannot both do it
    (soft locks have no guard: two builds starting at once after a crash could both take over)."""
    guard = open_for_write(path.with_name(path.name + ".guard"), os.O_CREAT | os.O_RDWR)
    try:
        if HAVE_FLOCK:
            fcntl.flock(guard, fcntl.LOCK_EX)
        elif sys.platform == "win32":
            msvcrt.locking(guard, msvcrt.LK_LOCK, 1)
        same = os.fstat(fd).st_ino == _inode(path) if fd is not None else _soft_holder(path) == holder
        if same:
            print(t("The build that locked {what} (process {process}) has ended without releasing it; taking over.",
                    what=what, process=holder),
                  file=sys.stderr, flush=True)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    finally:
        os.close(guard)
        if fd is not None:
            os.close(fd)


def _close(fd: int) -> None:
    """Close a lock file's descriptor; a soft lock's file goes with it (it is the lock)."""
    soft = _soft_locks.pop(fd, None)
    if soft is not None:
        with contextlib.suppress(FileNotFoundError):
            soft.unlink()
    os.close(fd)  # closing releases a system lock


def release_lock(fd: int) -> None:
    _held_locks.discard(fd)
    _close(fd)
