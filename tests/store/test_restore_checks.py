"""Restore that checks what it restores: only a file whose schema objects are exactly those of a
known kplan schema version (derived from the migrations themselves), of a sane size, from this
installation unless confirmed; the restore's own audit row is written after the check."""

from __future__ import annotations

import itertools
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.exchange.catalog_json import stored_catalog_hash
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
from kplan_desktop.store.requests import EntrySource
from tests import seeded
from tests.conftest import dump
from tests.store.test_closed_guards import guards_migration

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
    assert kinds == {"table", "index", "trigger"}  # kplan's SQLite schema has no view
    # Its only triggers: a closed plan generation's guards (migration 0016).
    triggers = {name for kind, name, *_ in expected_schema(SCHEMA_HEAD) if kind == "trigger"}
    assert triggers == set(guards_migration().sqlite_triggers())


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
        restore(
            Store.open(str(db)),
            padded,
            who="t",
            source=EntrySource.TEST,
            catalog_identity=stored_catalog_hash,
        )
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
        restore(
            Store.open(str(db)),
            padded,
            who="t",
            source=EntrySource.TEST,
            catalog_identity=stored_catalog_hash,
        )
    assert "水増し" in refused.value.message_ja
    assert dump(db) == before


def test_another_installations_backup_needs_confirmation_naming_both(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.sqlite3"
    seeded.init(other)
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
        restore(
            Store.open(str(db)),
            theirs,
            who="t",
            source=EntrySource.TEST,
            catalog_identity=stored_catalog_hash,
        )
    assert run(db, "restore", "--other-installation", str(theirs)) == 0
    restored = dump(db)
    assert any(row[4] == "restore" and theirs_id[:12] in str(row) for row in restored["audit"])


def previous_release_backup(db: Path, folder: Path) -> Path:
    """A backup as the previous release (schema 0009) wrote it of this database: a file made by
    the migrations up to 0009 (so its schema text is a real 0009's, not a downgrade's), holding
    this database's rows (copied from a downgraded backup)."""
    from alembic import command
    from alembic.config import Config

    from kplan_desktop.store.paths import db_dir

    def migrated(path: Path, upgrade: bool) -> None:
        config = Config()
        config.set_main_option("script_location", str(db_dir() / "migrations"))
        config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
        (command.upgrade if upgrade else command.downgrade)(config, "0009")

    rows = backup_of(db, folder / "downgraded.sqlite3")
    migrated(rows, upgrade=False)
    old = folder / "old.sqlite3"
    migrated(old, upgrade=True)
    with closing(sqlite3.connect(old)) as conn:
        conn.execute("ATTACH DATABASE ? AS source", (str(rows),))
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not str(r[0]).startswith("sqlite_")
        ]
        for table in tables:
            columns = ", ".join(
                f'"{r[1]}"' for r in conn.execute("SELECT * FROM pragma_table_info(?)", (table,))
            )
            conn.execute(f'DELETE FROM main."{table}"')
            conn.execute(
                f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM source."{table}"'
            )
        conn.commit()
        conn.execute("DETACH DATABASE source")
        conn.execute("VACUUM")
    return old


def test_a_backup_of_the_previous_schema_is_restored_and_migrated_without_its_secrets(
    db: Path, tmp_path: Path, key_folder: Path
) -> None:
    """A backup the previous release took (0009, with a registered HMAC secret) restores and is
    migrated; its secret is dropped, never kept as a transition secret: a crafted backup must not
    plant a secret that verifies forged old-format files. The transition file the live
    database's own upgrade wrote stays exactly as it was."""
    from kplan_desktop.store.keys import legacy_file, legacy_secret

    old = previous_release_backup(db, tmp_path)
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
    transition = legacy_file(store.meta("database_id") or "")
    transition.parent.mkdir(parents=True, exist_ok=True)
    kept = '{"format": "kplan-legacy-hmac/1", "secrets": {"own-upgrade": "' + "11" * 32 + '"}}'
    transition.write_text(kept, encoding="utf-8")
    restore(store, old, who="t", source=EntrySource.TEST, catalog_identity=stored_catalog_hash)
    assert ("5e" * 32).encode() not in earlier.read_bytes()
    assert check_backup(earlier).version == "0009"  # still restorable
    assert transition.read_text(encoding="utf-8") == kept  # not extended
    with store.snapshot() as conn2:
        assert legacy_secret(conn2, "abc") is None
    assert [p.name for p in key_folder.glob("legacy-hmac-*.json")] == [transition.name]
    assert store.current_revision() == SCHEMA_HEAD
    assert ("5e" * 32).encode() not in db.read_bytes()
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT database_id, department_code, public_key FROM signing_key")
        assert rows.fetchall() == [("abc", "community", None)]
    take_backup(store, "manual", target=tmp_path / "after.sqlite3")
    assert ("5e" * 32).encode() not in (tmp_path / "after.sqlite3").read_bytes()


