"""Shared fixtures: a copy of the bundled project (config.yaml + content/) to build in isolation,
and helpers to run the CLI in-process and read what it wrote."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_builder.cli import main

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("SEEDS_DIR", REPO.parent / "shared" / "seeds"))
sys.path.insert(0, str(REPO / "benchmarks"))


SLOW = (
    "tests/browser/",  # a real browser on every page type (one smoke test stays in the fast lane: FAST)
    "tests/test_fuzz.py::test_fuzz_every_input_surface", "tests/test_fuzz.py::test_fuzz_hostile_trees",  # thousands of cases
    "tests/test_serve.py", "tests/test_search_service.py::test_serve_search_answers_json",
    "tests/test_cli_language.py::test_serve_speaks_chinese",
    "tests/test_links_and_servers.py::test_serve", "tests/test_raw_images.py::test_serve",  # servers driven over HTTP
    "tests/test_privacy.py::test_serve",  # (tests/test_bundles.py's serve test stays in the fast lane)
    "tests/test_safety.py::test_stopping_a_build", "tests/test_search_index.py::test_the_index_of_a_large_site",  # large corpora
    "tests/test_incremental.py::test_incremental_builds_equal_clean_builds_after_every_edit",
    "tests/test_packaging.py::test_the_wheel", "tests/test_packaging.py::test_the_installed_wheel",  # a wheel built and installed
    "tests/test_packaging.py::test_init_from_a_wheel",
    # 225 towns (past the fork threshold) built with and without fork, an incremental build after 210 edits, a server
    *(f"tests/test_portable.py::test_{name}" for name in ("a_build_without_fork", "an_incremental_build_without_fork",
                                                           "search_without_fork", "serve_without_fork")),
    "tests/test_hostile.py::test_extreme_reports_build_quickly", "tests/test_safety.py::test_a_400_digit_number",  # extreme inputs
    "tests/test_safety.py::test_two_searches_at_once",  # three processes indexing at once
    # Whole builds repeating what a smaller fast-lane test already covers (the longest of the fast lane, measured
    # with --durations): the fast lane keeps the accuracy test of every import fixture, the table of editor
    # mistakes, two byte-identical builds, the permanence tests and one incremental edit.
    "tests/test_import_layouts.py::test_every_text_layout_reads_the_same",  # every fixture in three formats
    "tests/test_editor_mistakes.py::test_check_fix_makes_every_certain_mistake_build",
    "tests/test_links_and_servers.py::test_the_shipped_project_builds_strict",
    "tests/test_safety.py::test_adding_a_name_never_moves", "tests/test_safety.py::test_a_docx_table_cell",
    "tests/test_safety.py::test_titles_that_look_like_formulas", "tests/test_safety.py::test_a_raw_heading_cannot",
    "tests/test_safety.py::test_output_dir_in_config_is_guarded", "tests/test_safety.py::test_a_port_in_use",
    "tests/test_safety.py::test_a_site_built_before_the_marker", "tests/test_safety.py::test_control_characters_in_the_body",
    "tests/test_conventions.py::test_index_numbers_in_an_unusual_form", "tests/test_precompress.py::test_precompressed_copies",
    "tests/test_portable.py::test_a_report_saved_with_windows_line_endings", "tests/test_nginx.py",
    "tests/test_gov_site.py::test_in_a_git_repository", "tests/test_gov_site.py::test_check_and_strict_build_ask",
    "tests/test_permanence.py::test_the_pages_workflow_commits", "tests/test_output.py::test_concurrent_builds",
    "tests/test_incremental.py::test_a_file_removed_or_added_by_hand", "tests/test_incremental.py::test_compiled_templates",
)
FAST = ("tests/browser/test_site_in_browser.py::test_keyboard_only_skip_link_navigation_and_outline",)
"""In the fast lane though under a SLOW prefix: a browser smoke test (one page, a few keys) on the seed site."""
"""Tests in the slow lane (`pytest -m slow`); the fast lane is `pytest -m "not slow"`. Node ids by prefix."""


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests assert messages by their English text (the catalogue's ids); editors get Chinese by
    default, which tests/test_messages.py and tests/test_editor_mistakes.py check (they set zh)."""
    monkeypatch.setenv("SITE_BUILDER_LANG", "en")
    monkeypatch.delenv("SITE_BUILDER_LANG_FROM_COMMAND_LINE", raising=False)


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """For a test that asserts the Chinese an editor reads (the default language), in this process and the ones it starts."""
    monkeypatch.setenv("SITE_BUILDER_LANG", "zh")


