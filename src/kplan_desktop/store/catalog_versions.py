"""The catalog versions a database has held, per plan generation: which one is in use, the
list of every one received, and an earlier version's content (for a merge that explains a
catalog change)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, RowMapping, select

from kplan_desktop.domain.catalog_diff import CatalogVersion
from kplan_desktop.store.audit import as_utc
from kplan_desktop.store.models import catalog_version_table


def _version_from_row(row: RowMapping) -> CatalogVersion:
    return CatalogVersion(row["sequence"], row["catalog_hash"], as_utc(row["issued_at"]))


def current_catalog_version(conn: Connection, generation: int) -> CatalogVersion | None:
    """The version of the generation's catalog in use (None before the first catalog)."""
    t = catalog_version_table.c
    query = select(catalog_version_table).where(t.generation == generation)
    row = conn.execute(query.order_by(t.sequence.desc()).limit(1)).mappings().first()
    return None if row is None else _version_from_row(row)


@dataclass(frozen=True)
class VersionRecord:
    version: CatalogVersion
    issued_by: str
    origin: str
    recorded_at: datetime


def catalog_versions(conn: Connection, generation: int) -> list[VersionRecord]:
    """Every catalog version this database has held for a generation, newest first."""
    t = catalog_version_table.c
    query = select(catalog_version_table).where(t.generation == generation)
    rows = conn.execute(query.order_by(t.sequence.desc())).mappings()
    return [
        VersionRecord(_version_from_row(r), r["issued_by"], r["origin"], as_utc(r["recorded_at"]))
        for r in rows
    ]


def catalog_content(conn: Connection, generation: int, catalog_hash: str) -> str | None:
    """The catalog (as catalog_json text) of an earlier version of a generation, if this
    database held it."""
    t = catalog_version_table.c
    query = (
        select(t.content)
        .where(t.generation == generation, t.catalog_hash == catalog_hash, t.content.is_not(None))
        .order_by(t.sequence.desc())
        .limit(1)
    )
    return conn.execute(query).scalar()


def generations_of_catalog(conn: Connection, catalog_hash: str) -> list[int]:
    """The generations that have held a catalog version of this hash (a file names the catalog
    it was made with by its hash), in order; [] for a catalog this database never held."""
    t = catalog_version_table.c
    query = select(t.generation).where(t.catalog_hash == catalog_hash).distinct()
    return sorted(int(g) for g in conn.execute(query).scalars())
