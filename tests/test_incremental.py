"""Incremental builds against clean builds: after every edit of a random sequence, the site an
incremental build leaves must be byte-identical to a clean build of the same input in another
folder (with its own cache). benchmarks/incremental.py runs the same for hundreds of steps."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import snapshot
from edits import KINDS, apply_edit, copy_sources, make_project

from site_builder import build as build_module
from site_builder import parallel
from site_builder.build import BuildState, build
from site_builder.config import load_config
from site_builder.search import build as search_build


def _build(root: Path, state: BuildState | None = None) -> None:
    config, _ = load_config(root / "config.yaml", {})
    build(config, state=state, allow_move=True)  # a moved or deleted report leaves a redirect


def _serve_build(root: Path, state: BuildState) -> None:
    """As `serve` rebuilds: the pages first, then the search index and the downloads."""
    config, _ = load_config(root / "config.yaml", {})
    build(config, state=state, defer=True, allow_move=True)
    build(config, state=state, allow_move=True)


@pytest.mark.parametrize(("seed", "reports"), [(1, 24), (2, 24), (3, 24), (4, 3)])
def test_incremental_builds_equal_clean_builds_after_every_edit(tmp_path: Path, seed: int, reports: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    if seed == 3:  # the forked workers' paths too
        monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 2)
        monkeypatch.setattr(build_module, "PARALLEL_PAGES", 2)
        monkeypatch.setattr(search_build, "PARALLEL_PATCHES", 2)
    root = tmp_path / "project"
    make_project(root, rng, reports)  # a few reports: the years of the site change with one edit
    _build(root)
    kept = BuildState.load(load_config(root / "config.yaml", {})[0])  # as `serve` keeps it
    kept.keep_files = True
    seen = set()
    redirects = photos = 0
    for step in range(16):
        edit = apply_edit(rng, root, KINDS[step % len(KINDS)] if step < len(KINDS) else None)
        seen.add(edit.kind)
        kept.rescan |= edit.kind in ("add", "delete", "rename")  # what serve's watcher reports
        if step % 2:
            _serve_build(root, kept)
        else:
            _build(root)
        clean = tmp_path / f"clean-{step}"
        copy_sources(root, clean)
        _build(clean)
        assert snapshot(root / "site") == snapshot(clean / "site"), f"step {step}: {edit}"
        redirects += sum(1 for line in (root / "published-urls.txt").read_text(encoding="utf-8").split("\n") if "\t→ " in line)
        photos += sum(1 for _ in (root / "site").rglob("*.png"))
    assert seen >= set(KINDS) - {"asset"} or len(seen) >= 10
    assert redirects and photos  # the bundles and the redirects were compared too


def test_an_unchanged_rebuild_writes_nothing_and_one_edit_writes_little(tmp_path: Path) -> None:
    rng = random.Random(7)
    root = tmp_path / "project"
    make_project(root, rng, 30)
    config, _ = load_config(root / "config.yaml", {})
    first = build(config)
    again = build(config)
    assert again.incremental and again.files == 0 and again.rendered == 0 and again.read == 0
    apply_edit(rng, root, "body")
    edited = build(config)
    assert edited.read == 1 and edited.search_analysed == 1
    # its report and town pages, its county, province and year, the pages listing everything
    assert 0 < edited.rendered <= 16 and edited.files < first.files / 4


def test_search_and_stats_keep_the_reports_they_read_for_the_next_command(tmp_path: Path) -> None:
    """`search`/`stats` on a site never built read every report; the next command must not read them again."""
    from site_builder.build import inspect_site

    root = tmp_path / "project"
    make_project(root, random.Random(11), 12)
    config, _ = load_config(root / "config.yaml", {})
    site, _ = inspect_site(config)
    assert len(site.reports) == 12
    assert build(config).read == 0


def _entries(postings: list[tuple[int, list[int]]]) -> tuple[bytes, bytes]:
    """The doc list and the positions entry of postings, encoded plainly from the format
    description (docs/search-index.md)."""
    from site_builder.search.encode import varint_bytes

    doc_list, positions, previous = [len(postings)], [len(postings)], 0
    for doc, places in postings:
        doc_list += [doc - previous, len(places), places[0] if places else 0]
        positions += [doc - previous, len(places), *(b - a for a, b in zip([0, *places], places, strict=False))]
        previous = doc
    return varint_bytes(doc_list), varint_bytes(positions)


def test_splicing_an_entry_equals_encoding_the_changed_postings() -> None:
    from site_builder.search.patch import splice

    rng = random.Random(5)
    for _ in range(400):
        postings = {doc: sorted(rng.sample(range(4000), rng.randint(1, 40))) for doc in rng.sample(range(3000), rng.randint(0, 60))}
        changes: dict[int, list[int] | None] = {}
        for doc in rng.sample(range(3000), rng.randint(1, 5)) + rng.sample(sorted(postings) or [0], min(2, len(postings))):
            changes[doc] = None if rng.random() < 0.4 else sorted(rng.sample(range(4000), rng.randint(1, 30)))
        after = {**postings, **{d: c for d, c in changes.items() if c is not None}}
        for doc, places in changes.items():
            if places is None:
                after.pop(doc, None)
        old_t, old_p = _entries(sorted(postings.items()))
        new_t, new_p = _entries(sorted(after.items())) if after else (b"", b"")
        payload_t = {d: (_entries([(0, c)])[0][2:] if c is not None else None) for d, c in changes.items()}
        payload_p = {d: (_entries([(0, c)])[1][2:] if c is not None else None) for d, c in changes.items()}
        assert splice(old_t if postings else b"", payload_t, positions=False) == new_t
        assert splice(old_p if postings else b"", payload_p, positions=True) == new_p


def test_a_file_removed_or_added_by_hand_in_the_output_is_put_right(tmp_path: Path) -> None:
    root = tmp_path / "project"
    make_project(root, random.Random(9), 6)
    config, _ = load_config(root / "config.yaml", {})
    build(config)
    clean = snapshot(root / "site")
    page = next(path for path in (root / "site").rglob("index.html") if path.parent.name.isdigit())
    page.unlink()
    (root / "site" / "stray.txt").write_text("left here by hand", encoding="utf-8")
    result = build(config)
    assert not result.incremental  # the folder is not what the last build left: built whole
    assert snapshot(root / "site") == clean
    assert build(config).incremental


def test_compiled_templates_are_kept_and_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    rng = random.Random(11)
    root = tmp_path / "project"
    make_project(root, rng, 3)
    _build(root)
    compiled = list((root / ".site-cache" / "templates").glob("*/__jinja2_*.cache"))
    assert len(compiled) >= 5  # base, report, town, year … compiled once, for the next build process
    override = root / "custom" / "templates" / "404.html"
    override.write_text('{% extends "base.html" %}{% block content %}<p>页面不存在（第二版）</p>{% endblock %}', encoding="utf-8")
    _build(root)
    assert "页面不存在（第二版）" in (root / "site" / "404.html").read_text(encoding="utf-8")
    for path in compiled:  # a cache that cannot be read or written only costs time
        path.write_bytes(b"damaged")
    override.write_text('{% extends "base.html" %}{% block content %}<p>第三版</p>{% endblock %}', encoding="utf-8")
    _build(root)
    assert "第三版" in (root / "site" / "404.html").read_text(encoding="utf-8")
