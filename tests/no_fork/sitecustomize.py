"""Loaded first by every Python started with this folder on PYTHONPATH: a Linux that looks like
Windows to site_builder — no os.fork (nor the other POSIX-only calls it used), no fcntl, the spawn
start method, no asyncio signal handlers. tests/test_portable.py runs build, serve and search so."""

import multiprocessing
import os
import signal
import sys

for name in ("fork", "forkpty", "register_at_fork", "pread", "pwrite", "sched_getaffinity"):
    if hasattr(os, name):
        delattr(os, name)
if hasattr(signal, "pthread_sigmask"):
    delattr(signal, "pthread_sigmask")
sys.modules["fcntl"] = None  # type: ignore[assignment]  # `import fcntl` raises ImportError, as on Windows
multiprocessing.set_start_method("spawn", force=True)


def _no_signal_handlers(*_args: object) -> None:
    raise NotImplementedError  # Windows' event loops have no add_signal_handler


if sys.platform != "win32":  # on Windows itself, nothing to take away
    import asyncio.unix_events

    asyncio.unix_events._UnixSelectorEventLoop.add_signal_handler = _no_signal_handlers  # type: ignore[method-assign, assignment]
os.environ["SITE_BUILDER_NO_FORK_SHIM"] = "1"
