"""What a hostile clerk's own login could still do after the write functions (issue 19, second
round), each reproduced with plain SQL on a psycopg connection of the clerk's login, as the
adversarial tester did: a snapshot older than a year lock or a 確定, a backdated audit, a
withdrawal in a locked year, 確定 of an incomplete year, a value for an indicator without a
unit, a comment with control characters, and a year lock waiting for every year's writers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kplan_desktop.store.actuals import EntryRefused, EntryRequest, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import finalise, withdraw_finalisation
from kplan_desktop.store.years import lock_year
from tests.conftest import dump
from tests.store.test_server import COMMUNITY_CODE
from tests.store.test_server_hostile import attacked, server

__all__ = ["attacked", "server"]  # the fixtures

pytestmark = pytest.mark.postgresql_only

# The values community reports (the catalog's seed), for a complete year.
COMMUNITY_INDICATORS = ("7-1-1-A1", "7-1-1-K1", "7-1-1-K3", "7-1-2-A1", "7-1-2-K1", COMMUNITY_CODE)


def connect(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """A login's own connection, outside the program (autocommit: the SQL says BEGIN)."""
    parts = make_url(url)
    return psycopg.connect(
        host=parts.host,
        port=parts.port,
        user=parts.username,
        password=parts.password,
        dbname=parts.database,
        autocommit=True,
    )


@contextmanager
def session(url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    conn = connect(url)
    try:
        yield conn
    finally:
        conn.close()


PUT = "SELECT kplan_put_actual(1, %s, %s, %s, NULL, %s, %s, %s, %s, 'cli', NULL, %s, 'sato')"


def backend_pid(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    row = conn.execute("SELECT pg_backend_pid()").fetchone()
    assert row is not None and isinstance(row[0], int)
    return row[0]


def put(conn: psycopg.Connection[tuple[object, ...]], code: str, year: int, value: str,
        comment: str | None = None, key: str = "k") -> object:  # fmt: skip
    """The write function as a clerk calls it by hand, having read the row first."""
    seen = conn.execute(
        "SELECT revision_db, revision_seq FROM actual WHERE indicator_code = %s"
        " AND fiscal_year = %s",
        (code, year),
    ).fetchone()
    row = (seen is not None, *(seen or (None, None)))
    return conn.execute(PUT, (code, year, value, comment, *row, key)).fetchone()


def test_a_snapshot_older_than_the_year_lock_cannot_write_into_the_locked_year(
    attacked: dict[str, str],
) -> None:
    with session(attacked["clerk"]) as clerk:
        clerk.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        clerk.execute("SELECT count(*) FROM actual").fetchone()
        with Store.open(attacked["planner"]).transaction() as conn:
            assert lock_year(conn, 1, 2023, "planner")
        before = dump(attacked["admin"])
        with pytest.raises(psycopg.Error):
            put(clerk, COMMUNITY_CODE, 2023, "999")
        clerk.execute("ROLLBACK")
    assert dump(attacked["admin"]) == before


def test_a_snapshot_older_than_a_colleagues_finalisation_cannot_write(
    attacked: dict[str, str],
) -> None:
    admin = Store.open(attacked["admin"])
    with admin.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(c, 2025, "未集計") for c in COMMUNITY_INDICATORS],
                      who="seed", source=EntrySource.TEST)  # fmt: skip
    with session(attacked["clerk"]) as clerk, session(attacked["planner"]) as colleague:
        clerk.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        clerk.execute("SELECT count(*) FROM finalisation").fetchone()
        done = colleague.execute("SELECT kplan_finalise(1, 'community', 2025, 'cli', 'f', NULL)")
        assert done.fetchone() == (True,)
        before = dump(attacked["admin"])
        with pytest.raises(psycopg.Error):
            put(clerk, COMMUNITY_CODE, 2025, "6")
        clerk.execute("ROLLBACK")
    assert dump(attacked["admin"]) == before


def test_the_planning_divisions_direct_write_from_an_old_snapshot_meets_the_lock(
    attacked: dict[str, str],
) -> None:
    """The trigger, not only the functions: a merge's direct UPDATE from a REPEATABLE READ
    snapshot taken before the lock fails (a serialization failure, the program runs it
    again and is then refused)."""
    with session(attacked["planner"]) as planner:
        planner.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        planner.execute("SELECT count(*) FROM year_lock").fetchone()
        with Store.open(attacked["admin"]).transaction() as conn:
            assert lock_year(conn, 1, 2023, "other planner")
        before = dump(attacked["admin"])
        with pytest.raises(psycopg.errors.SerializationFailure):
            planner.execute(
                "UPDATE actual SET value = '41' WHERE indicator_code = %s AND fiscal_year = 2023",
                (COMMUNITY_CODE,),
            )
        planner.execute("ROLLBACK")
    assert dump(attacked["admin"]) == before


