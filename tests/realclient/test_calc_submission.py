"""The department's submission workbook re-saved in LibreOffice Calc, as is and after a clerk's
edit of its data sheet (issue 13, item 6)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kplan_desktop.exchange.submission_xlsx import SHEET_DATA
from tests import seeded
from tests.realclient.calc import Calc, read, type_
from tests.realclient.helpers import YEAR, kplan, merge, stored

PERCENT = "7-5-2-K1"


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    db = tmp_path / "tax.sqlite3"
    seeded.init(db)
    assert kplan(db, "enter", "--indicator", PERCENT, "--year", YEAR, "--value", "98.7%") == 0
    out = tmp_path / "提出_税務担当課.xlsx"
    args = ("export", "--department", "tax", "--year", YEAR, "--draft", "-o", str(out))
    assert kplan(db, *args) == 0
    return out


@pytest.fixture
def planning(tmp_path: Path) -> Path:
    db = tmp_path / "planning.sqlite3"
    seeded.init(db)
    return db


def value_cell(path: Path, code: str) -> str:
    ws = openpyxl.load_workbook(path)[SHEET_DATA]
    header = [c.value for c in ws[1]]
    column = header.index("value")
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code and row[1].value == YEAR:
            return row[column].coordinate
    raise AssertionError(code)


def test_a_submission_resaved_by_calc_merges_unchanged(
    calc: Calc,
    submission: Path,
    planning: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    resaved = tmp_path / "resaved.xlsx"
    calc.run(submission, [], resaved)
    assert resaved.read_bytes() != submission.read_bytes()

    code, (report,) = merge(planning, capsys, str(resaved))

    assert code == 0, report
    assert report["kind"] == "resaved"
    assert stored(planning, capsys)[PERCENT][0] == "98.7"
    # Trial 13, finding 9: said once, naming the program cleanly (never cut mid-word).
    resaved_notes = [n for n in report["notes_ja"] if "保存し直されています" in n]
    assert len(resaved_notes) == 1, report["notes_ja"]
    assert re.search(
        r"別のソフト（LibreOffice \d+(\.\d+)+）で保存し直されています", resaved_notes[0]
    )


def test_a_clerk_typing_90_percent_into_the_data_sheet_merges_90(
    calc: Calc,
    submission: Path,
    planning: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cell = value_cell(submission, PERCENT)
    edited = tmp_path / "edited.xlsx"
    ops: list[dict[str, Any]] = [
        {"op": "show_sheet", "sheet": SHEET_DATA},
        type_(SHEET_DATA, cell, "90%"),
        read(SHEET_DATA, cell),
    ]
    (seen,) = calc.run(submission, ops, edited)
    # The data sheet's cells are text cells: Calc keeps "90%" as typed.
    assert (seen["type"], seen["string"]) == ("TEXT", "90%")

    code, (report,) = merge(planning, capsys, str(edited))

    assert code == 0, report
    assert report["kind"] == "edited"  # the checksum no longer matches: every row checked
    assert stored(planning, capsys)[PERCENT][0] == "90"
    # The printable sheet still shows 98.7: said on the row, the data's value taken.
    (row,) = [r for r in report["rows"] if r["indicator"] == PERCENT]
    assert "98.7" in row["reason_ja"] and "提出" in row["reason_ja"]


def test_a_value_changed_on_the_printable_sheet_is_refused_not_lost(
    calc: Calc,
    submission: Path,
    planning: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A clerk corrects this year's value on the visible 提出 sheet (the data sheet is hidden)
    and types a value into an empty row: the merge reads the data sheet, so both would be lost
    without a word. The file as exported (its data verified) is refused whole, naming each
    cell, what it shows and what the data holds (the signature work of issue 14 made the
    check file-level: the data sheet is what is signed)."""
    from tests.conftest import dump

    book = openpyxl.load_workbook(submission)
    ws = book["提出"]
    header = next(r for r in ws.iter_rows() if any(c.value == "指標コード" for c in r))
    column = next(c.column_letter for c in header if c.value == "令和6年度\n実績")
    top = header[0].row
    assert top is not None
    rows = {r[0].value: r[0].row for r in ws.iter_rows(min_row=top + 1) if r[0].value}
    (other,) = [code for code in rows if code != PERCENT]  # tax's other indicator, no value
    edited = tmp_path / "edited-report.xlsx"
    ops = [
        {"op": "unprotect_sheet", "sheet": "提出"},
        type_("提出", f"{column}{rows[PERCENT]}", "97.5"),
        type_("提出", f"{column}{rows[other]}", "120"),
    ]
    calc.run(submission, ops, edited)
    before = dump(planning)

    code, (report,) = merge(planning, capsys, str(edited))

    assert code == 2
    assert dump(planning) == before
    assert report["refused"] is True and report["code"] == "E_MERGE_VISIBLE"
    message = report["message_ja"]
    assert f"{column}{rows[PERCENT]}: 97.5（データ 98.7）" in message
    assert f"{column}{rows[other]}: 120（データ 空）" in message


