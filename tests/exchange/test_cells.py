"""The one cell-writing policy (exchange/cells.py), as every writer applies it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from tests.workbooks import sheet

from kplan_desktop.exchange.cells import clean_text, needs_quote, text_problem
from kplan_desktop.exchange.cycle_xlsx import write_pending
from kplan_desktop.store.cycle import DepartmentStatus, Status

RISKY = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\n=1+1", "\r=1+1", "#N/A", "#REF!"]
SAFE = ["総務課", "1-2", "a=b", "#1", "メール: a@example.invalid"]


@pytest.mark.parametrize("text", RISKY)
def test_formula_like_and_error_texts_need_the_quote_prefix(text: str) -> None:
    assert needs_quote(text)


@pytest.mark.parametrize("text", SAFE)
def test_ordinary_texts_do_not(text: str) -> None:
    assert not needs_quote(text)


def test_what_a_cell_cannot_hold_is_named_or_cleaned() -> None:
    assert text_problem("a\rb") is not None and text_problem("a\x1bb") is not None
    assert text_problem("x" * 32_768) is not None and text_problem("改行\nタブ\t") is None
    assert clean_text("a\r\nb\x1bc") == "a\nb\ufffdc"


def test_the_pending_list_quotes_formula_like_names_and_contacts_like_every_workbook(
    tmp_path: Path,
) -> None:
    rows = [
        DepartmentStatus(
            code=f"d{n}",
            name=text,
            status=Status.NOT_STARTED,
            indicators=3,
            entered=0,
            finalised_at=None,
            merged_at=None,
            contact=f"-{n} 内線",
        )
        for n, text in enumerate([*RISKY[:4], "\t=cmd|' /C calc'!A0"])
    ]
    path = tmp_path / "pending.xlsx"
    write_pending(path, 2024, None, rows)
    ws = sheet(openpyxl.load_workbook(path))
    written = [ws.cell(row=r, column=c) for r in range(5, 5 + len(rows)) for c in (2, 6)]
    assert len(written) == 10
    for cell in written:
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix, (cell.coordinate, cell.value)
    assert not ws.cell(row=5, column=1).quotePrefix  # "d0": nothing to guard


def test_a_unit_with_a_double_quote_is_shown_the_same_in_the_submission_and_the_report(
    tmp_path: Path,
) -> None:
    """One number-format policy (cells.format_literal): a double quote cannot be escaped inside
    a number format, so every writer shows it as ” — the submission used to drop it while the
    report kept it as ”, and a clerk saw two different units for one indicator."""
    import json

    from kplan_desktop.cli import main

    data = json.loads(Path("db/seed/catalog.json").read_text(encoding="utf-8"))
    for goal in data["goals"]:
        for policy in goal["policies"]:
            for measure in policy["measures"]:
                for indicator in measure["indicators"]:
                    if indicator["code"] == "7-1-1-K1":
                        indicator["unit"] = '回"'
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "plan.sqlite3"
    assert main(["--db", str(db), "init", "--catalog", str(catalog)]) == 0
    assert main(["--db", str(db), "enter", "--indicator", "7-1-1-K1", "--year", "2024",
                 "--value", "3", "--comment", "説明"]) == 0  # fmt: skip
    submission, report = tmp_path / "s.xlsx", tmp_path / "r.xlsx"
    assert main(["--db", str(db), "export", "--department", "community", "--year", "2024",
                 "--draft", "-o", str(submission)]) == 0  # fmt: skip
    assert main(["--db", str(db), "report", "--year", "2024", "-o", str(report)]) == 0

    def formats(path: Path, sheet: str) -> set[str]:
        """The number formats of the cells holding 3 in the indicator's rows."""
        ws = openpyxl.load_workbook(path)[sheet]
        return {
            c.number_format
            for row in ws.iter_rows()
            if any(isinstance(c.value, str) and "7-1-1-K1" in c.value for c in row)
            for c in row
            if c.value == 3
        }

    shown = formats(submission, "提出") | formats(report, "指標一覧")
    assert shown and all('"回”"' in f for f in shown), shown
