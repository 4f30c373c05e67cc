"""The window's body modules, imported a few per turn of the event loop after its first paint.

Most of them import the database layer (SQLAlchemy and the store, some 370 ms). The loading
worker imports it anyway, first thing; when the UI thread reached one of them first, it imported
the store itself, and the window did not answer for up to 0.2 s (or it waited on the worker's
half-done import). So the UI thread imports the modules that need the store only once the
worker has imported it (StoreImports), and the others meanwhile; once the store is in, each of
those costs the UI thread some 25 ms at most.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from importlib import import_module

from PySide6.QtCore import QObject, QTimer

# What MainWindow's _late_imports binds, in the order the UI thread imports them.
BODY_MODULES = (
    "kplan_desktop.domain.fiscal_year",
    "kplan_desktop.ui.models.cells",
    "kplan_desktop.ui.models.indicator_table",
    "kplan_desktop.ui.models.indicator_filter",
    "kplan_desktop.ui.entry_controller",
    "kplan_desktop.ui.detail_panel",
    # Qt Charts, some 40 ms: in a turn of its own, not inside the turn that builds the body.
    "kplan_desktop.ui.trend_chart",
    "kplan_desktop.ui.plan_tree",
    "kplan_desktop.ui.paste",
    "kplan_desktop.ui.grid_fit",
    "kplan_desktop.ui.poller",
    "kplan_desktop.ui.window_tabs",
    "kplan_desktop.ui.generation_choice",
    "kplan_desktop.ui.next_plan_wizard",
    "kplan_desktop.ui.exchange_actions",
    "kplan_desktop.ui.backup_actions",
    "kplan_desktop.ui.catalog_actions",
    "kplan_desktop.ui.cycle_actions",
    "kplan_desktop.ui.key_actions",
    "kplan_desktop.ui.window_menus",
)
# Those of them that import the store (and SQLAlchemy) when they are imported
# (tests/ui/test_body_imports.py checks this list in a fresh interpreter).
STORE_BOUND = frozenset(
    {
        "kplan_desktop.ui.entry_controller",
        "kplan_desktop.ui.detail_panel",
        "kplan_desktop.ui.paste",
        "kplan_desktop.ui.poller",
        "kplan_desktop.ui.next_plan_wizard",
        "kplan_desktop.ui.exchange_actions",
        "kplan_desktop.ui.catalog_actions",
        "kplan_desktop.ui.cycle_actions",
    }
)
# The store's modules the worker imports before it reads anything: those the body's modules
# import (with SQLAlchemy).
STORE_MODULES = (
    "kplan_desktop.store.engine",
    "kplan_desktop.store.actuals",
    "kplan_desktop.store.audit",
    "kplan_desktop.store.overview",
    "kplan_desktop.store.series",
)
# The UI thread imports for at most this long per turn (one module may take longer).
TURN_SECONDS = 0.02
# How often the UI thread looks again while it waits for the worker's imports.
WAIT_MS = 10


class StoreImports:
    """Whether a worker has imported the store's modules (set once, from any thread)."""

    def __init__(self) -> None:
        self._done = threading.Event()

    def import_here(self) -> None:
        """Import the store's modules in this (worker) thread, then say so."""
        try:
            for name in STORE_MODULES:
                import_module(name)
        finally:
            self._done.set()

    def done(self) -> bool:
        return self._done.is_set()


def import_body(
    context: QObject,
    store: StoreImports,
    loading: Callable[[], bool],
    then: Callable[[], None],
) -> None:
    """Import BODY_MODULES a few per turn of the event loop, then call `then`. A module that
    needs the store waits while the worker is `loading` and has not imported the store; if no
    load is running (it failed, or none was started), the UI thread imports it itself."""
    pending = list(BODY_MODULES)

    def step() -> None:
        until = time.perf_counter() + TURN_SECONDS
        while pending and time.perf_counter() < until:
            waiting = loading() and not store.done()
            ready = [name for name in pending if not waiting or name not in STORE_BOUND]
            if not ready:
                QTimer.singleShot(WAIT_MS, context, step)
                return
            pending.remove(ready[0])
            import_module(ready[0])
        if pending:
            QTimer.singleShot(0, context, step)
            return
        then()

    step()
