"""Plan generations (計画期) as the database holds them: which exist, which one is in use, and
whether a generation may still change.

Every store function that names an indicator, a catalog node or a year takes the generation as
its second argument; callers pass the session's (`Session.generation`), which is the active one
unless the user chose another. A write into a closed generation is refused here, on every
backend, before anything is written; on a server the write functions and the year-lock trigger
refuse it too (migration 0014).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation import (
    Generation,
    GenerationStatus,
    Succession,
    check_next_period,
    check_period_apart,
    generation_of_year,
)
from kplan_desktop.domain.values import canonical, to_decimal
from kplan_desktop.store.audit import as_utc, now, record
from kplan_desktop.store.models import (
    actual_table,
    finalisation_table,
    generation_table,
    indicator_link_table,
    indicator_table,
    meta_table,
    metadata,
    plan_table,
)
from kplan_desktop.store.requests import EntrySource

__all__ = [
    "CATALOG_HASH_KEY",
    "FIRST",
    "GenerationRecord",
    "active_generation",
    "add_generation",
    "catalog_hash_key",
    "choose_generation",
    "generation_closed",
    "generation_record",
    "generations",
    "meet_writers",
    "require_writable",
    "set_generation_status",
    "shown_generations",
    "withdraw_draft",
]

CATALOG_HASH_KEY = "catalog_hash"


def catalog_hash_key(generation: int) -> str:
    """The meta key of a generation's catalog hash (generation 1 keeps the key it always had)."""
    return CATALOG_HASH_KEY if generation == 1 else f"{CATALOG_HASH_KEY}:{generation}"


# The generation every database made before generations holds (migration 0014).
FIRST = 1


@dataclass(frozen=True)
class GenerationRecord:
    """One stored generation: the domain's Generation and its bookkeeping."""

    generation: Generation
    baseline_year: int | None
    created_at: datetime
    created_by: str
    closed_at: datetime | None
    closed_by: str | None
    predecessor: int | None

    @property
    def number(self) -> int:
        return self.generation.number

    @property
    def status(self) -> GenerationStatus:
        return self.generation.status


def _record(row: object) -> GenerationRecord:
    r = row._mapping  # type: ignore[attr-defined]
    start, end = r["start_year"], r["end_year"]
    return GenerationRecord(
        Generation(
            int(r["number"]),
            str(r["name"]),
            0 if start is None else int(start),
            -1 if end is None else int(end),
            GenerationStatus(r["status"]),
        ),
        r["baseline_year"],
        as_utc(r["created_at"]),
        str(r["created_by"]),
        None if r["closed_at"] is None else as_utc(r["closed_at"]),
        r["closed_by"],
        r["predecessor"],
    )


def generations(conn: Connection) -> list[GenerationRecord]:
    """Every generation, oldest first."""
    g = generation_table.c
    return [_record(row) for row in conn.execute(select(generation_table).order_by(g.number))]


# Built once: every write asks it (require_writable), and building a select costs more than
# running it (issue 20's single entry).
_ONE_GENERATION = select(generation_table).where(generation_table.c.number == bindparam("number"))


def generation_record(conn: Connection, generation: int) -> GenerationRecord | None:
    row = conn.execute(_ONE_GENERATION, {"number": generation}).first()
    return None if row is None else _record(row)


def shown_generations(conn: Connection) -> list[GenerationRecord]:
    """The generations a window can show: those with a catalog (a withdrawn draft has none),
    oldest first. One small query: the plan row is a generation's catalog root."""
    g, p = generation_table.c, plan_table.c
    rows = conn.execute(
        select(generation_table).where(g.number.in_(select(p.generation))).order_by(g.number)
    )
    return [_record(row) for row in rows]


def active_generation(conn: Connection) -> int:
    """The generation in use: the newest active one; else the newest that is not a draft
    (a closed plan is still shown); else 1 (a database without generations yet)."""
    g = generation_table.c
    for where in (g.status == GenerationStatus.ACTIVE.value,
                  g.status != GenerationStatus.DRAFT.value):  # fmt: skip
        found = conn.scalar(select(func.max(g.number)).where(where))
        if found is not None:
            return int(found)
    return FIRST


