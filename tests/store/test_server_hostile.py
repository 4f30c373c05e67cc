"""A hostile clerk with their own login and plain psql, against a server set up as the README
tells IT staff: every attack is refused, and the database is exactly as it was.

Also: both write paths (the program's own on SQLite, the server's write function on
PostgreSQL) refuse the same inputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.actuals import EntryRefused, EntryRequest, write_actuals
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.engine import Store
from kplan_desktop.store.evaluations import save_review_comment
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import finalise
from kplan_desktop.store.years import lock_year
from tests.conftest import dump
from tests.pgcluster import Cluster
from tests.store.test_server import COMMUNITY_CODE, EQUALITY_CODE, psql, server

__all__ = ["server"]  # the fixture, shared with test_server

# Every table a policy, a trigger or a write function reads, shadowed by a temporary table
# that says what the clerk would like it to say.
SHADOWS = {
    "kplan_role": (
        "CREATE TEMP TABLE kplan_role (role_name text, department_code text);"
        " INSERT INTO kplan_role SELECT rolname, NULL FROM pg_roles"
        " UNION ALL SELECT rolname, 'equality' FROM pg_roles"
    ),
    "year_lock": "CREATE TEMP TABLE year_lock (fiscal_year int)",
    "finalisation": (
        "CREATE TEMP TABLE finalisation (department_code text, fiscal_year int,"
        " finalised_by text, finalised_at timestamptz)"
    ),
    "indicator": (
        "CREATE TEMP TABLE indicator AS SELECT * FROM public.indicator;"
        " UPDATE indicator SET department_code = 'community', value_kind = NULL, unit = NULL"
    ),
    "plan": "CREATE TEMP TABLE plan AS SELECT * FROM public.plan; UPDATE plan SET end_year = 2099",
    "meta": "CREATE TEMP TABLE meta (key text, value text)",
    "actual": "CREATE TEMP TABLE actual AS SELECT * FROM public.actual",
    "audit": "CREATE TEMP TABLE audit AS SELECT * FROM public.audit",
    "department": "CREATE TEMP TABLE department AS SELECT * FROM public.department",
    "measure": "CREATE TEMP TABLE measure AS SELECT * FROM public.measure",
    "measure_evaluation": (
        "CREATE TEMP TABLE measure_evaluation AS SELECT * FROM public.measure_evaluation"
    ),
}


def put(code: str, year: int, value: str | None, *, reason: str | None = None,
        comment: str | None = None, source: str = "cli") -> str:  # fmt: skip
    """The server's write function, called by hand (seen = no row, as for a first value)."""

    def lit(text: str | None) -> str:
        return "null" if text is None else "'" + text.replace("'", "''") + "'"

    return (
        f"SELECT kplan_put_actual(1, {lit(code)}, {year}, {lit(value)}, {lit(reason)},"
        f" {lit(comment)}, false, null, null, {lit(source)}, null, 'key', 'sato')"
    )


@pytest.fixture
def attacked(server: dict[str, str]) -> dict[str, str]:
    """The server with values of two departments, a locked year and a finalised year."""
    admin = Store.open(server["admin"])
    with admin.transaction() as conn:
        write_actuals(
            conn,
            1,
            [
                EntryRequest(EQUALITY_CODE, 2023, "10", "c"),
                EntryRequest(COMMUNITY_CODE, 2023, "40", "c"),
                EntryRequest(COMMUNITY_CODE, 2022, "30", "c"),
            ],
            who="seed",
            source=EntrySource.TEST,
        )
        lock_year(conn, 1, 2022, "planner")
    return server


def refused(cluster: Cluster, url: str, sql: str) -> str:
    done = psql(cluster, url, sql)
    assert done.returncode != 0, (sql, done.stdout)
    return done.stderr.lower()


