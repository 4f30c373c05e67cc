"""The plan tree, the search box and the filters of the grid."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
)

from kplan_desktop.ui.parts import Part, Shared

if TYPE_CHECKING:
    from kplan_desktop.ui.entry_controller import EntryController

    pass


class PlanTree(Part):
    """The plan tree (基本目標 › 施策 › 事業) with its missing counts, the search box and the
    filter boxes above the grid."""

    # 全課を表示 was switched: the grid must be read again.
    scope_changed = Signal()

    def __init__(self, shared: Shared, entry: EntryController) -> None:
        super().__init__(shared)
        self.entry = entry
        self.nodes: dict[str, QTreeWidgetItem] = {}
        # The count each node shows, by code (written only when it changes).
        self._shown_counts: dict[str, str] = {}
        # The cell to make current again when a filter that hid it is cleared.
        self._kept_cell: QPersistentModelIndex | None = None
        self._filtering = False
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("計画体系"), self.tr("未入力")])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fitted by the program (fit_counts), not ResizeToContents: with that mode every count
        # written after an entry was a layout pass over the whole shown tree (1.4 ms each at
        # 370 nodes, three per entry).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.tree.itemSelectionChanged.connect(self.apply_filter)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("指標名・コードで検索 (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        # Never squeezed to 「指標…」 by the filters beside it (trial 15b at 150 %): its hint
        # stays readable; the clear button and the frame take the rest.
        hint = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
        self.search.setMinimumWidth(hint + 48)
        self.search.textChanged.connect(self.apply_filter)
        self.search.installEventFilter(self)
        self.missing_box = QCheckBox(self.tr("未入力のみ"))
        self.problems_box = QCheckBox(self.tr("エラー・警告のみ"))
        self.all_box = QCheckBox(self.tr("全課を表示"))
        self.all_box.setChecked(self.planning)
        for box in (self.missing_box, self.problems_box):
            box.toggled.connect(self.apply_filter)
        self.all_box.toggled.connect(lambda _on: self.scope_changed.emit())
        self.grid.selectionModel().currentChanged.connect(self.remember_cell)

    @property
    def shown_department(self) -> str | None:
        return None if self.all_box.isChecked() else self.department

    def clear_filters(self) -> None:
        self.tree.clearSelection()
        self.search.clear()
        self.missing_box.setChecked(False)
        self.problems_box.setChecked(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Enter in the search box moves into the grid; Esc clears the search, or in
        an empty box goes back to the grid (it asked whether to quit the program)."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape and not event.modifiers():
                if self.search.text():
                    self.search.clear()  # the clerk's current cell stays (see apply_filter)
                else:
                    self.grid.setFocus()
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # On the entry-year cell of the found row (the current row if it was found),
                # never on the earlier year that was clicked before the search.
                if self.proxy.rowCount():
                    current = self.grid.currentIndex()
                    row = current.row() if current.isValid() else 0
                    column = self.entry.entry_column()
                    if column < 0:
                        column = max(current.column(), 0)
                    self.grid.setCurrentIndex(self.proxy.index(row, column))
                self.grid.setFocus()
                return True
        return super().eventFilter(watched, event)

    def fill(self) -> None:
        """Build the tree with its counts written into each item before it is shown and expanded:
        a text set on an expanded tree is a layout pass over every shown item (the count column
        fits its contents), 1.4 s at 20,000 indicators when it was done after expandAll()."""
        self.tree.blockSignals(True)
        self.tree.setUpdatesEnabled(False)
        try:
            self.tree.clear()
            self.nodes = {}
            missing = self._missing()
            self._shown_counts = {}
            tops: list[QTreeWidgetItem] = []
            goal_label = self.tr("基本目標{0} {1}")
            for item in self.model.rows:
                if item.measure.code in self.nodes:
                    continue  # the measure's branch is built (most rows: one dict look-up)
                parent: QTreeWidgetItem | None = None
                for node_of in (item.goal, item.policy, item.measure):
                    code = node_of.code
                    node = self.nodes.get(code)
                    if node is None:
                        if node_of is item.goal:
                            name = goal_label.format(code, node_of.name)
                        else:
                            name = f"{code} {node_of.name}"
                        count = str(missing[code])
                        node = QTreeWidgetItem([name, count])
                        node.setData(0, Qt.ItemDataRole.UserRole, code)
                        node.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                        if parent is None:
                            tops.append(node)
                        else:
                            parent.addChild(node)
                        self.nodes[code] = node
                        self._shown_counts[code] = count
                    parent = node
            # The whole tree in one insertion, then opened: one layout, not one per item.
            self.tree.addTopLevelItems(tops)
            self.tree.expandAll()
            self._fit_counts()
        finally:
            self.tree.setUpdatesEnabled(True)
            self.tree.blockSignals(False)

    def _missing(self) -> Counter[str]:
        """Empty cells of this year under each goal, policy and measure (kept by the model)."""
        return self.model.missing_under

    def _fit_counts(self) -> None:
        """The count column as wide as its widest count or its header, whichever is wider."""
        self.tree.resizeColumnToContents(1)

    def update_counts(self) -> None:
        """After a value is entered: only the counts that changed are written; the column is
        widened only when a count got a digit more than the widest shown."""
        missing = self._missing()
        widest = max(map(len, self._shown_counts.values()), default=0)
        for code, node in self.nodes.items():
            count = str(missing[code])
            if self._shown_counts.get(code) != count:
                node.setText(1, count)
                self._shown_counts[code] = count
        if max(map(len, self._shown_counts.values()), default=0) > widest:
            self._fit_counts()

    def apply_filter(self) -> None:
        """Filter the grid; the clerk's current cell is current again whenever it is shown."""
        self._filtering = True
        try:
            self._filter_rows()
        finally:
            self._filtering = False
        kept = self._kept_cell
        if kept is not None and kept.isValid():
            again = self.proxy.mapFromSource(self.model.index(kept.row(), kept.column()))
            if again.isValid() and again != self.grid.currentIndex():
                self.grid.setCurrentIndex(again)
                self.grid.scrollTo(again)

    def remember_cell(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The cell the clerk moved to (not where a filter pushed the current cell)."""
        if self._filtering:
            return
        source = self.proxy.mapToSource(current)
        if source.isValid():
            self._kept_cell = QPersistentModelIndex(source)

    def _filter_rows(self) -> None:
        selected = self.tree.selectedItems()
        branch = selected[0].data(0, Qt.ItemDataRole.UserRole) if selected else ""
        # Bounded: a pasted novel in the search box is not a search. Full-width ７－１ finds 7-1.
        wanted = unicodedata.normalize("NFKC", self.search.text()).strip()[:200]
        self.proxy.setFilterFixedString(wanted)
        self.proxy.set_flags(self.missing_box.isChecked(), self.problems_box.isChecked(), branch)
