"""Tests for the package's layout: the core never imports the built-in vocabulary, and no
module imports another that imports it back (read from the source, with ``ast``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "crisis_model"

#: Modules that may import the vocabulary: the package's front door (which loads it),
#: the command line, and the applications built on the vocabulary.
NOT_CORE = {"crisis_model", "crisis_model.__main__", "crisis_model.cli",
            "crisis_model._pytest_plugin"}
NOT_CORE_PACKAGES = ("crisis_model.events", "crisis_model.interop", "crisis_model.testing",
                     "crisis_model.store", "crisis_model.reporting")

#: Core modules that still import the vocabulary, and what (a ratchet: entries may only go).
#: ``query`` keeps the plain-words summaries of the types whose modules have not taken
#: theirs yet.
STILL_IMPORTING_THE_VOCABULARY: dict[str, set[str]] = {}
#: Import cycles left (a ratchet too): none.
CYCLES_LEFT: list[list[str]] = []


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return ((isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
            or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _known(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports(module: str) -> set[str]:
    """The package's modules ``module`` imports, at its top or inside functions (imports
    under ``if TYPE_CHECKING:`` are for the type checker only and do not count)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("crisis_model"):
                    found.add(_known(alias.name) or alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("crisis_model"):
                for alias in node.names:
                    target = _known(f"{name}.{alias.name}") if f"{name}.{alias.name}" in \
                        MODULES else _known(name)
                    if target:
                        found.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(module)
    return found


GRAPH = {m: imports(m) for m in MODULES}


def _core(module: str) -> bool:
    return module not in NOT_CORE and not module.startswith(NOT_CORE_PACKAGES)


def test_core_never_imports_the_vocabulary():
    """The event base, dates, registry, reducer, history, errors, state, queries... import
    nothing from ``crisis_model.events``."""
    offenders = {m: {t for t in GRAPH[m] if t.startswith("crisis_model.events")}
                 for m in MODULES if _core(m)}
    new = {m: sorted(t - STILL_IMPORTING_THE_VOCABULARY.get(m, set()))
           for m, t in offenders.items()}
    assert {} == {m: t for m, t in new.items() if t}


def test_no_import_cycles():
    """No module imports (even lazily) a module that imports it back, directly or not."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            strong(v)
    assert [] == [c for c in cycles if c not in CYCLES_LEFT]


def test_the_graph_is_read():
    """The reading sees real edges (so the tests above cannot pass vacuously), lazy ones
    included, and none under ``if TYPE_CHECKING:``."""
    assert "crisis_model.reducer" in GRAPH["crisis_model.history"]
    assert "crisis_model.events.actors" in GRAPH["crisis_model.events"]
    assert "crisis_model.store.cli" in GRAPH["crisis_model.cli"]


def test_cycles_are_found(tmp_path, monkeypatch):
    """A cycle through a lazy import is found (the cycle test can fail)."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    monkeypatch.setattr(__import__(__name__, fromlist=["GRAPH"]), "GRAPH", graph)
    with pytest.raises(AssertionError):
        test_no_import_cycles()
