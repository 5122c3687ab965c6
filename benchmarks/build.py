"""Full-build benchmark: site_builder beside Pelican on the same generated corpus, in one run.

    python benchmarks/build.py            # N = 1000 and 5000
    python benchmarks/build.py 200        # a quick run
    python benchmarks/build.py --workdir /dev/shm   # outputs on tmpfs: CPU work only, no disk noise

Prints time, peak memory (whole process tree) and output size, and site_builder's time as a
fraction of Pelican's: machines are noisy, the ratio is the figure. site_builder runs twice: pages
only (`--no-stats --no-search`, what Pelican builds too) and the full build with the summary
tables and the browser search index.
Needs `pip install -e .[bench]`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate
from measure import Run, run, tree_size_mb

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


def pelican_corpus(source: Path, dest: Path) -> None:
    """The same reports as Pelican articles: Title/Date/Category metadata, same Markdown body."""
    (dest / "content").mkdir(parents=True)
    for path in sorted((source / "content").glob("*.md")):
        front, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        meta = dict(line.split(": ", 1) for line in front.splitlines()[1:] if ": " in line)
        date = meta.get("published", f"{int(meta['year']) + 1}-01-01")
        header = (f"Title: {meta['title']}\nDate: {date}\nCategory: {meta['province']}\n"
                  f"Tags: {meta['county']}, {meta['town']}\nSlug: {path.stem}\n\n")
        (dest / "content" / path.name).write_text(header + body, encoding="utf-8")
    (dest / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")


def bench(count: int, work: Path) -> dict[str, tuple[Run, float]]:
    ours = work / f"sb-{count}"
    generate(count, ours)
    (ours / "config.yaml").write_text("site_url: https://bench.example\n", encoding="utf-8")
    theirs = work / f"pelican-{count}"
    pelican_corpus(ours, theirs)
    results: dict[str, tuple[Run, float]] = {}
    # Pages only is what Pelican builds too (pages and feeds); "full" adds the summary tables.
    sb = run([sys.executable, "-m", "site_builder", "build", "--no-stats", "--no-search"], cwd=ours)
    results["site_builder"] = (sb, tree_size_mb(ours / "site"))
    full = run([sys.executable, "-m", "site_builder", "build", "--output", "site-full"], cwd=ours)
    results["sb full"] = (full, tree_size_mb(ours / "site-full"))
    pel = run([sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"], cwd=theirs)
    results["pelican"] = (pel, tree_size_mb(theirs / "output"))
    return results


def main(sizes: list[int], workdir: str | None) -> None:
    work = Path(tempfile.mkdtemp(prefix="sb-bench-", dir=workdir))
    print(f"corpora and outputs in {work} (both tools write to the same file system)")
    try:
        print(f"{'N':>6} {'tool':<13} {'time s':>8} {'peak MB':>8} {'output MB':>10} {'exit':>5}")
        for count in sizes:
            results = bench(count, work)
            for tool, (result, size) in results.items():
                print(f"{count:>6} {tool:<13} {result.seconds:>8.2f} {result.peak_mb:>8.0f} {size:>10.1f} {result.returncode:>5}")
            ratio = results["site_builder"][0].seconds / results["pelican"][0].seconds
            full = results["sb full"][0].seconds / results["pelican"][0].seconds
            print(f"{count:>6} site_builder pages-only / pelican time: {ratio:.3f} (target ≤ 0.25); full (tables + search): {full:.3f}; "
                  f"peak {results['site_builder'][0].peak_mb:.0f} / {results['sb full'][0].peak_mb:.0f} MB (target ≤ 500)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--workdir", help="where corpora and outputs go (default: the system temp folder); "
                        "a tmpfs such as /dev/shm takes disk noise out of the comparison")
    args = parser.parse_args()
    main(args.sizes, args.workdir)
