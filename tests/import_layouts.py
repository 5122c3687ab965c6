"""The importer against hand-written expectations for the layout fixtures (tests/fixtures/
import_layouts/expected.yaml): shared by tests/test_import_layouts.py and benchmarks/import.py."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from site_builder.importer.output import import_one
from site_builder.schema import derive_level

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import_layouts"
FIELDS = ("title", "unit", "town", "county", "province", "level", "year", "published", "signed", "index_no", "doc_no")


BATCH_PREFIXES = ("c3", "d3", "e3", "f3")
"""Later fixture batches are named by engineer and round and numbered within it (`d3-05-…`)."""

CLASSES: dict[str, tuple[str, ...]] = {
    "title over lines (issuer first)": ("f3-01", "c3-31", "c3-32", "c3-05", "c3-29", "d3-14", "d3-18", "d3-20", "t11", "t26", "t27", "t35", "t58", "t67", "t69", "t84", "t94", "t98", "d02", "d07", "t118"),
    "title printed twice": ("e3-11", "c3-32", "c3-01", "c3-04", "c3-17", "c3-26", "c3-27", "d3-14", "d3-18", "d3-20", "t03", "t22", "t34", "t36", "t48", "t49", "t51", "t69", "t94", "h14", "t118", "t122"),
    "file name as title": ("e3-19", "t66", "h10", "t88", "t100"),
    "department / office": ("f3-01", "f3-02", "f3-04", "f3-05", "f3-13", "f3-14", "e3-01", "e3-02", "e3-04", "e3-05", "e3-06", "e3-07", "e3-08", "e3-09", "e3-11", "e3-12", "e3-13",
                            "e3-14", "e3-15", "e3-16", "e3-17", "e3-18", "c3-07", "c3-09", "c3-14", "c3-15", "c3-16", "c3-26", "d3-04", "d3-16", "d3-23", "t17", "h08", "h09", "t43", "t44", "t47", "t52", "t53", "t54", "t55", "t56", "t57", "t74",
                            "t78", "t79", "t80", "t81", "t82", "t83", "t86", "t90", "t91", "d07", "t102", "t103", "t104", "t105",
                            "t106", "t108", "t109", "t117", "t118", "t119", "t124",
                            "t125", "t126", "t127", "t129", "t131"),
    "level from 我镇/我乡/本街道": ("c3-35", "c3-10", "c3-19", "d3-13", "t13", "t14", "t25", "t40", "t41", "t51", "t62", "t63", "t68", "t70", "t73", "t78", "t83",
                                    "t85", "t87", "t89", "t106", "t107", "t108", "t109", "t111", "t112", "t114"),
    "place via well-known name, city or unique county": ("f3-01", "f3-02", "f3-04", "f3-05", "f3-09", "f3-10", "f3-12", "f3-14", "e3-01", "e3-02", "e3-05", "e3-06", "e3-09", "e3-12", "e3-13", "e3-15",
                                                         "e3-17", "e3-20", "c3-31", "c3-35", "c3-37", "c3-38", "c3-02", "c3-03", "c3-04", "c3-05", "c3-10", "c3-12", "c3-13", "c3-17", "c3-19", "c3-22", "c3-25", "c3-29", "d3-01", "d3-08", "d3-09", "d3-10", "d3-12", "d3-22", "d3-28", "d3-29", "d3-30", "t42", "t45", "t46", "t50", "t59", "t60", "t67", "t18", "t04", "t71", "t72",
                                                         "t74", "t76", "t77", "t99", "h12", "t102", "t103", "t104", "t105", "t110", "t115",
                                                         "t116", "t117", "t119", "t122", "t125", "t127", "t130"),
    "mirror / aggregator copy": ("f3-05", "f3-06", "f3-15", "f3-16", "e3-11", "e3-15", "e3-19", "c3-33", "c3-34", "c3-38", "c3-02", "c3-09", "c3-12", "c3-17", "c3-19", "c3-20", "c3-23", "c3-24", "c3-25", "c3-27", "d3-02", "d3-03", "d3-04", "d3-05", "d3-10", "d3-15", "t12", "t22", "t39", "t43", "t44", "t59", "t60", "t61", "t62", "t63", "t64", "t65", "t71", "t77", "t80", "t85", "t87", "t88", "t100", "h07", "h13",
                                 "h11", "t113", "t116", "t124", "t126", "t129"),
    "traditional characters": ("f3-05", "f3-15", "c3-33", "c3-38", "c3-12", "c3-19", "c3-27", "d3-10", "t19", "t20", "t38", "h04", "d04", "t44", "t59", "t61", "t77", "t87", "h11", "t116"),
    "autonomous county by its short form (屏边县)": ("f3-12", "f3-14", "d3-30"),
    "municipality's own report (直辖市, level 省)": ("f3-06", "f3-07", "f3-16"),
}
"""The failure classes of issues 12 and 27, and the fixtures (by number) that reproduce each; a
fixture may stand in several. The others are layouts of page labels and furniture."""


def classes_of(name: str) -> list[str]:
    parts = name.split("-")
    number = "-".join(parts[:2]) if parts[0] in BATCH_PREFIXES else parts[0]  # d3-05-… is numbered d3-05
    return [label for label, numbers in CLASSES.items() if number in numbers] or ["page labels and furniture"]


@dataclass
class Score:
    known: int = 0
    """Fields the document states (in expected.yaml)."""
    found: int = 0
    """Of those, read exactly."""
    wrong: list[str] = field(default_factory=list)
    """A value that differs from the document's."""
    guesses: list[str] = field(default_factory=list)
    """A value for a field the document does not state."""
    missed: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.found / self.known if self.known else 1.0


def expectations() -> dict[str, dict[str, object]]:
    return yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def imported_fields(path: Path) -> dict[str, str]:
    """What `site-builder import` would write for the file, as text, level included."""
    with tempfile.TemporaryDirectory() as folder:
        outcome = import_one(path, Path(folder), {}, dry_run=True, allow_incomplete=True)
    values = {key: _text(item.value) for key, item in outcome.meta.items() if key in FIELDS and _text(item.value)}
    if "level" not in values and values.get("town"):
        values["level"] = derive_level(values["town"])
    return values


def fields_of_lines(tmp_path: Path, lines: list[str], name: str = "report.txt") -> dict[str, str]:
    """The fields the importer reads from a text file of these lines (for the class tests)."""
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return imported_fields(path)


def reasons_of_lines(tmp_path: Path, lines: list[str]) -> dict[str, str]:
    """Why the importer left each field empty, for a text file of these lines."""
    path = tmp_path / "reasons.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = import_one(path, tmp_path / "out", {}, dry_run=True, allow_incomplete=True)
    assert outcome.converted is not None
    return outcome.converted.reasons


def score(names: list[str] | None = None) -> tuple[Score, dict[str, dict[str, str]]]:
    expected = expectations()
    total = Score()
    produced: dict[str, dict[str, str]] = {}
    for name in names or sorted(expected):
        want = {key: _text(value) for key, value in (expected[name] or {}).items()}
        got = produced[name] = imported_fields(FIXTURES / name)
        for key in FIELDS:
            if key in want:
                total.known += 1
                if got.get(key) == want[key]:
                    total.found += 1
                elif key in got:
                    total.wrong.append(f"{name} {key}: {got[key]!r}, the document says {want[key]!r}")
                else:
                    total.missed.append(f"{name} {key}: {want[key]!r}")
            elif key in got:
                total.guesses.append(f"{name} {key}: {got[key]!r}, the document does not say")
    return total, produced
