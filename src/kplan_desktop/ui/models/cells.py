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

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store
    from kplan_desktop.store.overview import IndicatorOverview


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
class GridData:
    """Everything the grid shows, read and checked off the UI thread."""

    catalog: Catalog
    rows: list[IndicatorOverview]
    cells: dict[tuple[str, int], CellInfo]


def load_grid(
    store: Store,
    generation: int,
    department: str | None,
    fiscal_year: int,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
) -> GridData | None:
    """Read one plan generation's indicators and check this year's cells; None when
    cancelled."""
    from kplan_desktop.store.overview import overview

    with store.snapshot() as conn:
        catalog, rows = overview(conn, generation, department=department, fiscal_year=fiscal_year)
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
    return GridData(catalog, rows, cells)
