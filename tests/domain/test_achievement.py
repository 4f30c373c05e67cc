"""Tests for kplan_desktop.domain.achievement: rates, grades, labels and the on-track path."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kplan_desktop.domain.achievement import (
    Achievement,
    Grade,
    TrackStatus,
    assess,
    format_rate,
    on_track,
)
from kplan_desktop.domain.model import (
    Comparator,
    Direction,
    GradeLabels,
    IndicatorSpec,
    IndicatorStatus,
    MissingReason,
    PlanSettings,
    RateBasis,
    ValueKind,
)

PLAN = PlanSettings(start_year=2022, end_year=2026, baseline_year=2020)
D = Decimal


def spec(
    *,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    direction: Direction | None = Direction.INCREASE,
    comparator: Comparator | None = None,
    cumulative: bool = False,
    value_kind: ValueKind = ValueKind.DECIMAL,
    official_rate: RateBasis | None = None,
    baseline_year: int | None = None,
    target_year: int | None = None,
    status: IndicatorStatus = IndicatorStatus.ACTIVE,
) -> IndicatorSpec:
    return IndicatorSpec(
        code="C-01",
        unit="件",
        value_kind=value_kind,
        direction=direction,
        comparator=comparator,
        cumulative=cumulative,
        baseline_year=baseline_year,
        baseline=baseline,
        target_year=target_year,
        target=target,
        official_rate=official_rate,
        status=status,
    )


MILESTONE = spec(
    target=D(1), direction=Direction.MILESTONE, value_kind=ValueKind.MILESTONE, target_year=2022
)

# (story, spec, actual, expected Achievement), every rate worked out by hand.
CASES = [
    (
        # progress = (4000 − 1225) / (7500 − 1225) = 2775 / 6275 = 111/251 = 0.44223… → D
        # simple   = 4000 / 7500 = 8/15 = 0.5333…
        "increase_with_baseline",
        spec(baseline=D(1225), target=D(7500), comparator=Comparator.GE),
        D(4000),
        Achievement(D(8) / D(15), D(111) / D(251), RateBasis.PROGRESS, Grade.D, False),
    ),
    (
        # The municipal worked example: progress = (21 − 10) / (32 − 10) = 11/22 = 0.5 → C;
        # simple = 21/32 = 0.65625.
        "municipal_worked_example",
        spec(baseline=D(10), target=D(32)),
        D(21),
        Achievement(D("0.65625"), D("0.5"), RateBasis.PROGRESS, Grade.C, False),
    ),
    (
        # Same numbers, but the plan makes the simple rate official: 8/15 = 0.533… → C, not D.
        "increase_with_simple_rate_official",
        spec(baseline=D(1225), target=D(7500), official_rate=RateBasis.SIMPLE),
        D(4000),
        Achievement(D(8) / D(15), D(111) / D(251), RateBasis.SIMPLE, Grade.C, False),
    ),
    (
        # Lower is better: progress = (87 − 90) / (85 − 90) = −3 / −5 = 0.6 → C;
        # simple mirrored = 目標 ÷ 実績 = 85/87 = 0.977…
        "decrease",
        spec(baseline=D(90), target=D(85), direction=Direction.DECREASE),
        D(87),
        Achievement(D(85) / D(87), D("0.6"), RateBasis.PROGRESS, Grade.C, False),
    ),
    (
        # 以上 target beaten: progress = (90 − 50) / (80 − 50) = 40/30 = 4/3 → A;
        # simple = 90/80 = 1.125.
        "at_least_target_beaten",
        spec(baseline=D(50), target=D(80), direction=None, comparator=Comparator.GE),
        D(90),
        Achievement(D("1.125"), D(4) / D(3), RateBasis.PROGRESS, Grade.A, True),
    ),
    (
        # 以下 target, no baseline: simple mirrored = 20/25 = 0.8 → B; 25 > 20 so not met.
        "at_most_target_missed",
        spec(target=D(20), direction=Direction.MAINTAIN, comparator=Comparator.LE),
        D(25),
        Achievement(D("0.8"), None, RateBasis.SIMPLE, Grade.B, False),
    ),
    (
        # 以下 target met: simple mirrored = 20/16 = 1.25 → A.
        "at_most_target_met",
        spec(target=D(20), direction=Direction.MAINTAIN, comparator=Comparator.LE),
        D(16),
        Achievement(D("1.25"), None, RateBasis.SIMPLE, Grade.A, True),
    ),
    (
        # 累計: the baseline 12 is a pre-plan figure, the running total starts from 0:
        # progress = (36 − 0) / (60 − 0) = 0.6 → C; simple = 36/60 = 0.6.
        "cumulative",
        spec(baseline=D(12), target=D(60), cumulative=True),
        D(36),
        Achievement(D("0.6"), D("0.6"), RateBasis.PROGRESS, Grade.C, False),
    ),
    (
        # Milestone done: rate 1 → A.
        "milestone_done",
        MILESTONE,
        D(1),
        Achievement(D(1), D(1), RateBasis.SIMPLE, Grade.A, True),
    ),
    (
        # Milestone not done: rate 0 → D.
        "milestone_not_done",
        MILESTONE,
        D(0),
        Achievement(D(0), D(0), RateBasis.SIMPLE, Grade.D, False),
    ),
    (
        # No baseline (75 % target): simple = 60/75 = 0.8 → B; no progress rate.
        "no_baseline",
        spec(target=D(75), value_kind=ValueKind.PERCENT),
        D(60),
        Achievement(D("0.8"), None, RateBasis.SIMPLE, Grade.B, False),
    ),
    (
        # Target = baseline = 50: progress would divide by 0, simple = 50/50 = 1 → A.
        "target_equals_baseline",
        spec(baseline=D(50), target=D(50), direction=Direction.MAINTAIN),
        D(50),
        Achievement(D(1), None, RateBasis.SIMPLE, Grade.A, True),
    ),
    (
        # Progress official but uncomputable (target = baseline): falls back to simple 45/50.
        "progress_official_but_target_equals_baseline",
        spec(
            baseline=D(50),
            target=D(50),
            direction=Direction.MAINTAIN,
            official_rate=RateBasis.PROGRESS,
        ),
        D(45),
        Achievement(D("0.9"), None, RateBasis.SIMPLE, Grade.B, False),
    ),
    (
        # Decrease to 0 from 10, actual 0: simple 0/0 is undefined, progress (0−10)/(0−10) = 1.
        "decrease_to_zero_reached",
        spec(
            baseline=D(10),
            target=D(0),
            direction=Direction.DECREASE,
            official_rate=RateBasis.SIMPLE,
        ),
        D(0),
        Achievement(None, D(1), RateBasis.PROGRESS, Grade.A, True),
    ),
    (
        # Below the baseline: progress (900 − 1000) / (2000 − 1000) = −0.1 → D; simple 0.45.
        "worse_than_baseline",
        spec(baseline=D(1000), target=D(2000)),
        D(900),
        Achievement(D("0.45"), D("-0.1"), RateBasis.PROGRESS, Grade.D, False),
    ),
]


@pytest.mark.parametrize(
    ("story", "indicator", "actual", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_achievement_is_computed_as_the_planning_division_does_by_hand(
    story: str, indicator: IndicatorSpec, actual: Decimal, expected: Achievement
) -> None:
    result = assess(indicator, PLAN, actual)
    assert result == expected, story
    for rate in (result.simple_rate, result.progress_rate, result.rate):
        assert rate is None or type(rate) is Decimal


def test_the_official_rate_is_the_progress_rate_where_there_is_a_baseline() -> None:
    result = assess(spec(baseline=D(10), target=D(32)), PLAN, D(21))
    assert result.rate == D("0.5")
    assert format_rate(result.rate) == "50.0%"
    assert format_rate(result.simple_rate) == "65.6%"  # 65.625 → 65.6 (half up on the 2)


# --- grades without a rate ---------------------------------------------------------------


def test_an_indicator_without_a_target_has_no_grade() -> None:
    result = assess(spec(baseline=D(10)), PLAN, D(21))
    assert result.grade is Grade.NO_TARGET
    assert result.simple_rate is None
    assert result.progress_rate is None
    assert result.target_met is None


@pytest.mark.parametrize(
    ("reason", "grade"),
    [
        (None, Grade.DATA_PENDING),
        (MissingReason.NOT_COMPILED, Grade.DATA_PENDING),
        (MissingReason.NOT_APPLICABLE, Grade.NOT_ASSESSABLE),
        (MissingReason.NOT_PUBLISHED, Grade.NOT_ASSESSABLE),
    ],
)
def test_a_missing_value_grades_by_why_it_is_missing(
    reason: MissingReason | None, grade: Grade
) -> None:
    result = assess(spec(baseline=D(10), target=D(32)), PLAN, None, reason)
    assert result.grade is grade
    assert result.rate is None
    assert not result.grade.is_letter


@pytest.mark.parametrize(
    ("status", "grade"),
    [
        (IndicatorStatus.NOT_STARTED, Grade.NOT_STARTED),
        (IndicatorStatus.DISCONTINUED, Grade.DISCONTINUED),
    ],
)
def test_work_not_started_or_discontinued_grades_as_such_whatever_the_value(
    status: IndicatorStatus, grade: Grade
) -> None:
    result = assess(spec(baseline=D(10), target=D(32), status=status), PLAN, D(32))
    assert result.grade is grade
    assert result.simple_rate is None
    assert result.progress_rate is None


# --- thresholds and labels ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "grade"),
    [
        (D("100"), Grade.A),  # 1.00 exactly
        (D("150"), Grade.A),
        (D("99.99"), Grade.B),
        (D("80"), Grade.B),  # 0.80 exactly
        (D("79.99"), Grade.C),
        (D("50"), Grade.C),  # 0.50 exactly
        (D("49.99"), Grade.D),  # 0.4999
        (D("0"), Grade.D),
    ],
)
def test_grade_thresholds_include_their_lower_bound(actual: Decimal, grade: Grade) -> None:
    # No baseline, target 100: the rate is actual / 100.
    assert assess(spec(target=D(100)), PLAN, actual).grade is grade


def test_the_plan_can_raise_the_bar_for_b() -> None:
    strict = PlanSettings(start_year=2022, end_year=2026, baseline_year=2020, grade_b=D("0.9"))
    indicator = spec(target=D(100))
    assert assess(indicator, PLAN, D(85)).grade is Grade.B
    assert assess(indicator, strict, D(85)).grade is Grade.C
    assert assess(indicator, strict, D(90)).grade is Grade.B


@pytest.mark.parametrize(
    ("labels", "lang", "expected"),
    [
        (GradeLabels.LETTERS, "ja", ["A", "B", "C", "D"]),
        (GradeLabels.WORDS, "ja", ["順調", "概ね順調", "やや遅れ", "遅れ"]),
        (GradeLabels.MARKS, "ja", ["◎", "○", "△", "×"]),
        (GradeLabels.WORDS, "en", ["On track", "Mostly on track", "Slightly behind", "Behind"]),
    ],
)
def test_grades_print_with_the_plans_label_set(
    labels: GradeLabels, lang: str, expected: list[str]
) -> None:
    grades = [Grade.A, Grade.B, Grade.C, Grade.D]
    assert [g.label(labels, lang) for g in grades] == expected


def test_the_b_grade_in_words_is_gainu_junchou() -> None:
    assert Grade.B.label(GradeLabels.WORDS) == "概ね順調"
    assert Grade.A.label() == "A"


def test_non_grades_print_their_reason() -> None:
    assert Grade.NOT_STARTED.label() == "未着手"
    assert Grade.DISCONTINUED.label(GradeLabels.WORDS) == "中止"
    assert Grade.NOT_ASSESSABLE.label(lang="en") == "Cannot be assessed"
    assert Grade.DATA_PENDING.label() == "データ未確定"
    assert Grade.NO_TARGET.label() == "—"


# --- format_rate --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (D(21) / D(22), "95.5%"),  # 0.954545… → 95.45… → 95.5
        (D("0.9545"), "95.5%"),  # 95.45 rounds half up, not to even (95.4)
        (D("0.9544"), "95.4%"),
        (D(1), "100.0%"),
        (D(0), "0.0%"),
        (D("1.125"), "112.5%"),
        (D("-0.1"), "-10.0%"),
        (None, "—"),
    ],
)
def test_a_rate_prints_as_a_percentage_with_one_decimal(rate: Decimal | None, text: str) -> None:
    assert format_rate(rate) == text


def test_a_huge_rate_prints_instead_of_raising() -> None:
    # Regression: 1E+32 % did not fit the 28-digit context and quantize() raised.
    assert format_rate(D("1E+30")) == f"{10**32}.0%"


# --- on track -----------------------------------------------------------------------------


TOWARDS_7500 = spec(baseline=D(1225), target=D(7500), target_year=2026)
# FY2022 is 2 of the 6 years from the 2020 baseline to the 2026 target.
EXPECTED_2022 = D(1225) + D(6275) * 2 / 6  # 3316.666…


def test_a_value_exactly_on_the_path_is_on_track_with_health_one() -> None:
    result = on_track(TOWARDS_7500, PLAN, EXPECTED_2022, 2022)
    assert result.expected == EXPECTED_2022
    assert result.health == D(1)
    assert result.status is TrackStatus.ON_TRACK


def test_the_expected_value_follows_the_straight_line_from_baseline_to_target() -> None:
    # 1225 + 6275 × k/6 for k = 2 … 6; after the target year it stays at the target.
    for year, k in [(2022, 2), (2023, 3), (2024, 4), (2025, 5), (2026, 6), (2027, 6)]:
        result = on_track(TOWARDS_7500, PLAN, D(5000), year)
        assert result.expected == D(1225) + D(6275) * k / 6, year
    assert on_track(TOWARDS_7500, PLAN, D(5000), 2023).expected == D("4362.5")
    assert on_track(TOWARDS_7500, PLAN, D(5000), 2026).expected == D(7500)


def test_the_target_year_defaults_to_the_end_of_the_plan() -> None:
    result = on_track(replace(TOWARDS_7500, target_year=None), PLAN, D(5000), 2023)
    assert result.expected == D("4362.5")


# Baseline 1000 (2020) → 2000 (2024): expected in 2022 is 1500, 500 above the baseline.
TOWARDS_2000 = spec(baseline=D(1000), target=D(2000), target_year=2024)


@pytest.mark.parametrize(
    ("actual", "health", "status"),
    [
        (D(1600), D("1.2"), TrackStatus.ON_TRACK),
        (D(1500), D(1), TrackStatus.ON_TRACK),
        (D(1475), D("0.95"), TrackStatus.ON_TRACK),  # 475/500, the lower bound
        (D(1450), D("0.9"), TrackStatus.SLIGHTLY_BEHIND),  # 450/500
        (D(1425), D("0.85"), TrackStatus.SLIGHTLY_BEHIND),  # 425/500, the lower bound
        (D(1420), D("0.84"), TrackStatus.BEHIND),
        (D(1250), D("0.5"), TrackStatus.BEHIND),  # 250/500
        (D(900), D("-0.2"), TrackStatus.BEHIND),  # below the baseline
    ],
)
def test_health_is_the_share_of_this_years_expected_progress_made(
    actual: Decimal, health: Decimal, status: TrackStatus
) -> None:
    result = on_track(TOWARDS_2000, PLAN, actual, 2022)
    assert result.expected == D(1500)
    assert result.health == health
    assert result.status is status


def test_nine_tenths_of_the_way_on_the_7500_path_is_slightly_behind() -> None:
    # 1225 + 0.9 × (3316.67 − 1225) = 3107.5
    actual = D(1225) + (EXPECTED_2022 - D(1225)) * D("0.9")
    result = on_track(TOWARDS_7500, PLAN, actual, 2022)
    assert result.status is TrackStatus.SLIGHTLY_BEHIND
    assert result.health is not None
    assert abs(result.health - D("0.9")) < D("1E-20")


def test_half_way_on_the_7500_path_is_behind() -> None:
    actual = D(1225) + (EXPECTED_2022 - D(1225)) / 2
    assert on_track(TOWARDS_7500, PLAN, actual, 2022).status is TrackStatus.BEHIND


def test_a_decrease_path_runs_downwards() -> None:
    # 90 (2020) → 85 (2026): 2023 expects 90 − 5 × 3/6 = 87.5.
    towards_85 = spec(baseline=D(90), target=D(85), direction=Direction.DECREASE)
    result = on_track(towards_85, PLAN, D("87.5"), 2023)
    assert (result.expected, result.health, result.status) == (
        D("87.5"),
        D(1),
        TrackStatus.ON_TRACK,
    )
    # 89: (89 − 90) / (87.5 − 90) = −1 / −2.5 = 0.4 → behind.
    result = on_track(towards_85, PLAN, D(89), 2023)
    assert (result.health, result.status) == (D("0.4"), TrackStatus.BEHIND)


def test_a_cumulative_path_starts_from_zero_the_year_before_the_plan() -> None:
    # 0 in 2021 → 60 in 2026: 2023 expects 60 × 2/5 = 24.
    running_total = spec(baseline=D(12), target=D(60), cumulative=True)
    result = on_track(running_total, PLAN, D(24), 2023)
    assert (result.expected, result.health, result.status) == (D(24), D(1), TrackStatus.ON_TRACK)
    # 18 of 24 is 0.75 → behind.
    result = on_track(running_total, PLAN, D(18), 2023)
    assert (result.expected, result.health, result.status) == (
        D(24),
        D("0.75"),
        TrackStatus.BEHIND,
    )


@pytest.mark.parametrize(
    ("actual", "year", "status"),
    [
        (D(0), 2021, TrackStatus.ON_TRACK),  # not done yet, but not due until 2022
        (D(0), 2022, TrackStatus.BEHIND),  # due this year and not done
        (D(0), 2023, TrackStatus.BEHIND),
        (D(1), 2021, TrackStatus.DONE),
        (D(1), 2023, TrackStatus.DONE),
    ],
)
def test_a_milestone_is_on_schedule_until_its_target_year(
    actual: Decimal, year: int, status: TrackStatus
) -> None:
    result = on_track(MILESTONE, PLAN, actual, year)
    assert result.status is status
    assert result.health is None


def test_a_target_equal_to_the_baseline_is_on_track_while_held() -> None:
    # 50 → 50: no progress to measure; on track while the value holds the line (以上).
    hold = spec(baseline=D(50), target=D(50), direction=Direction.MAINTAIN)
    assert on_track(hold, PLAN, D(50), 2023).status is TrackStatus.ON_TRACK
    assert on_track(hold, PLAN, D(49), 2023).status is TrackStatus.BEHIND
    assert on_track(hold, PLAN, D(49), 2023).health is None


@pytest.mark.parametrize(
    ("indicator", "value", "year"),
    [
        (TOWARDS_7500, None, 2023),  # no value
        (spec(baseline=D(1225)), D(5000), 2023),  # no target
        (spec(target=D(7500)), D(5000), 2023),  # no baseline
        (TOWARDS_7500, D(1225), 2020),  # the baseline year itself
        (TOWARDS_7500, D(1225), 2019),
        (replace(TOWARDS_7500, status=IndicatorStatus.DISCONTINUED), D(5000), 2023),
        (replace(TOWARDS_7500, target_year=2020), D(5000), 2023),  # target at the baseline
    ],
)
def test_on_track_cannot_be_judged_without_a_path(
    indicator: IndicatorSpec, value: Decimal | None, year: int
) -> None:
    result = on_track(indicator, PLAN, value, year)
    assert (result.expected, result.health, result.status) == (
        None,
        None,
        TrackStatus.NOT_ASSESSABLE,
    )


def test_track_statuses_have_japanese_and_english_labels() -> None:
    assert TrackStatus.DONE.label() == "達成済み"
    assert TrackStatus.SLIGHTLY_BEHIND.label() == "やや遅れ"
    assert TrackStatus.BEHIND.label("en") == "Behind"
    assert TrackStatus.NOT_ASSESSABLE.label() == "—"


# --- properties -----------------------------------------------------------------------------


AMOUNT = st.decimals(min_value=-(10**9), max_value=10**9, places=4)


@given(baseline=AMOUNT, target=AMOUNT, actual=AMOUNT)
def test_reaching_the_target_exactly_always_grades_a(
    baseline: Decimal, target: Decimal, actual: Decimal
) -> None:
    indicator = spec(baseline=baseline, target=target, comparator=Comparator.GE)
    reached = assess(indicator, PLAN, target)
    if target != 0 or baseline != target:
        assert reached.grade is Grade.A
        assert reached.target_met is True
    result = assess(indicator, PLAN, actual)
    assert result.rate is None or type(result.rate) is Decimal
    if result.progress_rate is not None:
        # Progress is exact up to Decimal's 28 significant digits.
        assert result.progress_rate == (actual - baseline) / (target - baseline)


def test_zero_on_a_lower_is_better_indicator_without_baseline_meets_the_target() -> None:
    from kplan_desktop.domain.model import Direction

    spec = IndicatorSpec(
        "Z-1", "件", ValueKind.COUNT, direction=Direction.DECREASE, target=Decimal(5)
    )
    result = assess(
        spec, PlanSettings(start_year=2022, end_year=2026, baseline_year=2020), Decimal(0)
    )
    assert result.simple_rate is None and result.progress_rate is None
    assert result.target_met is True
    assert result.grade is Grade.A
