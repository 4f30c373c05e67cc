"""The plan generation a submission names, through LibreOffice Calc (issue 17, step 3).

A clerk opens the exported submission in Calc, types a value and saves it as .xlsx: the hidden
meta sheet's generation cell survives the re-save and the file merges into its generation. A
clerk who unhides the meta sheet, unprotects it and types another generation there gets the
file refused, naming the cell; the planning database stays as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kplan_desktop.exchange.submission_layout import GENERATION_KEY, META_KEYS, SHEET_META
from kplan_desktop.exchange.submission_xlsx import SHEET_DATA
from tests import seeded
from tests.conftest import dump
from tests.realclient.calc import Calc, read, type_
from tests.realclient.helpers import YEAR, kplan, merge, stored

COUNT = "7-1-1-K2"  # community's 地域活動の参加者数-like count indicator
GENERATION_CELL = f"B{2 + META_KEYS.index(GENERATION_KEY)}"


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    db = tmp_path / "community.sqlite3"
    seeded.init(db)
    assert kplan(db, "enter", "--indicator", COUNT, "--year", YEAR, "--value", "55") == 0
    out = tmp_path / "提出_市民協働担当課.xlsx"
    args = ("export", "--department", "community", "--year", YEAR, "--draft", "-o", str(out))
    assert kplan(db, *args) == 0
    return out


@pytest.fixture
def planning(tmp_path: Path) -> Path:
    db = tmp_path / "planning.sqlite3"
    seeded.init(db)
    return db


def data_value_cell(path: Path, code: str, year: str = YEAR) -> str:
    ws = openpyxl.load_workbook(path)[SHEET_DATA]
    column = [c.value for c in ws[1]].index("value")
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code and row[1].value == year:
            return row[column].coordinate
    raise AssertionError(code)


def test_the_generation_survives_a_clerks_edit_in_calc_and_routes_the_merge(
    calc: Calc,
    submission: Path,
    planning: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cell = data_value_cell(submission, COUNT)
    edited = tmp_path / "edited.xlsx"
    ops: list[dict[str, Any]] = [
        {"op": "show_sheet", "sheet": SHEET_DATA},
        type_(SHEET_DATA, cell, "60"),
        read(SHEET_META, GENERATION_CELL),
    ]
    (seen,) = calc.run(submission, ops, edited)
    assert (seen["type"], seen["string"]) == ("TEXT", "1")
    meta = openpyxl.load_workbook(edited)[SHEET_META]
    assert (meta["A" + GENERATION_CELL[1:]].value, meta[GENERATION_CELL].value) == (
        GENERATION_KEY,
        "1",
    )

    code, (report,) = merge(planning, capsys, str(edited))

    assert code == 0, report
    assert (report["generation"], report["kind"]) == (1, "edited")
    assert stored(planning, capsys)[COUNT][0] == "60"


@pytest.mark.parametrize(
    ("typed", "error"), [("2", "E_GENERATION_UNKNOWN"), ("第2期", "E_GENERATION_CELL")]
)
def test_a_clerk_who_types_another_generation_into_the_meta_sheet_is_refused(
    calc: Calc,
    submission: Path,
    planning: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    typed: str,
    error: str,
) -> None:
    edited = tmp_path / "meta-edited.xlsx"
    ops: list[dict[str, Any]] = [
        {"op": "show_sheet", "sheet": SHEET_META},
        {"op": "unprotect_sheet", "sheet": SHEET_META},
        type_(SHEET_META, GENERATION_CELL, typed),
        read(SHEET_META, GENERATION_CELL),
    ]
    (seen,) = calc.run(submission, ops, edited)
    assert seen["string"] == typed
    before = dump(planning)

    code, (report,) = merge(planning, capsys, str(edited))

    assert code == 2
    assert report["refused"] is True and report["code"] == error, report
    assert f"meta シート {GENERATION_CELL}" in report["message_ja"]
    assert f"cell {GENERATION_CELL}" in report["message_en"]
    assert dump(planning) == before


def test_a_formula_typed_into_the_catalogs_generation_cell_is_refused(
    calc: Calc, planning: Path, tmp_path: Path
) -> None:
    """Calc saves a formula with its result (=1 shows 1); the catalog is read by its values,
    yet the formula is named and refused, never taken for the number it shows."""
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.exchange.catalog_files import read_catalog_file

    exported = tmp_path / "catalog.xlsx"
    assert kplan(planning, "catalog", "export", "-o", str(exported)) == 0
    plan = openpyxl.load_workbook(exported)["計画"]
    (row,) = [r[0].row for r in plan.iter_rows(min_row=3) if r[0].value == GENERATION_KEY]
    edited = tmp_path / "catalog-formula.xlsx"
    (seen,) = calc.run(exported, [type_("計画", f"C{row}", "=1"), read("計画", f"C{row}")], edited)
    assert (seen["type"], seen["string"]) == ("FORMULA", "1")
    before = dump(planning)
    with pytest.raises(DomainError) as refused:
        read_catalog_file(edited)
    assert refused.value.code == "E_GENERATION_CELL"
    assert f"シート「計画」{row}行目" in refused.value.message_ja
    assert kplan(planning, "catalog", "import", str(edited)) != 0
    assert dump(planning) == before


NEXT_PLAN = (
    "--name",
    "次期基本計画",
    "--start",
    "2027",
    "--end",
    "2031",
    "--baseline-year",
    "2026",
)


def test_a_next_plan_submission_edited_in_calc_merges_into_generation_2(
    calc: Calc, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The overlap year: the department's R9 file of the next plan, a value typed in Calc,
    merges into generation 2 of a planning database holding both plans — not into the old plan,
    where the same code means the old indicator."""
    from kplan_desktop.store.actuals import read_actuals
    from kplan_desktop.store.engine import Store

    department, planning = tmp_path / "community.sqlite3", tmp_path / "planning.sqlite3"
    for db in (department, planning):
        assert kplan(db, "init") == 0
        assert kplan(db, "generation", "new", *NEXT_PLAN) == 0
        assert kplan(db, "generation", "activate", "2") == 0
    assert kplan(department, "enter", "--indicator", COUNT, "--year", "2027", "--value", "50") == 0
    exported = tmp_path / "r9.xlsx"
    assert kplan(department, "export", "--department", "community", "--year", "2027",
                 "--draft", "-o", str(exported)) == 0  # fmt: skip
    edited = tmp_path / "r9-edited.xlsx"
    ops: list[dict[str, Any]] = [
        {"op": "show_sheet", "sheet": SHEET_DATA},
        type_(SHEET_DATA, data_value_cell(exported, COUNT, "2027"), "52"),
        read(SHEET_META, GENERATION_CELL),
    ]
    (seen,) = calc.run(exported, ops, edited)
    assert seen["string"] == "2"

    code, (report,) = merge(planning, capsys, str(edited))

    assert code == 0, report
    assert (report["generation"], report["kind"]) == (2, "edited")
    store = Store.open(str(planning))
    try:
        with store.snapshot() as conn:
            new = {(a.indicator_code, a.fiscal_year): a.text for a in read_actuals(conn, 2)}
            old = {(a.indicator_code, a.fiscal_year): a.text for a in read_actuals(conn, 1)}
    finally:
        store.dispose()
    assert new == {(COUNT, 2027): "52"}
    assert old == {}


