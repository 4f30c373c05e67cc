"""What the third trial of issue 13 found in a signed submission whose hidden data sheet a clerk
edited in Calc (finding 3): the refusal names the data cells that differ from the printable
提出 sheet; accepted, a deleted data row is said as deleted (not as a 提出 change), and where
the 提出 sheet was changed the same way it says that which row was edited cannot be told."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kplan_desktop.exchange.submission_layout import (
    REPORT_HEADER_ROW,
    SHEET_DATA,
    SHEET_REPORT,
    report_value_label,
)
from tests import seeded
from tests.realclient.calc import Calc, set_string
from tests.realclient.helpers import YEAR, kplan, merge

CODE = "7-1-1-K2"  # community, 回
OTHERS = ("7-1-1-A1", "7-1-1-K1", "7-1-1-K3", "7-1-2-A1", "7-1-2-K1")


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """community enters its values, finalises and exports a signed submission; the planning
    division's database has community's key registered."""
    folder = tmp_path_factory.mktemp("signed")
    community, planning = folder / "community.sqlite3", folder / "planning.sqlite3"
    for db in (community, planning):
        seeded.init(db)
    assert kplan(community, "enter", "--indicator", CODE, "--year", YEAR, "--value", "72") == 0
    for other in OTHERS:
        assert (
            kplan(community, "enter", "--indicator", other, "--year", YEAR, "--value", "未集計")
            == 0
        )
    assert kplan(community, "finalise", "--department", "community", "--year", YEAR) == 0
    submission = folder / "提出.xlsx"
    args = ("export", "--department", "community", "--year", YEAR, "-o", str(submission))
    assert kplan(community, *args) == 0
    key = folder / "community.kplan-key"
    assert kplan(community, "key", "export", "--department", "community", "-o", str(key)) == 0
    assert kplan(planning, "key", "import", str(key)) == 0
    book = openpyxl.load_workbook(submission)
    data = book[SHEET_DATA]
    header = [c.value for c in data[1]]
    data_row = next(
        r for r in data.iter_rows(min_row=2) if r[0].value == CODE and str(r[1].value) == YEAR
    )
    report = book[SHEET_REPORT]
    labels = ["".join(str(c.value or "").split()) for c in report[REPORT_HEADER_ROW]]
    column = labels.index("".join(report_value_label(int(YEAR)).split()))
    shown = next(
        r[column].coordinate
        for r in report.iter_rows(min_row=REPORT_HEADER_ROW + 1)
        if any(c.value == CODE for c in r)
    )
    return {
        "planning": planning,
        "submission": submission,
        "data_cell": data_row[header.index("value")].coordinate,
        "data_row": data_row[0].row,
        "report_cell": shown,
    }


def _copy(db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "planning.sqlite3"
    target.write_bytes(db.read_bytes())
    return target


def _show_data() -> dict[str, Any]:
    return {"op": "show_sheet", "sheet": SHEET_DATA}


def test_an_edited_data_cell_is_named_in_the_refusal_and_on_its_row(
    calc: Calc, signed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _copy(signed["planning"], tmp_path)
    edited = tmp_path / "u5.xlsx"
    data_cell, report_cell = signed["data_cell"], signed["report_cell"]
    calc.run(signed["submission"], [_show_data(), set_string(SHEET_DATA, data_cell, "80")], edited)

    code, (refused,) = merge(db, capsys, "--dry-run", str(edited))

    assert code == 2 and refused["code"] == "E_MERGE_SIGNATURE"
    assert (
        f"data シート {data_cell}（{CODE} {YEAR}）: 80、提出 シート {report_cell}: 72"
        in (refused["message_ja"])
    )
    assert (
        f"the data sheet (1 cell: sheet data, cell {data_cell} ({CODE} {YEAR}): 80"
        in (refused["message_en"])
    )  # (finding 6: "1 cell", not "1 cells")

    code, (report,) = merge(db, capsys, "--dry-run", "--accept-unsigned", str(edited))

    (line,) = [r for r in report["rows"] if r["indicator"] == CODE]
    assert f"data シート {data_cell} は 80" in line["reason_ja"], line
    assert f"提出 シート {report_cell} は 72" in line["reason_ja"], line


def test_a_deleted_data_row_is_said_deleted_not_a_change_of_the_printable_sheet(
    calc: Calc, signed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _copy(signed["planning"], tmp_path)
    edited = tmp_path / "u6.xlsx"
    deleting = {"op": "delete_rows", "sheet": SHEET_DATA, "row": signed["data_row"]}
    calc.run(signed["submission"], [_show_data(), deleting], edited)

    code, (refused,) = merge(db, capsys, "--dry-run", str(edited))

    assert code == 2
    assert f"data シートに {CODE} {YEAR} の行がありません" in refused["message_ja"]

    code, (report,) = merge(db, capsys, "--dry-run", "--accept-unsigned", str(edited))

    notes = "\n".join(report["notes_ja"])
    assert f"データシートから行が削除されています（1件）: {CODE} {YEAR}" in notes
    assert "シートが変更されています" not in notes
    assert "違う行（0件）" not in notes


def test_data_and_printable_sheet_edited_alike_say_the_row_cannot_be_told(
    calc: Calc, signed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _copy(signed["planning"], tmp_path)
    edited = tmp_path / "u7.xlsx"
    ops = [
        _show_data(),
        set_string(SHEET_DATA, signed["data_cell"], "80"),
        {"op": "unprotect_sheet", "sheet": SHEET_REPORT},
        set_string(SHEET_REPORT, signed["report_cell"], "80"),
    ]
    calc.run(signed["submission"], ops, edited)

    code, (refused,) = merge(db, capsys, "--dry-run", str(edited))

    assert code == 2 and "どのセルかは特定できません" in refused["message_ja"]

    code, (report,) = merge(db, capsys, "--dry-run", "--accept-unsigned", str(edited))

    assert any("どの行が書き換えられたかは分かりません" in n for n in report["notes_ja"])
    reasons = [r["reason_ja"] for r in report["rows"]]
    assert reasons and not any("プログラムの外で編集された行" in why for why in reasons)
    assert all("可能性のある行" in why for why in reasons if why)
