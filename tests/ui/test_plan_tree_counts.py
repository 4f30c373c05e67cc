"""The plan tree's missing counts (issue 20 item 2): written while the tree is built, every
node right, and after an entry only the counts of its branch change — read against the
database, not against the window's own model."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.ui.main_window import MainWindow

YEAR = 2025


def _missing_by_branch(db: Path) -> tuple[Counter[str], set[str]]:
    """Per goal, policy and measure code: its indicators without a value in YEAR (plain SQL)."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT g.code, p.code, m.code, EXISTS (SELECT 1 FROM actual a"
            " WHERE a.indicator_code = i.code AND a.fiscal_year = ?)"
            " FROM indicator i JOIN measure m ON m.code = i.measure_code"
            " JOIN policy p ON p.code = m.policy_code JOIN goal g ON g.code = p.goal_code",
            (YEAR,),
        ).fetchall()
    finally:
        conn.close()
    missing: Counter[str] = Counter()
    branches: set[str] = set()
    for goal, policy, measure, has_value in rows:
        branches |= {goal, policy, measure}
        if not has_value:
            for code in (goal, policy, measure):
                missing[code] += 1
    return missing, branches


def _shown(window: MainWindow) -> dict[str, str]:
    return {code: node.text(1) for code, node in window.plan_tree.nodes.items()}


def test_the_tree_is_built_with_the_right_counts_and_keeps_them(
    db: Path, open_window: Callable[..., Any], qtbot: Any
) -> None:
    store = Store.open(str(db))
    with store.snapshot() as conn:
        codes = [
            code for (code,) in conn.exec_driver_sql("SELECT code FROM indicator ORDER BY code")
        ]
    with store.transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest(code, YEAR, "50", "試験の値") for code in codes[::3]],
            who="test",
            source=EntrySource.CLI,
            all_or_nothing=False,
        )
    store.dispose()
    missing, branches = _missing_by_branch(db)
    assert sum(missing.values()) > 0 and len(branches) > 10

    window = open_window(department=None, planning=True)
    assert set(window.plan_tree.nodes) == branches
    assert _shown(window) == {code: str(missing[code]) for code in branches}
    tree = window.tree
    assert all(tree.topLevelItem(n).isExpanded() for n in range(tree.topLevelItemCount()))
    assert all(window.plan_tree.nodes[code].isExpanded() for code in branches if "-" in code)
    empty = sum(missing[code] for code in branches if "-" not in code)  # over the goals
    assert 0 < empty < len(codes)
    assert f"未入力 {empty} 件" in window.status.text()

    # One value entered through the window: its goal, policy and measure each count one less.
    target = codes[1]
    before = _shown(window)
    row = window.proxy.mapFromSource(window.model.index(window.model.row_of(target) or 0, 0))
    index = window.proxy.index(row.row(), window.model.column_of_year(YEAR))
    assert window.entry.submit(index, "51", "試験の値")
    missing_after, _ = _missing_by_branch(db)
    assert _shown(window) == {code: str(missing_after[code]) for code in branches}
    changed = {code for code in branches if before[code] != _shown(window)[code]}
    measure = target.rsplit("-", 1)[0]
    assert changed == {measure, measure.rsplit("-", 1)[0], measure.split("-")[0]}
    assert f"未入力 {empty - 1} 件" in window.status.text()
