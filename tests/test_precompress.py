"""`build --precompress`: a gzip copy beside every text file, the same bytes on every build, kept in
step with its file by incremental builds, and gone when the option is."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

from conftest import REPO, report_text, snapshot


def build(root: Path, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "site_builder", "build", *args], cwd=root, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr


def test_precompressed_copies_are_deterministic_follow_edits_and_go_with_the_option(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "content").mkdir(parents=True)
    (root / "config.yaml").write_text((REPO / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for town in ("双江镇", "中庄镇"):
        (root / "content" / f"{town}.md").write_text(report_text(town=town), encoding="utf-8")
    build(root, "--precompress")
    site = root / "site"
    compressed = sorted(site.rglob("*.gz"))
    texts = [p for p in site.rglob("*") if p.suffix in (".html", ".css", ".js", ".json", ".xml", ".csv", ".txt", ".bin")
             and not (p.suffix == ".bin" and p.parent.name in ("s", "p", "docs"))]  # the index's deflated files
    assert len(compressed) == len(texts) > 20 and (site / "search" / "lengths.bin.gz").is_file()
    for copy in compressed:
        assert gzip.decompress(copy.read_bytes()) == copy.with_suffix("").read_bytes(), copy
        assert copy.read_bytes()[4:8] == b"\0\0\0\0" and copy.read_bytes()[3] & 0x08 == 0  # mtime 0, no file name
    assert not list(site.rglob("*.xlsx.gz"))  # already compressed

    first = snapshot(site)
    build(root, "--precompress", "--output", str(tmp_path / "again"))
    again = snapshot(tmp_path / "again")
    assert {k: v for k, v in again.items() if k.endswith(".gz")} == {k: v for k, v in first.items() if k.endswith(".gz")}

    report = root / "content" / "双江镇.md"
    report.write_text(report.read_text(encoding="utf-8").replace("继续推进", "持续推进"), encoding="utf-8")
    build(root, "--precompress")  # incremental
    page = next(p for p in site.rglob("index.html") if "持续推进" in p.read_text(encoding="utf-8"))
    assert gzip.decompress(Path(f"{page}.gz").read_bytes()) == page.read_bytes()
    assert all(gzip.decompress(c.read_bytes()) == c.with_suffix("").read_bytes() for c in site.rglob("*.gz"))

    build(root)
    assert not list(site.rglob("*.gz"))