@pytest.mark.postgresql_only
def test_a_clerk_may_not_make_temporary_tables_at_all(
    attacked: dict[str, str], pg_cluster: Cluster
) -> None:
    before = dump(attacked["admin"])
    for table, sql in SHADOWS.items():
        said = refused(pg_cluster, attacked["clerk"], sql)
        assert "permission denied to create temporary tables" in said, (table, said)
    assert dump(attacked["admin"]) == before


@pytest.mark.postgresql_only
def test_shadowing_every_table_the_server_reads_changes_nothing_even_with_temp_granted(
    attacked: dict[str, str], pg_cluster: Cluster
) -> None:
    """IT staff granted TEMP by mistake: the functions still read only the real tables."""
    database = make_url(attacked["admin"]).database
    clerk = str(make_url(attacked["clerk"]).username)
    pg_cluster.psql(f'GRANT TEMPORARY ON DATABASE "{database}" TO "{clerk}"', database or "")
    before = dump(attacked["admin"])
    attacks = {
        "another department's value": put(EQUALITY_CODE, 2024, "999"),
        "a locked year": put(COMMUNITY_CODE, 2022, "31", comment="c"),
        "a year outside the plan": put(COMMUNITY_CODE, 2040, "1"),
        "a value that is not a number": put(COMMUNITY_CODE, 2024, "abc"),
    }
    for table, shadow in SHADOWS.items():
        for what, attack in attacks.items():
            done = psql(pg_cluster, attacked["clerk"], f"{shadow}; {attack}")
            assert done.returncode != 0, (table, what, done.stdout)
        # 確定 of another department, and the policies' helpers, under the same shadow.
        done = psql(
            pg_cluster,
            attacked["clerk"],
            f"{shadow}; SELECT kplan_finalise(1, 'equality', 2024, 'cli', 'k', 'x')",
        )
        assert done.returncode != 0, table
        done = psql(
            pg_cluster,
            attacked["clerk"],
            f"{shadow}; SELECT kplan_may_write(1, '{EQUALITY_CODE}'), kplan_is_planning()",
        )
        assert done.stdout.strip() == "f|f", (table, done.stdout, done.stderr)
    assert dump(attacked["admin"]) == before


