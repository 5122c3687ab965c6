"""Search benchmark: site_builder's browser index beside Pagefind (PyPI `pagefind[extended]`,
which segments Chinese) on the same built site, in one run, in real headless Chromium (Debian's
chromium driven by Playwright; never `playwright install`).

    python benchmarks/search.py                  # N = 1000 and 5000
    python benchmarks/search.py 1000 --workdir /dev/shm

For each N: index build time and peak memory (site_builder's browser index is timed on its own;
the whoosh index separately), total index bytes, bytes the browser downloads for a first and a
second query (what a results page needs: index files, script, WebAssembly, the first 10 results),
recall and precision against plain substring search over the sources for the fixed list of
queries below, and query latency in the browser (median, p95).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate
from measure import run

QUERIES = [
    "法治", "矛盾纠纷", "法律顾问", "行政复议", "行政执法", "普法", "调解", "信访", "营商环境", "合法性审查", "依法行政",
    "法治政府建设", "第一责任人", "民主法治", "公共法律服务", "乡村振兴", "执法人员", "规范性文件", "行政诉讼", "宪法",
    "民法典", "枫桥经验", "网格", "扫黑除恶", "综合执法", "法律援助", "政务公开", "出庭应诉", "果品营销调委会", "新丰书院",
    "三治融合", "警司联调", "律师事务所", "长牙齿", "潼南区", "丰都县", "沂源县", "矛盾纠纷 调解", "法律顾问 行政复议",
    "普法 宣传 网格", '"调解成功率"', '"依法治镇"',
]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def plain(markdown: str) -> tuple[str, str]:
    front, body = markdown.split("\n---\n", 1)
    title = re.search(r"^title: (.+)$", front, re.M).group(1).strip().strip('"')
    year = re.search(r"^year: (\d{4})", front, re.M).group(1)
    body = re.sub(r"^#+ ", "", body, flags=re.M).replace("\\", "").replace("`", "")
    return year, unicodedata.normalize("NFKC", title + "\n" + body).lower()


def truth(texts: dict[str, str], query: str) -> set[str]:
    terms = [unicodedata.normalize("NFKC", a or b).lower() for a, b in re.findall(r'"([^"]+)"|(\S+)', query)]
    return {url for url, text in texts.items() if all(t in text for t in terms)}


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


OURS_JS = """async (q) => { const t = performance.now(); const ids = await window.siteSearch.ids(q, {}); return [ids, performance.now() - t]; }"""
PAGEFIND_JS = """async (q) => { if (!window.pf) { window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); }
  const t = performance.now(); const s = await window.pf.search(q); const ms = performance.now() - t;
  return [s.results.map(r => r.id), ms]; }"""
PAGEFIND_FIRST_PAGE = """async (q) => { const pf = await import('/pagefind/pagefind.js'); await pf.init();
  const s = await pf.search(q); await Promise.all(s.results.slice(0, 10).map(r => r.data())); return s.results.length; }"""


def gzipped(root: Path, url: str) -> int:
    """What the file costs with gzip on the wire (GitHub Pages, nginx `gzip on`); Pagefind's own
    files are compressed already and barely change."""
    path = root / urlsplit(url).path.lstrip("/")
    return len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else 0


def pagefind_urls(root: Path) -> dict[str, str]:
    """Pagefind result id → page URL, read from its fragment files (named by the id), so the
    browser need not fetch every result's fragment to tell which pages matched."""
    urls = {}
    for path in (root / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        urls[path.stem] = json.loads(data[data.index(b"{"):])["url"]
    return urls


def browser_figures(root: Path, url: str, doc_urls: list[str], texts: dict[str, str], tool: str) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    ids = pagefind_urls(root) if tool == "pagefind" else {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        downloads = []
        # First and second query, cold cache, as a results page needs them.
        context = browser.new_context()
        page = context.new_page()
        sizes: list[tuple[str, int]] = []
        page.on("requestfinished", lambda r: sizes.append((r.url, r.sizes()["responseBodySize"])) if r.resource_type != "document" else None)
        page.goto(url + "404.html")  # same origin, nothing of either search loaded yet
        page.wait_for_load_state("networkidle")
        sizes.clear()
        for query in ("矛盾纠纷", "法律顾问"):
            if tool == "ours":
                page.goto(url + "search/?q=" + query)
                page.wait_for_function("document.getElementById('search-status').textContent.startsWith('找到')")
            else:
                page.evaluate(PAGEFIND_FIRST_PAGE, query)
            downloads.append((sum(size for _, size in sizes), sum(gzipped(root, u) for u, _ in sizes)))
            sizes.clear()
        context.close()
        # Recall, precision and latency over the query list.
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + ("search/" if tool == "ours" else "index.html"))
        latencies, recalls, precisions, misses = [], [], [], {}
        for query in QUERIES:
            if tool == "ours":
                found, ms = page.evaluate(OURS_JS, query)
            else:
                found, ms = page.evaluate(PAGEFIND_JS, query)
            latencies.append(ms)
            got = {doc_urls[int(i)] for i in found} if tool == "ours" else {re.sub(r"index\.html$", "", ids[i]).lstrip("/") for i in found}
            got = {g for g in got if re.search(r"/\d{4}/$", g) and not g.startswith("years/")}  # report pages only
            want = truth(texts, query)
            recalls.append(len(got & want) / len(want) if want else 1.0)
            precisions.append(len(got & want) / len(got) if got else (1.0 if not want else 0.0))
            if got != want:
                misses[query] = (len(want - got), len(got - want))
        context.close()
        browser.close()
    latencies.sort()
    return {"first_query_bytes": downloads[0][0], "second_query_bytes": downloads[1][0],
            "first_query_gzip": downloads[0][1], "second_query_gzip": downloads[1][1],
            "recall": statistics.mean(recalls) if recalls else float("nan"),
            "precision": statistics.mean(precisions) if precisions else float("nan"), "median_ms": statistics.median(latencies),
            "p95_ms": latencies[int(0.95 * (len(latencies) - 1))], "worst": dict(list(misses.items())[:6])}


def tree_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bench(count: int, work: Path, with_whoosh: bool = True) -> None:
    root = work / f"s{count}"
    generate(count, root)
    (root / "config.yaml").write_text("site_url: https://bench.example\nstats: false\n", encoding="utf-8")
    texts = {}
    for path in sorted((root / "content").glob("*.md")):
        year, text = plain(path.read_text(encoding="utf-8"))
        texts[path.stem] = (year, text)
    pages = run([sys.executable, "-m", "site_builder", "build", "--no-search", "--output", "pages"], cwd=root)
    full = run([sys.executable, "-m", "site_builder", "build"], cwd=root)
    ours_seconds = full.seconds - pages.seconds
    whoosh = run([sys.executable, "-m", "site_builder", "search", "法治"], cwd=root) if with_whoosh else None
    site = root / "site"
    docs = sorted((site / "search" / "docs").glob("*.json"), key=lambda p: p.stem)
    doc_urls = {}
    for path in docs:
        if "-" not in path.stem:
            doc_urls[int(path.stem)] = json.loads(path.read_text(encoding="utf-8"))["u"]
    url_texts = {}
    from site_builder.build import inspect_site
    from site_builder.config import load_config

    config, _ = load_config(root / "config.yaml")
    for report in inspect_site(config)[0].reports:
        url_texts[report.path] = texts[Path(report.source.path).stem][1]
    pagefind_site = root / "pagefind-site"
    shutil.copytree(root / "pages", pagefind_site)
    pf = run([sys.executable, "-m", "pagefind", "--site", str(pagefind_site)], cwd=root)
    server, url = serve(site)
    pf_server, pf_url = serve(pagefind_site)
    try:
        ours = browser_figures(site, url, [doc_urls[i] for i in range(len(doc_urls))], url_texts, "ours")
        theirs = browser_figures(pagefind_site, pf_url, [], url_texts, "pagefind")
    finally:
        server.shutdown()
        pf_server.shutdown()
    print(f"\nN = {count}")
    print(f"{'':<26}{'site_builder':>16}{'Pagefind':>16}")
    print(f"{'index build time (s)':<26}{ours_seconds:>16.1f}{pf.seconds:>16.1f}   (site_builder: full build − pages-only build)")
    print(f"{'peak memory (MB)':<26}{full.peak_mb:>16.0f}{pf.peak_mb:>16.0f}   (site_builder: the whole build)")
    print(f"{'whoosh index (s)':<26}{(whoosh.seconds if whoosh else float('nan')):>16.1f}{'—':>16}")
    print(f"{'index bytes (MB)':<26}{tree_bytes(site / 'search') / 1e6:>16.1f}{tree_bytes(pagefind_site / 'pagefind') / 1e6:>16.1f}")
    for key, label in (("first_query_bytes", "first query (KB)"), ("second_query_bytes", "second query (KB)"),
                       ("first_query_gzip", "  … with gzip (KB)"), ("second_query_gzip", "  … with gzip (KB)")):
        print(f"{label:<26}{ours[key] / 1024:>16.0f}{theirs[key] / 1024:>16.0f}")
    for key in ("recall", "precision"):
        print(f"{key:<26}{ours[key]:>16.3f}{theirs[key]:>16.3f}")
    for key in ("median_ms", "p95_ms"):
        print(f"{key:<26}{ours[key]:>16.1f}{theirs[key]:>16.1f}")
    print(f"{'queries not exact':<26}{str(ours['worst'])[:60]:>16}  |  Pagefind: {theirs['worst']}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--workdir")
    parser.add_argument("--no-whoosh", action="store_true", help="skip timing the whoosh index (minutes at 5,000)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sb-search-", dir=args.workdir))
    try:
        for count in args.sizes:
            bench(count, work, not args.no_whoosh)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
