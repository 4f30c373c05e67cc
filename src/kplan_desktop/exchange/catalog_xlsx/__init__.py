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

Modules: `layout` (sheets, columns, keys, error places), `write`, `read`.
"""

from kplan_desktop.exchange.catalog_xlsx.layout import (
    ERROR_CODE,
    PLAN_KEYS,
    SHEET_DEPARTMENTS,
    SHEET_DIRECTIONS,
    SHEET_INDICATORS,
    SHEET_PLAN,
    SHEET_REFERENCE,
    SHEET_STRUCTURE,
    SHEETS,
    VERSION_KEYS,
)
from kplan_desktop.exchange.catalog_xlsx.read import (
    read_catalog_xlsx,
    read_catalog_xlsx_with_version,
)
from kplan_desktop.exchange.catalog_xlsx.write import write_catalog_xlsx

__all__ = [
    "ERROR_CODE",
    "PLAN_KEYS",
    "SHEETS",
    "SHEET_DEPARTMENTS",
    "SHEET_DIRECTIONS",
    "SHEET_INDICATORS",
    "SHEET_PLAN",
    "SHEET_REFERENCE",
    "SHEET_STRUCTURE",
    "VERSION_KEYS",
    "read_catalog_xlsx",
    "read_catalog_xlsx_with_version",
    "write_catalog_xlsx",
]
