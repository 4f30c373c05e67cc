"""The shape issue 16 asked for, held by tests: sizes (no file in src/ over 800 lines, MainWindow
under 400, the README under 250), one definition each of the formula guard, the file gate, the
progress protocol, the lineage decision and the exit codes, and no connection opened in store/
outside the engine. Each check is a function that a test also runs on a hand-made bad case, so
it is seen to fail."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PACKAGE = SRC / "kplan_desktop"


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        yield name, ast.parse(path.read_text(encoding="utf-8"))


# -- sizes ------------------------------------------------------------------------------------


def long_files(limit: int = 800) -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{path.relative_to(ROOT).as_posix()}: {lines}")
    return found


def class_lines(tree: ast.Module, name: str) -> int:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return (node.end_lineno or node.lineno) - node.lineno + 1
    raise AssertionError(f"no class {name}")


def test_no_file_in_src_is_over_800_lines() -> None:
    assert long_files() == []
    assert long_files(limit=300) != []  # the count sees the files


def test_the_main_window_class_is_under_400_lines() -> None:
    source = (PACKAGE / "ui" / "main_window.py").read_text(encoding="utf-8")
    lines = class_lines(ast.parse(source), "MainWindow")
    assert 100 < lines < 400, lines


def test_the_readme_is_under_250_lines() -> None:
    lines = len((ROOT / "README.md").read_text(encoding="utf-8").splitlines())
    assert 20 < lines < 250, lines


# -- one definition each ----------------------------------------------------------------------


def formula_guards(modules: Iterator[tuple[str, ast.Module]]) -> list[str]:
    """Where text is tested for a formula start to be quoted: a literal set of the starting
    characters (=, +, -, @), or a quote prefix set on a condition of its own. The one guard is
    exchange/cells.py (FORMULA_STARTS, needs_quote, set_text)."""
    found = []
    for name, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                texts = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                if {"=", "+", "-", "@"} <= texts:
                    found.append(f"{name}:{node.lineno} formula starts")
            if isinstance(node, ast.FunctionDef) and node.name in ("needs_quote", "set_text"):
                found.append(f"{name}:{node.lineno} {node.name}")
    return found


def test_one_formula_guard() -> None:
    found = formula_guards(_modules())
    assert len(found) == 3 and {f.split(":")[0] for f in found} == {"exchange/cells.py"}, found
    second = ast.parse("STARTS = ('=', '+', '-', '@')\ndef needs_quote(t): ...\n")
    assert len(formula_guards(iter([("x.py", second)]))) == 2


def file_gates(modules: Iterator[tuple[str, ast.Module]]) -> list[str]:
    """Where a workbook file is opened to be read: openpyxl's load_workbook, or a zip opened for
    reading. The one gate is exchange/gate/ (open_workbook's checks, then load_book)."""
    found = []
    for name, tree in modules:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == "load_workbook":
                found.append(f"{name} load_workbook")
            elif called == "ZipFile":
                modes = [a.value for a in node.args[1:2] if isinstance(a, ast.Constant)]
                modes += [
                    k.value.value
                    for k in node.keywords
                    if k.arg == "mode" and isinstance(k.value, ast.Constant)
                ]
                if not modes or modes[0] == "r":
                    found.append(f"{name} ZipFile")
    return found


def test_one_file_gate() -> None:
    assert sorted(set(file_gates(_modules()))) == [
        "exchange/gate/archive.py ZipFile",
        "exchange/gate/book.py load_workbook",
    ]
    second = ast.parse("import openpyxl\nbook = openpyxl.load_workbook(path)\nzipfile.ZipFile(p)\n")
    assert file_gates(iter([("x.py", second)])) == ["x.py load_workbook", "x.py ZipFile"]


# The progress / cancel protocol's names (kplan_desktop/progress.py).
PROGRESS_NAMES = {"Progress", "CancelCheck", "Cancelled", "Steps", "check_cancel"}


def progress_protocols(modules: Iterator[tuple[str, ast.Module]]) -> list[str]:
    """Where a progress callback type, a cancel check, a Cancelled exception or a step
    counter is defined."""
    found = []
    for name, tree in modules:
        for node in tree.body:
            names: list[str] = []
            if isinstance(node, ast.ClassDef | ast.FunctionDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            found += [f"{name} {n}" for n in names if n in PROGRESS_NAMES]
    return found


def test_one_progress_protocol() -> None:
    assert sorted(progress_protocols(_modules())) == sorted(
        f"progress.py {n}" for n in PROGRESS_NAMES
    )
    second = ast.parse("class Cancelled(Exception): ...\nProgress = object\n")
    assert progress_protocols(iter([("x.py", second)])) == ["x.py Cancelled", "x.py Progress"]


def lineage_decisions(modules: Iterator[tuple[str, ast.Module]]) -> list[str]:
    """Where a revision's lineage is decided: a `Lineage` type, a `decide` function, or a
    comparison of what a file's row replaces with the stored revision (`.replaces ==`)."""
    found = []
    for name, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and "Lineage" in node.name:
                found.append(f"{name} class {node.name}")
            elif isinstance(node, ast.FunctionDef) and node.name == "decide":
                found.append(f"{name} decide")
            elif isinstance(node, ast.Compare) and any(
                isinstance(op, ast.Eq | ast.NotEq) for op in node.ops
            ):
                sides = [node.left, *node.comparators]
                if any(isinstance(s, ast.Attribute) and s.attr == "replaces" for s in sides):
                    found.append(f"{name} compares .replaces")
    return found


def test_one_lineage_decision_used_by_both_merges() -> None:
    assert sorted(set(lineage_decisions(_modules()))) == [
        "domain/lineage.py class Lineage",
        "domain/lineage.py compares .replaces",
        "domain/lineage.py decide",
    ]
    for user in ("exchange/merge.py", "exchange/evaluation_exchange.py"):
        tree = ast.parse((PACKAGE / user).read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "kplan_desktop.domain.lineage"
            for alias in node.names
        }
        assert "decide" in imported, user
    second = ast.parse(
        "def f(row, stored):\n    return row.replaces is None or row.replaces == stored\n"
    )
    assert lineage_decisions(iter([("x.py", second)])) == ["x.py compares .replaces"]


def exit_codes(modules: Iterator[tuple[str, ast.Module]]) -> list[str]:
    """Where exit codes are defined: an enum or constant named like one, or a program's entry
    (a function that returns an int) returning a bare 0, 1 or 2 instead of Exit."""
    found = []
    for name, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name == "Exit":
                found.append(f"{name} class Exit")
            elif isinstance(node, ast.Assign):
                found += [
                    f"{name} {t.id}"
                    for t in node.targets
                    if isinstance(t, ast.Name) and t.id.upper().startswith("EXIT_")
                ]
            elif isinstance(node, ast.FunctionDef) and node.name in ("main", "_run", "_screenshot"):
                for inner in ast.walk(node):
                    if not isinstance(inner, ast.Return):
                        continue
                    value = inner.value
                    if isinstance(value, ast.Constant) and value.value in (0, 1, 2):
                        found.append(f"{name}:{inner.lineno} {node.name} returns {value.value}")
    return found


def test_one_definition_of_the_exit_codes() -> None:
    assert exit_codes(_modules()) == ["exit_codes.py class Exit"]
    second = ast.parse("EXIT_OK = 0\ndef main() -> int:\n    return 2\n")
    assert exit_codes(iter([("x.py", second)])) == ["x.py EXIT_OK", "x.py:3 main returns 2"]


# -- the unit of work -------------------------------------------------------------------------

# What opens a database connection: SQLAlchemy's engine (connect, begin, raw_connection) or a
# new engine. store/engine.py is the one place (Store.connect / snapshot / transaction / run).
_OPENERS = {"connect", "begin", "raw_connection", "create_engine"}
# SQLite's own file API on backup files (copy, check, restore into the live file): these are
# file operations beside the store, not the store's connection.
_FILE_API = {"store/backup.py", "store/backup_files.py"}


def connection_openers(modules: Iterator[tuple[str, ast.Module]]) -> list[str]:
    found = []
    for name, tree in modules:
        if not name.startswith("store/") or name == "store/engine.py":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = func.value if isinstance(func, ast.Attribute) else None
            owner_name = (
                owner.id
                if isinstance(owner, ast.Name)
                else owner.attr
                if isinstance(owner, ast.Attribute)
                else ""
            )
            if called not in _OPENERS:
                continue
            if owner_name == "sqlite3" and name in _FILE_API:
                continue
            found.append(f"{name}:{node.lineno} {owner_name}.{called}".replace(" .", " "))
    return found


def test_no_store_function_outside_the_engine_opens_a_connection() -> None:
    assert connection_openers(_modules()) == []
    second = ast.parse(
        "def read(store):\n    with store.engine.connect() as conn: ...\n    sqlite3.connect('x')\n"
    )
    assert sorted(connection_openers(iter([("store/x.py", second)]))) == [
        "store/x.py:2 engine.connect",
        "store/x.py:3 sqlite3.connect",
    ]
