"""最終評価: the figures that close a plan generation.

Per indicator, the actual of its target year (the plan's last year unless the catalog names
another) against the plan's target, graded by the rules every other view uses
(`achievement.assess`). An indicator without a target, or without that year's actual, says so
(目標未設定 / 未集計 …): the latest earlier actual is shown for reference with its year, never
graded in its place. A continuing indicator names where the next plan picks it up (empty until
the next generation exists). Per measure (施策) and policy (政策): the grade distribution and the
施策評価 of the plan's last year; for the plan: how many indicators reached their targets, by
policy.

Pure rules: the caller passes the generation, the catalog, the values, the evaluations and the
succession decisions it has.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from kplan_desktop.domain.achievement import Achievement, Grade, assess
from kplan_desktop.domain.catalog import Catalog, Indicator
from kplan_desktop.domain.evaluation import GRADES, Evaluation, NextStep
from kplan_desktop.domain.generation import Generation, SuccessionDecision
from kplan_desktop.domain.model import MissingReason

__all__ = [
    "FinalEvaluation",
    "FinalIndicator",
    "FinalMeasure",
    "FinalPolicy",
    "FinalState",
    "GradeTally",
    "final_evaluation",
    "final_year",
]


class FinalState(enum.Enum):
    """Whether an indicator could be judged at the end of the plan, and if not, why."""

    JUDGED = "judged"  # a final actual against a target: rate, grade, reached or not
    NO_TARGET = "no_target"  # 目標未設定
    NO_FINAL_ACTUAL = "no_final_actual"  # 未集計: the target year's actual is not in
    MISSING = "missing"  # the target year is explained as 該当なし / 非公表
    NOT_GRADED = "not_graded"  # 未着手, 中止, or no ratio exists (評価困難)

    def label(self, lang: str = "ja") -> str:
        return (_STATE_EN if lang == "en" else _STATE_JA)[self]


_STATE_JA = {
    FinalState.JUDGED: "判定済み",
    FinalState.NO_TARGET: "目標未設定",
    FinalState.NO_FINAL_ACTUAL: "未集計",
    FinalState.MISSING: "実績なし",
    FinalState.NOT_GRADED: "評価対象外",
}
_STATE_EN = {
    FinalState.JUDGED: "judged",
    FinalState.NO_TARGET: "target not set",
    FinalState.NO_FINAL_ACTUAL: "not yet compiled",
    FinalState.MISSING: "no actual",
    FinalState.NOT_GRADED: "not graded",
}


def final_year(indicator: Indicator, generation: Generation) -> int:
    """The year an indicator is judged in: its target year, else the plan's last year."""
    return indicator.target_year or generation.end_year


@dataclass(frozen=True)
class FinalIndicator:
    """最終評価 of one indicator."""

    indicator: Indicator
    goal: str
    policy: str
    measure: str
    final_year: int
    value: Decimal | None  # the final year's actual; None when there is none
    missing_reason: MissingReason | None  # why the final year has no actual, when said
    achievement: Achievement
    # The latest actual before the final year, for reference only (shown when `value` is None).
    latest_year: int | None = None
    latest_value: Decimal | None = None
    # Where the next plan picks the indicator up: the decision and the baseline it holds there.
    successor: SuccessionDecision | None = None
    next_baseline: Decimal | None = None

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def target(self) -> Decimal | None:
        """The target the final actual is judged against (the final year's)."""
        return self.indicator.spec_for(self.final_year).target

    @property
    def state(self) -> FinalState:
        grade = self.achievement.grade
        if grade is Grade.NO_TARGET:
            return FinalState.NO_TARGET
        if self.value is None:
            if grade in (Grade.NOT_STARTED, Grade.DISCONTINUED):
                return FinalState.NOT_GRADED
            if self.missing_reason in (None, MissingReason.NOT_COMPILED):
                return FinalState.NO_FINAL_ACTUAL
            return FinalState.MISSING
        if self.achievement.target_met is None:
            return FinalState.NOT_GRADED
        return FinalState.JUDGED

    @property
    def reached(self) -> bool | None:
        """True / False for a judged indicator; None where nothing can be said."""
        if self.state is not FinalState.JUDGED:
            return None
        return self.achievement.target_met

    def state_text(self, lang: str = "ja") -> str:
        """What the 備考 column says: why there is no grade, in the plan's words."""
        state = self.state
        if state is FinalState.MISSING and self.missing_reason is not None:
            reason = self.missing_reason
            return reason.label_en if lang == "en" else reason.label_ja
        if state is FinalState.NOT_GRADED:
            return self.achievement.grade.label(lang=lang)
        return state.label(lang)


@dataclass(frozen=True)
class GradeTally:
    """The grades of a group of indicators and how many reached their targets."""

    grades: Mapping[Grade, int]
    reached: int
    not_reached: int
    total: int

    @property
    def judged(self) -> int:
        return self.reached + self.not_reached

    @property
    def not_judged(self) -> int:
        return self.total - self.judged

    @property
    def reached_share(self) -> Decimal | None:
        """Reached ÷ judged (an indicator without target or final actual is not counted)."""
        return None if not self.judged else Decimal(self.reached) / Decimal(self.judged)


def tally(items: Iterable[FinalIndicator]) -> GradeTally:
    listed = list(items)
    grades = Counter(item.achievement.grade for item in listed)
    reached = sum(1 for item in listed if item.reached is True)
    not_reached = sum(1 for item in listed if item.reached is False)
    return GradeTally(dict(grades), reached, not_reached, len(listed))


