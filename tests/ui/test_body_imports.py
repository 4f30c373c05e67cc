"""The window's body modules and the database layer: the UI thread never imports the store
(SQLAlchemy and kplan_desktop.store, some 370 ms) itself while the loading worker does; before
this, the window froze for 0.3-0.4 s at every start, importing it beside the worker."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject

from kplan_desktop.ui import body_imports
from kplan_desktop.ui.body_imports import BODY_MODULES, STORE_BOUND, StoreImports, import_body

ROOT = Path(__file__).resolve().parents[2]

# In a fresh interpreter: which of the body's modules bring SQLAlchemy in with them.
_WHICH_NEED_THE_STORE = textwrap.dedent(
    """
    import json, subprocess, sys
    names = json.loads(sys.argv[1])
    found = []
    for name in names:
        code = f"import sys, {name}; print('sqlalchemy' in sys.modules)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.strip()
        if out == "True":
            found.append(name)
    print(json.dumps(found))
    """
)


def test_the_store_bound_list_is_what_the_modules_import() -> None:
    import json

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _WHICH_NEED_THE_STORE, json.dumps(list(BODY_MODULES))],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert set(json.loads(done.stdout)) == STORE_BOUND


def test_modules_that_need_the_store_wait_for_the_worker(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported: list[str] = []
    monkeypatch.setattr(body_imports, "import_module", imported.append)
    store = StoreImports()
    built: list[bool] = []
    context = QObject()
    import_body(context, store, lambda: True, lambda: built.append(True))
    free = [name for name in BODY_MODULES if name not in STORE_BOUND]
    qtbot.waitUntil(lambda: imported == free, timeout=5000)
    qtbot.wait(100)  # the worker has not imported the store: the rest wait, the body too
    assert imported == free and not built
    monkeypatch.setattr(store, "done", lambda: True)
    qtbot.waitUntil(lambda: bool(built), timeout=5000)
    assert imported[len(free) :] == [name for name in BODY_MODULES if name in STORE_BOUND]


def test_without_a_load_running_the_ui_thread_imports_them_itself(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load that failed before it imported the store (or none at all) never blocks the body."""
    imported: list[str] = []
    monkeypatch.setattr(body_imports, "import_module", imported.append)
    built: list[bool] = []
    import_body(QObject(), StoreImports(), lambda: False, lambda: built.append(True))
    qtbot.waitUntil(lambda: bool(built), timeout=5000)
    assert imported == list(BODY_MODULES)


# The window program on the seed database, in a fresh interpreter: whether the UI thread
# imported a store module before the worker had SQLAlchemy and the store's engine in whole
# (it then imported them itself, or waited for the worker's import: 0.3-0.4 s frozen).
_WHO_IMPORTS = textwrap.dedent(
    """
    import sys, threading, importlib.abc
    seen = {}
    def loaded(name):
        module = sys.modules.get(name)
        return module is not None and not getattr(module.__spec__, "_initializing", False)
    # The store's modules that import SQLAlchemy, and the first the UI thread imports.
    needs = ("engine", "models", "catalog", "actuals", "audit", "overview", "series")
    needing = {f"kplan_desktop.store.{name}" for name in needs}
    class Watch(importlib.abc.MetaPathFinder):
        # Was SQLAlchemy in whole when the UI thread imported one of them (or it)?
        def find_spec(self, name, path, target=None):
            main = threading.current_thread() is threading.main_thread()
            wanted = name in needing or name.split(".")[0] == "sqlalchemy"
            if main and wanted and "store" not in seen:
                seen["store"] = loaded("sqlalchemy")
            return None
    sys.meta_path.insert(0, Watch())
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from kplan_desktop.ui.main_window import MainWindow
    from kplan_desktop.ui.workers import wait_for
    def store():
        from kplan_desktop.store.engine import Store
        return Store.open(sys.argv[1])
    window = MainWindow(store, department="community", fiscal_year=2025)
    window.show()
    assert wait_for([window.loaded], lambda: window.is_loaded, 60)
    print("after" if seen.get("store", True) else "during")
    """
)


def test_the_ui_thread_imports_store_modules_only_after_the_worker(db: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", _WHO_IMPORTS, str(db)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.split()[-1] == "after"
