"""The fill-in template (記入票): the workbook a department fills in by hand."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from kplan_desktop.domain.catalog import Catalog, Indicator
from kplan_desktop.domain.cumulative import entry_note, since_words
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.model import MissingReason, ValueKind
from kplan_desktop.domain.units import split_unit
from kplan_desktop.exchange.cells import EXCEL_MAX_TEXT
from kplan_desktop.exchange.payload import (
    TEMPLATE_FORMAT,
    utc_text,
)
from kplan_desktop.exchange.submission_layout import (
    GENERATION_KEY,
    SHEET_TEMPLATE,
    TEMPLATE_CODE_LABEL,
    TEMPLATE_COMMENT_LABEL,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_META_KEYS,
    TEMPLATE_REASON_LABEL,
    TEMPLATE_VALUE_LABEL,
    TEMPLATE_WRITTEN_KEY,
    TEMPLATE_WRITTEN_ROWS,
    VALUE_CELL_FORMAT,
    WrittenCells,
    _year_label,
    generation_title,
    written_digest,
    written_label,
)
from kplan_desktop.exchange.submission_xlsx import (
    _FRACTIONAL_KINDS,
    _INPUT_FILL,
    _LOCKED_FILL,
    _MILESTONE_DONE,
    _MILESTONE_NOT_DONE,
    _RIGHT,
    _TITLE_FONT,
    _UNLOCKED,
    _WHOLE_KINDS,
    _WRAP,
    PROMPT_MAX,
    PROMPT_TITLE_MAX,
    _clip,
    _code_note,
    _Column,
    _department_title,
    _earlier_years,
    _header_row,
    _label_pairs,
    _local,
    _meta_sheet,
    _new_book,
    _print_setup,
    _save,
    _show_actual,
    _table_row,
    _text,
    _text_column,
    _unit_text,
)
from kplan_desktop.progress import CancelCheck, Progress, Steps, false_when_cancelled
from kplan_desktop.store.overview import IndicatorOverview

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def _written_cells(ws: Worksheet, width: int, value_column: int, generation: int) -> WrittenCells:
    top = {
        cell.coordinate: written_digest(cell.value)
        for row in ws.iter_rows(min_row=1, max_row=TEMPLATE_WRITTEN_ROWS, max_col=width)
        for cell in row
        if cell.value is not None
    }
    checked = range(2, value_column)  # name, unit and the earlier years (A is the code)
    labels = tuple(
        written_label(str(ws.cell(row=TEMPLATE_HEADER_ROW, column=c).value or "")) for c in checked
    )
    rows = {
        str(ws.cell(row=r, column=1).value): tuple(
            written_digest(ws.cell(row=r, column=c).value) for c in checked
        )
        for r in range(TEMPLATE_HEADER_ROW + 1, ws.max_row + 1)
        if ws.cell(row=r, column=1).value
    }
    return WrittenCells(top, labels, rows, generation)


# -- the template ----------------------------------------------------------------------------


@false_when_cancelled
def write_template(
    path: str | os.PathLike[str],
    catalog: Catalog,
    rows: list[IndicatorOverview],
    *,
    department: str,
    fiscal_year: int,
    catalog_hash: str,
    program_version: str,
    generation: int,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> bool:
    """Write the fill-in template for a department without the program; False if cancelled.

    `generation`: the plan generation `catalog` is of; the template names it (meta sheet and
    title rows) and its rows are merged into that generation."""
    target = Path(path)
    steps = Steps(len(rows), progress, cancelled)
    created_at = datetime.now(UTC)
    book = _new_book()
    book.properties.title = "総合計画 指標実績 記入票"
    book.properties.keywords = TEMPLATE_FORMAT
    ws = book.create_sheet(SHEET_TEMPLATE)
    year_text = format_fiscal_year(fiscal_year)
    name = _department_title(catalog, department)
    earlier = _earlier_years(catalog, fiscal_year)
    columns = [
        _Column(TEMPLATE_CODE_LABEL, 10),
        _text_column("指標名", [row.indicator.display_name for row in rows], 16, 30),
        _Column("単位", 7),
    ]
    columns += [_Column(_year_label(year, "（参考）"), 11) for year in earlier]
    value_column = len(columns) + 1
    columns += [
        # The reader finds this column by the label's start; the year goes on its own line so
        # that no narrow column breaks it before the closing parenthesis.
        _Column(f"{TEMPLATE_VALUE_LABEL}\n（{year_text}）", 14),
        _Column(TEMPLATE_REASON_LABEL, 13),
        _Column(TEMPLATE_COMMENT_LABEL, 40),
    ]
    _text(ws, 1, 1, f"総合計画 指標実績 記入票（{year_text}）").font = _TITLE_FONT
    _code_note(ws, 1, len(columns), department)
    _label_pairs(
        ws,
        2,
        ("担当課", name),
        ("年度", year_text),
        ("作成日", _local(created_at)),
        ("計画期", generation_title(catalog.plan, generation)),
    )
    _text(
        ws,
        3,
        1,
        "黄色のセルに入力してください。値がないときは実績値を空欄のまま「未記入の理由」を選んで"
        "ください。入力欄のほかは変更できません。",
    )
    _header_row(ws, TEMPLATE_HEADER_ROW, columns)
    reasons = DataValidation(
        type="list",
        formula1='"' + ",".join(reason.label_ja for reason in MissingReason) + '"',
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle="未記入の理由",
        prompt="実績値がないときだけ、一覧から選んでください。",
        errorTitle="一覧にない理由です",
        error="「" + "」「".join(r.label_ja for r in MissingReason) + "」から選んでください。",
        errorStyle="stop",
    )
    if rows:
        ws.add_data_validation(reasons)
    r = TEMPLATE_HEADER_ROW
    for item in rows:
        r += 1
        indicator = item.indicator
        where = f"{SHEET_TEMPLATE} {indicator.code}"
        _text(ws, r, 1, indicator.code, where)
        name_text = indicator.display_name
        if indicator.cumulative:
            # What the running total counts, where the clerk types it (domain.cumulative).
            name_text += f"\n※{since_words(catalog.plan.settings)}を入力"
        _text(ws, r, 2, name_text, where).alignment = _WRAP
        _text(ws, r, 3, _unit_text(indicator), where).alignment = _WRAP
        for offset, year in enumerate(earlier):
            _show_actual(ws, r, 4 + offset, indicator, item.values.get(year))
        value_cell = ws.cell(row=r, column=value_column)
        validation = _value_validation(indicator, entry_note(indicator, catalog.plan.settings))
        if validation is None:
            value_cell.fill = _LOCKED_FILL
        else:
            value_cell.protection = _UNLOCKED
            value_cell.fill = _INPUT_FILL
            # Text: whatever the clerk types stays exactly as typed (see VALUE_CELL_FORMAT).
            value_cell.number_format = VALUE_CELL_FORMAT
            value_cell.alignment = _RIGHT
            validation.add(value_cell.coordinate)
            ws.add_data_validation(validation)
        reason_cell = ws.cell(row=r, column=value_column + 1)
        reason_cell.protection = _UNLOCKED
        reason_cell.fill = _INPUT_FILL
        reason_cell.number_format = "@"
        reasons.add(reason_cell.coordinate)
        comment_cell = ws.cell(row=r, column=value_column + 2)
        comment_cell.protection = _UNLOCKED
        comment_cell.fill = _INPUT_FILL
        comment_cell.number_format = "@"
        comment_cell.alignment = _WRAP
        # Two lines at least: a printed template is sometimes filled in by hand.
        _table_row(ws, r, columns, least_lines=2)
        steps.step()
    ws.freeze_panes = ws.cell(row=TEMPLATE_HEADER_ROW + 1, column=3).coordinate
    # Protected so that only the input cells take typing; no password, because protection here
    # prevents slips, it is not security (the reader checks every cell anyway).
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _print_setup(
        ws,
        f"{TEMPLATE_HEADER_ROW}:{TEMPLATE_HEADER_ROW}",
        f"総合計画 指標実績 記入票　{name}　{year_text}",
        False,
    )
    items = [
        ("format", TEMPLATE_FORMAT, "形式（変更しないでください）"),
        ("department", department, "課コード"),
        ("fiscal_year", str(fiscal_year), f"年度（{year_text}）"),
        ("catalog_hash", catalog_hash, "カタログの版（ハッシュ）"),
        ("program_version", program_version, "プログラムの版"),
        ("created_at", utc_text(created_at), "作成日時（UTC）"),
        (
            GENERATION_KEY,
            str(generation),
            f"計画期（{generation_title(catalog.plan, generation)}。変更しないでください）",
        ),
    ]
    assert tuple(key for key, _, _ in items) == TEMPLATE_META_KEYS
    # Every column of the title rows: the 計画期 pair of row 2 lies beyond a narrow table.
    width = max(len(columns), ws.max_column)
    written = _written_cells(ws, width, value_column, generation).to_text()
    if len(written) <= EXCEL_MAX_TEXT:
        items.append((TEMPLATE_WRITTEN_KEY, written, "記入票が書いたセル（変更しないでください）"))
    _meta_sheet(book, items, hidden=True)
    # Locked structure keeps the meta sheet hidden and the sheet names as written; no password.
    book.security = WorkbookProtection(lockStructure=True)
    return _save(book, target, steps)


def _value_validation(indicator: Indicator, note: str = "") -> DataValidation | None:
    """Excel's check of a typed value, from what the domain knows; None when none can be typed.
    `note`: what the value counts (a running total), said in the prompt."""
    kind = indicator.effective_value_kind
    unit = indicator.unit
    if kind is None or (unit is None and kind is not ValueKind.MILESTONE):
        return None
    unit_text = unit or "なし"
    negative = indicator.allow_negative
    options: dict[str, Any]
    # Only the milestone's list is checked while typing: a value cell is a text cell (see
    # VALUE_CELL_FORMAT), and Excel's and Calc's number checks refuse text such as "90" in it.
    # The reader checks every value with the domain's rules; the prompt says what they are.
    if kind is ValueKind.MILESTONE:
        rule = f"「{_MILESTONE_DONE}」か「{_MILESTONE_NOT_DONE}」を選んでください"
        options = {"type": "list", "formula1": f'"{_MILESTONE_DONE},{_MILESTONE_NOT_DONE}"'}
    elif kind is ValueKind.PERCENT:
        rule = "0から100までの数値を入力してください（90% は 90 または 90%）"
        options = {}
    elif kind in _WHOLE_KINDS:
        rule = "整数を入力してください" if negative else "0以上の整数を入力してください"
        options = {}
    else:
        rule = "数値を入力してください" if negative else "0以上の数値を入力してください"
        if kind is ValueKind.SCALED_COUNT:
            rule += f"（{unit_text}単位。1{unit_text} = {split_unit(unit_text).scale:,}）"
        options = {}
    if indicator.decimals is not None and kind in _FRACTIONAL_KINDS:
        rule += f"。小数点以下{indicator.decimals}桁まで"
    lines = [f"単位: {unit_text}", rule]
    if note:
        lines.append(note)
    if indicator.description:
        lines.append(f"指標の説明: {indicator.description}")
    lines.append("値がないときは空欄のまま「未記入の理由」を選んでください。")
    return DataValidation(
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle=_clip(f"{indicator.code} の実績値", PROMPT_TITLE_MAX),
        prompt=_clip("\n".join(lines), PROMPT_MAX),
        errorTitle="入力できない値です",
        error=_clip(f"{rule}。単位: {unit_text}（{indicator.code}）", PROMPT_MAX),
        errorStyle="stop",
        **options,
    )
