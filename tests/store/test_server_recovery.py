"""The shared server when things go wrong between the PC and the server: a commit whose reply is
lost, a PC frozen inside its transaction, a server that is still starting up. Real sockets on
127.0.0.1: a small TCP proxy between the program and the throwaway cluster, and a fake server
that answers like one in recovery."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from kplan_desktop.cli import main
from kplan_desktop.store.actuals import EntryRequest, read_actuals, write_actuals
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.engine import Store, StoreError
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.server import add_user
from tests.conftest import dump
from tests.pgcluster import Cluster
from tests.store.test_server import COMMUNITY_CODE, PASSWORD, login, server

__all__ = ["server"]

pytestmark = pytest.mark.postgresql_only
ROOT = Path(__file__).resolve().parents[2]


class Proxy:
    """Forwards 127.0.0.1:port to the cluster. Armed, it cuts the connection that sends COMMIT:
    after forwarding it ("after": the server commits, the reply is lost) or before ("before")."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = int(self.listener.getsockname()[1])
        self.armed: str | None = None
        self.cut = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, upward: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if upward and self.armed and b"COMMIT" in chunk:
                    mode, self.armed = self.armed, None
                    # The PC's side goes first, so no reply can reach it.
                    source.shutdown(socket.SHUT_RDWR)
                    source.close()
                    if mode == "after":
                        sink.sendall(chunk)
                    self.cut.set()
                    time.sleep(0.3)  # the server commits (or rolls back); no reply arrives
                    sink.shutdown(socket.SHUT_RDWR)
                    sink.close()
                    return
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def proxy(pg_cluster: Cluster) -> Iterator[Proxy]:
    made = Proxy(pg_cluster.port)
    yield made
    made.close()


def through(url: str, proxy: Proxy) -> str:
    return make_url(url).set(port=proxy.port).render_as_string(hide_password=False)


def test_a_commit_whose_reply_is_lost_is_found_saved_and_the_clerk_told_so(
    server: dict[str, str], proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    clerk = through(server["clerk"], proxy)
    capsys.readouterr()
    proxy.armed = "after"
    assert main(["--db", clerk, "enter", "--indicator", COMMUNITY_CODE, "--year", "2024",
                 "--value", "55"]) == 0  # fmt: skip
    assert proxy.cut.is_set()  # the connection really was cut after the COMMIT went up
    out = capsys.readouterr()
    assert "保存しました" in out.out or "Saved" in out.out, out
    assert "保存されていません" not in out.err
    with Store.open(server["admin"]).snapshot() as conn:
        stored = read_actuals(conn, 1, indicator_codes=[COMMUNITY_CODE])
    assert [a.text for a in stored if a.fiscal_year == 2024] == ["55"]
    with Store.open(server["admin"]).snapshot() as conn:
        entries = [e for e in audit_log(conn) if e.new_value == "55"]
    assert len(entries) == 1 and entries[0].request_key  # once, with its key


def test_a_connection_cut_before_the_commit_arrives_is_reported_not_saved(
    server: dict[str, str], proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    clerk = through(server["clerk"], proxy)
    before = dump(server["admin"])
    capsys.readouterr()
    proxy.armed = "before"
    assert main(["--db", clerk, "enter", "--indicator", COMMUNITY_CODE, "--year", "2024",
                 "--value", "55"]) == 2  # fmt: skip
    assert proxy.cut.is_set()
    assert "この変更は保存されていません" in capsys.readouterr().err
    assert dump(server["admin"]) == before
    # The window's way in: the same, as an exception it shows with Retry.
    proxy.cut.clear()
    proxy.armed = "before"
    with pytest.raises(StoreError) as lost, Store.open(clerk).transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(COMMUNITY_CODE, 2024, "56")],
                      who="x", source=EntrySource.GUI)  # fmt: skip
    assert lost.value.code == "E_DB_CONNECTION_LOST" and lost.value.retryable
    assert dump(server["admin"]) == before


_HOLDER = """
import sys, time
from sqlalchemy import text
from kplan_desktop.store.engine import Store
store = Store.open(sys.argv[1])
with store.engine.begin() as conn:
    conn.execute(text(
        "SELECT kplan_put_actual(1, :c, 2024, '1', null, null, false, null, null, 'cli', null,"
        " 'holder', 'frozen')"), {"c": sys.argv[2]})
    print("holding", flush=True)
    time.sleep(120)
"""


