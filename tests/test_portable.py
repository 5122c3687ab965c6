"""Windows and macOS editors: build, serve and search run where there is no fork(), no fcntl and no
asyncio signal handlers. Simulated here on Linux (tests/no_fork/sitecustomize.py removes them
before site_builder is imported, and forces the spawn start method); the output must be
byte-identical to the normal, forked build's."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from itertools import product
from pathlib import Path

import pytest
from conftest import REPO, report_text, snapshot
from servers import fetch, serving

SHIM = REPO / "tests" / "no_fork"
# Fifteen characters with distinct pinyin: 225 town names, above the 200 from which work is forked.
CHARACTERS = "东南西北中金木水火土山河湖海江"
REPORTS = 210


def run(root: Path, *args: str, portable: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if portable:
        env["PYTHONPATH"] = str(SHIM)
    return subprocess.run([sys.executable, "-m", "site_builder", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=900)


def write_corpus(root: Path) -> None:
    (root / "config.yaml").write_text((REPO / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for index, (first, second) in enumerate(list(product(CHARACTERS, CHARACTERS))[:REPORTS]):
        town = f"{first}{second}镇"
        path = root / "content" / f"r{index:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report_text(town=town, county="潼南区", year=2021 + index % 3, n=index), encoding="utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same corpus, built normally (forked workers) and without fork/fcntl, then both edited and rebuilt."""
    normal, portable = tmp_path_factory.mktemp("normal"), tmp_path_factory.mktemp("portable")
    for root, shimmed in ((normal, False), (portable, True)):
        write_corpus(root)
        built = run(root, "build", "--base-url", "/pub/fzzf/", portable=shimmed)
        assert built.returncode == 0, built.stderr
    return normal, portable


def test_the_shim_takes_fork_and_fcntl_away(tmp_path: Path) -> None:
    probe = subprocess.run([sys.executable, "-c", "import os, multiprocessing\n"
                            "from site_builder import parallel, locking\n"
                            "import importlib.util\n"
                            "print(hasattr(os, 'fork'), parallel.can_fork(), locking.HAVE_FLOCK, multiprocessing.get_start_method())"],
                           cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(SHIM)}, capture_output=True, text=True)
    assert probe.stdout.split() == ["False", "False", "False", "spawn"], probe.stderr


def test_a_build_without_fork_or_fcntl_is_byte_identical(sites: tuple[Path, Path]) -> None:
    normal, portable = sites
    expected = snapshot(normal / "site")
    assert len(expected) > REPORTS  # every report's page, and the search shards, downloads…
    assert snapshot(portable / "site") == expected


def test_an_incremental_build_without_fork_patches_the_same_bytes(sites: tuple[Path, Path]) -> None:
    """Edits to more reports than the forked shard patching's threshold, rebuilt both ways."""
    normal, portable = sites
    for root, shimmed in ((normal, False), (portable, True)):
        for path in sorted((root / "content").glob("r*.md"))[:REPORTS]:
            path.write_text(path.read_text(encoding="utf-8").replace("继续推进", "持续推进"), encoding="utf-8")
        rebuilt = run(root, "build", "--base-url", "/pub/fzzf/", portable=shimmed)
        assert rebuilt.returncode == 0, rebuilt.stderr
    assert snapshot(portable / "site") == snapshot(normal / "site")


def test_search_without_fork_finds_the_same(sites: tuple[Path, Path]) -> None:
    normal, portable = sites
    answers = [run(root, "search", "法治培训", "--limit", "5", portable=shimmed) for root, shimmed in ((normal, False), (portable, True))]
    assert answers[0].returncode == 0, answers[0].stderr
    assert answers[1].stdout == answers[0].stdout and answers[1].returncode == 0, answers[1].stderr


