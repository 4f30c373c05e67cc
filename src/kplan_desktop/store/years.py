"""The fiscal-year lock (年度ロック): the planning division closes a year, and every write to it
is refused — by write_actuals on every backend, and on PostgreSQL by a trigger as well."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, text

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.domain.text import check_free_text
from kplan_desktop.domain.validation import Finding, Severity
from kplan_desktop.store.audit import SOURCES, now, record
from kplan_desktop.store.engine import Store
from kplan_desktop.store.models import year_lock_table

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


def locked_years_in(conn: Connection) -> set[int]:
    """The locked years, read inside the caller's transaction."""
    return set(conn.scalars(select(year_lock_table.c.fiscal_year)))


def locked_years(store: Store) -> set[int]:
    with store.connect() as conn:
        return locked_years_in(conn)


def _check_year(fiscal_year: int) -> None:
    if not _EARLIEST <= fiscal_year <= _LATEST:
        raise DomainError(
            "E_FISCAL_YEAR",
            f"年度が範囲外です: {fiscal_year}",
            f"Fiscal year out of range: {fiscal_year}",
        )


def lock_year(
    store: Store, fiscal_year: int, who: str, *, note: str | None = None, source: str = "cli"
) -> bool:
    """Close a year to every write; False if it already was. Audited."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    _check_year(fiscal_year)
    note = check_free_text(note or "", "メモ", "note").strip()[:2000] or None
    with store.transaction() as conn:
        if store.is_server:
            # Waits for the writers already in flight to commit, and holds new ones until the
            # lock is in: no write to the year can commit after this returns.
            conn.execute(text("LOCK TABLE actual IN SHARE MODE"))
        if fiscal_year in locked_years_in(conn):
            return False
        conn.execute(
            insert(year_lock_table),
            {
                "fiscal_year": fiscal_year,
                "locked_at": now(),
                "locked_by": who,
                "note": note,
            },
        )
        record(
            conn,
            who=who,
            source=source,
            action="year_lock",
            fiscal_year=fiscal_year,
            detail=note,
        )
    return True


def unlock_year(
    store: Store, fiscal_year: int, who: str, reason: str, *, source: str = "cli"
) -> bool:
    """Open a locked year again, saying why; False if it was not locked. Audited."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    _check_year(fiscal_year)
    why = check_free_text(reason, "解除の理由", "reason").strip()[:2000]
    if not why:
        raise DomainError(
            "E_REASON_REQUIRED",
            "ロックを解除する理由を入力してください（--reason）",
            "Give the reason for unlocking the year (--reason)",
        )
    with store.transaction() as conn:
        done = conn.execute(
            delete(year_lock_table).where(year_lock_table.c.fiscal_year == fiscal_year)
        )
        if not done.rowcount:
            return False
        record(
            conn, who=who, source=source, action="year_unlock", fiscal_year=fiscal_year, detail=why
        )
    return True
