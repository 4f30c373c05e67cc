"""The catalog as an Excel workbook, for the planning division to edit in Excel.

Layout (sheet names are Japanese; every table sheet has the machine keys in row 1, small and
grey, the Japanese labels in row 2, bold, and data from row 3; columns are found by their row-1
key, so they may be reordered; a column with an empty row-1 key is ignored, e.g. a memo column):

- 計画: key / label / value rows: format, code, name, start_year, end_year, baseline_year,
  grade_a, grade_b, grade_c, grade_labels, warn_grades (joined with "、"), on_track,
  slightly_behind. A grading row that is absent takes the default.
- 課: code, name, active.
- 体系: one row per goal, policy and measure: level (goal / policy / measure, or 基本目標 /
  政策 / 施策), code, parent (the goal of a policy, the policy of a measure), name, subtitle
  (goals), vision (目指す姿, measures), related_plans (measures, one per line). Rows keep the
  order of the plan within their parent.
- 施策の方向: measure, number, name, text, tags (joined with "、"), cross_references (one per
  line, "plan|code|title").
- 指標: measure and every field of an indicator; enums as their values (kind also accepts
  達成/活動, direction its Japanese label, comparator 以上/以下), decimals as exact text.
- 参考データ: blocks, one per reference table, separated by a blank row. Column A holds the line
  type, column B a Japanese label (ignored when read), column C the value: "table" (its code),
  "title", "unit", "source", "note"; then "columns" with the column names from column D, and one
  "row" line per row with its label in column C and its values from column D.

Reading converts the workbook to the dict shape of catalog_json and calls catalog_from_dict, so
every catalog check lives there; its errors are re-worded to name the sheet and row.
"""

from __future__ import annotations

import io
import math
import os
import re
import secrets
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kplan_desktop.domain.catalog import Catalog, CrossReference, Plan, ReferenceTable
from kplan_desktop.domain.catalog_edit import INTERIM_SEPARATOR
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import (
    Comparator,
    Direction,
    GradeLabels,
    IndicatorKind,
    IndicatorStatus,
    RateBasis,
    ValueKind,
)
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.catalog_json import FORMAT, catalog_from_dict
from kplan_desktop.exchange.cells import save_book, set_text, text_problem
from kplan_desktop.exchange.files import unwritable
from kplan_desktop.exchange.gate import CATALOG_LIMITS, GatedWorkbook, open_workbook

ERROR_CODE = "E_CATALOG_XLSX"

SHEET_PLAN = "計画"
SHEET_DEPARTMENTS = "課"
SHEET_STRUCTURE = "体系"
SHEET_DIRECTIONS = "施策の方向"
SHEET_INDICATORS = "指標"
SHEET_REFERENCE = "参考データ"
SHEETS = (
    SHEET_PLAN,
    SHEET_DEPARTMENTS,
    SHEET_STRUCTURE,
    SHEET_DIRECTIONS,
    SHEET_INDICATORS,
    SHEET_REFERENCE,
)

MAX_NUMBER_TEXT = 100
MAX_EXPONENT = 100

FIRST_DATA_ROW = 3
TAG_SEPARATOR = "、"
_TAG_SPLIT = re.compile(r"[、,，\n]")
_REF_SPLIT = re.compile(r"[|｜]")
# catalog_from_dict's `where` root; its messages are re-worded to name sheet and row.
_ROOT = "xlsx"

_TEXT, _INT, _DEC, _BOOL, _ENUM = "text", "int", "dec", "bool", "enum"


# -- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    kind: str = _TEXT
    width: float = 14.0
    wrap: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()


def _enum_column(
    key: str,
    label: str,
    cls: type[Enum],
    width: float = 12.0,
    aliases: tuple[tuple[str, str], ...] = (),
) -> _Column:
    choices = tuple(str(member.value) for member in cls)
    return _Column(key, label, _ENUM, width, choices=choices, aliases=aliases)


_LEVELS = ("goal", "policy", "measure")
_LEVEL_COLUMN = _Column(
    "level",
    "階層",
    _ENUM,
    10,
    choices=_LEVELS,
    aliases=(("基本目標", "goal"), ("政策", "policy"), ("施策", "measure")),
)

PLAN_COLUMNS = (
    _Column("key", "キー", width=18),
    _Column("label", "項目", width=40, wrap=True),
    _Column("value", "値", width=60, wrap=True),
)

DEPARTMENT_COLUMNS = (
    _Column("code", "課コード", width=16),
    _Column("name", "課名", width=28),
    _Column("active", "有効", _BOOL, width=8),
    _Column("contact", "連絡先", width=28),
    _Column("former_names", "以前の名称（例: 2024=旧課名）", width=28, wrap=True),
    _Column("merged_into", "統合先の課コード", width=14),
    _Column("until_year", "最後の年度（統合）", _INT, width=10),
)
# Optional on reading: workbooks written before these columns existed still read.
DEPARTMENT_OPTIONAL = ("contact", "former_names", "merged_into", "until_year")

