"""The Output protocol (issue 24): a feature plugs into the build without the build naming it; a
disabled output costs nothing; a report is one immutable object. On generated projects, not the
bundled content."""

from __future__ import annotations

import dataclasses
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from edits import make_project

from site_builder.build import build, inspect_site
from site_builder.config import load_config
from site_builder.document import Document
from site_builder.load import ReadIndex
from site_builder.outputs import Analyser, Output, Run
from site_builder.pages import Page
from site_builder.registry import outputs_for


def paragraphs(document: Document, year: int) -> int:
    return len(document.paragraphs)


class Counts(Output):
    """A new output: counts each report's paragraphs when it is read, writes counts.json."""

    name = "counts"

    def analyser(self) -> Analyser:
        return paragraphs

    def write(self, run: Run, pages: list[Page]) -> int:
        counts = {r.path: r.analyses[self.name] for r in run.site.reports}
        run.writer.put("counts.json", json.dumps(counts, sort_keys=True))
        return len(counts)


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    root = tmp_path / "gen"
    make_project(root, random.Random(24), 6)
    return root


def test_an_output_plugs_in_without_the_build_naming_it(generated: Path) -> None:
    config, _ = load_config(generated / "config.yaml", {})
    result = build(config, outputs=[*outputs_for(config), Counts()])
    counts = json.loads((config.output_path / "counts.json").read_text(encoding="utf-8"))
    assert len(counts) == result.reports == 6 and all(isinstance(n, int) and n > 0 for n in counts.values())
    assert result.analysed["counts"] == 6
    site, _ = inspect_site(config, [Counts()])
    assert {r.path: r.analyses["counts"] for r in site.reports} == counts


def test_a_disabled_output_is_neither_imported_nor_run(generated: Path) -> None:
    (generated / "config.yaml").write_text((generated / "config.yaml").read_text(encoding="utf-8") + "stats: false\n",
                                           encoding="utf-8")
    config, _ = load_config(generated / "config.yaml", {})
    assert [o.name for o in outputs_for(config)] == ["pages", "search", "feed", "sitemap", "bundles", "disabled"]
    build(config)
    index = ReadIndex.load(config.root, {})
    assert len(index.entries) == 6 and all(e.analyses == {} for e in index.entries.values())
    assert not (config.output_path / "stats").exists() and not (config.output_path / "data").exists()
    script = ("import sys; from site_builder.build import build; from site_builder.config import load_config; "
              f"build(load_config(__import__('pathlib').Path({str(generated / 'config.yaml')!r}), {{}})[0]); "
              "print(sorted(m for m in sys.modules if m.startswith('site_builder.stats')))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=generated)
    assert loaded.stdout.strip() == "[]"


def test_a_report_is_one_immutable_object(generated: Path) -> None:
    config, _ = load_config(generated / "config.yaml", {})
    site, _ = inspect_site(config)
    first, second = site.reports[0], site.reports[1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.path = "elsewhere/"  # type: ignore[misc]
    body = first.body
    assert second.body != body and first.body == body  # the same whenever it is read
    assert first.description == (first.meta.summary or body.excerpt)
    assert set(first.analyses) == {"stats"}
    marked = [(r, f) for r in site.reports for f in r.analyses["stats"].figures if f.evidence_id]  # type: ignore[attr-defined]
    assert marked, "the generated reports have key figures"
    assert all(f'id="{f.evidence_id}"' in r.body.html for r, f in marked)  # the statistics' marks are in the body
