"""The first catalog of a new database (first run, `kplan init`): the shipped seed, or a file.

Another city starts from its own plan: `kplan init --catalog FILE` (or the window's first-run
choice) loads that catalog file instead of the seed, with the version the file carries (or
version 1), and the seed never enters the database.
"""

from __future__ import annotations

from pathlib import Path

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.exchange.catalog_files import install_catalog, read_catalog_file
from kplan_desktop.exchange.catalog_json import catalog_hash, dumps, load
from kplan_desktop.store.catalog import indicator_count, read_catalog, replace_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.generations import active_generation
from kplan_desktop.store.paths import seed_catalog_path
from kplan_desktop.store.requests import EntrySource


def ensure_seed(store: Store, *, who: str, source: EntrySource) -> bool:
    """Load the seed catalog if the database holds none; True if it did."""
    with store.transaction() as conn:
        if indicator_count(conn, active_generation(conn)) > 0:
            return False
        seed = load(seed_catalog_path())
        replace_catalog(
            conn,
            active_generation(conn),
            seed,
            catalog_hash(seed),
            who=who,
            source=source,
            detail="init: seed",
            content=dumps(seed),
            origin="seed",
        )
    return True


def init_catalog(store: Store, path: Path | None, *, who: str, source: EntrySource) -> bool:
    """Give a new database its first catalog: the file at `path`, else the seed.

    True if a catalog was loaded; False if the database already holds this one. A database
    that holds another catalog is refused (the planning division's `kplan catalog import`
    changes a catalog, with its differences shown).
    """
    if path is None:
        return ensure_seed(store, who=who, source=source)

    issued = read_catalog_file(path)
    with store.transaction() as conn:
        current = read_catalog(conn, active_generation(conn))
        if current is not None:
            if catalog_hash(current) == issued.catalog_hash:
                return False
            raise DomainError(
                "E_INIT_HAS_CATALOG",
                f"このデータベースにはすでに別のカタログがあります。{path.name} に替えるときは "
                "kplan catalog import を使ってください（違いを確かめてから読み込みます）",
                f"This database already holds another catalog; to change it to {path.name}, "
                "use kplan catalog import (it shows the differences first)",
            )
        install_catalog(conn, issued, who=who, source=source, detail=f"init: {path.name}")
    return True
