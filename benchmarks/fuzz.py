"""Fuzz every input surface with many cases and print the figures (README › Safety).

    python benchmarks/fuzz.py                 # 72,200 cases (the test run's mix × 20), seed 1
    python benchmarks/fuzz.py --scale 2 --seed 7
    python benchmarks/fuzz.py --surface hostile-tree   # 20,000 hostile trees only

Prints cases, seconds, failures (exceptions escaping an entry point, commands that lost a file)
and hangs (cases over the time limit) per surface; exits 1 when anything failed."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from tests.fuzzing import HANG_SECONDS, run  # noqa: E402
from tests.test_fuzz import COUNTS  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=20.0, help="times the test run's number of cases (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=HANG_SECONDS,
                        help=f"seconds after which a case counts as a hang (default {HANG_SECONDS:.0f}: generous, for a loaded host)")
    parser.add_argument("--surface", action="append", choices=sorted(COUNTS), help="only this surface (may be repeated)")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    counts = {surface: max(1, round(n * args.scale)) for surface, n in COUNTS.items() if surface in (args.surface or COUNTS)}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        results = run(counts, Path(folder), seed=args.seed, time_limit=args.time_limit,
                      progress=lambda surface, done, failed: print(f"  {surface}: {done} cases, {failed} failure(s)",
                                                                   file=sys.stderr, flush=True))
    print(f"{'surface':14} {'cases':>7} {'seconds':>8} {'failures':>8} {'hangs':>6}")
    for surface, count in results.cases.items():
        failed = [f for f in results.failures if f.surface == surface]
        hangs = sum(f.error.startswith("hang") for f in failed)
        print(f"{surface:14} {count:7} {results.seconds[surface]:8.1f} {len(failed) - hangs:8} {hangs:6}")
    total = sum(results.cases.values())
    print(f"{'total':14} {total:7} {time.perf_counter() - started:8.1f} {len(results.failures) - results.hangs:8} {results.hangs:6}")
    for (surface, error), n in Counter((f.surface, f.error[:160]) for f in results.failures).most_common(20):
        print(f"  {n} × {surface}: {error}")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
