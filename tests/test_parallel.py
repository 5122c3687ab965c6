"""The forked workers: results in order whoever computed them, the parent taking its share of the
work (one process fewer holding copies of the site model's pages), and a process started beside
the build ending as soon as its work is done, not when its results are collected."""

from __future__ import annotations

import os
import time

import pytest

from site_builder import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked only where os.fork exists")


def _slow_pid(item: int) -> tuple[int, int]:
    time.sleep(0.002)
    return item * item, os.getpid()


def test_map_forked_keeps_order_and_the_parent_does_part_of_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    items = list(range(600))
    found = list(parallel.map_forked(_slow_pid, items, parallel=True))
    assert [square for square, _ in found] == [i * i for i in items]
    pids = {pid for _, pid in found}
    assert os.getpid() in pids, "the parent only waited"
    assert len(pids) == 2, "one forked worker besides the parent (two cores)"
    assert not parallel._active_pools


def _fails_at(item: int) -> int:
    if item == 450:
        raise ValueError(item)
    return item


def test_map_forked_raises_what_a_chunk_raises_and_leaves_no_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    with pytest.raises(ValueError, match="450"):
        list(parallel.map_forked(_fails_at, list(range(600)), parallel=True))
    assert not parallel._active_pools


def _pid(item: int) -> tuple[int, int]:
    return item + 1, os.getpid()


def test_a_started_process_ends_once_its_work_is_done_before_the_results_are_read() -> None:
    started = parallel.start_forked(_pid, [1, 2])
    processes = list(parallel._draining[started.pool].values())  # type: ignore[index]
    assert processes
    deadline = time.monotonic() + 60
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(p.is_alive() for p in processes), "a finished process kept its memory until the results were read"
    results = list(started)
    assert [value for value, _ in results] == [2, 3]
    assert {pid for _, pid in results} <= {p.pid for p in processes}
    assert not parallel._active_pools and not parallel._draining


def _forever(item: int) -> int:
    time.sleep(3600)
    return item


def test_a_started_process_stopped_early_is_killed() -> None:
    started = parallel.start_forked(_forever, [1])
    processes = list(parallel._draining[started.pool].values())  # type: ignore[index]
    started.close()
    # The pool's own thread may reap a process first (both wait on it): its end shows a moment later.
    deadline = time.monotonic() + 10
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(p.is_alive() for p in processes)
    assert not parallel._active_pools and not parallel._draining
