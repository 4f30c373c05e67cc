"""The types of the sheets the writers build, where types-openpyxl says less than openpyxl does.

- A write-only sheet (the report streams its sheets) is a `WriteOnlyWorksheet` that openpyxl
  gives a `Worksheet`'s set-up at run time (`Worksheet._setup`: column widths, page set-up,
  auto filter, charts …); the stubs declare only the first. `StreamedSheet` is both, for the
  type checker only (the stubs' own `_WorksheetLike` does the same for a workbook's sheets).
- A sheet of a workbook read read-only (the gate's `load_book`) is a `ReadOnlyWorksheet`, whose
  `iter_rows` the stubs declare as `Worksheet.iter_rows` (so only a `Worksheet` may call it).
  `ReadSheet` is both, for the type checker only. Its cells are `ReadOnlyCell` or `EmptyCell` at
  run time, which the stubs' `iter_rows` does not say: the readers keep them untyped.
- A new sheet always has its page header and footer and its page set-up properties; the stubs
  declare them optional. `odd_header`, `odd_footer` and `page_fit` return them, and refuse
  loudly rather than skip a header (the draft mark) if one were ever missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.header_footer import HeaderFooterItem
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    class StreamedSheet(WriteOnlyWorksheet, Worksheet):
        """A write-only sheet with the set-up attributes openpyxl gives it (see above)."""

    # max_row / max_column: optional on a read-only sheet (no dimension recorded), as the
    # stubs' own _WorksheetLike also overlooks.
    class ReadSheet(ReadOnlyWorksheet, Worksheet):  # type: ignore[misc]
        """A read-only sheet, whose rows a Worksheet's iter_rows reads (see above)."""


def odd_header(ws: Worksheet | WriteOnlyWorksheet) -> HeaderFooterItem:
    """The sheet's page header (every sheet openpyxl makes has one)."""
    header = ws.oddHeader
    if header is None:
        raise ValueError(f"sheet {ws.title} has no page header")
    return header


def odd_footer(ws: Worksheet | WriteOnlyWorksheet) -> HeaderFooterItem:
    """The sheet's page footer (every sheet openpyxl makes has one)."""
    footer = ws.oddFooter
    if footer is None:
        raise ValueError(f"sheet {ws.title} has no page footer")
    return footer


def page_fit(ws: Worksheet) -> PageSetupProperties:
    """The sheet's page set-up properties (fit to page …; every sheet openpyxl makes has them)."""
    fit = ws.sheet_properties.pageSetUpPr
    if fit is None:
        raise ValueError(f"sheet {ws.title} has no page set-up properties")
    return fit
