"""openpyxl's read-only parser, with its inline strings read without a rich-text object.

openpyxl 3.1 writes every string cell as an inline string (<c t="inlineStr"><is><t>…</t></is>),
and its parser reads each through Text.from_tree, a descriptor-checked object per cell: about
three quarters of a merge's reading time (issue 20). A plain inline string — one <t> and
nothing else — holds exactly its text, which is what Text(…).content returns; every other
cell (rich-text runs, phonetic guides, a formula, a number) goes through openpyxl's own code.
The reader stays openpyxl's: this subclass only answers the one common case itself.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet import _read_only, _reader

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_IS, _T, _F = f"{_NS}is", f"{_NS}t", f"{_NS}f"


class PlainInlineStrings(_reader.WorkSheetParser):
    """WorkSheetParser reading a plain inline string's text directly (see the module)."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        if element.get("t") != "inlineStr" or getattr(self, "rich_text", False):
            return super().parse_cell(element)
        child = element.find(_IS)
        if child is None or len(child) != 1 or child[0].tag != _T or len(child[0]):
            return super().parse_cell(element)
        if not self.data_only and element.find(_F) is not None:
            return super().parse_cell(element)
        style_id = element.get("s", 0)
        if style_id:
            style_id = int(style_id)
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        return {
            "row": row,
            "column": column,
            "value": child[0].text or "",
            "data_type": "s",
            "style_id": style_id,
        }


def install() -> None:
    """Read-only worksheets parse with PlainInlineStrings from now on (idempotent)."""
    _read_only.WorkSheetParser = PlainInlineStrings  # type: ignore[attr-defined]
