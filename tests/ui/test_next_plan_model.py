"""The 次期計画 wizard's model without widgets (issue 17 in the window): defaults from the
current plan, decisions per indicator and per measure, the baseline it proposes, targets typed
as in the catalog editor, and one transaction that writes all of it — or nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.generation import GenerationStatus, Succession
from kplan_desktop.exchange.next_generation import create_next_generation, withdraw
from kplan_desktop.progress import Cancelled
from kplan_desktop.store.actuals import EntryRequest, read_actuals, write_actuals
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.generations import generation_record, generations, indicator_links
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.ui.models.next_plan import NewIndicator, NextPlanModel
from tests.conftest import Database, dump

T = EntrySource.TEST
NEW_K9 = NewIndicator("7-1-1", "7-1-1-K9", "地域活動の参加者数", "人", "community")
NEW_K9.target_text = "900"


def enter(db: Database, code: str, year: str, value: str) -> None:
    args = ["--db", str(db), "enter", "--indicator", code, "--year", year, "--value", value]
    args += ["--comment", "確認済み"]
    assert main(args) == 0


@pytest.fixture
def store(db: Database) -> Store:
    enter(db, "7-1-1-K2", "2026", "60")  # entered, not final: no baseline is taken from it
    opened = Store.open(str(db))
    with opened.transaction() as conn:  # merged: final
        write_actuals(conn, 1, [EntryRequest("7-1-1-K3", 2026, "1,450", "確認済み")],
                      who="merge", source=EntrySource.MERGE)  # fmt: skip
    return opened


def test_the_wizard_proposes_a_baseline_from_a_final_value_only(store: Store) -> None:
    model = NextPlanModel.load(store, 1)
    rows = {r.old_code: r for r in model.rows}
    assert model.baseline(rows["7-1-1-K3"]) == Decimal("1450")
    assert model.baseline(rows["7-1-1-K2"]) is None


def test_the_defaults_are_the_next_five_years_after_the_plan(store: Store) -> None:
    model = NextPlanModel.load(store, 1)
    assert (model.start_year, model.end_year, model.baseline_year) == (2027, 2031, 2026)
    assert model.name == "次期基本計画"
    # Every indicator of the seed plan is there, each continued unless told otherwise.
    assert len(model.rows) == sum(1 for _ in model.catalog.indicators())
    assert {r.succession for r in model.rows} == {Succession.CONTINUE}


def test_the_baseline_comes_from_the_base_years_actual_or_is_not_set(store: Store) -> None:
    model = NextPlanModel.load(store, 1)
    k3 = next(r for r in model.rows if r.old_code == "7-1-1-K3")
    k2 = next(r for r in model.rows if r.old_code == "7-1-1-K2")
    assert model.baseline(k3) == Decimal("1450")
    assert model.baseline_text(k3) == "1,450人"
    assert model.baseline_text(k2) == "未設定" and model.baseline_text(k2, "en") == "not set"
    # Another base year: that year's actual or nothing, never a neighbouring year's.
    model.baseline_year = 2025
    assert model.baseline(k3) is None
    model.baseline_year = 2026
    model.choose([model.rows.index(k3)], Succession.END)
    assert model.baseline_text(k3) == "—"


def test_a_whole_measure_or_policy_takes_one_decision(store: Store) -> None:
    model = NextPlanModel.load(store, 1)
    changed = model.choose_under("7-1-1", Succession.END)
    assert {model.rows[n].old_code for n in changed} == {
        "7-1-1-A1",
        "7-1-1-K1",
        "7-1-1-K2",
        "7-1-1-K3",
    }
    policy = model.choose_under("7-2", Succession.REPLACE)
    assert {model.rows[n].measure for n in policy} == {"7-2-1", "7-2-2"}
    assert model.counts()[Succession.END] == 4


def test_a_period_overlapping_the_plan_and_a_wrong_target_are_refused(store: Store) -> None:
    model = NextPlanModel.load(store, 1)
    model.start_year = 2026
    with pytest.raises(DomainError) as caught:
        model.check_period()
    assert caught.value.code == "E_GENERATION_PERIOD"
    model.start_year = 2027
    k3 = next(r for r in model.rows if r.old_code == "7-1-1-K3")
    k3.target_text = "80%"  # a percentage for a count of people
    with pytest.raises(DomainError) as caught:
        model.plan()
    assert caught.value.code == "E_CATALOG_VALUE"
    k3.target_text = "1,600人"
    assert dict(model.plan().targets)["7-1-1-K3"] == Decimal("1600")


def test_a_new_indicator_needs_a_code_the_new_plan_does_not_hold(store: Store) -> None:
    model = NextPlanModel.load(store, 1)
    with pytest.raises(DomainError):
        model.add(NewIndicator("7-1-1", "7-1-1-K3", "重複", "人", "community"))
    model.add(NEW_K9)
    assert [a.code for a in model.added] == ["7-1-1-K9"]


def test_create_writes_the_next_plan_in_one_transaction(store: Store, db: Database) -> None:
    model = NextPlanModel.load(store, 1)
    rows = {r.old_code: n for n, r in enumerate(model.rows)}
    model.choose([rows["7-1-1-K1"]], Succession.END)
    model.choose([rows["7-1-1-K2"]], Succession.REPLACE)
    model.rows[rows["7-1-1-K2"]].new_code = "7-1-1-K2b"
    model.rows[rows["7-1-1-K3"]].target_text = "1,600"
    model.add(NEW_K9)
    steps: list[tuple[int, int]] = []
    created = create_next_generation(
        store, model.plan(), who="planner", source=T, progress=lambda d, t: steps.append((d, t))
    )
    assert created.number == 2
    assert dict(created.baselines)["7-1-1-K3"] == Decimal("1450")
    assert steps[-1][0] == steps[-1][1] and len(steps) > 3
    with store.snapshot() as conn:
        record = generation_record(conn, 2)
        catalog = read_catalog(conn, 2)
        links = {(x.code, x.prior_code, x.kind) for x in indicator_links(conn, 2)}
        assert read_actuals(conn, 2) == []
    assert record is not None and record.status is GenerationStatus.DRAFT
    assert catalog is not None
    found = {i.code: i for _, _, _, i in catalog.indicators()}
    assert "7-1-1-K1" not in found and "7-1-1-K2" not in found
    k3 = found["7-1-1-K3"]
    assert (k3.baseline, k3.baseline_year, k3.target, k3.target_year) == (
        Decimal("1450"),
        2026,
        Decimal("1600"),
        2031,
    )
    assert found["7-1-1-K9"].target == Decimal("900")
    assert ("7-1-1-K3", "7-1-1-K3", Succession.CONTINUE) in links
    assert ("7-1-1-K2b", "7-1-1-K2", Succession.REPLACE) in links
    assert not any(prior == "7-1-1-K1" for _, prior, _ in links)
    # The way back: a draft with no values is withdrawn, and the next one takes its number.
    assert withdraw(store, 2, who="planner", source=T)
    with store.snapshot() as conn:
        assert read_catalog(conn, 2) is None
        assert indicator_links(conn, 2) == []
    again = create_next_generation(store, model.plan(), who="planner", source=T)
    assert again.number == 2


def test_a_cancel_or_a_refusal_at_the_last_step_writes_nothing(
    store: Store, db: Database, tmp_path: Path
) -> None:
    model = NextPlanModel.load(store, 1)
    before = dump(db)
    calls = {"n": 0}

    def late() -> bool:
        calls["n"] += 1
        return calls["n"] > len(model.rows) + 1  # after every decision: at the commit

    with pytest.raises(Cancelled):
        create_next_generation(store, model.plan(), who="planner", source=T, cancelled=late)
    assert dump(db) == before
    plan = model.plan()
    # A new indicator in a measure the plan does not hold is refused at its step.
    from dataclasses import replace

    bad = NewIndicator("9-9-9", "X-1", "x", "人", "community").indicator()
    with pytest.raises(DomainError):
        create_next_generation(
            store, replace(plan, added=(("9-9-9", bad),)), who="planner", source=T
        )
    assert dump(db) == before
    with store.snapshot() as conn:
        assert [g.number for g in generations(conn)] == [1]


def test_a_draft_with_values_is_not_withdrawn(store: Store, db: Database) -> None:
    model = NextPlanModel.load(store, 1)
    create_next_generation(store, model.plan(), who="planner", source=T)
    assert main(["--db", str(db), "generation", "activate", "2"]) == 0
    with pytest.raises(DomainError) as caught:
        withdraw(store, 2, who="planner", source=T)
    assert caught.value.code == "E_NOT_DRAFT"


def test_a_next_plan_made_elsewhere_is_imported_as_a_draft(
    store: Store, db: Database, tmp_path: Path
) -> None:
    import json

    from kplan_desktop.exchange.next_generation import import_next_plan

    exported = tmp_path / "current.json"
    assert main(["--db", str(db), "catalog", "export", "-o", str(exported)]) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["plan"].update(name="次期基本計画", start_year=2027, end_year=2031, baseline_year=2026)
    for key in ("version", "cycle"):
        data.pop(key, None)
    overlapping = tmp_path / "overlap.json"
    overlapping.write_text(json.dumps({**data, "plan": {**data["plan"], "start_year": 2026}}))
    before = dump(db)
    with pytest.raises(DomainError) as caught:
        import_next_plan(store, overlapping, from_generation=1, who="planner", source=T)
    assert caught.value.code == "E_GENERATION_PERIOD"
    assert dump(db) == before
    made = tmp_path / "next.json"
    made.write_text(json.dumps(data), encoding="utf-8")
    number = import_next_plan(store, made, from_generation=1, who="planner", source=T)
    with store.snapshot() as conn:
        record = generation_record(conn, number)
        catalog = read_catalog(conn, number)
        assert indicator_links(conn, number) == []
    assert record is not None and record.status is GenerationStatus.DRAFT
    assert (record.generation.start_year, record.generation.end_year) == (2027, 2031)
    assert catalog is not None and catalog.plan.name == "次期基本計画"
