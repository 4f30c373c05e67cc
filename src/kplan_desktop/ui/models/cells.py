"""What one year cell shows besides its value: ok, missing, a warning, an error (no Qt here)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.validation import Finding, Severity, validate
from kplan_desktop.domain.values import ParsedValue
from kplan_desktop.store.cycle import year_cycle
from kplan_desktop.store.generations import active_generation
from kplan_desktop.store.overview import overview
from kplan_desktop.store.submissions import finalisation, open_items
from kplan_desktop.store.years import locked_years

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kplan_desktop.store.cycle import YearCycle
    from kplan_desktop.store.engine import Store
    from kplan_desktop.store.overview import IndicatorOverview
    from kplan_desktop.store.submissions import Finalisation, OpenItem


class CellState(enum.Enum):
    EMPTY = "empty"
    OK = "ok"
    MISSING = "missing"
    WARNING = "warning"
    EXPLAINED = "explained"
    ERROR = "error"


FILLED = frozenset({CellState.OK, CellState.MISSING, CellState.WARNING, CellState.EXPLAINED})


@dataclass(frozen=True)
class CellInfo:
    state: CellState
    findings: tuple[Finding, ...]


def cell_info(catalog: Catalog, row: IndicatorOverview, year: int) -> CellInfo:
    """Re-check a stored value with the domain rules, as the store would on entry."""
    actual = row.values.get(year)
    if actual is None:
        return CellInfo(CellState.EMPTY, ())
    if actual.value is None:
        return CellInfo(CellState.MISSING, ())
    others: dict[int, Decimal] = {
        y: a.value for y, a in row.values.items() if a.value is not None and y != year
    }
    findings = tuple(
        validate(
            ParsedValue(actual.value), row.indicator.spec(), catalog.plan.settings, year, others
        )
    )
    if any(f.severity is Severity.ERROR for f in findings):
        return CellInfo(CellState.ERROR, findings)
    if findings:
        return CellInfo(CellState.EXPLAINED if actual.comment else CellState.WARNING, findings)
    return CellInfo(CellState.OK, ())


@dataclass(frozen=True)
class YearState:
    """A department's year as the window's banners show it: finalised (確定), locked, opened
    for entry with its due date, and what the department still owes. For the planning
    division (no department) only whether the year is locked."""

    finalised: Finalisation | None
    locked: bool
    cycle: YearCycle | None
    open_items: list[OpenItem]
    # Every locked year of the generation (the grid refuses to open an editor in them).
    locked_years: frozenset[int] = frozenset()


def read_year_state(
    conn: Connection, generation: int, department: str | None, fiscal_year: int
) -> YearState:
    """The year's state, read inside the caller's snapshot (the window's load reads it with
    the grid: one moment of the database)."""

    every_locked = frozenset(locked_years(conn, generation))
    locked = fiscal_year in every_locked
    if department is None:
        return YearState(None, locked, None, [], every_locked)
    finalised = finalisation(conn, generation, department, fiscal_year)
    cycle = None if locked else year_cycle(conn, generation, fiscal_year)
    items = [] if cycle is None else open_items(conn, generation, department, fiscal_year)
    return YearState(finalised, locked, cycle, items, every_locked)


@dataclass(frozen=True)
class GridData:
    """Everything the grid and its banners show, read in one snapshot and checked off the UI
    thread."""

    catalog: Catalog
    rows: list[IndicatorOverview]
    cells: dict[tuple[str, int], CellInfo]
    year_state: YearState


def load_grid(
    store: Store,
    department: str | None,
    own_department: str | None,
    fiscal_year: int,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
) -> GridData | None:
    """Read the indicators (of `department`; None: all) and the year's state (of
    `own_department`, the signed-in department; None for the planning division) in one
    snapshot, and check this year's cells; None when cancelled."""

    with store.snapshot() as conn:
        generation = active_generation(conn)
        catalog, rows = overview(conn, generation, department=department, fiscal_year=fiscal_year)
        year_state = read_year_state(conn, generation, own_department, fiscal_year)
    catalog.check_choice(department, fiscal_year)
    cells: dict[tuple[str, int], CellInfo] = {}
    total = len(rows)
    for n, row in enumerate(rows):
        if n % 200 == 0:
            if cancelled():
                return None
            progress(n, total)
        cells[(row.indicator.code, fiscal_year)] = cell_info(catalog, row, fiscal_year)
    progress(total, total)
    return GridData(catalog, rows, cells, year_state)
