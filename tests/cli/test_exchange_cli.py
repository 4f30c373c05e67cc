"""The workbook exchange from the command line: two departments submit, the planning division
merges and reports — on real SQLite files and real .xlsx files written and read back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kplan_desktop.cli import main
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from tests import seeded
from tests.conftest import dump

COMMUNITY = {
    "7-1-1-A1": "未集計",
    "7-1-1-K1": "3",
    "7-1-1-K2": "55",
    "7-1-1-K3": "1,500人",
    "7-1-2-A1": "該当なし",
    "7-1-2-K1": "20",
}
EQUALITY = {"7-2-1-A1": "70%", "7-2-1-K1": "1", "7-2-1-K2": "3"}
YEAR = "2024"


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def init(path: Path) -> Path:
    seeded.init(path)
    return path


def enter_all(db: Path, values: dict[str, str], year: str = YEAR, note: str = "") -> None:
    for code, text in values.items():
        comment = f"{note}{code}の説明"
        assert run(db, "enter", "--indicator", code, "--year", year, "--value", text,
                   "--comment", comment) == 0  # fmt: skip


def submit(db: Path, department: str, out: Path) -> Path:
    assert run(db, "finalise", "--department", department, "--year", YEAR) == 0
    assert run(db, "export", "--department", department, "--year", YEAR, "-o", str(out)) == 0
    return out


def merge_json(
    db: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, Any]]]:
    capsys.readouterr()
    code = run(db, "merge", "--json", *args)
    return code, json.loads(capsys.readouterr().out)


def values_of(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, tuple[object, ...]]:
    capsys.readouterr()
    assert run(db, "show", "--json", "--year", YEAR) == 0
    rows = json.loads(capsys.readouterr().out)
    found: dict[str, tuple[object, ...]] = {}
    for row in rows:
        cell = row["years"].get(YEAR)
        if cell and (cell["value"] is not None or cell["missing_reason"] is not None):
            found[row["code"]] = (cell["value"], cell["missing_reason"], cell["comment"])
    return found


@pytest.fixture
def offices(tmp_path: Path) -> dict[str, Path]:
    """Two departments that entered, finalised and exported; a planning database."""
    a, b, p = (init(tmp_path / f"{n}.sqlite3") for n in ("community", "equality", "planning"))
    enter_all(a, COMMUNITY)
    enter_all(b, EQUALITY)
    return {
        "community": a,
        "equality": b,
        "planning": p,
        "a.xlsx": submit(a, "community", tmp_path / "community.xlsx"),
        "b.xlsx": submit(b, "equality", tmp_path / "equality.xlsx"),
    }


def test_two_submissions_merge_into_the_planning_database_and_the_report(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = offices["planning"]
    code, reports = merge_json(planning, capsys, str(offices["a.xlsx"]), str(offices["b.xlsx"]))
    assert code == 0
    assert [r["counts"]["new"] for r in reports] == [6, 3]
    assert all(r["written"] and r["kind"] == "submission" for r in reports)
    merged = values_of(planning, capsys)
    assert merged == {
        **values_of(offices["community"], capsys),
        **values_of(offices["equality"], capsys),
    }
    assert merged["7-1-1-K3"] == ("1500", None, "7-1-1-K3の説明")
    assert merged["7-2-1-A1"][0] == "70"
    assert merged["7-1-1-A1"][1] == "not_compiled"
    # The audit log names the file and its hash.
    capsys.readouterr()
    assert run(planning, "audit", "--indicator", "7-1-1-K2", "--json") == 0
    audit = json.loads(capsys.readouterr().out)
    assert audit[-1]["source"] == "merge" and "community.xlsx sha256=" in audit[-1]["detail"]

    out = tmp_path / "集約.xlsx"
    assert run(planning, "report", "-o", str(out), "--year", YEAR) == 0
    book = openpyxl.load_workbook(out, read_only=True)
    sheet = book["指標一覧"]
    rows = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    code_col, year_col = header.index("指標コード"), header.index("年度")
    actual_col, grade_col, comment_col = (
        header.index("実績"),
        header.index("評価"),
        header.index("コメント"),
    )
    k2 = next(r for r in rows if r[code_col] == "7-1-1-K2" and r[year_col] == "令和6年度")
    assert k2[actual_col] == 55
    assert k2[comment_col] == "7-1-1-K2の説明"
    assert k2[grade_col]  # a grade (or a non-grade label) is written
    status = [[c for c in r] for r in book["提出状況"].iter_rows(values_only=True)]
    assert any("community" in str(r) and "提出" in str(r) for r in status)
    book.close()


def test_merging_the_same_file_again_changes_nothing(
    offices: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    planning = offices["planning"]
    assert merge_json(planning, capsys, str(offices["a.xlsx"]))[0] == 0
    before = dump(planning)
    code, reports = merge_json(planning, capsys, str(offices["a.xlsx"]))
    assert code == 0
    assert reports[0]["counts"]["unchanged"] == 6 and not reports[0]["written"]
    assert dump(planning) == before


def _edit_data_sheet(path: Path, out: Path, changes: dict[int, dict[str, str]]) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book["data"]
    keys = [c.value for c in sheet[1]]
    for row, fields in changes.items():
        for key, text in fields.items():
            sheet.cell(row=row, column=keys.index(key) + 1, value=text)
    book.save(out)
    return out


def test_a_bare_fraction_in_the_data_sheet_of_a_percent_indicator_is_refused(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 13, finding 1, in a submission: 70% pasted as a value over the data sheet's text
    "70" leaves the number 0.7 there. 0.7% or 70%? Refused on its row, naming the cell."""
    book = openpyxl.load_workbook(offices["b.xlsx"])
    sheet = book["data"]
    keys = [c.value for c in sheet[1]]
    (cell,) = [
        r[keys.index("value")]
        for r in sheet.iter_rows(min_row=2)
        if r[0].value == "7-2-1-A1" and str(r[1].value) == YEAR
    ]
    cell.value = 0.7
    pasted = tmp_path / "pasted.xlsx"
    book.save(pasted)

    code, (report,) = merge_json(offices["planning"], capsys, "--dry-run", str(pasted))

    assert code == 2
    (row,) = [r for r in report["rows"] if r["indicator"] == "7-2-1-A1"]
    assert row["outcome"] == "rejected", row
    assert f"data シート {cell.coordinate} には数値 0.7 が入っています" in row["reason_ja"]
    assert "「70」または「0.7%」" in row["reason_ja"]