STRUCTURE_COLUMNS = (
    _LEVEL_COLUMN,
    _Column("code", "コード", width=10),
    _Column("parent", "上位コード", width=10),
    _Column("name", "名称", width=36, wrap=True),
    _Column("subtitle", "副題（基本目標）", width=20, wrap=True),
    _Column("vision", "目指す姿（施策）", width=60, wrap=True),
    _Column("related_plans", "関連する個別計画（施策・1行に1件）", width=40, wrap=True),
    _Column("links", "他計画の項目（施策・1行に1件: 計画|コード|項目名）", width=44, wrap=True),
)

DIRECTION_COLUMNS = (
    _Column("measure", "施策コード", width=10),
    _Column("number", "番号", _INT, width=6),
    _Column("name", "施策の方向", width=30, wrap=True),
    _Column("text", "内容", width=70, wrap=True),
    _Column("tags", "タグ（「、」区切り）", width=22, wrap=True),
    _Column(
        "cross_references", "関連する項目（1行に1件: 計画|コード|項目名）", width=44, wrap=True
    ),
)

INDICATOR_COLUMNS = (
    _Column("measure", "施策コード", width=10),
    _Column("code", "指標コード", width=12),
    _enum_column(
        "kind",
        "種別",
        IndicatorKind,
        10,
        (
            ("達成", "outcome"),
            ("達成指標", "outcome"),
            ("活動", "activity"),
            ("活動指標", "activity"),
        ),
    ),
    _Column("name", "指標名", width=30, wrap=True),
    _Column("unit", "単位", width=8),
    _Column("department", "担当課コード", width=14),
    _Column("description", "説明", width=50, wrap=True),
    _enum_column("value_kind", "値の種類", ValueKind),
    _enum_column(
        "direction", "方向", Direction, 12, tuple((d.label_ja, d.value) for d in Direction)
    ),
    _enum_column(
        "comparator", "目標の比較", Comparator, 10, tuple((c.label_ja, c.value) for c in Comparator)
    ),
    _Column("cumulative", "累計", _BOOL, width=8),
    _Column("decimals", "小数桁", _INT, width=8),
    _Column("allow_negative", "負の値を許可", _BOOL, width=10),
    _Column("baseline_year", "基準年度", _INT, width=10),
    _Column("baseline", "基準値", _DEC, width=12),
    _Column("target_year", "目標年度", _INT, width=10),
    _Column("target", "目標値", _DEC, width=12),
    _enum_column("official_rate", "公式の達成率", RateBasis),
    _Column("yoy_threshold", "前年比の許容変動（0.5 = 50%）", _DEC, width=14),
    _enum_column("status", "状態", IndicatorStatus),
    _Column("note", "備考", width=40, wrap=True),
    _Column("interim_targets", "年度別目標（例: 2024=5000、2025=6000）", width=30, wrap=True),
    _Column("former_owners", "以前の担当課（例: 2024=旧課コード）", width=24, wrap=True),
    _Column("links", "他計画の項目（1行に1件: 計画|コード|項目名）", width=44, wrap=True),
)
INDICATOR_OPTIONAL = ("interim_targets", "former_owners", "links")

REFERENCE_COLUMNS = (
    _Column("key", "種別", width=10),
    _Column("label", "項目", width=20),
    _Column("value", "値・行見出し", width=24, wrap=True),
    _Column("values", "数値（列ごと）", _DEC, width=12),
)


@dataclass(frozen=True)
class _PlanKey:
    key: str
    label: str
    column: _Column
    path: tuple[str, ...]


def _plan_key(key: str, label: str, kind: str, path: tuple[str, ...]) -> _PlanKey:
    return _PlanKey(key, label, _Column("value", label, kind), path)