def choose_generation(
    conn: Connection, chosen: str | int | None = None, fiscal_year: int | None = None
) -> int:
    """The generation a command works in: the one named (its number, or its name or label as
    `kplan generation list` prints them); else the one whose period holds `fiscal_year` (in
    FY2027 an R8 year is the old plan's, R9 the new one's; a year outside every period is
    refused); else the active one. A name that matches no generation is refused."""
    known = generations(conn)
    if chosen is not None and str(chosen).strip():
        text_ = str(chosen).strip()
        for r in known:
            if text_ in (str(r.number), r.generation.name, r.generation.label()):
                if fiscal_year is not None and not r.generation.covers(fiscal_year):
                    raise _year_outside(r.generation, fiscal_year)
                return r.number
        shown = text_[:40]
        raise DomainError(
            "E_NO_GENERATION",
            f"計画期 {shown} はこのデータベースにありません"
            "（kplan generation list で番号と名前を確認できます）",
            f"Plan generation {shown} is not in this database "
            "(kplan generation list shows the numbers and names)",
        )
    if fiscal_year is not None:
        dated = [r.generation for r in known if r.generation.end_year >= r.generation.start_year]
        if dated:
            return generation_of_year(dated, fiscal_year).number
    return active_generation(conn)


def _year_outside(generation: Generation, fiscal_year: int) -> DomainError:
    return DomainError(
        "E_YEAR_OUT_OF_GENERATION",
        f"{format_fiscal_year(fiscal_year)}は計画期 {generation.number}（{generation.label()}）"
        "の期間外です",
        f"FY{fiscal_year} is outside plan generation {generation.number} ({generation.label_en()})",
    )


def no_generation(generation: int) -> DomainError:
    return DomainError(
        "E_NO_GENERATION",
        f"計画期 {generation} はありません",
        f"There is no plan generation {generation}",
    )


def generation_closed(generation: int, name: str = "") -> DomainError:
    """E_GENERATION_CLOSED: a closed generation (final evaluation written) is read-only."""
    shown = f"{generation}（{name}）" if name else str(generation)
    shown_en = f"{generation} ({name})" if name else str(generation)
    return DomainError(
        "E_GENERATION_CLOSED",
        f"計画期 {shown} は終了しています（最終評価済み）。変更できません。何も保存していません",
        f"Plan generation {shown_en} is closed (final evaluation written) and cannot change; "
        "nothing was saved",
    )


def require_writable(conn: Connection, generation: int) -> GenerationRecord:
    """The generation, if it exists and is not closed; else a DomainError (nothing written)."""
    return writable_record(
        generation, conn.execute(_ONE_GENERATION, {"number": generation}).first()
    )


def writable_record(generation: int, row: object | None) -> GenerationRecord:
    """require_writable on a generation's row read already (None: no such generation)."""
    if row is None:
        raise no_generation(generation)
    found = _record(row)
    if not found.generation.writable:
        raise generation_closed(generation, found.generation.name)
    return found


def add_generation(
    conn: Connection,
    name: str,
    start_year: int,
    end_year: int,
    *,
    baseline_year: int | None = None,
    predecessor: int | None = None,
    who: str,
    source: EntrySource,
) -> int:
    """A new generation after the last one (a draft until activated); returns its number.

    Its period must start after every earlier generation's ends (a year belongs to one plan).
    """
    name = name.strip()
    if not name:
        raise DomainError(
            "E_GENERATION_NAME",
            "計画期の名前を入力してください",
            "Give the plan generation a name",
        )
    known = generations(conn)
    check_next_period([r.generation for r in known if r.generation.end_year >= 0],
                      start_year, end_year)  # fmt: skip
    if predecessor is not None and predecessor not in {r.number for r in known}:
        raise no_generation(predecessor)
    values = {
        "name": name,
        "start_year": start_year,
        "end_year": end_year,
        "baseline_year": baseline_year,
        "status": GenerationStatus.DRAFT.value,
        "created_at": now(),
        "created_by": who,
        "predecessor": predecessor,
    }
    # A withdrawn draft's number is taken again (its audit rows keep the row alive), so
    # numbers stay in order with no gap a clerk would ask about.
    withdrawn = [r.number for r in known if _withdrawn(r)]
    if withdrawn:
        number = min(withdrawn)
        conn.execute(
            update(generation_table).where(generation_table.c.number == number).values(**values)
        )
    else:
        number = max((r.number for r in known), default=0) + 1
        conn.execute(insert(generation_table).values(number=number, **values))
    record(
        conn,
        who=who,
        source=source,
        action="generation",
        generation=number,
        detail=f"new generation {number}: {name} "
        f"({format_fiscal_year(start_year)}–{format_fiscal_year(end_year)})",
    )
    return number


