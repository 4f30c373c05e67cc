"""The window paints its frame before the database layer is imported (bench/bench_window.py's
first-paint figure): the modules the program imports up to its first paint must not pull in
SQLAlchemy (about 0.15 s, a first paint 3× a bare window when app.py imported a store module at
its top), nor the window body's modules, which _late_imports brings in after the paint."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(imports: str) -> set[str]:
    script = f"import sys; {imports}; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stdout.split())


def test_the_window_modules_up_to_the_first_paint_import_no_database_layer() -> None:
    # What ui/app.py's _run imports before it builds and shows the window, and the window.
    loaded = _loaded_after(
        "import kplan_desktop.ui.app, kplan_desktop.ui.open_lock, kplan_desktop.ui.server_login,"
        " kplan_desktop.ui.main_window"
    )
    assert "kplan_desktop.ui.main_window" in loaded
    assert not {m for m in loaded if m == "sqlalchemy" or m.startswith("sqlalchemy.")}
    assert not {m for m in loaded if m.startswith("kplan_desktop.store.")} - {
        "kplan_desktop.store.paths"
    }
    late = {"kplan_desktop.ui.entry_controller", "kplan_desktop.ui.models.indicator_table"}
    assert not loaded & late


def test_the_modules_up_to_the_first_paint_leave_the_qt_namespace_unbuilt() -> None:
    # PySide6 builds a class when it is first taken from its module; the Qt namespace's some 90
    # enums cost about 10 ms of the start, which the bare window of the first-paint figure never
    # pays: the modules imported before the first paint name QtCore.Qt only inside functions.
    script = (
        "import PySide6.QtCore as core, kplan_desktop.ui.app, kplan_desktop.ui.open_lock,"
        " kplan_desktop.ui.server_login, kplan_desktop.ui.main_window;"
        " print('Qt' in vars(core))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == ["False"]
