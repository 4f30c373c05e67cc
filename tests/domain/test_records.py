"""domain.records.builder: the same frozen record as the constructor makes, or a refusal."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

import pytest

from kplan_desktop.domain.catalog import CrossReference, Indicator
from kplan_desktop.domain.model import Direction, IndicatorKind, IndicatorStatus
from kplan_desktop.domain.records import builder


def _values(indicator: Indicator) -> tuple[object, ...]:
    return tuple(getattr(indicator, field.name) for field in dataclasses.fields(indicator))


def test_an_indicator_built_from_its_values_is_the_constructors_own() -> None:
    made = Indicator(
        code="1-1-1-K1",
        kind=IndicatorKind.OUTCOME,
        name="指標",
        unit="人",
        department="d1",
        direction=Direction.INCREASE,
        baseline=Decimal("12"),
        target=Decimal("20.5"),
        status=IndicatorStatus.ACTIVE,
        interim_targets=((2025, Decimal("15")),),
        former_owners=((2024, "d0"),),
        links=(CrossReference("総合戦略", "1", "KPI"),),
    )
    built = builder(Indicator)(_values(made))
    assert type(built) is Indicator
    assert built == made and hash(built) == hash(made) and repr(built) == repr(made)
    assert built.owner_for(2024) == "d0" and built.spec() == made.spec()
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.name = "変えた"  # type: ignore[misc]
    other = builder(Indicator)((*_values(made)[:-1], ()))
    assert other != made


def test_a_wrong_number_of_values_is_refused() -> None:
    with pytest.raises(ValueError):
        builder(CrossReference)(("総合戦略", "1"))
    with pytest.raises(ValueError):
        builder(CrossReference)(("総合戦略", "1", "KPI", "余り"))


def test_a_class_whose_constructor_does_more_is_refused() -> None:
    @dataclass(frozen=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    @dataclass(frozen=True, slots=True)
    class Slotted:
        value: int

    @dataclass(frozen=True)
    class Derived:
        value: int
        twice: int = dataclasses.field(init=False, default=0)

    for cls in (Checked, Slotted, Derived, int):
        with pytest.raises(TypeError):
            builder(cls)
