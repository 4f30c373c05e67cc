"""Tests for kplan_desktop.domain.values: reading values the way clerks type them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import (
    Direction,
    IndicatorSpec,
    MissingReason,
    ValueKind,
)
from kplan_desktop.domain.values import (
    MAX_INPUT_LENGTH,
    ParsedValue,
    _parse_typed,
    _plain_number,
    canonical,
    parse_value,
    to_decimal,
)

PEOPLE = IndicatorSpec("A-01", "人", ValueKind.COUNT)
PERCENT = IndicatorSpec("A-02", "%", ValueKind.PERCENT)
TEN_THOUSAND_CASES = IndicatorSpec("A-03", "万件", ValueKind.SCALED_COUNT)
TIMES_A_YEAR = IndicatorSpec("A-04", "回／年", ValueKind.PER_PERIOD)
RATIO = IndicatorSpec("A-05", "倍", ValueKind.DECIMAL)
MILLION_YEN = IndicatorSpec("A-06", "百万円", ValueKind.AMOUNT)
SQUARE_METRES = IndicatorSpec("A-07", "㎡", ValueKind.DECIMAL)
CO2_TONNES = IndicatorSpec("A-08", "t-CO2", ValueKind.DECIMAL)
MILESTONE = IndicatorSpec(
    "A-09", None, ValueKind.MILESTONE, direction=Direction.MILESTONE, target=Decimal(1)
)
UNIT_NOT_SET = IndicatorSpec("A-10", None, None)

FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def value_of(text: str, spec: IndicatorSpec) -> Decimal:
    """The parsed number, checked to be a Decimal (never a float) and present."""
    parsed = parse_value(text, spec)
    assert parsed.missing_reason is None
    assert type(parsed.value) is Decimal
    return parsed.value


def error_code(text: str, spec: IndicatorSpec) -> str:
    with pytest.raises(DomainError) as info:
        parse_value(text, spec)
    return info.value.code


# --- numbers as typed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１，２２５人", Decimal(1225)),
        ("1,225", Decimal(1225)),
        ("1225", Decimal(1225)),
        ("1,225人", Decimal(1225)),
        ("1,225 人", Decimal(1225)),
        (" 1,225 ", Decimal(1225)),
        ("+1,225", Decimal(1225)),
        ("1,000,000", Decimal(1000000)),
        ("0", Decimal(0)),
    ],
)
def test_clerk_types_a_head_count_with_or_without_commas_unit_and_full_width_digits(
    text: str, expected: Decimal
) -> None:
    assert value_of(text, PEOPLE) == expected


@pytest.mark.parametrize(("text", "expected"), [("'5", "5"), ("＇1,225人", "1225"), ("'▲3", "-3")])
def test_a_leading_apostrophe_marks_text_in_a_spreadsheet_and_is_not_content(
    text: str, expected: str
) -> None:
    """Trial 13, finding 10: '5 in a cell is Excel's and Calc's way to say "text"."""
    assert value_of(text, PEOPLE) == Decimal(expected)


@pytest.mark.parametrize("text", ["''5", "'", "'abc"])
def test_an_apostrophe_that_is_not_one_mark_before_a_number_stays_unreadable(text: str) -> None:
    assert error_code(text, PEOPLE) == "E_PARSE"


@pytest.mark.parametrize(
    ("text", "word"), [("90以上", "以上"), ("約90", "約"), ("90%程度", "程度")]
)
def test_a_word_beside_the_number_is_not_a_unit_and_the_message_says_number_alone(
    text: str, word: str
) -> None:
    """Trial 13, finding 5: 90以上 was called a wrong unit (以上)."""
    with pytest.raises(DomainError) as caught:
        parse_value(text, PERCENT)
    assert caught.value.code == "E_PARSE"
    assert f"「{word}」のような言葉は付けず、数値だけを入力してください" in caught.value.message_ja
    assert "number alone" in caught.value.message_en


