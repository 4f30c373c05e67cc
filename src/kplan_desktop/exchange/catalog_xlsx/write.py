"""Writing the catalog workbook."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

from kplan_desktop.domain.catalog import Catalog, CrossReference, Plan, ReferenceTable
from kplan_desktop.domain.catalog_edit import INTERIM_SEPARATOR
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.catalog_json import FORMAT
from kplan_desktop.exchange.catalog_xlsx.layout import (
    _BOOL,
    _DEC,
    _ENUM,
    _KEY_FONT,
    _LABEL_FILL,
    _LABEL_FONT,
    _LEVELS,
    _TAG_SPLIT,
    _TEXT,
    _TOP,
    _WRAP,
    DEPARTMENT_COLUMNS,
    DIRECTION_COLUMNS,
    ERROR_CODE,
    FIRST_DATA_ROW,
    GENERATION_KEY,
    INDICATOR_COLUMNS,
    LINEAGE_KEYS,
    LINK_COLUMNS,
    PLAN_COLUMNS,
    PLAN_KEYS,
    REFERENCE_COLUMNS,
    SHEET_DEPARTMENTS,
    SHEET_DIRECTIONS,
    SHEET_INDICATORS,
    SHEET_LINKS,
    SHEET_PLAN,
    SHEET_REFERENCE,
    SHEET_STRUCTURE,
    STRUCTURE_COLUMNS,
    TAG_SEPARATOR,
    VERSION_KEYS,
    _Column,
    _error,
    _PlanKey,
)
from kplan_desktop.exchange.cells import save_book, set_text, text_problem
from kplan_desktop.exchange.files import unwritable
from kplan_desktop.exchange.sheet_types import page_fit
from kplan_desktop.exchange.submission_layout import generation_title

# -- writing ---------------------------------------------------------------------------------


def write_catalog_xlsx(
    catalog: Catalog,
    path: Path,
    version: Mapping[str, object] | None = None,
    *,
    generation: int | None = None,
    lineage: Mapping[str, Any] | None = None,
) -> None:
    """Write the catalog as a workbook (replacing `path` only once the whole file is written).

    `version`: the catalog version's sequence, catalog_hash and issued_at, on the 計画 sheet.
    `generation`: the plan generation the catalog is of, on the 計画 sheet (its label names
    it for people); None writes no generation row (a workbook for editing only).
    """
    file = path.name
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    book.properties.creator = "kplan-desktop"
    _write_plan(book, catalog.plan, file, version, generation, lineage)
    _write_table(
        book,
        SHEET_DEPARTMENTS,
        DEPARTMENT_COLUMNS,
        [
            {
                "code": d.code,
                "name": d.name,
                "active": d.active,
                "contact": d.contact,
                "former_names": _pairs(d.former_names) or None,
                "merged_into": d.merged_into,
                "until_year": d.until_year,
            }
            for d in catalog.departments
        ],
        file,
    )
    _write_table(book, SHEET_STRUCTURE, STRUCTURE_COLUMNS, _structure_rows(catalog, file), file)
    _write_table(book, SHEET_DIRECTIONS, DIRECTION_COLUMNS, _direction_rows(catalog, file), file)
    _write_table(
        book, SHEET_INDICATORS, INDICATOR_COLUMNS, _indicator_rows(catalog), file, freeze="C3"
    )
    _write_reference(book, catalog.reference_tables, file)
    if lineage is not None:
        _write_table(book, SHEET_LINKS, LINK_COLUMNS, list(lineage["links"]), file)
    _save(book, path)


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else canonical(value)


def _value(member: Enum | None) -> str | None:
    return None if member is None else str(member.value)


def _join(items: Iterable[str], separator: str, forbidden: re.Pattern[str], what: str) -> str:
    """Join list items into one cell, refusing items that would not split back the same."""
    items = list(items)
    for item in items:
        if not item.strip() or item != item.strip() or forbidden.search(item):
            raise DomainError(
                ERROR_CODE,
                f"{what} の項目 {item[:40]!r} はExcelに書き出せません"
                "（空、前後の空白、区切り文字を含む）",
                f"{what}: item {item[:40]!r} cannot be written to Excel "
                "(empty, surrounding spaces, or a separator inside)",
            )
    return separator.join(items)


def _structure_rows(catalog: Catalog, file: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    seen: dict[str, set[str]] = {level: set() for level in _LEVELS}

    def add(level: str, row: dict[str, object]) -> None:
        code = str(row["code"])
        if code in seen[level]:
            raise _error(
                file,
                SHEET_STRUCTURE,
                (),
                "",
                f"{level} のコード {code} が重複しているため、上位コードで親を示せません",
                f"duplicate {level} code {code}: parents are named by code",
            )
        seen[level].add(code)
        rows.append({"level": level, **row})

    for goal in catalog.goals:
        add("goal", {"code": goal.code, "name": goal.name, "subtitle": goal.subtitle})
        for policy in goal.policies:
            add("policy", {"code": policy.code, "parent": goal.code, "name": policy.name})
            for m in policy.measures:
                related = _join(m.related_plans, "\n", re.compile(r"\n"), f"施策 {m.code}")
                add(
                    "measure",
                    {
                        "code": m.code,
                        "parent": policy.code,
                        "name": m.name,
                        "vision": m.vision,
                        "related_plans": related or None,
                        "links": _reference_lines(m.links, f"施策 {m.code}") or None,
                    },
                )
    return rows


def _direction_rows(catalog: Catalog, file: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for goal in catalog.goals:
        for policy in goal.policies:
            for m in policy.measures:
                for d in m.directions:
                    what = f"施策 {m.code} の方向 {d.number}"
                    tags = _join(d.tags, TAG_SEPARATOR, _TAG_SPLIT, what)
                    refs = _reference_lines(d.cross_references, what)
                    rows.append(
                        {
                            "measure": m.code,
                            "number": d.number,
                            "name": d.name,
                            "text": d.text,
                            "tags": tags or None,
                            "cross_references": refs or None,
                        }
                    )
    return rows


def _indicator_rows(catalog: Catalog) -> list[dict[str, object]]:
    return [
        {
            "measure": measure.code,
            "code": i.code,
            "kind": i.kind.value,
            "name": i.name,
            "unit": i.unit,
            "department": i.department,
            "description": i.description,
            "value_kind": _value(i.value_kind),
            "direction": _value(i.direction),
            "comparator": _value(i.comparator),
            "cumulative": i.cumulative,
            "decimals": i.decimals,
            "allow_negative": i.allow_negative,
            "baseline_year": i.baseline_year,
            "baseline": _dec(i.baseline),
            "target_year": i.target_year,
            "target": _dec(i.target),
            "official_rate": _value(i.official_rate),
            "yoy_threshold": canonical(i.yoy_threshold),
            "status": i.status.value,
            "note": i.note,
            "former_owners": _pairs(i.former_owners) or None,
            "links": _reference_lines(i.links, f"指標 {i.code}") or None,
            "interim_targets": TAG_SEPARATOR.join(
                f"{y}={canonical(v)}" for y, v in i.interim_targets
            )
            or None,
        }
        for _goal, _policy, measure, i in catalog.indicators()
    ]


def _reference_lines(references: Iterable[CrossReference], what: str) -> str:
    """Links to other plans, one per line as 計画|コード|項目名."""
    return "\n".join(
        "|".join(
            (
                _join([x.plan], "", re.compile(r"[|｜\n]"), what),
                _join([x.code], "", re.compile(r"[|｜\n]"), what),
                _join([x.title], "", re.compile(r"\n"), what),
            )
        )
        for x in references
    )


def _pairs(items: Iterable[tuple[int, str]]) -> str:
    """(year, text) pairs as 「2024=総務課、2025=…」."""
    return TAG_SEPARATOR.join(f"{year}={text}" for year, text in items)


def _history(text: str | None) -> list[dict[str, Any]]:
    """The inverse of _pairs, as the JSON shape ({"until", "value"}) before naming the field."""
    out: list[dict[str, Any]] = []
    for part in INTERIM_SEPARATOR.split(text or ""):
        if part.strip():
            year, _, value = part.partition("=")
            year = year.strip()
            out.append({"until": int(year) if year.isdecimal() else year, "value": value.strip()})
    return out


def _put(ws: Worksheet, row: int, column: int, value: object, spec: _Column, file: str) -> None:
    """One data cell: text stays text (never a formula), decimals are exact text."""
    cell = ws.cell(row=row, column=column)
    cell.alignment = _WRAP if spec.wrap else _TOP
    if spec.kind in (_TEXT, _DEC, _ENUM):
        cell.number_format = "@"
    if value is None:
        return
    if isinstance(value, str):

        def refuse(what_ja: str, what_en: str) -> DomainError:
            where = get_column_letter(column)
            return _error(file, ws.title, (row,), f"{spec.key} ({where})", what_ja, what_en)

        # Text stays text, quote-prefixed when it looks like a formula (exchange/cells.py);
        # what a cell cannot hold exactly is refused, naming the cell.
        problem = text_problem(value)
        if problem is not None:
            raise refuse(*problem)
        set_text(cell, value)
    elif isinstance(value, bool | int):
        cell.value = value
    else:  # pragma: no cover - the row builders only produce str, int, bool and None
        raise TypeError(f"unexpected cell value {value!r}")


def _header(ws: Worksheet, columns: Sequence[_Column]) -> None:
    for n, spec in enumerate(columns, start=1):
        key = ws.cell(row=1, column=n, value=spec.key)
        key.font = _KEY_FONT
        label = ws.cell(row=2, column=n, value=spec.label)
        label.font = _LABEL_FONT
        label.fill = _LABEL_FILL
        label.alignment = _WRAP
        dimension = ws.column_dimensions[get_column_letter(n)]
        dimension.width = spec.width
        if spec.kind in (_TEXT, _DEC, _ENUM):
            # Text format for cells typed later, so that 4-1-2 is not turned into a date.
            dimension.number_format = "@"
    ws.freeze_panes = "A3"


def _choice_list(ws: Worksheet, choices: Sequence[str], cells: str) -> None:
    """A drop-down of allowed values; other entries (e.g. 以上 for >=) stay possible."""
    validation = DataValidation(
        type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
    )
    validation.showErrorMessage = False
    validation.add(cells)
    ws.add_data_validation(validation)


def _write_table(
    book: Workbook,
    title: str,
    columns: Sequence[_Column],
    rows: Sequence[Mapping[str, object]],
    file: str,
    freeze: str = "A3",
) -> None:
    ws: Worksheet = book.create_sheet(title)
    _header(ws, columns)
    ws.freeze_panes = freeze
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        for c, spec in enumerate(columns, start=1):
            _put(ws, r, c, row.get(spec.key), spec, file)
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A2:{last}{max(2, len(rows) + 2)}"
    for n, spec in enumerate(columns, start=1):
        letter = get_column_letter(n)
        if spec.kind == _ENUM:
            _choice_list(ws, spec.choices, f"{letter}3:{letter}1048576")
        elif spec.kind == _BOOL:
            _choice_list(ws, ("TRUE", "FALSE"), f"{letter}3:{letter}1048576")


def _write_plan(
    book: Workbook,
    plan: Plan,
    file: str,
    version: Mapping[str, object] | None = None,
    generation: int | None = None,
    lineage: Mapping[str, Any] | None = None,
) -> None:
    s = plan.settings
    values: dict[str, object] = {
        "format": FORMAT,
        "code": plan.code,
        "name": plan.name,
        "start_year": s.start_year,
        "end_year": s.end_year,
        "baseline_year": s.baseline_year,
        "grade_a": canonical(s.grade_a),
        "grade_b": canonical(s.grade_b),
        "grade_c": canonical(s.grade_c),
        "grade_labels": s.grade_labels.value,
        "warn_grades": _join(sorted(s.warn_grades), TAG_SEPARATOR, _TAG_SPLIT, "warn_grades")
        or None,
        "on_track": canonical(s.on_track),
        "slightly_behind": canonical(s.slightly_behind),
    }
    ws = book.create_sheet(SHEET_PLAN)
    _header(ws, PLAN_COLUMNS)
    key_spec, label_spec, _ = PLAN_COLUMNS
    keys: tuple[_PlanKey, ...] = PLAN_KEYS
    labels = {item.key: item.label for item in PLAN_KEYS}
    if generation is not None:
        keys = (*keys, GENERATION_KEY)
        values[GENERATION_KEY.key] = generation
        labels[GENERATION_KEY.key] = f"{GENERATION_KEY.label}: {generation_title(plan, generation)}"
    if version is not None:
        keys = (*keys, *VERSION_KEYS)
        for item in VERSION_KEYS:
            values[item.key] = version.get(item.path[-1])
            labels[item.key] = item.label
    if lineage is not None:
        keys = (*keys, *LINEAGE_KEYS)
        for item in LINEAGE_KEYS:
            found: Any = lineage
            for part in item.path[1:]:
                found = None if found is None else found.get(part)
            values[item.key], labels[item.key] = found, item.label
    for r, item in enumerate(keys, start=FIRST_DATA_ROW):
        _put(ws, r, 1, item.key, key_spec, file)
        _put(ws, r, 2, labels[item.key], label_spec, file)
        spec = item.column
        _put(ws, r, 3, values[item.key], _Column("value", "値", spec.kind, wrap=True), file)
        if spec.kind == _ENUM:
            _choice_list(ws, spec.choices, f"C{r}")


def _write_reference(book: Workbook, tables: Sequence[ReferenceTable], file: str) -> None:
    ws = book.create_sheet(SHEET_REFERENCE)
    widest = max([len(t.columns) for t in tables], default=1)
    _header(ws, REFERENCE_COLUMNS)
    for n in range(len(REFERENCE_COLUMNS) + 1, 4 + widest):
        ws.column_dimensions[get_column_letter(n)].width = 12
        ws.column_dimensions[get_column_letter(n)].number_format = "@"
    key_spec, label_spec, value_spec, number_spec = REFERENCE_COLUMNS
    r = FIRST_DATA_ROW
    for table in tables:
        lines: list[tuple[str, str, str | None, Sequence[str | None]]] = [
            ("table", "参考データ（表コード）", table.code, ()),
            ("title", "表題", table.title, ()),
            ("unit", "単位", table.unit, ()),
            ("source", "出典", table.source, ()),
            ("note", "注記", table.note, ()),
            ("columns", "列見出し（D列から）", None, table.columns),
        ]
        for column in table.columns:
            if not column:
                raise _error(
                    file,
                    SHEET_REFERENCE,
                    (),
                    "",
                    "空の列見出しは書き出せません",
                    "empty column name",
                )
        lines += [("row", "行", label, [_dec(v) for v in values]) for label, values in table.rows]
        for key, label, value, cells in lines:
            _put(ws, r, 1, key, key_spec, file)
            _put(ws, r, 2, label, label_spec, file)
            _put(ws, r, 3, value, value_spec, file)
            for k, cell in enumerate(cells, start=4):
                _put(ws, r, k, cell, value_spec if key == "columns" else number_spec, file)
            r += 1
        r += 1


def _save(book: Workbook, path: Path) -> None:
    # A sibling temporary file (created by openpyxl, so with the usual permissions), then an
    # atomic rename: an existing catalog is never left half-written.
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    for sheet in book.worksheets:
        # Printed for review meetings: A4 landscape, as wide as one page, headers repeated.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        page_fit(sheet).fitToPage = True
        if sheet.max_row > 2 and sheet.title != SHEET_REFERENCE:
            sheet.print_title_rows = "1:2"
    try:
        save_book(book, temp)
        os.replace(temp, path)
    except OSError as exc:
        raise unwritable(ERROR_CODE, path, "Excelファイル", "workbook", exc) from None
    finally:
        temp.unlink(missing_ok=True)
