"""The trend chart on a real SQLite file with the seed catalog: points, gaps, baseline, target."""

from __future__ import annotations

import dataclasses
import os
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCharts import QCategoryAxis, QLineSeries, QScatterSeries, QValueAxis

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.overview import IndicatorOverview, overview
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.ui.trend_chart import TrendChart


@pytest.fixture
def store(db: Path) -> Store:
    return Store.open(str(db))


@pytest.fixture
def chart(qtbot: object) -> TrendChart:
    view = TrendChart()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.resize(800, 480)
    return view


def enter(store: Store, code: str, *values: tuple[int, str]) -> None:
    requests = [EntryRequest(code, year, text, "確認済み") for year, text in values]
    with store.transaction() as conn:
        write_actuals(conn, 1, requests, who="t", source=EntrySource.TEST)


def row_of(store: Store, code: str) -> tuple[Catalog, IndicatorOverview]:
    with store.snapshot() as conn:
        catalog, rows = overview(conn, 1)
    return catalog, next(r for r in rows if r.indicator.code == code)


def named(view: TrendChart, prefix: str) -> QScatterSeries | QLineSeries:
    (series,) = [s for s in view.chart().series() if s.name().startswith(prefix)]
    assert isinstance(series, QScatterSeries | QLineSeries)
    return series


def xy(series: QScatterSeries | QLineSeries) -> list[tuple[float, float]]:
    return [(p.x(), p.y()) for p in series.points()]


def test_points_with_a_gap_baseline_and_target(
    chart: TrendChart, store: Store, tmp_path: Path
) -> None:
    enter(store, "7-1-1-K3", (2022, "2000"), (2024, "3500"))
    chart.show_indicator(*row_of(store, "7-1-1-K3"))
    assert chart.series_points() == {
        "actual": [(2022, Decimal(2000)), (2024, Decimal(3500))],
        "target": [(2020, Decimal(7500)), (2026, Decimal(7500))],
        "baseline": [(2020, Decimal(1225))],
    }
    # The chart draws those points; nothing joins 2022 to 2024 across the missing 2023.
    assert xy(named(chart, "実績")) == [(2022.0, 2000.0), (2024.0, 3500.0)]
    assert xy(named(chart, "基準値")) == [(2020.0, 1225.0)]
    target = named(chart, "目標 ")
    assert isinstance(target, QLineSeries)
    assert xy(target) == [(2020.0, 7500.0), (2026.0, 7500.0)]
    assert target.pen().style().name == "DashLine"
    assert xy(named(chart, "目標年度")) == [(2026.0, 7500.0)]
    lines = [s for s in chart.chart().series() if isinstance(s, QLineSeries)]
    assert lines == [target]
    title = chart.chart().title()
    assert "地区公民館コミュニティ事業への参加者数" in title and "人" in title
    assert not chart.grab().isNull()
    assert chart.grab().save(str(tmp_path / "trend.png"))


def test_consecutive_years_are_joined(chart: TrendChart, store: Store) -> None:
    enter(store, "7-1-1-K2", (2022, "55"), (2023, "60"), (2025, "69"))
    chart.show_indicator(*row_of(store, "7-1-1-K2"))
    segments = [
        xy(s)
        for s in chart.chart().series()
        if isinstance(s, QLineSeries) and not s.name().startswith("目標")
    ]
    assert segments == [[(2022.0, 55.0), (2023.0, 60.0)]]
    assert [p for p, _ in chart.series_points()["actual"]] == [2022, 2023, 2025]


def test_the_year_axis_runs_from_the_baseline_to_the_plan_end(
    chart: TrendChart, store: Store
) -> None:
    chart.show_indicator(*row_of(store, "7-1-1-K2"))
    (axis,) = [a for a in chart.chart().axes() if isinstance(a, QCategoryAxis)]
    assert axis.categoriesLabels() == ["R2", "R3", "R4", "R5", "R6", "R7", "R8"]


def test_an_indicator_with_nothing_set_renders_empty(chart: TrendChart, store: Store) -> None:
    chart.show_indicator(*row_of(store, "7-1-1-A1"))
    assert chart.series_points() == {"actual": [], "target": [], "baseline": []}
    assert "7-1-1-A1" in chart.chart().title()
    assert not chart.grab().isNull()