PLAN_KEYS = (
    _plan_key("format", "形式（変更しないでください）", _TEXT, ("format",)),
    _plan_key("code", "計画コード", _TEXT, ("plan", "code")),
    _plan_key("name", "計画名", _TEXT, ("plan", "name")),
    _plan_key("start_year", "計画期間の開始年度", _INT, ("plan", "start_year")),
    _plan_key("end_year", "計画期間の終了年度", _INT, ("plan", "end_year")),
    _plan_key("baseline_year", "基準年度", _INT, ("plan", "baseline_year")),
    _plan_key("grade_a", "評価Aとする達成率（以上、1 = 100%）", _DEC, ("plan", "grading", "a")),
    _plan_key("grade_b", "評価Bとする達成率（以上）", _DEC, ("plan", "grading", "b")),
    _plan_key("grade_c", "評価Cとする達成率（以上）", _DEC, ("plan", "grading", "c")),
    _PlanKey(
        "grade_labels",
        "評価の表記（letters / words / marks）",
        _enum_column("value", "評価の表記", GradeLabels),
        ("plan", "grading", "labels"),
    ),
    _plan_key(
        "warn_grades", "注意を促す評価（「、」区切り）", _TEXT, ("plan", "grading", "warn_grades")
    ),
    _plan_key(
        "on_track",
        "「順調」とする進み具合（以上、1 = 100%）",
        _DEC,
        ("plan", "grading", "on_track"),
    ),
    _plan_key(
        "slightly_behind",
        "「やや遅れ」とする進み具合（以上）",
        _DEC,
        ("plan", "grading", "slightly_behind"),
    ),
)
# The catalog version (written by the program, checked on import; not part of the content hash).
VERSION_KEYS = (
    _plan_key(
        "version_sequence", "カタログの版（変更しないでください）", _INT, ("version", "sequence")
    ),
    _plan_key(
        "version_hash",
        "版の内容ハッシュ（変更しないでください）",
        _TEXT,
        ("version", "catalog_hash"),
    ),
    _plan_key(
        "version_issued_at", "版の発行日時（変更しないでください）", _TEXT, ("version", "issued_at")
    ),
    _plan_key(
        "open_years",
        "入力受付中の年度と提出期限（例: 2024=2025-06-30、企画担当課が設定）",
        _TEXT,
        ("cycle_text",),
    ),
)
_PLAN_KEYS = {k.key: k for k in (*PLAN_KEYS, *VERSION_KEYS)}

_KEY_FONT = Font(size=8, color="FF808080")
_LABEL_FONT = Font(bold=True)
_LABEL_FILL = PatternFill(fill_type="solid", fgColor="FFDDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


# -- errors ----------------------------------------------------------------------------------


def _place_ja(file: str, sheet: str | None, rows: Sequence[int] = (), column: str = "") -> str:
    text = file
    if sheet:
        text += f" シート「{sheet}」"
    if rows:
        text += "・".join(str(r) for r in rows) + "行目"
    if column:
        text += f" {column}"
    return text


def _place_en(file: str, sheet: str | None, rows: Sequence[int] = (), column: str = "") -> str:
    text = file
    if sheet:
        text += f", sheet {sheet}"
    if rows:
        text += (", row " if len(rows) == 1 else ", rows ") + ", ".join(str(r) for r in rows)
    if column:
        text += f", column {column}"
    return text


def _error(
    file: str,
    sheet: str | None,
    rows: Sequence[int],
    column: str,
    what_ja: str,
    what_en: str,
) -> DomainError:
    return DomainError(
        ERROR_CODE,
        f"カタログのExcelファイルが正しくありません（{_place_ja(file, sheet, rows, column)}）: "
        f"{what_ja}",
        f"Invalid catalog workbook ({_place_en(file, sheet, rows, column)}): {what_en}",
    )


class _Bad(Exception):
    """A cell that cannot be read; the caller adds where it is."""

    def __init__(self, what_ja: str, what_en: str) -> None:
        super().__init__(what_en)
        self.what_ja = what_ja
        self.what_en = what_en


# -- writing ---------------------------------------------------------------------------------


def write_catalog_xlsx(
    catalog: Catalog, path: Path, version: Mapping[str, object] | None = None
) -> None:
    """Write the catalog as a workbook (replacing `path` only once the whole file is written).

    `version`: the catalog version's sequence, catalog_hash and issued_at, on the 計画 sheet.
    """
    file = path.name
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    book.properties.creator = "kplan-desktop"
    _write_plan(book, catalog.plan, file, version)
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


def _put(ws: Any, row: int, column: int, value: object, spec: _Column, file: str) -> None:
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


def _header(ws: Any, columns: Sequence[_Column]) -> None:
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


def _choice_list(ws: Any, choices: Sequence[str], cells: str) -> None:
    """A drop-down of allowed values; other entries (e.g. 以上 for >=) stay possible."""
    validation = DataValidation(
        type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
    )
    validation.showErrorMessage = False
    validation.add(cells)
    ws.add_data_validation(validation)


def _write_table(
    book: Any,
    title: str,
    columns: Sequence[_Column],
    rows: Sequence[Mapping[str, object]],
    file: str,
    freeze: str = "A3",
) -> None:
    ws = book.create_sheet(title)
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
    book: Any, plan: Plan, file: str, version: Mapping[str, object] | None = None
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
    if version is not None:
        keys = (*PLAN_KEYS, *VERSION_KEYS)
        for item in VERSION_KEYS:
            values[item.key] = version.get(item.path[-1])
    for r, item in enumerate(keys, start=FIRST_DATA_ROW):
        _put(ws, r, 1, item.key, key_spec, file)
        _put(ws, r, 2, item.label, label_spec, file)
        spec = item.column
        _put(ws, r, 3, values[item.key], _Column("value", "値", spec.kind, wrap=True), file)
        if spec.kind == _ENUM:
            _choice_list(ws, spec.choices, f"C{r}")


def _write_reference(book: Any, tables: Sequence[ReferenceTable], file: str) -> None:
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


def _save(book: Any, path: Path) -> None:
    # A sibling temporary file (created by openpyxl, so with the usual permissions), then an
    # atomic rename: an existing catalog is never left half-written.
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    for sheet in book.worksheets:
        # Printed for review meetings: A4 landscape, as wide as one page, headers repeated.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        if sheet.max_row > 2 and sheet.title != SHEET_REFERENCE:
            sheet.print_title_rows = "1:2"
    try:
        save_book(book, temp)
        os.replace(temp, path)
    except OSError as exc:
        raise unwritable(ERROR_CODE, path, "Excelファイル", "workbook", exc) from None
    finally:
        temp.unlink(missing_ok=True)


# -- reading cells ---------------------------------------------------------------------------


_DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_INTEGER_TEXT = re.compile(r"[+-]?\d{1,12}")
_TRUE = frozenset({"true", "1", "はい"})
_FALSE = frozenset({"false", "0", "いいえ"})


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        raise _Bad("数値ではありません", "not a finite number")
    return canonical(Decimal(repr(value)))


def _to_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise _Bad(
            "文字を入力してください（TRUE/FALSE になっています）", "enter text, not TRUE/FALSE"
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, date | time | timedelta):
        raise _Bad(
            "日付・時刻になっています。セルの表示形式を「文字列」にして入力し直してください",
            "the cell holds a date or time; format it as text and type it again",
        )
    raise _Bad("読めない値です", f"unreadable value ({type(value).__name__})")


def _to_int(value: object) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(_norm(value)):
        return int(_norm(value))
    raise _Bad("整数を入力してください", "enter a whole number")


def _to_decimal(value: object) -> str | None:
    """A decimal cell as exact canonical text; numbers typed by a user are accepted too."""
    if _blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, str):
        text = _norm(value)
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        if len(text) <= MAX_NUMBER_TEXT and _DECIMAL_TEXT.fullmatch(text):
            number = Decimal(text)
            if abs(number.adjusted()) <= MAX_EXPONENT:
                return canonical(number)
    raise _Bad("数値を入力してください", "enter a number")


