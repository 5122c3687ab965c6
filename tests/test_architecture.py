"""The shape of the code, read from the modules' own import statements (issue 14): the core knows
nothing of the features built on it, and no module imports itself round a loop — function-level
and TYPE_CHECKING imports included, since a loop hidden there is still a loop."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "site_builder"
CORE = ("config", "schema", "reader", "markdown", "document", "models", "pages", "writer")
FEATURES = ("stats", "search", "importer")


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
    assert "site_builder.stats.tables" in edges["site_builder.build"]
    assert "site_builder.document" in edges["site_builder.models"]


def test_the_core_imports_nothing_of_the_features() -> None:
    edges = graph()
    offending = {f"{module} → {target}" for module in (f"site_builder.{name}" for name in CORE)
                 for target in edges[module] if target.split(".")[1] in FEATURES}
    assert offending == set()


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
