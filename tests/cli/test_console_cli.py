"""The planning console from the command line: catalog versions and their distribution, and
施策評価 entered, exported, merged and printed — real SQLite files and .xlsx files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kplan_desktop.cli import main
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from tests import seeded
from tests.conftest import dump, set_target
from tests.workbooks import charts, sheet

YEAR = "2024"


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def init(path: Path) -> Path:
    seeded.init(path)
    return path


def show(
    db: Path, capsys: pytest.CaptureFixture[str], year: str = YEAR
) -> dict[str, dict[str, Any]]:
    capsys.readouterr()
    assert run(db, "show", "--year", year, "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    return {row["code"]: {**row, **row["years"][year]} for row in rows}


def versions(db: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert run(db, "catalog", "versions") == 0
    return capsys.readouterr().out.splitlines()


# -- catalog versions and distribution ------------------------------------------------------


def test_a_changed_target_reaches_a_department_and_every_value_survives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = init(tmp_path / "planning.sqlite3")
    department = init(tmp_path / "community.sqlite3")
    for code, text in {"7-1-1-K3": "3,000人", "7-1-1-K2": "55", "7-1-1-K1": "3"}.items():
        assert run(department, "enter", "--indicator", code, "--year", YEAR, "--value", text,
                   "--comment", "説明") == 0  # fmt: skip
    before = show(department, capsys)["7-1-1-K3"]
    values_before = dump(department)["actual"]

    set_target(planning, "7-1-1-K3", "3500")
    assert versions(planning, capsys)[0].startswith("第2版")
    catalog_file = tmp_path / "カタログ.xlsx"
    assert run(planning, "catalog", "export", "-o", str(catalog_file)) == 0

    capsys.readouterr()
    assert run(department, "catalog", "import", str(catalog_file), "--dry-run") == 0
    preview = capsys.readouterr().out
    assert "目標値 7500 → 3500" in preview and "nothing imported" in preview
    assert versions(department, capsys)[0].startswith("第1版")

    assert run(department, "catalog", "import", str(catalog_file)) == 0
    assert versions(department, capsys)[0].startswith("第2版")
    assert dump(department)["actual"] == values_before  # every entered value is still there
    after = show(department, capsys)["7-1-1-K3"]
    assert (before["target"], after["target"]) == ("7500", "3500")
    assert before["grade"] != after["grade"]  # 3,000 of 3,500 grades differently than of 7,500

    # The department goes on and sends its values; the planning division merges them all.
    out = tmp_path / "community.xlsx"
    assert run(department, "export", "--department", "community", "--year", YEAR, "--draft",
               "-o", str(out)) == 0  # fmt: skip
    assert run(planning, "merge", str(out)) == 0
    merged = {(r[1], r[2], r[3]) for r in dump(planning)["actual"]}
    sent = {(r[1], r[2], r[3]) for r in dump(department)["actual"]}
    assert sent and sent == merged


def test_an_older_or_forked_catalog_is_refused_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = init(tmp_path / "planning.sqlite3")
    department = init(tmp_path / "community.sqlite3")
    first = tmp_path / "v1.json"
    assert run(planning, "catalog", "export", "-o", str(first)) == 0
    set_target(planning, "7-1-1-K3", "3500")
    second = tmp_path / "v2.xlsx"
    assert run(planning, "catalog", "export", "-o", str(second)) == 0
    assert run(department, "catalog", "import", str(second)) == 0

    before = dump(department)
    capsys.readouterr()
    assert run(department, "catalog", "import", str(first)) == 2
    error = capsys.readouterr().err
    assert "古いため読み込めません" in error and "older than the one in use" in error
    assert dump(department) == before

    # The department edits its own copy: version 3 here. The planning division's next version is
    # also number 3 but another catalog: refused, with what to do.
    set_target(department, "7-1-1-K3", "9999")
    set_target(planning, "7-1-1-K3", "4000")
    third = tmp_path / "v3.json"
    assert run(planning, "catalog", "export", "-o", str(third)) == 0
    before = dump(department)
    capsys.readouterr()
    assert run(department, "catalog", "import", str(third)) == 2
    assert "同じ版番号" in capsys.readouterr().err
    assert dump(department) == before


def test_a_catalog_file_edited_after_export_imports_as_a_local_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = init(tmp_path / "planning.sqlite3")
    exported = tmp_path / "catalog.json"
    assert run(planning, "catalog", "export", "-o", str(exported)) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["version"]["sequence"] == 1
    data["plan"]["name"] = data["plan"]["name"] + "（改）"
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert run(planning, "catalog", "import", str(exported)) == 0
    out = capsys.readouterr().out
    assert "発行後に編集されています" in out
    assert versions(planning, capsys)[0].startswith("第2版")


# -- 施策評価 -------------------------------------------------------------------------------


def evaluate(db: Path, *args: str) -> int:
    return run(db, "evaluate", "--measure", "7-1-1", "--year", YEAR, *args)


def evaluations(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, Any]]:
    capsys.readouterr()
    assert run(db, "evaluations", "--year", YEAR, "--json") == 0
    return {row["measure"]: row for row in json.loads(capsys.readouterr().out)}


def test_an_evaluation_is_validated_and_a_refusal_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = init(tmp_path / "community.sqlite3")
    assert evaluate(db, "--grade", "ｂ", "--results", "参加者が増えた\r\n若年層が課題",
                    "--next", "継続", "--next-text", "講座を増やす") == 0  # fmt: skip
    row = evaluations(db, capsys)["7-1-1"]
    assert (row["grade"], row["next_step"]) == ("B", "continue")
    assert row["results"] == "参加者が増えた\n若年層が課題"
    assert row["department"] == "community"
    before = dump(db)
    capsys.readouterr()
    for bad in (("--grade", "E"), ("--next", "延長"), ("--results", "x" * 4001)):
        assert evaluate(db, *bad) == 2
    assert run(db, "evaluate", "--measure", "9-9-9", "--year", YEAR, "--grade", "A") == 2
    assert run(db, "evaluate", "--measure", "7-1-1", "--year", "2040", "--grade", "A") == 2
    errors = capsys.readouterr().err
    assert "A・B・C・D" in errors and "拡充" in errors and "4000文字" in errors
    assert dump(db) == before


def test_evaluations_travel_in_the_submission_and_merge_like_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    department = init(tmp_path / "community.sqlite3")
    planning = init(tmp_path / "planning.sqlite3")
    assert evaluate(department, "--grade", "B", "--results", "成果", "--next", "継続") == 0
    first = tmp_path / "first.xlsx"
    assert run(department, "export", "--department", "community", "--year", YEAR, "--draft",
               "-o", str(first)) == 0  # fmt: skip
    book = openpyxl.load_workbook(first)
    assert book["evaluation"].sheet_state == "hidden"
    assert book["施策評価"]["E2"].value == "成果"

    assert run(planning, "merge", str(first)) == 0
    assert run(planning, "review", "--measure", "7-1-1", "--year", YEAR, "--comment", "了解") == 0
    merged = evaluations(planning, capsys)["7-1-1"]
    assert (merged["grade"], merged["results"], merged["reviewer_comment"]) == ("B", "成果", "了解")
    assert merged["revision"] == evaluations(department, capsys)["7-1-1"]["revision"]

    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "merge", "--json", str(first)) == 0
    lines = json.loads(capsys.readouterr().out)[0]["rows"]
    assert [line["outcome"] for line in lines] == ["unchanged"]
    assert dump(planning)["measure_evaluation"] == before["measure_evaluation"]

    # The department revises it: an update; the reviewer comment stays.
    assert evaluate(department, "--grade", "A") == 0
    second = tmp_path / "second.xlsx"
    assert run(department, "export", "--department", "community", "--year", YEAR, "--draft",
               "-o", str(second)) == 0  # fmt: skip
    assert run(planning, "merge", str(second)) == 0
    merged = evaluations(planning, capsys)["7-1-1"]
    assert (merged["grade"], merged["reviewer_comment"]) == ("A", "了解")

    # The planning division corrects it itself; the department's next file is a conflict.
    assert evaluate(planning, "--next", "改善") == 0
    assert evaluate(department, "--results", "成果（追記）") == 0
    third = tmp_path / "third.xlsx"
    assert run(department, "export", "--department", "community", "--year", YEAR, "--draft",
               "-o", str(third)) == 0  # fmt: skip
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "merge", "--json", str(third)) == 1  # 1: a conflict awaits a decision
    (report,) = json.loads(capsys.readouterr().out)
    (line,) = [line for line in report["rows"] if line["indicator"].startswith("施策評価")]
    assert line["outcome"] == "conflict" and "企画" not in line.get("reason_en", "x")
    assert dump(planning)["measure_evaluation"] == before["measure_evaluation"]
    assert run(planning, "merge", "--take", "file", str(third)) == 0
    merged = evaluations(planning, capsys)["7-1-1"]
    assert (merged["results"], merged["next_step"]) == ("成果（追記）", "continue")


def test_an_evaluation_edited_in_the_file_is_not_trusted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    department = init(tmp_path / "community.sqlite3")
    planning = init(tmp_path / "planning.sqlite3")
    assert evaluate(department, "--grade", "C", "--results", "遅れ") == 0
    out = tmp_path / "sub.xlsx"
    assert run(department, "export", "--department", "community", "--year", YEAR, "--draft",
               "-o", str(out)) == 0  # fmt: skip
    assert run(planning, "evaluate", "--measure", "7-1-1", "--year", YEAR, "--grade", "B") == 0
    book = openpyxl.load_workbook(out)
    book["evaluation"]["C2"] = "A"  # someone improves the grade in Excel
    book.save(out)
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "merge", "--json", str(out)) == 1  # 1: a conflict awaits a decision
    (report,) = json.loads(capsys.readouterr().out)
    assert any("施策評価がプログラムの外で編集" in note for note in report["notes_ja"])
    (line,) = [line for line in report["rows"] if line["indicator"].startswith("施策評価")]
    assert line["outcome"] == "conflict"
    assert dump(planning)["measure_evaluation"] == before["measure_evaluation"]


def test_a_finalised_year_refuses_a_new_evaluation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = init(tmp_path / "equality.sqlite3")
    for code, text in {"7-2-1-A1": "70%", "7-2-1-K1": "1", "7-2-1-K2": "3"}.items():
        assert run(db, "enter", "--indicator", code, "--year", YEAR, "--value", text,
                   "--comment", "説明") == 0  # fmt: skip
    assert run(db, "finalise", "--department", "equality", "--year", YEAR) == 0
    before = dump(db)
    capsys.readouterr()
    assert run(db, "evaluate", "--measure", "7-2-1", "--year", YEAR, "--grade", "A") == 2
    assert "確定済み" in capsys.readouterr().err
    assert dump(db) == before


def test_the_report_has_a_printable_evaluation_sheet_for_every_measure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = init(tmp_path / "planning.sqlite3")
    assert run(db, "enter", "--indicator", "7-1-1-K3", "--year", YEAR, "--value", "1,000人",
               "--comment", "減少") == 0  # fmt: skip
    assert evaluate(db, "--grade", "C", "--results", "参加者が減少した", "--next", "改善",
                    "--next-text", "広報を見直す") == 0  # fmt: skip
    assert run(db, "review", "--measure", "7-1-1", "--year", YEAR, "--comment", "要報告") == 0
    out = tmp_path / "集約.xlsx"
    assert run(db, "report", "--year", YEAR, "-o", str(out)) == 0
    book = openpyxl.load_workbook(out)
    sheets = [name for name in book.sheetnames if name.startswith("施策評価")]
    assert len(sheets) == 8  # the seed's eight measures
    ws = book["施策評価7-1-1"]
    texts = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert {"参加者が減少した", "改善", "広報を見直す", "要報告", "C"} <= texts
    assert any(t == "目指す姿" for t in texts) and any(t == "7-1-1-K3" for t in texts)
    assert ws.page_setup.orientation == "portrait" and ws.print_area
    assert len(charts(sheet(book, "施策評価7-1-1"))) == 1
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pdf_dir = tmp_path / "pdf"
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(pdf_dir), str(out)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pdf = pdf_dir / "集約.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000


# -- 一元化: one entry of actuals serves the other plans ------------------------------------


def test_a_per_plan_workbook_lists_the_tagged_directions_with_current_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = init(tmp_path / "planning.sqlite3")
    assert run(db, "enter", "--indicator", "7-1-1-K3", "--year", YEAR, "--value", "1,234人",
               "--comment", "説明") == 0  # fmt: skip
    out = tmp_path / "総合戦略.xlsx"
    assert run(db, "report", "--plan", "総合戦略", "--year", YEAR, "-o", str(out)) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["総合戦略"]
    ws = book["総合戦略"]
    header = [c.value for c in ws[4]]
    year_column = header.index("令和6年度")
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    codes = {r[0] for r in rows}
    # The seed tags 7-1-1 (1) with 総合戦略 4-1-2 and 7-2-2 (1) with 4-1-1.
    assert {"4-1-1", "4-1-2"} <= codes
    k3 = [r for r in rows if r[0] == "4-1-2" and r[4] == "7-1-1-K3"]
    assert len(k3) == 1 and k3[0][year_column] == 1234
    assert all(r[0] != "2-2-1-1" for r in rows)  # 行財政改革 items are in their own workbook
    reform = tmp_path / "行財政改革.xlsx"
    assert run(db, "report", "--plan", "行財政改革", "--year", YEAR, "-o", str(reform)) == 0
    reform_codes = {r[0] for r in sheet(openpyxl.load_workbook(reform)).iter_rows(
        min_row=5, values_only=True) if r[0]}  # fmt: skip
    assert reform_codes and not reform_codes & {"4-1-1", "4-1-2"}

    capsys.readouterr()
    missing = tmp_path / "x.xlsx"
    assert run(db, "report", "--plan", "まち・ひと", "-o", str(missing)) == 2
    assert "総合戦略・行財政改革" in capsys.readouterr().err
    assert not missing.exists()


def test_a_submission_made_under_an_older_catalog_is_explained_row_by_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = init(tmp_path / "planning.sqlite3")
    department = init(tmp_path / "community.sqlite3")
    for code, text in {"7-1-1-K3": "3,000人", "7-1-1-K2": "55"}.items():
        assert run(department, "enter", "--indicator", code, "--year", YEAR, "--value", text,
                   "--comment", "説明") == 0  # fmt: skip
    out = tmp_path / "community.xlsx"
    assert run(department, "export", "--department", "community", "--year", YEAR, "--draft",
               "-o", str(out)) == 0  # fmt: skip
    set_target(planning, "7-1-1-K3", "3500")  # the planning division moved on meanwhile
    capsys.readouterr()
    assert run(planning, "merge", "--json", str(out)) == 0
    (report,) = json.loads(capsys.readouterr().out)
    rows = {row["indicator"]: row for row in report["rows"]}
    assert rows["7-1-1-K3"]["outcome"] == "new"
    assert "カタログが変更（目標値 7500→3500）" in rows["7-1-1-K3"]["reason_ja"]
    assert "target 7500→3500" in rows["7-1-1-K3"]["reason_en"]
    assert "カタログ" not in rows["7-1-1-K2"]["reason_ja"]
    (note,) = [n for n in report["notes_ja"] if "カタログの版が違います" in n]
    # Named by number and date, as people know them, not by a hash (issue 13, item 5).
    assert "ファイル: 第1版（" in note and "データベース: 第2版（" in note
    assert not re.search(r"[0-9a-f]{12}", note)


# -- the yearly cycle -------------------------------------------------------------------------


def statuses(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    capsys.readouterr()
    assert run(db, "cycle", "status", "--year", YEAR, "--json") == 0
    return {row["department"]: row["status"] for row in json.loads(capsys.readouterr().out)}


def test_the_yearly_cycle_follows_a_department_from_not_started_to_merged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = init(tmp_path / "planning.sqlite3")
    department = init(tmp_path / "equality.sqlite3")
    assert run(planning, "cycle", "open", "--year", YEAR, "--due", "2025-06-30", "--past-due") == 0
    with pytest.raises(SystemExit) as refused:
        run(planning, "cycle", "open", "--year", YEAR, "--due", "30/06/2025")
    assert refused.value.code == 2
    assert statuses(planning, capsys)["equality"] == "not_started"

    # The catalog file carries the open year and its due date to the department.
    catalog_file = tmp_path / "catalog.xlsx"
    assert run(planning, "catalog", "export", "-o", str(catalog_file)) == 0
    assert run(department, "catalog", "import", str(catalog_file)) == 0
    capsys.readouterr()
    assert run(department, "cycle", "status", "--year", YEAR) == 0
    assert "2025-06-30" in capsys.readouterr().out

    values = {"7-2-1-A1": "70%", "7-2-1-K1": "1", "7-2-1-K2": "3"}
    assert run(department, "enter", "--indicator", "7-2-1-K1", "--year", YEAR, "--value", "1",
               "--comment", "説明") == 0  # fmt: skip
    assert statuses(department, capsys)["equality"] == "in_progress"
    draft = tmp_path / "draft.xlsx"
    assert run(department, "export", "--department", "equality", "--year", YEAR, "--draft",
               "-o", str(draft)) == 0  # fmt: skip
    assert run(planning, "merge", str(draft)) == 0
    assert statuses(planning, capsys)["equality"] == "submitted"

    pending = tmp_path / "未提出.xlsx"
    assert run(planning, "cycle", "pending", "--year", YEAR, "-o", str(pending)) == 0
    listed = [r[0] for r in sheet(openpyxl.load_workbook(pending)).iter_rows(
        min_row=5, values_only=True)]  # fmt: skip
    assert "equality" in listed and "community" in listed

    for code, text in values.items():
        assert run(department, "enter", "--indicator", code, "--year", YEAR, "--value", text,
                   "--comment", "説明") == 0  # fmt: skip
    assert run(department, "finalise", "--department", "equality", "--year", YEAR) == 0
    assert statuses(department, capsys)["equality"] == "finalised"
    final = tmp_path / "final.xlsx"
    assert run(department, "export", "--department", "equality", "--year", YEAR,
               "-o", str(final)) == 0  # fmt: skip
    assert run(planning, "merge", str(final)) == 0
    assert statuses(planning, capsys)["equality"] == "merged"
    assert run(planning, "cycle", "pending", "--year", YEAR, "-o", str(pending)) == 0
    listed = [r[0] for r in sheet(openpyxl.load_workbook(pending)).iter_rows(
        min_row=5, values_only=True)]  # fmt: skip
    assert "equality" not in listed and "community" in listed


def test_a_locked_year_refuses_an_evaluation_and_a_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = init(tmp_path / "planning.sqlite3")
    assert evaluate(db, "--grade", "B") == 0
    assert run(db, "year", "lock", "--year", YEAR) == 0
    before = dump(db)
    capsys.readouterr()
    assert evaluate(db, "--grade", "A") == 2
    assert run(db, "review", "--measure", "7-1-1", "--year", YEAR, "--comment", "x") == 2
    errors = capsys.readouterr().err
    assert errors.count("年度ロック") == 2 and "locked" in errors
    assert dump(db) == before


def test_an_interim_target_grades_its_year_and_a_contact_travels_with_the_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = init(tmp_path / "planning.sqlite3")
    department = init(tmp_path / "community.sqlite3")
    exported = tmp_path / "catalog.json"
    assert run(planning, "catalog", "export", "-o", str(exported)) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    del data["version"]
    data["departments"][1]["contact"] = "市民協働担当 内線1234"
    for goal in data["goals"]:
        for policy in goal["policies"]:
            for measure in policy["measures"]:
                for indicator in measure["indicators"]:
                    if indicator["code"] == "7-1-1-K3":
                        indicator["interim_targets"] = [{"fiscal_year": 2024, "value": "1500"}]
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run(planning, "catalog", "import", str(exported)) == 0
    workbook = tmp_path / "catalog.xlsx"
    assert run(planning, "catalog", "export", "-o", str(workbook)) == 0
    assert run(department, "catalog", "import", str(workbook)) == 0
    for db in (planning, department):
        assert run(db, "enter", "--indicator", "7-1-1-K3", "--year", YEAR, "--value", "1,500人",
                   "--comment", "説明") == 0  # fmt: skip
        row = show(db, capsys)["7-1-1-K3"]
        assert row["grade"] == "A"  # 1,500 of FY2024's interim target 1,500 (not of 7,500)
    store = Store.open(str(department))
    try:
        with store.snapshot() as conn:
            catalog = read_catalog(conn, 1)
        assert catalog is not None
        contacts = {d.code: d.contact for d in catalog.departments}
    finally:
        store.dispose()
    assert contacts["community"] == "市民協働担当 内線1234"
    # An interim target after the target year is refused, and changes nothing.
    data["goals"][0]["policies"][0]["measures"][0]["indicators"][3]["interim_targets"] = [
        {"fiscal_year": 2026, "value": "9000"}
    ]
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "catalog", "import", str(exported)) == 2
    assert "年度別目標" in capsys.readouterr().err
    assert dump(planning) == before


# -- department history ----------------------------------------------------------------------


def merge_departments(db: Path, old: str, new: str, from_year: int) -> None:
    from kplan_desktop.domain.catalog_edit import merge_department
    from kplan_desktop.exchange.catalog_files import save_catalog_edit

    store = Store.open(str(db))
    try:
        with store.snapshot() as conn:
            catalog = read_catalog(conn, 1)
        assert catalog is not None
        merged = merge_department(catalog, old, new, from_year)
        save_catalog_edit(store, merged, who="企画", source=EntrySource.TEST, detail="統合")
    finally:
        store.dispose()


def test_a_merged_department_keeps_its_past_and_its_indicators_move_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = init(tmp_path / "planning.sqlite3")
    receiver = init(tmp_path / "receiver.sqlite3")
    assert run(db, "enter", "--indicator", "7-1-1-K3", "--year", "2024", "--value", "1,500人",
               "--comment", "説明") == 0  # fmt: skip
    values = dump(db)["actual"]
    merge_departments(db, "community", "equality", 2025)
    assert dump(db)["actual"] == values  # nothing of the past moves or goes

    # community still reports FY2024 (its past), equality owns the indicators from FY2025.
    assert "7-1-1-K3" in show_department(db, capsys, "community", "2024")
    assert "7-1-1-K3" not in show_department(db, capsys, "community", "2025")
    assert "7-1-1-K3" in show_department(db, capsys, "equality", "2025")
    assert "7-1-1-K3" not in show_department(db, capsys, "equality", "2024")

    # Each department's file for its own years merges into a database with the same catalog.
    catalog_file = tmp_path / "catalog.xlsx"
    assert run(db, "catalog", "export", "-o", str(catalog_file)) == 0
    assert run(receiver, "catalog", "import", str(catalog_file)) == 0
    old_file, new_file = tmp_path / "community-2024.xlsx", tmp_path / "equality-2025.xlsx"
    assert run(db, "export", "--department", "community", "--year", "2024", "--draft",
               "-o", str(old_file)) == 0  # fmt: skip
    assert run(db, "enter", "--indicator", "7-1-1-K3", "--year", "2025", "--value", "1,800人",
               "--comment", "説明") == 0  # fmt: skip
    assert run(db, "export", "--department", "equality", "--year", "2025", "--draft",
               "-o", str(new_file)) == 0  # fmt: skip
    for path in (old_file, new_file):
        capsys.readouterr()
        assert run(receiver, "merge", "--json", str(path)) == 0
        rows = json.loads(capsys.readouterr().out)[0]["rows"]
        assert rows and all(r["outcome"] != "rejected" for r in rows), rows
    merged = {(r[1], r[2], r[3]) for r in dump(receiver)["actual"]}
    assert {("7-1-1-K3", 2024, "1500"), ("7-1-1-K3", 2025, "1800")} <= merged
    # community cannot send FY2025 for the indicators it no longer owns.
    late = tmp_path / "community-2025.xlsx"
    assert run(db, "export", "--department", "community", "--year", "2025", "--draft",
               "-o", str(late)) == 2  # fmt: skip


def show_department(
    db: Path, capsys: pytest.CaptureFixture[str], department: str, year: str
) -> list[str]:
    capsys.readouterr()
    assert run(db, "show", "--department", department, "--year", year, "--json") == 0
    return [row["code"] for row in json.loads(capsys.readouterr().out)]


def test_a_locked_year_cannot_be_opened_and_the_listing_shows_the_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = init(tmp_path / "planning.sqlite3")
    assert run(db, "cycle", "open", "--year", YEAR, "--due", "2025-06-30", "--past-due") == 0
    assert run(db, "cycle", "open", "--year", YEAR, "--due", "2025-06-30", "--past-due") == 0
    opened = [r for r in dump(db)["audit"] if r[4] == "open_year"]
    assert len(opened) == 1  # the same due date again changes (and records) nothing
    assert run(db, "cycle", "pending", "--year", YEAR, "-o", str(tmp_path / "x.txt")) == 2
    assert evaluate(db, "--grade", "B", "--results", "成果あり") == 0
    assert run(db, "review", "--measure", "7-1-1", "--year", YEAR, "--comment", "了解") == 0
    capsys.readouterr()
    assert run(db, "evaluations", "--year", YEAR) == 0
    listing = capsys.readouterr().out
    assert "成果と課題: 成果あり" in listing and "評価者のコメント: 了解" in listing
    assert run(db, "year", "lock", "--year", YEAR) == 0
    before = dump(db)
    capsys.readouterr()
    assert run(db, "cycle", "open", "--year", YEAR, "--due", "2025-08-31", "--past-due") == 2
    assert "年度ロック" in capsys.readouterr().err
    assert dump(db) == before


def test_a_due_date_already_past_is_refused_unless_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 7 of trial 15b: a past due date was taken without a word (「156日過ぎています」)."""
    db = init(tmp_path / "planning.sqlite3")
    before = dump(db)
    capsys.readouterr()
    assert run(db, "cycle", "open", "--year", YEAR, "--due", "2020-06-30") == 2
    err = capsys.readouterr().err
    assert "E_PAST_DUE" in err or "過ぎています" in err
    assert "--past-due" in err and "--due 20" in err  # it proposes a date ahead
    assert dump(db) == before
    # A future date (typed as digits) opens the year without a question.
    assert run(db, "cycle", "open", "--year", YEAR, "--due", "20991231") == 0
    opened = [r for r in dump(db)["audit"] if r[4] == "open_year"]
    assert len(opened) == 1 and "2099-12-31" in str(opened[0])
