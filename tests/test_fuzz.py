"""The fuzz suite in the normal test run: every input surface, a few thousand generated cases, no
exception escaping, no hang, no project file lost; and a thousand hostile trees (links, pipes, odd
names in content, theme and cache: tests/hostile_trees.py). tests/fuzzing.py says how cases are
made; benchmarks/fuzz.py runs twenty times as many. Both are in the slow lane; the fast lane runs a
sample of every surface (other cases than the slow lane's, by another seed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzzing import SURFACES, run

COUNTS = {"front-matter": 800, "markdown": 600, "config": 300, "import-txt": 1300, "import-html": 200, "import-docx": 500,
          "search-query": 300, "cli": 60, "hostile-tree": 1000}
IMPORTER = ("import-txt", "import-html", "import-docx")
SAMPLE = 5
"""Cases of each surface in the fast lane: enough to catch a surface that breaks on every input."""


def test_fuzz_a_sample_of_every_surface(tmp_path: Path) -> None:
    results = run(dict.fromkeys(COUNTS, SAMPLE), tmp_path, seed=23)
    shown = "\n".join(f"{f.surface} case {f.case}: {f.error}" for f in results.failures[:20])
    assert not results.failures, f"{len(results.failures)} failure(s) (rerun a case with tests.fuzzing.run and seed 23):\n{shown}"


@pytest.mark.slow
def test_fuzz_every_input_surface(tmp_path: Path) -> None:
    assert set(COUNTS) == set(SURFACES)
    results = run({surface: n for surface, n in COUNTS.items() if surface != "hostile-tree"}, tmp_path, seed=2026)
    assert sum(results.cases.values()) >= 2000
    assert sum(results.cases[surface] for surface in IMPORTER) >= 2000  # issue 12: the importer alone
    shown = "\n".join(f"{f.surface} case {f.case}: {f.error}" for f in results.failures[:20])
    assert not results.failures, f"{len(results.failures)} failure(s) (rerun a case with tests.fuzzing.run and seed 2026):\n{shown}"


@pytest.mark.slow
def test_fuzz_hostile_trees(tmp_path: Path) -> None:
    """Nothing outside the project changes or is published, no traceback, a message per bad path."""
    results = run({"hostile-tree": COUNTS["hostile-tree"]}, tmp_path, seed=2026)
    assert results.cases["hostile-tree"] >= 1000
    shown = "\n".join(f"case {f.case}: {f.error}" for f in results.failures[:10])
    assert not results.failures, f"{len(results.failures)} failure(s) (rerun a case with tests.fuzzing.run and seed 2026):\n{shown}"
