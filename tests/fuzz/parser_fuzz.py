"""Fuzzing the two parsers every typed text goes through: parse_value and parse_fiscal_year.

A case is one text (and, for a value, one indicator spec). It is accepted, rejected with the
domain's own error (DomainError with a Japanese and an English message), or a failure: any other
exception, a rejection of a text that is well formed, or an accept the oracles refuse. The
oracles never ask the parser what it should have done:

- an accepted number is read again by an independent scanner (a sign, digits with or without
  thousands separators, a unit converted by the units module) and must be exactly that number;
  its canonical text, bare and with the plan's unit, must read back as the same number;
- every digit of an accepted number or year was typed as a digit: 0-9, ０-９, or a styled digit
  that NFKC folds alike (𝟏). Not ², ₃ or ① (NFKC turns them into digits nobody typed: 1² would
  be 12), nor Arabic-Indic, Devanagari or Thai digits mixed into a number;
- a number rendered in a clerk's style (full-width digits, thousands separators, ▲ for minus,
  the unit or a scaled unit such as 万件 or 件 for a 万件 indicator) reads as exactly the number
  rendered; the same rendering with trailing garbage, a second number, a foreign digit, a bad
  grouping, an exponent or another unit is refused;
- an accepted fiscal year is in range, formats back to itself in every style, and is explained
  by the numbers in the text: the Western year, or an era year after 令和/平成/R/H (with, at
  most, the same Western year in parentheses). Clerk-style years read as the year rendered;
  two years, a mismatched parenthesis, garbage or another era are refused.

Every case is reproducible from (seed, case number).
"""

from __future__ import annotations

import random
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import (
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    FiscalYearStyle,
    format_fiscal_year,
    parse_fiscal_year,
)
from kplan_desktop.domain.model import IndicatorSpec, MissingReason, ValueKind
from kplan_desktop.domain.units import conversion_factor
from kplan_desktop.domain.values import (
    MILESTONE_DONE,
    MILESTONE_NOT_DONE,
    ParsedValue,
    canonical,
    parse_value,
)

Outcome = Literal["accepted", "rejected", "failed"]
EMPTY: Literal["empty"] = "empty"
REJECT: Literal["reject"] = "reject"
# What a value case should give: a number, a missing reason, no value, a refusal, or unknown.
ValueExpect = Decimal | MissingReason | Literal["empty", "reject"] | None
YearExpect = int | Literal["reject"] | None

ASCII_DIGITS = "0123456789"
WIDE_DIGITS = "０１２３４５６７８９"
_TO_WIDE = str.maketrans("0123456789,.", "０１２３４５６７８９，．")
MAX_DIGITS = 18  # the README's limit on typed digits


# Defects the fuzzer found in code it may not change; the tests tolerate these kinds and pin
# each with a strict xfail (test_parsers.py), the fuzz script counts them as crashes.
KNOWN_DEFECTS: dict[str, str] = {}


@dataclass(frozen=True)
class Verdict:
    """How one case ended; `kind` names a failure in a few stable words."""

    outcome: Outcome
    kind: str = ""
    detail: str = ""


def _failed(kind: str, detail: str) -> Verdict:
    return Verdict("failed", kind, detail)


# -- indicator specs --------------------------------------------------------------------------


EXTRA_SPECS = (
    IndicatorSpec("X-YEN", "百万円", ValueKind.AMOUNT),
    IndicatorSpec("X-M2", "㎡", ValueKind.DECIMAL),
    IndicatorSpec("X-RATIO", "倍", ValueKind.DECIMAL, allow_negative=True),
    IndicatorSpec("X-CO2", "t-CO2", ValueKind.DECIMAL),
)


def catalog_specs() -> list[IndicatorSpec]:
    """One spec per distinct (unit, kind) of the seed catalog, and a few units it lacks."""
    from kplan_desktop.exchange.catalog_json import load
    from kplan_desktop.store.paths import seed_catalog_path

    found: dict[tuple[str | None, ValueKind | None], IndicatorSpec] = {}
    for *_, indicator in load(seed_catalog_path()).indicators():
        spec = indicator.spec()
        found.setdefault((spec.unit, spec.value_kind), spec)
    return [*found.values(), *EXTRA_SPECS]


# -- the oracles ------------------------------------------------------------------------------


