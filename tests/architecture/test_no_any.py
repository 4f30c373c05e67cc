"""No `Any` for a store, window or workbook object (issue 16's acceptance) in src/, tests/ and
bench/: a parameter, variable or attribute named like one, or a function that returns one by
its name, is annotated with its real type (Store, MainWindow, Workbook, Worksheet, Cell …)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TREES = ("src", "tests", "bench")

# Names that hold a store, a window or a workbook object (a book, a sheet, a cell, a chart).
OBJECT_NAME = re.compile(
    r"^_*(store|target|window|win|main_window|open_window|open_on|app|book|wb|workbook|"
    r"\w*_book|ws|sheet|worksheet|\w*_sheet|chart|\w*_chart|cell|\w*_cell|template_cell)s?$"
)
# Functions whose name says they make or find one.
OBJECT_FUNCTION = re.compile(r"(^|_)(store|window|book|workbook|sheet|chart|cell)s?$")


# Containers of one kind of thing: list[Any] of cells is as untyped as a cell typed Any.
_HOMOGENEOUS = {
    "list",
    "tuple",
    "set",
    "frozenset",
    "Sequence",
    "Iterable",
    "Iterator",
    "Collection",
}


def _is_any(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "Any") or (
        isinstance(node, ast.Attribute) and node.attr == "Any"
    )


def _mentions_any(annotation: ast.expr | None) -> bool:
    """Whether the annotation is Any, has Any in a union (X | Any, Optional[Any]), or is a
    container of one kind of Any (list[Any], tuple[Any, ...], Iterator[tuple[Any, ...]]).
    A dict's values or one place of a mixed tuple are some other data, not the object itself."""
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    if _is_any(annotation):
        return True
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _mentions_any(annotation.left) or _mentions_any(annotation.right)
    if isinstance(annotation, ast.Subscript):
        base = annotation.value
        name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
        inner = annotation.slice
        items = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if name in ("Optional", "Union"):
            return any(_mentions_any(item) for item in items)
        if name in _HOMOGENEOUS:
            if name == "tuple" and not (
                len(items) == 2 and isinstance(items[1], ast.Constant) and items[1].value is ...
            ):
                return False  # a mixed tuple: each place is its own kind
            return _mentions_any(items[0])
    return False


def any_objects(source: str, where: str) -> Iterator[str]:
    """Each place in `source` where a store, window or workbook object is typed Any."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            for arg in every:
                if OBJECT_NAME.match(arg.arg) and _mentions_any(arg.annotation):
                    yield f"{where}:{arg.lineno} parameter {arg.arg}"
            if OBJECT_FUNCTION.search(node.name) and _mentions_any(node.returns):
                yield f"{where}:{node.lineno} {node.name}() returns Any"
        elif isinstance(node, ast.AnnAssign):
            target = node.target
            name = (
                target.id
                if isinstance(target, ast.Name)
                else target.attr
                if isinstance(target, ast.Attribute)
                else ""
            )
            if OBJECT_NAME.match(name) and _mentions_any(node.annotation):
                yield f"{where}:{node.lineno} {name}"


def test_the_check_finds_each_kind_of_any() -> None:
    source = (
        "from typing import Any\n"
        "def f(store: Any, ws: 'Any', n: Any) -> None: ...\n"
        "def new_book() -> Any: ...\n"
        "class C:\n"
        "    def __init__(self) -> None:\n"
        "        self._book: Any = None\n"
        "        self.count: Any = 0\n"
        "window: list[Any] = []\n"
        "def g(cells: tuple[Any, ...], sheet: dict[str, Any], cell: tuple[Any, int]) -> None: ...\n"
        "def h(book: 'Workbook | Any', store: Store) -> None: ...\n"
    )
    assert sorted(any_objects(source, "x.py")) == [
        "x.py:10 parameter book",
        "x.py:2 parameter store",
        "x.py:2 parameter ws",
        "x.py:3 new_book() returns Any",
        "x.py:6 _book",
        "x.py:8 window",
        "x.py:9 parameter cells",
    ]


# Where openpyxl's private insides are read back (what its stubs do not declare), by name:
ALLOWED = {
    # the benchmark's reference re-reads a report's style tables (Workbook._cell_styles, _fonts …)
    "bench/bench_report.py parameter book",
    # … and its charts' anchors and series through openpyxl's reader, beyond ChartBase
    "bench/bench_report.py parameter chart",
}


def test_no_store_window_or_workbook_object_is_typed_any() -> None:
    found: list[str] = []
    files = [p for tree in TREES for p in sorted((ROOT / tree).rglob("*.py"))]
    assert len(files) > 250
    for path in files:
        source = path.read_text(encoding="utf-8")
        found += any_objects(source, path.relative_to(ROOT).as_posix())
    unexpected = [f for f in found if re.sub(r":\d+", "", f, count=1) not in ALLOWED]
    assert unexpected == []
    assert len(found) == len(ALLOWED)  # an allowance no longer needed is removed
