"""The merge preview's models and footer on real workbooks planned against a real database.

A department's draft submission is written by the exporter, one value is spoiled in its data
sheet with openpyxl (as a clerk editing the file by hand would), and the planning division's
database is given one corrected value and one identical value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt

from kplan_desktop.cli import main as kplan
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.exchange.export import export_submission
from kplan_desktop.exchange.merge import plan_merge
from kplan_desktop.exchange.payload import RowOutcome
from kplan_desktop.store.actuals import write_actuals
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntryRequest, EntrySource
from kplan_desktop.ui.merge_preview import MergePreviewDialog
from kplan_desktop.ui.merge_preview_model import (
    FILE,
    INDICATOR,
    OUTCOME,
    OUTCOME_ORDER,
    OUTCOME_ROLE,
    MergePreviewModel,
    PlannedFile,
    PreviewFilter,
)
from tests import seeded

YEAR = 2024


def enter(store: Store, values: dict[str, str]) -> None:
    requests = [EntryRequest(code, YEAR, text, "確認済み") for code, text in values.items()]
    with store.transaction() as conn:
        write_actuals(conn, 1, requests, who="t", source=EntrySource.TEST)


@pytest.fixture
def planning(tmp_path: Path) -> Store:
    path = tmp_path / "planning.sqlite3"
    seeded.init(path)
    store = Store.open(str(path))
    # K2 corrected by the planning division (a conflict), K3 already as submitted (unchanged).
    enter(store, {"7-1-1-K2": "60", "7-1-1-K3": "1300"})
    return store


@pytest.fixture
def workbook(db: Path, tmp_path: Path) -> Path:
    """The community department's draft for FY2024, with 7-1-2-K1's value spoiled by hand."""
    store = Store.open(str(db))
    enter(store, {"7-1-1-K1": "3", "7-1-1-K2": "55", "7-1-1-K3": "1300", "7-1-2-K1": "20"})
    path = tmp_path / "提出_市民協働担当課_R6.xlsx"
    assert export_submission(store, "community", YEAR, path, draft=True) is not None
    book = openpyxl.load_workbook(path)
    sheet = book["data"]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "7-1-2-K1"]
    row[2].value = "abc"
    book.save(path)
    return path


def shown(proxy: PreviewFilter) -> list[tuple[str, str, RowOutcome]]:
    """(file, indicator, outcome) of every row in the order the table lists them."""
    return [
        (
            proxy.index(r, FILE).data(),
            proxy.index(r, INDICATOR).data(),
            proxy.index(r, OUTCOME).data(OUTCOME_ROLE),
        )
        for r in range(proxy.rowCount())
    ]


def test_problems_are_listed_first_within_each_file(
    planning: Store, workbook: Path, tmp_path: Path
) -> None:
    plan = plan_merge(planning, workbook)
    again = tmp_path / "再提出.xlsx"
    again.write_bytes(workbook.read_bytes())
    files = [PlannedFile(workbook, plan), PlannedFile(again, plan_merge(planning, again))]
    # In the sheet the problems are not first: the rejected row is the last one.
    assert [(row.incoming.indicator, row.outcome) for row in plan.rows] == [
        ("7-1-1-K1", RowOutcome.NEW),
        ("7-1-1-K2", RowOutcome.CONFLICT),
        ("7-1-1-K3", RowOutcome.UNCHANGED),
        ("7-1-2-K1", RowOutcome.REJECTED),
    ]
    with planning.snapshot() as conn:
        model = MergePreviewModel(files, read_catalog(conn, 1), "ja")
    proxy = PreviewFilter()
    proxy.setSourceModel(model)

    rows = shown(proxy)
    assert [f for f, _, _ in rows] == [workbook.name] * len(plan.rows) + [again.name] * len(
        plan.rows
    )
    first_file = rows[: len(plan.rows)]
    assert [(code, outcome) for _, code, outcome in first_file] == [
        ("7-1-2-K1", RowOutcome.REJECTED),
        ("7-1-1-K2", RowOutcome.CONFLICT),
        ("7-1-1-K1", RowOutcome.NEW),
        ("7-1-1-K3", RowOutcome.UNCHANGED),
    ]
    assert OUTCOME_ORDER[:2] == (RowOutcome.REJECTED, RowOutcome.CONFLICT)

    # Hiding the unchanged rows keeps the order of the others.
    proxy.set_hide_unchanged(True)
    assert shown(proxy) == [r for r in rows if r[2] is not RowOutcome.UNCHANGED]


def test_a_choice_in_the_sorted_table_reaches_the_right_row(
    planning: Store, workbook: Path, qtbot: Any
) -> None:
    plan = plan_merge(planning, workbook)
    with planning.snapshot() as conn:
        dialog = MergePreviewDialog(
            [PlannedFile(workbook, plan)], catalog=read_catalog(conn, 1), lang="ja"
        )
    qtbot.addWidget(dialog)
    # The conflict is the second row on screen, whatever its place in the sheet.
    dialog.table.selectRow(1)
    dialog.take_file_button.click()
    ((key, take),) = dialog.model.take(0).items()
    assert key == ("7-1-1-K2", YEAR) and take == "file"
    assert dialog.proxy.index(1, OUTCOME).data(OUTCOME_ROLE) is RowOutcome.CONFLICT
    assert "未決定 0 件" in dialog.footer.text()


def refused(path: Path) -> PlannedFile:
    error = DomainError("E_TEST", f"{path.name} は読めません", f"cannot read {path.name}")
    return PlannedFile(path, None, error)


def test_files_that_were_all_refused_are_said_to_be_refused(tmp_path: Path, qtbot: Any) -> None:
    files = [refused(tmp_path / f"{name}.xlsx") for name in ("a", "b", "c")]
    dialog = MergePreviewDialog(files, catalog=None, lang="ja")
    qtbot.addWidget(dialog)
    assert dialog.footer.text().startswith("3 ファイル（3 件は取り込めません）")
    assert "0 行" not in dialog.footer.text()
    assert not dialog.merge_button.isEnabled()


def test_a_refused_file_beside_a_readable_one_is_counted(
    planning: Store, workbook: Path, tmp_path: Path, qtbot: Any
) -> None:
    plan = plan_merge(planning, workbook)
    files = [PlannedFile(workbook, plan), refused(tmp_path / "壊れた.xlsx")]
    with planning.snapshot() as conn:
        dialog = MergePreviewDialog(files, catalog=read_catalog(conn, 1), lang="ja")
    qtbot.addWidget(dialog)
    expected = f"2 ファイル（1 件は取り込めません）、{len(plan.rows)} 行"
    assert dialog.footer.text().startswith(expected)
    assert dialog.table.model().index(0, OUTCOME).data(Qt.ItemDataRole.DisplayRole) == "却下"


def pr_template_with_a_scale_slip(planning: Store, tmp_path: Path) -> Path:
    """The 広報広聴担当課 template with 2,600,000 typed for a 万件 indicator (last: 260万件)."""
    from kplan_desktop.exchange.export import export_template

    path = tmp_path / "記入票_広報広聴担当課.xlsx"
    export_template(planning, "pr", YEAR, path)
    book = openpyxl.load_workbook(path)
    ws = book["記入"]
    header = {c.value.split("\n")[0]: c.column for c in ws[4] if isinstance(c.value, str)}
    (row,) = [r[0].row for r in ws.iter_rows(min_row=5) if r[0].value == "7-4-1-K1"]
    assert row is not None
    ws.cell(row=row, column=header["実績値"]).value = "2,600,000"
    book.save(path)
    return path


def test_a_row_with_an_unexplained_warning_is_shown_and_held_until_accepted(
    planning: Store, tmp_path: Path, qtbot: Any
) -> None:
    from kplan_desktop.exchange.merge import apply_merge
    from kplan_desktop.store.actuals import read_actuals
    from kplan_desktop.ui.merge_preview_model import REASON

    path = pr_template_with_a_scale_slip(planning, tmp_path)
    plan = plan_merge(planning, path)
    with planning.snapshot() as conn:
        dialog = MergePreviewDialog(
            [PlannedFile(path, plan)], catalog=read_catalog(conn, 1), lang="ja"
        )
    qtbot.addWidget(dialog)
    (line,) = [
        r
        for r in range(dialog.proxy.rowCount())
        if dialog.proxy.index(r, INDICATOR).data() == "7-4-1-K1"
    ]
    reason = dialog.proxy.index(line, REASON).data()
    assert "⚠ 警告（コメントなし）" in reason and "W_SCALE_UNIT" in reason
    assert "コメントのない警告がある行 1 件" in dialog.footer.text()
    assert dialog.accept_warnings_box.isEnabled() and not dialog.accept_warnings

    held = apply_merge(planning, plan, who="t", accept_warnings=dialog.accept_warnings)
    assert held.held_for_warnings and not held.written
    with planning.snapshot() as conn:
        assert not [a for a in read_actuals(conn, 1, department="pr") if a.fiscal_year == YEAR]

    dialog.accept_warnings_box.setChecked(True)
    assert "コメントのない警告がある行" not in dialog.footer.text()
    report = apply_merge(planning, plan, who="t", accept_warnings=dialog.accept_warnings)
    assert report.written and [line.indicator for line in report.warned] == ["7-4-1-K1"]
    with planning.snapshot() as conn:
        (stored,) = [a for a in read_actuals(conn, 1, department="pr") if a.fiscal_year == YEAR]
    assert (stored.indicator_code, stored.text, stored.comment) == ("7-4-1-K1", "2600000", None)


def test_the_preview_shows_the_stored_value_with_its_unit_and_every_files_notes(
    planning: Store, tmp_path: Path, qtbot: Any
) -> None:
    from kplan_desktop.exchange.export import export_template
    from kplan_desktop.ui.merge_preview_model import FILE_VALUE

    path = tmp_path / "記入票_広報広聴担当課.xlsx"
    export_template(planning, "pr", YEAR, path)
    book = openpyxl.load_workbook(path)
    ws = book["記入"]
    header = {c.value.split("\n")[0]: c.column for c in ws[4] if isinstance(c.value, str)}
    for row in ws.iter_rows(min_row=5):
        typed = {"7-4-1-K1": "3,412,000件", "7-4-1-K2": "4000"}.get(str(row[0].value))
        at = row[0].row
        if typed and at is not None:
            ws.cell(row=at, column=header["実績値"]).value = typed
            ws.cell(row=at, column=header["コメント"]).value = "確認済み"
    book.save(path)
    # Eight files, so that the notes are long: every one of them must be readable at once.
    copies = []
    for n in range(8):
        copy = tmp_path / f"記入票_{n}.xlsx"
        copy.write_bytes(path.read_bytes())
        copies.append(PlannedFile(copy, plan_merge(planning, copy)))
    with planning.snapshot() as conn:
        dialog = MergePreviewDialog(copies, catalog=read_catalog(conn, 1), lang="ja")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    values = {
        dialog.proxy.index(r, INDICATOR).data(): dialog.proxy.index(r, FILE_VALUE).data()
        for r in range(dialog.proxy.rowCount())
    }
    assert values["7-4-1-K1"] == "341.2万件（入力: 3,412,000件）"
    assert values["7-4-1-K2"] == "4,000件"  # typed as stored: no second text, grouped as the grid
    assert dialog.notes.verticalScrollBar().maximum() == 0
    assert dialog.table.height() >= 120
    assert not dialog.grab().isNull()


def test_a_value_changed_three_times_between_two_files_is_previewed_as_an_update(
    tmp_path: Path, qtbot: Any
) -> None:
    """Finding 1 of trial 15b in the window: the newest file was shown as 競合（古いファイル）."""
    dept, plan_db = tmp_path / "community.sqlite3", tmp_path / "planning.sqlite3"
    for path in (dept, plan_db):
        assert kplan(["--db", str(path), "init"]) == 0

    def submit(name: str) -> Path:
        out = tmp_path / name
        common = ["--department", "community", "--year", str(YEAR)]
        assert kplan(["--db", str(dept), "finalise", *common]) == 0
        assert kplan(["--db", str(dept), "export", *common, "-o", str(out)]) == 0
        return out

    store = Store.open(str(dept))
    enter(store, {"7-1-1-K1": "3", "7-1-1-K2": "55", "7-1-1-K3": "1300", "7-1-2-K1": "20"})
    enter(store, {"7-1-1-A1": "未集計", "7-1-2-A1": "該当なし"})
    first = submit("first.xlsx")
    assert kplan(["--db", str(plan_db), "merge", str(first)]) == 0
    assert kplan(["--db", str(dept), "finalise", "--department", "community", "--year",
                  str(YEAR), "--withdraw"]) == 0  # fmt: skip
    for text in ("5", "4", "6"):
        enter(store, {"7-1-1-K2": str(50 + int(text)), "7-1-1-K1": text})
    store.dispose()
    second = submit("second.xlsx")
    planning = Store.open(str(plan_db))
    files = [PlannedFile(second, plan_merge(planning, second))]
    with planning.snapshot() as conn:
        dialog = MergePreviewDialog(files, catalog=read_catalog(conn, 1), lang="ja")
    qtbot.addWidget(dialog)
    outcomes = {
        dialog.proxy.index(r, INDICATOR).data(): dialog.proxy.index(r, OUTCOME).data()
        for r in range(dialog.proxy.rowCount())
    }
    assert outcomes["7-1-1-K1"] == outcomes["7-1-1-K2"] == "更新"
    planning.dispose()
