"""Issue 17, acceptance line 4: a database made before plan generations opens, migrates, and
shows every value it had.

The database was made by the previous release (schema 0013) and is kept as its SQL text,
tests/fixtures/generation1/release-0013.sql (sqlite3's own dump of the file: every schema
object's SQL as the file held it and every row), with that release's own output for it beside
it. On SQLite the file is made again from that text and opened as it is; on PostgreSQL a
throwaway database is brought to revision 0013 by Alembic, the fixture's rows are copied in with
plain INSERTs, and the program upgrades it on open.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, Date, DateTime, MetaData, Table, create_engine, text

from kplan_desktop.cli import main
from kplan_desktop.domain.generation import GenerationStatus
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.cycle import year_cycles
from kplan_desktop.store.engine import SCHEMA_HEAD, Store
from kplan_desktop.store.generations import active_generation, generations
from kplan_desktop.store.paths import db_dir
from tests.conftest import Database, dump
from tests.pgcluster import Cluster

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "generation1"
OLD_SQL = FIXTURE / "release-0013.sql"
# The previous release's output for the fixture: (command, file).
OUTPUTS = (
    (["show", "--json"], "show.json"),
    (["show", "--year", "R5", "--json"], "show-R5.json"),
    (["audit", "--json"], "audit.json"),
    (["evaluations", "--year", "R5", "--json"], "evaluations-R5.json"),
    (["cycle", "status", "--year", "R6", "--json"], "cycle-status-R6.json"),
    (["year", "list"], "year-list.txt"),
    (["catalog", "versions"], "catalog-versions.txt"),
)
# The write functions before 0014, and theirs after (the generation first).
NEW = {
    "kplan_put_actual(text, integer, text, text, text, boolean, text, integer, text, text, text,"
    " text)": "kplan_put_actual(integer, text, integer, text, text, text, boolean, text,"
    " integer, text, text, text, text)",
    "kplan_finalise(text, integer, text, text, text)": "kplan_finalise(integer, text, integer,"
    " text, text, text)",
    "kplan_withdraw(text, integer, text, text, text)": "kplan_withdraw(integer, text, integer,"
    " text, text, text)",
    "kplan_put_evaluation(text, integer, text, text, text, text, boolean, text, integer, text,"
    " text, text, text)": "kplan_put_evaluation(integer, text, integer, text, text, text, text,"
    " boolean, text, integer, text, text, text, text)",
}
OLD_FUNCTIONS = (*NEW, "kplan_may_write(text)")
# Tables of the program's own bookkeeping, not copied (0013 made them; the server's are empty).
_NOT_COPIED = ("alembic_version", "kplan_role", "kplan_write_gate")


def _old_database(path: Path) -> Path:
    """The previous release's database file, made again at `path` from its dump."""
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(OLD_SQL.read_text(encoding="utf-8"))
        conn.commit()
    return path


