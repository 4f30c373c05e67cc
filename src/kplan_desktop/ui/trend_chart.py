"""One indicator's values over the plan years, with its baseline and target, as a line chart.

The points are worked out once, as Decimals, in `trend_of` (plain Python, no Qt); the chart is
drawn from those same points, converted to float only where they become QPointF. An indicator
that continues one of an earlier plan (issue 17) shows the earlier plans' actuals too, a
vertical line at each plan boundary named with the plan that starts there, and each plan's
target only over its own period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QCategoryAxis,
    QChart,
    QChartView,
    QLegend,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
    QXYSeries,
)
from PySide6.QtCore import QLocale, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.domain.model import Comparator, ValueKind
from kplan_desktop.domain.values import grouped
from kplan_desktop.ui.i18n import year_text

if TYPE_CHECKING:
    from kplan_desktop.domain.generation import Series
    from kplan_desktop.store.overview import IndicatorOverview

Point = tuple[int, Decimal]

ACTUAL_COLOUR = "#0072B2"
BASELINE_COLOUR = "#555555"
TARGET_COLOUR = "#D55E00"
# The earlier plans' actuals and targets: the same hues, lighter (Okabe–Ito sky blue, orange).
EARLIER_COLOUR = "#56B4E9"
EARLIER_TARGET_COLOUR = "#E69F00"
BOUNDARY_COLOUR = "#777777"
# The year axis labels at most this many years (more are elided in the side panel).
_MAX_YEAR_LABELS = 7
# The value axis shows at most this many decimals, however fine the data.
_MAX_DECIMALS = 4


@dataclass(frozen=True)
class Trend:
    """What the chart shows: the x range, and the points as entered and as the plan states them."""

    years: list[int]
    actual: list[Point] = field(default_factory=list)
    baseline: list[Point] = field(default_factory=list)
    target: list[Point] = field(default_factory=list)
    target_marker: Point | None = None
    milestone: bool = False
    # Earlier plans (a continuing indicator): their actuals, each plan's target line over its
    # own period, and each boundary as (the first year of the plan that starts, its name).
    earlier: list[Point] = field(default_factory=list)
    earlier_targets: list[list[Point]] = field(default_factory=list)
    boundaries: list[tuple[int, str]] = field(default_factory=list)

    def runs(self, points: list[Point] | None = None) -> list[list[Point]]:
        """The actual points split where a year is missing, so a gap is never bridged."""
        runs: list[list[Point]] = []
        for point in self.actual if points is None else points:
            if runs and runs[-1][-1][0] == point[0] - 1:
                runs[-1].append(point)
            else:
                runs.append([point])
        return runs


def trend_of(catalog: Catalog, row: IndicatorOverview, series: Series | None = None) -> Trend:
    """The points of one indicator: values as entered (running totals stay totals), no filling.

    With `series` (the indicator's series across plans), the earlier plans' actuals and targets
    too; the plan shown keeps its own values from `row`."""
    settings = catalog.plan.settings
    indicator = row.indicator
    actual = sorted(
        (year, view.value) for year, view in row.values.items() if view.value is not None
    )
    earlier: list[Point] = []
    earlier_targets: list[list[Point]] = []
    boundaries: list[tuple[int, str]] = []
    if series is not None and series.across_plans:
        earlier = [
            (p.fiscal_year, p.value)
            for p in series.earlier()
            if p.value is not None and p.fiscal_year < settings.start_year
        ]
        for link in series.links[:-1]:
            old = link.indicator.target
            if old is not None:
                period = link.generation
                earlier_targets.append([(period.start_year, old), (period.end_year, old)])
        boundaries = [
            (link.generation.start_year, link.generation.name) for link in series.links[1:]
        ]
    baseline_year = indicator.baseline_year or settings.baseline_year
    target_year = indicator.target_year or settings.end_year
    first = min(
        [baseline_year, settings.start_year]
        + [year for year, _ in actual + earlier]
        + [line[0][0] for line in earlier_targets]
    )
    last = max(
        [settings.end_year]
        + ([target_year] if indicator.target is not None else [])
        + [year for year, _ in actual]
    )
    baseline = [] if indicator.baseline is None else [(baseline_year, indicator.baseline)]
    target: list[Point] = []
    marker: Point | None = None
    if indicator.target is not None:
        # Across plans, the plan's target is drawn over its own period only.
        start = max(first, settings.start_year) if boundaries else first
        target = [(start, indicator.target), (last, indicator.target)]
        marker = (target_year, indicator.target)
    return Trend(
        years=list(range(first, last + 1)),
        actual=actual,
        baseline=baseline,
        target=target,
        target_marker=marker,
        milestone=indicator.effective_value_kind is ValueKind.MILESTONE,
        earlier=earlier,
        earlier_targets=earlier_targets,
        boundaries=boundaries,
    )


def _decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _decimals_for(step: float) -> int:
    """Decimals needed to write the ticks `step` apart without two reading the same."""
    for decimals in range(_MAX_DECIMALS + 1):
        scaled = step * 10**decimals
        if abs(scaled - round(scaled)) < 1e-6:
            return decimals
    return _MAX_DECIMALS


def _free_height(trend: Trend, year: int, low: float, high: float) -> float:
    """Where a plan boundary's name goes: of three heights, the one farthest from the target
    lines (labelled on themselves) and the values drawn in the years either side."""
    taken = [float(v) for _, v in trend.target]
    taken += [float(v) for line in trend.earlier_targets for _, v in line]
    taken += [
        float(v) for y, v in trend.actual + trend.earlier + trend.baseline if abs(y - year) <= 1
    ]
    heights = [low + (high - low) * f for f in (0.9, 0.55, 0.2)]
    if not taken:
        return heights[0]
    return max(heights, key=lambda h: min(abs(h - t) for t in taken))


def _qpoints(points: list[Point]) -> list[QPointF]:
    return [QPointF(float(year), float(value)) for year, value in points]


@dataclass
class _Drawn:
    """The last chart drawn whole, and what an entry changes in it in place."""

    # The indicator, the language, the title and the trend without its actuals: the same key
    # means only the actuals (and with them the value range) differ.
    key: tuple[object, ...]
    x_axis: QCategoryAxis
    y_axis: QValueAxis | QCategoryAxis
    segments: list[QLineSeries]
    points: QScatterSeries


class TrendChart(QChartView):
    """The actual per fiscal year against the baseline and the target line of one indicator."""

    def __init__(self, parent: QWidget | None = None, *, lang: str = "ja") -> None:
        super().__init__(parent)
        self.lang = lang
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(480, 320)
        self.trend: Trend | None = None
        self.indicator_code: str | None = None
        self._drawn: _Drawn | None = None
        chart = QChart()
        chart.setTitle(self.tr("指標を選ぶと推移を表示します"))
        self.setChart(chart)

    # -- data --------------------------------------------------------------------------------

    def show_indicator(
        self, catalog: Catalog, row: IndicatorOverview, series: Series | None = None
    ) -> None:
        self.trend = trend_of(catalog, row, series)
        self.indicator_code = row.indicator.code
        if not self._update_actuals(row, self.trend):
            self._render(catalog, row, self.trend)

    def legend_labels(self) -> list[str]:
        """The legend's entries as drawn (short; the series' full names are in the tooltip)."""
        return [marker.label() for marker in self.chart().legend().markers() if marker.isVisible()]

    def series_points(self) -> dict[str, list[tuple[int, Decimal]]]:
        """ "actual", "target" (the target line's two ends) and "baseline", as drawn."""
        trend = self.trend
        if trend is None:
            return {"actual": [], "target": [], "baseline": []}
        return {
            "actual": list(trend.actual),
            "target": list(trend.target),
            "baseline": list(trend.baseline),
        }

    # -- drawing -----------------------------------------------------------------------------

    def _quantity(self, value: Decimal, row: IndicatorOverview, milestone: bool) -> str:
        if milestone:
            return self.tr("達成") if value >= 1 else self.tr("未達成")
        return grouped(value) + (row.indicator.unit or "")

    def _year(self, year: int) -> str:
        return year_text(year, self.lang, FiscalYearStyle.SHORT)

    def _title(self, row: IndicatorOverview, milestone: bool) -> str:
        indicator = row.indicator
        if milestone:
            notes = [self.tr("達成／未達成")]
        elif indicator.unit:
            notes = [self.tr("単位: {0}").format(indicator.unit)]
        else:
            notes = [self.tr("単位未設定")]
        if indicator.cumulative:
            notes.append(self.tr("累計"))
        # The unit before the name: a long name is elided at the end in the narrow side panel.
        if self.lang == "en":
            return f"{indicator.code} ({', '.join(notes)}) {indicator.display_name}"
        return f"{indicator.code}（{'、'.join(notes)}）{indicator.display_name}"

    def _full_title(self, row: IndicatorOverview, trend: Trend) -> str:
        title = self._title(row, trend.milestone)
        if not (trend.actual or trend.baseline or trend.target or trend.earlier):
            title += self.tr("　— 実績・基準値・目標のいずれもありません")
        return title

    def _key(self, row: IndicatorOverview, trend: Trend, title: str) -> tuple[object, ...]:
        return (row.indicator, self.lang, title, replace(trend, actual=[]))

    def _update_actuals(self, row: IndicatorOverview, trend: Trend) -> bool:
        """The chart drawn already, with new actuals: their points, their lines and the value
        range changed in place (a value entered redrew the whole chart, 5 ms of the entry's
        20). False when more changed: the chart is drawn whole."""
        drawn = self._drawn
        if drawn is None or trend.boundaries:  # a boundary's label is placed by the actuals
            return False
        title = self._full_title(row, trend)
        if drawn.key != self._key(row, trend, title):
            return False
        chart = self.chart()
        fresh = self._value_axis(trend)
        axis = drawn.y_axis
        if not isinstance(axis, QValueAxis) or not isinstance(fresh, QValueAxis):
            return False
        if (axis.min(), axis.max(), axis.tickCount(), axis.labelFormat()) != (
            fresh.min(),
            fresh.max(),
            fresh.tickCount(),
            fresh.labelFormat(),
        ):
            # A value axis changed in place kept the old labels' layout: other ticks than a
            # whole drawing's, or labels cut to "…" where they got wider. Drawn whole.
            return False
        runs = [run for run in trend.runs() if len(run) >= 2]
        for segment in drawn.segments[len(runs) :]:  # a gap filled joins two lines
            chart.removeSeries(segment)
            segment.deleteLater()
        del drawn.segments[len(runs) :]
        added = False
        for n, run in enumerate(runs):
            if n < len(drawn.segments):
                drawn.segments[n].replace(_qpoints(run))
            else:
                drawn.segments.append(self._segment(chart, run, drawn.x_axis, axis))
                added = True
        drawn.points.replace(_qpoints(trend.actual))
        if added:
            # The points after the lines again, as a whole drawing adds them: the series are
            # drawn in the order they were added (the dots above the lines).
            chart.removeSeries(drawn.points)
            self._attach(chart, drawn.points, drawn.x_axis, axis, self.tr("実績"))
        self.setToolTip(self._summary(title, chart, row, trend))
        return True

    @staticmethod
    def _attach(
        chart: QChart,
        series: QXYSeries,
        x_axis: QCategoryAxis,
        y_axis: QValueAxis | QCategoryAxis,
        label: str | None,
    ) -> None:
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        for marker in chart.legend().markers(series):
            if label is None:
                marker.setVisible(False)
            else:
                marker.setLabel(label)

    def _segment(
        self,
        chart: QChart,
        run: list[Point],
        x_axis: QCategoryAxis,
        y_axis: QValueAxis | QCategoryAxis,
    ) -> QLineSeries:
        """The line through one run of consecutive years' actuals (no legend entry)."""
        segment = QLineSeries()
        pen = QPen(QColor(ACTUAL_COLOUR))
        pen.setWidthF(2.5)
        segment.setPen(pen)
        segment.append(_qpoints(run))
        self._attach(chart, segment, x_axis, y_axis, None)
        return segment

    def _render(self, catalog: Catalog, row: IndicatorOverview, trend: Trend) -> None:
        chart = QChart()
        title = self._full_title(row, trend)
        chart.setTitle(title)
        title_font = QFont(chart.titleFont())
        title_font.setPointSizeF(max(title_font.pointSizeF(), 9) * 1.2)
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        # Value ticks with thousands separators (7,500), as the grid and the workbooks write
        # numbers; both languages group digits the same way.
        chart.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        chart.setLocalizeNumbers(True)
        chart.setMargins(QMargins(8, 8, 8, 8))
        legend = chart.legend()
        legend.setVisible(True)
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
        # Each entry drawn like its series (dashed line, star, square, dot), with a short label:
        # full names with the numbers were cut to "目標 5…" in the side panel.
        legend.setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)
        legend_font = QFont(legend.font())
        legend_font.setPointSizeF(max(legend_font.pointSizeF() * 0.9, 7))
        legend.setFont(legend_font)

        x_axis = self._year_axis(trend.years, trend.boundaries[-1][0] if trend.boundaries else None)
        y_axis = self._value_axis(trend)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)

        def add(series: QXYSeries, label: str | None = None) -> None:
            self._attach(chart, series, x_axis, y_axis, label)

        if trend.target:
            line = QLineSeries()
            value = trend.target[0][1]
            comparator = row.indicator.comparator
            suffix = ""
            if comparator is not None and not trend.milestone:
                suffix = self.tr("以上") if comparator is Comparator.GE else self.tr("以下")
            line.setName(
                self.tr("目標 {0}").format(self._quantity(value, row, trend.milestone) + suffix)
            )
            pen = QPen(QColor(TARGET_COLOUR))
            pen.setWidthF(2)
            pen.setStyle(Qt.PenStyle.DashLine)
            line.setPen(pen)
            line.append(_qpoints(trend.target))
            # The word 目標 on the line itself, at its left end (the target-year star often
            # sits at the right end); after a plan boundary, in its middle (the boundary's
            # plan name is at its left end).
            labelled = 0
            if trend.boundaries:
                (start, _), (end, _) = trend.target
                line.insert(1, QPointF((start + end) / 2, float(value)))
                labelled = 1
            line.setPointLabelsFormat(self.tr("目標"))
            line.setPointLabelsColor(QColor(TARGET_COLOUR))
            line.setPointLabelsClipping(False)
            line.setPointConfiguration(labelled, QXYSeries.PointConfiguration.LabelVisibility, True)
            add(line, self.tr("目標"))
        if trend.target_marker is not None:
            year, value = trend.target_marker
            marker = QScatterSeries()
            marker.setName(
                self.tr("目標年度（{0}）{1}").format(
                    self._year(year), self._quantity(value, row, trend.milestone)
                )
            )
            marker.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeStar)
            marker.setMarkerSize(16)
            marker.setColor(QColor(TARGET_COLOUR))
            marker.setBorderColor(QColor(TARGET_COLOUR))
            marker.append(_qpoints([trend.target_marker]))
            add(marker, self.tr("目標年度"))
        if trend.baseline:
            year, value = trend.baseline[0]
            base = QScatterSeries()
            base.setName(
                self.tr("基準値（{0}）{1}").format(
                    self._year(year), self._quantity(value, row, trend.milestone)
                )
            )
            base.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeRectangle)
            base.setMarkerSize(15)
            # An open square: the actual of the baseline year stays visible inside it.
            base.setColor(QColor(0, 0, 0, 0))
            base.setBorderColor(QColor(BASELINE_COLOUR))
            base.setPen(QPen(QColor(BASELINE_COLOUR), 2))
            base.append(_qpoints(trend.baseline))
            add(base, self.tr("基準値"))
        self._earlier(trend, add)
        segments = [
            self._segment(chart, run, x_axis, y_axis) for run in trend.runs() if len(run) >= 2
        ]
        points = QScatterSeries()
        points.setName(self.tr("実績"))
        points.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
        points.setMarkerSize(10)
        points.setColor(QColor(ACTUAL_COLOUR))
        points.setBorderColor(QColor(ACTUAL_COLOUR))
        points.append(_qpoints(trend.actual))
        add(points, self.tr("実績"))
        self._boundaries(trend, y_axis, add)
        self.setToolTip(self._summary(title, chart, row, trend))

        self._drawn = _Drawn(self._key(row, trend, title), x_axis, y_axis, segments, points)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _earlier(self, trend: Trend, add: Callable[[QXYSeries, str | None], None]) -> None:
        """The earlier plans' targets (each over its own period) and actuals, lighter."""
        for n, line_points in enumerate(trend.earlier_targets):
            line = QLineSeries()
            line.setName(self.tr("前計画の目標"))
            pen = QPen(QColor(EARLIER_TARGET_COLOUR))
            pen.setWidthF(1.5)
            pen.setStyle(Qt.PenStyle.DashLine)
            line.setPen(pen)
            (start, value), (end, _) = line_points
            middle = (start + end) / 2
            line.append([QPointF(start, float(value)), QPointF(middle, float(value))])
            line.append(QPointF(end, float(value)))
            # Named on the line itself, in its middle (its left end is under the value axis's
            # labels): the side panel's legend has no room for a sixth entry.
            if n == 0:
                line.setPointLabelsFormat(self.tr("前計画の目標"))
                line.setPointLabelsColor(QColor(EARLIER_TARGET_COLOUR))
                line.setPointLabelsClipping(False)
                line.setPointConfiguration(1, QXYSeries.PointConfiguration.LabelVisibility, True)
            add(line, None)
        if not trend.earlier:
            return
        for run in trend.runs(trend.earlier):
            if len(run) < 2:
                continue
            segment = QLineSeries()
            pen = QPen(QColor(EARLIER_COLOUR))
            pen.setWidthF(2)
            segment.setPen(pen)
            segment.append(_qpoints(run))
            add(segment, None)
        points = QScatterSeries()
        points.setName(self.tr("前計画の実績"))
        points.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeTriangle)
        points.setMarkerSize(10)
        points.setColor(QColor(EARLIER_COLOUR))
        points.setBorderColor(QColor(EARLIER_COLOUR))
        points.append(_qpoints(trend.earlier))
        add(points, self.tr("前計画"))

    def _boundaries(
        self,
        trend: Trend,
        y_axis: QValueAxis | QCategoryAxis,
        add: Callable[[QXYSeries, str | None], None],
    ) -> None:
        """A vertical line between the last year of one plan and the first of the next, with
        the name of the plan that starts there at its top."""
        low, high = y_axis.min(), y_axis.max()
        for year, name in trend.boundaries:
            line = QLineSeries()
            line.setName(self.tr("計画の切り替え: {0}").format(name))
            pen = QPen(QColor(BOUNDARY_COLOUR))
            pen.setWidthF(1.2)
            pen.setStyle(Qt.PenStyle.DotLine)
            line.setPen(pen)
            x = year - 0.5
            # The name sits at a point of the line (at most nine tenths up, so under xcb it
            # is not cut by the title above the plot), at the height farthest from the target
            # lines' own labels and the points next to the line: the names never overlap.
            label_y = _free_height(trend, year, low, high)
            line.append([QPointF(x, low), QPointF(x, label_y), QPointF(x, high)])
            # The name as text at the line's top end (a point label, drawn with the chart's
            # font: Japanese renders as text, not boxes).
            line.setPointLabelsFormat(name.replace("@", "＠")[:24])
            line.setPointLabelsColor(QColor(BOUNDARY_COLOUR))
            line.setPointLabelsClipping(False)
            line.setPointConfiguration(1, QXYSeries.PointConfiguration.LabelVisibility, True)
            add(line, None)

    def _summary(self, title: str, chart: QChart, row: IndicatorOverview, trend: Trend) -> str:
        """The tooltip: the title in full, each legend entry with its numbers, every actual."""
        lines = [title]
        lines += [
            series.name()
            for series in chart.series()
            if series.name() and series.name() not in (self.tr("実績"), self.tr("前計画の実績"))
        ]
        if trend.earlier:
            earlier = [
                f"{self._year(year)} {self._quantity(value, row, trend.milestone)}"
                for year, value in trend.earlier
            ]
            separator = ", " if self.lang == "en" else "、"
            lines.append(self.tr("前計画の実績: {0}").format(separator.join(earlier)))
        if trend.actual:
            values = [
                f"{self._year(year)} {self._quantity(value, row, trend.milestone)}"
                for year, value in trend.actual
            ]
            separator = ", " if self.lang == "en" else "、"
            lines.append(self.tr("実績: {0}").format(separator.join(values)))
        return "\n".join(lines)

    def _year_axis(self, years: list[int], anchor: int | None = None) -> QCategoryAxis:
        axis = QCategoryAxis()
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis.setStartValue(years[0] - 0.5)
        # Ten years of two plans do not fit the side panel (R10 was elided to "…"): past seven
        # years every other one is labelled, counted from the newest plan's first year.
        step = -(-len(years) // _MAX_YEAR_LABELS)
        anchor = years[0] if anchor is None else anchor
        for year in years:
            if (year - anchor) % step:
                continue
            # FY2026 is too wide for seven ticks in the side panel; the axis title says 年度.
            label = str(year) if self.lang == "en" else self._year(year)
            axis.append(label, year)
        axis.setRange(years[0] - 0.5, years[-1] + 0.5)
        axis.setTitleText(self.tr("年度"))
        return axis

    def _value_axis(self, trend: Trend) -> QValueAxis | QCategoryAxis:
        if trend.milestone:
            axis = QCategoryAxis()
            axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
            axis.setStartValue(-0.25)
            axis.append(self.tr("未達成"), 0)
            axis.append(self.tr("達成"), 1)
            axis.setRange(-0.25, 1.25)
            return axis
        values = [v for _, v in trend.actual + trend.baseline + trend.target + trend.earlier]
        values += [v for line in trend.earlier_targets for _, v in line]
        value_axis = QValueAxis()
        if values:
            low, high = min(values), max(values)
            pad = (high - low) / 10 if high != low else max(abs(high) / 10, Decimal(1))
            bottom = low - pad
            if low >= 0 > bottom:
                bottom = Decimal(0)
            value_axis.setRange(float(bottom), float(high + pad))
            value_axis.applyNiceNumbers()
        else:
            value_axis.setRange(0, 1)
        step = (value_axis.max() - value_axis.min()) / max(value_axis.tickCount() - 1, 1)
        decimals = max(
            [_decimals_for(step)] + [min(_decimals_of(v), _MAX_DECIMALS) for v in values]
        )
        value_axis.setLabelFormat(f"%.{decimals}f")
        # No axis title: the unit is in the chart title. (A vertical CJK axis title next to
        # narrow tick labels gets elided to "⋮" by Qt Charts when the font falls back.)
        return value_axis
