"""The department submission workbook and the fill-in template for departments without the program.

Submission (format SUBMISSION_FORMAT), three sheets, in this order:

- 提出 (visible): the printable report for people: title with the fiscal year (令和N年度), the
  department by name (its code only in small print), export date, a 「下書き（未確定）」 banner
  for a draft, a note on how to read 評価 and 進捗状況, then a bordered table, one row per
  indicator: code, name, policy, measure, unit, baseline, every plan year up to this one (each
  headed 令和N年度 / 実績), target (its number format carries the unit and 以上 / 以下),
  achievement, grade, on-track status (進捗状況), comment. Values are numbers with a number
  format that shows the unit; a missing value shows its reason. Names, policies, measures and
  comments wrap, and each row is made tall enough for its longest wrapped text.
- data (hidden, not veryHidden, so a curious clerk can unhide it): row 1 holds DATA_KEYS (every
  field of ValueRow, in the order canonical_payload serialises them), then one row per ValueRow.
  Every cell is a string cell holding exactly the text canonical_payload hashes, so the payload
  survives a LibreOffice or Excel re-save byte for byte. A draft adds DRAFT_MARK in the first
  free header cell after the keys (readers ignore unknown columns).
- meta (hidden, not veryHidden, last, protected without a password): key / value / 項目 rows
  (META_KEYS). Hidden so that it does not print with the document (a page of checksums means
  nothing to a reader of the report); a clerk who wants to see whose file it is, for which year,
  whether it was finalised and its checksum can unhide it, because the workbook structure is
  not locked. The protection only stops accidental typing.

Template (format TEMPLATE_FORMAT):

- 記入 (visible, protected without a password): title rows, then the header in row
  TEMPLATE_HEADER_ROW and one row per indicator from the next row: code, name, unit, the
  earlier plan years' values (for reference), then the three input columns
  実績値 /（令和N年度）(a line break between the two), 未記入の理由, コメント, in a bordered
  table. Only the input cells are unlocked, and they alone have a light fill. Value cells are
  text cells (VALUE_CELL_FORMAT): the typed text reaches the domain's parser unchanged. A reader
  finds the columns by their header text (TEMPLATE_CODE_LABEL, a label starting with
  TEMPLATE_VALUE_LABEL, TEMPLATE_REASON_LABEL, TEMPLATE_COMMENT_LABEL) and the rows by the code
  column. An indicator whose unit is not set cannot take a value (the domain refuses it), so its
  value cell stays locked and grey.
- meta (hidden; the workbook structure is locked without a password, so it is not unhidden by
  accident): format, department, fiscal_year, catalog_hash, program_version, created_at.

Every text cell is written as a string cell (never a formula, never an error value); text that
starts with = + - @ is also marked with a quote prefix, so Excel keeps it as text when edited.
Both writers build the file under a temporary name in the target folder and rename it at the
end: a cancelled or failed export leaves nothing behind.
"""

from __future__ import annotations

import math
import os
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

from kplan_desktop.domain.achievement import Grade, TrackStatus, format_rate
from kplan_desktop.domain.catalog import Catalog, Indicator
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.evaluation import NextStep
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.model import ValueKind
from kplan_desktop.domain.validation import MAX_COMMENT_LENGTH
from kplan_desktop.exchange.cells import (
    format_decimals,
    format_literal,
    save_book,
    set_text,
    text_problem,
)
from kplan_desktop.exchange.evaluation_exchange import (
    EVALUATION_KEYS,
    SHEET_EVALUATION,
    SHEET_EVALUATION_PRINT,
    EvaluationRow,
    evaluations_sha256,
)
from kplan_desktop.exchange.files import unwritable
from kplan_desktop.exchange.payload import (
    SUBMISSION_FORMAT,
    SubmissionHeader,
    ValueRow,
    payload_sha256,
    utc_text,
)
from kplan_desktop.exchange.sheet_types import odd_footer, odd_header, page_fit
from kplan_desktop.exchange.submission_layout import (
    DATA_KEYS,
    DRAFT_MARK,
    DRAFT_MARK_EN,
    ERROR_CODE,
    GENERATION_KEY,
    META_KEYS,
    REPORT_COMMENT_LABEL,
    REPORT_HEADER_ROW,
    SHEET_DATA,
    SHEET_META,
    SHEET_REPORT,
    SHEET_TEMPLATE,
    TEMPLATE_CODE_LABEL,
    TEMPLATE_COMMENT_LABEL,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_META_KEYS,
    TEMPLATE_REASON_LABEL,
    TEMPLATE_VALUE_LABEL,
    TEMPLATE_WRITTEN_KEY,
    VALUE_CELL_FORMAT,
    WRITER_MARK,
    WrittenCells,
    _year_label,
    generation_title,
    report_value_label,
    written_digest,
    written_label,
)
from kplan_desktop.progress import CancelCheck, Progress, Steps, false_when_cancelled
from kplan_desktop.store.actuals import ActualView
from kplan_desktop.store.overview import IndicatorOverview

