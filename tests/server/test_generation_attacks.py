"""Plan generations attacked on the shared server (issue 17): a clerk's and the planning
division's own logins with plain SQL (psycopg, not the program's functions) against a closed
plan, the overlap year and a draft next plan. Every attack is refused with the code that says
why, and the database is compared whole before and after; the program's own work still goes on.

The server is set up as docs/server.md tells IT staff (`server init`, one clerk of community,
one planner); the next plan (R9–R13) holds 7-1-1-K3 as another department's indicator than the
old plan does (tests/store/test_generations.next_catalog).
"""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy.engine import make_url

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.generation import GenerationStatus
from kplan_desktop.exchange.catalog_json import catalog_hash
from kplan_desktop.exchange.next_generation import withdraw
from kplan_desktop.store.actuals import EntryRequest, read_actuals, write_actuals
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.catalog import read_catalog, replace_catalog
from kplan_desktop.store.engine import Store, StoreError, meta_value
from kplan_desktop.store.generations import (
    add_generation,
    catalog_hash_key,
    generation_record,
    set_generation_status,
)
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.years import lock_year
from tests.conftest import dump
from tests.store.test_generations import COMMUNITY_2, NEXT, SAME_CODE, next_catalog
from tests.store.test_generations import second_generation as active_next_plan
from tests.store.test_server import server
from tests.store.test_server_hardening import connect

pytestmark = pytest.mark.postgresql_only
__all__ = ["server"]  # the fixture, shared with tests/store/test_server.py

T = EntrySource.TEST
EQUALITY_OLD = "7-2-1-K1"  # equality's in both plans


def put(generation: int, code: str, year: int, value: str) -> str:
    """The server's write function as a clerk calls it by hand (a first value)."""
    return (
        f"SELECT kplan_put_actual({generation}, '{code}', {year}, '{value}', NULL, 'c',"
        " false, NULL, NULL, 'cli', NULL, 'k', 'x')"
    )


def insert_actual(generation: int, code: str, year: int) -> str:
    return (
        "INSERT INTO actual (generation, indicator_code, fiscal_year, value, entered_by,"
        f" entered_at, source) VALUES ({generation}, '{code}', {year}, '5', 'x', now(), 'cli')"
    )


def told(url: str, statement: str) -> str | None:
    """Run one statement as the login of `url` (its own connection, in a transaction rolled back
    afterwards): what the server said when it refused it, None when it took it."""
    with connect(url) as conn:
        conn.execute("BEGIN")  # each attack alone: what one took is rolled back (and listed)
        try:
            conn.execute(statement)
        except psycopg.Error as exc:
            return str(exc)
        finally:
            conn.execute("ROLLBACK")
    return None


def attack(url: str, attacks: dict[str, tuple[str, str]]) -> None:
    """Each attack refused, saying its expected words (a code, or the grant that lacks); every
    one is tried, and all that were not are listed."""
    wrong = []
    for what, (statement, said) in attacks.items():
        answer = told(url, statement)
        if answer is None or said not in answer:
            wrong.append((what, "TAKEN" if answer is None else answer.splitlines()[0]))
    assert not wrong, "\n".join(f"{what}: {said}" for what, said in wrong)


@pytest.fixture
def overlap(server: dict[str, str]) -> dict[str, str]:
    """FY2027 on the server: the old plan (R4–R8) with R7 and R8 entered and R8 locked, the
    next plan (R9–R13) in force with an R9 value."""
    admin = Store.open(server["admin"])
    try:
        active_next_plan(admin)
        with admin.transaction() as conn:
            old = [
                EntryRequest(COMMUNITY_2, 2025, "60", "c"),
                EntryRequest(COMMUNITY_2, 2026, "61", "c"),
            ]
            write_actuals(conn, 1, old, who="c", source=T)
            write_actuals(conn, 2, [EntryRequest(COMMUNITY_2, 2027, "62", "c")], who="c", source=T)
            assert lock_year(conn, 1, 2026, "企画", source=T)
    finally:
        admin.dispose()
    return server


