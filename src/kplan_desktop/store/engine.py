"""Opening a database: engine set-up, SQLite pragmas, and migrations applied on open."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.models import meta_table
from kplan_desktop.store.paths import database_url, db_dir

# The newest migration in db/migrations/versions; a test keeps this equal to Alembic's head.
# Knowing it here lets a database that is already current open without importing Alembic.
SCHEMA_HEAD = "0005"
# Every database has its own id: the first half of the revisions it makes.
DATABASE_ID_KEY = "database_id"


class StoreError(DomainError):
    """The database cannot be opened or written."""


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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: an acknowledged entry survives a power cut, not only a crash of the program.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Store:
    """One database and its engine. Open it with `Store.open`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, db: str | None = None, *, migrate: bool = True) -> Store:
        url = database_url(db)
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise StoreError(
                "E_DB_URL",
                f"データベースのURLが正しくありません: {url[:80]}（{exc}）",
                f"Invalid database URL: {url[:80]} ({exc})",
            ) from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def connect(self) -> Connection:
        """A connection for reads; use it in a `with`, which closes it and ends its transaction."""
        return self.engine.connect()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: committed as a whole or rolled back as a whole.

        A database that cannot take the write (disk full, read-only, locked by another
        program) raises StoreError with what to do; the transaction is rolled back.
        """
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise storage_error(self.url, exc) from None

    def current_revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError as exc:
            known = self._storage_problem(exc)
            if known is not None:
                raise known from None
            raise StoreError(
                "E_DB_OPEN",
                f"データベースを開けません: {self.url}（{type(exc).__name__}）",
                f"Cannot open the database: {self.url} ({type(exc).__name__})",
            ) from None

    def _storage_problem(self, exc: SQLAlchemyError) -> StoreError | None:
        """A full or read-only disk, recognised by SQLite's message or by the file system.

        Opening a WAL database creates files beside it, so a full or read-only folder already
        fails at open, with SQLite saying only "unable to open database file".
        """
        if isinstance(exc, OperationalError):
            said = storage_error(self.url, exc)
            if said.code != "E_DB_WRITE":
                return said
        database = self.engine.url.database
        if self.engine.url.get_backend_name() != "sqlite" or not database:
            return None
        try:
            disk = os.statvfs(os.path.dirname(os.path.abspath(database)))
        except (OSError, AttributeError):  # no statvfs on Windows
            return None
        for _words, code, ja, en in _STORAGE_PROBLEMS:
            if code == "E_DB_READONLY" and disk.f_flag & os.ST_RDONLY:
                return StoreError(code, ja, en)
            if code == "E_DB_FULL" and disk.f_bavail * disk.f_frsize < _NEARLY_FULL:
                return StoreError(code, ja, en)
        return None

    def migrate(self) -> None:
        """Bring the schema to the newest revision; a no-op when it is current."""
        if self.current_revision() == SCHEMA_HEAD:
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(db_dir() / "migrations"))
        # configparser reads % as interpolation: a Windows path's URL is full of %3A and %5C.
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        try:
            with self.engine.begin() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
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

    def meta(self, key: str) -> str | None:
        with self.connect() as conn:
            return meta_value(conn, key)

    def dispose(self) -> None:
        self.engine.dispose()


def meta_value(conn: Connection, key: str) -> str | None:
    """A fact from the meta table, read inside the caller's connection or transaction."""
    return conn.scalar(select(meta_table.c.value).where(meta_table.c.key == key))
