"""A full disk or a read-only database: a clear message, nothing partial, and recovery."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.actuals import EntryRequest, read_actuals, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from tests.conftest import dump, fill

# Backups and full disks are about SQLite files; the server is backed up with pg_dump.
pytestmark = pytest.mark.sqlite_only


def cap_pages(store: Store, pages: int | None) -> None:
    """SQLite's own limit on the file's size: past it, writes fail as on a full disk."""
    store.engine.dispose()

    def limit(dbapi_connection: Any, _record: Any) -> None:
        if pages is not None:
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(store.engine, "connect", limit)


def test_a_full_database_refuses_the_write_whole_and_takes_it_when_space_returns(
    db: Path,
) -> None:
    store = Store.open(str(db))
    with store.connect() as conn:
        used = conn.exec_driver_sql("PRAGMA page_count").scalar()
    cap_pages(store, int(used or 0))
    before = dump(db)
    big = [
        EntryRequest(f"7-1-1-K{n}", year, str(3 + year % 2), "説明" * 400)
        for n in (1, 2)
        for year in range(2022, 2027)
    ]
    with pytest.raises(DomainError) as refused, store.transaction() as conn2:
        write_actuals(conn2, 1, big, who="clerk", source=EntrySource.TEST)
    assert refused.value.code == "E_DB_FULL"
    assert "ディスクの空き" in refused.value.message_ja
    assert dump(db) == before
    free = Store.open(str(db))
    with free.transaction() as conn2:
        write_actuals(conn2, 1, big, who="clerk", source=EntrySource.TEST)
        assert len(read_actuals(conn2, 1)) == len(big)


def test_a_full_file_system_gives_one_clear_line_and_loses_nothing(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = small_disk / "kplan.sqlite3"
    assert main(["--db", str(db), "init"]) == 0
    assert main(["--db", str(db), "enter", "--indicator", "7-1-1-K2", "--year", "2024",
                 "--value", "55"]) == 0  # fmt: skip
    before = dump(db)
    filler = fill(small_disk)
    capsys.readouterr()
    long_comment = "説明" * 200
    code = main(["--db", str(db), "enter", "--indicator", "7-1-1-K1", "--year", "2024",
                 "--value", "3", "--comment", long_comment])  # fmt: skip
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "ディスク" in err[0]
    filler.unlink()
    assert dump(db) == before
    assert main(["--db", str(db), "enter", "--indicator", "7-1-1-K1", "--year", "2024",
                 "--value", "3", "--comment", long_comment]) == 0  # fmt: skip


def test_a_read_only_file_system_is_said_so_and_recovers(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = small_disk / "kplan.sqlite3"
    assert main(["--db", str(db), "init"]) == 0
    before = dump(db)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        capsys.readouterr()
        code = main(["--db", str(db), "enter", "--indicator", "7-1-1-K2", "--year", "2024",
                     "--value", "55"])  # fmt: skip
        err = capsys.readouterr().err
        assert code == 2 and "読み取り専用" in err
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert dump(db) == before
    assert main(["--db", str(db), "enter", "--indicator", "7-1-1-K2", "--year", "2024",
                 "--value", "55"]) == 0  # fmt: skip