# -- the overlap year --------------------------------------------------------------------------

OVERLAP_PLANNER = {
    "R8 of the old plan (locked there) through the new plan's number": (
        insert_actual(2, COMMUNITY_2, 2026), "E_YEAR_OUT_OF_PLAN"),
    "an R7 value into the new plan": (insert_actual(2, COMMUNITY_2, 2025), "E_YEAR_OUT_OF_PLAN"),
    "an R9 value into the old plan": (insert_actual(1, COMMUNITY_2, 2027), "E_YEAR_OUT_OF_PLAN"),
    "the new plan's R9 value moved to R8": (
        "UPDATE actual SET fiscal_year = 2026 WHERE generation = 2", "E_YEAR_OUT_OF_PLAN"),
    "the new plan's R9 value moved into the old plan": (
        "UPDATE actual SET generation = 1 WHERE generation = 2", "E_YEAR_OUT_OF_PLAN"),
    "the old plan's R7 value moved into the new plan": (
        "UPDATE actual SET generation = 2 WHERE generation = 1 AND fiscal_year = 2025",
        "E_YEAR_OUT_OF_PLAN"),
    "確定 of R8 under the new plan's number": (
        "INSERT INTO finalisation (generation, department_code, fiscal_year, finalised_by,"
        " finalised_at) VALUES (2, 'community', 2026, 'x', now())", "E_YEAR_OUT_OF_PLAN"),
    "施策評価 of R8 under the new plan's number": (
        "INSERT INTO measure_evaluation (generation, measure_code, fiscal_year, results,"
        " next_text, reviewer_comment, entered_by, entered_at)"
        " VALUES (2, '7-1-1', 2026, '', '', '', 'x', now())", "E_YEAR_OUT_OF_PLAN"),
    "R8 in the old plan, locked": (
        "UPDATE actual SET value = '70' WHERE generation = 1 AND fiscal_year = 2026",
        "E_LOCKED_YEAR"),
    "a copy of the old plan's years put in force beside it": (
        "INSERT INTO generation (number, name, start_year, end_year, status, created_at,"
        " created_by) VALUES (3, '写し', 2022, 2026, 'active', now(), 'x')",
        "E_GENERATION_PERIOD"),
    "the new plan widened into the old plan's years": (
        "UPDATE generation SET start_year = 2025 WHERE number = 2", "E_GENERATION_PERIOD"),
}  # fmt: skip

OVERLAP_CLERK = {
    "R8 through the new plan's number": (put(2, COMMUNITY_2, 2026, "5"), "E_YEAR_OUT_OF_PLAN"),
    "R9 into the old plan": (put(1, COMMUNITY_2, 2027, "5"), "E_YEAR_OUT_OF_PLAN"),
    "R8 of the old plan, locked": (put(1, "7-1-1-K1", 2026, "5"), "E_LOCKED_YEAR"),
    "7-1-1-K3 of the new plan, equality's there (community's in the old plan)": (
        put(2, SAME_CODE, 2027, "50"), "E_DEPARTMENT"),
    "equality's indicator of the old plan": (put(1, EQUALITY_OLD, 2025, "5"), "E_DEPARTMENT"),
    "equality's 確定 in the new plan": (
        "SELECT kplan_finalise(2, 'equality', 2027, 'cli', 'k', 'x')", "E_DEPARTMENT"),
    "equality's 施策評価 in the new plan": (
        "SELECT kplan_put_evaluation(2, '7-2-1', 2027, 'A', 'x', null, '', false, null, null,"
        " 'cli', null, 'k', 'x')", "E_DEPARTMENT"),
    "a direct write of the new plan": (insert_actual(2, COMMUNITY_2, 2028), "permission denied"),
    "a direct move between the plans": (
        "UPDATE actual SET generation = 2 WHERE generation = 1", "permission denied"),
}  # fmt: skip


