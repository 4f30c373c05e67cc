"""Parsing values as clerks type them: 全角 digits, 1,225人, 98.7％, ▲3.2, 未集計, —."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import IndicatorSpec, MissingReason, PlanSettings, ValueKind
from kplan_desktop.domain.units import conversion_factor

# A pasted cell can be anything; past this length it is not a value (and regexes stay cheap).
MAX_INPUT_LENGTH = 100
MAX_DIGITS = 18

NO_VALUE_MARKS = frozenset({"", "-", "—", "―", "‐", "‒", "–", "−", "ー", "ｰ", "--"})
NEGATIVE_MARKS = ("▲", "△", "-", "−")
MILESTONE_DONE = frozenset({"達成", "済", "完了", "設立", "1"})
MILESTONE_NOT_DONE = frozenset({"未達成", "未", "未完了", "未設立", "0"})

# A dash alone. The entry window and `kplan enter` take it as "clear this value" (the clerk sees
# the stored value and clears it on purpose, with an audit row). In a workbook cell it is never
# read: in Japanese tables a dash often means zero or "none", so a workbook's dash is refused on
# its row (dash_problem) and never clears a stored value. This is the one place that decides.
DASH_MARKS = NO_VALUE_MARKS - {""} | frozenset({"－", "ｰ", "―", "‐"})


def is_dash(text: str | None) -> bool:
    """True for a dash alone (-, ―, ー, －, — …), spaces around it ignored."""
    if text is None:
        return False
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    return folded != "" and (folded in DASH_MARKS or text.strip() in DASH_MARKS)


DASH_PROBLEM = (
    "「-」は値として読めません。0 なら 0 と、値がないなら未記入の理由を選んでください",
    "a dash is not a value: type 0 for zero, or choose a reason when there is no value",
)


# The unit may hold digits once it has started ('㎡' is 'm2' after NFKC, 't-CO2'), but must not
# start with a digit, '.' or ',' so that '1.2.3' and '1,22,5' stay unreadable.
_NUMBER = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<unit>(?:[^\d.,].*)?)",
)


# slots: a merge holds one per row of every file, and the collector scans them twice as fast.
@dataclass(frozen=True, slots=True)
class ParsedValue:
    """A typed value understood: a number in the plan's unit, a reason it is missing, or neither.

    Neither means "no value" (the cell was cleared with —, - or nothing).
    """

    value: Decimal | None = None
    missing_reason: MissingReason | None = None

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.missing_reason is None


def canonical(value: Decimal) -> str:
    """Exact decimal text without exponent or trailing zeros: 98.70 → '98.7', 1E+3 → '1000'."""
    if value == 0:
        return "0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def grouped(value: Decimal) -> str:
    """The stored number with thousands separators, as the workbooks show it: 1225 → '1,225'.

    Only the integer part is grouped; the decimals stay exactly as `canonical` writes them
    (1234.50 → '1,234.5', never rounded). The editor gets the plain `canonical` text.
    """
    text = canonical(value)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, point, fraction = digits.partition(".")
    if len(whole) <= 3:
        return text
    return f"{sign}{int(whole):,}{point}{fraction}"


def grading_to_dict(settings: PlanSettings) -> dict[str, object]:
    """The plan's grading settings as plain data (the catalog file and the plan table share it)."""
    return {
        "a": canonical(settings.grade_a),
        "b": canonical(settings.grade_b),
        "c": canonical(settings.grade_c),
        "labels": settings.grade_labels.value,
        "warn_grades": sorted(settings.warn_grades),
        "on_track": canonical(settings.on_track),
        "slightly_behind": canonical(settings.slightly_behind),
    }


def to_decimal(text: str) -> Decimal:
    """Stored decimal text back to a Decimal; raises DomainError on anything else."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError(
            "E_STORED_VALUE",
            f"保存された値が数値ではありません: {text[:40]!r}",
            f"Stored value is not a number: {text[:40]!r}",
        ) from None
    if not value.is_finite():
        raise DomainError("E_STORED_VALUE", "保存された値が有限ではありません", "Not finite")
    return value


# Plain ASCII digits with at most one inner point: how the program's own workbooks hold values.
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")

_SPACE_INSIDE_NUMBER = re.compile(r"(?<=[\d.,])\s+(?=[\d.,])")


_TEXT_PREFIX = re.compile(r"'(?=[\d+\-.▲△−])")


def _normalise(text: str) -> str:
    """NFKC and no spaces, except that a space inside a number ('12 3') keeps it unreadable."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(_SPACE_INSIDE_NUMBER.sub("\x00", folded).split())


