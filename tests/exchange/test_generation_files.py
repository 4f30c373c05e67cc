"""Every exchanged file names its plan generation (issue 17, step 3, the file side).

Files made by the previous release (tests/fixtures/previous-release, made with main's code
before this change) name none and read as generation 1; the program's own files name theirs on
the hidden meta sheet (covered by the checksum and the signature), on the catalog's 計画 sheet
and in its JSON, and on the consolidated workbook's cover. A file naming a generation the
database does not hold, or whose generation cell is not a plain positive whole number, is
refused whole with its cell named, and the database stays exactly as it was — tested through
`kplan merge`, `kplan catalog import` and the exchange's own functions, on real files.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests import seeded
from tests.conftest import Database, dump

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.exchange.catalog_files import preview_import, read_catalog_file
from kplan_desktop.exchange.merge import merge_context, plan_merge
from kplan_desktop.exchange.submission_layout import GENERATION_KEY, META_KEYS, TEMPLATE_META_KEYS
from kplan_desktop.exchange.workbook_reader import WorkbookRejected, read_exchange_workbook
from kplan_desktop.store.engine import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "previous-release"
YEAR = "2024"
COMMUNITY = {
    "7-1-1-A1": "未集計",
    "7-1-1-K1": "3",
    "7-1-1-K2": "55",
    "7-1-1-K3": "1,500人",
    "7-1-2-A1": "該当なし",
    "7-1-2-K1": "20",
}
SUBMISSION_META_ROW = 2 + META_KEYS.index(GENERATION_KEY)
TEMPLATE_META_ROW = 2 + TEMPLATE_META_KEYS.index(GENERATION_KEY)


def run(db: Database, *args: str) -> int:
    return main(["--db", str(db), *args])


def merge_json(
    db: Database, capsys: pytest.CaptureFixture[str], *files: Path
) -> tuple[int, list[dict[str, Any]]]:
    capsys.readouterr()
    code = run(db, "merge", "--json", *(str(f) for f in files))
    return code, json.loads(capsys.readouterr().out)


def old(name: str, tmp_path: Path) -> Path:
    """A copy of a previous release's file (the fixture itself is never written)."""
    copy = tmp_path / name
    shutil.copyfile(FIXTURES / name, copy)
    return copy


def meta_rows(path: Path) -> dict[str, tuple[int, object]]:
    book = openpyxl.load_workbook(path)
    ws = book["meta"]
    found: dict[str, tuple[int, object]] = {
        str(ws.cell(row=r, column=1).value): (r, ws.cell(row=r, column=2).value)
        for r in range(2, ws.max_row + 1)
    }
    book.close()
    return found


