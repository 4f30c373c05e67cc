"""Indicators with their values and achievement, as the grid, `kplan show` and reports read them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select

from kplan_desktop.domain.achievement import Achievement, TrackResult, assess, on_track
from kplan_desktop.domain.catalog import Catalog, Goal, Indicator, Measure, Policy
from kplan_desktop.domain.records import builder
from kplan_desktop.store.actuals import ActualView, plan_settings, read_actuals
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.models import goal_table, indicator_table, measure_table, policy_table


@dataclass(frozen=True)
class IndicatorOverview:
    """One indicator, its place in the plan, its values by year, and this year's achievement."""

    goal: Goal
    policy: Policy
    measure: Measure
    indicator: Indicator
    values: dict[int, ActualView] = field(default_factory=dict)

    def achievement(self, catalog: Catalog, fiscal_year: int) -> Achievement:
        actual = self.values.get(fiscal_year)
        return assess(
            self.indicator.spec_for(fiscal_year),
            catalog.plan.settings,
            None if actual is None else actual.value,
            None if actual is None else actual.missing_reason,
        )

    def track(self, catalog: Catalog, fiscal_year: int) -> TrackResult:
        actual = self.values.get(fiscal_year)
        value = None if actual is None else actual.value
        return on_track(
            self.indicator.spec_for(fiscal_year), catalog.plan.settings, value, fiscal_year
        )


_new_row = builder(IndicatorOverview)


@dataclass(frozen=True)
class FirstRows:
    """The measures whose indicators are the first rows of the whole grid, in plan order, and
    how many rows the whole grid has."""

    measures: tuple[str, ...]
    rows: int
    total: int


def first_rows(conn: Connection, generation: int, wanted: int) -> FirstRows:
    """The first measures in plan order (goal, policy, measure) holding at least `wanted`
    indicators between them: a few milliseconds at 20,000 indicators, where the whole grid
    takes half a second to read (issue 20)."""
    i = indicator_table.c
    counted = select(i.measure_code, func.count()).where(i.generation == generation)
    counts = {code: n for code, n in conn.execute(counted.group_by(i.measure_code))}
    m, p, g = measure_table.c, policy_table.c, goal_table.c
    ordered = conn.scalars(
        select(m.code)
        .join(policy_table, (p.generation == m.generation) & (p.code == m.policy_code))
        .join(goal_table, (g.generation == p.generation) & (g.code == p.goal_code))
        .where(m.generation == generation)
        .order_by(g.position, p.position, m.position)
    ).all()
    chosen: list[str] = []
    rows = 0
    for code in ordered:
        if rows >= wanted:
            break
        if counts.get(code):
            chosen.append(code)
            rows += counts[code]
    return FirstRows(tuple(chosen), rows, sum(counts.values()))


def overview(
    conn: Connection,
    generation: int,
    *,
    department: str | None = None,
    fiscal_year: int | None = None,
    measures: tuple[str, ...] | None = None,
) -> tuple[Catalog, list[IndicatorOverview]]:
    """The catalog and its indicators with their values: of `department` when given — the
    ones it owned in `fiscal_year` (a 課 merged into another still has its past years), else
    the ones it owns now; of `measures` only, when given (see first_rows)."""
    # A department's window and export read its own indicators and the tree above them.
    catalog = read_catalog(conn, generation, department=department, measures=measures)
    if catalog is None:
        plan_settings(conn, generation)  # raises the "no catalog" error
        raise AssertionError("unreachable")
    chosen = [
        (goal, policy, measure, indicator)
        for goal, policy, measure, indicator in catalog.indicators()
        if department is None
        or (indicator.department if fiscal_year is None else indicator.owner_for(fiscal_year))
        == department
    ]
    if measures is not None or (
        department is not None and any(i.department != department for *_, i in chosen)
    ):
        # The first screen's, or indicators a 課 reported before they moved: read by code.
        stored = read_actuals(conn, generation, indicator_codes=[i.code for *_, i in chosen])
    else:
        stored = read_actuals(conn, generation, department=department)
    values: dict[str, dict[int, ActualView]] = {}
    for actual in stored:
        values.setdefault(actual.indicator_code, {})[actual.fiscal_year] = actual
    # Built without the dataclass's __init__: 20,000 rows for the planning division (issue 20).
    rows = [
        _new_row((goal, policy, measure, indicator, values.get(indicator.code) or {}))
        for goal, policy, measure, indicator in chosen
    ]
    return catalog, rows
