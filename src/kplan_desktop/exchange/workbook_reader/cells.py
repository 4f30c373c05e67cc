"""The reader's small parts: its results, cell problems, refusals, cell text and a row's cells."""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Literal, TypeAlias

from kplan_desktop.domain.fiscal_year import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.domain.text import visible
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.evaluation_exchange import (
    IncomingEvaluation,
)
from kplan_desktop.exchange.gate import (
    WORKBOOK_LIMITS,
    FileRejected,
    rejection,
)
from kplan_desktop.exchange.payload import (
    Revision,
    SubmissionHeader,
)
from kplan_desktop.exchange.submission_layout import (
    SHEET_META,
    TEMPLATE_CODE_LABEL,
    TEMPLATE_COMMENT_LABEL,
    TEMPLATE_REASON_LABEL,
)

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.cell.read_only import EmptyCell, ReadOnlyCell

Kind = Literal["submission", "template"]
Integrity = Literal["verified", "edited", "resaved", "template"]

# The gate's limits (exchange/gate.py) are the reader's: one definition.
DEFAULT_LIMITS = WORKBOOK_LIMITS
WorkbookRejected = FileRejected


# slots: a merge holds one per row of every file, and the collector scans them twice as fast.
@dataclass(frozen=True, slots=True)
class IncomingRow:
    """One row of a file as read, before the merge validates it; problem_* when not trusted."""

    sheet_row: int
    indicator: str
    fiscal_year: int | None
    value_text: str | None
    missing_reason: str | None  # a MissingReason code
    comment: str
    entered_by: str | None
    entered_at: datetime | None
    revision: Revision | None
    replaces: Revision | None
    problem_ja: str | None = None
    problem_en: str | None = None
    unit: str | None = None  # the unit the value was entered in (submissions only)
    value_cell: str | None = None  # the value's cell in the file (F6), to name it in messages
    value_sheet: str | None = None  # the sheet that cell is on, by its visible name
    notes_ja: tuple[str, ...] = ()  # what the reader saw beside the row (a stray value)
    notes_en: tuple[str, ...] = ()
    # In a file whose data sheet was edited: whether this row differs from the 提出 sheet
    # (None when that cannot be known: then every row counts as edited).
    edited_outside: bool | None = None
    # The value cell held a number shown without a percent format (pasted as a value, or set by
    # a macro, into the template's text cell): 0.9 there may be 0.9% or a pasted 90%.
    bare_number: bool = False

    @property
    def value_place_ja(self) -> str:
        """The value's cell as a person finds it: 記入 シート F6 (セル F6 without its sheet)."""
        if self.value_sheet:
            return f"{self.value_sheet} シート {self.value_cell or ''}".rstrip()
        return f"セル {self.value_cell or ''}".rstrip()

    @property
    def value_place_en(self) -> str:
        if self.value_sheet:
            return f"sheet {self.value_sheet}, cell {self.value_cell or ''}".rstrip()
        return f"cell {self.value_cell or ''}".rstrip()


@dataclass(frozen=True)
class VisibleDifference:
    """A cell of the printable 提出 sheet that does not show what the data sheet holds.

    `what`: "value" (a year's 実績 cell), "comment", "row" (the indicator's row was deleted
    from the sheet: `cell` is ''), "layout" (the sheet's header cannot be found). `shown` is
    what the cell shows now, `data` what the data sheet holds: what the program wrote there.
    """

    sheet: str
    cell: str
    indicator: str
    fiscal_year: int | None
    what: Literal["value", "comment", "row", "layout"]
    shown: str
    data: str

    @property
    def place_ja(self) -> str:
        return f"{self.sheet} シート {self.cell}".rstrip()

    @property
    def place_en(self) -> str:
        return f"sheet {self.sheet}, cell {self.cell}" if self.cell else f"sheet {self.sheet}"

    @property
    def text_ja(self) -> str:
        """提出 シート D12: 97.5（データ 98.7）; a deleted row by its indicator."""
        if self.what == "row":
            return (
                f"{self.place_ja}: 指標 {self.indicator} の行が削除されています"
                f"（データ {self.data or '空'}）"
            )
        if self.what == "layout":
            return f"{self.place_ja}: 見出しの行が出力時と違います"
        return f"{self.place_ja}: {self.shown or '空'}（データ {self.data or '空'}）"

    @property
    def text_en(self) -> str:
        if self.what == "row":
            return (
                f"{self.place_en}: the row of indicator {self.indicator} was deleted "
                f"(data {self.data or 'empty'})"
            )
        if self.what == "layout":
            return f"{self.place_en}: the header row is not as exported"
        return f"{self.place_en}: {self.shown or 'empty'} (data {self.data or 'empty'})"


