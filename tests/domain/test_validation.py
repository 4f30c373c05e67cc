"""Tests for kplan_desktop.domain.validation: errors block saving, warnings need a comment."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kplan_desktop.domain.model import (
    Comparator,
    Direction,
    IndicatorSpec,
    MissingReason,
    PlanSettings,
    ValueKind,
)
from kplan_desktop.domain.validation import EntryCheck, Finding, Severity, check_entry
from kplan_desktop.domain.values import ParsedValue

PLAN = PlanSettings(start_year=2022, end_year=2026, baseline_year=2020)

PEOPLE = IndicatorSpec("B-01", "人", ValueKind.COUNT)
PERCENT = IndicatorSpec("B-02", "%", ValueKind.PERCENT)
PERCENT_1DP = IndicatorSpec("B-03", "%", ValueKind.PERCENT, decimals=1)
TEN_THOUSAND_CASES = IndicatorSpec("B-04", "万件", ValueKind.SCALED_COUNT)
RATIO = IndicatorSpec("B-05", "倍", ValueKind.DECIMAL)
RATIO_MAY_BE_NEGATIVE = IndicatorSpec("B-06", "倍", ValueKind.DECIMAL, allow_negative=True)
TIMES_A_YEAR = IndicatorSpec("B-07", "回/年", ValueKind.PER_PERIOD)
MILESTONE = IndicatorSpec(
    "B-08", None, ValueKind.MILESTONE, direction=Direction.MILESTONE, target=Decimal(1)
)
CUMULATIVE = IndicatorSpec(
    "B-09", "件", ValueKind.COUNT, direction=Direction.INCREASE, cumulative=True
)
UNIT_NOT_SET = IndicatorSpec("B-10", None, None)
NO_HISTORY: Mapping[int, Decimal] = {}


def codes(check: EntryCheck) -> tuple[str, ...]:
    return tuple(f.code for f in check.findings)


def check(
    text: str,
    spec: IndicatorSpec,
    fiscal_year: int = 2023,
    history: Mapping[int, Decimal] = NO_HISTORY,
    plan: PlanSettings = PLAN,
) -> EntryCheck:
    return check_entry(text, spec, plan, fiscal_year, history)


# --- clean values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        ("１，２２５人", PEOPLE, Decimal(1225)),
        ("98.7%", PERCENT, Decimal("98.7")),
        ("98.7％", PERCENT_1DP, Decimal("98.7")),
        ("260万件", TEN_THOUSAND_CASES, Decimal(260)),
        ("260.0001", TEN_THOUSAND_CASES, Decimal("260.0001")),
        ("3回／年", TIMES_A_YEAR, Decimal(3)),
        ("▲3.2", RATIO_MAY_BE_NEGATIVE, Decimal("-3.2")),
        ("達成", MILESTONE, Decimal(1)),
        ("0%", PERCENT, Decimal(0)),
        ("100%", PERCENT, Decimal(100)),
    ],
)
def test_clerk_types_a_good_value_and_it_saves_without_a_comment(
    text: str, spec: IndicatorSpec, expected: Decimal
) -> None:
    result = check(text, spec)
    assert result.findings == ()
    assert result.parsed == ParsedValue(value=expected)
    assert type(result.parsed.value) is Decimal
    assert result.can_save(None)


@pytest.mark.parametrize("text", ["—", "", "未集計", "該当なし"])
def test_clerk_clears_a_value_or_gives_a_missing_reason_and_it_saves(text: str) -> None:
    result = check(text, PEOPLE)
    assert result.findings == ()
    assert result.can_save(None)


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        ("-3", PEOPLE, ("E_NEGATIVE",)),
        ("▲3.2", RATIO, ("E_NEGATIVE",)),
        ("△3.2", RATIO, ("E_NEGATIVE",)),
        ("▲3.2", PEOPLE, ("E_NEGATIVE", "E_FRACTION")),
        ("1.5", PEOPLE, ("E_FRACTION",)),
        ("1.5回", TIMES_A_YEAR, ("E_FRACTION",)),
        # 万件 allows 4 decimals (1件 = 0.0001万件) but not 5 (half a case).
        ("260.00005", TEN_THOUSAND_CASES, ("E_FRACTION",)),
        ("0.5件", TEN_THOUSAND_CASES, ("E_FRACTION",)),
        ("101%", PERCENT, ("E_PERCENT_RANGE",)),
        ("100.1", PERCENT, ("E_PERCENT_RANGE",)),
        ("98.75%", PERCENT_1DP, ("E_DECIMALS",)),
        ("1,225件", PEOPLE, ("E_UNIT_MISMATCH",)),
        ("abc", PEOPLE, ("E_PARSE",)),
        ("maybe", MILESTONE, ("E_MILESTONE_VALUE",)),
        ("12", UNIT_NOT_SET, ("E_UNIT_NOT_SET",)),
    ],
)
def test_clerk_types_a_value_the_indicator_cannot_take_and_cannot_save_it(
    text: str, spec: IndicatorSpec, expected: tuple[str, ...]
) -> None:
    result = check(text, spec)
    assert codes(result) == expected
    assert all(f.severity is Severity.ERROR for f in result.findings)
    assert result.warnings == ()
    assert not result.can_save(None)
    assert not result.can_save("理由があります")


def test_a_trailing_zero_does_not_count_as_a_decimal_place() -> None:
    # 98.70 is 98.7: one decimal place.
    assert codes(check("98.70%", PERCENT_1DP)) == ()
    assert codes(check("98.750", PERCENT_1DP)) == ("E_DECIMALS",)


def test_a_negative_value_is_allowed_where_the_indicator_allows_it() -> None:
    result = check("▲3.2", RATIO_MAY_BE_NEGATIVE)
    assert codes(result) == ()
    assert result.parsed is not None
    assert result.parsed.value == Decimal("-3.2")


def test_an_unreadable_value_has_no_parsed_value() -> None:
    result = check("abc", PEOPLE)
    assert result.parsed is None
    assert result.errors[0].message("en").startswith("Not a number")


@pytest.mark.parametrize("year", [2021, 2027])
def test_clerk_enters_a_year_outside_the_plan_and_cannot_save(year: int) -> None:
    result = check("1,225", PEOPLE, fiscal_year=year)
    assert codes(result) == ("E_YEAR_OUT_OF_PLAN",)
    assert not result.can_save("理由")
    assert f"{year}" in result.errors[0].message_ja


@pytest.mark.parametrize("year", [2022, 2026])
def test_the_first_and_last_plan_years_are_inside_the_plan(year: int) -> None:
    assert codes(check("1,225", PEOPLE, fiscal_year=year)) == ()


def test_a_year_outside_the_plan_is_reported_together_with_a_parse_error() -> None:
    result = check("abc", PEOPLE, fiscal_year=2027)
    assert codes(result) == ("E_YEAR_OUT_OF_PLAN", "E_PARSE")


def test_a_year_outside_the_plan_is_reported_even_for_a_cleared_cell() -> None:
    assert codes(check("—", PEOPLE, fiscal_year=2021)) == ("E_YEAR_OUT_OF_PLAN",)


def test_a_value_with_errors_gets_no_warnings_at_all() -> None:
    # 101% would also be >50% up on 40% and over 3× a 30% target, but the error stands alone.
    spec = IndicatorSpec("B-11", "%", ValueKind.PERCENT, target=Decimal(30))
    result = check("101%", spec, history={2022: Decimal(40)})
    assert codes(result) == ("E_PERCENT_RANGE",)
    # Same history with a year outside the plan: only that error.
    result = check("99%", spec, fiscal_year=2027, history={2026: Decimal(40)})
    assert codes(result) == ("E_YEAR_OUT_OF_PLAN",)


# --- warnings: year on year -----------------------------------------------------------------


def test_a_jump_of_more_than_half_on_last_year_needs_a_comment() -> None:
    # 100 → 151: +51% > ±50%.
    result = check("151", PEOPLE, history={2022: Decimal(100)})
    assert codes(result) == ("W_YOY_CHANGE",)
    assert result.warnings[0].severity is Severity.WARNING
    assert "51%" in result.warnings[0].message_ja
    assert not result.can_save(None)
    assert not result.can_save("   ")
    assert result.can_save("理由")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("150", ()),  # +50% exactly: within the threshold
        ("50", ()),  # −50% exactly
        ("151", ("W_YOY_CHANGE",)),
        ("49", ("W_YOY_CHANGE",)),  # −51%
    ],
)
def test_the_year_on_year_threshold_is_fifty_percent_either_way(
    text: str, expected: tuple[str, ...]
) -> None:
    assert codes(check(text, PEOPLE, history={2022: Decimal(100)})) == expected


def test_year_on_year_compares_with_the_nearest_earlier_known_year() -> None:
    # 2022 is unknown; 2021 (100) is the nearest earlier; the later 2024 value is ignored.
    # Two years from 2021 to 2023: the ±50% a year allows ±100%.
    history = {2020: Decimal(10), 2021: Decimal(100), 2024: Decimal(1000)}
    assert codes(check("200", PEOPLE, history=history)) == ()
    result = check("201", PEOPLE, history=history)
    assert codes(result) == ("W_YOY_CHANGE",)
    # The year as the UI writes it, and the span the threshold covers.
    expected = "令和3年度（100人）から101%の変化です（目安: 2年で±100%）"
    assert expected in result.warnings[0].message_ja
    assert "FY2021" in result.warnings[0].message_en


def test_numbers_in_warnings_are_grouped_as_the_grid_shows_them() -> None:
    """Trial 15b (12): 「令和2年度（1225人）」 beside the grid's 1,225."""
    result = check("3000", PEOPLE, history={2022: Decimal(1225)})
    assert codes(result) == ("W_YOY_CHANGE",)
    assert "（1,225人）から" in result.warnings[0].message_ja
    assert "1,225" in result.warnings[0].message_en


