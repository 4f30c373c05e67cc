"""Typed access to the workbooks the tests open: openpyxl's stubs type a workbook's active sheet,
its headers and page set-up as optional; these helpers check the part is there (a failed check
is a failed test) and hand back the real type."""

from __future__ import annotations

from typing import Literal

from openpyxl.chart._chart import ChartBase
from openpyxl.drawing.spreadsheet_drawing import OneCellAnchor, TwoCellAnchor
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.header_footer import _HeaderFooterPart
from openpyxl.worksheet.worksheet import Worksheet

HeaderName = Literal["oddHeader", "oddFooter"]
Part = Literal["left", "center", "right"]


def sheet(book: Workbook, name: str | None = None) -> Worksheet:
    """The named worksheet (else the active one) of a workbook opened for editing."""
    found = book.active if name is None else book[name]
    if not isinstance(found, Worksheet):
        raise AssertionError(f"not a worksheet: {name or 'the active sheet'} ({found!r})")
    return found


def read_only_sheet(book: Workbook, name: str | None = None) -> ReadOnlyWorksheet:
    """The named worksheet (else the active one) of a workbook opened with read_only=True."""
    found = book.active if name is None else book[name]
    if not isinstance(found, ReadOnlyWorksheet):
        raise AssertionError(f"not a read-only worksheet: {name or 'the active sheet'}")
    return found


def header_part(ws: Worksheet, which: HeaderName, part: Part) -> _HeaderFooterPart:
    item = ws.oddHeader if which == "oddHeader" else ws.oddFooter
    if item is None:
        raise AssertionError(f"{ws.title}: no {which}")
    found: _HeaderFooterPart = getattr(item, part)
    return found


def header_text(ws: Worksheet, which: HeaderName, part: Part) -> str:
    """The text of one part of the page header or footer ("" when it has none)."""
    return header_part(ws, which, part).text or ""


def fits_to_page(ws: Worksheet) -> bool:
    properties = ws.sheet_properties.pageSetUpPr
    return bool(properties is not None and properties.fitToPage)


def charts(ws: Worksheet) -> list[ChartBase]:
    """The charts on a sheet (openpyxl keeps them in `_charts`; its stubs leave it out)."""
    found: list[ChartBase] = ws._charts  # type: ignore[attr-defined]
    return found


def as_text(value: object) -> str:
    """A cell value that must be text."""
    if not isinstance(value, str):
        raise AssertionError(f"not text: {value!r}")
    return value


def chart_top_row(chart: ChartBase) -> int:
    """The 1-based row a loaded chart's top edge is anchored at (the stubs type the anchor as
    the cell name a chart is added with; a chart read from a file has a drawing anchor)."""
    anchor: object = chart.anchor
    if not isinstance(anchor, OneCellAnchor | TwoCellAnchor):
        raise AssertionError(f"not a drawing anchor: {anchor!r}")
    return anchor._from.row + 1
