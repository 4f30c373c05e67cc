"""Opening a database: engine set-up, SQLite pragmas, and migrations applied on open."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    TextClause,
    bindparam,
    create_engine,
    event,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.text import mask_secrets
from kplan_desktop.store.backup_files import backups_folder, scrub_old_backups
from kplan_desktop.store.models import audit_table, meta_table
from kplan_desktop.store.netfs import on_network
from kplan_desktop.store.paths import database_url, private_file
from kplan_desktop.store.schema_upgrade import known_revisions, upgrade

if TYPE_CHECKING:
    pass

# The newest migration in db/migrations/versions; a test keeps this equal to Alembic's head.
# Knowing it here lets a database that is already current open without importing Alembic.
SCHEMA_HEAD = "0018"
SECRETS_REMOVED = "0010"  # the first revision whose database holds no signing secret
# Every database has its own id: the first half of the revisions it makes.
DATABASE_ID_KEY = "database_id"


T = TypeVar("T")


class StoreError(DomainError):
    """The database cannot be opened or written."""

    @property
    def connection_problem(self) -> bool:
        """The server could not be reached or the connection broke: trying again may work."""
        return self.code in CONNECTION_CODES

    @property
    def retryable(self) -> bool:
        return self.code in CONNECTION_CODES or self.code in ("E_DB_BUSY", "E_DB_TIMEOUT")


# What SQLite says, and what the clerk is told.
_STORAGE_PROBLEMS = (
    (
        "disk is full",
        "E_DB_FULL",
        "ディスクの空きがないため保存できませんでした。空きを作ってからもう一度保存してください",
        "The disk is full, so nothing was saved; free some space and save again",
    ),
    (
        "readonly database",
        "E_DB_READONLY",
        "データベースが読み取り専用のため保存できませんでした（フォルダやファイルの権限を確認してください）",
        "The database is read-only, so nothing was saved (check the folder's and file's rights)",
    ),
    (
        "database is locked",
        "E_DB_LOCKED",
        "ほかのプログラムがデータベースを使用中のため保存できませんでした。少し待ってからもう一度保存してください",
        "Another program is using the database, so nothing was saved; try again in a moment",
    ),
    (
        "disk i/o error",
        "E_DB_IO",
        "ディスクの読み書きに失敗したため保存できませんでした",
        "A disk read or write failed, so nothing was saved",
    ),
)


# What a PostgreSQL server or the network says, by SQLSTATE class or by the client's words
# (a refused or broken connection has no SQLSTATE), and what the user is told.
E_DB_UNREACHABLE = (
    "E_DB_UNREACHABLE",
    "データベースサーバーに接続できません（サーバーが停止しているか、ネットワークがつながって"
    "いません）。何も保存していません。しばらくしてからもう一度試してください",
    "Cannot reach the database server (it is down or the network is cut); nothing was saved. "
    "Try again in a moment",
)
E_DB_AUTH = (
    "E_DB_AUTH",
    "データベースサーバーにログインできません（ユーザー名またはパスワードが違います）",
    "Cannot log in to the database server (wrong user name or password)",
)
E_DB_CONNECTION_LOST = (
    "E_DB_CONNECTION_LOST",
    "データベースサーバーとの接続が切れました。この変更は保存されていません。"
    "接続が戻ったらもう一度保存してください",
    "The connection to the database server was lost; this change was not saved. "
    "Save it again once the connection is back",
)
E_DB_MISSING = (
    "E_DB_MISSING",
    "サーバーにそのデータベースがありません（URLのデータベース名を確認してください。"
    "新しく作るのはサーバーの管理者です: createdb）",
    "The server has no such database (check the database name in the URL; the server's "
    "administrator creates it with createdb)",
)
E_DB_DENIED = (
    "E_DB_DENIED",
    "このデータを変更する権限がありません（サーバーが拒否しました）。何も保存していません",
    "You are not allowed to change this data (refused by the server); nothing was saved",
)
E_DB_BUSY = (
    "E_DB_BUSY",
    "ほかの人の保存と重なったため保存できませんでした。もう一度保存してください",
    "Someone else was saving the same data at the same moment; nothing was saved. Save again",
)
E_LOCKED_YEAR_SERVER = (
    "E_LOCKED_YEAR",
    "この年度は締め切られています（年度ロック）。変更できません",
    "This fiscal year is locked; it cannot change",
)
E_GENERATION_CLOSED_SERVER = (
    "E_GENERATION_CLOSED",
    "この計画期は終了しています（最終評価済み）。変更できません。何も保存していません",
    "This plan generation is closed (final evaluation written) and cannot change; "
    "nothing was saved",
)
E_DB_STARTING = (
    "E_DB_STARTING",
    "データベースサーバーを起動中です。何も保存していません。しばらくしてからもう一度試してください",
    "The database server is starting up; nothing was saved. Try again shortly",
)
E_DB_TIMEOUT = (
    "E_DB_TIMEOUT",
    "データベースサーバーの応答が時間内にありませんでした（ほかの人の作業を待っています）。"
    "何も保存していません。しばらくしてからもう一度試してください",
    "The database server did not answer in time (it is waiting for someone else's work); "
    "nothing was saved. Try again shortly",
)
E_FINALISED_SERVER = (
    "E_FINALISED",
    "この年度は確定済みのため変更できません（確定を取り消すと変更できます）。何も保存していません",
    "This fiscal year is finalised and cannot change (withdraw the finalisation first); "
    "nothing was saved",
)
E_DB_REFUSED = (
    "E_DB_REFUSED",
    "サーバーがこの変更を規則違反として拒否しました。何も保存していません",
    "The server refused this change as breaking a rule; nothing was saved",
)
E_DB_UNCONFIRMED = (
    "E_DB_UNCONFIRMED",
    "データベースサーバーとの接続が保存の途中で切れ、保存されたかどうかを確かめられませんでした。"
    "接続が戻ったら表示を更新（F5）して値を確認してください",
    "The connection to the database server broke during the save, and whether it was saved "
    "could not be confirmed. Once the connection is back, reload (F5) and check the value",
)
# Why a server could not be reached, by the client's words: the first that matches is told.
_UNREACHABLE_CAUSES = (
    (
        ("could not translate host name", "name or service not known", "nodename nor servname"),
        "サーバー名を引けません（名前解決に失敗。URL のサーバー名と DNS を確認してください）",
        "the server's name could not be looked up (check the name in the URL and DNS)",
    ),
    (
        ("connection refused",),
        "接続を拒否されました（サーバーが停止しているか、ポート番号が違います）",
        "the connection was refused (the server is down or the port is wrong)",
    ),
    (
        ("timeout expired", "timed out"),
        "応答がありません（ネットワークまたはファイアウォールを確認してください）",
        "no answer in time (check the network or the firewall)",
    ),
    (
        ("no route to host", "network is unreachable"),
        "ネットワークがつながっていません",
        "the network is unreachable",
    ),
)
CONNECTION_CODES = frozenset({"E_DB_UNREACHABLE", "E_DB_CONNECTION_LOST", "E_DB_STARTING"})
_UNREACHABLE_WORDS = (
    "connection refused",
    "could not connect",
    "timeout expired",
    "no route to host",
    "could not translate host name",
    "name or service not known",
    "network is unreachable",
    "the database system is shutting down",
)
# A server starting up or recovering after a crash refuses connections with SQLSTATE 57P03,
# which a connection that was never made does not carry: its words, then.
_STARTING_WORDS = (
    "the database system is starting up",
    "not yet accepting connections",
    "the database system is in recovery mode",
)
_AUTH_WORDS = ("password authentication failed", "no password supplied")
_LOST_WORDS = (
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "consuming input failed",
    "connection already closed",
    "ssl syscall",
    "connection reset",
    "broken pipe",
    "connection is lost",
)


def server_error(exc: DBAPIError) -> StoreError | None:
    """The user's message for what a PostgreSQL server or the network said; None if unknown."""
    state = str(getattr(exc.orig, "sqlstate", None) or "")
    said = str(exc.orig).lower()
    found: tuple[str, str, str] | None = None
    if state == "57P03" or any(w in said for w in _STARTING_WORDS):
        found = E_DB_STARTING
    elif state == "P0001" and "e_locked_year" in said:
        found = E_LOCKED_YEAR_SERVER
    elif state == "P0001" and "e_finalised" in said:
        found = E_FINALISED_SERVER
    elif state == "P0001" and "e_generation_closed" in said:
        found = E_GENERATION_CLOSED_SERVER
    elif state == "P0001" and said.startswith("e_"):
        # A write function's own refusal (the rules the program checks first; seen when
        # something else changed in between, or a client skipped the program's checks).
        found = E_DB_REFUSED
    elif state == "42501" or "row-level security" in said:
        found = E_DB_DENIED
    elif state in ("40001", "40P01", "23505"):
        found = E_DB_BUSY
    elif state in ("55P03", "57014") or "lock timeout" in said:
        found = E_DB_TIMEOUT
    elif state == "3D000" or ("database" in said and "does not exist" in said):
        found = E_DB_MISSING
    elif (
        state.startswith("28")
        or any(w in said for w in _AUTH_WORDS)
        or ('role "' in said and "does not exist" in said)
    ):
        found = E_DB_AUTH
    elif state.startswith(("08", "57P")) or any(w in said for w in _LOST_WORDS):
        found = E_DB_CONNECTION_LOST
        if any(w in said for w in _UNREACHABLE_WORDS):
            found = E_DB_UNREACHABLE
    elif any(w in said for w in _UNREACHABLE_WORDS):
        found = E_DB_UNREACHABLE
    if found is None:
        return None
    code, ja, en = found
    if found is E_DB_UNREACHABLE:
        for words, cause_ja, cause_en in _UNREACHABLE_CAUSES:
            if any(w in said for w in words):
                ja, en = f"{ja}。原因: {cause_ja}", f"{en}. Cause: {cause_en}"
                break
    return StoreError(code, ja, en)