def _planted(schema_row: tuple[str, str, str, str]) -> tuple[str, ...]:
    """Statements that write a schema object straight into sqlite_master (writable_schema), as
    an attacker does for names and texts SQLite's own CREATE would refuse."""
    kind, name, table, sql = schema_row
    quoted = ", ".join("'" + part.replace("'", "''") + "'" for part in (kind, name, table))
    return (
        "PRAGMA writable_schema = ON",
        f"INSERT INTO sqlite_master VALUES ({quoted}, 0, '{sql.replace(chr(39), chr(39) * 2)}')",
        "PRAGMA writable_schema = OFF",
    )


_RESHAPED = {
    "trigger named like SQLite's statistics": _planted(
        (
            "trigger",
            "sqlite_stat_x",
            "audit",
            "CREATE TRIGGER sqlite_stat_x AFTER INSERT ON audit BEGIN "
            "UPDATE actual SET value = '999999'; END",
        )
    ),
    "view named like SQLite's statistics": _planted(
        ("view", "sqlite_stat1", "sqlite_stat1", "CREATE VIEW sqlite_stat1 AS SELECT 1")
    ),
    "statistics table of another shape": (
        "ANALYZE",
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = 'CREATE TABLE sqlite_stat1(tbl,idx,stat,extra)' "
        "WHERE name = 'sqlite_stat1'",
        "PRAGMA writable_schema = OFF",
    ),
    "CHECK added to a table's text": (
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = replace(sql, 'CONSTRAINT pk_actual PRIMARY KEY (id),', "
        "'CONSTRAINT pk_actual PRIMARY KEY (id), CHECK (value IS NULL OR value != ''7''),') "
        "WHERE name = 'actual'",
        "PRAGMA writable_schema = OFF",
    ),
    "partial index under the expected name": (
        "DROP INDEX ix_actual_fiscal_year",
        "CREATE INDEX ix_actual_fiscal_year ON actual (fiscal_year) WHERE fiscal_year < 2000",
    ),
}


@pytest.mark.parametrize("shape", sorted(_RESHAPED))
def test_a_backup_whose_schema_text_or_internal_names_differ_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    """Names and columns are not enough: the SQL text SQLite obeys is compared, and only
    SQLite's own internal tables of exactly their shape are passed over."""
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "55") == 0
    bad = _tampered(db, tmp_path / "bad.sqlite3", *_RESHAPED[shape])
    with closing(sqlite3.connect(bad)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    before = dump(db)
    capsys.readouterr()
    assert run(db, "restore", str(bad)) == 2
    err = capsys.readouterr().err
    assert "復元できません" in err and "スキーマ" in err, err
    assert dump(db) == before


def test_a_backup_with_sqlite_statistics_restores(db: Path, tmp_path: Path) -> None:
    """ANALYZE's tables (sqlite_stat1, and sqlite_stat4 where SQLite builds it) are SQLite's,
    not the schema's: such a backup restores."""
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "55") == 0
    analysed = _tampered(db, tmp_path / "analysed.sqlite3", "ANALYZE")
    with closing(sqlite3.connect(analysed)) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "sqlite_stat1" in names
    assert run(db, "restore", str(analysed)) == 0


def test_a_constraint_planted_in_the_live_database_gives_one_line_exit_2(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database error nothing expected (here a CHECK written into the file by plain SQL) ends
    as one line naming it, exit 2, nothing saved: never a traceback."""
    with closing(sqlite3.connect(db)) as conn:
        for statement in _RESHAPED["CHECK added to a table's text"]:
            conn.execute(statement)
        conn.commit()
    before = dump(db)
    capsys.readouterr()
    code = run(
        db,
        "enter",
        "--indicator",
        "7-1-1-K2",
        "--year",
        "2024",
        "--value",
        "7",
        "--comment",
        "確認",
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "データベース" in err and "IntegrityError" in err, err
    assert dump(db) == before


_CATALOG_FORGERIES = {
    "its catalog rows removed from meta": ("DELETE FROM meta WHERE key = 'catalog_hash'",),
    "its catalog tables edited, the meta row kept": (
        "UPDATE indicator SET name = '書き換えた指標', target = '1' WHERE code = '7-1-1-K2'",
    ),
}


@pytest.mark.parametrize("shape", sorted(_CATALOG_FORGERIES))
def test_another_catalog_is_judged_by_the_tables_not_the_meta_row(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    """A backup of this installation whose catalog tables hold another catalog than the one its
    meta row names (or which names none) is another catalog's: refused, the database as it was;
    restored only when confirmed."""
    bad = _tampered(db, tmp_path / "bad.sqlite3", *_CATALOG_FORGERIES[shape])
    before = dump(db)
    capsys.readouterr()
    assert run(db, "restore", str(bad)) == 2
    err = capsys.readouterr().err
    assert "別のカタログ" in err, err
    assert dump(db) == before
    assert run(db, "restore", "--other-installation", str(bad)) == 0


def test_an_unchanged_backup_restores_with_its_catalog(db: Path, tmp_path: Path) -> None:
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "55") == 0
    good = backup_of(db, tmp_path / "good.sqlite3")
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "56") == 0
    assert run(db, "restore", str(good)) == 0
    with closing(sqlite3.connect(db)) as conn:
        value = conn.execute("SELECT value FROM actual WHERE indicator_code = '7-1-1-K2'")
        assert value.fetchone() == ("55",)