# A date typed where a number belongs, after NFKC: 2024/4/1, 2024-04-01, 2024.4.1, 2024年4月1日,
# 2024年4月, 令和6年4月1日 (元年 too), R6.4.1, H31/4/30, 4月1日. Calc and Excel turn such typing
# into a date (a serial number) in any cell not formatted as text; here it is named a date,
# never read as a number or taken for another unit.
_ERA = r"(?:令和|平成|昭和|[RHSrhs])(?:\d{1,2}|元)"
_DATE_TEXT = re.compile(
    rf"(?:\d{{4}}|{_ERA})(?:[/.\-]\d{{1,2}}[/.\-]\d{{1,2}}|年\d{{1,2}}月(?:\d{{1,2}}日)?)"
    rf"|{_ERA}年"
    r"|\d{1,2}月\d{1,2}日"
)


def parse_value(text: str, spec: IndicatorSpec) -> ParsedValue:
    """Parse one typed value for one indicator, converting to the plan's unit.

    Raises DomainError for text that is not a value of this indicator (not a number, another
    unit, a milestone word that is not one). Range checks are the validator's job.
    """
    plain = _plain_number(text, spec)
    return plain if plain is not None else _parse_typed(text, spec)


def _plain_number(text: str, spec: IndicatorSpec) -> ParsedValue | None:
    """The common case the short way, or None: plain ASCII digits ("55", "98.7") for an
    indicator that takes numbers. A merge parses thousands of such values; the result is
    exactly _parse_typed's (tests/domain/test_values.py compares the two on generated text).
    """
    kind = spec.value_kind
    if kind is None or kind is ValueKind.MILESTONE or spec.unit is None:
        return None
    if len(text) > MAX_DIGITS or _PLAIN_NUMBER.fullmatch(text) is None:
        return None
    return ParsedValue(value=Decimal(text))


def _parse_typed(text: str, spec: IndicatorSpec) -> ParsedValue:
    """Anything typed: width, spaces, signs, thousands separators, units, reasons, milestones."""
    if len(text) > MAX_INPUT_LENGTH:
        raise DomainError(
            "E_PARSE",
            f"入力が長すぎます（{MAX_INPUT_LENGTH}文字まで）",
            f"Input too long (at most {MAX_INPUT_LENGTH} characters)",
        )
    norm = _normalise(text)
    if _TEXT_PREFIX.match(norm):
        # '5: Excel's and Calc's mark for "this cell is text", never content (＇ is ' after
        # NFKC). One is taken off before a number; anything else keeps it and stays unreadable.
        norm = norm[1:]
    if norm in NO_VALUE_MARKS:
        return ParsedValue()
    reason = MissingReason.from_label(norm)
    if reason is not None:
        return ParsedValue(missing_reason=reason)
    if _foreign_digit(text):
        raise DomainError(
            "E_PARSE",
            f"数値として読めません（使えない数字があります）: {_shown(text)}",
            f"Not a number (it holds digits of another kind): {_shown(text)}",
        )
    if spec.value_kind is ValueKind.MILESTONE:
        return _parse_milestone(norm, text)
    if spec.value_kind is None or spec.unit is None:
        raise DomainError(
            "E_UNIT_NOT_SET",
            "この指標は単位が未設定のため値を入力できません（企画担当課に設定を依頼してください）",
            "This indicator has no unit set yet, so no value can be entered "
            "(ask the planning division to set it)",
        )
    if _DATE_TEXT.fullmatch(norm):
        raise DomainError(
            "E_PARSE",
            f"日付は値として入力できません（入力: {_shown(text)}）。数値を入力してください",
            f"A date is not a value (typed: {_shown(text)}); enter a number",
        )
    return _parse_number(norm, text, spec.unit)


