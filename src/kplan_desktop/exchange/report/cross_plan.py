"""The 計画横断 sheet."""

from __future__ import annotations

from collections import Counter

from kplan_desktop.domain.catalog import (
    TAG_REFORM,
    TAG_STRATEGY,
    Measure,
    MeasureDirection,
    direction_plans,
    plan_links,
    reference_plan,
)
from kplan_desktop.exchange.report.base import (
    _LETTERS,
    _NOT_GRADED,
    SHEET_CROSS_PLAN,
    _label,
    _Row,
    _serving_part,
)
from kplan_desktop.exchange.report.core import WriterCore


class CrossPlanSheet(WriterCore):
    """計画横断."""

    # -- 計画横断 ------------------------------------------------------------------------------

    def cross_plan(self) -> None:
        styles = self.styles
        sheet = self.sheet(
            SHEET_CROSS_PLAN,
            [12, 16, 32, 28, 30, 30, 10, 9, 8, 9, 9, 9],
        )
        sheet.append([sheet.text("計画横断（総合戦略・行財政改革との対応）", styles.title)])
        sheet.append(
            [
                sheet.text(
                    "総合計画の施策の方向に付いた総合戦略・行財政改革のコードごとに、"
                    f"関連する指標と{self.fy_label}の状況を示します。",
                    styles.muted,
                )
            ]
        )
        sheet.skip()
        by_measure: dict[str, list[_Row]] = {}
        for row in self.rows:
            by_measure.setdefault(row.entry.measure.code, []).append(row)

        tagged: list[tuple[Measure, list[MeasureDirection]]] = []
        for goal in self.data.catalog.goals:
            for policy in goal.policies:
                for measure in policy.measures:
                    directions = [d for d in measure.directions if direction_plans(d)]
                    if directions:
                        tagged.append((measure, directions))
        # Every link: by direction, by measure and by indicator, in plan and code order.
        entries = plan_links(self.data.catalog)

        sheet.append([sheet.text("他計画のコード別", styles.subtitle)])
        self.header(
            sheet,
            [
                "計画",
                "コード",
                "項目名",
                "総合計画の施策",
                "施策の方向",
                "関連指標",
                "指標数",
                *[g.label(self.settings.grade_labels) for g in _LETTERS],
                "評価対象外",
            ],
        )
        for link in entries:
            measure = link.measure
            members = [r for r in by_measure.get(measure.code, []) if link.serves(r.indicator)]
            grades = Counter(r.achievement.grade for r in members)
            sheet.append(
                [
                    sheet.text(link.plan),
                    sheet.text(link.code),
                    sheet.text(link.title),
                    sheet.text(_label(measure.code, measure.name)),
                    sheet.text(_serving_part(link)),
                    sheet.text("、".join(r.indicator.code for r in members), styles.wrap),
                    len(members),
                    *[grades.get(g, 0) for g in _LETTERS],
                    sum(grades.get(g, 0) for g in _NOT_GRADED),
                ]
            )
        if not entries:
            sheet.append([sheet.text("総合戦略・行財政改革のタグが付いた施策の方向はありません。")])
        sheet.skip()

        sheet.append([sheet.text(f"関連する指標（{self.fy_label}）", styles.subtitle)])
        self.header(
            sheet,
            [
                "指標コード",
                "担当課",
                "指標名",
                "施策",
                "総合戦略",
                "行財政改革",
                "実績",
                "達成率",
                "評価",
                "進捗状況",
            ],
        )
        for measure, directions in tagged:
            references: dict[str, list[str]] = {TAG_STRATEGY: [], TAG_REFORM: []}
            for direction in directions:
                for reference in direction.cross_references:
                    line = _label(reference.code, reference.title)
                    bucket = references.setdefault(reference_plan(reference), [])
                    if line not in bucket:
                        bucket.append(line)
                for plan in direction_plans(direction):
                    bucket = references.setdefault(plan, [])
                    if not bucket:
                        bucket.append(f"（施策の方向{direction.number}）")
            for row in by_measure.get(measure.code, []):
                sheet.append(
                    [
                        sheet.text(row.indicator.code),
                        sheet.text(row.department),
                        sheet.text(row.name),
                        sheet.text(row.measure_label),
                        sheet.text("\n".join(references[TAG_STRATEGY]), styles.wrap),
                        sheet.text("\n".join(references[TAG_REFORM]), styles.wrap),
                        self.actual_cell(sheet, row, row.actual(self.fiscal_year)),
                        self.rate_cell(sheet, row.achievement),
                        self.grade_cell(sheet, row.achievement.grade),
                        sheet.text(row.track.label()),
                    ]
                )
        self.tick()
