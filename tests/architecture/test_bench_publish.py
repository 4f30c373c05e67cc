"""What scripts/bench writes (bench/publish.py): a run of the entry window alone says which run
the other tables come from once, not each earlier run's words inside the next; the summary
shows the goals and the planning grid with every row in."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _publish() -> ModuleType:
    spec = importlib.util.spec_from_file_location("publish", ROOT / "bench" / "publish.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WHOLE = "Run of `scripts/bench` finished at commit aaa."
TABLES = """| entry window | measured | goal | met |
|---|---|---|---|
| main window first paint ÷ bare | 1.30× | ≤ 1.5× | yes |
| planning grid filled, every row, 20,025 indicators (realistic tree) ÷ bare | 8.50× | — | — |
| planning grid filled, every row, 2,025 indicators (realistic tree) ÷ bare | 5.00× | — | — |
"""
EXCHANGE = """| exchange | measured | goal | met |
|---|---|---|---|
| (a) read ÷ bare | 1.09× | ≤ 1.3× | yes |
"""


def test_a_window_run_names_the_whole_run_once_however_many_window_runs_came_between(
    tmp_path: Path,
) -> None:
    publish = _publish()
    performance = tmp_path / "performance.md"
    nested = f"Run of `scripts/bench --window` at commit bbb.{publish.EARLIER}{WHOLE}"
    performance.write_text(
        f"# Performance\n\n{publish.BEGIN}\n{nested}\n\n{TABLES}\n{EXCHANGE}{publish.END}\n",
        encoding="utf-8",
    )
    tables, said = publish._kept(TABLES, performance)
    assert said == WHOLE
    assert EXCHANGE.strip() in tables and tables.count("| entry window |") == 1


def test_the_summary_shows_the_goals_and_the_planning_grid_with_every_row() -> None:
    rows = _publish().goal_rows(TABLES + "\n" + EXCHANGE)
    figures = [row.split("|")[1].strip() for row in rows[2:]]
    assert figures == [
        "main window first paint ÷ bare",
        "planning grid filled, every row, 20,025 indicators (realistic tree) ÷ bare",
        "(a) read ÷ bare",
    ]
