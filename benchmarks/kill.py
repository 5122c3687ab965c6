"""Kill the build at random moments and check nothing is ever half-published (issue 10).

    python benchmarks/kill.py                   # 400 reports, 20 × SIGTERM and 20 × SIGKILL
    python benchmarks/kill.py --reports 1000 --times 50 --workdir /dev/shm

Two versions of the content (one report edited between them) are built once for reference. Then,
again and again: switch the content to the other version, start `site-builder build` in a session
of its own, send SIGTERM or SIGKILL after a random part of a build's time, and check
  - no process of the killed build is left (its whole process group is gone),
  - the published site is exactly the old version or exactly the new one, byte for byte,
  - the next build finishes (no lock is waited on for ever) and publishes the new version.
Prints the counts and exits 1 on any failure."""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from corpus import generate  # noqa: E402

BUILD = [sys.executable, "-m", "site_builder", "build"]


def fingerprint(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def group_alive(pgid: int) -> list[int]:
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            alive.append(int(entry.name))
    return alive


def set_version(report: Path, original: str, version: int) -> None:
    report.write_text(original if version == 0 else original.replace("。", "。（修订）", 1), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--times", type=int, default=20, help="kills of each signal (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kill-", dir=args.workdir))
    try:
        shutil.copy(ROOT / "config.yaml", work / "config.yaml")
        generate(args.reports, work)
        report = sorted((work / "content").rglob("*.md"))[0]
        original = report.read_text(encoding="utf-8")
        versions, seconds = [], []
        for version in (0, 1):
            set_version(report, original, version)
            started = time.perf_counter()
            subprocess.run(BUILD, cwd=work, check=True, capture_output=True)
            seconds.append(time.perf_counter() - started)
            versions.append(fingerprint(work / "site"))
        assert versions[0] != versions[1]
        print(f"{args.reports} reports; a build takes {min(seconds):.1f}–{max(seconds):.1f} s; {len(versions[0])} files")
        current, failures = 1, []
        tally = {"SIGTERM": [0, 0, 0], "SIGKILL": [0, 0, 0]}  # killed mid-build, old site kept, new site published
        plan = [signal.SIGTERM] * args.times + [signal.SIGKILL] * args.times
        rng.shuffle(plan)
        for number, stop in enumerate(plan, 1):
            target = 1 - current
            set_version(report, original, target)
            process = subprocess.Popen(BUILD, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
            time.sleep(rng.uniform(0.05, max(seconds)))
            finished_first = process.poll() is not None
            process.send_signal(stop)
            process.wait(timeout=60)
            deadline = time.monotonic() + 5
            while group_alive(process.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            left = group_alive(process.pid)
            published = fingerprint(work / "site")
            kept = published == versions[current]
            new = published == versions[target]
            name = signal.Signals(stop).name
            tally[name][0] += not finished_first
            tally[name][1] += kept
            tally[name][2] += new
            if left:
                failures.append(f"#{number} {name}: processes left: {left}")
            if not (kept or new):
                failures.append(f"#{number} {name}: the published site is neither the old nor the new version")
            try:
                after = subprocess.run(BUILD, cwd=work, capture_output=True, text=True, timeout=120)
            except subprocess.TimeoutExpired:
                failures.append(f"#{number} {name}: the next build did not finish in 120 s (a lock held for ever?)")
                break
            if after.returncode != 0 or fingerprint(work / "site") != versions[target]:
                failures.append(f"#{number} {name}: the next build failed or published something else: {after.stderr[-300:]}")
            current = target
        for name, (mid, kept, new) in tally.items():
            print(f"{name}: {args.times} kills ({mid} during the build): old site kept {kept}, new site already published {new}")
        print(f"failures: {len(failures)}")
        for failure in failures:
            print("  " + failure)
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
