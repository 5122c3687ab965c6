"""`site-builder serve`: serves under the base URL, rebuilds once per burst of saves, shows a
broken front-matter as an error page instead of dying, and recovers when it is fixed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Project, report_text
from servers import fetch, serving, wait_for

REPORT = "content/chongqing/tongnan/shuangjiang/2023.md"


@pytest.fixture
def server(project: Project) -> Iterator[tuple[str, Path, Project]]:
    with serving(project.root, "/reports-site/") as served:
        yield served.base, served.log, project
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
