"""Safe by default: text that looks like a formula stays text in every workbook the program
writes; formulas in incoming files are never evaluated; defusedxml is on; a workbook's text is
never used as a path."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest
from openpyxl.cell.cell import Cell, MergedCell
from tests import seeded

from kplan_desktop.cli import main

INJECTIONS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A2)",
    '=HYPERLINK("http://example.invalid","click")',
    "\t=cmd|' /C calc'!A0",
    "\r=cmd|' /C calc'!A0",
    "=1+1",
]
CODES = ["7-1-1-K1", "7-1-1-K2", "7-1-1-K3", "7-1-2-K1"]
VALUES = {"7-1-1-K1": "3", "7-1-1-K2": "55", "7-1-1-K3": "1500", "7-1-2-K1": "20"}


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def every_cell(path: Path) -> list[Cell | MergedCell]:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_comments_stay_text_in_the_submission_and_the_report(
    db: Path, tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = CODES[INJECTIONS.index(text) % len(CODES)]
    entered = run(db, "enter", "--indicator", code, "--year", "2024", "--value", VALUES[code],
                  f"--comment={text}")  # fmt: skip
    if entered == 2:
        # Refused at the door (a control character): one clear line, and nothing to write.
        assert " / " in capsys.readouterr().err
        return
    submission = tmp_path / "s.xlsx"
    assert run(db, "export", "--department", "community", "--year", "2024", "-o",
               str(submission), "--draft") == 0  # fmt: skip
    report = tmp_path / "r.xlsx"
    assert run(db, "report", "-o", str(report), "--year", "2024") == 0
    for path in (submission, report):
        cells = every_cell(path)
        assert not [c.coordinate for c in cells if c.data_type == "f"], path.name
        holding = [c for c in cells if isinstance(c.value, str) and text.strip() in c.value]
        assert holding, (path.name, text)
        assert all(c.data_type == "s" for c in holding)


def test_a_formula_in_an_incoming_file_is_never_evaluated_or_trusted(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "55") == 0
    submission = tmp_path / "s.xlsx"
    assert run(db, "export", "--department", "community", "--year", "2024", "-o",
               str(submission), "--draft") == 0  # fmt: skip
    book = openpyxl.load_workbook(submission)
    data = book["data"]
    keys = [c.value for c in data[1]]
    data.cell(row=2, column=keys.index("value") + 1, value="=50+5")
    book.save(submission)
    planning = tmp_path / "p.sqlite3"
    seeded.init(planning)
    capsys.readouterr()
    assert run(planning, "merge", "--json", str(submission)) == 2
    report = capsys.readouterr().out
    assert "数式" in report and "55" not in report.split('"db_value"')[0].split("rows")[-1]


def test_defusedxml_guards_every_xml_part_openpyxl_reads() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


def test_text_from_a_workbook_is_never_used_as_a_path(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "55") == 0
    submission = tmp_path / "s.xlsx"
    assert run(db, "export", "--department", "community", "--year", "2024", "-o",
               str(submission), "--draft") == 0  # fmt: skip
    book = openpyxl.load_workbook(submission)
    meta = book["meta"]
    for row in meta.iter_rows():
        if row[0].value == "department":
            row[1].value = "../../escaped"
    book.save(submission)
    planning = tmp_path / "p.sqlite3"
    seeded.init(planning)
    before = set(os.listdir(tmp_path)) | set(os.listdir(tmp_path.parent))
    assert run(planning, "merge", str(submission)) == 2
    after = set(os.listdir(tmp_path)) | set(os.listdir(tmp_path.parent))
    assert after - before <= {"backups"}
    assert not (tmp_path.parent.parent / "escaped").exists()
