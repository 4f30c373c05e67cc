"""Achievement: the simple and the progress rate, grades, and on-track status against the path.

The formulas, with worked examples, are written out in docs/rules.md ("Achievement").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from kplan_desktop.domain import cumulative
from kplan_desktop.domain.model import (
    Comparator,
    Direction,
    GradeLabels,
    IndicatorSpec,
    IndicatorStatus,
    MissingReason,
    PlanSettings,
    RateBasis,
)


class Grade(enum.Enum):
    """A–D, or the reason an indicator cannot be graded."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    NOT_STARTED = "not_started"
    DISCONTINUED = "discontinued"
    NOT_ASSESSABLE = "not_assessable"
    DATA_PENDING = "data_pending"
    NO_TARGET = "no_target"

    @property
    def is_letter(self) -> bool:
        return self in (Grade.A, Grade.B, Grade.C, Grade.D)

    def label(self, labels: GradeLabels = GradeLabels.LETTERS, lang: str = "ja") -> str:
        if self.is_letter:
            table = _LETTER_LABELS_EN if lang == "en" else _LETTER_LABELS
            return table[labels][self]
        return (_NON_GRADE_EN if lang == "en" else _NON_GRADE_JA)[self]


_LETTER_LABELS: dict[GradeLabels, dict[Grade, str]] = {
    GradeLabels.LETTERS: {Grade.A: "A", Grade.B: "B", Grade.C: "C", Grade.D: "D"},
    GradeLabels.WORDS: {Grade.A: "順調", Grade.B: "概ね順調", Grade.C: "やや遅れ", Grade.D: "遅れ"},
    GradeLabels.MARKS: {Grade.A: "◎", Grade.B: "○", Grade.C: "△", Grade.D: "×"},
}
_LETTER_LABELS_EN: dict[GradeLabels, dict[Grade, str]] = {
    GradeLabels.LETTERS: _LETTER_LABELS[GradeLabels.LETTERS],
    GradeLabels.WORDS: {
        Grade.A: "On track",
        Grade.B: "Mostly on track",
        Grade.C: "Slightly behind",
        Grade.D: "Behind",
    },
    GradeLabels.MARKS: _LETTER_LABELS[GradeLabels.MARKS],
}
_NON_GRADE_JA = {
    Grade.NOT_STARTED: "未着手",
    Grade.DISCONTINUED: "中止",
    Grade.NOT_ASSESSABLE: "評価困難",
    Grade.DATA_PENDING: "データ未確定",
    Grade.NO_TARGET: "—",
}
_NON_GRADE_EN = {
    Grade.NOT_STARTED: "Not started",
    Grade.DISCONTINUED: "Discontinued",
    Grade.NOT_ASSESSABLE: "Cannot be assessed",
    Grade.DATA_PENDING: "Data pending",
    Grade.NO_TARGET: "—",
}


@dataclass(frozen=True)
class Achievement:
    """Both rates (1 = 100 %), which one is official, the grade and whether the target is met."""

    simple_rate: Decimal | None
    progress_rate: Decimal | None
    basis: RateBasis
    grade: Grade
    target_met: bool | None = None

    @property
    def rate(self) -> Decimal | None:
        return self.progress_rate if self.basis is RateBasis.PROGRESS else self.simple_rate


def lower_is_better(spec: IndicatorSpec) -> bool:
    if spec.direction is Direction.DECREASE:
        return True
    return spec.direction in (None, Direction.MAINTAIN) and spec.comparator is Comparator.LE


def effective_baseline(spec: IndicatorSpec) -> Decimal | None:
    """The starting point of progress; a cumulative (累計) total counts from the plan's first
    year, so it starts from zero (domain.cumulative: the baseline is for reference only)."""
    return cumulative.ORIGIN if spec.cumulative else spec.baseline


def simple_rate(spec: IndicatorSpec, value: Decimal) -> Decimal | None:
    """実績 ÷ 目標; mirrored (目標 ÷ 実績) where lower is better. None where it divides by zero."""
    target = spec.target
    if target is None:
        return None
    if lower_is_better(spec):
        return None if value == 0 else target / value
    return None if target == 0 else value / target


def progress_rate(spec: IndicatorSpec, value: Decimal) -> Decimal | None:
    """(実績 − 基準値) ÷ (目標 − 基準値); the sign works for decrease targets too."""
    base = effective_baseline(spec)
    if spec.target is None or base is None or spec.target == base:
        return None
    return (value - base) / (spec.target - base)


def target_met(spec: IndicatorSpec, value: Decimal) -> bool | None:
    if spec.target is None:
        return None
    return value <= spec.target if lower_is_better(spec) else value >= spec.target


def grade_for_rate(rate: Decimal, plan: PlanSettings) -> Grade:
    if rate >= plan.grade_a:
        return Grade.A
    if rate >= plan.grade_b:
        return Grade.B
    if rate >= plan.grade_c:
        return Grade.C
    return Grade.D


