"""The merge's public functions (exchange/merge.py): plan a real submission file against the
planning database, decide by lineage, write one file in one transaction (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests import seeded
from tests.conftest import Database, dump

from kplan_desktop.cli import main
from kplan_desktop.exchange.merge import MergeChanged, apply_merge, merge_files, plan_merge
from kplan_desktop.exchange.payload import RowOutcome
from kplan_desktop.store.actuals import EntryRequest, read_actuals, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import submissions

YEAR = 2024
COMMUNITY = {
    "7-1-1-A1": "未集計",
    "7-1-1-K1": "3",
    "7-1-1-K2": "55",
    "7-1-1-K3": "1,500人",
    "7-1-2-A1": "該当なし",
    "7-1-2-K1": "20",
}


def run(db: Database, *args: str) -> int:
    return main(["--db", str(db), *args])


def enter(db: Database, code: str, text: str) -> None:
    assert run(db, "enter", "--indicator", code, "--year", str(YEAR), "--value", text,
               "--comment", "c") == 0  # fmt: skip


def export(db: Database, out: Path) -> Path:
    """The department finalises and exports."""
    assert run(db, "finalise", "--department", "community", "--year", str(YEAR)) == 0
    assert run(db, "export", "--department", "community", "--year", str(YEAR), "-o", str(out)) == 0
    return out


@pytest.fixture
def department(new_db: Callable[[str], Database]) -> Database:
    path = new_db("department")
    seeded.init(path)
    for code, text in COMMUNITY.items():
        enter(path, code, text)
    return path


def stored(store: Store) -> dict[str, str | None]:
    with store.snapshot() as conn:
        return {a.indicator_code: a.text for a in read_actuals(conn, 1, fiscal_year=YEAR)}


def test_a_first_file_is_new_and_the_same_file_again_changes_nothing(
    db: Database, department: Database, tmp_path: Path
) -> None:
    file = export(department, tmp_path / "community.xlsx")
    store = Store.open(str(db))
    plan = plan_merge(store, file)
    assert plan.count(RowOutcome.NEW) == len(COMMUNITY) and not plan.already_received
    report = apply_merge(store, plan, who="planner")
    assert report.written and report.count(RowOutcome.NEW) == len(COMMUNITY)
    assert stored(store)["7-1-1-K2"] == "55"
    before = dump(db)
    (again,) = merge_files(store, [file], who="planner")
    assert not isinstance(again, Exception)
    assert again.count(RowOutcome.UNCHANGED) == len(COMMUNITY) and not again.written
    assert dump(db) == before


def test_a_newer_file_updates_and_the_older_file_then_conflicts(
    db: Database, department: Database, tmp_path: Path
) -> None:
    older = export(department, tmp_path / "first.xlsx")
    assert run(department, "finalise", "--department", "community", "--year", str(YEAR),
               "--withdraw") == 0  # fmt: skip
    enter(department, "7-1-1-K2", "57")
    newer = export(department, tmp_path / "second.xlsx")
    store = Store.open(str(db))
    (first,) = merge_files(store, [older], who="planner")
    (second,) = merge_files(store, [newer], who="planner")
    assert not isinstance(first, Exception) and not isinstance(second, Exception)
    assert [line.outcome for line in second.lines if line.indicator == "7-1-1-K2"] == [
        RowOutcome.UPDATED
    ]
    before = dump(db)
    plan = plan_merge(store, older)
    (row,) = [r for r in plan.rows if r.incoming.indicator == "7-1-1-K2"]
    assert row.outcome is RowOutcome.CONFLICT and "古いファイル" in row.reason_ja
    kept = apply_merge(store, plan, who="planner", take="db")
    assert stored(store)["7-1-1-K2"] == "57"
    (line,) = [line for line in kept.lines if line.indicator == "7-1-1-K2"]
    assert line.outcome is RowOutcome.UNCHANGED and "データベースの値を維持" in line.reason_ja
    assert dump(db)["actual"] == before["actual"]
    apply_merge(store, plan_merge(store, older), who="planner", take="file")
    assert stored(store)["7-1-1-K2"] == "55"


def test_a_value_changed_after_the_preview_refuses_the_whole_file(
    db: Database, department: Database, tmp_path: Path
) -> None:
    file = export(department, tmp_path / "community.xlsx")
    store = Store.open(str(db))
    plan = plan_merge(store, file)
    with store.transaction() as conn:
        write_actuals(
            conn, 1, [EntryRequest("7-1-1-K1", YEAR, "4")], who="planner", source=EntrySource.TEST
        )
    before = dump(db)
    with pytest.raises(MergeChanged) as changed:
        apply_merge(store, plan, who="planner")
    assert changed.value.code == "E_MERGE_CHANGED"
    assert dump(db) == before
    with store.snapshot() as conn:
        assert submissions(conn, 1) == []


def test_a_forged_row_of_another_department_is_checked_against_that_indicator(
    db: Database, department: Database, tmp_path: Path
) -> None:
    """The merge reads a file's own department's indicators by department and any other code it
    names by code (issue 20): a hand-forged row of equality's indicator is refused as equality's,
    and a code the catalog lacks as unknown; the other rows are planned as before."""
    import openpyxl

    file = export(department, tmp_path / "community.xlsx")
    book = openpyxl.load_workbook(file)
    data = book["data"]
    header = [cell.value for cell in data[1]]
    column = header.index("indicator") + 1
    codes = {data.cell(row=r, column=column).value: r for r in range(2, data.max_row + 1)}
    data.cell(row=codes["7-1-1-K1"], column=column).value = "7-2-1-K1"  # equality's
    data.cell(row=codes["7-1-2-K1"], column=column).value = "9-9-9-K9"  # no such indicator
    forged = tmp_path / "forged.xlsx"
    book.save(forged)
    store = Store.open(str(db))
    before = dump(db)
    plan = plan_merge(store, forged, accept_unsigned=True)
    outcomes = {r.incoming.indicator: r for r in plan.rows}
    assert outcomes["7-2-1-K1"].outcome is RowOutcome.REJECTED
    assert "equality" in outcomes["7-2-1-K1"].reason_ja
    assert "equality" in outcomes["7-2-1-K1"].reason_en
    assert outcomes["9-9-9-K9"].outcome is RowOutcome.REJECTED
    assert "equality" not in outcomes["9-9-9-K9"].reason_en
    assert outcomes["7-1-1-K2"].outcome is RowOutcome.NEW
    assert "7-2-1-K1" in plan.units and "9-9-9-K9" not in plan.units
    assert dump(db) == before
    store.dispose()
