"""The same commands on a SQLite file and on the server give the same answers and workbooks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy.engine import make_url

from kplan_desktop.cli import main
from kplan_desktop.store.requests import current_user
from tests.conftest import Database

pytestmark = pytest.mark.postgresql_only

VALUES = {
    "7-1-1-K1": ("3", None),
    "7-1-1-K2": ("200", "行事が増えたため"),  # a warning, explained
    "7-1-1-K3": ("１，５００人", None),
    "7-1-1-A1": ("未集計", None),
    "7-2-1-A1": ("70%", None),
}


def session(
    db: Database, out: Path, capsys: pytest.CaptureFixture[str], person: str
) -> dict[str, Any]:
    """Everything a clerk and the planning division would do and read, on one database.

    `person` is who the database records: the login on a server, the OS user on a file.
    """

    def run(*args: str) -> str:
        capsys.readouterr()
        assert main(["--db", str(db), *args]) in (0, 1), args
        return capsys.readouterr().out

    run("init")
    for code, (value, comment) in VALUES.items():
        run("enter", "--indicator", code, "--year", "R6", "--value", value,
            *(("--comment", comment) if comment else ()))  # fmt: skip
    run("year", "lock", "--year", "R5")
    shown = json.loads(run("show", "--json"))
    for row in shown:
        for cell in row["years"].values():
            cell.pop("revision")  # names the database, which differs by nature
    audit = [
        {k: v for k, v in entry.items() if k not in ("id", "at", "who")}
        for entry in json.loads(run("audit", "--json"))
    ]
    assert {entry["who"] for entry in json.loads(run("audit", "--json"))} == {person}
    run("export", "--department", "community", "--year", "R6", "-o", str(out / "s.xlsx"),
        "--draft")  # fmt: skip
    run("report", "-o", str(out / "r.xlsx"), "--year", "R6")
    return {
        "show": shown,
        "validate": json.loads(run("validate", "--json")),
        "audit": audit,
        "submission": cells(out / "s.xlsx", person),
        "report": cells(out / "r.xlsx", person),
        "years": run("year", "list"),
    }


# What differs by nature between two databases: the moment, each database's own id, and the
# checksums and signatures made over them.
# (The printable sheet shows minutes only: two runs may fall either side of a minute.)
_MOMENT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?\S*")
_DATABASE_ID = re.compile(r"\b[0-9a-f]{32,}\b")


def cells(path: Path, person: str) -> dict[str, list[tuple[object, ...]]]:
    def same(value: object) -> object:
        if isinstance(value, datetime):
            return "<moment>"
        if value in (person, current_user()):  # the report names the PC's user on both
            return "<person>"
        if isinstance(value, str):
            return _DATABASE_ID.sub("<db>", _MOMENT.sub("<moment>", value))
        return value

    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [tuple(same(v) for v in row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def test_every_command_answers_the_same_on_sqlite_and_on_the_server(
    new_db: Callable[[str], Database],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "lite").mkdir()
    (tmp_path / "server").mkdir()
    server = new_db("kplan")
    on_server = session(server, tmp_path / "server", capsys, str(make_url(str(server)).username))
    lite = tmp_path / "lite" / "kplan.sqlite3"
    on_file = session(lite, tmp_path / "lite", capsys, current_user())
    assert on_server["show"] == on_file["show"]
    assert on_server["validate"] == on_file["validate"]
    assert on_server["audit"] == on_file["audit"]
    assert on_server["years"] == on_file["years"]
    for kind in ("submission", "report"):
        assert on_server[kind].keys() == on_file[kind].keys()
        for sheet in on_file[kind]:
            assert on_server[kind][sheet] == on_file[kind][sheet], (kind, sheet)
