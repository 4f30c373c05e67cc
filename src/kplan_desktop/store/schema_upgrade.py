"""The schema's migrations (db/migrations, Alembic): which revisions this program knows, and
upgrading a database on a connection it is given (Store.migrate, a backup's expected schema)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection

from kplan_desktop.store.paths import db_dir

if TYPE_CHECKING:
    from alembic.config import Config


def known_revisions() -> frozenset[str]:
    """The schema revisions this program's migrations know (their file names' numbers)."""
    versions = db_dir() / "migrations" / "versions"
    return frozenset(p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py"))


def migrations_config() -> Config:
    """Alembic's configuration for the migrations in db/migrations (no URL: each run is given
    its connection)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(db_dir() / "migrations"))
    return config


def upgrade(conn: Connection, version: str = "head", *, keep_legacy_secrets: bool = True) -> None:
    """Migrate the database of `conn` to `version`, inside the caller's transaction.

    `keep_legacy_secrets`: see `Store.migrate`.
    """
    from alembic import command

    config = migrations_config()
    config.attributes["connection"] = conn
    config.attributes["keep_legacy_secrets"] = keep_legacy_secrets
    command.upgrade(config, version)
