"""The Qt binding keeps Python's reference counts: a day of timers must not kill the window.

PySide6 6.12.0 on CPython 3.11 dropped one reference to None in every static call
(QTimer.singleShot, QCoreApplication.processEvents, QCoreApplication.exec): a bare script died
with "Fatal Python error: none_dealloc" after about 5,000 calls, and the window makes such calls
all day. pyproject.toml pins a release without the defect; these tests fail on one that has it.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from kplan_desktop.ui.workers import wait_for

CALLS = 300


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return qapp


def _none_references() -> int:
    return sys.getrefcount(None)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_static_calls_keep_the_reference_count_of_none(app: QApplication) -> None:
    loop = QEventLoop()
    before = _none_references()
    for _ in range(CALLS):
        QTimer.singleShot(0, loop.quit)
        QCoreApplication.processEvents()
    lost = before - _none_references()
    # A little noise from the interpreter is fine; one lost reference per call is the defect.
    assert lost < CALLS // 10, f"{lost} references to None lost in {CALLS} calls"


def test_wait_for_returns_when_the_signal_fires(app: QApplication) -> None:
    timer = QTimer()
    timer.setSingleShot(True)
    fired: list[bool] = []
    timer.timeout.connect(lambda: fired.append(True))
    timer.start(20)
    assert wait_for([timer.timeout], lambda: bool(fired), 5)


def test_wait_for_gives_up_after_its_time(app: QApplication) -> None:
    timer = QTimer()
    assert not wait_for([timer.timeout], lambda: False, 0.05)
