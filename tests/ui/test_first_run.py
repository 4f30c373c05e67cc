"""The first-run dialog and leaving the window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt

from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.ui.first_run import FirstRunDialog

if TYPE_CHECKING:
    from tests.ui.conftest import Opener


def test_the_department_choice_defaults_to_a_department_that_owns_indicators(
    db: Path, qtbot: Any
) -> None:
    store = Store.open(str(db))
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None
    owners = {indicator.department for *_path, indicator in catalog.indicators()}
    dialog = FirstRunDialog(catalog, 2025)
    qtbot.addWidget(dialog)
    assert dialog.department_button.isChecked()
    assert dialog.department not in (None, "planning")
    assert dialog.department in owners
    assert dialog.department_combo.currentText() != "企画担当課"
    store.dispose()


def test_esc_in_the_grid_asks_before_quitting(
    open_window: Opener, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    asked: list[bool] = []
    answers = iter([False, True])

    def ask() -> bool:
        asked.append(True)
        return next(answers)

    monkeypatch.setattr(window, "ask_quit", ask)
    qtbot.waitUntil(lambda: window.grid.currentIndex().isValid())
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Escape)
    assert asked == [True] and window.isVisible()
    # Esc in a cell editor only cancels the edit.
    qtbot.keyClicks(window.grid, "5")
    editor = window.grid.focusWidget()
    assert editor is not window.grid
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert asked == [True] and window.isVisible()
    qtbot.keyClick(window.grid, Qt.Key.Key_Escape)
    assert asked == [True, True] and not window.isVisible()


def test_esc_in_the_search_box_clears_it_then_goes_to_the_grid_never_asks_to_quit(
    open_window: Opener, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trial 15b (6): Esc in the search box offered to quit the program."""
    window = open_window()
    asked: list[bool] = []
    monkeypatch.setattr(window, "ask_quit", lambda *args, **kwargs: asked.append(True))
    qtbot.waitUntil(lambda: window.grid.currentIndex().isValid())
    window.search.setFocus()
    qtbot.keyClicks(window.search, "K3")
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == "" and asked == [] and window.isVisible()
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.grid.hasFocus() and asked == []
