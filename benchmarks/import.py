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

from import_layouts import FIELDS, Score, classes_of, expectations, score

from site_builder.importer.output import import_one

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("SEEDS_DIR", REPO.parent / "shared" / "seeds"))
UNITS = {"000": "重庆市潼南区双江镇人民政府", "004": "天津市西青区辛口镇人民政府"}


def accuracy() -> bool:
    """Print the fixture set's figures — overall, per field, per failure class — and a confusion
    table of the wrong values; True when nothing is wrong or guessed."""
    expected = expectations()
    result, _ = score()
    kinds = collections.Counter(Path(name).suffix for name in expected)
    print(f"{len(expected)} documents ({kinds['.txt']} TXT copied from pages, {kinds['.html']} saved pages, {kinds['.docx']} Word): "
          f"{result.found} of {result.known} stated fields read exactly ({result.share:.1%}, goal ≥ 95 %); "
          f"{len(result.wrong)} wrong, {len(result.guesses)} guessed (goal 0)")
    per_field = collections.Counter(line.split()[1].rstrip(":") for line in result.missed + result.wrong)
    known = collections.Counter(key for fields in expected.values() for key in (fields or {}) if key in FIELDS)
    print("  by field: " + ", ".join(f"{key} {known[key] - per_field[key]}/{known[key]}" for key in FIELDS if known[key]))
    print("  by class:")
    for label, figures in _by_class(sorted(expected)).items():
        print(f"    {label:<50} {figures.found}/{figures.known} ({figures.share:.1%}), "
              f"{len(figures.wrong)} wrong, {len(figures.guesses)} guessed")
    print("  confusion (field: read → the document's): " + (", ".join(_confusion(result)) or "none"))
    for line in result.wrong + result.guesses + result.missed:
        print("  " + line)
    return not result.wrong and not result.guesses


def _by_class(names: list[str]) -> dict[str, Score]:
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for name in names:
        for label in classes_of(name):
            groups[label].append(name)
    return {label: score(members)[0] for label, members in sorted(groups.items())}


def _confusion(result: Score) -> list[str]:
    """Each wrong value as `field: read → right`, and each guess as `field: read → (not stated)`."""
    pairs: collections.Counter[str] = collections.Counter()
    for line in result.wrong:
        rest = line.split(" ", 1)[1]
        key, values = rest.split(": ", 1)
        read, right = values.split(", the document says ")
        pairs[f"{key}: {read} → {right}"] += 1
    for line in result.guesses:
        key, values = line.split(" ", 1)[1].split(": ", 1)
        pairs[f"{key}: {values.split(',')[0]} → (not stated)"] += 1
    return [f"{pair} ×{count}" for pair, count in pairs.most_common()]


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
