"""The consolidated workbook (集約ブック) the planning division publishes after the merge.

Sheets, in order:

- 概要: title, when and by whom, the graded fiscal year; per policy and per measure the number
  of indicators, the count of each grade (A–D and every reason an indicator is not graded),
  completion (values entered or explained ÷ indicators) and submissions received (departments
  with a submission for the year ÷ departments owning indicators).
- 指標一覧: one row per indicator and plan year, filterable, the grade as a fill *and* a label.
- 政策7-1 …: one sheet per policy: its indicators with a year table, a line chart per indicator
  (actual per year against the target as a flat line) and a bar chart of grades per measure.
- 計画横断: every 施策の方向 tagged 総合戦略 or 行財政改革, by its code in that plan, and the
  indicators serving it with this year's status — one entry serves all three plans.
- 提出状況, 検証結果, 取込結果, 参考データ.

Written in openpyxl's write-only mode: rows stream to temporary files, so memory stays flat
however many indicators there are. Every font, fill and number format is built once (`_Styles`),
its indices in the workbook's style tables are looked up once (`_Style.cell`), and every text
cell goes through `text_cell`, which keeps text that looks like a formula text.
"""

from __future__ import annotations

import enum
import math
import os
import secrets
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import Marker
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

if TYPE_CHECKING:
    from openpyxl.cell import _CellSetValue

from kplan_desktop.domain.achievement import Achievement, Grade, TrackStatus, assess, on_track
from kplan_desktop.domain.catalog import (
    TAG_REFORM,
    TAG_STRATEGY,
    Catalog,
    Indicator,
    Measure,
    MeasureDirection,
    PlanLink,
    Policy,
    direction_plans,
    plan_links,
    reference_plan,
)
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.evaluation import owning_department, suggested_grade
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.model import Direction, IndicatorSpec, PlanSettings
from kplan_desktop.domain.validation import Severity
from kplan_desktop.exchange.cells import clean_text, needs_quote, save_book
from kplan_desktop.exchange.files import unwritable
from kplan_desktop.exchange.payload import MergeReport, RowOutcome, SubmissionRecord
from kplan_desktop.store.actuals import ActualView, StoredFinding
from kplan_desktop.store.evaluations import EvaluationView
from kplan_desktop.store.overview import IndicatorOverview

__all__ = [
    "SHEET_CROSS_PLAN",
    "SHEET_FINDINGS",
    "SHEET_INDICATORS",
    "SHEET_MERGES",
    "SHEET_REFERENCE",
    "SHEET_SUBMISSIONS",
    "SHEET_SUMMARY",
    "ReportData",
    "ReportPart",
    "policy_sheet_name",
    "text_cell",
    "write_report",
]

ERROR_CODE = "E_REPORT_XLSX"

SHEET_SUMMARY = "概要"
SHEET_INDICATORS = "指標一覧"
SHEET_CROSS_PLAN = "計画横断"
SHEET_SUBMISSIONS = "提出状況"
SHEET_FINDINGS = "検証結果"
SHEET_MERGES = "取込結果"
SHEET_REFERENCE = "参考データ"
EVALUATION_SHEET_PREFIX = "施策評価"

# Past this many line charts a policy sheet becomes a scroll of charts nobody reads (and a
# 2,000-indicator plan would write 2,000 drawings); the year table above still lists every one.
MAX_LINE_CHARTS_PER_SHEET = 40
# How often the long loops report progress and ask whether to stop, in rows.
_TICK_ROWS = 256
# A policy sheet's charts sit in bands of this many rows, two charts side by side.
_CHART_ROWS = 16
# Printing a policy sheet: A4 landscape inside openpyxl's default margins (0.75 in left and
# right, 1 in top and bottom), rows taken at 16 pt (a little more than the 15 pt default) so
# the estimated pages are never longer than the real ones.
_PRINT_WIDTH_CM = 29.7 - 2 * 0.75 * 2.54
_PRINT_HEIGHT_CM = 21.0 - 2 * 1.0 * 2.54
_ROW_CM = 16 / 72 * 2.54
# The header row of the summary, tall enough for two lines of bold text (データ未確定 …).
_SUMMARY_HEADER_HEIGHT = 32

_SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_SHEET_NAME_MAX = 31
# The first column of the grade counts on a policy sheet (E: after the code and the wide name).
_GRADE_COLUMN = 5

_LETTERS = (Grade.A, Grade.B, Grade.C, Grade.D)
_NOT_GRADED = (
    Grade.NOT_STARTED,
    Grade.DISCONTINUED,
    Grade.NOT_ASSESSABLE,
    Grade.DATA_PENDING,
    Grade.NO_TARGET,
)
# Grade fills: A green, B light green, C yellow-orange, D red-ish (the label is always written
# too, so a grey-scale print or a colour-blind reader loses nothing).
_GRADE_COLOURS = {
    Grade.A: "63BE7B",
    Grade.B: "C6E0B4",
    Grade.C: "FFD966",
    Grade.D: "F4B183",
}
_CHART_COLOURS = {Grade.A: "339966", Grade.B: "9BC97F", Grade.C: "F2B705", Grade.D: "E0603A"}
_KIND_JA = {
    "submission": "提出ブック",
    "edited": "編集あり（チェックサム不一致）",
    "resaved": "再保存",
    "template": "記入用テンプレート",
}
_SEVERITY_JA = {Severity.ERROR: "エラー", Severity.WARNING: "警告"}