# A unique-key race, a deadlock or a serialization failure rolls the whole transaction back;
# running it again from the start is then safe, and usually succeeds.
_RERUN_STATES = frozenset({"40001", "40P01", "23505"})
# The server's number of a write's transaction: `Store.committed` asks the server whether it
# committed (pg_xact_status), which no other login can hold up or fake — an advisory lock on
# the key, visible in pg_locks, could be held by any login to make the answer "unconfirmed".
_XACT_ID = text("SELECT pg_current_xact_id()::text")
_XACT_STATUS = text("SELECT pg_xact_status(CAST(:x AS xid8))")
# How long `committed` waits for a transaction the server is still finishing (a lost
# connection's backend ends it within the write functions' lock timeout).
COMMIT_WAIT = 15.0
RERUNS = 6
POOL_SIZE, POOL_OVERFLOW = 3, 3


_NEARLY_FULL = 64 * 1024  # bytes: less than this left on the disk counts as full


def storage_error(url: str, exc: OperationalError) -> StoreError:
    """The clerk's message for a write the database refused; nothing of it was kept."""
    said = str(exc.orig).lower()
    for words, code, ja, en in _STORAGE_PROBLEMS:
        if words in said:
            return StoreError(code, ja, en)
    return StoreError(
        "E_DB_WRITE",
        f"データベースに保存できませんでした（{type(exc.orig).__name__}）: {url}",
        f"Could not write to the database ({type(exc.orig).__name__}): {url}",
    )