def _to_flag(value: object) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return value == 1
    if isinstance(value, str):
        text = _norm(value).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise _Bad(
        "TRUE / FALSE（はい / いいえ、1 / 0）を入力してください",
        "enter TRUE / FALSE (はい / いいえ, 1 / 0)",
    )


def _to_choice(value: object, spec: _Column) -> str | None:
    text = _to_text(value)
    if text is None or not text.strip():
        return None
    norm = _norm(text)
    for choice in spec.choices:
        if norm in (choice, choice.upper()) or norm.lower() == choice:
            return choice
    for alias, choice in spec.aliases:
        if norm == alias:
            return choice
    allowed = ", ".join(spec.choices)
    raise _Bad(
        f"「{norm[:40]}」は使えません（{allowed}）", f"{norm[:40]!r} is not allowed ({allowed})"
    )


class _Row:
    """One data row of a table sheet, with typed access and errors that name sheet and row."""

    def __init__(
        self,
        file: str,
        sheet: str,
        number: int,
        cells: Mapping[str, object],
        specs: Mapping[str, _Column],
    ) -> None:
        self.file = file
        self.sheet = sheet
        self.number = number
        self.cells = cells
        self.specs = specs

    def error(self, key: str | None, what_ja: str, what_en: str) -> DomainError:
        column = ""
        if key is not None:
            spec = self.specs.get(key)
            column = f"「{spec.label}」({key})" if spec else key
        return _error(self.file, self.sheet, (self.number,), column, what_ja, what_en)

    def _convert(self, key: str, spec: _Column | None = None) -> object:
        spec = spec or self.specs[key]
        value = self.cells.get(key)
        try:
            if spec.kind == _INT:
                return _to_int(value)
            if spec.kind == _DEC:
                return _to_decimal(value)
            if spec.kind == _BOOL:
                return _to_flag(value)
            if spec.kind == _ENUM:
                return _to_choice(value, spec)
            return _to_text(value)
        except _Bad as bad:
            raise self.error(key, bad.what_ja, bad.what_en) from None

    def text(self, key: str) -> str | None:
        value = self._convert(key, _Column(key, key))
        assert value is None or isinstance(value, str)
        return value

    def value(self, key: str, spec: _Column | None = None) -> object:
        return self._convert(key, spec)

    def empty(self, key: str) -> bool:
        return _blank(self.cells.get(key))

    def items(self, key: str, pattern: re.Pattern[str]) -> list[str]:
        text = self.text(key) or ""
        parts = (part.strip() for part in pattern.split(text.replace("\r\n", "\n")))
        return [part for part in parts if part]


