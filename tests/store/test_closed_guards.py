"""A closed plan generation guarded by the database itself, on a PC's SQLite file too
(migration 0016): every row of it — catalog, values, 確定, evaluations, cycle, locks, versions,
links, submissions, its audit log and its `meta` — and its closed state. The store refuses
first with its own message; these triggers hold whatever path forgets to ask, and the store
says their refusal in both languages. What every plan shares (a signing key) and a read (an
export) are still recorded after the closing.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import insert, text

from kplan_desktop.cli import main
from kplan_desktop.domain.generation import GenerationStatus
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.audit import audit_log, audit_row
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.cycle import open_year
from kplan_desktop.store.engine import Store, StoreError
from kplan_desktop.store.evaluations import save_evaluation
from kplan_desktop.store.generations import set_generation_status
from kplan_desktop.store.models import audit_table
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import finalise
from kplan_desktop.store.years import lock_year
from tests import seeded
from tests.conftest import Database, dump
from tests.store.test_generations import COMMUNITY_2, EVALUATION, _complete, second_generation

T = EntrySource.TEST
VERSIONS = Path(__file__).resolve().parents[2] / "db" / "migrations" / "versions"
# Every table that belongs to a generation, but the audit log, meta (their own rules) and the
# server's write gate.
GUARDED = (
    "plan", "goal", "policy", "measure", "measure_direction", "indicator", "reference_table",
    "catalog_version", "indicator_link", "fiscal_year_cycle", "year_lock", "submission", "actual",
    "measure_evaluation", "finalisation",
)  # fmt: skip


def guards_migration() -> ModuleType:
    """The migration that made the guards (found by its topic: the lead may renumber it)."""
    (path,) = VERSIONS.glob("*_closed_generation_guards.py")
    spec = importlib.util.spec_from_file_location("closed_generation_guards", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def closed_first_plan(db: Database) -> Store:
    """Generation 1 with values, 確定, a 施策評価, a cycle and a locked year, closed; generation 2
    (the next plan) in force with a value of its own."""
    store = Store.open(str(db))
    second_generation(store)
    _complete(store, 1, 2025)
    with store.transaction() as conn:
        first = read_catalog(conn, 1)
        assert first is not None
        open_year(conn, 1, first, 2025, date(2026, 6, 30), who="企画", source=T)
        assert finalise(conn, 1, "community", 2025, who="c", source=T)
        save_evaluation(conn, 1, replace(EVALUATION, fiscal_year=2026), who="c", source=T)
        assert lock_year(conn, 1, 2023, "企画", source=T)
        write_actuals(conn, 2, [EntryRequest(COMMUNITY_2, 2027, "50")], who="c", source=T)
        assert set_generation_status(conn, 1, GenerationStatus.CLOSED, who="企画", source=T)
    return store


@pytest.mark.sqlite_only
def test_every_guard_trigger_is_in_a_new_database(db: Database) -> None:
    """A later migration that rebuilds a guarded table (SQLite's batch mode drops its triggers)
    must make them again: this fails until it does."""
    wanted = guards_migration().sqlite_triggers()
    with closing(sqlite3.connect(db)) as conn:
        found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    assert {name: found.get(name) for name in wanted} == wanted
    assert guards_migration().TABLES == GUARDED
    tables = {*GUARDED, "audit", "meta"}
    with closing(sqlite3.connect(db)) as conn:
        keyed = {
            str(name)
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if any(c[1] == "generation" for c in conn.execute(f'PRAGMA table_info("{name}")'))
        }
    # Every table with a generation column is guarded but the server's meeting rows.
    assert keyed - tables == {"kplan_write_gate"}


def _attacks(conn: sqlite3.Connection, tables: tuple[str, ...]) -> dict[str, list[str]]:
    """Per table: its closed rows changed and deleted, the next plan's moved in, one inserted."""
    made: dict[str, list[str]] = {}
    for table in tables:

        def count(generation: int, table: str = table) -> int:
            sql = f'SELECT count(*) FROM "{table}" WHERE generation = ?'
            return int(conn.execute(sql, (generation,)).fetchone()[0])

        statements = []
        if count(1):
            statements += [
                f'UPDATE "{table}" SET generation = generation WHERE generation = 1',
                f'DELETE FROM "{table}" WHERE generation = 1',
            ]
        if count(2):
            statements.append(f'UPDATE "{table}" SET generation = 1 WHERE generation = 2')
        made[table] = statements
    made["submission"].append(
        "INSERT INTO submission (generation, department_code, fiscal_year, file, sha256, kind,"
        " merged_at, merged_by, rows) VALUES (1, 'community', 2025, 'f.xlsx', 'ab',"
        " 'submission', '2027-06-01', 'x', 1)"
    )
    made["indicator_link"].append(
        "INSERT INTO indicator_link (generation, code, prior_generation, prior_code, kind)"
        f" VALUES (1, '{COMMUNITY_2}', 1, '7-1-1-K1', 'continue')"
    )
    made["actual"].append(
        "INSERT INTO actual (generation, indicator_code, fiscal_year, value, entered_by,"
        f" entered_at, source) VALUES (1, '{COMMUNITY_2}', 2022, '5', 'x', '2027-06-01', 'cli')"
    )
    made["audit"] = [
        "UPDATE audit SET who = 'x' WHERE generation = 1",
        "UPDATE audit SET generation = 2 WHERE generation = 1",
        "UPDATE audit SET generation = 1 WHERE generation = 2",
        "DELETE FROM audit WHERE generation = 1",
        "INSERT INTO audit (generation, at, who, source, action, indicator_code, fiscal_year,"
        f" new_value) VALUES (1, '2027-06-01', 'x', 'cli', 'enter', '{COMMUNITY_2}', 2025, '9')",
    ]
    made["meta"] = [
        "UPDATE meta SET value = 'x' WHERE key = 'catalog_hash'",
        "DELETE FROM meta WHERE key = 'catalog_hash'",
        "INSERT INTO meta VALUES ('catalog_hash:1', 'x')",
        "UPDATE meta SET key = 'catalog_hash:1' WHERE key = 'catalog_hash:2'",
    ]
    made["generation"] = [
        "UPDATE generation SET status = 'active', closed_at = NULL WHERE number = 1",
        "DELETE FROM generation WHERE number = 1",
    ]
    return made


@pytest.mark.sqlite_only
def test_plain_sql_on_the_file_cannot_touch_a_closed_generation(db: Database) -> None:
    closed_first_plan(db).dispose()
    before = dump(db)
    tables = GUARDED
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        attacks = _attacks(conn, tables)
        wrong: list[tuple[str, str]] = []
        for table in (*tables, "audit", "meta", "generation"):
            assert attacks[table], f"nothing of generation 1 or 2 in {table} to attack"
            for statement in attacks[table]:
                try:
                    conn.execute(statement)
                    wrong.append((statement, "TAKEN"))
                except sqlite3.Error as exc:
                    if "E_GENERATION_CLOSED" not in str(exc):
                        wrong.append((statement, str(exc)))
                conn.rollback()
        assert not wrong, "\n".join(f"{statement}: {said}" for statement, said in wrong)
        # The next plan's rows still change.
        conn.execute("UPDATE goal SET name = name || '（改）' WHERE generation = 2")
        conn.rollback()
    assert dump(db) == before


def test_the_database_refuses_what_the_store_forgot_and_the_store_says_so(
    db: Database, tmp_path: Path
) -> None:
    store = closed_first_plan(db)
    try:
        with store.snapshot() as conn:
            mine = [e for e in audit_log(conn) if e.generation == 1]
        # The closing wrote its audit row before the plan closed: the last of the plan.
        assert (mine[-1].action, mine[-1].detail) == ("generation", "generation 1: active → closed")
        before = dump(db)
        forged = audit_row(
            who="x", source=T, action="enter", generation=1, indicator_code=COMMUNITY_2,
            fiscal_year=2025, new=("9", None, None),
        )  # fmt: skip
        for statement, row in (
            (text("UPDATE meta SET value = 'x' WHERE key = 'catalog_hash'"), None),
            (insert(audit_table), forged),
            (text("UPDATE plan SET name = 'x' WHERE generation = 1"), None),
        ):
            with pytest.raises(StoreError) as refused, store.transaction() as conn:
                conn.execute(statement, row)
            assert refused.value.code == "E_GENERATION_CLOSED"
            assert "終了" in refused.value.message_ja and "closed" in refused.value.message_en
        assert dump(db) == before
    finally:
        store.dispose()
    # What every plan shares and a read are still recorded under generation 1: a department's
    # key registered, a submission of the closed plan written again (it changes nothing).
    department = tmp_path / "community.sqlite3"
    seeded.init(department)
    key = tmp_path / "community.pub"
    assert main(["--db", str(department), "key", "export", "--department", "community",
                 "-o", str(key)]) == 0  # fmt: skip
    assert main(["--db", str(db), "key", "import", str(key)]) == 0
    assert main(["--db", str(db), "export", "--department", "community", "--year", "2025",
                 "--generation", "1", "-o", str(tmp_path / "r7.xlsx")]) == 0  # fmt: skip
    store = Store.open(str(db))
    try:
        with store.snapshot() as conn:
            actions = [e.action for e in audit_log(conn) if e.generation == 1]
    finally:
        store.dispose()
    later = actions[len(mine) :]
    assert later[0] == "key" and later[-1] == "export" and set(later) == {"key", "export"}