def test_a_write_waits_for_a_year_lock_in_flight_and_then_is_refused(
    attacked: dict[str, str],
) -> None:
    """READ COMMITTED: the lock holds the year's row; the writer waits, then sees the lock."""
    with session(attacked["admin"]) as planner, session(attacked["clerk"]) as clerk:
        planner.execute("BEGIN")
        planner.execute(
            "INSERT INTO kplan_write_gate (generation, department_code, fiscal_year, changed_at)"
            " VALUES (1, '', 2024, clock_timestamp())"
            " ON CONFLICT (generation, department_code, fiscal_year)"
            " DO UPDATE SET changed_at = now()"
        )
        planner.execute("INSERT INTO year_lock VALUES (2024, now(), 'p', NULL)")
        failure: list[BaseException] = []

        def write() -> None:
            try:
                put(clerk, COMMUNITY_CODE, 2024, "7")
            except psycopg.Error as exc:
                failure.append(exc)

        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.5)
        assert writer.is_alive()  # waiting for the lock's transaction
        planner.execute("COMMIT")
        writer.join(10)
        assert failure and "E_LOCKED_YEAR" in str(failure[0])


def test_an_idle_writer_holds_up_the_lock_of_its_own_year_only(
    attacked: dict[str, str],
) -> None:
    """`year lock` took a table lock on every value: a clerk idling in a transaction after one
    write stopped the lock of every year."""
    with session(attacked["clerk"]) as clerk:
        clerk.execute("BEGIN")
        put(clerk, COMMUNITY_CODE, 2024, "8")
        started = time.monotonic()
        with Store.open(attacked["planner"]).transaction() as conn2:
            assert lock_year(conn2, 1, 2025, "planner")
        assert time.monotonic() - started < 3
        clerk.execute("COMMIT")
    stored = Store.open(attacked["admin"])
    with stored.connect() as conn:
        by = conn.scalar(text("SELECT locked_by FROM year_lock WHERE fiscal_year = 2025"))
    # The login on the server, not the PC's user the program was given.
    assert by == make_url(attacked["planner"]).username


def test_the_audit_is_dated_when_the_write_happens_not_when_the_transaction_began(
    attacked: dict[str, str],
) -> None:
    with session(attacked["clerk"]) as clerk:
        clerk.execute("BEGIN")
        began = clerk.execute("SELECT now()").fetchone()
        clerk.execute("SELECT pg_sleep(1.5)")
        put(clerk, COMMUNITY_CODE, 2024, "9", key="backdate")
        clerk.execute("COMMIT")
        at, entered = clerk.execute(
            "SELECT a.at, v.entered_at FROM audit a JOIN actual v"
            " ON v.indicator_code = a.indicator_code AND v.fiscal_year = a.fiscal_year"
            " WHERE a.request_key = 'backdate'"
        ).fetchone() or (None, None)
    assert began is not None and isinstance(began[0], datetime)
    assert isinstance(at, datetime) and isinstance(entered, datetime)
    assert at - began[0] >= timedelta(seconds=1.4)
    assert entered == at


def test_withdrawing_a_finalisation_in_a_locked_year_is_refused(
    attacked: dict[str, str],
) -> None:
    admin = Store.open(attacked["admin"])
    with admin.transaction() as conn2:
        write_actuals(conn2, 1, [EntryRequest(c, 2025, "未集計") for c in COMMUNITY_INDICATORS],
                      who="seed", source=EntrySource.TEST)  # fmt: skip
    clerk = Store.open(attacked["clerk"])
    with clerk.transaction() as conn2:
        assert finalise(conn2, 1, "community", 2025, who="x", source=EntrySource.CLI)
    with admin.transaction() as conn2:
        lock_year(conn2, 1, 2025, "planner")
    before = dump(attacked["admin"])
    with pytest.raises(Exception) as through_program, clerk.transaction() as conn2:
        withdraw_finalisation(conn2, 1, "community", 2025, who="x", source=EntrySource.CLI)
    assert "E_LOCKED_YEAR" in str(through_program.value) or "ロック" in str(through_program.value)
    with session(attacked["clerk"]) as conn, pytest.raises(psycopg.Error) as by_hand:
        conn.execute("SELECT kplan_withdraw(1, 'community', 2025, 'cli', 'w', NULL)")
    assert "E_LOCKED_YEAR" in str(by_hand.value)
    # The planning division's direct DELETE meets the trigger.
    with session(attacked["planner"]) as conn, pytest.raises(psycopg.Error) as direct:
        conn.execute("DELETE FROM finalisation WHERE fiscal_year = 2025")
    assert "E_LOCKED_YEAR" in str(direct.value)
    assert dump(attacked["admin"]) == before


