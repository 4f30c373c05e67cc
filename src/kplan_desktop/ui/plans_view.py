"""計画横断 (一元化): for each other plan the catalog links to (総合戦略, 行財政改革), its items by
their own codes, the comprehensive plan's indicators that serve them, and their status — one
entry of actuals serves all three plans."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from kplan_desktop.domain.catalog import Catalog, linked_plans, plan_links
from kplan_desktop.domain.values import canonical
from kplan_desktop.store.overview import IndicatorOverview


class PlansView(QWidget):
    def __init__(self, lang: str = "ja", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.note = QLabel(
            self.tr(
                "総合計画の施策の方向に付いた他計画のコードごとに、その施策の指標と今年度の状況を"
                "示します。実績の入力は一度で三つの計画に使われます。"
            )
        )
        self.note.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("plans_tree")
        self.tree.setHeaderLabels(
            [
                self.tr("計画・コード・指標"),
                self.tr("総合計画の施策・方向"),
                self.tr("実績"),
                self.tr("評価"),
                self.tr("進捗状況"),
            ]
        )
        self.tree.setColumnWidth(0, 360)
        self.tree.setColumnWidth(1, 300)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.tree, 1)

    def show_plans(self, catalog: Catalog, rows: list[IndicatorOverview], fiscal_year: int) -> None:
        by_measure: dict[str, list[IndicatorOverview]] = {}
        for row in rows:
            by_measure.setdefault(row.measure.code, []).append(row)
        labels = catalog.plan.settings.grade_labels
        self.tree.clear()
        for plan in linked_plans(catalog):
            top = QTreeWidgetItem([plan])
            top.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(top)
            for link in plan_links(catalog, plan):
                title = f"{link.code} {link.title}".strip() or self.tr("（コードなし）")
                where = link.serving
                item = QTreeWidgetItem([title, where])
                item.setToolTip(1, where)
                top.addChild(item)
                for row in by_measure.get(link.measure.code, []):
                    if not link.serves(row.indicator):
                        continue
                    actual = row.values.get(fiscal_year)
                    if actual is None:
                        shown = ""
                    elif actual.value is not None:
                        shown = canonical(actual.value) + (row.indicator.unit or "")
                    elif actual.missing_reason is not None:
                        reason = actual.missing_reason
                        shown = reason.label_en if self.lang == "en" else reason.label_ja
                    else:
                        shown = ""
                    grade = row.achievement(catalog, fiscal_year).grade
                    track = row.track(catalog, fiscal_year).status
                    child = QTreeWidgetItem(
                        [
                            f"{row.indicator.code} {row.indicator.display_name}",
                            "",
                            shown,
                            grade.label(labels, self.lang),
                            track.label(self.lang),
                        ]
                    )
                    child.setData(0, Qt.ItemDataRole.UserRole, row.indicator.code)
                    item.addChild(child)
        self.tree.expandAll()

    def codes_under(self, plan: str) -> list[str]:
        """The indicator codes listed under one plan (for tests and the status bar)."""
        codes: list[str] = []
        for n in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(n)
            if top is None or top.text(0) != plan:
                continue
            for i in range(top.childCount()):
                item = top.child(i)
                for j in range(item.childCount() if item is not None else 0):
                    child = item.child(j) if item is not None else None
                    if child is not None:
                        codes.append(str(child.data(0, Qt.ItemDataRole.UserRole)))
        return codes
