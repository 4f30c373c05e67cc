"""The catalog workbook's layout: sheets, columns, plan keys, styles, how errors name a place."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from openpyxl.styles import Alignment, Font, PatternFill

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
# The plan generation (計画期) the catalog is of, by number; a workbook without the row (made
# before generations) is of the first generation (domain.generation_number). Written by the
# program; its label names the generation for people.
GENERATION_KEY = _plan_key(
    "generation", "計画期（番号。変更しないでください）", _INT, ("generation",)
)
# The generation as the planning division issues it (domain.issued_plan): its status, the plan
# before it and the digest of both with the links (sheet 引継ぎ). Written by the program for a
# generation that follows another; a department's database makes the generation from them.
LINEAGE_KEYS = (
    _plan_key("generation_status", "計画期の状態（draft / active / closed。変更しないでください）",
              _TEXT, ("lineage", "status")),
    _plan_key("predecessor", "前の計画期（番号。変更しないでください）", _INT,
              ("lineage", "predecessor", "number")),
    _plan_key("predecessor_code", "前の計画期の計画コード（変更しないでください）", _TEXT,
              ("lineage", "predecessor", "plan_code")),
    _plan_key("predecessor_name", "前の計画期の名前（変更しないでください）", _TEXT,
              ("lineage", "predecessor", "name")),
    _plan_key("predecessor_start_year", "前の計画期の開始年度（変更しないでください）", _INT,
              ("lineage", "predecessor", "start_year")),
    _plan_key("predecessor_end_year", "前の計画期の終了年度（変更しないでください）", _INT,
              ("lineage", "predecessor", "end_year")),
    _plan_key("lineage_hash", "引継ぎ情報のハッシュ（変更しないでください）", _TEXT,
              ("lineage", "lineage_hash")),
)  # fmt: skip
SHEET_LINKS = "引継ぎ"
LINK_COLUMNS = (
    _Column("code", "指標コード", width=12),
    _Column("prior_code", "前の計画期の指標コード", width=16),
    _Column(
        "kind",
        "引継ぎ（continue = 継続 / replace = 見直し）",
        _ENUM,
        14,
        choices=("continue", "replace"),
        aliases=(("継続", "continue"), ("見直し", "replace")),
    ),
    _Column("base_year", "基準値をとる年度", _INT, width=12),
    _Column("linked_baseline", "前の計画期から引き継いだ基準値", _DEC, width=16),
)


def lineage_fields(found: dict[str, object]) -> dict[str, object] | None:
    """The lineage as the workbook held it, in the dict form of domain.issued_plan; None for a
    workbook without it (a first plan's, or one made before)."""
    prior = found.get("predecessor")
    empty = not any(v not in (None, "") for k, v in found.items() if k != "predecessor")
    if empty and not (isinstance(prior, dict) and any(v is not None for v in prior.values())):
        return None
    return found


_PLAN_KEYS = {k.key: k for k in (*PLAN_KEYS, GENERATION_KEY, *VERSION_KEYS, *LINEAGE_KEYS)}

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