@dataclass(frozen=True)
class FinalMeasure:
    """A measure's indicators' tally and its 施策評価 of the plan's last year (None when the
    department has not written one)."""

    code: str
    name: str
    policy: str
    tally: GradeTally
    evaluation: Evaluation | None

    @property
    def self_grade(self) -> str | None:
        return None if self.evaluation is None else self.evaluation.grade

    @property
    def next_step(self) -> NextStep | None:
        return None if self.evaluation is None else self.evaluation.next_step


@dataclass(frozen=True)
class FinalPolicy:
    """A policy's tally, its measures, and how its measures evaluated themselves."""

    code: str
    name: str
    goal: str
    tally: GradeTally
    measures: tuple[FinalMeasure, ...]

    @property
    def self_grades(self) -> dict[str | None, int]:
        """施策評価 of the last year by grade (None: not written), A–D first."""
        counts = Counter(measure.self_grade for measure in self.measures)
        order: list[str | None] = [*GRADES, None]
        return {grade: counts.get(grade, 0) for grade in order}


@dataclass(frozen=True)
class FinalEvaluation:
    """The plan's final evaluation: every indicator, every policy with its measures, the plan."""

    generation: Generation
    catalog: Catalog  # the generation's catalog the figures were computed from
    evaluation_year: int  # the year whose 施策評価 is shown: the plan's last
    indicators: tuple[FinalIndicator, ...]
    policies: tuple[FinalPolicy, ...]
    plan: GradeTally

    @property
    def plan_name(self) -> str:
        return self.catalog.plan.name

    def indicator(self, code: str) -> FinalIndicator:
        return next(item for item in self.indicators if item.code == code)

    def policy(self, code: str) -> FinalPolicy:
        return next(item for item in self.policies if item.code == code)

    def measure(self, code: str) -> FinalMeasure:
        return next(m for p in self.policies for m in p.measures if m.code == code)


def _judge(
    generation: Generation,
    catalog: Catalog,
    indicator: Indicator,
    years: Mapping[int, Decimal | None],
    reasons: Mapping[int, MissingReason],
) -> tuple[int, Decimal | None, MissingReason | None, Achievement, int | None, Decimal | None]:
    year = final_year(indicator, generation)
    value = years.get(year)
    reason = None if value is not None else reasons.get(year)
    # Judged against the final target: the spec of the target year, as every view grades it.
    achievement = assess(indicator.spec_for(year), catalog.plan.settings, value, reason)
    earlier = sorted(
        (y for y, v in years.items() if v is not None and y < year and generation.covers(y)),
        reverse=True,
    )
    latest_year = earlier[0] if value is None and earlier else None
    latest_value = years.get(latest_year) if latest_year is not None else None
    return year, value, reason, achievement, latest_year, latest_value


def final_evaluation(
    generation: Generation,
    catalog: Catalog,
    values: Mapping[str, Mapping[int, Decimal | None]],
    reasons: Mapping[str, Mapping[int, MissingReason]] | None = None,
    evaluations: Mapping[str, Evaluation] | None = None,
    successors: Mapping[str, SuccessionDecision] | None = None,
    next_baselines: Mapping[str, Decimal | None] | None = None,
) -> FinalEvaluation:
    """The final evaluation of `generation`, whose catalog is `catalog`.

    `values` and `reasons` are keyed by indicator code, then fiscal year; `evaluations` holds
    the 施策評価 of the generation's last year by measure code (another year's is ignored);
    `successors` the next plan's decisions by old indicator code (none before it exists);
    `next_baselines` the baseline each continuing indicator holds in the next plan (None: not
    set yet), by old code — what the next plan holds, never recomputed here.
    """
    items: list[FinalIndicator] = []
    for goal, policy, measure, indicator in catalog.indicators():
        years = values.get(indicator.code, {})
        successor = (successors or {}).get(indicator.code)
        year, value, reason, achievement, latest_year, latest_value = _judge(
            generation,
            catalog,
            indicator,
            years,
            (reasons or {}).get(indicator.code, {}),
        )
        items.append(
            FinalIndicator(
                indicator=indicator,
                goal=goal.code,
                policy=policy.code,
                measure=measure.code,
                final_year=year,
                value=value,
                missing_reason=reason,
                achievement=achievement,
                latest_year=latest_year,
                latest_value=latest_value,
                successor=successor,
                next_baseline=None
                if successor is None
                else (next_baselines or {}).get(indicator.code),
            )
        )
    last_year = generation.end_year
    chosen = {
        code: evaluation
        for code, evaluation in (evaluations or {}).items()
        if evaluation.fiscal_year == last_year
    }
    policies: list[FinalPolicy] = []
    for goal in catalog.goals:
        for policy in goal.policies:
            measures = tuple(
                FinalMeasure(
                    measure.code,
                    measure.name,
                    policy.code,
                    tally(item for item in items if item.measure == measure.code),
                    chosen.get(measure.code),
                )
                for measure in policy.measures
            )
            policies.append(
                FinalPolicy(
                    policy.code,
                    policy.name,
                    goal.code,
                    tally(item for item in items if item.policy == policy.code),
                    measures,
                )
            )
    return FinalEvaluation(
        generation=generation,
        catalog=catalog,
        evaluation_year=last_year,
        indicators=tuple(items),
        policies=tuple(policies),
        plan=tally(items),
    )
