"""The yearly cycle: the planning division opens a fiscal year for entry with a due date, and
follows every department from not started to merged.

Status of a department for a year, the furthest it got:
- merged: a finalised submission of that year was merged into this database;
- submitted: only a draft of it was merged (values arrived, not yet final);
- finalised: the year is 確定 in this database (a department entering directly);
- in progress: some of its indicators have a value (or a reason) for the year;
- not started: none.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, func, select

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.audit import SOURCES, as_utc, now, record
from kplan_desktop.store.generations import require_writable
from kplan_desktop.store.models import (
    actual_table,
    finalisation_table,
    fiscal_year_cycle_table,
    indicator_table,
    submission_table,
)
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.years import locked_finding, locked_years_in


class Status(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    FINALISED = "finalised"
    SUBMITTED = "submitted"
    MERGED = "merged"

    def label(self, lang: str = "ja") -> str:
        ja, en = _STATUS_LABELS[self]
        return en if lang == "en" else ja


_STATUS_LABELS = {
    Status.NOT_STARTED: ("未着手", "not started"),
    Status.IN_PROGRESS: ("入力中", "in progress"),
    Status.FINALISED: ("確定済み", "finalised"),
    Status.SUBMITTED: ("提出済み（下書き）", "submitted (draft)"),
    Status.MERGED: ("取り込み済み", "merged"),
}
# Still owed by the department: the planning division's list of departments to chase.
PENDING = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS, Status.FINALISED, Status.SUBMITTED})


@dataclass(frozen=True)
class YearCycle:
    fiscal_year: int
    opened_at: datetime
    opened_by: str
    due_date: date | None

    def days_left(self, today: date) -> int | None:
        return None if self.due_date is None else (self.due_date - today).days


@dataclass(frozen=True)
class DepartmentStatus:
    code: str
    name: str
    status: Status
    indicators: int
    entered: int  # indicators with a value or a reason for the year
    finalised_at: datetime | None
    merged_at: datetime | None  # the last submission of the year merged here
    contact: str | None = None


def _cycle(year: int, opened_at: datetime, opened_by: str, due: date | None) -> YearCycle:
    return YearCycle(year, as_utc(opened_at), opened_by, due)


def year_cycles(conn: Connection, generation: int) -> dict[int, YearCycle]:
    """The years a generation opened for entry, with their due dates."""
    t = fiscal_year_cycle_table.c
    rows = conn.execute(
        select(t.fiscal_year, t.opened_at, t.opened_by, t.due_date)
        .where(t.generation == generation)
        .order_by(t.fiscal_year)
    ).all()
    return {row[0]: _cycle(*row) for row in rows}


def year_cycle(conn: Connection, generation: int, fiscal_year: int) -> YearCycle | None:
    return year_cycles(conn, generation).get(fiscal_year)


def year_cycle_in(conn: Connection, generation: int, fiscal_year: int) -> YearCycle | None:
    t = fiscal_year_cycle_table.c
    row = conn.execute(
        select(t.fiscal_year, t.opened_at, t.opened_by, t.due_date).where(
            t.generation == generation, t.fiscal_year == fiscal_year
        )
    ).first()
    return None if row is None else _cycle(*row)


def open_year(
    conn: Connection,
    generation: int,
    catalog: Catalog,
    fiscal_year: int,
    due_date: date | None,
    *,
    who: str,
    source: EntrySource,
) -> YearCycle:
    """Open a fiscal year of a generation (whose catalog `catalog` is) for entry, or change
    its due date; audited."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    require_writable(conn, generation)
    catalog.check_choice(None, fiscal_year)
    if due_date is not None and due_date.year < fiscal_year:
        raise DomainError(
            "E_DUE_DATE",
            f"提出期限 {due_date:%Y-%m-%d} が年度の始まりより前です",
            f"The due date {due_date:%Y-%m-%d} is before the fiscal year begins",
        )

    if fiscal_year in locked_years_in(conn, generation):
        finding = locked_finding(fiscal_year)
        raise DomainError(finding.code, finding.message_ja, finding.message_en)
    t = fiscal_year_cycle_table.c
    same = conn.execute(
        select(t.due_date).where(t.generation == generation, t.fiscal_year == fiscal_year)
    ).first()
    if same is not None and same[0] == due_date:
        found = year_cycle_in(conn, generation, fiscal_year)
        assert found is not None
        return found
    _put_cycle(conn, generation, fiscal_year, due_date, who)
    record(
        conn,
        who=who,
        source=source,
        action="open_year",
        generation=generation,
        fiscal_year=fiscal_year,
        detail=f"due={'' if due_date is None else due_date.isoformat()}",
    )
    found = year_cycle(conn, generation, fiscal_year)
    assert found is not None
    return found


