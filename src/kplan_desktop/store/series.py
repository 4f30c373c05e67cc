"""Series across plan generations as the database holds them: a continuing indicator's earlier
plans, followed back through `indicator_link` (`continue` links only: a replaced indicator's
series ends), each with its own indicator, settings and values, read in the caller's snapshot.

The grading is the domain's (`domain.generation.series_across`); this module only reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Connection, select

from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.generation import Series, SeriesLink, Succession, series_across
from kplan_desktop.domain.model import MissingReason, PlanSettings
from kplan_desktop.store.actuals import plan_settings, read_actuals
from kplan_desktop.store.catalog import _RAW_INDICATOR_COLUMNS, _indicator
from kplan_desktop.store.generations import GenerationRecord, generation_record
from kplan_desktop.store.models import indicator_link_table, indicator_table

__all__ = ["earlier_codes", "read_indicators", "read_series"]

# A long IN list is read in slices: SQLite limits the bound parameters of one statement.
_SLICE = 900


def _slices(codes: Iterable[str]) -> list[list[str]]:
    wanted = sorted(set(codes))
    return [wanted[start : start + _SLICE] for start in range(0, len(wanted), _SLICE)]


def read_indicators(
    conn: Connection, generation: int, codes: Iterable[str]
) -> dict[str, Indicator]:
    """Some indicators of a generation by code (a code it does not hold is left out)."""
    found: dict[str, Indicator] = {}
    for part in _slices(codes):
        query = select(*_RAW_INDICATOR_COLUMNS).where(
            indicator_table.c.generation == generation, indicator_table.c.code.in_(part)
        )
        for row in conn.execute(query).all():
            indicator = _indicator(tuple(row))
            found[indicator.code] = indicator
    return found


def _continued(
    conn: Connection, generation: int, codes: Iterable[str]
) -> dict[str, tuple[int, str]]:
    """Which of `codes` continue an indicator of an earlier generation: code → (that
    generation, its code there)."""
    link = indicator_link_table.c
    found: dict[str, tuple[int, str]] = {}
    for part in _slices(codes):
        query = select(link.code, link.prior_generation, link.prior_code).where(
            link.generation == generation,
            link.kind == Succession.CONTINUE.value,
            link.prior_generation < generation,  # never a loop
            link.code.in_(part),
        )
        for code, prior_generation, prior_code in conn.execute(query).all():
            found[code] = (int(prior_generation), str(prior_code))
    return found


def earlier_codes(
    conn: Connection, generation: int, codes: Iterable[str] | None = None
) -> dict[str, list[tuple[int, str]]]:
    """For each of the generation's indicators that continues an earlier one (of `codes`, all
    when None): its chain back, newest first, as (generation, code) pairs, itself excluded."""
    if codes is None:
        link = indicator_link_table.c
        codes = conn.scalars(
            select(link.code).where(
                link.generation == generation, link.kind == Succession.CONTINUE.value
            )
        ).all()
    chains: dict[str, list[tuple[int, str]]] = {}
    # The codes still being followed, by the generation they are in: {generation: {code: start}}
    frontier: dict[int, dict[str, str]] = {generation: {code: code for code in codes}}
    while frontier:
        number = max(frontier)
        here = frontier.pop(number)
        for code, (prior_generation, prior_code) in _continued(conn, number, here).items():
            start = here[code]
            chains.setdefault(start, []).append((prior_generation, prior_code))
            frontier.setdefault(prior_generation, {})[prior_code] = start
    return chains


def read_series(
    conn: Connection,
    generation: int,
    codes: Iterable[str] | None = None,
    *,
    every_year: bool = False,
) -> dict[str, Series]:
    """The series across plans of the generation's indicators that continue an earlier one
    (of `codes`, all when None), by their code in `generation`; an indicator that continues
    none is not in the result. Every read is in `conn` (the caller's one snapshot)."""
    chains = earlier_codes(conn, generation, codes)
    if not chains:
        return {}
    wanted: dict[int, set[str]] = {generation: set(chains)}
    for chain in chains.values():
        for number, code in chain:
            wanted.setdefault(number, set()).add(code)
    records: dict[int, GenerationRecord] = {}
    settings: dict[int, PlanSettings] = {}
    indicators: dict[int, dict[str, Indicator]] = {}
    values: dict[tuple[int, str], dict[int, Decimal | None]] = {}
    reasons: dict[tuple[int, str], dict[int, MissingReason]] = {}
    for number, codes_there in wanted.items():
        found = generation_record(conn, number)
        if found is None:
            continue
        records[number] = found
        settings[number] = plan_settings(conn, number)
        indicators[number] = read_indicators(conn, number, codes_there)
        for part in _slices(codes_there):
            for actual in read_actuals(conn, number, indicator_codes=part):
                key = (number, actual.indicator_code)
                values.setdefault(key, {})[actual.fiscal_year] = actual.value
                if actual.missing_reason is not None:
                    reasons.setdefault(key, {})[actual.fiscal_year] = actual.missing_reason
    result: dict[str, Series] = {}
    for code, chain in chains.items():
        links = []
        for number, code_there in [(generation, code), *chain]:
            indicator = indicators.get(number, {}).get(code_there)
            if indicator is None or number not in records:
                continue
            links.append(SeriesLink(records[number].generation, indicator, settings[number]))
        result[code] = series_across(links, values, reasons, every_year=every_year)
    return result
