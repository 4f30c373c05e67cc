"""Starting the next plan generation from the current one (issue 17 step 2): its draft catalog
copied from the current one, each indicator decided (continue, replace, end), new indicators
added, and the generation made active. Each use case is one transaction; the draft's catalog
becomes a new catalog version of its generation at every change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import Connection

from kplan_desktop.domain.catalog import Catalog, Indicator
from kplan_desktop.domain.errors import DomainError, no_catalog
from kplan_desktop.domain.generation import (
    GenerationStatus,
    Succession,
    SuccessionDecision,
    add_to_draft,
    apply_decision,
    next_draft,
    proposed_baseline,
)
from kplan_desktop.exchange.catalog_json import catalog_hash, dumps
from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.catalog import read_catalog, replace_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.generations import (
    GenerationRecord,
    add_generation,
    generation_record,
    link_indicator,
    no_generation,
    set_generation_status,
    unlink_prior,
)
from kplan_desktop.store.requests import EntrySource


def _draft(conn: Connection, generation: int) -> tuple[GenerationRecord, Catalog]:
    """A draft generation with a predecessor, and its catalog; refused otherwise."""
    found = generation_record(conn, generation)
    if found is None:
        raise no_generation(generation)
    if found.status is not GenerationStatus.DRAFT or found.predecessor is None:
        raise DomainError(
            "E_NOT_DRAFT",
            f"計画期 {generation} は準備中ではありません"
            "（指標の引き継ぎは準備中の計画期だけで決めます）",
            f"Plan generation {generation} is not a draft (indicators are carried over only "
            "while the next plan is being prepared)",
        )
    catalog = read_catalog(conn, generation)
    if catalog is None:
        raise no_catalog()
    return found, catalog


def _save(
    conn: Connection,
    generation: int,
    catalog: Catalog,
    *,
    who: str,
    source: EntrySource,
    detail: str,
) -> None:
    replace_catalog(
        conn,
        generation,
        catalog,
        catalog_hash(catalog),
        who=who,
        source=source,
        detail=detail,
        content=dumps(catalog),
    )


def start_next_generation(
    store: Store,
    *,
    from_generation: int,
    name: str,
    start_year: int,
    end_year: int,
    baseline_year: int,
    who: str,
    source: EntrySource,
) -> int:
    """A new draft generation after `from_generation`, its catalog copied from that one's;
    returns its number."""
    with store.transaction() as conn:
        current = read_catalog(conn, from_generation)
        if current is None:
            if generation_record(conn, from_generation) is None:
                raise no_generation(from_generation)
            raise no_catalog()
        number = add_generation(
            conn,
            name,
            start_year,
            end_year,
            baseline_year=baseline_year,
            predecessor=from_generation,
            who=who,
            source=source,
        )
        draft = next_draft(
            current, f"{current.plan.code}-g{number}", name.strip(), start_year, end_year,
            baseline_year,
        )  # fmt: skip
        _save(conn, number, draft, who=who, source=source, detail=f"generation {number}: draft")
    return number


@dataclass(frozen=True)
class Decided:
    """What a decision did: the decision as applied and a continuing indicator's baseline
    (None: not set, the base year's actual is not in yet)."""

    decision: SuccessionDecision
    baseline: Decimal | None


def decide(
    store: Store,
    generation: int,
    old_code: str,
    succession: Succession,
    *,
    new_code: str | None = None,
    base_year: int | None = None,
    who: str,
    source: EntrySource,
) -> Decided:
    """Decide one indicator of the plan before: continue (linked, its baseline proposed from the
    old plan's actual of the base year — the generation's base year unless given), replace
    (a new indicator under `new_code`, linked as its successor) or end (left out)."""
    with store.transaction() as conn:
        record, draft = _draft(conn, generation)
        prior = record.predecessor
        assert prior is not None
        if succession is not Succession.END and new_code is None:
            new_code = old_code
        if succession is Succession.CONTINUE and base_year is None:
            base_year = record.baseline_year
        decision = SuccessionDecision(old_code, succession, new_code, base_year)
        baseline = None
        if succession is Succession.CONTINUE:
            old = read_actuals(conn, prior, indicator_codes=[old_code])
            baseline = proposed_baseline(decision, {a.fiscal_year: a.value for a in old})
        decided = apply_decision(draft, decision, baseline)
        if succession is Succession.END:
            unlink_prior(conn, generation, prior, old_code)
        _save(
            conn,
            generation,
            decided,
            who=who,
            source=source,
            detail=f"{old_code}: {succession.value}"
            + ("" if new_code in (None, old_code) else f" as {new_code}"),
        )
        if new_code is not None:
            link_indicator(conn, generation, new_code, prior, old_code, succession)
    return Decided(decision, baseline)


def add_indicator(
    store: Store,
    generation: int,
    measure_code: str,
    indicator: Indicator,
    *,
    who: str,
    source: EntrySource,
) -> None:
    """A new indicator (no predecessor) in one of the draft's measures; its targets are typed
    as in the catalog editor."""
    with store.transaction() as conn:
        record, draft = _draft(conn, generation)
        settings = draft.plan.settings
        if indicator.target is not None and indicator.target_year is None:
            indicator = replace(indicator, target_year=settings.end_year)
        added = add_to_draft(draft, measure_code, indicator)
        _save(conn, generation, added, who=who, source=source, detail=f"{indicator.code}: new")
        del record


def activate(store: Store, generation: int, *, who: str, source: EntrySource) -> bool:
    """Put a prepared generation in force; False when it already was."""
    with store.transaction() as conn:
        found = generation_record(conn, generation)
        if found is None:
            raise no_generation(generation)
        if found.status is GenerationStatus.CLOSED:
            raise DomainError(
                "E_GENERATION_CLOSED",
                f"計画期 {generation} は終了しています（最終評価済み）。実施中に戻せません",
                f"Plan generation {generation} is closed (final evaluation written) and cannot "
                "be put in force again",
            )
        if read_catalog(conn, generation) is None:
            raise no_catalog()
        return set_generation_status(
            conn, generation, GenerationStatus.ACTIVE, who=who, source=source
        )