def test_a_rows_reason_is_printed_in_japanese_and_english(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 13, finding 8: the text report gives each row's reason in both languages."""
    edited = _edit_data_sheet(
        offices["a.xlsx"], tmp_path / "edited.xlsx", {4: {"fiscal_year": "2031"}}
    )
    capsys.readouterr()
    assert main(["--db", str(offices["planning"]), "merge", "--dry-run", str(edited)]) == 2
    out = capsys.readouterr().out
    (line,) = [x for x in out.splitlines() if "計画期間" in x]
    assert " / fiscal year 2031 is outside" in line


def test_rows_for_another_department_or_outside_the_plan_are_rejected_all_or_nothing(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = offices["planning"]
    edited = _edit_data_sheet(
        offices["a.xlsx"],
        tmp_path / "edited.xlsx",
        {3: {"indicator": "7-2-1-K1"}, 4: {"fiscal_year": "2031"}},
    )
    before = dump(planning)
    code, reports = merge_json(planning, capsys, str(edited))
    assert code == 2
    report = reports[0]
    assert report["kind"] == "edited" and not report["written"]
    rejected = [r for r in report["rows"] if r["outcome"] == "rejected"]
    assert {r["sheet_row"] for r in rejected} == {3, 4}
    assert "equality" in rejected[0]["reason_ja"] and "計画期間" in rejected[1]["reason_ja"]
    assert dump(planning) == before

    code, reports = merge_json(planning, capsys, "--accept-valid", str(edited))
    assert code == 0
    assert reports[0]["written"] and reports[0]["counts"]["new"] == 4
    merged = values_of(planning, capsys)
    assert set(merged) == {"7-1-1-A1", "7-1-1-K3", "7-1-2-A1", "7-1-2-K1"}


def test_a_conflict_is_never_overwritten_and_take_decides(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning, community = offices["planning"], offices["community"]
    assert merge_json(planning, capsys, str(offices["a.xlsx"]))[0] == 0
    # The planning division corrects a value; the department sends a newer submission.
    store = Store.open(str(planning))
    with store.transaction() as conn:
        write_actuals(
            conn, 1, [EntryRequest("7-1-1-K2", 2024, "56")], who="planner", source=EntrySource.TEST
        )
    store.dispose()
    assert (
        run(community, "finalise", "--department", "community", "--year", YEAR, "--withdraw") == 0
    )
    assert run(community, "enter", "--indicator", "7-1-1-K2", "--year", YEAR, "--value", "57") == 0
    assert run(community, "enter", "--indicator", "7-1-1-K1", "--year", YEAR, "--value", "4") == 0
    newer = submit(community, "community", tmp_path / "newer.xlsx")
    before = dump(planning)
    code, reports = merge_json(planning, capsys, str(newer))
    assert code == 1
    outcomes = {r["indicator"]: r for r in reports[0]["rows"]}
    conflict = outcomes["7-1-1-K2"]
    assert conflict["outcome"] == "conflict"
    assert (conflict["file_value"], conflict["db_value"]) == ("57", "56")
    # What differs and where the database's value came from (its audit row), not a guess.
    assert "データベースの値はこのデータベースで入力・変更されたものです" in conflict["reason_ja"]
    assert "値 ファイル 57 / データベース 56" in conflict["reason_ja"]
    assert "データベースの値: テスト、planner" in conflict["reason_ja"]
    assert outcomes["7-1-1-K1"]["outcome"] == "updated"
    assert values_of(planning, capsys)["7-1-1-K2"][0] == "56"
    assert values_of(planning, capsys)["7-1-1-K1"][0] == "4"
    assert dump(planning) != before
    # The older file arriving late: its K1 value is older than the one merged.
    code, reports = merge_json(planning, capsys, str(offices["a.xlsx"]))
    late = {r["indicator"]: r for r in reports[0]["rows"]}["7-1-1-K1"]
    assert late["outcome"] == "conflict" and "古いファイル" in late["reason_ja"]
    assert values_of(planning, capsys)["7-1-1-K1"][0] == "4"
    code, reports = merge_json(planning, capsys, "--take", "file", str(newer))
    assert code == 0
    assert values_of(planning, capsys)["7-1-1-K2"][0] == "57"


def test_a_filled_template_merges_every_cell_validated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = init(tmp_path / "planning.sqlite3")
    template = tmp_path / "template.xlsx"
    assert run(planning, "template", "--department", "community", "--year", YEAR,
               "-o", str(template)) == 0  # fmt: skip
    book = openpyxl.load_workbook(template)
    sheet = book["記入"]
    header_row = next(r for r in range(1, 30) if any(c.value == "指標コード" for c in sheet[r]))
    labels: list[object] = [c.value for c in sheet[header_row]]
    code_col = labels.index("指標コード") + 1
    value_col = _input_column(labels, "値")
    reason_col = _input_column(labels, "理由")
    typed: dict[str, int | str] = {"7-1-1-K2": 55, "7-1-1-K3": 1500, "7-1-2-K1": "二十"}
    for row in range(header_row + 1, sheet.max_row + 1):
        code = sheet.cell(row=row, column=code_col).value
        if isinstance(code, str) and code in typed:
            sheet.cell(row=row, column=value_col, value=typed[code])
        if code == "7-1-1-A1":
            sheet.cell(row=row, column=reason_col, value="未集計")
    book.save(template)
    code, reports = merge_json(planning, capsys, str(template))
    assert code == 2  # 二十 is not a number
    report = reports[0]
    assert report["kind"] == "template"
    assert any("テンプレート" in n for n in report["notes_ja"])
    bad = [r for r in report["rows"] if r["outcome"] == "rejected"]
    assert [r["indicator"] for r in bad] == ["7-1-2-K1"]
    code, reports = merge_json(planning, capsys, "--accept-valid", str(template))
    assert code == 0
    merged = values_of(planning, capsys)
    assert merged["7-1-1-K2"][0] == "55"
    assert merged["7-1-1-K3"][0] == "1500"
    assert merged["7-1-1-A1"][1] == "not_compiled"


def _input_column(labels: list[object], word: str) -> int:
    found = [i for i, v in enumerate(labels) if isinstance(v, str) and word in v]
    assert found, (word, labels)
    return found[-1] + 1


def _hostile_files(tmp_path: Path, good: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        files[name] = tmp_path / name
        files[name].write_bytes(data)

    put("renamed.xlsx", "指標コード,値\n7-1-1-K2,55\n".encode())
    put("document.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    put("random.xlsx", os.urandom(4096))
    put("truncated.xlsx", good.read_bytes()[: good.stat().st_size // 2])
    put("encrypted.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4088)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/media/padding.bin", b"\0" * (300 * 1024 * 1024))
    files["bomb.xlsx"] = bomb
    laughs = tmp_path / "laughs.xlsx"
    entity = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(laughs, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                declaration, _, rest = data.partition(b"?>")
                data = (
                    declaration + b"?>" + entity.encode() + rest if rest else entity.encode() + data
                )
            dst.writestr(item, data)
    files["laughs.xlsx"] = laughs
    return files


def test_hostile_files_are_refused_with_one_clear_line_and_change_nothing(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning = offices["planning"]
    before = dump(planning)
    for name, path in _hostile_files(tmp_path, offices["a.xlsx"]).items():
        capsys.readouterr()
        assert run(planning, "merge", str(path)) == 2, name
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, (name, err)
        assert name in err[0] and " / " in err[0], (name, err)
        assert dump(planning) == before, name


def test_export_refuses_an_unfinalised_year_unless_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = init(tmp_path / "a.sqlite3")
    enter_all(db, {"7-1-1-K2": "55"})
    out = tmp_path / "draft.xlsx"
    capsys.readouterr()
    assert run(db, "export", "--department", "community", "--year", YEAR, "-o", str(out)) == 2
    assert "確定" in capsys.readouterr().err
    assert not out.exists()
    assert run(db, "finalise", "--department", "community", "--year", YEAR) == 2
    assert run(db, "export", "--department", "community", "--year", YEAR, "-o", str(out),
               "--draft") == 0  # fmt: skip
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets:
        texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
        assert "下書き" in texts or "draft" in texts.lower(), sheet.title
    planning = init(tmp_path / "p.sqlite3")
    code, reports = merge_json(planning, capsys, str(out))
    assert code == 0
    assert any("下書き" in n for n in reports[0]["notes_ja"])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_libreoffice_resave_merges_with_identical_values(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(outdir), str(offices["a.xlsx"])],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    resaved = outdir / "community.xlsx"
    planning, direct = offices["planning"], init(tmp_path / "direct.sqlite3")
    code, reports = merge_json(planning, capsys, str(resaved))
    assert code == 0 and reports[0]["counts"]["new"] == 6
    assert reports[0]["kind"] in ("resaved", "edited")
    assert merge_json(direct, capsys, str(offices["a.xlsx"]))[0] == 0
    assert values_of(planning, capsys) == values_of(direct, capsys)


def test_only_init_creates_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo.sqlite3"
    capsys.readouterr()
    assert run(missing, "show") == 2
    assert "kplan init" in capsys.readouterr().err
    assert not missing.exists()


def test_finalise_refuses_a_year_outside_the_plan_and_a_department_without_indicators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = init(tmp_path / "a.sqlite3")
    before = dump(db)
    for args, words in (
        (("--department", "community", "--year", "2030"), "計画期間"),
        (("--department", "community", "--year", "R12"), "計画期間"),
        (("--department", "planning", "--year", YEAR), "指標はありません"),
    ):
        capsys.readouterr()
        assert run(db, "finalise", *args) == 2
        assert words in capsys.readouterr().err
    assert dump(db) == before


def test_an_unfinalisable_year_lists_what_is_open_japanese_then_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = init(tmp_path / "a.sqlite3")
    capsys.readouterr()
    assert run(db, "finalise", "--department", "community", "--year", YEAR) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("確定できません")
    assert any("7-1-1-A1" in line and "単位が未設定" in line for line in err)
    assert err[-1].startswith("7-1-2-K1") or "Cannot finalise" in "\n".join(err)
    assert not any(line.endswith("/ Cannot finalise") for line in err)


def test_every_command_runs_as_a_module(tmp_path: Path) -> None:
    """`python -m kplan_desktop.cli` reaches every handler (the bench and scripts call it so)."""
    import sys

    db = str(tmp_path / "m.sqlite3")
    for args in (["init"], ["backups"], ["backup"], ["departments"]):
        done = subprocess.run(
            [sys.executable, "-m", "kplan_desktop.cli", "--db", db, *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (args, done.stderr)


def test_an_r7_submission_merges_after_r6_is_locked_its_r6_rows_unchanged(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planning, community = offices["planning"], offices["community"]
    assert merge_json(planning, capsys, str(offices["a.xlsx"]))[0] == 0
    assert run(planning, "year", "lock", "--year", "R6") == 0
    enter_all(community, COMMUNITY, year="2025", note="R7: ")
    assert run(community, "finalise", "--department", "community", "--year", "2025") == 0
    r7 = tmp_path / "community-r7.xlsx"
    assert run(community, "export", "--department", "community", "--year", "2025",
               "-o", str(r7)) == 0  # fmt: skip
    code, reports = merge_json(planning, capsys, str(r7))
    assert code == 0, reports
    lines = reports[0]["rows"]
    r6 = [line for line in lines if line["fiscal_year"] == 2024]
    assert len(r6) == 6 and {line["outcome"] for line in r6} == {"unchanged"}
    assert reports[0]["counts"]["new"] == 6 and reports[0]["written"]
    # A change to the locked year is refused on its own row; the file's other rows merge.
    withdrawn = tmp_path / "community-r7-changed.xlsx"
    assert run(planning, "enter", "--indicator", "7-1-1-K1", "--year", "2025",
               "--value", "") == 0  # fmt: skip
    before = values_of(planning, capsys)
    capsys.readouterr()
    book = openpyxl.load_workbook(r7)
    sheet = book["data"]
    keys = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        year = sheet.cell(row=row, column=keys.index("fiscal_year") + 1).value
        code_cell = sheet.cell(row=row, column=keys.index("indicator") + 1).value
        if str(year) == "2024" and code_cell == "7-1-1-K2":
            sheet.cell(row=row, column=keys.index("value") + 1, value="56")
        if str(year) == "2025" and code_cell == "7-1-1-K1":
            sheet.cell(row=row, column=keys.index("value") + 1, value="4")
    book.save(withdrawn)
    code, reports = merge_json(planning, capsys, str(withdrawn))
    outcomes = {(x["indicator"], x["fiscal_year"]): x["outcome"] for x in reports[0]["rows"]}
    assert outcomes[("7-1-1-K2", 2024)] == "rejected"
    assert outcomes[("7-1-1-K1", 2025)] == "new"
    assert (
        reports[0]["written"] and reports[0]["counts"]["rejected"] == 1
    )  # (exit 2: a row refused)
    assert values_of(planning, capsys) == before  # R6 as it was
    capsys.readouterr()
    assert run(planning, "show", "--json", "--year", "2025") == 0
    shown = {r["code"]: r["years"]["2025"]["value"] for r in json.loads(capsys.readouterr().out)}
    assert shown["7-1-1-K1"] == "4"  # the file's other row merged


def test_a_value_changed_three_times_between_two_submissions_merges_as_an_update(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 1 of trial 15b: the newest file was called older (D:31 replaces D:30, D:22 held)."""
    planning, community = offices["planning"], offices["community"]
    assert merge_json(planning, capsys, str(offices["a.xlsx"]))[0] == 0
    assert run(community, "finalise", "--department", "community", "--year", YEAR,
               "--withdraw") == 0  # fmt: skip
    for text in ("5", "4", "6"):
        assert run(community, "enter", "--indicator", "7-1-1-K1", "--year", YEAR,
                   "--value", text) == 0  # fmt: skip
    newer = submit(community, "community", tmp_path / "newer.xlsx")
    code, reports = merge_json(planning, capsys, str(newer), "--dry-run")
    row = {r["indicator"]: r for r in reports[0]["rows"]}["7-1-1-K1"]
    assert code == 0
    assert (row["outcome"], row["file_value"], row["db_value"]) == ("updated", "6", "3")
    assert merge_json(planning, capsys, str(newer))[0] == 0
    assert values_of(planning, capsys)["7-1-1-K1"][0] == "6"
    # And the first file, arriving again, is older than what is merged.
    late = merge_json(planning, capsys, str(offices["a.xlsx"]))[1][0]["rows"]
    k1 = {r["indicator"]: r for r in late}["7-1-1-K1"]
    assert k1["outcome"] == "conflict" and "古いファイル" in k1["reason_ja"]


def test_a_restored_department_database_never_reuses_a_sequence_and_its_fork_is_a_conflict(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kplan restore` puts back an older audit log: later changes continue above every number
    the database had issued, so they neither pass for the merged revisions nor skip them."""
    planning, community = offices["planning"], offices["community"]
    backup = tmp_path / "before.sqlite3"
    assert run(community, "backup", "-o", str(backup)) == 0
    assert run(community, "finalise", "--department", "community", "--year", YEAR,
               "--withdraw") == 0  # fmt: skip
    for text in ("5", "4"):
        assert run(community, "enter", "--indicator", "7-1-1-K1", "--year", YEAR,
                   "--value", text) == 0  # fmt: skip
    first = submit(community, "community", tmp_path / "first.xlsx")
    assert merge_json(planning, capsys, str(first))[0] == 0
    capsys.readouterr()
    assert run(community, "audit", "--json") == 0
    issued = max(r["id"] for r in json.loads(capsys.readouterr().out))

    assert run(community, "restore", str(backup)) == 0
    assert run(community, "finalise", "--department", "community", "--year", YEAR,
               "--withdraw") == 0  # fmt: skip
    assert run(community, "enter", "--indicator", "7-1-1-K1", "--year", YEAR,
               "--value", "9", "--comment", "復元後") == 0  # fmt: skip
    capsys.readouterr()
    assert run(community, "audit", "--json") == 0
    after = json.loads(capsys.readouterr().out)
    restored_at = next(r["id"] for r in after if r["action"] == "restore")
    assert restored_at == issued + 1
    assert max(r["id"] for r in after) > issued + 1
    forked = submit(community, "community", tmp_path / "forked.xlsx")
    before = dump(planning)["actual"]
    code, reports = merge_json(planning, capsys, str(forked))
    row = {r["indicator"]: r for r in reports[0]["rows"]}["7-1-1-K1"]
    # K1 "9" replaces the backup's "3", not the merged "4": which is newer is not known.
    assert row["outcome"] == "conflict" and "つながりません" in row["reason_ja"]
    assert code == 1 and dump(planning)["actual"] == before
    assert values_of(planning, capsys)["7-1-1-K1"][0] == "4"


def test_a_reinitialised_department_database_is_another_database(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database made anew (`kplan init` on a new file) has a new id: its counter starting
    again never passes for the merged revisions — its values are a conflict to decide."""
    planning = offices["planning"]
    assert merge_json(planning, capsys, str(offices["a.xlsx"]))[0] == 0
    fresh = init(tmp_path / "community-new.sqlite3")
    enter_all(fresh, {**COMMUNITY, "7-1-1-K1": "8"}, note="新")
    for n in range(30):  # its numbers run past the first database's
        assert run(fresh, "enter", "--indicator", "7-1-2-K1", "--year", YEAR,
                   "--value", str(20 + n % 2), "--comment", "x") == 0  # fmt: skip
    again = submit(fresh, "community", tmp_path / "again.xlsx")
    before = dump(planning)["actual"]
    code, reports = merge_json(planning, capsys, str(again))
    row = {r["indicator"]: r for r in reports[0]["rows"]}["7-1-1-K1"]
    assert row["outcome"] == "conflict" and "古いファイル" not in row["reason_ja"]
    assert code == 1 and dump(planning)["actual"] == before


def test_a_copied_department_database_used_in_two_places_is_a_conflict_not_an_update(
    offices: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy keeps the database ID and its numbers: the copy's later value does not descend
    from the one the original sent meanwhile, so it is a conflict (never silently newer)."""
    planning, community = offices["planning"], offices["community"]
    assert merge_json(planning, capsys, str(offices["a.xlsx"]))[0] == 0
    copy = tmp_path / "copy.sqlite3"
    assert run(community, "backup", "-o", str(copy)) == 0  # a consistent copy of the file
    for db, values in ((community, ("5", "4")), (copy, ("56", "57", "58"))):
        assert run(db, "finalise", "--department", "community", "--year", YEAR,
                   "--withdraw") == 0  # fmt: skip
        for text in values:  # the original changes K1; the copy changes K2 first, then K1
            indicator = "7-1-1-K1" if db == community else "7-1-1-K2"
            assert run(db, "enter", "--indicator", indicator, "--year", YEAR, "--value", text,
                       "--comment", "c") == 0  # fmt: skip
    assert run(copy, "enter", "--indicator", "7-1-1-K1", "--year", YEAR, "--value", "2",
               "--comment", "c") == 0  # fmt: skip
    original = submit(community, "community", tmp_path / "original.xlsx")
    copied = submit(copy, "community", tmp_path / "copied.xlsx")
    assert merge_json(planning, capsys, str(original))[0] == 0
    code, reports = merge_json(planning, capsys, str(copied))
    rows = {r["indicator"]: r for r in reports[0]["rows"]}
    assert code == 1
    assert rows["7-1-1-K1"]["outcome"] == "conflict"
    assert "つながりません" in rows["7-1-1-K1"]["reason_ja"]
    # K2 was changed only in the copy, from the value both share (merged before the copy was
    # made): that one does descend, and updates.
    assert rows["7-1-1-K2"]["outcome"] == "updated"
    merged = values_of(planning, capsys)
    assert (merged["7-1-1-K1"][0], merged["7-1-1-K2"][0]) == ("4", "58")
