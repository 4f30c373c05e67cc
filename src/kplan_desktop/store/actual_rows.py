"""The rows of one write of actual values: pending changes and how they reach the tables.

write_actuals and commit_checked (store/actuals.py) decide what changes; this writes it — the
audit rows and the actual rows in bulk, or one call each of the server's write function.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from sqlalchemy import (
    Connection,
    DateTime,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.model import PlanSettings
from kplan_desktop.domain.revision import Revision
from kplan_desktop.store.engine import E_DB_DENIED, StoreError
from kplan_desktop.store.models import actual_table, audit_table
from kplan_desktop.store.requests import EntryRequest, EntrySource, Outcome, State


def shared(conn: Connection) -> bool:
    """A server many people write at once (SQLite has one writer at a time anyway)."""
    return conn.dialect.name == "postgresql"


@dataclass
class Batch:
    """What every request of one write_actuals call shares."""

    conn: Connection
    generation: int
    plan: PlanSettings | None  # None when nothing is checked (commit_checked)
    indicators: dict[str, Indicator]
    stored: dict[tuple[str, int], State]
    revisions: dict[tuple[str, int], Revision | None]
    history: dict[str, dict[int, Decimal]]
    closed: set[tuple[str, int]]
    locked: set[int]
    database: str
    who: str
    source: EntrySource
    detail: str | None
    moment: datetime
    write: bool
    require_comment: bool
    request_key: str | None = None
    by_function: bool = False
    # The revision columns of each row as read (what a write function must still find there).
    seen: dict[tuple[str, int], tuple[str | None, int | None]] = field(default_factory=dict)
    # Changes wait here and go to the database together (executemany), in order.
    audits: list[dict[str, object]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


@dataclass
class Change:
    """One pending write of the actual table; its revision's number is its audit row's id."""

    outcome: Outcome
    params: dict[str, object]
    audit: int  # index into Batch.audits
    local: bool  # the revision is this write's own (numbered by its audit row)


# Built once and run with parameters: building a statement per request costs more than running it.
_THIS_ROW = (
    actual_table.c.generation == bindparam("gen"),
    actual_table.c.indicator_code == bindparam("code"),
    actual_table.c.fiscal_year == bindparam("year"),
)
_STAMP = (
    "value",
    "missing_reason",
    "comment",
    "entered_by",
    "entered_at",
    "source",
    "revision_db",
    "revision_seq",
    "replaces_db",
    "replaces_seq",
)
_UPDATE_ROW = (
    update(actual_table).where(*_THIS_ROW).values(**{name: bindparam(name) for name in _STAMP})
)
_DELETE_ROW = delete(actual_table).where(*_THIS_ROW)


def pending_change(
    batch: Batch,
    key: tuple[str, int],
    outcome: Outcome,
    new: State,
    request: EntryRequest,
    replaces: Revision | None,
) -> Change:
    """The pending write that makes the row of (indicator, year) hold `new`."""
    code, year = key
    params: dict[str, object] = {"gen": batch.generation, "code": code, "year": year}
    if outcome is not Outcome.CLEARED:
        value, reason, comment = new
        revision = request.revision
        made_by = (request.origin or batch.database) if revision is None else revision.database
        params |= {
            "value": value,
            "missing_reason": reason,
            "comment": comment,
            "entered_by": request.entered_by or batch.who,
            "entered_at": request.entered_at or batch.moment,
            "source": batch.source,
            "revision_db": made_by,
            "revision_seq": None if revision is None else revision.sequence,
            "replaces_db": None if replaces is None else replaces.database,
            "replaces_seq": None if replaces is None else replaces.sequence,
        }
    return Change(outcome, params, len(batch.audits) - 1, request.revision is None)


_LAST_AUDIT = select(func.coalesce(func.max(audit_table.c.id), 0))
_INSERT_ROW = insert(actual_table).values(
    generation=bindparam("gen"),
    indicator_code=bindparam("code"),
    fiscal_year=bindparam("year"),
    **{name: bindparam(name) for name in _STAMP},
)


def flush(batch: Batch) -> None:
    """Write the pending audit rows, then the actual rows, each kind in one executemany."""
    if not batch.audits:
        return
    if batch.by_function:
        _through_function(batch)
        return
    numbers: Sequence[int]
    if shared(batch.conn):
        # The server's sequence numbers them: concurrent writers never share a number and
        # never wait for each other's max(); RETURNING gives them back in the rows' order.
        numbers = (
            batch.conn.execute(
                insert(audit_table).returning(audit_table.c.id, sort_by_parameter_order=True),
                batch.audits,
            )
            .scalars()
            .all()
        )
    elif len(batch.audits) == 1:
        # One row (an entry in the window): SQLite numbers it, after the highest number in
        # use, and says which; asking for the highest first was a statement more.
        numbers = [_insert_one(batch.conn, audit_table, batch.audits[0])]
    else:
        # Numbered here, after the highest number in use: SQLite then writes them in one
        # executemany (with RETURNING it would insert them one by one). A writer that got in
        # between makes this transaction fail (a stale snapshot, or the primary key), so a
        # number is never shared.
        last = batch.conn.scalar(_LAST_AUDIT)
        numbers = range(int(last or 0) + 1, int(last or 0) + 1 + len(batch.audits))
        for number, row in zip(numbers, batch.audits, strict=True):
            row["id"] = number
        _insert_many(batch.conn, audit_table, batch.audits)
    for change in batch.changes:
        if change.local and change.outcome is not Outcome.CLEARED:
            change.params["revision_seq"] = numbers[change.audit]
    statements = {
        Outcome.NEW: _INSERT_ROW,
        Outcome.UPDATED: _UPDATE_ROW,
        Outcome.CLEARED: _DELETE_ROW,
    }
    # Runs of the same kind go together; the order between runs is kept (a value entered,
    # cleared and entered again in one batch is an insert, a delete and an insert).
    for outcome, run in groupby(batch.changes, key=lambda change: change.outcome):
        params = [change.params for change in run]
        if outcome is Outcome.NEW:
            if shared(batch.conn):
                # Two writers adding the same new values wait on each other's unique keys: in
                # one order, the second waits and then meets the conflict instead of a
                # deadlock. (A run of inserts never holds the same value twice.)
                params.sort(key=itemgetter("code", "year"))
            _insert_many(batch.conn, actual_table, [_as_columns(p) for p in params])
            continue
        done = batch.conn.execute(statements[outcome], params)
        if shared(batch.conn) and done.rowcount != len(params):
            # Row-level security hides a row this login may not change: the change did not
            # happen, so none of the batch may (the audit rows are already in it).
            raise StoreError(*E_DB_DENIED)
    batch.audits.clear()
    batch.changes.clear()


_PUT_ACTUAL = text(
    "SELECT kplan_put_actual(:generation, :code, :year, :value, :reason, :comment, :seen_row,"
    " :seen_db, :seen_seq, :source, :detail, :request_key, :client_user)"
)


def _through_function(batch: Batch) -> None:
    """The pending changes through the server's write function, one call each, in order.

    The function checks the login's department, the year lock, 確定 and the value's shape
    again, refuses a row that changed since it was read (a conflict: Store.run reads again),
    and writes the audit row itself with the login and the server's clock.
    """
    seen = dict(batch.seen)
    # Rows are locked in one order (a stable sort keeps one value's changes in their order),
    # so two writers of the same values wait for each other instead of deadlocking.
    ordered = sorted(batch.changes, key=lambda c: (str(c.params["code"]), c.params["year"]))
    for change in ordered:
        params = change.params
        key = (str(params["code"]), int(str(params["year"])))
        cleared = change.outcome is Outcome.CLEARED
        before = seen.get(key)
        number = batch.conn.scalar(
            _PUT_ACTUAL,
            {
                "generation": batch.generation,
                "code": key[0],
                "year": key[1],
                "value": None if cleared else params["value"],
                "reason": None if cleared else params["missing_reason"],
                "comment": None if cleared else params["comment"],
                "seen_row": before is not None,
                "seen_db": None if before is None else before[0],
                "seen_seq": None if before is None else before[1],
                "source": batch.source,
                # The audit row's own detail: the batch's, with a dropped comment's note.
                "detail": batch.audits[change.audit]["detail"],
                "request_key": batch.request_key,
                "client_user": batch.who,
            },
        )
        if cleared:
            seen.pop(key, None)
        elif number is not None:
            database = batch.database
            seen[key] = (database, int(number))
    batch.audits.clear()
    batch.changes.clear()


def _as_columns(params: dict[str, object]) -> dict[str, object]:
    row = dict(params)
    row["generation"] = row.pop("gen")
    row["indicator_code"] = row.pop("code")
    row["fiscal_year"] = row.pop("year")
    return row


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, object]]) -> None:
    """Insert rows in one executemany.

    On SQLite the rows go to the driver as they are, with times in the text form SQLAlchemy
    stores: its per-row parameter processing would cost more than SQLite's own insert (see
    the merge benchmark). Other databases take the ordinary Core insert.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    statement, values = _driver_insert(table, rows)
    conn.exec_driver_sql(statement, values)


def _insert_one(conn: Connection, table: Table, row: dict[str, object]) -> int:
    """Insert one row on SQLite (as _insert_many does) and return the row id SQLite gave it."""
    statement, values = _driver_insert(table, [row])
    rowid = conn.exec_driver_sql(statement, values[0]).lastrowid
    assert rowid is not None
    return int(rowid)


def _driver_insert(
    table: Table, rows: list[dict[str, object]]
) -> tuple[str, list[tuple[object, ...]]]:
    """The SQLite driver's INSERT of `rows` (all with the same keys) and its parameters."""
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    pick = itemgetter(*names)
    times = [i for i, name in enumerate(names) if isinstance(table.c[name].type, DateTime)]
    values = []
    for row in rows:
        item = list(pick(row)) if len(names) > 1 else [pick(row)]
        for i in times:
            moment = item[i]
            if isinstance(moment, datetime):
                item[i] = moment.replace(tzinfo=None).isoformat(" ", "microseconds")
        values.append(tuple(item))
    return f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', values
