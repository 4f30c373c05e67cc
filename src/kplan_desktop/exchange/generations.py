"""Which plan generations this database holds: the one lookup point of the exchange.

A file names its plan generation (計画期); the merge routes it to that generation's catalog and
a catalog file is installed only into a generation the database holds. Every such question
asks `held_generations` — a merge session once, a catalog import once.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection

from kplan_desktop.domain.generation_number import FIRST_GENERATION
from kplan_desktop.store.catalog import CatalogSnapshot, read_catalog_snapshot
from kplan_desktop.store.generations import active_generation, generations


def held_generations(conn: Connection) -> dict[int, CatalogSnapshot]:
    """Every plan generation the database holds a catalog for, by number, with that catalog;
    {} before a catalog was loaded. A closed generation is held (its files are refused by the
    store's write path, saying it is closed); a draft one too (the planning division may test
    its template before it is put in force)."""
    numbers = [record.generation.number for record in generations(conn)] or [FIRST_GENERATION]
    held: dict[int, CatalogSnapshot] = {}
    for number in numbers:
        snapshot = read_catalog_snapshot(conn, number)
        if snapshot is not None:
            held[number] = snapshot
    return held


def current_generation(conn: Connection, held: Mapping[int, CatalogSnapshot]) -> int:
    """The generation a session works in when it names none: the store's active generation
    (the latest held one if that has no catalog)."""
    active = active_generation(conn)
    return active if active in held else max(held)
