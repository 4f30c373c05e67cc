"""Japanese fiscal years (年度): parsing what staff type, formatting, and era conversion.

Fiscal year N runs from April 1 of N to March 31 of N+1. Plans name years in the Japanese
era calendar (令和5年度), in short letters (R5), or in the Western calendar (2023年度, FY2023);
this module turns all of those into a plain ``int`` and back.

Plans drafted before 2019 keep using Heisei years that were never lived (平成32年度 = 2020),
so Heisei years are accepted up to 99 rather than stopping at 平成31年.
"""

from __future__ import annotations

import datetime
import enum
import re
import unicodedata
from typing import assert_never

from kplan_desktop.domain.errors import DomainError

__all__ = [
    "MAX_FISCAL_YEAR",
    "MIN_FISCAL_YEAR",
    "FiscalYearStyle",
    "era_of",
    "fiscal_year_of",
    "format_fiscal_year",
    "parse_fiscal_year",
    "plan_years",
]

MIN_FISCAL_YEAR = 1989
MAX_FISCAL_YEAR = 2100

_CODE_INVALID = "FISCAL_YEAR_INVALID"
_CODE_OUT_OF_RANGE = "FISCAL_YEAR_OUT_OF_RANGE"
_CODE_REVERSED = "FISCAL_YEAR_RANGE_REVERSED"

# Anything longer is pasted junk, not a year; refusing it up front bounds the work done below.
_MAX_INPUT_CHARS = 64
_MAX_SHOWN_CHARS = 40

_HEISEI = "平成"
_REIWA = "令和"
# Western year of era year 0, so that era year y is offset + y.
_ERA_OFFSETS = {_HEISEI: 1988, _REIWA: 2018}
_ERA_LETTERS = {"H": _HEISEI, "R": _REIWA}
_REIWA_FIRST_FISCAL_YEAR = 2019
# Never-lived Heisei years are a drafting convenience; three digits would be a typo.
_MAX_HEISEI_YEAR = 99

_KANJI_DIGITS = {
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# Character classes stay ASCII on purpose: \d would also admit e.g. Arabic-Indic digits,
# which NFKC leaves alone and int() would silently accept.
_WESTERN_RE = re.compile(r"FY\s*(?P<fy>[0-9]+)|(?P<year>[0-9]+)(?:\s*年度?)?")
_ERA_RE = re.compile(
    r"(?:(?P<kanji_era>令和|平成)|(?P<letter_era>[RH])\s*\.?)\s*"
    r"(?P<num>元|[0-9]+|[〇一二三四五六七八九十]+)(?:\s*年度?)?"
)
_PAREN_RE = re.compile(r"(?P<body>[^()]*?)\s*\(\s*(?P<western>[0-9]+)\s*\)")
_KANJI_TENS_RE = re.compile(r"(?P<tens>[一二三四五六七八九])?十(?P<ones>[一二三四五六七八九])?")
_KANJI_POSITIONAL_RE = re.compile(r"[〇一二三四五六七八九]{1,2}")


class FiscalYearStyle(enum.Enum):
    """How format_fiscal_year writes a fiscal year."""

    ERA = "era"  # 令和5年度
    SHORT = "short"  # R5
    ERA_WITH_WESTERN = "era_with_western"  # 令和5年度 (2023)
    WESTERN = "western"  # 2023年度
    ENGLISH = "english"  # FY2023


def _shown(text: str) -> str:
    """The input as quoted in messages: short, and with control characters made visible."""
    head = text[:_MAX_SHOWN_CHARS]
    # A pasted newline or tab would otherwise break the one-line message in a dialog.
    visible = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in head)
    return visible + ("…" if len(text) > _MAX_SHOWN_CHARS else "")


# Digits a clerk types: ASCII, full width, and the kanji zero of 二〇二四. NFKC would also turn
# ², ⑥ or Arabic-Indic digits into these, and a year must not be read out of them.
_CLERK_DIGITS = frozenset("0123456789０１２３４５６７８９〇")


def _foreign_digits(text: str) -> bool:
    return any(unicodedata.category(c).startswith("N") and c not in _CLERK_DIGITS for c in text)


