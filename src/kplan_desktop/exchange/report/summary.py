"""The 概要 and 指標一覧 sheets."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from openpyxl.utils import get_column_letter

from kplan_desktop.domain.achievement import Grade, assess
from kplan_desktop.exchange.report.base import (
    _LETTERS,
    _NOT_GRADED,
    _SUMMARY_HEADER_HEIGHT,
    _TICK_ROWS,
    SHEET_INDICATORS,
    SHEET_SUMMARY,
    _local,
    _percent_text,
    _Row,
    _Sheet,
    text_cell,
)
from kplan_desktop.exchange.report.core import WriterCore
from kplan_desktop.exchange.submission_layout import generation_title


class SummarySheets(WriterCore):
    """概要 and 指標一覧."""

    # -- 概要 --------------------------------------------------------------------------------

    def summary(self) -> None:
        styles = self.styles
        grade_labels = self.settings.grade_labels
        sheet = self.sheet(
            SHEET_SUMMARY,
            # The reasons an indicator is not graded (データ未確定, —（目標未設定）) take two
            # lines of a 10-wide column; the header row is made tall enough for them.
            [8, 12, 34, 8, *[7] * 4, *[10] * 5, 9, 9, 9, 9, 9],
            title_rows=None,
        )
        catalog = self.data.catalog
        sheet.append([sheet.text("総合計画 進行管理 集約ブック", styles.title)])
        # The plan generation the workbook is of, by number, name and period (計画期).
        title = generation_title(catalog.plan, self.data.generation)
        sheet.append([sheet.text(title, styles.subtitle)])
        sheet.skip()
        sheet.append([sheet.text("対象年度", styles.label), None, sheet.text(self.fy_label)])
        sheet.append(
            [
                sheet.text("作成日時", styles.label),
                None,
                sheet.styled(_local(self.data.generated_at), styles.moment),
            ]
        )
        sheet.append([sheet.text("作成者", styles.label), None, sheet.text(self.data.generated_by)])
        sheet.append(
            [
                sheet.text("評価基準", styles.label),
                None,
                sheet.text(
                    f"A ≥ {_percent_text(self.settings.grade_a)}、"
                    f"B ≥ {_percent_text(self.settings.grade_b)}、"
                    f"C ≥ {_percent_text(self.settings.grade_c)}、D それ未満"
                    f"（{self.fy_label}の実績の達成率）"
                ),
            ]
        )
        sheet.skip()
        headers = [
            "区分",
            "コード",
            "名称",
            "指標数",
            *[g.label(grade_labels) for g in _LETTERS],
            *[g.label() if g is not Grade.NO_TARGET else "—（目標未設定）" for g in _NOT_GRADED],
            "入力済み",
            "入力率",
            "提出課",
            "対象課",
            "提出率",
        ]
        header_row = sheet.row + 1
        # A write-only sheet writes a row's height with the row: set before it is appended.
        sheet.ws.row_dimensions[header_row].height = _SUMMARY_HEADER_HEIGHT
        cells = []
        for n, label in enumerate(headers):
            letter = n - 4
            if 0 <= letter < len(_LETTERS):
                cells.append(sheet.text(label, styles.grade_header[_LETTERS[letter]]))
            else:
                cells.append(sheet.text(label, styles.header))
        sheet.append(cells)
        sheet.ws.print_title_rows = f"{header_row}:{header_row}"

        by_policy: dict[str, list[_Row]] = {}
        by_measure: dict[str, list[_Row]] = {}
        for row in self.rows:
            by_policy.setdefault(row.entry.policy.code, []).append(row)
            by_measure.setdefault(row.entry.measure.code, []).append(row)
        for goal in catalog.goals:
            for policy in goal.policies:
                members = by_policy.get(policy.code, [])
                sheet.append(
                    self._tally_row(sheet, "政策", policy.code, policy.name, members, True)
                )
                for measure in policy.measures:
                    members = by_measure.get(measure.code, [])
                    sheet.append(
                        self._tally_row(sheet, "施策", measure.code, measure.name, members, False)
                    )
        sheet.append(self._tally_row(sheet, "全体", "", "計画全体", self.rows, True))
        sheet.skip()
        sheet.append(
            [
                sheet.text(
                    "入力率 = 入力済み（実績値、または未集計・該当なし等の理由）÷ 指標数。"
                    "提出率 = 当年度の提出を受けた課 ÷ 指標を所管する課。",
                    styles.muted,
                )
            ]
        )
        self.tick()

    def _tally_row(
        self, sheet: _Sheet, level: str, code: str, name: str, members: list[_Row], bold: bool
    ) -> list[object]:
        styles = self.styles
        grades = Counter(row.achievement.grade for row in members)
        entered = sum(1 for row in members if row.is_entered(self.fiscal_year))
        owners = {row.indicator.department for row in members}
        received = len(owners & self.submitted)
        count = len(members)
        label_style = styles.label if bold else None
        return [
            sheet.text(level, label_style),
            sheet.text(code, label_style),
            sheet.text(name, label_style),
            count,
            *[grades.get(g, 0) for g in _LETTERS],
            *[grades.get(g, 0) for g in _NOT_GRADED],
            entered,
            sheet.styled(Decimal(entered) / count if count else None, styles.percent),
            received,
            len(owners),
            sheet.styled(Decimal(received) / len(owners) if owners else None, styles.percent),
        ]

    # -- 指標一覧 ------------------------------------------------------------------------------

    def indicator_list(self) -> None:
        headers = (
            "指標コード",
            "担当課",
            "政策",
            "施策",
            "指標名",
            "単位",
            "年度",
            "基準値",
            "目標値",
            "実績",
            "達成率",
            "評価",
            "コメント",
        )
        sheet = self.sheet(
            SHEET_INDICATORS,
            [12, 16, 22, 22, 40, 8, 11, 12, 14, 12, 9, 8, 40],
            freeze="A2",
            title_rows="1:1",
        )
        self.header(sheet, headers)
        last_row = 1 + len(self.rows) * len(self.years)
        sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(last_row, 2)}"
        ws = sheet.ws
        styles = self.styles
        settings = self.settings
        wrap = styles.wrap
        grade_cells = {g: (g.label(settings.grade_labels), styles.for_grade(g)) for g in Grade}
        pending = 0
        for row in self.rows:
            texts = (
                row.indicator.code,
                row.department,
                row.policy_label,
                row.measure_label,
                row.name,
                row.unit,
            )
            fixed = [text_cell(ws, text) for text in texts]
            # Plain strings can go into every year's row; a cell object belongs to one row.
            shared = all(cell is None or isinstance(cell, str) for cell in fixed)
            interim = bool(row.indicator.interim_targets)
            for year in self.years:
                actual = row.entry.values.get(year)
                # Each year against its own interim target (年度別目標), when the plan sets one.
                spec = row.indicator.spec_for(year) if interim else row.spec
                if actual is None:
                    achievement = assess(spec, settings, None, None)
                    comment = None
                else:
                    achievement = assess(spec, settings, actual.value, actual.missing_reason)
                    comment = actual.comment
                label, grade_style = grade_cells[achievement.grade]
                ws.append(
                    [
                        *(fixed if shared else [text_cell(ws, text) for text in texts]),
                        self.year_labels[year],
                        self.baseline_cell(sheet, row),
                        self.target_cell(sheet, row),
                        self.actual_cell(sheet, row, actual),
                        self.rate_cell(sheet, achievement),
                        text_cell(ws, label, grade_style),
                        text_cell(ws, comment, wrap if comment and "\n" in comment else None),
                    ]
                )
                pending += 1
                if pending == _TICK_ROWS:
                    self.tick(pending)
                    pending = 0
        sheet.row += len(self.rows) * len(self.years)
        self.tick(pending)
