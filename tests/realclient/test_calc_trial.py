"""What a second new-user trial with Calc found (issue 13, follow-up): a dash typed as a value,
values typed into the reference, name or unit columns or the header area, and rows a clerk
deleted. Each is refused or said, never dropped and never a silent clear of a stored value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kplan_desktop.exchange.submission_xlsx import SHEET_TEMPLATE
from tests import seeded
from tests.conftest import dump
from tests.realclient.calc import Calc, type_
from tests.realclient.helpers import cell_of, fresh_db, kplan, merge, stored, template

S = SHEET_TEMPLATE
UNPROTECT: list[dict[str, Any]] = [{"op": "unprotect_book"}, {"op": "unprotect_sheet", "sheet": S}]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("trial")
    db = folder / "base.sqlite3"
    seeded.init(db)
    # Earlier years' values, so that the reference columns hold numbers (and a reason)
    # that Calc saves again in its own way.
    for code, year, value in (
        ("7-1-1-K3", "2023", "1300"),
        ("7-1-1-K2", "2022", "55"),
        ("7-1-1-K1", "2023", "未集計"),
    ):
        assert kplan(db, "enter", "--indicator", code, "--year", year, "--value", value) == 0
    return db, template(db, "community", folder / "community.xlsx")


def test_a_dash_in_a_value_cell_is_refused_and_never_clears_a_stored_value(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    first = tmp_path / "first.xlsx"
    calc.run(source, [type_(S, cell_of(source, "7-1-1-K1"), "4")], first)
    assert merge(db, capsys, "--accept-warnings", str(first))[0] == 0
    before = dump(db)
    dashes = {"7-1-1-K1": "-", "7-1-1-K2": "ー", "7-1-1-K3": "－", "7-1-2-K1": "―"}
    filled = tmp_path / "dashes.xlsx"
    calc.run(source, [type_(S, cell_of(source, c), text) for c, text in dashes.items()], filled)

    code, (report,) = merge(db, capsys, str(filled))

    assert code == 2
    assert dump(db) == before
    assert stored(db, capsys)["7-1-1-K1"][0] == "4"
    rows = {r["indicator"]: r for r in report["rows"]}
    for indicator in dashes:
        row = rows[indicator]
        assert row["outcome"] == "rejected", row
        assert "「-」は値として読めません" in row["reason_ja"]
        assert f"{S} シート {cell_of(source, indicator)}" in row["reason_ja"]


def test_a_value_typed_in_a_reference_name_or_unit_column_is_refused_on_its_row(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    k1, k2, k3 = (cell_of(source, f"7-1-1-K{n}")[1:] for n in (1, 2, 3))
    # The sheet unprotected: 1,400 typed over 令和5年度 (E), a number over the unit (C) and
    # the name (B), their value cells left empty; K1 typed properly.
    ops = [
        *UNPROTECT,
        type_(S, cell_of(source, "7-1-1-K1"), "4"),
        type_(S, f"E{k3}", "1,400"),
        type_(S, f"C{k2}", "60"),
        type_(S, f"B{k1}", "12"),
    ]
    filled = tmp_path / "reference.xlsx"
    calc.run(source, ops, filled)
    before = dump(db)

    code, (report,) = merge(db, capsys, str(filled))

    assert code == 2, report
    assert dump(db) == before
    rows = {r["indicator"]: r for r in report["rows"]}
    for indicator, where in (
        ("7-1-1-K3", f"E{k3}"),
        ("7-1-1-K2", f"C{k2}"),
        ("7-1-1-K1", f"B{k1}"),
    ):
        assert rows[indicator]["outcome"] == "rejected", rows[indicator]
        assert f"セル {where}" in rows[indicator]["reason_ja"]
    assert "1,400" in rows["7-1-1-K3"]["reason_ja"] or "1400" in rows["7-1-1-K3"]["reason_ja"]


@pytest.mark.parametrize("where", ["H2", "I3"])
def test_a_number_typed_in_the_header_area_refuses_the_file_naming_the_cell(
    calc: Calc,
    base: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    ops = [*UNPROTECT, type_(S, cell_of(source, "7-1-1-K1"), "4"), type_(S, where, "1400")]
    filled = tmp_path / "header.xlsx"
    calc.run(source, ops, filled)
    before = dump(db)

    code, (result,) = merge(db, capsys, str(filled))

    assert code == 2 and result["refused"], result
    assert f"セル {where}" in result["message_ja"]
    assert dump(db) == before


def test_an_untouched_reference_column_still_merges(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    filled = tmp_path / "plain.xlsx"
    calc.run(source, [*UNPROTECT, type_(S, cell_of(source, "7-1-1-K1"), "4")], filled)

    code, (report,) = merge(db, capsys, "--accept-warnings", str(filled))

    assert code == 0, report
    assert stored(db, capsys)["7-1-1-K1"][0] == "4"


def test_a_deleted_row_and_a_row_left_empty_are_said_and_the_rest_merges(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    k2_row = int(cell_of(source, "7-1-1-K2")[1:])
    k1 = cell_of(source, "7-1-1-K1")
    # 7-1-1-K2's row deleted; 7-1-1-K1 and 7-1-1-K3 typed; 7-1-2-K1 left empty.
    ops = [
        *UNPROTECT,
        type_(S, k1, "4"),
        type_(S, cell_of(source, "7-1-1-K3"), "1,400"),
        {"op": "delete_rows", "sheet": S, "row": k2_row},
    ]
    filled = tmp_path / "deleted.xlsx"
    calc.run(source, ops, filled)

    code, (report,) = merge(db, capsys, "--accept-warnings", str(filled))

    assert code == 0, report
    assert stored(db, capsys)["7-1-1-K3"][0] == "1400"
    notes = "\n".join(report["notes_ja"])
    assert "指標 7-1-1-K2 の行がありません" in notes
    assert "7-1-2-K1" in notes and "値も未記入の理由もない指標" in notes
    assert "7-1-1-K3" not in notes
    # The plain output says it too.
    other = fresh_db(base[0], tmp_path, "other")
    capsys.readouterr()
    assert kplan(other, "merge", "--accept-warnings", str(filled)) == 0
    out = capsys.readouterr().out
    assert "指標 7-1-1-K2 の行がありません" in out
    assert "the row of indicator 7-1-1-K2 is missing" in out


def test_an_earlier_year_and_a_comment_edited_on_the_printable_sheet_refuse_the_file(
    calc: Calc, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    code_ = "7-5-2-K1"
    db = tmp_path / "tax.sqlite3"
    seeded.init(db)
    assert kplan(db, "enter", "--indicator", code_, "--year", "2023", "--value", "95") == 0
    assert kplan(db, "enter", "--indicator", code_, "--year", "2024", "--value", "98.7") == 0
    submission = tmp_path / "提出.xlsx"
    args = ("export", "--department", "tax", "--year", "2024", "--draft", "-o", str(submission))
    assert kplan(db, *args) == 0
    ws = openpyxl.load_workbook(submission)["提出"]
    header = next(r for r in ws.iter_rows() if any(c.value == "指標コード" for c in r))
    earlier = next(c.column_letter for c in header if c.value == "令和5年度\n実績")
    comment = next(c.column_letter for c in header if c.value == "コメント")
    top = header[0].row
    assert top is not None
    row = next(r[0].row for r in ws.iter_rows(min_row=top + 1) if r[0].value == code_)
    planning = tmp_path / "planning.sqlite3"
    seeded.init(planning)
    before = dump(planning)
    edited = tmp_path / "edited.xlsx"
    ops = [
        {"op": "unprotect_sheet", "sheet": "提出"},
        type_("提出", f"{earlier}{row}", "96"),
        type_("提出", f"{comment}{row}", "速報値"),
    ]
    calc.run(submission, ops, edited)

    code, (report,) = merge(planning, capsys, str(edited))

    assert code == 2, report
    assert dump(planning) == before
    # The file's data is as exported (verified), so a visible difference refuses it whole
    # (issue 14's check of the 提出 sheet against the signed data), naming every cell changed:
    # the earlier year's value and the comment, each with what it shows and what the data
    # holds (one comparison, the same one that says them on their rows in an edited file).
    assert report["refused"] is True and report["code"] == "E_MERGE_VISIBLE", report
    assert f"提出 シート {earlier}{row}: 96（データ 95）" in report["message_ja"]
    assert f"提出 シート {comment}{row}: 速報値（データ 空）" in report["message_ja"]
    assert f"sheet 提出, cell {earlier}{row}: 96 (data 95)" in report["message_en"]


def test_an_edited_data_sheet_marks_only_the_rows_that_differ_from_the_printable_sheet(
    calc: Calc, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    from kplan_desktop.exchange.submission_xlsx import SHEET_DATA

    percent = "7-5-2-K1"
    db = tmp_path / "tax.sqlite3"
    seeded.init(db)
    assert kplan(db, "enter", "--indicator", percent, "--year", "2024", "--value", "98.7") == 0
    assert kplan(db, "enter", "--indicator", percent, "--year", "2023", "--value", "95") == 0
    submission = tmp_path / "提出.xlsx"
    args = ("export", "--department", "tax", "--year", "2024", "--draft", "-o", str(submission))
    assert kplan(db, *args) == 0
    ws = openpyxl.load_workbook(submission)[SHEET_DATA]
    header = [c.value for c in ws[1]]
    cell = next(
        r[header.index("value")].coordinate
        for r in ws.iter_rows(min_row=2)
        if r[0].value == percent and r[1].value == "2024"
    )
    planning = tmp_path / "planning.sqlite3"
    seeded.init(planning)
    edited = tmp_path / "edited.xlsx"
    calc.run(
        submission,
        [{"op": "show_sheet", "sheet": SHEET_DATA}, type_(SHEET_DATA, cell, "97")],
        edited,
    )

    code, (report,) = merge(planning, capsys, str(edited))

    assert code == 0, report
    assert report["kind"] == "edited"
    reasons = {(r["indicator"], r["fiscal_year"]): r["reason_ja"] for r in report["rows"]}
    assert "プログラムの外で編集された行" in reasons[(percent, 2024)]
    others = [why for key, why in reasons.items() if key != (percent, 2024)]
    assert others and not any("プログラムの外で編集された行" in why for why in others)
    assert any(f"{percent} 2024" in note for note in report["notes_ja"])
