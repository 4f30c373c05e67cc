"""Crash safety: a child killed with SIGKILL 20 times leaves nothing corrupt, partial or lost;
and the checker that says so does find damage when there is some."""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kplan_desktop.store.engine import Store
from tests.reliability.crash import Checker, Setup, prepare, run, snapshot
from tests.reliability.crash_worker import Journal, Worker

KILLS = 20


def test_a_worker_killed_twenty_times_leaves_nothing_corrupt_partial_or_lost(
    tmp_path: Path,
) -> None:
    seed = random.SystemRandom().randrange(1 << 32)
    said: list[str] = []
    result = run(KILLS, seed=seed, folder=tmp_path, rows=60, window=1.0, say=said.append)
    print("\n".join(said))
    assert result.failed is None, result.failed
    assert re.fullmatch(r"kills=\d+ corrupt=\d+ partial=\d+ lost=\d+", said[-1])
    assert said[-1] == f"kills={KILLS} corrupt=0 partial=0 lost=0", f"seed={seed}"


# -- the checker finds damage ----------------------------------------------------------------

MERGED_ONLY = ("9-1-2-K5", 2024)  # in the generated files, never entered by the worker
ENTERED = ("9-1-1-K1", 2023)  # entered by the worker, in no file


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    """A planning database after two merges and three acknowledged entries, no kill."""
    setup = prepare(tmp_path_factory.mktemp("crash"), rows=20)
    files = {f.path.name: {"path": str(f.path), "sha": f.sha} for f in setup.files.values()}
    store = Store.open(str(setup.planning))
    journal = Journal(setup.journal)
    worker = Worker(store, journal, 0, list(files.values()), setup.keys, random.Random(0))
    worker.merge(files["gen-v1.xlsx"], None)
    worker.merge(files["community-v1.xlsx"], None)
    worker.enter([("9-1-1-K2", 2024, "101"), ("9-1-1-K3", 2023, "102")])
    worker.enter([(*ENTERED, "103")])
    worker.enter([("7-1-1-K2", 2024, "未集計")])
    journal.close()
    store.dispose()
    return setup


def damaged(setup: Setup, folder: Path, damage: Callable[[sqlite3.Connection], None]) -> Path:
    copy = snapshot(setup.planning, folder / "copy")
    conn = sqlite3.connect(copy)
    with conn:
        damage(conn)
    conn.close()
    return copy


def figures(setup: Setup, db: Path) -> tuple[int, int, int]:
    checker = Checker(setup)
    checker.check(db)
    return checker.figures()


def test_the_undamaged_database_passes(worked: Setup) -> None:
    assert figures(worked, worked.planning) == (0, 0, 0)


def delete_merged_value(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM actual WHERE indicator_code = ? AND fiscal_year = ?", MERGED_ONLY)


def delete_merged_audit_row(conn: sqlite3.Connection) -> None:
    conn.execute(
        "DELETE FROM audit WHERE source = 'merge' AND indicator_code = ? AND fiscal_year = ?",
        MERGED_ONLY,
    )


def delete_merge_report(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM merge_report WHERE file = 'gen-v1.xlsx'")


def delete_submission_record(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM submission WHERE file = 'community-v1.xlsx'")


def delete_half_a_batch(conn: sqlite3.Connection) -> None:
    conn.execute(
        "DELETE FROM audit WHERE indicator_code = '9-1-1-K3' AND fiscal_year = 2023"
        " AND source = 'test'"
    )
    conn.execute("DELETE FROM actual WHERE indicator_code = '9-1-1-K3' AND fiscal_year = 2023")


@pytest.mark.parametrize(
    "damage",
    [
        delete_merged_value,
        delete_merged_audit_row,
        delete_merge_report,
        delete_submission_record,
        delete_half_a_batch,
    ],
)
def test_a_merged_file_present_in_part_counts_as_partial(
    worked: Setup, tmp_path: Path, damage: Callable[[sqlite3.Connection], None]
) -> None:
    corrupt, partial, _ = figures(worked, damaged(worked, tmp_path, damage))
    assert corrupt == 0
    assert partial >= 1


def delete_entered_value(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM actual WHERE indicator_code = ? AND fiscal_year = ?", ENTERED)


def delete_entry_entirely(conn: sqlite3.Connection) -> None:
    delete_entered_value(conn)
    conn.execute("DELETE FROM audit WHERE indicator_code = ? AND fiscal_year = ?", ENTERED)


def stale_value(conn: sqlite3.Connection) -> None:
    conn.execute(
        "UPDATE actual SET value = '99' WHERE indicator_code = ? AND fiscal_year = ?", ENTERED
    )


@pytest.mark.parametrize("damage", [delete_entered_value, delete_entry_entirely, stale_value])
def test_an_acknowledged_entry_missing_counts_as_lost(
    worked: Setup, tmp_path: Path, damage: Callable[[sqlite3.Connection], None]
) -> None:
    assert figures(worked, damaged(worked, tmp_path, damage)) == (0, 0, 1)


def test_garbage_in_the_middle_of_the_file_counts_as_corrupt(worked: Setup, tmp_path: Path) -> None:
    copy = damaged(worked, tmp_path, lambda conn: None)
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = copy.stat().st_size
    with copy.open("r+b") as file:
        file.seek(size // 4)
        file.write(random.Random(7).randbytes(size // 2))
    corrupt, _, _ = figures(worked, copy)
    assert corrupt == 1
