"""The append-only audit log: every change, old → new, who, when, from where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from kplan_desktop.domain.audit_words import REDO_NOTE, UNDO_NOTE
from kplan_desktop.store.models import audit_table
from kplan_desktop.store.requests import EntrySource, current_user

__all__ = ["AuditEntry", "as_utc", "audit_log", "current_user", "last_change", "now", "record"]

SOURCES = frozenset(EntrySource)
# The detail of the rows an undo or a redo in the window writes (the listing names them
# 取り消し / やり直し rather than as a plain entry).
UNDO_DETAIL = UNDO_NOTE
REDO_DETAIL = REDO_NOTE


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything this program writes is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def audit_row(
    *,
    who: str,
    source: EntrySource,
    action: str,
    generation: int | None = None,
    indicator_code: str | None = None,
    fiscal_year: int | None = None,
    old: tuple[str | None, str | None, str | None] = (None, None, None),
    new: tuple[str | None, str | None, str | None] = (None, None, None),
    detail: str | None = None,
    at: datetime | None = None,
    request_key: str | None = None,
) -> dict[str, object]:
    """The columns of one audit row: (value, reason, comment) old and new.

    request_key: the write's idempotency key (see Store.run); on a server the audit row's
    `who` and `at` are the login and the server's clock whatever is given here.
    generation: the plan generation the change belongs to (None: a change of what every
    generation shares — departments, keys — recorded under generation 1).
    """
    return {
        "generation": 1 if generation is None else generation,
        "at": at or now(),
        "who": who,
        "source": source,
        "action": action,
        "indicator_code": indicator_code,
        "fiscal_year": fiscal_year,
        "old_value": old[0],
        "old_reason": old[1],
        "old_comment": old[2],
        "new_value": new[0],
        "new_reason": new[1],
        "new_comment": new[2],
        "detail": detail,
        "request_key": request_key,
    }


def record(conn: Connection, **columns: Any) -> int:
    """Add one audit row (the arguments of audit_row) to the caller's transaction.

    Returns the row's number, which is also the sequence of the revision the change makes.
    """
    done = conn.execute(insert(audit_table), audit_row(**columns))
    key = done.inserted_primary_key
    assert key is not None
    return int(key[0])


@dataclass(frozen=True)
class AuditEntry:
    """One audit row as the rest of the program reads it."""

    id: int
    at: datetime
    who: str
    source: str
    action: str
    indicator_code: str | None
    fiscal_year: int | None
    old_value: str | None
    new_value: str | None
    old_reason: str | None
    new_reason: str | None
    old_comment: str | None
    new_comment: str | None
    detail: str | None
    request_key: str | None = None
    client_user: str | None = None
    generation: int = 1


def audit_log(
    conn: Connection, indicator_code: str | None = None, *, generation: int | None = None
) -> list[AuditEntry]:
    """The audit rows, oldest first: of one indicator of `generation` (every generation's when
    None), or all of them."""
    query = select(audit_table).order_by(audit_table.c.id)
    if indicator_code is not None:
        query = query.where(audit_table.c.indicator_code == indicator_code)
    if generation is not None:
        query = query.where(audit_table.c.generation == generation)
    return [
        AuditEntry(**{**row, "at": as_utc(row["at"])}) for row in conn.execute(query).mappings()
    ]


def last_change(conn: Connection) -> tuple[int, int]:
    """How many audit rows there are and the newest's number: changes whenever anyone saves.

    Both, because on a server a transaction that took a smaller number can commit later.
    """
    row = conn.execute(
        select(func.count(), func.coalesce(func.max(audit_table.c.id), 0)).select_from(audit_table)
    ).one()
    return int(row[0]), int(row[1])


def last_value_entry(
    conn: Connection, generation: int, indicator_code: str, fiscal_year: int
) -> AuditEntry | None:
    """The audit row of the last write of one value (an entry, a clearing, a merge), or None."""
    a = audit_table.c
    row = (
        conn.execute(
            select(audit_table)
            .where(
                a.generation == generation,
                a.indicator_code == indicator_code,
                a.fiscal_year == fiscal_year,
                a.action.in_(("enter", "clear")),
            )
            .order_by(a.id.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return None if row is None else AuditEntry(**{**row, "at": as_utc(row["at"])})
