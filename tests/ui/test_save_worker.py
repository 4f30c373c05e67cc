"""Saves to the shared server run off the UI thread: the window keeps painting and processing
its timers, says it is waiting for the server, and takes no second edit meanwhile."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget
from sqlalchemy.engine import make_url

from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.engine import Store, StoreError
from kplan_desktop.ui.save_worker import ResponsiveRun, attach
from tests.pgcluster import Cluster
from tests.store.test_server import COMMUNITY_CODE, server

__all__ = ["server"]


def _waiting_box(window: QWidget) -> QProgressDialog | None:
    boxes = [b for b in window.findChildren(QProgressDialog) if b.isVisible()]
    return boxes[0] if boxes else None


def test_a_slow_save_keeps_the_window_alive_says_it_waits_and_swallows_input(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    typed: list[str] = []
    window.keyPressEvent = lambda event: typed.append(event.text())  # type: ignore[method-assign]

    def slow_run(work: Any, *, key: str | None = None) -> int:
        time.sleep(1.2)
        return int(work(None))

    responsive = ResponsiveRun(slow_run, window)
    ticks: list[float] = []
    seen: dict[str, object] = {}
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)

    def look() -> None:
        box = _waiting_box(window)
        seen["waiting"] = responsive.waiting
        seen["text"] = None if box is None else box.labelText()
        qtbot.keyClick(window, Qt.Key.Key_A)  # the clerk types on: not a second edit

    QTimer.singleShot(700, look)
    began = time.monotonic()
    assert responsive(lambda _conn: 42) == 42
    timer.stop()
    assert time.monotonic() - began >= 1.1
    assert len(ticks) >= 15  # the UI thread ran its timers all along (50 ms each)
    assert seen["waiting"] is True
    assert "サーバーの応答を待っています" in str(seen["text"])
    assert typed == [] and responsive.last_hold is not None and responsive.last_hold.swallowed
    assert _waiting_box(window) is None and not responsive.waiting

    def failing_run(work: Any, *, key: str | None = None) -> int:
        time.sleep(0.2)
        raise StoreError("E_DB_TIMEOUT", "待ちきれません", "timed out")

    with pytest.raises(StoreError):
        ResponsiveRun(failing_run, window)(lambda _conn: 1)
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert typed == ["b"]  # input flows again once the save is over


@pytest.mark.postgresql_only
def test_a_save_waiting_on_another_clerks_lock_leaves_the_window_responsive(
    server: dict[str, str], pg_cluster: Cluster, qtbot: Any
) -> None:
    from kplan_desktop.ui.main_window import MainWindow
    from kplan_desktop.ui.settings import AppSettings
    from tests.ui.test_main_window import cell

    database = make_url(server["admin"]).database or ""
    pg_cluster.psql(f"""ALTER DATABASE "{database}" SET lock_timeout = '2s'""", database)
    store = Store.open(server["clerk"])
    window = MainWindow(store, department="community", fiscal_year=2024, settings=AppSettings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_loaded, timeout=15000)
    assert isinstance(store.__dict__.get("run"), ResponsiveRun)  # attached on the server
    assert attach(Store.open(server["clerk"]), window) is not None
    parts = make_url(server["clerk"])
    holder = psycopg.connect(
        host="127.0.0.1", port=parts.port, dbname=database, user=parts.username,
        password=parts.password,
    )  # fmt: skip
    try:
        holder.execute(
            "SELECT kplan_put_actual(1, %s, 2024, '1', null, null, false, null, null, 'cli',"
            " null, 'holder', 'other pc')",
            (COMMUNITY_CODE,),
        )  # the other clerk's save holds the value, uncommitted
        ticks: list[float] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start(50)
        seen: list[object] = []
        QTimer.singleShot(800, lambda: seen.append(_waiting_box(window)))
        began = time.monotonic()
        assert window.entry.submit(cell(window, COMMUNITY_CODE, 2024), "55", "c") is False
        took = time.monotonic() - began
        timer.stop()
        assert 1.5 < took < 6, took
        assert len(ticks) >= 0.6 * took / 0.05  # painted and ticked while waiting
        assert seen and seen[0] is not None  # "waiting for the server" was shown
        assert "時間内" in window.entry.last_message  # E_DB_TIMEOUT, with Retry in a real session
    finally:
        holder.rollback()
        holder.close()
    assert window.entry.submit(cell(window, COMMUNITY_CODE, 2024), "55", "c") is True
    with store.snapshot() as conn:
        stored = read_actuals(conn, 1, indicator_codes=[COMMUNITY_CODE])
    assert [a.text for a in stored if a.fiscal_year == 2024] == ["55"]
    QApplication.processEvents()
