"""The fuzz suite in the normal test run: every input surface, a few thousand generated cases, no
exception escaping, no case over its time limit, no project file lost (tests/fuzzing.py says how
cases are made; benchmarks/fuzz.py runs 50,000 and more)."""

from __future__ import annotations

from pathlib import Path

from tests.fuzzing import SURFACES, run

COUNTS = {"front-matter": 800, "markdown": 600, "config": 300, "import-txt": 1300, "import-html": 200, "import-docx": 500,
          "search-query": 300, "cli": 60}
IMPORTER = ("import-txt", "import-html", "import-docx")


def test_fuzz_every_input_surface(tmp_path: Path) -> None:
    assert set(COUNTS) == set(SURFACES)
    results = run(COUNTS, tmp_path, seed=2026)
    assert sum(results.cases.values()) >= 2000
    assert sum(results.cases[surface] for surface in IMPORTER) >= 2000  # issue 12: the importer alone
    shown = "\n".join(f"{f.surface} case {f.case}: {f.error}" for f in results.failures[:20])
    assert not results.failures, f"{len(results.failures)} failure(s) (rerun a case with tests.fuzzing.run and seed 2026):\n{shown}"