@pytest.mark.postgresql_only
def test_direct_writes_rekeying_audit_forgery_reviewer_comment_locks_and_roles_are_refused(
    attacked: dict[str, str], pg_cluster: Cluster
) -> None:
    admin, clerk = attacked["admin"], attacked["clerk"]
    before = dump(admin)
    attacks = {
        "re-key another department's value onto one's own indicator": (
            f"UPDATE actual SET indicator_code = '{COMMUNITY_CODE}', fiscal_year = 2025"
            f" WHERE indicator_code = '{EQUALITY_CODE}'"
        ),
        "a value that is not a number on one's own indicator": (
            f"UPDATE actual SET value = 'abc' WHERE indicator_code = '{COMMUNITY_CODE}'"
        ),
        "insert one's own value past the rules": (
            "INSERT INTO actual (indicator_code, fiscal_year, value, entered_by, entered_at,"
            f" source) VALUES ('{COMMUNITY_CODE}', 2024, '5', 'x', now(), 'cli')"
        ),
        "delete one's own value": f"DELETE FROM actual WHERE indicator_code = '{COMMUNITY_CODE}'",
        "forge an audit row": (
            "INSERT INTO audit (at, who, source, action) VALUES (now(), 'sato', 'cli', 'enter')"
        ),
        "rewrite the audit": "UPDATE audit SET who = 'x'",
        "forge a 確定": "INSERT INTO finalisation VALUES ('community', 2024, 'x', now())",
        "withdraw a 確定 directly": "DELETE FROM finalisation",
        "write the reviewer comment": (
            "INSERT INTO measure_evaluation (measure_code, fiscal_year, results, next_text,"
            " reviewer_comment, entered_by, entered_at)"
            " VALUES ('7-1-1', 2024, 'x', '', '良い', 'x', now())"
        ),
        "change a grade directly": "UPDATE measure_evaluation SET grade = 'A'",
        "lock the values table": "BEGIN; LOCK TABLE actual IN ACCESS EXCLUSIVE MODE; COMMIT",
        "lock it less strongly": "BEGIN; LOCK TABLE actual IN SHARE MODE; COMMIT",
        "lock rows": "BEGIN; SELECT * FROM actual FOR UPDATE; COMMIT",
        "become the planning division": f"SET ROLE {make_url(admin).database}_planning",
        "become the administrator": "SET ROLE postgres",
        "become someone else": "SET SESSION AUTHORIZATION postgres",
        "make a function": "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "lock a year": "INSERT INTO year_lock VALUES (2024, now(), 'x', null)",
        "unlock a year": "DELETE FROM year_lock",
        "change the catalog": "UPDATE indicator SET department_code = 'community'",
        "the write function for another department": put(EQUALITY_CODE, 2024, "1"),
        "the write function pretending to merge": put(COMMUNITY_CODE, 2024, "1", source="merge"),
        "the write function in a locked year": put(COMMUNITY_CODE, 2022, "1", comment="c"),
        "the write function with text": put(COMMUNITY_CODE, 2024, "abc"),
        "the write function over a value it did not see": put(COMMUNITY_CODE, 2023, "41"),
        "finalise another department": (
            "SELECT kplan_finalise(1, 'equality', 2024, 'cli', 'k', 'x')"
        ),
        "evaluate another department's measure": (
            "SELECT kplan_put_evaluation(1, '7-2-1', 2024, 'A', 'x', null, '', false, null, null,"
            " 'cli', null, 'k', 'x')"
        ),
    }
    for what, sql in attacks.items():
        said = refused(pg_cluster, clerk, sql)
        assert "syntax error" not in said and "does not exist" not in said, (what, said)
    assert dump(admin) == before
    # The clerk's own first value through the function is accepted; the audit names the login
    # and the server's clock, the PC's name stays a note.
    done = psql(pg_cluster, clerk, put(COMMUNITY_CODE, 2024, "55"))
    assert done.returncode == 0, done.stderr
    with Store.open(admin).snapshot() as conn:
        last = audit_log(conn)[-1]
    assert (last.who, last.client_user, last.new_value) == (
        make_url(clerk).username, "sato", "55")  # fmt: skip


