"""Installed like a real tool: the wheel outside the checkout builds a full site; `init` starts a
site of one's own; `check --format github` speaks the workflow annotation syntax; the project's
own linters pass."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, report_text

ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,:\n]+(?:,line=\d+)?,title=[^,:\n]*::[^\n]+$")


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from the checkout with the test environment's setuptools (no download)."""
    out = tmp_path_factory.mktemp("dist")
    result = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", out, REPO, cwd=out)
    assert result.returncode == 0, result.stderr
    return next(out.glob("site_builder-*.whl"))


def test_the_wheel_carries_the_theme_the_examples_and_every_subpackage(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("site_builder/data/theme/templates/base.html", "site_builder/data/theme/assets/search.js",
                   "site_builder/data/theme/assets/vendor/fflate.min.js",  # old browsers' inflate, with its licence
                   "site_builder/data/theme/assets/vendor/fflate.LICENSE",
                   "site_builder/data/examples/chongqing/tongnan/shuangjiang/2023.md",
                   "site_builder/data/site/config.yaml", "site_builder/data/site/dot-github/workflows/pages.yml",
                   "site_builder/data/site-en/content/README.md",  # the editors' guide init writes with --lang en
                   "site_builder/locale/zh_CN/LC_MESSAGES/site_builder.mo",  # the Chinese messages
                   "site_builder/data/divisions/divisions.csv.xz", "site_builder/data/divisions/README.md"):  # the division list
        assert needed in names
    packages = {p.parent.relative_to(REPO).as_posix() for p in (REPO / "site_builder").rglob("__init__.py")}
    for package in packages:
        assert f"{package}/__init__.py" in names, f"{package} is missing from the wheel"


def test_the_installed_wheel_outside_the_checkout_starts_and_builds_a_site(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", venv, cwd=tmp_path).returncode == 0
    python = venv / "bin" / "python"
    installed = run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    # The dependencies come from the test environment's site-packages, added as a plain path: its
    # .pth files (the editable install of the checkout among them) are not processed.
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).stdout.strip())
    (site_packages / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = run(python, "-c", "import site_builder, sys; print(site_builder.__file__); print(*sys.path, sep='\\n')", cwd=tmp_path, env=env)
    module, *path = where.stdout.splitlines()
    assert module.startswith(str(venv)), where.stdout + where.stderr
    assert str(REPO) not in path  # the source tree is not importable (cwd, "", is tmp_path)

    tool = venv / "bin" / "site-builder"
    # The README's path: init, then build — a new site with no report yet gets every page type.
    assert run(tool, "init", "newsite", cwd=tmp_path, env=env).returncode == 0
    empty = run(tool, "build", cwd=tmp_path / "newsite", env=env)
    assert empty.returncode == 0, empty.stderr
    for path in ("index.html", "assets/site.css", "search/meta.json", "stats/index.html"):
        assert (tmp_path / "newsite" / "site" / path).is_file(), path
    created = run(tool, "init", "mysite", "--example", cwd=tmp_path, env=env)
    assert created.returncode == 0, created.stderr
    built = run(tool, "build", "--site-url", "https://example.gov.cn", cwd=tmp_path / "mysite", env=env)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "mysite" / "site"
    for path in ("index.html", "assets/site.css", "assets/search.js", "assets/vendor/fflate.min.js", "search/meta.json", "stats/index.html",
                 "data/stats.xlsx", "sitemap.xml", "chongqing/tongnan/shuangjiang/2023/index.html"):
        assert (site / path).is_file() and (site / path).stat().st_size > 0, path
    assert "双江镇" in (site / "chongqing/tongnan/shuangjiang/2023/index.html").read_text(encoding="utf-8")


def test_init_writes_a_site_that_checks_and_builds_and_never_overwrites(tmp_path: Path) -> None:
    tool = [sys.executable, "-m", "site_builder"]
    first = run(*tool, "init", "site-a", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    root = tmp_path / "site-a"
    for path in ("config.yaml", "content/README.md", "theme/README.md", ".gitignore",
                 ".github/workflows/pages.yml", ".github/workflows/check.yml"):
        assert (root / path).is_file(), path
    config = (root / "config.yaml").read_text(encoding="utf-8")
    from site_builder.config import KNOWN_KEYS

    for key in KNOWN_KEYS:  # every key is there, written out or in a comment
        assert re.search(rf"^#?\s*{key}:", config, re.M), key
    assert "报告" in (root / "content/README.md").read_text(encoding="utf-8")

    # An empty site has nothing to publish yet; with a report it builds.
    (root / "content/chongqing/tongnan/shuangjiang").mkdir(parents=True)
    (root / "content/chongqing/tongnan/shuangjiang/2023.md").write_text(report_text(), encoding="utf-8")
    built = run(*tool, "build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert (root / "site/index.html").is_file()

    # A second init into the same folder refuses and changes nothing.
    (root / "config.yaml").write_text("site_name: 我的网站\n", encoding="utf-8")
    again = run(*tool, "init", "site-a", "--example", cwd=tmp_path)
    assert again.returncode == 1
    assert "already exist" in again.stderr and "nothing was written" in again.stderr
    assert (root / "config.yaml").read_text(encoding="utf-8") == "site_name: 我的网站\n"
    assert not (root / "content/tianjin").exists()


def test_init_workflows_are_valid_github_workflows(tmp_path: Path) -> None:
    wheel_url = "https://example.org/releases/download/v0.2.0/site_builder-0.2.0-py3-none-any.whl"
    assert run(sys.executable, "-m", "site_builder", "init", "s", "--tool", wheel_url, cwd=tmp_path).returncode == 0
    workflows = sorted((tmp_path / "s/.github/workflows").glob("*.yml")) + sorted((REPO / ".github/workflows").glob("*.yml"))
    assert len(workflows) >= 5
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert checker, "check-jsonschema is part of the test extra"
    result = run(checker, "--builtin-schema", "vendor.github-workflows", *workflows, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = (tmp_path / "s/.github/workflows/pages.yml").read_text(encoding="utf-8")
    assert "build --strict" in pages and "github.event.repository.name" in pages
    assert f'SITE_BUILDER: "{wheel_url}"' in pages  # where the workflows install the tool from
    assert "check --format github" in (tmp_path / "s/.github/workflows/check.yml").read_text(encoding="utf-8")


def test_check_format_github_prints_one_annotation_per_problem_on_its_line(tmp_path: Path) -> None:
    assert run(sys.executable, "-m", "site_builder", "init", "s", cwd=tmp_path).returncode == 0
    root = tmp_path / "s"
    report = report_text(extra="published: 2023-13-01\n").replace("法治观念有待加强。", "联系人：张三 13812345678，有问题请联系。")
    (root / "content/a,b:c").mkdir(parents=True)  # a folder name that needs escaping in a property
    (root / "content/a,b:c/2023.md").write_text(report, encoding="utf-8")
    result = run(sys.executable, "-m", "site_builder", "check", "--format", "github", cwd=root)
    assert result.returncode == 2
    lines = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert lines, result.stdout
    for line in lines:
        assert ANNOTATION.match(line), line
    published = next(line for line in lines if "published" in line)
    assert published.startswith("::error file=content/a%2Cb%3Ac/2023.md,line=8,title=published::")


def test_ruff_and_mypy_pass() -> None:
    bin_dir = Path(sys.executable).parent
    ruff = run(bin_dir / "ruff", "check", "site_builder", "tests", "benchmarks", cwd=REPO)
    assert ruff.returncode == 0, ruff.stdout
    mypy = run(bin_dir / "mypy", cwd=REPO)
    assert mypy.returncode == 0, mypy.stdout
    ignores = [line for p in (REPO / "site_builder").rglob("*.py") for line in p.read_text(encoding="utf-8").splitlines()
               if "type: ignore" in line]
    assert all(re.search(r"type: ignore\[[a-z-, ]+\]\s+#\s*\S", line) for line in ignores), "each ignore names its code and reason"


def _venv_with_wheel(wheel: Path, where: Path) -> tuple[Path, dict[str, str]]:
    """A fresh environment with `wheel` installed from its file (dependencies from the test environment)."""
    assert run(sys.executable, "-m", "venv", where, cwd=where.parent).returncode == 0
    python = where / "bin" / "python"
    installed = run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=where.parent)
    assert installed.returncode == 0, installed.stderr
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=where.parent).stdout.strip())
    (site_packages / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return where / "bin", {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def _install_line(site: Path, workflow: str) -> str:
    text = (site / ".github/workflows" / workflow).read_text(encoding="utf-8")
    found = re.search(r'^  SITE_BUILDER: "([^"]+)"$', text, re.M)
    assert found, text
    assert 'pip install "$SITE_BUILDER"' in text
    return found.group(1)


def test_init_from_a_wheel_installed_from_a_file_bundles_a_wheel_the_workflows_install(wheel: Path, tmp_path: Path) -> None:
    copy = tmp_path / "downloads" / wheel.name  # where an office saved the release's wheel
    copy.parent.mkdir()
    shutil.copyfile(wheel, copy)
    bin_dir, env = _venv_with_wheel(copy, tmp_path / "venv")
    created = run(bin_dir / "site-builder", "init", "site", cwd=tmp_path, env=env)
    assert created.returncode == 0, created.stderr
    site = tmp_path / "site"
    line = _install_line(site, "pages.yml")
    assert line == _install_line(site, "check.yml") == f"./.github/site-builder/{wheel.name}"
    assert (site / line).read_bytes() == wheel.read_bytes()  # the very file installed from

    # Installed from a file that is gone since: the installed files are packed back into a wheel,
    # and that wheel installs a working site-builder (what the workflow's `pip install` does).
    copy.unlink()
    again = run(bin_dir / "site-builder", "init", "site2", cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr
    repacked = tmp_path / "site2" / _install_line(tmp_path / "site2", "pages.yml")
    original, rebuilt = zipfile.ZipFile(wheel), zipfile.ZipFile(repacked)
    assert {n for n in original.namelist() if not n.endswith("RECORD")} == {n for n in rebuilt.namelist() if not n.endswith("RECORD")}
    for name in original.namelist():
        if not name.endswith("RECORD"):
            assert original.read(name) == rebuilt.read(name), name
    bin2, env2 = _venv_with_wheel(repacked, tmp_path / "venv2")
    version = run(bin2 / "site-builder", "--version", cwd=tmp_path, env=env2)
    assert version.returncode == 0 and version.stdout.startswith("site-builder "), version.stderr


def test_the_install_source_is_the_url_installed_from() -> None:
    from site_builder.install_source import _remote_requirement

    url = "https://github.com/o/site_builder/releases/download/v0.2.0/site_builder-0.2.0-py3-none-any.whl"
    assert _remote_requirement({"url": url, "archive_info": {"hashes": {"sha256": "ab12"}}}) == f"site-builder @ {url}#sha256=ab12"
    assert _remote_requirement({"url": url, "archive_info": {}}) == f"site-builder @ {url}"
    assert _remote_requirement({"url": url, "archive_info": {"hash": "sha256=cd34"}}) == f"site-builder @ {url}#sha256=cd34"
    git = {"url": "https://github.com/o/site_builder.git", "vcs_info": {"vcs": "git", "commit_id": "0123abc", "requested_revision": "main"}}
    assert _remote_requirement(git) == "git+https://github.com/o/site_builder.git@0123abc"  # the commit, not the branch
    assert _remote_requirement({"url": "file:///tmp/site_builder-0.2.0-py3-none-any.whl", "archive_info": {}}) == ""
    assert _remote_requirement({"url": "https://example.org/site_builder-0.2.0.tar.gz", "archive_info": {}}) == ""
    assert _remote_requirement({"url": "https://example.org/x", "vcs_info": {"vcs": "hg", "commit_id": "1"}}) == ""
    assert _remote_requirement({}) == ""


def test_init_from_a_wheel_installed_from_a_url_writes_that_url_and_its_hash(wheel: Path, tmp_path: Path) -> None:
    """pip records where it installed from (direct_url.json); the workflows install the same URL."""
    import functools
    import hashlib
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(wheel.parent))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/{wheel.name}"
        venv = tmp_path / "venv"
        assert run(sys.executable, "-m", "venv", venv, cwd=tmp_path).returncode == 0
        installed = run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                        f"site-builder @ {url}", cwd=tmp_path)
        assert installed.returncode == 0, installed.stderr
        site_packages = Path(run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                                 cwd=tmp_path).stdout.strip())
        (site_packages / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        created = run(venv / "bin" / "site-builder", "init", "site", cwd=tmp_path, env=env)
        assert created.returncode == 0, created.stderr
        sha256 = hashlib.sha256(wheel.read_bytes()).hexdigest()
        line = _install_line(tmp_path / "site", "pages.yml")
        assert line == _install_line(tmp_path / "site", "check.yml") == f"site-builder @ {url}#sha256={sha256}"
        assert not (tmp_path / "site/.github/site-builder").exists()  # nothing bundled
        # The line resolves: pip installs it again, checking the hash.
        again = run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--force-reinstall",
                    line, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        server.shutdown()


def test_a_folder_installed_as_it_was_is_repacked_not_rebuilt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`pip install .` into a new venv: rebuilding from the folder needs a setuptools the venv lacks,
    while the installed files are complete; an editable install's are not, so it is built."""
    from site_builder import install_source

    calls: list[str] = []
    monkeypatch.setattr(install_source, "_repacked", lambda dist: calls.append("repacked") or ("r.whl", b""))
    monkeypatch.setattr(install_source, "_built_from", lambda path: calls.append("built") or ("b.whl", b""))
    url = tmp_path.as_uri()
    install_source._local_wheel(None, {"url": url, "dir_info": {}})  # type: ignore[arg-type]
    install_source._local_wheel(None, {"url": url, "dir_info": {"editable": True}})  # type: ignore[arg-type]
    assert calls == ["repacked", "built"]