@dataclass(frozen=True)
class IncomingWorkbook:
    """What a submission or template holds, and how far it can be trusted."""

    kind: Kind
    integrity: Integrity
    department: str
    fiscal_year: int
    catalog_hash: str | None
    header: SubmissionHeader | None  # None for a template
    rows: list[IncomingRow]
    sha256: str  # of the whole file
    notes_ja: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)
    # 施策評価 rows (submissions only); verified: their checksum matches the meta sheet's.
    evaluations: list[IncomingEvaluation] = field(default_factory=list)
    evaluations_verified: bool = False
    # Cells of the visible 提出 sheet that do not show what the data row holds. Nothing signs
    # what people read, so the merge refuses a file as exported where they differ.
    visible_differences: list[VisibleDifference] = field(default_factory=list)
    # An edited data sheet: each data cell that differs from the 提出 sheet, (ja, en), to name
    # them where the file is refused for it.
    edited_places: list[tuple[str, str]] = field(default_factory=list)
    # The plan generation the file names (1 for a file of the release before generations) and
    # its cell on the meta sheet (B16; '' when the file names none).
    generation: int = 1
    generation_cell: str = ""

    @property
    def generation_place_ja(self) -> str:
        return f"{SHEET_META} シート {self.generation_cell}" if self.generation_cell else ""

    @property
    def generation_place_en(self) -> str:
        return f"sheet {SHEET_META}, cell {self.generation_cell}" if self.generation_cell else ""


_META_ROWS = 200
_HEADER_COLUMNS = 64
_MAX_META_TEXT = 500

_Problem = tuple[str, str]
_FORMULA: _Problem = ("数式は受け付けません", "formulas are not accepted")
_ERROR_VALUE: _Problem = ("エラー値（#N/A など）が入っています", "the cell holds an error value")
_BOOLEAN: _Problem = ("TRUE/FALSE が入っています", "the cell holds TRUE/FALSE")
_DATE: _Problem = (
    "日付・時刻が入っています（セルの表示形式を確認してください）",
    "the cell holds a date or time",
)
_NOT_FINITE: _Problem = ("数値ではありません", "not a finite number")
_UNREADABLE: _Problem = ("読めない値です", "unreadable value")


# -- rejections ------------------------------------------------------------------------------

_reject = rejection
# Control characters (a newline in a sheet name or cell) made visible, not obeyed.
one_line = visible


def _not_kplan(file: str, why_ja: str, why_en: str) -> WorkbookRejected:
    return _reject(
        "E_WB_NOT_KPLAN",
        file,
        f"総合計画の提出書・記入票ではありません（{why_ja}）",
        f"not a kplan submission or template ({why_en})",
    )


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _cell_text(
    cell: ReadCell, limit: int, *, value_cell: bool = False
) -> tuple[str | None, _Problem | None]:
    """A cell as text: numbers exactly (98.7 → '98.7'), never a formula, date or boolean."""
    value = cell.value
    if value is None:
        return None, None
    if getattr(cell, "data_type", None) == "f" or (
        value_cell and isinstance(value, str) and value.lstrip().startswith("=")
    ):
        return None, _FORMULA
    if getattr(cell, "data_type", None) == "e":
        return None, _ERROR_VALUE
    if isinstance(value, bool):
        return None, _BOOLEAN
    if isinstance(value, datetime | date | time | timedelta):
        return None, _DATE
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None, _NOT_FINITE
        # repr is the shortest text that reads back as the same float: 98.7, not 98.70000000001
        number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
        if value_cell:
            # What the clerk sees: 0.9 under a percent format is 90% (Excel and Calc both store
            # a typed "90%" so), and the domain parses "90%" for the indicator's unit.
            scale = percent_scale(str(getattr(cell, "number_format", "") or ""), number)
            if scale:
                return canonical(number * Decimal(100) ** scale) + "%" * scale, None
        return canonical(number), None
    if isinstance(value, str):
        if len(value) > limit:
            return None, (
                f"文字数が多すぎます（{len(value):,}文字。{limit:,}文字まで）",
                f"too long ({len(value):,} characters; at most {limit:,})",
            )
        return value, None
    return None, _UNREADABLE


_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def bare_number(cell: ReadCell) -> bool:
    """Whether a cell holds a number that no percent format scales: what the clerk saw may have
    been 90% in the cell it was copied from while the number is 0.9 (Paste Special > values
    keeps the number and takes the template's text format)."""
    value = getattr(cell, "value", None)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    return percent_scale(str(getattr(cell, "number_format", "") or ""), number) == 0