def foreign_digit(char: str) -> bool:
    """A character that reads as a digit but was not typed as one (², ①, ٣), see the module."""
    if char in ASCII_DIGITS or char in WIDE_DIGITS:
        return False
    category = unicodedata.category(char)
    folded = unicodedata.normalize("NFKC", char)
    if category == "Nd":
        # Styled digits (𝟏, 𝟙) fold to ASCII as full-width ones do; ٣ and १ stay what they are.
        return not folded.isascii()
    return category == "No" and any(c in ASCII_DIGITS for c in folded)


def message_problem(exc: DomainError) -> str | None:
    if not exc.message_ja.strip() or not exc.message_en.strip():
        return "a message is empty"
    if exc.message_ja.isascii():
        return "the Japanese message has no Japanese"
    if any(c in exc.both() for c in "\r\n"):
        return "the message is not one line"
    return None


@dataclass(frozen=True)
class Scan:
    """A number as the independent scanner reads it from normalised text."""

    negative: bool
    number: str  # digits, commas and at most one point, as written
    unit: str
    start: int  # where the number starts in the normalised text
    end: int


def well_formed(number: str) -> bool:
    """Digits with an optional fraction, the whole part plain or grouped by threes with commas."""
    whole, dot, fraction = number.partition(".")
    if dot and not (fraction and fraction.isdigit()):
        return False  # '1.', '1.2.3'
    if not whole:
        return bool(dot)  # '.5'
    groups = whole.split(",")
    if len(groups) == 1:
        return whole.isdigit()
    head, *rest = groups
    return 1 <= len(head) <= 3 and head.isdigit() and all(len(g) == 3 and g.isdigit() for g in rest)


def scan_number(norm: str) -> Scan | None:
    """Sign, number and unit of a normalised text; None when the number is not well formed."""
    start, negative = 0, False
    if norm[:1] in ("▲", "△", "-", "−"):
        start, negative = 1, True
    elif norm[:1] == "+":
        start = 1
    end = start
    while end < len(norm) and norm[end] in "0123456789.,":
        end += 1
    number = norm[start:end]
    if not well_formed(number):
        return None
    return Scan(negative, number, norm[end:], start, end)


def _digit_count(number: str) -> int:
    return len(number.replace(",", "").replace(".", "").lstrip("-"))


def _number_has_foreign_digit(text: str, norm: str, scan: Scan | None) -> bool:
    """Whether a digit of the number came from a character that is not a typed digit."""
    # A decimal digit of another script has no place anywhere (no unit holds one), while ²
    # belongs to a unit (m²) but not to the number.
    if any(foreign_digit(c) and unicodedata.category(c) == "Nd" for c in text):
        return True
    pieces = [(c, "".join(unicodedata.normalize("NFKC", c).split())) for c in text]
    if scan is None or "".join(folded for _, folded in pieces) != norm:
        return False  # NFKC composed across characters; the scanner judges the rest
    position = 0
    for char, folded in pieces:
        after = position + len(folded)
        if folded and position < scan.end and after > scan.start and foreign_digit(char):
            return True
        position = after
    return False


def _is_dash(char: str) -> bool:
    return unicodedata.category(char) == "Pd" or char in "−ーｰ"


