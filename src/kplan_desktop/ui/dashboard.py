"""The planning division's dashboard: how far entry has got, and how the grades fall, this year.

A thin view: the numbers are counted once in `show_overview` from the store's overview rows (the
grade of each indicator comes from the domain's assessment), kept, and the widgets are built from
those same numbers, which the read-only accessors return for tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.achievement import Grade
from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.ui.i18n import year_text

if TYPE_CHECKING:
    from kplan_desktop.store.overview import IndicatorOverview

NO_GRADE = "—"
GRADE_KEYS = ("A", "B", "C", "D", NO_GRADE)
# Okabe–Ito colours: distinct for colour-blind readers too; grey for "no grade".
GRADE_COLOURS = {
    "A": "#009E73",
    "B": "#56B4E9",
    "C": "#E69F00",
    "D": "#D55E00",
    NO_GRADE: "#B4B4B4",
}
_LETTERS = {"A": Grade.A, "B": Grade.B, "C": Grade.C, "D": Grade.D}
# Beyond this many indicators in one policy the value axis picks its own round ticks.
_MAX_UNIT_TICKS = 12


@dataclass(frozen=True)
class _Group:
    """One department or policy: its label and how many of its indicators are filled."""

    code: str
    name: str
    done: int
    total: int


def _is_filled(row: IndicatorOverview, fiscal_year: int) -> bool:
    """A value or a missing reason (未集計 etc.) both count as entered."""
    actual = row.values.get(fiscal_year)
    return actual is not None and (actual.value is not None or actual.missing_reason is not None)


def _grade_key(grade: Grade) -> str:
    return grade.value if grade.is_letter else NO_GRADE


def _bar_format(text: str) -> str:
    # QProgressBar expands %p, %v and %m in its format and has no escape for a literal "%".
    return text.replace("%", "％")


class Dashboard(QWidget):
    """Completion per department and per policy, and the grade distribution per policy."""

    def __init__(self, parent: QWidget | None = None, *, lang: str = "ja") -> None:
        super().__init__(parent)
        self.lang = lang
        self._departments: list[_Group] = []
        self._policies: list[_Group] = []
        self._grades: dict[str, dict[str, int]] = {}
        self._policy_names: dict[str, str] = {}
        self.fiscal_year: int | None = None

        self.heading = QLabel(self.tr("年度を選ぶと入力状況を表示します"))
        heading_font = QFont(self.heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.3)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)

        self.department_box = QGroupBox(self.tr("課別の入力状況"))
        self.department_layout = QVBoxLayout(self.department_box)
        self.policy_box = QGroupBox(self.tr("政策別の入力状況"))
        self.policy_layout = QVBoxLayout(self.policy_box)

        self.chart = QChart()
        self.grade_series: QStackedBarSeries | None = None
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(360)
        self.chart_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.department_box)
        layout.addWidget(self.policy_box)
        layout.addWidget(self.chart_view)
        # Inside a QScrollArea (widgetResizable) the sections keep their height and stack up.
        layout.addStretch(1)

    # -- data --------------------------------------------------------------------------------

    def show_overview(
        self, catalog: Catalog, rows: list[IndicatorOverview], fiscal_year: int
    ) -> None:
        """Count everything for `fiscal_year` once, then rebuild the bars and the chart."""
        self.fiscal_year = fiscal_year
        names = {d.code: d.name for d in catalog.departments}
        by_department: dict[str, list[IndicatorOverview]] = {}
        by_policy: dict[str, list[IndicatorOverview]] = {}
        self._policy_names = {}
        for row in rows:
            by_department.setdefault(row.indicator.department, []).append(row)
            by_policy.setdefault(row.policy.code, []).append(row)
            self._policy_names[row.policy.code] = row.policy.name
        # Catalog order for departments; an owner the catalog does not list goes last.
        order = [d.code for d in catalog.departments if d.code in by_department]
        order += [code for code in by_department if code not in names]
        self._departments = [
            self._group(code, names.get(code, code), by_department[code], fiscal_year)
            for code in order
        ]
        self._policies = [
            self._group(code, self._policy_names[code], members, fiscal_year)
            for code, members in by_policy.items()
        ]
        self._grades = {}
        for code, members in by_policy.items():
            counts = dict.fromkeys(GRADE_KEYS, 0)
            for row in members:
                counts[_grade_key(row.achievement(catalog, fiscal_year).grade)] += 1
            self._grades[code] = counts
        self._render(catalog, fiscal_year)

    @staticmethod
    def _group(code: str, name: str, members: list[IndicatorOverview], fiscal_year: int) -> _Group:
        done = sum(1 for row in members if _is_filled(row, fiscal_year))
        return _Group(code, name, done, len(members))

    # -- read-only accessors -----------------------------------------------------------------

    def department_progress(self) -> dict[str, tuple[int, int]]:
        """Department code → (indicators entered, indicators owned), as the bars show it."""
        return {g.code: (g.done, g.total) for g in self._departments}

    def policy_progress(self) -> dict[str, tuple[int, int]]:
        """Policy code → (indicators entered, indicators in the policy), as the bars show it."""
        return {g.code: (g.done, g.total) for g in self._policies}

    def grade_counts(self) -> dict[str, dict[str, int]]:
        """Policy code → {"A": n, "B": n, "C": n, "D": n, "—": n}, as the chart stacks it."""
        return {code: dict(counts) for code, counts in self._grades.items()}

    # -- widgets -----------------------------------------------------------------------------

    def _render(self, catalog: Catalog, fiscal_year: int) -> None:
        year = year_text(fiscal_year, self.lang)
        done = sum(g.done for g in self._departments)
        total = sum(g.total for g in self._departments)
        self.heading.setText(self.tr("{0}の入力状況　全体 {1}/{2}").format(year, done, total))
        self._fill_bars(self.department_layout, self._departments, with_code=False)
        self._fill_bars(self.policy_layout, self._policies, with_code=True)
        self._build_chart(catalog, year)

    def _fill_bars(self, layout: QVBoxLayout, groups: list[_Group], *, with_code: bool) -> None:
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        if not groups:
            layout.addWidget(QLabel(self.tr("対象の指標がありません")))
            return
        for group in groups:
            name = f"{group.code} {group.name}" if with_code else group.name
            bar = QProgressBar()
            bar.setObjectName(group.code)
            # A 0–0 range would turn the bar into a busy indicator.
            bar.setRange(0, max(group.total, 1))
            bar.setValue(group.done)
            bar.setFormat(_bar_format(self.tr("{0} {1}/{2}").format(name, group.done, group.total)))
            bar.setTextVisible(True)
            bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bar.setToolTip(
                self.tr("{0}: {1} 件中 {2} 件入力済み").format(name, group.total, group.done)
            )
            layout.addWidget(bar)

    def _legend_name(self, key: str, catalog: Catalog) -> str:
        if key == NO_GRADE:
            return self.tr("— 評価なし（未入力・目標未設定など）")
        label = _LETTERS[key].label(catalog.plan.settings.grade_labels, self.lang)
        return key if label == key else f"{key} {label}"

    def _build_chart(self, catalog: Catalog, year: str) -> None:
        chart = QChart()
        space = " " if self.lang == "en" else "　"
        chart.setTitle(self.tr("評価の分布（政策別）") + space + year)
        title_font = QFont(chart.titleFont())
        title_font.setPointSizeF(max(title_font.pointSizeF(), 9) * 1.25)
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(8, 8, 8, 8))

        codes = list(self._grades)
        series = QStackedBarSeries()
        for key in GRADE_KEYS:
            bar_set = QBarSet(self._legend_name(key, catalog))
            bar_set.setColor(QColor(GRADE_COLOURS[key]))
            bar_set.setBorderColor(QColor("#ffffff"))
            bar_set.setLabelColor(QColor("#000000"))
            bar_set.append([float(self._grades[code][key]) for code in codes])
            series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setBarWidth(0.6)
        chart.addSeries(series)

        categories = QBarCategoryAxis()
        categories.append(codes)
        categories.setTitleText(self.tr("政策"))
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)

        counts = QValueAxis()
        highest = max((sum(c.values()) for c in self._grades.values()), default=0)
        counts.setRange(0, max(highest, 1))
        if highest <= _MAX_UNIT_TICKS:
            counts.setTickCount(max(highest, 1) + 1)
        else:
            counts.applyNiceNumbers()
        counts.setLabelFormat("%d")
        # No axis title: Qt Charts elides a vertical CJK title next to narrow "%d" labels to "⋮";
        # the counts are written on the bars.
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(counts)

        chart.legend().setVisible(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)

        old = self.chart_view.chart()
        self.chart_view.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.chart = chart
        self.grade_series = series
