"""The next plan's baseline that fills itself in (issue 17 item 2): a continuing indicator whose
old-plan base-year actual is not in yet keeps a baseline "not set"; when that actual is
finalised (here) or merged (the decade test), the baseline is filled from it in the same
transaction with its own audit row; a baseline typed by hand meanwhile is left alone. On SQLite
and on the PostgreSQL server."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from kplan_desktop.cli import main
from kplan_desktop.domain.generation import Succession, fill_baseline, set_baseline
from kplan_desktop.exchange.catalog_json import catalog_hash
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.catalog import read_catalog, replace_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.generations import indicator_links
from kplan_desktop.store.requests import EntrySource
from tests.conftest import Database, dump

T = EntrySource.TEST


def run(db: Database, *args: str) -> int:
    return int(main(["--db", str(db), *args]))


def shown(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    assert run(db, *args) == 0, args
    return json.loads(capsys.readouterr().out)


def _baselines(db: Database, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    rows = shown(db, capsys, "show", "--generation", "2", "--json")
    return {row["code"]: (row["baseline"],) for row in rows}


def test_a_pending_baseline_fills_itself_in_when_the_base_year_is_finalised(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "generation", "new", "--name", "次期基本計画", "--start", "R9", "--end",
               "R13", "--baseline-year", "R8") == 0  # fmt: skip
    assert run(db, "generation", "decide", "7-1-1-K3", "continue") == 0
    assert run(db, "generation", "decide", "7-1-1-K2", "continue") == 0
    store = Store.open(str(db))
    try:
        with store.snapshot() as conn:
            links = {link.code: link for link in indicator_links(conn, 2)}
        assert links["7-1-1-K3"].kind is Succession.CONTINUE
        assert links["7-1-1-K3"].pending_base_year == 2026
        # 7-1-1-K2's baseline is typed by hand meanwhile (the catalog editor).
        with store.transaction() as conn:
            draft = read_catalog(conn, 2)
            assert draft is not None
            edited = fill_baseline(draft, "7-1-1-K2", 2025, Decimal(40))
            assert edited is not None
            replace_catalog(conn, 2, edited, catalog_hash(edited), who="企画", source=T,
                            detail="typed")  # fmt: skip
        assert _baselines(db, capsys)["7-1-1-K3"][0] is None
        # The R8 actuals are entered: not final yet, nothing fills in.
        with store.transaction() as conn:
            catalog = read_catalog(conn, 1)
            assert catalog is not None
            requests = [
                EntryRequest(i.code, 2026, "1800" if i.code == "7-1-1-K3" else "未集計", "確認")
                for _, _, _, i in catalog.indicators()
                if i.owner_for(2026) == "community"
            ]
            write_actuals(conn, 1, requests, who="clerk", source=T)
    finally:
        store.dispose()
    assert _baselines(db, capsys)["7-1-1-K3"][0] is None
    # Finalised (R8 is the old plan's year): 7-1-1-K3's baseline is filled from it, K2's typed
    # one stays; an audit row names where the value came from.
    assert run(db, "finalise", "--department", "community", "--year", "R8") == 0
    baselines = _baselines(db, capsys)
    assert baselines["7-1-1-K3"][0] == "1800"
    assert baselines["7-1-1-K2"][0] == "40"
    audit = shown(db, capsys, "audit", "--json")
    filled = [row for row in audit if row.get("action") == "baseline"]
    assert len(filled) == 1, filled
    detail = filled[0]["detail"]
    assert "7-1-1-K3" in detail and "1800" in detail and "generation 1" in detail
    assert "finalise community FY2026" in detail
    # Nothing waits any more: withdrawing and finalising again changes no baseline.
    before = dump(db)
    assert run(db, "finalise", "--department", "community", "--year", "R8", "--withdraw") == 0
    assert run(db, "finalise", "--department", "community", "--year", "R8") == 0
    assert _baselines(db, capsys) == baselines
    after = dump(db)
    assert after["indicator"] == before["indicator"]


def _enter_r8(db: Database, k3: str) -> None:
    store = Store.open(str(db))
    try:
        with store.transaction() as conn:
            catalog = read_catalog(conn, 1)
            assert catalog is not None
            requests = [
                EntryRequest(i.code, 2026, k3 if i.code == "7-1-1-K3" else "未集計", "確認")
                for _, _, _, i in catalog.indicators()
                if i.owner_for(2026) == "community"
            ]
            write_actuals(conn, 1, requests, who="clerk", source=T)
    finally:
        store.dispose()


def test_a_baseline_is_taken_only_from_the_final_value_and_follows_its_correction(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 1 (s8 trial): a value merely entered before `generation decide` is not taken;
    the baseline waits for the final value, and follows its later correction, audited."""
    _enter_r8(db, "6100")  # entered, not finalised
    assert run(db, "generation", "new", "--name", "次期基本計画", "--start", "R9", "--end",
               "R13", "--baseline-year", "R8") == 0  # fmt: skip
    capsys.readouterr()
    assert run(db, "generation", "decide", "7-1-1-K3", "continue") == 0
    assert "未設定" in capsys.readouterr().out
    assert _baselines(db, capsys)["7-1-1-K3"][0] is None
    _enter_r8(db, "6150")  # corrected before it is final
    assert run(db, "finalise", "--department", "community", "--year", "R8") == 0
    assert _baselines(db, capsys)["7-1-1-K3"][0] == "6150"
    # The final value is corrected (withdrawn, entered anew, finalised again): it follows.
    assert run(db, "finalise", "--department", "community", "--year", "R8", "--withdraw") == 0
    _enter_r8(db, "6200")
    assert _baselines(db, capsys)["7-1-1-K3"][0] == "6150"  # not final: nothing follows
    assert run(db, "finalise", "--department", "community", "--year", "R8") == 0
    assert _baselines(db, capsys)["7-1-1-K3"][0] == "6200"
    audit = shown(db, capsys, "audit", "--json")
    filled = [row["detail"] for row in audit if row.get("action") == "baseline"]
    assert len(filled) == 2, filled
    assert "6200" in filled[-1] and "corrected from 6150" in filled[-1]
    # A baseline typed by hand afterwards stays through a later correction.
    store = Store.open(str(db))
    try:
        with store.transaction() as conn:
            draft = read_catalog(conn, 2)
            assert draft is not None
            edited = set_baseline(draft, "7-1-1-K3", 2026, Decimal(6000))
            replace_catalog(conn, 2, edited, catalog_hash(edited), who="企画", source=T,
                            detail="typed")  # fmt: skip
    finally:
        store.dispose()
    assert run(db, "finalise", "--department", "community", "--year", "R8", "--withdraw") == 0
    _enter_r8(db, "6300")
    assert run(db, "finalise", "--department", "community", "--year", "R8") == 0
    assert _baselines(db, capsys)["7-1-1-K3"][0] == "6000"


def test_the_wizard_takes_the_same_final_value_rule(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """The wizard's use case (create_next_generation) takes no merely entered value either, and
    its pending baseline fills itself in when the value becomes final."""
    from kplan_desktop.domain.generation import SuccessionDecision
    from kplan_desktop.exchange.next_generation import NextPlan, create_next_generation

    _enter_r8(db, "6100")
    store = Store.open(str(db))
    try:
        decision = SuccessionDecision("7-1-1-K3", Succession.CONTINUE, "7-1-1-K3", 2026)
        plan = NextPlan(1, "次期基本計画", 2027, 2031, 2026, (decision,))
        made = create_next_generation(store, plan, who="企画", source=T)
        assert dict(made.baselines)["7-1-1-K3"] is None
    finally:
        store.dispose()
    assert run(db, "finalise", "--department", "community", "--year", "R8") == 0
    assert _baselines(db, capsys)["7-1-1-K3"][0] == "6100"
