"""domain.units: units as the plan writes them, the value kind each implies and how a value typed
in one unit converts into the indicator's."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kplan_desktop.domain.model import ValueKind
from kplan_desktop.domain.units import (
    UnitParts,
    conversion_factor,
    infer_value_kind,
    normalise_unit,
    split_unit,
    whole_number_scale,
)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [("回／年", "回/年"), ("回 / 年", "回/年"), ("％", "%"), ("　万件 ", "万件"), ("ｋｍ", "km")],
)
def test_units_are_compared_in_one_spelling(typed: str, normal: str) -> None:
    assert normalise_unit(typed) == normal


@pytest.mark.parametrize(
    ("unit", "parts"),
    [
        ("万件", UnitParts(Decimal(10) ** 4, "件")),
        ("百万円", UnitParts(Decimal(10) ** 6, "円")),
        ("千人", UnitParts(Decimal(10) ** 3, "人")),
        ("億円", UnitParts(Decimal(10) ** 8, "円")),
        ("人", UnitParts(Decimal(1), "人")),
        # A prefix scales only a counter or yen: 万歩計 is not 10,000 × 歩計.
        ("万歩計", UnitParts(Decimal(1), "万歩計")),
        ("万", UnitParts(Decimal(1), "万")),
    ],
)
def test_a_scale_prefix_splits_off_only_before_a_counter_or_yen(
    unit: str, parts: UnitParts
) -> None:
    assert split_unit(unit) == parts


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("人", ValueKind.COUNT),
        ("か所", ValueKind.COUNT),
        ("万件", ValueKind.SCALED_COUNT),
        ("％", ValueKind.PERCENT),
        ("回／年", ValueKind.PER_PERIOD),
        ("百万円", ValueKind.AMOUNT),
        ("円", ValueKind.AMOUNT),
        ("km", ValueKind.DECIMAL),
        ("t/年", ValueKind.DECIMAL),  # per year, but not of a counter
        (None, None),
        (" ", None),
    ],
)
def test_the_unit_implies_the_value_kind(unit: str | None, kind: ValueKind | None) -> None:
    assert infer_value_kind(unit) is kind


def test_whole_number_kinds_know_their_scale() -> None:
    assert whole_number_scale("人", ValueKind.COUNT) == 1
    assert whole_number_scale("回/年", ValueKind.PER_PERIOD) == 1
    assert whole_number_scale("万件", ValueKind.SCALED_COUNT) == 10_000
    assert whole_number_scale("km", ValueKind.DECIMAL) is None
    assert whole_number_scale("%", ValueKind.PERCENT) is None


@pytest.mark.parametrize(
    ("typed", "unit", "factor"),
    [
        ("人", "人", Decimal(1)),
        ("％", "%", Decimal(1)),
        ("件", "万件", Decimal("0.0001")),
        ("万件", "件", Decimal(10_000)),
        ("千円", "百万円", Decimal("0.001")),
        ("回", "回/年", Decimal(1)),  # a bare counter typed for a per-year unit
        ("人", "件", None),  # another counter: never converted
        ("km", "m", None),  # not a unit the plan scales
        ("円", "%", None),
    ],
)
def test_a_value_typed_in_another_unit_converts_only_when_the_base_is_the_same(
    typed: str, unit: str, factor: Decimal | None
) -> None:
    assert conversion_factor(typed, unit) == factor


def test_conversion_is_exact() -> None:
    factor = conversion_factor("件", "万件")
    assert factor is not None
    assert Decimal(12_345) * factor == Decimal("1.2345")
