"""What the window shows, written to a file for the real-window tests (KPLAN_PROBE=FILE).

The tests drive the program with real X input (xdotool) in another process; this report is how
they learn where the cells are on the screen, which widget has the focus and which dialog is
open. It only reads the window, and does nothing unless the variable is set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QTreeView,
    QWidget,
)

from kplan_desktop.ui.file_dialogs import FileDialog

if TYPE_CHECKING:
    from kplan_desktop.ui.main_window import MainWindow


def _rect(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def _global(widget: QWidget, rect: QRect) -> list[int]:
    top_left = widget.mapToGlobal(rect.topLeft())
    return [top_left.x(), top_left.y(), rect.width(), rect.height()]


def _texts(widget: QWidget) -> list[str]:
    found: list[str] = []
    for child in widget.findChildren(QWidget):
        if not child.isVisible():
            continue
        if isinstance(child, (QLabel, QAbstractButton)):
            found.append(child.text())
        elif isinstance(child, QLineEdit):
            found.append(child.placeholderText())
    return [t for t in found if t]


def _qt_class(widget: QWidget) -> str:
    """The widget's Qt class (a QTableView subclass of ours reports QTableView)."""
    for kind in type(widget).__mro__:
        if kind.__module__.startswith("PySide6"):
            return kind.__name__
    return type(widget).__name__


