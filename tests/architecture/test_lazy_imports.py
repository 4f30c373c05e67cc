"""Imports inside functions (issue 16, item 5): 274 once, kept now only where waiting keeps a
promise: the window's entry and its first paint, the CLI starting without openpyxl, optional
libraries (a server's driver, Windows' API, the migrations) loading only when used, a window
action's module loading at its first use rather than in the window's load, the bundle's
self-test naming the step whose module is missing. Every other import is at the top of its
module, annotated for real.

Each remaining one is listed below with its reason; a new import inside a function fails here
until it is moved to the top or given a reason. `python -m tests.architecture.test_lazy_imports`
prints the count by reason.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "kplan_desktop"

REASONS = {
    "entry": (
        "ui/app.py, the application's entry: the one lazy boundary of the window program (the "
        "first-paint figure, bench/bench_window.py); it imports each layer as the start reaches it"
    ),
    "after-paint": (
        "MainWindow's _late_imports: the window's parts, bound once its frame has painted "
        "(the first-paint figure)"
    ),
    "first-paint": (
        "a module imported before the first paint (kplan_desktop.session, ui/i18n.py, "
        "ui/main_window.py): what it needs only later (SQLAlchemy, the store) loads then"
    ),
    "workbook": (
        "the CLI's boundary: openpyxl and the workbook modules load only for the commands that "
        "read or write a workbook (tests/architecture/test_cli_shape.py)"
    ),
    "optional": (
        "a library used on one path only: the server's driver (psycopg), Windows' API (ctypes), "
        "the migrations (alembic), the signing library (cryptography, kplan key)"
    ),
    "window-action": (
        "a window action's module (a workbook, a dialog, backups, keys) loads at the action's "
        "first use, not in the window's load (the grid-filled figure)"
    ),
    "self-test-step": (
        "the bundle's self-test imports each layer in the step that checks it, so a bundle "
        "missing a module fails at that step, named"
    ),
    "shared-this-round": (
        "ui/entry_controller.py is being edited by another branch this round (s7-i15): its "
        "imports move to the top after the merge, not in a second branch at once"
    ),
}

# (module of src/kplan_desktop, imported module) -> reason. ui/app.py and _late_imports are
# whole boundaries (see in_function_imports).
LAZY: dict[tuple[str, str], str] = {
    ("session.py", "kplan_desktop.store.generations"): "first-paint",
    ("session.py", "kplan_desktop.store.requests"): "first-paint",
    ("ui/i18n.py", "kplan_desktop.domain.fiscal_year"): "first-paint",
    ("ui/main_window.py", "kplan_desktop.store.engine"): "first-paint",
    ("ui/main_window.py", "kplan_desktop.ui.models.cells"): "first-paint",
    ("ui/main_window.py", "kplan_desktop.ui.save_worker"): "first-paint",
    ("ui/models/cells.py", "kplan_desktop.store.cycle"): "first-paint",
    ("ui/server_login.py", "kplan_desktop.store.server"): "first-paint",
    ("session.py", "kplan_desktop.domain.generation"): "first-paint",
    ("ui/models/cells.py", "kplan_desktop.store.overview"): "first-paint",
    ("ui/models/cells.py", "kplan_desktop.store.submissions"): "first-paint",
    ("ui/models/cells.py", "kplan_desktop.store.years"): "first-paint",
    ("cli/console.py", "kplan_desktop.exchange.cycle_xlsx"): "workbook",
    ("cli/exchange.py", "kplan_desktop.exchange.export"): "workbook",
    ("cli/exchange.py", "kplan_desktop.exchange.merge"): "workbook",
    ("cli/exchange.py", "kplan_desktop.exchange.report"): "workbook",
    ("cli/final.py", "kplan_desktop.exchange.final_evaluation_xlsx"): "workbook",
    ("cli/generation.py", "kplan_desktop.exchange"): "workbook",  # next_generation: openpyxl
    ("cli/exchange.py", "kplan_desktop.exchange.next_generation"): "workbook",
    ("exchange/catalog_files.py", "kplan_desktop.exchange.catalog_xlsx"): "workbook",
    ("exchange/gate/book.py", "openpyxl"): "workbook",
    ("exchange/gate/book.py", "kplan_desktop.exchange.gate"): "workbook",  # inline_strings
    ("cli/keys.py", "kplan_desktop.store.keys"): "optional",
    ("running.py", "ctypes"): "optional",
    ("store/netfs.py", "ctypes"): "optional",
    ("store/server.py", "psycopg"): "optional",
    ("store/backup.py", "alembic.script"): "optional",
    ("store/schema_upgrade.py", "alembic"): "optional",
    ("store/schema_upgrade.py", "alembic.config"): "optional",
    ("ui/backup_actions.py", "kplan_desktop.exchange.catalog_json"): "window-action",
    ("ui/backup_actions.py", "kplan_desktop.store.backup"): "window-action",
    ("ui/catalog_actions.py", "kplan_desktop.exchange.catalog_files"): "window-action",
    ("ui/catalog_actions.py", "kplan_desktop.ui.catalog_editor"): "window-action",
    ("ui/cycle_actions.py", "kplan_desktop.exchange.cycle_xlsx"): "window-action",
    ("ui/exchange_actions.py", "kplan_desktop.exchange.export"): "window-action",
    ("ui/exchange_actions.py", "kplan_desktop.exchange.merge"): "window-action",
    ("ui/exchange_actions.py", "kplan_desktop.exchange.report"): "window-action",
    ("ui/exchange_actions.py", "kplan_desktop.exchange.workbook_reader"): "window-action",
    ("ui/exchange_actions.py", "kplan_desktop.store.backup"): "window-action",
    ("ui/exchange_actions.py", "kplan_desktop.ui.merge_preview"): "window-action",
    ("ui/exchange_actions.py", "kplan_desktop.ui.merge_preview_model"): "window-action",
    ("ui/exchange_actions.py", "kplan_desktop.ui.merge_summary"): "window-action",
    ("ui/key_actions.py", "kplan_desktop.store.keys"): "window-action",
    ("ui/window_menus.py", "kplan_desktop.ui.evaluation_dialog"): "window-action",
    ("ui/next_plan_wizard.py", "kplan_desktop.exchange.next_generation"): "window-action",
    ("ui/models/next_plan.py", "kplan_desktop.exchange.next_generation"): "window-action",
    ("ui/window_tabs.py", "kplan_desktop.ui.dashboard"): "window-action",
    ("ui/window_tabs.py", "kplan_desktop.ui.plans_view"): "window-action",
    ("self_test.py", "kplan_desktop.exchange.export"): "self-test-step",
    ("self_test.py", "kplan_desktop.exchange.merge"): "self-test-step",
    ("self_test.py", "kplan_desktop.exchange.payload"): "self-test-step",
    ("self_test.py", "kplan_desktop.exchange.seed"): "self-test-step",
    ("self_test.py", "kplan_desktop.store.actuals"): "self-test-step",
    ("self_test.py", "kplan_desktop.store.catalog"): "self-test-step",
    ("self_test.py", "kplan_desktop.store.engine"): "self-test-step",
    ("self_test.py", "kplan_desktop.store.paths"): "self-test-step",
    ("self_test.py", "kplan_desktop.store.requests"): "self-test-step",
    ("ui/entry_controller.py", "kplan_desktop.domain.errors"): "shared-this-round",
    ("ui/entry_controller.py", "kplan_desktop.store.actuals"): "shared-this-round",
    ("ui/entry_controller.py", "kplan_desktop.store.engine"): "shared-this-round",
    ("ui/entry_controller.py", "kplan_desktop.store.submissions"): "shared-this-round",
    ("ui/entry_controller.py", "kplan_desktop.ui.comment_dialog"): "shared-this-round",
}


def in_function_imports(
    modules: Iterator[tuple[str, ast.Module]],
) -> Iterator[tuple[str, int, str, str]]:
    """(module, line, imported module, reason or '') for every import inside a function."""
    for name, tree in modules:
        yield from _walk(name, tree, None)


def _walk(name: str, node: ast.AST, function: str | None) -> Iterator[tuple[str, int, str, str]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _walk(name, child, function or child.name)
        elif isinstance(child, ast.Import | ast.ImportFrom) and function is not None:
            if isinstance(child, ast.ImportFrom):
                prefix = "kplan_desktop." if child.level else ""
                imported = [prefix + (child.module or "")]
            else:
                imported = [alias.name for alias in child.names]
            for target in imported:
                if name == "ui/app.py":
                    reason = "entry"
                elif name == "ui/main_window.py" and function == "_late_imports":
                    reason = "after-paint"
                else:
                    reason = LAZY.get((name, target), "")
                yield name, child.lineno, target, reason
        else:
            yield from _walk(name, child, function)


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def test_every_import_inside_a_function_has_its_reason() -> None:
    found = list(in_function_imports(_modules()))
    unexplained = [
        f"{name}:{line} imports {target}" for name, line, target, why in found if not why
    ]
    assert unexplained == [], "move these to the top of the module, or give each a reason"
    assert all(why in REASONS for *_, why in found)


def test_no_reason_is_left_over() -> None:
    """A listed import that is gone (moved to the top) leaves the list too."""
    used = {(name, target) for name, _line, target, _why in in_function_imports(_modules())}
    assert sorted(set(LAZY) - used) == []
    assert set(LAZY.values()) <= set(REASONS)


def test_an_import_without_a_reason_is_found() -> None:
    made = ast.parse(
        "import os\n"
        "def f():\n"
        "    from kplan_desktop.store import actuals\n"
        "    def g():\n"
        "        import json\n"
        "class C:\n"
        "    def m(self):\n"
        "        if True:\n"
        "            from . import x\n"
    )
    found = list(in_function_imports(iter([("store/x.py", made)])))
    assert found == [
        ("store/x.py", 3, "kplan_desktop.store", ""),
        ("store/x.py", 5, "json", ""),
        ("store/x.py", 9, "kplan_desktop.", ""),
    ]
    boundary = list(in_function_imports(iter([("ui/app.py", made)])))
    assert {why for *_, why in boundary} == {"entry"}


def count() -> Counter[str]:
    return Counter(why or "(no reason)" for *_, why in in_function_imports(_modules()))


if __name__ == "__main__":
    counted = count()
    print(f"{sum(counted.values())} imports inside functions")
    for why, n in counted.most_common():
        print(f"{n:4}  {why}: {REASONS.get(why, '')}")
