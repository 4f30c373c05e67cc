"""One use case, one transaction: a process killed in the middle of a catalog install or of a
file's merge leaves the database as it was, never half of the use case (SQLite and PostgreSQL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

import kplan_desktop
from kplan_desktop.cli import main
from kplan_desktop.store.actuals import EntryRequest, read_actuals, write_actuals
from kplan_desktop.store.catalog import indicator_count
from kplan_desktop.store.cycle import year_cycles
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import submissions
from tests import seeded
from tests.conftest import Database, dump
from tests.store.uow_child import KILLED

YEAR = 2024
DUE = "2025-06-30"
COMMUNITY = {
    "7-1-1-A1": "未集計",
    "7-1-1-K1": "3",
    "7-1-1-K2": "55",
    "7-1-1-K3": "1,500人",
    "7-1-2-A1": "該当なし",
    "7-1-2-K1": "20",
}


def run(db: Database, *args: str) -> int:
    return main(["--db", str(db), *args])


def child(db: Database, use_case: str, file: Path, *, die: bool) -> int:
    """The use case in a process of its own; its exit status."""
    source = str(Path(kplan_desktop.__file__).resolve().parent.parent)
    root = str(Path(__file__).resolve().parent.parent.parent)
    path = os.pathsep.join(p for p in (source, root, os.environ.get("PYTHONPATH")) if p)
    argv = [str(db), use_case, str(file), "yes" if die else "no"]
    done = subprocess.run(
        [sys.executable, "-m", "tests.store.uow_child", *argv],
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
    )
    return done.returncode


def issued_catalog(db: Database, folder: Path) -> Path:
    """The planning division's catalog file, opening FY2024 with a due date."""
    assert run(db, "cycle", "open", "--year", str(YEAR), "--due", DUE, "--past-due") == 0
    path = folder / "catalog.json"
    assert run(db, "catalog", "export", "-o", str(path)) == 0
    cycles = json.loads(path.read_text(encoding="utf-8"))["cycle"]
    assert cycles == [{"fiscal_year": YEAR, "due_date": DUE}]
    return path


def test_a_catalog_install_killed_between_the_catalog_and_its_years_leaves_neither(
    db: Database, new_db: Callable[[str], Database], tmp_path: Path
) -> None:
    catalog = issued_catalog(db, tmp_path)
    department = new_db("department")
    Store.open(str(department)).dispose()  # an empty, migrated database: no catalog yet
    before = dump(department)
    assert child(department, "catalog", catalog, die=True) == KILLED
    assert dump(department) == before
    store = Store.open(str(department))
    with store.snapshot() as conn:
        assert indicator_count(conn, 1) == 0
        assert year_cycles(conn, 1) == {}
    store.dispose()
    # The same install, not killed: both.
    assert child(department, "catalog", catalog, die=False) == 0
    store = Store.open(str(department))
    with store.snapshot() as conn:
        assert indicator_count(conn, 1) > 0
        cycle = year_cycles(conn, 1)[YEAR]
    assert cycle.due_date is not None and cycle.due_date.isoformat() == DUE
    store.dispose()


def test_a_merge_killed_inside_one_file_leaves_nothing_of_that_file(
    db: Database, new_db: Callable[[str], Database], tmp_path: Path
) -> None:
    department = new_db("department")
    seeded.init(department)
    for code, text in COMMUNITY.items():
        entered = ("--indicator", code, "--year", str(YEAR), "--value", text, "--comment", "c")
        assert run(department, "enter", *entered) == 0
    assert run(department, "finalise", "--department", "community", "--year", str(YEAR)) == 0
    file = tmp_path / "community.xlsx"
    assert (
        run(department, "export", "--department", "community", "--year", str(YEAR), "-o", str(file))
        == 0
    )
    before = dump(db)
    assert child(db, "merge", file, die=True) == KILLED
    assert dump(db) == before
    # Not killed: the values and the file's record, together.
    assert child(db, "merge", file, die=False) == 0
    store = Store.open(str(db))
    with store.snapshot() as conn:
        merged = {a.indicator_code for a in read_actuals(conn, 1, fiscal_year=YEAR)}
        received = [s.file for s in submissions(conn, 1)]
    assert merged == set(COMMUNITY)
    assert received == ["community.xlsx"]
    store.dispose()


def test_a_snapshot_reads_one_moment_while_others_write(db: Database) -> None:
    store, other = Store.open(str(db)), Store.open(str(db))
    with store.snapshot() as conn:
        before = read_actuals(conn, 1)
        with other.transaction() as writer:
            write_actuals(
                writer, 1, [EntryRequest("7-1-1-K1", YEAR, "3")], who="o", source=EntrySource.TEST
            )
        assert read_actuals(conn, 1) == before
    with store.snapshot() as conn:
        assert [a.text for a in read_actuals(conn, 1)] == ["3"]
    store.dispose()
    other.dispose()


def test_nothing_is_written_inside_a_snapshot(db: Database) -> None:
    store = Store.open(str(db))
    before = dump(db)
    with pytest.raises(DBAPIError), store.snapshot() as conn:
        write_actuals(
            conn, 1, [EntryRequest("7-1-1-K1", YEAR, "3")], who="o", source=EntrySource.TEST
        )
    assert dump(db) == before
    # The connection goes back to the pool writable: the next transaction writes.
    with store.transaction() as conn:
        write_actuals(
            conn, 1, [EntryRequest("7-1-1-K1", YEAR, "3")], who="o", source=EntrySource.TEST
        )
    store.dispose()
