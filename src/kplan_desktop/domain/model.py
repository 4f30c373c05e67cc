"""Plain types of the plan: enums, the rule-relevant view of an indicator, plan-wide settings."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal


class IndicatorKind(enum.Enum):
    """達成指標 (outcome) or 活動指標 (activity)."""

    OUTCOME = "outcome"
    ACTIVITY = "activity"

    @property
    def label_ja(self) -> str:
        return "達成" if self is IndicatorKind.OUTCOME else "活動"


class Direction(enum.Enum):
    """Which way is better for an indicator."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"
    MILESTONE = "milestone"

    @property
    def label_ja(self) -> str:
        return {
            Direction.INCREASE: "増加が望ましい",
            Direction.DECREASE: "減少が望ましい",
            Direction.MAINTAIN: "維持",
            Direction.MILESTONE: "達成/未達成",
        }[self]


class Comparator(enum.Enum):
    """How the target is phrased in the plan: 以上 (at least) or 以下 (at most)."""

    GE = ">="
    LE = "<="

    @property
    def label_ja(self) -> str:
        return "以上" if self is Comparator.GE else "以下"


class ValueKind(enum.Enum):
    """What sort of number an indicator holds, which decides the checks that apply."""

    COUNT = "count"
    SCALED_COUNT = "scaled_count"
    PERCENT = "percent"
    DECIMAL = "decimal"
    AMOUNT = "amount"
    PER_PERIOD = "per_period"
    MILESTONE = "milestone"


class MissingReason(enum.Enum):
    """Why a value is absent."""

    NOT_COMPILED = "not_compiled"
    NOT_APPLICABLE = "not_applicable"
    NOT_PUBLISHED = "not_published"

    @property
    def label_ja(self) -> str:
        return _REASON_JA[self]

    @property
    def label_en(self) -> str:
        return _REASON_EN[self]

    @classmethod
    def from_label(cls, text: str) -> MissingReason | None:
        """The reason named by its Japanese label or its code; None for anything else."""
        return _REASON_BY_LABEL.get(text)


# Module-level tables: every typed value is looked up here, so no per-call dict or enum scan.
_REASON_JA = {
    MissingReason.NOT_COMPILED: "未集計",
    MissingReason.NOT_APPLICABLE: "該当なし",
    MissingReason.NOT_PUBLISHED: "非公表",
}
_REASON_EN = {
    MissingReason.NOT_COMPILED: "not yet compiled",
    MissingReason.NOT_APPLICABLE: "not applicable",
    MissingReason.NOT_PUBLISHED: "not published",
}
_REASON_BY_LABEL = {
    **{reason.value: reason for reason in MissingReason},
    **{label: reason for reason, label in _REASON_JA.items()},
}


class RateBasis(enum.Enum):
    """Which achievement rate is the official one for an indicator."""

    PROGRESS = "progress"
    SIMPLE = "simple"


class IndicatorStatus(enum.Enum):
    """Whether the work behind an indicator runs at all."""

    ACTIVE = "active"
    NOT_STARTED = "not_started"
    DISCONTINUED = "discontinued"


DEFAULT_YOY_THRESHOLD = Decimal("0.5")


@dataclass(frozen=True)
class IndicatorSpec:
    """What the rules need to know about one indicator."""

    code: str
    unit: str | None
    value_kind: ValueKind | None
    direction: Direction | None = None
    comparator: Comparator | None = None
    cumulative: bool = False
    decimals: int | None = None
    allow_negative: bool = False
    baseline_year: int | None = None
    baseline: Decimal | None = None
    target_year: int | None = None
    target: Decimal | None = None
    official_rate: RateBasis | None = None
    yoy_threshold: Decimal = DEFAULT_YOY_THRESHOLD
    status: IndicatorStatus = IndicatorStatus.ACTIVE


class GradeLabels(enum.Enum):
    """The label set the planning division prints for grades A–D."""

    LETTERS = "letters"
    WORDS = "words"
    MARKS = "marks"


@dataclass(frozen=True)
class PlanSettings:
    """Plan-wide settings: the plan period and how achievement is graded."""

    start_year: int
    end_year: int
    baseline_year: int
    grade_a: Decimal = Decimal("1.00")
    grade_b: Decimal = Decimal("0.80")
    grade_c: Decimal = Decimal("0.50")
    grade_labels: GradeLabels = GradeLabels.LETTERS
    warn_grades: frozenset[str] = field(default_factory=lambda: frozenset({"C", "D"}))
    on_track: Decimal = Decimal("0.95")
    slightly_behind: Decimal = Decimal("0.85")

    def in_period(self, fiscal_year: int) -> bool:
        return self.start_year <= fiscal_year <= self.end_year

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))
