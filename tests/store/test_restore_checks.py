"""Restore that checks what it restores: only a file whose schema objects are exactly those of a
known kplan schema version (derived from the migrations themselves), of a sane size, from this
installation unless confirmed; the restore's own audit row is written after the check."""

from __future__ import annotations

import itertools
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.backup import (
    OtherInstallation,
    check_backup,
    expected_schema,
    known_schema_versions,
    restore,
    schema_objects,
    take_backup,
)
from kplan_desktop.store.engine import SCHEMA_HEAD, Store
from tests.conftest import dump

pytestmark = pytest.mark.sqlite_only


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def backup_of(db: Path, out: Path) -> Path:
    assert run(db, "backup", "-o", str(out)) == 0
    return out


def test_the_expected_schemas_are_the_migrations_own(tmp_path: Path) -> None:
    versions = known_schema_versions()
    assert versions[0] == "0001" and versions[-1] == SCHEMA_HEAD
    store = Store.open(str(tmp_path / "fresh.sqlite3"))
    store.dispose()
    with closing(sqlite3.connect(tmp_path / "fresh.sqlite3")) as conn:
        assert schema_objects(conn) == expected_schema(SCHEMA_HEAD)
    # Every migration changes the schema, so every version is told from its neighbours.
    schemas = [expected_schema(v) for v in versions]
    assert all(a != b for a, b in itertools.pairwise(schemas))
    kinds = {kind for kind, *_ in expected_schema(SCHEMA_HEAD)}
    assert kinds == {"table", "index"}  # kplan's SQLite schema has no trigger and no view


def _tampered(db: Path, out: Path, *statements: str) -> Path:
    backup_of(db, out)
    with closing(sqlite3.connect(out)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    return out


SHAPES = {
    "extra trigger": (
        "CREATE TRIGGER planted AFTER INSERT ON audit BEGIN "
        "UPDATE actual SET value = '1'; DELETE FROM signing_key; END",
    ),
    "view in place of a table": (
        "ALTER TABLE actual RENAME TO actual_data",
        "CREATE VIEW actual AS SELECT * FROM actual_data",
    ),
    "extra column": ("ALTER TABLE actual ADD COLUMN planted TEXT",),
    "extra index": ("CREATE INDEX planted ON audit (who)",),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_backup_with_foreign_schema_objects_is_refused_and_nothing_changes(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "55") == 0
    bad = _tampered(db, tmp_path / "bad.sqlite3", *SHAPES[shape])
    before = dump(db)
    backups_before = (
        sorted((db.parent / "backups").glob("*")) if (db.parent / "backups").exists() else []
    )
    capsys.readouterr()
    assert run(db, "restore", str(bad)) == 2
    err = capsys.readouterr().err
    assert "復元できません" in err and "スキーマ" in err, err
    assert dump(db) == before
    after = sorted((db.parent / "backups").glob("*")) if (db.parent / "backups").exists() else []
    assert after == backups_before  # refused before anything was done


def test_a_padded_or_oversized_file_is_refused(db: Path, tmp_path: Path) -> None:
    padded = backup_of(db, tmp_path / "padded.sqlite3")
    with padded.open("ab") as out:
        out.write(b"\0" * (4 * 1024 * 1024))
    before = dump(db)
    with pytest.raises(DomainError) as refused:
        restore(Store.open(str(db)), padded, who="t", source="test")
    assert "ページ数" in refused.value.message_ja
    assert dump(db) == before


def test_a_file_padded_with_free_pages_is_refused(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Padding SQLite itself keeps (a large value written and deleted): the pages stay, free.
    The limit is lowered so that the test writes megabytes, not the real limit's 64 MB."""
    from kplan_desktop.store import backup

    padded = backup_of(db, tmp_path / "free.sqlite3")
    with closing(sqlite3.connect(padded)) as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('pad', ?)", ("x" * 4_000_000,))
        conn.commit()
        conn.execute("DELETE FROM meta WHERE key = 'pad'")
        conn.commit()
    monkeypatch.setattr(backup, "MAX_FREE_BYTES", 1_000_000)
    before = dump(db)
    with pytest.raises(DomainError) as refused:
        restore(Store.open(str(db)), padded, who="t", source="test")
    assert "水増し" in refused.value.message_ja
    assert dump(db) == before


def test_another_installations_backup_needs_confirmation_naming_both(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.sqlite3"
    assert run(other, "init") == 0
    assert run(other, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "60") == 0
    theirs = backup_of(other, tmp_path / "theirs.sqlite3")
    ours_id = Store.open(str(db)).meta("database_id") or ""
    theirs_id = Store.open(str(other)).meta("database_id") or ""
    before = dump(db)
    capsys.readouterr()
    assert run(db, "restore", str(theirs)) == 2
    err = capsys.readouterr().err
    assert "別の端末" in err and ours_id[:12] in err and theirs_id[:12] in err
    assert "--other-installation" in err
    assert dump(db) == before
    with pytest.raises(OtherInstallation):
        restore(Store.open(str(db)), theirs, who="t", source="test")
    assert run(db, "restore", "--other-installation", str(theirs)) == 0
    restored = dump(db)
    assert any(row[4] == "restore" and theirs_id[:12] in str(row) for row in restored["audit"])


def test_a_backup_of_the_previous_schema_is_restored_and_migrated(
    db: Path, tmp_path: Path, key_folder: Path
) -> None:
    """A backup the previous release took (0009, with a registered HMAC secret) restores; the
    migration moves the secret out of the database."""
    from alembic import command
    from alembic.config import Config

    from kplan_desktop.store.paths import db_dir

    old = backup_of(db, tmp_path / "old.sqlite3")
    config = Config()
    config.set_main_option("script_location", str(db_dir() / "migrations"))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{old}")
    command.downgrade(config, "0009")
    with closing(sqlite3.connect(old)) as conn:
        conn.execute(
            "INSERT INTO signing_key (database_id, department_code, secret, own, added_at, "
            "added_by) VALUES ('abc', 'community', ?, 0, '2026-01-01', 't')",
            ("5e" * 32,),
        )
        conn.commit()
    assert check_backup(old).version == "0009"
    # One of the previous release's automatic backups, as it lies in the backups folder.
    folder = db.parent / "backups"
    folder.mkdir(exist_ok=True)
    earlier = folder / "kplan-20260101-000000-000000-start.sqlite3"
    earlier.write_bytes(old.read_bytes())
    store = Store.open(str(db))
    restore(store, old, who="t", source="test")
    assert ("5e" * 32).encode() not in earlier.read_bytes()
    assert check_backup(earlier).version == "0009"  # still restorable
    legacy = json.loads(next(key_folder.glob("legacy-hmac-*.json")).read_text(encoding="utf-8"))
    assert legacy["secrets"] == {"abc": "5e" * 32}
    assert store.current_revision() == SCHEMA_HEAD
    assert ("5e" * 32).encode() not in db.read_bytes()
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT database_id, department_code, public_key FROM signing_key")
        assert rows.fetchall() == [("abc", "community", None)]
    take_backup(store, "manual", target=tmp_path / "after.sqlite3")
    assert ("5e" * 32).encode() not in (tmp_path / "after.sqlite3").read_bytes()
