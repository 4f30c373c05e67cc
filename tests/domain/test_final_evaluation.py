"""最終評価 of the seed plan, every figure computed by hand beside it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kplan_desktop.domain.achievement import Grade
from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.evaluation import Evaluation, NextStep
from kplan_desktop.domain.final_evaluation import FinalState, final_evaluation
from kplan_desktop.domain.generation import (
    Succession,
    SuccessionDecision,
    plan_generation,
)
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.exchange.catalog_json import load
from kplan_desktop.store.paths import seed_catalog_path


@pytest.fixture(scope="module")
def seed() -> Catalog:
    return load(seed_catalog_path())


def _d(text: str) -> Decimal:
    return Decimal(text)


def test_each_indicator_is_judged_by_its_target_years_actual_only(seed: Catalog) -> None:
    values = {
        "7-1-1-K1": {2025: _d("4"), 2026: _d("5")},  # (5−2)/(5−2) = 1 → A, reached
        # R8 missing: R7's 60 is shown for reference, not graded in its place → 未集計.
        "7-1-1-K2": {2025: _d("60")},
        "7-1-1-K3": {2026: _d("6245")},  # (6245−1225)/(7500−1225) = 0.8 → B, not reached
        "7-2-1-K1": {2026: _d("2")},  # (2−1)/(5−1) = 0.25 → D
        "7-2-2-K1": {2022: _d("1")},  # milestone due R4: 達成 → A, reached
    }
    reasons = {"7-2-1-K2": {2026: MissingReason.NOT_APPLICABLE}}
    result = final_evaluation(plan_generation(seed), seed, values, reasons)
    k1, k2, k3 = (result.indicator(f"7-1-1-K{n}") for n in (1, 2, 3))
    assert (k1.achievement.rate, k1.achievement.grade, k1.reached) == (Decimal(1), Grade.A, True)
    assert (k2.value, k2.state, k2.achievement.grade, k2.reached) == (
        None,
        FinalState.NO_FINAL_ACTUAL,
        Grade.DATA_PENDING,
        None,
    )
    assert (k2.latest_year, k2.latest_value) == (2025, _d("60"))
    assert k2.state_text() == "未集計" and k2.state_text("en") == "not yet compiled"
    assert (k3.achievement.rate, k3.achievement.grade, k3.reached) == (_d("0.8"), Grade.B, False)
    assert result.indicator("7-2-1-K1").achievement.grade is Grade.D
    milestone = result.indicator("7-2-2-K1")
    assert (milestone.final_year, milestone.reached) == (2022, True)
    explained = result.indicator("7-2-1-K2")
    assert (explained.state, explained.state_text()) == (FinalState.MISSING, "該当なし")
    # No target in the seed (7-5-2-A1 経常収支比率): said so, never a grade.
    no_target = result.indicator("7-5-2-A1")
    assert (no_target.state, no_target.state_text(), no_target.reached) == (
        FinalState.NO_TARGET,
        "目標未設定",
        None,
    )
    # By hand, policy 7-1: K1 A, K2 データ未確定, K3 B, 7-1-2-K1 データ未確定, two A1 without
    # a target; reached 1 (K1) of 2 judged (K1, K3).
    policy = result.policy("7-1").tally
    assert (policy.total, policy.reached, policy.not_reached, policy.not_judged) == (6, 1, 1, 4)
    assert policy.grades == {Grade.A: 1, Grade.B: 1, Grade.DATA_PENDING: 2, Grade.NO_TARGET: 2}
    assert policy.reached_share == _d("0.5")
    # The plan: reached K1 and the milestone; not reached K3 and 7-2-1-K1.
    assert (result.plan.total, result.plan.reached, result.plan.judged) == (25, 2, 4)


def test_the_last_years_evaluation_counts_and_the_successor_is_carried(seed: Catalog) -> None:
    generation = plan_generation(seed)
    evaluations = {
        "7-1-1": Evaluation("7-1-1", 2026, "B", "参加者が増えた", NextStep.CONTINUE, ""),
        # Only R7's evaluation: the final evaluation says 未記入 rather than borrow it.
        "7-1-2": Evaluation("7-1-2", 2025, "A", "", None, ""),
    }
    successor = SuccessionDecision("7-1-1-K3", Succession.CONTINUE, "1-1-1-K1", 2026)
    result = final_evaluation(
        generation,
        seed,
        {"7-1-1-K3": {2025: _d("5900"), 2026: _d("6245")}},
        evaluations=evaluations,
        successors={"7-1-1-K3": successor},
        next_baselines={"7-1-1-K3": _d("6200")},  # what the next plan holds (typed by hand)
    )
    assert result.measure("7-1-1").self_grade == "B"
    assert result.measure("7-1-1").next_step is NextStep.CONTINUE
    assert result.measure("7-1-2").evaluation is None
    assert result.policy("7-1").self_grades == {"A": 0, "B": 1, "C": 0, "D": 0, None: 1}
    k3 = result.indicator("7-1-1-K3")
    assert (k3.successor, k3.next_baseline) == (successor, _d("6200"))
    assert result.indicator("7-1-1-K1").successor is None