class ReportPart(enum.Enum):
    """A part of the report; write_report writes all of them unless told otherwise."""

    SUMMARY = "summary"
    INDICATORS = "indicators"
    POLICIES = "policies"
    CROSS_PLAN = "cross_plan"
    LINKED_PLAN = "linked_plan"
    EVALUATIONS = "evaluations"
    SUBMISSIONS = "submissions"
    FINDINGS = "findings"
    MERGES = "merges"
    REFERENCE = "reference"


@dataclass(frozen=True)
class ReportData:
    """Everything the consolidated workbook shows, read from the planning database."""

    catalog: Catalog
    rows: list[IndicatorOverview]
    fiscal_year: int
    submissions: list[SubmissionRecord] = field(default_factory=list)
    findings: list[StoredFinding] = field(default_factory=list)
    merge_reports: list[MergeReport] = field(default_factory=list)
    generated_at: datetime = field(default_factory=datetime.now)
    generated_by: str = ""
    # 施策評価 of the graded year, by measure code.
    evaluations: dict[str, EvaluationView] = field(default_factory=dict)
    # The other plan (総合戦略, 行財政改革) a per-plan workbook is for (ReportPart.LINKED_PLAN).
    linked_plan: str | None = None


class _Cancelled(Exception):
    """Raised inside the writer when the caller asks to stop; never leaves this module."""


# -- cells and styles ------------------------------------------------------------------------


class _Style:
    """A combination of style objects, built once and applied to many cells."""

    __slots__ = ("_arrays", "_book", "alignment", "border", "fill", "font", "number_format")

    def __init__(
        self,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        number_format: str | None = None,
        alignment: Alignment | None = None,
        border: Border | None = None,
    ) -> None:
        self.font = font
        self.fill = fill
        self.number_format = number_format
        self.alignment = alignment
        self.border = border
        self._book: Any = None
        self._arrays: dict[bool, Any] = {}

    def cell(self, ws: Any, value: _CellSetValue, *, quote: bool = False) -> Any:
        """A write-only cell holding `value` in this style (quote-prefixed if asked)."""
        book = ws.parent
        if book is not self._book:
            self._book, self._arrays = book, {}
        array = self._arrays.get(quote)
        if array is None:
            array = self._arrays[quote] = self._array(ws, quote)
        # Setting font, fill … on a cell hashes each object to find its index in the workbook;
        # the indices are the same for every cell of this style, so they are looked up once
        # and copied into each new cell: a tenth of the time of a 60-department report.
        return Cell(ws, row=1, column=1, value=value, style_array=array)

    def _array(self, ws: Any, quote: bool) -> Any:
        probe = WriteOnlyCell(ws)
        if self.font is not None:
            probe.font = self.font
        if self.fill is not None:
            probe.fill = self.fill
        if self.number_format is not None:
            probe.number_format = self.number_format
        if self.alignment is not None:
            probe.alignment = self.alignment
        if self.border is not None:
            probe.border = self.border
        if quote:
            probe.quotePrefix = True
        # openpyxl's StyleArray: the indices of the objects set above (its stubs leave it out)
        return probe._style  # type: ignore[attr-defined]


# Unstyled text that looks like a formula still needs a cell of its own, for the quote prefix.
_NO_STYLE = _Style()


def text_cell(ws: Any, text: str | None, style: _Style | None = None) -> Any:
    """A text value for `ws.append`: never a formula, an error code or a number.

    Safe, unstyled text is returned as the plain string (openpyxl stores it as text and it costs
    no cell object); anything that starts like a formula becomes a text cell (data type "s")
    with Excel's quote prefix, so it stays text when a user edits it.
    """
    if text is None or text == "":
        return None
    value = clean_text(text)
    risky = needs_quote(value)
    if style is None and not risky:
        return value
    cell = (style or _NO_STYLE).cell(ws, value, quote=risky)
    cell.data_type = "s"
    return cell


def _styled(ws: Any, value: _CellSetValue, style: _Style) -> Any:
    return style.cell(ws, value)


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):  # NaN or infinity: never stored, shown without decimals
        return 0
    return min(-exponent, 10) if exponent < 0 else 0


def _quoted(label: str) -> str:
    """A unit as a literal inside a number format (a double quote cannot be escaped there)."""
    return '"' + label.replace('"', "”") + '"' if label else ""


