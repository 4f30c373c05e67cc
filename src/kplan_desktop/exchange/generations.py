"""Which plan generations this database holds: the one lookup point of the exchange.

A file names its plan generation (計画期); the merge routes it to that generation's catalog and
a catalog file is installed only into a generation the database holds. Every such question
asks `held_generations` — a merge session once, a catalog import once.

Until the store holds generations (issue 17 step 1) a database holds exactly one: its catalog,
whose number is domain.generation.plan_generation's. At that merge this function reads the
generation table and each generation's catalog snapshot instead; its callers stay as they are.
"""

from __future__ import annotations

from sqlalchemy import Connection

from kplan_desktop.domain.generation_number import FIRST_GENERATION
from kplan_desktop.store.catalog import CatalogSnapshot, read_catalog_snapshot


def held_generations(conn: Connection) -> dict[int, CatalogSnapshot]:
    """Every plan generation the database holds, by number, with its catalog; {} before a
    catalog was loaded."""
    snapshot = read_catalog_snapshot(conn)
    return {} if snapshot is None else {FIRST_GENERATION: snapshot}


def current_generation(held: dict[int, CatalogSnapshot]) -> int:
    """The generation a session works in when it names none: the latest the database holds.
    (At issue 17's merge: the session's current generation.)"""
    return max(held)
