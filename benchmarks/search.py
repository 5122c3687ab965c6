"""Search benchmark: site_builder's browser index beside Pagefind (PyPI `pagefind[extended]`,
which segments Chinese) on the same built site, in one run, in real headless Chromium (Debian's
chromium driven by Playwright; never `playwright install`).

    python benchmarks/search.py                  # N = 1000 and 5000
    python benchmarks/search.py 1000 --workdir /dev/shm

For each N: index build time and peak memory (site_builder's browser index is timed on its own;
the whoosh index separately), total index bytes, the whole site's bytes, bytes the browser
downloads for a first and a second query (what a results page needs: index files, script,
WebAssembly, the first 10 results), rounds of requests and time until the results' titles are
shown on an emulated 4G link (150 ms round trip, 1.6 Mbit/s down — Lighthouse's mobile profile),
recall and precision against plain substring search for the fixed list of queries below, query
latency in the browser (median, p95), and the differential oracle: --samples queries drawn from
the reports (tests/search_oracle.py), each answered by the browser (Chromium), `site-builder
search`'s engine and `serve-search` (over HTTP), against plain substring search — the mismatch
counts are printed and must be 0.

    python benchmarks/search.py 1000 5000 --samples 10000 --workdir /dev/shm
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
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus import generate
from measure import run
from search_oracle import VARIETY_REPORT, StaticIndex, report_units, samples, truth

QUERIES = [
    "法治", "矛盾纠纷", "法律顾问", "行政复议", "行政执法", "普法", "调解", "信访", "营商环境", "合法性审查", "依法行政",
    "法治政府建设", "第一责任人", "民主法治", "公共法律服务", "乡村振兴", "执法人员", "规范性文件", "行政诉讼", "宪法",
    "民法典", "枫桥经验", "网格", "扫黑除恶", "综合执法", "法律援助", "政务公开", "出庭应诉", "果品营销调委会", "新丰书院",
    "三治融合", "警司联调", "律师事务所", "长牙齿", "潼南区", "丰都县", "沂源县", "矛盾纠纷 调解", "法律顾问 行政复议",
    "普法 宣传 网格", '"调解成功率"', '"依法治镇"',
]
ISSUE_QUERIES = ["村（社区）", "“八五”普法", "学法、知法", "《民法典》", "2023年", "一村（社区）一法律顾问", "100%"]
"""The queries of issue 11's table, which once found nothing or too much."""
LINK_4G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a page closed while its last files were on the way

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


OURS_JS = """async (q) => { const t = performance.now(); const ids = await window.siteSearch.ids(q, {}); return [ids, performance.now() - t]; }"""
PAGEFIND_JS = """async (q) => { if (!window.pf) { window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); }
  const t = performance.now(); const s = await window.pf.search(q); const ms = performance.now() - t;
  return [s.results.map(r => r.id), ms]; }"""
PAGEFIND_FIRST_PAGE = """async (q) => { const pf = await import('/pagefind/pagefind.js'); await pf.init();
  const s = await pf.search(q); await Promise.all(s.results.slice(0, 10).map(r => r.data())); return s.results.length; }"""


ROUNDS_JS = """() => {
  const start = performance.getEntriesByName('search-start')[0].startTime, shown = performance.getEntriesByName('search-shown')[0].startTime;
  const requests = performance.getEntriesByType('resource').filter(r => r.startTime >= start && r.startTime <= shown)
    .sort((a, b) => a.startTime - b.startTime);
  let rounds = 0, end = -1;
  for (const r of requests) { if (r.startTime >= end) { rounds++; end = r.responseEnd; } else { end = Math.min(end, r.responseEnd); } }
  return [rounds, shown - start, requests.length]; }"""


TITLES_JS = """() => { const shown = performance.getEntriesByName('search-shown')[0].startTime;
  return performance.getEntriesByType('resource').filter(r => r.responseEnd <= shown).map(r => [r.name, r.encodedBodySize]); }"""
"""The files received before the first results' titles were drawn (the search page's own files
included), with their bytes."""
FIRST_QUERIES = ["矛盾纠纷", "法律顾问", "法治政府建设", "警司联调", "矛盾纠纷 调解", "?year=2023"]
"""The first queries timed on the emulated 4G link: two common words, a long one, a rare one, two
words, and a filter alone (?… is the query string itself)."""