def test_nothing_shown_yet_has_empty_series(chart: TrendChart) -> None:
    assert chart.series_points() == {"actual": [], "target": [], "baseline": []}
    assert not chart.grab().isNull()


def test_target_without_baseline(chart: TrendChart, store: Store) -> None:
    enter(store, "7-2-1-A1", (2023, "70.5"))
    chart.show_indicator(*row_of(store, "7-2-1-A1"))
    points = chart.series_points()
    assert points["baseline"] == []
    assert points["actual"] == [(2023, Decimal("70.5"))]
    # The plan's baseline year still starts the axis: the target line spans R2–R8.
    assert points["target"] == [(2020, Decimal(75)), (2026, Decimal(75))]


def test_missing_years_fall_back_to_the_plan(chart: TrendChart, store: Store) -> None:
    catalog, row = row_of(store, "7-1-1-K2")
    loose = dataclasses.replace(
        row, indicator=dataclasses.replace(row.indicator, baseline_year=None, target_year=None)
    )
    chart.show_indicator(catalog, loose)
    assert chart.series_points()["baseline"] == [(2020, Decimal(51))]
    assert xy(named(chart, "目標年度")) == [(2026.0, 69.0)]


def test_a_milestone_uses_achieved_and_not_achieved(chart: TrendChart, store: Store) -> None:
    enter(store, "7-2-2-K1", (2022, "0"), (2023, "1"))
    chart.show_indicator(*row_of(store, "7-2-2-K1"))
    assert chart.series_points()["actual"] == [(2022, Decimal(0)), (2023, Decimal(1))]
    labels = [a.categoriesLabels() for a in chart.chart().axes() if isinstance(a, QCategoryAxis)]
    assert ["未達成", "達成"] in labels
    assert not chart.grab().isNull()


def test_a_cumulative_indicator_is_plotted_as_entered(chart: TrendChart, store: Store) -> None:
    enter(store, "7-1-2-K1", (2022, "10"), (2023, "22"), (2024, "35"))
    chart.show_indicator(*row_of(store, "7-1-2-K1"))
    assert chart.series_points()["actual"] == [
        (2022, Decimal(10)),
        (2023, Decimal(22)),
        (2024, Decimal(35)),
    ]
    assert "累計" in chart.chart().title()


def test_showing_another_indicator_replaces_the_series(chart: TrendChart, store: Store) -> None:
    enter(store, "7-1-1-K3", (2022, "2000"))
    chart.show_indicator(*row_of(store, "7-1-1-K3"))
    chart.show_indicator(*row_of(store, "7-1-1-A1"))
    assert chart.series_points() == {"actual": [], "target": [], "baseline": []}
    assert xy(named(chart, "実績")) == []


def test_the_legend_is_short_and_the_numbers_are_in_the_tooltip(
    chart: TrendChart, store: Store
) -> None:
    enter(store, "7-1-1-K3", (2022, "2000"))
    chart.show_indicator(*row_of(store, "7-1-1-K3"))
    # The long names were cut to "目標 5…" in the side panel: the legend says what each mark
    # is, the tooltip gives the numbers, grouped like the grid.
    assert chart.legend_labels() == ["目標", "目標年度", "基準値", "実績"]
    tip = chart.toolTip().splitlines()
    assert tip[0] == chart.chart().title()
    assert "目標 7,500人以上" in tip
    assert "目標年度（R8）7,500人" in tip
    assert "基準値（R2）1,225人" in tip
    assert "実績: R4 2,000人" in tip


def test_english_years_are_western(store: Store, qtbot: object) -> None:
    view = TrendChart(lang="en")
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    enter(store, "7-1-1-K2", (2022, "55"))
    view.show_indicator(*row_of(store, "7-1-1-K2"))
    (axis,) = [a for a in view.chart().axes() if isinstance(a, QCategoryAxis)]
    assert axis.categoriesLabels() == [str(year) for year in range(2020, 2027)]
    tip = view.toolTip()
    assert "FY2026" in tip and "FY2020" in tip and "FY2022" in tip
    assert "R8" not in tip and "令和" not in tip
    assert all("R8" not in s.name() and "R2" not in s.name() for s in view.chart().series())