def _old_rows(old: Path) -> dict[str, list[dict[str, Any]]]:
    with closing(sqlite3.connect(f"{old.as_uri()}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        tables = [
            str(r[0])
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in _NOT_COPIED
        ]
        return {t: [dict(row) for row in conn.execute(f'SELECT * FROM "{t}"')] for t in tables}


def _same_output(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    for command, name in OUTPUTS:
        capsys.readouterr()
        assert main(["--db", str(db), *command]) == 0, command
        shown = capsys.readouterr().out
        expected = (FIXTURE / name).read_text(encoding="utf-8")
        if name.endswith(".json"):
            assert json.loads(shown) == json.loads(expected), command
        else:
            assert shown == expected, command


def _generation_one(db: Database) -> None:
    store = Store.open(str(db))
    try:
        assert store.current_revision() == SCHEMA_HEAD
        with store.snapshot() as conn:
            (first,) = generations(conn)
            assert active_generation(conn) == 1
            catalog = read_catalog(conn, 1)
            cycles = year_cycles(conn, 1)
    finally:
        store.dispose()
    assert catalog is not None
    g = first.generation
    assert (g.number, g.status, g.start_year, g.end_year, first.baseline_year) == (
        1,
        GenerationStatus.ACTIVE,
        2022,
        2026,
        2020,
    )
    assert (
        g.name == catalog.plan.name == "かすみがうら市総合計画 後期基本計画（令和4年度〜令和8年度）"
    )
    # The due date the cycle had (cycle status does not print it).
    assert cycles[2024].due_date == date(2025, 6, 30)


@pytest.mark.sqlite_only
def test_an_old_database_file_migrates_and_shows_every_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _old_database(tmp_path / "kplan.sqlite3")
    before = _old_rows(db)  # read before the program opens (and migrates) it
    _same_output(db, capsys)  # the first command migrates it
    _generation_one(db)
    after = dump(db)
    # Every row of every table is still there (with its generation, 1).
    for table, rows in before.items():
        assert len(after[table]) == len(rows), table
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for table in ("actual", "audit", "indicator", "finalisation", "year_lock"):
            assert conn.execute(f"SELECT DISTINCT generation FROM {table}").fetchall() == [(1,)]


def _upgrade_to(url: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(db_dir() / "migrations"))
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def _as_server_value(value: Any, column_type: Any) -> Any:
    """A value as SQLite's file held it, in the type the server's column has."""
    if value is None:
        return None
    if isinstance(column_type, Boolean):
        return bool(value)
    if isinstance(column_type, JSON):
        return json.loads(value)
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    return value


@pytest.mark.postgresql_only
def test_an_old_server_database_migrates_and_shows_every_value(
    pg_cluster: Cluster, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    name = pg_cluster.create_database()
    url = pg_cluster.url(name)
    try:
        _upgrade_to(url, "0013")
        engine = create_engine(url)
        rows = _old_rows(_old_database(tmp_path / "release-0013.sqlite3"))
        try:
            with engine.begin() as conn:
                # The copy keeps who and when: no trigger (the audit's identity) rewrites them.
                conn.execute(text("SET session_replication_role = replica"))
                meta = MetaData()
                for table in ("meta", "plan", "department", "goal", "policy", "measure",
                              "measure_direction", "indicator", "reference_table", "actual",
                              "audit", "finalisation", "submission", "merge_report",
                              "catalog_version", "measure_evaluation", "fiscal_year_cycle",
                              "year_lock", "signing_key"):  # fmt: skip
                    shape = Table(table, meta, autoload_with=conn)
                    values = [
                        {k: _as_server_value(v, shape.c[k].type) for k, v in row.items()}
                        for row in rows[table]
                    ]
                    if values:
                        conn.execute(shape.insert(), values)
                for table in ("actual", "audit", "submission", "merge_report",
                              "measure_direction"):  # fmt: skip
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                            f" (SELECT max(id) FROM {table}))"
                        )
                    )
                # What `server init` of the previous release made: a policy helper of the
                # old shape and the row-level security that calls it.
                conn.execute(
                    text(
                        "CREATE FUNCTION kplan_may_write(indicator text) RETURNS boolean"
                        " LANGUAGE sql STABLE AS $$ SELECT true $$"
                    )
                )
                conn.execute(text("ALTER TABLE actual ENABLE ROW LEVEL SECURITY"))
                conn.execute(
                    text(
                        "CREATE POLICY kplan_insert ON actual FOR INSERT"
                        " WITH CHECK (kplan_may_write(indicator_code))"
                    )
                )
        finally:
            engine.dispose()
        before = dump(url)
        _same_output(url, capsys)  # the first command migrates it
        _generation_one(url)
        after = dump(url)
        for table, copied in rows.items():
            assert len(after[table]) == len(copied) == len(before[table]), table
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                # Nobody can call the functions of the old shape any more (no generation: they
                # would write whichever indicator bore the code), nor a policy call them.
                for old in OLD_FUNCTIONS:
                    found = conn.scalar(text("SELECT to_regprocedure(:f)"), {"f": old})
                    assert found is None, old
                    if old in NEW:
                        new = {"f": NEW[old]}
                        assert conn.scalar(text("SELECT to_regprocedure(:f)"), new)
                policies = conn.scalars(
                    text("SELECT policyname FROM pg_policies WHERE tablename = 'actual'")
                ).all()
                assert policies == []
        finally:
            engine.dispose()
        assert main(["server", "init", "--admin-url", url]) == 0
        _same_output(url, capsys)
    finally:
        pg_cluster.drop_database(name)