def test_the_overlap_year_keeps_each_plans_years_departments_and_locks(
    overlap: dict[str, str],
) -> None:
    before = dump(overlap["admin"])
    attack(overlap["planner"], OVERLAP_PLANNER)
    attack(overlap["clerk"], OVERLAP_CLERK)
    assert dump(overlap["admin"]) == before
    # What each login may do still goes: the clerk's R9 value, the planner's correction of R7.
    with connect(overlap["clerk"]) as conn:
        conn.execute(put(2, "7-1-1-K1", 2027, "3"))
    with connect(overlap["planner"]) as conn:
        conn.execute("UPDATE actual SET value = '59' WHERE generation = 1 AND fiscal_year = 2025")
    with Store.open(overlap["admin"]).snapshot() as conn:
        assert {(a.indicator_code, a.fiscal_year, a.text) for a in read_actuals(conn, 2)} == {
            (COMMUNITY_2, 2027, "62"), ("7-1-1-K1", 2027, "3")}  # fmt: skip
        assert {a.text for a in read_actuals(conn, 1) if a.fiscal_year == 2025} == {"59"}


# -- a closed plan -----------------------------------------------------------------------------

AUDIT_COLUMNS = "generation, at, who, source, action, indicator_code, fiscal_year, new_value"

CLOSED_PLANNER = {
    "a forged 入力 row in the closed plan's audit log": (
        f"INSERT INTO audit ({AUDIT_COLUMNS})"
        f" VALUES (1, now(), 'x', 'cli', 'enter', '{COMMUNITY_2}', 2025, '99')",
        "E_GENERATION_CLOSED"),
    "a forged note of the re-opening": (
        "INSERT INTO audit (generation, at, who, source, action, detail)"
        " VALUES (1, now(), 'x', 'cli', 'generation', 'closed → active')",
        "E_GENERATION_CLOSED"),
    "the closed plan's audit rows rewritten": (
        "UPDATE audit SET detail = 'x' WHERE generation = 1", "permission denied"),
    "the closed plan's audit rows moved to the next plan": (
        "UPDATE audit SET generation = 2 WHERE generation = 1", "permission denied"),
    "the closed plan's audit rows deleted": (
        "DELETE FROM audit WHERE generation = 1", "permission denied"),
    "the closed plan's catalog hash changed": (
        "UPDATE meta SET value = 'x' WHERE key = 'catalog_hash'", "E_GENERATION_CLOSED"),
    "the closed plan's catalog hash deleted": (
        "DELETE FROM meta WHERE key = 'catalog_hash'", "E_GENERATION_CLOSED"),
    "a second catalog hash for the closed plan": (
        "INSERT INTO meta VALUES ('catalog_hash:1', 'x')", "E_GENERATION_CLOSED"),
    "the next plan's hash renamed to the closed plan's": (
        "UPDATE meta SET key = 'catalog_hash' WHERE key = 'catalog_hash:2'",
        "E_GENERATION_CLOSED"),
    "an indicator link of the closed plan": (
        "INSERT INTO indicator_link (generation, code, prior_generation, prior_code, kind)"
        f" VALUES (1, '{COMMUNITY_2}', 1, '7-1-1-K1', 'continue')", "E_GENERATION_CLOSED"),
    "a merged submission recorded in the closed plan": (
        "INSERT INTO submission (generation, department_code, fiscal_year, file, sha256, kind,"
        " merged_at, merged_by, rows) VALUES (1, 'community', 2025, 'f.xlsx', 'ab', 'submission',"
        " now(), 'x', 1)", "E_GENERATION_CLOSED"),
    "a value moved out of the closed plan": (
        "UPDATE actual SET generation = 2, fiscal_year = 2027 WHERE generation = 1"
        " AND fiscal_year = 2025", "E_GENERATION_CLOSED"),
    "a value moved into the closed plan": (
        "UPDATE actual SET generation = 1, fiscal_year = 2024 WHERE generation = 2",
        "E_GENERATION_CLOSED"),
    "a catalog version moved out of the closed plan": (
        "UPDATE catalog_version SET generation = 2, sequence = sequence + 100"
        " WHERE generation = 1", "E_GENERATION_CLOSED"),
    "the plan re-opened": (
        "UPDATE generation SET status = 'active', closed_at = NULL, closed_by = NULL"
        " WHERE number = 1", "E_GENERATION_CLOSED"),
    "TRUNCATE of the values": ("TRUNCATE actual", "permission denied"),
    "TRUNCATE of the audit log": ("TRUNCATE audit", "permission denied"),
    "TRUNCATE of meta": ("TRUNCATE meta", "permission denied"),
    "the triggers switched off for the session": (
        "SET session_replication_role = replica", "permission denied"),
    "a trigger disabled": (
        "ALTER TABLE audit DISABLE TRIGGER audit_closed_generation", "must be owner"),
    "every trigger of the values disabled": (
        "ALTER TABLE actual DISABLE TRIGGER ALL", "must be owner"),
    "a trigger dropped": ("DROP TRIGGER meta_closed_generation ON meta", "must be owner"),
    "a view over the audit log": (
        "CREATE VIEW public.audit_view AS SELECT * FROM audit", "permission denied"),
    "a temporary view": ("CREATE TEMP VIEW v AS SELECT * FROM audit", "permission denied"),
    "a schema of one's own": ("CREATE SCHEMA mine", "permission denied"),
    "the audit numbers set back": (
        "SELECT setval(pg_get_serial_sequence('audit', 'id'), 1)", "permission denied"),
    "the guard's function called": ("SELECT kplan_meta_generation('catalog_hash')",
                                    "permission denied"),
}  # fmt: skip