__all__ = [
    "DATA_KEYS",
    "DRAFT_MARK",
    "ERROR_CODE",
    "META_KEYS",
    "SHEET_DATA",
    "SHEET_META",
    "SHEET_REPORT",
    "SHEET_TEMPLATE",
    "TEMPLATE_CODE_LABEL",
    "TEMPLATE_COMMENT_LABEL",
    "TEMPLATE_HEADER_ROW",
    "TEMPLATE_META_KEYS",
    "TEMPLATE_REASON_LABEL",
    "TEMPLATE_VALUE_LABEL",
    "TEMPLATE_WRITTEN_KEY",
    "VALUE_CELL_FORMAT",
    "WRITER_MARK",
    "WrittenCells",
    "write_submission",
    "written_digest",
    "written_label",
]
# Excel refuses a data validation whose prompt or error text is longer (titles: 32).
PROMPT_MAX = 255
PROMPT_TITLE_MAX = 32


_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_DRAFT_FONT = Font(bold=True, size=14, color="C00000")
_KEY_FONT = Font(color="808080", size=9)
_NOTE_FONT = Font(size=9)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_DRAFT_FILL = PatternFill("solid", fgColor="FFF2CC")
_INPUT_FILL = PatternFill("solid", fgColor="FFFFE0")
_LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER_WRAP = Alignment(horizontal="center", vertical="top", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="top")
_CORNER = Alignment(horizontal="right")
_THIN = Side(style="thin", color="000000")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Row heights in points. Excel does not grow a row for wrapped text written by a program, so
# the writer sets the height; a line of 11 pt Japanese text (游ゴシック, Noto Sans CJK) needs
# about 16 pt, and Excel refuses rows taller than 409 pt.
_LINE_HEIGHT = 16.0
_ROW_PADDING = 3.0
_MAX_ROW_HEIGHT = 409.0
_UNLOCKED = Protection(locked=False)
_FRACTIONAL_KINDS = (ValueKind.PERCENT, ValueKind.DECIMAL, ValueKind.AMOUNT)
_WHOLE_KINDS = (ValueKind.COUNT, ValueKind.PER_PERIOD)
_MILESTONE_DONE = "達成"
_MILESTONE_NOT_DONE = "未達成"


# -- small helpers ---------------------------------------------------------------------------


def _unwritable(where: str, what_ja: str, what_en: str) -> DomainError:
    return DomainError(
        ERROR_CODE,
        f"Excelに書き出せない文字があります（{where}）: {what_ja}",
        f"Text that cannot be written to Excel ({where}): {what_en}",
    )


def _text(ws: Worksheet, row: int, column: int, text: str, where: str = "") -> Cell:
    """A string cell that stays a string: never a formula, never an error value."""
    # A text that would not come back the same (a CR, a control character, too long) would
    # make the checksum call the file edited: refused with the cell policy's reason.
    problem = text_problem(text)
    if problem is not None:
        place = where or f"{ws.title}!{get_column_letter(column)}{row}"
        raise _unwritable(place, *problem)
    return set_text(ws.cell(row=row, column=column), text)


def _number(ws: Worksheet, row: int, column: int, value: Decimal, number_format: str) -> Cell:
    shown = int(value) if value == value.to_integral_value() else float(value)
    cell = ws.cell(row=row, column=column, value=shown)
    cell.number_format = number_format
    return cell