def bad_url(url: str, exc: BaseException) -> StoreError:
    """A database URL that cannot be used, quoted without its password."""
    shown = mask_secrets(url)[:120]
    why = mask_secrets(f"{type(exc).__name__}: {exc}")[:160]
    return StoreError(
        "E_DB_URL",
        f"データベースのURLが正しくありません: {shown}（{why}）",
        f"Invalid database URL: {shown} ({why})",
    )


def _refuse_foreign(database: str | None, url: str) -> None:
    """A non-empty SQLite file that is not a kplan database is another program's: not touched.

    Not kplan's: any schema object (table, view, index, trigger) without kplan's alembic_version
    table, a non-zero application_id or user_version (kplan sets neither), or an alembic_version
    naming a revision this program does not know (a newer kplan's database is refused as
    newer). Read through a read-only connection of its own: the engine's first connection sets
    WAL mode, which already rewrites the file's header."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            objects = [
                (str(r[0]), str(r[1]))
                for r in conn.execute(
                    "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                )
            ]
            marks = [
                int(conn.execute("PRAGMA application_id").fetchone()[0]),
                int(conn.execute("PRAGMA user_version").fetchone()[0]),
            ]
            tables = {name for kind, name in objects if kind == "table"}
            revisions: list[str] = []
            if "alembic_version" in tables:
                revisions = [
                    str(r[0]) for r in conn.execute("SELECT version_num FROM alembic_version")
                ]
    except (OSError, sqlite3.Error):
        return  # not a database at all, or unreadable: opening it says so
    unknown = [r for r in revisions if r not in known_revisions()]
    if unknown and len(tables) > 1:
        raise _newer(unknown[0], url)
    if not objects and not any(marks):
        return
    if "alembic_version" not in tables or unknown or any(marks):
        raise StoreError(
            "E_DB_NOT_KPLAN",
            f"このファイルは総合計画のデータベースではありません（ほかのプログラムのもの"
            f"が{len(objects)}個あります）。何も変更していません: {url}",
            f"This file is not a kplan database (it holds {len(objects)} schema objects of "
            f"another program); nothing was changed: {url}",
        )


def _newer(current: str, url: str) -> StoreError:
    return StoreError(
        "E_DB_NEWER",
        f"このデータベースは新しい版のプログラムで作られています"
        f"（スキーマ {current[:20]}）。プログラムを更新してください。"
        f"何も変更していません: {url}",
        f"This database was made by a newer version of the program (schema "
        f"{current[:20]}); update the program. Nothing was changed: {url}",
    )


def _broken_references(url: str, broken: Sequence[Any]) -> StoreError:
    """A migration that would leave a row referring to nothing: rolled back, nothing changed."""
    tables = ", ".join(sorted({str(row[0]) for row in broken}))[:200]
    return StoreError(
        "E_DB_MIGRATE",
        f"データベースを更新できません（参照先のない行があります: {tables}）。"
        f"何も変更していません: {url}",
        f"Cannot migrate the database (rows refer to nothing: {tables}); nothing was changed: "
        f"{url}",
    )


def missing_folder(database: str) -> StoreError:
    """A SQLite file whose folder does not exist (a mistyped path, a share not connected)."""
    folder = os.path.dirname(os.path.abspath(database))
    return StoreError(
        "E_DB_FOLDER",
        f"データベースを開けません: フォルダーがありません: {folder}（データベース: {database}。"
        "パスの誤りか、共有フォルダーに接続していないかを確認してください）",
        f"Cannot open the database: the folder does not exist: {folder} (database: {database}; "
        "check the path, or whether the shared folder is connected)",
    )


def _create_private(database: str | None) -> None:
    """A new database file starts owner-only (SQLite gives its -wal and -shm the same mode)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists() and path.parent.is_dir():
        private_file(path)