def receive_generation(
    conn: Connection,
    number: int,
    name: str,
    start_year: int,
    end_year: int,
    *,
    baseline_year: int | None,
    predecessor: int,
    status: GenerationStatus,
    who: str,
    source: EntrySource,
    detail: str,
) -> None:
    """A generation made as the planning division has it (a department receiving the next
    plan's catalog file): under the file's number, which must be the next one here (or a
    withdrawn draft's), after `predecessor`. The caller installs its catalog and links in the
    same transaction."""
    known = generations(conn)
    live = [r for r in known if not _withdrawn(r)]
    expected = max((r.number for r in live), default=0) + 1
    reusable = {r.number for r in known if _withdrawn(r)}
    if number != expected and number not in reusable:
        raise DomainError(
            "E_GENERATION_COLLIDES",
            f"このファイルは第{number}期の計画ですが、このデータベースの次の計画期は第{expected}期"
            "です（番号が合わないため、企画担当課の計画と同じ番号で作れません）。何も変更していません",
            f"The file is of plan generation {number}, but this database's next generation is "
            f"{expected}: it cannot be made under the planning division's number. Nothing was "
            "changed",
        )
    if predecessor not in {r.number for r in live}:
        raise no_generation(predecessor)
    check_next_period([r.generation for r in live if r.generation.end_year >= 0],
                      start_year, end_year)  # fmt: skip
    values = {
        "name": name.strip(),
        "start_year": start_year,
        "end_year": end_year,
        "baseline_year": baseline_year,
        "status": status.value,
        "created_at": now(),
        "created_by": who,
        "predecessor": predecessor,
        "closed_at": None,
        "closed_by": None,
    }
    if number in reusable:
        conn.execute(
            update(generation_table).where(generation_table.c.number == number).values(**values)
        )
    else:
        conn.execute(insert(generation_table).values(number=number, **values))
    record(
        conn,
        who=who,
        source=source,
        action="generation",
        generation=number,
        detail=f"generation {number} received: {name.strip()} "
        f"({format_fiscal_year(start_year)}–{format_fiscal_year(end_year)}, "
        f"after generation {predecessor}, {status.value}) from {detail}",
    )


def _withdrawn(found: GenerationRecord) -> bool:
    """A draft withdrawn by `withdraw_draft`: no period, no catalog, a predecessor."""
    return (
        found.status is GenerationStatus.DRAFT
        and found.predecessor is not None
        and found.generation.end_year < 0
    )


def withdrawn(found: GenerationRecord) -> bool:
    """Whether a generation row is a withdrawn draft (listed nowhere, its number reused)."""
    return _withdrawn(found)


# Rows that make a draft more than a prepared catalog: values, finalisations, submissions,
# evaluations. A draft holding any of them is not withdrawn (nothing entered is ever lost).
_HELD = ("actual", "finalisation", "submission", "measure_evaluation")


def withdraw_draft(
    conn: Connection, generation: int, *, who: str, source: EntrySource
) -> GenerationRecord:
    """Take back a draft next plan that holds no values: its catalog, versions, links, cycles
    and locks are removed and the row keeps only its audit history (the number is reused by
    the next `add_generation`). Anything else is refused and nothing changes."""
    found = generation_record(conn, generation)
    if found is None or _withdrawn(found):
        raise no_generation(generation)
    if found.status is not GenerationStatus.DRAFT or found.predecessor is None:
        raise DomainError(
            "E_NOT_DRAFT",
            f"計画期 {generation}（{found.generation.name}）は準備中ではないため取り下げられません",
            f"Plan generation {generation} ({found.generation.name}) is not a draft and "
            "cannot be withdrawn",
        )
    if any(r.predecessor == generation for r in generations(conn) if not _withdrawn(r)):
        raise DomainError(
            "E_NOT_DRAFT",
            f"計画期 {generation} の次の計画期があるため取り下げられません",
            f"Plan generation {generation} has a later generation and cannot be withdrawn",
        )
    keyed = [
        t
        for t in reversed(metadata.sorted_tables)
        if "generation" in t.c and t.name not in ("audit", "generation")
    ]
    for table in keyed:
        if table.name in _HELD and conn.scalar(
            select(func.count()).select_from(table).where(table.c.generation == generation)
        ):
            raise DomainError(
                "E_DRAFT_HAS_VALUES",
                f"計画期 {generation}（{found.generation.name}）には入力済みの値や提出があるため"
                "取り下げられません。何も変更していません",
                f"Plan generation {generation} ({found.generation.name}) already holds values "
                "or submissions and cannot be withdrawn; nothing was changed",
            )
    link = indicator_link_table.c
    conn.execute(delete(indicator_link_table).where(link.generation == generation))
    for table in keyed:
        if table is not indicator_link_table:
            conn.execute(delete(table).where(table.c.generation == generation))
    conn.execute(delete(meta_table).where(meta_table.c.key == catalog_hash_key(generation)))
    conn.execute(
        update(generation_table)
        .where(generation_table.c.number == generation)
        .values(start_year=None, end_year=None, baseline_year=None)
    )
    record(
        conn,
        who=who,
        source=source,
        action="generation",
        generation=generation,
        detail=f"generation {generation}: draft withdrawn ({found.generation.name})",
    )
    return found


