"""Units of measure as the plan writes them (人, 万件, %, 回／年, 百万円) and what they imply."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from kplan_desktop.domain.model import ValueKind

# Counters that only take whole numbers. Anything not listed is treated as a decimal quantity.
COUNTERS = frozenset(
    {
        "回",
        "人",
        "件",
        "品",
        "団体",
        "箇所",
        "か所",
        "校",
        "社",
        "施設",
        "世帯",
        "名",
        "本",
        "部",
        "個",
        "台",
        "戸",
        "事業",
        "講座",
        "店舗",
        "地区",
        "種類",
        "組",
        "隻",
        "匹",
        "頭",
    }
)

# Prefixes that scale a unit; longest first so 百万 wins over 万.
SCALE_PREFIXES: tuple[tuple[str, Decimal], ...] = (
    ("百万", Decimal(10) ** 6),
    ("千万", Decimal(10) ** 7),
    ("億", Decimal(10) ** 8),
    ("万", Decimal(10) ** 4),
    ("千", Decimal(10) ** 3),
)

PER_YEAR_SUFFIX = "/年"

# The functions below are pure and see few distinct units, but run once per checked value (a
# merge checks thousands), so they are cached; bounded, as typed units come from users.
_UNITS_CACHED = 1024


@lru_cache(maxsize=_UNITS_CACHED)
def normalise_unit(text: str) -> str:
    """NFKC, no spaces: '回／年' and '回 / 年' both become '回/年', '％' becomes '%'."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class UnitParts:
    """A unit split into its scale and its base: 万件 is 10,000 × 件."""

    scale: Decimal
    base: str


@lru_cache(maxsize=_UNITS_CACHED)
def split_unit(unit: str) -> UnitParts:
    norm = normalise_unit(unit)
    for prefix, factor in SCALE_PREFIXES:
        rest = norm[len(prefix) :]
        if norm.startswith(prefix) and rest and (rest in COUNTERS or rest == "円"):
            return UnitParts(factor, rest)
    return UnitParts(Decimal(1), norm)


@lru_cache(maxsize=_UNITS_CACHED)
def infer_value_kind(unit: str | None) -> ValueKind | None:
    """The value kind a unit implies; None when the unit is not set."""
    if unit is None or not normalise_unit(unit):
        return None
    norm = normalise_unit(unit)
    if norm == "%":
        return ValueKind.PERCENT
    if norm.endswith(PER_YEAR_SUFFIX) and norm[: -len(PER_YEAR_SUFFIX)] in COUNTERS:
        return ValueKind.PER_PERIOD
    parts = split_unit(norm)
    if parts.base == "円":
        return ValueKind.AMOUNT
    if parts.base in COUNTERS:
        return ValueKind.SCALED_COUNT if parts.scale != 1 else ValueKind.COUNT
    return ValueKind.DECIMAL


def whole_number_scale(unit: str, kind: ValueKind) -> Decimal | None:
    """For whole-number kinds, how many base units one plan unit holds (万件 → 10,000)."""
    if kind in (ValueKind.COUNT, ValueKind.PER_PERIOD):
        return Decimal(1)
    if kind is ValueKind.SCALED_COUNT:
        return split_unit(unit).scale
    return None


@lru_cache(maxsize=_UNITS_CACHED)
def conversion_factor(typed: str, unit: str) -> Decimal | None:
    """Factor turning a value typed with unit `typed` into the indicator's `unit`, or None.

    The same unit gives 1; 件 typed for a 万件 indicator gives 1/10,000 (exact, since scales are
    powers of ten); a bare counter typed for a per-year unit ('3回' for 回/年) is the same thing.
    """
    t, u = normalise_unit(typed), normalise_unit(unit)
    if t == u:
        return Decimal(1)
    if u.endswith(PER_YEAR_SUFFIX) and t == u[: -len(PER_YEAR_SUFFIX)]:
        return Decimal(1)
    tp, up = split_unit(t), split_unit(u)
    if tp.base == up.base and tp.base in COUNTERS | {"円"}:
        return tp.scale / up.scale
    return None
