"""The gate's fast reading of plain inline strings (exchange/gate/inline_strings.py) gives what
openpyxl's own parser gives, cell for cell, on a hand-forged sheet of every kind of string
cell: plain, empty, spaces kept, rich-text runs, phonetic guides (Excel's furigana), a formula
with a cached inline string, cells without a reference, numbers and booleans."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet import _read_only, _reader

from kplan_desktop.exchange.gate import inline_strings

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CELLS = (
    '<c r="A1" t="inlineStr"><is><t>指標コード</t></is></c>'
    '<c r="B1" t="inlineStr" s="0"><is><t xml:space="preserve">  両端に空白  </t></is></c>'
    '<c r="C1" t="inlineStr"><is><t/></is></c>'
    '<c r="D1" t="inlineStr"><is></is></c>'
    '<c r="E1" t="inlineStr"><is><r><rPr><b/></rPr><t>太字</t></r><r><t>と普通</t></r></is></c>'
    '<c r="F1" t="inlineStr"><is><t>市役所</t><rPh sb="0" eb="3"><t>シヤクショ</t></rPh>'
    '<phoneticPr fontId="1"/></is></c>'
    '<c r="G1" t="inlineStr"><f>"=cmd"</f><is><t>=cmd</t></is></c>'
    '<c r="H1"><v>12.5</v></c>'
    '<c r="I1" t="b"><v>1</v></c>'
    '</row><row r="2">'
    '<c t="inlineStr"><is><t>参照なし1</t></is></c>'
    '<c t="inlineStr"><is><t>参照なし2</t></is></c>'
    '<c r="E2" t="inlineStr"><is><t>改行\n入り</t></is></c>'
)


def forged(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.create_sheet("data", 0)
    sheet["A1"] = "placeholder"
    del book["Sheet"]
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    forged_sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'
        f'<row r="1">{CELLS}</row></sheetData></worksheet>'
    )
    out = tmp_path / "forged.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = forged_sheet.encode("utf-8")
            dst.writestr(item, data)
    return out


def read(path: Path, parser: Any, data_only: bool) -> list[list[tuple[Any, str]]]:
    saved = _read_only.WorkSheetParser  # type: ignore[attr-defined]
    _read_only.WorkSheetParser = parser  # type: ignore[attr-defined]
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(path.read_bytes()), read_only=True, data_only=data_only
        )
        rows = [[(c.value, c.data_type) for c in row] for row in book["data"].iter_rows()]
        book.close()
        return rows
    finally:
        _read_only.WorkSheetParser = saved  # type: ignore[attr-defined]


@pytest.mark.parametrize("data_only", [False, True])
def test_every_kind_of_string_cell_reads_as_openpyxl_reads_it(
    tmp_path: Path, data_only: bool
) -> None:
    path = forged(tmp_path)
    stock = read(path, _reader.WorkSheetParser, data_only)
    fast = read(path, inline_strings.PlainInlineStrings, data_only)
    assert fast == stock
    values = [value for row in stock for value, _ in row]
    # The sheet really holds the hard cases: runs joined, the furigana left out, blanks.
    assert "太字と普通" in values and "市役所" in values and "  両端に空白  " in values
    assert "参照なし2" in values and "" in values


def test_the_gate_reads_with_the_fast_parser(tmp_path: Path) -> None:
    from kplan_desktop.exchange.gate.book import load_book

    path = forged(tmp_path)
    book = load_book(path.read_bytes(), path.name)
    rows = [[c.value for c in row] for row in book["data"].iter_rows()]
    book.close()
    assert _read_only.WorkSheetParser is inline_strings.PlainInlineStrings  # type: ignore[attr-defined]
    assert rows[0][0] == "指標コード" and rows[0][4] == "太字と普通"
