"""The window's detail panel, history and trend chart of an indicator that continues one of
the plan before (issue 17 item 4): two generations made through `kplan`, then the series read
without widgets (trend_of, read_indicator_series) and in the offscreen window."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCharts import QLineSeries, QScatterSeries
from PySide6.QtCore import Qt

from kplan_desktop.store.engine import Store
from kplan_desktop.store.overview import overview
from kplan_desktop.store.series import read_series
from kplan_desktop.ui.main_window import MainWindow
from kplan_desktop.ui.series_view import read_indicator_series
from kplan_desktop.ui.trend_chart import trend_of
from tests.conftest import Database
from tests.two_plans import NEW_PLAN, OLD_K3, OLD_PLAN, make_two_plans
from tests.ui.conftest import Opener

SHOTS = Path(__file__).resolve().parents[2] / "out" / "series"


@pytest.fixture
def two_plans(db: Database, tmp_path: Path) -> Database:
    return make_two_plans(db, tmp_path)


def test_the_trend_has_the_old_plans_actuals_boundary_and_each_plans_target(
    two_plans: Database,
) -> None:
    store = Store.open(str(two_plans))
    with store.snapshot() as conn:
        catalog, rows = overview(conn, 2)
        series = read_series(conn, 2, ["7-1-1-K3"])["7-1-1-K3"]
    row = next(r for r in rows if r.indicator.code == "7-1-1-K3")
    trend = trend_of(catalog, row, series)
    # The old plan's five years, each once; the new plan's own year from its own values.
    assert trend.earlier == [(year, Decimal(v)) for year, v in OLD_K3.items()]
    assert trend.actual == [(2027, Decimal(8000))]
    assert trend.boundaries == [(2027, NEW_PLAN)]
    # Each plan's target over its own period only.
    assert trend.earlier_targets == [[(2022, Decimal(7500)), (2026, Decimal(7500))]]
    assert trend.target == [(2027, Decimal(9000)), (2031, Decimal(9000))]
    assert trend.baseline == [(2026, Decimal(7000))]
    assert trend.years == list(range(2022, 2032))
    # An indicator that continues nothing draws as before: no earlier plan, no boundary.
    alone = next(r for r in rows if r.indicator.code == "7-1-1-A1")
    plain = trend_of(catalog, alone, None)
    assert (plain.earlier, plain.boundaries, plain.earlier_targets) == ([], [], [])
    store.dispose()


def test_the_history_reads_the_old_plans_changes_labelled_with_their_plan(
    two_plans: Database,
) -> None:
    store = Store.open(str(two_plans))
    series, history = read_indicator_series(store, 2, "7-1-1-K3")
    assert series is not None and series.across_plans
    old = [(e.fiscal_year, e.new_value) for plan, e in history if plan == OLD_PLAN]
    assert old == [(year, value) for year, value in OLD_K3.items()]
    assert [(e.fiscal_year, e.new_value) for plan, e in history if plan is None] == [(2027, "8000")]
    # The code 7-1-1-A1 exists in both plans but is no continuation: only its own plan's changes.
    alone, own = read_indicator_series(store, 2, "7-1-1-A1")
    assert alone is None and own == []
    store.dispose()


def test_the_window_shows_the_old_plans_actuals_in_the_detail_history_and_chart(
    two_plans: Database, open_window: Opener
) -> None:
    window = open_window(fiscal_year=2027)
    assert isinstance(window, MainWindow)
    row = next(r for r in range(window.proxy.rowCount())
               if window.proxy.index(r, 0).data() == "7-1-1-K3")  # fmt: skip
    window.grid.setCurrentIndex(window.proxy.index(row, window.model.column_of_year(2027)))
    detail = window.detail.toPlainText()
    assert "前の計画の実績" in detail
    # R8 of the old plan: 7,000人 against the old target 7,500 → B (not the new plan's grade).
    lines = [line for line in detail.splitlines() if line.strip()]
    r8 = lines.index("R8")
    assert lines[r8 : r8 + 5] == ["R8", OLD_PLAN, "7,000人", "7,500", "B"]
    assert "R9" not in lines[lines.index("前の計画の実績") :]
    history = window.history.toPlainText()
    assert f"［{OLD_PLAN}］" in history and "R8 — → 7000" in history
    trend = window.chart.trend
    assert trend is not None and trend.boundaries == [(2027, NEW_PLAN)]
    assert [year for year, _ in trend.earlier] == list(OLD_K3)
    chart = window.chart.chart()
    names = [s.name() for s in chart.series()]
    assert "前計画の実績" in names and f"計画の切り替え: {NEW_PLAN}" in names
    earlier = next(s for s in chart.series() if s.name() == "前計画の実績")
    assert isinstance(earlier, QScatterSeries)
    assert [(p.x(), p.y()) for p in earlier.points()] == [
        (float(y), float(v)) for y, v in OLD_K3.items()
    ]
    boundary = next(s for s in chart.series() if s.name().startswith("計画の切り替え"))
    assert isinstance(boundary, QLineSeries)
    assert {p.x() for p in boundary.points()} == {2026.5}
    # Issue 17's trial (finding 14): the plan's name (the labelled point) stays clear of the
    # target lines' own labels (7,500 and 9,000) and of the values beside the line; the
    # baseline's square is open, so the R8 actual at the same place shows through it.
    (y_axis,) = chart.axes(Qt.Orientation.Vertical)
    span = y_axis.max() - y_axis.min()  # type: ignore[attr-defined]
    assert span > 1000, span
    label_y = boundary.points()[1].y()
    for taken in (7500, 9000, 7000, 8000):
        assert abs(label_y - taken) > span * 0.15, (label_y, taken)
    base = next(s for s in chart.series() if s.name().startswith("基準値"))
    assert isinstance(base, QScatterSeries) and base.color().alpha() == 0
    assert "前計画" in window.chart.legend_labels()
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "window-offscreen.png"))
    window.chart.grab().save(str(SHOTS / "chart-offscreen.png"))


def test_switching_plans_moves_the_year_only_with_the_grid_it_belongs_to(
    two_plans: Database, open_window: Opener, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen under load in the real window: while the next plan's grid was still being read, the
    window's year had already moved to R9, which the old grid's columns do not hold; anything
    asking for the entry column then (a key, the probe) ended in "2027 is not in list". Here
    the other way: from the next plan back to the seed plan."""
    import threading

    from kplan_desktop.ui.models import cells

    window = open_window(fiscal_year=2027)
    assert isinstance(window, MainWindow)
    assert window.session.current_generation() == 2 and window.fiscal_year == 2027
    reading, release = threading.Event(), threading.Event()
    real_load = cells.load_grid

    def slow_load(*args: Any, **kwargs: Any) -> Any:
        reading.set()
        release.wait(10)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(cells, "load_grid", slow_load)
    window.generation_choice.choose(1)  # back to the seed plan, R4–R8
    assert reading.wait(10)
    # Still the next plan's grid, its plan and the year it holds: the entry column is there.
    assert window.fiscal_year == 2027 and 2026 not in window.model.years
    assert window.session.current_generation() == 2
    assert window.model.year_of_column(window.entry.entry_column()) == 2027
    release.set()
    qtbot.waitUntil(lambda: 2026 in window.model.years, timeout=10000)
    # The seed plan's grid came with the year moved into its period (its last year).
    assert window.fiscal_year == 2026 and window.session.current_generation() == 1
    assert window.model.year_of_column(window.entry.entry_column()) == 2026


