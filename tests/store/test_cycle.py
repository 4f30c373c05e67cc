"""The yearly cycle (store/cycle.py): opening a year, due dates from a catalog file, and each
department's status — through the store's functions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.cycle import (
    Status,
    department_statuses,
    open_year,
    receive_cycles,
    year_cycle,
    year_cycles,
)
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import finalise
from kplan_desktop.store.years import lock_year
from tests.conftest import Database, dump

YEAR = 2024
DUE = date(2025, 6, 30)


@pytest.fixture
def store(db: Database) -> Store:
    return Store.open(str(db))


def catalog_of(store: Store) -> Catalog:
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None
    return catalog


def opened(store: Store) -> list[str | None]:
    with store.snapshot() as conn:
        return [e.detail for e in audit_log(conn) if e.action == "open_year"]


def test_opening_a_year_records_its_due_date_once_and_audits_each_change(store: Store) -> None:
    catalog = catalog_of(store)
    with store.transaction() as conn:
        cycle = open_year(conn, 1, catalog, YEAR, DUE, who="planner", source=EntrySource.CLI)
    assert (cycle.fiscal_year, cycle.due_date, cycle.opened_by) == (YEAR, DUE, "planner")
    assert cycle.days_left(date(2025, 6, 1)) == 29
    with store.transaction() as conn:
        again = open_year(conn, 1, catalog, YEAR, DUE, who="someone", source=EntrySource.CLI)
    assert again == cycle  # the same due date again changes nothing
    later = date(2025, 7, 31)
    with store.transaction() as conn:
        moved = open_year(conn, 1, catalog, YEAR, later, who="planner", source=EntrySource.CLI)
    assert moved.due_date == later and moved.opened_at == cycle.opened_at
    assert opened(store) == ["due=2025-06-30", "due=2025-07-31"]


def test_a_due_date_before_the_year_or_a_locked_year_changes_nothing(
    store: Store, db: Database
) -> None:
    catalog = catalog_of(store)
    before = dump(db)
    with pytest.raises(DomainError) as early, store.transaction() as conn:
        open_year(conn, 1, catalog, YEAR, date(2023, 12, 31), who="p", source=EntrySource.CLI)
    assert early.value.code == "E_DUE_DATE"
    assert dump(db) == before
    with store.transaction() as conn:
        lock_year(conn, 1, YEAR, "p")
    before = dump(db)
    with pytest.raises(DomainError) as locked, store.transaction() as conn:
        open_year(conn, 1, catalog, YEAR, DUE, who="p", source=EntrySource.CLI)
    assert locked.value.code == "E_LOCKED_YEAR"
    assert dump(db) == before


def test_cycles_from_a_catalog_file_open_only_what_changed(store: Store) -> None:
    with store.transaction() as conn:
        assert receive_cycles(conn, 1, [(YEAR, DUE), (YEAR + 1, None)], who="dept") == 2
    with store.transaction() as conn:
        assert receive_cycles(conn, 1, [(YEAR, DUE), (YEAR + 1, date(2026, 6, 30))], who="d") == 1
    with store.snapshot() as conn:
        cycles = year_cycles(conn, 1)
        assert year_cycle(conn, 1, YEAR + 2) is None
    assert {y: c.due_date for y, c in cycles.items()} == {
        YEAR: DUE,
        YEAR + 1: date(2026, 6, 30),
    }
    assert opened(store) == [
        "due=2025-06-30 (catalog file)",
        "due= (catalog file)",
        "due=2026-06-30 (catalog file)",
    ]


def test_a_department_moves_from_not_started_to_finalised(store: Store) -> None:
    catalog = catalog_of(store)

    def status(department: str) -> Status:
        with store.snapshot() as conn:
            found = {s.code: s for s in department_statuses(conn, 1, catalog, YEAR)}
        return found[department].status

    assert status("community") is Status.NOT_STARTED
    values = {
        "7-1-1-A1": "未集計",
        "7-1-1-K1": "3",
        "7-1-1-K2": "55",
        "7-1-1-K3": "1,500人",
        "7-1-2-A1": "該当なし",
        "7-1-2-K1": "20",
    }
    requests = [EntryRequest(code, YEAR, text, "c") for code, text in values.items()]
    with store.transaction() as conn:
        write_actuals(conn, 1, requests[:1], who="clerk", source=EntrySource.TEST)
    assert status("community") is Status.IN_PROGRESS
    with store.transaction() as conn:
        write_actuals(conn, 1, requests[1:], who="clerk", source=EntrySource.TEST)
        finalise(conn, 1, "community", YEAR, who="clerk", source=EntrySource.CLI)
    assert status("community") is Status.FINALISED
    with store.snapshot() as conn:
        row = next(s for s in department_statuses(conn, 1, catalog, YEAR) if s.code == "community")
    assert row.entered == row.indicators == len(values)
    assert row.finalised_at is not None and row.merged_at is None