class _Styles:
    """Every font, fill, border, alignment and number format of the report, each made once."""

    def __init__(self) -> None:
        thin = Side(style="thin", color="808080")
        self.bold = Font(bold=True)
        self.title = _Style(font=Font(bold=True, size=14))
        self.subtitle = _Style(font=Font(bold=True, size=12))
        self.header = _Style(
            font=self.bold,
            fill=PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7"),
            alignment=Alignment(wrap_text=True, vertical="center"),
            border=Border(bottom=thin),
        )
        self.label = _Style(font=self.bold)
        self.label_top = _Style(font=self.bold, alignment=Alignment(vertical="top"))
        self.wrap = _Style(alignment=Alignment(wrap_text=True, vertical="top"))
        self.muted = _Style(font=Font(italic=True, color="595959"))
        self.percent = _Style(number_format="0.0%")
        self.integer = _Style(number_format="#,##0")
        self.moment = _Style(number_format="yyyy/mm/dd hh:mm")
        self.warning = _Style(fill=PatternFill("solid", start_color="FCE4D6", end_color="FCE4D6"))
        self.good = _Style(fill=PatternFill("solid", start_color="E2EFDA", end_color="E2EFDA"))
        self.grade = {
            grade: _Style(
                fill=PatternFill("solid", start_color=colour, end_color=colour),
                alignment=Alignment(horizontal="center"),
            )
            for grade, colour in _GRADE_COLOURS.items()
        }
        self.no_grade = _Style(font=Font(color="595959"), alignment=Alignment(horizontal="center"))
        self.grade_header = {
            grade: _Style(
                font=self.bold,
                fill=style.fill,
                alignment=Alignment(horizontal="center", wrap_text=True),
                border=Border(bottom=thin),
            )
            for grade, style in self.grade.items()
        }
        self._numbers: dict[tuple[str, int, str], _Style] = {}
        self.milestone = _Style(number_format='"達成";"達成";"未達成"')

    def number(self, unit: str | None, decimals: int, suffix: str = "") -> _Style:
        """#,##0"人" — with as many decimals as asked, the unit and e.g. 以上 as literals."""
        key = (unit or "", decimals, suffix)
        style = self._numbers.get(key)
        if style is None:
            digits = "#,##0" + ("." + "0" * decimals if decimals else "")
            style = _Style(number_format=digits + _quoted((unit or "") + suffix))
            self._numbers[key] = style
        return style

    def for_grade(self, grade: Grade) -> _Style:
        return self.grade.get(grade, self.no_grade)


# -- the report's view of one indicator ------------------------------------------------------


@dataclass
class _Row:
    """One indicator as every sheet shows it, with what is computed once per report."""

    entry: IndicatorOverview
    spec: IndicatorSpec
    department: str
    policy_label: str
    measure_label: str
    name: str
    unit: str
    achievement: Achievement  # in the report's fiscal year
    track: TrackStatus
    baseline_style: _Style  # the number formats of the two figures every year's row repeats
    target_style: _Style

    @property
    def indicator(self) -> Indicator:
        return self.entry.indicator

    @property
    def milestone(self) -> bool:
        return self.indicator.direction is Direction.MILESTONE

    def actual(self, fiscal_year: int) -> ActualView | None:
        return self.entry.values.get(fiscal_year)

    def is_entered(self, fiscal_year: int) -> bool:
        return fiscal_year in self.entry.values


def _label(code: str, name: str) -> str:
    return f"{code} {name}" if name else code


def _rate_value(rate: Decimal | None) -> Decimal | None:
    """The rate rounded half up to 0.1 % (as the README and `kplan show` do), for a 0.0% cell."""
    if rate is None or not rate.is_finite():
        return None
    return (rate * 1000).to_integral_value(rounding=ROUND_HALF_UP) / 1000


def _local(moment: datetime) -> datetime:
    """Excel holds no time zone: an aware instant is shown in this PC's local time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)


def _code_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """4-1-2 < 4-1-10: numeric parts compare as numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.split("-"))


def policy_sheet_name(policy: Policy, taken: Collection[str] = ()) -> str:
    """政策7-1: at most 31 characters, none of []:*?/\\, unique among `taken` (any case)."""
    base = f"政策{policy.code}".translate(_SHEET_NAME_FORBIDDEN).strip("'")[:_SHEET_NAME_MAX]
    base = base or "政策"
    used = {name.casefold() for name in taken}
    name, n = base, 2
    while name.casefold() in used:
        suffix = f"({n})"
        name = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    return name


# -- sheets ----------------------------------------------------------------------------------


class _Sheet:
    """A write-only sheet with its print setup, that counts the rows it has written."""

    def __init__(
        self,
        book: Any,
        title: str,
        widths: Sequence[float],
        *,
        freeze: str | None = None,
        title_rows: str | None = None,
    ) -> None:
        ws = book.create_sheet(title)
        self.ws = ws
        self.row = 0
        # Everything written before the first row (column widths, panes, sheet properties)
        # must be set now: a write-only sheet streams its head when the first row arrives.
        for n, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        if freeze is not None:
            ws.freeze_panes = freeze
        # Printed for the progress review: A4 landscape, one page wide, headers repeated, the
        # sheet name and page numbers in the footer.
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        if title_rows is not None:
            ws.print_title_rows = title_rows
        ws.oddFooter.left.text = "&A"
        ws.oddFooter.right.text = "&P / &N"
        self.widths = list(widths)

    def append(self, cells: Sequence[object]) -> int:
        self.ws.append(cells)
        self.row += 1
        return self.row

    def skip(self, rows: int = 1) -> None:
        for _ in range(rows):
            self.append(())

    def text(self, value: str | None, style: _Style | None = None) -> Any:
        return text_cell(self.ws, value, style)

    def styled(self, value: _CellSetValue, style: _Style) -> Any:
        if value is None:
            return None
        return _styled(self.ws, value, style)

    def column_cm(self, column: int) -> float:
        """How far column `column` (1-based) starts from the left edge, roughly, in cm."""
        chars = sum(self.widths[: column - 1]) + 8.43 * max(0, column - 1 - len(self.widths))
        return chars * 0.19