def first_fast(cases: Sequence[object]) -> list[object]:
    """Parameters for a family of one case written several ways, each a whole build: the first in the fast
    lane, the rest in the slow lane (all in a full run)."""
    def slow(case: object) -> object:
        values = case if isinstance(case, tuple) else (case,)  # a tuple holds several parameters
        return pytest.param(*values, marks=pytest.mark.slow)
    return [cases[0], *(slow(case) for case in cases[1:])]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "seeds: needs the seed reports in ../shared/seeds (or SEEDS_DIR)")
    config.addinivalue_line("markers", "slow: a browser, a server, a large corpus or a fuzz run; left out by -m 'not slow'")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One clear line for each missing piece that made tests skip (the seeds, the browser)."""
    try:
        from tests.browser.conftest import AXE, CHROMIUM
    except BaseException:  # playwright itself is missing (its import skips the browser tests)
        terminalreporter.write_line("NOTE: playwright is missing: the browser tests were skipped (pip install -e '.[test]')")
        return
    if not (SEEDS.is_dir() and any(SEEDS.glob("*.txt"))):
        terminalreporter.write_line(f"NOTE: the seed reports are not in {SEEDS}: the tests that read them were skipped (set SEEDS_DIR)")
    if not (Path(CHROMIUM).exists() and AXE.is_file()):
        terminalreporter.write_line(f"NOTE: chromium ({CHROMIUM}) or axe-core ({AXE}) is missing: the browser tests were skipped "
                                    "(.ci/run installs both)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without the seeds (a clone outside this workplace), their tests are skipped — unless
    SITE_BUILDER_REQUIRE_SEEDS=1 (set by .ci/run), where missing seeds are a failure. Tests listed in
    SLOW get the `slow` marker."""
    for item in items:
        nodeid = item.nodeid if item.nodeid.startswith("tests/") else f"tests/{item.nodeid}"
        if nodeid.startswith(SLOW) and not nodeid.startswith(FAST):
            item.add_marker(pytest.mark.slow)
    if SEEDS.is_dir() and any(SEEDS.glob("*.txt")):
        return
    if os.environ.get("SITE_BUILDER_REQUIRE_SEEDS") == "1":
        raise pytest.UsageError(f"the seed reports are missing from {SEEDS}")
    skip = pytest.mark.skip(reason=f"seed reports not found in {SEEDS} (set SEEDS_DIR)")
    for item in items:
        if item.get_closest_marker("seeds"):
            item.add_marker(skip)


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Project:
    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def content(self) -> Path:
        return self.root / "content"

    def run(self, capsys: pytest.CaptureFixture[str], *args: str) -> Run:
        code = main([*args, "--config", str(self.root / "config.yaml")])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def page(self, url_path: str) -> BeautifulSoup:
        """Parse the page served at a site-relative URL path ('' for home)."""
        target = self.site / url_path
        if url_path == "" or url_path.endswith("/"):
            target = target / "index.html"
        return BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


def copy_project(dest: Path, with_content: bool = True) -> Project:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "config.yaml", dest / "config.yaml")
    if with_content:
        shutil.copytree(REPO / "content", dest / "content")
    else:
        (dest / "content").mkdir()
    return Project(dest)


def build_once(project: Project, *args: str) -> Run:
    """Build outside any test, for a module-scoped fixture whose tests only read the site (one build a
    module, not one a test); messages in English, as english_messages gives each test."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        patch.setenv("SITE_BUILDER_LANG", "en")
        patch.delenv("SITE_BUILDER_LANG_FROM_COMMAND_LINE", raising=False)
        code = main(["build", *args, "--config", str(project.root / "config.yaml")])
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The bundled seed site, copied to a temporary folder that is also the working directory."""
    monkeypatch.chdir(tmp_path)
    return copy_project(tmp_path / "proj")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below folder, by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


REPORT_TEMPLATE = """---
title: 关于{year}年法治政府建设情况的报告
unit: {county}{town}人民政府
town: {town}
county: {county}
province: {province}
year: {year}
{extra}---

区委、区政府：

{year}年，{town}坚持依法行政，现将情况报告如下。

## 一、主要举措和成效

### （一）强化组织领导

一是压实责任。全年开展法治培训{n}次。

## 二、存在的不足和原因

法治观念有待加强。

## 三、下一年工作安排

继续推进法治政府建设。
"""


def report_text(town: str = "双江镇", county: str = "潼南区", province: str = "重庆市", year: int = 2023,
                extra: str = "", n: int = 3) -> str:
    return REPORT_TEMPLATE.format(town=town, county=county, province=province, year=year, extra=extra, n=n)


def luhn_complete(prefix: str) -> str:
    """A card-like number: prefix plus the check digit that makes it pass the Luhn test."""
    from site_builder.importer.personal import luhn_ok

    return next(prefix + str(d) for d in range(10) if luhn_ok(prefix + str(d)))