def test_a_frozen_pc_inside_its_transaction_stalls_nobody_beyond_the_timeouts(
    server: dict[str, str], pg_cluster: Cluster, tmp_path: Path
) -> None:
    admin = Store.open(server["admin"])
    database = make_url(server["admin"]).database or ""
    # The documented limits, made short as IT staff may (ALTER DATABASE … SET).
    pg_cluster.psql(
        f"""ALTER DATABASE "{database}" SET lock_timeout = '1s';
        ALTER DATABASE "{database}" SET idle_in_transaction_session_timeout = '3s'""",
        database,
    )
    with admin.transaction() as conn:
        add_user(conn, f"other_{database}", PASSWORD, department="community")
    other = Store.open(login(server["admin"], f"other_{database}"))
    script = tmp_path / "holder.py"
    script.write_text(_HOLDER, encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, str(script), server["clerk"], COMMUNITY_CODE],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        os.kill(holder.pid, signal.SIGSTOP)  # frozen, holding the row, inside its transaction
        began = time.monotonic()
        with pytest.raises(StoreError) as waited, other.transaction() as conn:
            write_actuals(conn, 1, [EntryRequest(COMMUNITY_CODE, 2024, "2", "c")], who="o",
                          source=EntrySource.CLI)  # fmt: skip
        took = time.monotonic() - began
        assert waited.value.code == "E_DB_TIMEOUT" and waited.value.retryable
        assert took < 4, took  # the lock timeout (1 s), not forever
        # The server ends the frozen session after the idle-in-transaction limit; the save
        # then goes through, and the frozen PC's value never was.
        deadline = time.monotonic() + 15
        while True:
            try:
                with other.transaction() as conn:
                    write_actuals(conn, 1, [EntryRequest(COMMUNITY_CODE, 2024, "2", "c")], who="o",
                                  source=EntrySource.CLI)  # fmt: skip
                break
            except StoreError as exc:
                assert exc.code == "E_DB_TIMEOUT"
                assert time.monotonic() < deadline
                time.sleep(0.5)
        assert time.monotonic() - began < 10
        with admin.snapshot() as conn:
            stored = read_actuals(conn, 1, indicator_codes=[COMMUNITY_CODE])
        assert [a.text for a in stored if a.fiscal_year == 2024] == ["2"]
        with admin.snapshot() as conn:
            assert not [e for e in audit_log(conn) if e.client_user == "frozen"]
    finally:
        os.kill(holder.pid, signal.SIGCONT)
        holder.kill()
        holder.wait(timeout=10)


def test_the_server_sets_the_session_limits_and_it_staff_may_change_them(
    server: dict[str, str], pg_cluster: Cluster
) -> None:
    from tests.store.test_server import psql

    shown = psql(pg_cluster, server["clerk"], "SHOW lock_timeout; SHOW statement_timeout;"
                 " SHOW idle_in_transaction_session_timeout").stdout.split()  # fmt: skip
    assert shown == ["5s", "1min", "1min"]
    database = make_url(server["admin"]).database or ""
    pg_cluster.psql(f"""ALTER DATABASE "{database}" SET lock_timeout = '2s'""", database)
    assert main(["server", "init", "--admin-url", server["admin"]]) == 0  # keeps IT's value
    assert psql(pg_cluster, server["clerk"], "SHOW lock_timeout").stdout.strip() == "2s"


class StartingServer:
    """Answers every connection as PostgreSQL does while it starts up (SQLSTATE 57P03)."""

    def __init__(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = int(self.listener.getsockname()[1])
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            try:
                self._answer(conn)
            except OSError:
                pass
            finally:
                conn.close()

    @staticmethod
    def _answer(conn: socket.socket) -> None:
        while True:
            head = conn.recv(8, socket.MSG_WAITALL)
            if len(head) < 8:
                return
            length, code = struct.unpack("!ii", head)
            if code in (80877103, 80877104):  # SSLRequest, GSSENCRequest: no
                conn.sendall(b"N")
                continue
            conn.recv(length - 8, socket.MSG_WAITALL)
            fields = (
                b"SFATAL\0VFATAL\0C57P03\0Mthe database system is not yet accepting"
                b" connections\0DConsistent recovery state has not been yet reached.\0\0"
            )
            conn.sendall(b"E" + struct.pack("!i", len(fields) + 4) + fields)
            return

    def close(self) -> None:
        self.listener.close()


def test_a_server_that_is_starting_says_so_for_reads_and_writes_and_offers_retry(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = StartingServer()
    try:
        url = f"postgresql+psycopg://clerk:pw@127.0.0.1:{fake.port}/kplan"
        with pytest.raises(StoreError) as opening:
            Store.open(url)
        store = Store.open(url, migrate=False)
        with pytest.raises(StoreError) as reading, store.snapshot() as conn:
            read_actuals(conn, 1)
        with pytest.raises(StoreError) as writing, store.transaction() as conn:
            write_actuals(conn, 1, [EntryRequest(COMMUNITY_CODE, 2024, "1")], who="x",
                          source=EntrySource.GUI)  # fmt: skip
        for refused in (opening.value, reading.value, writing.value):
            assert refused.code == "E_DB_STARTING" and refused.retryable
            assert "起動中" in refused.message_ja and "starting up" in refused.message_en
        capsys.readouterr()
        assert main(["--db", url, "show"]) == 2
        assert "起動中" in capsys.readouterr().err
    finally:
        fake.close()
