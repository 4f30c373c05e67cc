"""Saves to the shared server run off the UI thread, with a clear "waiting for the server" state.

The window's save path stays as it reads (check, write, then the editor closes or stays open
with the refusal); only where the store does its work changes: `attach` makes the store's one
transaction runner (`Store.run`, which every write and every check goes through) hand the work
to a worker thread. The UI thread meanwhile keeps painting and processing timers in a local
event loop, swallows the user's input to the window (so no second edit starts inside the
first), and after a moment says "waiting for the server" in a window-modal box. A save to a PC's
own file takes milliseconds and is left as it was.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QThread, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store

T = TypeVar("T")

# Under this, the UI thread simply waits (a local save); above, the local event loop runs.
QUICK_SECONDS = 0.05
# The "waiting for the server" box appears after this long.
SHOW_AFTER_MS = 300

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.Drop,
        QEvent.Type.Close,
    }
)


class _Hold(QObject):
    """Swallows input to the window while a save is on its way (not to the waiting box)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self.window = window
        self.box: QWidget | None = None
        self.swallowed = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _INPUT:
            return False
        if self.box is not None and isinstance(watched, QWidget) and self.box.isAncestorOf(watched):
            return False
        if watched is self.box:
            return False
        if isinstance(watched, QWidget) and (
            watched is self.window or self.window.isAncestorOf(watched)
        ):
            event.ignore()
            self.swallowed += 1
            return True
        return False


class ResponsiveRun:
    """Stands in for `Store.run` on the UI thread (see the module's text)."""

    def __init__(self, run: Callable[..., Any], window: QWidget) -> None:
        self._run = run
        self._window = window
        self.waiting = False  # True while a save waits for the server (the window may say so)
        self.last_hold: _Hold | None = None

    def __call__(self, work: Callable[[Any], T], *, key: str | None = None) -> T:
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return self._run(work, key=key)  # type: ignore[no-any-return]
        outcome: dict[str, Any] = {}
        finished = threading.Event()

        def target() -> None:
            try:
                outcome["result"] = self._run(work, key=key)
            except BaseException as exc:  # handed back to the UI thread below
                outcome["error"] = exc
            finally:
                finished.set()

        threading.Thread(target=target, name="kplan-save", daemon=True).start()
        if not finished.wait(QUICK_SECONDS):
            self._wait(finished)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]  # type: ignore[no-any-return]

    def _wait(self, finished: threading.Event) -> None:
        app = QCoreApplication.instance()
        assert app is not None
        hold = _Hold(self._window)
        self.last_hold = hold
        app.installEventFilter(hold)
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(10)
        poll.timeout.connect(lambda: loop.quit() if finished.is_set() else None)
        box = QProgressDialog(
            QCoreApplication.translate(
                "SaveWorker", "サーバーの応答を待っています…（保存中。このままお待ちください）"
            ),
            "",
            0,
            0,
            self._window,
        )
        box.setCancelButton(None)  # a save on its way cannot be taken back halfway
        box.setWindowTitle(QCoreApplication.translate("SaveWorker", "保存中"))
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setMinimumDuration(SHOW_AFTER_MS)
        box.setValue(0)
        hold.box = box
        self.waiting = True
        began = time.monotonic()
        try:
            poll.start()
            if not finished.is_set():
                loop.exec()
        finally:
            poll.stop()
            self.waiting = False
            app.removeEventFilter(hold)
            box.reset()
            box.deleteLater()
        self.last_wait = time.monotonic() - began


def attach(store: Store | None, window: QWidget, *, always: bool = False) -> ResponsiveRun | None:
    """Route the store's transactions through a ResponsiveRun for this window (once).

    Only on a shared server unless `always`: a PC's own file answers in milliseconds.
    """
    if store is None or not (always or store.is_server):
        return None
    current = store.__dict__.get("run")
    if isinstance(current, ResponsiveRun):
        return current
    responsive = ResponsiveRun(type(store).run.__get__(store), window)
    # This store's transactions, and only this store's, now go through the worker.
    store.run = responsive  # type: ignore[method-assign]
    return responsive
