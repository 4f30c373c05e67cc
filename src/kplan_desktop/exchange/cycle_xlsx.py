"""The list of departments still to submit, as a small printable workbook for the planning
division to send round or tick off."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.exchange.cells import clean_text, save_book, set_text
from kplan_desktop.exchange.files import unwritable
from kplan_desktop.store.cycle import DepartmentStatus, YearCycle


def write_pending(
    path: Path, fiscal_year: int, cycle: YearCycle | None, rows: Sequence[DepartmentStatus]
) -> None:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    ws: Worksheet = book.create_sheet("未提出")
    ws["A1"] = f"{format_fiscal_year(fiscal_year)} 未提出の課"
    ws["A1"].font = Font(bold=True, size=14)
    due = "—" if cycle is None or cycle.due_date is None else cycle.due_date.isoformat()
    ws["A2"] = f"提出期限: {due}"
    header = ("課コード", "課名", "状況", "入力済み", "指標数", "連絡先")
    for number, label in enumerate(header, start=1):
        ws.cell(row=4, column=number, value=label).font = Font(bold=True)
    for r, row in enumerate(rows, start=5):
        texts: tuple[tuple[int, str], ...] = ((1, row.code), (2, row.name), (6, row.contact or ""))
        for column, text in texts:
            # text, quote-prefixed when it looks like a formula, as in every other workbook
            set_text(ws.cell(row=r, column=column), clean_text(text))
        ws.cell(row=r, column=3, value=row.status.label())
        ws.cell(row=r, column=4, value=row.entered)
        ws.cell(row=r, column=5, value=row.indicators)
    for letter, width in zip("ABCDEF", (14, 28, 18, 10, 10, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if ws.oddFooter is not None:  # a new sheet has one
        ws.oddFooter.right.text = "&P / &N"
    try:
        save_book(book, path)
    except OSError as exc:
        raise unwritable("E_FILE", path, "未提出の課の一覧", "list of departments", exc) from None
