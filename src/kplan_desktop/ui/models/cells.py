"""What one year cell shows besides its value: ok, missing, a warning, an error (no Qt here)."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from kplan_desktop.collector import lasting_objects
from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.validation import Finding, Severity, validate
from kplan_desktop.domain.values import ParsedValue

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kplan_desktop.session import Session
    from kplan_desktop.store.cycle import YearCycle
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


# An empty cell and a missing one (a reason, no value) have nothing else to say: one shared
# (frozen) object each rather than one per row, 20,000 at each load of the planning grid.
_EMPTY = CellInfo(CellState.EMPTY, ())
_MISSING = CellInfo(CellState.MISSING, ())


def cell_info(catalog: Catalog, row: IndicatorOverview, year: int) -> CellInfo:
    """Re-check a stored value with the domain rules, as the store would on entry."""
    actual = row.values.get(year)
    if actual is None:
        return _EMPTY
    if actual.value is None:
        return _MISSING
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


def counts_as_editable(
    row: IndicatorOverview, year: int, years: list[int], planning: bool, own: str | None
) -> bool:
    """Whether the row's cell of `year` is one of the window's editable cells, as the status
    line counts them (a finalised year's cells still count: 確定 changes no cell)."""
    return year in years and (planning or row.indicator.owner_for(year) == own)


@dataclass(frozen=True)
class Tallies:
    """The cells of one year counted once per load, for the window of `planning` and `own`:
    the states of the editable cells, the empty cells under each goal, policy and measure, and
    the editable empty cells of indicators without a unit (they take only a reason)."""

    year: int
    planning: bool
    own: str | None
    editable_states: Counter[CellState]
    missing_under: Counter[str]
    unitless_missing: int


def tally(
    catalog: Catalog,
    rows: list[IndicatorOverview],
    cells: dict[tuple[str, int], CellInfo],
    year: int,
    *,
    planning: bool,
    own: str | None,
) -> Tallies:
    """Every row's cell of `year` counted (20,000 rows: in the loading worker, not the UI)."""
    years = catalog.plan.settings.years
    in_years = year in years
    states: list[CellState] = []
    empty: list[str] = []  # the goal, policy and measure of each empty cell, counted at the end
    unitless = 0
    for overview in rows:
        info = cells.get((overview.indicator.code, year))
        state = (info if info is not None else cell_info(catalog, overview, year)).state
        if in_years and (planning or overview.indicator.owner_for(year) == own):
            states.append(state)
            if state is CellState.EMPTY and not overview.indicator.unit:
                unitless += 1
        if state is CellState.EMPTY:
            empty += (overview.goal.code, overview.policy.code, overview.measure.code)
    return Tallies(year, planning, own, Counter(states), Counter(empty), unitless)


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
    from kplan_desktop.store.cycle import year_cycle
    from kplan_desktop.store.submissions import finalisation, open_items
    from kplan_desktop.store.years import locked_years

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
    thread: with each indicator's row and this year's tallies, so the UI thread does not walk
    20,000 rows to show them."""

    catalog: Catalog
    rows: list[IndicatorOverview]
    cells: dict[tuple[str, int], CellInfo]
    year_state: YearState
    row_of: dict[str, int] = field(default_factory=dict)
    tallies: Tallies | None = None
    # The session as the load settled it (its plan and year), for the window to take with the
    # grid: see load_session_grid.
    settled: Session | None = None
    # The first screen of a bigger grid (see load_session_grid): how many rows the whole has.
    # None: these are all the rows.
    first_of: int | None = None


# A grid of more rows than this shows its first rows while the rest is read: 20,000 take half
# a second to read and check (issue 20). Whole measures are read, at least FIRST_ROWS rows.
FIRST_SCREEN_FROM = 2500
FIRST_ROWS = 100


def _unreported(done: int, total: int) -> None:
    """The first rows' read is not counted: the progress shown is the whole grid's."""


def load_session_grid(
    session: Session,
    department: str | None,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
    first_screen: Callable[[GridData], None] | None = None,
) -> GridData | None:
    """The window's load: the session's plan settled (the plan chosen or remembered, if this
    role may see it; the year moved into its period) and its grid read, in one snapshot.

    A copy of the session is settled, not the window's own: its year may move to the new plan's
    period while the window still shows the old grid, whose columns do not hold that year (a
    key pressed meanwhile ended in "2027 is not in list"). A plan chosen in the window is read
    the same way (Session.chosen). The window takes the settled session with the grid it goes
    with (GridData.settled, Session.adopt).

    With `first_screen`, a grid of all departments' rows, more than FIRST_SCREEN_FROM, is given
    to it first as its first rows (GridData.first_of), read in the same snapshot."""
    from kplan_desktop.store.overview import first_rows

    store = session.open()  # on the window's session: opened once, whatever this load's end
    settled = session.for_load()
    with store.snapshot() as conn:
        settled.settle(conn)
        generation = settled.current_generation()

        def read(measures: tuple[str, ...] | None) -> GridData | None:
            return load_grid(
                conn,
                generation,
                department,
                settled.own_department,
                settled.fiscal_year,
                progress if measures is None else _unreported,
                cancelled,
                planning=settled.planning,
                own=settled.department,
                measures=measures,
            )

        if first_screen is not None and department is None:
            first = first_rows(conn, generation, FIRST_ROWS)
            if first.total > FIRST_SCREEN_FROM:
                shown = read(first.measures)
                if shown is None:
                    return None
                first_screen(replace(shown, settled=settled, first_of=first.total))
        data = read(None)
    return None if data is None else replace(data, settled=settled)


def load_grid(
    conn: Connection,
    generation: int,
    department: str | None,
    own_department: str | None,
    fiscal_year: int,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
    *,
    planning: bool = False,
    own: str | None = None,
    measures: tuple[str, ...] | None = None,
) -> GridData | None:
    """Read one plan generation's indicators (of `department`; None: all; only those of
    `measures` when given) and the year's state (of `own_department`, the signed-in
    department; None for the planning division) in one snapshot, and check this year's cells,
    tallied for the window of `planning` and `own` (its department); None when cancelled."""
    from kplan_desktop.store.overview import overview

    # Without the collector's passes over the rows being read (kplan_desktop.collector).
    with lasting_objects():
        catalog, rows = overview(
            conn, generation, department=department, fiscal_year=fiscal_year, measures=measures
        )
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
        row_of = {row.indicator.code: n for n, row in enumerate(rows)}
        tallies = tally(catalog, rows, cells, fiscal_year, planning=planning, own=own)
        return GridData(catalog, rows, cells, year_state, row_of, tallies)