def snapshot(window: MainWindow) -> dict[str, Any]:
    """The window's state as plain data (also handy for debugging by hand)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    focus = app.focusWidget()
    modal = app.activeModalWidget()
    screen = window.screen().availableGeometry() if window.screen() else QRect()
    report: dict[str, Any] = {
        "pid": os.getpid(),
        "loaded": window.is_loaded,
        "title": window.windowTitle(),
        "screen": _rect(screen),
        "window": _rect(window.frameGeometry()),
        "focus": _qt_class(focus) if focus is not None else None,
        "focus_name": focus.objectName() if focus is not None else None,
        "focus_text": focus.text() if isinstance(focus, (QAbstractButton, QLineEdit)) else None,
        "modal": modal.windowTitle() if modal is not None else None,
        "modal_texts": _texts(modal) if modal is not None else [],
        # Every modal dialog on screen: one conflict must ask once, not twice stacked.
        "modals": [
            w.windowTitle()
            for w in app.topLevelWidgets()
            if w.isVisible() and w.isModal() and w is not window
        ],
        "status": window.status.text() if window.is_loaded else "",
    }
    # The first rows of a big grid, shown while the rest is read (models/cells.py).
    model = getattr(window, "model", None)  # once the window's body is built
    if model is not None and model.first_of is not None:
        report["first_rows"] = {"shown": len(model.rows), "of": model.first_of}
        report["status"] = window.status.text()
        current = window.grid.currentIndex()
        report["current_row"] = current.row() if current.isValid() else None
        column = window.proxy.mapToSource(current).column()
        report["current_year"] = model.year_of_column(column) if current.isValid() else None
        grid = window.grid
        report["first_rows"]["fitted"] = grid.updatesEnabled()  # columns measured, shown
        if window.fiscal_year in model.years:  # the third row's entry-year cell, to click
            third = window.proxy.index(2, model.column_of_year(window.fiscal_year))
            report["first_rows"]["cell"] = _global(grid.viewport(), grid.visualRect(third))
    # The menu bar's titles and an open menu's items, where they are on the screen (so that a
    # test can click them with the mouse).
    menu_bar = window.menuBar()
    report["menus"] = {
        a.text().replace("&", ""): _global(menu_bar, menu_bar.actionGeometry(a))
        for a in menu_bar.actions()
    }
    popup = app.activePopupWidget()
    report["popup"] = (
        {
            a.text().replace("&", ""): _global(popup, popup.actionGeometry(a))
            for a in popup.actions()
            if a.isVisible() and not a.isSeparator()
        }
        if isinstance(popup, QMenu)
        else {}
    )
    if isinstance(modal, FileDialog):
        report["file_dialog"] = _file_list(modal)
    if not window.is_loaded:
        return report
    grid = window.grid
    current = grid.currentIndex()
    report["panel_open"] = window.splitter.sizes()[2] > 0
    report["tree_width"] = window.splitter.sizes()[0]
    report["panel_checked"] = window.side_action is not None and window.side_action.isChecked()
    # Where the widgets along the window's bottom edge are (all must be on the screen).
    bottom: dict[str, QWidget] = {
        "status": window.status,
        "finalise": window.exchange.finalise_button,
        "comment_button": window.detail_panel.comment_button,
        "comment": window.detail_panel.comment,
    }
    report["bottom"] = {
        name: _global(widget, widget.rect()) if widget.isVisible() else [0, 0, 0, 0]
        for name, widget in bottom.items()
    }
    # The detail panel's trend chart and texts (series across plans, issue 17).
    chart = window.chart
    report["chart"] = _global(chart, chart.rect()) if chart.isVisible() else [0, 0, 0, 0]
    report["chart_series"] = [series.name() for series in chart.chart().series()]
    report["detail_text"] = window.detail.toPlainText()
    report["history_text"] = window.history.toPlainText()
    report["editing"] = grid.state() == QAbstractItemView.State.EditingState
    report["editor_text"] = (
        focus.text() if isinstance(focus, QLineEdit) and report["editing"] else None
    )
    report["viewport"] = _global(grid.viewport(), grid.viewport().rect())
    if current.isValid():
        source = window.proxy.mapToSource(current)
        model = window.model
        row = model.rows[source.row()]
        report["current"] = {
            "code": row.indicator.code,
            "year": model.year_of_column(source.column()),
            "column": current.column(),
        }
        columns = {
            "entry": model.column_of_year(window.fiscal_year),
            "target": model.target_column,
            "rate": model.rate_column,
            "grade": model.grade_column,
            "track": model.track_column,
            "name": 1,
        }
        cells: dict[str, Any] = {}
        for name, column in columns.items():
            index: QModelIndex = window.proxy.index(current.row(), column)
            rect = grid.visualRect(index)
            cells[name] = {
                "rect": _global(grid.viewport(), rect),
                "header": model.headerData(column, _horizontal()),
                "text": index.data(),
            }
        report["cells"] = cells
        # The frozen code and name columns over the grid's left edge (see frozen_grid).
        frozen = getattr(grid, "frozen", None)
        if frozen is not None:
            report["frozen"] = {
                "visible": frozen.isVisible(),
                "area": _global(frozen, frozen.rect()),
                "code": _global(
                    frozen.viewport(), frozen.visualRect(frozen.model().index(current.row(), 0))
                ),
                "name": _global(
                    frozen.viewport(), frozen.visualRect(frozen.model().index(current.row(), 1))
                ),
                "text": [frozen.model().index(current.row(), column).data() for column in (0, 1)],
            }
        # Every year cell of the entry column, where it is and what it shows (the marks a
        # paste leaves are checked on the screen against these).
        entry_column = model.column_of_year(window.fiscal_year)
        column_cells = {}
        for proxy_row in range(min(window.proxy.rowCount(), 200)):
            index = window.proxy.index(proxy_row, entry_column)
            code = model.rows[window.proxy.mapToSource(index).row()].indicator.code
            column_cells[code] = {
                "rect": _global(grid.viewport(), grid.visualRect(index)),
                "text": index.data(),
            }
        report["entry_column"] = column_cells
        report["cut"] = _cut_texts(window)
        report["half_columns"] = _half_columns(window)
        search = window.search
        report["search"] = {
            "rect": _global(search, search.rect()),
            # The hint's width against the room inside the box (frame, margins, clear button).
            "hint_fits": search.fontMetrics().horizontalAdvance(search.placeholderText())
            <= search.width() - 40,
        }
        bar = grid.horizontalScrollBar()
        report["hscroll"] = [bar.value(), bar.maximum()]
    return report


def _half_columns(window: MainWindow) -> list[str]:
    """Headings of the scrolled columns whose visible part starts beside the frozen code and
    name: part of the column is shown, part slid under them (a half glyph of 単位)."""
    grid = window.grid
    frozen = getattr(grid, "frozen", None)
    if frozen is None:
        return []
    edge = frozen.geometry().right() + 1 - grid.viewport().geometry().left()
    header = grid.horizontalHeader()
    half = []
    for column in range(2, window.proxy.columnCount()):
        left = header.sectionViewportPosition(column)
        if left < edge < left + header.sectionSize(column):
            half.append(str(window.proxy.headerData(column, Qt.Orientation.Horizontal)))
    return half


def _cut_texts(window: MainWindow) -> list[str]:
    """Headings and cells of the grid narrower than their text (Qt then clips a heading, 令和4年度
    showing as 「和4年月」, or elides a cell, 「該当…」); the name column, elided on purpose
    with the full name in its tooltip and the panel, is left out."""
    grid = window.grid
    header = grid.horizontalHeader()
    bold = header.font()
    bold.setBold(True)
    entry = window.proxy.mapFromSource(
        window.model.index(0, window.model.column_of_year(window.fiscal_year))
    ).column()
    metrics = grid.fontMetrics()
    pad = 2 * header.style().pixelMetric(header.style().PixelMetric.PM_HeaderMargin)
    cut: list[str] = []
    rows = range(min(window.proxy.rowCount(), 40))
    for column in range(window.proxy.columnCount()):
        if column == 1 or grid.isColumnHidden(column):
            continue
        width = header.sectionSize(column)
        heading = str(window.proxy.headerData(column, Qt.Orientation.Horizontal) or "")
        # The entry year's heading is bold.
        heading_metrics = QFontMetrics(bold) if column == entry else header.fontMetrics()
        if heading_metrics.horizontalAdvance(heading) + pad > width:
            cut.append(f"heading {heading}")
        for row in rows:
            index = window.proxy.index(row, column)
            text = str(index.data() or "")
            icon = 20 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
            if text and metrics.horizontalAdvance(text) + 6 + icon > width:
                cut.append(f"{heading}: {text}")
    return cut


def _file_list(dialog: FileDialog) -> dict[str, Any]:
    """The file dialog's list and places as shown: each row's texts, and the texts their
    column is too narrow for (Qt then cuts them: 「フ…ー」, 「コンピュー」)."""
    found: dict[str, Any] = {"rows": [], "cut": [], "places": []}
    files = dialog.findChild(QTreeView, "treeView")
    if files is not None:
        metrics = files.fontMetrics()
        model = files.model()
        root = files.rootIndex()
        for row in range(min(model.rowCount(root), 20)):
            texts = []
            for column in range(model.columnCount(root)):
                if files.isColumnHidden(column):
                    continue
                index = model.index(row, column, root)
                text = str(index.data() or "")
                texts.append(text)
                room = files.header().sectionSize(column) - 12 - (24 if column == 0 else 0)
                if text and metrics.horizontalAdvance(text) > room:
                    found["cut"].append(text)
            found["rows"].append(texts)
    places = dialog.findChild(QListView, "sidebar")
    if places is not None:
        metrics = places.fontMetrics()
        for row in range(places.model().rowCount()):
            text = str(places.model().index(row, 0).data() or "")
            found["places"].append(text)
            if metrics.horizontalAdvance(text) > places.viewport().width() - 36:
                found["cut"].append(text)
    return found


def _horizontal() -> Any:
    return Qt.Orientation.Horizontal


class Probe(QObject):
    """Writes the snapshot whenever it changes (checked every 100 ms), atomically."""

    def __init__(self, window: MainWindow, path: Path) -> None:
        super().__init__(window)
        self._window = window
        self._path = path
        self._last = ""
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.write)
        self._timer.start()

    def write(self) -> None:
        text = json.dumps(snapshot(self._window), ensure_ascii=False, sort_keys=True)
        if text == self._last:
            return
        self._last = text
        partial = self._path.with_name(self._path.name + ".part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(self._path)


def install(window: MainWindow) -> Probe | None:
    path = os.environ.get("KPLAN_PROBE")
    return Probe(window, Path(path)) if path else None
