"""The grid's Qt model on its own (no widgets): what it shows, what it lets edit, cell states."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt

from kplan_desktop.domain.values import grouped
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.ui.models.cells import CellState, GridData, load_grid
from kplan_desktop.ui.models.indicator_table import STATE_ROLE, IndicatorTableModel

if TYPE_CHECKING:
    from tests.ui.conftest import Opener


def model_for(db: Path, department: str | None, planning: bool = False) -> IndicatorTableModel:
    store = Store.open(str(db))
    with store.snapshot() as conn:
        data = load_grid(
            conn, 1, department, department, 2025, lambda done, total: None, lambda: False
        )
    assert data is not None
    model = IndicatorTableModel()
    model.reset(data, 2025, department, planning=planning)
    return model


def test_the_model_shows_the_departments_indicators_and_their_states(db: Path) -> None:
    store = Store.open(str(db))
    with store.transaction() as conn:
        write_actuals(
            conn,
            1,
            [
                EntryRequest("7-1-1-K2", 2024, "60"),
                EntryRequest("7-1-1-K2", 2025, "200", "行事が増えたため"),
                EntryRequest("7-1-1-K1", 2025, "未集計"),
            ],
            who="t",
            source=EntrySource.TEST,
        )
    model = model_for(db, "community")
    assert model.rowCount() == 6
    assert model.headerData(model.column_of_year(2025), Qt.Orientation.Horizontal, 0) == (
        "令和7年度"
    )
    k2 = model.row_of("7-1-1-K2")
    assert k2 is not None
    column = model.column_of_year(2025)
    assert model.data(model.index(k2, column)) == "200"
    assert model.data(model.index(k2, column), STATE_ROLE) is CellState.EXPLAINED
    assert "行事が増えたため" in model.data(model.index(k2, column), Qt.ItemDataRole.ToolTipRole)
    k1 = model.row_of("7-1-1-K1")
    assert k1 is not None
    assert model.data(model.index(k1, column)) == "未集計"
    assert model.data(model.index(k1, column), STATE_ROLE) is CellState.MISSING
    # Achievement and grade columns come from the domain: 200 against 51 → 69 is above 100 %.
    tail = column + 2
    assert model.data(model.index(k2, tail + 1)) == "827.8%"
    assert model.data(model.index(k2, tail + 2)) == "A"
    assert model.cell(k2, 2025).findings[0].code == "W_YOY_CHANGE"
    assert Decimal(200) == model.rows[k2].values[2025].value


def test_only_the_entry_year_of_own_indicators_is_editable(db: Path) -> None:
    model = model_for(db, None)
    editable = Qt.ItemFlag.ItemIsEditable
    own = model.row_of("7-1-1-K2")
    other = model.row_of("7-5-2-K1")
    assert own is not None and other is not None
    model.own_department = "community"
    assert model.flags(model.index(own, model.column_of_year(2025))) & editable
    assert not model.flags(model.index(own, model.column_of_year(2024))) & editable
    assert not model.flags(model.index(other, model.column_of_year(2025))) & editable
    planning = model_for(db, None, planning=True)
    assert planning.flags(planning.index(other, planning.column_of_year(2023))) & editable
    assert not planning.flags(planning.index(other, planning.column_of_year(2026))) & editable


def test_setdata_never_writes(db: Path) -> None:
    model = model_for(db, "community")
    index = model.index(0, model.column_of_year(2025))
    assert model.setData(index, "5") is False


def test_numbers_are_shown_with_thousands_separators_and_edited_plain(db: Path) -> None:
    store = Store.open(str(db))
    with store.transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest("7-1-1-K3", 2025, "１，２２５人")],
            who="t",
            source=EntrySource.TEST,
        )
    model = model_for(db, "community")
    k3 = model.row_of("7-1-1-K3")
    assert k3 is not None
    value = model.index(k3, model.column_of_year(2025))
    assert model.data(value) == "1,225"
    assert model.data(value, Qt.ItemDataRole.EditRole) == "1225"
    headers = [model.headerData(c, Qt.Orientation.Horizontal, 0) for c in range(5)]
    baseline = model.index(k3, headers.index("基準値"))
    assert model.data(baseline) == "1,225"
    target = model.index(k3, model.target_column)
    assert model.data(target) == "7,500以上"
    # Below a thousand nothing changes.
    k2 = model.row_of("7-1-1-K2")
    assert k2 is not None and model.data(model.index(k2, model.target_column)) == "69"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("0", "0"),
        ("999", "999"),
        ("1000", "1,000"),
        ("1E+3", "1,000"),
        ("1234.50", "1,234.5"),
        ("1234567.125", "1,234,567.125"),
        ("-98765.4321", "-98,765.4321"),
        ("0.0001", "0.0001"),
        ("-999.99", "-999.99"),
    ],
)
def test_grouping_keeps_every_decimal(stored: str, shown: str) -> None:
    assert grouped(Decimal(stored)) == shown


def test_every_grade_label_of_the_language_is_known_for_the_column_width(db: Path) -> None:
    model = model_for(db, "community")
    assert "データ未確定" in model.grade_labels()
    model.lang = "en"
    assert {"A", "Data pending", "Cannot be assessed"} <= set(model.grade_labels())


def test_the_planning_grid_names_each_indicators_department_and_its_progress(
    open_window: Opener, db: Path
) -> None:
    from kplan_desktop.domain.achievement import TrackStatus

    store = Store.open(str(db))
    with store.transaction() as conn:
        write_actuals(
            conn, 1, [EntryRequest("7-1-1-K3", 2025, "1300")], who="t", source=EntrySource.TEST
        )
    store.dispose()
    window = open_window(department=None, planning=True)
    model = window.model
    column = model.department_column
    assert column is not None and column == model.columnCount() - 1
    assert model.headerData(column, Qt.Orientation.Horizontal) == "担当課"
    k1 = model.row_of("7-1-1-K1")
    assert k1 is not None and model.data(model.index(k1, column)) == "市民協働担当課"
    assert model.headerData(model.track_column, Qt.Orientation.Horizontal) == "進捗状況"
    # 1,300 against a path from 1,225 to 7,500: behind, in the submission workbook's words.
    k3 = model.row_of("7-1-1-K3")
    assert k3 is not None
    assert model.data(model.index(k3, model.track_column)) == TrackStatus.BEHIND.label()
    assert TrackStatus.BEHIND.label() == "遅れ"
    # A department's own grid has no such column.
    clerk = open_window()
    assert clerk.model.department_column is None
    assert clerk.model.columnCount() == model.columnCount() - 1


@pytest.mark.parametrize(("department", "planning"), [("community", False), (None, True)])
def test_the_tallies_read_with_the_grid_equal_a_count_over_the_model_rows(
    db: Path, department: str | None, planning: bool
) -> None:
    """The loading worker counts this year's cells (issue 20: not the UI thread); the window's
    tallies must be what counting its own rows gives, also when the worker counted for another
    window (then the model counts again)."""
    store = Store.open(str(db))
    with store.transaction() as conn:
        write_actuals(
            conn,
            1,
            [
                EntryRequest("7-1-1-K2", 2024, "60"),
                EntryRequest("7-1-1-K2", 2025, "200", "行事が増えたため"),
                EntryRequest("7-1-1-K1", 2025, "未集計"),
            ],
            who="t",
            source=EntrySource.TEST,
        )
    with store.snapshot() as conn:
        data = load_grid(
            conn,
            1,
            department,
            department,
            2025,
            lambda d, t: None,
            lambda: False,
            planning=planning,
        )
    assert data is not None and data.tallies is not None
    assert data.row_of == {row.indicator.code: n for n, row in enumerate(data.rows)}

    def tallies(given: GridData, own: str | None, planning: bool) -> tuple[object, ...]:
        model = IndicatorTableModel()
        model.reset(given, 2025, own, planning=planning)
        return (model.editable_states, model.missing_under, model.unitless_missing)

    counted = replace(data, tallies=None, row_of={})
    read = tallies(data, department, planning)
    assert read == tallies(counted, department, planning)
    assert sum(read[0].values()) > 0  # type: ignore[attr-defined]
    # Tallied for another window (another role): counted again for this one.
    with store.snapshot() as conn:
        other = load_grid(
            conn, 1, department, department, 2025, lambda d, t: None, lambda: False, own="nobody"
        )
    assert other is not None
    assert tallies(other, department, planning) == read
    store.dispose()
