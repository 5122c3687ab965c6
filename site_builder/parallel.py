"""Spread the two heavy stages over the CPU cores: reading + rendering Markdown, and rendering +
writing pages. Workers are forked, so they see the site model without it being pickled."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200
_shared: object = None
_active_pools: list[ProcessPoolExecutor] = []
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Worker start-up: killed by the kernel when the build that forked it dies, however it dies
    (a worker left behind would hold the output lock and its memory); Ctrl-C is the parent's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held by the parent while it forked
    libc_name = ctypes.util.find_library("c")
    if libc_name and sys.platform.startswith("linux"):  # prctl is Linux's; macOS's workers just outlive a killed build
        ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


class Terminated(BaseException):
    """SIGTERM (a supervisor, `kill`): stop like Ctrl-C, leaving the previous site as it was."""


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while workers are forked: raised inside the fork's own handlers, the
    exception would only be printed, and the build go on without its killed workers."""
    if not hasattr(signal, "pthread_sigmask"):  # no POSIX signals: nothing is forked either
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def kill_workers() -> None:
    """Kill every worker of the pools running now (the build is being stopped)."""
    for pool in list(_active_pools):
        _kill(pool)


def _kill(pool: ProcessPoolExecutor) -> None:
    # ProcessPoolExecutor has no public way to kill its processes; _processes maps pid -> Process
    # (until shutdown: _stop_when_done keeps them).
    for process in list((getattr(pool, "_processes", None) or _draining.get(pool) or {}).values()):
        process.kill()


_draining: dict[ProcessPoolExecutor, dict[int, multiprocessing.process.BaseProcess]] = {}
"""The processes of pools shut down while their work goes on (start_forked), to kill if stopped."""


def _stop_when_done(pool: ProcessPoolExecutor) -> None:
    """Let the processes end as soon as the work given to them is done, not when the caller
    collects the results: a process that has finished still holds all the memory it used (the
    statistics' downloads: 0.3 GB at 20,000 reports), for as long as the rest of the build."""
    _draining[pool] = dict(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False)  # documented: pending work still runs; then the workers exit


def workers() -> int:
    try:
        return max(1, min(len(os.sched_getaffinity(0)), 8))
    except AttributeError:  # not Linux
        return max(1, min(os.cpu_count() or 1, 8))


def _fork_ready() -> None:
    """Move everything that exists now out of the collector's reach, so forked workers do not copy
    every page of the parent's memory just by walking it (copy-on-write). The parent undoes it
    with gc.unfreeze() once the workers are forked: each process has its own collector."""
    gc.freeze()


def can_fork() -> bool:
    """False on Windows (and wherever os.fork is missing): the work then runs in this process, which
    gives the same bytes. Spawned workers would have to be sent the whole site model, pickled."""
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def shared() -> object:
    """What the parent passed to `map_forked`, as seen inside a worker."""
    return _shared


def map_forked(function: Callable[[T], R], items: Sequence[T], context: object = None,
               parallel: bool | None = None) -> Iterator[R]:
    """`(function(item) for item in items)`, in forked workers when that pays off; order kept.

    `context` is visible to workers through `shared()` without being pickled. `parallel=None`
    decides by the number of items."""
    global _shared
    count = workers()
    if parallel is None:
        parallel = len(items) >= PARALLEL_THRESHOLD
    _shared = context
    try:
        if not parallel or count == 1 or not can_fork():
            yield from (function(item) for item in items)
            return
        _fork_ready()
        pool = ProcessPoolExecutor(count - 1, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_die_with_parent, initargs=(os.getpid(),))
        _active_pools.append(pool)
        try:
            size = max(1, len(items) // (count * 6))
            yield from _shared_work(pool, count - 1, function, [items[i: i + size] for i in range(0, len(items), size)])
        except BaseException:
            kill_workers()  # a failed or stopped build must not wait for the rest of the queue
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        else:
            pool.shutdown()
        finally:
            _active_pools.remove(pool)
            gc.unfreeze()
    finally:
        _shared = None


def _apply(function: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [function(item) for item in chunk]


def _shared_work(pool: ProcessPoolExecutor, forked: int, function: Callable[[T], R],
                 chunks: list[Sequence[T]]) -> Iterator[R]:
    """The results of every chunk, in order: `forked` workers take chunks from the front of the
    queue, and this process takes the next one whenever the chunk due is not ready — a core is
    never left to a process that only waits, and one process fewer holds its own copy of the pages
    of the site model it reads (copy-on-write)."""
    queued: dict[int, Future[list[R]]] = {}
    here: dict[int, list[R]] = {}
    taken = due = 0
    while due < len(chunks):
        while taken < len(chunks) and len(queued) < 2 * forked:  # the workers never wait for work
            with _signals_held():  # the first submission forks the workers
                queued[taken] = pool.submit(_apply, function, chunks[taken])
            taken += 1
        if due in here:
            yield from here.pop(due)
        elif (due in queued and queued[due].done()) or taken == len(chunks):
            yield from queued.pop(due).result()
        else:
            here[taken] = _apply(function, chunks[taken])
            taken += 1
            continue
        due += 1


class Started(Iterator[R]):
    """Results of `start_forked`, in order; iterating waits for them."""

    def __init__(self, pool: ProcessPoolExecutor | None, results: Iterator[R]) -> None:
        self.pool, self.results = pool, results

    def __next__(self) -> R:
        try:
            return next(self.results)
        except StopIteration:
            self.close(finished=True)
            raise
        except BaseException:
            self.close()
            raise

    def close(self, finished: bool = False) -> None:
        """Stop the work (or, once finished, let the processes end)."""
        if self.pool is not None and self.pool in _active_pools:
            if not finished:
                _kill(self.pool)
            _active_pools.remove(self.pool)
            self.pool.shutdown(wait=finished, cancel_futures=True)
            for process in _draining.pop(self.pool, {}).values():
                process.join()  # ended (or killed): reaped now, not left to the pool's thread


def start_forked(function: Callable[[T], R], items: Sequence[T], context: object = None) -> Started[R]:
    """Like `map_forked`, but the work starts now, in forked processes, while the caller goes on;
    in this process, and at once, where processes cannot be forked."""
    global _shared
    if not can_fork():
        _shared = context
        try:
            return Started(None, iter([function(item) for item in items]))
        finally:
            _shared = None
    _shared = context
    try:
        pool = ProcessPoolExecutor(max(1, min(len(items), workers())), mp_context=multiprocessing.get_context("fork"),
                                   initializer=_die_with_parent, initargs=(os.getpid(),))
        _active_pools.append(pool)
        _fork_ready()
        try:
            with _signals_held():
                futures = [pool.submit(function, item) for item in items]  # the processes are forked here
        finally:
            gc.unfreeze()
        _stop_when_done(pool)
    finally:
        _shared = None
    return Started(pool, (future.result() for future in futures))


def slices(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """Split into `parts` contiguous runs of nearly equal length (none empty)."""
    size, extra = divmod(len(items), parts)
    runs, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        if end > start:
            runs.append(items[start:end])
        start = end
    return runs