def value_problem(text: str, spec: IndicatorSpec, parsed: ParsedValue) -> tuple[str, str] | None:
    """Why an accepted value is wrong, or None; see the module docstring."""
    spaced = unicodedata.normalize("NFKC", text)
    norm = "".join(spaced.split())
    if parsed.value is not None and parsed.missing_reason is not None:
        return "value-both", f"{parsed}"
    if parsed.missing_reason is not None:
        reason = parsed.missing_reason
        if norm not in (reason.value, reason.label_ja):
            return "value-reason-mismatch", f"read as {reason.value}"
        return None
    if parsed.value is None:
        if norm and not (len(norm) <= 2 and all(_is_dash(c) for c in norm)):
            return "value-empty-mismatch", "read as no value"
        return None
    value = parsed.value
    if type(value) is not Decimal or not value.is_finite():
        return "value-not-decimal", repr(value)
    if spec.value_kind is ValueKind.MILESTONE:
        if any(foreign_digit(c) for c in text):
            return "value-foreign-digit", f"read as {value}"
        words = MILESTONE_DONE if value == 1 else MILESTONE_NOT_DONE if value == 0 else set()
        if norm not in words:
            return "value-milestone-mismatch", f"read as {value}"
        return None
    scan = scan_number(norm)
    if _number_has_foreign_digit(text, norm, scan):
        return "value-foreign-digit", f"read as {value}"
    if scan is None:
        return "value-scan-mismatch", f"read as {value}; the number is not well formed"
    if re.search(r"[0-9.,]\s+[0-9.,]", spaced):
        return "value-two-numbers", f"read as {value}"
    if _digit_count(scan.number) > MAX_DIGITS:
        return "value-scan-mismatch", f"read as {value}; more than {MAX_DIGITS} digits"
    if not scan.unit:
        factor: Decimal | None = Decimal(1)
    else:
        factor = None if spec.unit is None else conversion_factor(scan.unit, spec.unit)
    if factor is None:
        return "value-scan-mismatch", f"read as {value}; unit {scan.unit!r} is not {spec.unit}"
    expected = Decimal(scan.number.replace(",", "")) * factor
    if scan.negative:
        expected = -expected
    if value != expected:
        return "value-scan-mismatch", f"read as {value}, the text says {expected}"
    return _round_trip_problem(value, spec)


def _round_trip_problem(value: Decimal, spec: IndicatorSpec) -> tuple[str, str] | None:
    text = canonical(value)
    if _digit_count(text) > MAX_DIGITS:
        return None  # a conversion may add digits a clerk could not type (5件 = 0.0005万件)
    for again in (text, text + (spec.unit or "")):
        try:
            back = parse_value(again, spec).value
        except DomainError as exc:
            return "value-roundtrip", f"{value} → {again!r} refused ({exc.code})"
        if back != value:
            return "value-roundtrip", f"{value} → {again!r} → {back}"
    return None


def _parsed_as(parsed: ParsedValue) -> Decimal | MissingReason | Literal["empty"]:
    if parsed.missing_reason is not None:
        return parsed.missing_reason
    return EMPTY if parsed.value is None else parsed.value


def judge_value(text: str, spec: IndicatorSpec, expect: ValueExpect = None) -> Verdict:
    """Parse one value and judge the outcome (expect: what a generated case must give)."""
    shown = f"{text[:60]!r} for {spec.unit or 'no unit'} ({spec.value_kind})"
    try:
        parsed = parse_value(text, spec)
    except DomainError as exc:
        message = message_problem(exc)
        if message is not None:
            return _failed("value-unclear-message", f"{shown}: {message}")
        if expect is not None and expect != REJECT:
            return _failed("value-wrong-reject", f"{shown}: {exc.code}, expected {expect}")
        return Verdict("rejected")
    except Exception as exc:  # any other exception is what the fuzzer is for
        return _failed(f"value-exception:{type(exc).__name__}", f"{shown}: {exc!s:.200}")
    problem = value_problem(text, spec, parsed)
    if problem is not None:
        return _failed(problem[0], f"{shown}: {problem[1]}")
    if expect == REJECT:
        return _failed("value-wrong-accept", f"{shown}: read as {_parsed_as(parsed)}")
    if expect is not None and _parsed_as(parsed) != expect:
        return _failed("value-wrong-number", f"{shown}: read as {_parsed_as(parsed)}, not {expect}")
    return Verdict("accepted")


_ERA_OFFSETS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}
_KANJI = "〇一二三四五六七八九"


def kanji_number(numeral: str) -> int | None:
    """An independent reading of 二十八, 十, 二八, 一〇 (below 100); None if malformed."""
    if numeral.count("十") > 1:
        return None
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "〇" in tens + ones:
            return None
        return (_KANJI.index(tens) if tens else 1) * 10 + (_KANJI.index(ones) if ones else 0)
    if not 1 <= len(numeral) <= 2:
        return None
    return int("".join(str(_KANJI.index(c)) for c in numeral))


