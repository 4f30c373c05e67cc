"""Validation of one entered value: errors block saving, warnings need a comment.

Every check lives here once; the grid, the command line and the merge all call check_entry.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from kplan_desktop.domain.achievement import assess
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.domain.model import (
    Direction,
    IndicatorSpec,
    PlanSettings,
    ValueKind,
)
from kplan_desktop.domain.text import check_free_text
from kplan_desktop.domain.units import split_unit
from kplan_desktop.domain.values import ParsedValue, canonical, grouped, parse_value


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


# slots: kept with every checked value that has one (see EntryCheck).
@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with a value: a stable code, its severity, and the message in both languages."""

    code: str
    severity: Severity
    message_ja: str
    message_en: str

    def message(self, lang: str = "ja") -> str:
        return self.message_en if lang == "en" else self.message_ja


# slots: a merge holds one per row of every file, and the collector scans them twice as fast.
@dataclass(frozen=True, slots=True)
class EntryCheck:
    """The outcome of checking one typed value: what it parsed to and what was found."""

    parsed: ParsedValue | None
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def can_save(self, comment: str | None) -> bool:
        """No errors, and every warning explained by a comment."""
        if self.parsed is None or self.errors:
            return False
        return not self.warnings or bool(comment and comment.strip())


def _error(code: str, ja: str, en: str) -> Finding:
    return Finding(code, Severity.ERROR, ja, en)


def _warning(code: str, ja: str, en: str) -> Finding:
    return Finding(code, Severity.WARNING, ja, en)


def check_entry(
    text: str,
    spec: IndicatorSpec,
    plan: PlanSettings,
    fiscal_year: int,
    history: Mapping[int, Decimal],
) -> EntryCheck:
    """Parse and validate `text` as the value of `spec` for `fiscal_year`.

    `history` holds the indicator's known values in other years (the baseline is added here).
    """
    try:
        parsed = parse_value(text, spec)
    except DomainError as exc:
        year_errors = _year_errors(plan, fiscal_year)
        return EntryCheck(None, (*year_errors, _error(exc.code, exc.message_ja, exc.message_en)))
    return EntryCheck(parsed, tuple(validate(parsed, spec, plan, fiscal_year, history)))


def _year_errors(plan: PlanSettings, fiscal_year: int) -> list[Finding]:
    if plan.in_period(fiscal_year):
        return []
    return [
        _error(
            "E_YEAR_OUT_OF_PLAN",
            f"{fiscal_year}年度は計画期間（{plan.start_year}〜{plan.end_year}年度）の外です",
            f"FY{fiscal_year} is outside the plan period (FY{plan.start_year}–FY{plan.end_year})",
        )
    ]


def validate(
    parsed: ParsedValue,
    spec: IndicatorSpec,
    plan: PlanSettings,
    fiscal_year: int,
    history: Mapping[int, Decimal],
) -> list[Finding]:
    findings = _year_errors(plan, fiscal_year)
    if parsed.value is None:
        return findings
    kind_errors = _kind_errors(parsed.value, spec)
    findings.extend(kind_errors)
    if not findings:
        findings.extend(_warnings(parsed.value, spec, plan, fiscal_year, history))
    return findings


def _with_unit(value: Decimal, spec: IndicatorSpec) -> str:
    """A number in a message as the grid and workbooks show it: 1,225人 (not 1225人)."""
    return f"{grouped(value)}{spec.unit or ''}"


def _kind_errors(value: Decimal, spec: IndicatorSpec) -> list[Finding]:
    kind = spec.value_kind
    errors: list[Finding] = []
    if kind is ValueKind.MILESTONE:
        if value not in (0, 1):
            errors.append(
                _error(
                    "E_MILESTONE_VALUE",
                    "「達成」か「未達成」を入力してください",
                    "Enter 達成 (done) or 未達成 (not done)",
                )
            )
        return errors
    if value < 0 and not spec.allow_negative:
        errors.append(
            _error(
                "E_NEGATIVE",
                f"この指標にマイナスの値は入力できません（入力: {canonical(value)}）",
                f"This indicator cannot be negative (got {canonical(value)})",
            )
        )
    if kind in (ValueKind.COUNT, ValueKind.PER_PERIOD, ValueKind.SCALED_COUNT):
        scale = Decimal(1)
        if kind is ValueKind.SCALED_COUNT and spec.unit:
            scale = split_unit(spec.unit).scale
        if (value * scale) % 1 != 0:
            errors.append(
                _error(
                    "E_FRACTION",
                    f"「{spec.unit}」は整数で入力してください（入力: {canonical(value)}）",
                    f"{spec.unit} takes whole numbers only (got {canonical(value)})",
                )
            )
    if kind is ValueKind.PERCENT and not Decimal(0) <= value <= Decimal(100):
        errors.append(
            _error(
                "E_PERCENT_RANGE",
                f"割合は0〜100%の範囲で入力してください（入力: {canonical(value)}%）",
                f"A percentage must be between 0 and 100 (got {canonical(value)}%)",
            )
        )
    fractional_kinds = (ValueKind.PERCENT, ValueKind.DECIMAL, ValueKind.AMOUNT)
    if spec.decimals is not None and kind in fractional_kinds:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > spec.decimals:
            hint_ja = hint_en = ""
            if kind is ValueKind.PERCENT and 0 < value <= 1:
                # 0.987 typed for 98.7 %: the likeliest slip, say so.
                hint_ja = f"。{canonical(value * 100)}%のことですか"
                hint_en = f"; did you mean {canonical(value * 100)}%?"
            errors.append(
                _error(
                    "E_DECIMALS",
                    f"小数点以下は{spec.decimals}桁までです（入力: {canonical(value)}）{hint_ja}",
                    f"At most {spec.decimals} decimal place(s) (got {canonical(value)}){hint_en}",
                )
            )
    return errors


