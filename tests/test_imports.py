"""The project's modules import one another without a cycle.

The graph is read from the source (``ast``), not from an import: every ``import``
counts, at module level, inside a function (a lazy import) or under
``TYPE_CHECKING`` alike, as each is a dependency a reader follows. An edge goes to
the module named (``from cleaners.repair import words`` → ``cleaners.repair.words``);
a package's ``__init__`` that Python runs on the way is not an edge of its own.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cleaners", "flows")


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str | None:
    """The absolute module a ``from`` import names (relative ones resolved)."""
    if node.level == 0:
        return node.module
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph() -> dict[str, set[str]]:
    """``{module: modules of the project it imports}``."""
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names if a.name in mods)
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(name, path.name == "__init__.py", node)
                if target is None:
                    continue
                for a in node.names:
                    if f"{target}.{a.name}" in mods:
                        graph[name].add(f"{target}.{a.name}")
                    elif target in mods:
                        graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The graph's strongly connected components of more than one module (or a module
    importing itself), by Tarjan's algorithm, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1 or v in graph[v]:
                        found.append(sorted(comp))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["e"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_lazy_and_type_only_imports() -> None:
    graph = import_graph()
    # Inside a function (the config validator) and under TYPE_CHECKING (the translator).
    assert "cleaners.repair.config" in graph["cleaners.config"]
    assert "cleaners.translate" in graph["cleaners.repair.untranslated"]
    assert "cleaners.repair.words" in graph["cleaners.repair"]


def test_no_import_cycle_among_the_project_modules() -> None:
    assert cycles(import_graph()) == []


def test_run_time_modules_import_no_builder() -> None:
    graph = import_graph()
    # Build code: repair.build_tables and repair.builders, lexsim.build, build_adequacy.
    builders = {m for m in graph if m.rsplit(".", 1)[-1].startswith("build")}
    builders |= {m for m in graph if m.startswith("cleaners.repair.builders")}
    assert {"cleaners.build_adequacy", "cleaners.lexsim.build"} <= builders
    users = {m for m, deps in graph.items() if deps & builders and m not in builders}
    assert users == set(), "build code is imported by build code alone"


def test_the_core_never_imports_prefect() -> None:
    """cleaners/ is the pure core (ARCHITECTURE.md): Prefect stays in flows/."""
    offenders = []
    for name, path in _modules().items():
        if not name.startswith("cleaners"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{name}: {n}" for n in names if n.split(".")[0] == "prefect"]
    assert offenders == []


def test_every_rule_name_an_edit_can_carry_is_registered() -> None:
    """An edit's rule is one ``--list-rules`` lists and ``repair.disable`` switches: every
    literal rule name given to ``Edit``/``make_edit`` in the core is in the registry."""
    from cleaners.model import REPLACE_RULE
    from cleaners.repair import RULES

    names = {REPLACE_RULE}
    for name, path in _modules().items():
        if not name.startswith("cleaners"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("Edit", "make_edit")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names.add(node.args[0].value)
    assert len(names) > 10  # the scan sees the rules' edits
    assert names - set(RULES) == set()


def test_no_module_shadows_the_standard_library() -> None:
    """A module named like a standard one (``numbers``) shadows it when its folder is on
    ``sys.path``, as ``python -m doctest cleaners/align.py`` puts it: numpy then imports ours."""
    clashes = [
        str(path.relative_to(ROOT))
        for path in _modules().values()
        if path.stem != "__init__" and path.stem in sys.stdlib_module_names
    ]
    assert clashes == []
    # the case that showed it: the aligner's doctests run from the file itself
    done = subprocess.run(
        [sys.executable, "-m", "doctest", "cleaners/align.py"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
