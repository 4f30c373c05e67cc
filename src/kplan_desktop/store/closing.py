"""Closing a plan generation (最終評価 written): whether it may close, and the closing itself.

A generation closes once every department that reports in it has its last year in: finalised
here (確定) or merged from a finalised submission. Closing makes the generation read-only
(`generations.require_writable` in the store; on a server the triggers of migration 0015).
The caller writes the final evaluation between `check_closable` and `mark_closed`, inside the
same transaction, so the workbook shows exactly what was closed.
"""

from __future__ import annotations

from sqlalchemy import Connection

from kplan_desktop.domain.errors import DomainError, no_catalog
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation import GenerationStatus
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.cycle import DepartmentStatus, Status, department_statuses
from kplan_desktop.store.generations import (
    GenerationRecord,
    generation_closed,
    generation_record,
    meet_writers,
    no_generation,
    set_generation_status,
)
from kplan_desktop.store.requests import EntrySource

__all__ = ["CLOSED_ENOUGH", "check_closable", "closing_blockers", "mark_closed"]

# A department's last year counts as in once it is finalised here or merged from a final file.
CLOSED_ENOUGH = frozenset({Status.FINALISED, Status.MERGED})


def closing_blockers(conn: Connection, generation: int) -> list[DepartmentStatus]:
    """The departments whose last year of the generation is not finalised or merged yet."""
    found = generation_record(conn, generation)
    if found is None:
        raise no_generation(generation)
    catalog = read_catalog(conn, generation)
    if catalog is None:
        raise no_catalog()
    last = found.generation.end_year
    return [s for s in department_statuses(conn, generation, catalog, last)
            if s.status not in CLOSED_ENOUGH]  # fmt: skip


def _not_in_force(found: GenerationRecord) -> DomainError:
    return DomainError(
        "E_GENERATION_NOT_ACTIVE",
        f"計画期 {found.number}（{found.generation.name}）は準備中です。"
        "実施中の計画期だけを終了できます。何も変更していません",
        f"Plan generation {found.number} ({found.generation.name}) is a draft; only a "
        "generation in force can be closed. Nothing was changed",
    )


def check_closable(conn: Connection, generation: int) -> GenerationRecord:
    """The generation, if it may close now; else a DomainError naming why (nothing written).

    On a server the write gate's rows of the generation's years are met first, so no write in
    flight lands after the check (the closing in the same transaction then holds them)."""
    found = generation_record(conn, generation)
    if found is None:
        raise no_generation(generation)
    if found.status is GenerationStatus.CLOSED:
        raise generation_closed(generation, found.generation.name)
    if found.status is GenerationStatus.DRAFT:
        raise _not_in_force(found)
    meet_writers(conn, found)
    blockers = closing_blockers(conn, generation)
    if blockers:
        last = found.generation.end_year
        ja = "、".join(f"{s.name}（{s.status.label('ja')}）" for s in blockers)
        en = ", ".join(f"{s.code} ({s.status.label('en')})" for s in blockers)
        raise DomainError(
            "E_GENERATION_NOT_COMPLETE",
            f"{format_fiscal_year(last)}（計画の最終年度）の実績が確定・取り込みされていない課が"
            f"あるため、計画期 {generation} を終了できません。何も変更していません: {ja}",
            f"Plan generation {generation} cannot close: the actuals of its last year "
            f"(FY{last}) are not finalised or merged for {len(blockers)} department(s); "
            f"nothing was changed: {en}",
        )
    return found


def mark_closed(conn: Connection, generation: int, *, who: str, source: EntrySource) -> None:
    """The generation closed (read-only from now on), with its audit row."""
    set_generation_status(conn, generation, GenerationStatus.CLOSED, who=who, source=source)