CLOSED_CLERK = {
    "a value of the closed plan": (put(1, COMMUNITY_2, 2025, "6"), "E_GENERATION_CLOSED"),
    "確定 of the closed plan": (
        "SELECT kplan_finalise(1, 'community', 2025, 'cli', 'k', 'x')", "E_GENERATION_CLOSED"),
    "確定 withdrawn in the closed plan": (
        "SELECT kplan_withdraw(1, 'community', 2025, 'cli', 'k', 'x')", "E_GENERATION_CLOSED"),
    "施策評価 of the closed plan": (
        "SELECT kplan_put_evaluation(1, '7-1-1', 2025, 'A', 'x', null, '', false, null, null,"
        " 'cli', null, 'k', 'x')", "E_GENERATION_CLOSED"),
    "a forged audit row": (
        f"INSERT INTO audit ({AUDIT_COLUMNS})"
        f" VALUES (1, now(), 'x', 'cli', 'enter', '{COMMUNITY_2}', 2025, '99')",
        "permission denied"),
    "meta": ("UPDATE meta SET value = 'x' WHERE key = 'catalog_hash'", "permission denied"),
    "the plan re-opened": (
        "UPDATE generation SET status = 'active' WHERE number = 1", "permission denied"),
    "TRUNCATE": ("TRUNCATE audit", "permission denied"),
    "the write gate held": (
        "SELECT kplan_gate(1, '', 2025, true)", "permission denied"),
    "the triggers switched off": ("SET session_replication_role = replica", "permission denied"),
    "the audit numbers drawn": (
        "SELECT nextval(pg_get_serial_sequence('audit', 'id'))", "permission denied"),
}  # fmt: skip


def _copy_refused(url: str, statement: str, row: tuple[object, ...]) -> str:
    with (
        connect(url) as conn,
        pytest.raises(psycopg.Error) as caught,
        conn.cursor().copy(statement) as copy,
    ):
        copy.write_row(row)
    return str(caught.value)