def _invalid(text: str) -> DomainError:
    shown = _shown(text)
    return DomainError(
        _CODE_INVALID,
        f"「{shown}」は年度として読み取れません。"
        "例: 2023、2023年度、FY2023、令和5年度、令和元年度、R5、H30",
        f'Cannot read "{shown}" as a fiscal year. '
        "Examples: 2023, 2023年度, FY2023, 令和5年度, 令和元年度, R5, H30",
    )


def _out_of_range(text: str) -> DomainError:
    shown = _shown(text)
    return DomainError(
        _CODE_OUT_OF_RANGE,
        f"「{shown}」は対応範囲外の年度です。"
        f"{MIN_FISCAL_YEAR}年度(平成元年度)から{MAX_FISCAL_YEAR}年度までを指定してください。",
        f'"{shown}" is outside the supported fiscal years: '
        f"use {MIN_FISCAL_YEAR} (平成元年度) to {MAX_FISCAL_YEAR}.",
    )


def _check_range(fiscal_year: int, text: str) -> int:
    if not MIN_FISCAL_YEAR <= fiscal_year <= MAX_FISCAL_YEAR:
        raise _out_of_range(text)
    return fiscal_year


def _kanji_number(numeral: str) -> int | None:
    """Value of a kanji numeral below 100 (十二, 二十八, 二八, 三〇), or None if malformed."""
    tens_form = _KANJI_TENS_RE.fullmatch(numeral)
    if tens_form is not None:
        tens = _KANJI_DIGITS[tens_form["tens"]] if tens_form["tens"] else 1
        ones = _KANJI_DIGITS[tens_form["ones"]] if tens_form["ones"] else 0
        return tens * 10 + ones
    if _KANJI_POSITIONAL_RE.fullmatch(numeral) is not None:
        value = 0
        for char in numeral:
            value = value * 10 + _KANJI_DIGITS[char]
        return value
    return None


def _era_year_number(numeral: str) -> int | None:
    if numeral == "元":
        return 1
    if numeral.isascii() and numeral.isdigit():
        return int(numeral)
    return _kanji_number(numeral)


def _parse_era(match: re.Match[str], text: str) -> int:
    era = match["kanji_era"] or _ERA_LETTERS[match["letter_era"]]
    era_year = _era_year_number(match["num"])
    if era_year is None:
        raise _invalid(text)
    if era_year == 0:
        shown = _shown(text)
        raise DomainError(
            _CODE_INVALID,
            f"「{shown}」: 元号の年は1(元年)から始まります。0年はありません。",
            f'"{shown}": era years start at 1 (元年); there is no year 0.',
        )
    if era == _HEISEI and era_year > _MAX_HEISEI_YEAR:
        shown = _shown(text)
        raise DomainError(
            _CODE_OUT_OF_RANGE,
            f"「{shown}」: 平成の年は1から{_MAX_HEISEI_YEAR}までで指定してください。",
            f'"{shown}": Heisei years must be between 1 and {_MAX_HEISEI_YEAR}.',
        )
    return _check_range(_ERA_OFFSETS[era] + era_year, text)


def _parse_body(body: str, text: str) -> int:
    """Parse one normalised year expression without the trailing parenthesis."""
    western = _WESTERN_RE.fullmatch(body)
    if western is not None:
        return _check_range(int(western["fy"] or western["year"]), text)
    era = _ERA_RE.fullmatch(body)
    if era is not None:
        return _parse_era(era, text)
    raise _invalid(text)


def parse_fiscal_year(text: str) -> int:
    """The fiscal year written in ``text`` (2023, 2023年度, FY2023, 令和5年度, R5, H28, ...).

    Raises DomainError (FISCAL_YEAR_INVALID or FISCAL_YEAR_OUT_OF_RANGE) for anything else.
    """
    if len(text) > _MAX_INPUT_CHARS or _foreign_digits(text):
        raise _invalid(text)
    # NFKC folds full-width digits, letters, spaces and parentheses, and the ㋿/㍻ ligatures.
    normalised = unicodedata.normalize("NFKC", text).strip().upper()
    paren = _PAREN_RE.fullmatch(normalised)
    if paren is None:
        return _parse_body(normalised, text)
    fiscal_year = _parse_body(paren["body"], text)
    western = int(paren["western"])
    if western != fiscal_year:
        shown = _shown(text)
        raise DomainError(
            _CODE_INVALID,
            f"「{shown}」: 年度は{fiscal_year}年度ですが、括弧内の西暦は{western}で一致しません。",
            f'"{shown}": the year reads as FY{fiscal_year} but the parenthesis says {western}.',
        )
    return fiscal_year


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year ``day`` falls in: January to March belong to the previous year's."""
    return day.year if day.month >= 4 else day.year - 1