@pytest.mark.postgresql_only
def test_the_program_as_a_clerk_may_not_review_and_records_its_login(
    attacked: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kplan_desktop.cli import main

    clerk = attacked["clerk"]
    before = dump(attacked["admin"])
    assert main(["--db", clerk, "review", "--measure", "7-1-1", "--year", "2024",
                 "--comment", "自分で良いと書く"]) == 2  # fmt: skip
    assert dump(attacked["admin"]) == before
    with pytest.raises(Exception) as review, Store.open(clerk).transaction() as conn:
        save_review_comment(conn, 1, "7-1-1", 2024, "x", who="x", source=EntrySource.CLI)
    assert "権限" in str(review.value)
    monkeypatch.setenv("USER", "somebody")
    monkeypatch.setenv("LOGNAME", "somebody")
    capsys.readouterr()
    assert main(["--db", clerk, "enter", "--indicator", COMMUNITY_CODE, "--year", "2024",
                 "--value", "56"]) == 0  # fmt: skip
    with Store.open(attacked["admin"]).snapshot() as conn:
        last = audit_log(conn)[-1]
    login = make_url(clerk).username
    assert (last.who, last.client_user) == (login, "somebody")
    stored = [r for r in dump(attacked["admin"])["actual"] if r[1] == COMMUNITY_CODE]
    assert login in {r[6] for r in stored if r[2] == 2024}  # entered_by: the login too
    # 確定 through the server's function, as the login.
    for code in ("7-1-1-A1", "7-1-1-K1", "7-1-1-K3", "7-1-2-A1", "7-1-2-K1", COMMUNITY_CODE):
        assert main(["--db", clerk, "enter", "--indicator", code, "--year", "2025",
                     "--value", "未集計"]) == 0  # fmt: skip
    with Store.open(clerk).transaction() as conn:
        assert finalise(conn, 1, "community", 2025, who="somebody", source=EntrySource.CLI)
    with Store.open(attacked["admin"]).snapshot() as conn:
        assert audit_log(conn)[-1].who == login


# (indicator, year, what is typed): each refused by the domain on a PC's file; the canonical
# text the server would be sent, where there is one (else the typed text).
BAD_INPUTS = [
    ("7-1-1-K2", 2024, "abc", None),
    ("7-1-1-K2", 2024, "-5", "-5"),  # 回 is never negative
    ("7-1-1-K2", 2024, "1.5", "1.5"),  # 回 is a whole number
    ("7-1-1-K3", 2024, "2.25", "2.25"),  # 人 too
    ("7-1-1-K2", 2040, "5", "5"),  # outside the plan
    ("7-1-1-K2", 2022, "5", "5"),  # a locked year
]


NO_UNIT = "7-1-2-K1"  # its unit is taken away for the test


def test_both_write_paths_refuse_the_same_inputs(
    db: Path | str, request: pytest.FixtureRequest
) -> None:
    """The program's checks on SQLite; on the server, the write function by itself (psql)."""
    store = Store.open(str(db))
    with store.transaction() as conn2:
        lock_year(conn2, 1, 2022, "planner")
    if store.is_server:
        from kplan_desktop.cli import main

        assert main(["server", "init", "--admin-url", str(db)]) == 0
    with store.transaction() as conn:  # an indicator whose unit is not set yet
        conn.execute(
            text("UPDATE indicator SET unit = NULL, value_kind = NULL WHERE code = :c"),
            {"c": NO_UNIT},
        )
    before = dump(db)
    for code, year, typed, _ in [*BAD_INPUTS, (NO_UNIT, 2024, "5", "5")]:
        with pytest.raises(EntryRefused), store.transaction() as conn2:
            write_actuals(
                conn2, 1, [EntryRequest(code, year, typed, "c")], who="x", source=EntrySource.CLI
            )
    # 確定 of a year with values still missing, and of a year outside the plan.
    for year in (2024, 1900):
        with pytest.raises(DomainError), store.transaction() as conn2:
            finalise(conn2, 1, "community", year, who="x", source=EntrySource.CLI)
    if store.is_server:
        pg_cluster: Cluster = request.getfixturevalue("pg_cluster")
        for code, year, typed, sent in [*BAD_INPUTS, (NO_UNIT, 2024, "5", "5")]:
            done = psql(pg_cluster, str(db), put(code, year, sent or typed, comment="c"))
            assert done.returncode != 0, (code, year, typed)
        for year, code in ((2024, "E_NOT_COMPLETE"), (1900, "E_YEAR_OUT_OF_PLAN")):
            done = psql(
                pg_cluster,
                str(db),
                f"SELECT kplan_finalise(1, 'community', {year}, 'cli', 'k', 'x')",
            )
            assert done.returncode != 0 and code in done.stderr, (year, done.stderr)
        # Shapes the program never sends: not canonical, a value and a reason, a bad reason.
        for value, reason in (("05", None), ("1.50", None), ("1e3", None), ("-0", None),
                              ("5", "not_compiled"), (None, "bogus")):  # fmt: skip
            done = psql(pg_cluster, str(db), put("7-1-1-K2", 2024, value, reason=reason))
            assert done.returncode != 0, (value, reason)
        # A percentage over 100 and too many decimals (equality's 7-2-1-A1: %, 1 place).
        for value in ("100.5", "99.25"):
            done = psql(pg_cluster, str(db), put("7-2-1-A1", 2024, value))
            assert done.returncode != 0, value
        done = psql(pg_cluster, str(db), put("7-2-2-K1", 2024, "2"))  # a milestone
        assert done.returncode != 0
    assert dump(db) == before
