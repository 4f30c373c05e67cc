"""Running plain functions off the UI thread, with progress and a cancel flag."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

# QtCore.Qt is named where it is used: importing the Qt namespace builds some 90 enums, and
# this module is imported before the window's first paint (bench/bench_window.py).
from PySide6 import QtCore
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    QThreadPool,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from kplan_desktop.progress import Cancelled

__all__ = ["Cancelled", "Job", "JobSignals", "Relay", "Work", "run_job", "settle", "wait_for"]

# work(progress, cancelled) -> result, run off the UI thread.
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class JobSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class Relay(QObject):
    """Hands a value from a worker to the UI thread before the job's end: `hand(value)` in the
    worker; the slots of `arrived` run in the thread the relay lives in, one of which calls
    `taken()` when done with it."""

    arrived = Signal(object)

    def __init__(self, parent: QObject, wait: float = 0.5) -> None:
        super().__init__(parent)
        self._wait = wait
        self._taken = threading.Event()

    def hand(self, value: object) -> None:
        """In the worker: hand `value` over, and wait until the UI thread is done with it (at
        most `wait` seconds). Meanwhile the UI thread has the interpreter to itself: the C++ of
        Qt calls the Python of a model thousands of times to show a grid, and each call waited
        for the worker's turn to end (the first rows of a big grid took 0.2 s to show, not
        0.04; issue 20)."""
        self.arrived.emit(value)
        self._taken.wait(self._wait)

    def taken(self) -> None:
        self._taken.set()


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


def run_job(
    parent: QWidget,
    label: str,
    work: Work,
    done: Callable[[Any], None],
    failed: Callable[[BaseException], None],
    *,
    cancellable: bool = True,
    min_duration: int = 300,
) -> Job:
    """Run work(progress, cancelled) in the thread pool behind a progress dialog (shown when
    the job takes longer than `min_duration` ms); `done` or `failed` gets its end."""
    job = Job(work)
    dialog = QProgressDialog(
        label, QCoreApplication.translate("Workers", "キャンセル"), 0, 0, parent
    )
    dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(min_duration)
    if cancellable:
        dialog.canceled.connect(job.cancel)
    else:
        # Writing a merge is one short transaction per file: stopping half-way would leave some
        # files written, which is harder to explain than waiting a moment.
        dialog.setCancelButton(None)

    def finish(handler: Callable[[Any], None], value: Any) -> None:
        try:
            dialog.reset()
        except RuntimeError:
            return  # the window closed while the job ran: nobody to tell
        dialog.deleteLater()
        handler(value)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    job.signals.progress.connect(progress)
    job.signals.finished.connect(lambda value: finish(done, value))
    job.signals.failed.connect(lambda exc: finish(failed, exc))
    job.start()
    return job


def wait_for(signals: Sequence[SignalInstance], done: Callable[[], bool], seconds: float) -> bool:
    """Run the event loop until one of `signals` fires with `done()` true, or `seconds` pass.

    Returns done(). Waiting on signals, never a loop over processEvents(): PySide6 6.12.0 on
    CPython 3.11 drops a reference to None in every static call (processEvents, singleShot),
    and a tight loop of them ends in "Fatal Python error: none_dealloc" (issue 20).
    """
    if done():
        return True
    loop = QEventLoop()

    def check(*_args: object) -> None:
        if done():
            loop.quit()

    for signal in signals:
        signal.connect(check)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(seconds * 1000))
    try:
        loop.exec()
    finally:
        timer.stop()
        for signal in signals:
            signal.disconnect(check)
    return done()


def settle(ms: int = 0) -> None:
    """Run the event loop until the events posted so far are handled, then `ms` more.

    For a screenshot, a clean-up or a bench: a timer object ends a local event loop, instead of
    a call to processEvents() (see wait_for).
    """
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(max(ms, 0))
    loop.exec()
    timer.stop()
