"""The cycle per generation in the overlap year (issue 17 item 3, the CLI side): every command
that works in one generation takes `--generation N|NAME` and, without it, the generation whose
period holds the year — in FY2027 an R8 year is the old plan's, R9 the new one's; a year
outside every generation, or outside the one named, is refused with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kplan_desktop.cli import main
from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.submissions import finalisation
from kplan_desktop.store.years import locked_years
from tests.conftest import Database, dump

NEXT = "次期基本計画"


def run(db: Database, *args: str) -> int:
    return int(main(["--db", str(db), *args]))


def shown(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    assert run(db, *args) == 0, args
    return json.loads(capsys.readouterr().out)


def _values(db: Database) -> dict[int, dict[tuple[str, int], str | None]]:
    store = Store.open(str(db))
    try:
        with store.snapshot() as conn:
            return {
                g: {(a.indicator_code, a.fiscal_year): a.text for a in read_actuals(conn, g)}
                for g in (1, 2)
            }
    finally:
        store.dispose()


def test_each_command_works_in_the_generation_of_its_year(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "generation", "new", "--name", NEXT, "--start", "R9", "--end", "R13",
               "--baseline-year", "R8") == 0  # fmt: skip
    assert run(db, "generation", "decide", "7-1-1-K3", "end") == 0
    assert run(db, "generation", "activate", "2") == 0
    # The same code in both plans: R8 goes to the old plan, R9 to the new one, by the year.
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "R8", "--value", "60",
               "--comment", "R8") == 0  # fmt: skip
    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", "R9", "--value", "62",
               "--comment", "R9") == 0  # fmt: skip
    values = _values(db)
    assert values[1] == {("7-1-1-K2", 2026): "60"}
    assert values[2] == {("7-1-1-K2", 2027): "62"}
    # Named by number or by name; the old plan's indicator ended in the new one.
    assert run(db, "enter", "--indicator", "7-1-1-K3", "--year", "R8", "--value", "1800",
               "--generation", "1", "--comment", "R8") == 0  # fmt: skip
    before = dump(db)
    capsys.readouterr()
    refused = {
        # Ended in the new plan: not an indicator of R9.
        ("enter", "--indicator", "7-1-1-K3", "--year", "R9", "--value", "5"): "7-1-1-K3",
        # A year outside every plan, or outside the plan named.
        ("enter", "--indicator", "7-1-1-K2", "--year", "R14", "--value", "5"): "どの計画期",
        (
            "enter",
            "--indicator",
            "7-1-1-K2",
            "--year",
            "R8",
            "--value",
            "5",
            "--generation",
            NEXT,
        ): "期間外",
        ("show", "--year", "R9", "--generation", "1"): "期間外",
        ("show", "--generation", "第3期"): "計画期 第3期 はこのデータベースにありません",
        ("cycle", "open", "--year", "R3"): "どの計画期",
    }
    for args, said in refused.items():
        assert run(db, *args) == 2, args
        err = capsys.readouterr().err
        assert said in err and " / " in err, (args, err)
    assert dump(db) == before
    # show: the generation of the year, or the one named.
    old = {row["code"]: row for row in shown(db, capsys, "show", "--year", "R8", "--json")}
    new = {row["code"]: row for row in shown(db, capsys, "show", "--year", "R9", "--json")}
    assert old["7-1-1-K3"]["years"]["2026"]["value"] == "1800"
    assert "7-1-1-K3" not in new and new["7-1-1-K2"]["years"]["2027"]["value"] == "62"
    by_name = shown(db, capsys, "show", "--generation", NEXT, "--json")
    assert {row["code"] for row in by_name} == set(new)
    # The cycle, finalisation and the year lock run per generation and year.
    assert run(db, "cycle", "open", "--year", "R8", "--due", "2099-06-30") == 0
    assert run(db, "cycle", "open", "--year", "R9", "--due", "2099-07-31") == 0
    status = shown(db, capsys, "cycle", "status", "--year", "R9", "--json")
    assert {row["department"] for row in status} >= {"community"}
    assert run(db, "year", "lock", "--year", "R9") == 0
    capsys.readouterr()
    assert run(db, "year", "list", "--generation", "2") == 0
    assert "2027" in capsys.readouterr().out
    assert run(db, "year", "list", "--generation", "1") == 0
    assert "2027" not in capsys.readouterr().out
    store = Store.open(str(db))
    try:
        with store.snapshot() as conn:
            assert locked_years(conn, 1) == set() and locked_years(conn, 2) == {2027}
            assert finalisation(conn, 1, "community", 2026) is None
    finally:
        store.dispose()
    # Templates of both plans in the overlap year, each naming its generation.
    from kplan_desktop.exchange.workbook_reader import read_exchange_workbook

    r8, r9 = tmp_path / "r8.xlsx", tmp_path / "r9.xlsx"
    assert run(db, "template", "--department", "community", "--year", "R8", "-o", str(r8)) == 0
    assert run(db, "template", "--department", "community", "--year", "R9", "-o", str(r9)) == 0
    assert [read_exchange_workbook(f).generation for f in (r8, r9)] == [1, 2]
    # The catalog of either plan, while the new one is in force.
    g1, g2 = tmp_path / "g1.json", tmp_path / "g2.json"
    assert run(db, "catalog", "export", "--generation", "1", "-o", str(g1)) == 0
    assert run(db, "catalog", "export", "-o", str(g2)) == 0
    first = json.loads(g1.read_text(encoding="utf-8"))
    second = json.loads(g2.read_text(encoding="utf-8"))
    assert (first["generation"], second["generation"]) == (1, 2)
    assert (first["plan"]["start_year"], second["plan"]["start_year"]) == (2022, 2027)
    capsys.readouterr()
    assert run(db, "catalog", "versions", "--generation", NEXT) == 0
    assert "第" in capsys.readouterr().out
