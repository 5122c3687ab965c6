"""How fast `serve` shows a mistake's error page, beside a good edit's reload (issue 21).

    python benchmarks/errorpage.py 1000 [5000]

For each size: a generated corpus served by `site-builder serve`; then, alternately, a body edit
(the normal reload) and an editor's slip in the same kind of file (`year: 2024年`, a full-width
colon, a broken title), each timed from the file's write to the browser's reload event, and the
error page fetched and checked to name the file and line in Chinese."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from build import Serve, edit_body  # the benchmark scripts are run from their folder

SLIPS = [("year: ", "year: {year}年"), ("county: ", "county：{county}"), ("title: ", "title: {title_a}\n{title_b}")]


def slip(path: Path, number: int) -> tuple[str, int]:
    """One of SLIPS written into the file; (the original text, the line of the slip)."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    key, form = SLIPS[number % len(SLIPS)]
    index = next(i for i, line in enumerate(lines) if line.startswith(key))
    value = lines[index][len(key):]
    lines[index] = form.format(year=value, county=value, title_a=value[: len(value) // 2], title_b=value[len(value) // 2:])
    path.write_text("\n".join(lines), encoding="utf-8")
    return text, index + 1 + (key == "title: ")


async def measure(serve: Serve, files: list[Path], rounds: int) -> tuple[list[float], list[float]]:
    from tornado.websocket import websocket_connect

    socket_ = await websocket_connect(f"ws://127.0.0.1:{serve.port}/livereload")
    await socket_.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await socket_.read_message()
    await socket_.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{serve.port}/"}))
    await asyncio.sleep(0.5)

    async def reloaded(change: object, builds_all: bool) -> float:
        while not serve.lines.empty():
            serve.lines.get()
        started = time.perf_counter()
        change()  # type: ignore[operator]
        while json.loads(await socket_.read_message() or "{}").get("command") != "reload":
            pass
        seconds = time.perf_counter() - started
        if builds_all:  # the search index and the downloads are done before the next change, as in build.py
            with contextlib.suppress(TimeoutError):  # nothing to write there: nothing is printed
                await asyncio.get_running_loop().run_in_executor(None, serve.wait_for, "then the search index", 8)
        await asyncio.sleep(0.3)
        return seconds

    good, bad = [], []
    for number in range(rounds):
        good.append(await reloaded(lambda n=number: edit_body(files[(n * 997) % len(files)], n + 2), True))
        path = files[(number * 613 + 1) % len(files)]
        original, line = path.read_text(encoding="utf-8"), 0

        def make_slip(p: Path = path, n: int = number) -> None:
            nonlocal line
            line = slip(p, n)[1]

        bad.append(await reloaded(make_slip, False))
        page = _fetch(serve.port)
        assert "构建失败" in page and f"{path.name}:{line}" in page, page[:2000]
        await reloaded(lambda p=path, o=original: p.write_text(o, encoding="utf-8"), True)  # corrected: the site again
    socket_.close()
    return good, bad


def _fetch(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:  # the error page is served with 500
        return str(exc.read().decode("utf-8"))


def _stop(serve: Serve) -> None:
    try:
        serve.stop()
    except subprocess.TimeoutExpired:  # stopped in the middle of a build's search index: not what is measured here
        serve.process.kill()
        serve.process.wait()


def main(sizes: list[int], rounds: int, workdir: str | None) -> None:
    work = Path(tempfile.mkdtemp(prefix="sb-errorpage-", dir=workdir))
    try:
        for count in sizes:
            project = work / f"sb-{count}"
            generate(count, project)
            (project / "config.yaml").write_text("site_url: https://bench.example\nlanguage: zh\n", encoding="utf-8")
            files = sorted((project / "content").rglob("*.md"))
            serve = Serve(project)
            try:
                good, bad = asyncio.run(measure(serve, files, rounds))
            finally:
                _stop(serve)
            print(f"{count:>6} serve, write → reload: good edit median {statistics.median(good):.2f} s (max {max(good):.2f}); "
                  f"mistake → error page median {statistics.median(bad):.2f} s (max {max(bad):.2f}); "
                  f"target ≤ {0.5 if count <= 1000 else 1.0} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workdir")
    args = parser.parse_args()
    main(args.sizes, args.rounds, args.workdir)
