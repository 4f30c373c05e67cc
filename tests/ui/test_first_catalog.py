"""The first run on an empty database asks which catalog to start from (issue 13, item 7): the
shipped seed, or another city's catalog file — then only that catalog is in the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.ui.app import _open_store
from kplan_desktop.ui.first_run import CatalogChoiceCancelled, choose_first_catalog

OTHER_CITY = Path(__file__).resolve().parents[1] / "data" / "other-city-catalog.json"


def click_later(label_start: str) -> None:
    """Click the button of the open message box whose text starts with `label_start`."""

    def click() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                for button in widget.buttons():
                    if button.text().startswith(label_start):
                        button.click()
                        return
        QTimer.singleShot(20, click)

    QTimer.singleShot(20, click)


def test_choosing_a_catalog_file_starts_the_database_with_only_that_catalog(
    tmp_path: Path, qtbot: Any
) -> None:
    click_later("カタログファイルを選ぶ")
    chosen = choose_first_catalog(pick_file=lambda: str(OTHER_CITY))
    assert chosen == OTHER_CITY

    store = _open_store(str(tmp_path / "new.sqlite3"), lambda: chosen)
    assert isinstance(store, Store)
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None
    assert [d.code for d in catalog.departments] == [
        "kikaku",
        "kankyo",
        "kodomo",
        "zaisei",
        "kanko",
    ]
    assert catalog.plan.settings.start_year == 2025
    store.dispose()


def test_the_seed_and_cancel(tmp_path: Path, qtbot: Any) -> None:
    click_later("同梱のカタログ")
    assert choose_first_catalog() is None
    click_later("キャンセル")
    with pytest.raises(CatalogChoiceCancelled):
        choose_first_catalog()
    # A database that holds a catalog is not asked again.
    path = str(tmp_path / "seeded.sqlite3")
    store = _open_store(path, lambda: None)
    assert isinstance(store, Store)
    store.dispose()

    def never() -> Path | None:
        raise AssertionError("asked again")

    again = _open_store(path, never)
    assert isinstance(again, Store)
    with again.snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None and "community" in {d.code for d in catalog.departments}
    again.dispose()