@pytest.mark.parametrize("text", ["98.7%", "98.7％", "98.7", "９８．７％", "98.70%"])
def test_clerk_types_a_percentage_with_half_or_full_width_percent_sign(text: str) -> None:
    assert value_of(text, PERCENT) == Decimal("98.7")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("260万件", Decimal(260)),
        ("260", Decimal(260)),
        ("２６０万件", Decimal(260)),
        # 2,650,000件 ÷ 10,000 = 265万件 exactly.
        ("2,650,000件", Decimal(265)),
        # 5件 = 0.0005万件: the conversion is exact, no binary rounding.
        ("5件", Decimal("0.0005")),
        # 1億件 = 10,000万件.
        ("1億件", Decimal(10000)),
    ],
)
def test_clerk_types_a_scaled_count_in_the_plan_unit_or_in_plain_cases(
    text: str, expected: Decimal
) -> None:
    assert value_of(text, TEN_THOUSAND_CASES) == expected


def test_cases_converted_to_ten_thousands_stay_exact_to_the_last_case() -> None:
    # 1,234,567件 ÷ 10,000 = 123.4567万件, not 123.45670000001.
    assert canonical(value_of("1,234,567件", TEN_THOUSAND_CASES)) == "123.4567"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3億円", Decimal(300)), ("500万円", Decimal("5")), ("12百万円", Decimal(12))],
)
def test_clerk_types_an_amount_in_another_yen_scale_and_it_is_converted(
    text: str, expected: Decimal
) -> None:
    # 3億円 = 300百万円; 500万円 = 5百万円.
    assert value_of(text, MILLION_YEN) == expected


@pytest.mark.parametrize("text", ["3回／年", "3回/年", "3回", "3 回 / 年", "３回"])
def test_clerk_types_a_per_year_count_with_or_without_per_year(text: str) -> None:
    assert value_of(text, TIMES_A_YEAR) == Decimal(3)


@pytest.mark.parametrize(
    ("spec", "text", "expected"),
    [
        (SQUARE_METRES, "1,200㎡", Decimal(1200)),
        (SQUARE_METRES, "1,200m²", Decimal(1200)),
        (SQUARE_METRES, "1200", Decimal(1200)),
        (CO2_TONNES, "5.5t-CO2", Decimal("5.5")),
    ],
)
def test_clerk_types_a_value_with_a_unit_containing_a_digit(
    spec: IndicatorSpec, text: str, expected: Decimal
) -> None:
    # ㎡ and m² become 'm2' under NFKC; the unit must still be read as a unit.
    assert value_of(text, spec) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("▲3.2", Decimal("-3.2")),
        ("△3.2", Decimal("-3.2")),
        ("-3.2", Decimal("-3.2")),
        ("－3.2", Decimal("-3.2")),
        ("−3.2", Decimal("-3.2")),
        ("▲0", Decimal(0)),
    ],
)
def test_clerk_marks_a_negative_value_with_a_triangle_or_a_minus(
    text: str, expected: Decimal
) -> None:
    assert value_of(text, RATIO) == expected


def test_a_negative_count_parses_since_refusing_it_is_the_validators_job() -> None:
    assert value_of("▲3", PEOPLE) == Decimal(-3)


# --- no value, missing values ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["—", "－", "-", "", "  ", "　", "―", "−", "ー", "--"])
def test_clerk_clears_a_cell_with_a_dash_or_nothing_and_it_means_no_value(text: str) -> None:
    parsed = parse_value(text, PEOPLE)
    assert parsed == ParsedValue()
    assert parsed.is_empty
    assert parsed.value is None
    assert parsed.missing_reason is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("未集計", MissingReason.NOT_COMPILED),
        ("該当なし", MissingReason.NOT_APPLICABLE),
        ("非公表", MissingReason.NOT_PUBLISHED),
        (" 未集計 ", MissingReason.NOT_COMPILED),
    ],
)
def test_clerk_writes_why_a_value_is_missing(text: str, reason: MissingReason) -> None:
    parsed = parse_value(text, PEOPLE)
    assert parsed == ParsedValue(value=None, missing_reason=reason)
    assert not parsed.is_empty


def test_a_missing_reason_is_accepted_even_before_the_unit_is_set() -> None:
    assert parse_value("未集計", UNIT_NOT_SET).missing_reason is MissingReason.NOT_COMPILED


# --- milestones -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("達成", Decimal(1)), ("未達成", Decimal(0)), ("1", Decimal(1)), ("0", Decimal(0))],
)
def test_clerk_marks_a_milestone_done_or_not_done(text: str, expected: Decimal) -> None:
    assert value_of(text, MILESTONE) == expected