class _Writer:
    """Writes one report; sheets are methods, progress and cancel are checked as rows go."""

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
        if self._cancelled is not None and self._cancelled():
            raise _Cancelled

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
            decimals = max(decimals, _decimals(value))
        return self.styles.number(unit, decimals, suffix)

    def value_cell(self, sheet: _Sheet, row: _Row, value: Decimal | None) -> Any:
        if value is None:
            return None
        style = self._number_style(row.indicator, row.unit, row.milestone, value)
        return _styled(sheet.ws, value, style)

    def baseline_cell(self, sheet: _Sheet, row: _Row) -> Any:
        baseline = row.indicator.baseline
        return None if baseline is None else _styled(sheet.ws, baseline, row.baseline_style)

    def target_cell(self, sheet: _Sheet, row: _Row) -> Any:
        target = row.indicator.target
        return None if target is None else _styled(sheet.ws, target, row.target_style)

    def actual_cell(self, sheet: _Sheet, row: _Row, actual: ActualView | None) -> Any:
        if actual is None:
            return None
        if actual.value is None:
            reason = actual.missing_reason
            return sheet.text(reason.label_ja if reason is not None else "", self.styles.muted)
        return self.value_cell(sheet, row, actual.value)

    def measured_cells(self, sheet: _Sheet, row: _Row) -> list[Any]:
        """Baseline, the actual of every plan year, target, achievement rate and grade."""
        return [
            self.baseline_cell(sheet, row),
            *[self.actual_cell(sheet, row, row.actual(y)) for y in self.years],
            self.target_cell(sheet, row),
            self.rate_cell(sheet, row.achievement),
            self.grade_cell(sheet, row.achievement.grade),
        ]

    def grade_cell(self, sheet: _Sheet, grade: Grade) -> Any:
        label = grade.label(self.settings.grade_labels)
        return sheet.text(label, self.styles.for_grade(grade))

    def rate_cell(self, sheet: _Sheet, achievement: Achievement) -> Any:
        return sheet.styled(_rate_value(achievement.rate), self.styles.percent)

    # -- 概要 --------------------------------------------------------------------------------

    def summary(self) -> None:
        styles = self.styles
        grade_labels = self.settings.grade_labels
        sheet = self.sheet(
            SHEET_SUMMARY,
            # The reasons an indicator is not graded (データ未確定, —（目標未設定）) take two
            # lines of a 10-wide column; the header row is made tall enough for them.
            [8, 12, 34, 8, *[7] * 4, *[10] * 5, 9, 9, 9, 9, 9],
            title_rows=None,
        )
        catalog = self.data.catalog
        sheet.append([sheet.text("総合計画 進行管理 集約ブック", styles.title)])
        sheet.append([sheet.text(catalog.plan.name, styles.subtitle)])
        sheet.skip()
        sheet.append([sheet.text("対象年度", styles.label), None, sheet.text(self.fy_label)])
        sheet.append(
            [
                sheet.text("作成日時", styles.label),
                None,
                sheet.styled(_local(self.data.generated_at), styles.moment),
            ]
        )
        sheet.append([sheet.text("作成者", styles.label), None, sheet.text(self.data.generated_by)])
        sheet.append(
            [
                sheet.text("評価基準", styles.label),
                None,
                sheet.text(
                    f"A ≥ {_percent_text(self.settings.grade_a)}、"
                    f"B ≥ {_percent_text(self.settings.grade_b)}、"
                    f"C ≥ {_percent_text(self.settings.grade_c)}、D それ未満"
                    f"（{self.fy_label}の実績の達成率）"
                ),
            ]
        )
        sheet.skip()
        headers = [
            "区分",
            "コード",
            "名称",
            "指標数",
            *[g.label(grade_labels) for g in _LETTERS],
            *[g.label() if g is not Grade.NO_TARGET else "—（目標未設定）" for g in _NOT_GRADED],
            "入力済み",
            "入力率",
            "提出課",
            "対象課",
            "提出率",
        ]
        header_row = sheet.row + 1
        # A write-only sheet writes a row's height with the row: set before it is appended.
        sheet.ws.row_dimensions[header_row].height = _SUMMARY_HEADER_HEIGHT
        cells = []
        for n, label in enumerate(headers):
            letter = n - 4
            if 0 <= letter < len(_LETTERS):
                cells.append(sheet.text(label, styles.grade_header[_LETTERS[letter]]))
            else:
                cells.append(sheet.text(label, styles.header))
        sheet.append(cells)
        sheet.ws.print_title_rows = f"{header_row}:{header_row}"

        by_policy: dict[str, list[_Row]] = {}
        by_measure: dict[str, list[_Row]] = {}
        for row in self.rows:
            by_policy.setdefault(row.entry.policy.code, []).append(row)
            by_measure.setdefault(row.entry.measure.code, []).append(row)
        for goal in catalog.goals:
            for policy in goal.policies:
                members = by_policy.get(policy.code, [])
                sheet.append(
                    self._tally_row(sheet, "政策", policy.code, policy.name, members, True)
                )
                for measure in policy.measures:
                    members = by_measure.get(measure.code, [])
                    sheet.append(
                        self._tally_row(sheet, "施策", measure.code, measure.name, members, False)
                    )
        sheet.append(self._tally_row(sheet, "全体", "", "計画全体", self.rows, True))
        sheet.skip()
        sheet.append(
            [
                sheet.text(
                    "入力率 = 入力済み（実績値、または未集計・該当なし等の理由）÷ 指標数。"
                    "提出率 = 当年度の提出を受けた課 ÷ 指標を所管する課。",
                    styles.muted,
                )
            ]
        )
        self.tick()

    def _tally_row(
        self, sheet: _Sheet, level: str, code: str, name: str, members: list[_Row], bold: bool
    ) -> list[object]:
        styles = self.styles
        grades = Counter(row.achievement.grade for row in members)
        entered = sum(1 for row in members if row.is_entered(self.fiscal_year))
        owners = {row.indicator.department for row in members}
        received = len(owners & self.submitted)
        count = len(members)
        label_style = styles.label if bold else None
        return [
            sheet.text(level, label_style),
            sheet.text(code, label_style),
            sheet.text(name, label_style),
            count,
            *[grades.get(g, 0) for g in _LETTERS],
            *[grades.get(g, 0) for g in _NOT_GRADED],
            entered,
            sheet.styled(Decimal(entered) / count if count else None, styles.percent),
            received,
            len(owners),
            sheet.styled(Decimal(received) / len(owners) if owners else None, styles.percent),
        ]

    # -- 指標一覧 ------------------------------------------------------------------------------

    def indicator_list(self) -> None:
        headers = (
            "指標コード",
            "担当課",
            "政策",
            "施策",
            "指標名",
            "単位",
            "年度",
            "基準値",
            "目標値",
            "実績",
            "達成率",
            "評価",
            "コメント",
        )
        sheet = self.sheet(
            SHEET_INDICATORS,
            [12, 16, 22, 22, 40, 8, 11, 12, 14, 12, 9, 8, 40],
            freeze="A2",
            title_rows="1:1",
        )
        self.header(sheet, headers)
        last_row = 1 + len(self.rows) * len(self.years)
        sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(last_row, 2)}"
        ws = sheet.ws
        styles = self.styles
        settings = self.settings
        wrap = styles.wrap
        grade_cells = {g: (g.label(settings.grade_labels), styles.for_grade(g)) for g in Grade}
        pending = 0
        for row in self.rows:
            texts = (
                row.indicator.code,
                row.department,
                row.policy_label,
                row.measure_label,
                row.name,
                row.unit,
            )
            fixed = [text_cell(ws, text) for text in texts]
            # Plain strings can go into every year's row; a cell object belongs to one row.
            shared = all(cell is None or isinstance(cell, str) for cell in fixed)
            interim = bool(row.indicator.interim_targets)
            for year in self.years:
                actual = row.entry.values.get(year)
                # Each year against its own interim target (年度別目標), when the plan sets one.
                spec = row.indicator.spec_for(year) if interim else row.spec
                if actual is None:
                    achievement = assess(spec, settings, None, None)
                    comment = None
                else:
                    achievement = assess(spec, settings, actual.value, actual.missing_reason)
                    comment = actual.comment
                label, grade_style = grade_cells[achievement.grade]
                ws.append(
                    [
                        *(fixed if shared else [text_cell(ws, text) for text in texts]),
                        self.year_labels[year],
                        self.baseline_cell(sheet, row),
                        self.target_cell(sheet, row),
                        self.actual_cell(sheet, row, actual),
                        self.rate_cell(sheet, achievement),
                        text_cell(ws, label, grade_style),
                        text_cell(ws, comment, wrap if comment and "\n" in comment else None),
                    ]
                )
                pending += 1
                if pending == _TICK_ROWS:
                    self.tick(pending)
                    pending = 0
        sheet.row += len(self.rows) * len(self.years)
        self.tick(pending)

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
        widths += [3, 16, *[13] * len(years)]
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

        charted = [r for r in members if r.indicator.target is not None and not r.milestone][
            :MAX_LINE_CHARTS_PER_SHEET
        ]
        skipped = sum(1 for r in members if r.indicator.target is not None and not r.milestone)
        skipped -= len(charted)
        charts: list[Any] = []
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

    def _grade_chart(self, ws: Any, header_row: int, last_row: int, most: int) -> Any:
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
        self, ws: Any, row: _Row, header_row: int, data_row: int, column: int, years: int
    ) -> Any:
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
        ws.oddHeader.right.text = f"施策評価シート　{self.fy_label}"
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

    # -- 計画横断 ------------------------------------------------------------------------------

    def cross_plan(self) -> None:
        styles = self.styles
        sheet = self.sheet(
            SHEET_CROSS_PLAN,
            [12, 16, 32, 28, 30, 30, 10, 9, 8, 9, 9, 9],
        )
        sheet.append([sheet.text("計画横断（総合戦略・行財政改革との対応）", styles.title)])
        sheet.append(
            [
                sheet.text(
                    "総合計画の施策の方向に付いた総合戦略・行財政改革のコードごとに、"
                    f"関連する指標と{self.fy_label}の状況を示します。",
                    styles.muted,
                )
            ]
        )
        sheet.skip()
        by_measure: dict[str, list[_Row]] = {}
        for row in self.rows:
            by_measure.setdefault(row.entry.measure.code, []).append(row)

        tagged: list[tuple[Measure, list[MeasureDirection]]] = []
        for goal in self.data.catalog.goals:
            for policy in goal.policies:
                for measure in policy.measures:
                    directions = [d for d in measure.directions if direction_plans(d)]
                    if directions:
                        tagged.append((measure, directions))
        # Every link: by direction, by measure and by indicator, in plan and code order.
        entries = plan_links(self.data.catalog)

        sheet.append([sheet.text("他計画のコード別", styles.subtitle)])
        self.header(
            sheet,
            [
                "計画",
                "コード",
                "項目名",
                "総合計画の施策",
                "施策の方向",
                "関連指標",
                "指標数",
                *[g.label(self.settings.grade_labels) for g in _LETTERS],
                "評価対象外",
            ],
        )
        for link in entries:
            measure = link.measure
            members = [r for r in by_measure.get(measure.code, []) if link.serves(r.indicator)]
            grades = Counter(r.achievement.grade for r in members)
            sheet.append(
                [
                    sheet.text(link.plan),
                    sheet.text(link.code),
                    sheet.text(link.title),
                    sheet.text(_label(measure.code, measure.name)),
                    sheet.text(_serving_part(link)),
                    sheet.text("、".join(r.indicator.code for r in members), styles.wrap),
                    len(members),
                    *[grades.get(g, 0) for g in _LETTERS],
                    sum(grades.get(g, 0) for g in _NOT_GRADED),
                ]
            )
        if not entries:
            sheet.append([sheet.text("総合戦略・行財政改革のタグが付いた施策の方向はありません。")])
        sheet.skip()

        sheet.append([sheet.text(f"関連する指標（{self.fy_label}）", styles.subtitle)])
        self.header(
            sheet,
            [
                "指標コード",
                "担当課",
                "指標名",
                "施策",
                "総合戦略",
                "行財政改革",
                "実績",
                "達成率",
                "評価",
                "進捗状況",
            ],
        )
        for measure, directions in tagged:
            references: dict[str, list[str]] = {TAG_STRATEGY: [], TAG_REFORM: []}
            for direction in directions:
                for reference in direction.cross_references:
                    line = _label(reference.code, reference.title)
                    bucket = references.setdefault(reference_plan(reference), [])
                    if line not in bucket:
                        bucket.append(line)
                for plan in direction_plans(direction):
                    bucket = references.setdefault(plan, [])
                    if not bucket:
                        bucket.append(f"（施策の方向{direction.number}）")
            for row in by_measure.get(measure.code, []):
                sheet.append(
                    [
                        sheet.text(row.indicator.code),
                        sheet.text(row.department),
                        sheet.text(row.name),
                        sheet.text(row.measure_label),
                        sheet.text("\n".join(references[TAG_STRATEGY]), styles.wrap),
                        sheet.text("\n".join(references[TAG_REFORM]), styles.wrap),
                        self.actual_cell(sheet, row, row.actual(self.fiscal_year)),
                        self.rate_cell(sheet, row.achievement),
                        self.grade_cell(sheet, row.achievement.grade),
                        sheet.text(row.track.label()),
                    ]
                )
        self.tick()

    # -- 提出状況 ------------------------------------------------------------------------------

    def submissions(self) -> None:
        styles = self.styles
        sheet = self.sheet(
            SHEET_SUBMISSIONS,
            [12, 20, 11, 8, 18, 20, 30, 16, 14, 16, 16, 14, 8],
            freeze="A2",
            title_rows="1:1",
        )
        self.header(
            sheet,
            [
                "課コード",
                "課名",
                "年度",
                "指標数",
                "状況",
                "種別",
                "ファイル",
                "書出日時",
                "確定者",
                "確定日時",
                "取込日時",
                "取込者",
                "行数",
            ],
        )
        owned = Counter(row.indicator.department for row in self.rows)
        latest: dict[tuple[str, int], SubmissionRecord] = {}
        for received in self.data.submissions:
            key = (received.department, received.fiscal_year)
            if key not in latest or _local(received.merged_at) >= _local(latest[key].merged_at):
                latest[key] = received
        years = [y for y in self.years if y <= self.fiscal_year] or [self.fiscal_year]
        departments = list(self.data.catalog.departments)
        known = {d.code for d in departments}
        extra = sorted({code for code, _ in latest} - known)
        rows = 0
        by_code = {d.code: d for d in departments}
        for code, name, active in [
            *((d.code, d.name, d.active) for d in departments),
            *((c, c, True) for c in extra),
        ]:
            for year in years:
                # A renamed 課 shows the name it had that year.
                if code in by_code:
                    name = by_code[code].name_for(year)
                record = latest.get((code, year))
                if record is not None:
                    status = sheet.text("提出済み", styles.good)
                elif owned.get(code, 0):
                    status = sheet.text("未提出", styles.warning)
                else:
                    status = sheet.text("対象外（指標なし）", styles.muted)
                shown_name = name if active else f"{name}（廃止）"
                cells: list[object] = [
                    sheet.text(code),
                    sheet.text(shown_name),
                    self.year_labels.get(year) or _year_text(year),
                    owned.get(code, 0),
                    status,
                ]
                if record is not None:
                    cells += [
                        sheet.text(_KIND_JA.get(record.kind, record.kind)),
                        sheet.text(record.file),
                        self._moment(sheet, record.exported_at),
                        sheet.text(record.finalised_by),
                        self._moment(sheet, record.finalised_at),
                        self._moment(sheet, record.merged_at),
                        sheet.text(record.merged_by),
                        record.rows,
                    ]
                sheet.append(cells)
                rows += 1
        sheet.ws.auto_filter.ref = f"A1:M{max(rows + 1, 2)}"
        self.tick()

    def _moment(self, sheet: _Sheet, moment: datetime | None) -> Any:
        return None if moment is None else sheet.styled(_local(moment), self.styles.moment)

    # -- 検証結果 ------------------------------------------------------------------------------

    def findings(self) -> None:
        styles = self.styles
        sheet = self.sheet(
            SHEET_FINDINGS,
            [12, 36, 16, 11, 8, 24, 70],
            freeze="A2",
            title_rows="1:1",
        )
        self.header(sheet, ["指標コード", "指標名", "担当課", "年度", "重大度", "コード", "内容"])
        by_code = {row.indicator.code: row for row in self.rows}
        open_findings = sorted(
            (f for f in self.data.findings if not f.explained),
            key=lambda f: (
                f.finding.severity is not Severity.ERROR,
                f.indicator_code,
                f.fiscal_year,
                f.finding.code,
            ),
        )
        for found in open_findings:
            row = by_code.get(found.indicator_code)
            severity = found.finding.severity
            sheet.append(
                [
                    sheet.text(found.indicator_code),
                    sheet.text(row.name if row is not None else ""),
                    sheet.text(row.department if row is not None else ""),
                    _year_text(found.fiscal_year),
                    sheet.text(
                        _SEVERITY_JA[severity],
                        styles.grade[Grade.D] if severity is Severity.ERROR else styles.warning,
                    ),
                    sheet.text(found.finding.code),
                    sheet.text(found.finding.message_ja, styles.wrap),
                ]
            )
        if not open_findings:
            sheet.append([sheet.text("未解決の検証結果はありません。", styles.muted)])
        else:
            sheet.ws.auto_filter.ref = f"A1:G{sheet.row}"
        self.tick(len(self.data.findings))

    # -- 取込結果 ------------------------------------------------------------------------------

    def merges(self) -> None:
        styles = self.styles
        sheet = self.sheet(
            SHEET_MERGES,
            [28, 16, 14, 16, 16, 10, 7, 12, 11, 9, 44, 14, 14],
            freeze="A2",
            title_rows="1:1",
        )
        self.header(
            sheet,
            [
                "ファイル",
                "取込日時",
                "取込者",
                "種別",
                "課",
                "処理",
                "行",
                "指標",
                "年度",
                "結果",
                "理由",
                "ファイルの値",
                "DBの値",
            ],
        )
        outcome_styles = {
            RowOutcome.NEW: styles.good,
            RowOutcome.UPDATED: styles.good,
            RowOutcome.CONFLICT: styles.warning,
            RowOutcome.REJECTED: styles.grade[Grade.D],
        }
        pending = 0
        for report in self.data.merge_reports:
            if report.dry_run:
                action = "試行"
            elif report.written:
                action = "取込"
            else:
                action = "書込なし"
            code = report.department or ""
            department = self.departments.get(code, code)
            for note in report.notes_ja:
                sheet.append(
                    [
                        *self._merge_head(sheet, report, department, action),
                        None,
                        None,
                        None,
                        sheet.text("ファイル全体", styles.muted),
                        sheet.text(note, styles.wrap),
                    ]
                )
            for line in report.lines:
                reason = line.reason_ja
                sheet.append(
                    [
                        *self._merge_head(sheet, report, department, action),
                        line.sheet_row,
                        sheet.text(line.indicator),
                        _year_text(line.fiscal_year),
                        sheet.text(line.outcome.label_ja, outcome_styles.get(line.outcome)),
                        sheet.text(reason, styles.wrap if "\n" in reason else None),
                        sheet.text(line.file_value),
                        sheet.text(line.db_value),
                    ]
                )
                pending += 1
                if pending == _TICK_ROWS:
                    self.tick(pending)
                    pending = 0
            pending += len(report.notes_ja)
        if not self.data.merge_reports:
            sheet.append([sheet.text("取込の記録はありません。", styles.muted)])
        else:
            sheet.ws.auto_filter.ref = f"A1:M{max(sheet.row, 2)}"
        self.tick(pending)

    def _merge_head(
        self, sheet: _Sheet, report: MergeReport, department: str, action: str
    ) -> list[Any]:
        # Every row names its file, so a filtered view still says where each line came from.
        return [
            sheet.text(report.file),
            self._moment(sheet, report.merged_at),
            sheet.text(report.merged_by),
            sheet.text(_KIND_JA.get(report.kind, report.kind)),
            sheet.text(department),
            sheet.text(action),
        ]

    # -- 参考データ ----------------------------------------------------------------------------

    def reference(self) -> None:
        styles = self.styles
        tables = self.data.catalog.reference_tables
        width = max((len(t.columns) for t in tables), default=0)
        sheet = self.sheet(SHEET_REFERENCE, [14, *[12] * width])
        sheet.append([sheet.text("参考データ", styles.title)])
        sheet.skip()
        for table in tables:
            sheet.append([sheet.text(table.title, styles.subtitle)])
            details = [f"単位: {table.unit}"]
            if table.source:
                details.append(f"出典: {table.source}")
            sheet.append([sheet.text("　".join(details), styles.muted)])
            if table.note:
                sheet.append([sheet.text(table.note, styles.muted)])
            self.header(sheet, ["", *table.columns])
            for label, values in table.rows:
                sheet.append(
                    [
                        sheet.text(label, styles.label),
                        *[
                            None
                            if v is None
                            else _styled(sheet.ws, v, styles.number(None, _decimals(v)))
                            for v in values
                        ],
                    ]
                )
            sheet.skip()
        if not tables:
            sheet.append([sheet.text("参考データはありません。", styles.muted)])
        self.tick()

    # -- the whole --------------------------------------------------------------------------

    def write(self, path: Path) -> bool:
        steps: list[tuple[ReportPart, Callable[[], None]]] = [
            (ReportPart.SUMMARY, self.summary),
            (ReportPart.INDICATORS, self.indicator_list),
            (ReportPart.POLICIES, self.policy_sheets),
            (ReportPart.CROSS_PLAN, self.cross_plan),
            (ReportPart.LINKED_PLAN, self.linked_plan),
            (ReportPart.EVALUATIONS, self.evaluation_sheets),
            (ReportPart.SUBMISSIONS, self.submissions),
            (ReportPart.FINDINGS, self.findings),
            (ReportPart.MERGES, self.merges),
            (ReportPart.REFERENCE, self.reference),
        ]
        # A sibling temporary file, renamed over the target at the end: an existing report is
        # replaced whole or not at all, and a cancelled one leaves nothing behind.
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            self.tick(0)
            for part, step in steps:
                if part in self.parts:
                    step()
            if not self.sheet_names:
                self.sheet("空", [10]).append([])
            save_book(self.book, temp)
            if self._cancelled is not None and self._cancelled():
                raise _Cancelled
            os.replace(temp, path)
        except _Cancelled:
            _discard(self.book)
            return False
        except OSError as exc:
            _discard(self.book)
            raise unwritable(ERROR_CODE, path, "集約ブック", "consolidated workbook", exc) from None
        except BaseException:
            _discard(self.book)
            raise
        finally:
            temp.unlink(missing_ok=True)
        self.done = self.total
        if self._progress is not None:
            self._progress(self.total, self.total)
        return True


