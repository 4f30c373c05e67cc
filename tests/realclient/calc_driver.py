"""Drives a running LibreOffice Calc through its UNO API, the way a clerk works at the keyboard.

Run with Debian's own interpreter (python3-uno imports only there), never the venv's:

    /usr/bin/python3 calc_driver.py PIPE_NAME JOB.json

JOB.json: {"open": PATH, "save": PATH or null, "ops": [...]}; prints one JSON object: the
results of the "read" operations. Every operation names its sheet by its visible name.

- type: select the cell and send the text as typed input (.uno:EnterString): Calc's own input
  recognition (numbers, percentages, dates, full-width digits) applies, as for a clerk.
- set_string: the exact characters as text (a paste of text).
- delete_rows / insert_rows (1-based row, count), hide_column (letter), sort (a range sorted
  by one of its columns), copy_sheet, rename_sheet, unprotect_sheet, unprotect_book.
- read: a cell's type, value, string and number format (for the tests' own checks).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

# UNO objects have no Python types (pyuno builds them at run time): they are Any here.


def prop(name: str, value: object) -> Any:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe: str) -> tuple[Any, Any]:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    return desktop, dispatcher


def column_index(letter: str) -> int:
    n = 0
    for ch in letter.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def split_cell(ref: str) -> tuple[int, int]:
    letters = "".join(c for c in ref if c.isalpha())
    digits = "".join(c for c in ref if c.isdigit())
    return column_index(letters), int(digits) - 1


def run(pipe: str, job: dict[str, Any]) -> list[dict[str, object]]:
    desktop, dispatcher = connect(pipe)
    url = uno.systemPathToFileUrl(str(Path(job["open"]).resolve()))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    results: list[dict[str, object]] = []
    try:
        controller = doc.getCurrentController()
        frame = controller.getFrame()
        sheets = doc.getSheets()
        formats = doc.getNumberFormats()
        for op in job["ops"]:
            kind = op["op"]
            if kind == "unprotect_book":
                doc.unprotect("")
                continue
            sheet = sheets.getByName(op["sheet"])
            if kind == "type":
                controller.setActiveSheet(sheet)
                col, row = split_cell(op["cell"])
                controller.select(sheet.getCellByPosition(col, row))
                dispatcher.executeDispatch(
                    frame, ".uno:EnterString", "", 0, (prop("StringName", op["text"]),)
                )
            elif kind == "paste_values":
                # The clerk's own book: the text typed into A1, copied, then Paste Special >
                # values only (text, numbers, dates: flags SVD) into `cell` of this sheet.
                own = desktop.loadComponentFromURL(
                    "private:factory/scalc", "_blank", 0, (prop("Hidden", True),)
                )
                try:
                    own_frame = own.getCurrentController().getFrame()
                    dispatcher.executeDispatch(
                        own_frame, ".uno:GoToCell", "", 0, (prop("ToPoint", "A1"),)
                    )
                    dispatcher.executeDispatch(
                        own_frame, ".uno:EnterString", "", 0, (prop("StringName", op["text"]),)
                    )
                    dispatcher.executeDispatch(
                        own_frame, ".uno:GoToCell", "", 0, (prop("ToPoint", "A1"),)
                    )
                    dispatcher.executeDispatch(own_frame, ".uno:Copy", "", 0, ())
                    controller.setActiveSheet(sheet)
                    col, row = split_cell(op["cell"])
                    controller.select(sheet.getCellByPosition(col, row))
                    dispatcher.executeDispatch(
                        frame,
                        ".uno:InsertContents",
                        "",
                        0,
                        (
                            prop("Flags", "SVD"),
                            prop("FormulaCommand", 0),
                            prop("SkipEmptyCells", False),
                            prop("Transpose", False),
                            prop("AsLink", False),
                            prop("MoveMode", 4),
                        ),
                    )
                finally:
                    own.close(True)
            elif kind == "insert_columns":
                sheet.getColumns().insertByIndex(column_index(op["column"]), op.get("count", 1))
            elif kind == "delete_columns":
                sheet.getColumns().removeByIndex(column_index(op["column"]), op.get("count", 1))
            elif kind == "set_string":
                col, row = split_cell(op["cell"])
                sheet.getCellByPosition(col, row).setString(op["text"])
            elif kind == "number_format":
                col, row = split_cell(op["cell"])
                locale = uno.createUnoStruct("com.sun.star.lang.Locale")
                if op["format"] == "General":
                    # Calc's own standard format (標準), not a user format named "General".
                    key = formats.getStandardIndex(locale)
                else:
                    key = formats.queryKey(op["format"], locale, False)
                    if key == -1:
                        key = formats.addNew(op["format"], locale)
                sheet.getCellByPosition(col, row).NumberFormat = key
            elif kind == "show_sheet":
                sheet.IsVisible = True
            elif kind == "unprotect_sheet":
                sheet.unprotect("")
            elif kind == "delete_rows":
                sheet.getRows().removeByIndex(op["row"] - 1, op.get("count", 1))
            elif kind == "insert_rows":
                sheet.getRows().insertByIndex(op["row"] - 1, op.get("count", 1))
            elif kind == "hide_column":
                sheet.getColumns().getByIndex(column_index(op["column"])).IsVisible = False
            elif kind == "sort":
                cells = sheet.getCellRangeByName(op["range"])
                field = uno.createUnoStruct("com.sun.star.table.TableSortField")
                field.Field = op["column"]
                field.IsAscending = not op.get("descending", False)
                cells.sort(
                    (
                        prop(
                            "SortFields", uno.Any("[]com.sun.star.table.TableSortField", (field,))
                        ),
                        prop("ContainsHeader", False),
                    )
                )
            elif kind == "copy_sheet":
                sheets.copyByName(op["sheet"], op["new_name"], op.get("position", sheets.Count))
            elif kind == "rename_sheet":
                sheet.setName(op["new_name"])
            elif kind == "read":
                col, row = split_cell(op["cell"])
                cell = sheet.getCellByPosition(col, row)
                key = cell.NumberFormat
                results.append(
                    {
                        "cell": op["cell"],
                        "type": cell.getType().value,
                        "value": cell.getValue(),
                        "string": cell.getString(),
                        "format": formats.getByKey(key).FormatString,
                    }
                )
            else:
                raise ValueError(f"unknown operation {kind!r}")
        if job.get("save"):
            target = uno.systemPathToFileUrl(str(Path(job["save"]).resolve()))
            doc.storeToURL(target, (prop("FilterName", "Calc MS Excel 2007 XML"),))
    finally:
        doc.close(True)
    return results


def main() -> None:
    pipe, job_file = sys.argv[1], sys.argv[2]
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    print(json.dumps(run(pipe, job), ensure_ascii=False))


if __name__ == "__main__":
    main()
