"""The report's building blocks: its parts and data, styles, cells, sheets, page layout."""

from __future__ import annotations

import enum
import math
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import TYPE_CHECKING, TypeAlias

from openpyxl.cell import Cell, WriteOnlyCell
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
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kplan_desktop.domain.achievement import Achievement, Grade, TrackStatus
from kplan_desktop.domain.catalog import (
    Catalog,
    Indicator,
    PlanLink,
    Policy,
)
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation import Series
from kplan_desktop.domain.generation_number import FIRST_GENERATION
from kplan_desktop.domain.model import Direction, IndicatorSpec
from kplan_desktop.domain.validation import Severity
from kplan_desktop.exchange.cells import clean_text, format_literal, needs_quote
from kplan_desktop.exchange.payload import MergeReport, SubmissionRecord
from kplan_desktop.exchange.sheet_types import odd_footer
from kplan_desktop.store.actuals import ActualView, StoredFinding
from kplan_desktop.store.evaluations import EvaluationView
from kplan_desktop.store.overview import IndicatorOverview

if TYPE_CHECKING:
    from openpyxl.cell import _CellSetValue
    from openpyxl.chart import BarChart, LineChart
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.workbook.workbook import Workbook

    from kplan_desktop.exchange.sheet_types import StreamedSheet

# What a report row holds in one column: nothing, plain text, or a styled cell.
Written: TypeAlias = "str | Cell | None"

ERROR_CODE = "E_REPORT_XLSX"

SHEET_SUMMARY = "概要"
SHEET_INDICATORS = "指標一覧"
SHEET_CROSS_PLAN = "計画横断"
SHEET_SUBMISSIONS = "提出状況"
SHEET_FINDINGS = "検証結果"
SHEET_MERGES = "取込結果"
SHEET_REFERENCE = "参考データ"
EVALUATION_SHEET_PREFIX = "施策評価"
SHEET_SERIES = "計画通算推移"

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
    SERIES = "series"
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
    # The plan generation (計画期) the workbook is of: its cover names it.
    generation: int = FIRST_GENERATION
    # The continuing indicators' series across plans, by their code in `generation` (only
    # those that continue an indicator of an earlier plan).
    series: dict[str, Series] = field(default_factory=dict)


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
        self._book: Workbook | None = None
        self._arrays: dict[bool, StyleArray] = {}

    def cell(self, ws: StreamedSheet, value: _CellSetValue, *, quote: bool = False) -> Cell:
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

    def _array(self, ws: StreamedSheet, quote: bool) -> StyleArray:
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
        array: StyleArray = probe._style  # type: ignore[attr-defined]
        return array


# Unstyled text that looks like a formula still needs a cell of its own, for the quote prefix.
_NO_STYLE = _Style()


def text_cell(ws: StreamedSheet, text: str | None, style: _Style | None = None) -> Written:
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


def _styled(ws: StreamedSheet, value: _CellSetValue, style: _Style) -> Cell:
    return style.cell(ws, value)


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
            style = _Style(number_format=digits + format_literal((unit or "") + suffix))
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
    """The rate rounded half up to 0.1 % (as docs/rules.md and `kplan show` do), for a 0.0% cell."""
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


def _row_cells(ws: StreamedSheet, values: Iterable[object], row: int) -> Iterator[Cell]:
    """A row's cells as openpyxl's write-only sheet hands them to its writer, each in its column.

    openpyxl's own step (WriteOnlyWorksheet._values_to_row) first tries every value as a plain
    one, and a cell made beforehand (every styled cell of the report) fails that try: an error
    raised, its message formatted with the cell's repr, and caught — about a tenth of the time
    of a 60-department report. Here a cell passes as it is; any other value is bound to one
    reused cell exactly as there (the same checks, the same ValueError for what Excel cannot
    hold; a new one after a value that styled it, such as a date). The report sets no
    hyperlink, so none is placed.
    """
    plain = WriteOnlyCell(ws)
    for column, value in enumerate(values, 1):
        if value is None:
            continue
        cell = value if isinstance(value, Cell) else plain
        if cell is plain:
            plain.value = value  # type: ignore[assignment]
        cell.column = column
        cell.row = row
        yield cell
        if cell is plain and plain.has_style:  # a date takes a number format: a new cell
            plain = WriteOnlyCell(ws)


class _Sheet:
    """A write-only sheet with its print setup, that counts the rows it has written."""

    def __init__(
        self,
        book: Workbook,
        title: str,
        widths: Sequence[float],
        *,
        freeze: str | None = None,
        title_rows: str | None = None,
    ) -> None:
        ws: StreamedSheet = book.create_sheet(title)
        # The report's cells reach openpyxl's writer without its error path (_row_cells).
        ws._values_to_row = partial(_row_cells, ws)  # type: ignore[attr-defined]
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
        odd_footer(ws).left.text = "&A"
        odd_footer(ws).right.text = "&P / &N"
        self.widths = list(widths)

    def append(self, cells: Sequence[object]) -> int:
        self.ws.append(cells)
        self.row += 1
        return self.row

    def skip(self, rows: int = 1) -> None:
        for _ in range(rows):
            self.append(())

    def text(self, value: str | None, style: _Style | None = None) -> Written:
        return text_cell(self.ws, value, style)

    def styled(self, value: _CellSetValue, style: _Style) -> Cell | None:
        if value is None:
            return None
        return _styled(self.ws, value, style)

    def column_cm(self, column: int) -> float:
        """How far column `column` (1-based) starts from the left edge, roughly, in cm."""
        chars = sum(self.widths[: column - 1]) + 8.43 * max(0, column - 1 - len(self.widths))
        return chars * 0.19


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


def _chart_title(text: str) -> Title:
    """A chart title at 11 pt: the default 18 pt wraps an indicator's name over two lines."""
    font = CharacterProperties(sz=1100, b=True)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _show_axes(chart: BarChart | LineChart) -> None:
    # openpyxl 3.1 leaves the axes' <c:delete> unset, which recent Excel reads as "hidden".
    chart.x_axis.delete = False
    chart.y_axis.delete = False