def test_the_server_refuses_the_finalisations_the_program_refuses(
    attacked: dict[str, str],
) -> None:
    """An incomplete year (E_NOT_COMPLETE) and a year outside the plan, by both paths."""
    clerk = Store.open(attacked["clerk"])
    before = dump(attacked["admin"])
    for year in (2025, 1900):
        with pytest.raises(Exception) as program, clerk.transaction() as conn2:
            finalise(conn2, 1, "community", year, who="x", source=EntrySource.CLI)
        with session(attacked["clerk"]) as conn, pytest.raises(psycopg.Error) as server_said:
            conn.execute("SELECT kplan_finalise(1, 'community', %s, 'cli', 'f', NULL)", (year,))
        code = "E_NOT_COMPLETE" if year == 2025 else "E_YEAR_OUT_OF_PLAN"
        assert code in str(server_said.value), str(server_said.value)
        assert getattr(program.value, "code", "").startswith("E_")
    assert dump(attacked["admin"]) == before


def test_no_value_for_an_indicator_without_a_unit_and_no_control_characters_in_a_comment(
    attacked: dict[str, str],
) -> None:
    admin = Store.open(attacked["admin"])
    with admin.transaction() as conn:
        conn.execute(
            text("UPDATE indicator SET unit = NULL, value_kind = NULL WHERE code = :c"),
            {"c": COMMUNITY_CODE},
        )
    clerk = Store.open(attacked["clerk"])
    before = dump(attacked["admin"])
    with pytest.raises(EntryRefused) as program, clerk.transaction() as conn2:
        write_actuals(
            conn2, 1, [EntryRequest(COMMUNITY_CODE, 2024, "5")], who="x", source=EntrySource.CLI
        )
    assert "E_UNIT_NOT_SET" in {f.code for f in program.value.results[0].refused_because}
    with session(attacked["clerk"]) as conn:
        with pytest.raises(psycopg.Error) as no_unit:
            put(conn, COMMUNITY_CODE, 2024, "5")
        assert "E_UNIT_NOT_SET" in str(no_unit.value)
        for comment in ("ctl\x01", "\x1b[31mRED\x1b[0m", "del\x7f", "c1\x85"):
            with pytest.raises(psycopg.Error) as control:
                put(conn, "7-1-1-K1", 2024, "3", comment=comment)
            assert "E_COMMENT_CONTROL" in str(control.value), comment
    assert dump(attacked["admin"]) == before
    # Line breaks and tabs stay allowed.
    with session(attacked["clerk"]) as conn:
        assert put(conn, "7-1-1-K1", 2024, "3", comment="一行目\n二行目\tタブ") is not None


def test_saved_or_not_cannot_be_held_up_by_another_login_holding_the_keys_lock(
    attacked: dict[str, str],
) -> None:
    """The lookup after a lost reply waited for an advisory lock any login could see in
    pg_locks and hold; it now asks the server about the write's transaction."""
    key = "5f0c0ffee0000000000000000000beef"
    clerk = Store.open(attacked["clerk"])
    xids: list[str] = []

    def work(conn: object) -> None:
        from sqlalchemy import Connection

        assert isinstance(conn, Connection)
        xids.append(str(conn.scalar(text("SELECT pg_current_xact_id()::text"))))
        conn.execute(
            text(PUT.replace("%s", "{}").format(
                ":c", "2024", "'12'", "NULL", "false", "NULL", "NULL", ":k")),
            {"c": COMMUNITY_CODE, "k": key},
        )  # fmt: skip

    clerk.run(work, key=key)
    with session(attacked["clerk"]) as attacker:
        attacker.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (key,))
        started = time.monotonic()
        assert clerk.committed(key)
        assert clerk.committed(key, xid=xids[0])
        assert not clerk.committed("never-written")
        assert time.monotonic() - started < 2
    # A transaction the server is still finishing is waited for, then answered.
    with session(attacked["admin"]) as writer:
        writer.execute("BEGIN")
        xid = str((writer.execute("SELECT pg_current_xact_id()::text").fetchone() or [""])[0])
        writer.execute(
            "INSERT INTO audit (at, who, source, action, request_key)"
            " VALUES (now(), 'x', 'cli', 'enter', 'slow-key')"
        )
        answer: list[bool] = []
        asking = threading.Thread(
            target=lambda: answer.append(clerk.committed("slow-key", xid=xid))
        )
        asking.start()
        time.sleep(0.6)
        assert asking.is_alive()
        writer.execute("COMMIT")
        asking.join(10)
    assert answer == [True]


