"""One sheet per policy, with its charts, and the per-plan sheet of a linked plan."""

from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import Marker
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from kplan_desktop.domain.catalog import (
    PlanLink,
    Policy,
    plan_links,
)
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.exchange.cells import clean_text
from kplan_desktop.exchange.report.base import (
    _CHART_COLOURS,
    _CHART_ROWS,
    _GRADE_COLUMN,
    _LETTERS,
    _NOT_GRADED,
    MAX_LINE_CHARTS_PER_SHEET,
    SHEET_CROSS_PLAN,
    SHEET_FINDINGS,
    SHEET_INDICATORS,
    SHEET_MERGES,
    SHEET_REFERENCE,
    SHEET_SERIES,
    SHEET_SUBMISSIONS,
    SHEET_SUMMARY,
    Written,
    _chart_title,
    _column_at,
    _column_cm,
    _label,
    _page_rows,
    _page_starts,
    _print_scale,
    _Row,
    _serving_part,
    _show_axes,
    policy_sheet_name,
)
from kplan_desktop.exchange.report.core import WriterCore
from kplan_desktop.exchange.report.series import EARLIER_MARK

if TYPE_CHECKING:
    from kplan_desktop.exchange.sheet_types import StreamedSheet


class PolicySheets(WriterCore):
    """政策ごとのシート and a linked plan's sheet."""

    # -- 政策ごとのシート --------------------------------------------------------------------------

    def policy_sheets(self) -> None:
        by_policy: dict[str, list[_Row]] = {}
        for row in self.rows:
            by_policy.setdefault(row.entry.policy.code, []).append(row)
        reserved = [
            SHEET_SUMMARY,
            SHEET_INDICATORS,
            SHEET_CROSS_PLAN,
            SHEET_SUBMISSIONS,
            SHEET_FINDINGS,
            SHEET_MERGES,
            SHEET_REFERENCE,
            SHEET_SERIES,
        ]
        for goal in self.data.catalog.goals:
            for policy in goal.policies:
                name = policy_sheet_name(policy, [*reserved, *self.sheet_names])
                members = by_policy.get(policy.code, [])
                self._policy_sheet(name, policy, members)
                self.tick(len(members))

    def _policy_sheet(self, name: str, policy: Policy, members: list[_Row]) -> None:
        styles = self.styles
        years = self.years
        widths = [9, 12, 6, 36, 8, 11, *[11] * len(years), 13, 9, 12, 10]
        report_columns = len(widths)
        # The numbers the line charts read sit right of the report (after a narrow gap), in
        # columns wide enough for them, outside the print area.
        data_column = report_columns + 2
        charted = [r for r in members if r.indicator.target is not None and not r.milestone][
            :MAX_LINE_CHARTS_PER_SHEET
        ]
        # A continuing indicator's chart draws the earlier plans' actuals too (issue 17).
        earlier = {r.indicator.code: self._earlier(r) for r in charted}
        earlier = {code: found for code, found in earlier.items() if found}
        most_earlier = max((len(found) for found in earlier.values()), default=0)
        widths += [3, 16, *[13] * (len(years) + most_earlier)]
        sheet = self.sheet(name, widths, freeze="A5", title_rows="4:4")
        ws = sheet.ws
        # Printed at a fixed scale with a page break before any chart that would not fit:
        # Excel ignores manual page breaks on a sheet set to fit to a page width. (The sheet's
        # properties are written with its first row, so this is set now; the scale later.)
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
        sheet.append([sheet.text(_label(f"政策{policy.code}", policy.name), styles.title)])
        sheet.append(
            [
                sheet.text(
                    f"{self.fy_label}の評価（達成率は{self.fy_label}の実績による）", styles.muted
                )
            ]
        )
        sheet.skip()
        self.header(
            sheet,
            [
                "施策",
                "指標コード",
                "区分",
                "指標名",
                "単位",
                "基準値",
                *[self.year_labels[y] for y in years],
                "目標値",
                "達成率",
                "評価",
                "進捗状況",
            ],
        )
        for row in members:
            indicator = row.indicator
            sheet.append(
                [
                    sheet.text(row.entry.measure.code),
                    sheet.text(indicator.code),
                    sheet.text(indicator.kind.label_ja),
                    sheet.text(row.name),
                    sheet.text(row.unit),
                    *self.measured_cells(sheet, row),
                    sheet.text(row.track.label()),
                ]
            )
        if not members:
            sheet.append([sheet.text("この政策には指標がありません。", styles.muted)])
        sheet.skip()

        # Grades per measure: a table, and the bar chart drawn from it.
        grade_top = sheet.append([sheet.text(f"施策別の評価（{self.fy_label}）", styles.subtitle)])
        grade_header = sheet.row + 1
        # Code in A and name in the wide column D, as in the table above; counts from E.
        sheet.append(
            [
                sheet.text("施策", styles.header),
                None,
                None,
                sheet.text("施策名", styles.header),
                *[
                    sheet.text(g.label(self.settings.grade_labels), styles.grade_header[g])
                    for g in _LETTERS
                ],
                sheet.text("評価対象外", styles.header),
            ]
        )
        most = 0
        for measure in policy.measures:
            grades = Counter(
                r.achievement.grade for r in members if r.entry.measure.code == measure.code
            )
            most = max([most, *(grades.get(g, 0) for g in _LETTERS)])
            sheet.append(
                [
                    sheet.text(measure.code),
                    None,
                    None,
                    sheet.text(measure.name),
                    *[grades.get(g, 0) for g in _LETTERS],
                    sum(grades.get(g, 0) for g in _NOT_GRADED),
                ]
            )
        grade_last = sheet.row
        sheet.skip()

        skipped = sum(1 for r in members if r.indicator.target is not None and not r.milestone)
        skipped -= len(charted)
        charts: list[BarChart | LineChart] = []
        if policy.measures:
            charts.append(self._grade_chart(ws, grade_header, grade_last, most))
        chart_rows = _CHART_ROWS
        bands = math.ceil((len(charts) + len(charted)) / 2)
        charts_heading = sheet.append([sheet.text("グラフ", styles.subtitle)])
        if skipped > 0:
            sheet.append(
                [
                    sheet.text(
                        f"折れ線グラフは先頭{len(charted)}指標分です（ほか{skipped}指標は上の表を参照）。",
                        styles.muted,
                    )
                ]
            )
        charts_top = sheet.row + 1

        # The numbers the line charts draw: actuals (blank where none) and the target per year.
        # Text such as 未集計 in the year table would be drawn as zero, so the charts read here,
        # beside the charts (in the rows they cover) and right of the printed report.
        gap: list[object] = [None] * (data_column - 1)
        data_header = 0
        if charted:
            sheet.append([*gap, sheet.text("グラフ用データ", styles.subtitle)])
            data_header = sheet.append(
                [
                    *gap,
                    sheet.text("系列", styles.header),
                    *[sheet.text(self.year_labels[y], styles.header) for y in years],
                ]
            )
        for row in charted:
            code = row.indicator.code
            values = []
            for y in years:
                actual = row.actual(y)
                values.append(None if actual is None else actual.value)
            before = earlier.get(code)
            if before:
                # Its own categories: the earlier plans' years (marked) before this plan's.
                header = sheet.append(
                    [
                        *gap,
                        sheet.text(f"{code} 年度", styles.header),
                        *[
                            sheet.text(f"{format_fiscal_year(y)}"
                                       f"（{EARLIER_MARK}）", styles.header)
                            for y in before
                        ],
                        *[sheet.text(self.year_labels[y], styles.header) for y in years],
                    ]
                )  # fmt: skip
                blank: list[Written] = [None] * len(before)
                sheet.append(
                    [
                        *gap,
                        sheet.text(f"{code} {EARLIER_MARK}の実績"),
                        *[self.value_cell(sheet, row, v) for v in before.values()],
                    ]
                )
                data_row = sheet.append(
                    [
                        *gap,
                        sheet.text(f"{code} 実績"),
                        *blank,
                        *[self.value_cell(sheet, row, v) for v in values],
                    ]
                )
                sheet.append(
                    [
                        *gap,
                        sheet.text(f"{code} 目標"),
                        *blank,
                        *[self.target_cell(sheet, row) for _ in years],
                    ]
                )
                charts.append(
                    self._across_chart(ws, row, header, data_column, len(before) + len(years))
                )
                continue
            data_row = sheet.append(
                [
                    *gap,
                    sheet.text(f"{code} 実績"),
                    *[self.value_cell(sheet, row, v) for v in values],
                ]
            )
            sheet.append(
                [
                    *gap,
                    sheet.text(f"{code} 目標"),
                    *[self.target_cell(sheet, row) for _ in years],
                ]
            )
            charts.append(self._line_chart(ws, row, data_header, data_row, data_column, len(years)))
        sheet.skip(max(0, charts_top + bands * chart_rows - 1 - sheet.row))

        second_col = _column_at(sheet, 16.5)
        for n, chart in enumerate(charts):
            band, side = divmod(n, 2)
            column = 1 if side == 0 else second_col
            chart.anchor = f"{get_column_letter(column)}{charts_top + band * chart_rows}"
            ws.add_chart(chart)

        # Print the report, not the chart data; no chart split by a page break.
        last_row = charts_top + bands * chart_rows - 1 if bands else sheet.row
        ws.print_area = f"A1:{get_column_letter(report_columns)}{last_row}"
        chart_right = _column_cm(widths, second_col) + 16.0 if len(charts) > 1 else 16.0
        printed_cm = max(_column_cm(widths, report_columns + 1), chart_right)
        scale = _print_scale(printed_cm)
        ws.page_setup.scale = scale
        blocks = [(r, 1) for r in range(1, grade_top)]
        blocks.append((grade_top, grade_last - grade_top + 1))
        blocks += [(r, 1) for r in range(grade_last + 1, charts_heading)]
        if bands:
            # The heading stays with the first band of charts.
            blocks.append((charts_heading, charts_top + chart_rows - charts_heading))
            blocks += [(charts_top + b * chart_rows, chart_rows) for b in range(1, bands)]
        else:
            blocks += [(r, 1) for r in range(charts_heading, last_row + 1)]
        for first in _page_starts(blocks, _page_rows(scale), title_rows=1):
            ws.row_breaks.append(Break(id=first - 1))

    def _grade_chart(
        self, ws: StreamedSheet, header_row: int, last_row: int, most: int
    ) -> BarChart:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = _chart_title(f"施策別の評価（{self.fy_label}）")
        chart.y_axis.title = "指標数"
        chart.y_axis.majorGridlines = None
        # Whole indicators: ticks at 1, 2, 3 … (or coarser), never at 0.2.
        chart.y_axis.majorUnit = max(1, math.ceil(most / 8))
        chart.y_axis.scaling.min = 0
        chart.width, chart.height = 16, 7.5
        if chart.legend is not None:  # a new chart has one
            chart.legend.position = "b"
        if last_row > header_row:
            data = Reference(
                ws,
                min_col=_GRADE_COLUMN,
                max_col=_GRADE_COLUMN + len(_LETTERS) - 1,
                min_row=header_row,
                max_row=last_row,
            )
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row))
            for grade, series in zip(_LETTERS, chart.series, strict=True):
                series.graphicalProperties.solidFill = _CHART_COLOURS[grade]
                series.graphicalProperties.line.solidFill = _CHART_COLOURS[grade]
        _show_axes(chart)
        return chart

    def _line_chart(
        self, ws: StreamedSheet, row: _Row, header_row: int, data_row: int, column: int, years: int
    ) -> LineChart:
        chart = LineChart()
        title = _label(row.indicator.code, row.name)
        chart.title = _chart_title(title if len(title) <= 40 else title[:39] + "…")
        chart.y_axis.title = row.unit or None
        chart.width, chart.height = 16, 7.5
        if chart.legend is not None:  # a new chart has one
            chart.legend.position = "b"
        data = Reference(
            ws, min_col=column, max_col=column + years, min_row=data_row, max_row=data_row + 1
        )
        chart.add_data(data, from_rows=True, titles_from_data=True)
        chart.set_categories(
            Reference(ws, min_col=column + 1, max_col=column + years, min_row=header_row)
        )
        actual, target = chart.series
        # Straight segments between the years: a smoothed curve invents values between them.
        actual.smooth = False
        target.smooth = False
        actual.marker = Marker(symbol="circle", size=6)
        actual.graphicalProperties.line.solidFill = "2F5597"
        target.marker = Marker(symbol="none")
        target.graphicalProperties.line.solidFill = "C00000"
        target.graphicalProperties.line.dashStyle = "dash"
        _show_axes(chart)
        return chart

    def _earlier(self, row: _Row) -> dict[int, Decimal | None]:
        """A continuing indicator's actuals in the plans before this one, by year (every year
        of those plans, None where no number is stored); empty for any other indicator."""
        series = self.data.series.get(row.indicator.code)
        if series is None or not series.across_plans:
            return {}
        values = {p.fiscal_year: p.value for p in series.earlier()}
        years = [
            year
            for link in series.links[:-1]
            for year in range(link.generation.start_year, link.generation.end_year + 1)
        ]
        return {year: values.get(year) for year in sorted(set(years))}

    def _across_chart(
        self, ws: StreamedSheet, row: _Row, header_row: int, column: int, years: int
    ) -> LineChart:
        """A continuing indicator's chart: the earlier plans' actuals as a series of their own
        (grey-blue triangles) over their own years, marked 前計画 on the axis, then this plan's
        actuals and target, as the 計画通算推移 sheet draws them."""
        chart = LineChart()
        title = _label(row.indicator.code, row.name)
        chart.title = _chart_title(title if len(title) <= 40 else title[:39] + "…")
        chart.y_axis.title = row.unit or None
        chart.width, chart.height = 16, 7.5
        chart.display_blanks = "gap"
        if chart.legend is not None:  # a new chart has one
            chart.legend.position = "b"
        data = Reference(
            ws,
            min_col=column,
            max_col=column + years,
            min_row=header_row + 1,
            max_row=header_row + 3,
        )
        chart.add_data(data, from_rows=True, titles_from_data=True)
        chart.set_categories(
            Reference(ws, min_col=column + 1, max_col=column + years, min_row=header_row)
        )
        before, actual, target = chart.series
        for line in chart.series:
            line.smooth = False
        before.marker = Marker(symbol="triangle", size=6)
        before.graphicalProperties.line.solidFill = "8FAADC"
        actual.marker = Marker(symbol="circle", size=6)
        actual.graphicalProperties.line.solidFill = "2F5597"
        target.marker = Marker(symbol="none")
        target.graphicalProperties.line.solidFill = "C00000"
        target.graphicalProperties.line.dashStyle = "dash"
        _show_axes(chart)
        return chart

    # -- a linked plan (総合戦略, 行財政改革) ----------------------------------------------

    def linked_plan(self) -> None:
        """One plan's items, each with the comprehensive plan's indicators that serve it."""
        plan = self.data.linked_plan
        if plan is None:
            return
        styles = self.styles
        years = self.years
        widths = [10, 26, 22, 24, 11, 30, 14, 10, *[10] * len(years), 11, 9, 8, 10]
        sheet = self.sheet(plan[:31], widths, freeze="A5", title_rows="4:4")
        sheet.append(
            [
                sheet.text(
                    clean_text(f"{plan} — 総合計画の指標による進捗（{self.fy_label}）"),
                    styles.title,
                )
            ]
        )
        sheet.append(
            [
                sheet.text(
                    f"総合計画の施策の方向に付いた{clean_text(plan)}のコードごとに、その施策の指標と"
                    "実績を示します。実績の入力は総合計画と共通です。",
                    styles.muted,
                )
            ]
        )
        sheet.skip()
        self.header(
            sheet,
            [
                "コード",
                "項目名",
                "総合計画の施策",
                "施策の方向",
                "指標コード",
                "指標名",
                "担当課",
                "基準値",
                *[self.year_labels[y] for y in years],
                "目標値",
                "達成率",
                "評価",
                "進捗状況",
            ],
        )
        by_measure: dict[str, list[_Row]] = {}
        for row in self.rows:
            by_measure.setdefault(row.entry.measure.code, []).append(row)
        links: list[PlanLink] = plan_links(self.data.catalog, plan)
        for link in links:
            item = [
                sheet.text(link.code or "（タグのみ）"),
                sheet.text(clean_text(link.title), styles.wrap),
                sheet.text(clean_text(_label(link.measure.code, link.measure.name)), styles.wrap),
                sheet.text(clean_text(_serving_part(link)), styles.wrap),
            ]
            members = [r for r in by_measure.get(link.measure.code, []) if link.serves(r.indicator)]
            for row in members:
                sheet.append(
                    [
                        *item,
                        sheet.text(row.indicator.code),
                        sheet.text(row.name, styles.wrap),
                        sheet.text(row.department),
                        *self.measured_cells(sheet, row),
                        sheet.text(row.track.label()),
                    ]
                )
            if not members:
                sheet.append(
                    [*item, None, sheet.text("（この施策には指標がありません）", styles.muted)]
                )
        if not links:
            sheet.append([sheet.text(f"{clean_text(plan)}と結び付いた施策の方向はありません。")])
        self.tick()
