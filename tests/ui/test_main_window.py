"""The real main window driven through qtbot, on a real SQLite file with the seed catalog."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt

from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.engine import Store
from kplan_desktop.ui.main_window import MainWindow

YEAR = 2025


@pytest.fixture
def window(db: Path, qtbot: object) -> MainWindow:
    store = Store.open(str(db))
    win = MainWindow(store, department="community", fiscal_year=YEAR)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    return win


def row_of(window: MainWindow, code: str) -> int:
    for row in range(window.proxy.rowCount()):
        if window.proxy.index(row, 0).data() == code:
            return row
    raise AssertionError(code)


def type_into(window: MainWindow, qtbot: object, code: str, text: str) -> None:
    index = window.proxy.index(row_of(window, code), window.model.column_of_year(YEAR))
    window.grid.setCurrentIndex(index)
    window.grid.edit(index)
    editor = window.grid.focusWidget()
    editor.setText(text)  # type: ignore[union-attr]
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # type: ignore[attr-defined]


def stored(window: MainWindow) -> dict[tuple[str, int], Decimal | None]:
    return {(a.indicator_code, a.fiscal_year): a.value for a in read_actuals(window.store)}


def test_clerk_types_a_value_and_enter_saves_it_and_moves_down(
    window: MainWindow, qtbot: object
) -> None:
    type_into(window, qtbot, "7-1-1-K2", "５５回")
    assert stored(window) == {("7-1-1-K2", YEAR): Decimal(55)}
    assert window.grid.currentIndex().row() == row_of(window, "7-1-1-K3")
    assert "保存しました" in window.status.text()
    assert [e.source for e in audit_log(window.store, "7-1-1-K2")] == ["gui"]


def test_an_invalid_value_stays_in_the_editor_with_its_message(
    window: MainWindow, qtbot: object
) -> None:
    type_into(window, qtbot, "7-1-1-K3", "1,225件")
    assert stored(window) == {}
    editor = window.grid.focusWidget()
    assert editor is not None and editor.text() == "1,225件"  # type: ignore[attr-defined]
    assert "単位が違います" in window.status.text()


def test_a_warning_asks_for_a_comment(
    window: MainWindow, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(refused: object) -> str:
        asked.append(refused.check.warnings[0].code)  # type: ignore[attr-defined]
        return "地区の行事が増えたため"

    monkeypatch.setattr(window, "ask_comment", answer)
    type_into(window, qtbot, "7-1-1-K2", "200")
    assert asked == ["W_YOY_CHANGE"]
    (actual,) = read_actuals(window.store)
    assert actual.value == Decimal(200) and actual.comment == "地区の行事が増えたため"


def test_undo_and_redo_are_recorded_changes(window: MainWindow, qtbot: object) -> None:
    type_into(window, qtbot, "7-1-1-K2", "55")
    window.undo_stack.undo()
    assert stored(window) == {}
    window.undo_stack.redo()
    assert stored(window) == {("7-1-1-K2", YEAR): Decimal(55)}
    actions = [(e.old_value, e.new_value) for e in audit_log(window.store, "7-1-1-K2")]
    assert actions == [(None, "55"), ("55", None), (None, "55")]


def test_search_filters_by_name_or_code(window: MainWindow, qtbot: object) -> None:
    assert window.proxy.rowCount() == 6
    # QTest can only synthesise ASCII keys; Japanese arrives as committed input-method text.
    window.search.insert("補助金")
    assert window.proxy.rowCount() == 2
    window.search.clear()
    qtbot.keyClicks(window.search, "7-1-2")  # type: ignore[attr-defined]
    assert {window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())} == {
        "7-1-2-A1",
        "7-1-2-K1",
    }


def test_other_years_and_other_departments_are_read_only(window: MainWindow) -> None:
    row = row_of(window, "7-1-1-K2")
    assert window.proxy.index(row, window.model.column_of_year(YEAR)).flags() & (
        Qt.ItemFlag.ItemIsEditable
    )
    assert not window.proxy.index(row, window.model.column_of_year(YEAR - 1)).flags() & (
        Qt.ItemFlag.ItemIsEditable
    )
    window.all_box.setChecked(True)
    assert window.proxy.rowCount() == 25
    tax = window.proxy.index(row_of(window, "7-5-2-K1"), window.model.column_of_year(YEAR))
    assert not tax.flags() & Qt.ItemFlag.ItemIsEditable


def test_a_grid_of_2000_generated_indicators_loads_and_filters(db: Path, qtbot: object) -> None:
    import json

    from kplan_desktop.exchange.catalog_json import catalog_from_dict, catalog_hash, dumps, load
    from kplan_desktop.store.catalog import replace_catalog
    from kplan_desktop.store.paths import seed_catalog_path

    data = json.loads(dumps(load(seed_catalog_path())))
    measure = data["goals"][0]["policies"][0]["measures"][0]
    template = measure["indicators"][1]
    measure["indicators"] += [
        {**template, "code": f"7-1-1-K{n}", "name": f"生成指標{n}"} for n in range(100, 2075)
    ]
    catalog = catalog_from_dict(data)
    store = Store.open(str(db))
    replace_catalog(store, catalog, catalog_hash(catalog), who="t", source="test", detail="big")
    win = MainWindow(store, department=None, fiscal_year=YEAR)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    assert win.proxy.rowCount() == 2000
    win.search.setText("生成指標20")
    assert win.proxy.rowCount() == 10 + 75  # 生成指標200–209 and 生成指標2000–2074


def test_self_test_command_exits_zero() -> None:
    from kplan_desktop.ui.app import main

    assert main(["--self-test"]) == 0


def test_screenshot_writes_a_png(db: Path, tmp_path: Path) -> None:
    from kplan_desktop.ui.app import main

    out = tmp_path / "grid.png"
    assert main(["--db", str(db), "--department", "community", "--screenshot", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