def _unit_format(indicator: Indicator, decimals: int = 0, suffix: str = "") -> str:
    """`#,##0"人"`, `#,##0.0"%"` (the % quoted so Excel does not multiply by 100), or General."""
    kind = indicator.effective_value_kind
    literal = (indicator.unit or "") + suffix
    if kind is ValueKind.MILESTONE:
        # 1 / 0 read as 達成 / 未達成; a comparator means nothing for a milestone.
        done, not_done = format_literal(_MILESTONE_DONE), format_literal(_MILESTONE_NOT_DONE)
        return f"[=1]{done};[=0]{not_done};General"
    if indicator.unit is None or kind is None:
        return "General" + (format_literal(suffix) if suffix else "")
    if kind in _FRACTIONAL_KINDS and indicator.decimals is not None:
        decimals = max(decimals, indicator.decimals)
    body = "#,##0" + ("." + "0" * decimals if decimals else "")
    return body + format_literal(literal)


def _clip(text: str, limit: int) -> str:
    """At most `limit` UTF-16 code units (as Excel counts), cut on a character, with '…'."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    kept: list[str] = []
    used = 1  # the ellipsis
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > limit:
            break
        kept.append(char)
        used += size
    return "".join(kept) + "…"


def _print_setup(ws: Worksheet, title_rows: str, left_header: str, draft: bool) -> None:
    """A4 landscape, one page wide, header rows repeated, page numbers, draft in the header."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    page_fit(ws).fitToPage = True
    # Narrower side margins than Excel's default leave the table a larger print scale.
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    odd_header(ws).left.text = left_header.replace("&", "&&")
    odd_header(ws).left.size = 9
    if draft:
        odd_header(ws).center.text = DRAFT_MARK
        odd_header(ws).center.size = 14
        odd_header(ws).center.color = "C00000"
    odd_footer(ws).center.text = "&P / &N"
    odd_footer(ws).center.size = 9


def _save(book: Workbook, path: Path, steps: Steps) -> bool:
    """Save under a temporary sibling name, then rename; nothing is left behind on cancel."""
    steps.check()
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        save_book(book, temp)
        # The last cancel point (the progress callback may cancel too): before the rename,
        # so a cancelled job never leaves a file behind.
        steps.finish()
        steps.check()
        os.replace(temp, path)
    except OSError as exc:
        raise unwritable(ERROR_CODE, path, "Excelファイル", "workbook", exc) from None
    finally:
        temp.unlink(missing_ok=True)
    return True


def _new_book() -> Workbook:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    book.properties.creator = WRITER_MARK
    book.properties.lastModifiedBy = WRITER_MARK
    return book


def _department_name(catalog: Catalog, code: str) -> str:
    for department in catalog.departments:
        if department.code == code:
            return department.name
    return ""


def _department_title(catalog: Catalog, code: str) -> str:
    """The department as a document names it: 市民協働担当課 (the code only when it has no name)."""
    return _department_name(catalog, code) or code


def _code_note(ws: Worksheet, row: int, column: int, code: str) -> None:
    """The department code in small print at the right end of the title row, for the machine."""
    cell = _text(ws, row, column, f"課コード: {code}")
    cell.font = _KEY_FONT
    cell.alignment = _CORNER


def _local(moment: datetime) -> str:
    """An instant in the PC's local time, as a clerk reads it (the city hall is in Japan)."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _earlier_years(catalog: Catalog, fiscal_year: int) -> list[int]:
    return [year for year in catalog.plan.settings.years if year < fiscal_year]


def _show_actual(
    ws: Worksheet, row: int, column: int, indicator: Indicator, actual: ActualView | None
) -> None:
    """A stored value as a number in the unit's format, or the reason it is missing."""
    if actual is None:
        return
    if actual.value is not None:
        _number(
            ws, row, column, actual.value, _unit_format(indicator, format_decimals(actual.value))
        )
    elif actual.missing_reason is not None:
        _text(ws, row, column, actual.missing_reason.label_ja).alignment = Alignment(
            horizontal="right"
        )


def _label_pairs(ws: Worksheet, row: int, *pairs: tuple[str, str]) -> None:
    """Label / value pairs side by side in one row: 担当課 | 市民協働担当課 | 年度 | 令和7年度 …"""
    for n, (label, value) in enumerate(pairs):
        _text(ws, row, 2 * n + 1, label).font = _BOLD
        _text(ws, row, 2 * n + 2, value)