def _serving_part(link: PlanLink) -> str:
    """The direction, or the measure as a whole, or the one indicator that serves the item."""
    if link.indicator is not None:
        return f"指標 {link.indicator.code}"
    if link.direction is not None:
        return f"({link.direction.number}) {link.direction.name}"
    return "施策全体"


def _unique_sheet_name(wanted: str, taken: Collection[str]) -> str:
    name = wanted.translate(_SHEET_NAME_FORBIDDEN)[:_SHEET_NAME_MAX]
    n = 2
    while name in taken:
        suffix = f"_{n}"
        name = wanted[: _SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    return name


def _text_units(text: str) -> float:
    """How wide a text is in column-width units: a full-width character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text) * 1.1


def _year_text(fiscal_year: int | None) -> str | None:
    """令和5年度; a year outside the calendar the domain knows is shown as its number."""
    if fiscal_year is None:
        return None
    try:
        return format_fiscal_year(fiscal_year)
    except DomainError:
        return str(fiscal_year)


def _percent_text(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _column_at(sheet: _Sheet, cm: float) -> int:
    """The first column that starts at least `cm` from the left edge."""
    column = 2
    while sheet.column_cm(column) < cm and column < 200:
        column += 1
    return column


def _column_cm(widths: Sequence[float], column: int) -> float:
    """Where column `column` (1-based) starts, in cm, at the widest a column is laid out.

    Excel draws a column `w` characters wide as 7·w + 5 pixels at 96 dpi in Calibri 11;
    LibreOffice without Calibri (or Carlito) falls back to a wider font, about 9.3·w + 5. The
    wider is taken, so the printed report fits a page in either. Columns past `widths` are 8.43.
    """
    chars = list(widths[: column - 1]) + [8.43] * max(0, column - 1 - len(widths))
    return sum(9.5 * w + 5 for w in chars) / 96 * 2.54


def _print_scale(width_cm: float) -> int:
    """The print scale (%) at which `width_cm` of sheet fits one A4 landscape page wide."""
    fit = _PRINT_WIDTH_CM / width_cm * 100 if width_cm > 0 else 100
    return max(10, min(100, math.floor(fit * 0.97)))


def _page_rows(scale: int) -> int:
    """How many rows one printed page holds at `scale` %, erring on the short side."""
    return max(1, math.floor(_PRINT_HEIGHT_CM / (scale / 100) / _ROW_CM))


def _page_starts(
    blocks: Iterable[tuple[int, int]], page_rows: int, *, title_rows: int = 0
) -> list[int]:
    """The rows that must start a new page so no block (first row, rows) is split.

    Every page after the first also prints `title_rows` repeated rows. A block taller than a
    page starts a page of its own and runs on as it must.
    """
    starts: list[int] = []
    used = 0
    room = page_rows
    for first, rows in blocks:
        if used and used + rows > room:
            starts.append(first)
            used = 0
            room = max(1, page_rows - title_rows)
        used += rows
        while used > room:  # only a block taller than a page: it spills, the rest follows
            used -= room
            room = max(1, page_rows - title_rows)
    return starts


def _chart_title(text: str) -> Any:
    """A chart title at 11 pt: the default 18 pt wraps an indicator's name over two lines."""
    font = CharacterProperties(sz=1100, b=True)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _show_axes(chart: Any) -> None:
    # openpyxl 3.1 leaves the axes' <c:delete> unset, which recent Excel reads as "hidden".
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _discard(book: Any) -> None:
    """Close and remove the temporary files a write-only workbook streams its sheets into."""
    for ws in book.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            if not ws.closed:
                ws.close()
            writer.cleanup()
        except (OSError, ValueError):  # already saved and removed
            pass


def write_report(
    path: str | os.PathLike[str],
    data: ReportData,
    *,
    parts: Collection[ReportPart] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bool:
    """Write the consolidated workbook to `path`; False (and no file written) if cancelled.

    The file is written beside `path` under a temporary name and renamed at the end, so an
    existing workbook is replaced whole or not at all. `progress(done, total)` is called as
    rows are written; `cancelled()` is asked as often. `parts` limits the sheets (all by
    default). Raises DomainError when the file cannot be written (e.g. open in Excel).
    """
    chosen = frozenset(ReportPart) if parts is None else frozenset(parts)
    writer = _Writer(data, chosen, progress, cancelled)
    return writer.write(Path(path))
