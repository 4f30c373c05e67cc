"""計画通算推移: the continuing indicators' series across plan generations (issue 17 item 4).

The consolidated workbook of a new plan carries each continuing indicator's actuals of the
plans before it: one row per plan (the earlier plans' rows marked 前計画, their year cells
grey), each year under the plan it belonged to, and a line chart per indicator with the
earlier actuals, the current ones, and each plan's target over its own period. Written only
when the plan continues indicators of an earlier one.
"""

from __future__ import annotations

import math
from decimal import Decimal

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.marker import Marker
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation import Series, SeriesLink, SeriesPoint
from kplan_desktop.exchange.cells import clean_text, format_decimals
from kplan_desktop.exchange.report.base import (
    _CHART_ROWS,
    MAX_LINE_CHARTS_PER_SHEET,
    SHEET_SERIES,
    Written,
    _chart_title,
    _column_at,
    _label,
    _Row,
    _Sheet,
    _show_axes,
    _Style,
    _text_units,
)
from kplan_desktop.exchange.report.core import WriterCore

# The earlier plans' year cells: a light grey, so a grey-scale print still tells them apart
# (the plan column says 前計画 in words too).
_EARLIER_FILL = PatternFill("solid", start_color="E7E6E6", end_color="E7E6E6")
EARLIER_MARK = "前計画"
CURRENT_MARK = "本計画"
# Wrapped at the foot of the cell, as the numbers beside it sit.
_WRAPPED = _Style(alignment=Alignment(wrap_text=True))
# The indicator name's and the plan's columns (characters), and a wrapped line's height (pt).
_NAME_WIDTH, _PLAN_WIDTH, _LINE_POINTS = 30, 34, 15


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide."""
    return sum(
        max(1, math.ceil(_text_units(part) / max(width - 1, 1))) for part in text.split("\n")
    )


class SeriesSheet(WriterCore):
    """計画通算推移."""

    def series_sheet(self) -> None:
        found = self.data.series
        rows = [row for row in self.rows if row.indicator.code in found]
        if not rows:
            return
        series = [found[row.indicator.code] for row in rows]
        first = min(link.generation.start_year for s in series for link in s.links)
        years = list(range(first, self.settings.end_year + 1))
        plan_of = {
            year: link
            for s in series
            for link in s.links
            for year in range(link.generation.start_year, link.generation.end_year + 1)
        }
        styles = self.styles
        widths = [11, _NAME_WIDTH, 6, _PLAN_WIDTH, 11, 11, *[11] * len(years)]
        report_columns = len(widths)
        data_column = report_columns + 2
        widths += [3, 22, *[13] * len(years)]
        sheet = self.sheet(SHEET_SERIES, widths, freeze="G6", title_rows="4:5")
        current = self.data.catalog.plan.name
        sheet.append([sheet.text("計画をまたぐ指標の推移（継続指標）", styles.title)])
        sheet.append(
            [
                sheet.text(
                    clean_text(
                        f"{current}の継続指標について、前の計画の実績も載せています"
                        f"（「{EARLIER_MARK}」と記した行・灰色の年度）。各年度の値は、その年度が"
                        "属した計画の指標のもので、その計画の目標と比べます。"
                    ),
                    styles.muted,
                )
            ]
        )
        sheet.skip()
        self.header(
            sheet,
            [
                "指標コード",
                "指標名",
                "単位",
                "計画",
                "その計画でのコード",
                "その計画の目標値",
                *[format_fiscal_year(y) for y in years],
            ],
        )
        plan_cells: list[Written] = [None] * 3 + [sheet.text("年度の計画 →", styles.header)]
        plan_cells += [None, None]
        # Short, as the columns are narrow: the plan column of each row names the plan in full.
        for year in years:
            link = plan_of.get(year)
            mark = "" if link is None else CURRENT_MARK
            if link is not None and link.generation.number != self.data.generation:
                mark = EARLIER_MARK
            plan_cells.append(sheet.text(mark, styles.header))
        sheet.append(plan_cells)
        for row, one in zip(rows, series, strict=True):
            self._indicator_rows(sheet, row, one, years)
            self.tick()

        charted = [(r, s) for r, s in zip(rows, series, strict=True) if not r.milestone]
        charted = charted[:MAX_LINE_CHARTS_PER_SHEET]
        sheet.skip()
        sheet.append([sheet.text("グラフ", styles.subtitle)])
        charts_top = sheet.row + 1
        gap: list[object] = [None] * (data_column - 1)
        charts: list[LineChart] = []
        if charted:
            sheet.append([*gap, sheet.text("グラフ用データ", styles.subtitle)])
            header = sheet.append(
                [
                    *gap,
                    sheet.text("系列", styles.header),
                    *[sheet.text(format_fiscal_year(y), styles.header) for y in years],
                ]
            )
            for row, one in charted:
                top = self._chart_rows(sheet, gap, row, one, years)
                charts.append(self._series_chart(sheet, row, header, top, data_column, len(years)))
        bands = math.ceil(len(charts) / 2)
        sheet.skip(max(0, charts_top + bands * _CHART_ROWS - 1 - sheet.row))
        second = _column_at(sheet, 16.5)
        for n, chart in enumerate(charts):
            band, side = divmod(n, 2)
            column = 1 if side == 0 else second
            chart.anchor = f"{get_column_letter(column)}{charts_top + band * _CHART_ROWS}"
            sheet.ws.add_chart(chart)
        last_row = charts_top + bands * _CHART_ROWS - 1 if bands else sheet.row
        sheet.ws.print_area = f"A1:{get_column_letter(report_columns)}{last_row}"

    def _indicator_rows(self, sheet: _Sheet, row: _Row, series: Series, years: list[int]) -> None:
        by_year = {point.fiscal_year: point for point in series.points}
        for link in series.links:
            earlier = link.generation.number != self.data.generation
            plan = clean_text(link.generation.name)
            target = link.indicator.target
            plan_text = f"{plan}（{EARLIER_MARK}）" if earlier else plan
            # A long plan name (…後期基本計画（令和4年度〜令和8年度）) wraps inside its column,
            # the row as tall as its longest cell (trial finding 14: it overflowed).
            lines = max(_lines(row.name, _NAME_WIDTH), _lines(plan_text, _PLAN_WIDTH))
            if lines > 1:
                sheet.ws.row_dimensions[sheet.row + 1].height = _LINE_POINTS * lines + 3
            cells: list[Written] = [
                sheet.text(row.indicator.code),
                sheet.text(row.name, _WRAPPED),
                sheet.text(row.unit),
                sheet.text(plan_text, _WRAPPED),
                sheet.text(link.indicator.code),
                None if target is None else self._number(sheet, row, target, earlier=False),
            ]
            for year in years:
                point = by_year.get(year)
                if point is None or point.generation != link.generation.number:
                    cells.append(None)
                    continue
                cells.append(self._year_cell(sheet, row, point, earlier))
            sheet.append(cells)

    def _year_cell(self, sheet: _Sheet, row: _Row, point: SeriesPoint, earlier: bool) -> Written:
        if point.value is not None:
            return self._number(sheet, row, point.value, earlier=earlier)
        if point.missing_reason is not None:
            return sheet.text(point.missing_reason.label_ja, self.styles.muted)
        return None

    def _number(self, sheet: _Sheet, row: _Row, value: Decimal, *, earlier: bool) -> Written:
        decimals = max(row.indicator.decimals or 0, format_decimals(value))
        if row.milestone:
            style = self.styles.milestone
        else:
            style = self.styles.number(row.unit, decimals)
        if not earlier:
            return sheet.styled(value, style)
        # The same number format on grey, made once per format and report.
        greys: dict[str | None, _Style] = self.__dict__.setdefault("_earlier_styles", {})
        grey = greys.get(style.number_format)
        if grey is None:
            grey = greys[style.number_format] = _Style(
                number_format=style.number_format, fill=_EARLIER_FILL
            )
        return sheet.styled(value, grey)

    def _chart_rows(
        self, sheet: _Sheet, gap: list[object], row: _Row, series: Series, years: list[int]
    ) -> int:
        """The four series one chart draws, numbers only (a 未集計 would be drawn as zero):
        earlier actuals, current actuals, each plan's target over its own years."""
        newest = self.data.generation
        by_year = {point.fiscal_year: point for point in series.points}
        code = row.indicator.code

        def values(mine: bool) -> list[Written]:
            cells: list[Written] = []
            for year in years:
                point = by_year.get(year)
                if point is None or point.value is None or (point.generation == newest) != mine:
                    cells.append(None)
                else:
                    cells.append(self._number(sheet, row, point.value, earlier=False))
            return cells

        def targets(mine: bool) -> list[Written]:
            cells: list[Written] = []
            for year in years:
                link = self._link_of(series, year)
                target = None if link is None else link.indicator.target
                if link is None or target is None or (link.generation.number == newest) != mine:
                    cells.append(None)
                else:
                    cells.append(self._number(sheet, row, target, earlier=False))
            return cells

        top = sheet.append([*gap, sheet.text(f"{code} {EARLIER_MARK}の実績"), *values(False)])
        sheet.append([*gap, sheet.text(f"{code} 実績"), *values(True)])
        sheet.append([*gap, sheet.text(f"{code} {EARLIER_MARK}の目標"), *targets(False)])
        sheet.append([*gap, sheet.text(f"{code} 目標"), *targets(True)])
        return top

    @staticmethod
    def _link_of(series: Series, year: int) -> SeriesLink | None:
        for link in series.links:
            if link.generation.covers(year):
                return link
        return None

    def _series_chart(
        self, sheet: _Sheet, row: _Row, header: int, top: int, column: int, years: int
    ) -> LineChart:
        chart = LineChart()
        title = _label(row.indicator.code, row.name)
        chart.title = _chart_title(title if len(title) <= 40 else title[:39] + "…")
        chart.y_axis.title = row.unit or None
        chart.width, chart.height = 16, 7.5
        chart.display_blanks = "gap"
        if chart.legend is not None:
            chart.legend.position = "b"
        data = Reference(
            sheet.ws, min_col=column, max_col=column + years, min_row=top, max_row=top + 3
        )
        chart.add_data(data, from_rows=True, titles_from_data=True)
        chart.set_categories(
            Reference(sheet.ws, min_col=column + 1, max_col=column + years, min_row=header)
        )
        earlier, actual, earlier_target, target = chart.series
        for line in chart.series:
            line.smooth = False
        earlier.marker = Marker(symbol="triangle", size=6)
        earlier.graphicalProperties.line.solidFill = "8FAADC"
        actual.marker = Marker(symbol="circle", size=6)
        actual.graphicalProperties.line.solidFill = "2F5597"
        for line, colour in ((earlier_target, "F4B183"), (target, "C00000")):
            line.marker = Marker(symbol="none")
            line.graphicalProperties.line.solidFill = colour
            line.graphicalProperties.line.dashStyle = "dash"
        _show_axes(chart)
        return chart
