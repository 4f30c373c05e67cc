"""One department's overview reads its own indicators and the tree above them (issue 20 item
3), and gives exactly what the whole catalog's overview gives for it — also for an indicator
moved to another department, and for which measures it evaluates. SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event

from kplan_desktop.domain.catalog import Catalog, Indicator
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.catalog import read_catalog, replace_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.evaluations import measure_owners, owned_measures
from kplan_desktop.store.overview import IndicatorOverview, overview
from kplan_desktop.store.requests import EntrySource
from tests.conftest import Database, is_postgres

YEARS = (2024, 2025)


@pytest.fixture
def store(db: Database) -> Store:
    store = Store.open(str(db))
    with store.snapshot() as conn:
        codes = [i.code for *_, i in _catalog(conn).indicators()]
    with store.transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest(code, year, "40", "試験") for code in codes[::2] for year in YEARS],
            who="test",
            source=EntrySource.CLI,
            all_or_nothing=False,
        )
    return store


def _catalog(conn: Any) -> Catalog:
    catalog = read_catalog(conn, 1)
    assert catalog is not None
    return catalog


def _moved(catalog: Catalog, code: str, to: str, until: int) -> Catalog:
    """The catalog with indicator `code` handed to `to` after `until`."""

    def move(indicator: Indicator) -> Indicator:
        if indicator.code != code:
            return indicator
        return replace(indicator, department=to, former_owners=((until, indicator.department),))

    goals = tuple(
        replace(
            g,
            policies=tuple(
                replace(
                    p,
                    measures=tuple(
                        replace(m, indicators=tuple(move(i) for i in m.indicators))
                        for m in p.measures
                    ),
                )
                for p in g.policies
            ),
        )
        for g in catalog.goals
    )
    return replace(catalog, goals=goals)


def _shown(rows: list[IndicatorOverview]) -> list[tuple[str, dict[int, str | None]]]:
    return [(r.indicator.code, {y: v.text for y, v in r.values.items()}) for r in rows]


def _check_every_department(store: Store) -> None:
    with store.snapshot() as conn:
        whole, everything = overview(conn, 1)
        owners = measure_owners(conn, 1)
        for department in [d.code for d in whole.departments]:
            for year in (None, *YEARS):
                catalog, rows = overview(conn, 1, department=department, fiscal_year=year)
                wanted = [
                    r
                    for r in everything
                    if (r.indicator.department if year is None else r.indicator.owner_for(year))
                    == department
                ]
                assert _shown(rows) == _shown(wanted), (department, year)
                # Its catalog: its own indicators (or ones it owned) and the branches above.
                for *_, indicator in catalog.indicators():
                    assert department in (
                        indicator.department,
                        *(owner for _, owner in indicator.former_owners),
                    )
                for goal in catalog.goals:
                    assert goal.policies and all(
                        p.measures and all(m.indicators for m in p.measures) for p in goal.policies
                    )
                assert catalog.departments == whole.departments
                assert catalog.plan == whole.plan
            assert owned_measures(conn, 1, department) == {
                code for code, owner in owners.items() if owner == department
            }


def test_a_department_reads_exactly_its_own_rows(store: Store) -> None:
    with store.snapshot() as conn:
        departments = {i.department for *_, i in _catalog(conn).indicators()}
    assert len(departments) > 2
    _check_every_department(store)


def test_an_indicator_moved_to_another_department_stays_with_its_former_one(
    store: Store,
) -> None:
    with store.snapshot() as conn:
        catalog = _catalog(conn)
    (_, _, _, first), *others = list(catalog.indicators())
    to = next(i.department for *_, i in others if i.department != first.department)
    with store.transaction() as conn:
        replace_catalog(
            conn,
            1,
            _moved(catalog, first.code, to, 2024),
            "moved",
            who="test",
            source=EntrySource.CLI,
            detail="move",
        )
    with store.snapshot() as conn:
        _, before = overview(conn, 1, department=first.department, fiscal_year=2024)
        _, after = overview(conn, 1, department=to, fiscal_year=2025)
        _, now = overview(conn, 1, department=first.department, fiscal_year=2025)
    assert first.code in [r.indicator.code for r in before]
    assert first.code in [r.indicator.code for r in after]
    assert first.code not in [r.indicator.code for r in now]
    _check_every_department(store)


def test_a_department_fetches_only_its_own_rows(db: Database, store: Store) -> None:
    """Every SELECT of the department's overview run again with sqlite3: the rows they return
    are its indicators, their values and a few rows of the tree, plan and departments."""
    if is_postgres(db):
        pytest.skip("counted with sqlite3")
    seen: list[tuple[str, Any]] = []

    def before(_c: Any, _cur: Any, statement: str, parameters: Any, _x: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not many:
            seen.append((statement, parameters))

    with store.snapshot() as conn:
        catalog = _catalog(conn)
        department = next(i.department for *_, i in catalog.indicators())
        event.listen(store.engine, "before_cursor_execute", before)
        try:
            _, rows = overview(conn, 1, department=department, fiscal_year=2025)
        finally:
            event.remove(store.engine, "before_cursor_execute", before)
    plain = sqlite3.connect(str(db))
    try:
        fetched = sum(len(plain.execute(sql, tuple(p or ())).fetchall()) for sql, p in seen)
        whole = sum(
            plain.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("indicator", "actual")
        )
    finally:
        plain.close()
    own = list(rows)
    values = sum(len(r.values) for r in own)
    tree = 3 * len(own)  # at most a goal, a policy and a measure each
    small = 1 + len(catalog.departments) + len(catalog.reference_tables)
    assert fetched <= len(own) + values + tree + small
    assert fetched < whole
