"""Property tests of the value and fiscal-year parsers, judged by the fuzzer's oracles.

tests/domain/test_values.py and test_fiscal_year.py check that any text gives a value or a
DomainError. These check that what is accepted is right ("never a wrong accept"): an independent
reading must agree with every accepted value and year, clerk-style renderings of known numbers
and years read exactly, and damaged ones are refused. The defects the fuzzer found in the
parsers (KNOWN_DEFECTS) are tolerated by the properties and pinned by strict xfails below, so a
fix shows up as an unexpected pass.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import parse_fiscal_year
from kplan_desktop.domain.model import IndicatorSpec, ValueKind
from kplan_desktop.domain.values import ParsedValue, canonical, parse_value
from tests.fuzz.parser_fuzz import (
    KNOWN_DEFECTS,
    REJECT,
    Verdict,
    broken_value,
    broken_year,
    catalog_specs,
    clerk_value,
    clerk_year,
    judge_value,
    judge_year,
    random_text,
    value_problem,
    year_problem,
)

SPECS = catalog_specs()
PEOPLE = IndicatorSpec("A", "人", ValueKind.COUNT)
TEN_THOUSAND_CASES = IndicatorSpec("B", "万件", ValueKind.SCALED_COUNT)
SQUARE_METRES = IndicatorSpec("C", "㎡", ValueKind.DECIMAL)

RNGS = st.randoms(use_true_random=False)
TEXTS = st.one_of(st.text(max_size=120), st.builds(random_text, RNGS))


def assert_sound(verdict: Verdict) -> None:
    assert verdict.outcome != "failed" or verdict.kind in KNOWN_DEFECTS, verdict.detail


# -- values ---------------------------------------------------------------------------------


@given(text=TEXTS, spec=st.sampled_from(SPECS))
@example(text="1,200m²", spec=SQUARE_METRES)
@example(text="2,650,000件", spec=TEN_THOUSAND_CASES)
@example(text="▲ 0", spec=PEOPLE)
def test_any_text_is_read_as_an_independent_reading_says_or_refused(
    text: str, spec: IndicatorSpec
) -> None:
    assert_sound(judge_value(text, spec))


@given(rng=RNGS, spec=st.sampled_from(SPECS))
def test_a_number_typed_in_any_clerk_style_reads_as_exactly_that_number(
    rng: random.Random, spec: IndicatorSpec
) -> None:
    text, expected = clerk_value(rng, spec)
    assert_sound(judge_value(text, spec, expected))


@given(rng=RNGS, spec=st.sampled_from(SPECS))
def test_a_number_with_garbage_a_second_number_or_another_unit_is_refused(
    rng: random.Random, spec: IndicatorSpec
) -> None:
    assert_sound(judge_value(broken_value(rng, spec), spec, REJECT))


@given(
    spec=st.sampled_from([s for s in SPECS if s.unit is not None]),
    value=st.decimals(min_value=-(10**12), max_value=10**12, places=4),
)
def test_a_stored_value_typed_again_with_the_plan_unit_reads_the_same(
    spec: IndicatorSpec, value: Decimal
) -> None:
    for text in (canonical(value), canonical(value) + (spec.unit or "")):
        assert parse_value(text, spec).value == value


def test_the_value_oracle_refuses_what_an_independent_reading_refutes() -> None:
    def kind(text: str, spec: IndicatorSpec, value: str) -> str | None:
        problem = value_problem(text, spec, ParsedValue(Decimal(value)))
        return None if problem is None else problem[0]

    assert kind("1,200m²", SQUARE_METRES, "1200") is None
    assert kind("2,650,000件", TEN_THOUSAND_CASES, "265") is None
    assert kind("１，２２５ 人", PEOPLE, "1225") is None
    assert kind("2,650,000件", TEN_THOUSAND_CASES, "2650000") == "value-scan-mismatch"
    assert kind("1²", PEOPLE, "12") == "value-foreign-digit"
    assert kind("1٣", PEOPLE, "13") == "value-foreign-digit"
    assert kind("1,22,5", PEOPLE, "1225") == "value-scan-mismatch"
    assert kind("12 3", PEOPLE, "123") == "value-two-numbers"
    assert kind("12件", PEOPLE, "12") == "value-scan-mismatch"


# -- fiscal years ---------------------------------------------------------------------------


@given(text=TEXTS)
@example(text="令和5年度 (2023)")
@example(text="平成二十八年度")
def test_any_text_is_a_fiscal_year_the_text_explains_or_refused(text: str) -> None:
    assert_sound(judge_year(text))


@given(rng=RNGS)
def test_a_fiscal_year_typed_in_any_style_reads_as_that_year(rng: random.Random) -> None:
    text, year = clerk_year(rng)
    assert_sound(judge_year(text, year))


@given(rng=RNGS)
def test_two_years_garbage_a_mismatched_parenthesis_or_another_era_are_refused(
    rng: random.Random,
) -> None:
    assert_sound(judge_year(broken_year(rng), REJECT))


def test_the_year_oracle_refuses_what_the_text_does_not_say() -> None:
    assert year_problem("令和6年度 (2024)", 2024) is None
    assert year_problem("平成三十六年度", 2024) is None
    assert year_problem("2023 2024", 2024) is not None
    assert year_problem("R7", 2024) is not None
    assert year_problem("²⁰²⁴", 2024) == ("year-foreign-digit", "read as 2024")


# -- the defects found, pinned --------------------------------------------------------------


@pytest.mark.parametrize("text", ["1٣", "١٢", "१२", "๑๒", "1,2٣4"])
def test_digits_of_another_script_are_refused(text: str) -> None:
    with pytest.raises(DomainError):
        parse_value(text, PEOPLE)


@pytest.mark.parametrize("text", ["1²", "¹²³人", "①", "⑳人", "1⁰⁰"])
def test_superscript_and_circled_digits_are_refused(text: str) -> None:
    with pytest.raises(DomainError):
        parse_value(text, PEOPLE)


def test_a_refusal_quoting_a_pasted_newline_stays_one_line() -> None:
    with pytest.raises(DomainError) as info:
        parse_value("12\n34", PEOPLE)
    assert "\n" not in info.value.both()


@pytest.mark.parametrize("text", ["²⁰²⁴", "⑳⑳", "令和⑥年度", "R⑥", "2⁰74", "١٢"])
def test_superscript_and_circled_years_are_refused(text: str) -> None:
    with pytest.raises(DomainError):
        parse_fiscal_year(text)


def test_a_milestone_is_not_read_out_of_a_superscript_one() -> None:
    from kplan_desktop.domain.model import IndicatorSpec, ValueKind

    milestone = IndicatorSpec("M", None, ValueKind.MILESTONE)
    assert parse_value("1", milestone).value == 1
    for text in ("¹", "①"):
        with pytest.raises(DomainError):
            parse_value(text, milestone)