def test_year_on_year_falls_back_to_the_baseline_scaled_by_the_years_between() -> None:
    spec = IndicatorSpec("B-12", "人", ValueKind.COUNT, baseline=Decimal(100))
    # No history: compared with the 2020 baseline of 100, two years before 2022.
    result = check("201", spec, fiscal_year=2022)
    assert codes(result) == ("W_YOY_CHANGE",)
    assert "令和2年度" in result.warnings[0].message_ja
    assert codes(check("200", spec, fiscal_year=2022)) == ()


def test_ordinary_progress_toward_a_five_year_target_needs_no_comment() -> None:
    """Baseline 2 (2020), target 5 (2026): 4 in 2025 with the years between empty is progress
    on the way (it warned as +100% against the baseline)."""
    spec = IndicatorSpec(
        "B-30", "回", ValueKind.COUNT, baseline=Decimal(2), target=Decimal(5), target_year=2026
    )
    assert codes(check("4", spec, fiscal_year=2025)) == ()
    # Last known value 2 in 2024: 4.5 is where the straight path to 5 in 2026 runs.
    spec_path = IndicatorSpec("B-31", "回", ValueKind.COUNT, target=Decimal(20), target_year=2026)
    assert codes(check("11", spec_path, fiscal_year=2025, history={2024: Decimal(2)})) == ()
    # Off the path and far from last year: a jump.
    jump = check("30", spec_path, fiscal_year=2025, history={2024: Decimal(2)})
    assert codes(jump) == ("W_YOY_CHANGE",)


