"""Running plain functions off the UI thread, with progress and a cancel flag."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from kplan_desktop.progress import Cancelled

__all__ = ["Cancelled", "Job", "JobSignals"]


class JobSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    """Runs fn(progress, cancelled) in the thread pool; reports through Qt signals."""

    def __init__(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]) -> None:
        super().__init__()
        self.signals = JobSignals()
        self._fn = fn
        self._cancel = threading.Event()
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            try:
                result = self._fn(self._progress, self._cancel.is_set)
            except Exception as exc:  # reported to the window, which shows it
                self.signals.failed.emit(exc)
                return
            self.signals.finished.emit(result)
        except RuntimeError:
            # The window (and these signals) went away while the job ran: nobody to tell.
            return

    def _progress(self, done: int, total: int) -> None:
        try:
            self.signals.progress.emit(done, total)
        except RuntimeError:
            self._cancel.set()

    def start(self) -> None:
        QThreadPool.globalInstance().start(self)