def printable_cell(path: Path, code: str) -> tuple[str, int]:
    """The column of this year's 実績 on the 提出 sheet, and `code`'s row there."""
    ws = openpyxl.load_workbook(path)["提出"]
    header = next(r for r in ws.iter_rows() if any(c.value == "指標コード" for c in r))
    column = next(c.column_letter for c in header if c.value == "令和6年度\n実績")
    header_row = header[0].row
    assert header_row is not None
    row = next(r[0].row for r in ws.iter_rows(min_row=header_row + 1) if r[0].value == code)
    assert row is not None
    return column, row


def test_a_row_deleted_from_the_printable_sheet_refuses_the_file_naming_it(
    calc: Calc,
    submission: Path,
    planning: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A clerk deletes an indicator's row on the visible 提出 sheet (meaning: not this one).
    The data sheet still holds its value: merged as exported, it would go in without a word.
    The file as exported is refused whole, naming the deleted row and what the data holds."""
    from tests.conftest import dump

    edited = tmp_path / "deleted-row.xlsx"
    ops: list[dict[str, Any]] = [
        {"op": "unprotect_sheet", "sheet": "提出"},
        {"op": "delete_rows", "sheet": "提出", "row": printable_cell(submission, PERCENT)[1]},
    ]
    calc.run(submission, ops, edited)
    before = dump(planning)

    code, (report,) = merge(planning, capsys, str(edited))

    assert code == 2
    assert dump(planning) == before
    assert report["refused"] is True and report["code"] == "E_MERGE_VISIBLE", report
    assert (
        f"提出 シート: 指標 {PERCENT} の行が削除されています（データ 98.7）"
        in (report["message_ja"])
    )
    assert f"the row of indicator {PERCENT} was deleted (data 98.7)" in report["message_en"]


def test_a_row_deleted_from_the_data_sheet_is_refused_on_its_row_never_dropped(
    calc: Calc,
    submission: Path,
    planning: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A clerk unhides the data sheet and deletes a row: the 提出 sheet still shows its value.
    The value is not merged silently as "nothing": its row is refused, naming the cell that
    shows it and saying the data has no such row."""
    from tests.conftest import dump

    data_row = int("".join(c for c in value_cell(submission, PERCENT) if c.isdigit()))
    column, shown_at = printable_cell(submission, PERCENT)
    edited = tmp_path / "deleted-data-row.xlsx"
    ops: list[dict[str, Any]] = [
        {"op": "show_sheet", "sheet": SHEET_DATA},
        {"op": "unprotect_sheet", "sheet": SHEET_DATA},
        {"op": "delete_rows", "sheet": SHEET_DATA, "row": data_row},
    ]
    calc.run(submission, ops, edited)
    before = dump(planning)

    code, (report,) = merge(planning, capsys, str(edited))

    assert code == 2, report
    assert dump(planning) == before
    assert report["kind"] == "edited"
    (row,) = [r for r in report["rows"] if r["indicator"] == PERCENT]
    assert row["outcome"] == "rejected"
    assert f"提出 シート {column}{shown_at} に値（98.7）" in row["reason_ja"]
    assert "98.7" in row["reason_ja"] and "データシートの行が削除された" in row["reason_ja"]
    assert "a row of the data sheet was deleted" in row["reason_en"]
