"""Regenerate docs/screenshots/: every page type of the bundled site at 375 px (phone) and 1280 px
(desktop), plus the report and stats pages in 长辈模式 on a phone, in Debian's chromium.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --full-page
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.cli import main as site_builder  # noqa: E402

PAGES = {
    "home": "", "report": "chongqing/fengdu/rensha/2024/", "town": "chongqing/tongnan/shuangjiang/", "county": "chongqing/tongnan/",
    "province": "chongqing/", "regions": "regions/", "years": "years/", "year": "years/2023/", "towns": "towns/",
    "stats": "stats/", "stats-county": "stats/chongqing/fengdu/", "search": "search/?q=" + quote("矛盾纠纷"),
    "search-none": "search/?q=" + quote("没有这个词"), "404": "404.html", "sitemap": "sitemap/",
}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not only the first screen")
    parser.add_argument("--trend-only", action="store_true", help="only the statistics with a units list and the trend view")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if args.trend_only:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            count = trend_shots(browser, args.out)
            browser.close()
        print(f"wrote {count} screenshots to {args.out}")
        return 0

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copy(ROOT / "config.yaml", work / "config.yaml")
        shutil.copytree(ROOT / "content", work / "content")
        if site_builder(["build", "--config", str(work / "config.yaml"), "--output", str(work / "www")]) != 0:
            return 1
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(work / "www")))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            shots = [(name, path, width, "") for name, path in PAGES.items() for width in (375, 1280)]
            shots += [("report", PAGES["report"], 375, "elderly"), ("stats", PAGES["stats"], 375, "elderly")]
            for name, path, width, mode in shots:
                context = browser.new_context(viewport={"width": width, "height": 812 if width < 600 else 900},
                                              device_scale_factor=2 if width < 600 else 1, locale="zh-CN")
                if mode:
                    context.add_init_script("localStorage.setItem('elderly', 'on');")
                tab = context.new_page()
                tab.goto(base + path)
                if name.startswith("search"):
                    tab.wait_for_function("document.getElementById('search-status').textContent.length > 0")
                suffix = ("phone" if width < 600 else "desktop") + (f"-{mode}" if mode else "")
                tab.screenshot(path=str(args.out / f"{name}-{suffix}.png"), full_page=args.full_page)
                context.close()
            browser.close()
        server.shutdown()
    print(f"wrote {len(shots)} screenshots to {args.out}")
    return 0


def trend_shots(browser: object, out: Path) -> int:
    """The trend view and a county's coverage with a units list, on the tests' generated corpus
    (units that never publish, late ones, a merged unit): the bundled site has one report a town."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import copy_project
    from test_stats_units import units_csv, write_corpus

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        project = copy_project(work / "project")
        write_corpus(project, units_csv())
        if site_builder(["build", "--config", str(project.root / "config.yaml"), "--output", str(work / "www")]) != 0:
            return 0
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(work / "www")))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        out.mkdir(parents=True, exist_ok=True)
        shots = [("trend-phone", "chongqing/tongnan/shuangjiang/", "#trends", 375),
                 ("stats-units-phone", "stats/chongqing/tongnan/", "#coverage", 375),
                 ("county-trend-desktop", "stats/chongqing/tongnan/", "#trends", 1280)]
        for name, path, anchor, width in shots:
            context = browser.new_context(viewport={"width": width, "height": 812 if width < 600 else 900},  # type: ignore[attr-defined]
                                          device_scale_factor=2 if width < 600 else 1, locale="zh-CN")
            tab = context.new_page()
            tab.goto(base + path + anchor)
            tab.screenshot(path=str(out / f"{name}.png"))
            context.close()
        server.shutdown()
    return len(shots)


if __name__ == "__main__":
    sys.exit(main())
