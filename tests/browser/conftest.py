"""A real browser (Debian's chromium, driven by Playwright for Python; never `playwright install`)
against the built seed site, served under a sub-path on 127.0.0.1. axe-core comes from the npm
registry (`.ci/run` installs it; AXE_CORE points elsewhere)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import REPO, copy_project

from site_builder.cli import main

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
"""Debian's chromium; CHROMIUM names another (or none: CHROMIUM=/nonexistent runs the suite as without it)."""
AXE = Path(os.environ.get("AXE_CORE", REPO / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"))
ARTIFACTS = REPO / "tests" / "artifacts"
BASE = "/reports-site/"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

HOSTILE_REPORT = """---
title: 测试镇2022年度法治政府建设情况报告
unit: 重庆市潼南区测试镇人民政府
town: 测试镇
county: 潼南区
province: 重庆市
year: 2022
---

## 一、主要举措和成效

网站曾收到一段文字 `<script>alert(1)</script>`，已作为普通文字保存。

## 二、存在的不足和原因

无。

## 三、党政主要负责人履行推进法治建设第一责任人职责情况

无。

## 四、2023年主要安排

无。
"""

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' installs playwright")


def _require(condition: bool, reason: str) -> None:
    """Skip where the browser pieces are missing, except when SITE_BUILDER_REQUIRE_BROWSER=1
    (.ci/run sets it after installing them): there, a missing piece fails the run."""
    if not condition:
        if os.environ.get("SITE_BUILDER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (.ci/run installs it)")
        pytest.skip(reason)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("www")


@pytest.fixture(scope="session")
def site_project(site_root: Path) -> Path:
    """The project the browser tests' site is built from (its config.yaml)."""
    return site_root / "project" / "config.yaml"


@pytest.fixture(scope="session")
def site_url(site_root: Path) -> Iterator[str]:
    root = site_root
    project = copy_project(root / "project")
    # A sixth report whose text holds markup, to check that results show it as text.
    project.write("content/chongqing/tongnan/ceshi/2022.md", HOSTILE_REPORT)
    assert main(["build", "--config", str(project.root / "config.yaml"), "--base-url", BASE,
                 "--output", str(root / "www" / BASE.strip("/"))]) == 0
    handler = functools.partial(QuietHandler, directory=str(root / "www"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{BASE}"
    server.shutdown()


HANG_MS = 180_000
"""How long a page load or a wait_for_function may take before the test calls it hung (Playwright's
default, 30 s, a loaded CI host can exceed): a hang detector, not a speed check."""


def _generous_waits(instance: object) -> None:
    """Every context and page the tests open gets HANG_MS as its default timeout."""
    new_context, new_page = instance.new_context, instance.new_page  # type: ignore[attr-defined]

    def context(*args: object, **kwargs: object) -> object:
        made = new_context(*args, **kwargs)
        made.set_default_timeout(HANG_MS)
        return made

    def page(*args: object, **kwargs: object) -> object:
        made = new_page(*args, **kwargs)
        made.set_default_timeout(HANG_MS)
        return made

    instance.new_context, instance.new_page = context, page  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require(Path(CHROMIUM).exists(), f"no chromium at {CHROMIUM} (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        _generous_waits(instance)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, site_url):
    """A desktop page that fails the test if anything is requested from another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    outside: list[str] = []
    origin = site_url.split(BASE)[0]

    def guard(route):
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab.route("**/*", guard)
    yield tab
    context.close()
    assert outside == [], f"requests left the site: {outside}"


@pytest.fixture(scope="session")
def axe_source() -> str:
    _require(AXE.is_file(), f"axe-core not found at {AXE} (npm install --prefix .ci/node axe-core@4)")
    return AXE.read_text(encoding="utf-8")


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{BASE}"


def _build(project_root: Path, www: Path) -> None:
    assert main(["build", "--config", str(project_root / "config.yaml"), "--base-url", BASE,
                 "--output", str(www / BASE.strip("/"))]) == 0


def _page_types(site: Path, search_word: str) -> dict[str, str]:
    """A page of each type, found in the built site."""
    def first(pattern: str) -> str:
        return sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob(pattern))[0]

    years = sorted(p.parent.name for p in site.glob("years/*/index.html"))
    return {"home": "", "report": first("*/*/*/[0-9][0-9][0-9][0-9]/index.html"), "town": first("*/*/*/index.html"),
            "county": first("*/*/index.html"), "province": first("*/index.html"), "regions": "regions/", "years": "years/",
            "year": f"years/{years[-1]}/", "towns": "towns/", "stats": "stats/", "stats-county": first("stats/*/*/index.html"),
            "search-results": "search/?q=" + quote(search_word), "search-none": "search/?q=" + quote("不存在的词语甲乙丙"),
            "404": "404.html", "sitemap": "sitemap/"}


PROJECTS: dict[str, Path] = {}
"""The project folder of each site `sites` builds (for tests that count its reports plainly)."""


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, dict[str, str]]]]:
    """The bundled site and a generated one of 1,000 reports, each served: (its URL, a page of each type)."""
    from corpus import generate

    root = tmp_path_factory.mktemp("phones")
    bundled = copy_project(root / "bundled")
    _build(bundled.root, root / "www-bundled")
    PROJECTS["bundled"] = bundled.root
    generated = copy_project(root / "generated", with_content=False)
    PROJECTS["generated"] = generated.root
    generate(1000, generated.root)
    _build(generated.root, root / "www-generated")
    servers = []
    found = {}
    for name in ("bundled", "generated"):
        server, url = _serve(root / f"www-{name}")
        servers.append(server)
        found[name] = (url, _page_types(root / f"www-{name}" / BASE.strip("/"), "矛盾纠纷"))
    yield found
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def site_projects(sites: dict[str, tuple[str, dict[str, str]]]) -> dict[str, Path]:
    """The project folder of each of `sites` (for tests that count its reports plainly)."""
    return PROJECTS