def year_problem(text: str, year: int) -> tuple[str, str] | None:
    """Why an accepted fiscal year is wrong, or None; see the module docstring."""
    if type(year) is not int:
        return "year-not-int", repr(year)
    if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        return "year-out-of-range", str(year)
    for style in FiscalYearStyle:
        written = format_fiscal_year(year, style)
        try:
            back = parse_fiscal_year(written)
        except DomainError as exc:
            return "year-roundtrip", f"{year} → {written!r} refused ({exc.code})"
        if back != year:
            return "year-roundtrip", f"{year} → {written!r} → {back}"
    if any(foreign_digit(c) for c in text):
        return "year-foreign-digit", f"read as {year}"
    norm = unicodedata.normalize("NFKC", text).upper()
    numbers: list[int | None] = [int(run) for run in re.findall(r"[0-9]+", norm)]
    numbers += [kanji_number(run) for run in re.findall(r"[〇一二三四五六七八九十]+", norm)]
    numbers += [1] * norm.count("元")
    if not numbers or len(numbers) > 2:
        return "year-unexplained", f"read as {year} from {len(numbers)} numbers"
    if len(numbers) == 2:
        # 令和6年度 (2024): the Western year in parentheses, and the year once more.
        if "(" not in norm or year not in numbers:
            return "year-unexplained", f"read as {year} from two numbers"
        numbers.remove(year)
    said = numbers[0]
    if said == year:
        return None
    offsets = {offset for marker, offset in _ERA_OFFSETS.items() if marker in norm}
    if said is not None and any(offset + said == year for offset in offsets):
        return None
    return "year-unexplained", f"read as {year}"


def judge_year(text: str, expect: YearExpect = None) -> Verdict:
    """Parse one fiscal year and judge the outcome (expect: what a generated case must give)."""
    shown = f"{text[:60]!r}"
    try:
        year = parse_fiscal_year(text)
    except DomainError as exc:
        message = message_problem(exc)
        if message is not None:
            return _failed("year-unclear-message", f"{shown}: {message}")
        if expect is not None and expect != REJECT:
            return _failed("year-wrong-reject", f"{shown}: {exc.code}, expected {expect}")
        return Verdict("rejected")
    except Exception as exc:  # any other exception is what the fuzzer is for
        return _failed(f"year-exception:{type(exc).__name__}", f"{shown}: {exc!s:.200}")
    problem = year_problem(text, year)
    if problem is not None:
        return _failed(problem[0], f"{shown}: {problem[1]}")
    if expect == REJECT:
        return _failed("year-wrong-accept", f"{shown}: read as {year}")
    if expect is not None and year != expect:
        return _failed("year-wrong-number", f"{shown}: read as {year}, not {expect}")
    return Verdict("accepted")


# -- generators -------------------------------------------------------------------------------

# Characters by family, weighted: what the parsers care about, what looks like it, and noise.
_POOLS: tuple[tuple[str, int], ...] = (
    (string.digits + ".,+-", 8),
    ("０１２３４５６７８９，．＋－％", 3),
    ("人件回品万億千百円%％/／年度令和平成元RrHhFfYy()（）十一二五九〇", 5),
    ("▲△−—―‐ー－ｰ～〜・、。", 2),
    (" \t\n\u3000\u00a0\u2009\u200b\ufeff", 2),
    ("٠١٢٣٤٥٦٧٨٩۰۱۲۳०१२३৪๑๒๓²³¹⁰⁵₀₁₂①②⑥⑳⑴⒈½¼𝟏𝟐𝟘", 2),
    ("㎡㍻㋿㍿ℝ℃°µ㎏ⅫⅣ²", 1),
    ("未集計該当なし非公表達成未完了設立済", 2),
    (string.ascii_letters + "!@#$^&*_=[]{};:'\"<>?\\|`~eE", 2),
)
_POOL_WEIGHTS = [weight for _, weight in _POOLS]


def random_text(rng: random.Random) -> str:
    """Any Unicode, mostly short, from families of characters the parsers care about."""
    roll = rng.random()
    length = rng.randint(0, 8) if roll < 0.75 else rng.randint(9, 40) if roll < 0.95 else 130
    chars = []
    for _ in range(length):
        if rng.random() < 0.08:
            chars.append(chr(rng.randrange(0x110000)))
        else:
            pool = rng.choices(_POOLS, weights=_POOL_WEIGHTS)[0][0]
            chars.append(rng.choice(pool))
    return "".join(chars)


def _wide(rng: random.Random, text: str) -> str:
    """ASCII digits, commas and points as typed: half-width, full-width, or a mixture."""
    roll = rng.random()
    if roll < 0.5:
        return text
    if roll < 0.8:
        return text.translate(_TO_WIDE)
    return "".join(c.translate(_TO_WIDE) if rng.random() < 0.5 else c for c in text)


