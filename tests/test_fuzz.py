"""The fuzz suite in the normal test run: every input surface, a few thousand generated cases, no
exception escaping, no case over its time limit, no project file lost (tests/fuzzing.py says how
cases are made; benchmarks/fuzz.py runs 50,000 and more)."""

from __future__ import annotations

from pathlib import Path

from tests.fuzzing import SURFACES, run

COUNTS = {"front-matter": 800, "markdown": 600, "config": 300, "import-txt": 200, "import-html": 150, "import-docx": 200,
          "search-query": 300, "cli": 60}


def test_fuzz_every_input_surface(tmp_path: Path) -> None:
    assert set(COUNTS) == set(SURFACES)
    results = run(COUNTS, tmp_path, seed=2026)
    assert sum(results.cases.values()) >= 2000
    shown = "\n".join(f"{f.surface} case {f.case}: {f.error}" for f in results.failures[:20])
    assert not results.failures, f"{len(results.failures)} failure(s) (rerun a case with tests.fuzzing.run and seed 2026):\n{shown}"
