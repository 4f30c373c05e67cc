"""Reading a submission workbook or a fill-in template that came from outside, safely.

A file first passes the gate (exchange/gate.py), which every file the program reads passes:
size, zip, members, ratio, bytes actually inflated, DTDs, rows with content, cells per row and
in the book, shared strings. It refuses the file as a whole with one WorkbookRejected (the
gate's FileRejected: Japanese and English on one line) at the first limit.

Then openpyxl opens the file read-only and without evaluating anything (data_only=False). The
meta sheet's `format` says whether it is a submission or a template; rows are counted again
while reading, so no row past Limits.max_rows is ever taken. Cell-level trouble is a problem of
that row, not a rejection: a formula (never evaluated), an error value, a date, time or
TRUE/FALSE where a number or text belongs, a string longer than Limits.max_cell_chars, a field
that does not parse.
A formula is a cell of type "f"; in a value or missing-reason cell, text starting with "=" is
treated as one too (no value starts so), while a comment may well start with "=" and stays text.

A submission's rows come from its data sheet; the payload checksum is recomputed from them.
Equal to the meta sheet's payload_sha256: "verified", or "resaved" when another application
saved the file after the program. Different (or a row that cannot be rebuilt): "edited", and the
merge checks every cell. How a re-save is seen: the writer puts WRITER_MARK in the core
properties' creator and lastModifiedBy, and openpyxl names itself in docProps/app.xml
("Microsoft Excel Compatible / Openpyxl 3.1.5"). LibreOffice 7.4 re-saving the file rewrites
app.xml's <Application> to "LibreOffice/7.4.7.2$Linux_X86_64 …" and adds cp:revision and
dc:language to core.xml, but keeps creator, lastModifiedBy (unless a user name is set in its
options), dcterms:modified and the custom properties. Excel rewrites <Application> to
"Microsoft Excel" and lastModifiedBy to the Windows user. So a file counts as the program's
own only while app.xml names openpyxl and lastModifiedBy is WRITER_MARK (a script that edits the
file with openpyxl keeps both, but then the checksum catches what it changed).

A template's rows come from its 記入 sheet: columns found by their header text in row
TEMPLATE_HEADER_ROW, rows by the code column; rows whose value, reason and comment are all
empty are skipped.

progress(done, total) is called every PROGRESS_EVERY rows; when cancelled() returns True the
reader raises Cancelled (it never returns a partial result).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.utils import get_column_letter

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, format_fiscal_year
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.domain.text import visible
from kplan_desktop.domain.values import DASH_PROBLEM, canonical, is_dash
from kplan_desktop.exchange.evaluation_exchange import (
    SHEET_EVALUATION,
    IncomingEvaluation,
    evaluations_sha256,
    read_evaluation_rows,
    sheet_texts,
)
from kplan_desktop.exchange.gate import (
    WORKBOOK_LIMITS,
    FileRejected,
    Limits,
    open_workbook,
    rejection,
    too_many_rows,
    xml_entity_rejection,
)
from kplan_desktop.exchange.payload import (
    SUBMISSION_FORMAT,
    TEMPLATE_FORMAT,
    Revision,
    SubmissionHeader,
    lines_sha256,
    parse_utc,
    payload_line,
    utc_text,
)
from kplan_desktop.exchange.submission_xlsx import (
    DATA_KEYS,
    REPORT_COMMENT_LABEL,
    REPORT_HEADER_ROW,
    SHEET_DATA,
    SHEET_META,
    SHEET_REPORT,
    SHEET_TEMPLATE,
    TEMPLATE_CODE_LABEL,
    TEMPLATE_COMMENT_LABEL,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_REASON_LABEL,
    TEMPLATE_VALUE_LABEL,
    TEMPLATE_WRITTEN_KEY,
    WRITER_MARK,
    WrittenCells,
    report_value_label,
    written_digest,
    written_label,
)
from kplan_desktop.progress import CancelCheck, Cancelled, check_cancel

__all__ = [
    "DEFAULT_LIMITS",
    "Cancelled",
    "IncomingRow",
    "IncomingWorkbook",
    "Limits",
    "WorkbookRejected",
    "read_exchange_workbook",
]

PROGRESS_EVERY = 200

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
    notes_ja: tuple[str, ...] = ()  # what the reader saw beside the row (a stray value)
    notes_en: tuple[str, ...] = ()
    # In a file whose data sheet was edited: whether this row differs from the 提出 sheet
    # (None when that cannot be known: then every row counts as edited).
    edited_outside: bool | None = None


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
    # Cells of the visible 提出 sheet that do not show what the data row holds: (cell, shown,
    # data). Nothing signs what people read, so the merge refuses a file where they differ.
    visible_differences: list[tuple[str, str, str]] = field(default_factory=list)


Progress = Callable[[int, int], None]

_APP_PART = "docProps/app.xml"
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


def _layout(file: str, what_ja: str, what_en: str) -> WorkbookRejected:
    return _reject(
        "E_WB_LAYOUT",
        file,
        f"シートの構成が正しくありません: {what_ja}",
        f"the sheets are not as written by the program: {what_en}",
    )


def _check_cancel(cancelled: CancelCheck | None) -> None:
    check_cancel(cancelled)


# -- the workbook ----------------------------------------------------------------------------


def read_exchange_workbook(
    path: str | Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> IncomingWorkbook:
    """Read a submission or template; WorkbookRejected for a file-level refusal."""
    source = Path(path)
    file = source.name
    gated = open_workbook(source, limits, keep=(_APP_PART,), cancelled=cancelled)
    data, parts = gated.data, gated.parts
    digest = hashlib.sha256(data).hexdigest()
    book = _load(data, file)
    try:
        reader = _BookReader(book, file, limits, progress, cancelled)
        return reader.read(digest, _application(parts.get(_APP_PART)))
    except (WorkbookRejected, Cancelled):
        raise
    except Exception as exc:  # openpyxl parses sheets lazily; any failure there is damage
        if _from_defusedxml(exc):
            raise xml_entity_rejection(file) from None
        raise _reject(
            "E_WB_UNREADABLE",
            file,
            "Excelブックとして読めません（壊れているか、別の形式です）",
            f"cannot be read as an Excel workbook ({type(exc).__name__})",
        ) from None
    finally:
        book.close()


def _load(data: bytes, file: str) -> Any:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (extensions, styles); none matter here.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged workbook
        if _from_defusedxml(exc):
            raise xml_entity_rejection(file) from None
        raise _reject(
            "E_WB_UNREADABLE",
            file,
            "Excelブックとして読めません（壊れているか、別の形式です）",
            f"cannot be read as an Excel workbook ({type(exc).__name__})",
        ) from None


def _from_defusedxml(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML; openpyxl re-raises it as a ValueError 'from' it."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, DefusedXmlException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _application(app_xml: bytes | None) -> str:
    """The <Application> named in docProps/app.xml ('' when there is none)."""
    if not app_xml:
        return ""
    try:
        root = safe_fromstring(app_xml)
    except Exception:  # a damaged app.xml only means "saved by something else"
        return ""
    for element in root.iter():
        if str(element.tag).rpartition("}")[2] == "Application":
            return str(element.text or "").strip()
    return ""


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _cell_text(
    cell: Any, limit: int, *, value_cell: bool = False
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


def _shown(cell: Any) -> str:
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


def _shows_value(cell: Any, row: IncomingRow | None) -> bool:
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


def _blank_cell(cell: Any) -> bool:
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


def _fiscal_year(text: str) -> int | None:
    norm = text.strip()
    if not (norm.isascii() and norm.isdigit() and len(norm) == 4):
        return None
    year = int(norm)
    return year if MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR else None


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
    """The problems found in one row, in both languages, each named by its column."""

    def __init__(self) -> None:
        self.ja: list[str] = []
        self.en: list[str] = []

    def add(self, column: str, problem: _Problem, column_en: str | None = None) -> None:
        key, _, rest = column.partition(" ")
        shown = _DATA_LABELS_JA.get(key)
        ja = f"{problem[0]}（{column if shown is None else f'{shown} {rest}'.strip()}）"
        if ja not in self.ja:
            self.ja.append(ja)
            self.en.append(f"{problem[1]} ({column if column_en is None else column_en})")

    def add_cell(self, address: str, problem: _Problem) -> None:
        """A problem named by its cell: （セル G8） / (cell G8)."""
        self.add(f"セル {address}", problem, f"cell {address}")

    def __bool__(self) -> bool:
        return bool(self.ja)

    def texts(self) -> tuple[str | None, str | None]:
        if not self.ja:
            return None, None
        return "; ".join(self.ja), "; ".join(self.en)


class _Steps:
    def __init__(
        self, total: int, progress: Progress | None, cancelled: CancelCheck | None
    ) -> None:
        self.total = total
        self.done = 0
        self.progress = progress
        self.cancelled = cancelled

    def step(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            if self.progress is not None:
                self.progress(self.done, max(self.total, self.done))
            _check_cancel(self.cancelled)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.done)


class _BookReader:
    """Reads one opened workbook: meta first, then the data or template sheet."""

    def __init__(
        self,
        book: Any,
        file: str,
        limits: Limits,
        progress: Progress | None,
        cancelled: CancelCheck | None,
    ) -> None:
        self.book = book
        self.file = file
        self.limits = limits
        self.progress = progress
        self.cancelled = cancelled
        self.moments: dict[str, tuple[datetime, str]] = {}

    def read(self, digest: str, application: str) -> IncomingWorkbook:
        meta = self.meta()
        kind = meta.get("format", "")
        if kind == SUBMISSION_FORMAT:
            return self.submission(meta, digest, application)
        if kind == TEMPLATE_FORMAT:
            return self.template(meta, digest)
        if kind.startswith(("kplan-submission/", "kplan-template/")):
            raise _not_kplan(
                self.file,
                f"形式 {kind[:40]} はこの版のプログラムでは読めません"
                "（プログラムを更新してください）",
                f"format {kind[:40]} is not known to this version of the program",
            )
        shown = kind[:40] or "なし"
        raise _not_kplan(
            self.file,
            f"「{SHEET_META}」シートの形式（format）が {shown} です",
            f"the {SHEET_META} sheet's format is {kind[:40] or 'missing'}",
        )

    # -- sheets ----------------------------------------------------------------------------

    def sheet(self, name: str, missing: WorkbookRejected) -> Any:
        if name not in self.book.sheetnames:
            raise missing
        ws = self.book[name]
        if not hasattr(ws, "iter_rows"):
            raise _layout(
                self.file, f"「{name}」は表のシートではありません", f"{name} is not a worksheet"
            )
        return ws

    def header_and_rows(
        self, ws: Any, header_row: int, *, max_col: int | None = _HEADER_COLUMNS
    ) -> tuple[tuple[Any, ...], Iterator[tuple[Any, ...]]]:
        """The header row's cells and the rows under it, from one pass over the sheet.

        Every iter_rows call parses the sheet from its start, so the header is not read alone.
        """
        last = header_row + self.limits.max_rows
        # Past the scan's limit (_RowNumbers) no row exists, so this reads every row there is.
        stop = last + self.limits.header_rows + 1
        rows = ws.iter_rows(min_row=header_row, max_row=stop, max_col=max_col)
        return next(rows, ()), rows

    def body(
        self, ws: Any, rows: Iterator[tuple[Any, ...]], first_row: int, width: int | None
    ) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """Non-empty rows from first_row, numbered, `width` cells each (None: every cell);
        at most Limits.max_rows."""
        last = first_row + self.limits.max_rows - 1
        for number, row in enumerate(rows, start=first_row):
            cells = row[:width]
            if all(_blank_cell(cell) for cell in cells):
                continue
            if number > last:
                raise too_many_rows(self.file, ws.title, None, self.limits.max_rows)
            yield number, cells

    def meta(self) -> dict[str, str]:
        missing = _not_kplan(
            self.file, f"「{SHEET_META}」シートがありません", f"there is no {SHEET_META} sheet"
        )
        ws = self.sheet(SHEET_META, missing)
        found: dict[str, str] = {}
        for number, (key_cell, value_cell) in enumerate(
            ws.iter_rows(min_row=2, max_row=_META_ROWS, max_col=2), start=2
        ):
            key, key_problem = _cell_text(key_cell, _MAX_META_TEXT)
            long = key is not None and key.strip() == TEMPLATE_WRITTEN_KEY
            value, value_problem = _cell_text(value_cell, 32767 if long else _MAX_META_TEXT)
            problem = key_problem or value_problem
            if problem is not None:
                raise _layout(
                    self.file,
                    f"「{SHEET_META}」シートの{number}行目: {problem[0]}",
                    f"{SHEET_META} sheet, row {number}: {problem[1]}",
                )
            if key is not None and key.strip():
                found[key.strip()] = "" if value is None else value.strip()
        return found

    def meta_error(self, key: str, value: str) -> WorkbookRejected:
        return _layout(
            self.file,
            f"「{SHEET_META}」シートの {key} が読めません（{value[:40] or '空'}）",
            f"the {SHEET_META} sheet's {key} cannot be read ({value[:40] or 'empty'})",
        )

    def meta_text(self, meta: Mapping[str, str], key: str) -> str:
        value = meta.get(key, "")
        if not value:
            raise self.meta_error(key, value)
        return value

    def meta_year(self, meta: Mapping[str, str]) -> int:
        year = _fiscal_year(meta.get("fiscal_year", ""))
        if year is None:
            raise self.meta_error("fiscal_year", meta.get("fiscal_year", ""))
        return year

    def meta_time(self, meta: Mapping[str, str], key: str, required: bool) -> datetime | None:
        value = meta.get(key, "")
        if not value and not required:
            return None
        try:
            return parse_utc(value)
        except ValueError:
            raise self.meta_error(key, value) from None

    # -- submission ------------------------------------------------------------------------

    def header(self, meta: Mapping[str, str]) -> SubmissionHeader:
        row_count = meta.get("row_count", "")
        if not (row_count.isascii() and row_count.isdigit() and len(row_count) <= 9):
            raise self.meta_error("row_count", row_count)
        checksum = meta.get("payload_sha256", "").lower()
        if len(checksum) != 64 or any(c not in "0123456789abcdef" for c in checksum):
            raise self.meta_error("payload_sha256", checksum)
        exported_at = self.meta_time(meta, "exported_at", required=True)
        assert exported_at is not None
        return SubmissionHeader(
            department=self.meta_text(meta, "department"),
            fiscal_year=self.meta_year(meta),
            catalog_hash=meta.get("catalog_hash", ""),
            program_version=meta.get("program_version", ""),
            exported_at=exported_at,
            database=self.meta_text(meta, "database"),
            finalised_by=meta.get("finalised_by") or None,
            finalised_at=self.meta_time(meta, "finalised_at", required=False),
            row_count=int(row_count),
            payload_sha256=checksum,
            format=SUBMISSION_FORMAT,
            signature=meta.get("signature", "").strip().lower() or None,
            evaluation_sha256=meta.get("evaluation_sha256", "").strip().lower(),
            draft_flag=meta.get("draft", ""),
        )

    def submission(
        self, meta: Mapping[str, str], digest: str, application: str
    ) -> IncomingWorkbook:
        header = self.header(meta)
        missing = _layout(
            self.file, f"「{SHEET_DATA}」シートがありません", f"there is no {SHEET_DATA} sheet"
        )
        ws = self.sheet(SHEET_DATA, missing)
        first, sheet_rows = self.header_and_rows(ws, 1)
        columns = self.data_columns(first)
        steps = _Steps(header.row_count, self.progress, self.cancelled)
        rows: list[IncomingRow] = []
        # The payload rebuilt from the rows, line by line, as the writer serialised it.
        rebuilt: list[tuple[tuple[str, int], str]] = []
        seen: set[tuple[str, int]] = set()
        complete = True
        for number, cells in self.body(ws, sheet_rows, 2, max(columns.values())):
            row, line = self.data_row(number, cells, columns, seen)
            rows.append(row)
            if line is None:
                complete = False
            else:
                rebuilt.append(line)
            steps.step()
        steps.finish()
        notes_ja: list[str] = []
        notes_en: list[str] = []
        integrity: Integrity
        if complete and lines_sha256(rebuilt) == header.payload_sha256:
            ours = "openpyxl" in application.lower()
            ours = ours and self.book.properties.lastModifiedBy == WRITER_MARK
            integrity = "verified" if ours else "resaved"
            if not ours:
                app = application[:60] or "不明"
                notes_ja.append(
                    f"プログラムの外で保存し直されています（{app}）。データは出力時と同じです"
                )
                notes_en.append(
                    f"saved again outside the program ({application[:60] or 'unknown'}); "
                    "the data is as exported"
                )
        else:
            integrity = "edited"
            notes_ja.append(
                "データがプログラムの外で編集されています（チェックサム不一致）。"
                "すべての行を検証します"
            )
            notes_en.append(
                "the data was edited outside the program (checksum mismatch); "
                "every row will be checked"
            )
        if len(rows) != header.row_count:
            notes_ja.append(f"行数が出力時（{header.row_count}行）と違います（{len(rows)}行）")
            notes_en.append(f"{len(rows)} rows, but {header.row_count} when exported")
        # Only a file a spreadsheet program saved can have its 提出 sheet edited by hand; the
        # program's own files skip the extra sheet (a merge reads dozens of them).
        written_here = "openpyxl" in application.lower()
        written_here = written_here and self.book.properties.lastModifiedBy == WRITER_MARK
        # With the data untouched (re-saved), a change on 提出 refuses its row; with the data
        # edited, the data's value is taken and a 提出 sheet that disagrees is said on the row.
        report_rows = (
            None if written_here else self.report_edits(header, rows, refuse=integrity != "edited")
        )
        if report_rows:
            rows = report_rows
        mark = f"「{SHEET_REPORT}」シート"
        if report_rows and integrity == "edited":
            # Only the rows whose data disagrees with the printable sheet are marked edited.
            rows = [
                replace(row, edited_outside=any(mark in n for n in row.notes_ja)) for row in rows
            ]
            differ = [f"{r.indicator} {r.fiscal_year}" for r in rows if r.edited_outside]
            notes_ja.append(
                f"データシートが「{SHEET_REPORT}」シートと違う行（{len(differ)}件）: "
                + "、".join(differ)
            )
            notes_en.append(
                f"{len(differ)} row{'s' if len(differ) != 1 else ''} of the data sheet "
                f"differ{'s' if len(differ) == 1 else ''} from the {SHEET_REPORT} sheet: "
                + ", ".join(differ)
            )
        if report_rows and any(mark in (row.problem_ja or "") for row in report_rows):
            notes_ja.append(
                f"⚠「{SHEET_REPORT}」シートの値が変更されています。その行は取り込みません"
                "（課でプログラムに入力し、出力し直してください）"
            )
            notes_en.append(
                f"values were changed on the {SHEET_REPORT} sheet; those rows are not merged "
                "(the department enters them in the program and exports again)"
            )
        if header.draft:
            notes_ja.append("下書き（未確定）の提出書です")
            notes_en.append("this submission is a draft (not finalised)")
        if meta.get("draft", "") != ("yes" if header.draft else "no"):
            notes_ja.append("meta シートの draft と確定日時が食い違っています")
            notes_en.append("the meta sheet's draft flag disagrees with finalised_at")
        evaluations, verified = self.evaluations(header)
        differences = self.visible_differences(header.fiscal_year, rows)
        if evaluations and not verified:
            notes_ja.append("施策評価がプログラムの外で編集されています（チェックサム不一致）")
            notes_en.append("the measure evaluations were edited outside the program")
        return IncomingWorkbook(
            kind="submission",
            integrity=integrity,
            department=header.department,
            fiscal_year=header.fiscal_year,
            catalog_hash=header.catalog_hash or None,
            header=header,
            rows=rows,
            sha256=digest,
            notes_ja=notes_ja,
            notes_en=notes_en,
            evaluations=evaluations,
            evaluations_verified=verified,
            visible_differences=differences,
        )

    def report_edits(
        self, header: SubmissionHeader, rows: list[IncomingRow], *, refuse: bool
    ) -> list[IncomingRow] | None:
        """The rows again, when a clerk changed this year's values on the printable 提出 sheet:
        the merge reads the data sheet, so such a change would be lost without a word. Each
        changed value is a problem of its row, naming the cell; a value typed where the data
        has none is a row of its own. None when the 提出 sheet agrees (or is not there)."""
        if SHEET_REPORT not in self.book.sheetnames:
            return None
        ws = self.book[SHEET_REPORT]
        if not hasattr(ws, "iter_rows"):
            return None
        year_label = format_fiscal_year(header.fiscal_year) + "実績"
        # Every year's 実績 column the sheet shows (this year's and the earlier ones), and the
        # comment column: each is held by the data sheet too, so a change is never ignored.
        year_of = {
            format_fiscal_year(year) + "実績": year
            for year in range(max(MIN_FISCAL_YEAR, header.fiscal_year - 20), header.fiscal_year + 1)
        }
        code_col = None
        year_cols: dict[int, int] = {}
        comment_col: int | None = None
        sheet = ws.iter_rows(min_row=1, max_row=self.limits.max_rows + self.limits.header_rows)
        for row in sheet:
            labels = [_norm(str(c.value)).replace("\n", "") if c.value else "" for c in row]
            if TEMPLATE_CODE_LABEL in labels and year_label in labels:
                code_col = labels.index(TEMPLATE_CODE_LABEL)
                year_cols = {
                    i: year_of[label] for i, label in enumerate(labels) if label in year_of
                }
                if TEMPLATE_COMMENT_LABEL in labels:
                    comment_col = labels.index(TEMPLATE_COMMENT_LABEL)
                break
        if code_col is None:
            return None
        shown = {(row.indicator, row.fiscal_year): row for row in rows if row.problem_ja is None}
        changed: dict[tuple[str, int | None], tuple[str, str]] = {}
        extra: list[IncomingRow] = []
        for row in sheet:
            if len(row) <= code_col:
                continue
            code_text, _ = _cell_text(row[code_col], _MAX_META_TEXT)
            code = (code_text or "").strip()
            if not code:
                continue
            if comment_col is not None and comment_col < len(row):
                cell = row[comment_col]
                text, _ = _cell_text(cell, self.limits.max_cell_chars)
                data = shown.get((code, header.fiscal_year))
                held = "" if data is None else data.comment
                # As for values, only what was typed counts (an empty cell takes nothing
                # away); spacing and line breaks as the sheet shows them do not count.
                if text and text.strip() and "".join(text.split()) != "".join(held.split()):
                    where = str(getattr(cell, "coordinate", "") or "")
                    typed = one_line((text or "空欄")[:40])
                    changed[(code, header.fiscal_year)] = (where, f"コメント「{typed}」")
            for value_col, year in year_cols.items():
                if value_col >= len(row):
                    continue
                cell = row[value_col]
                text, _ = _cell_text(cell, self.limits.max_cell_chars)
                data = shown.get((code, year))
                # Only what was typed there counts: an empty cell takes nothing away.
                if text is None or not text.strip() or _same_as_data(text, data):
                    continue
                where = str(getattr(cell, "coordinate", "") or "")
                typed = one_line((text or "空欄")[:40])
                if data is not None:
                    changed[(code, year)] = (where, typed)
                    continue
                extra.append(
                    IncomingRow(
                        sheet_row=getattr(cell, "row", 0) or 0,
                        indicator=code,
                        fiscal_year=year,
                        value_text=None,
                        missing_reason=None,
                        comment="",
                        entered_by=None,
                        entered_at=None,
                        revision=None,
                        replaces=None,
                        problem_ja=f"「{SHEET_REPORT}」シートの {where} に値（{typed}）が入力されて"
                        "いますが、提出データにありません。取り込みません",
                        problem_en=f"a value ({typed}) was typed in {where} on the {SHEET_REPORT} "
                        "sheet, but the submission's data has none; not merged",
                        value_cell=where or None,
                    )
                )
        if not changed and not extra:
            return None
        out: list[IncomingRow] = []
        for row in rows:
            edit = changed.get((row.indicator, row.fiscal_year))
            if edit is None:
                out.append(row)
                continue
            where, typed = edit
            data_text = row.value_text or _reason_label(row.missing_reason)
            if typed.startswith("コメント"):
                data_text = f"コメント「{row.comment}」" if row.comment else None
            if not refuse:
                out.append(
                    replace(
                        row,
                        notes_ja=(
                            *row.notes_ja,
                            f"「{SHEET_REPORT}」シートの {where} は {typed}"
                            f"（データの値 {data_text or '空欄'} を取り込みます）",
                        ),
                        notes_en=(
                            *row.notes_en,
                            f"{where} on the {SHEET_REPORT} sheet shows {typed} (the data's "
                            f"{data_text or 'empty'} is merged)",
                        ),
                    )
                )
                continue
            out.append(
                replace(
                    row,
                    problem_ja=f"「{SHEET_REPORT}」シートの {where} が {typed} に変更されています"
                    f"（提出データ: {data_text or '空欄'}）。取り込みません",
                    problem_en=f"{where} on the {SHEET_REPORT} sheet was changed to {typed} "
                    f"(the submission's data: {data_text or 'empty'}); not merged",
                )
            )
        return out + extra

    def visible_differences(
        self, fiscal_year: int, rows: Sequence[IncomingRow]
    ) -> list[tuple[str, str, str]]:
        """Every value and comment cell of the 提出 sheet compared with the data row it shows.

        The data sheet is what is signed and merged; the 提出 sheet is what people read and
        print. They are compared by meaning (a number as a decimal, a reason by its label, a
        comment as text), so a re-save by Excel or LibreOffice, which keeps both, passes; a
        visible cell changed by hand (or a formula put in one) is a difference.
        """
        if SHEET_REPORT not in self.book.sheetnames:
            return []
        ws = self.book[SHEET_REPORT]
        if not hasattr(ws, "iter_rows"):
            return [(SHEET_REPORT, "?", "")]
        # One row per indicator of the department, not per data row: not held to the data
        # sheet's row limit (header_and_rows reads no further than the scan allows anyway).
        first, sheet_rows = self.header_and_rows(ws, REPORT_HEADER_ROW)

        def squeezed(value: object) -> str:
            return "".join(str(value).split()) if isinstance(value, str) else ""

        labels = [squeezed(getattr(cell, "value", None)) for cell in first]
        wanted = squeezed(report_value_label(fiscal_year))
        if wanted not in labels or squeezed(REPORT_COMMENT_LABEL) not in labels:
            return [(f"{SHEET_REPORT}!{REPORT_HEADER_ROW}", "?", "")]
        value_at = labels.index(wanted)
        comment_at = labels.index(squeezed(REPORT_COMMENT_LABEL))
        data = {row.indicator: row for row in rows if row.fiscal_year == fiscal_year}
        found: list[tuple[str, str, str]] = []
        width = max(value_at, comment_at) + 1
        for number, row_cells in enumerate(sheet_rows, start=REPORT_HEADER_ROW + 1):
            cells = (*row_cells[:width], *(EMPTY_CELL,) * (width - len(row_cells)))
            if all(_blank_cell(cell) for cell in cells):
                continue
            code_text, _ = _cell_text(cells[0], 64)
            code = (code_text or "").strip()
            row = data.get(code)
            value_cell, comment_cell = cells[value_at], cells[comment_at]
            if not _shows_value(value_cell, row):
                place = f"{SHEET_REPORT}!{get_column_letter(value_at + 1)}{number}"
                found.append((place, _shown(value_cell), _data_value(row)))
            stored_comment = "" if row is None else row.comment
            shown_comment, problem = _cell_text(comment_cell, 100_000)
            if problem is not None or _lines(shown_comment) != _lines(stored_comment):
                place = f"{SHEET_REPORT}!{get_column_letter(comment_at + 1)}{number}"
                found.append((place, _shown(comment_cell), stored_comment[:40]))
        return found

    def evaluations(self, header: SubmissionHeader) -> tuple[list[IncomingEvaluation], bool]:
        """The 施策評価 rows, and whether their checksum is the meta sheet's."""
        if SHEET_EVALUATION not in self.book.sheetnames:
            # A department without evaluations has no sheet; its checksum is of no rows.
            expected = header.evaluation_sha256
            return [], not expected or expected == evaluations_sha256([])
        try:
            first, grid = sheet_texts(self.book, SHEET_EVALUATION, self.limits.max_rows)
            rows, texts = read_evaluation_rows(grid, first)
        except DomainError as exc:
            raise _layout(self.file, exc.message_ja, exc.message_en) from None
        verified = evaluations_sha256(texts) == header.evaluation_sha256
        return rows, verified

    def data_columns(self, first: tuple[Any, ...]) -> dict[str, int]:
        columns: dict[str, int] = {}
        for index, cell in enumerate(first):
            text, _ = _cell_text(cell, _MAX_META_TEXT)
            key = "" if text is None else text.strip()
            if key in DATA_KEYS and key not in columns:
                columns[key] = index + 1
        absent = [key for key in DATA_KEYS if key not in columns]
        if absent:
            raise _layout(
                self.file,
                f"「{SHEET_DATA}」シートの1行目に {', '.join(absent)} がありません",
                f"row 1 of the {SHEET_DATA} sheet lacks {', '.join(absent)}",
            )
        return columns

    def data_row(
        self,
        number: int,
        cells: tuple[Any, ...],
        columns: Mapping[str, int],
        seen: set[tuple[str, int]],
    ) -> tuple[IncomingRow, tuple[tuple[str, int], str] | None]:
        """The row as read, and its payload line with its key (None when it cannot be rebuilt)."""
        # Each field is read, then parsed, in DATA_KEYS order: a row's problems read that way.
        cells_ = _RowCells(cells, self.limits.max_cell_chars)
        problems = cells_.problems
        indicator = cells_.text(columns["indicator"], "indicator")
        if _blank(indicator):
            problems.add("indicator", ("指標コードが空です", "no indicator code"))
        year_text = cells_.text(columns["fiscal_year"], "fiscal_year")
        fiscal_year = None if year_text is None else _fiscal_year(year_text)
        if fiscal_year is None:
            problems.add("fiscal_year", ("年度が読めません", "the fiscal year cannot be read"))
        value = cells_.text(columns["value"], "value", value_cell=True)
        if is_dash(value):
            problems.add_cell(cells_.where(columns["value"]), DASH_PROBLEM)
        reason_text = cells_.text(columns["missing_reason"], "missing_reason", value_cell=True)
        reason = self.reason(reason_text, problems, "missing_reason")
        comment = cells_.text(columns["comment"], "comment") or ""
        entered_by = cells_.text(columns["entered_by"], "entered_by")
        moment = self.moment(cells_.text(columns["entered_at"], "entered_at"), problems)
        entered_at = None if moment is None else moment[0]
        revision_text = cells_.text(columns["revision"], "revision")
        revision = self.revision(revision_text, problems, "revision")
        replaces_text = cells_.text(columns["replaces"], "replaces")
        replaces = self.revision(replaces_text, problems, "replaces")
        unit = cells_.text(columns["unit"], "unit") or None
        code = (indicator or "").strip()
        self.duplicate(code, fiscal_year, seen, problems)
        problem_ja, problem_en = problems.texts()
        row = IncomingRow(
            sheet_row=number,
            indicator=code,
            fiscal_year=fiscal_year,
            value_text=None if _blank(value) else value,
            missing_reason=reason,
            comment=comment,
            entered_by=entered_by or None,
            entered_at=entered_at,
            revision=revision,
            replaces=replaces,
            problem_ja=problem_ja,
            problem_en=problem_en,
            unit=unit,
            value_cell=cells_.where(columns["value"]) or None,
        )
        if problems or fiscal_year is None or moment is None:
            return row, None
        line = payload_line(
            code,
            fiscal_year,
            row.value_text,
            reason,
            comment,
            entered_by or "",
            moment[1],
            revision,
            replaces,
            unit,
        )
        return row, ((code, fiscal_year), line)

    @staticmethod
    def reason(text: str | None, problems: _RowProblems, column: str) -> str | None:
        if _blank(text):
            return None
        assert text is not None
        code = _reason_code(text)
        if code is None:
            choices = "、".join(r.label_ja for r in MissingReason)
            problems.add(
                column,
                (
                    f"未記入の理由「{text[:20]}」が読めません（{choices}）",
                    f"unknown missing reason {text[:20]!r}",
                ),
            )
        return code

    def moment(self, text: str | None, problems: _RowProblems) -> tuple[datetime, str] | None:
        """The entry time, and its text as the payload holds it (utc_text)."""
        if _blank(text):
            problems.add("entered_at", ("入力日時が空です", "no entry time"))
            return None
        assert text is not None
        # Values entered together share their time: each text is parsed once per file.
        moment = self.moments.get(text)
        if moment is not None:
            return moment
        try:
            parsed = parse_utc(text)
        except ValueError:
            problems.add("entered_at", ("入力日時が読めません", "the entry time cannot be read"))
            return None
        moment = self.moments[text] = (parsed, utc_text(parsed))
        return moment

    @staticmethod
    def revision(text: str | None, problems: _RowProblems, column: str) -> Revision | None:
        try:
            return Revision.parse(text)
        except ValueError:
            problems.add(column, ("版（revision）が読めません", "the revision cannot be read"))
            return None

    @staticmethod
    def duplicate(
        code: str, fiscal_year: int | None, seen: set[tuple[str, int]], problems: _RowProblems
    ) -> None:
        if not code or fiscal_year is None:
            return
        if (code, fiscal_year) in seen:
            problems.add(
                "indicator",
                ("同じ指標・年度の行がこれより前にあります", "an earlier row has the same key"),
            )
        seen.add((code, fiscal_year))

    # -- template --------------------------------------------------------------------------

    def template(self, meta: Mapping[str, str], digest: str) -> IncomingWorkbook:
        department = self.meta_text(meta, "department")
        fiscal_year = self.meta_year(meta)
        ws, columns, notes_ja, notes_en = self.template_sheet(fiscal_year)
        written_text = meta.get(TEMPLATE_WRITTEN_KEY)
        written = None if written_text is None else WrittenCells.from_text(written_text)
        if written_text is not None and written is None:
            raise self.meta_error(TEMPLATE_WRITTEN_KEY, written_text)
        checked = self.checked_columns(ws, written)
        _, sheet_rows = self.header_and_rows(ws, TEMPLATE_HEADER_ROW, max_col=None)
        code_col, value_col = columns.code, columns.value
        reason_col, comment_col = columns.reason, columns.comment
        # The declared size is only a hint for the progress bar: Calc declares A1:H1048576
        # after a row was deleted (the scan counts the rows that hold content).
        declared = getattr(ws, "max_row", None)
        total = declared - TEMPLATE_HEADER_ROW if isinstance(declared, int) else 0
        total = min(total, self.limits.max_rows)
        steps = _Steps(total, self.progress, self.cancelled)
        limit = self.limits.max_cell_chars
        rows: list[IncomingRow] = []
        seen: set[tuple[str, int]] = set()
        width = max(code_col, value_col, reason_col, comment_col)
        present: set[str] = set()
        left_empty: list[str] = []
        for number, full in self.body(ws, sheet_rows, TEMPLATE_HEADER_ROW + 1, None):
            steps.step()
            cells = full[:width] + tuple(_EMPTY for _ in range(width - len(full)))
            row = _RowCells(cells, limit)
            code = (row.text(code_col, TEMPLATE_CODE_LABEL) or "").strip()
            value = row.text(value_col, TEMPLATE_VALUE_LABEL, value_cell=True)
            if is_dash(value):
                row.problems.add_cell(row.where(value_col), DASH_PROBLEM)
            reason_text = row.text(reason_col, TEMPLATE_REASON_LABEL, value_cell=True)
            comment = row.text(comment_col, TEMPLATE_COMMENT_LABEL) or ""
            problems = row.problems
            stray = columns.stray(full)
            inputs_blank = all(row.blank(c) for c in (value_col, reason_col, comment_col))
            changed = self.changed_cells(written, checked, code, full)
            present.add(code)
            if not problems and inputs_blank and not stray and not changed:
                protection = getattr(cells[value_col - 1], "protection", None)
                if code and getattr(protection, "locked", True) is False:
                    left_empty.append(code)
                continue
            if changed:
                shown_ja = "、".join(f"セル {where}「{text}」" for where, text in changed)
                shown_en = ", ".join(f"cell {where} {text!r}" for where, text in changed)
                target = row.where(value_col)
                problems.add(
                    TEMPLATE_VALUE_LABEL,
                    (
                        f"記入票が書いたセルの内容が変わっています（{shown_ja}）。"
                        f"指標名・単位・参考の年度の列は取り込みません。"
                        f"この年度の値はセル {target} に入力してください",
                        f"a cell the template wrote was changed ({shown_en}); the name, unit "
                        f"and earlier-year columns are not merged: type this year's value in "
                        f"cell {target}",
                    ),
                )
            stray_ja = "、".join(f"{where}「{text}」" for where, text in stray)
            stray_en = ", ".join(f"{where} {text!r}" for where, text in stray)
            row_notes_ja: tuple[str, ...] = ()
            row_notes_en: tuple[str, ...] = ()
            if stray and inputs_blank:
                # Only outside the columns: a value typed in the wrong place, never "no value".
                problems.add(
                    TEMPLATE_VALUE_LABEL,
                    (
                        f"実績値・未記入の理由・コメントの列の外に入力があります（{stray_ja}）。"
                        "取り込む値は実績値の列に入力してください",
                        f"something was typed outside the value, reason and comment columns "
                        f"({stray_en}); type the value in the value column",
                    ),
                )
            elif stray:
                row_notes_ja = (f"入力欄の外の内容は取り込みません: {stray_ja}",)
                row_notes_en = (f"not merged, outside the input columns: {stray_en}",)
            if not code:
                problems.add(TEMPLATE_CODE_LABEL, ("指標コードが空です", "no indicator code"))
            reason = self.reason(reason_text, problems, TEMPLATE_REASON_LABEL)
            self.duplicate(code, fiscal_year, seen, problems)
            problem_ja, problem_en = problems.texts()
            rows.append(
                IncomingRow(
                    sheet_row=number,
                    indicator=code,
                    fiscal_year=fiscal_year,
                    value_text=None if _blank(value) else value,
                    missing_reason=reason,
                    comment=comment,
                    entered_by=None,
                    entered_at=None,
                    revision=None,
                    replaces=None,
                    problem_ja=problem_ja,
                    problem_en=problem_en,
                    value_cell=row.where(value_col) or None,
                    notes_ja=row_notes_ja,
                    notes_en=row_notes_en,
                )
            )
        steps.finish()
        if written is not None:
            deleted = [code for code in written.rows if code not in present]
            for code in deleted:
                notes_ja.append(
                    f"⚠ 指標 {code} の行がありません（削除されています）。"
                    "この指標は取り込んでいません"
                )
                notes_en.append(
                    f"⚠ the row of indicator {code} is missing (deleted); nothing merged for it"
                )
        if left_empty and rows:
            count = len(left_empty)
            notes_ja.append(f"値も未記入の理由もない指標（{count}件）: {'、'.join(left_empty)}")
            notes_en.append(
                f"{count} indicator{'s' if count != 1 else ''} with neither a value nor a "
                f"reason: {', '.join(left_empty)}"
            )
        return IncomingWorkbook(
            kind="template",
            integrity="template",
            department=department,
            fiscal_year=fiscal_year,
            catalog_hash=meta.get("catalog_hash") or None,
            header=None,
            rows=rows,
            sha256=digest,
            # (The merge says that it is a template; the reader says only what it saw.)
            notes_ja=[*notes_ja]
            + ([] if rows else ["⚠ 記入された値が1つもありません（空の記入票です）"]),
            notes_en=[*notes_en]
            + ([] if rows else ["⚠ nothing was filled in (an empty template)"]),
        )

    def checked_columns(self, ws: Any, written: WrittenCells | None) -> list[tuple[int, int]]:
        """(index in written.labels, column) of the name, unit and earlier-year columns this
        file still has; first refuses the file when a cell above the header row holds content the
        template did not write (a value typed there would be lost)."""
        if written is None:
            return []
        top_rows = ws.iter_rows(min_row=1, max_row=TEMPLATE_HEADER_ROW - 1)
        for cell in (cell for row in top_rows for cell in row):
            if _blank_cell(cell):
                continue
            where = str(getattr(cell, "coordinate", ""))
            if written.top.get(where) != written_digest(cell.value):
                text, _ = _cell_text(cell, 40)
                shown = one_line((text or "?")[:40])
                raise _layout(
                    self.file,
                    f"「{one_line(ws.title)}」シートのセル {where} に記入票が書いていない内容"
                    f"（「{shown}」）があります。見出しの部分は取り込みません。"
                    "値は実績値の列に入力し、このセルは元に戻してください",
                    f"cell {where} of the {one_line(ws.title)} sheet holds {shown!r}, which "
                    "the template did not write; the header area is not merged: type values "
                    "in the value column and undo this cell",
                )
        header = next(ws.iter_rows(min_row=TEMPLATE_HEADER_ROW, max_row=TEMPLATE_HEADER_ROW), ())
        where_label: dict[str, int] = {}
        for index, cell in enumerate(header):
            if isinstance(cell.value, str):
                where_label.setdefault(written_label(cell.value), index + 1)
        return [
            (i, where_label[label])
            for i, label in enumerate(written.labels)
            if label in where_label
        ]

    @staticmethod
    def changed_cells(
        written: WrittenCells | None,
        checked: list[tuple[int, int]],
        code: str,
        cells: tuple[Any, ...],
    ) -> list[tuple[str, str]]:
        """Cells of the row in the name, unit and earlier-year columns whose content is not
        what the template wrote there: (address, text). Emptied cells are not counted."""
        if written is None or code not in written.rows:
            return []
        digests = written.rows[code]
        found: list[tuple[str, str]] = []
        for index, column in checked:
            if column > len(cells) or _blank_cell(cells[column - 1]):
                continue
            cell = cells[column - 1]
            if written_digest(cell.value) != digests[index]:
                text, _ = _cell_text(cell, 40)
                where = getattr(cell, "coordinate", None) or _column_letter(column)
                found.append((str(where), one_line((text or "?")[:40])))
        return found

    def template_sheet(
        self, fiscal_year: int
    ) -> tuple[Any, _TemplateColumns, list[str], list[str]]:
        """The sheet the values are typed in, and notes on the others.

        Normally 記入. A clerk may rename it (then the one sheet laid out as a template is read,
        and a note says so) or copy it: a copy with anything in its input columns, or any other
        sheet with content, refuses the file, because values there would be lost.
        """
        notes_ja: list[str] = []
        notes_en: list[str] = []
        laid_out: list[tuple[Any, _TemplateColumns]] = []
        others: list[Any] = []
        for name in self.book.sheetnames:
            if name == SHEET_META:
                continue
            ws = self.book[name]
            if not hasattr(ws, "iter_rows"):
                continue
            header = next(
                ws.iter_rows(min_row=TEMPLATE_HEADER_ROW, max_row=TEMPLATE_HEADER_ROW), ()
            )
            # The sheet named 記入 must be laid out as the template wrote it (else the message
            # names what is missing); another sheet may be anything.
            strict = name == SHEET_TEMPLATE
            columns = self.template_columns(header, fiscal_year, name, strict=strict)
            if columns is None:
                others.append(ws)
            else:
                laid_out.append((ws, columns))
        main = [item for item in laid_out if item[0].title == SHEET_TEMPLATE]
        if not main and len(laid_out) == 1:
            main = laid_out
            shown = one_line(laid_out[0][0].title)
            notes_ja.append(
                f"記入シートの名前が「{shown}」に変わっています（内容は読み取りました）"
            )
            notes_en.append(f"the {SHEET_TEMPLATE} sheet was renamed {shown!r} (read anyway)")
        if not main:
            if laid_out:
                names = "」「".join(one_line(ws.title) for ws, _ in laid_out)
                raise _layout(
                    self.file,
                    f"「{SHEET_TEMPLATE}」シートがなく、記入票の形のシートが複数あります"
                    f"（「{names}」）。どれに入力したか分からないため読み込みません",
                    f"there is no {SHEET_TEMPLATE} sheet, and several sheets are laid out as one "
                    f"({names}); which one holds the values is unclear",
                )
            raise _layout(
                self.file,
                f"「{SHEET_TEMPLATE}」シートがありません",
                f"there is no {SHEET_TEMPLATE} sheet",
            )
        ws, columns = main[0]
        for other, other_columns in laid_out:
            if other is ws:
                continue
            name = one_line(other.title)
            filled = self.first_content(other, other_columns.inputs())
            if filled is not None:
                raise _layout(
                    self.file,
                    f"シート「{name}」（記入シートの写し）にも入力があります（{filled}）。"
                    f"値は「{ws.title}」シートだけに入力してください。写しは読み取りません",
                    f"the sheet {name} (a copy of the {SHEET_TEMPLATE} sheet) holds input too "
                    f"({filled}); type values only in {ws.title}; copies are not read",
                )
            notes_ja.append(f"シート「{name}」（記入シートの写し、入力なし）は読み取っていません")
            notes_en.append(f"the sheet {name} (an empty copy of the template) was not read")
        for other in others:
            filled = self.first_content(other, None)
            if filled is not None:
                name = one_line(other.title)
                raise _layout(
                    self.file,
                    f"シート「{name}」に内容があります（{filled}）。このシートは読み取らないため、"
                    f"値は「{ws.title}」シートに入力し、このシートは削除してください",
                    f"the sheet {name} holds content ({filled}) that is not read; type values "
                    f"in {ws.title} and delete that sheet",
                )
        return ws, columns, notes_ja, notes_en

    def first_content(self, ws: Any, columns: frozenset[int] | None) -> str | None:
        """The first non-empty cell ('F6「90」') below the header rows of a template copy (in
        `columns`), or anywhere in another sheet (columns None); None when there is none."""
        first_row = TEMPLATE_HEADER_ROW + 1 if columns is not None else 1
        limit = first_row + self.limits.max_rows
        for row in ws.iter_rows(min_row=first_row, max_row=limit):
            for cell in row:
                column = getattr(cell, "column", None)
                if columns is not None and column not in columns:
                    continue
                if not _blank_cell(cell):
                    text, _ = _cell_text(cell, 40)
                    where = getattr(cell, "coordinate", "")
                    return one_line(f"{where}「{(text or '')[:40]}」")
        return None

    def template_columns(
        self, header: tuple[Any, ...], fiscal_year: int, sheet: str, *, strict: bool = True
    ) -> _TemplateColumns | None:
        """The columns of a sheet laid out as a template, found by their headers.

        None (strict=False) when the sheet is not laid out as one. The value column's header
        must be the only one that starts with 実績値 and name the file's fiscal year, as the
        template wrote it: a clerk's own 実績値（速報値） beside it makes the file ambiguous.
        """
        found: dict[str, int] = {}
        values: list[tuple[int, str]] = []
        known: set[int] = set()
        for index, cell in enumerate(header):
            text, _ = _cell_text(cell, _MAX_META_TEXT)
            label = "" if text is None else _norm(text)
            column = index + 1
            if label.startswith(TEMPLATE_VALUE_LABEL):
                values.append((column, label))
                known.add(column)
                continue
            for key, matches in (
                ("code", label == TEMPLATE_CODE_LABEL),
                ("reason", label == TEMPLATE_REASON_LABEL),
                ("comment", label == TEMPLATE_COMMENT_LABEL),
            ):
                if matches and key not in found:
                    found[key] = column
            if label in _TEMPLATE_LABELS or label.endswith(_TEMPLATE_REFERENCE_MARK):
                known.add(column)
        if values:
            found["value"] = values[0][0]
        labels = {
            "code": TEMPLATE_CODE_LABEL,
            "value": TEMPLATE_VALUE_LABEL,
            "reason": TEMPLATE_REASON_LABEL,
            "comment": TEMPLATE_COMMENT_LABEL,
        }
        absent = [labels[key] for key in labels if key not in found]
        if absent:
            if not strict or "code" not in found:
                return None
            raise _layout(
                self.file,
                f"「{sheet}」シートの{TEMPLATE_HEADER_ROW}行目に見出し"
                f"「{'」「'.join(absent)}」がありません",
                f"row {TEMPLATE_HEADER_ROW} of the {sheet} sheet lacks the headings "
                f"{', '.join(absent)}",
            )

        def named(column: int, label: str) -> str:
            return one_line(f"{_column_letter(column)}列「{label.replace(chr(10), '')[:40]}」")

        if len(values) > 1:
            both = "、".join(named(c, label) for c, label in values)
            raise _layout(
                self.file,
                f"「{sheet}」シートに実績値の列が{len(values)}つあります（{both}）。"
                "どちらの値か分からないため読み込みません。使わない列を削除してください",
                f"the {sheet} sheet has {len(values)} value columns ({both}); which one holds "
                "the values is unclear: delete the one not meant",
            )
        column, label = values[0]
        era = format_fiscal_year(fiscal_year)
        if era not in label and f"{fiscal_year}年度" not in label:
            raise _layout(
                self.file,
                f"「{sheet}」シートの実績値の列の見出し（{named(column, label)}）が"
                f"このファイルの年度（{era}）になっていません",
                f"the value column's heading ({named(column, label)}) does not name the "
                f"file's fiscal year ({era})",
            )
        return _TemplateColumns(
            found["code"], found["value"], found["reason"], found["comment"], frozenset(known)
        )


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

    def stray(self, cells: tuple[Any, ...]) -> list[tuple[str, str]]:
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


_EMPTY = _Empty()


def _column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _RowCells:
    """The cells of one row, read as text; what cannot be read becomes a problem of the row."""

    def __init__(self, cells: tuple[Any, ...], limit: int) -> None:
        self.cells = cells
        self.limit = limit
        self.problems = _RowProblems()

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
            where = self.where(column)
            self.problems.add(f"{label} {where}" if where else label, problem)
        return text

    def where(self, column: int) -> str:
        """The cell's address as the spreadsheet shows it (F6), or '' when unknown."""
        coordinate = getattr(self.cells[column - 1], "coordinate", None)
        return coordinate if isinstance(coordinate, str) else ""

    def blank(self, column: int) -> bool:
        return _blank_cell(self.cells[column - 1])
