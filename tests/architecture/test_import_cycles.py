"""No import circle anywhere in src/ (issue 16's acceptance): every module of the package, each
import counted (at module level, inside a function, under TYPE_CHECKING), any length of circle.

import-linter's acyclic_siblings contract (pyproject.toml) looks at the siblings of each package;
this looks at the whole graph of modules, so a circle through three packages is found too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Set
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "kplan_desktop"


def import_circles(imports: Mapping[str, Set[str]]) -> list[list[str]]:
    """The strongly connected groups of the import graph with more than one module (or a module
    importing itself), each sorted: every import circle lies inside one of them (Tarjan's
    algorithm, without recursion)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(imports):
        if start in order:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(imports.get(start, ())))]
        order[start] = low[start] = len(order)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in order:
                    order[nxt] = low[nxt] = len(order)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(imports.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], order[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in imports.get(node, ()):
                    groups.append(sorted(group))
    return sorted(groups)


def package_imports(package: str) -> dict[str, set[str]]:
    """Each module of `package` and the modules of `package` it imports (grimp, no cache)."""
    graph = grimp.build_graph(package, cache_dir=None)
    own = {m for m in graph.modules if m == package or m.startswith(package + ".")}
    return {m: set(graph.find_modules_directly_imported_by(m)) & own for m in own}


def test_the_finder_finds_circles_of_any_length() -> None:
    imports = {
        "a": {"b"},
        "b": {"c"},
        "c": {"a", "d"},
        "d": set(),
        "e": {"e"},
        "f": {"d"},
    }
    assert import_circles(imports) == [["a", "b", "c"], ["e"]]
    assert import_circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_anywhere_in_src() -> None:
    imports = package_imports(PACKAGE)
    assert len(imports) > 100  # the whole package was read, not an empty graph
    assert import_circles(imports) == []


_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])
from tests.architecture.test_import_cycles import import_circles, package_imports
print(json.dumps(import_circles(package_imports("kplan_desktop"))))
"""


def test_a_circle_across_packages_is_found(tmp_path: Path) -> None:
    """domain.catalog -> exchange.merge -> domain.catalog, added to a copy of src/ by one
    import inside a function (no sibling contract of one package would show it)."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / PACKAGE / "domain" / "catalog.py"
    late = "\n\ndef _late() -> None:\n    import kplan_desktop.exchange.merge  # noqa\n"
    target.write_text(target.read_text(encoding="utf-8") + late, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), str(copy)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    circles = json.loads(result.stdout)
    assert any(
        "kplan_desktop.domain.catalog" in group and "kplan_desktop.exchange.merge" in group
        for group in circles
    ), circles
