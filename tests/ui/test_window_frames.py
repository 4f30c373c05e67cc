"""The window's entry is one frame (issue 16): a typed value is checked, written and read back
in one transaction (a refusal writes nothing: tests/ui/test_main_window.py), and an undo or a
redo is one more. The detail panel's history of the current
cell is a read of its own (it follows every change of the current cell), counted apart."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex
from sqlalchemy import event
from sqlalchemy import text as sql

from kplan_desktop.cli import main as kplan
from kplan_desktop.ui.main_window import MainWindow
from tests.ui.conftest import Opener
from tests.ui.test_main_window import YEAR, cell, stored


class Counted:
    def __init__(self) -> None:
        self.all = 0
        self.panel = 0
        # The detail panel is reading (on the UI thread): its frames are counted apart. A frame
        # the loading worker opens meanwhile (its own thread) is the load's.
        self.in_panel = False

    @property
    def entry(self) -> int:
        return self.all - self.panel


@contextmanager
def counting(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> Iterator[Counted]:
    counted = Counted()

    def checkout(*_args: Any) -> None:
        counted.all += 1
        if counted.in_panel and threading.current_thread() is threading.main_thread():
            counted.panel += 1

    panel = window.detail_panel
    shown: Callable[[QModelIndex, QModelIndex], None] = panel.show_cell

    def show_cell(current: QModelIndex, previous: QModelIndex) -> None:
        counted.in_panel = True
        try:
            shown(current, previous)
        finally:
            counted.in_panel = False

    event.listen(window.store.engine, "checkout", checkout)
    with monkeypatch.context() as patch:
        patch.setattr(panel, "show_cell", show_cell)
        try:
            yield counted
        finally:
            event.remove(window.store.engine, "checkout", checkout)


@pytest.fixture
def window(open_window: Opener) -> MainWindow:
    return open_window()


def test_a_typed_value_is_saved_in_one_frame_and_undo_and_redo_in_one_each(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = cell(window, "7-1-1-K2")
    window.grid.setCurrentIndex(index)
    with counting(window, monkeypatch) as counted:
        assert window.entry.submit(index, "55")
    assert stored(window) == {("7-1-1-K2", YEAR): Decimal(55)}
    assert counted.entry == 1, (counted.all, counted.panel)
    assert counted.panel <= 1
    with counting(window, monkeypatch) as counted:
        window.undo_stack.undo()
    assert stored(window) == {}
    assert counted.entry == 1, (counted.all, counted.panel)
    with counting(window, monkeypatch) as counted:
        window.undo_stack.redo()
    assert stored(window) == {("7-1-1-K2", YEAR): Decimal(55)}
    assert counted.entry == 1, (counted.all, counted.panel)


def test_finalising_and_withdrawing_are_one_frame_each(
    open_window: Opener, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """確定 and its withdrawal write and read the finalisation back in one transaction."""
    values = {
        "7-1-1-A1": "未集計",
        "7-1-1-K1": "3",
        "7-1-1-K2": "55",
        "7-1-1-K3": "1,500人",
        "7-1-2-A1": "該当なし",
        "7-1-2-K1": "20",
    }
    for code, text in values.items():
        argv = ["--db", str(db), "enter", "--indicator", code, "--year", str(YEAR)]
        assert kplan([*argv, "--value", text, "--comment", "c"]) == 0
    window = open_window()
    with counting(window, monkeypatch) as counted:
        assert window.exchange.finalise()
    assert window.exchange.finalised is not None and window.exchange.banner.isVisibleTo(window)
    assert counted.entry == 1, (counted.all, counted.panel)
    monkeypatch.setattr(window.exchange, "ask", lambda *args, **kwargs: "withdraw")
    with counting(window, monkeypatch) as counted:
        assert window.exchange.withdraw()
    assert window.exchange.finalised is None and not window.exchange.banner.isVisibleTo(window)
    assert counted.entry == 1, (counted.all, counted.panel)


def test_the_year_banner_is_read_in_one_frame(
    open_window: Opener, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The department's banner (year lock, due date, what is still owed) on every load."""
    opened = [
        "--db",
        str(db),
        "cycle",
        "open",
        "--year",
        str(YEAR),
        "--due",
        "2026-06-30",
        "--past-due",
    ]
    assert kplan(opened) == 0
    window = open_window()
    with counting(window, monkeypatch) as counted:
        window.cycle.refresh()
    assert "提出期限" in window.cycle.banner.text()
    assert counted.all == 1


