"""Output guarantees: byte-identical rebuilds (serial and parallel), atomic replacement, theme
overrides, and template errors that name the template and keep the old site."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import pytest
from conftest import Project, copy_project, snapshot

from site_builder import parallel
from site_builder.writer import OutputError, SiteWriter


def test_two_builds_are_byte_identical(project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert project.run(capsys, "build").code == 0
    first = snapshot(project.site)
    assert project.run(capsys, "build", "--output", str(tmp_path / "again")).code == 0
    assert snapshot(tmp_path / "again") == first


def test_parallel_and_serial_builds_are_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from corpus import generate

    monkeypatch.chdir(tmp_path)
    project = copy_project(tmp_path / "big", with_content=False)
    threshold = parallel.PARALLEL_THRESHOLD
    generate(threshold + 40, project.root)
    assert project.run(capsys, "build", "--output", str(tmp_path / "par")).code == 0
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 10**9)
    monkeypatch.setattr("site_builder.build.PARALLEL_PAGES", 10**9)
    assert project.run(capsys, "build", "--output", str(tmp_path / "ser")).code == 0
    serial = snapshot(tmp_path / "ser")
    assert len(serial) > threshold
    assert snapshot(tmp_path / "par") == serial


def test_source_date_epoch_only_matters_without_dates(project: Project, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert project.run(capsys, "build").code == 0
    assert "<updated>2025-01-23T00:00:00+08:00</updated>" in (project.site / "feed.xml").read_text()


def test_template_error_names_template_and_keeps_site(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run(capsys, "build").code == 0
    before = snapshot(project.site)
    custom = project.root / "overrides" / "templates"
    custom.mkdir(parents=True)
    (custom / "town.html").write_text('{% extends "base.html" %}\n{% block content %}\n{{ town.name }\n{% endblock %}\n', encoding="utf-8")
    config = project.root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('custom_dir: ""', "custom_dir: overrides"), encoding="utf-8")
    result = project.run(capsys, "build")
    assert result.code == 1
    assert "overrides/templates/town.html:3: error: Template error" in result.err
    assert snapshot(project.site) == before


def test_custom_dir_overrides_a_template_and_an_asset(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    custom = project.root / "overrides"
    (custom / "templates" / "partials").mkdir(parents=True)
    (custom / "assets").mkdir()
    (custom / "templates" / "partials" / "footer.html").write_text("<footer><p>本地页脚 {{ config.organiser }}</p></footer>\n", encoding="utf-8")
    (custom / "assets" / "site.css").write_text("body{color:#000}\n", encoding="utf-8")
    config = project.root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('custom_dir: ""', "custom_dir: overrides"), encoding="utf-8")
    assert project.run(capsys, "build").code == 0
    assert project.page("").footer.get_text(strip=True).startswith("本地页脚")
    assert (project.site / "assets" / "site.css").read_text() == "body{color:#000}\n"
    assert (project.site / "assets" / "site.js").is_file()  # not overridden: the bundled one


def test_writer_refuses_paths_outside_the_site(tmp_path: Path) -> None:
    with SiteWriter(tmp_path / "out") as writer:
        for bad in ("../escape.html", "/etc/passwd", "a/../../b", ""):
            with pytest.raises(OutputError):
                writer.write(bad, "x")
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / "out").exists()


def test_unwritable_output_gives_a_clear_error(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/site-builder-cannot-write-here/site")
    else:
        locked = project.root / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "site"
    result = project.run(capsys, "build", "--output", str(target))
    assert result.code == 1
    assert "Nothing was written" in result.err and "previous site is unchanged" in result.err


def test_killed_build_leaves_previous_site(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """Kill a real build process mid-way (SIGKILL: no cleanup code runs) and check the old site."""
    assert project.run(capsys, "build").code == 0
    before = snapshot(project.site)
    slow = project.root / "slow"
    (slow / "templates").mkdir(parents=True)
    # A template that takes long enough to be killed in the middle of writing pages: seconds a page
    # (an empty loop of 3 million runs in 80 ms, and once let the build end before the kill).
    (slow / "templates" / "report.html").write_text(
        '{% extends "base.html" %}{% block content %}{% for i in range(100000000) %}{% endfor %}{% endblock %}', encoding="utf-8")
    config = project.root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('custom_dir: ""', "custom_dir: slow"), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--config", str(config)], cwd=project.root)
    deadline = time.monotonic() + 300  # a hang detector: a loaded host starts slowly
    while not (project.root / ".site.staging").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    process.kill()
    process.wait()
    assert snapshot(project.site) == before
    # The next build cleans up what the killed one left and succeeds.
    config.write_text(config.read_text(encoding="utf-8").replace("custom_dir: slow", 'custom_dir: ""'), encoding="utf-8")
    assert project.run(capsys, "build").code == 0
    assert not (project.root / ".site.staging").exists()
    assert snapshot(project.site) == before


def test_concurrent_builds_wait_for_each_other(project: Project) -> None:
    config = str(project.root / "config.yaml")
    runs = [subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--config", config], cwd=project.root,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for run in runs:
        assert run.wait(timeout=600) == 0
    from site_builder.linkcheck import check_site

    assert check_site(project.site)[0] == []
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site.")) == []  # no lock beside the output
    assert not list((project.root / ".site-cache" / "locks").glob("*.lock"))  # each build removes its lock file


def test_full_disk_gives_a_clear_error_and_keeps_the_site(project: Project, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    assert project.run(capsys, "build").code == 0
    before = snapshot(project.site)
    edited = next(project.content.rglob("*.md"))  # so the build has pages to write again
    edited.write_text(edited.read_text(encoding="utf-8") + "\n新增一段文字。\n", encoding="utf-8")
    from site_builder import writer

    written = {"n": 0}

    def filling_up(path: str, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:  # full after a few files
        if "w" in mode:
            written["n"] += 1
            if written["n"] > 5:
                raise OSError(errno.ENOSPC, "No space left on device", path)
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(writer, "open", filling_up, raising=False)
    result = project.run(capsys, "build")
    monkeypatch.undo()
    assert written["n"] > 5
    assert result.code == 1
    assert "The disk is full" in result.err and "the previous site is unchanged" in result.err
    assert snapshot(project.site) == before
    assert not (project.root / ".site.staging").exists()