def test_a_closed_plan_refuses_every_write_to_plain_sql_audit_log_and_meta_included(
    overlap: dict[str, str],
) -> None:
    planner = Store.open(overlap["planner"])
    try:
        # The planning division's own login closes the plan: its audit row is the plan's last.
        with planner.transaction() as conn:
            assert set_generation_status(conn, 1, GenerationStatus.CLOSED, who="企画", source=T)
    finally:
        planner.dispose()
    admin = Store.open(overlap["admin"])
    with admin.snapshot() as conn:
        last = [e for e in audit_log(conn) if e.generation == 1][-1]
        hash_before = meta_value(conn, catalog_hash_key(1))
    assert (last.action, last.detail) == ("generation", "generation 1: active → closed")
    before = dump(overlap["admin"])
    attack(overlap["planner"], CLOSED_PLANNER)
    attack(overlap["clerk"], CLOSED_CLERK)
    # COPY runs the row triggers (and row-level security refuses it on the values outright).
    now = datetime.now(UTC)
    copies = {
        "COPY audit (generation, at, who, source, action) FROM STDIN": (
            1, now, "x", "cli", "enter"),
        "COPY meta (key, value) FROM STDIN": ("catalog_hash:1", "x"),
        "COPY actual (generation, indicator_code, fiscal_year, value, entered_by, entered_at,"
        " source) FROM STDIN": (1, COMMUNITY_2, 2024, "5", "x", now, "cli"),
    }  # fmt: skip
    for statement, row in copies.items():
        answer = _copy_refused(overlap["planner"], statement, row)
        assert "E_GENERATION_CLOSED" in answer or "row-level security" in answer, (
            statement,
            answer,
        )
        assert "permission denied" in _copy_refused(overlap["clerk"], statement, row)
    assert dump(overlap["admin"]) == before
    # The store's own paths say it in both languages; the next plan still changes.
    with pytest.raises(StoreError) as said, admin.transaction() as conn:
        conn.exec_driver_sql("UPDATE meta SET value = 'x' WHERE key = 'catalog_hash'")
    assert said.value.code == "E_GENERATION_CLOSED" and "終了" in said.value.message_ja
    with admin.snapshot() as conn:
        assert meta_value(conn, catalog_hash_key(1)) == hash_before
    admin.dispose()
    with connect(overlap["planner"]) as conn:
        conn.execute("UPDATE meta SET value = value WHERE key = 'catalog_hash:2'")
        conn.execute(
            f"INSERT INTO audit ({AUDIT_COLUMNS})"
            f" VALUES (2, now(), 'x', 'cli', 'enter', '{COMMUNITY_2}', 2027, '62')"
        )
    assert dump(overlap["admin"]) != before


def test_only_the_four_write_functions_run_with_the_owners_rights_for_a_login(
    overlap: dict[str, str],
) -> None:
    """Every SECURITY DEFINER function of the schema a clerk or a planner may call: exactly the
    write functions, which check the login themselves (the guards' helpers are not callable)."""
    query = (
        "SELECT DISTINCT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = current_schema() AND p.prosecdef"
        " AND p.prorettype <> 'pg_catalog.trigger'::pg_catalog.regtype"  # runs only as a trigger
        " AND has_function_privilege(session_user, p.oid, 'EXECUTE') ORDER BY 1"
    )
    for who in ("clerk", "planner"):
        with connect(overlap[who]) as conn:
            names = [str(r[0]) for r in conn.execute(query).fetchall()]
        assert names == ["kplan_finalise", "kplan_put_actual", "kplan_put_evaluation",
                         "kplan_withdraw"], (who, names)  # fmt: skip


# -- a draft next plan, and its withdrawal ------------------------------------------------------


def _draft(store: Store) -> int:
    """The next plan (R9–R13) as a draft: its catalog loaded, not in force."""
    with store.transaction() as conn:
        current = read_catalog(conn, 1)
        assert current is not None
        number = add_generation(conn, "次期基本計画", *NEXT, baseline_year=2026, predecessor=1,
                                who="企画", source=T)  # fmt: skip
        catalog = next_catalog(current)
        replace_catalog(conn, number, catalog, catalog_hash(catalog), who="企画", source=T,
                        detail="next plan")  # fmt: skip
    return number


