"""The window's entry is one frame (issue 16): a typed value is checked, written and read back
in one transaction (a refusal writes nothing: tests/ui/test_main_window.py), and an undo or a
redo is one more. The detail panel's history of the current
cell is a read of its own (it follows every change of the current cell), counted apart."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex
from sqlalchemy import event

from kplan_desktop.cli import main as kplan
from kplan_desktop.ui.main_window import MainWindow
from tests.ui.conftest import Opener
from tests.ui.test_main_window import YEAR, cell, stored


class Counted:
    def __init__(self) -> None:
        self.all = 0
        self.panel = 0

    @property
    def entry(self) -> int:
        return self.all - self.panel


@contextmanager
def counting(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> Iterator[Counted]:
    counted = Counted()

    def checkout(*_args: Any) -> None:
        counted.all += 1

    panel = window.detail_panel
    shown: Callable[[QModelIndex, QModelIndex], None] = panel.show_cell

    def show_cell(current: QModelIndex, previous: QModelIndex) -> None:
        before = counted.all
        shown(current, previous)
        counted.panel += counted.all - before

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
