"""The importer measured: on the layout fixtures (tests/fixtures/import_layouts/, hand-written
expectations in expected.yaml), the share of the fields each document states that are read
exactly, the wrong values and the guesses (goal: ≥ 95 % found, 0 wrong, 0 guesses); then speed,
the five seed reports repeated N times (default 200 → 1,000 files).

    python benchmarks/import.py [N]            # accuracy, then speed
    python benchmarks/import.py --accuracy     # accuracy only

Prints the figures; with --accuracy the exit code is 1 when a value is wrong or guessed."""

from __future__ import annotations

import collections
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from import_layouts import FIELDS, expectations, score

from site_builder.importer.output import import_one

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("SEEDS_DIR", REPO.parent / "shared" / "seeds"))
UNITS = {"000": "重庆市潼南区双江镇人民政府", "004": "天津市西青区辛口镇人民政府"}


def accuracy() -> bool:
    """Print the fixture set's figures; True when nothing is wrong or guessed."""
    expected = expectations()
    result, _ = score()
    kinds = collections.Counter(name.split("-")[0][0] for name in expected)
    print(f"{len(expected)} documents ({kinds['t']} TXT copied from pages, {kinds['h']} saved pages, {kinds['d']} Word): "
          f"{result.found} of {result.known} stated fields read exactly ({result.share:.1%}, goal ≥ 95 %); "
          f"{len(result.wrong)} wrong, {len(result.guesses)} guessed (goal 0)")
    per_field = collections.Counter(line.split()[1].rstrip(":") for line in result.missed + result.wrong)
    known = collections.Counter(key for fields in expected.values() for key in (fields or {}))
    print("  by field: " + ", ".join(f"{key} {known[key] - per_field[key]}/{known[key]}" for key in FIELDS if known[key]))
    for line in result.wrong + result.guesses + result.missed:
        print("  " + line)
    return not result.wrong and not result.guesses


def main(repeat: int) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    work = Path(tempfile.mkdtemp(prefix="sb-import-"))
    try:
        sources = []
        for index in range(repeat):
            for seed in seeds:
                copy = work / "in" / f"{index:04d}-{seed.name}"
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(seed, copy)
                sources.append((copy, seed.name[:3]))
        started = time.perf_counter()
        statuses: dict[str, int] = {}
        for number, (path, seed) in enumerate(sources):
            outcome = import_one(path, work / "out" / str(number), {"unit": UNITS.get(seed, "")})
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        elapsed = time.perf_counter() - started
        size = sum(p.stat().st_size for p, _ in sources) / 1e6
        print(f"{len(sources)} files ({size:.1f} MB) imported in {elapsed:.2f} s: "
              f"{len(sources) / elapsed:.0f} files/s, {size / elapsed:.2f} MB/s; {statuses}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if "--accuracy" in sys.argv[1:]:
        sys.exit(0 if accuracy() else 1)
    accuracy()
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