def _space(rng: random.Random) -> str:
    return rng.choice(["", "", "", " ", "\u3000", "  ", "\t"])


def _written(rng: random.Random, magnitude: Decimal) -> str:
    """A non-negative number as a clerk writes it, with or without thousands separators."""
    whole, dot, fraction = canonical(magnitude).partition(".")
    if len(whole) > 3 and rng.random() < 0.6:
        whole = f"{int(whole):,}"
    elif whole == "0" and dot and rng.random() < 0.2:
        whole = ""
    elif rng.random() < 0.03:
        whole = "0" + whole
    if not dot and rng.random() < 0.05:
        dot, fraction = ".", "0" * rng.randint(1, 2)
    return whole + dot + fraction


_SCALES = {"": 1, "千": 10**3, "万": 10**4, "百万": 10**6, "千万": 10**7, "億": 10**8}
_SCALABLE = ("人", "件", "回", "品", "円")


def _split_scale(unit: str) -> tuple[str, str]:
    for prefix in ("百万", "千万", "億", "万", "千"):
        if unit.startswith(prefix) and unit[len(prefix) :] in _SCALABLE:
            return prefix, unit[len(prefix) :]
    return "", unit


def _typed_units(spec: IndicatorSpec) -> list[tuple[str, Decimal]]:
    """Units a clerk may type for this indicator, each with how many plan units one of it is."""
    unit = spec.unit or ""
    options = [("", Decimal(1)), (unit, Decimal(1))]
    prefix, base = _split_scale(unit)
    if base in _SCALABLE:
        plan_scale = _SCALES[prefix]
        options += [(p + base, Decimal(scale) / plan_scale) for p, scale in _SCALES.items()]
    if spec.value_kind is ValueKind.PERCENT:
        options += [("%", Decimal(1)), ("％", Decimal(1))]
    if spec.value_kind is ValueKind.PER_PERIOD:
        counter = unit.replace("／", "/").split("/")[0]
        options += [(counter, Decimal(1)), (counter + "/年", Decimal(1))]
        options += [(counter + " / 年", Decimal(1))]
    if unit == "㎡":
        options += [("m²", Decimal(1)), ("m2", Decimal(1))]
    if unit == "t-CO2":
        options += [("ｔ－ＣＯ２", Decimal(1))]
    return options


def _plan_value(rng: random.Random, kind: ValueKind) -> Decimal:
    whole = Decimal(int(10 ** rng.uniform(0, rng.choice([3, 6, 12]))))
    if kind in (ValueKind.COUNT, ValueKind.PER_PERIOD):
        return whole
    if kind is ValueKind.PERCENT:
        return Decimal(rng.randint(0, 1000)) / rng.choice([1, 10, 100]) % 101
    return whole / Decimal(10) ** rng.randint(0, 4)


@dataclass(frozen=True)
class ClerkNumber:
    """A number as typed, in parts, so that a breaker can damage one part."""

    before: str
    sign: str
    number: str  # as written: digits, separators, maybe full-width
    between: str
    unit: str
    after: str

    @property
    def text(self) -> str:
        return self.before + self.sign + self.number + self.between + self.unit + self.after


def clerk_number(rng: random.Random, spec: IndicatorSpec) -> tuple[ClerkNumber, Decimal]:
    """A well-formed number for a spec with a unit, and the value in plan units it means."""
    kind = spec.value_kind or ValueKind.DECIMAL
    for _ in range(100):
        value = _plan_value(rng, kind)
        typed, per_plan_unit = rng.choice(_typed_units(spec))
        magnitude = value / per_plan_unit
        if _digit_count(canonical(magnitude)) <= MAX_DIGITS:
            break
    else:
        value, typed, magnitude = Decimal(1), "", Decimal(1)
    negative = value != 0 and rng.random() < 0.15
    sign = rng.choice(["▲", "△", "-", "−", "－"]) if negative else ""
    if not negative and rng.random() < 0.05:
        sign = rng.choice(["+", "＋"])
    if sign and rng.random() < 0.1:
        sign += " "
    number = ClerkNumber(
        before=_space(rng),
        sign=sign,
        number=_wide(rng, _written(rng, magnitude)),
        between=_space(rng) if typed else "",
        unit=typed,
        after=_space(rng),
    )
    return number, -value if negative else value


