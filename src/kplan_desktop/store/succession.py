"""What a plan generation did with its predecessor's indicators, as the database holds it: each
old indicator continued or replaced (with the new code, the baseline the new plan holds or the
base year it waits for, and the new target) or ended, and the new plan's own new indicators
(`kplan generation show`); and, for a code a generation does not hold, the plan it ended with
and what took its place (`kplan enter` on an ended indicator). Reads only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.errors import DomainError, no_catalog
from kplan_desktop.domain.generation import Generation, Succession, not_in_this_plan
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.generations import (
    GenerationRecord,
    generation_record,
    indicator_links,
    no_generation,
)
from kplan_desktop.store.models import indicator_link_table, indicator_table

__all__ = ["Carried", "Fate", "Successions", "explain_missing", "fate_of", "successions"]


@dataclass(frozen=True)
class Carried:
    """One indicator of the plan before and its fate in this one: `new` is the indicator as
    this plan holds it (None when it ended); `pending_year` the base year whose final value its
    baseline still waits for (None: nothing pending)."""

    prior: Indicator
    succession: Succession
    new: Indicator | None = None
    pending_year: int | None = None


@dataclass(frozen=True)
class Successions:
    """A generation, the one before it, each old indicator's fate (in the old plan's order) and
    the indicators new in this plan (no predecessor)."""

    record: GenerationRecord
    prior: GenerationRecord
    carried: tuple[Carried, ...]
    added: tuple[Indicator, ...]


def successions(conn: Connection, generation: int) -> Successions:
    """The decisions `generation` made on its predecessor's indicators; refused for a
    generation that follows no earlier plan."""
    record = generation_record(conn, generation)
    if record is None:
        raise no_generation(generation)
    prior = None if record.predecessor is None else generation_record(conn, record.predecessor)
    if prior is None:
        raise DomainError(
            "E_NO_PREDECESSOR",
            f"計画期 {generation}（{record.generation.name}）は前の計画から作った計画期では"
            "ありません",
            f"Plan generation {generation} ({record.generation.name}) was not made from an "
            "earlier plan",
        )
    new, old = read_catalog(conn, generation), read_catalog(conn, prior.number)
    if new is None or old is None:
        raise no_catalog()
    held = {i.code: i for _, _, _, i in new.indicators()}
    links = {
        x.prior_code: x
        for x in indicator_links(conn, generation)
        if x.prior_generation == prior.number
    }
    carried: list[Carried] = []
    for _, _, _, indicator in old.indicators():
        link = links.get(indicator.code)
        successor = None if link is None else held.get(link.code)
        if link is None or successor is None:
            carried.append(Carried(indicator, Succession.END))
            continue
        waiting = link.pending_base_year if successor.baseline is None else None
        carried.append(Carried(indicator, link.kind, successor, waiting))
    linked = {x.code for x in links.values()}
    added = tuple(i for i in held.values() if i.code not in linked)
    return Successions(record, prior, tuple(carried), added)


@dataclass(frozen=True)
class Fate:
    """Where an indicator code that a generation does not hold went: the last plan that held it
    and, in the plan after it, what succeeded it (None: it ended)."""

    code: str
    ended_in: Generation
    succession: Succession
    successor: str | None = None
    next_plan: Generation | None = None


def fate_of(conn: Connection, generation: int, code: str) -> Fate | None:
    """For `code` that `generation` does not hold: the latest earlier generation that held it,
    and what the generation after that one made of it. None when no earlier plan had it."""
    i = indicator_table.c
    held = conn.scalars(
        select(i.generation)
        .where(i.code == code, i.generation < generation)
        .order_by(i.generation.desc())
    ).first()
    if held is None:
        return None
    ended = generation_record(conn, int(held))
    if ended is None:
        return None
    link = indicator_link_table.c
    found = conn.execute(
        select(link.generation, link.code, link.kind)
        .where(link.prior_generation == ended.number, link.prior_code == code)
        .order_by(link.generation)
    ).first()
    if found is None:
        return Fate(code, ended.generation, Succession.END)
    later = generation_record(conn, int(found.generation))
    return Fate(
        code,
        ended.generation,
        Succession(found.kind),
        str(found.code),
        None if later is None else later.generation,
    )


def explain_missing(conn: Connection, generation: int, code: str) -> DomainError | None:
    """Why `generation` has no indicator `code` when an earlier plan had it (ended, replaced,
    or going on under another code); None when no earlier plan had it either."""
    fate = fate_of(conn, generation, code)
    here = generation_record(conn, generation)
    if fate is None or here is None:
        return None
    return not_in_this_plan(
        code, here.generation, fate.ended_in, fate.succession, fate.successor, fate.next_plan
    )
