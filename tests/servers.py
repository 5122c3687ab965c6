"""`site-builder serve` started as a user starts it, for every test that drives it over HTTP: a free
port, a subprocess whose output goes to a log, a wait for its first answer, and a stop that leaves
no process behind. The waits are hang detectors for a loaded CI host, not speed checks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

GENEROUS = 300.0
"""Seconds a test waits for a server before calling it hung (a busy host rebuilds slowly)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    """Status and text of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def fetch_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return bytes(response.read())


def wait_for(predicate: Callable[[], bool], timeout: float = GENEROUS) -> bool:
    """True once predicate holds (connection errors count as not yet), False after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    return False


@dataclass
class Served:
    base: str
    """The site's address, ending in the base URL: http://127.0.0.1:PORT/sub/."""
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def port(self) -> int:
        return int(self.base.split(":")[2].split("/")[0])

    def logged(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serving(root: Path, base_url: str = "/", *, ready: int | None = 200, ready_path: str = "",
            config: bool = True, env: dict[str, str] | None = None) -> Iterator[Served]:
    """`site-builder serve` in root (with root/config.yaml unless config=False), its output in root/serve.log;
    yields once base_url + ready_path answers with the status `ready` (None: at once); always stopped after."""
    port = free_port()
    log = root / "serve.log"
    command = [sys.executable, "-u", "-m", "site_builder", "serve", "--port", str(port)]
    if base_url != "/":
        command += ["--base-url", base_url]
    if config:
        command += ["--config", str(root / "config.yaml")]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=root, env=env if env is not None else dict(os.environ),
                                   stdout=out, stderr=subprocess.STDOUT)
        served = Served(f"http://127.0.0.1:{port}{base_url}", log, process)
        try:
            if ready is not None:
                assert wait_for(lambda: fetch(served.base + ready_path)[0] == ready), served.logged()
            yield served
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it is still there after a generous wait."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