def test_serve_without_fork_or_signal_handlers_serves_the_build_and_stops_on_sigterm(sites: tuple[Path, Path]) -> None:
    normal, portable = sites
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONPATH": str(SHIM)}
    with serving(portable, "/pub/fzzf/", config=False, env=env) as served:
        page = re.sub(r'<script type="text/javascript">\(function\(\)\{var s=document.createElement\("script"\).*?</script>',
                      "", fetch(served.base)[1], count=1, flags=re.S)  # livereload's script, added as it serves
        assert page == (normal / "site/index.html").read_text(encoding="utf-8")
        assert fetch(served.base + "no-such-page/")[0] == 404
        served.process.send_signal(signal.SIGTERM)  # handled through signal.signal, as on Windows
        assert served.process.wait(timeout=120) != 0
    assert "Traceback" not in served.logged(), served.logged()


def test_without_fcntl_the_lock_is_a_file_created_exclusively_and_a_dead_holders_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    script = f"""
from pathlib import Path
import os, subprocess, sys
from site_builder.locking import acquire_lock, release_lock
lock = Path("out.lock")
lock.write_text("{dead.pid}\\n")
fd = acquire_lock(lock, "out/")  # its holder is gone: taken over
assert lock.read_text() == f"{{os.getpid()}}\\n"
other = subprocess.Popen([sys.executable, "-c", "from pathlib import Path; from site_builder.locking import acquire_lock; "
                          "acquire_lock(Path('out.lock'), 'out/'); print('acquired')"], stdout=subprocess.PIPE, text=True)
try:
    other.wait(timeout=2)
    raise SystemExit("a second build took a held lock")
except subprocess.TimeoutExpired:
    pass  # waiting, as it should
release_lock(fd)
assert other.communicate(timeout=300)[0].strip() == "acquired"  # its turn came
assert lock.read_text() == f"{{other.pid}}\\n"  # ended without releasing it: the next build takes over
print("ok")
"""
    env = {**os.environ, "PYTHONPATH": str(SHIM)}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert result.stdout.strip() == "ok", result.stderr
    if sys.platform != "win32":  # on Windows itself the system's lock went with its holder: nothing to take over
        assert f"(process {dead.pid}) has ended without releasing it; taking over" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="Windows cannot hold the names this test writes")
def test_names_windows_cannot_hold_are_refused_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text((REPO / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    reports = {"content/aux/2023.md": report_text(), "content/ok/NUL.md": report_text(town="中庄镇"),
               "content/ok/a.md ": report_text(town="兴隆镇"), "content/ok/2022.md": report_text(town="仁沙镇", extra="slug: com1\n"),
               "content/ok/2021.md": report_text(town="辛口镇")}
    for name, text in reports.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    checked = run(tmp_path, "check", portable=False)
    assert checked.returncode == 2
    errors = [line for line in checked.stdout.splitlines() if ": error" in line]
    assert len(errors) == 3, checked.stdout  # "a.md " is not a report's name (*.md) and is left alone
    assert any(line.startswith("content/aux/2023.md: error") and "In the path, “aux” is a name Windows reserves for a device (AUX)" in line for line in errors)
    assert any(line.startswith("content/ok/NUL.md: error") for line in errors)
    assert "for example to “NUL-1.md”" in checked.stdout
    assert any(line.startswith("content/ok/2022.md:8: error [slug]") and "COM1" in line for line in errors)
    assert not any(line.startswith("content/ok/2021.md") for line in errors)


def test_a_report_saved_with_windows_line_endings_builds_the_same_site(tmp_path: Path) -> None:
    sites = []
    for ending in ("\n", "\r\n"):
        root = tmp_path / repr(ending).strip("'\\")
        (root / "content").mkdir(parents=True)
        (root / "config.yaml").write_text((REPO / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        (root / "content/2023.md").write_bytes(report_text().replace("\n", ending).encode())
        assert run(root, "build", portable=False).returncode == 0
        files = snapshot(root / "site")
        del files[".site-builder-output"]  # the build's id, from the input's bytes
        sites.append(files)
    assert sites[0] == sites[1]
