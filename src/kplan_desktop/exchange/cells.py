"""The one cell-writing policy every workbook the program writes follows.

Submissions, templates, catalog workbooks, the consolidated report and the pending list all
write text through here:

- text stays text: openpyxl would store "=…" as a formula and "#N/A" as an error value, so a
  text cell is always of data type "s";
- text that Excel or LibreOffice would take for a formula once a user edits the cell — it starts
  with = + - @, or with a tab, CR or LF that hides such a start — or that is an error code
  (#N/A, #REF! …) gets Excel's quote prefix, which keeps it text;
- a number format's literal text (a unit) is quoted one way (format_literal) and shows as many
  decimals as the value holds, up to a bound (format_decimals);
- a cell holds at most EXCEL_MAX_TEXT characters and no control character Excel refuses; a CR
  does not survive (XML reads it back as LF). Writers whose file is read back and checked (the
  submission, the catalog) refuse such text with text_problem's reason; the report and the
  pending list, which are only read by people, write clean_text's version of it.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.writer.excel import ExcelWriter

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = [
    "EXCEL_MAX_TEXT",
    "FORMULA_STARTS",
    "clean_text",
    "format_decimals",
    "format_literal",
    "needs_quote",
    "save_book",
    "set_text",
    "text_problem",
]

EXCEL_MAX_TEXT = 32_767
# Text starting with one of these is a formula (or becomes one when edited) in Excel and
# LibreOffice; a tab, CR or LF in front hides it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def needs_quote(text: str) -> bool:
    """Whether the text would turn into a formula or an error value in a spreadsheet."""
    return bool(text) and (
        text.startswith(FORMULA_STARTS) or (text[0] == "#" and text in ERROR_CODES)
    )


def text_problem(text: str) -> tuple[str, str] | None:
    """Why the text cannot be written to a cell exactly (Japanese, English); None if it can."""
    if len(text) > EXCEL_MAX_TEXT:
        return (
            f"1つのセルには{EXCEL_MAX_TEXT}文字までしか入りません",
            f"a cell holds at most {EXCEL_MAX_TEXT} characters",
        )
    if "\r" in text:
        # XML turns CR into LF when the file is read, so the text would not come back the same.
        return ("改行コードCR（\\r）は保存できません", "a carriage return (\\r) does not survive")
    if ILLEGAL_CHARACTERS_RE.search(text) is not None:
        return ("Excelで使えない制御文字が含まれています", "a control character Excel refuses")
    return None


def clean_text(text: str) -> str:
    """Text as a cell can hold it: CR made LF, control characters replaced, length bounded."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if ILLEGAL_CHARACTERS_RE.search(text) is not None:
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return text[:EXCEL_MAX_TEXT]


def set_text(cell: Cell | MergedCell, text: str) -> Cell:
    """Put text a cell can hold (see text_problem) into `cell` as text, quote-prefixed when it
    looks like a formula; returns the cell. A merged cell's covered part holds nothing."""
    if isinstance(cell, MergedCell):
        raise TypeError(f"{cell.coordinate} is covered by a merged cell and holds no text")
    cell.value = text
    cell.data_type = "s"
    if needs_quote(text):
        cell.quotePrefix = True
    return cell


# A number format shows at most this many decimals (Excel's own limit is 30; more is noise).
MAX_FORMAT_DECIMALS = 10


def format_literal(text: str) -> str:
    """Text as a literal inside a number format: 人 → "人". A double quote cannot be escaped
    there, so it is shown as ” (never dropped); no text gives ''."""
    return '"' + text.replace('"', "”") + '"' if text else ""


def format_decimals(value: Decimal) -> int:
    """How many decimals a number format needs to show `value` as stored (98.70 → 2, 3 → 0),
    at most MAX_FORMAT_DECIMALS."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):  # NaN or infinity: never stored, shown without decimals
        return 0
    return min(-exponent, MAX_FORMAT_DECIMALS) if exponent < 0 else 0


def save_book(book: Workbook, path: Path) -> None:
    """Write an openpyxl workbook to `path`, the zip closed whatever happens.

    openpyxl's own save leaves its zip open when a write fails (a full disk): the zip's
    finaliser then tries again and prints "Exception ignored … OSError" with a traceback.
    Here the OSError is raised once, to the caller, and the partial file is removed."""

    if getattr(book, "write_only", False) and not book.worksheets:
        book.create_sheet()
    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(book, archive).write_data()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