def drawn(view: TrendChart) -> list[object]:
    """Everything an entry can change in the chart: each series' name and points, the axes'
    ranges, ticks and label formats, the title and the tooltip."""
    chart = view.chart()
    axes = []
    for axis in chart.axes():
        shown: list[object] = [type(axis).__name__, axis.alignment().name]
        if isinstance(axis, QCategoryAxis):
            shown += [axis.categoriesLabels(), axis.min(), axis.max()]
        else:
            assert isinstance(axis, QValueAxis)
            shown += [axis.min(), axis.max(), axis.tickCount(), axis.labelFormat()]
        axes.append(shown)
    series = [(type(s).__name__, s.name(), xy(s)) for s in chart.series()]  # type: ignore[arg-type]
    return [chart.title(), view.toolTip(), axes, series]


@pytest.mark.parametrize(
    "entries",
    [
        # The next year: a line; then the line gets longer, the range shrinks.
        [(2022, "2000"), (2023, "9000"), (2024, "300")],
        # A year after a gap: a point of its own, no new line; the value range grows.
        [(2022, "2000"), (2024, "20000")],
        # A gap filled: two runs become one line.
        [(2022, "2000"), (2024, "3500"), (2023, "2500")],
        # Two lines joined into one: a line removed.
        [(2022, "2000"), (2023, "2100"), (2025, "2500"), (2026, "2600"), (2024, "2300")],
        # The first value of an indicator with none.
        [(2023, "1500")],
    ],
)
def test_a_value_entered_draws_what_a_whole_drawing_draws(
    chart: TrendChart, store: Store, qtbot: object, entries: list[tuple[int, str]]
) -> None:
    """The chart shown again after an entry (changed in place where it can be) draws exactly
    what a new chart drawn whole from the same values draws."""
    code = "7-1-1-K3"
    chart.show_indicator(*row_of(store, code))
    for entry in entries:
        enter(store, code, entry)
        catalog, row = row_of(store, code)
        chart.show_indicator(catalog, row)
        whole = TrendChart()
        qtbot.addWidget(whole)  # type: ignore[attr-defined]
        whole.resize(800, 480)
        whole.show_indicator(catalog, row)
        assert drawn(chart) == drawn(whole)
        # And what is painted: the value axis's labels were "…" after a range grew in place
        # (Qt Charts laid the axis out for the old labels' width).
        # And what is painted, once laid out: a value axis changed in place kept the old
        # labels' layout (other ticks; labels cut to "…" where they got wider).
        qtbot.wait(50)  # type: ignore[attr-defined]
        assert chart.grab().toImage() == whole.grab().toImage(), entry


def test_a_value_entered_changes_the_chart_in_place(chart: TrendChart, store: Store) -> None:
    """The same indicator with one more actual keeps its chart (not a new one drawn whole);
    another indicator gets a new chart."""
    enter(store, "7-1-1-K3", (2022, "2000"), (2023, "2100"))
    chart.show_indicator(*row_of(store, "7-1-1-K3"))
    first = chart.chart()
    enter(store, "7-1-1-K3", (2024, "2300"))
    chart.show_indicator(*row_of(store, "7-1-1-K3"))
    assert chart.chart() is first
    assert xy(named(chart, "実績")) == [(2022.0, 2000.0), (2023.0, 2100.0), (2024.0, 2300.0)]
    chart.show_indicator(*row_of(store, "7-1-1-A1"))
    assert chart.chart() is not first


def test_a_value_that_changes_the_value_axis_draws_the_chart_whole(
    chart: TrendChart, store: Store
) -> None:
    """The axis is never changed in place: in a real window its labels stayed laid out for the
    old ones (cut to "…" once wider, issue 20's trial of session 13)."""
    enter(store, "7-1-1-K3", (2022, "2000"), (2023, "2100"))
    chart.show_indicator(*row_of(store, "7-1-1-K3"))
    first = chart.chart()
    enter(store, "7-1-1-K3", (2024, "90000"))
    chart.show_indicator(*row_of(store, "7-1-1-K3"))
    assert chart.chart() is not first
