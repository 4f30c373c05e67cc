"""Reading the catalog workbook back to a Catalog (through catalog_json's checks)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.catalog_edit import INTERIM_SEPARATOR
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.generation_number import (
    E_GENERATION_CELL,
    FIRST_GENERATION,
    generation_cell_problem,
    generation_number,
)
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.catalog_json import catalog_from_dict
from kplan_desktop.exchange.catalog_xlsx.layout import (
    _BOOL,
    _DEC,
    _ENUM,
    _INT,
    _LEVELS,
    _PLAN_KEYS,
    _REF_SPLIT,
    _ROOT,
    _TAG_SPLIT,
    DEPARTMENT_COLUMNS,
    DEPARTMENT_OPTIONAL,
    DIRECTION_COLUMNS,
    FIRST_DATA_ROW,
    GENERATION_KEY,
    INDICATOR_COLUMNS,
    INDICATOR_OPTIONAL,
    LINK_COLUMNS,
    MAX_EXPONENT,
    MAX_NUMBER_TEXT,
    PLAN_COLUMNS,
    REFERENCE_COLUMNS,
    SHEET_DEPARTMENTS,
    SHEET_DIRECTIONS,
    SHEET_INDICATORS,
    SHEET_LINKS,
    SHEET_PLAN,
    SHEET_REFERENCE,
    SHEET_STRUCTURE,
    STRUCTURE_COLUMNS,
    _Bad,
    _Column,
    _error,
    _place_en,
    _place_ja,
    lineage_fields,
)
from kplan_desktop.exchange.catalog_xlsx.write import _history
from kplan_desktop.exchange.gate import CATALOG_LIMITS, GatedWorkbook, load_book, open_workbook

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

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

    book: Workbook
    gated: GatedWorkbook


def _open(path: Path) -> _OpenBook:
    # Every limit (size, zip bomb, cells, rows, shared strings) is the gate's, checked before
    # openpyxl, which reads a catalog whole: a 373 KB file compressed 480:1 took 6.9 GB there.
    gated = open_workbook(path, CATALOG_LIMITS)
    return _OpenBook(load_book(gated.data, path.name, whole=True), gated)


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
        data: dict[str, Any] = {"plan": {"grading": {}}, "version": {}, "cycle_text": None,
                                "lineage": {"predecessor": {}}}  # fmt: skip
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
            if item.key == GENERATION_KEY.key:
                # Kept raw with its place: judged by catalog_generation (a formula's value, a
                # 1.5 or 第2期 is refused there, naming the cell).
                data["generation"] = (row.number, row.cells.get("value"))
                continue
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


def _formula_in_row(opened: _OpenBook, sheet: str, row: int) -> bool:
    """Whether a cell of one row holds a formula: the catalog is read with its values only
    (data_only), so the sheet is read once more, lazily, for that row's cell types."""
    book = load_book(opened.gated.data, sheet)
    try:
        for cells in book[sheet].iter_rows(min_row=row, max_row=row):
            return any(getattr(cell, "data_type", None) == "f" for cell in cells)
        return False
    finally:
        book.close()


def _generation(found: object, file: str) -> int:
    """The generation the 計画 sheet names (its generation row), or the first generation for a
    workbook without that row; a row whose value is not a plain positive whole number refuses
    the file, naming its cell."""
    if found is None:
        return FIRST_GENERATION
    assert isinstance(found, tuple)
    number, value = found
    parsed = generation_number(value)
    if parsed is None:
        ja, en = generation_cell_problem(
            _place_ja(file, SHEET_PLAN, (number,), "「値」(value)"),
            _place_en(file, SHEET_PLAN, (number,), "value"),
            value,
        )
        raise DomainError(E_GENERATION_CELL, ja, en)
    return parsed


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
    found = data.pop("generation", None)
    if found is not None and _formula_in_row(book, SHEET_PLAN, found[0]):
        # Read with data_only, a formula shows its cached result: named as the formula it is.
        found = (found[0], "=…")
    generation = _generation(found, path.name)
    lineage = data.pop("lineage")
    if SHEET_LINKS in book.book.sheetnames:
        rows = _table(book, SHEET_LINKS, LINK_COLUMNS, path.name)
        lineage["links"] = [{c.key: r.value(c.key) for c in LINK_COLUMNS} for r in rows]
    try:
        fields = dict(data.get("version") or {})
        fields["cycle_text"] = data.get("cycle_text")
        fields["generation"] = generation
        fields["lineage"] = lineage_fields(lineage)
        return catalog_from_dict(data, _ROOT), fields
    except DomainError as exc:
        raise _relocate(exc, reader.places, path.name) from None
