"""Backups with SQLite's online backup API, rotation, once-a-day start backups, restore."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.exchange.catalog_json import stored_catalog_hash
from kplan_desktop.store.backup import (
    backup_at_start,
    backups,
    check_backup,
    restore,
    take_backup,
)
from kplan_desktop.store.engine import SCHEMA_HEAD, Store
from kplan_desktop.store.requests import EntrySource
from tests.conftest import dump

# Backups and full disks are about SQLite files; the server is backed up with pg_dump.
pytestmark = pytest.mark.sqlite_only


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def value_of(db: Path, code: str, capsys: pytest.CaptureFixture[str]) -> object:
    capsys.readouterr()
    assert run(db, "show", "--json", "--year", "2024") == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    cell = rows[code]["years"].get("2024")
    return None if cell is None else cell["value"]


def test_a_backup_is_a_consistent_copy_taken_while_the_database_is_open(db: Path) -> None:
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "55") == 0
    store = Store.open(str(db))
    # A reader holds the database open in another connection, as the window would.
    holder = sqlite3.connect(db)
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM actual").fetchone()
    copy = take_backup(store, "manual")
    holder.rollback()
    holder.close()
    assert copy.parent == db.parent / "backups"
    assert check_backup(copy).version == SCHEMA_HEAD
    assert dump(copy) == dump(db)
    assert not list(copy.parent.glob("*.partial"))


def test_automatic_backups_rotate_and_a_named_one_is_kept(db: Path, tmp_path: Path) -> None:
    store = Store.open(str(db))
    for _ in range(5):
        take_backup(store, "merge", keep=3)
    assert [b.reason for b in backups(store)] == ["merge"] * 3
    named = take_backup(store, "manual", target=tmp_path / "mine.sqlite3", keep=3)
    assert named.exists() and len(backups(store)) == 3


def test_the_start_backup_is_taken_once_a_day(db: Path) -> None:
    store = Store.open(str(db))
    today = datetime.now(UTC)
    assert backup_at_start(store, today=today) is not None
    assert backup_at_start(store, today=today) is None
    assert backup_at_start(store, today=today + timedelta(days=1)) is not None


def test_restore_brings_back_that_moment_and_backs_up_what_it_replaces(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "55") == 0
    capsys.readouterr()
    assert run(db, "backup") == 0
    saved = Path(capsys.readouterr().out.split(": ", 1)[1].strip())
    moment = dump(db)
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "58") == 0
    assert run(db, "enter", "--indicator", "7-1-1-K1", "--year", "2024", "--value", "3") == 0
    before_restore = dump(db)
    assert run(db, "restore", str(saved)) == 0
    assert value_of(db, "7-1-1-K2", capsys) == "55"
    assert value_of(db, "7-1-1-K1", capsys) is None
    restored = dump(db)
    # The same content as at the backup, plus the audit row that says it was restored.
    assert {t: r for t, r in restored.items() if t != "audit"} == {
        t: r for t, r in moment.items() if t != "audit"
    }
    assert restored["audit"][: len(moment["audit"])] == moment["audit"]
    assert "restore" in {row[4] for row in restored["audit"]}
    replaced = next(b for b in backups(Store.open(str(db))) if b.reason == "restore")
    assert dump(replaced.path) == before_restore
    capsys.readouterr()
    assert run(db, "backups") == 0
    assert "restore" in capsys.readouterr().out


def test_restore_refuses_what_is_not_a_kplan_database_and_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database", encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    future = tmp_path / "future.sqlite3"
    store = Store.open(str(db))
    take_backup(store, "manual", target=future)
    with sqlite3.connect(future) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = dump(db)
    for bad, words in (
        (text, "SQLite"),
        (other, "kplan"),
        (future, "9999"),
        (tmp_path / "none", ""),
    ):
        capsys.readouterr()
        assert run(db, "restore", str(bad)) == 2
        err = capsys.readouterr().err
        assert "復元できません" in err and words in err
        assert dump(db) == before
    with pytest.raises(DomainError):
        restore(store, text, who="t", source=EntrySource.TEST, catalog_identity=stored_catalog_hash)


def test_backups_are_refused_clearly_for_a_server_database() -> None:
    store = Store.open("sqlite://", migrate=False)
    with pytest.raises(DomainError) as refused:
        take_backup(store, "manual")
    assert refused.value.code == "E_BACKUP_NOT_SQLITE"


def test_a_merge_and_a_catalog_import_take_a_backup_first(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "catalog.json"
    assert run(db, "catalog", "export", "-o", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    data["plan"]["name"] = data["plan"]["name"] + "（改訂）"
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run(db, "catalog", "import", str(out)) == 0
    assert [b.reason for b in backups(Store.open(str(db)))] == ["catalog"]
    submission = tmp_path / "s.xlsx"
    assert run(db, "export", "--department", "community", "--year", "2024", "-o",
               str(submission), "--draft") == 0  # fmt: skip
    assert run(db, "merge", "--dry-run", str(submission)) == 0
    assert len(backups(Store.open(str(db)))) == 1
    assert run(db, "merge", str(submission)) == 0
    assert [b.reason for b in backups(Store.open(str(db)))] == ["merge", "catalog"]


def test_a_backup_killed_half_way_leaves_nothing_for_long(db: Path) -> None:
    import os
    import time

    store = Store.open(str(db))
    folder = db.parent / "backups"
    folder.mkdir()
    stale = folder / "kplan-20260101-000000-000000-manual.sqlite3.partial"
    fresh = folder / "kplan-20260101-000001-000000-manual.sqlite3.partial"
    for leftover in (stale, fresh):
        leftover.write_bytes(b"half a copy")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    take_backup(store, "manual")
    assert not stale.exists()
    assert fresh.exists()  # perhaps another program's copy in progress: left alone
