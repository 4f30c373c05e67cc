"""A second window of the same user on the same database warns first (finding 17 of trial
15b): read-only, anyway, or cancel — with the lock held by another real process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from kplan_desktop.store.engine import StoreError
from kplan_desktop.store.requests import EntryRequest, EntrySource
from kplan_desktop.ui import open_lock
from kplan_desktop.ui.main_window import MainWindow
from tests.conftest import dump
from tests.ui.test_main_window import cell

YEAR = "2024"
START = ["--department", "community", "--year", YEAR]


def hold_in_another_process(db: Path) -> subprocess.Popen[str]:
    """A first window's lock, held by a separate process (as a running window holds it)."""
    code = textwrap.dedent(
        f"""
        import sys, time
        from kplan_desktop.ui.open_lock import OpenLock
        lock = OpenLock({str(db)!r})
        print("held" if lock.acquire() else "busy", flush=True)
        time.sleep(120)
        """
    )
    first = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert first.stdout is not None
    assert first.stdout.readline().strip() == "held"
    return first


def test_the_lock_names_the_other_process_and_is_taken_over_once_it_is_gone(
    db: Path,
) -> None:
    first = hold_in_another_process(db)
    try:
        second = open_lock.OpenLock(str(db))
        assert not second.acquire()
        assert second.holder() == first.pid
        # Another database is not affected.
        other = open_lock.OpenLock(str(db.with_name("other.sqlite3")))
        assert other.acquire()
        other.release()
    finally:
        first.kill()
        first.wait()
    # A window that died (killed, crashed) leaves its lock behind: it is not held any more.
    deadline = time.monotonic() + 10
    while not second.acquire():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    second.release()


def answer(monkeypatch: pytest.MonkeyPatch, choice: str) -> list[int | None]:
    holders: list[int | None] = []

    def ask(db: str | None, holder: int | None, lang: str) -> str:
        holders.append(holder)
        return choice

    monkeypatch.setattr(open_lock, "ask_second_window", ask)
    return holders


def test_a_second_window_is_warned_and_cancel_opens_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kplan_desktop.ui.app import main

    holders = answer(monkeypatch, open_lock.CANCEL)
    opened = shown_windows(monkeypatch)
    first = hold_in_another_process(db)
    try:
        assert main(["--db", str(db), *START]) == 0
    finally:
        first.kill()
        first.wait()
    assert holders == [first.pid] and opened == []


def shown_windows(monkeypatch: pytest.MonkeyPatch) -> list[MainWindow]:
    """The windows main() shows; its event loop returns at once (the test drives the window)."""
    opened: list[MainWindow] = []
    real_show = MainWindow.show

    def show(self: MainWindow) -> None:
        opened.append(self)
        real_show(self)

    monkeypatch.setattr(MainWindow, "show", show)
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    return opened


def test_read_only_opens_the_window_and_refuses_every_write(
    db: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    from kplan_desktop.ui.app import main

    holders = answer(monkeypatch, open_lock.READ_ONLY)
    opened = shown_windows(monkeypatch)
    first = hold_in_another_process(db)
    try:
        assert main(["--db", str(db), *START]) == 0
    finally:
        first.kill()
        first.wait()
    assert len(holders) == 1
    (window,) = opened
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.is_loaded, timeout=10000)
    assert window.store.read_only
    assert "読み取り専用" in window.windowTitle()
    before = dump(db)
    with pytest.raises(StoreError) as refused:
        from kplan_desktop.store.actuals import write_actuals

        with window.store.transaction() as conn:
            write_actuals(conn, 1, [EntryRequest("7-1-1-K1", int(YEAR), "4", "c")], who="t",
                          source=EntrySource.TEST)  # fmt: skip
    assert refused.value.code == "E_READ_ONLY" and "読み取り専用" in refused.value.message_ja
    # Typed into the grid: refused with the same words, nothing written.
    assert not window.entry.submit(cell(window, "7-1-1-K1", int(YEAR)), "4", "確認済み")
    assert "読み取り専用" in window.entry.last_message
    assert dump(db) == before


def test_open_anyway_and_a_single_window_write_as_usual(
    db: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    from kplan_desktop.ui.app import main

    holders = answer(monkeypatch, open_lock.ANYWAY)
    opened = shown_windows(monkeypatch)
    # Alone: no question, and the lock is released when the window ends.
    assert main(["--db", str(db), *START]) == 0
    assert holders == []
    lock = open_lock.OpenLock(str(db))
    assert lock.acquire()
    lock.release()
    first = hold_in_another_process(db)
    try:
        assert main(["--db", str(db), *START]) == 0
    finally:
        first.kill()
        first.wait()
    assert holders == [first.pid]
    for shown in opened:
        qtbot.addWidget(shown)
    window = opened[-1]
    qtbot.waitUntil(lambda: window.is_loaded, timeout=10000)
    assert not window.store.read_only and "読み取り専用" not in window.windowTitle()
    from kplan_desktop.store.actuals import write_actuals

    with window.store.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest("7-1-1-K1", int(YEAR), "4", "c")], who="t",
                      source=EntrySource.TEST)  # fmt: skip