# -- reading the workbook --------------------------------------------------------------------


@dataclass(frozen=True)
class _OpenBook:
    """The workbook openpyxl read, and the gate's count of each sheet's rows with content."""

    book: Any
    gated: GatedWorkbook


def _open(path: Path) -> _OpenBook:
    # Every limit (size, zip bomb, cells, rows, shared strings) is the gate's, checked before
    # openpyxl, which reads a catalog whole: a 373 KB file compressed 480:1 took 6.9 GB there.
    gated = open_workbook(path, CATALOG_LIMITS)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops (extensions, styles); none matter here.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(
                io.BytesIO(gated.data), read_only=False, data_only=True, keep_links=False
            )
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged workbook
        raise _error(
            path.name,
            None,
            (),
            "",
            "Excelブックとして読めません（壊れているか、別の形式です）",
            f"cannot be read as an Excel workbook ({type(exc).__name__})",
        ) from exc
    return _OpenBook(book, gated)


def _grid(opened: _OpenBook, sheet: str, file: str) -> list[tuple[object, ...]]:
    book = opened.book
    if sheet not in book.sheetnames:
        raise _error(
            file, sheet, (), "", f"シート「{sheet}」がありません", f"the sheet {sheet} is missing"
        )
    ws = book[sheet]
    if not isinstance(ws, Worksheet):
        raise _error(file, sheet, (), "", "表のシートではありません", "not a worksheet")
    # The gate counted rows with content; an empty row below them (LibreOffice Calc writes
    # row 1048576 after a row was deleted) is not read.
    last = opened.gated.last_content_row(sheet)
    last = ws.max_row if last is None else last
    if last == 0:
        return []
    limit = CATALOG_LIMITS.max_columns
    if ws.max_column > limit:
        raise _error(
            file,
            sheet,
            (),
            "",
            f"列が多すぎます（{limit}列まで）",
            f"too many columns (at most {limit})",
        )
    rows = ws.iter_rows(min_row=1, max_row=last, max_col=ws.max_column, values_only=True)
    return [tuple(row) for row in rows]


