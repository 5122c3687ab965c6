"""The shape of the code, read from the modules' own import statements (issues 14 and 24): the core
— every module outside the feature packages but the composition roots — knows nothing of the
features built on it, and no module imports itself round a loop — function-level and
TYPE_CHECKING imports included, since a loop hidden there is still a loop."""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "site_builder"
FEATURES = ("stats", "search", "importer")
COMPOSITION_ROOTS = ("site_builder.cli", "site_builder.registry")
"""The only modules outside the features that may name them: the command line and the list of outputs."""


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every site_builder module `path` imports, anywhere in the file."""
    found: set[str] = set()
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("site_builder"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if not base.startswith("site_builder"):
                continue
            for alias in node.names:  # `from site_builder import stats` imports a module, not a name
                candidate = f"{base}.{alias.name}"
                found.add(candidate if _exists(candidate) else base)
    return {name for name in found if _exists(name)}


def _exists(name: str) -> bool:
    path = REPO.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) - {module_name(path)} for path in sorted(PACKAGE.rglob("*.py"))}


def test_the_graph_is_read_from_the_code() -> None:
    edges = graph()
    assert len(edges) > 40
    assert "site_builder.stats.tables" in edges["site_builder.stats.output"]
    assert "site_builder.stats.output" in edges["site_builder.registry"]  # imported inside a function
    assert "site_builder.document" in edges["site_builder.models"]


def is_feature(module: str) -> bool:
    return len(module.split(".")) > 1 and module.split(".")[1] in FEATURES


def core_modules(edges: dict[str, set[str]]) -> list[str]:
    return sorted(m for m in edges if not is_feature(m) and m not in COMPOSITION_ROOTS)


def test_the_core_is_every_module_outside_the_features() -> None:
    core = core_modules(graph())
    assert {"site_builder.build", "site_builder.check", "site_builder.load", "site_builder.theme", "site_builder.serve",
            "site_builder.text.personal"} <= set(core)
    assert len(core) > 25


def offending(edges: dict[str, set[str]]) -> set[str]:
    return {f"{module} → {target}" for module in core_modules(edges) for target in edges[module] if is_feature(target)}


def test_the_core_imports_nothing_of_the_features() -> None:
    assert offending(graph()) == set()


def test_a_core_module_importing_a_feature_is_found() -> None:
    edges = {"site_builder.theme": {"site_builder.stats.charts"}, "site_builder.registry": {"site_builder.stats.output"},
             "site_builder.stats.output": {"site_builder.pages"}, "site_builder.pages": set()}
    assert offending(edges) == {"site_builder.theme → site_builder.stats.charts"}


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each loop found by a depth-first walk, as the modules along it."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    return cycles


def test_no_import_cycles_anywhere() -> None:
    assert find_cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_a_cache_fingerprint_follows_the_imports() -> None:
    """The documents' cache key covers names.py, which the parser reaches through markdown.py
    (a hand-written list left it out, so a change there could leave stale documents)."""
    from site_builder.cache import code_of

    files = {path.relative_to(PACKAGE).as_posix() for path in code_of("site_builder.document")}
    assert {"document.py", "markdown.py", "names.py"} <= files
    assert "build.py" not in files and not any(f.startswith(FEATURES) for f in files)
    stats = {path.relative_to(PACKAGE).as_posix() for path in code_of("site_builder.stats.analysis")}
    assert {"stats/analysis.py", "stats/evidence.py", "stats/figures.py", "stats/parts.py", "names.py"} <= stats


def test_no_dead_code() -> None:
    """vulture, with the names only templates and frameworks use listed in pyproject.toml."""
    vulture = Path(sys.executable).parent / "vulture"
    assert vulture.is_file(), "vulture is one of the test extras: pip install -e '.[test]'"
    found = subprocess.run([str(vulture)], cwd=REPO, capture_output=True, text=True)
    assert found.returncode == 0, found.stdout + found.stderr


def test_the_command_line_names_every_command_it_has() -> None:
    import site_builder.cli as cli

    parser = cli.make_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert len(commands) >= 9
    named = set((cli.__doc__ or "").replace("|", " ").replace("`", " ").split())
    assert set(commands) <= named
    assert all(command.get_default("func") is not None for command in commands.values())