def clerk_value(rng: random.Random, spec: IndicatorSpec) -> tuple[str, ValueExpect]:
    """Text a clerk could type for this indicator, and what it must read as."""
    roll = rng.random()
    if roll < 0.08:
        reason = rng.choice(list(MissingReason))
        word = reason.label_ja if rng.random() < 0.8 else reason.value
        return _space(rng) + word + _space(rng), reason
    if roll < 0.12:
        return rng.choice(["", " ", "\u3000", "-", "－", "—", "―", "ー", "−", "--"]), EMPTY
    if spec.value_kind is ValueKind.MILESTONE:
        done = rng.random() < 0.5
        word = rng.choice(sorted(MILESTONE_DONE if done else MILESTONE_NOT_DONE))
        return _space(rng) + word + _space(rng), Decimal(1 if done else 0)
    if spec.value_kind is None or spec.unit is None:
        number, _ = clerk_number(rng, IndicatorSpec("", "件", ValueKind.COUNT))
        return number.text, REJECT  # no unit yet: no value is accepted
    number, value = clerk_number(rng, spec)
    return number.text, value


_FOREIGN = {
    d: [chr(base + d) for base in (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x0F20, 0x2080)]
    + ["⁰¹²³⁴⁵⁶⁷⁸⁹"[d], "⓪①②③④⑤⑥⑦⑧⑨"[d]]
    for d in range(10)
}
_TRAILING_GARBAGE = ("a", "x", "?", "!", "kg", "e3", "E+3", "ドル", "abc", "#", "*", "°", "/",
                     "・", "(", ")", ".", "ａ", "Ⅻ", "\u0301")  # fmt: skip
_LEADING_GARBAGE = ("a", "約", "x", "#", "¥", "$", "(", "〜", "ａ", "=", "*")
_SEPARATORS = (" ", "\u3000", "、", "・", "〜", "~", "/", "-", "人", "か", "と", "\t", "\n", "_")
_OTHER_UNITS = ("件", "人", "回", "%", "円", "万円", "倍", "kg", "m", "t", "年", "日", "時間",
                "世帯", "万人", "件/年")  # fmt: skip
_NOT_NUMBERS = ("NaN", "Infinity", "inf", "∞", "0x1f", "1_000", "1e3", "1E+3", "1e-2", "1.2.3",
                "12.", "1,22,5", "12,25", "1,2345", ",123", "1,,234", "--3", "+-3", "▲-3",
                "3-", "3▲", "▲▲3", "+▲3", "1 225", "12\u30005", "1.5.")  # fmt: skip


def _replace_a_digit(rng: random.Random, number: str) -> str | None:
    places = [i for i, c in enumerate(number) if c in ASCII_DIGITS or c in WIDE_DIGITS]
    if not places:
        return None
    at = rng.choice(places)
    digit = int(unicodedata.normalize("NFKC", number[at]))
    return number[:at] + rng.choice(_FOREIGN[digit]) + number[at + 1 :]


def broken_value(rng: random.Random, spec: IndicatorSpec) -> str:
    """A clerk-style number damaged so that it must be refused."""
    target = spec if spec.unit is not None else IndicatorSpec("", "件", ValueKind.COUNT)
    number, _ = clerk_number(rng, target)
    roll = rng.randrange(9)
    if roll == 0:
        return number.text.rstrip() + rng.choice(_TRAILING_GARBAGE)
    if roll == 1:
        return rng.choice(_LEADING_GARBAGE) + number.text.lstrip()
    if roll == 2:
        other, _ = clerk_number(rng, target)
        return number.text.rstrip() + rng.choice(_SEPARATORS) + other.text.lstrip()
    if roll == 3:
        damaged = _replace_a_digit(rng, number.number)
        if damaged is not None:
            return ClerkNumber(**{**number.__dict__, "number": damaged}).text
        return number.text + "x"
    if roll == 4:
        units = [u for u in _OTHER_UNITS if conversion_factor(u, target.unit or "") is None]
        return ClerkNumber(**{**number.__dict__, "unit": rng.choice(units)}).text
    if roll == 5:
        digits = "".join(rng.choice(ASCII_DIGITS) for _ in range(rng.randint(19, 30)))
        return ClerkNumber(**{**number.__dict__, "number": "1" + digits}).text
    if roll == 6:
        return number.text + " " * (101 - len(number.text)) + rng.choice(["", "x", " "])
    if roll == 7:
        whole = str(rng.randint(1000, 10**9))
        at = rng.choice([i for i in range(1, len(whole)) if (len(whole) - i) % 3 != 0])
        return ClerkNumber(**{**number.__dict__, "number": whole[:at] + "," + whole[at:]}).text
    return ClerkNumber(**{**number.__dict__, "sign": "", "number": rng.choice(_NOT_NUMBERS)}).text