def on_4g(browser: object, url: str, query: str, root: Path) -> tuple[int, float, int, int, int]:
    """(rounds of requests, ms from the query's start to the results' titles shown, requests, bytes
    received until then, the same with gzip) for a first query on the emulated 4G link, the search
    page itself already loaded."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LINK_4G)
    page.goto(url + "search/" + (query if query.startswith("?") else "?q=" + query))
    page.wait_for_function("performance.getEntriesByName('search-shown').length > 0", timeout=60_000)
    rounds, ms, requests = page.evaluate(ROUNDS_JS)
    received = page.evaluate(TITLES_JS)
    context.close()
    return rounds, ms, requests, sum(size for _, size in received), sum(gzipped(root, name) for name, _ in received)


PAGEFIND_4G = """async (q) => { const t = performance.now(); const pf = await import('/pagefind/pagefind.js'); await pf.init();
  const s = await pf.search(q); await Promise.all(s.results.slice(0, 10).map(r => r.data())); return performance.now() - t; }"""


def pagefind_on_4g(browser: object, url: str, query: str) -> float:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url + "404.html")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LINK_4G)
    ms = page.evaluate(PAGEFIND_4G, query)
    context.close()
    return float(ms)


def browser_oracle(url: str, queries: list[str], docs: list[str]) -> list[set[str] | str]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(url + "search/")
        answers = []
        for start in range(0, len(queries), 500):
            answers += page.evaluate("""async (qs) => { const out = []; for (const q of qs) {
                try { out.push(await window.siteSearch.ids(q, {})); } catch (e) { out.push(String(e)); } } return out; }""",
                                     queries[start: start + 500])
        browser.close()
    return [{docs[int(i)] for i in a} if isinstance(a, list) else a for a in answers]


def service_answers(root: Path, queries: list[str]) -> tuple[list[set[str]], list[tuple[int, set[str]]]]:
    """The whoosh engine in this process (what `site-builder search` runs), and serve-search over
    HTTP: (every matching report; (total, the first 100 results))."""
    import socket
    import subprocess
    import time
    import urllib.parse
    import urllib.request

    from site_builder.config import load_config
    from site_builder.search.service import report_urls

    config, _ = load_config(root / "config.yaml")
    engine = [set(report_urls(config, q)) for q in queries]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "site_builder", "serve-search", "--port", str(port)], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    served = []
    try:
        for query in queries:
            address = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode({"q": query, "limit": "100"})
            for _ in range(300):
                try:
                    with urllib.request.urlopen(address, timeout=60) as response:
                        body = json.loads(response.read().decode("utf-8"))
                    break
                except OSError:
                    time.sleep(0.1)
            served.append((int(body["total"]), {r["url"].split("#")[0].lstrip("/") for r in body["results"]}))
    finally:
        process.terminate()
        process.wait(timeout=10)
    return engine, served


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


def browser_figures(root: Path, url: str, doc_urls: list[str], texts: dict[str, list[str]], tool: str) -> dict[str, object]:
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
        link = [on_4g(browser, url, q, root) if tool == "ours" else (0, pagefind_on_4g(browser, url, q), 0, 0, 0)
                for q in FIRST_QUERIES if tool == "ours" or not q.startswith("?")]
        firsts: dict[str, int] = {}
        if tool == "ours":  # how the first page of each listed query was found (search.js siteSearch.firstPage)
            context = browser.new_context()
            page = context.new_page()
            page.goto(url + "search/")
            for query in QUERIES:
                how = page.evaluate("async (q) => (await window.siteSearch.firstPage(q))[1]", query)
                firsts[how] = firsts.get(how, 0) + 1
            context.close()
        browser.close()
    latencies.sort()
    return {"firsts": firsts, "first_query_bytes": downloads[0][0], "second_query_bytes": downloads[1][0],
            "first_query_gzip": downloads[0][1], "second_query_gzip": downloads[1][1],
            "recall": statistics.mean(recalls) if recalls else float("nan"),
            "precision": statistics.mean(precisions) if precisions else float("nan"), "median_ms": statistics.median(latencies),
            "p95_ms": latencies[int(0.95 * (len(latencies) - 1))], "worst": dict(list(misses.items())[:6]), "link": link}


def tree_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def phrase_bytes(search: Path) -> tuple[int, int]:
    """The bytes of the shard files (s/, p/) that the phrase terms (format 9) take: each file
    against the same file written without them."""
    from site_builder.search.encode import shard_file
    from site_builder.search.patch import read_shard
    from site_builder.search.phrases import is_phrase

    added = []
    for folder in ("s", "p"):
        total = 0
        for path in (search / folder).glob("*.bin"):
            data = path.read_bytes()
            total += len(data) - len(shard_file({t: e for t, e in read_shard(data).items() if not is_phrase(t)}))
        added.append(total)
    return added[0], added[1]


NO_FIGURES: dict[str, object] = {"firsts": {}, "first_query_bytes": 0, "second_query_bytes": 0, "first_query_gzip": 0,
                                 "second_query_gzip": 0, "recall": float("nan"), "precision": float("nan"),
                                 "median_ms": float("nan"), "p95_ms": float("nan"), "worst": {}, "link": []}
"""Pagefind's figures when it is not run (--only-ours)."""