def _refused_by_program(store: Store, number: int, code: str) -> None:
    with pytest.raises(DomainError) as said:
        withdraw(store, number, who="x", source=T)
    assert said.value.code == code, said.value
    assert said.value.message_ja and said.value.message_en


def test_withdraw_draft_on_the_server_the_planners_alone_and_only_of_a_draft(
    server: dict[str, str],
) -> None:
    admin = Store.open(server["admin"])
    clerk, planner = Store.open(server["clerk"]), Store.open(server["planner"])
    try:
        assert _draft(admin) == 2
        before = dump(server["admin"])
        # A clerk: neither through the program nor with plain SQL; nor pin the draft with a
        # value, 確定 or 施策評価 (a draft holding values cannot be withdrawn).
        _refused_by_program(clerk, 2, "E_DB_DENIED")
        attack(server["clerk"], {
            "the draft's catalog deleted": ("DELETE FROM plan WHERE generation = 2",
                                            "permission denied"),
            "the draft's period cleared": (
                "UPDATE generation SET start_year = NULL WHERE number = 2", "permission denied"),
            "a value pinning the draft": (put(2, COMMUNITY_2, 2027, "5"),
                                          "E_GENERATION_NOT_ACTIVE"),
            "確定 pinning the draft": (
                "SELECT kplan_finalise(2, 'community', 2027, 'cli', 'k', 'x')",
                "E_GENERATION_NOT_ACTIVE"),
            "施策評価 pinning the draft": (
                "SELECT kplan_put_evaluation(2, '7-1-1', 2027, 'A', 'x', null, '', false, null,"
                " null, 'cli', null, 'k', 'x')", "E_GENERATION_NOT_ACTIVE"),
        })  # fmt: skip
        with pytest.raises(StoreError) as denied, clerk.transaction() as conn:
            write_actuals(conn, 2, [EntryRequest(COMMUNITY_2, 2027, "5", "c")], who="c", source=T)
        assert denied.value.code == "E_DB_DENIED"
        # The planning division: not the plan in force.
        _refused_by_program(planner, 1, "E_NOT_DRAFT")
        assert dump(server["admin"]) == before
        # Not a draft that holds a value (the planning division's own, here).
        with planner.transaction() as conn:
            write_actuals(conn, 2, [EntryRequest(COMMUNITY_2, 2027, "5", "c")], who="p", source=T)
        held = dump(server["admin"])
        _refused_by_program(planner, 2, "E_DRAFT_HAS_VALUES")
        assert dump(server["admin"]) == held
        with planner.transaction() as conn:
            write_actuals(conn, 2, [EntryRequest(COMMUNITY_2, 2027, "")], who="p", source=T)
        # Withdrawn: its catalog, versions and hash gone, its number kept with its history.
        name = "次期基本計画（令和9年度〜令和13年度）"  # the catalog's plan name
        assert withdraw(planner, 2, who="企画", source=T) == name
        with admin.snapshot() as conn:
            for table in ("plan", "goal", "indicator", "catalog_version", "actual"):
                left = conn.exec_driver_sql(f"SELECT count(*) FROM {table} WHERE generation = 2")
                assert left.scalar() == 0, table
            assert meta_value(conn, catalog_hash_key(2)) is None
            found = generation_record(conn, 2)
            assert found is not None and found.generation.end_year < 0
            assert audit_log(conn)[-1].detail == f"generation 2: draft withdrawn ({name})"
            assert audit_log(conn)[-1].who == make_url(server["planner"]).username
        # Not a closed plan.
        with planner.transaction() as conn:
            set_generation_status(conn, 1, GenerationStatus.CLOSED, who="企画", source=T)
        closed = dump(server["admin"])
        _refused_by_program(planner, 1, "E_NOT_DRAFT")
        assert dump(server["admin"]) == closed
    finally:
        for store in (admin, clerk, planner):
            store.dispose()
