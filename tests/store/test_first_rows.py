"""The first rows of the planning division's grid, read before the rest (issue 20): the first
measures in plan order (goal, policy, measure) holding at least the rows asked for, and exactly
what the whole catalog's overview gives for them. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.overview import first_rows, overview
from kplan_desktop.store.requests import EntrySource
from tests.conftest import Database


@pytest.fixture
def store(db: Database) -> Store:
    store = Store.open(str(db))
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
        assert catalog is not None
        codes = [i.code for *_, i in catalog.indicators()]
    with store.transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest(code, 2024, str(40 + n)) for n, code in enumerate(codes[::3])],
            who="test",
            source=EntrySource.CLI,
            all_or_nothing=False,
        )
    return store


def _plan_order(conn: Any) -> list[tuple[str, str]]:
    """(measure, indicator) of every indicator, in the whole grid's order."""
    _, rows = overview(conn, 1)
    return [(row.measure.code, row.indicator.code) for row in rows]


@pytest.mark.parametrize("wanted", [1, 4, 9, 24, 25, 1000])
def test_the_first_measures_hold_the_rows_asked_for_and_no_measure_more(
    store: Store, wanted: int
) -> None:
    with store.snapshot() as conn:
        whole = _plan_order(conn)
        first = first_rows(conn, 1, wanted)
    measures = list(dict.fromkeys(m for m, _ in whole))
    assert first.total == len(whole)
    # A prefix of the plan's measures, in its order.
    assert list(first.measures) == measures[: len(first.measures)]
    held = [code for m, code in whole if m in first.measures]
    assert first.rows == len(held)
    assert len(held) >= min(wanted, len(whole))
    # Without its last measure it would hold fewer than asked.
    without_last = [code for m, code in whole if m in first.measures[:-1]]
    assert len(without_last) < wanted


def test_the_first_rows_are_the_whole_grids_first_rows_with_their_values(store: Store) -> None:
    with store.snapshot() as conn:
        _, whole = overview(conn, 1, fiscal_year=2025)
        first = first_rows(conn, 1, 5)
        catalog, rows = overview(conn, 1, fiscal_year=2025, measures=first.measures)
    assert 5 <= len(rows) < len(whole)

    def shown(row: Any) -> tuple[Any, ...]:
        # The goal and policy above hold only the branches read (compared by code); each
        # measure is read whole, with all its indicators.
        return (row.goal.code, row.policy.code, row.measure, row.indicator, row.values)

    assert [shown(r) for r in rows] == [shown(r) for r in whole[: len(rows)]]
    assert any(row.values for row in rows)  # values read with them, not left out
    # The catalog read for them holds only their branches; plan and departments whole.
    assert [i.code for *_, i in catalog.indicators()] == [row.indicator.code for row in rows]
    assert {m.code for _, _, m, _ in catalog.indicators()} == set(first.measures)
    assert catalog.departments and catalog.plan.settings.years
