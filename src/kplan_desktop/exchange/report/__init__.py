"""The consolidated workbook (集約ブック) the planning division publishes after the merge.

Sheets, in order:

- 概要: title, when and by whom, the graded fiscal year; per policy and per measure the number
  of indicators, the count of each grade (A–D and every reason an indicator is not graded),
  completion (values entered or explained ÷ indicators) and submissions received (departments
  with a submission for the year ÷ departments owning indicators).
- 指標一覧: one row per indicator and plan year, filterable, the grade as a fill *and* a label.
- 政策7-1 …: one sheet per policy: its indicators with a year table, a line chart per indicator
  (actual per year against the target as a flat line) and a bar chart of grades per measure.
- 計画通算推移 (only when the plan continues indicators of an earlier plan generation): each
  continuing indicator's actuals of the earlier plans, marked 前計画, beside its own, with a
  line chart of both and each plan's target over its own period.
- 計画横断: every 施策の方向 tagged 総合戦略 or 行財政改革, by its code in that plan, and the
  indicators serving it with this year's status — one entry serves all three plans.
- 提出状況, 検証結果, 取込結果, 参考データ.

Written in openpyxl's write-only mode: rows stream to temporary files, so memory stays flat
however many indicators there are. Every font, fill and number format is built once (`_Styles`),
its indices in the workbook's style tables are looked up once (`_Style.cell`), and every text
cell goes through `text_cell`, which keeps text that looks like a formula text.

Modules: `base` (parts, data, styles, cells, page layout), `core` (the writer's state and number
cells), one module per sheet family (`summary`, `policies`, `series`, `cross_plan`, `evaluations`,
`records`), `writer` (the whole, in order) and `build` (gathering everything from the database).
"""

from kplan_desktop.exchange.report.base import (
    SHEET_CROSS_PLAN,
    SHEET_FINDINGS,
    SHEET_INDICATORS,
    SHEET_MERGES,
    SHEET_REFERENCE,
    SHEET_SERIES,
    SHEET_SUBMISSIONS,
    SHEET_SUMMARY,
    ReportData,
    ReportPart,
    policy_sheet_name,
    text_cell,
)
from kplan_desktop.exchange.report.build import report_data, write_consolidated, write_plan_report
from kplan_desktop.exchange.report.writer import write_report

__all__ = [
    "SHEET_CROSS_PLAN",
    "SHEET_FINDINGS",
    "SHEET_INDICATORS",
    "SHEET_MERGES",
    "SHEET_REFERENCE",
    "SHEET_SERIES",
    "SHEET_SUBMISSIONS",
    "SHEET_SUMMARY",
    "ReportData",
    "ReportPart",
    "policy_sheet_name",
    "report_data",
    "text_cell",
    "write_consolidated",
    "write_plan_report",
    "write_report",
]