def test_a_cumulative_jump_warns_as_a_jump_not_only_as_over_three_times_the_target() -> None:
    spec = IndicatorSpec(
        "B-32",
        "件",
        ValueKind.COUNT,
        direction=Direction.INCREASE,
        cumulative=True,
        target=Decimal(100),
        target_year=2026,
    )
    result = check("360", spec, fiscal_year=2024, history={2022: Decimal(20), 2023: Decimal(36)})
    assert codes(result) == ("W_YOY_CHANGE", "W_OVER_3X_TARGET")
    assert "令和5年度（36件）から900%の変化です" in result.warnings[0].message_ja
    # A jump below three times the target is still a jump.
    assert codes(check("250", spec, fiscal_year=2024, history={2023: Decimal(36)})) == (
        "W_YOY_CHANGE",
    )
    # Steady growth of a running total is not.
    assert codes(check("60", spec, fiscal_year=2024, history={2023: Decimal(36)})) == ()


def test_year_on_year_ignores_the_value_being_replaced() -> None:
    # Re-entering 2023: the old 2023 value (1000) is not the comparison, 2022 (100) is.
    assert codes(check("120", PEOPLE, history={2022: Decimal(100), 2023: Decimal(1000)})) == ()


def test_an_indicator_with_its_own_year_on_year_threshold() -> None:
    spec = IndicatorSpec("B-13", "人", ValueKind.COUNT, yoy_threshold=Decimal("0.2"))
    assert codes(check("121", spec, history={2022: Decimal(100)})) == ("W_YOY_CHANGE",)
    assert codes(check("120", spec, history={2022: Decimal(100)})) == ()


