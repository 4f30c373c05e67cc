"""What write_actuals reads before it checks a value, in few statements: on a single entry each
statement cost more than SQLite's own insert (issue 20). The generation and its plan in one
read, the finalised and locked years with the database's identity in another, and on a file
one indicator with its stored values in a third."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Label, Table, bindparam, literal_column, null, select, union_all

from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.errors import no_catalog
from kplan_desktop.domain.model import PlanSettings
from kplan_desktop.store.catalog import indicator_from_row, plan_settings_from_row
from kplan_desktop.store.engine import DATABASE_ID_KEY
from kplan_desktop.store.generations import writable_record
from kplan_desktop.store.models import (
    actual_table,
    finalisation_table,
    generation_table,
    indicator_table,
    meta_table,
    plan_table,
    year_lock_table,
)
from kplan_desktop.store.requests import EntrySource


def _labelled(table: Table, names: Sequence[str], prefix: str) -> list[Label[Any]]:
    """Columns of `table` under the names `prefix` + name, beside another table's columns."""
    return [table.c[name].label(prefix + name) for name in names]


# The plan's columns its settings are read from (plan_settings_from_row), and its code.
_PLAN_SETTINGS = ("start_year", "end_year", "baseline_year", "grading")
_p = plan_table.c
_GENERATION_AND_PLAN = (
    select(generation_table, *_labelled(plan_table, ("code", *_PLAN_SETTINGS), "plan_"))
    .select_from(generation_table.outerjoin(plan_table, _p.generation == generation_table.c.number))
    .where(generation_table.c.number == bindparam("generation"))
)
_f, _l, _m = finalisation_table.c, year_lock_table.c, meta_table.c
_YEARS_AND_DATABASE = union_all(
    select(
        literal_column("'closed'").label("kind"),
        _f.department_code.label("text"),
        _f.fiscal_year.label("year"),
    ).where(_f.generation == bindparam("generation")),
    select(literal_column("'locked'"), null(), _l.fiscal_year).where(
        _l.generation == bindparam("generation")
    ),
    select(literal_column("'database'"), _m.value, null()).where(_m.key == DATABASE_ID_KEY),
)


def writable_plan(conn: Connection, generation: int) -> PlanSettings:
    """require_writable, then the plan's settings (E_NO_CATALOG without a catalog)."""
    row = conn.execute(_GENERATION_AND_PLAN, {"generation": generation}).first()
    writable_record(generation, row)
    assert row is not None
    found = row._mapping
    if found["plan_code"] is None:
        raise no_catalog()
    return plan_settings_from_row({name: found[f"plan_{name}"] for name in _PLAN_SETTINGS})


def years_and_database(
    conn: Connection, generation: int, source: EntrySource
) -> tuple[set[tuple[str, int]], set[int], str]:
    """The finalised (department, year) pairs that refuse a write (none for a merge), the
    locked years, and this database's identity."""
    closed: set[tuple[str, int]] = set()
    locked: set[int] = set()
    database = ""
    for kind, text, year in conn.execute(_YEARS_AND_DATABASE, {"generation": generation}):
        if kind == "closed":
            if source != EntrySource.MERGE:
                closed.add((text, year))
        elif kind == "locked":
            locked.add(year)
        else:
            database = text or ""
    return closed, locked, database


# A stored value's columns, in the order write_actuals reads them after the indicator's code
# (both reads of them: here, and actuals._stored_select).
STORED_COLUMNS = (
    "fiscal_year",
    "value",
    "missing_reason",
    "comment",
    "revision_db",
    "revision_seq",
)
_VALUE_KEYS = tuple(f"v_{name}" for name in STORED_COLUMNS)
_v = actual_table.c
_INDICATOR_AND_VALUES = (
    select(indicator_table, *_labelled(actual_table, STORED_COLUMNS, "v_"))
    .select_from(
        indicator_table.outerjoin(
            actual_table,
            (_v.generation == indicator_table.c.generation)
            & (_v.indicator_code == indicator_table.c.code),
        )
    )
    .where(
        indicator_table.c.generation == bindparam("generation"),
        indicator_table.c.code == bindparam("code"),
    )
    .order_by(_v.fiscal_year)
)


def one_indicator(
    conn: Connection, generation: int, code: str
) -> tuple[dict[str, Indicator], list[tuple[Any, ...]]]:
    """One indicator of the catalog (none if it is not there) and its stored values, as the
    stored-rows query gives them, in one statement (a file only: a server locks the values)."""
    found = conn.execute(_INDICATOR_AND_VALUES, {"generation": generation, "code": code})
    rows = found.mappings().all()
    if not rows:
        return {}, []
    values = [
        (code, *(row[key] for key in _VALUE_KEYS))
        for row in rows
        if row["v_fiscal_year"] is not None
    ]
    return {code: indicator_from_row(rows[0])}, values
