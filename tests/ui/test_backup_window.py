"""ファイル › バックアップを作成 / バックアップから復元, driven through the real window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.backup import backups
from kplan_desktop.ui.main_window import MainWindow
from tests.conftest import dump


def value(window: MainWindow, code: str) -> object:
    with window.store.snapshot() as conn:
        found = [a for a in read_actuals(conn, 1, indicator_codes=[code]) if a.fiscal_year == 2025]
    return found[0].text if found else None


def cell(window: MainWindow, code: str) -> Any:
    for row in range(window.proxy.rowCount()):
        if window.proxy.index(row, 0).data() == code:
            return window.proxy.index(row, window.model.column_of_year(2025))
    raise AssertionError(code)


def test_backup_then_restore_brings_the_values_back_in_the_grid(
    open_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    window: MainWindow = open_window()
    assert window.entry.submit(cell(window, "7-1-1-K2"), "55")
    window.backups.backup()
    qtbot.waitUntil(lambda: window.backups.last_backup is not None, timeout=10000)
    saved = window.backups.last_backup
    assert saved is not None and saved.exists()
    assert "バックアップしました" in window.status.text()
    assert window.entry.submit(cell(window, "7-1-1-K2"), "58")
    assert cell(window, "7-1-1-K2").data() == "58"
    asked: list[str] = []

    def yes(parent: object, title: str, text: str, *rest: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    window.backups.restore(str(saved))
    qtbot.waitUntil(lambda: "復元しました" in window.status.text(), timeout=10000)
    qtbot.waitUntil(lambda: window.is_loaded and cell(window, "7-1-1-K2").data() == "55")
    assert value(window, "7-1-1-K2") == "55"
    assert saved.name in asked[0]
    assert next(b.reason for b in backups(window.store)) == "restore"


def test_restore_cancelled_at_the_question_changes_nothing(
    open_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, db: Path, tmp_path: Path
) -> None:
    window: MainWindow = open_window()
    window.backups.backup()
    qtbot.waitUntil(lambda: window.backups.last_backup is not None, timeout=10000)
    assert window.backups.last_backup is not None
    saved = window.backups.last_backup
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Cancel)
    before = dump(db)
    window.backups.restore(str(saved))
    assert dump(db) == before
    # A file that is not a backup is refused before the question, with the reason.
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(str(a[2])))
    window.backups.restore(str(tmp_path / "whatever.sqlite3"))
    assert "ファイルがありません" in warned[0]
    assert dump(db) == before
