"""The writer's core: rows, progress and cancel, sheets, headers and the cells of numbers."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import Cell

from kplan_desktop.domain.achievement import Achievement, Grade, assess, on_track
from kplan_desktop.domain.catalog import (
    Indicator,
)
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.model import Direction, PlanSettings
from kplan_desktop.exchange.cells import clean_text, format_decimals
from kplan_desktop.exchange.report.base import (
    ReportData,
    ReportPart,
    Written,
    _label,
    _rate_value,
    _Row,
    _Sheet,
    _Style,
    _styled,
    _Styles,
)
from kplan_desktop.progress import check_cancel
from kplan_desktop.store.actuals import ActualView
from kplan_desktop.store.overview import IndicatorOverview


class WriterCore:
    """The writer's state and the cells every sheet family writes; sheet families extend it."""

    def __init__(
        self,
        data: ReportData,
        parts: Collection[ReportPart],
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.data = data
        self.parts = parts
        self.settings: PlanSettings = data.catalog.plan.settings
        self.years = self.settings.years
        self.year_labels = {y: format_fiscal_year(y) for y in self.years}
        self.fiscal_year = data.fiscal_year
        self.fy_label = format_fiscal_year(data.fiscal_year)
        self.styles = _Styles()
        self.book = Workbook(write_only=True)
        self._progress = progress
        self._cancelled = cancelled
        self.departments = {d.code: d.name for d in data.catalog.departments}
        self.rows = [self._row(entry) for entry in data.rows]
        self.submitted = {
            s.department for s in data.submissions if s.fiscal_year == data.fiscal_year
        }
        self.done = 0
        self.total = self._estimate()
        self.sheet_names: list[str] = []

    def _row(self, entry: IndicatorOverview) -> _Row:
        indicator = entry.indicator
        spec = indicator.spec_for(self.fiscal_year)
        actual = entry.values.get(self.fiscal_year)
        value = None if actual is None else actual.value
        reason = None if actual is None else actual.missing_reason
        achievement = assess(spec, self.settings, value, reason)
        track = on_track(spec, self.settings, value, self.fiscal_year).status
        unit = clean_text(indicator.unit or "")
        comparator = indicator.comparator
        milestone = indicator.direction is Direction.MILESTONE
        return _Row(
            entry=entry,
            spec=spec,
            department=clean_text(self.departments.get(indicator.department, indicator.department)),
            policy_label=clean_text(_label(entry.policy.code, entry.policy.name)),
            measure_label=clean_text(_label(entry.measure.code, entry.measure.name)),
            name=clean_text(indicator.display_name),
            unit=unit,
            achievement=achievement,
            track=track,
            baseline_style=self._number_style(indicator, unit, milestone, indicator.baseline),
            target_style=self._number_style(
                indicator,
                unit,
                milestone,
                indicator.target,
                "" if comparator is None else comparator.label_ja,
            ),
        )

    def _estimate(self) -> int:
        """Steps: a row of 指標一覧, an indicator of a policy sheet, a finding, a merge line;
        one each for the small sheets and for saving the file."""
        data = self.data
        weights = {
            ReportPart.SUMMARY: 1,
            ReportPart.INDICATORS: len(self.rows) * len(self.years),
            ReportPart.POLICIES: len(self.rows),
            ReportPart.SERIES: len(data.series),
            ReportPart.CROSS_PLAN: 1,
            ReportPart.LINKED_PLAN: 1,
            ReportPart.EVALUATIONS: len(self.rows),
            ReportPart.SUBMISSIONS: 1,
            ReportPart.FINDINGS: len(data.findings),
            ReportPart.MERGES: sum(len(r.lines) + len(r.notes_ja) for r in data.merge_reports),
            ReportPart.REFERENCE: 1,
        }
        return 1 + sum(weight for part, weight in weights.items() if part in self.parts)

    def tick(self, rows: int = 1) -> None:
        self.done = min(self.done + rows, self.total)
        if self._progress is not None:
            self._progress(self.done, self.total)
        check_cancel(self._cancelled)

    def sheet(
        self,
        title: str,
        widths: Sequence[float],
        *,
        freeze: str | None = None,
        title_rows: str | None = None,
    ) -> _Sheet:
        self.sheet_names.append(title)
        return _Sheet(self.book, title, widths, freeze=freeze, title_rows=title_rows)

    def header(self, sheet: _Sheet, labels: Iterable[str]) -> int:
        style = self.styles.header
        return sheet.append([sheet.text(label, style) for label in labels])

    def _number_style(
        self,
        indicator: Indicator,
        unit: str,
        milestone: bool,
        value: Decimal | None,
        suffix: str = "",
    ) -> _Style:
        if milestone:
            return self.styles.milestone
        decimals = indicator.decimals or 0
        if value is not None:
            decimals = max(decimals, format_decimals(value))
        return self.styles.number(unit, decimals, suffix)

    def value_cell(self, sheet: _Sheet, row: _Row, value: Decimal | None) -> Cell | None:
        if value is None:
            return None
        style = self._number_style(row.indicator, row.unit, row.milestone, value)
        return _styled(sheet.ws, value, style)

    def baseline_cell(self, sheet: _Sheet, row: _Row) -> Cell | None:
        baseline = row.indicator.baseline
        return None if baseline is None else _styled(sheet.ws, baseline, row.baseline_style)

    def target_cell(self, sheet: _Sheet, row: _Row) -> Cell | None:
        target = row.indicator.target
        return None if target is None else _styled(sheet.ws, target, row.target_style)

    def actual_cell(self, sheet: _Sheet, row: _Row, actual: ActualView | None) -> Written:
        if actual is None:
            return None
        if actual.value is None:
            reason = actual.missing_reason
            return sheet.text(reason.label_ja if reason is not None else "", self.styles.muted)
        return self.value_cell(sheet, row, actual.value)

    def measured_cells(self, sheet: _Sheet, row: _Row) -> list[Written]:
        """Baseline, the actual of every plan year, target, achievement rate and grade."""
        return [
            self.baseline_cell(sheet, row),
            *[self.actual_cell(sheet, row, row.actual(y)) for y in self.years],
            self.target_cell(sheet, row),
            self.rate_cell(sheet, row.achievement),
            self.grade_cell(sheet, row.achievement.grade),
        ]

    def grade_cell(self, sheet: _Sheet, grade: Grade) -> Written:
        label = grade.label(self.settings.grade_labels)
        return sheet.text(label, self.styles.for_grade(grade))

    def rate_cell(self, sheet: _Sheet, achievement: Achievement) -> Cell | None:
        return sheet.styled(_rate_value(achievement.rate), self.styles.percent)