# A year's row of the write gate (migration 0013/0014), as a year lock updates it.
_GATE = text(
    "INSERT INTO kplan_write_gate (generation, department_code, fiscal_year, changed_at)"
    " VALUES (:g, '', :y, clock_timestamp())"
    " ON CONFLICT (generation, department_code, fiscal_year)"
    " DO UPDATE SET changed_at = EXCLUDED.changed_at"
)


def meet_writers(conn: Connection, found: GenerationRecord) -> None:
    """On a server: meet every write in flight on the write gate's rows of the generation's
    years (as a year lock does); what is written after sees the change this transaction makes."""
    if conn.dialect.name != "postgresql":
        return
    for year in range(found.generation.start_year, found.generation.end_year + 1):
        conn.execute(_GATE, {"g": found.number, "y": year})


def set_generation_status(
    conn: Connection,
    generation: int,
    status: GenerationStatus,
    *,
    who: str,
    source: EntrySource,
) -> bool:
    """Make a generation active or closed (or a draft again); False when it already was. A
    closed generation is never opened again (E_GENERATION_CLOSED).

    On a server, closing meets every write in flight on the write gate's rows of the
    generation's years (as a year lock does), so no write lands in it afterwards.
    """
    found = generation_record(conn, generation)
    if found is None:
        raise no_generation(generation)
    if found.status is status:
        return False
    if found.status is GenerationStatus.CLOSED:
        # A closed plan stays closed: its final evaluation has been published.
        raise generation_closed(generation, found.generation.name)
    meet_writers(conn, found)
    closing = status is GenerationStatus.CLOSED
    # The audit row first: once closed, the generation's audit log takes no row (migration
    # 0016), so the closing is its last.
    record(
        conn,
        who=who,
        source=source,
        action="generation",
        generation=generation,
        detail=f"generation {generation}: {found.status.value} → {status.value}",
    )
    conn.execute(
        update(generation_table)
        .where(generation_table.c.number == generation)
        .values(
            status=status.value,
            closed_at=now() if closing else None,
            closed_by=who if closing else None,
        )
    )
    return True


def sync_period(
    conn: Connection, generation: int, name: str, start: int, end: int, baseline: int
) -> None:
    """The generation's name and period follow its catalog's plan (replace_catalog); a period
    that would share a year with another generation's is refused (nothing is kept: the caller's
    transaction rolls back)."""
    check_period_apart([r.generation for r in generations(conn) if r.number != generation],
                       start, end)  # fmt: skip
    conn.execute(
        update(generation_table)
        .where(generation_table.c.number == generation)
        .values(name=name, start_year=start, end_year=end, baseline_year=baseline)
    )


def link_indicator(
    conn: Connection,
    generation: int,
    code: str,
    prior_generation: int,
    prior_code: str,
    kind: Succession,
    *,
    pending_base_year: int | None = None,
    linked: Decimal | None = None,
) -> None:
    """Record that `code` of `generation` continues (or replaces) `prior_code` of the generation
    before; a decision made again replaces the link it made. `pending_base_year`: the new
    baseline follows the old plan's final value of that year (fill_pending_baselines);
    `linked`: the baseline taken from it already (None: pending)."""
    if kind is Succession.END:
        raise ValueError("an ended indicator has no link")
    link = indicator_link_table.c
    conn.execute(
        delete(indicator_link_table).where(
            link.generation == generation,
            link.prior_generation == prior_generation,
            (link.code == code) | (link.prior_code == prior_code),
        )
    )
    conn.execute(
        insert(indicator_link_table).values(
            generation=generation,
            code=code,
            prior_generation=prior_generation,
            prior_code=prior_code,
            kind=kind.value,
            pending_base_year=pending_base_year,
            linked_baseline=None if linked is None else canonical(linked),
        )
    )