def bench(count: int, work: Path, oracle_samples: int, whoosh_samples: int, with_whoosh: bool = True,
          with_pagefind: bool = True) -> None:
    root = work / f"s{count}"
    generate(count, root)
    extra = root / "content" / "chongqing" / "ceshi" / "ceshi" / "2023.md"   # Latin words, full-width forms, symbols
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_text(VARIETY_REPORT, encoding="utf-8")
    (root / "config.yaml").write_text("site_url: https://bench.example\nstats: false\n", encoding="utf-8")
    pages = run([sys.executable, "-m", "site_builder", "build", "--no-search", "--output", "pages"], cwd=root)
    full = run([sys.executable, "-m", "site_builder", "build"], cwd=root)
    ours_seconds = full.seconds - pages.seconds
    whoosh = run([sys.executable, "-m", "site_builder", "search", "法治"], cwd=root) if with_whoosh else None
    site = root / "site"
    units = report_units(root / "config.yaml")
    doc_urls = StaticIndex(site).docs
    pagefind_site = root / "pagefind-site"
    if with_pagefind:
        shutil.copytree(root / "pages", pagefind_site)
        pf = run([sys.executable, "-m", "pagefind", "--site", str(pagefind_site)], cwd=root)
        pf_server, pf_url = serve(pagefind_site)
    server, url = serve(site)
    try:
        ours = browser_figures(site, url, doc_urls, units, "ours")
        theirs = browser_figures(pagefind_site, pf_url, [], units, "pagefind") if with_pagefind else NO_FIGURES
        queries = ISSUE_QUERIES + list(samples(units, oracle_samples, seed=count))
        browser_answers = browser_oracle(url, queries, doc_urls)
    finally:
        server.shutdown()
        if with_pagefind:
            pf_server.shutdown()
    checked = ISSUE_QUERIES + queries[len(ISSUE_QUERIES): len(ISSUE_QUERIES) + whoosh_samples]
    engine, served = service_answers(root, checked) if with_whoosh else ([], [])
    truths = [truth(units, q) for q in queries]
    print(f"\nN = {count}")
    print(f"{'':<26}{'site_builder':>16}{'Pagefind':>16}")
    pf_seconds, pf_mb = (pf.seconds, pf.peak_mb) if with_pagefind else (float("nan"), float("nan"))
    print(f"{'index build time (s)':<26}{ours_seconds:>16.1f}{pf_seconds:>16.1f}   (site_builder: full build − pages-only build)")
    print(f"{'peak memory (MB)':<26}{full.peak_mb:>16.0f}{pf_mb:>16.0f}   (site_builder: the whole build)")
    print(f"{'whoosh index (s)':<26}{(whoosh.seconds if whoosh else float('nan')):>16.1f}{'—':>16}")
    ours_index, their_index = tree_bytes(site / "search"), tree_bytes(pagefind_site / "pagefind") if with_pagefind else 0
    ratio = f"ratio {ours_index / their_index:.2f}" if their_index else ""
    print(f"{'index bytes (MB)':<26}{ours_index / 1e6:>16.1f}{their_index / 1e6:>16.1f}   {ratio}"
          f"   (site_builder's search/: {ours_index / 1024 / len(doc_urls):.1f} KB a report)")
    heads, entries = phrase_bytes(site / "search")
    print(f"{'phrase terms (KB/report)':<26}{(heads + entries) / 1024 / len(doc_urls):>16.2f}{'—':>16}   "
          f"(s/ {heads / 1e6:.1f} MB, p/ {entries / 1e6:.1f} MB)")
    print(f"{'whole site (MB)':<26}{tree_bytes(site) / 1e6:>16.1f}{(tree_bytes(pagefind_site) if with_pagefind else 0) / 1e6:>16.1f}   ({sum(1 for f in site.rglob('*') if f.is_file())} files)")
    for key, label in (("first_query_bytes", "1st query, to count (KB)"), ("second_query_bytes", "second query (KB)"),
                       ("first_query_gzip", "  … with gzip (KB)"), ("second_query_gzip", "  … with gzip (KB)")):
        print(f"{label:<26}{ours[key] / 1024:>16.0f}{theirs[key] / 1024:>16.0f}")
    print("first query on the 4G link: ms to titles, site_builder / Pagefind; site_builder's KB received until the titles (gzip)")
    for index, query in enumerate(FIRST_QUERIES):
        rounds, ms, requests, received, packed = ours["link"][index]
        pagefind = f"{theirs['link'][index][1]:>8.0f}" if index < len(theirs["link"]) else f"{'—':>8}"
        print(f"  {query:<14}{ms:>8.0f}{pagefind}   {received / 1024:>6.0f} KB ({packed / 1024:.0f} gzip)   ({rounds} rounds, {requests} requests)")
    print(f"first page of the {len(QUERIES)} listed queries: {ours['firsts']}  (heads: settled by the heads; all: every result in"
          " the heads; entries: the full entries were read first)")
    for key in ("recall", "precision"):
        print(f"{key:<26}{ours[key]:>16.3f}{theirs[key]:>16.3f}")
    for key in ("median_ms", "p95_ms"):
        print(f"{key:<26}{ours[key]:>16.1f}{theirs[key]:>16.1f}")
    print(f"{'queries not exact':<26}{str(ours['worst'])[:60]:>16}  |  Pagefind: {theirs['worst']}")
    print("issue 11's queries — truth / browser / search / serve-search:")
    for index, query in enumerate(ISSUE_QUERIES):
        whoosh_counts = f"{len(engine[index])} / {served[index][0]}" if engine else "— / —"
        print(f"  {query:<16} {len(truths[index])} / {len(browser_answers[index])} / {whoosh_counts}")
    rest = range(len(ISSUE_QUERIES), len(queries))
    print(f"oracle: {len(rest)} sampled queries ({sum(1 for i in rest if truths[i])} with results), mismatches against substring search:")
    print(f"  browser {sum(1 for i in rest if browser_answers[i] != truths[i])} of {len(rest)}", end="")
    if engine:
        asked = range(len(ISSUE_QUERIES), len(checked))
        wrong = sum(1 for i in asked if served[i][0] != len(truths[i]) or not served[i][1] <= truths[i]
                    or (len(truths[i]) <= 100 and served[i][1] != truths[i]))
        print(f"; search {sum(1 for i in asked if engine[i] != truths[i])} and serve-search {wrong} of {len(asked)}")
    else:
        print()
    sys.stdout.flush()


