"""The shared PostgreSQL server: department boundaries enforced by the server itself, broken
connections, and writers racing each other — on the throwaway cluster of tests/pgcluster.py."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.actuals import (
    EntryRefused,
    EntryRequest,
    EntryResult,
    read_actuals,
    write_actuals,
)
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.engine import Store, StoreError
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.years import lock_year
from tests.conftest import dump
from tests.pgcluster import Cluster

pytestmark = pytest.mark.postgresql_only

PASSWORD = "correct horse 7"
COMMUNITY_CODE = "7-1-1-K2"  # owned by community
EQUALITY_CODE = "7-2-1-K1"  # owned by equality


def login(db: str, user: str, password: str = PASSWORD) -> str:
    url = make_url(db).set(username=user, password=password)
    return url.render_as_string(hide_password=False)


@pytest.fixture
def server(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """A server database set up by its administrator, with a clerk of community and a planner."""
    assert main(["server", "init", "--admin-url", db]) == 0
    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    name = make_url(db).database
    clerk, planner = f"clerk_{name}", f"planner_{name}"
    assert main(["--db", db, "server", "add-user", clerk, "--department", "community",
                 "--password-file", str(secret)]) == 0  # fmt: skip
    assert main(["--db", db, "server", "add-user", planner, "--planning",
                 "--password-file", str(secret)]) == 0  # fmt: skip
    capsys.readouterr()
    return {"admin": db, "clerk": login(db, clerk), "planner": login(db, planner)}


def psql(cluster: Cluster, url: str, sql: str) -> subprocess.CompletedProcess[str]:
    """psql as the login in `url`, as someone who bypasses the program would use it."""
    parts = make_url(url)
    return subprocess.run(
        [
            str(cluster.bin / "psql"),
            "-X",
            "-q",
            "-At",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            str(parts.username),
            "-d",
            str(parts.database),
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PGPASSWORD": str(parts.password or "")},
        check=False,
    )


def test_a_department_login_cannot_touch_another_departments_value_or_the_catalog_with_psql(
    server: dict[str, str], pg_cluster: Cluster
) -> None:
    admin = Store.open(server["admin"])
    with admin.transaction() as conn:
        write_actuals(
            conn, 1, [EntryRequest(EQUALITY_CODE, 2024, "1")], who="eq", source=EntrySource.TEST
        )
    before = dump(server["admin"])
    clerk = server["clerk"]
    refusals = {
        "update another department's value": (
            f"UPDATE actual SET value = '999' WHERE indicator_code = '{EQUALITY_CODE}'"
        ),
        "insert another department's value": (
            "INSERT INTO actual (indicator_code, fiscal_year, value, entered_by, entered_at,"
            f" source) VALUES ('{EQUALITY_CODE}', 2025, '5', 'x', now(), 'cli')"
        ),
        "move an own value to another department's indicator": (
            f"UPDATE actual SET indicator_code = '{EQUALITY_CODE}', fiscal_year = 2023"
        ),
        "change the catalog": "UPDATE indicator SET name = 'x'",
        "add a department": "INSERT INTO department VALUES ('evil', 'x', true, 0)",
        "lock a year": "INSERT INTO year_lock VALUES (2024, now(), 'x', null)",
        "rewrite the audit log": "UPDATE audit SET who = 'x'",
        "erase the audit log": "DELETE FROM audit",
        "read the signing keys": "SELECT * FROM signing_key",
        "finalise another department": (
            "INSERT INTO finalisation VALUES ('equality', 2024, 'x', now())"
        ),
    }
    for what, sql in refusals.items():
        done = psql(pg_cluster, clerk, sql)
        assert done.returncode != 0, what
        said = done.stderr.lower()
        assert "row-level security" in said or "permission denied" in said, (what, said)
    # A delete of another department's row matches nothing: the row is not the clerk's to see
    # as deletable.
    assert psql(pg_cluster, clerk, "DELETE FROM actual RETURNING id").stdout == ""
    assert dump(server["admin"]) == before
    # The clerk's own department is writable through the server's write function only, with
    # psql as with the program; the audit row names the login, whatever the client says.
    own = psql(
        pg_cluster,
        clerk,
        f"SELECT kplan_put_actual(1, '{COMMUNITY_CODE}', 2023, '51', null, null, false, null,"
        " null, 'cli', null, 'k1', 'somebody')",
    )
    assert own.returncode == 0, own.stderr
    with Store.open(server["admin"]).snapshot() as conn:
        last = audit_log(conn)[-1]
    assert (last.who, last.client_user, last.new_value) == (
        make_url(clerk).username, "somebody", "51")  # fmt: skip


def test_the_program_as_a_department_login_is_refused_by_the_server_and_changes_nothing(
    server: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    clerk = server["clerk"]
    assert main(["--db", clerk, "enter", "--indicator", COMMUNITY_CODE, "--year", "2024",
                 "--value", "55"]) == 0  # fmt: skip
    # Clearing another department's value: the server hides the row from the delete, and the
    # program refuses the change that did not happen (its audit row with it).
    with Store.open(server["admin"]).transaction() as conn:
        write_actuals(
            conn, 1, [EntryRequest(EQUALITY_CODE, 2024, "1")], who="eq",
            source=EntrySource.TEST,
        )  # fmt: skip
    before = dump(server["admin"])
    capsys.readouterr()
    for value in ("2", ""):
        assert main(["--db", clerk, "enter", "--indicator", EQUALITY_CODE, "--year", "2024",
                     "--value", value, "--comment", "c"]) == 2  # fmt: skip
        assert "権限がありません" in capsys.readouterr().err
    assert main(["--db", clerk, "enter", "--indicator", EQUALITY_CODE, "--year", "2025",
                 "--value", "2", "--comment", "c"]) == 2  # fmt: skip
    assert main(["--db", clerk, "year", "lock", "--year", "2024"]) == 2
    assert dump(server["admin"]) == before
    # The planning login changes any department's value and locks years.
    planner = server["planner"]
    assert main(["--db", planner, "enter", "--indicator", EQUALITY_CODE, "--year", "2024",
                 "--value", "2", "--comment", "c"]) == 0  # fmt: skip
    assert main(["--db", planner, "year", "lock", "--year", "2024"]) == 0
    assert main(["--db", planner, "show"]) == 0


def test_the_database_itself_refuses_a_write_to_a_locked_year(
    server: dict[str, str], pg_cluster: Cluster
) -> None:
    store = Store.open(server["admin"])
    with store.transaction() as conn:
        lock_year(conn, 1, 2024, "planner")
    before = dump(server["admin"])
    # Even the administrator's psql, which row-level security does not stop.
    done = psql(
        pg_cluster,
        server["admin"],
        "INSERT INTO actual (indicator_code, fiscal_year, value, entered_by, entered_at, source)"
        f" VALUES ('{COMMUNITY_CODE}', 2024, '5', 'x', now(), 'cli')",
    )
    assert done.returncode != 0 and "E_LOCKED_YEAR" in done.stderr
    assert dump(server["admin"]) == before


def test_a_connection_killed_mid_transaction_leaves_no_partial_change(
    db: str, pg_cluster: Cluster
) -> None:
    store = Store.open(db)
    with store.transaction() as conn2:
        write_actuals(
            conn2, 1, [EntryRequest(COMMUNITY_CODE, 2023, "50")], who="a", source=EntrySource.TEST
        )
    before = dump(db)
    admin = create_engine(pg_cluster.admin_url)

    def kill_myself(conn: Connection) -> None:
        # The values and their audit rows are written, not committed: the server ends it here.
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
        with admin.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            other.commit()
        conn.execute(text("SELECT 1"))

    requests = [EntryRequest(COMMUNITY_CODE, 2024, "55"), EntryRequest("7-1-1-K1", 2024, "3")]

    def write(conn: Connection, key: str) -> None:
        write_actuals(conn, 1, requests, who="a", source=EntrySource.TEST, request_key=key)
        kill_myself(conn)

    with pytest.raises(StoreError) as lost:
        store.write(write)
    assert lost.value.code == "E_DB_CONNECTION_LOST"
    assert "保存されていません" in lost.value.message_ja
    admin.dispose()
    assert dump(db) == before
    # The next write gets a fresh connection and goes through.
    with store.transaction() as conn2:
        write_actuals(conn2, 1, requests, who="a", source=EntrySource.TEST)
        assert {a.text for a in read_actuals(conn2, 1, fiscal_year=2024)} == {"55", "3"}


def test_a_server_that_is_down_or_a_wrong_password_gives_one_clear_message(
    server: dict[str, str], pg_cluster: Cluster
) -> None:
    nobody = make_url(server["admin"]).set(port=1).render_as_string(hide_password=False)
    with pytest.raises(DomainError) as down:
        Store.open(nobody)
    assert down.value.code == "E_DB_UNREACHABLE"
    assert down.value.message_ja.startswith("データベースサーバーに接続できません")
    wrong = login(server["clerk"], str(make_url(server["clerk"]).username), "wrong password")
    with pytest.raises(DomainError) as refused:
        Store.open(wrong)
    assert refused.value.code == "E_DB_AUTH"
    elsewhere = make_url(server["admin"]).set(database="no_such_database")
    with pytest.raises(DomainError) as missing:
        Store.open(elsewhere.render_as_string(hide_password=False))
    assert missing.value.code == "E_DB_MISSING"


def test_writers_racing_on_the_same_values_lose_nothing_and_share_no_audit_number(
    db: str, pg_cluster: Cluster
) -> None:
    """Eight sessions each raise three values by one, from what they read, many times over."""
    codes = ["7-1-1-K1", "7-1-1-K2", "7-1-1-K3"]
    deadlocks_sql = text("SELECT deadlocks FROM pg_stat_database WHERE datname = :d")
    admin = create_engine(pg_cluster.admin_url)
    with admin.connect() as conn:
        deadlocks = conn.scalar(deadlocks_sql, {"d": make_url(db).database})
    seed = Store.open(db)
    with seed.transaction() as conn2:
        write_actuals(
            conn2,
            1,
            [EntryRequest(c, 2024, "1000", comment="c") for c in codes],
            who="s",
            source=EntrySource.TEST,
        )
    rounds, workers = 15, 8
    conflicts = [0] * workers
    errors: list[BaseException] = []

    def worker(n: int, store: Store) -> None:
        try:
            for _ in range(rounds):
                while True:
                    with store.snapshot() as conn:
                        now = {a.indicator_code: a for a in read_actuals(conn, 1, fiscal_year=2024)}
                    # Half of them ask in the opposite order: still no deadlock.
                    order = list(reversed(codes)) if n % 2 else codes
                    requests = [
                        EntryRequest(
                            c,
                            2024,
                            str(int(now[c].text or 0) + 1),
                            comment="c",
                            expected=now[c].revision,
                            check_expected=True,
                        )
                        for c in order
                    ]
                    try:
                        store.write(partial(_write_batch, batch=requests, who=f"w{n}"))
                        break
                    except EntryRefused:
                        conflicts[n] += 1
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    stores = [Store.open(db) for _ in range(workers)]
    threads: list[threading.Thread] = []
    run: Callable[[int], None] = lambda n: worker(n, stores[n])  # noqa: E731
    for n in range(workers):
        threads.append(threading.Thread(target=run, args=(n,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with seed.snapshot() as conn2:
        final = {a.indicator_code: a.text for a in read_actuals(conn2, 1, fiscal_year=2024)}
    assert final == {c: str(1000 + rounds * workers) for c in codes}  # no update lost
    with seed.snapshot() as conn2:
        entries = [e for e in audit_log(conn2) if e.fiscal_year == 2024 and e.action == "enter"]
    assert len(entries) == len(codes) * (1 + rounds * workers)
    with seed.snapshot() as conn2:
        assert len({e.id for e in audit_log(conn2)}) == len(audit_log(conn2))
    assert sum(conflicts) > 0  # they did race
    with admin.connect() as conn:
        assert conn.scalar(deadlocks_sql, {"d": make_url(db).database}) == deadlocks
    admin.dispose()


def test_a_pc_moves_its_local_values_up_with_export_and_a_planning_merge(
    server: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = tmp_path / "local.sqlite3"
    assert main(["--db", str(local), "init"]) == 0
    for code, value in (("7-1-1-K1", "3"), ("7-1-1-K2", "55"), ("7-1-1-K3", "1500")):
        assert main(["--db", str(local), "enter", "--indicator", code, "--year", "2024",
                     "--value", value, "--comment", "c"]) == 0  # fmt: skip
    out = tmp_path / "community.xlsx"
    assert main(["--db", str(local), "export", "--department", "community", "--year", "2024",
                 "-o", str(out), "--draft"]) == 0  # fmt: skip
    # A department login may not merge (the merged-file record is the planning division's).
    before = dump(server["admin"])
    capsys.readouterr()
    assert main(["--db", server["clerk"], "merge", str(out)]) == 2
    assert "権限がありません" in capsys.readouterr().err
    assert dump(server["admin"]) == before
    assert main(["--db", server["planner"], "merge", str(out)]) == 0
    capsys.readouterr()
    assert main(["--db", server["clerk"], "show", "--json", "--year", "2024"]) == 0
    import json

    shown = {r["code"]: r["years"]["2024"]["value"] for r in json.loads(capsys.readouterr().out)}
    assert (shown["7-1-1-K1"], shown["7-1-1-K2"], shown["7-1-1-K3"]) == ("3", "55", "1500")


def test_writers_adding_the_same_new_values_in_opposite_orders_never_deadlock(
    db: str, pg_cluster: Cluster
) -> None:
    """Six sessions each add the same fifteen first values, half in the opposite order."""
    cells = [(c, y) for c in ("7-1-1-K1", "7-1-1-K2", "7-1-1-K3") for y in range(2022, 2027)]
    deadlocks_sql = text("SELECT deadlocks FROM pg_stat_database WHERE datname = :d")
    name = make_url(db).database
    admin = create_engine(pg_cluster.admin_url)
    with admin.connect() as conn:
        before = conn.scalar(deadlocks_sql, {"d": name})
    outcomes: list[str] = []
    errors: list[BaseException] = []
    stores = [Store.open(db) for _ in range(6)]
    start = threading.Barrier(6)

    def worker(n: int) -> None:
        order = list(reversed(cells)) if n % 2 else cells
        requests = [
            EntryRequest(c, y, str(50 + n), "c", expected=None, check_expected=True)
            for c, y in order
        ]
        try:
            start.wait()
            stores[n].write(
                lambda conn, key: write_actuals(
                    conn, 1, requests, who=f"w{n}", source=EntrySource.TEST, request_key=key
                )
            )
            outcomes.append("written")
        except EntryRefused:
            outcomes.append("conflict")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(outcomes) == ["conflict"] * 5 + ["written"]
    with stores[0].snapshot() as conn2:
        values = {a.text for a in read_actuals(conn2, 1, fiscal_year=2024)}
    assert len(values) == 1  # one writer's batch, whole
    with admin.connect() as conn:
        assert conn.scalar(deadlocks_sql, {"d": name}) == before
    admin.dispose()


def test_a_table_a_later_version_adds_is_read_by_all_and_written_by_planning_after_init(
    server: dict[str, str], pg_cluster: Cluster
) -> None:
    pg_cluster.psql(
        "CREATE TABLE later_table (id integer PRIMARY KEY)",
        make_url(server["admin"]).database or "",
    )
    assert main(["server", "init", "--admin-url", server["admin"]]) == 0
    assert psql(pg_cluster, server["clerk"], "SELECT count(*) FROM later_table").returncode == 0
    refused = psql(pg_cluster, server["clerk"], "INSERT INTO later_table VALUES (1)")
    assert refused.returncode != 0 and "permission denied" in refused.stderr
    done = psql(pg_cluster, server["planner"], "INSERT INTO later_table VALUES (1)")
    assert done.returncode == 0, done.stderr
    # The program's bookkeeping stays the administrator's.
    assert psql(pg_cluster, server["planner"], "DELETE FROM alembic_version").returncode != 0
    assert psql(pg_cluster, server["planner"], "UPDATE audit SET who = 'x'").returncode != 0


def test_a_department_login_evaluates_only_its_own_measures_and_never_the_reviewer_comment(
    server: dict[str, str], pg_cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    clerk, planner = server["clerk"], server["planner"]
    # community evaluates its measure 7-1-1 through the program; the planner reviews it.
    assert main(["--db", clerk, "evaluate", "--measure", "7-1-1", "--year", "2024",
                 "--grade", "B", "--results", "成果"]) == 0  # fmt: skip
    assert main(["--db", planner, "review", "--measure", "7-1-1", "--year", "2024",
                 "--comment", "了解"]) == 0  # fmt: skip
    before = dump(server["admin"])
    capsys.readouterr()
    # Another department's measure (7-2-1 belongs to equality): refused by the server.
    assert main(["--db", clerk, "evaluate", "--measure", "7-2-1", "--year", "2024",
                 "--grade", "A"]) == 2  # fmt: skip
    assert "権限がありません" in capsys.readouterr().err
    refusals = {
        "evaluate another department's measure": (
            "INSERT INTO measure_evaluation (measure_code, fiscal_year, results, next_text,"
            " reviewer_comment, entered_by, entered_at)"
            " VALUES ('7-2-1', 2024, 'x', '', '', 'x', now())"
        ),
        "write the reviewer comment": "UPDATE measure_evaluation SET reviewer_comment = '良い'",
        "rewrite another department's evaluation": (
            "UPDATE measure_evaluation SET results = 'x' WHERE measure_code = '7-2-1'"
        ),
    }
    for what, sql in refusals.items():
        done = psql(pg_cluster, clerk, sql)
        said = done.stderr.lower()
        assert done.returncode != 0 or done.stdout == "", what
        if done.returncode != 0:
            assert "row-level security" in said or "permission denied" in said, (what, said)
    assert dump(server["admin"]) == before
    # Its own evaluation stays writable, and the reviewer comment survives the change.
    assert main(["--db", clerk, "evaluate", "--measure", "7-1-1", "--year", "2024",
                 "--grade", "A"]) == 0  # fmt: skip
    rows = {r[0]: r for r in dump(server["admin"])["measure_evaluation"]}
    assert rows["7-1-1"][2] == "A" and rows["7-1-1"][6] == "了解"


def test_add_user_never_makes_a_clerk_of_a_department_named_like_a_role(
    server: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    before = dump(server["admin"])
    capsys.readouterr()
    for word in ("planning", "PLANNING", "member"):
        assert main(["--db", server["admin"], "server", "add-user", "someone", "--department",
                     word, "--password-file", str(secret)]) == 2  # fmt: skip
        assert "--planning" in capsys.readouterr().err
    assert dump(server["admin"]) == before
    engine = create_engine(server["admin"])
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = 'someone'")) == 0
    engine.dispose()


def test_server_init_as_the_readme_says_an_admin_with_createrole_and_a_password_file(
    pg_cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a superuser: a login with CREATEROLE that owns the database, its password in a file."""
    name = f"kplan_readme_{os.getpid()}"
    admin = f"kadmin_{os.getpid()}"
    pg_cluster.psql(f"CREATE ROLE {admin} LOGIN CREATEROLE PASSWORD '{PASSWORD}'")
    pg_cluster.psql(f"CREATE DATABASE {name} OWNER {admin}")
    try:
        secret = tmp_path / "admin-password"
        secret.write_text(PASSWORD + "\n", encoding="utf-8")
        url = pg_cluster.url(name, admin)  # no password in the URL
        assert main(["server", "init", "--admin-url", url, "--admin-password-file",
                     str(secret)]) == 0  # fmt: skip
        assert main(["server", "add-user", f"tanaka_{os.getpid()}", "--department", "community",
                     "--admin-url", url, "--admin-password-file", str(secret),
                     "--password-file", str(secret)]) == 0  # fmt: skip
        capsys.readouterr()
        # Without the file (and no terminal, no ~/.pgpass) the login is refused, clearly.
        assert main(["server", "init", "--admin-url", url]) == 2
        assert "ログインできません" in capsys.readouterr().err
        clerk = pg_cluster.url(name, f"tanaka_{os.getpid()}", PASSWORD)
        assert main(["--db", clerk, "enter", "--indicator", COMMUNITY_CODE, "--year", "2024",
                     "--value", "55"]) == 0  # fmt: skip
        refused = psql(pg_cluster, clerk, "CREATE TEMP TABLE kplan_role (x int)")
        assert refused.returncode != 0
    finally:
        pg_cluster.drop_database(name)
        pg_cluster.psql(f"DROP ROLE IF EXISTS tanaka_{os.getpid()}")
        pg_cluster.psql(f"DROP OWNED BY {admin}; DROP ROLE IF EXISTS {admin}")


def _write_batch(
    conn: Connection, key: str, *, batch: list[EntryRequest], who: str
) -> list[EntryResult]:
    return write_actuals(conn, 1, batch, who=who, source=EntrySource.TEST, request_key=key)
