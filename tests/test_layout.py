"""The package layout: engine, mean-field layer, models and the paper apart, without import cycles.

Static analysis of every module's imports (``ast``), so the test sees function-local imports too:

* ``keldysh.engine`` knows nothing of the mean-field layer, the models or the paper;
* ``keldysh.meanfield`` builds on the engine only (never on ``keldysh.paper``, ``keldysh.models``);
* module-level imports between the package's modules form no cycle;
* no module is longer than 650 lines (one concern per module).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "keldysh"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("keldysh")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("keldysh"):
            subs = {f"{node.module}.{a.name}" for a in node.names}
            mods = {m for m in subs if m in MODULES}  # `from pkg import submodule` imports the submodule
            out |= mods if mods == subs else mods | {node.module}
    return out


MODULES = {_module_name(p): p for p in ROOT.rglob("*.py")}


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


@pytest.mark.parametrize(
    "layer, forbidden",
    [
        ("keldysh.engine", ("keldysh.meanfield", "keldysh.models", "keldysh.paper", "keldysh.commands")),
        ("keldysh.meanfield", ("keldysh.models", "keldysh.paper", "keldysh.commands")),
    ],
)
def test_layers_do_not_reach_up(layer, forbidden):
    bad = [
        f"{mod} imports {imp}"
        for mod, path in MODULES.items()
        if mod == layer or mod.startswith(layer + ".")
        for imp in _imports(path, top_level_only=False)
        if imp.startswith(forbidden)
    ]
    assert not bad, bad


def test_no_import_cycles_at_module_level():
    graph = {
        mod: {r for imp in _imports(path, top_level_only=True) if (r := _resolve(imp)) and r != mod}
        for mod, path in MODULES.items()
    }
    # a package's __init__ importing its own submodules is not a cycle of concern when the
    # submodule does not import the package back; Tarjan's strongly connected components find real ones
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, cycles


def test_import_parser_sees_keldysh_imports(tmp_path):
    """The parser behind the checks above finds the package's imports."""
    a = tmp_path / "a.py"
    a.write_text("from keldysh.b import x\n")
    assert "keldysh.b" in _imports(a, top_level_only=True)


def test_modules_hold_one_concern():
    long = {mod: n for mod, p in MODULES.items() if (n := len(p.read_text().splitlines())) > 650}
    assert not long, long