def site_size(count: int, work: Path) -> None:
    """The whole published site's bytes and files (GitHub Pages publishes at most 1 GB)."""
    root = work / f"size{count}"
    generate(count, root)
    (root / "config.yaml").write_text("site_url: https://bench.example\n", encoding="utf-8")
    built = run([sys.executable, "-m", "site_builder", "build"], cwd=root)
    site = root / "site"
    files = [f for f in site.rglob("*") if f.is_file()]
    search = sum(f.stat().st_size for f in files if f.is_relative_to(site / "search"))
    print(f"site of {count} reports: {sum(f.stat().st_size for f in files) / 1e6:.0f} MB in {len(files)} files "
          f"(search {search / 1e6:.0f} MB), built in {built.seconds:.1f} s")
    sys.stdout.flush()
    shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--workdir")
    parser.add_argument("--no-whoosh", action="store_true", help="skip the whoosh index and its oracle (minutes at 5,000)")
    parser.add_argument("--samples", type=int, default=2000, help="queries drawn for the differential oracle")
    parser.add_argument("--whoosh-samples", type=int, help="of them, how many `search` and serve-search answer (default: all)")
    parser.add_argument("--only-ours", action="store_true", help="skip Pagefind (its index and its figures): for sizes past 5,000")
    parser.add_argument("--site-sizes", type=int, nargs="*", default=[], help="also build sites of these sizes and print their bytes")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sb-search-", dir=args.workdir))
    try:
        for count in args.sizes:
            bench(count, work, args.samples, args.samples if args.whoosh_samples is None else args.whoosh_samples, not args.no_whoosh,
                  not args.only_ours)
        for count in args.site_sizes:
            site_size(count, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
