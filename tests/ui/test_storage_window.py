"""A full disk while typing: the value stays in the editor, nothing is half written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kplan_desktop.cli import main
from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.ui.main_window import MainWindow
from kplan_desktop.ui.settings import AppSettings
from tests.conftest import dump, fill


def cell(window: MainWindow, code: str) -> Any:
    for row in range(window.proxy.rowCount()):
        if window.proxy.index(row, 0).data() == code:
            return window.proxy.index(row, window.model.column_of_year(2025))
    raise AssertionError(code)


def test_a_value_typed_on_a_full_disk_is_kept_and_saved_when_space_returns(
    small_disk: Path, qtbot: Any
) -> None:
    db = small_disk / "kplan.sqlite3"
    assert main(["--db", str(db), "init"]) == 0
    window = MainWindow(
        Store.open(str(db)), department="community", fiscal_year=2025, settings=AppSettings()
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_loaded, timeout=10000)
    assert window.entry.submit(cell(window, "7-1-1-K1"), "3")
    before = dump(db)
    filler = fill(small_disk)
    comment = "説明" * 300
    assert not window.entry.submit(cell(window, "7-1-1-K2"), "55", comment)
    assert "ディスク" in window.status.text()
    assert window.undo_stack.count() == 1  # only the first, real entry
    filler.unlink()
    assert dump(db) == before
    assert window.entry.submit(cell(window, "7-1-1-K2"), "55", comment)
    with window.store.snapshot() as conn:
        assert {a.indicator_code for a in read_actuals(conn, 1, fiscal_year=2025)} == {
            "7-1-1-K1",
            "7-1-1-K2",
        }
    window.undo_stack.undo()
    assert cell(window, "7-1-1-K2").data() in ("", None)
