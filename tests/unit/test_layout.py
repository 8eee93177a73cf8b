"""The house: no import cycles between the package's modules (imports inside functions
included), and the stage contract in pyproject.toml is the one `make test` checks."""

from __future__ import annotations

import tomllib

import grimp

from analysis.settings import config


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_back_through_others():
    graph = grimp.build_graph("analysis")
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    assert _cycles(edges) == []


def test_every_stage_package_is_a_layer_of_the_contract():
    pyproject = tomllib.loads((config.PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = pyproject["tool"]["importlinter"]["contracts"]
    layered = {name.strip() for layer in contract["layers"] for name in layer.split("|")}
    package = config.PROJ_ROOT / "src" / "analysis"
    stages = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in package.glob("*.py") if p.stem not in {"__init__", "__main__"}}
    assert stages | modules <= layered
