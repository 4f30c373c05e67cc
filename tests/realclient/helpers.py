"""Shared steps of the real-client tests: a planning database, its templates, the merge."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kplan_desktop.cli import main
from kplan_desktop.exchange.submission_xlsx import SHEET_TEMPLATE, TEMPLATE_HEADER_ROW

YEAR = "2024"


def kplan(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def fresh_db(base: Path, folder: Path, name: str) -> Path:
    """A copy of an initialised database (kplan init once per test, not once per file)."""
    target = folder / f"{name}.sqlite3"
    shutil.copyfile(base, target)
    return target


def template(db: Path, department: str, out: Path) -> Path:
    assert kplan(db, "template", "--department", department, "--year", YEAR, "-o", str(out)) == 0
    return out


def cell_of(path: Path, code: str, header_start: str = "実績値") -> str:
    """The address of `code`'s cell in the column whose header starts with `header_start`."""
    ws = openpyxl.load_workbook(path)[SHEET_TEMPLATE]
    column = next(
        c.column_letter
        for c in ws[TEMPLATE_HEADER_ROW]
        if isinstance(c.value, str) and c.value.startswith(header_start)
    )
    for row in ws.iter_rows(min_row=TEMPLATE_HEADER_ROW + 1):
        if row[0].value == code:
            return f"{column}{row[0].row}"
    raise AssertionError(f"{code} is not in {path.name}")


def merge(
    db: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, Any]]]:
    capsys.readouterr()
    code = kplan(db, "merge", "--json", *args)
    return code, json.loads(capsys.readouterr().out)


def stored(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, tuple[Any, Any, Any]]:
    """Every value or reason stored for YEAR: code → (value, missing_reason, comment)."""
    capsys.readouterr()
    assert kplan(db, "show", "--json", "--year", YEAR) == 0
    found = {}
    for row in json.loads(capsys.readouterr().out):
        cell = row["years"].get(YEAR)
        if cell and (cell["value"] is not None or cell["missing_reason"] is not None):
            found[row["code"]] = (cell["value"], cell["missing_reason"], cell["comment"])
    return found
