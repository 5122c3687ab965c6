"""Incremental builds against clean builds, for hundreds of steps (tests/test_incremental.py runs
dozens in CI). Every step applies one random edit (tests/edits.py: bodies, figures, titles, years,
towns, files added, removed and renamed, templates, assets, the config), rebuilds incrementally —
from the command line, or as `serve` does (pages first, then the rest, with its kept state) — and
compares the whole output, byte for byte, with a clean build of the same input in another folder.

    python benchmarks/incremental.py                 # 300 steps
    python benchmarks/incremental.py --steps 1000 --reports 60 --workdir /dev/shm
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from edits import apply_edit, copy_sources, make_project

from site_builder.build import BuildState, build
from site_builder.config import load_config


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(steps: int, reports: int, seed: int, work: Path) -> int:
    rng = random.Random(seed)
    root = work / "project"
    make_project(root, rng, reports)
    build(load_config(root / "config.yaml", {})[0], allow_move=True)
    kept = BuildState.load(load_config(root / "config.yaml", {})[0])
    kept.keep_files = True
    kinds: Counter[str] = Counter()
    failures = 0
    started = time.perf_counter()
    for step in range(steps):
        edit = apply_edit(rng, root)
        kinds[edit.kind] += 1
        kept.rescan |= edit.kind in ("add", "delete", "rename")
        config, _ = load_config(root / "config.yaml", {})
        if step % 2:
            build(config, state=kept, defer=True, allow_move=True)
            build(config, state=kept, allow_move=True)
        else:
            build(config, allow_move=True)
        clean = work / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        copy_sources(root, clean)
        build(load_config(clean / "config.yaml", {})[0], allow_move=True)
        ours, theirs = snapshot(root / "site"), snapshot(clean / "site")
        if ours != theirs:
            failures += 1
            differing = sorted(p for p in set(ours) | set(theirs) if ours.get(p) != theirs.get(p))
            print(f"step {step}: {edit.kind} ({edit.detail}): {len(differing)} files differ, e.g. {differing[:5]}", flush=True)
    seconds = time.perf_counter() - started
    print(f"{steps} steps ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}) on {reports} reports, "
          f"seed {seed}: {failures} differing from a clean build; {seconds:.0f} s", flush=True)
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--reports", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--workdir")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sb-incremental-", dir=args.workdir))
    try:
        failures = run(args.steps, args.reports, args.seed, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
