"""The fiscal-year lock (年度ロック): the planning division closes a year, and every write to it
is refused — by write_actuals on every backend, and on PostgreSQL by a trigger as well."""

from __future__ import annotations

import threading

from sqlalchemy import Connection, bindparam, delete, insert, select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.domain.text import check_free_text
from kplan_desktop.domain.validation import Finding, Severity
from kplan_desktop.store.audit import SOURCES, now, record
from kplan_desktop.store.engine import StoreError, aside
from kplan_desktop.store.generations import require_writable
from kplan_desktop.store.models import year_lock_table
from kplan_desktop.store.requests import EntrySource

__all__ = ["lock_year", "locked_finding", "locked_years", "locked_years_in", "unlock_year"]

_EARLIEST, _LATEST = 1900, 2200


def _label(fiscal_year: int) -> str:
    try:
        return format_fiscal_year(fiscal_year, FiscalYearStyle.ERA_WITH_WESTERN)
    except DomainError:
        return f"{fiscal_year}年度"


def locked_finding(fiscal_year: int) -> Finding:
    """Why a write to a locked year is refused."""
    return Finding(
        "E_LOCKED_YEAR",
        Severity.ERROR,
        f"{_label(fiscal_year)}は締め切られています（年度ロック）。変更できません"
        "（企画担当課がロックを解除すると変更できます）",
        f"FY{fiscal_year} is locked and cannot change (the planning division can unlock it)",
    )


_LOCKED_YEARS = select(year_lock_table.c.fiscal_year).where(
    year_lock_table.c.generation == bindparam("generation")
)


def locked_years_in(conn: Connection, generation: int) -> set[int]:
    """The generation's locked years, read inside the caller's transaction."""
    return set(conn.scalars(_LOCKED_YEARS, {"generation": generation}))


def locked_years(conn: Connection, generation: int) -> set[int]:
    return locked_years_in(conn, generation)


def _check_year(fiscal_year: int) -> None:
    if not _EARLIEST <= fiscal_year <= _LATEST:
        raise DomainError(
            "E_FISCAL_YEAR",
            f"年度が範囲外です: {fiscal_year}",
            f"Fiscal year out of range: {fiscal_year}",
        )


# The year's row every write to it holds FOR SHARE until it commits (migration 0013).
_GATE = text(
    "INSERT INTO kplan_write_gate (generation, department_code, fiscal_year, changed_at)"
    " VALUES (:g, '', :y, clock_timestamp())"
    " ON CONFLICT (generation, department_code, fiscal_year)"
    " DO UPDATE SET changed_at = EXCLUDED.changed_at"
)


# Who holds up a session: its blockers' logins and process ids (see `kplan server sessions`).
_BLOCKERS = text(
    "SELECT usename, pid FROM pg_stat_activity WHERE pid = ANY (pg_blocking_pids(:pid))"
    " ORDER BY pid"
)


def _meet_writers(conn: Connection, generation: int, fiscal_year: int) -> str:
    """On a server: wait for the writes to the year in flight, and make every write whose
    snapshot is older than this change fail (it runs again and meets the lock). Only this
    year's writers are waited for. Returns the login, who the server knows made the change.

    A write held open longer than the lock timeout (a clerk idling inside a transaction) is
    named in the refusal, with its process id for `kplan server sessions --terminate`."""
    me = int(conn.scalar(text("SELECT pg_backend_pid()")) or 0)
    seen: list[tuple[str, int]] = []
    stop = threading.Event()

    def watch() -> None:
        # Another connection asks whom this one waits for, while it waits.
        if stop.wait(0.5):
            return
        try:
            seen.extend((str(row[0]), int(row[1])) for row in aside(conn, _BLOCKERS, {"pid": me}))
        except SQLAlchemyError:
            return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        conn.execute(_GATE, {"g": generation, "y": fiscal_year})
    except OperationalError as exc:
        state = str(getattr(exc.orig, "sqlstate", None) or "")
        watcher.join(5)
        if state != "55P03" or not seen:
            raise
        names = ", ".join(f"{user} (PID {pid})" for user, pid in seen)
        raise StoreError(
            "E_YEAR_LOCK_BLOCKED",
            f"{_label(fiscal_year)}に保存中のままのセッションがあるため、ロックできません: "
            f"{names}。kplan server sessions で確認し、必要なら --terminate PID で終了してください",
            f"FY{fiscal_year} cannot be locked: a session holds a save to it open: {names}. "
            "See kplan server sessions, and end it with --terminate PID if need be",
        ) from None
    finally:
        stop.set()
    return str(conn.scalar(text("SELECT session_user")))


def lock_year(
    conn: Connection,
    generation: int,
    fiscal_year: int,
    who: str,
    *,
    note: str | None = None,
    source: EntrySource = EntrySource.CLI,
) -> bool:
    """Close a year of a generation to every write; False if it already was. Audited."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    _check_year(fiscal_year)
    require_writable(conn, generation)
    note = check_free_text(note or "", "メモ", "note").strip()[:2000] or None
    # On a server the login locks the year (the PC's user goes to the audit as a note).
    on_server = conn.dialect.name == "postgresql"
    locked_by = _meet_writers(conn, generation, fiscal_year) if on_server else who
    if fiscal_year in locked_years_in(conn, generation):
        return False
    conn.execute(
        insert(year_lock_table),
        {
            "generation": generation,
            "fiscal_year": fiscal_year,
            "locked_at": now(),
            "locked_by": locked_by,
            "note": note,
        },
    )
    record(
        conn,
        who=who,
        source=source,
        action="year_lock",
        generation=generation,
        fiscal_year=fiscal_year,
        detail=note,
    )
    return True


def unlock_year(
    conn: Connection,
    generation: int,
    fiscal_year: int,
    who: str,
    reason: str,
    *,
    source: EntrySource = EntrySource.CLI,
) -> bool:
    """Open a locked year of a generation again, saying why; False if it was not locked.
    Audited. A closed generation's years stay locked."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    _check_year(fiscal_year)
    require_writable(conn, generation)
    why = check_free_text(reason, "解除の理由", "reason").strip()[:2000]
    if not why:
        raise DomainError(
            "E_REASON_REQUIRED",
            "ロックを解除する理由を入力してください（--reason）",
            "Give the reason for unlocking the year (--reason)",
        )
    if conn.dialect.name == "postgresql":
        _meet_writers(conn, generation, fiscal_year)
    y = year_lock_table.c
    done = conn.execute(
        delete(year_lock_table).where(y.generation == generation, y.fiscal_year == fiscal_year)
    )
    if not done.rowcount:
        return False
    record(
        conn,
        who=who,
        source=source,
        action="year_unlock",
        generation=generation,
        fiscal_year=fiscal_year,
        detail=why,
    )
    return True
