"""The package's layout: no module imports another that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "i18n_pipeline"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("i18n_pipeline")}


def _graph(*, top_level_only: bool) -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {m for m in _imports(path, top_level_only=top_level_only) if m in modules} - {name}
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for child in sorted(graph.get(node, ())):
            if state.get(child) == 1:
                return stack[stack.index(child) :] + [child]
            if child not in state:
                found = visit(child)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_module_level_imports_have_no_cycle() -> None:
    graph = _graph(top_level_only=True)
    # a package's __init__ re-exporting its submodules is not a cycle of concerns
    for name, children in graph.items():
        graph[name] = {c for c in children if not name.startswith(c + ".")}
    assert _cycle(graph) is None


def test_ingest_and_the_memory_do_not_import_each_other() -> None:
    graph = _graph(top_level_only=False)
    assert "i18n_pipeline.pipeline" not in graph["i18n_pipeline.tm"]
    assert "i18n_pipeline.checks.engine" not in graph["i18n_pipeline.pipeline"]


def test_the_gate_lives_in_the_checks_package() -> None:
    assert not (PACKAGE / "check.py").exists()
    assert (PACKAGE / "checks" / "engine.py").exists()