@pytest.mark.parametrize("text", ["maybe", "2", "半分", "0.5"])
def test_clerk_writes_something_else_for_a_milestone_and_is_told_done_or_not_done(
    text: str,
) -> None:
    assert error_code(text, MILESTONE) == "E_MILESTONE_VALUE"


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1,225件", "1,225%", "1,225万件", "3回/年"])
def test_clerk_types_another_unit_for_a_head_count_and_is_refused(text: str) -> None:
    assert error_code(text, PEOPLE) == "E_UNIT_MISMATCH"


def test_clerk_types_people_for_a_percentage_and_is_refused() -> None:
    assert error_code("98人", PERCENT) == "E_UNIT_MISMATCH"


@pytest.mark.parametrize(
    "text",
    ["abc", "1e3", "NaN", "Infinity", "1.2.3", "1,22,5", "12,25", "1.", "▲", "1_000", "½"],
)
def test_clerk_types_something_that_is_not_a_number(text: str) -> None:
    assert error_code(text, PEOPLE) == "E_PARSE"


@pytest.mark.parametrize(
    "text",
    [
        "2024/4/1",
        "２０２４／４／１",
        "2024-04-01",
        "2024.4.1",
        "2024年4月1日",
        "2024年4月",
        "令和6年4月1日",
        "令和元年5月1日",
        "R6.4.1",
        "H31/4/30",
        "4月1日",
    ],
)
def test_a_date_typed_as_a_value_is_refused_and_called_a_date(text: str) -> None:
    """A clerk who types a date where the count belongs (Calc and Excel would make it a serial
    number in any cell not formatted as text) is told it is a date, not only "not a number"."""
    for spec in (PEOPLE, PERCENT, MILLION_YEN):
        with pytest.raises(DomainError) as info:
            parse_value(text, spec)
        assert info.value.code == "E_PARSE"
        assert "日付" in info.value.message_ja and "date" in info.value.message_en


@pytest.mark.parametrize("text", ["2024", "1,234", "12.5", "90%", "2,024人"])
def test_numbers_that_look_a_little_like_dates_are_still_numbers(text: str) -> None:
    assert parse_value(text, PEOPLE if "%" not in text else PERCENT).value is not None


def test_a_value_for_an_indicator_without_a_unit_is_refused_until_the_unit_is_set() -> None:
    assert error_code("12", UNIT_NOT_SET) == "E_UNIT_NOT_SET"
    assert error_code("12", IndicatorSpec("A-11", None, ValueKind.COUNT)) == "E_UNIT_NOT_SET"
    assert error_code("12", IndicatorSpec("A-12", "人", None)) == "E_UNIT_NOT_SET"


def test_a_pasted_cell_longer_than_100_characters_is_refused() -> None:
    assert MAX_INPUT_LENGTH == 100
    assert error_code("1" + " " * 100, PEOPLE) == "E_PARSE"
    # Exactly 100 characters is still read.
    assert value_of("1" + " " * 99, PEOPLE) == Decimal(1)


def test_a_number_of_more_than_18_digits_is_refused() -> None:
    assert value_of("9" * 18, PEOPLE) == Decimal("9" * 18)
    assert error_code("9" * 19, PEOPLE) == "E_PARSE"
    # Decimals count as digits too: 10 + 9 = 19.
    assert error_code("1234567890.123456789", RATIO) == "E_PARSE"
    assert value_of("1234567890.12345678", RATIO) == Decimal("1234567890.12345678")


def test_parse_errors_carry_a_japanese_and_an_english_message() -> None:
    with pytest.raises(DomainError) as info:
        parse_value("1,225件", PEOPLE)
    assert "人" in info.value.message_ja
    assert "Wrong unit" in info.value.message("en")
    assert info.value.both() == f"{info.value.message_ja} / {info.value.message_en}"


# --- canonical text and stored values --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("98.70"), "98.7"),
        (Decimal("1E+3"), "1000"),
        (Decimal("265.0000"), "265"),
        (Decimal("0.000"), "0"),
        (Decimal("-0"), "0"),
        (Decimal("1.50E-5"), "0.000015"),
        (Decimal("-3.20"), "-3.2"),
        (Decimal("100"), "100"),
    ],
)
def test_a_value_is_stored_as_exact_text_without_exponent_or_trailing_zeros(
    value: Decimal, text: str
) -> None:
    assert canonical(value) == text