def _put_cycle(
    conn: Connection, generation: int, fiscal_year: int, due_date: date | None, who: str
) -> None:
    t = fiscal_year_cycle_table.c
    this = (t.generation == generation, t.fiscal_year == fiscal_year)
    exists = conn.scalar(select(t.fiscal_year).where(*this))
    if exists is None:
        conn.execute(
            fiscal_year_cycle_table.insert().values(
                generation=generation,
                fiscal_year=fiscal_year,
                opened_at=now(),
                opened_by=who,
                due_date=due_date,
            )
        )
    else:
        conn.execute(fiscal_year_cycle_table.update().where(*this).values(due_date=due_date))


def receive_cycles(
    conn: Connection, generation: int, cycles: list[tuple[int, date | None]], *, who: str
) -> int:
    """Years opened by the planning division, as a catalog file carries them to a department:
    each is opened here with its due date (the number that changed)."""
    require_writable(conn, generation)
    changed = 0
    known = year_cycles(conn, generation)
    for fiscal_year, due in cycles:
        have = known.get(fiscal_year)
        if have is not None and have.due_date == due:
            continue
        _put_cycle(conn, generation, fiscal_year, due, who)
        record(
            conn,
            who=who,
            source=EntrySource.CATALOG,
            action="open_year",
            generation=generation,
            fiscal_year=fiscal_year,
            detail=f"due={'' if due is None else due.isoformat()} (catalog file)",
        )
        changed += 1
    return changed


def department_statuses(
    conn: Connection, generation: int, catalog: Catalog, fiscal_year: int
) -> list[DepartmentStatus]:
    """Every department that owns indicators of the generation, in catalog order, with its
    status for the year."""
    i, a = indicator_table.c, actual_table.c
    f, s = finalisation_table.c, submission_table.c
    owned: dict[str, int] = dict(
        conn.execute(
            select(i.department_code, func.count())
            .where(i.generation == generation)
            .group_by(i.department_code)
        ).all()
    )
    entered: dict[str, int] = dict(
        conn.execute(
            select(i.department_code, func.count())
            .select_from(
                actual_table.join(
                    indicator_table,
                    (i.generation == a.generation) & (i.code == a.indicator_code),
                )
            )
            .where(a.generation == generation, a.fiscal_year == fiscal_year)
            .group_by(i.department_code)
        ).all()
    )
    finalised: dict[str, datetime] = dict(
        conn.execute(
            select(f.department_code, f.finalised_at).where(
                f.generation == generation, f.fiscal_year == fiscal_year
            )
        ).all()
    )
    received: dict[str, tuple[datetime, bool]] = {}
    for department, merged_at, final_at in conn.execute(
        select(s.department_code, s.merged_at, s.finalised_at)
        .where(s.generation == generation, s.fiscal_year == fiscal_year)
        .order_by(s.merged_at)
    ):
        was_final = received.get(department, (merged_at, False))[1]
        received[department] = (merged_at, was_final or final_at is not None)
    out = []
    for department in catalog.departments:
        count = owned.get(department.code, 0)
        if count == 0:
            continue
        got = received.get(department.code)
        done = finalised.get(department.code)
        if got is not None and got[1]:
            status = Status.MERGED
        elif got is not None:
            status = Status.SUBMITTED
        elif done is not None:
            status = Status.FINALISED
        elif entered.get(department.code, 0) > 0:
            status = Status.IN_PROGRESS
        else:
            status = Status.NOT_STARTED
        out.append(
            DepartmentStatus(
                code=department.code,
                name=department.name,
                status=status,
                indicators=count,
                entered=entered.get(department.code, 0),
                finalised_at=None if done is None else as_utc(done),
                merged_at=None if got is None else as_utc(got[0]),
                contact=department.contact,
            )
        )
    return out