def percent_scale(number_format: str, value: Decimal) -> int:
    """How many times a number format multiplies `value` by 100 when it shows it: the number of
    real % signs in the section that applies. A quoted "%", an escaped \\%, [colour] or [$-411]
    blocks, _x spacing and *x fill are literal text and never scale (General"%" shows 0.9 as
    0.9%); the sections are positive;negative;zero, as in Excel and Calc.
    """
    if "%" not in number_format:
        return 0
    sections: list[str] = []
    current: list[str] = []
    for piece in re.split(r'("[^"]*"|\\.)', number_format):
        if piece.startswith(('"', "\\")):
            current.append(piece)
            continue
        parts = piece.split(";")
        current.append(parts[0])
        for part in parts[1:]:
            sections.append("".join(current))
            current = [part]
    sections.append("".join(current))
    if value < 0 and len(sections) > 1:
        section = sections[1]
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    else:
        section = sections[0]
    return _FORMAT_LITERAL.sub("", section).count("%")


def _same_as_data(text: str | None, data: IncomingRow | None) -> bool:
    """Whether the 提出 sheet's text of this year's value shows what the data row holds."""
    if data is None:
        return text is None or not text.strip()
    if data.value_text is not None:
        if text is None:
            return False
        try:
            return Decimal(text.strip()) == Decimal(data.value_text)
        except ArithmeticError:
            return text.strip() == data.value_text
    if data.missing_reason is not None:
        try:
            label = MissingReason(data.missing_reason).label_ja
        except ValueError:
            return True
        return text is not None and text.strip() == label
    return text is None or not text.strip()


def _lines(text: str | None) -> str:
    """A comment as text, whatever line ends and surrounding space a re-save gave it."""
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())


def _shown(cell: ReadCell) -> str:
    if getattr(cell, "data_type", None) == "f":
        return str(cell.value)[:40]
    return "" if cell.value is None else str(cell.value)[:40]