def test_a_pasted_block_is_checked_and_written_in_one_frame(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The accepted cells of a block are written and read back in one transaction; a refused
    cell ('abc') writes nothing, and the paste is one undo step (one frame again)."""
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    with counting(window, monkeypatch) as counted:
        window.paste.paste_text("2\nabc\n1500\n")
    assert stored(window) == {("7-1-1-K1", YEAR): Decimal(2), ("7-1-1-K3", YEAR): Decimal(1500)}
    assert len(window.paste.last_paste_problems) == 1
    assert counted.entry == 1, (counted.all, counted.panel)
    with counting(window, monkeypatch) as counted:
        window.undo_stack.undo()
    assert stored(window) == {}
    assert counted.entry == 1, (counted.all, counted.panel)


def test_a_block_with_a_warned_cell_is_one_frame_with_or_without_its_comment(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The block is checked first (nothing read or written), the warned cell's comment asked,
    then the accepted cells and the commented one are written in one transaction (one frame)
    and one undo step. Esc on the comment leaves that cell out, and the rest is still one
    frame."""
    asked: list[str] = []

    def cancelled(refused: Any, step: str = "") -> str:
        asked.append(refused.request.indicator_code)
        return ""

    monkeypatch.setattr(window.entry, "ask_comment", cancelled)
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    with counting(window, monkeypatch) as counted:
        window.paste.paste_text("2\n55\n20000\n")
    assert asked == ["7-1-1-K3"]
    assert stored(window) == {("7-1-1-K1", YEAR): Decimal(2), ("7-1-1-K2", YEAR): Decimal(55)}
    assert counted.entry == 1, (counted.all, counted.panel)
    assert any("7-1-1-K3" in p and "コメント待ち" in p for p in window.paste.last_paste_problems)
    window.undo_stack.undo()
    assert stored(window) == {}
    monkeypatch.setattr(window.entry, "ask_comment", lambda refused, step="": "行事が増えた")
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    with counting(window, monkeypatch) as counted:
        window.paste.paste_text("2\n55\n20000\n")
    assert stored(window) == {
        ("7-1-1-K1", YEAR): Decimal(2),
        ("7-1-1-K2", YEAR): Decimal(55),
        ("7-1-1-K3", YEAR): Decimal(20000),
    }
    assert counted.entry == 1, (counted.all, counted.panel)
    # One transaction: the three values share one write's request key in the audit log.
    with window.store.snapshot() as conn:
        keys = conn.execute(
            sql("SELECT DISTINCT request_key FROM audit WHERE action = 'enter' AND detail IS NULL")
        ).all()
    assert len(keys) == 2, keys  # the first paste's write and this one's
    with counting(window, monkeypatch) as counted:
        window.undo_stack.undo()
    assert stored(window) == {}
    assert counted.entry == 1, (counted.all, counted.panel)


def test_a_warned_cell_alone_asks_before_anything_is_written(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A block whose only cell needs a comment: nothing is read or written before the clerk
    answers; Esc writes nothing at all (no frame)."""
    monkeypatch.setattr(window.entry, "ask_comment", lambda refused, step="": "")
    monkeypatch.setattr(window.entry, "reopen_editor", lambda index, text: None)
    window.grid.setCurrentIndex(cell(window, "7-1-1-K3"))
    with counting(window, monkeypatch) as counted:
        window.paste.paste_text("20000\n")
    assert stored(window) == {}
    assert counted.entry == 0, (counted.all, counted.panel)
    monkeypatch.setattr(window.entry, "ask_comment", lambda refused, step="": "行事が増えた")
    with counting(window, monkeypatch) as counted:
        window.paste.paste_text("20000\n")
    assert stored(window) == {("7-1-1-K3", YEAR): Decimal(20000)}
    assert counted.entry == 1, (counted.all, counted.panel)


def test_the_window_load_is_one_snapshot(
    open_window: Opener, db: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    """The grid, the finalisation banner and the year's banner (due date, what is still owed)
    are read in one snapshot: one moment of the database."""
    opened = ["--db", str(db), "cycle", "open", "--year", str(YEAR), "--due", "2026-06-30"]
    assert kplan([*opened, "--past-due"]) == 0
    window = open_window()
    with counting(window, monkeypatch) as counted:
        with qtbot.waitSignal(window.loaded, timeout=10000):
            window.reload()
        qtbot.wait(50)  # the detail panel of the first cell follows in the next turn
    assert "提出期限" in window.cycle.banner.text()
    assert counted.entry == 1, (counted.all, counted.panel)
