"""A department receives the next plan (s8 trial finding 4): the planning division's catalog
file of a generation carries the generation itself (domain.issued_plan) — its number, status,
the plan before it and every indicator's link — and importing it into a database that does not
hold that generation makes it, under the same number and with the same links, so that a
continuing indicator's history crosses the plan boundary on the department's PC too.

Refused whole, nothing changed: a file whose hand-over data or catalog was changed after export
(its digest), a file without a version, a plan that does not follow this database's plan (its
predecessor's plan code or period differ, or an indicator it continues is not there: another
city's plan), and a number this database already uses for another plan.

On a department's PC the links do not wait for final values: its own 確定 never changes the
planning division's catalog (which would fork it); the baseline comes with the planning
division's next catalog version.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, select

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation import GenerationStatus, Succession
from kplan_desktop.domain.issued_plan import E_LINEAGE, IssuedLink, IssuedPlan, PriorPlan
from kplan_desktop.store.audit import record as audit_record
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.generations import (
    generation_record,
    link_indicator,
    receive_generation,
    set_generation_status,
    unlink_prior,
    withdrawn,
)
from kplan_desktop.store.models import indicator_link_table, plan_table
from kplan_desktop.store.requests import EntrySource

E_COLLIDES = "E_GENERATION_COLLIDES"
E_OTHER_PLAN = "E_PLAN_PREDECESSOR"


def issued_plan_of(conn: Connection, generation: int) -> IssuedPlan | None:
    """What a catalog file of `generation` carries about it; None for a generation that follows
    no other (the first plan: its files are as they always were)."""
    found = generation_record(conn, generation)
    if found is None or found.predecessor is None:
        return None
    prior = generation_record(conn, found.predecessor)
    code = conn.scalar(
        select(plan_table.c.code).where(plan_table.c.generation == found.predecessor)
    )
    if prior is None or code is None:
        return None
    link = indicator_link_table.c
    rows = conn.execute(
        select(link.code, link.prior_code, link.kind, link.pending_base_year, link.linked_baseline)
        .where(link.generation == generation, link.prior_generation == found.predecessor)
        .order_by(link.code)
    )
    links = tuple(
        IssuedLink(
            c, p, Succession(k), None if y is None else int(y), None if v is None else Decimal(v)
        )
        for c, p, k, y, v in rows
    )
    g = prior.generation
    return IssuedPlan(
        generation,
        found.status,
        PriorPlan(g.number, str(code), g.name, g.start_year, g.end_year),
        links,
    )


def forged(file: str) -> DomainError:
    return DomainError(
        E_LINEAGE,
        f"「{file}」は読み込めません: 計画期の引継ぎ情報かカタログが書き出しの後で変更されています"
        "（またはカタログの版がありません）。企画担当課から書き出したファイルをそのまま読み込んで"
        "ください。何も変更していません",
        f"Cannot read {file}: its plan generation hand-over data or its catalog was changed after "
        "export (or it carries no catalog version); import the file exactly as the planning "
        "division exported it. Nothing was changed",
    )


def _other_plan(file: str, ja: str, en: str) -> DomainError:
    return DomainError(
        E_OTHER_PLAN,
        f"「{file}」は読み込めません: このファイルの計画は、このデータベースの計画の次の計画では"
        f"ありません（{ja}）。別の団体・別のデータベースの計画の可能性があります。何も変更していません",
        f"Cannot read {file}: its plan does not follow this database's plan ({en}); it may be "
        "another city's or another database's plan. Nothing was changed",
    )


def _plan_code(conn: Connection, generation: int) -> str | None:
    return conn.scalar(select(plan_table.c.code).where(plan_table.c.generation == generation))


def check_same_plan(conn: Connection, plan: IssuedPlan, plan_code: str, file: str) -> None:
    """A file of a generation this database holds: it must be the same plan (same plan code,
    same predecessor), else the numbers collide and the file is refused."""
    found = generation_record(conn, plan.number)
    assert found is not None
    ours = _plan_code(conn, plan.number)
    prior = None if plan.predecessor is None else plan.predecessor.number
    if ours == plan_code and found.predecessor == prior:
        return
    shown = found.generation.label()
    raise DomainError(
        E_COLLIDES,
        f"「{file}」は読み込めません: このファイルの第{plan.number}期は、このデータベースの"
        f"第{plan.number}期（{shown}）とは別の計画です（計画コード {plan_code} / {ours or '—'}）。"
        "何も変更していません",
        f"Cannot read {file}: its plan generation {plan.number} is another plan than this "
        f"database's generation {plan.number} ({found.generation.label_en()}; plan code "
        f"{plan_code} / {ours or '—'}). Nothing was changed",
    )


def check_receivable(conn: Connection, plan: IssuedPlan, file: str) -> None:
    """The file's generation may be made here: it follows this database's plan (the same plan
    code and period as the planning division's predecessor) and every indicator it continues
    or replaces is one of that plan's. The number is checked when it is made."""
    prior = plan.predecessor
    if prior is None:
        raise _other_plan(file, "前の計画期がありません", "it names no plan before it")
    found = generation_record(conn, prior.number)
    if found is None or withdrawn(found):
        raise _other_plan(
            file,
            f"前の計画期 第{prior.number}期（{prior.name}）がこのデータベースにありません",
            f"its preceding generation {prior.number} ({prior.name}) is not in this database",
        )
    g = found.generation
    code = _plan_code(conn, prior.number)
    if code != prior.plan_code or (g.start_year, g.end_year) != (prior.start_year, prior.end_year):
        period = f"{format_fiscal_year(prior.start_year)}〜{format_fiscal_year(prior.end_year)}"
        raise _other_plan(
            file,
            f"前の計画期はファイルでは {prior.plan_code}（{prior.name}、{period}）、"
            f"このデータベースでは {code or '—'}（{g.label()}）",
            f"the plan before is {prior.plan_code} ({prior.name}, FY{prior.start_year}–"
            f"FY{prior.end_year}) in the file, {code or '—'} ({g.label_en()}) here",
        )
    catalog = read_catalog(conn, prior.number)
    held = set() if catalog is None else {i.code for _, _, _, i in catalog.indicators()}
    missing = sorted({link.prior_code for link in plan.links} - held)
    if missing:
        shown = ", ".join(missing[:5])
        raise _other_plan(
            file,
            f"引き継ぐ指標が前の計画期にありません: {shown}",
            f"indicators it carries over are not in the plan before: {shown}",
        )


def make_received(
    conn: Connection,
    plan: IssuedPlan,
    name: str,
    start_year: int,
    end_year: int,
    baseline_year: int,
    *,
    who: str,
    source: EntrySource,
    file: str,
) -> None:
    """The generation row, before its catalog is installed (same transaction)."""
    assert plan.predecessor is not None
    # A plan closed at the planning division is received in force: it is closed here by its
    # own final evaluation, never by a file.
    status = GenerationStatus.DRAFT if plan.status is GenerationStatus.DRAFT else (
        GenerationStatus.ACTIVE
    )  # fmt: skip
    receive_generation(conn, plan.number, name, start_year, end_year,
                       baseline_year=baseline_year, predecessor=plan.predecessor.number,
                       status=status, who=who, source=source, detail=file)  # fmt: skip


def news(conn: Connection, plan: IssuedPlan) -> bool:
    """Whether importing the file would change the held generation's links or put it in force
    (so that an unchanged catalog still has something to import)."""
    if plan.predecessor is None:
        return False
    link = indicator_link_table.c
    held = {
        (str(c), str(p), str(k))
        for c, p, k in conn.execute(
            select(link.code, link.prior_code, link.kind).where(
                link.generation == plan.number, link.prior_generation == plan.predecessor.number
            )
        )
    }
    found = generation_record(conn, plan.number)
    drafted = found is not None and found.status is GenerationStatus.DRAFT
    return held != {(x.code, x.prior_code, x.kind.value) for x in plan.links} or (
        drafted and plan.status is not GenerationStatus.DRAFT
    )


def take_links(
    conn: Connection, plan: IssuedPlan, *, who: str, source: EntrySource, file: str
) -> int:
    """The generation's links as the file has them (after its catalog is installed): links the
    file drops are forgotten, new ones recorded, unchanged ones left as they are (a planning
    division re-importing its own file keeps its pending baselines). On a received generation
    a link follows no final value here (see the module's note). Returns how many changed; a
    draft the file says is in force is put in force."""
    assert plan.predecessor is not None
    prior = plan.predecessor.number
    link = indicator_link_table.c
    held = {
        (c, p, k)
        for c, p, k in conn.execute(
            select(link.code, link.prior_code, link.kind).where(
                link.generation == plan.number, link.prior_generation == prior
            )
        )
    }
    wanted = {(x.code, x.prior_code, x.kind.value): x for x in plan.links}
    dropped = held - set(wanted)
    added = [x for key, x in wanted.items() if key not in held]
    for _code, prior_code, _kind in sorted(dropped):
        unlink_prior(conn, plan.number, prior, prior_code)
    for x in added:
        link_indicator(conn, plan.number, x.code, prior, x.prior_code, x.kind,
                       linked=x.linked_baseline)  # fmt: skip
    changed = len(dropped) + len(added)
    if changed:
        audit_record(
            conn,
            who=who,
            source=source,
            action="generation",
            generation=plan.number,
            detail=f"generation {plan.number}: indicator links received from {file} "
            f"(+{len(added)} −{len(dropped)})",
        )
    found = generation_record(conn, plan.number)
    if (
        found is not None
        and found.status is GenerationStatus.DRAFT
        and plan.status is not GenerationStatus.DRAFT
    ):
        set_generation_status(conn, plan.number, GenerationStatus.ACTIVE, who=who, source=source)
    return changed