def era_of(fiscal_year: int) -> tuple[str, int]:
    """Era name and era year of a fiscal year: 2023 → ("令和", 5), 2018 → ("平成", 30).

    Fiscal year 2019 is 令和元年度 even though April 2019 was still Heisei: the era changed on
    May 1, and city halls name the whole fiscal year after the new era.
    """
    _check_range(fiscal_year, str(fiscal_year))
    era = _REIWA if fiscal_year >= _REIWA_FIRST_FISCAL_YEAR else _HEISEI
    return era, fiscal_year - _ERA_OFFSETS[era]


def format_fiscal_year(fiscal_year: int, style: FiscalYearStyle = FiscalYearStyle.ERA) -> str:
    """``fiscal_year`` written in ``style``; the result always parses back to the same year."""
    era, era_year = era_of(fiscal_year)
    era_text = f"{era}{'元' if era_year == 1 else era_year}年度"
    match style:
        case FiscalYearStyle.ERA:
            return era_text
        case FiscalYearStyle.SHORT:
            letter = "R" if era == _REIWA else "H"
            return f"{letter}{era_year}"
        case FiscalYearStyle.ERA_WITH_WESTERN:
            return f"{era_text} ({fiscal_year})"
        case FiscalYearStyle.WESTERN:
            return f"{fiscal_year}年度"
        case FiscalYearStyle.ENGLISH:
            return f"FY{fiscal_year}"
        case _:
            assert_never(style)


def plan_years(start: int, end: int) -> list[int]:
    """Every fiscal year of a plan period, both ends included."""
    # Both ends must be real fiscal years, which also keeps the list small.
    _check_range(start, str(start))
    _check_range(end, str(end))
    if end < start:
        raise DomainError(
            _CODE_REVERSED,
            f"計画期間の終了年度({end})が開始年度({start})より前になっています。",
            f"The plan period ends ({end}) before it starts ({start}).",
        )
    return list(range(start, end + 1))


def default_due_date(fiscal_year: int) -> datetime.date:
    """The usual due date of a year's values: the end of the first quarter after the fiscal
    year (FY2025 runs April 2025 to March 2026; its values are due by 30 June 2026)."""
    return datetime.date(fiscal_year + 1, 6, 30)


def entry_year(today: datetime.date) -> int:
    """The year clerks enter: the one that just closed (in FY2026 they enter FY2025's actuals).

    The window opens on it and grades it; `kplan show` grades it unless told --year."""
    return fiscal_year_of(today) - 1


def proposed_due_date(fiscal_year: int, today: datetime.date) -> datetime.date:
    """The due date to propose when a year's intake starts on `today`: the usual one
    (default_due_date) while it is still ahead, otherwise the end of the month after today's —
    a near date in the future, never one already past."""
    usual = default_due_date(fiscal_year)
    if usual > today:
        return usual
    year, month = divmod(today.year * 12 + today.month + 1, 12)  # the month after next, 1-based
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def days_past(due: datetime.date, today: datetime.date) -> int:
    """How many days `due` is already past on `today` (0 when it is today or ahead)."""
    return max(0, (today - due).days)


_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> datetime.date:
    """A date as typed: 2026-06-30, 2026/6/30, 2026年6月30日, 20260630 (full-width digits too)."""
    shown = unicodedata.normalize("NFKC", text).strip()
    match = _DATE_PARTS.match(shown)
    if match is None and re.fullmatch(r"\d{8}", shown):
        match = re.match(r"(\d{4})(\d{2})(\d{2})", shown)
    if match is not None:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise DomainError(
        "E_DATE",
        f"日付として読めません: {_shown(text)}（例: 2026-06-30、20260630）",
        f"Not a date: {_shown(text)} (e.g. 2026-06-30, 20260630)",
    )
