"""The output lock: one build at a time writes a given output folder; a lock whose holder died
is taken over instead of waited on for ever."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from pathlib import Path

from site_builder.safepaths import open_for_write

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
        fd = open_for_write(path, os.O_CREAT | os.O_RDWR)  # never through a link planted at `path`
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
    guard = open_for_write(path.with_name(path.name + ".guard"), os.O_CREAT | os.O_RDWR)
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
