"""The consolidated workbook from the planning database: gather everything, then write it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

from kplan_desktop.domain.catalog import linked_plans, unknown_plan
from kplan_desktop.exchange.merge import stored_reports
from kplan_desktop.exchange.report.base import ReportData, ReportPart
from kplan_desktop.exchange.report.writer import write_report
from kplan_desktop.store.actuals import stored_findings
from kplan_desktop.store.audit import now
from kplan_desktop.store.engine import Store
from kplan_desktop.store.evaluations import read_evaluations
from kplan_desktop.store.generations import choose_generation
from kplan_desktop.store.overview import overview
from kplan_desktop.store.series import read_series
from kplan_desktop.store.submissions import submissions


def report_data(store: Store, fiscal_year: int | None, *, who: str) -> ReportData:
    """Everything the workbook shows, read in one snapshot; the year defaults to the latest
    one with values."""
    with store.snapshot() as conn:
        # The generation whose period holds the year (in FY2027 an R8 report is the old
        # plan's), else the one in use.
        generation = choose_generation(conn, None, fiscal_year)
        catalog, rows = overview(conn, generation)
        settings = catalog.plan.settings
        if fiscal_year is None:
            entered = [year for row in rows for year in row.values]
            fiscal_year = max(entered, default=settings.start_year)
        catalog.check_choice(None, fiscal_year)
        return ReportData(
            catalog=catalog,
            rows=rows,
            fiscal_year=fiscal_year,
            submissions=submissions(conn, generation),
            findings=[f for f in stored_findings(conn, generation) if not f.explained],
            merge_reports=stored_reports(conn),
            generated_at=now(),
            generated_by=who,
            evaluations={
                v.evaluation.measure_code: v
                for v in read_evaluations(conn, generation, fiscal_year=fiscal_year)
            },
            generation=generation,
            series=read_series(conn, generation, every_year=True),
        )


def write_consolidated(
    store: Store,
    path: str | os.PathLike[str],
    fiscal_year: int | None,
    *,
    who: str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int | None:
    """Write the consolidated workbook; the fiscal year it grades, or None if cancelled."""
    data = report_data(store, fiscal_year, who=who)
    if not write_report(path, data, progress=progress, cancelled=cancelled):
        return None
    return data.fiscal_year


def write_plan_report(
    store: Store,
    path: str | os.PathLike[str],
    plan: str,
    fiscal_year: int | None,
    *,
    who: str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int | None:
    """A workbook for one linked plan (総合戦略, 行財政改革): its items and the indicators that
    serve them; the fiscal year it grades, or None if cancelled."""

    data = report_data(store, fiscal_year, who=who)
    choices = linked_plans(data.catalog)
    if plan not in choices:
        raise unknown_plan(plan, choices)
    data = replace(data, linked_plan=plan)
    parts = {ReportPart.LINKED_PLAN}
    if not write_report(path, data, parts=parts, progress=progress, cancelled=cancelled):
        return None
    return data.fiscal_year
