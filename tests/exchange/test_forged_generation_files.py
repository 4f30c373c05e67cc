"""Forged submissions against two plan generations (issue 17, the overlap year): files edited or
written by hand with openpyxl, never by the program's writer. Each is refused whole with a
message in both languages and the planning database is compared whole before and after, or
its rows go into the generation they belong to — never silently into the other one.

The planning database (this test's backend) holds the seed plan (R4–R8) and the next plan
(R9–R13), where 7-1-1-K1 is replaced by 7-1-1-K9, 7-1-2-K1 ended and 7-1-1-K3 is another
department's indicator in another unit (the same code, another indicator). The department
(community) keeps its own SQLite file, as on its PC, and exports drafts of R8 and R9.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests import seeded
from tests.conftest import Database, dump

from kplan_desktop.cli import main
from kplan_desktop.domain.generation import GenerationStatus
from kplan_desktop.exchange.submission_layout import DATA_KEYS, SHEET_DATA, SHEET_META
from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.generations import set_generation_status
from kplan_desktop.store.requests import EntrySource

NEXT_PLAN = ("--name", "次期基本計画", "--start", "R9", "--end", "R13", "--baseline-year", "R8")
R8, R9 = 2026, 2027


def run(db: Database | Path, *args: str) -> int:
    return int(main(["--db", str(db), *args]))


def merge(
    db: Database, capsys: pytest.CaptureFixture[str], *files: Path, accept: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    capsys.readouterr()
    flags = ["--accept-valid"] if accept else []
    code = run(db, "merge", "--json", *flags, *(str(f) for f in files))
    return code, json.loads(capsys.readouterr().out)


def set_meta(path: Path, **cells: object) -> None:
    """What a forger does to the hidden meta sheet: type over its cells."""
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_META]
    for row in range(2, ws.max_row + 1):
        key = ws.cell(row=row, column=1).value
        if key in cells:
            ws.cell(row=row, column=2).value = cells.pop(str(key))  # type: ignore[assignment]
    assert not cells, cells
    book.save(path)


def data_rows(path: Path) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_DATA]
    header = [str(c.value) for c in ws[1]]
    rows: list[dict[str, object]] = [
        dict(zip(header, (c.value for c in r), strict=False))
        for r in ws.iter_rows(min_row=2)
        if any(c.value is not None for c in r)
    ]
    book.close()
    return rows


def retime_rows(path: Path, year_from: int, year_to: int) -> None:
    """Every data row of `year_from` moved to `year_to`, every other row deleted."""
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_DATA]
    column = [c.value for c in ws[1]].index("fiscal_year") + 1
    for row in range(ws.max_row, 1, -1):
        if ws.cell(row=row, column=column).value in (year_from, str(year_from)):
            ws.cell(row=row, column=column).value = year_to
        else:
            ws.delete_rows(row)
    book.save(path)


def forge(path: Path, like: Path, generation: int, rows: list[dict[str, object]]) -> Path:
    """A submission written by hand: the meta sheet of a genuine file (`like`) for its
    department, database and catalog, naming `generation`, and the data rows given — no
    printable sheet, a checksum that cannot match."""
    source = openpyxl.load_workbook(like)
    meta = [(c[0].value, c[1].value) for c in source[SHEET_META].iter_rows(min_row=1, max_col=2)]
    source.close()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_DATA
    sheet.append(list(DATA_KEYS))
    for row in rows:
        sheet.append([row.get(key) for key in DATA_KEYS])
    ws = book.create_sheet(SHEET_META)
    changed = {"generation": str(generation), "row_count": str(len(rows)),
               "payload_sha256": "0" * 64, "signature": ""}  # fmt: skip
    for key, value in meta:
        ws.append([key, changed.get(str(key), value)])
    book.save(path)
    return path


def edit_next_catalog(planning: Database, folder: Path) -> Path:
    """The next plan's 7-1-1-K3: equality's satisfaction rate (%), no longer community's count of
    people; its catalog exported for the departments."""
    path = folder / "next-plan.json"
    assert run(planning, "catalog", "export", "-o", str(path)) == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("version", None)
    for goal in data["goals"]:
        for policy in goal["policies"]:
            for measure in policy["measures"]:
                for indicator in measure["indicators"]:
                    if indicator["code"] == "7-1-1-K3":
                        indicator.update(name="協働事業の満足度", unit="%", department="equality")
                        indicator["baseline"] = {"fiscal_year": R8, "value": "50"}
                        indicator["target"] = {"fiscal_year": 2031, "value": "80"}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run(planning, "catalog", "import", str(path)) == 0
    issued = folder / "catalog-R9-R13.json"
    assert run(planning, "catalog", "export", "-o", str(issued)) == 0
    return issued


def community_files(folder: Path, next_catalog: Path | None) -> tuple[Path, Path]:
    """community's PC: R8 of the old plan and R9 of the next plan (the planning division's
    catalog of it when given, else a draft made here from the old plan), both drafts."""
    db = folder / "community.sqlite3"
    seeded.init(db)
    for code, value in (("7-1-1-K2", "60"), ("7-1-1-K3", "1,500人")):
        assert run(db, "enter", "--indicator", code, "--year", "R8", "--value", value,
                   "--comment", "R8の実績") == 0  # fmt: skip
    r8 = folder / "community-R8.xlsx"
    assert run(db, "export", "--department", "community", "--year", "R8", "--draft",
               "-o", str(r8)) == 0  # fmt: skip
    assert run(db, "generation", "new", *NEXT_PLAN) == 0
    if next_catalog is not None:
        assert run(db, "catalog", "import", str(next_catalog)) == 0
    assert run(db, "generation", "activate", "2") == 0
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "R9", "--value", "61",
               "--comment", "R9の実績") == 0  # fmt: skip
    r9 = folder / "community-R9.xlsx"
    assert run(db, "export", "--department", "community", "--year", "R9", "--draft",
               "-o", str(r9)) == 0  # fmt: skip
    return r8, r9


@pytest.fixture
def overlap(db: Database, tmp_path: Path) -> tuple[Database, Path, Path]:
    """The planning database in FY2027 with both plans in force, and community's R8 and R9."""
    assert run(db, "generation", "new", *NEXT_PLAN) == 0
    assert run(db, "generation", "decide", "7-1-1-K1", "replace", "--as", "7-1-1-K9") == 0
    assert run(db, "generation", "decide", "7-1-2-K1", "end") == 0
    assert run(db, "generation", "activate", "2") == 0
    issued = edit_next_catalog(db, tmp_path)
    r8, r9 = community_files(tmp_path, issued)
    return db, r8, r9


