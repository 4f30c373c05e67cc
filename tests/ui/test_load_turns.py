"""How the grid's load is spread over turns of the event loop: a small grid is shown in the
turn its data arrives (each extra turn let the window repaint, about 20 ms each), and when
measuring the columns took a turn's worth, the grid is shown again in a turn of its own (its
whole repaint, 50 ms at 2,000 rows, came on top of the measuring)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from kplan_desktop.ui import grid_fit


def test_a_small_grid_is_filled_in_the_turn_its_data_arrives(
    open_window: Callable[..., Any], qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(department=None, planning=True)
    # However slow the machine, the columns are measured in one turn here.
    monkeypatch.setattr(grid_fit, "FIT_TURN_SECONDS", 60.0)
    assert len(window.model.rows) <= 2500
    order: list[str] = []

    def arrived() -> None:
        # Runs at the next turn of the event loop after the model took the new rows.
        QTimer.singleShot(0, lambda: order.append("next turn"))

    window.model.modelReset.connect(arrived)
    window.loaded.connect(lambda: order.append("loaded"))
    window.reload()
    qtbot.waitUntil(lambda: "next turn" in order and "loaded" in order, timeout=10000)
    assert order[:2] == ["loaded", "next turn"]
    assert window.tree.topLevelItemCount() > 0 and window.grid.updatesEnabled()


def test_columns_measured_for_long_are_shown_in_the_next_turn_and_only_the_last_fit_ends(
    open_window: Callable[..., Any], qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(department=None, planning=True)
    # Every measuring is long, and the seed's 25 rows a big grid.
    monkeypatch.setattr(grid_fit, "FIT_FINISH_SECONDS", -1.0)
    monkeypatch.setattr(grid_fit, "FIT_FINISH_ROWS", 0)
    for column in range(window.model.columnCount()):
        window.grid.setColumnWidth(column, 20)
    ended: list[str] = []
    window.fit.fit_columns(lambda: ended.append("first"))
    # Measured, not yet shown: the grid waits for the next turn.
    assert ended == [] and not window.grid.updatesEnabled()
    window.fit.fit_columns(lambda: ended.append("second"))  # a later load's fitting
    qtbot.waitUntil(lambda: ended == ["second"], timeout=5000)
    qtbot.wait(50)
    assert ended == ["second"] and window.grid.updatesEnabled()
    assert all(window.grid.columnWidth(c) > 20 for c in range(window.model.columnCount()))


def test_the_widths_saved_at_the_last_close_come_back_without_measuring_the_rows(
    open_window: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kplan_desktop.ui.frozen_grid import FrozenGrid

    measured: list[int] = []
    real = FrozenGrid.resizeColumnToContents

    def counted(grid: FrozenGrid, column: int) -> None:
        measured.append(column)
        real(grid, column)

    monkeypatch.setattr(FrozenGrid, "resizeColumnToContents", counted)
    first = open_window(department=None, planning=True)
    assert len(measured) == first.model.columnCount()  # nothing saved yet: every column
    first.grid.setColumnWidth(0, 137)
    first.save_state()
    measured.clear()
    second = open_window(department=None, planning=True)
    # Measuring them was wasted: the saved widths replaced what it found (0.1 s at 20,000).
    assert measured == [] and second.grid.columnWidth(0) == 137