def unlink_prior(conn: Connection, generation: int, prior_generation: int, prior_code: str) -> None:
    """Forget the link a decision on `prior_code` made (it ends after all)."""
    link = indicator_link_table.c
    conn.execute(
        delete(indicator_link_table).where(
            link.generation == generation,
            link.prior_generation == prior_generation,
            link.prior_code == prior_code,
        )
    )


def unlink_removed(conn: Connection, generation: int, codes: list[str]) -> None:
    """Indicators `codes` leave `generation`'s catalog (an edit, an import): the links that
    name them, as a later plan's indicator or as the one it continued, go with them — the
    series ends there, as an ended indicator's does."""
    if not codes:
        return
    link = indicator_link_table.c
    conn.execute(
        delete(indicator_link_table).where(
            ((link.generation == generation) & link.code.in_(codes))
            | ((link.prior_generation == generation) & link.prior_code.in_(codes))
        )
    )


@dataclass(frozen=True)
class IndicatorLink:
    code: str
    prior_generation: int
    prior_code: str
    kind: Succession
    # The base year whose actual the new baseline still waits for (None: nothing pending).
    pending_base_year: int | None = None


def indicator_links(conn: Connection, generation: int) -> list[IndicatorLink]:
    """The generation's indicators that continue or replace one of an earlier generation."""
    link = indicator_link_table.c
    rows = conn.execute(
        select(link.code, link.prior_generation, link.prior_code, link.kind, link.pending_base_year)
        .where(link.generation == generation)
        .order_by(link.code)
    )
    return [IndicatorLink(c, int(g), p, Succession(k), y) for c, g, p, k, y in rows]


@dataclass(frozen=True)
class PendingBaseline:
    """A later generation's continuing indicator whose baseline follows the final value of an
    actual of this one: the later generation and code, this generation's code, the base year
    and the baseline last taken from it (None: still pending, "not set")."""

    generation: int
    code: str
    prior_code: str
    base_year: int
    linked: Decimal | None = None


def pending_baselines(conn: Connection, prior_generation: int) -> list[PendingBaseline]:
    """The baselines of later generations that wait for, or follow, a final value of
    `prior_generation`."""
    link = indicator_link_table.c
    rows = conn.execute(
        select(
            link.generation,
            link.code,
            link.prior_code,
            link.pending_base_year,
            link.linked_baseline,
        )
        .where(link.prior_generation == prior_generation, link.pending_base_year.is_not(None))
        .order_by(link.generation, link.code)
    )
    return [
        PendingBaseline(int(g), c, p, int(y), None if v is None else Decimal(v))
        for g, c, p, y, v in rows
    ]


def clear_pending(conn: Connection, generation: int, code: str) -> None:
    """The baseline of `code` (of `generation`) follows the link no longer: typed by hand."""
    link = indicator_link_table.c
    conn.execute(
        update(indicator_link_table)
        .where(link.generation == generation, link.code == code)
        .values(pending_base_year=None, linked_baseline=None)
    )


def set_linked(conn: Connection, generation: int, code: str, value: Decimal) -> None:
    """The baseline of `code` was taken from the link: `value` (it goes on following it)."""
    link = indicator_link_table.c
    conn.execute(
        update(indicator_link_table)
        .where(link.generation == generation, link.code == code)
        .values(linked_baseline=canonical(value))
    )


def final_values(
    conn: Connection, generation: int, codes: Iterable[str]
) -> dict[str, dict[int, Decimal | None]]:
    """The FINAL values of `generation`'s indicators `codes`, by code and year: a value is
    final when it was merged (its source is a merge) or its department's year is finalised
    (確定). A value merely entered is not (it may still change). The one rule a continuing
    indicator's baseline is taken by (the CLI, the wizard, a merge, a 確定, the closing)."""
    wanted = list(codes)
    if not wanted:
        return {}
    a, i, f = actual_table.c, indicator_table.c, finalisation_table.c
    finalised = {
        (d, y)
        for d, y in conn.execute(
            select(f.department_code, f.fiscal_year).where(f.generation == generation)
        )
    }
    rows = conn.execute(
        select(a.indicator_code, a.fiscal_year, a.value, a.source, i.department_code)
        .join(indicator_table, (i.generation == a.generation) & (i.code == a.indicator_code))
        .where(a.generation == generation, a.indicator_code.in_(wanted))
    )
    found: dict[str, dict[int, Decimal | None]] = {}
    for code, year, value, source, department in rows:
        if source == EntrySource.MERGE.value or (department, year) in finalised:
            found.setdefault(code, {})[int(year)] = None if value is None else to_decimal(value)
    return found