def _values(db: Database) -> dict[int, dict[tuple[str, int], str | None]]:
    store = Store.open(str(db))
    try:
        with store.snapshot() as conn:
            return {
                g: {(a.indicator_code, a.fiscal_year): a.text for a in read_actuals(conn, g)}
                for g in (1, 2)
            }
    finally:
        store.dispose()


def test_files_relabelled_to_another_plan_or_year_are_refused_whole(
    overlap: tuple[Database, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning, r8, _ = overlap
    forged: dict[str, tuple[Path, str]] = {}

    def copy(name: str, code: str) -> Path:
        path = tmp_path / f"{name}.xlsx"
        shutil.copyfile(r8, path)
        forged[name] = (path, code)
        return path

    # R8 of the old plan relabelled R9 (the year cell only): outside the old plan.
    set_meta(copy("r8-as-r9", "E_MERGE_YEAR"), fiscal_year=str(R9))
    # R8 relabelled R9 of the next plan: the year and generation cells and every row's year.
    # 7-1-1-K2 is community's in both plans, in the same unit: only the catalog the file was
    # made with (its hash, the old plan's) tells the forgery.
    relabelled = copy("r8-as-next-plan", "E_GENERATION_MISMATCH")
    set_meta(relabelled, fiscal_year=str(R9), generation="2")
    retime_rows(relabelled, R8, R9)
    # A generation this database does not hold.
    set_meta(copy("r8-of-generation-9", "E_GENERATION_UNKNOWN"), generation="9")
    before = dump(planning)
    code, reports = merge(planning, capsys, *(p for p, _ in forged.values()), accept=True)
    assert code == 2
    for (name, (_, wanted)), report in zip(forged.items(), reports, strict=True):
        assert report["refused"] and report["code"] == wanted, (name, report)
        assert report["message_ja"] and report["message_en"], name
        assert f"{name}.xlsx" in report["message_ja"], (name, report["message_ja"])
    mismatch = reports[1]
    assert "第1期" in mismatch["message_ja"] and "generation 1" in mismatch["message_en"]
    assert dump(planning) == before


def test_rows_of_the_other_plan_never_land_in_this_one(
    overlap: tuple[Database, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning, r8, r9 = overlap
    # Written by hand: an R9 file of the next plan holding the old plan's codes — 7-1-1-K3
    # (equality's satisfaction rate there), 7-1-1-K1 (replaced) and 7-1-2-K1 (ended).
    typed = {k: data_rows(r9)[0][k] for k in ("entered_by", "entered_at")}
    old_codes = forge(tmp_path / "old-codes.xlsx", r9, 2, [
        {"indicator": "7-1-1-K3", "fiscal_year": R9, "value": "1500", "unit": "人", **typed},
        {"indicator": "7-1-1-K1", "fiscal_year": R9, "value": "4", "unit": "回", **typed},
        {"indicator": "7-1-2-K1", "fiscal_year": R9, "value": "20", **typed},
    ])  # fmt: skip
    before = dump(planning)
    _, (report,) = merge(planning, capsys, old_codes, accept=True)
    assert not report["written"] and report["counts"]["rejected"] == 3, report
    reasons = {line["indicator"]: line["reason_ja"] for line in report["rows"]}
    assert "equality" in reasons["7-1-1-K3"], reasons
    assert "カタログにありません" in reasons["7-1-1-K1"], reasons
    assert "カタログにありません" in reasons["7-1-2-K1"], reasons
    # Nothing of it was recorded: community is not "merged" for R9 by a file none of whose
    # rows went in.
    assert dump(planning) == before

    # Both plans' rows mixed in one file: the R9 rows go into the next plan, the R8 row is
    # refused on its line and goes nowhere (never into the next plan, nor the old one).
    mixed = tmp_path / "mixed.xlsx"
    shutil.copyfile(r9, mixed)
    old_row = next(r for r in data_rows(r8) if r["indicator"] == "7-1-1-K2")
    assert old_row["fiscal_year"] in (R8, str(R8))
    rows = [*data_rows(r9), old_row]
    forge(mixed, r9, 2, rows)
    _, (report,) = merge(planning, capsys, mixed, accept=True)
    assert report["written"] and report["counts"]["rejected"] == 1, report
    values = _values(planning)
    assert values[2] == {("7-1-1-K2", R9): "61"}
    assert values[1] == {}


def test_a_file_of_the_draft_next_plan_waits_until_the_plan_is_in_force(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = db
    assert run(planning, "generation", "new", *NEXT_PLAN) == 0  # a draft, not in force
    _, r9 = community_files(tmp_path, None)
    before = dump(planning)
    code, (report,) = merge(planning, capsys, r9, accept=True)
    assert code == 2 and report["refused"], report
    assert report["code"] == "E_GENERATION_NOT_ACTIVE", report
    assert "準備中" in report["message_ja"] and "draft" in report["message_en"]
    assert "kplan generation activate 2" in report["message_ja"]
    assert dump(planning) == before
    # Once in force, the same file goes into the next plan.
    assert run(planning, "generation", "activate", "2") == 0
    code, (report,) = merge(planning, capsys, r9)
    assert code == 0 and report["written"] and report["generation"] == 2, report
    assert _values(planning)[2] == {("7-1-1-K2", R9): "61"}


def test_a_file_of_a_closed_plan_is_refused_whole(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = db
    r8, _ = community_files(tmp_path, None)
    store = Store.open(str(planning))
    try:
        with store.transaction() as conn:
            set_generation_status(conn, 1, GenerationStatus.CLOSED, who="企画",
                                  source=EntrySource.TEST)  # fmt: skip
    finally:
        store.dispose()
    before = dump(planning)
    code, (report,) = merge(planning, capsys, r8, accept=True)
    assert code == 2 and report["refused"], report
    assert report["code"] == "E_GENERATION_CLOSED", report
    assert "community-R8.xlsx" in report["message_ja"] and "終了" in report["message_ja"]
    assert "closed" in report["message_en"]
    assert dump(planning) == before


def test_a_catalog_whose_period_reaches_into_the_other_plan_is_refused(
    overlap: tuple[Database, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A year belongs to one plan: the old plan's catalog edited by hand to run to R10 (into the
    next plan's years), or the next plan's to start in R8, changes nothing."""
    planning, _, _ = overlap
    before = dump(planning)
    for generation, field, year in (("1", "end_year", 2028), ("2", "start_year", R8)):
        path = tmp_path / f"catalog-{generation}.json"
        assert run(planning, "catalog", "export", "--generation", generation, "-o", str(path)) == 0
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("version", None)
        data["plan"][field] = year
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        capsys.readouterr()
        assert run(planning, "catalog", "import", str(path)) == 2, generation
        said = capsys.readouterr().err
        assert "E_GENERATION_PERIOD" in said or "重なって" in said, said
        assert "重なって" in said and "overlaps" in said, said
    assert dump(planning) == before