def test_a_cumulative_indicator_may_double_in_a_year_but_not_more() -> None:
    # A running total may well double; the per-year threshold is twice the indicator's.
    assert codes(check("20", CUMULATIVE, history={2022: Decimal(10)})) == ()
    assert codes(check("21", CUMULATIVE, history={2022: Decimal(10)})) == ("W_YOY_CHANGE",)


def test_year_on_year_from_a_previous_zero_is_not_a_change() -> None:
    assert codes(check("5", PEOPLE, history={2022: Decimal(0)})) == ()


def test_a_tiny_previous_value_does_not_break_the_check() -> None:
    # Regression: the +10^28 % change used to overflow quantize() and raise InvalidOperation.
    result = check("999999999999999999", RATIO, history={2022: Decimal("0.00000001")})
    assert codes(result) == ("W_YOY_CHANGE",)


# --- warnings: cumulative, target, same value --------------------------------------------------


def test_a_cumulative_total_that_goes_down_needs_a_comment() -> None:
    result = check(
        "18", CUMULATIVE, fiscal_year=2024, history={2022: Decimal(10), 2023: Decimal(20)}
    )
    assert codes(result) == ("W_CUMULATIVE_DECREASE",)
    assert "令和5年度" in result.warnings[0].message_ja
    assert result.can_save("集計方法の変更")


def test_a_cumulative_total_equal_to_last_year_is_not_a_decrease() -> None:
    assert codes(check("20", CUMULATIVE, history={2022: Decimal(20)})) == ()


def test_a_cumulative_total_is_not_compared_with_the_pre_plan_baseline() -> None:
    # The 2020 baseline (50) is a pre-plan figure; the plan's running total starts afresh, so
    # 48 in 2022 is no decrease. (Grade: 48/55 = 0.8727… → B, no warning either.)
    spec = IndicatorSpec(
        "B-14", "件", ValueKind.COUNT, cumulative=True, baseline=Decimal(50), target=Decimal(55)
    )
    assert codes(check("48", spec, fiscal_year=2022)) == ()


def test_a_value_over_three_times_the_target_needs_a_comment() -> None:
    spec = IndicatorSpec("B-15", "人", ValueKind.COUNT, target=Decimal(100))
    assert codes(check("301", spec)) == ("W_OVER_3X_TARGET",)
    assert codes(check("300", spec)) == ()


def test_the_same_value_three_years_running_needs_a_comment() -> None:
    history = {2022: Decimal(50), 2023: Decimal("50.0")}
    result = check("50", PEOPLE, fiscal_year=2024, history=history)
    assert codes(result) == ("W_SAME_3_YEARS",)
    assert not result.can_save(None)
    assert result.can_save("実際に横ばい")


def test_the_same_value_two_years_running_is_fine() -> None:
    assert codes(check("50", PEOPLE, fiscal_year=2024, history={2023: Decimal(50)})) == ()
    # A gap year breaks the run.
    assert codes(check("50", PEOPLE, fiscal_year=2024, history={2022: Decimal(50)})) == ()