def _previous(history: Mapping[int, Decimal], fiscal_year: int) -> tuple[int, Decimal] | None:
    earlier = [year for year in history if year < fiscal_year]
    if not earlier:
        return None
    year = max(earlier)
    return year, history[year]


def _warnings(
    value: Decimal,
    spec: IndicatorSpec,
    plan: PlanSettings,
    fiscal_year: int,
    history: Mapping[int, Decimal],
) -> list[Finding]:
    if spec.direction is Direction.MILESTONE or spec.value_kind is ValueKind.MILESTONE:
        return []
    known = dict(history)
    if spec.baseline is not None:
        known.setdefault(spec.baseline_year or plan.baseline_year, spec.baseline)
    known.pop(fiscal_year, None)
    found: list[Finding] = []
    previous = _previous(known, fiscal_year)
    scale_slip = _scale_slip(value, spec, previous)
    if scale_slip is not None:
        found.append(scale_slip)
    elif previous is not None and not (spec.cumulative and value < previous[1]):
        # A running total that goes down has its own warning below.
        found.extend(_year_on_year(value, spec, plan, fiscal_year, previous))
    if spec.cumulative:
        in_plan = {y: v for y, v in known.items() if y >= plan.start_year}
        last = _previous(in_plan, fiscal_year)
        if last is not None and value < last[1]:
            found.append(
                _warning(
                    "W_CUMULATIVE_DECREASE",
                    f"累計の指標が前年（{_era(last[0])}: {_with_unit(last[1], spec)}）より"
                    "減っています",
                    f"A cumulative indicator went down from FY{last[0]} "
                    f"({_with_unit(last[1], spec)})",
                )
            )
    if spec.target is not None and spec.target > 0 and value > 3 * spec.target:
        found.append(
            _warning(
                "W_OVER_3X_TARGET",
                f"目標値（{_with_unit(spec.target, spec)}）の3倍を超えています",
                f"More than three times the target ({_with_unit(spec.target, spec)})",
            )
        )
    if known.get(fiscal_year - 1) == value and known.get(fiscal_year - 2) == value:
        found.append(
            _warning(
                "W_SAME_3_YEARS",
                f"3年続けて同じ値（{_with_unit(value, spec)}）です。更新漏れではありませんか",
                f"The same value ({_with_unit(value, spec)}) three years running: not updated?",
            )
        )
    # Only the target year's value is graded for good: earlier years sit low on the way to a
    # five-year target by design, and are judged by the on-track status instead.
    target_year = spec.target_year or plan.end_year
    grade = assess(spec, plan, value).grade if fiscal_year >= target_year else None
    if grade is not None and grade.is_letter and grade.value in plan.warn_grades:
        label = grade.label(plan.grade_labels)
        found.append(
            _warning(
                "W_LOW_GRADE",
                f"評価が「{label}」になります。理由をコメントに記入してください",
                f"This value grades {grade.label(plan.grade_labels, 'en')}: explain in a comment",
            )
        )
    return found