def _data_value(row: IncomingRow | None) -> str:
    if row is None:
        return ""
    if row.missing_reason is not None:
        return MissingReason(row.missing_reason).label_ja
    return row.value_text or ""


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(_norm(text).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _shows_value(cell: ReadCell, row: IncomingRow | None) -> bool:
    """Whether a 提出 sheet value cell shows the data row's value (or reason, or nothing)."""
    text, problem = _cell_text(cell, 200, value_cell=True)
    if problem is not None:
        return False
    if _blank(text):
        return row is None or (_blank(row.value_text) and row.missing_reason is None)
    assert text is not None
    if row is None:
        return False
    if row.missing_reason is not None:
        return _blank(row.value_text) and _reason_code(text) == row.missing_reason
    shown, stored = _decimal(text), _decimal(row.value_text or "")
    return shown is not None and stored is not None and shown == stored


def _reason_label(code: str | None) -> str | None:
    """A stored missing reason as the clerk knows it (未集計), never its code."""
    if code is None:
        return None
    try:
        return MissingReason(code).label_ja
    except ValueError:
        return code


def _blank_cell(cell: ReadCell) -> bool:
    """Nothing in the cell: no value, or only spaces (LibreOffice may keep empty strings)."""
    if getattr(cell, "data_type", None) == "f":
        return False
    value = getattr(cell, "value", None)
    return value is None or (isinstance(value, str) and not value.strip())


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _reason_code(text: str) -> str | None:
    """A MissingReason from its code, Japanese label or English label."""
    norm = _norm(text)
    for reason in MissingReason:
        if norm in (reason.value, reason.label_ja) or norm.lower() == reason.label_en:
            return reason.value
    return None


# Every fiscal year a cell may name, by its four digits: one int object per year, shared by
# every row of every file (a merge's reports keep a year per row; issue 20's memory).
_FISCAL_YEARS = {f"{year:04}": year for year in range(MIN_FISCAL_YEAR, MAX_FISCAL_YEAR + 1)}


def _fiscal_year(text: str) -> int | None:
    return _FISCAL_YEARS.get(text.strip())


# The data sheet's column keys as a Japanese message names them (never the internal word).
_DATA_LABELS_JA = {
    "indicator": "指標コード",
    "fiscal_year": "年度",
    "value": "値",
    "missing_reason": "未記入の理由",
    "comment": "コメント",
    "entered_by": "入力者",
    "entered_at": "入力日時",
    "revision": "版",
    "replaces": "前の版",
    "unit": "単位",
}


class _RowProblems:
    """The problems found in one row, in both languages, each named by its cell as the
    spreadsheet shows it: （記入 シート F6） / (sheet 記入, cell F6)."""

    def __init__(self, sheet: str = "") -> None:
        self.sheet = sheet
        self.ja: list[str] = []
        self.en: list[str] = []

    def add(self, column: str, problem: _Problem, column_en: str | None = None) -> None:
        """A problem named by its column, for a cell whose address is not known."""
        key, _, rest = column.partition(" ")
        shown = _DATA_LABELS_JA.get(key)
        ja = f"{problem[0]}（{column if shown is None else f'{shown} {rest}'.strip()}）"
        if ja not in self.ja:
            self.ja.append(ja)
            self.en.append(f"{problem[1]} ({column if column_en is None else column_en})")

    def add_cell(self, address: str, problem: _Problem, column: str = "") -> None:
        """A problem named by its cell and column: （data シート E3、コメント） / (sheet data,
        cell E3, comment); by its column alone when the address is not known."""
        if not address:
            self.add(column or "?", problem)
            return
        label = _DATA_LABELS_JA.get(column, column)
        if self.sheet:
            place_ja = f"{self.sheet} シート {address}"
            place_en = f"sheet {self.sheet}, cell {address}"
        else:
            place_ja, place_en = f"セル {address}", f"cell {address}"
        ja = f"{problem[0]}（{place_ja}{f'、{label}' if label else ''}）"
        if ja not in self.ja:
            self.ja.append(ja)
            self.en.append(f"{problem[1]} ({place_en}{f', {column}' if column else ''})")

    def __bool__(self) -> bool:
        return bool(self.ja)

    def texts(self) -> tuple[str | None, str | None]:
        if not self.ja:
            return None, None
        return "; ".join(self.ja), "; ".join(self.en)


@dataclass(frozen=True)
class _TemplateColumns:
    """Where a template's columns are (1-based), and which columns the template wrote."""

    code: int
    value: int
    reason: int
    comment: int
    known: frozenset[int]

    def inputs(self) -> frozenset[int]:
        return frozenset((self.value, self.reason, self.comment))

    def stray(self, cells: tuple[ReadCell, ...]) -> list[tuple[str, str]]:
        """Non-empty cells of a row in columns the template did not write: (address, text)."""
        found: list[tuple[str, str]] = []
        for index, cell in enumerate(cells):
            if index + 1 in self.known or _blank_cell(cell):
                continue
            text, _ = _cell_text(cell, 40)
            where = getattr(cell, "coordinate", None) or _column_letter(index + 1)
            found.append((str(where), one_line((text or "?")[:40])))
        return found


# The template's headings besides the value's, and the earlier years' "（参考）" columns.
_TEMPLATE_LABELS = (
    TEMPLATE_CODE_LABEL,
    TEMPLATE_REASON_LABEL,
    TEMPLATE_COMMENT_LABEL,
    "指標名",
    "単位",
)
_TEMPLATE_REFERENCE_MARK = "(参考)"


class _Empty:
    value = None
    data_type = "n"


# A cell as the readers get it: a ReadOnlyCell or EmptyCell of a read-only sheet (what openpyxl
# gives), a Cell or MergedCell (what the stubs say a sheet's iter_rows yields), or _Empty (a row's
# missing cells).
ReadCell: TypeAlias = "Cell | MergedCell | ReadOnlyCell | EmptyCell | _Empty"


_EMPTY = _Empty()


def _column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _RowCells:
    """The cells of one row, read as text; what cannot be read becomes a problem of the row."""

    def __init__(self, cells: tuple[ReadCell, ...], limit: int, sheet: str = "") -> None:
        self.cells = cells
        self.limit = limit
        self.problems = _RowProblems(sheet)

    def text(self, column: int, label: str, *, value_cell: bool = False) -> str | None:
        cell = self.cells[column - 1]
        value = cell.value
        if value is None:
            return None
        # The short way for what the program writes (every cell is read, a workbook has
        # thousands): text in a text cell, not too long, and not formula-like in a value cell.
        if (
            type(value) is str
            and getattr(cell, "data_type", None) == "s"
            and len(value) <= self.limit
            and not (value_cell and value.lstrip().startswith("="))
        ):
            return value
        text, problem = _cell_text(cell, self.limit, value_cell=value_cell)
        if problem is not None:
            self.problems.add_cell(self.where(column), problem, label)
        return text

    def where(self, column: int) -> str:
        """The cell's address as the spreadsheet shows it (F6), or '' when unknown; interned,
        so that the rows of many files kept in their reports share one string per cell."""
        coordinate = getattr(self.cells[column - 1], "coordinate", None)
        return sys.intern(coordinate) if isinstance(coordinate, str) else ""

    def blank(self, column: int) -> bool:
        return _blank_cell(self.cells[column - 1])
