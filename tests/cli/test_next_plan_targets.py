"""Trial finding 5: the new plan's targets start 未設定 (the old plan's last-year target is no
target of the new plan) and the planning division sets them from the command line — with the
decision (`generation decide … --target`) or on their own (`generation target CODE VALUE
[--year FY]`), read in the unit as the catalog editor reads it, audited, refused (nothing
changed) in a closed plan and where a locked year is graded against the target. And finding 14:
`kplan enter` on an indicator that ended with the previous plan says so, and what replaced it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kplan_desktop.cli import main
from tests.conftest import Database, dump

NEXT = ("--name", "次期基本計画", "--start", "R9", "--end", "R13", "--baseline-year", "R8")


def run(db: Database, *args: str) -> int:
    return int(main(["--db", str(db), *args]))


def shown(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    assert run(db, *args) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def refused(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The command is refused (exit 2) and the database is exactly as it was; its message."""
    before = dump(db)
    capsys.readouterr()
    assert run(db, *args) == 2, args
    assert dump(db) == before, args
    return capsys.readouterr().err


def _targets(db: Database, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    listed = shown(db, capsys, "generation", "show", "--json")
    return {r["code"]: (r["target"], r["target_year"]) for r in listed["indicators"] if r["code"]}


def test_the_new_plans_targets_start_not_set_and_are_typed_in_the_unit(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(db, "generation", "new", *NEXT) == 0
    # Nothing invented: no target of the old plan (7-1-1-K3: 7,500以上 for R8) is carried.
    assert set(_targets(db, capsys).values()) == {(None, None)}
    new = {r["code"]: r for r in shown(db, capsys, "show", "--generation", "2", "--json")}
    assert new["7-1-1-K3"]["target"] is None and new["7-1-2-K1"]["target"] is None

    # With the decision: read in the unit (人), so another unit is refused and nothing changes.
    message = refused(db, capsys, "generation", "decide", "7-1-1-K3", "continue", "--target",
                      "9000回")  # fmt: skip
    assert "7-1-1-K3 の目標値" in message and "target" in message
    assert refused(db, capsys, "generation", "decide", "7-1-2-K1", "end", "--target", "5")
    capsys.readouterr()
    assert run(db, "generation", "decide", "7-1-1-K3", "continue", "--target", "9,000人") == 0
    assert "目標値 9000" in capsys.readouterr().out
    assert _targets(db, capsys)["7-1-1-K3"] == ("9000", 2031)

    # On its own: the plan's target (its target year, R13) and a year-by-year one (R11).
    capsys.readouterr()
    assert run(db, "generation", "target", "7-1-1-K2", "80回") == 0
    out = capsys.readouterr().out
    assert "7-1-1-K2 の目標値（令和13年度）: 未設定 → 80" in out and "not set → 80" in out
    assert run(db, "generation", "target", "7-1-1-K2", "75", "--year", "R11") == 0
    assert "年度別目標（令和11年度）" in capsys.readouterr().out
    assert run(db, "generation", "target", "7-1-1-K2", "85", "--generation", "2") == 0
    assert "80 → 85" in capsys.readouterr().out
    exported = tmp_path / "next.json"
    assert run(db, "catalog", "export", "--generation", "2", "-o", str(exported)) == 0
    store_view = json.loads(exported.read_text(encoding="utf-8"))
    k2 = next(
        i
        for g in store_view["goals"]
        for p in g["policies"]
        for m in p["measures"]
        for i in m["indicators"]
        if i["code"] == "7-1-1-K2"
    )
    assert k2["target"]["value"] == "85" and k2["target"]["fiscal_year"] == 2031
    assert [(t["fiscal_year"], t["value"]) for t in k2["interim_targets"]] == [(2029, "75")]
    # Each change is a catalog version with its audit row naming the indicator and the value.
    rows = [r for r in shown(db, capsys, "audit", "--json") if r["action"] == "catalog"]
    details = [r["detail"] for r in rows]
    assert any("7-1-1-K2: target FY2031 85 (was 80)" in d for d in details), details
    assert any("7-1-1-K3: continue, target 9000" in d for d in details), details

    # Refused, nothing changed: not a number, another unit, a blank, an indicator without a
    # unit (the unit comes first), a year outside the period, an unknown code, both or neither
    # of VALUE and --clear.
    assert "数値" in refused(db, capsys, "generation", "target", "7-1-1-K2", "たくさん")
    assert refused(db, capsys, "generation", "target", "7-1-1-K2", "80人")
    assert refused(db, capsys, "generation", "target", "7-1-1-K2", " ")
    no_unit = refused(db, capsys, "generation", "target", "7-1-1-A1", "10")
    assert "単位が未設定" in no_unit and "set the unit first" in no_unit
    assert "計画期間" in refused(
        db, capsys, "generation", "target", "7-1-1-K2", "9", "--year", "R8"
    )
    assert refused(db, capsys, "generation", "target", "7-1-1-K99", "9")
    assert refused(db, capsys, "generation", "target", "7-1-1-K2", "9", "--clear")
    assert refused(db, capsys, "generation", "target", "7-1-1-K2")
    # --clear makes it 未設定 again.
    assert run(db, "generation", "target", "7-1-1-K2", "--clear", "--year", "R11") == 0
    adding = ("--measure", "7-1-1", "--unit", "件", "--department", "community", "--name")
    assert run(db, "generation", "add", *adding, "提案件数", "--code", "7-1-1-K4", "--target",
               "1,200件") == 0  # fmt: skip
    assert refused(db, capsys, "generation", "add", *adding, "x", "--code", "7-1-1-K5", "--target",
                   "3人")  # fmt: skip
    listed = shown(db, capsys, "generation", "show", "--json")
    assert listed["added"] == [
        {"code": "7-1-1-K4", "name": "提案件数", "target": "1200", "target_year": 2031}
    ]


def test_a_target_is_refused_in_a_locked_year_and_in_a_closed_plan(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """The seed plan in force: its R6 locked. Its final target grades R6, so it cannot change;
    a year-by-year target of an open year can. A closed plan takes no target at all."""
    assert run(db, "year", "lock", "--year", "R6") == 0
    message = refused(db, capsys, "generation", "target", "7-1-1-K3", "8000", "--generation", "1")
    assert "締め切られた年度（令和6年度）" in message and "FY2024" in message
    capsys.readouterr()
    assert run(db, "generation", "target", "7-1-1-K3", "5000", "--year", "R7",
               "--generation", "1") == 0  # fmt: skip
    assert "年度別目標（令和7年度）: 未設定 → 5000" in capsys.readouterr().out
    # The same value again is no change, so the lock does not stand in its way.
    assert run(db, "generation", "target", "7-1-1-K3", "7500", "--generation", "1") == 0
    assert run(db, "year", "unlock", "--year", "R6", "--reason", "訂正") == 0
    assert run(db, "generation", "target", "7-1-1-K3", "8000", "--generation", "1") == 0
    # Closed: E_GENERATION_CLOSED (a store refusal, the same for the catalog editor).
    from kplan_desktop.domain.generation import GenerationStatus
    from kplan_desktop.store.engine import Store
    from kplan_desktop.store.generations import set_generation_status
    from kplan_desktop.store.requests import EntrySource

    store = Store.open(str(db))
    try:
        with store.transaction() as conn:
            set_generation_status(conn, 1, GenerationStatus.CLOSED, who="企画",
                                  source=EntrySource.TEST)  # fmt: skip
    finally:
        store.dispose()
    closed = refused(db, capsys, "generation", "target", "7-1-1-K3", "9000", "--generation", "1")
    assert "終了しています" in closed and "closed" in closed


def test_entering_an_indicator_that_ended_with_the_previous_plan_says_so(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial finding 14: 「カタログにありません」 for an indicator of the previous plan."""
    assert run(db, "generation", "new", *NEXT) == 0
    assert run(db, "generation", "decide", "7-1-2-K1", "end") == 0
    assert run(db, "generation", "decide", "7-1-1-K1", "replace", "--as", "7-1-1-K9") == 0
    assert run(db, "generation", "decide", "7-1-1-K2", "continue", "--as", "1-1-1-K2") == 0
    assert run(db, "generation", "activate", "2") == 0
    ended = refused(db, capsys, "enter", "--indicator", "7-1-2-K1", "--year", "R9", "--value", "3")
    assert "指標 7-1-2-K1 は計画期 1（" in ended and "で終了しました" in ended
    assert "ended with plan generation 1" in ended and "カタログにありません" not in ended
    replaced = refused(db, capsys, "enter", "--indicator", "7-1-1-K1", "--year", "R9", "--value",
                       "3")  # fmt: skip
    assert "次期基本計画では 7-1-1-K9 に見直されました" in replaced
    assert "replaced by 7-1-1-K9" in replaced
    renamed = refused(db, capsys, "enter", "--indicator", "7-1-1-K2", "--year", "R9", "--value",
                      "3")  # fmt: skip
    assert "1-1-1-K2 として続いています" in renamed
    assert "E_INDICATOR" not in renamed  # words, not codes
    shown_ended = refused(db, capsys, "show", "--indicator", "7-1-1-K1", "--year", "R9")
    assert "7-1-1-K9" in shown_ended
    history = refused(db, capsys, "show", "--history", "--indicator", "7-1-2-K1")
    assert "指標 7-1-2-K1 は計画期 1（" in history and "で終了しました" in history
    # In the old plan's own year the indicator is there: R8 is entered as before.
    assert run(db, "enter", "--indicator", "7-1-1-K1", "--year", "R8", "--value", "3",
               "--comment", "確認済み") == 0  # fmt: skip
    # A code no plan ever had keeps the plain message.
    assert "カタログにありません" in refused(
        db, capsys, "enter", "--indicator", "7-9-9-K9", "--year", "R9", "--value", "3"
    )