def _table(
    book: _OpenBook, sheet: str, columns: Sequence[_Column], file: str, optional: Iterable[str] = ()
) -> list[_Row]:
    """The data rows of a table sheet, columns found by their row-1 keys."""
    grid = _grid(book, sheet, file)
    specs = {spec.key: spec for spec in columns}
    index: dict[str, int] = {}
    for n, raw in enumerate(grid[0] if grid else ()):
        if _blank(raw):
            continue
        key = _norm(str(raw))
        where = f"{get_column_letter(n + 1)}1"
        if key not in specs:
            raise _error(
                file,
                sheet,
                (1,),
                where,
                f"キー「{key[:40]}」は使えません（{', '.join(specs)}）",
                f"unknown key {key[:40]!r} (known: {', '.join(specs)})",
            )
        if key in index:
            raise _error(
                file, sheet, (1,), where, f"キー「{key}」が2列あります", f"the key {key} is twice"
            )
        index[key] = n
    for spec in columns:
        if spec.key not in index and spec.key not in optional:
            raise _error(
                file,
                sheet,
                (1,),
                "",
                f"1行目にキー「{spec.key}」（{spec.label}）の列がありません",
                f"row 1 has no column with the key {spec.key!r} ({spec.label})",
            )
    rows = []
    for number, values in enumerate(grid[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
        cells = {key: values[n] if n < len(values) else None for key, n in index.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        rows.append(_Row(file, sheet, number, cells, specs))
    return rows


Place = tuple[str, tuple[int, ...]]


class _WorkbookReader:
    """Turns the sheets into the dict catalog_from_dict reads, remembering where each part was."""

    def __init__(self, book: _OpenBook, file: str) -> None:
        self.book = book
        self.file = file
        self.places: dict[str, Place] = {}

    def catalog_dict(self) -> dict[str, Any]:
        data = self.plan()
        data["departments"] = self.departments()
        goals, measures, located = self.structure()
        self.directions(measures, located)
        self.indicators(measures, located)
        data["goals"] = goals
        data["reference_tables"] = self.reference_tables()
        for g, goal in enumerate(goals):
            self._locate(f"goals[{g}]", goal, located)
            for p, policy in enumerate(goal["policies"]):
                where = f"goals[{g}].policies[{p}]"
                self._locate(where, policy, located)
                for m, measure in enumerate(policy["measures"]):
                    self._locate(f"{where}.measures[{m}]", measure, located)
                    for d, direction in enumerate(measure["directions"]):
                        self._locate(f"{where}.measures[{m}].directions[{d}]", direction, located)
                    for i, indicator in enumerate(measure["indicators"]):
                        self._locate(f"{where}.measures[{m}].indicators[{i}]", indicator, located)
        return data

    def _locate(self, where: str, part: object, located: Mapping[int, Place]) -> None:
        self.places[where] = located[id(part)]

    def plan(self) -> dict[str, Any]:
        data: dict[str, Any] = {"plan": {"grading": {}}, "version": {}, "cycle_text": None}
        seen: dict[str, int] = {}
        for row in _table(self.book, SHEET_PLAN, PLAN_COLUMNS, self.file, optional=("label",)):
            key = row.text("key")
            if key is None:
                raise row.error("key", "キーが空です", "the key is empty")
            item = _PLAN_KEYS.get(_norm(key))
            if item is None:
                raise row.error(
                    "key",
                    f"キー「{key[:40]}」は使えません（{', '.join(_PLAN_KEYS)}）",
                    f"unknown key {key[:40]!r} (known: {', '.join(_PLAN_KEYS)})",
                )
            if item.key in seen:
                raise row.error("key", f"キー「{item.key}」が2行あります", f"{item.key} is twice")
            seen[item.key] = row.number
            if item.key == "warn_grades":
                value: object = row.items("value", _TAG_SPLIT)
            else:
                value = row.value("value", item.column)
            target = data
            for part in item.path[:-1]:
                target = target[part]
            target[item.path[-1]] = value
        format_row = seen.get("format")
        self.places[""] = (SHEET_PLAN, () if format_row is None else (format_row,))
        self.places["plan"] = (SHEET_PLAN, ())
        self.places["plan.grading"] = (SHEET_PLAN, ())
        return data

    def departments(self) -> list[dict[str, Any]]:
        self.places["departments"] = (SHEET_DEPARTMENTS, ())
        result = []
        for n, row in enumerate(
            _table(
                self.book,
                SHEET_DEPARTMENTS,
                DEPARTMENT_COLUMNS,
                self.file,
                optional=DEPARTMENT_OPTIONAL,
            )
        ):
            self.places[f"departments[{n}]"] = (SHEET_DEPARTMENTS, (row.number,))
            department = {
                "code": row.text("code"),
                "name": row.text("name"),
                "active": row.value("active"),
            }
            contact = row.text("contact") if "contact" in row.cells else None
            if contact:
                department["contact"] = contact
            names = row.text("former_names") if "former_names" in row.cells else None
            if names:
                department["former_names"] = [
                    {"until": item["until"], "name": item["value"]} for item in _history(names)
                ]
            merged = row.text("merged_into") if "merged_into" in row.cells else None
            if merged:
                department["merged_into"] = merged
                department["until_year"] = row.value("until_year")
            result.append(department)
        return result

    def structure(
        self,
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], dict[int, Place]]:
        rows = _table(self.book, SHEET_STRUCTURE, STRUCTURE_COLUMNS, self.file, optional=("links",))
        by_level: dict[str, list[_Row]] = {level: [] for level in _LEVELS}
        for row in rows:
            level = row.value("level")
            if level is None:
                raise row.error("level", "階層が空です", "the level is empty")
            by_level[str(level)].append(row)
        located: dict[int, Place] = {}
        goals: list[dict[str, Any]] = []
        found: dict[str, dict[str, dict[str, Any]]] = {level: {} for level in _LEVELS}
        unused = {
            "goal": ("parent", "vision", "related_plans", "links"),
            "policy": ("subtitle", "vision", "related_plans", "links"),
            "measure": ("subtitle",),
        }
        parents = {"policy": "goal", "measure": "policy"}
        children = {"goal": "policies", "policy": "measures"}
        for level in _LEVELS:
            for row in by_level[level]:
                code = row.text("code")
                if code is None:
                    raise row.error("code", "コードが空です", "the code is empty")
                if code in found[level]:
                    raise row.error(
                        "code", f"コード {code} が重複しています", f"duplicate code {code}"
                    )
                for key in unused[level]:
                    if not row.empty(key):
                        raise row.error(
                            key,
                            f"この階層（{level}）では使わない欄です。空にしてください",
                            f"not used for a {level}; leave it empty",
                        )
                part: dict[str, Any] = {"code": code, "name": row.text("name")}
                if level == "goal":
                    part.update(subtitle=row.text("subtitle"), policies=[])
                    goals.append(part)
                else:
                    parent_level = parents[level]
                    parent_code = row.text("parent")
                    parent = found[parent_level].get(parent_code or "")
                    if parent is None:
                        raise row.error(
                            "parent",
                            f"上位コード {parent_code} の{parent_level}がありません",
                            f"no {parent_level} with the code {parent_code}",
                        )
                    parent[children[parent_level]].append(part)
                if level == "policy":
                    part["measures"] = []
                if level == "measure":
                    part.update(
                        vision=row.text("vision"),
                        related_plans=row.items("related_plans", re.compile(r"\n")),
                        directions=[],
                        indicators=[],
                    )
                    links = self.references(row, "links")
                    if links:
                        part["links"] = links
                found[level][code] = part
                located[id(part)] = (SHEET_STRUCTURE, (row.number,))
        return goals, found["measure"], located

    def _measure(self, row: _Row, measures: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
        code = row.text("measure")
        measure = measures.get(code or "")
        if measure is None:
            raise row.error(
                "measure",
                f"施策コード {code} が「{SHEET_STRUCTURE}」シートにありません",
                f"no measure {code} on the sheet {SHEET_STRUCTURE}",
            )
        return measure

    @staticmethod
    def references(row: _Row, key: str) -> list[dict[str, str]]:
        """Lines 計画|コード|項目名 of one cell."""
        if key not in row.cells:
            return []
        references = []
        for line in row.items(key, re.compile(r"\n")):
            parts = [part.strip() for part in _REF_SPLIT.split(line, maxsplit=2)]
            if len(parts) != 3:
                raise row.error(
                    key,
                    f"「計画|コード|項目名」の形ではありません: {line[:40]}",
                    f"not in the form plan|code|title: {line[:40]}",
                )
            references.append({"plan": parts[0], "code": parts[1], "title": parts[2]})
        return references

    def directions(self, measures: Mapping[str, dict[str, Any]], located: dict[int, Place]) -> None:
        for row in _table(self.book, SHEET_DIRECTIONS, DIRECTION_COLUMNS, self.file):
            measure = self._measure(row, measures)
            references = self.references(row, "cross_references")
            direction = {
                "number": row.value("number"),
                "name": row.text("name"),
                "text": row.text("text"),
                "tags": row.items("tags", _TAG_SPLIT),
                "cross_references": references,
            }
            measure["directions"].append(direction)
            located[id(direction)] = (SHEET_DIRECTIONS, (row.number,))

    def indicators(self, measures: Mapping[str, dict[str, Any]], located: dict[int, Place]) -> None:
        by_code: dict[str, list[int]] = {}
        columns = INDICATOR_COLUMNS
        for row in _table(
            self.book, SHEET_INDICATORS, columns, self.file, optional=INDICATOR_OPTIONAL
        ):
            measure = self._measure(row, measures)
            v = row.value
            indicator = {
                "code": row.text("code"),
                "kind": v("kind"),
                "name": row.text("name"),
                "unit": row.text("unit"),
                "department": row.text("department"),
                "description": row.text("description"),
                "value_kind": v("value_kind"),
                "direction": v("direction"),
                "cumulative": v("cumulative"),
                "decimals": v("decimals"),
                "allow_negative": v("allow_negative"),
                "baseline": {"fiscal_year": v("baseline_year"), "value": v("baseline")},
                "target": {
                    "fiscal_year": v("target_year"),
                    "value": v("target"),
                    "comparator": v("comparator"),
                },
                "official_rate": v("official_rate"),
                "yoy_threshold": v("yoy_threshold"),
                "status": v("status"),
                "note": row.text("note"),
            }
            links = self.references(row, "links")
            if links:
                indicator["links"] = links
            owners = row.text("former_owners") if "former_owners" in row.cells else None
            if owners:
                indicator["former_owners"] = [
                    {"until": item["until"], "department": item["value"]}
                    for item in _history(owners)
                ]
            interim = row.text("interim_targets") if "interim_targets" in row.cells else None
            if interim:
                indicator["interim_targets"] = [
                    {
                        "fiscal_year": int(year) if year.strip().isdecimal() else year.strip(),
                        "value": value.strip(),
                    }
                    for year, _, value in (
                        part.partition("=")
                        for part in INTERIM_SEPARATOR.split(interim)
                        if part.strip()
                    )
                ]
            measure["indicators"].append(indicator)
            located[id(indicator)] = (SHEET_INDICATORS, (row.number,))
            by_code.setdefault(str(indicator["code"]), []).append(row.number)
        for code, numbers in by_code.items():
            self.places[f"indicator {code}"] = (SHEET_INDICATORS, tuple(numbers))

    def reference_tables(self) -> list[dict[str, Any]]:
        grid = _grid(self.book, SHEET_REFERENCE, self.file)
        tables: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        specs = {spec.key: spec for spec in REFERENCE_COLUMNS}
        for number, values in enumerate(grid[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
            if all(_blank(v) for v in values):
                continue
            cells = list(values) + [None] * max(0, 3 - len(values))
            row = _Row(
                self.file,
                SHEET_REFERENCE,
                number,
                {"key": cells[0], "value": cells[2]},
                specs,
            )
            raw_key = row.text("key")
            key = "" if raw_key is None else _norm(raw_key).lower()
            if key == "table":
                current = {"code": row.text("value"), "columns": None, "rows": []}
                self.places[f"reference_tables[{len(tables)}]"] = (SHEET_REFERENCE, (number,))
                tables.append(current)
                continue
            if current is None:
                raise row.error(
                    "key", "最初の行は「table」です", "a block must start with a 'table' line"
                )
            where = f"reference_tables[{len(tables) - 1}]"
            if key in ("title", "unit", "source", "note"):
                if key in current:
                    raise row.error("key", f"「{key}」が2行あります", f"{key!r} is twice")
                current[key] = row.text("value")
            elif key == "columns":
                if current["columns"] is not None:
                    raise row.error("key", "「columns」が2行あります", "'columns' is twice")
                current["columns"] = self._column_names(row, cells[3:])
            elif key == "row":
                names = current["columns"]
                if names is None:
                    raise row.error(
                        "key", "「row」の前に「columns」の行が必要です", "'columns' must come first"
                    )
                numbers = cells[3:]
                if any(not _blank(v) for v in numbers[len(names) :]):
                    raise row.error(
                        "values", "列見出しより多くの数値があります", "more values than columns"
                    )
                numbers = numbers[: len(names)] + [None] * (len(names) - len(numbers))
                spec = specs["values"]
                current["rows"].append(
                    {
                        "label": row.text("value"),
                        "values": [
                            _Row(self.file, SHEET_REFERENCE, number, {"values": n}, specs).value(
                                "values", spec
                            )
                            for n in numbers
                        ],
                    }
                )
                self.places[f"{where}.rows[{len(current['rows']) - 1}]"] = (
                    SHEET_REFERENCE,
                    (number,),
                )
            else:
                raise row.error(
                    "key",
                    "A列は table / title / unit / source / note / columns / row のどれかです",
                    "column A must be table, title, unit, source, note, columns or row",
                )
        for table in tables:
            if table["columns"] is None:
                table["columns"] = []
        return tables

    def _column_names(self, row: _Row, cells: Sequence[object]) -> list[str]:
        cells = list(cells)
        while cells and _blank(cells[-1]):
            cells.pop()
        names = []
        for k, cell in enumerate(cells):
            try:
                name = _to_text(cell)
            except _Bad as bad:
                raise row.error("values", bad.what_ja, bad.what_en) from None
            if name is None:
                raise row.error(
                    "values",
                    f"{get_column_letter(k + 4)}列の列見出しが空です",
                    f"the column name in column {get_column_letter(k + 4)} is empty",
                )
            names.append(name)
        return names


_JA = re.compile(r"カタログの形式が正しくありません（(?P<where>.*?)）: (?P<what>.*)\Z", re.S)
_EN = re.compile(r"Invalid catalog \((?P<where>.*?)\): (?P<what>.*)\Z", re.S)


def _find_place(where: str, places: Mapping[str, Place]) -> Place | None:
    if where == _ROOT:
        return places.get("")
    key = where.removeprefix(_ROOT + ".")
    while key:
        if key in places:
            return places[key]
        cut = max(key.rfind("."), key.rfind("["))
        key = key[:cut] if cut > 0 else ""
    return None


def _relocate(exc: DomainError, places: Mapping[str, Place], file: str) -> DomainError:
    """catalog_from_dict's error, re-worded to name the sheet and row instead of a JSON path."""
    ja, en = _JA.fullmatch(exc.message_ja), _EN.fullmatch(exc.message_en)
    if ja is None or en is None:
        return DomainError(exc.code, f"{exc.message_ja}（{file}）", f"{exc.message_en} ({file})")
    sheet, rows = places.get(en["where"]) or _find_place(en["where"], places) or (None, ())
    return DomainError(
        exc.code,
        f"カタログの形式が正しくありません（{_place_ja(file, sheet, rows)}）: {ja['what']}",
        f"Invalid catalog ({_place_en(file, sheet, rows)}): {en['what']}",
    )


def read_catalog_xlsx(path: Path) -> Catalog:
    """Read a workbook written by write_catalog_xlsx (and edited in Excel) back to a Catalog.

    Raises DomainError (E_CATALOG_XLSX, or catalog_from_dict's code) naming sheet and row.
    """
    return read_catalog_xlsx_with_version(path)[0]


def read_catalog_xlsx_with_version(path: Path) -> tuple[Catalog, dict[str, Any]]:
    """The catalog and its version fields as written (empty when the file has none)."""
    book = _open(path)
    reader = _WorkbookReader(book, path.name)
    data = reader.catalog_dict()
    try:
        fields = dict(data.get("version") or {})
        fields["cycle_text"] = data.get("cycle_text")
        return catalog_from_dict(data, _ROOT), fields
    except DomainError as exc:
        raise _relocate(exc, reader.places, path.name) from None