def assess(
    spec: IndicatorSpec,
    plan: PlanSettings,
    value: Decimal | None,
    missing_reason: MissingReason | None = None,
) -> Achievement:
    """The achievement of one value against the indicator's final target."""
    default_basis = spec.official_rate or (
        RateBasis.PROGRESS
        if effective_baseline(spec) is not None and effective_baseline(spec) != spec.target
        else RateBasis.SIMPLE
    )
    if spec.status is IndicatorStatus.NOT_STARTED:
        return Achievement(None, None, default_basis, Grade.NOT_STARTED)
    if spec.status is IndicatorStatus.DISCONTINUED:
        return Achievement(None, None, default_basis, Grade.DISCONTINUED)
    if spec.target is None:
        return Achievement(None, None, default_basis, Grade.NO_TARGET)
    if value is None:
        pending = missing_reason in (None, MissingReason.NOT_COMPILED)
        grade = Grade.DATA_PENDING if pending else Grade.NOT_ASSESSABLE
        return Achievement(None, None, default_basis, grade)
    if spec.direction is Direction.MILESTONE:
        done = Decimal(1) if value >= spec.target else Decimal(0)
        return Achievement(done, done, default_basis, grade_for_rate(done, plan), value >= 1)
    simple = simple_rate(spec, value)
    progress = progress_rate(spec, value)
    basis = default_basis
    # An official rate that cannot be computed (target = baseline, division by zero) falls back
    # to the other one rather than leaving the indicator ungraded.
    if basis is RateBasis.PROGRESS and progress is None:
        basis = RateBasis.SIMPLE
    elif basis is RateBasis.SIMPLE and simple is None and progress is not None:
        basis = RateBasis.PROGRESS
    rate: Decimal | None = progress if basis is RateBasis.PROGRESS else simple
    met = target_met(spec, value)
    if rate is not None:
        grade = grade_for_rate(rate, plan)
    else:
        # 0 where lower is better and no baseline: no ratio exists, but the target is met.
        grade = Grade.A if met else Grade.NOT_ASSESSABLE
    return Achievement(simple, progress, basis, grade, met)


class TrackStatus(enum.Enum):
    """Where this year's value stands against the straight path from baseline to target."""

    DONE = "done"
    ON_TRACK = "on_track"
    SLIGHTLY_BEHIND = "slightly_behind"
    BEHIND = "behind"
    NOT_ASSESSABLE = "not_assessable"

    def label(self, lang: str = "ja") -> str:
        ja = {
            TrackStatus.DONE: "達成済み",
            TrackStatus.ON_TRACK: "順調",
            TrackStatus.SLIGHTLY_BEHIND: "やや遅れ",
            TrackStatus.BEHIND: "遅れ",
            TrackStatus.NOT_ASSESSABLE: "—",
        }
        en = {
            TrackStatus.DONE: "Done",
            TrackStatus.ON_TRACK: "On track",
            TrackStatus.SLIGHTLY_BEHIND: "Slightly behind",
            TrackStatus.BEHIND: "Behind",
            TrackStatus.NOT_ASSESSABLE: "—",
        }
        return (en if lang == "en" else ja)[self]


@dataclass(frozen=True)
class TrackResult:
    """The value expected this year on the path, progress against it, and the status."""

    expected: Decimal | None
    health: Decimal | None
    status: TrackStatus


_NOT_ASSESSABLE = TrackResult(None, None, TrackStatus.NOT_ASSESSABLE)


def on_track(
    spec: IndicatorSpec, plan: PlanSettings, value: Decimal | None, fiscal_year: int
) -> TrackResult:
    """Judge a value of `fiscal_year` against the straight line from baseline to target."""
    if value is None or spec.target is None or spec.status is not IndicatorStatus.ACTIVE:
        return _NOT_ASSESSABLE
    target_year = spec.target_year or plan.end_year
    if spec.direction is Direction.MILESTONE:
        if value >= spec.target:
            return TrackResult(spec.target, None, TrackStatus.DONE)
        status = TrackStatus.ON_TRACK if fiscal_year < target_year else TrackStatus.BEHIND
        return TrackResult(spec.target, None, status)
    if spec.cumulative:
        origin_year, origin = cumulative.origin(plan)
    else:
        if spec.baseline is None:
            return _NOT_ASSESSABLE
        origin_year, origin = spec.baseline_year or plan.baseline_year, spec.baseline
    if fiscal_year <= origin_year or target_year <= origin_year:
        return _NOT_ASSESSABLE
    # Multiply before dividing so the expected value is rounded once, not twice.
    elapsed = min(fiscal_year, target_year) - origin_year
    expected = origin + (spec.target - origin) * elapsed / (target_year - origin_year)
    if expected == origin:
        met = target_met(spec, value)
        return TrackResult(expected, None, TrackStatus.ON_TRACK if met else TrackStatus.BEHIND)
    health = (value - origin) / (expected - origin)
    if health >= plan.on_track:
        status = TrackStatus.ON_TRACK
    elif health >= plan.slightly_behind:
        status = TrackStatus.SLIGHTLY_BEHIND
    else:
        status = TrackStatus.BEHIND
    return TrackResult(expected, health, status)


def rounded_rate(rate: Decimal | None) -> Decimal | None:
    """A rate rounded half up to 0.1 % (0.95454… → 0.955), as every view shows it."""
    if rate is None or not rate.is_finite():
        return None
    with localcontext() as ctx:
        # Room for every integer digit, so a huge rate is rounded rather than raising.
        ctx.prec = max(ctx.prec, rate.adjusted() + 6)
        return rate.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def format_rate(rate: Decimal | None) -> str:
    """A rate as a percentage with one decimal, rounded half up: 0.95454… → '95.5%'."""
    rounded = rounded_rate(rate)
    if rounded is None:
        return "—"
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, rounded.adjusted() + 6)
        return f"{rounded.scaleb(2)}%"
