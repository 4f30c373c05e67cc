"""The dashboard on a real SQLite file with the seed catalog: counts, bars and the grade chart."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCharts import QBarCategoryAxis, QStackedBarSeries
from PySide6.QtWidgets import QProgressBar, QScrollArea

from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.overview import overview
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.ui.dashboard import GRADE_KEYS, Dashboard

YEAR = 2025


@pytest.fixture
def store(db: Path) -> Store:
    return Store.open(str(db))


@pytest.fixture
def dashboard(qtbot: object) -> Dashboard:
    widget = Dashboard()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    return widget


def enter(store: Store, *values: tuple[str, int, str]) -> None:
    requests = [EntryRequest(code, year, text, "確認済み") for code, year, text in values]
    with store.transaction() as conn:
        write_actuals(conn, 1, requests, who="t", source=EntrySource.TEST)


def show(dashboard: Dashboard, store: Store, department: str | None = None) -> None:
    with store.snapshot() as conn:
        catalog, rows = overview(conn, 1, department=department)
    dashboard.show_overview(catalog, rows, YEAR)


def bar_texts(dashboard: Dashboard) -> dict[str, tuple[str, int, int]]:
    """What the progress bars display: object name (code) → (text, value, maximum)."""
    return {
        bar.objectName(): (bar.text(), bar.value(), bar.maximum())
        for bar in dashboard.findChildren(QProgressBar)
    }


def test_completion_and_grades_after_entering_some_values(
    dashboard: Dashboard, store: Store
) -> None:
    enter(
        store,
        ("7-1-1-K2", YEAR, "69"),  # baseline 51, target 69: progress 1 → A
        ("7-1-1-K3", YEAR, "1225"),  # baseline 1225, target 7500: progress 0 → D
        ("7-5-2-K1", YEAR, "98.9"),  # baseline 98.7, target 99: progress 2/3 → C
        ("7-1-1-K2", YEAR - 1, "60"),  # another year counts for nothing here
    )
    show(dashboard, store)

    departments = dashboard.department_progress()
    assert departments["community"] == (2, 6)
    assert departments["tax"] == (1, 2)
    assert departments["equality"] == (0, 3)
    assert sum(total for _, total in departments.values()) == 25
    assert list(departments) == [
        "community",
        "equality",
        "intl",
        "commerce",
        "pr",
        "digital",
        "citizen",
        "tax",
        "finance",
    ]  # catalog order; 企画担当課 owns no indicator and has no bar
    assert dashboard.policy_progress() == {
        "7-1": (2, 6),
        "7-2": (0, 6),
        "7-3": (0, 3),
        "7-4": (0, 4),
        "7-5": (1, 6),
    }
    grades = dashboard.grade_counts()
    assert grades["7-1"] == {"A": 1, "B": 0, "C": 0, "D": 1, "—": 4}
    assert grades["7-5"] == {"A": 0, "B": 0, "C": 1, "D": 0, "—": 5}
    assert grades["7-2"] == {"A": 0, "B": 0, "C": 0, "D": 0, "—": 6}


def test_a_missing_reason_counts_as_entered_but_is_not_graded(
    dashboard: Dashboard, store: Store
) -> None:
    enter(store, ("7-1-1-K2", YEAR, "69"), ("7-1-1-K3", YEAR, "1225"))
    show(dashboard, store)
    assert dashboard.department_progress()["community"] == (2, 6)
    enter(store, ("7-1-1-K1", YEAR, "未集計"))
    show(dashboard, store)
    assert dashboard.department_progress()["community"] == (3, 6)
    assert dashboard.policy_progress()["7-1"] == (3, 6)
    assert dashboard.grade_counts()["7-1"] == {"A": 1, "B": 0, "C": 0, "D": 1, "—": 4}


def test_the_bars_show_the_same_numbers_as_the_accessors(
    dashboard: Dashboard, store: Store
) -> None:
    enter(store, ("7-1-1-K2", YEAR, "69"), ("7-1-1-K1", YEAR, "未集計"))
    show(dashboard, store)
    bars = bar_texts(dashboard)
    assert bars["community"] == ("市民協働担当課 2/6", 2, 6)
    assert bars["7-1"] == ("7-1 市民活動の支援 2/6", 2, 6)
    assert bars["finance"] == ("財政担当課 0/1", 0, 1)
    shown = {code: (value, maximum) for code, (_, value, maximum) in bars.items()}
    expected = dashboard.department_progress() | dashboard.policy_progress()
    assert shown == expected
    assert dashboard.heading.text() == "令和7年度の入力状況　全体 2/25"


def test_the_chart_stacks_the_grade_counts_per_policy(dashboard: Dashboard, store: Store) -> None:
    enter(store, ("7-1-1-K2", YEAR, "69"), ("7-1-1-K3", YEAR, "1225"))
    show(dashboard, store)
    chart = dashboard.chart_view.chart()
    assert chart.title().startswith("評価の分布（政策別）")
    assert chart.legend().isVisible()
    (series,) = chart.series()
    assert isinstance(series, QStackedBarSeries)
    (axis,) = [a for a in series.attachedAxes() if isinstance(a, QBarCategoryAxis)]
    assert axis.categories() == ["7-1", "7-2", "7-3", "7-4", "7-5"]
    sets = series.barSets()
    assert [s.label().split(" ")[0] for s in sets] == list(GRADE_KEYS)
    assert len({s.color().name() for s in sets}) == len(GRADE_KEYS)
    drawn = {
        code: {key: int(s.at(i)) for key, s in zip(GRADE_KEYS, sets, strict=True)}
        for i, code in enumerate(axis.categories())
    }
    assert drawn == dashboard.grade_counts()
    assert drawn["7-1"] == {"A": 1, "B": 0, "C": 0, "D": 1, "—": 4}


def test_showing_again_replaces_the_bars(dashboard: Dashboard, store: Store) -> None:
    show(dashboard, store)
    show(dashboard, store, department="community")
    assert dashboard.department_progress() == {"community": (0, 6)}
    assert dashboard.policy_progress() == {"7-1": (0, 6)}
    assert set(bar_texts(dashboard)) == {"community", "7-1"}


def test_a_percent_sign_in_a_name_is_shown_not_expanded(dashboard: Dashboard, store: Store) -> None:
    with store.snapshot() as conn:
        catalog, rows = overview(conn, 1)
    renamed = tuple(
        dataclasses.replace(d, name="100%課") if d.code == "finance" else d
        for d in catalog.departments
    )
    dashboard.show_overview(dataclasses.replace(catalog, departments=renamed), rows, YEAR)
    assert bar_texts(dashboard)["finance"][0] == "100％課 0/1"


def test_no_rows_shows_empty_sections(dashboard: Dashboard, store: Store) -> None:
    with store.snapshot() as conn:
        catalog, _ = overview(conn, 1)
    dashboard.show_overview(catalog, [], YEAR)
    assert dashboard.department_progress() == {}
    assert dashboard.grade_counts() == {}
    assert not dashboard.grab().isNull()


def test_the_dashboard_renders_in_a_scroll_area(
    store: Store, qtbot: object, tmp_path: Path
) -> None:
    enter(store, ("7-1-1-K2", YEAR, "69"), ("7-1-1-K3", YEAR, "1225"))
    area = QScrollArea()
    qtbot.addWidget(area)  # type: ignore[attr-defined]
    dashboard = Dashboard()  # owned by the scroll area, which qtbot closes
    show(dashboard, store)
    area.setWidgetResizable(True)
    area.setWidget(dashboard)
    area.resize(900, 700)
    area.show()
    pixmap = dashboard.grab()
    assert not pixmap.isNull()
    assert pixmap.height() >= 600  # the sections stack; the scroll area scrolls
    assert pixmap.save(str(tmp_path / "dashboard.png"))