def _parse_milestone(norm: str, original: str) -> ParsedValue:
    if norm in MILESTONE_DONE:
        return ParsedValue(value=Decimal(1))
    if norm in MILESTONE_NOT_DONE:
        return ParsedValue(value=Decimal(0))
    raise DomainError(
        "E_MILESTONE_VALUE",
        f"「達成」か「未達成」を入力してください（入力: {_shown(original)}）",
        f"Enter 達成 (done) or 未達成 (not done) (got: {_shown(original)})",
    )


# Digits a clerk types: ASCII and full width. NFKC would also turn ², ① or other scripts' digits
# into these; a number must not be read out of them (they may still stand in a unit: m², CO₂).
_CLERK_DIGITS = frozenset("0123456789０１２３４５６７８９")


def _foreign_digit(text: str) -> bool:
    for i, c in enumerate(text):
        if unicodedata.category(c)[0] == "N" and c not in _CLERK_DIGITS:
            before = text[i - 1] if i else ""
            if not (before and unicodedata.category(before)[0] == "L"):
                return True
    return False


def _shown(text: str) -> str:
    """Typed text as quoted in a message: short, with control characters made visible."""
    head = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text[:40])
    return head + ("…" if len(text) > 40 else "")


# Words clerks write beside a figure that say how exact it is, not what it measures: never a
# unit, and never stored (a value is a number alone; the comment can say the rest).
_QUALIFIER = re.compile(r"以上|以下|未満|以内|超|程度|約|およそ|概ね|くらい|ぐらい|前後|見込み?")


def _refuse_qualifier(body: str, original: str) -> None:
    found = _QUALIFIER.search(body)
    if found is None:
        return
    word = found.group(0)
    raise DomainError(
        "E_PARSE",
        f"「{word}」のような言葉は付けず、数値だけを入力してください（入力: {_shown(original)}）。"
        "補足はコメントに書けます",
        f"Type the number alone, without words such as {word!r} (typed: {_shown(original)}); "
        "the comment can say more",
    )


def _parse_number(norm: str, original: str, unit: str) -> ParsedValue:
    negative = False
    body = norm
    if body[:1] in NEGATIVE_MARKS:
        negative = True
        body = body[1:]
    elif body[:1] == "+":
        body = body[1:]
    match = _NUMBER.fullmatch(body)
    if match is None or (
        match.group("unit") and conversion_factor(match.group("unit"), unit) is None
    ):
        _refuse_qualifier(body, original)
    if match is None:
        raise DomainError(
            "E_PARSE",
            f"数値として読めません: {_shown(original)}",
            f"Not a number: {_shown(original)}",
        )
    digits = match.group("num").replace(",", "")
    if not digits.isascii():
        raise DomainError(
            "E_PARSE",
            f"数値として読めません（使えない数字があります）: {_shown(original)}",
            f"Not a number (it holds digits of another kind): {_shown(original)}",
        )
    # Keeps every later multiplication exact within Decimal's default 28-digit precision.
    if len(digits.replace(".", "")) > MAX_DIGITS:
        raise DomainError(
            "E_PARSE",
            f"桁数が多すぎます（{MAX_DIGITS}桁まで）: {_shown(original)}",
            f"Too many digits (at most {MAX_DIGITS}): {_shown(original)}",
        )
    number = Decimal(digits)
    typed_unit = match.group("unit")
    if typed_unit:
        factor = conversion_factor(typed_unit, unit)
        if factor is None and any(ch.isdigit() for ch in typed_unit):
            # Digits after the number ('1e3', '1_000') make it unreadable, unless they belong
            # to this indicator's unit ('㎡' is 'm2' after NFKC).
            raise DomainError(
                "E_PARSE",
                f"数値として読めません: {_shown(original)}",
                f"Not a number: {_shown(original)}",
            )
        if factor is None:
            raise DomainError(
                "E_UNIT_MISMATCH",
                f"単位が違います: この指標の単位は「{unit}」です（入力: {typed_unit[:20]}）",
                f"Wrong unit: this indicator is measured in {unit} (got: {typed_unit[:20]})",
            )
        number = number * factor
    if negative and number != 0:
        number = -number
    return ParsedValue(value=number)
