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
    assert links == {
        "7-1-1-K3": ("7-1-1-K3", "continue"),
        "7-1-1-K2": ("7-1-1-K2", "continue"),
        "7-1-1-K9": ("7-1-1-K1", "replace"),
    }
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
