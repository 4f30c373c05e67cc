"""A clerk edits the fill-in template in LibreOffice Calc the ways clerks do — sorting, deleting,
inserting rows, hiding a column, renaming or copying the sheet, adding a memo column, typing in
the wrong place — and saves it as .xlsx (issue 13, items 3, 4 and 6). Every value the merge
stores must be what the clerk meant; whatever it cannot take is refused or said, never dropped.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from kplan_desktop.exchange.submission_xlsx import SHEET_TEMPLATE
from tests import seeded
from tests.conftest import dump
from tests.realclient.calc import Calc, type_
from tests.realclient.helpers import cell_of, fresh_db, merge, stored, template

S = SHEET_TEMPLATE
UNPROTECT: list[dict[str, Any]] = [{"op": "unprotect_book"}, {"op": "unprotect_sheet", "sheet": S}]
# The community template (FY2024): rows 5-10 hold 7-1-1-A1, -K1, -K2, -K3, 7-1-2-A1, -K1;
# columns A code, B name, C unit, D/E earlier years, F value, G reason, H comment.
TYPED = {"7-1-1-K1": "3", "7-1-1-K2": "55", "7-1-1-K3": "1,500"}
MEANT = {"7-1-1-K1": "3", "7-1-1-K2": "55", "7-1-1-K3": "1500"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("edits")
    db = folder / "base.sqlite3"
    seeded.init(db)
    return db, template(db, "community", folder / "community.xlsx")


def typing(source: Path, values: dict[str, str] = TYPED) -> list[dict[str, Any]]:
    return [type_(S, cell_of(source, code), text) for code, text in values.items()]


def values_of(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return {code: value for code, (value, _, _) in stored(db, capsys).items()}


def test_sorted_hidden_inserted_and_renamed_still_merge_what_was_typed(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    ops = [
        *UNPROTECT,
        *typing(source),
        # Sorted by code, descending: every row moves.
        {"op": "sort", "sheet": S, "range": "A5:H10", "column": 0, "descending": True},
        {"op": "insert_rows", "sheet": S, "row": 7, "count": 2},
        {"op": "hide_column", "sheet": S, "column": "D"},
        {"op": "rename_sheet", "sheet": S, "new_name": "R6入力"},
    ]
    filled = tmp_path / "edited.xlsx"
    calc.run(source, ops, filled)

    code, (report,) = merge(db, capsys, str(filled))

    assert code == 0, report
    assert values_of(db, capsys) == MEANT
    assert any("「R6入力」に変わっています" in note for note in report["notes_ja"])


def test_a_template_in_which_calc_deleted_a_row_merges(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    # Row 5 (7-1-1-A1, no unit) deleted: the rows below move up one.
    ops: list[dict[str, Any]] = [*UNPROTECT, {"op": "delete_rows", "sheet": S, "row": 5}]
    for indicator, text in TYPED.items():
        cell = cell_of(source, indicator)
        ops.append(type_(S, f"{cell[0]}{int(cell[1:]) - 1}", text))
    filled = tmp_path / "deleted.xlsx"
    calc.run(source, ops, filled)
    with zipfile.ZipFile(filled) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    # What Calc writes after a deleted row (7.4): an empty last row of the sheet.
    assert b'<row r="1048576"' in xml

    code, (report,) = merge(db, capsys, str(filled))

    assert code == 0, report
    assert values_of(db, capsys) == MEANT


def test_a_memo_column_beside_a_value_is_said_on_the_row(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    k3_row = cell_of(source, "7-1-1-K3")[1:]
    ops = [
        *UNPROTECT,
        *typing(source),
        type_(S, "I4", "メモ"),
        type_(S, f"I{k3_row}", "速報値から修正"),
    ]
    filled = tmp_path / "memo.xlsx"
    calc.run(source, ops, filled)

    code, (report,) = merge(db, capsys, str(filled))

    assert code == 0, report
    assert values_of(db, capsys) == MEANT
    (k3,) = [r for r in report["rows"] if r["indicator"] == "7-1-1-K3"]
    assert f"I{k3_row}「速報値から修正」" in k3["reason_ja"]


def test_a_value_typed_outside_the_columns_is_refused_with_its_cell(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    k2_row = cell_of(source, "7-1-1-K2")[1:]
    # 7-1-1-K2's value typed one column too far right (in the empty column I).
    ops = [*UNPROTECT, *typing(source, {"7-1-1-K1": "3"}), type_(S, f"I{k2_row}", "55")]
    filled = tmp_path / "outside.xlsx"
    calc.run(source, ops, filled)
    before = dump(db)

    code, (report,) = merge(db, capsys, str(filled))

    assert code == 2
    assert dump(db) == before
    (k2,) = [r for r in report["rows"] if r["indicator"] == "7-1-1-K2"]
    assert k2["outcome"] == "rejected" and f"I{k2_row}「55」" in k2["reason_ja"]


def test_a_second_value_like_column_refuses_the_file_naming_both(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    ops = [*UNPROTECT, *typing(source), type_(S, "I4", "実績値（速報値）")]
    ops += [type_(S, f"I{cell_of(source, code)[1:]}", "1") for code in TYPED]
    filled = tmp_path / "two-columns.xlsx"
    calc.run(source, ops, filled)
    before = dump(db)

    code, (result,) = merge(db, capsys, str(filled))

    assert code == 2 and result["refused"]
    assert "F列「実績値(令和6年度)」" in result["message_ja"]
    assert "I列「実績値(速報値)」" in result["message_ja"]
    assert dump(db) == before


def test_values_typed_into_a_copy_of_the_sheet_refuse_the_file(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    copy = "記入 (2)"
    ops = [*UNPROTECT, {"op": "copy_sheet", "sheet": S, "new_name": copy, "position": 1}]
    ops += [type_(copy, cell_of(source, code), text) for code, text in TYPED.items()]
    filled = tmp_path / "copy.xlsx"
    calc.run(source, ops, filled)
    before = dump(db)

    code, (result,) = merge(db, capsys, str(filled))

    # The original stays empty: never a 0-value submission.
    assert code == 2 and result["refused"]
    assert f"「{copy}」" in result["message_ja"] and copy in result["message_en"]
    assert dump(db) == before


def test_a_column_inserted_left_of_the_value_column_is_said_as_a_column_change(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 13, finding 2: a column inserted at C (after unprotecting the sheet) moves the
    headings the template wrote above the table; the refusal says that a column was inserted
    and where a heading moved, not that the clerk typed into a cell never touched."""
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    ops = [
        *UNPROTECT,
        {"op": "insert_columns", "sheet": S, "column": "C"},
        type_(S, "G6", "3"),
    ]
    filled = tmp_path / "column.xlsx"
    calc.run(source, ops, filled)
    before = dump(db)

    code, (report,) = merge(db, capsys, str(filled))

    assert code == 2
    assert dump(db) == before
    assert report["code"] == "E_WB_LAYOUT"
    assert f"「{S}」シートで列が挿入されています" in report["message_ja"]
    assert "列の挿入を元に戻してください" in report["message_ja"]
    assert "columns were inserted" in report["message_en"]
