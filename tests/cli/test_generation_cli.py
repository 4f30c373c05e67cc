"""`kplan generation new | decide | add | activate | list`: the next plan made from the seed plan
(issue 17 step 2, and the first half of acceptance line 1)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kplan_desktop.cli import main
from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.series import read_series
from tests.conftest import Database, dump


def run(db: Database, *args: str) -> int:
    return int(main(["--db", str(db), *args]))


def shown(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    assert run(db, *args) == 0
    return json.loads(capsys.readouterr().out)


def test_the_next_plan_continues_replaces_ends_and_adds_indicators(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "enter", "--indicator", "7-1-1-K3", "--year", "R8", "--value", "1800",
               "--comment", "確認済み") == 0  # fmt: skip
    before = dump(db)
    # Refused, nothing written: a period overlapping the plan, a generation that is no draft.
    capsys.readouterr()
    assert run(db, "generation", "new", "--name", "次期", "--start", "R8", "--end", "R12",
               "--baseline-year", "R7") == 2  # fmt: skip
    assert "新しい計画期は" in capsys.readouterr().err
    assert run(db, "generation", "decide", "7-1-1-K3", "continue", "--generation", "1") == 2
    assert "準備中ではありません" in capsys.readouterr().err
    assert dump(db) == before
    assert run(db, "generation", "new", "--name", "次期基本計画", "--start", "R9", "--end",
               "R13", "--baseline-year", "R8") == 0  # fmt: skip
    assert run(db, "generation", "decide", "7-1-1-K3", "continue") == 0
    # A base year whose actual is not in yet leaves the baseline "not set".
    assert run(db, "generation", "decide", "7-1-1-K2", "継続", "--base-year", "R8") == 0
    assert run(db, "generation", "decide", "7-1-2-K1", "end") == 0
    assert run(db, "generation", "decide", "7-1-1-K1", "replace", "--as", "7-1-1-K9") == 0
    added = ("--measure", "7-1-1", "--code", "7-1-1-K4", "--name", "新しい指標", "--unit", "件",
             "--department", "community", "--target", "100")  # fmt: skip
    assert run(db, "generation", "add", *added) == 0
    capsys.readouterr()
    # Deciding an indicator already ended, or onto a code in use, is refused and changes nothing.
    middle = dump(db)
    assert run(db, "generation", "decide", "7-1-2-K1", "continue") == 2
    assert run(db, "generation", "decide", "7-1-1-A1", "replace", "--as", "7-1-1-K3") == 2
    assert run(db, "generation", "decide", "7-1-1-A1", "maybe") == 2
    assert dump(db) == middle
    assert run(db, "generation", "activate", "2") == 0
    listed = shown(db, capsys, "generation", "list", "--json")
    assert [(g["number"], g["status"], g["active"], g["predecessor"]) for g in listed] == [
        (1, "active", False, None),
        (2, "active", True, 1),
    ]
    assert (listed[1]["start_year"], listed[1]["end_year"], listed[1]["baseline_year"]) == (
        2027,
        2031,
        2026,
    )
    links = {link["code"]: (link["prior_code"], link["kind"]) for link in listed[1]["links"]}
    assert {code: links[code] for code in ("7-1-1-K3", "7-1-1-K2", "7-1-1-K9")} == {
        "7-1-1-K3": ("7-1-1-K3", "continue"),
        "7-1-1-K2": ("7-1-1-K2", "continue"),
        "7-1-1-K9": ("7-1-1-K1", "replace"),
    }
    # Every other indicator of the plan continues, linked (the default, as in the wizard);
    # the ended one has no link.
    assert len(links) == 24 and "7-1-2-K1" not in links and "7-1-1-K1" not in links
    # `kplan show` now shows the new generation: K3's R8 was merely entered, not final, so its
    # baseline waits for the final value (s8 trial finding 1; test_pending_baseline.py).
    new = {i["code"]: i for i in shown(db, capsys, "show", "--json")}
    assert new["7-1-1-K3"]["baseline"] is None
    assert new["7-1-1-K2"]["baseline"] is None
    assert "7-1-2-K1" not in new and "7-1-1-K1" not in new
    assert new["7-1-1-K9"]["baseline"] is None and new["7-1-1-K4"]["target"] == "100"
    assert sorted(new["7-1-1-K3"]["years"]) == ["2027", "2028", "2029", "2030", "2031"]
    # The old plan is untouched: its catalog and its value.
    store = Store.open(str(db))
    with store.snapshot() as conn:
        old = read_catalog(conn, 1)
        assert old is not None
        assert "7-1-2-K1" in {i.code for _, _, _, i in old.indicators()}
        assert [(a.indicator_code, a.text) for a in read_actuals(conn, 1)] == [("7-1-1-K3", "1800")]
        assert read_actuals(conn, 2) == []
    store.dispose()
    capsys.readouterr()
    assert run(db, "generation", "activate", "2") == 0
    assert "変更なし" in capsys.readouterr().out


def test_an_undecided_indicator_continues_linked_in_the_cli_as_in_the_wizard(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial finding 3: `generation new` then deciding only some indicators left the others
    copied under their codes but NOT linked (the series cut silently), while the wizard marks
    every row 継続. Now one default for an undecided indicator — continued, linked, its
    baseline following the base year's final value — through `generation new` as through the
    wizard's use case; `generation new` says so and `generation show` lists the decisions."""
    from kplan_desktop.exchange.next_generation import NextPlan, create_next_generation
    from kplan_desktop.store.generations import indicator_links, withdraw_draft
    from kplan_desktop.store.requests import EntrySource

    # 7-2-1-K1's R8 is final (merged-equivalent: its department's year finalised).
    assert run(db, "enter", "--indicator", "7-2-1-K1", "--year", "R8", "--value", "4",
               "--comment", "確認済み") == 0  # fmt: skip
    store = Store.open(str(db))
    try:
        from kplan_desktop.store.actuals import EntryRequest, write_actuals

        with store.transaction() as conn:
            catalog = read_catalog(conn, 1)
            assert catalog is not None
            rest = [EntryRequest(i.code, 2026, "未集計", "確認") for *_, i in catalog.indicators()
                    if i.department == "equality" and i.code != "7-2-1-K1"]  # fmt: skip
            write_actuals(conn, 1, rest, who="clerk", source=EntrySource.TEST)
    finally:
        store.dispose()
    assert run(db, "finalise", "--department", "equality", "--year", "R8") == 0
    capsys.readouterr()
    assert run(db, "generation", "new", "--name", "次期基本計画", "--start", "R9", "--end",
               "R13", "--baseline-year", "R8") == 0  # fmt: skip
    said = capsys.readouterr().out
    assert "前の計画の指標 25 件をすべて「継続」として引き継ぎました" in said
    assert "確定値から 1 件、確定値を待つもの 24 件" in said and "目標値はすべて未設定" in said
    assert run(db, "generation", "decide", "7-1-2-K1", "end") == 0
    assert run(db, "generation", "decide", "7-1-1-K1", "replace", "--as", "7-1-1-K9") == 0
    listed = shown(db, capsys, "generation", "show", "--json")
    assert (listed["generation"], listed["from_generation"], listed["status"]) == (2, 1, "draft")
    by_code = {r["prior_code"]: r for r in listed["indicators"]}
    assert len(by_code) == 25 and listed["added"] == []
    # Never decided: continued, linked, the baseline taken from the final R8 value.
    assert by_code["7-2-1-K1"] == {
        "prior_code": "7-2-1-K1", "prior_name": by_code["7-2-1-K1"]["prior_name"],
        "succession": "continue", "code": "7-2-1-K1", "baseline": "4", "baseline_year": 2026,
        "baseline_waits_for": None, "target": None, "target_year": None,
    }  # fmt: skip
    # Never decided, R8 not final: continued, the baseline waits for it.
    assert (by_code["7-2-1-K2"]["succession"], by_code["7-2-1-K2"]["baseline"]) == (
        "continue",
        None,
    )
    assert by_code["7-2-1-K2"]["baseline_waits_for"] == 2026
    assert (by_code["7-1-2-K1"]["succession"], by_code["7-1-2-K1"]["code"]) == ("end", None)
    assert (by_code["7-1-1-K1"]["succession"], by_code["7-1-1-K1"]["code"]) == (
        "replace",
        "7-1-1-K9",
    )
    capsys.readouterr()
    assert run(db, "generation", "show") == 0
    text = capsys.readouterr().out.splitlines()
    assert "7-2-1-K1\t継続 / continue\t7-2-1-K1\t4回（令和8年度）\t未設定" in text
    assert any(line.startswith("7-2-1-K2\t継続 / continue\t7-2-1-K2\t未設定（令和8年度の確定値を"
                               "待っています）") for line in text)  # fmt: skip
    assert "7-1-2-K1\t終了 / end\t\t\t" in text
    assert "7-1-1-K1\t見直し / replace\t7-1-1-K9\t未設定\t未設定" in text
    assert text[-1].startswith("継続 23・見直し 1・終了 1・新規 0")
    # The undecided indicator's series runs on across the boundary (not cut at R9).
    store = Store.open(str(db))
    try:
        with store.snapshot() as conn:
            series = read_series(conn, 2, ["7-2-1-K1"])["7-2-1-K1"]
            assert [link.generation.number for link in series.links] == [1, 2]
            cli = {(x.code, x.prior_code, x.kind) for x in indicator_links(conn, 2)}
        with store.transaction() as conn:
            withdraw_draft(conn, 2, who="企画", source=EntrySource.TEST)
        # The wizard's use case with the same two decisions: the same links.
        from kplan_desktop.domain.generation import Succession, SuccessionDecision

        decisions = (
            SuccessionDecision("7-1-2-K1", Succession.END),
            SuccessionDecision("7-1-1-K1", Succession.REPLACE, "7-1-1-K9"),
        )
        plan = NextPlan(1, "次期基本計画", 2027, 2031, 2026, decisions)
        made = create_next_generation(store, plan, who="企画", source=EntrySource.TEST)
        with store.snapshot() as conn:
            wizard = {(x.code, x.prior_code, x.kind) for x in indicator_links(conn, made.number)}
    finally:
        store.dispose()
    assert len(cli) == 24 and cli == wizard
