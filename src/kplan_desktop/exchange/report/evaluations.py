"""The 施策評価 sheets."""

from __future__ import annotations

import math

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter

from kplan_desktop.domain.catalog import (
    Measure,
    Policy,
)
from kplan_desktop.domain.evaluation import owning_department, suggested_grade
from kplan_desktop.exchange.cells import clean_text
from kplan_desktop.exchange.report.base import (
    _ROW_CM,
    EVALUATION_SHEET_PREFIX,
    _chart_title,
    _label,
    _local,
    _Row,
    _show_axes,
    _text_units,
    _unique_sheet_name,
)
from kplan_desktop.exchange.report.core import WriterCore
from kplan_desktop.exchange.sheet_types import odd_header


class EvaluationSheets(WriterCore):
    """施策評価シート."""

    # -- 施策評価シート ----------------------------------------------------------------------

    def evaluation_sheets(self) -> None:
        """One A4 portrait sheet per measure: 目指す姿, its indicators, a chart of their
        achievement rates, the department's evaluation and the reviewer's comment."""
        by_measure: dict[str, list[_Row]] = {}
        for row in self.rows:
            by_measure.setdefault(row.entry.measure.code, []).append(row)
        for goal in self.data.catalog.goals:
            for policy in goal.policies:
                for measure in policy.measures:
                    members = by_measure.get(measure.code, [])
                    self._evaluation_sheet(goal.code, goal.name, policy, measure, members)
                    self.tick(len(members))

    def _evaluation_sheet(
        self, goal_code: str, goal_name: str, policy: Policy, measure: Measure, rows: list[_Row]
    ) -> None:
        styles = self.styles
        years = self.years
        widths = [17, 30, 6, 9, *[9] * len(years), 10, 8, 6]
        columns = len(widths)
        last_col = get_column_letter(columns)
        name = _unique_sheet_name(f"{EVALUATION_SHEET_PREFIX}{measure.code}", self.sheet_names)
        sheet = self.sheet(name, widths)
        ws = sheet.ws
        ws.page_setup.orientation = "portrait"
        odd_header(ws).right.text = f"施策評価シート　{self.fy_label}"
        evaluation = self.data.evaluations.get(measure.code)
        found = None if evaluation is None else evaluation.evaluation
        departments = [r.indicator.department for r in rows]
        owner = owning_department(departments)

        def block(label: str, text: str, empty: str = "（未記入）") -> None:
            shown = clean_text(text) if text.strip() else empty
            number = sheet.row + 1
            width = sum(widths[1:])
            lines = sum(max(1, math.ceil(_text_units(part) / width)) for part in shown.split("\n"))
            ws.row_dimensions[number].height = max(18, 15 * min(lines, 60))
            sheet.append([sheet.text(label, styles.label), sheet.text(shown, styles.wrap)])
            ws.merged_cells.add(f"B{number}:{last_col}{number}")

        sheet.append([sheet.text(f"施策評価シート（{self.fy_label}）", styles.title)])
        sheet.append(
            [
                sheet.text(
                    clean_text(
                        f"基本目標{goal_code} {goal_name} ／ 政策{policy.code} {policy.name}"
                    ),
                    styles.muted,
                )
            ]
        )
        sheet.append(
            [sheet.text(clean_text(_label(f"施策{measure.code}", measure.name)), styles.subtitle)]
        )
        department = "" if owner is None else self.departments.get(owner, owner)
        sheet.append([sheet.text("担当課", styles.label), sheet.text(clean_text(department))])
        sheet.skip()
        block("目指す姿", measure.vision or "", "（計画に記載なし）")
        sheet.skip()
        sheet.append([sheet.text("指標", styles.subtitle)])
        header_row = self.header(
            sheet,
            [
                "指標コード",
                "指標名",
                "単位",
                "基準値",
                *[self.year_labels[y] for y in years],
                "目標値",
                "達成率",
                "評価",
            ],
        )
        for row in rows:
            sheet.append(
                [
                    sheet.text(row.indicator.code),
                    sheet.text(row.name, styles.wrap),
                    sheet.text(row.unit),
                    *self.measured_cells(sheet, row),
                ]
            )
        if not rows:
            sheet.append([sheet.text("この施策には指標がありません。", styles.muted)])
        table_last = sheet.row
        sheet.skip()
        grades = [r.achievement.grade.value for r in rows if r.achievement.grade.is_letter]
        if rows:
            chart = BarChart()
            chart.type = "bar"
            chart.title = _chart_title(f"指標の達成率（{self.fy_label}）")
            chart.y_axis.number_format = "0%"
            chart.y_axis.majorGridlines = None
            chart.legend = None
            chart.width, chart.height = 15, max(4.0, 1.2 + 0.8 * len(rows))
            rate_col = columns - 1
            chart.add_data(
                Reference(ws, min_col=rate_col, min_row=header_row, max_row=table_last),
                titles_from_data=True,
            )
            chart.set_categories(
                Reference(ws, min_col=1, min_row=header_row + 1, max_row=table_last)
            )
            chart.series[0].graphicalProperties.solidFill = "2F5597"
            _show_axes(chart)
            chart.anchor = f"B{sheet.row + 1}"
            ws.add_chart(chart)
            chart_rows = math.ceil(chart.height / _ROW_CM) + 1
            sheet.skip(chart_rows)
        sheet.append([sheet.text("施策の評価", styles.subtitle)])
        guidance = " ".join(grades) or "なし"
        suggested = suggested_grade(grades)
        sheet.append(
            [
                sheet.text("自己評価", styles.label),
                sheet.text((found.grade if found and found.grade else "（未記入）"), styles.label),
                None,
                sheet.text(f"指標の評価: {guidance}（目安 {suggested or '－'}）", styles.muted),
            ]
        )
        block("成果と課題", "" if found is None else found.results)
        step = "" if found is None or found.next_step is None else found.next_step.label_ja
        sheet.append(
            [
                sheet.text("今後の方向性", styles.label),
                sheet.text(step or "（未記入）", styles.label),
            ]
        )
        block("方向性の説明", "" if found is None else found.next_text)
        block("評価者のコメント", "" if found is None else found.reviewer_comment)
        if evaluation is not None:
            when = _local(evaluation.entered_at).strftime("%Y-%m-%d %H:%M")
            sheet.append(
                [sheet.text(f"記入: {clean_text(evaluation.entered_by)}（{when}）", styles.muted)]
            )
        ws.print_area = f"A1:{last_col}{sheet.row}"
