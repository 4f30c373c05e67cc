"""The indicator grid with its code and name columns frozen at the left.

The years scroll horizontally under a second view that shows only the first columns and lies
over the grid's left edge (Qt's frozen-column technique): it shares the model and the selection,
follows the grid's vertical scrolling and column widths, and never takes the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView, QWidget

# The code and the indicator name.
FROZEN_COLUMNS = 2


class FrozenGrid(QTableView):
    """A table view whose first FROZEN_COLUMNS columns stay in view when scrolling right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frozen = QTableView(self)
        frozen.setObjectName("frozen_columns")
        frozen.setFocusPolicy(frozen.focusPolicy().NoFocus)
        frozen.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        frozen.verticalHeader().hide()
        frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        frozen.setFrameShape(QFrame.Shape.NoFrame)
        frozen.setHorizontalScrollBarPolicy(frozen.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
        frozen.setVerticalScrollBarPolicy(frozen.verticalScrollBarPolicy().ScrollBarAlwaysOff)
        frozen.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        frozen.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.frozen = frozen
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.viewport().stackUnder(frozen)
        self.horizontalHeader().sectionResized.connect(self._column_resized)
        self.verticalHeader().sectionResized.connect(self._row_resized)
        frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(frozen.verticalScrollBar().setValue)
        # A column half slid under the frozen ones shows a half glyph beside them (trial 15b:
        # half of 単位 at 150 %): the overlay widens to cover what is left of it.
        self.horizontalScrollBar().valueChanged.connect(self.update_frozen_geometry)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.frozen.setModel(model)
        selection = self.selectionModel()
        if isinstance(selection, QItemSelectionModel):
            self.frozen.setSelectionModel(selection)
        if model is not None:
            for signal in (model.modelReset, model.layoutChanged, model.columnsInserted):
                signal.connect(self.sync_columns)
        self.sync_columns()

    def sync_columns(self, *_args: object) -> None:
        """Show only the frozen columns in the overlay, as wide as the grid's own."""
        model = self.model()
        if model is None:
            return
        for column in range(model.columnCount()):
            self.frozen.setColumnHidden(column, column >= FROZEN_COLUMNS)
            if column < FROZEN_COLUMNS:
                self.frozen.setColumnWidth(column, self.columnWidth(column))
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self.update_frozen_geometry()

    def frozen_width(self) -> int:
        return sum(self.columnWidth(c) for c in range(FROZEN_COLUMNS))

    def covered_width(self) -> int:
        """The overlay's width: the frozen columns, and the visible rest of a scrolled column
        partly under them (its half glyphs would show beside the name otherwise)."""
        width = self.frozen_width()
        model = self.model()
        if model is None:
            return width
        header = self.horizontalHeader()
        for column in range(FROZEN_COLUMNS, model.columnCount()):
            left = header.sectionViewportPosition(column)
            right = left + header.sectionSize(column)
            if right <= width:
                continue
            if left < width:
                return right  # partly under the frozen columns: covered whole
            break
        return width

    def update_frozen_geometry(self, *_args: object) -> None:
        frame = self.frameWidth()
        header = self.verticalHeader()
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self.frozen.setGeometry(
            (header.width() if header.isVisible() else 0) + frame,
            frame,
            self.covered_width(),
            self.viewport().height() + self.horizontalHeader().height(),
        )

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if column < FROZEN_COLUMNS:
            self.frozen.setColumnWidth(column, new)
            self.update_frozen_geometry()

    def _row_resized(self, row: int, _old: int, new: int) -> None:
        self.frozen.setRowHeight(row, new)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.update_frozen_geometry()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if hasattr(self, "frozen"):
            self.update_frozen_geometry()

    def scrollTo(
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        """A cell right of the frozen columns is scrolled into view beside them, not under."""
        if not index.isValid():
            return
        if index.column() < FROZEN_COLUMNS:
            # Only the rows move: the frozen columns are always in view.
            column = self.horizontalScrollBar().value()
            super().scrollTo(index, hint)
            self.horizontalScrollBar().setValue(column)
            return
        super().scrollTo(index, hint)
        left = self.visualRect(self.model().index(index.row(), index.column())).left()
        hidden = self.frozen_width() - left
        if hidden > 0:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - hidden)