def test_stored_text_reads_back_as_a_decimal() -> None:
    assert to_decimal("98.7") == Decimal("98.7")
    assert type(to_decimal("98.7")) is Decimal
    for bad in ("abc", "NaN", "Infinity", ""):
        with pytest.raises(DomainError) as info:
            to_decimal(bad)
        assert info.value.code == "E_STORED_VALUE"


# --- properties ---------------------------------------------------------------------------


SPECS = [
    PEOPLE,
    PERCENT,
    TEN_THOUSAND_CASES,
    TIMES_A_YEAR,
    RATIO,
    MILLION_YEN,
    SQUARE_METRES,
    MILESTONE,
    UNIT_NOT_SET,
]

NUMBERISH = st.from_regex(
    r"[▲△\-－+]?[0-9０-９,，.．]{1,25}(人|件|万件|億件|%|％|回/年|円|㎡)?", fullmatch=True
)


@given(text=st.one_of(st.text(max_size=120), NUMBERISH), spec=st.sampled_from(SPECS))
@example(text="9" * 101, spec=PEOPLE)
@example(text="٣", spec=PEOPLE)
def test_parsing_any_text_either_gives_a_decimal_or_raises_a_domain_error(
    text: str, spec: IndicatorSpec
) -> None:
    try:
        parsed = parse_value(text, spec)
    except DomainError as exc:
        assert exc.code in {
            "E_PARSE",
            "E_UNIT_MISMATCH",
            "E_UNIT_NOT_SET",
            "E_MILESTONE_VALUE",
        }
        return
    assert parsed.value is None or type(parsed.value) is Decimal
    assert parsed.value is None or parsed.missing_reason is None


@given(
    n=st.integers(min_value=0, max_value=10**18 - 1),
    full_width=st.booleans(),
    suffix=st.sampled_from(["", "人", "　人", "人 "]),
)
@example(n=0, full_width=True, suffix="人")
@example(n=1225, full_width=True, suffix="人")
@example(n=10**18 - 1, full_width=False, suffix="")
def test_any_head_count_typed_with_thousands_separators_parses_back_exactly(
    n: int, full_width: bool, suffix: str
) -> None:
    text = f"{n:,}"
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert value_of(text + suffix, PEOPLE) == Decimal(n)


@given(value=st.decimals(allow_nan=False, allow_infinity=False, places=6))
def test_canonical_text_reads_back_as_the_same_number(value: Decimal) -> None:
    text = canonical(value)
    assert "E" not in text and "e" not in text
    assert to_decimal(text) == value


ALL_SPECS = [
    PEOPLE,
    PERCENT,
    TEN_THOUSAND_CASES,
    TIMES_A_YEAR,
    RATIO,
    MILLION_YEN,
    SQUARE_METRES,
    CO2_TONNES,
    MILESTONE,
    UNIT_NOT_SET,
]
PLAIN = st.from_regex(r"[0-9]{1,20}(\.[0-9]{1,20})?", fullmatch=True)
PLAIN_LOOKING = st.from_regex(r"[0-9０-９]{0,22}([.．][0-9]{0,22})?[人%]?", fullmatch=True)


def full_parse(text: str, spec: IndicatorSpec) -> ParsedValue | str:
    try:
        return _parse_typed(text, spec)
    except DomainError as exc:
        return exc.code


@given(
    text=st.one_of(
        PLAIN, PLAIN_LOOKING, st.text(alphabet="0123456789.,-+ ", max_size=25), st.text()
    ),
    spec=st.sampled_from(ALL_SPECS),
)
@example(text="55", spec=PEOPLE)
@example(text="98.7", spec=PERCENT)
@example(text="007", spec=PEOPLE)
@example(text="0.0", spec=RATIO)
@example(text="1", spec=MILESTONE)
@example(text="55", spec=UNIT_NOT_SET)
@example(text="1" * 18, spec=PEOPLE)
@example(text="1" * 19, spec=PEOPLE)
@example(text="12345678.123456789", spec=RATIO)
def test_the_short_way_for_plain_numbers_gives_exactly_what_the_full_parser_gives(
    text: str, spec: IndicatorSpec
) -> None:
    plain = _plain_number(text, spec)
    full = full_parse(text, spec)
    if plain is not None:
        assert isinstance(full, ParsedValue) and full.value is not None
        assert plain == full
        assert plain.value is not None and plain.value.as_tuple() == full.value.as_tuple()
    try:
        assert parse_value(text, spec) == full
    except DomainError as exc:
        assert exc.code == full