def test_the_next_plans_catalog_resaved_in_calc_makes_the_plan_and_a_typed_link_is_refused(
    calc: Calc, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """S8 trial finding 4 through the real client: the planning division's catalog of generation
    2, opened and saved again in Calc, still makes that plan on a department's database (its
    引継ぎ sheet and 計画 rows survive the re-save); a link kind typed over in Calc makes the file
    refused whole, the department's database exactly as it was."""
    planning, department = tmp_path / "planning.sqlite3", tmp_path / "community.sqlite3"
    for db in (planning, department):
        assert kplan(db, "init") == 0
    assert kplan(planning, "generation", "new", *NEXT_PLAN) == 0
    assert kplan(planning, "generation", "decide", "7-1-1-K3", "continue") == 0
    assert kplan(planning, "generation", "activate", "2") == 0
    exported = tmp_path / "第2期カタログ.xlsx"
    assert kplan(planning, "catalog", "export", "-o", str(exported), "--generation", "2") == 0
    links = openpyxl.load_workbook(exported)["引継ぎ"]
    (row,) = [r[0].row for r in links.iter_rows(min_row=3) if r[0].value == "7-1-1-K3"]
    typed = tmp_path / "typed.xlsx"
    (seen,) = calc.run(exported, [type_("引継ぎ", f"C{row}", "replace"), read("引継ぎ", "A1")],
                       typed)  # fmt: skip
    assert seen["string"] == "code"
    before = dump(department)
    capsys.readouterr()
    assert kplan(department, "catalog", "import", str(typed)) == 2
    assert "書き出しの後で変更" in capsys.readouterr().err
    assert dump(department) == before
    resaved = tmp_path / "resaved.xlsx"
    calc.run(exported, [read("引継ぎ", f"C{row}")], resaved)
    assert kplan(department, "catalog", "import", str(resaved)) == 0
    capsys.readouterr()
    assert kplan(department, "generation", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(g["number"], g["status"]) for g in listed] == [(1, "active"), (2, "active")]
    # Every indicator continued (generation new's default), 7-1-1-K3 among them, as planned.
    assert kplan(planning, "generation", "list", "--json") == 0
    planned = json.loads(capsys.readouterr().out)
    assert listed[1]["links"] == planned[1]["links"]
    assert ("7-1-1-K3", "7-1-1-K3", "continue") in [
        (k["code"], k["prior_code"], k["kind"]) for k in listed[1]["links"]
    ]