def test_a_clerk_who_removes_the_lock_timeout_still_waits_only_the_functions_limit(
    attacked: dict[str, str],
) -> None:
    from kplan_desktop.store.server import add_user
    from tests.store.test_server import PASSWORD, login

    database = make_url(attacked["admin"]).database
    with Store.open(attacked["admin"]).transaction() as conn:
        add_user(conn, f"other_{database}", PASSWORD, department="community")
    other = login(attacked["admin"], f"other_{database}")
    with session(attacked["clerk"]) as holder, session(other) as waiter:
        holder.execute("BEGIN")
        put(holder, COMMUNITY_CODE, 2024, "13")
        waiter.execute("SET lock_timeout = 0")
        waiter.execute("SET statement_timeout = 0")
        started = time.monotonic()
        with pytest.raises(psycopg.errors.LockNotAvailable):
            put(waiter, COMMUNITY_CODE, 2024, "14")
        assert time.monotonic() - started < 15
        holder.execute("ROLLBACK")


def test_a_clerk_idling_in_a_save_is_named_seen_and_ended_by_the_planning_division(
    attacked: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from kplan_desktop.cli import main
    from kplan_desktop.store.engine import StoreError

    clerk_login = str(make_url(attacked["clerk"]).username)
    with session(attacked["clerk"]) as clerk:
        clerk.execute("SET idle_in_transaction_session_timeout = 0")  # the clerk's own choice
        clerk.execute("BEGIN")
        put(clerk, COMMUNITY_CODE, 2024, "15")
        pid = backend_pid(clerk)
        planner = Store.open(attacked["planner"])
        with pytest.raises(StoreError) as blocked, planner.transaction() as conn:
            lock_year(conn, 1, 2024, "planner")
        assert blocked.value.code == "E_YEAR_LOCK_BLOCKED"
        assert clerk_login in str(blocked.value) and str(pid) in str(blocked.value)
        capsys.readouterr()
        assert main(["--db", attacked["planner"], "server", "sessions"]) == 0
        listed = [line.split("\t") for line in capsys.readouterr().out.splitlines()[1:]]
        mine = [row for row in listed if row[0] == str(pid)]
        assert mine and mine[0][1] == clerk_login and mine[0][3] == "idle in transaction"
        # The planning division's own sessions and the administrator's are not ended.
        with session(attacked["admin"]) as admin_conn:
            admin_pid = backend_pid(admin_conn)
            assert main(["--db", attacked["planner"], "server", "sessions",
                         "--terminate", str(admin_pid)]) != 0  # fmt: skip
            assert admin_conn.execute("SELECT 1").fetchone() == (1,)
        assert main(["--db", attacked["planner"], "server", "sessions",
                     "--terminate", str(pid)]) == 0  # fmt: skip
        with pytest.raises(psycopg.OperationalError):
            clerk.execute("SELECT 1")
    with Store.open(attacked["planner"]).transaction() as conn:
        assert lock_year(conn, 1, 2024, "planner")
    # A clerk may not end anybody's session.
    with session(attacked["planner"]) as planner_conn:
        planner_pid = backend_pid(planner_conn)
        assert main(["--db", attacked["clerk"], "server", "sessions",
                     "--terminate", str(planner_pid)]) != 0  # fmt: skip
        assert planner_conn.execute("SELECT 1").fetchone() == (1,)


def test_one_clerk_cannot_take_every_connection(attacked: dict[str, str]) -> None:
    from kplan_desktop.store.server import CONNECTION_LIMIT

    held: list[psycopg.Connection[tuple[object, ...]]] = []
    try:
        with pytest.raises(psycopg.OperationalError) as refused:
            for _ in range(CONNECTION_LIMIT + 1):
                held.append(connect(attacked["clerk"]))
        assert "too many connections" in str(refused.value)
        assert len(held) == CONNECTION_LIMIT
        # Others still get in.
        with session(attacked["planner"]) as planner:
            assert planner.execute("SHOW idle_session_timeout").fetchone() == ("8h",)
    finally:
        for conn in held:
            conn.close()


def test_server_init_is_not_held_up_by_a_clerk_holding_its_old_lock(
    attacked: dict[str, str],
) -> None:
    from kplan_desktop.cli import main
    from kplan_desktop.store.server import INIT_LOCK_TABLE

    with session(attacked["clerk"]) as clerk:
        clerk.execute("SET idle_in_transaction_session_timeout = 0")
        clerk.execute("SELECT pg_advisory_lock(7302)")
        # An idle open reader of every table init touches: a rerun takes no lock it would
        # wait for (the server's lock timeout would refuse it after 5 s).
        clerk.execute("BEGIN")
        for table in ("actual", "finalisation", "measure_evaluation", "kplan_role", "audit",
                      "indicator", "year_lock", "meta"):  # fmt: skip
            clerk.execute(f"SELECT count(*) FROM {table}").fetchone()
        started = time.monotonic()
        assert main(["server", "init", "--admin-url", attacked["admin"]]) == 0
        assert time.monotonic() - started < 20
        clerk.execute("ROLLBACK")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            clerk.execute(f"BEGIN; LOCK TABLE {INIT_LOCK_TABLE} IN ACCESS SHARE MODE")