def _kanji_numeral(rng: random.Random, number: int) -> str:
    tens, ones = divmod(number, 10)
    if number < 10 or rng.random() < 0.6:
        head = "" if tens == 0 else ("" if tens == 1 else _KANJI[tens]) + "十"
        return head + (_KANJI[ones] if ones else "")
    return _KANJI[tens] + _KANJI[ones]


def _era_numeral(rng: random.Random, era_year: int) -> str:
    roll = rng.random()
    if era_year == 1 and roll < 0.3:
        return "元"
    if roll < 0.6:
        text = str(era_year)
        return "0" + text if era_year < 10 and rng.random() < 0.1 else _wide(rng, text)
    return _kanji_numeral(rng, era_year)


def clerk_year(rng: random.Random) -> tuple[str, int]:
    """A fiscal year as staff type it, and the year it means."""
    year = rng.randint(MIN_FISCAL_YEAR, MAX_FISCAL_YEAR)
    styles = ["western", "fy"]
    if year >= 2019:
        styles += ["reiwa", "r"]
    if year - 1988 <= 99:
        styles += ["heisei", "h"]
    style = rng.choice(styles)
    digits = _wide(rng, str(year))
    if style == "western":
        body = digits + rng.choice(["", "年度", "年", " 年度", "　年度"])
    elif style == "fy":
        body = rng.choice(["FY", "fy", "Fy", "ＦＹ"]) + rng.choice(["", " "]) + digits
    elif style in ("reiwa", "heisei"):
        era_year = year - (2018 if style == "reiwa" else 1988)
        era = ("令和" if style == "reiwa" else "平成") if rng.random() < 0.9 else None
        era = era or ("㋿" if style == "reiwa" else "㍻")
        body = (
            era
            + _space(rng).strip("\t")
            + _era_numeral(rng, era_year)
            + rng.choice(["年度", "年度", "年", "", " 年度"])
        )
    else:
        era_year = year - (2018 if style == "r" else 1988)
        letter = rng.choice(["R", "r", "Ｒ"] if style == "r" else ["H", "h", "Ｈ"])
        numeral = _wide(rng, str(era_year)) if rng.random() < 0.8 else _era_numeral(rng, era_year)
        body = letter + rng.choice(["", ".", " ", ". "]) + numeral + rng.choice(["", "", "年度"])
    if rng.random() < 0.2:
        opening, closing = rng.choice([("(", ")"), ("（", "）")])
        body += rng.choice(["", " ", "\u3000"]) + opening + _wide(rng, str(year)) + closing
    return _space(rng) + body + _space(rng), year


_YEAR_TRAILING = ("x", "a", "?", "号", "!", "円", "月", "日", "-", "/", "の", "年度年度", "度度")
_YEAR_LEADING = ("第", "x", "約", "#", "昭和", "S", "令和令和", "FYFY", "-")
_YEAR_SEPARATORS = (" ", "、", "/", "~", "〜", "-", "・", "と", "\u3000", "\n")
_OTHER_ERAS = ("昭和", "大正", "明治", "S", "T", "M", "皇紀")