def test_the_same_value_three_years_counts_the_baseline_year() -> None:
    spec = IndicatorSpec("B-16", "人", ValueKind.COUNT, baseline_year=2021, baseline=Decimal(50))
    assert codes(check("50", spec, fiscal_year=2023, history={2022: Decimal(50)})) == (
        "W_SAME_3_YEARS",
    )


# --- warnings: scale slips ----------------------------------------------------------------


def test_a_percentage_typed_as_a_fraction_needs_a_comment() -> None:
    result = check("0.987", PERCENT, history={2022: Decimal("98.7")})
    assert codes(result) == ("W_SCALE_PERCENT",)
    assert "98.7%" in result.warnings[0].message_ja


def test_a_small_percentage_after_a_small_one_is_not_a_scale_slip() -> None:
    assert codes(check("0.9", PERCENT, history={2022: Decimal("0.8")})) == ()


def test_ten_thousand_cases_typed_as_plain_cases_needs_a_comment() -> None:
    # 2,650,000 typed bare for a 万件 indicator last at 260: meant 265万件.
    result = check("2650000", TEN_THOUSAND_CASES, history={2022: Decimal(260)})
    assert codes(result) == ("W_SCALE_UNIT",)
    assert "265万件" in result.warnings[0].message_ja


def test_plain_cases_with_their_unit_are_converted_and_not_a_slip() -> None:
    result = check("2,650,000件", TEN_THOUSAND_CASES, history={2022: Decimal(260)})
    assert codes(result) == ()
    assert result.parsed == ParsedValue(value=Decimal(265))


# --- warnings: low grade ------------------------------------------------------------------


def test_a_value_grading_c_or_d_needs_a_comment() -> None:
    spec = IndicatorSpec("B-17", "人", ValueKind.COUNT, target=Decimal(100))
    # No baseline: simple rate 60/100 = 0.6 → C; 40/100 = 0.4 → D; 80/100 → B.
    assert codes(check("60", spec, fiscal_year=2026)) == ("W_LOW_GRADE",)
    assert codes(check("40", spec, fiscal_year=2026)) == ("W_LOW_GRADE",)
    assert codes(check("80", spec, fiscal_year=2026)) == ()
    # Before the target year a low grade is expected on the way to the target: no warning.
    assert codes(check("40", spec, fiscal_year=2023)) == ()
    assert check("40", spec, fiscal_year=2026).warnings[0].message_ja == (
        "評価が「D」になります。理由をコメントに記入してください"
    )


def test_which_grades_warn_is_a_plan_setting() -> None:
    spec = IndicatorSpec("B-18", "人", ValueKind.COUNT, target=Decimal(100))
    only_d = PlanSettings(
        start_year=2022, end_year=2026, baseline_year=2020, warn_grades=frozenset({"D"})
    )
    assert codes(check("60", spec, plan=only_d, fiscal_year=2026)) == ()
    assert codes(check("40", spec, plan=only_d, fiscal_year=2026)) == ("W_LOW_GRADE",)


def test_a_low_grade_warning_is_worded_with_the_plans_labels() -> None:
    from kplan_desktop.domain.model import GradeLabels

    spec = IndicatorSpec("B-19", "人", ValueKind.COUNT, target=Decimal(100))
    words = PlanSettings(
        start_year=2022, end_year=2026, baseline_year=2020, grade_labels=GradeLabels.WORDS
    )
    warning = check("60", spec, plan=words, fiscal_year=2026).warnings[0]
    assert "やや遅れ" in warning.message_ja
    assert "Slightly behind" in warning.message_en


def test_a_decrease_indicator_grades_against_its_target() -> None:
    # Baseline 90 → target 85 (lower is better); 87 is (87−90)/(85−90) = 0.6 → C.
    spec = IndicatorSpec(
        "B-20",
        "%",
        ValueKind.PERCENT,
        direction=Direction.DECREASE,
        comparator=Comparator.LE,
        baseline=Decimal(90),
        target=Decimal(85),
    )
    assert codes(check("87", spec, fiscal_year=2026)) == ("W_LOW_GRADE",)
    assert codes(check("85", spec, fiscal_year=2026)) == ()


