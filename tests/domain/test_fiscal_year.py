"""Tests for kplan_desktop.domain.fiscal_year: parsing, formatting, eras and plan periods."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import (
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    FiscalYearStyle,
    era_of,
    fiscal_year_of,
    format_fiscal_year,
    parse_fiscal_year,
    plan_years,
)

INVALID = "FISCAL_YEAR_INVALID"
OUT_OF_RANGE = "FISCAL_YEAR_OUT_OF_RANGE"

ACCEPTED = [
    ("2023", 2023),
    ("2023年度", 2023),
    ("2023年", 2023),
    ("FY2023", 2023),
    ("fy2023", 2023),
    ("ＦＹ２０２３", 2023),
    ("令和5年度", 2023),
    ("令和5年", 2023),
    ("令和5", 2023),
    ("R5", 2023),
    ("r5", 2023),
    ("Ｒ５", 2023),
    ("R05", 2023),
    ("R.5", 2023),
    ("R５年度", 2023),
    ("H28", 2016),
    ("h28", 2016),
    ("平成28年度", 2016),
    ("令和元年度", 2019),
    ("令和元年", 2019),
    ("平成元年度", 1989),
    ("平成31年度", 2019),
    ("平成32年度", 2020),
    ("平成35年度", 2023),
    ("平成99年度", 2087),
    ("令和五年度", 2023),
    ("令和十年度", 2028),
    ("令和十二年度", 2030),
    ("平成二十八年度", 2016),
    ("平成九十九年度", 2087),
    ("平成二八年度", 2016),
    ("令和一〇年度", 2028),
    ("平成三〇年度", 2018),
    ("令和5年度 (2023)", 2023),
    ("令和5年度(2023)", 2023),
    ("令和5年度　（２０２３）", 2023),
    ("令和元年度 (2019)", 2019),
    ("  2023年度\t", 2023),
    ("\u3000令和5年度\u3000", 2023),
    ("㋿5年度", 2023),
    ("㍻30年度", 2018),
    ("1989", MIN_FISCAL_YEAR),
    ("2100年度", MAX_FISCAL_YEAR),
    ("令和82年度", MAX_FISCAL_YEAR),
]

REJECTED = [
    ("", INVALID),
    ("   ", INVALID),
    ("abc", INVALID),
    ("令和0年度", INVALID),
    ("R0", INVALID),
    ("令和〇年度", INVALID),
    ("R", INVALID),
    ("令和", INVALID),
    ("令和5年度 (2024)", INVALID),
    ("昭和60年度", INVALID),
    ("S60", INVALID),
    ("1800", OUT_OF_RANGE),
    ("99999", OUT_OF_RANGE),
    ("2101", OUT_OF_RANGE),
    ("令和83年度", OUT_OF_RANGE),
    ("平成100年度", OUT_OF_RANGE),
    ("令和5年度年度", INVALID),
    ("令和十十年度", INVALID),
    ("令和5年度 (2023) (2023)", INVALID),
    ("(2023)", INVALID),
    ("٢٠٢٣", INVALID),  # Arabic-Indic digits survive NFKC and must not reach int()
    ("2023年度度", INVALID),
    ("FY", INVALID),
    ("2023" * 17, INVALID),  # 68 characters: refused for length alone
]

FORMATS = [
    (
        2016,
        ("平成", 28),
        {
            FiscalYearStyle.ERA: "平成28年度",
            FiscalYearStyle.SHORT: "H28",
            FiscalYearStyle.ERA_WITH_WESTERN: "平成28年度 (2016)",
            FiscalYearStyle.WESTERN: "2016年度",
            FiscalYearStyle.ENGLISH: "FY2016",
        },
    ),
    (
        2019,
        ("令和", 1),
        {
            FiscalYearStyle.ERA: "令和元年度",
            FiscalYearStyle.SHORT: "R1",
            FiscalYearStyle.ERA_WITH_WESTERN: "令和元年度 (2019)",
            FiscalYearStyle.WESTERN: "2019年度",
            FiscalYearStyle.ENGLISH: "FY2019",
        },
    ),
    (
        2020,
        ("令和", 2),
        {
            FiscalYearStyle.ERA: "令和2年度",
            FiscalYearStyle.SHORT: "R2",
            FiscalYearStyle.ERA_WITH_WESTERN: "令和2年度 (2020)",
            FiscalYearStyle.WESTERN: "2020年度",
            FiscalYearStyle.ENGLISH: "FY2020",
        },
    ),
    (
        2023,
        ("令和", 5),
        {
            FiscalYearStyle.ERA: "令和5年度",
            FiscalYearStyle.SHORT: "R5",
            FiscalYearStyle.ERA_WITH_WESTERN: "令和5年度 (2023)",
            FiscalYearStyle.WESTERN: "2023年度",
            FiscalYearStyle.ENGLISH: "FY2023",
        },
    ),
]

_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
# Printable ASCII to its full-width form (U+FF01..U+FF5E), space to the ideographic space.
_FULL_WIDTH_ASCII = {code: code + 0xFEE0 for code in range(0x21, 0x7F)} | {0x20: 0x3000}


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_parse_accepts(text: str, expected: int) -> None:
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize(("text", "code"), REJECTED)
def test_parse_rejects(text: str, code: str) -> None:
    with pytest.raises(DomainError) as info:
        parse_fiscal_year(text)
    assert info.value.code == code
    assert info.value.message_ja
    assert info.value.message_en


def test_error_messages_quote_the_input() -> None:
    with pytest.raises(DomainError) as info:
        parse_fiscal_year("昭和60年度")
    assert "昭和60年度" in info.value.message_ja
    assert "昭和60年度" in info.value.message_en


def test_error_messages_truncate_long_input() -> None:
    text = "x" * 50 + "TAIL"
    with pytest.raises(DomainError) as info:
        parse_fiscal_year(text)
    assert "x" * 40 in info.value.message_ja
    assert "x" * 41 not in info.value.message_ja
    assert "TAIL" not in info.value.message_en


def test_huge_input_is_refused_as_invalid() -> None:
    with pytest.raises(DomainError) as info:
        parse_fiscal_year("2" * 1_000_000)
    assert info.value.code == INVALID


def test_mismatched_parenthesis_names_both_years() -> None:
    with pytest.raises(DomainError) as info:
        parse_fiscal_year("令和5年度 (2024)")
    assert "2023" in info.value.message_en
    assert "2024" in info.value.message_en


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2024, 3, 31), 2023),
        (datetime.date(2024, 4, 1), 2024),
        (datetime.date(2024, 1, 1), 2023),
        (datetime.date(2023, 12, 31), 2023),
        (datetime.date(2019, 4, 1), 2019),
        (datetime.date(2019, 4, 30), 2019),
        (datetime.datetime(2024, 3, 31, 23, 59, 59), 2023),
    ],
)
def test_fiscal_year_of(day: datetime.date, expected: int) -> None:
    assert fiscal_year_of(day) == expected


@given(st.dates(min_value=datetime.date(2, 1, 1)))
def test_fiscal_year_of_matches_april_start(day: datetime.date) -> None:
    fiscal_year = fiscal_year_of(day)
    assert datetime.date(fiscal_year, 4, 1) <= day
    if fiscal_year < datetime.MAXYEAR:
        assert day < datetime.date(fiscal_year + 1, 4, 1)


@pytest.mark.parametrize(("fiscal_year", "era", "styles"), FORMATS)
def test_era_of(fiscal_year: int, era: tuple[str, int], styles: dict[FiscalYearStyle, str]) -> None:
    assert era_of(fiscal_year) == era


@pytest.mark.parametrize(("fiscal_year", "era", "styles"), FORMATS)
def test_format_both_ways(
    fiscal_year: int, era: tuple[str, int], styles: dict[FiscalYearStyle, str]
) -> None:
    assert set(styles) == set(FiscalYearStyle)
    for style, text in styles.items():
        assert format_fiscal_year(fiscal_year, style) == text
        assert parse_fiscal_year(text) == fiscal_year


def test_format_defaults_to_era() -> None:
    assert format_fiscal_year(2023) == "令和5年度"
    assert format_fiscal_year(1989) == "平成元年度"
    assert format_fiscal_year(2018) == "平成30年度"


def test_era_boundaries() -> None:
    assert era_of(MIN_FISCAL_YEAR) == ("平成", 1)
    assert era_of(2018) == ("平成", 30)
    assert era_of(2019) == ("令和", 1)
    assert era_of(MAX_FISCAL_YEAR) == ("令和", 82)


@pytest.mark.parametrize("fiscal_year", [MIN_FISCAL_YEAR - 1, 0, -5, MAX_FISCAL_YEAR + 1])
def test_era_of_and_format_reject_out_of_range(fiscal_year: int) -> None:
    with pytest.raises(DomainError) as info:
        era_of(fiscal_year)
    assert info.value.code == OUT_OF_RANGE
    with pytest.raises(DomainError) as info:
        format_fiscal_year(fiscal_year, FiscalYearStyle.WESTERN)
    assert info.value.code == OUT_OF_RANGE


def test_plan_years() -> None:
    assert plan_years(2021, 2025) == [2021, 2022, 2023, 2024, 2025]
    assert plan_years(2023, 2023) == [2023]


def test_plan_years_rejects_reversed_period() -> None:
    with pytest.raises(DomainError):
        plan_years(2025, 2021)


def test_plan_years_rejects_out_of_range_ends() -> None:
    with pytest.raises(DomainError) as info:
        plan_years(2021, 10**9)
    assert info.value.code == OUT_OF_RANGE


def test_round_trip_every_year_and_style() -> None:
    for fiscal_year in range(MIN_FISCAL_YEAR, MAX_FISCAL_YEAR + 1):
        for style in FiscalYearStyle:
            assert parse_fiscal_year(format_fiscal_year(fiscal_year, style)) == fiscal_year


@given(
    st.integers(min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR),
    st.sampled_from(FiscalYearStyle),
)
def test_round_trip_property(fiscal_year: int, style: FiscalYearStyle) -> None:
    assert parse_fiscal_year(format_fiscal_year(fiscal_year, style)) == fiscal_year


@given(st.text())
@example("")
@example("\x00")
@example("(" * 100)
@example("令和" + "十" * 60)
@example("9" * 64)
def test_parse_returns_in_range_year_or_domain_error(text: str) -> None:
    try:
        result = parse_fiscal_year(text)
    except DomainError as error:
        assert error.code in {INVALID, OUT_OF_RANGE}
    else:
        assert isinstance(result, int)
        assert MIN_FISCAL_YEAR <= result <= MAX_FISCAL_YEAR


# Characters the parser cares about, so that generated text often gets past the first check.
_YEARISH = st.text(
    alphabet="0123456789０５令和平成昭元年度RrHhFfYy.()（） 　十一二五九〇", max_size=20
)


@given(_YEARISH)
def test_yearish_text_returns_in_range_year_or_domain_error(text: str) -> None:
    try:
        result = parse_fiscal_year(text)
    except DomainError as error:
        assert error.code in {INVALID, OUT_OF_RANGE}
    else:
        assert MIN_FISCAL_YEAR <= result <= MAX_FISCAL_YEAR


def _ascii_forms(fiscal_year: int) -> list[str]:
    """Every ASCII-digit way of writing ``fiscal_year`` that the parser accepts."""
    era, era_year = era_of(fiscal_year)
    letter = "R" if era == "令和" else "H"
    forms = [
        str(fiscal_year),
        f"{fiscal_year}年度",
        f"{fiscal_year}年",
        f"FY{fiscal_year}",
        f"{era}{era_year}年度",
        f"{era}{era_year}年度 ({fiscal_year})",
        f"{letter}{era_year}",
        f"{letter}.{era_year}",
    ]
    heisei_year = fiscal_year - 1988
    if heisei_year <= 99:  # never-lived Heisei years, as in plans drafted before 2019
        forms += [f"平成{heisei_year}年度", f"H{heisei_year}"]
    return forms


@given(st.integers(min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR))
def test_full_width_digits_parse_like_ascii(fiscal_year: int) -> None:
    for ascii_text in _ascii_forms(fiscal_year):
        full_width = ascii_text.translate(_FULL_WIDTH_DIGITS)
        assert full_width != ascii_text
        assert parse_fiscal_year(ascii_text) == fiscal_year
        assert parse_fiscal_year(full_width) == fiscal_year


@given(st.integers(min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR))
def test_full_width_everything_parses_like_ascii(fiscal_year: int) -> None:
    for ascii_text in _ascii_forms(fiscal_year):
        full_width = ascii_text.translate(_FULL_WIDTH_ASCII)
        assert parse_fiscal_year(full_width) == fiscal_year


def test_the_default_due_date_is_the_end_of_the_first_quarter_after_the_year() -> None:
    from kplan_desktop.domain.fiscal_year import default_due_date

    assert default_due_date(2025) == datetime.date(2026, 6, 30)


@pytest.mark.parametrize(
    "text", ["2026-06-30", "2026/6/30", "20260630", "２０２６年６月３０日", " 2026.06.30 "]
)
def test_dates_are_read_as_typed(text: str) -> None:
    from kplan_desktop.domain.fiscal_year import parse_date

    assert parse_date(text) == datetime.date(2026, 6, 30)


@pytest.mark.parametrize("text", ["", "2026-02-30", "30/06/2026", "2026063", "R8.6.30"])
def test_what_is_not_a_date_is_refused_in_both_languages(text: str) -> None:
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.domain.fiscal_year import parse_date

    with pytest.raises(DomainError) as exc:
        parse_date(text)
    assert exc.value.code == "E_DATE" and "日付として読めません" in exc.value.message_ja
