"""`site-builder serve`: serves under the base URL, rebuilds once per burst of saves, shows a
broken front-matter as an error page instead of dying, and recovers when it is fixed."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Project, report_text

REPORT = "content/chongqing/tongnan/shuangjiang/2023.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_for(predicate, timeout: float = 300.0) -> bool:  # generous: a loaded CI host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    return False


@pytest.fixture
def server(project: Project) -> Iterator[tuple[str, Path, Project]]:
    port = free_port()
    log = project.root / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-u", "-m", "site_builder", "serve", "--port", str(port),
                                    "--base-url", "/reports-site/", "--config", str(project.root / "config.yaml")],
                                   cwd=project.root, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}/reports-site/"
        try:
            assert wait_for(lambda: fetch(base)[0] == 200), log.read_text()
            yield base, log, project
        finally:
            process.terminate()
            process.wait(timeout=120)
    # What the cache kept of serve's output folder (a temporary one) goes with it.
    assert list((project.root / ".site-cache" / "outputs").glob("*")) == []


def test_serve_rebuilds_reloads_and_survives_errors(server: tuple[str, Path, Project]) -> None:
    base, log, project = server
    status, home = fetch(base)
    assert status == 200 and "livereload.js" in home and 'href="/reports-site/regions/"' in home
    assert fetch(f"http://127.0.0.1:{base.split(':')[2].split('/')[0]}/")[0] == 200  # redirected to the base URL
    assert fetch(base + "no/such/page/")[0] == 404

    # Ten files written at once (a git checkout) give one rebuild (two when the machine stalls mid-burst).
    builds_before = log.read_text().count("rebuilt:")
    for index in range(10):
        project.write(f"content/extra/town{index}.md", report_text(town=f"新{'一二三四五六七八九十'[index]}镇", year=2022))
    assert wait_for(lambda: fetch(base + "towns/")[1].count("新") >= 10)
    time.sleep(2.0)
    assert log.read_text().count("rebuilt:") - builds_before in (1, 2), log.read_text()

    # A broken front-matter shows the problem in the browser; the server stays up.
    path = project.root / REPORT
    good = report_text()
    path.write_text(good, encoding="utf-8")
    assert wait_for(lambda: "区委、区政府：" in fetch(base + "chongqing/tongnan/shuangjiang/2023/")[1])
    path.write_text(good.replace("year: 2023", "year: 二〇二三"), encoding="utf-8")
    assert wait_for(lambda: fetch(base)[0] == 500)
    status, page = fetch(base + "chongqing/")
    assert status == 500 and "Build failed" in page and "2023.md:7</h2>" in page  # Chinese unless asked: test_editor_mistakes
    assert '<span class="here">   7 | year: 二〇二三</span>' in page and "write: year: 2023" in page  # the line in its context

    # Fixing it brings the site back, with the edit.
    path.write_text(good.replace("title: 关于2023年法治政府建设情况的报告", "title: 修改后的标题"), encoding="utf-8")
    assert wait_for(lambda: "修改后的标题" in fetch(base + "chongqing/tongnan/shuangjiang/2023/")[1])