def test_milestones_get_no_warnings() -> None:
    history = {2022: Decimal(0), 2023: Decimal(0)}
    assert codes(check("未達成", MILESTONE, fiscal_year=2024, history=history)) == ()


def test_several_warnings_are_all_reported_and_one_comment_explains_them() -> None:
    spec = IndicatorSpec("B-21", "人", ValueKind.COUNT, target=Decimal(10))
    # 2022: 10 → 2023: 31 is +210% and more than 3 × 10.
    result = check("31", spec, history={2022: Decimal(10)})
    assert codes(result) == ("W_YOY_CHANGE", "W_OVER_3X_TARGET")
    assert result.errors == ()
    assert result.can_save("イベント開催のため")


def test_a_finding_speaks_japanese_by_default_and_english_on_request() -> None:
    finding = Finding("W_X", Severity.WARNING, "日本語", "English")
    assert finding.message() == "日本語"
    assert finding.message("en") == "English"


# --- properties -----------------------------------------------------------------------------


SPECS = [
    PEOPLE,
    PERCENT,
    PERCENT_1DP,
    TEN_THOUSAND_CASES,
    RATIO,
    RATIO_MAY_BE_NEGATIVE,
    TIMES_A_YEAR,
    MILESTONE,
    CUMULATIVE,
    UNIT_NOT_SET,
    IndicatorSpec(
        "B-22",
        "人",
        ValueKind.COUNT,
        direction=Direction.INCREASE,
        baseline=Decimal(1225),
        target=Decimal(7500),
    ),
    IndicatorSpec(
        "B-23",
        "%",
        ValueKind.PERCENT,
        direction=Direction.DECREASE,
        baseline=Decimal("0.001"),
        target=Decimal(0),
    ),
]

NUMBERISH = st.from_regex(r"[▲△\-+]?[0-9０-９,，.]{1,25}(人|件|万件|%|％|回/年)?", fullmatch=True)

# Values as parsing produces them: up to 18 digits, scaled by a power of ten.
STORED_VALUE = st.builds(
    lambda n, places: Decimal(n).scaleb(-places),
    st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1),
    st.integers(min_value=0, max_value=18),
)


@given(
    text=st.one_of(st.text(max_size=120), NUMBERISH),
    spec=st.sampled_from(SPECS),
    fiscal_year=st.integers(min_value=2015, max_value=2035),
    history=st.dictionaries(st.integers(min_value=2015, max_value=2035), STORED_VALUE),
)
@example(
    text="999999999999999999",
    spec=RATIO,
    fiscal_year=2023,
    history={2022: Decimal("0.00000001")},
)
def test_checking_any_text_never_raises(
    text: str,
    spec: IndicatorSpec,
    fiscal_year: int,
    history: dict[int, Decimal],
) -> None:
    result = check_entry(text, spec, PLAN, fiscal_year, history)
    assert isinstance(result, EntryCheck)
    if result.parsed is None:
        assert result.errors
    elif result.parsed.value is not None:
        assert type(result.parsed.value) is Decimal
    if result.errors:
        assert result.warnings == ()
        assert not result.can_save("理由")


@given(reason=st.sampled_from(list(MissingReason)))
def test_any_missing_reason_saves_without_findings(reason: MissingReason) -> None:
    result = check(reason.label_ja, PEOPLE)
    assert result.parsed == ParsedValue(missing_reason=reason)
    assert result.findings == ()


def test_a_fraction_typed_for_a_percentage_with_one_decimal_suggests_the_percentage() -> None:
    spec = IndicatorSpec("P-9", "%", ValueKind.PERCENT, decimals=1, baseline=Decimal("98.7"))
    result = check("0.987", spec, history={2022: Decimal("98.7")})
    assert codes(result) == ("E_DECIMALS",)
    assert "98.7%のことですか" in result.errors[0].message_ja
    assert "did you mean 98.7%?" in result.errors[0].message_en
