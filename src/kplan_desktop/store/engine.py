"""Opening a database: engine set-up, SQLite pragmas, and migrations applied on open."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.models import meta_table
from kplan_desktop.store.paths import database_url, db_dir

# The newest migration in db/migrations/versions; a test keeps this equal to Alembic's head.
# Knowing it here lets a database that is already current open without importing Alembic.
SCHEMA_HEAD = "0002"
# Every database has its own id: the first half of the revisions it makes.
DATABASE_ID_KEY = "database_id"


class StoreError(DomainError):
    """The database cannot be opened or written."""


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
        """One unit of work: committed as a whole or rolled back as a whole."""
        with self.engine.begin() as conn:
            yield conn

    def current_revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError as exc:
            raise StoreError(
                "E_DB_OPEN",
                f"データベースを開けません: {self.url}（{type(exc).__name__}）",
                f"Cannot open the database: {self.url} ({type(exc).__name__})",
            ) from None

    def migrate(self) -> None:
        """Bring the schema to the newest revision; a no-op when it is current."""
        if self.current_revision() == SCHEMA_HEAD:
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(db_dir() / "migrations"))
        config.set_main_option("sqlalchemy.url", self.url)
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