def _scale_slip(
    value: Decimal, spec: IndicatorSpec, previous: tuple[int, Decimal] | None
) -> Finding | None:
    if previous is None or previous[1] <= 0 or value <= 0:
        return None
    prev = previous[1]
    if spec.value_kind is ValueKind.PERCENT and value <= 1 and prev >= 5:
        as_percent = value * 100
        if prev / 2 <= as_percent <= prev * 2:
            return _warning(
                "W_SCALE_PERCENT",
                f"{canonical(value)}%は{canonical(as_percent)}%の入力ミスではありませんか"
                f"（前年: {canonical(prev)}%）",
                f"Did you mean {canonical(as_percent)}% rather than {canonical(value)}%? "
                f"(last year {canonical(prev)}%)",
            )
    if spec.value_kind is ValueKind.SCALED_COUNT and spec.unit:
        parts = split_unit(spec.unit)
        scaled = value / parts.scale
        if value >= parts.scale and prev / 2 <= scaled <= prev * 2:
            return _warning(
                "W_SCALE_UNIT",
                f"「{parts.base}」で入力していませんか。単位は「{spec.unit}」です"
                f"（{canonical(scaled)}{spec.unit}のことですか。前年: {_with_unit(prev, spec)}）",
                f"Typed in {parts.base}? The unit is {spec.unit} "
                f"(did you mean {canonical(scaled)}{spec.unit}? "
                f"last year {_with_unit(prev, spec)})",
            )
    return None


def _era(fiscal_year: int) -> str:
    """A year in a Japanese message, as the rest of the UI writes it: 令和6年度."""
    return format_fiscal_year(fiscal_year, FiscalYearStyle.ERA)


def _on_path(
    value: Decimal,
    spec: IndicatorSpec,
    plan: PlanSettings,
    fiscal_year: int,
    previous: tuple[int, Decimal],
) -> bool:
    """The value lies near the straight path from the last known value to the target.

    Ordinary progress toward a five-year target is not a jump, however far it is from the last
    known value; 'near' is the indicator's own threshold around the path's value this year.
    """
    year, prev = previous
    target_year = spec.target_year or plan.end_year
    if spec.target is None or not year < fiscal_year <= target_year:
        return False
    expected = prev + (spec.target - prev) * (fiscal_year - year) / (target_year - year)
    if expected == 0:
        return False
    return abs(value - expected) <= spec.yoy_threshold * abs(expected)


def _year_on_year(
    value: Decimal,
    spec: IndicatorSpec,
    plan: PlanSettings,
    fiscal_year: int,
    previous: tuple[int, Decimal],
) -> list[Finding]:
    """A jump from the last known value: the threshold is per year, so it grows with the
    empty years between (and a running total may double in a year); a value on the straight
    path to the target is never a jump."""
    year, prev = previous
    if prev == 0:
        return []
    change = (value - prev) / abs(prev)
    years = max(fiscal_year - year, 1)
    allowed = spec.yoy_threshold * years * (2 if spec.cumulative else 1)
    if abs(change) <= allowed or _on_path(value, spec, plan, fiscal_year, previous):
        return []
    # format() rounds like quantize() but cannot overflow the 28-digit context (a tiny previous
    # value makes the change huge, and check_entry must never raise).
    percent = canonical(Decimal(format(change * 100, ".1f")))
    limit = canonical(allowed * 100)
    span_ja = f"{years}年で" if years > 1 else ""
    span_en = f" over {years} years" if years > 1 else ""
    return [
        _warning(
            "W_YOY_CHANGE",
            f"{_era(year)}（{_with_unit(prev, spec)}）から{percent}%の変化です"
            f"（目安: {span_ja}±{limit}%）。値を確認してください",
            f"A change of {percent}% from FY{year} ({_with_unit(prev, spec)}) "
            f"(threshold ±{limit}%{span_en}): please check",
        )
    ]


MAX_COMMENT_LENGTH = 2000


def check_comment(comment: str | None) -> Finding | None:
    """A comment is free text, but bounded: a pasted document is not a comment; and it holds
    no control character but line breaks and tabs (domain.text, the rule of every free text):
    an ESC would drive a terminal listing it, and a workbook cannot hold it."""
    if comment is None:
        return None
    if len(comment) > MAX_COMMENT_LENGTH:
        return _error(
            "E_COMMENT_TOO_LONG",
            f"コメントは{MAX_COMMENT_LENGTH}文字までです（{len(comment)}文字）",
            f"A comment has at most {MAX_COMMENT_LENGTH} characters (got {len(comment)})",
        )
    try:
        check_free_text(comment, "コメント", "comment", code="E_COMMENT_CONTROL")
    except DomainError as exc:
        return _error(exc.code, exc.message_ja, exc.message_en)
    return None


def pasted_fraction(kind: ValueKind | None, value: Decimal) -> bool:
    """A percentage given as a bare number (no percent format, not typed text) between 0 and 1:
    0.9 may be 0.9% or 90% pasted as a value (Calc and Excel store a typed 90% as 0.9 and a
    Paste Special of values keeps that number). It cannot be told which, so it is never stored.
    """
    return kind is ValueKind.PERCENT and Decimal(0) < value <= Decimal(1)