def set_meta(path: Path, key: str, value: object) -> None:
    """What a clerk (or a script) does to the hidden meta sheet: change one cell."""
    book = openpyxl.load_workbook(path)
    ws = book["meta"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == key:
            ws.cell(row=r, column=2).value = value  # type: ignore[assignment]
            break
    else:
        raise AssertionError(f"no {key} row")
    book.save(path)


@pytest.fixture
def community(new_db: Callable[[str], Database]) -> Database:
    """A department's database with this year's values entered and finalised."""
    db = new_db("community")
    seeded.init(db)
    for code, text in COMMUNITY.items():
        assert run(db, "enter", "--indicator", code, "--year", YEAR, "--value", text,
                   "--comment", f"{code}の説明") == 0  # fmt: skip
    assert run(db, "finalise", "--department", "community", "--year", YEAR) == 0
    return db


@pytest.fixture
def planning(new_db: Callable[[str], Database]) -> Database:
    db = new_db("planning")
    seeded.init(db)
    return db


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


def next_generation(db: Database) -> None:
    """The next plan (R9–R13) made from the seed plan and put in force: generation 2."""
    assert run(db, "generation", "new", *NEXT_PLAN) == 0
    assert run(db, "generation", "activate", "2") == 0


def generation_2_template(db: Database, out: Path) -> Path:
    """A template for R9 of the next plan, made by a database that holds it."""
    next_generation(db)
    assert run(db, "template", "--department", "equality", "--year", "2027",
               "--generation", "2", "-o", str(out)) == 0  # fmt: skip
    return out


def export(db: Database, out: Path) -> Path:
    assert run(db, "export", "--department", "community", "--year", YEAR, "-o", str(out)) == 0
    return out


# -- the previous release's files ------------------------------------------------------------


def test_a_previous_release_submission_reads_as_generation_1_and_its_signature_still_holds(
    planning: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = old("submission-community-r6.xlsx", tmp_path)
    assert GENERATION_KEY not in meta_rows(file)
    read = read_exchange_workbook(file)
    assert (read.generation, read.generation_cell, read.integrity) == (1, "", "verified")
    assert read.header is not None and read.header.generation is None
    # Its department's key registered: the old signature (no generation line) verifies.
    assert run(planning, "key", "import", str(FIXTURES / "community.pub")) == 0
    code, (report,) = merge_json(planning, capsys, file)
    assert code == 0, report
    assert report["generation"] == 1 and report["kind"] == "submission"
    assert report["counts"]["new"] == 6 and report["written"]
    assert any(note.startswith("署名を確認しました") for note in report["notes_ja"]), report


def test_a_previous_release_template_reads_and_merges_as_generation_1(
    planning: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = old("template-equality-r6.xlsx", tmp_path)
    book = openpyxl.load_workbook(file)
    ws = book["記入"]
    header = [str(c.value or "") for c in ws[4]]
    value_col = next(n for n, h in enumerate(header, 1) if h.startswith("実績値"))
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=1).value == "7-2-1-K1")
    ws.cell(row=row, column=value_col).value = "2"
    book.save(file)
    read = read_exchange_workbook(file)
    assert (read.kind, read.generation, read.generation_cell) == ("template", 1, "")
    code, (report,) = merge_json(planning, capsys, file)
    assert code == 0, report
    assert report["generation"] == 1 and report["counts"]["new"] == 1


@pytest.mark.parametrize("name", ["catalog.xlsx", "catalog.json"])
def test_a_previous_release_catalog_file_is_of_generation_1(
    planning: Database, name: str, tmp_path: Path
) -> None:
    file = old(name, tmp_path)
    assert read_catalog_file(file).generation == 1
    assert run(planning, "catalog", "import", str(file)) == 0


# -- the program's files name their generation -----------------------------------------------


def test_a_submission_names_its_generation_on_the_meta_sheet_and_for_people(
    community: Database, tmp_path: Path
) -> None:
    file = export(community, tmp_path / "c.xlsx")
    assert meta_rows(file)[GENERATION_KEY] == (SUBMISSION_META_ROW, "1")
    book = openpyxl.load_workbook(file)
    meta = book["meta"]
    assert "第1期 かすみがうら市総合計画 後期基本計画（令和4年度〜令和8年度）。" in str(
        meta.cell(row=SUBMISSION_META_ROW, column=3).value
    )
    shown = [c.value for c in book["提出"][2]]
    at = shown.index("計画期")
    assert shown[at + 1] == "第1期 かすみがうら市総合計画 後期基本計画（令和4年度〜令和8年度）"
    book.close()
    read = read_exchange_workbook(file)
    assert (read.generation, read.generation_cell, read.integrity) == (
        1,
        f"B{SUBMISSION_META_ROW}",
        "verified",
    )


def test_template_catalog_files_and_report_name_their_generation(
    community: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "t.xlsx"
    assert run(community, "template", "--department", "equality", "--year", YEAR,
               "-o", str(template)) == 0  # fmt: skip
    assert meta_rows(template)[GENERATION_KEY] == (TEMPLATE_META_ROW, "1")
    assert read_exchange_workbook(template).generation_cell == f"B{TEMPLATE_META_ROW}"
    # The first plan year has no earlier-year columns: the 計画期 pair of row 2 lies beyond
    # the table and is still the template's own.
    first = tmp_path / "t2022.xlsx"
    assert run(community, "template", "--department", "equality", "--year", "2022",
               "-o", str(first)) == 0  # fmt: skip
    assert read_exchange_workbook(first).generation == 1

    workbook, document = tmp_path / "c.xlsx", tmp_path / "c.json"
    assert run(community, "catalog", "export", "-o", str(workbook)) == 0
    assert run(community, "catalog", "export", "-o", str(document)) == 0
    data = json.loads(document.read_text(encoding="utf-8"))
    assert data["generation"] == 1
    assert data["generation_label"].startswith("第1期 かすみがうら市総合計画 後期基本計画")
    plan = openpyxl.load_workbook(workbook)["計画"]
    row = next(r for r in plan.iter_rows(min_row=3) if r[0].value == "generation")
    assert row[2].value == 1 and "第1期 かすみがうら市" in str(row[1].value)
    assert read_catalog_file(workbook).generation == 1
    assert read_catalog_file(document).generation == 1

    report = tmp_path / "集約.xlsx"
    assert run(community, "report", "-o", str(report), "--year", YEAR) == 0
    cover = openpyxl.load_workbook(report)["概要"]
    assert cover["A2"].value == "第1期 かすみがうら市総合計画 後期基本計画（令和4年度〜令和8年度）"


# -- refusals --------------------------------------------------------------------------------

BAD_CELLS: list[tuple[str, object]] = [
    ("text", "第2期"),
    ("zero", "0"),
    ("negative", -1),
    ("fraction", 1.5),
    ("fraction text", "1.5"),
    ("formula", "=1"),
    ("huge", 10**12),
    ("full width", "１"),
    ("empty", None),
]


def test_a_submission_whose_generation_cell_is_not_a_whole_number_is_refused(
    community: Database, planning: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = export(community, tmp_path / "c.xlsx")
    files = []
    for why, value in BAD_CELLS:
        file = tmp_path / f"{why}.xlsx"
        shutil.copyfile(exported, file)
        set_meta(file, GENERATION_KEY, value)
        files.append(file)
    before = dump(planning)
    code, results = merge_json(planning, capsys, *files)
    assert code == 2
    for (why, _), result in zip(BAD_CELLS, results, strict=True):
        assert result["refused"] and result["code"] == "E_GENERATION_CELL", why
        assert f"meta シート B{SUBMISSION_META_ROW}" in result["message_ja"], why
        assert f"sheet meta, cell B{SUBMISSION_META_ROW}" in result["message_en"], why
    assert dump(planning) == before


def test_a_file_of_a_generation_the_database_does_not_hold_is_refused_whole(
    community: Database, planning: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submission = export(community, tmp_path / "c.xlsx")
    set_meta(submission, GENERATION_KEY, "2")
    # A template made for generation 2 (by a database that holds it).
    template = generation_2_template(community, tmp_path / "t.xlsx")
    assert meta_rows(template)[GENERATION_KEY] == (TEMPLATE_META_ROW, "2")
    before = dump(planning)
    code, results = merge_json(planning, capsys, submission, template)
    assert code == 2
    for result, row in zip(results, (SUBMISSION_META_ROW, TEMPLATE_META_ROW), strict=True):
        assert result["refused"] and result["code"] == "E_GENERATION_UNKNOWN"
        assert "第2期" in result["message_ja"] and f"B{row}" in result["message_ja"]
        assert "generation 2" in result["message_en"]
    assert dump(planning) == before
    # The store's side: plan_merge refuses it before reading the database's rows.
    store = Store.open(str(planning))
    try:
        with pytest.raises(WorkbookRejected) as refused:
            plan_merge(store, submission, context=merge_context(store))
        assert refused.value.code == "E_GENERATION_UNKNOWN"
    finally:
        store.dispose()


def test_a_templates_generation_cell_changed_by_hand_is_refused(
    community: Database, planning: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template has no checksum: its fingerprint of what it wrote names the generation it was
    made for, so a generation cell typed over is refused even where that generation is held."""
    template = generation_2_template(community, tmp_path / "t.xlsx")
    set_meta(template, GENERATION_KEY, 1)
    before = dump(planning)
    code, (result,) = merge_json(planning, capsys, template)
    assert code == 2 and result["refused"] and result["code"] == "E_GENERATION_CELL"
    assert f"meta シート B{TEMPLATE_META_ROW}" in result["message_ja"]
    assert "第2期" in result["message_ja"] and "書き換えられています" in result["message_ja"]
    assert "was changed from the one the template was made for (2)" in result["message_en"]
    assert dump(planning) == before


def test_an_edited_generation_cell_breaks_the_checksum_and_the_signature(
    community: Database, planning: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file without its generation row reads as generation 1, which the database holds; the
    checksum and the signature covered the generation, so it is edited and refused."""
    key = tmp_path / "community.pub"
    assert run(community, "key", "export", "--department", "community", "-o", str(key)) == 0
    assert run(planning, "key", "import", str(key)) == 0
    file = export(community, tmp_path / "c.xlsx")
    # Deleting the generation row changes what the checksum and the signature cover.
    book = openpyxl.load_workbook(file)
    book["meta"].delete_rows(SUBMISSION_META_ROW)
    book.save(file)
    read = read_exchange_workbook(file)
    assert (read.generation, read.integrity) == (1, "edited")
    before = dump(planning)
    code, (result,) = merge_json(planning, capsys, file)
    assert code == 2 and result["refused"], result
    assert dump(planning) == before


@pytest.mark.parametrize("suffix", ["json", "xlsx"])
def test_a_catalog_file_of_another_generation_or_a_bad_cell_is_refused(
    community: Database, planning: Database, tmp_path: Path, suffix: str
) -> None:
    file = tmp_path / f"catalog.{suffix}"
    assert run(community, "catalog", "export", "-o", str(file)) == 0

    def set_generation(value: object) -> None:
        if suffix == "json":
            data = json.loads(file.read_text(encoding="utf-8"))
            data["generation"] = value
            file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            return
        book = openpyxl.load_workbook(file)
        ws = book["計画"]
        for row in ws.iter_rows(min_row=3):
            if row[0].value == "generation":
                row[2].value = value  # type: ignore[assignment]
        book.save(file)

    before = dump(planning)
    set_generation(2)
    assert read_catalog_file(file).generation == 2
    assert run(planning, "catalog", "import", str(file)) != 0
    store = Store.open(str(planning))
    try:
        with pytest.raises(DomainError) as refused:
            preview_import(store, file)
        assert refused.value.code == "E_GENERATION_UNKNOWN"
        assert "第2期" in refused.value.message_ja
    finally:
        store.dispose()
    for bad in ("第2期", 0, 1.5, True, *(("=1",) if suffix == "xlsx" else ())):
        set_generation(bad)
        with pytest.raises(DomainError) as refused:
            read_catalog_file(file)
        assert refused.value.code == "E_GENERATION_CELL", bad
        where = "generation" if suffix == "json" else "シート「計画」"
        assert where in refused.value.message_ja
        assert run(planning, "catalog", "import", str(file)) != 0
    assert dump(planning) == before


# -- routing ---------------------------------------------------------------------------------


def test_one_merge_call_routes_an_r8_file_and_an_r9_file_into_their_own_generations(
    community: Database, planning: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The overlap year (FY2027): a department's R8 submission of the old plan and its R9
    submission of the next plan go into the planning database in one `kplan merge` call, each
    into its own generation — the same code 7-1-1-K1 holds the R8 value in generation 1 and the
    R9 value in generation 2, never one in the other's place."""
    from kplan_desktop.store.actuals import read_actuals

    r8_values = {"7-1-1-K1": "4", "7-1-1-K2": "60"}
    for indicator, text in r8_values.items():
        assert run(community, "enter", "--indicator", indicator, "--year", "2026", "--value", text,
                   "--comment", "R8の実績") == 0  # fmt: skip
    r8 = tmp_path / "r8.xlsx"
    assert run(community, "export", "--department", "community", "--year", "2026", "--draft",
               "-o", str(r8)) == 0  # fmt: skip
    next_generation(community)
    assert run(community, "enter", "--indicator", "7-1-1-K1", "--year", "2027", "--value", "5",
               "--comment", "R9の実績") == 0  # fmt: skip
    r9 = tmp_path / "r9.xlsx"
    assert run(community, "export", "--department", "community", "--year", "2027", "--draft",
               "-o", str(r9)) == 0  # fmt: skip
    # After the next plan is in force, the old plan's file is still exported by naming it.
    r8_again = tmp_path / "r8-again.xlsx"
    assert run(community, "export", "--department", "community", "--year", "2026", "--draft",
               "--generation", "1", "-o", str(r8_again)) == 0  # fmt: skip
    assert [read_exchange_workbook(f).generation for f in (r8, r9, r8_again)] == [1, 2, 1]
    capsys.readouterr()
    assert run(community, "export", "--department", "community", "--year", "2027", "--draft",
               "--generation", "9", "-o", str(tmp_path / "none.xlsx")) == 2  # fmt: skip
    assert "計画期 9 はこのデータベースにありません" in capsys.readouterr().err
    assert not (tmp_path / "none.xlsx").exists()

    next_generation(planning)
    code, reports = merge_json(planning, capsys, r8, r9)
    assert code == 0, reports
    assert [(r["generation"], r["fiscal_year"], r["written"]) for r in reports] == [
        (1, 2026, True),
        (2, 2027, True),
    ]
    store = Store.open(str(planning))
    try:
        with store.snapshot() as conn:
            old = {(a.indicator_code, a.fiscal_year): a.text for a in read_actuals(conn, 1)}
            new = {(a.indicator_code, a.fiscal_year): a.text for a in read_actuals(conn, 2)}
    finally:
        store.dispose()
    assert {k: v for k, v in old.items() if k[1] == 2026} == {
        ("7-1-1-K1", 2026): "4",
        ("7-1-1-K2", 2026): "60",
    }
    assert new == {("7-1-1-K1", 2027): "5"}
    # Merged again in one call: nothing changes in either generation.
    code, again = merge_json(planning, capsys, r8_again, r9)
    assert code == 0, again
    assert [(r["counts"]["new"], r["counts"]["updated"]) for r in again] == [(0, 0), (0, 0)]
    assert [r["counts"]["unchanged"] for r in again] == [len(COMMUNITY) + 2, 1]


def test_one_merge_call_takes_the_generation_1_file_and_refuses_the_generation_2_file(
    community: Database, planning: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    held = export(community, tmp_path / "r6-generation1.xlsx")
    foreign = export(community, tmp_path / "r6-generation2.xlsx")
    set_meta(foreign, GENERATION_KEY, 2)
    code, (taken, refused) = merge_json(planning, capsys, held, foreign)
    assert code == 2
    assert (taken["refused"], taken["generation"], taken["written"]) == (False, 1, True)
    assert taken["counts"]["new"] == len(COMMUNITY)
    assert refused["refused"] and refused["code"] == "E_GENERATION_UNKNOWN"
    capsys.readouterr()
    assert run(planning, "show", "--json", "--year", YEAR) == 0
    shown = {
        row["code"]: row["years"][YEAR]["value"] or row["years"][YEAR]["missing_reason"]
        for row in json.loads(capsys.readouterr().out)
        if row["years"].get(YEAR)
        and (row["years"][YEAR]["value"] or row["years"][YEAR]["missing_reason"])
    }
    assert shown == {
        "7-1-1-A1": "not_compiled",
        "7-1-1-K1": "3",
        "7-1-1-K2": "55",
        "7-1-1-K3": "1500",
        "7-1-2-A1": "not_applicable",
        "7-1-2-K1": "20",
    }
