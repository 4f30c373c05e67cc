"""Series across plan generations as the store reads them (store/series.py): followed back
through every `continue` link, never through a `replace`, each plan's values from its own
generation, in one snapshot; the overlap year's old-plan value entered after the new plan is
in force joins the series in its own year (issue 17 item 4)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kplan_desktop.domain.achievement import Grade
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.series import earlier_codes, read_series
from tests.conftest import Database
from tests.two_plans import make_two_plans, run


def test_a_series_follows_continue_links_through_three_plans(db: Database, tmp_path: Path) -> None:
    make_two_plans(db, tmp_path)
    # A third plan continues K3 under a new code and replaces 1-1-1-K2: the replaced series ends.
    assert run(db, "generation", "new", "--name", "第3期基本計画", "--start", "R14", "--end",
               "R18", "--baseline-year", "R13") == 0  # fmt: skip
    assert run(db, "generation", "decide", "7-1-1-K3", "continue", "--as", "3-1-1-K1") == 0
    assert run(db, "generation", "decide", "1-1-1-K2", "replace", "--as", "3-1-1-K2") == 0
    assert run(db, "generation", "activate", "3") == 0
    store = Store.open(str(db))
    with store.transaction() as conn:
        write_actuals(conn, 3, [EntryRequest("3-1-1-K1", 2032, "9100", "確認済み")],
                      who="t", source=EntrySource.TEST)  # fmt: skip
    with store.snapshot() as conn:
        chains = earlier_codes(conn, 3)
        found = read_series(conn, 3)
    assert chains["3-1-1-K1"] == [(2, "7-1-1-K3"), (1, "7-1-1-K3")]
    # 3-1-1-K2 replaces; it has no series across plans. Every indicator the third plan did not
    # decide on continues its plan-2 indicator (the default, trial finding 3; this test once
    # counted them out), whose own chain ends where plan 2 replaced it.
    assert "3-1-1-K2" not in chains and "3-1-1-K2" not in found
    assert chains["7-1-1-A1"] == [(2, "7-1-1-A1")]
    assert set(found) == set(chains) and len(found) == 24
    series = found["3-1-1-K1"]
    assert [link.generation.number for link in series.links] == [1, 2, 3]
    assert series.boundaries == (2027, 2032)
    assert [(p.fiscal_year, p.generation, p.code, p.value) for p in series.points] == [
        (2022, 1, "7-1-1-K3", Decimal(2000)),
        (2023, 1, "7-1-1-K3", Decimal(3100)),
        (2024, 1, "7-1-1-K3", Decimal(4000)),
        (2025, 1, "7-1-1-K3", Decimal(6000)),
        (2026, 1, "7-1-1-K3", Decimal(7000)),
        (2027, 2, "7-1-1-K3", Decimal(8000)),
        (2032, 3, "3-1-1-K1", Decimal(9100)),
    ]
    # Each year against its own plan's target: 7,500 / 9,000 / the third plan's, not set (no
    # target is carried into a new plan: trial finding 5 — this test once read a copied 9,000).
    assert [p.target for p in series.points] == [Decimal(7500)] * 5 + [Decimal(9000), None]
    store.dispose()


def test_the_old_plans_last_year_entered_after_the_new_plan_started(
    db: Database, tmp_path: Path
) -> None:
    make_two_plans(db, tmp_path)
    store = Store.open(str(db))
    # R8 of 1-1-1-K2's old indicator arrives (merged) in the overlap year, after generation 2
    # is active.
    with store.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest("7-1-1-K2", 2026, "66", None)],
                      who="t", source=EntrySource.MERGE)  # fmt: skip
    with store.snapshot() as conn:
        series = read_series(conn, 2, ["1-1-1-K2"], every_year=True)["1-1-1-K2"]
    years = [(p.fiscal_year, p.generation) for p in series.points]
    assert years == [(y, 1) for y in range(2022, 2027)] + [(y, 2) for y in range(2027, 2032)]
    r8, r9 = series.points[4], series.points[5]
    # R8: 66 against the old plan (baseline 51, target 69): (66 − 51) ÷ 18 = 83.3 % → B.
    assert (r8.value, r8.code, r8.achievement.grade) == (Decimal(66), "7-1-1-K2", Grade.B)
    assert (r9.value, r9.code) == (Decimal(70), "1-1-1-K2")
    store.dispose()
