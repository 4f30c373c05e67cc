"""The plan tree's missing counts (issue 20 item 2): written while the tree is built, every
node right, and after an entry only the counts of its branch change — read against the
database, not against the window's own model."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kplan_desktop.cli import main as kplan
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource, Outcome
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


def test_the_count_column_fits_its_counts_before_and_after_an_entry(
    db: Path, tmp_path: Path, open_window: Callable[..., Any], qtbot: Any
) -> None:
    """The count column is fitted by the program (a column fitted by Qt to its contents made
    each count written after an entry a layout pass over the whole tree): as wide as its
    header or its widest count, before and after a value cleared takes goal 7 from 9 to 10."""
    # Every indicator of the seed given a unit, so that values can go into all 25.
    exported = tmp_path / "catalog.json"
    assert kplan(["--db", str(db), "catalog", "export", "-o", str(exported)]) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    for goal in data["goals"]:
        for policy in goal["policies"]:
            for measure in policy["measures"]:
                for indicator in measure["indicators"]:
                    indicator["unit"] = indicator["unit"] or "件"
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert kplan(["--db", str(db), "catalog", "import", str(exported)]) == 0
    store = Store.open(str(db))
    with store.snapshot() as conn:
        codes = [
            code for (code,) in conn.exec_driver_sql("SELECT code FROM indicator ORDER BY code")
        ]
    assert len(codes) == 25  # the seed: all under goal 7
    with store.transaction() as conn:
        results = write_actuals(
            conn,
            1,
            [EntryRequest(code, YEAR, "50", "試験の値") for code in codes],
            who="test",
            source=EntrySource.CLI,
            all_or_nothing=False,
        )
    entered = [r.request.indicator_code for r in results if r.outcome is not Outcome.REFUSED]
    assert len(entered) >= 16
    with store.transaction() as conn:  # 16 values stay: 9 missing
        clear = [EntryRequest(code, YEAR, "") for code in entered[16:]]
        write_actuals(conn, 1, clear, who="test", source=EntrySource.CLI)
    store.dispose()
    window = open_window(department=None, planning=True)
    goal = window.plan_tree.nodes["7"]
    assert goal.text(1) == "9"
    tree = window.tree
    metrics = tree.fontMetrics()
    header: int = tree.header().fontMetrics().horizontalAdvance(tree.headerItem().text(1))

    def fitted() -> bool:
        nodes = window.plan_tree.nodes.values()
        widest: int = max(metrics.horizontalAdvance(n.text(1)) for n in nodes)
        # Fits its header and every count, with no more than the section's margins to spare
        # (Qt's default section is 100 px: wider than the header and a 5-digit count).
        width: int = tree.columnWidth(1)
        return max(header, widest) <= width <= max(header, widest) + 32

    assert fitted()
    row = window.proxy.mapFromSource(window.model.index(window.model.row_of(entered[0]) or 0, 0))
    index = window.proxy.index(row.row(), window.model.column_of_year(YEAR))
    assert window.entry.submit(index, "")
    assert goal.text(1) == "10"
    assert fitted()
