"""A big grid shows its first rows while the rest is read (issue 20: 20,000 indicators take a
second to read and check). The first rows take no value; the clerk's place in them is kept
when the whole grid comes; a later load of the same window shows no first rows. The seed's 25
indicators stand in for a big catalog here (the threshold is lowered)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.ui.main_window import MainWindow
from kplan_desktop.ui.models import cells
from kplan_desktop.ui.settings import AppSettings
from kplan_desktop.ui.workers import Relay


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The whole grid's read waits until the returned event is set; the first rows do not."""
    monkeypatch.setattr(cells, "FIRST_SCREEN_FROM", 5)
    monkeypatch.setattr(cells, "FIRST_ROWS", 3)
    release = threading.Event()
    real = cells.load_grid

    def load_grid(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("measures") is None:
            release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(cells, "load_grid", load_grid)
    return release


def _window(db: Path, qtbot: Any, shown: list[int]) -> MainWindow:
    """The planning division's window, shown; `shown` gets the rows of each first rows shown."""
    window = MainWindow(
        Store.open(str(db)),
        settings=AppSettings(),
        department=None,
        fiscal_year=2025,
        planning=True,
    )
    qtbot.addWidget(window, before_close_func=lambda w: w.entry.discard_pending())
    window.first_rows_shown.connect(lambda: shown.append(len(window.model.rows)))
    window.show()
    return window


def _codes(window: MainWindow) -> list[str]:
    return [row.indicator.code for row in window.model.rows]


def test_the_first_rows_show_read_only_then_the_whole_grid_keeps_the_clerks_place(
    db: Path, qtbot: Any, held: threading.Event
) -> None:
    shown: list[int] = []
    window = _window(db, qtbot, shown)
    qtbot.waitUntil(lambda: bool(shown) and window.grid.updatesEnabled(), timeout=10000)
    first = _codes(window)
    assert not window.is_loaded
    assert 3 <= len(first) < 25 and window.model.first_of == 25
    assert "25" in window.status.text() and str(len(first)) in window.status.text()
    # Nothing in them takes a value: no cell is editable, and a key typed opens no editor.
    column = window.model.column_of_year(2025)
    flags = [window.proxy.index(r, column).flags() for r in range(window.proxy.rowCount())]
    assert flags and not any(f & Qt.ItemFlag.ItemIsEditable for f in flags)
    place = window.proxy.index(2, column)
    window.grid.setCurrentIndex(place)
    window.grid.setFocus()
    qtbot.keyClicks(window.grid, "5")
    assert "まだ読み込んでいます" in window.status.text()  # says why, not "another 課's"
    qtbot.keyClick(window.grid, Qt.Key.Key_Return)
    assert window.grid.state() != window.grid.State.EditingState
    # Delete and a paste say the same, and mark nothing red (the whole grid replaces them).
    for act in (window.entry.clear_current, lambda: window.paste.paste_text("77")):
        window.status.setText("")
        act()
        assert "まだ読み込んでいます" in window.status.text()
    assert window.model.marked == {}
    store = Store.open(str(db))
    with store.snapshot() as conn:
        assert read_actuals(conn, 1, fiscal_year=2025) == []
    held.set()
    qtbot.waitUntil(lambda: window.is_loaded, timeout=10000)
    whole = _codes(window)
    assert len(whole) == 25 and whole[: len(first)] == first and window.model.first_of is None
    # The cell the clerk went to, not the first empty one, once the whole grid is in.
    qtbot.waitUntil(lambda: window.grid.currentIndex().isValid(), timeout=5000)
    current = window.proxy.mapToSource(window.grid.currentIndex())
    assert (window.model.rows[current.row()].indicator.code, current.column()) == (
        first[2],
        column,
    )
    assert window.grid.currentIndex().flags() & Qt.ItemFlag.ItemIsEditable
    assert "全" not in window.status.text()


def test_a_later_load_of_the_window_shows_no_first_rows(
    db: Path, qtbot: Any, held: threading.Event
) -> None:
    held.set()
    shown: list[int] = []
    window = _window(db, qtbot, shown)
    qtbot.waitUntil(lambda: window.is_loaded, timeout=10000)
    assert len(shown) == 1  # the first load showed them
    sizes: list[int] = []
    window.model.modelReset.connect(lambda: sizes.append(len(window.model.rows)))
    done: list[bool] = []
    window.reload(lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    assert sizes == [25] and len(shown) == 1  # the grid never shrank to its first rows


def test_a_relay_hands_a_value_to_the_ui_thread_and_waits_until_it_is_taken(qtbot: Any) -> None:
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    qtbot.addWidget(owner)
    relay = Relay(owner, wait=10)
    seen: list[tuple[object, bool]] = []
    order: list[str] = []

    def arrived(value: object) -> None:
        seen.append((value, threading.current_thread() is threading.main_thread()))
        order.append("taken")
        relay.taken()

    relay.arrived.connect(arrived)

    def worker() -> None:
        relay.hand("rows")
        order.append("worker on")

    thread = threading.Thread(target=worker)
    thread.start()
    qtbot.waitUntil(lambda: order == ["taken", "worker on"], timeout=5000)
    thread.join(5)
    assert seen == [("rows", True)]


def test_a_load_asked_for_while_the_first_rows_show_replaces_the_one_under_way(
    db: Path, qtbot: Any, held: threading.Event
) -> None:
    shown: list[int] = []
    window = _window(db, qtbot, shown)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    resets: list[int] = []
    window.model.modelReset.connect(lambda: resets.append(len(window.model.rows)))
    window.reload()  # the tree's scope, a plan chosen: the load under way is cancelled
    held.set()
    qtbot.waitUntil(lambda: window.is_loaded, timeout=10000)
    qtbot.wait(200)
    # The new load's rows (first rows again: the window has not loaded yet, then the whole);
    # the cancelled load's whole grid never replaced them.
    assert resets[-1] == 25 and len(window.model.rows) == 25
    assert window.model.first_of is None and not window.load_error


def test_the_widths_saved_come_back_on_the_first_rows_the_frozen_columns_too(
    db: Path, qtbot: Any, held: threading.Event
) -> None:
    held.set()
    first = _window(db, qtbot, [])
    qtbot.waitUntil(lambda: first.is_loaded, timeout=10000)
    first.grid.setColumnWidth(0, 137)
    first.save_state()
    held.clear()
    shown: list[int] = []
    second = _window(db, qtbot, shown)
    qtbot.waitUntil(lambda: bool(shown) and second.grid.updatesEnabled(), timeout=10000)
    # The code column over the grid's left edge is as wide as the grid's own (it kept Qt's
    # width while the grid's came back, and the names beside it were cut without "…").
    assert second.grid.columnWidth(0) == 137 == second.grid.frozen.columnWidth(0)
    held.set()
    qtbot.waitUntil(lambda: second.is_loaded, timeout=10000)