def test_a_cancelled_load_of_another_plan_keeps_the_plan_shown(
    two_plans: Database, open_window: Opener, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clerk chooses the seed plan and cancels its load: the window keeps showing the next
    plan, and its session, year and plan box say so too."""
    from kplan_desktop.ui.models import cells

    window = open_window(fiscal_year=2027)
    assert isinstance(window, MainWindow)
    real_load = cells.load_grid

    def cancelled_load(*args: Any, **kwargs: Any) -> Any:
        return None  # what load_grid returns when its Cancel was pressed

    monkeypatch.setattr(cells, "load_grid", cancelled_load)
    job = window._job
    window.generation_choice.choose(1)
    assert window._job is not job
    qtbot.waitUntil(lambda: window._job is None, timeout=10000)
    assert window.session.current_generation() == 2 and window.session.chosen is None
    assert window.fiscal_year == 2027 and 2027 in window.model.years
    assert window.generation_choice.combo.currentData() == 2
    # Chosen again, and not cancelled: the seed plan is shown.
    monkeypatch.setattr(cells, "load_grid", real_load)
    window.generation_choice.choose(1)
    qtbot.waitUntil(lambda: 2026 in window.model.years, timeout=10000)
    assert window.session.current_generation() == 1 and window.fiscal_year == 2026


def test_a_load_that_fails_and_is_tried_again_opens_the_database_once(
    two_plans: Database, qtbot: Any
) -> None:
    """The window's session keeps the store its first load opened, also when that load ends in
    an error (here a year outside the plan in force): trying again does not open another."""
    from kplan_desktop.ui.settings import AppSettings

    opened: list[Store] = []

    def factory() -> Store:
        opened.append(Store.open(str(two_plans)))
        return opened[-1]

    window = MainWindow(factory, settings=AppSettings(), department="community", fiscal_year=2026)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.load_error is not None, timeout=10000)
    assert "2027" in (window.load_error or "") and not window.is_loaded
    window.load_error = None
    window.reload()
    qtbot.waitUntil(lambda: window.load_error is not None, timeout=10000)
    assert len(opened) == 1 and window.session.store is opened[0]
