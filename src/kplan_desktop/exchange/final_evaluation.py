"""最終評価 from the planning database: gather the figures of one plan generation, and the same
figures as `kplan final-evaluation --json` prints them.

The generation is an explicit argument wherever the figures are computed; a number the database
does not hold is refused by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from kplan_desktop.domain.achievement import Grade, rounded_rate
from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.evaluation import Evaluation
from kplan_desktop.domain.final_evaluation import (
    FinalEvaluation,
    FinalIndicator,
    GradeTally,
    final_evaluation,
)
from kplan_desktop.domain.generation import (
    Generation,
    GenerationStatus,
    Succession,
    SuccessionDecision,
    plan_generation,
)
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.next_generation import fill_pending_baselines
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.closing import check_closable, mark_closed
from kplan_desktop.store.engine import Store
from kplan_desktop.store.evaluations import read_evaluations
from kplan_desktop.store.generations import generation_record, generations, indicator_links
from kplan_desktop.store.overview import overview
from kplan_desktop.store.requests import EntrySource

__all__ = [
    "FORMAT",
    "close_generation",
    "final_evaluation_in",
    "final_evaluation_json",
    "gather_final_evaluation",
    "no_such_generation",
]

FORMAT = "kplan-final-evaluation/1"


def no_such_generation(number: int) -> DomainError:
    return DomainError(
        "E_NO_GENERATION",
        f"計画期 {number} はこのデータベースにありません（kplan generation list で確認できます）",
        f"Plan generation {number} is not in this database (see kplan generation list)",
    )


def final_evaluation_in(conn: Connection, number: int) -> FinalEvaluation:
    """The final evaluation of generation `number` as `conn` sees it: its values, the 施策評価
    of its last year, and where the next plan (a generation whose predecessor it is) picks each
    indicator up."""
    found = generation_record(conn, number)
    if found is None:
        raise no_such_generation(number)
    catalog, rows = overview(conn, number)
    stored = found.generation
    chosen = replace(
        plan_generation(catalog), number=number, status=stored.status,
        name=stored.name or catalog.plan.name,
    )  # fmt: skip
    evaluations: dict[str, Evaluation] = {
        view.evaluation.measure_code: view.evaluation
        for view in read_evaluations(conn, number, fiscal_year=chosen.end_year)
    }
    values: dict[str, dict[int, Decimal | None]] = {}
    reasons: dict[str, dict[int, MissingReason]] = {}
    for row in rows:
        code = row.indicator.code
        values[code] = {year: actual.value for year, actual in row.values.items()}
        reasons[code] = {
            year: actual.missing_reason
            for year, actual in row.values.items()
            if actual.missing_reason is not None
        }
    successors, held = _successors(conn, number, catalog)
    return final_evaluation(
        chosen, catalog, values, reasons, evaluations, successors=successors, next_baselines=held
    )


def _successors(
    conn: Connection, number: int, catalog: Catalog
) -> tuple[dict[str, SuccessionDecision], dict[str, Decimal | None]]:
    """The next generation's decisions on this one's indicators: continued or replaced (linked),
    ended (not in the next plan), or none (still there, undecided); none at all while no later
    generation names this one its predecessor. With them, by old code, the baseline a
    continuing indicator HOLDS in the next plan (read from its catalog, never recomputed;
    None: not set yet)."""
    following = [r for r in generations(conn) if r.predecessor == number]
    if not following:
        return {}, {}
    after = following[0]
    following_catalog = read_catalog(conn, after.number)
    new = (
        {}
        if following_catalog is None
        else {i.code: i for _, _, _, i in following_catalog.indicators()}
    )
    decided: dict[str, SuccessionDecision] = {}
    held: dict[str, Decimal | None] = {}
    for link in indicator_links(conn, after.number):
        if link.prior_generation != number:
            continue
        base = None
        if link.kind is Succession.CONTINUE:
            successor = new.get(link.code)
            held[link.prior_code] = None if successor is None else successor.baseline
            base = (
                successor.baseline_year
                if successor is not None and successor.baseline is not None
                else link.pending_base_year or after.baseline_year
            )
        decided[link.prior_code] = SuccessionDecision(link.prior_code, link.kind, link.code, base)
    # Not linked: ended when the next plan has no indicator of that code any more; one it
    # still holds under the same code is undecided yet (a draft copies every indicator).
    kept = set(new)
    for _, _, _, indicator in catalog.indicators():
        if indicator.code not in decided and indicator.code not in kept:
            decided[indicator.code] = SuccessionDecision(indicator.code, Succession.END)
    return decided, held


def gather_final_evaluation(store: Store, generation: int | Generation = 1) -> FinalEvaluation:
    """The final evaluation of a generation (its number, or the Generation itself), from the
    values and the 施策評価 of its last year stored now."""
    number = generation if isinstance(generation, int) else generation.number
    with store.snapshot() as conn:
        result = final_evaluation_in(conn, number)
    if isinstance(generation, Generation):
        result = replace(result, generation=generation)
    return result


def close_generation(
    store: Store,
    number: int,
    write: Callable[[FinalEvaluation], None],
    *,
    who: str,
    source: EntrySource,
) -> FinalEvaluation:
    """Close generation `number`: in one transaction, check that its last year is in (every
    department finalised or merged), compute the final evaluation, hand it to `write` (the
    workbook, the JSON), and mark the generation closed with its audit row. Refused with
    nothing changed when it may not close; when `write` fails, the generation stays open."""
    with store.transaction() as conn:
        check_closable(conn, number)
        # The next plan's baselines still waiting for this plan's final values take them now
        # (before the evaluation, whose hand-over column shows what the next plan holds).
        fill_pending_baselines(conn, number, who=who, source=source,
                               origin=f"closing of generation {number}")  # fmt: skip
        result = final_evaluation_in(conn, number)
        result = replace(
            result, generation=replace(result.generation, status=GenerationStatus.CLOSED)
        )
        write(result)
        mark_closed(conn, number, who=who, source=source)
    return result


def _number(value: Decimal | None) -> str | None:
    return None if value is None else canonical(value)


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _tally(tally: GradeTally) -> dict[str, Any]:
    share = tally.reached_share
    return {
        "indicators": tally.total,
        "reached": tally.reached,
        "not_reached": tally.not_reached,
        "not_judged": tally.not_judged,
        "reached_share": _rate(share),
        "grades": {grade.value: tally.grades.get(grade, 0) for grade in Grade},
    }


def _evaluation(evaluation: Evaluation | None) -> dict[str, Any] | None:
    if evaluation is None:
        return None
    step = evaluation.next_step
    return {
        "fiscal_year": evaluation.fiscal_year,
        "grade": evaluation.grade,
        "results": evaluation.results,
        "next_step": None if step is None else step.value,
        "next_text": evaluation.next_text,
        "reviewer_comment": evaluation.reviewer_comment,
    }


def _indicator(item: FinalIndicator) -> dict[str, Any]:
    ind = item.indicator
    ach = item.achievement
    successor = item.successor
    return {
        "code": ind.code,
        "name": ind.name,
        "kind": ind.kind.value,
        "unit": ind.unit,
        "department": ind.department,
        "goal": item.goal,
        "policy": item.policy,
        "measure": item.measure,
        "direction": None if ind.direction is None else ind.direction.value,
        "comparator": None if ind.comparator is None else ind.comparator.value,
        "cumulative": ind.cumulative,
        "baseline_year": ind.baseline_year,
        "baseline": _number(ind.baseline),
        "target": _number(item.target),
        "final_year": item.final_year,
        "value": _number(item.value),
        "missing_reason": None if item.missing_reason is None else item.missing_reason.value,
        "state": item.state.value,
        "state_ja": item.state_text("ja"),
        "state_en": item.state_text("en"),
        "simple_rate": _rate(ach.simple_rate),
        "progress_rate": _rate(ach.progress_rate),
        "rate_basis": ach.basis.value,
        "rate": _rate(ach.rate),
        "rate_rounded": _rate(rounded_rate(ach.rate)),
        "grade": ach.grade.value,
        "reached": item.reached,
        "latest": None
        if item.latest_year is None
        else {"fiscal_year": item.latest_year, "value": _number(item.latest_value)},
        "next_plan": None
        if successor is None
        else {
            "succession": successor.succession.value,
            "code": successor.new_code,
            "base_year": successor.base_year,
            "baseline": _number(item.next_baseline),
        },
    }


def final_evaluation_json(result: FinalEvaluation) -> dict[str, Any]:
    """The figures of the final evaluation as JSON-ready data: numbers and rates as exact
    decimal text (1 = 100 %), grades and states as their codes."""
    generation = result.generation
    return {
        "format": FORMAT,
        "generation": {
            "number": generation.number,
            "name": generation.name,
            "start_year": generation.start_year,
            "end_year": generation.end_year,
            "status": generation.status.value,
        },
        "evaluation_year": result.evaluation_year,
        "plan": _tally(result.plan),
        "policies": [
            {
                "code": policy.code,
                "name": policy.name,
                "goal": policy.goal,
                **_tally(policy.tally),
                "self_evaluations": {
                    (grade or "none"): count for grade, count in policy.self_grades.items()
                },
                "measures": [
                    {
                        "code": measure.code,
                        "name": measure.name,
                        **_tally(measure.tally),
                        "evaluation": _evaluation(measure.evaluation),
                    }
                    for measure in policy.measures
                ],
            }
            for policy in result.policies
        ],
        "indicators": [_indicator(item) for item in result.indicators],
    }