def broken_year(rng: random.Random) -> str:
    """A fiscal year damaged so that it must be refused."""
    text, year = clerk_year(rng)
    text = text.strip()
    roll = rng.randrange(8)
    if roll == 0:
        return text + rng.choice(_YEAR_TRAILING)
    if roll == 1:
        return rng.choice(_YEAR_LEADING) + text
    if roll == 2:
        other, _ = clerk_year(rng)
        return text + rng.choice(_YEAR_SEPARATORS) + other.strip()
    if roll == 3:
        shift = rng.choice([-10, -2, -1, 1, 2, 100])
        if "(" in text or "（" in text:
            return text + f"({year + shift})"
        return f"{format_fiscal_year(year)} ({year + shift})"
    if roll == 4:
        damaged = _replace_a_digit(rng, text)
        return damaged if damaged is not None else text + "x"
    if roll == 5:
        western = rng.choice([rng.randint(1000, MIN_FISCAL_YEAR - 1), rng.randint(2101, 99999)])
        return rng.choice([str(western), f"{western}年度", f"FY{western}"])
    if roll == 6:
        return rng.choice(
            [f"R{rng.randint(83, 500)}", f"令和{rng.randint(83, 99)}年度", "R0", "令和〇年度",
             f"H{rng.randint(100, 999)}", "平成0年度", f"令和{rng.randint(1, 9)}十十年度"]
        )  # fmt: skip
    return rng.choice(_OTHER_ERAS) + str(rng.randint(1, 64)) + rng.choice(["", "年度"])


def _near_miss(rng: random.Random, text: str) -> str:
    """A text with one or two characters inserted, deleted or replaced."""
    chars = list(text)
    for _ in range(rng.randint(1, 2)):
        at = rng.randint(0, len(chars))
        extra = random_text(rng)[:1] or rng.choice("0１,.年人▲")
        action = rng.randrange(3)
        if action == 0 or not chars:
            chars.insert(at, extra)
        elif action == 1:
            del chars[min(at, len(chars) - 1)]
        else:
            chars[min(at, len(chars) - 1)] = extra
    return "".join(chars)


# -- running cases ----------------------------------------------------------------------------


@dataclass
class ParserCase:
    """One generated case, with what it must give when the generator knows."""

    parser: Literal["value", "year"]
    family: str  # random, clerk, near-miss or broken
    text: str
    spec: IndicatorSpec | None = None
    value_expect: ValueExpect = None
    year_expect: YearExpect = None

    def judge(self) -> Verdict:
        if self.spec is not None:
            return judge_value(self.text, self.spec, self.value_expect)
        return judge_year(self.text, self.year_expect)


def make_case(seed: int, case: int, specs: Sequence[IndicatorSpec]) -> ParserCase:
    rng = random.Random(f"kplan-fuzz-parser:{seed}:{case}")
    if rng.random() < 0.6:
        spec = rng.choice(specs)
        roll = rng.random()
        if roll < 0.35:
            return ParserCase("value", "random", random_text(rng), spec)
        if roll < 0.7:
            text, expect = clerk_value(rng, spec)
            return ParserCase("value", "clerk", text, spec, value_expect=expect)
        if roll < 0.85:
            text, _ = clerk_value(rng, spec)
            return ParserCase("value", "near-miss", _near_miss(rng, text), spec)
        return ParserCase("value", "broken", broken_value(rng, spec), spec, value_expect=REJECT)
    roll = rng.random()
    if roll < 0.35:
        return ParserCase("year", "random", random_text(rng))
    if roll < 0.7:
        text, year = clerk_year(rng)
        return ParserCase("year", "clerk", text, year_expect=year)
    if roll < 0.85:
        text, _ = clerk_year(rng)
        return ParserCase("year", "near-miss", _near_miss(rng, text))
    return ParserCase("year", "broken", broken_year(rng), year_expect=REJECT)


@dataclass
class Tally:
    """Counts of a run, and the first example of every kind of failure."""

    cases: int = 0
    accepted: int = 0
    rejected: int = 0
    failed: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, verdict: Verdict, where: str) -> None:
        self.cases += 1
        if verdict.outcome == "accepted":
            self.accepted += 1
        elif verdict.outcome == "rejected":
            self.rejected += 1
        else:
            self.failed += 1
            self.kinds[verdict.kind] += 1
            self.examples.setdefault(verdict.kind, f"{where}: {verdict.detail}")


def run_parser_cases(
    cases: int,
    seed: int,
    *,
    on_failure: Callable[[int, ParserCase, Verdict], None] | None = None,
) -> Tally:
    """Run cases 0..cases-1 of `seed`; on_failure(case, generated, verdict) for each failure."""
    specs = catalog_specs()
    tally = Tally()
    for number in range(cases):
        generated = make_case(seed, number, specs)
        verdict = generated.judge()
        tally.add(verdict, f"seed {seed} case {number}")
        if verdict.outcome == "failed" and on_failure is not None:
            on_failure(number, generated, verdict)
    return tally
