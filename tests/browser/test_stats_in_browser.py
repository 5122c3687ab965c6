"""The statistics of a site with a list of units (units that never publish, late ones, a merged
unit) and the trend view, in a real browser at 320, 375 and 1280 px, normal and 长辈模式: nothing
scrolls sideways, every target is large enough, axe-core finds nothing. The charts are HTML and
CSS: nothing of them needs JavaScript."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest
from conftest import copy_project

from site_builder.cli import main
from tests.browser.conftest import BASE, QuietHandler
from tests.browser.test_phones import AUDIT, MODES, WIDTHS
from tests.browser.test_site_in_browser import run_axe
from tests.test_stats_units import units_csv, write_corpus

PAGES = {"stats": "stats/", "stats-county": "stats/chongqing/tongnan/", "stats-county-never": "stats/shandong/yiyuan/",
         "town-trend": "chongqing/tongnan/shuangjiang/"}


@pytest.fixture(scope="module")
def listed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("listed")
    project = copy_project(root / "project")
    write_corpus(project, units_csv())
    www = root / "www"
    assert main(["build", "--config", str(project.root / "config.yaml"), "--base-url", BASE, "--output", str(www / BASE.strip("/"))]) == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{BASE}"
    server.shutdown()


@pytest.mark.parametrize("mode", ["normal", "elderly"])
def test_statistics_and_trends_fit_phones_and_pass_axe(browser, listed_url: str, axe_source: str, mode: str) -> None:
    problems: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
        context.add_init_script(MODES[mode])
        tab = context.new_page()
        for name, path in PAGES.items():
            tab.goto(listed_url + path)
            problems += [f"{width}px {name}: {p}" for p in tab.evaluate(AUDIT, mode == "elderly")]
            problems += [f"{width}px {name}: axe {v['id']}" for v in run_axe(tab, axe_source)]
        context.close()
    assert problems == [], "\n".join(problems[:40])


def test_the_trend_chart_needs_no_javascript(browser, listed_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(listed_url + PAGES["town-trend"])
    bars = tab.locator("figure.trend li .bar")
    assert bars.count() >= 2 and all(bars.nth(i).bounding_box()["width"] > 0 for i in range(bars.count()))
    assert tab.locator("figure.trend li a").first.is_visible()
    context.close()
