"""Import speed: the five seed reports repeated N times (default 200 → 1,000 files).

    python benchmarks/import.py [N]

Prints files per second for reading + converting + writing, in one process."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from site_builder.importer.output import import_one

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("SEEDS_DIR", REPO.parent / "shared" / "seeds"))
UNITS = {"000": "重庆市潼南区双江镇人民政府", "004": "天津市西青区辛口镇人民政府"}


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
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