def journal_mode(database: str | None) -> str:
    """WAL for a file on this PC; the rollback journal (DELETE) for one on a network share,
    where WAL's shared memory does not work (store/netfs.py, docs/packaging.md)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return "WAL"
    return "DELETE" if on_network(database) else "WAL"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, journal: str = "WAL") -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA journal_mode={journal}")
    # FULL: an acknowledged entry survives a power cut, not only a crash of the program.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Store:
    """One database and its engine. Open it with `Store.open`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Opened to look only (the same database is already open in another window of this
        # user): every write is refused before it starts, with E_READ_ONLY.
        self.read_only = False

    @classmethod
    def open(cls, db: str | None = None, *, migrate: bool = True) -> Store:
        url = database_url(db)
        options: dict[str, Any] = {}
        if url.startswith("postgresql"):
            # A connection the server or the network dropped while idle is replaced before
            # use; a server that does not answer is reported after 5 s, not the OS's minutes.
            # TCP keepalives: a server whose network vanished is noticed in about a minute
            # rather than the OS's hours (the session limits are the server's: server init).
            # At most POOL_SIZE + POOL_OVERFLOW connections per process: below the server's
            # CONNECTION LIMIT per login (store/server.py).
            options = {
                "pool_pre_ping": True,
                "pool_size": POOL_SIZE,
                "max_overflow": POOL_OVERFLOW,
                "connect_args": {
                    "connect_timeout": 5,
                    "application_name": "kplan",
                    "keepalives": 1,
                    "keepalives_idle": 30,
                    "keepalives_interval": 10,
                    "keepalives_count": 3,
                },
            }
        try:
            engine = create_engine(url, **options)
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise bad_url(url, exc) from None
        if engine.dialect.name == "sqlite":
            # Before the first connection, whose pragmas (WAL) would already change the file.
            _refuse_foreign(engine.url.database, engine.url.render_as_string())
            database = engine.url.database or ""
            local_file = database not in ("", ":memory:") and not database.startswith("file:")
            if local_file and not os.path.isdir(os.path.dirname(os.path.abspath(database))):
                raise missing_folder(database)
            journal = journal_mode(engine.url.database)
            if journal != "WAL":
                logging.getLogger("kplan").info(
                    "database on a network share: rollback journal (%s), not WAL: %s",
                    journal,
                    engine.url.database,
                )
            event.listen(
                engine,
                "connect",
                lambda conn, record: _sqlite_pragmas(conn, record, journal),
            )
            _create_private(engine.url.database)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def shown(self) -> str:
        """What a message names: a SQLite file's plain path, else the URL without password."""
        database = self.engine.url.database
        if self.engine.dialect.name == "sqlite" and database:
            return database
        return mask_secrets(self.url)

    @property
    def is_server(self) -> bool:
        """A shared PostgreSQL server rather than this PC's SQLite file."""
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for reads; use it in a `with`, which closes it and ends its transaction.

        A server that cannot be reached, or a connection that breaks, raises StoreError.
        """
        try:
            with self.engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            known = server_error(exc) if self.is_server else None
            if known is None:
                raise
            raise known from None

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """One consistent read of the database: every query inside sees the same moment.

        On SQLite a deferred read transaction (WAL: a writer may commit meanwhile, unseen here)
        on a connection set query_only; on PostgreSQL a REPEATABLE READ READ ONLY transaction.
        A write inside is refused by the database. A server that cannot be reached, or a
        connection that breaks, raises StoreError.
        """
        try:
            with self.engine.connect() as conn:
                if self.is_server:
                    conn = conn.execution_options(
                        isolation_level="REPEATABLE READ", postgresql_readonly=True
                    )
                    conn.begin()
                    yield conn
                    return
                # pysqlite starts a transaction only before a write: BEGIN by hand makes the
                # reads one snapshot (the first read takes it); closing rolls it back.
                conn.exec_driver_sql("PRAGMA query_only=ON")
                try:
                    conn.exec_driver_sql("BEGIN DEFERRED")
                    yield conn
                finally:
                    conn.rollback()
                    conn.exec_driver_sql("PRAGMA query_only=OFF")
        except DBAPIError as exc:
            known = server_error(exc) if self.is_server else None
            if known is None:
                raise
            raise known from None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: committed as a whole or rolled back as a whole.

        A database that cannot take the write (disk full, read-only, locked by another
        program; a server that is down, refuses the login or the change, or a connection
        that breaks) raises StoreError with what to do; the transaction is rolled back.
        """
        self._refuse_if_read_only()
        try:
            with self.engine.begin() as conn:
                yield conn
        except DBAPIError as exc:
            self._raise_mapped(exc)

    def run(self, work: Callable[[Connection], T], *, key: str | None = None) -> T:
        """`work` in one transaction; on a server, run again from the start after a race.

        Two writers inserting the same value, a deadlock or a serialization failure roll the
        transaction back whole; the next attempt reads the database afresh, so it sees what
        the other writer committed (and a stale `expected` is refused as a conflict).

        key: the write's idempotency key, which `work` stores with its audit rows (on a server
        the transaction's number is noted too). When the connection breaks after `work` finished —
        at the commit, whose reply may be lost — a fresh connection asks the server whether
        the key is there: saved (the result is returned), not saved (E_DB_CONNECTION_LOST),
        or, if that cannot be told, E_DB_UNCONFIRMED; never a guess.
        """
        self._refuse_if_read_only()
        for attempt in range(1, RERUNS + 1):
            finished: list[T] = []
            xid: str | None = None
            try:
                with self.engine.begin() as conn:
                    if key is not None and self.is_server:
                        xid = str(conn.scalar(_XACT_ID))
                    finished.append(work(conn))
                return finished[0]
            except DBAPIError as exc:
                state = str(getattr(exc.orig, "sqlstate", None) or "")
                if self.is_server and state in _RERUN_STATES and attempt < RERUNS:
                    continue
                if key is not None and finished and self.is_server:
                    known = server_error(exc)
                    lost = known is not None and known.connection_problem
                    if lost and self.committed(key, xid=xid):
                        return finished[0]
                self._raise_mapped(exc)
        raise AssertionError("unreachable")

    def write(self, work: Callable[[Connection, str], T]) -> T:
        """One write transaction with its own idempotency key: `work(conn, key)` passes the key
        to the store's write function, which keeps it with the audit rows; see `run`."""
        key = uuid.uuid4().hex
        return self.run(lambda conn: work(conn, key), key=key)

    def committed(self, key: str, *, xid: str | None = None) -> bool:
        """Whether a write with this idempotency key is in the database (see `run`).

        xid: the write's transaction number on a server; while the server still reports it in
        progress (a transaction it is finishing), this waits up to COMMIT_WAIT seconds. Raises
        StoreError E_DB_UNCONFIRMED when the server cannot say.
        """
        found = select(audit_table.c.id).where(audit_table.c.request_key == key).limit(1)
        deadline = time.monotonic() + COMMIT_WAIT
        failures = 0
        while failures < 3:
            try:
                with self.engine.begin() as conn:
                    status = conn.scalar(_XACT_STATUS, {"x": xid}) if xid else None
                    if status == "in progress":
                        if time.monotonic() > deadline:
                            break
                        time.sleep(0.2)
                        continue
                    if status == "aborted":
                        return False
                    return conn.scalar(found) is not None
            except DBAPIError:
                failures += 1
        raise StoreError(*E_DB_UNCONFIRMED)

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreError(
                "E_READ_ONLY",
                "読み取り専用で開いています。保存はしていません"
                "（保存するには、このデータベースを開いているもう一つのウィンドウで入力してください）",
                "Opened read-only: nothing was saved (enter values in the other window that has "
                "this database open)",
            )

    def _raise_mapped(self, exc: DBAPIError) -> NoReturn:
        """A database error as the one clear StoreError the user is shown (or as it was)."""
        if self.is_server:
            known = server_error(exc)
            if known is not None:
                raise known from None
            raise StoreError(
                "E_DB_WRITE",
                f"データベースに保存できませんでした（{type(exc.orig).__name__}）",
                f"Could not write to the database ({type(exc.orig).__name__})",
            ) from None
        if isinstance(exc, OperationalError):
            raise (self._storage_problem(exc) or storage_error(self.url, exc)) from None
        if "E_GENERATION_CLOSED" in str(exc.orig):  # a trigger of the file (migration 0016)
            raise StoreError(*E_GENERATION_CLOSED_SERVER) from None
        raise exc

    def current_revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError as exc:
            known = self._storage_problem(exc)
            if known is None and self.is_server and isinstance(exc, DBAPIError):
                known = server_error(exc)
            if known is not None:
                raise known from None
            shown = self.shown
            raise StoreError(
                "E_DB_OPEN",
                f"データベースを開けません: {shown}（{type(exc).__name__}）",
                f"Cannot open the database: {shown} ({type(exc).__name__})",
            ) from None

    def _storage_problem(self, exc: SQLAlchemyError) -> StoreError | None:
        """A full or read-only disk, recognised by SQLite's message or by the file system.

        Opening a WAL database creates files beside it, so a full or read-only folder already
        fails at open, with SQLite saying only "unable to open database file".
        """
        said = storage_error(self.url, exc) if isinstance(exc, OperationalError) else None
        # SQLite often says "disk I/O error" when a write to the -wal file found the disk full:
        # the file system says which it was.
        if said is not None and said.code not in ("E_DB_WRITE", "E_DB_IO"):
            return said
        database = self.engine.url.database
        if self.engine.url.get_backend_name() != "sqlite" or not database:
            return None
        try:
            disk = os.statvfs(os.path.dirname(os.path.abspath(database)))
        except (OSError, AttributeError):  # no statvfs on Windows
            return said
        for _words, code, ja, en in _STORAGE_PROBLEMS:
            if code == "E_DB_READONLY" and disk.f_flag & os.ST_RDONLY:
                return StoreError(code, ja, en)
            if code == "E_DB_FULL" and disk.f_bavail * disk.f_frsize < _NEARLY_FULL:
                return StoreError(code, ja, en)
        return said

    def migrate(self, *, keep_legacy_secrets: bool = True) -> None:
        """Bring the schema to the newest revision; a no-op when it is current.

        Refused, changing nothing: a database of a newer program (a revision this one does not
        know), and an SQLite file that holds tables but is not a kplan database (--db pointing
        at another program's file would otherwise get twenty kplan tables added to it).

        `keep_legacy_secrets`: the upgrade of this installation's own live database keeps the
        previous release's HMAC secrets for the transition (0010); a restored file's are
        dropped (False), so no file can plant a secret that then verifies forged files.
        """
        current = was = self.current_revision()
        if current == SCHEMA_HEAD:
            return
        if current is not None and current not in known_revisions():
            raise _newer(current, self.url)
        try:
            with self.engine.connect() as conn:
                if not self.is_server:
                    # A table rebuild (0014) with foreign keys on would drop the rows that
                    # refer to it: off around the migration, which SQLite allows only outside
                    # a transaction, and checked before the commit.
                    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                    conn.commit()
                try:
                    with conn.begin():
                        if self.is_server:
                            # Two PCs opening a new server database at once migrate it once.
                            conn.execute(text("SELECT pg_advisory_xact_lock(7301)"))
                        else:
                            # pysqlite begins only before a DML statement: the DDL too.
                            conn.exec_driver_sql("BEGIN IMMEDIATE")
                        upgrade(conn, "head", keep_legacy_secrets=keep_legacy_secrets)
                        if not self.is_server:
                            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                            if broken:
                                raise _broken_references(self.url, broken)
                finally:
                    if not self.is_server:
                        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        except SQLAlchemyError as exc:
            raise StoreError(
                "E_DB_MIGRATE",
                f"データベースを更新できません: {self.url}（{type(exc).__name__}）",
                f"Cannot migrate the database: {self.url} ({type(exc).__name__})",
            ) from None
        with self.transaction() as conn:
            if meta_value(conn, DATABASE_ID_KEY) is None:
                row = {"key": DATABASE_ID_KEY, "value": uuid.uuid4().hex}
                conn.execute(insert(meta_table), row)
        if was is not None and was < SECRETS_REMOVED and not self.is_server:
            # 0010 removed the signing secrets: none may linger in the write-ahead log or in
            # the backups the previous release took.
            with self.engine.connect() as conn:
                # Rebuilt whole: a page that held a secret can be reused with the old bytes
                # still in its unused space, which secure_delete does not reach.
                conn.exec_driver_sql("VACUUM")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            database = self.engine.url.database
            if database and database != ":memory:":
                scrub_old_backups(backups_folder(Path(database)))

    def meta(self, key: str) -> str | None:
        with self.connect() as conn:
            return meta_value(conn, key)

    def dispose(self) -> None:
        self.engine.dispose()


_META_VALUE = select(meta_table.c.value).where(meta_table.c.key == bindparam("key"))


def meta_value(conn: Connection, key: str) -> str | None:
    """A fact from the meta table, read inside the caller's connection or transaction."""
    return conn.scalar(_META_VALUE, {"key": key})


def aside(conn: Connection, query: TextClause, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """`query` on a second connection of `conn`'s database, in its own short read: what the
    server says about `conn` while `conn` itself waits on a lock."""
    with conn.engine.connect() as other:
        return [tuple(row) for row in other.execute(query, params)]
