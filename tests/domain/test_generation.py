"""Plan generations: years belong to one plan, series run across plans."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from kplan_desktop.domain.achievement import Grade
from kplan_desktop.domain.catalog import Catalog, Indicator
from kplan_desktop.domain.catalog_edit import find_indicator
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.generation import (
    Generation,
    GenerationStatus,
    SeriesLink,
    Succession,
    SuccessionDecision,
    check_next_period,
    generation_of_year,
    plan_generation,
    proposed_baseline,
    series_across,
)
from kplan_desktop.exchange.catalog_json import load
from kplan_desktop.store.paths import seed_catalog_path

LATE = Generation(1, "後期基本計画", 2022, 2026)
NEXT = Generation(2, "次期基本計画", 2027, 2031, GenerationStatus.DRAFT)


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return load(seed_catalog_path())


def _indicator(catalog: Catalog, code: str) -> Indicator:
    found = find_indicator(catalog, code)
    assert found is not None
    return found[1]


def test_each_fiscal_year_belongs_to_one_generation() -> None:
    assert generation_of_year([LATE, NEXT], 2026) is LATE
    assert generation_of_year([LATE, NEXT], 2027) is NEXT
    with pytest.raises(DomainError) as caught:
        generation_of_year([LATE, NEXT], 2021)
    assert caught.value.code == "E_NO_GENERATION"
    assert "令和3年度" in caught.value.message_ja
    assert LATE.label() == "後期基本計画（令和4年度〜令和8年度）"


def test_the_database_holds_one_generation_today(seed: Catalog) -> None:
    assert plan_generation(seed) == Generation(1, seed.plan.name, 2022, 2026)


def test_a_new_period_starts_after_the_last_one_ends() -> None:
    check_next_period([LATE], 2027, 2031)
    for start, end in ((2026, 2030), (2024, 2028), (2028, 2027)):
        with pytest.raises(DomainError) as caught:
            check_next_period([LATE], start, end)
        assert caught.value.code == "E_GENERATION_PERIOD"
    check_next_period([], 2022, 2026)


def test_a_closed_generation_is_read_only() -> None:
    assert LATE.writable and NEXT.writable
    assert not replace(LATE, status=GenerationStatus.CLOSED).writable


def test_a_decision_is_whole_or_refused() -> None:
    SuccessionDecision("7-1-1-K3", Succession.CONTINUE, "1-1-1-K1", 2026)
    SuccessionDecision("7-1-1-K1", Succession.END)
    refused: list[Callable[[], object]] = [
        lambda: SuccessionDecision("7-1-1-K1", Succession.END, "1-1-1-K9"),
        lambda: SuccessionDecision("7-1-1-K1", Succession.CONTINUE),
        lambda: SuccessionDecision("7-1-1-K1", Succession.REPLACE, "1-1-1-K2", 2026),
    ]
    for bad in refused:
        with pytest.raises(DomainError):
            bad()


def test_the_baseline_comes_from_the_chosen_years_actual_or_stays_not_set() -> None:
    decision = SuccessionDecision("7-1-1-K3", Succession.CONTINUE, "1-1-1-K1", 2026)
    old = {2025: Decimal(5900), 2026: Decimal(6245)}
    assert proposed_baseline(decision, old) == Decimal(6245)
    # The base year's actual is not in yet: not set, never the year before's.
    assert proposed_baseline(decision, {2025: Decimal(5900)}) is None
    ended = SuccessionDecision("7-1-1-K3", Succession.END)
    assert proposed_baseline(ended, old) is None


def test_a_series_across_two_plans_is_graded_against_each_plans_target(seed: Catalog) -> None:
    old = _indicator(seed, "7-1-1-K3")  # baseline 1,225人 (R2), target 7,500人 (R8)
    new = replace(
        old,
        code="1-1-1-K1",
        baseline_year=2026,
        baseline=Decimal(6245),
        target_year=2031,
        target=Decimal(9000),
    )
    settings = seed.plan.settings
    next_settings = replace(settings, start_year=2027, end_year=2031, baseline_year=2026)
    series = series_across(
        [SeriesLink(NEXT, new, next_settings), SeriesLink(LATE, old, settings)],
        {
            (1, "7-1-1-K3"): {2025: Decimal(5900), 2026: Decimal(6245), 2027: Decimal(1)},
            (2, "1-1-1-K1"): {2027: Decimal(6796)},
        },
    )
    assert series.boundaries == (2027,)
    # 2027 of generation 1 lies outside its period and is not part of the series.
    assert [(p.fiscal_year, p.generation, p.code) for p in series.points] == [
        (2025, 1, "7-1-1-K3"),
        (2026, 1, "7-1-1-K3"),
        (2027, 2, "1-1-1-K1"),
    ]
    # By hand: (6245 − 1225) ÷ (7500 − 1225) = 0.8 → B against the old plan;
    # (6796 − 6245) ÷ (9000 − 6245) = 0.2 → D against the new plan.
    r2026, r2027 = series.points[1].achievement, series.points[2].achievement
    assert (r2026.rate, r2026.grade) == (Decimal("0.8"), Grade.B)
    assert (r2027.rate, r2027.grade) == (Decimal("0.2"), Grade.D)


def test_the_next_plans_draft_copies_the_structure_without_baselines(seed: Catalog) -> None:
    from kplan_desktop.domain.generation import apply_decision, next_draft

    draft = next_draft(seed, "next", "次期基本計画", 2027, 2031, 2026)
    settings = draft.plan.settings
    assert (draft.plan.name, settings.start_year, settings.end_year) == ("次期基本計画", 2027, 2031)
    assert [i.code for *_, i in draft.indicators()] == [i.code for *_, i in seed.indicators()]
    k3 = _indicator(draft, "7-1-1-K3")
    # Nothing of the old plan's targets is carried over (trial finding 5): the new plan's
    # targets are typed from its own text, 未設定 until then.
    assert k3.baseline is None and k3.interim_targets == ()
    assert (k3.target, k3.target_year) == (None, None)
    assert all(i.target is None for *_, i in draft.indicators())
    assert _indicator(seed, "7-1-1-K3").target == Decimal("7500")
    assert _indicator(seed, "7-1-1-K3").baseline == Decimal("1225")  # the current plan as it was
    kept = apply_decision(
        draft, SuccessionDecision("7-1-1-K3", Succession.CONTINUE, "7-1-1-K3", 2026), Decimal(1800)
    )
    assert (_indicator(kept, "7-1-1-K3").baseline, _indicator(kept, "7-1-1-K3").baseline_year) == (
        Decimal(1800),
        2026,
    )
    waiting = apply_decision(
        draft, SuccessionDecision("7-1-1-K3", Succession.CONTINUE, "7-1-1-K3", 2026), None
    )
    assert _indicator(waiting, "7-1-1-K3").baseline_year is None  # "not set" until it arrives
    ended = apply_decision(draft, SuccessionDecision("7-1-1-K2", Succession.END), None)
    assert "7-1-1-K2" not in {i.code for *_, i in ended.indicators()}
    for refused in (
        SuccessionDecision("7-1-1-K2", Succession.CONTINUE, "7-1-1-K2", 2026),  # ended already
        SuccessionDecision("7-1-1-K1", Succession.REPLACE, "7-1-1-K3"),  # a code in use
    ):
        with pytest.raises(DomainError) as caught:
            apply_decision(ended, refused, None)
        assert caught.value.code == "E_SUCCESSION"


def test_every_year_of_both_periods_once_with_its_own_plans_target(seed: Catalog) -> None:
    from kplan_desktop.domain.model import MissingReason

    old = _indicator(seed, "7-1-1-K3")
    new = replace(old, baseline_year=2026, baseline=Decimal(7000), target=Decimal(9000))
    settings = seed.plan.settings
    next_settings = replace(settings, start_year=2027, end_year=2031, baseline_year=2026)
    series = series_across(
        [SeriesLink(LATE, old, settings), SeriesLink(NEXT, new, next_settings)],
        # Generation 2 holding a value of 2026 (outside its period) must not double the year.
        {(1, old.code): {2026: Decimal(7000)}, (2, new.code): {2026: Decimal(1), 2027: None}},
        {(2, new.code): {2027: MissingReason.NOT_COMPILED}},
        every_year=True,
    )
    assert [(p.fiscal_year, p.generation) for p in series.points] == [
        *[(y, 1) for y in range(2022, 2027)],
        *[(y, 2) for y in range(2027, 2032)],
    ]
    r8, r9 = series.points[4], series.points[5]
    assert (r8.value, r8.target, r8.achievement.grade) == (Decimal(7000), Decimal(7500), Grade.B)
    assert (r9.missing_reason, r9.target, r9.achievement.grade) == (
        MissingReason.NOT_COMPILED,
        Decimal(9000),
        Grade.DATA_PENDING,
    )
    assert not series.points[0].entered and r9.entered
    assert series.across_plans and series.current.generation is NEXT
    assert [p.fiscal_year for p in series.earlier()] == list(range(2022, 2027))
    assert series.link_of(r8).generation is LATE
    assert LATE.label() == "後期基本計画（令和4年度〜令和8年度）"
    assert replace(LATE, name="後期基本計画（令和4年度〜令和8年度）").label() == LATE.label()
