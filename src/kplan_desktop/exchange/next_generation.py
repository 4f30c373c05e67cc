"""Starting the next plan generation from the current one (issue 17 step 2): its draft catalog
copied from the current one, each indicator decided (continue, replace, end), new indicators
added, and the generation made active. Each use case is one transaction; the draft's catalog
becomes a new catalog version of its generation at every change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection

from kplan_desktop.domain.catalog import Catalog, Indicator
from kplan_desktop.domain.catalog_edit import (
    find_indicator,
    replace_indicator,
    typed_target,
    with_target,
)
from kplan_desktop.domain.errors import DomainError, no_catalog
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation import (
    GenerationStatus,
    Succession,
    SuccessionDecision,
    add_to_draft,
    apply_decision,
    default_decision,
    map_indicators,
    next_draft,
    proposed_baseline,
    set_baseline,
)
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.catalog_files import install_catalog, read_catalog_file
from kplan_desktop.exchange.catalog_json import catalog_hash, dumps
from kplan_desktop.progress import CancelCheck, Progress, check_cancel
from kplan_desktop.store.audit import record as audit_record
from kplan_desktop.store.catalog import read_catalog, replace_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.generations import (
    GenerationRecord,
    add_generation,
    clear_pending,
    final_values,
    generation_record,
    link_indicator,
    no_generation,
    pending_baselines,
    set_generation_status,
    set_linked,
    unlink_prior,
    withdraw_draft,
)
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.server import login_role


def _draft(conn: Connection, generation: int) -> tuple[GenerationRecord, Catalog]:
    """A draft generation with a predecessor, and its catalog; refused otherwise."""
    found = generation_record(conn, generation)
    if found is None:
        raise no_generation(generation)
    if found.status is not GenerationStatus.DRAFT or found.predecessor is None:
        raise DomainError(
            "E_NOT_DRAFT",
            f"計画期 {generation} は準備中ではありません"
            "（指標の引き継ぎは準備中の計画期だけで決めます）",
            f"Plan generation {generation} is not a draft (indicators are carried over only "
            "while the next plan is being prepared)",
        )
    catalog = read_catalog(conn, generation)
    if catalog is None:
        raise no_catalog()
    return found, catalog


def _save(
    conn: Connection,
    generation: int,
    catalog: Catalog,
    *,
    who: str,
    source: EntrySource,
    detail: str,
) -> None:
    replace_catalog(
        conn,
        generation,
        catalog,
        catalog_hash(catalog),
        who=who,
        source=source,
        detail=detail,
        content=dumps(catalog),
    )


def start_next_generation(
    store: Store,
    *,
    from_generation: int,
    name: str,
    start_year: int,
    end_year: int,
    baseline_year: int,
    who: str,
    source: EntrySource,
) -> Created:
    """A new draft generation after `from_generation`, its catalog copied from that one's
    (every target 未設定): the generation made and every indicator's baseline. Every indicator
    takes the default decision (continued, linked, its baseline following the base year's
    final value — as the wizard shows it) until decided otherwise (`decide_succession`)."""
    plan = NextPlan(from_generation, name, start_year, end_year, baseline_year, ())
    return create_next_generation(store, plan, who=who, source=source)


@dataclass(frozen=True)
class Decided:
    """What a decision did: the decision as applied and a continuing indicator's baseline
    (None: not set, the base year's actual is not in yet)."""

    decision: SuccessionDecision
    baseline: Decimal | None
    target: Decimal | None = None  # the new plan's target typed with the decision


# Where the planning division sets a unit before typing a target (the CLI's words).
UNIT_HINT = ("カタログの編集、または kplan catalog export / import", "the catalog editor, or kplan "
             "catalog export / import")  # fmt: skip


def decide_succession(
    store: Store,
    generation: int,
    old_code: str,
    succession: Succession,
    *,
    new_code: str | None = None,
    base_year: int | None = None,
    target: str | None = None,
    who: str,
    source: EntrySource,
) -> Decided:
    """Decide one indicator of the plan before: continue (linked, its baseline proposed from the
    old plan's actual of the base year — the generation's base year unless given), replace
    (a new indicator under `new_code`, linked as its successor) or end (left out). `target`:
    the new plan's target typed with it, read in the indicator's unit as the catalog editor
    reads it (else the target stays 未設定)."""
    with store.transaction() as conn:
        record, draft = _draft(conn, generation)
        prior = record.predecessor
        assert prior is not None
        if succession is not Succession.END and new_code is None:
            new_code = old_code
        if succession is Succession.CONTINUE and base_year is None:
            base_year = record.baseline_year
        decision = SuccessionDecision(old_code, succession, new_code, base_year)
        baseline = None
        if succession is Succession.CONTINUE:
            old = final_values(conn, prior, [old_code]).get(old_code, {})
            baseline = proposed_baseline(decision, old)
        decided = apply_decision(draft, decision, baseline)
        typed = None
        if target is not None:
            if new_code is None:
                raise DomainError(
                    "E_SUCCESSION",
                    f"{old_code}: 終了する指標に目標値は設定できません",
                    f"{old_code}: an indicator that ends takes no target",
                )
            found = find_indicator(decided, new_code)
            assert found is not None
            indicator = found[1]
            typed = typed_target(target, indicator, hint_ja=UNIT_HINT[0], hint_en=UNIT_HINT[1])
            settings = decided.plan.settings
            decided = replace_indicator(decided, with_target(indicator, settings, typed))
        # The link the default (or an earlier decision) made goes first: the decision may take
        # its indicator out of the draft or rename it.
        unlink_prior(conn, generation, prior, old_code)
        _save(
            conn,
            generation,
            decided,
            who=who,
            source=source,
            detail=f"{old_code}: {succession.value}"
            + ("" if new_code in (None, old_code) else f" as {new_code}")
            + ("" if typed is None else f", target {canonical(typed)}"),
        )
        if new_code is not None:
            # A continuing indicator's baseline follows the base year's final value: it waits
            # for it while not final, and follows a later correction (fill_pending_baselines).
            follows = decision.base_year if succession is Succession.CONTINUE else None
            link_indicator(conn, generation, new_code, prior, old_code, succession,
                           pending_base_year=follows, linked=baseline)  # fmt: skip
    return Decided(decision, baseline, typed)


def add_indicator(
    store: Store,
    generation: int,
    measure_code: str,
    indicator: Indicator,
    *,
    target: str | None = None,
    who: str,
    source: EntrySource,
) -> None:
    """A new indicator (no predecessor) in one of the draft's measures; its target (`target`,
    for the plan's last year) is read in its unit as the catalog editor reads it."""
    with store.transaction() as conn:
        record, draft = _draft(conn, generation)
        settings = draft.plan.settings
        if target is not None:
            value = typed_target(target, indicator, hint_ja=UNIT_HINT[0], hint_en=UNIT_HINT[1])
            indicator = with_target(indicator, settings, value)
        elif indicator.target is not None and indicator.target_year is None:
            indicator = replace(indicator, target_year=settings.end_year)
        added = add_to_draft(draft, measure_code, indicator)
        _save(conn, generation, added, who=who, source=source, detail=f"{indicator.code}: new")
        del record


@dataclass(frozen=True)
class FilledBaseline:
    """A pending baseline filled in: the later generation's indicator, the value, and the old
    plan's indicator and year it came from."""

    generation: int
    code: str
    baseline: Decimal
    prior_generation: int
    prior_code: str
    base_year: int
    replaced: Decimal | None = None  # the baseline taken before (a correction followed)


def _may_change_catalog(conn: Connection) -> bool:
    """A PC's own file, or on a server the planning division or the administrator (a
    department's login writes no catalog; its values fill the baseline at the next merge or
    the closing of the plan)."""
    role = login_role(conn)
    return role is None or role.planning


def fill_pending_baselines(
    conn: Connection,
    prior_generation: int,
    *,
    who: str,
    source: EntrySource,
    origin: str,
) -> list[FilledBaseline]:
    """Inside the transaction that brought the old plan's final values in (a merge, a 確定, the
    closing of the plan): every later generation's continuing baseline that follows a final
    value of `prior_generation` is filled in from it — or, taken before, follows its correction
    — as a new catalog version of that generation with an audit row naming where the value came
    from (`origin`). A value merely entered counts for nothing; a baseline typed by hand (it is
    no longer the one taken from the link) is left as it is and follows the link no longer."""
    pending = pending_baselines(conn, prior_generation)
    if not pending or not _may_change_catalog(conn):
        return []
    old = final_values(conn, prior_generation, sorted({p.prior_code for p in pending}))
    filled: list[FilledBaseline] = []
    for generation in sorted({p.generation for p in pending}):
        record = generation_record(conn, generation)
        catalog = read_catalog(conn, generation)
        if record is None or not record.generation.writable or catalog is None:
            continue
        held = {i.code: i for _, _, _, i in catalog.indicators()}
        done: list[FilledBaseline] = []
        for item in (p for p in pending if p.generation == generation):
            indicator = held.get(item.code)
            if indicator is None:
                continue
            if indicator.baseline != item.linked or (
                item.linked is not None and indicator.baseline_year != item.base_year
            ):
                clear_pending(conn, generation, item.code)  # typed by hand: it stays
                continue
            decision = SuccessionDecision(item.prior_code, Succession.CONTINUE, item.code,
                                          item.base_year)  # fmt: skip
            value = proposed_baseline(decision, old.get(item.prior_code, {}))
            if value is None or value == item.linked:
                continue
            catalog = set_baseline(catalog, item.code, item.base_year, value)
            set_linked(conn, generation, item.code, value)
            done.append(FilledBaseline(generation, item.code, value, prior_generation,
                                       item.prior_code, item.base_year, item.linked))  # fmt: skip
        if not done:
            continue
        shown = ", ".join(f"{f.code}={canonical(f.baseline)}" for f in done)
        _save(conn, generation, catalog, who=who, source=source,
              detail=f"baseline filled in: {shown}")  # fmt: skip
        for f in done:
            was = "" if f.replaced is None else f"（{canonical(f.replaced)} から訂正）"
            was_en = "" if f.replaced is None else f", corrected from {canonical(f.replaced)}"
            audit_record(
                conn,
                who=who,
                source=source,
                action="baseline",
                generation=generation,
                fiscal_year=f.base_year,
                detail=f"{f.code}: 基準値 {canonical(f.baseline)} を計画期 {f.prior_generation} の "
                f"{f.prior_code}（{format_fiscal_year(f.base_year)}の確定値）から設定{was}"
                f" / baseline filled in from generation {f.prior_generation} {f.prior_code} "
                f"FY{f.base_year} ({origin}{was_en})",
            )
        filled.extend(done)
    return filled


def activate(store: Store, generation: int, *, who: str, source: EntrySource) -> bool:
    """Put a prepared generation in force; False when it already was."""
    with store.transaction() as conn:
        found = generation_record(conn, generation)
        if found is None:
            raise no_generation(generation)
        if found.status is GenerationStatus.CLOSED:
            raise DomainError(
                "E_GENERATION_CLOSED",
                f"計画期 {generation} は終了しています（最終評価済み）。実施中に戻せません",
                f"Plan generation {generation} is closed (final evaluation written) and cannot "
                "be put in force again",
            )
        if read_catalog(conn, generation) is None:
            raise no_catalog()
        return set_generation_status(
            conn, generation, GenerationStatus.ACTIVE, who=who, source=source
        )


# -- the window's wizard: the whole next plan in one transaction -------------------------------


@dataclass(frozen=True)
class NextPlan:
    """Everything the 次期計画 wizard decided: the new plan's name and period, every indicator
    of the current plan decided (continue, replace, end), the targets typed (by code in the new
    plan; None: not set) and new indicators (measure code, indicator)."""

    from_generation: int
    name: str
    start_year: int
    end_year: int
    baseline_year: int
    decisions: tuple[SuccessionDecision, ...]
    targets: tuple[tuple[str, Decimal | None], ...] = ()
    added: tuple[tuple[str, Indicator], ...] = ()


@dataclass(frozen=True)
class Created:
    """The generation made, and each continuing indicator's baseline (None: not set yet)."""

    number: int
    baselines: tuple[tuple[str, Decimal | None], ...]


def create_next_generation(
    store: Store,
    plan: NextPlan,
    *,
    who: str,
    source: EntrySource,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Created:
    """The next generation as one use case and ONE transaction: the draft copied from the
    current plan, every decision applied (the same domain rules as `decide_succession`), the
    targets set, the new indicators added, one catalog version written, the links recorded.
    A refusal or a cancel (Cancelled, at any step before the commit) leaves the database
    exactly as it was."""
    steps = len(plan.decisions) + len(plan.added) + 2
    done = 0

    def step() -> None:
        nonlocal done
        check_cancel(cancelled)
        done += 1
        if progress is not None:
            progress(done, steps)

    with store.transaction() as conn:
        current = read_catalog(conn, plan.from_generation)
        if current is None:
            if generation_record(conn, plan.from_generation) is None:
                raise no_generation(plan.from_generation)
            raise no_catalog()
        number = add_generation(
            conn,
            plan.name,
            plan.start_year,
            plan.end_year,
            baseline_year=plan.baseline_year,
            predecessor=plan.from_generation,
            who=who,
            source=source,
        )
        draft = next_draft(
            current, f"{current.plan.code}-g{number}", plan.name.strip(), plan.start_year,
            plan.end_year, plan.baseline_year,
        )  # fmt: skip
        # An indicator the plan does not decide takes the default (continued, linked).
        named = {d.old_code for d in plan.decisions}
        decisions = (
            *plan.decisions,
            *(
                default_decision(i.code, plan.baseline_year)
                for _, _, _, i in current.indicators()
                if i.code not in named
            ),
        )
        steps = len(decisions) + len(plan.added) + 2
        continuing = [d.old_code for d in decisions if d.succession is Succession.CONTINUE]
        old = final_values(conn, plan.from_generation, continuing)
        baselines: list[tuple[str, Decimal | None]] = []
        for decision in decisions:
            baseline = proposed_baseline(decision, old.get(decision.old_code, {}))
            if decision.succession is Succession.CONTINUE:
                baselines.append((decision.old_code, baseline))
            draft = apply_decision(draft, decision, baseline)
            step()
        draft = set_targets(draft, dict(plan.targets), plan.end_year)
        for measure_code, indicator in plan.added:
            if indicator.target is not None and indicator.target_year is None:
                indicator = replace(indicator, target_year=plan.end_year)
            draft = add_to_draft(draft, measure_code, indicator)
            step()
        _save(conn, number, draft, who=who, source=source, detail=f"generation {number}: draft")
        taken = dict(baselines)
        for decision in decisions:
            if decision.new_code is not None:
                continues = decision.succession is Succession.CONTINUE
                link_indicator(
                    conn, number, decision.new_code, plan.from_generation, decision.old_code,
                    decision.succession,
                    pending_base_year=decision.base_year if continues else None,
                    linked=taken.get(decision.old_code) if continues else None,
                )  # fmt: skip
        step()
        check_cancel(cancelled)  # the last point a cancel is taken: nothing is committed yet
    if progress is not None:
        progress(steps, steps)
    return Created(number, tuple(baselines))


def set_targets(draft: Catalog, targets: dict[str, Decimal | None], end_year: int) -> Catalog:
    """The draft with the typed targets (by code; None clears one), each for the plan's last
    year. Codes the draft does not hold are refused (a target must not go astray)."""
    codes = {i.code for _, _, _, i in draft.indicators()}
    stray = sorted(set(targets) - codes)
    if stray:
        raise DomainError(
            "E_SUCCESSION",
            f"新しい計画にない指標の目標値です: {', '.join(stray[:5])}",
            f"Targets for indicators the new plan does not hold: {', '.join(stray[:5])}",
        )

    def typed(indicator: Indicator) -> Indicator:
        if indicator.code not in targets:
            return indicator
        target = targets[indicator.code]
        return replace(indicator, target=target, target_year=None if target is None else end_year)

    return map_indicators(draft, typed)


def withdraw(store: Store, generation: int, *, who: str, source: EntrySource) -> str:
    """Take back a draft next plan that holds no values (the wizard's way back); returns its
    name. Refused, with nothing changed, for anything but such a draft."""
    with store.transaction() as conn:
        return withdraw_draft(conn, generation, who=who, source=source).generation.name


def import_next_plan(
    store: Store,
    path: Path,
    *,
    from_generation: int,
    who: str,
    source: EntrySource,
) -> int:
    """A next plan prepared elsewhere (a catalog workbook or JSON): a new draft generation after
    `from_generation` with the file's plan, period and catalog, in one transaction; returns its
    number. Its indicators are not linked to the plan before (the same code may mean another
    indicator); the file's period must start after every plan's end."""
    issued = read_catalog_file(path)
    settings = issued.catalog.plan.settings
    with store.transaction() as conn:
        if generation_record(conn, from_generation) is None:
            raise no_generation(from_generation)
        number = add_generation(
            conn,
            issued.catalog.plan.name,
            settings.start_year,
            settings.end_year,
            baseline_year=settings.baseline_year,
            predecessor=from_generation,
            who=who,
            source=source,
        )
        install_catalog(conn, issued, who=who, source=source, detail=path.name, into=number)
    return number