def _unit_text(indicator: Indicator) -> str:
    if indicator.unit:
        return indicator.unit
    return "—" if indicator.effective_value_kind is ValueKind.MILESTONE else "未設定"


def _text_width(text: str) -> float:
    """Roughly how many column-width units `text` needs; a full-width character takes two.

    On the generous side (2.2 and 1.1 rather than 2 and 1): a row a little too tall prints
    fine, a row too short cuts the last line off.
    """
    return sum(2.2 if unicodedata.east_asian_width(char) in "WFA" else 1.1 for char in text)


def _line_count(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` units wide."""
    usable = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(_text_width(line) / usable)) for line in text.split("\n"))


@dataclass(frozen=True)
class _Column:
    label: str
    width: float

    @property
    def fitted(self) -> float:
        """The width, widened so that no header line breaks except where the label breaks it."""
        widest = max(_text_width(line) for line in self.label.split("\n"))
        return max(self.width, round(widest + 0.5, 1))


def _header_row(ws: Worksheet, row: int, columns: Sequence[_Column]) -> None:
    lines = 1
    for n, column in enumerate(columns, start=1):
        cell = _text(ws, row, n, column.label)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _GRID
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(n)].width = column.fitted
        lines = max(lines, _line_count(column.label, column.fitted))
    ws.row_dimensions[row].height = max(lines, 2) * _LINE_HEIGHT + _ROW_PADDING


def _table_row(ws: Worksheet, row: int, columns: Sequence[_Column], least_lines: int = 1) -> None:
    """Borders on every cell of a table row, text at the top, and room for every wrapped line."""
    lines = least_lines
    for n, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=n)
        cell.border = _GRID
        if cell.alignment.vertical is None:
            # Keep the horizontal alignment (a missing reason sits right, as numbers do).
            cell.alignment = Alignment(
                horizontal=cell.alignment.horizontal,
                vertical="top",
                wrap_text=cell.alignment.wrap_text,
            )
        if cell.alignment.wrap_text and isinstance(cell.value, str):
            lines = max(lines, _line_count(cell.value, column.fitted))
    if lines > 1:
        ws.row_dimensions[row].height = min(lines * _LINE_HEIGHT + _ROW_PADDING, _MAX_ROW_HEIGHT)


# -- the submission --------------------------------------------------------------------------


@false_when_cancelled
def write_submission(
    path: str | os.PathLike[str],
    header: SubmissionHeader,
    catalog: Catalog,
    rows: list[IndicatorOverview],
    values: list[ValueRow],
    *,
    evaluations: Sequence[EvaluationRow] = (),
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> bool:
    """Write a department's submission workbook; False (and no file) if cancelled.

    `rows` are shown on the printable sheet as given (the caller picks the department's
    indicators); `values` go to the machine sheet. The header's row count and payload checksum
    must describe `values` (ValueError otherwise: a file that would read back as edited is a bug
    of the caller, not something to write).
    """
    target = Path(path)
    if header.format != SUBMISSION_FORMAT:
        raise ValueError(f"not a submission header: {header.format!r}")
    if header.row_count != len(values):
        raise ValueError(f"row_count {header.row_count} but {len(values)} value rows")
    if header.generation is None:
        raise ValueError("a submission names its plan generation")
    if header.payload_sha256 != payload_sha256(values, header.generation):
        raise ValueError("payload_sha256 does not match the value rows")
    steps = Steps(len(rows) + len(values), progress, cancelled)
    book = _new_book()
    book.properties.title = "総合計画 指標実績 提出書"
    book.properties.keywords = header.format
    _write_report(book, header, catalog, rows, steps)
    _write_data(book, header, values, steps)
    if evaluations:
        _write_evaluations(book, header, catalog, evaluations)
    _write_submission_meta(book, header, catalog)
    return _save(book, target, steps)


def _write_evaluations(
    book: Workbook, header: SubmissionHeader, catalog: Catalog, rows: Sequence[EvaluationRow]
) -> None:
    """施策評価: a printable sheet, and the hidden machine sheet the merge reads."""
    if evaluations_sha256(row.texts() for row in rows) != header.evaluation_sha256:
        raise ValueError("evaluation_sha256 does not match the evaluation rows")
    names = {m.code: m.name for g in catalog.goals for p in g.policies for m in p.measures}
    ws = book.create_sheet(SHEET_EVALUATION_PRINT)
    labels = ("施策", "施策名", "年度", "自己評価", "成果と課題", "今後の方向性", "方向性の説明")
    for column, (label, width) in enumerate(
        zip(labels, (9, 22, 12, 8, 50, 10, 40), strict=True), 1
    ):
        _text(ws, 1, column, label).font = _BOLD
        ws.column_dimensions[get_column_letter(column)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=2):
        where = f"{SHEET_EVALUATION_PRINT} {row.measure} {row.fiscal_year}"
        step = "" if row.next_step is None else NextStep(row.next_step).label_ja
        texts = (
            row.measure,
            _clip(names.get(row.measure, ""), 200),
            format_fiscal_year(row.fiscal_year),
            row.grade or "",
            row.results,
            step,
            row.next_text,
        )
        for column, text in enumerate(texts, start=1):
            if text:
                _text(ws, r, column, text, where).alignment = wrap
    ws.freeze_panes = "A2"
    _print_setup(ws, "1:1", f"{SHEET_EVALUATION_PRINT}　{header.department}", header.draft)
    data = book.create_sheet(SHEET_EVALUATION)
    data.sheet_state = "hidden"
    for column, key in enumerate(EVALUATION_KEYS, start=1):
        _text(data, 1, column, key).font = _BOLD
        data.column_dimensions[get_column_letter(column)].number_format = "@"
    for r, row in enumerate(rows, start=2):
        for column, text in enumerate(row.texts(), start=1):
            if text:
                _text(
                    data, r, column, text, f"{SHEET_EVALUATION} {row.measure}"
                ).number_format = "@"


def _label_column(header: str, labels: Sequence[str], least: float) -> _Column:
    """A column of short labels (評価, 進捗状況) wide enough that none of them overflows."""
    widest = max((_text_width(label) for label in labels), default=0.0)
    return _Column(header, max(least, round(widest + 1.5, 1)))


def _text_column(header: str, texts: Sequence[str], least: float, most: float) -> _Column:
    """A wrapping column as wide as its longest text needs, between `least` and `most`."""
    widest = max((_text_width(text) for text in texts), default=0.0)
    return _Column(header, min(max(least, round(widest + 1.0, 1)), most))


def _report_columns(
    catalog: Catalog, fiscal_year: int, rows: Sequence[IndicatorOverview]
) -> list[_Column]:
    grade_labels = catalog.plan.settings.grade_labels
    columns = [
        _Column("指標コード", 10),
        _text_column("指標名", [row.indicator.display_name for row in rows], 16, 30),
        _text_column("政策", [row.policy.name for row in rows], 10, 20),
        _text_column("施策", [row.measure.name for row in rows], 10, 20),
        _Column("単位", 7),
        _Column("基準値", 11),
    ]
    columns += [
        _Column(_year_label(year, "実績"), 11) for year in _earlier_years(catalog, fiscal_year)
    ]
    columns += [
        _Column(report_value_label(fiscal_year), 12),
        _Column("目標値", 13),
        _Column("達成率", 8.5),
        _label_column("評価", [grade.label(grade_labels) for grade in Grade], 7),
        _label_column("進捗状況", [status.label() for status in TrackStatus], 9),
        _Column(REPORT_COMMENT_LABEL, 28),
    ]
    return columns


def _write_report(
    book: Workbook,
    header: SubmissionHeader,
    catalog: Catalog,
    rows: Sequence[IndicatorOverview],
    steps: Steps,
) -> None:
    ws = book.create_sheet(SHEET_REPORT)
    year_text = format_fiscal_year(header.fiscal_year)
    department = _department_title(catalog, header.department)
    columns = _report_columns(catalog, header.fiscal_year, rows)
    _text(ws, 1, 1, f"総合計画 指標実績 提出書（{year_text}）").font = _TITLE_FONT
    _code_note(ws, 1, len(columns), header.department)
    assert header.generation is not None  # write_submission checked it
    _label_pairs(
        ws,
        2,
        ("担当課", department),
        ("年度", year_text),
        ("出力日", _local(header.exported_at)),
        ("計画期", generation_title(catalog.plan, header.generation)),
    )
    if header.draft:
        banner = _text(ws, 3, 1, f"{DRAFT_MARK}　この提出書は確定していません / {DRAFT_MARK_EN}")
        banner.font = _DRAFT_FONT
        for column in range(1, 9):
            ws.cell(row=3, column=column).fill = _DRAFT_FILL
    else:
        assert header.finalised_at is not None
        who = f"（{header.finalised_by}）" if header.finalised_by else ""
        _text(ws, 3, 1, f"確定: {_local(header.finalised_at)}{who}").font = _BOLD
    # In a year before the target year the grade measures the way to the final target, so an
    # indicator on schedule still grades C or D; 進捗状況 is the mid-plan reading.
    _text(
        ws,
        4,
        1,
        "※ 達成率・評価は目標値（目標年度の値）に対する達成度です。計画期間の途中の年度は、"
        "基準値から目標値まで毎年同じだけ進んだ場合の今年度の見込みと比べた「進捗状況」も"
        "ご覧ください。",
    ).font = _NOTE_FONT
    _header_row(ws, REPORT_HEADER_ROW, columns)
    earlier = _earlier_years(catalog, header.fiscal_year)
    labels = catalog.plan.settings.grade_labels
    r = REPORT_HEADER_ROW
    for item in rows:
        r += 1
        indicator = item.indicator
        where = f"{SHEET_REPORT} {indicator.code}"
        _text(ws, r, 1, indicator.code, where)
        _text(ws, r, 2, indicator.display_name, where).alignment = _WRAP
        _text(ws, r, 3, item.policy.name, where).alignment = _WRAP
        _text(ws, r, 4, item.measure.name, where).alignment = _WRAP
        _text(ws, r, 5, _unit_text(indicator), where).alignment = _WRAP
        if indicator.baseline is not None:
            fmt = _unit_format(indicator, format_decimals(indicator.baseline))
            _number(ws, r, 6, indicator.baseline, fmt)
        c = 7
        for year in earlier:
            _show_actual(ws, r, c, indicator, item.values.get(year))
            c += 1
        _show_actual(ws, r, c, indicator, item.values.get(header.fiscal_year))
        ws.cell(row=r, column=c).font = _BOLD
        if indicator.target is not None:
            suffix = "" if indicator.comparator is None else indicator.comparator.label_ja
            fmt = _unit_format(indicator, format_decimals(indicator.target), suffix)
            _number(ws, r, c + 1, indicator.target, fmt)
        achievement = item.achievement(catalog, header.fiscal_year)
        _text(ws, r, c + 2, format_rate(achievement.rate), where).alignment = _RIGHT
        _text(ws, r, c + 3, achievement.grade.label(labels), where).alignment = _CENTER_WRAP
        track = item.track(catalog, header.fiscal_year)
        _text(ws, r, c + 4, track.status.label(), where).alignment = _CENTER_WRAP
        actual = item.values.get(header.fiscal_year)
        if actual is not None and actual.comment:
            _text(ws, r, c + 5, actual.comment, where).alignment = _WRAP
        _table_row(ws, r, columns)
        steps.step()
    ws.freeze_panes = ws.cell(row=REPORT_HEADER_ROW + 1, column=3).coordinate
    _print_setup(
        ws,
        f"{REPORT_HEADER_ROW}:{REPORT_HEADER_ROW}",
        f"総合計画 指標実績 提出書　{department}　{year_text}",
        header.draft,
    )


def _cell_texts(row: ValueRow) -> list[str]:
    """The row's fields exactly as canonical_payload serialises them (before escaping)."""
    texts: list[str] = []
    for key in DATA_KEYS:
        item = getattr(row, key)
        if item is None:
            texts.append("")
        elif isinstance(item, datetime):
            texts.append(utc_text(item))
        else:
            texts.append(str(item))
    return texts


def _write_data(
    book: Workbook, header: SubmissionHeader, values: Sequence[ValueRow], steps: Steps
) -> None:
    ws = book.create_sheet(SHEET_DATA)
    ws.sheet_state = "hidden"
    for column, key in enumerate(DATA_KEYS, start=1):
        _text(ws, 1, column, key).font = _BOLD
        ws.column_dimensions[get_column_letter(column)].width = 14
        # Text format for anything typed later, so 2025 or 98.7 stay the text the hash covers.
        ws.column_dimensions[get_column_letter(column)].number_format = "@"
    if header.draft:
        note = _text(ws, 1, len(DATA_KEYS) + 1, f"{DRAFT_MARK} / {DRAFT_MARK_EN}")
        note.font = Font(bold=True, color="C00000")
        ws.column_dimensions[get_column_letter(len(DATA_KEYS) + 1)].width = 30
    ws.column_dimensions["E"].width = 40
    ws.column_dimensions["G"].width = 22
    for r, row in enumerate(values, start=2):
        where = f"{SHEET_DATA} {row.indicator} {row.fiscal_year}"
        if len(row.comment) > MAX_COMMENT_LENGTH:
            raise _unwritable(
                where,
                f"コメントは{MAX_COMMENT_LENGTH}文字までです",
                f"a comment has at most {MAX_COMMENT_LENGTH} characters",
            )
        for column, text in enumerate(_cell_texts(row), start=1):
            if text:
                cell = _text(ws, r, column, text, where)
                cell.number_format = "@"
        steps.step()
    ws.freeze_panes = "A2"
    _print_setup(ws, "1:1", f"{SHEET_DATA}　{header.department}", header.draft)


def _meta_sheet(book: Workbook, items: Sequence[tuple[str, str, str]], hidden: bool) -> Worksheet:
    ws: Worksheet = book.create_sheet(SHEET_META)
    for column, (label, width) in enumerate((("key", 18), ("value", 70), ("項目", 36)), start=1):
        _text(ws, 1, column, label).font = _BOLD
        ws.column_dimensions[get_column_letter(column)].width = width
    for r, (key, value, label) in enumerate(items, start=2):
        _text(ws, r, 1, key).font = _KEY_FONT
        if value:
            _text(ws, r, 2, value).number_format = "@"
        _text(ws, r, 3, label)
    if hidden:
        ws.sheet_state = "hidden"
    return ws


def _write_submission_meta(book: Workbook, header: SubmissionHeader, catalog: Catalog) -> None:
    name = _department_name(catalog, header.department)
    draft_label = (
        f"{DRAFT_MARK} / {DRAFT_MARK_EN}" if header.draft else "確定済み（下書きではない）"
    )
    items = [
        ("format", header.format, "形式（変更しないでください）"),
        ("department", header.department, f"課コード（{name}）" if name else "課コード"),
        (
            "fiscal_year",
            str(header.fiscal_year),
            f"年度（{format_fiscal_year(header.fiscal_year)}）",
        ),
        ("catalog_hash", header.catalog_hash, "カタログの版（ハッシュ）"),
        ("program_version", header.program_version, "プログラムの版"),
        ("exported_at", utc_text(header.exported_at), "出力日時（UTC）"),
        ("database", header.database, "出力したデータベースのID"),
        ("finalised_by", header.finalised_by or "", "確定した人"),
        (
            "finalised_at",
            "" if header.finalised_at is None else utc_text(header.finalised_at),
            "確定日時（UTC）",
        ),
        ("draft", header.draft_flag or ("yes" if header.draft else "no"), draft_label),
        ("row_count", str(header.row_count), "データの行数"),
        ("payload_sha256", header.payload_sha256, "データのチェックサム（SHA-256）"),
        ("signature", header.signature or "", "出力した端末の署名（Ed25519）"),
        ("evaluation_sha256", header.evaluation_sha256, "施策評価のチェックサム（SHA-256）"),
        (
            GENERATION_KEY,
            str(header.generation),
            f"計画期（{generation_title(catalog.plan, header.generation or 0)}。"
            "変更しないでください）",
        ),
    ]
    assert tuple(key for key, _, _ in items) == META_KEYS
    # Hidden so that it does not print as a page of checksums; not veryHidden, and the
    # structure stays unlocked, so anyone can unhide it to see whose file this is.
    ws = _meta_sheet(book, items, hidden=True)
    if header.draft:
        row = 2 + META_KEYS.index("draft")
        for column in (2, 3):
            cell = ws.cell(row=row, column=column)
            cell.font = Font(bold=True, color="C00000")
            cell.fill = _DRAFT_FILL
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    _print_setup(ws, "1:1", f"{SHEET_META}　{header.department}", header.draft)
