"""Fitting the grid to its window."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QSplitter,
    QStyle,
    QTabWidget,
)

from kplan_desktop.domain.achievement import TrackStatus
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.models.cells import CellState
from kplan_desktop.ui.parts import WIDE, Part, Shared

if TYPE_CHECKING:
    from kplan_desktop.ui.entry_controller import EntryController
    from kplan_desktop.ui.models.cells import GridData


# The indicator-name column is never narrowed below this to fit the grid in its pane.
NAME_MIN_WIDTH = 160
# The detail panel's width when F9 opens it, and the least it is given on a narrow window.
PANEL_WIDTH = 350
PANEL_MIN_WIDTH = 240
# Columns are measured for at most this long per turn of the event loop (see fit_columns).
FIT_TURN_SECONDS = 0.025
# A turn that measured for longer than this leaves showing the grid to the next turn, on a
# grid of more rows than this (a small one is shown at once: a turn between let the rest of
# the window repaint first, for no long block to avoid).
FIT_FINISH_SECONDS = 0.01
FIT_FINISH_ROWS = 500


class GridFit(Part):
    """The grid's columns fitted to the window, the detail panel folded on a narrow one, and
    the first cell that needs a value."""

    def __init__(self, shared: Shared, entry: EntryController) -> None:
        super().__init__(shared)
        self.entry = entry
        # Given by the window once built.
        self.splitter = QSplitter()
        self.side_action: QAction | None = None
        self.tabs: QTabWidget | None = None
        # A column narrowed by hand is headed the short way too (see fit_headers).
        self.grid.horizontalHeader().sectionResized.connect(self.fit_headers)
        self._fit_round = 0
        # Where the clerk was in the first rows of a grid being read (keep_place).
        self._kept: tuple[str, int] | None = None
        # The plan tree's width when opening the panel folded it away (0: not folded).
        self._tree_width = 0

    def fit_columns(self, then: Callable[[], None]) -> None:
        """Column widths once the grid is filled: every label whole, the entry year, target,
        rate and grade in view (the detail panel folds away on a narrow window); then `then`.

        Columns are measured for up to FIT_TURN_SECONDS per turn of the event loop (each asks
        its sample of rows for their text, font and icon: all of them at once blocked the window
        0.15 s). The grid is not repainted until the last is measured: a repaint after each
        column asked every shown cell again, 15 times, and tripled the time to a fitted grid of
        20,000 indicators. A later load's fitting replaces an unfinished one.
        """
        self._fit_round += 1
        fitting = self._fit_round
        grid = self.grid
        grid.setUpdatesEnabled(False)
        # The widths saved at the last close come back on the first load, but never below what
        # the labels need (_fit_measured): measuring what they replace was wasted.
        settings = self.shared.settings
        saved = settings.window_state(self.columns_key()) if settings else None
        if saved is not None and not self.is_loaded and grid.horizontalHeader().restoreState(saved):
            columns: list[int] = []
            grid.sync_columns()  # restoreState tells no one: the frozen code and name too
        else:
            # A big grid's first rows were measured too: the whole grid is measured again,
            # for a text wider than theirs further down (a longer 課's name, elided).
            columns = list(range(self.model.columnCount()))

        def step() -> None:
            if fitting != self._fit_round:
                return  # a later load fits the columns again (and shows the grid then)
            started = time.perf_counter()
            while columns and time.perf_counter() < started + FIT_TURN_SECONDS:
                grid.resizeColumnToContents(columns.pop(0))
            if columns:
                QTimer.singleShot(0, self.widget, step)
            elif (
                self.model.rowCount() > FIT_FINISH_ROWS
                and time.perf_counter() - started > FIT_FINISH_SECONDS
            ):
                # The grid is painted whole when it is shown again (50 ms at 2,000 rows): in
                # a turn of its own, not after a turn's worth of measuring.
                QTimer.singleShot(0, self.widget, finish)
            else:
                finish()

        def finish() -> None:
            if fitting != self._fit_round:
                return
            self._fit_measured()
            grid.setUpdatesEnabled(True)
            then()

        step()

    def _fit_measured(self) -> None:
        self.grid.setColumnWidth(1, min(self.grid.columnWidth(1), 340))
        # Widths come from a sample of rows: leave room for any rate, and for the longest grade
        # label of this language ("Cannot be assessed" is twice as wide as データ未確定).
        metrics = self.grid.fontMetrics()
        grades = self.model.grade_labels() or ["—"]
        longest_grade = max(grades, key=metrics.horizontalAdvance)
        tracks = [status.label(self.lang) for status in TrackStatus]
        samples = [
            (self.model.rate_column, "888.8%"),
            (self.model.grade_column, longest_grade),
            # 進捗状況: やや遅れ (Slightly behind) whole, never 「やや…」.
            (self.model.track_column, max(tracks, key=metrics.horizontalAdvance)),
        ]
        if self.entry.entry_column() >= 0:
            # The entry year shows 該当なし / 未集計 (Not applicable in English) whole.
            labels = [self.entry.shown_state(None, reason.value) for reason in MissingReason]
            samples.append(
                (
                    self.entry.entry_column(),
                    max([*labels, "88,888,888"], key=metrics.horizontalAdvance),
                )
            )
        for column, sample in samples:
            wanted = metrics.horizontalAdvance(sample) + 16
            self.grid.setColumnWidth(column, max(self.grid.columnWidth(column), wanted))
        self.fold_side()
        self.fit_name_column()

    def columns_key(self) -> str:
        """Where the column widths are kept: per language (基準値 < "Baseline"), screen width
        and scale (widths from a 150 % session cut the headers of the next one at 100 %), and
        number of columns (a plan of more years: widths saved for fewer columns come back as
        they are, and the columns they leave out stood at Qt's 100 pixels, unmeasured)."""
        count = self.model.columnCount()
        screen = self.widget.screen()
        if screen is None:
            return f"columns-{self.lang}-{count}"
        width = screen.availableGeometry().width()
        return f"columns-{self.lang}-{width}-{screen.devicePixelRatio():g}-{count}"

    def fit_name_column(self) -> None:
        """Fit the grid to its pane so the entry year, target, rate and grade are in view.

        Too wide: the name gives way first (down to NAME_MIN_WIDTH; it is elided with a tooltip
        and stands in full in the detail panel), then the years before last year narrow. Room
        to spare: the name widens to show itself whole.
        """
        if not self.widget.isVisible() or self.model.catalog is None:
            return
        room = self.grid.viewport().width()
        if not self.grid.verticalScrollBar().isVisible():
            # The bar appears once many rows are shown: keep room for it.
            room -= self.grid.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        excess = self.grid.horizontalHeader().length() - room
        width = self.grid.columnWidth(1)
        if excess < 0:
            wanted = max(self.grid.sizeHintForColumn(1), width)
            self.grid.setColumnWidth(1, min(wanted, width - excess))
            self.fit_headers()
            return
        if excess == 0:
            self.fit_headers()
            return
        narrower = max(width - excess, min(width, NAME_MIN_WIDTH))
        self.grid.setColumnWidth(1, narrower)
        excess -= width - narrower
        early = [
            self.model.column_of_year(year)
            for year in self.model.years
            if year < self.fiscal_year - 1
        ]
        for column in early:
            if excess <= 0:
                break
            now = self.grid.columnWidth(column)
            # Never narrower than what the year shows (該当なし was cut to 「該当…」).
            cut = min(excess, max(0, now - self.narrowest(column)))
            self.grid.setColumnWidth(column, now - cut)
            excess -= cut
        self.fit_headers()

    def narrowest(self, column: int) -> int:
        """The narrowest a year's column may be: its widest text among the first rows (a
        number, 該当なし, 未集計), or 88,888 if narrower."""
        metrics = self.grid.fontMetrics()
        texts = ["88,888"] + [
            str(self.model.index(row, column).data() or "")
            for row in range(min(self.model.rowCount(), 200))
        ]
        # The state icon (該当なし's ⓘ) and the margins beside it and the text.
        icon = self.grid.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        return max(metrics.horizontalAdvance(t) for t in texts) + icon + 20

    def fit_headers(self, *_args: object) -> None:
        """Years whose column is narrower than their long heading (令和4年度) are headed the
        short way (R4 … R8, all of them alike), never clipped to 「和4年月」; wide enough
        again, the long way."""
        if self.model.catalog is None:
            return

        header = self.grid.horizontalHeader()
        font = header.font()
        font.setBold(True)  # the entry year's heading is bold
        metrics = QFontMetrics(font)
        pad = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 12
        short = {
            year
            for year in self.model.years
            if header.sectionSize(self.model.column_of_year(year))
            < metrics.horizontalAdvance(year_text(year, self.lang)) + pad
        }
        if short != self.model.short_years:
            self.model.short_years = short
            self.model.headerDataChanged.emit(
                Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1
            )

    def fold_side(self) -> None:
        """On a narrow window the detail panel folds away (表示 › 詳細パネル, F9, opens it)."""
        settings = self.shared.settings
        saved = settings.window_state("splitter") if settings is not None else None
        # Without the clerk's own arrangement, a narrow window folds the panel away.
        if saved is None and self.widget.width() < WIDE[0] - 20:
            sizes = self.splitter.sizes()
            self.splitter.setSizes([sizes[0], sizes[1] + sizes[2], 0])
        # 表示 › 詳細パネル ticked only when the panel shows (a saved folded panel stayed
        # ticked, so F9 had to be pressed twice).
        if self.side_action is not None:
            self.side_action.setChecked(self.splitter.sizes()[2] > 0)

    def toggle_side(self, show: bool) -> None:
        """F9: the detail panel opened or folded. Opened on a narrow window (1366×768 at 150 %)
        the entry year, target, rate and grade stay in view: the plan tree folds away first,
        then the panel takes only the room left (the trial saw コード, 指標名 and two years)."""
        sizes = self.splitter.sizes()
        if show and sizes[2] == 0:
            total = sum(sizes)
            tree, panel = sizes[0], PANEL_WIDTH
            need = self.grid_need()
            if total - tree - panel < need and tree > 0:
                self._tree_width, tree = tree, 0
            if total - tree - panel < need:
                panel = max(PANEL_MIN_WIDTH, total - tree - need)
            self.splitter.setSizes([tree, max(total - tree - panel, 200), panel])
        elif not show and sizes[2] > 0:
            tree = sizes[0] or self._tree_width
            self._tree_width = 0
            self.splitter.setSizes([tree, max(sizes[1] + sizes[2] - (tree - sizes[0]), 200), 0])
        self.fit_name_column()
        # The splitter lays its panes out now; the grid's own layout follows on the next turn.
        QTimer.singleShot(0, self.widget, self.show_entry_columns)

    def grid_need(self) -> int:
        """The grid pane's width that shows the code, the name (at its narrowest) and the
        entry year through the grade beside them."""
        entry = self.entry.entry_column()
        grade = self.model.grade_column
        name = min(self.grid.columnWidth(1), NAME_MIN_WIDTH)
        shown = range(entry, grade + 1) if 0 <= entry <= grade else range(0)
        bar = self.grid.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        frame = 2 * self.grid.frameWidth() + 8
        return (
            self.grid.columnWidth(0) + name + sum(map(self.grid.columnWidth, shown)) + bar + frame
        )

    def show_entry_columns(self) -> None:
        """The current row's entry year through its grade in view beside the frozen columns."""
        self.fit_name_column()
        current = self.grid.currentIndex()
        entry = self.entry.entry_column()
        if not current.isValid() or entry < 0:
            return
        self.grid.scrollTo(current.siblingAtColumn(self.model.grade_column))
        self.grid.scrollTo(current.siblingAtColumn(entry))
        self.grid.scrollTo(current)

    def show_first_rows(self, data: GridData, then: Callable[[], None]) -> None:
        """The first rows of a big grid, shown while the rest is read (they take no value until
        it is in: the grid's rows and tallies change then); `then` once they are painted."""
        settled = data.settled or self.session
        self.model.reset(
            data, settled.fiscal_year, self.department, planning=self.planning, lang=self.lang
        )
        self.status.setText(
            self.tr("先頭の {0:,} 件を表示しています。全 {1:,} 件を読み込んでいます…").format(
                len(data.rows), data.first_of or len(data.rows)
            )
        )

        def painted() -> None:
            self.widget.repaint()  # the window whole: its status line and headers too
            then()

        def measured() -> None:
            # In a turn of its own: after a turn of measuring, the window's whole paint (some
            # 45 ms) made one block of over 100 ms.
            QTimer.singleShot(0, self.widget, painted)

        self.fit_columns(measured)

    def keep_place(self) -> None:
        """Remember the indicator and column the clerk went to in the first rows, for
        select_first_cell once the whole grid is in."""
        current = self.proxy.mapToSource(self.grid.currentIndex())
        self._kept = None
        if self.model.first_of is not None and current.isValid():
            self._kept = (self.model.rows[current.row()].indicator.code, current.column())

    def select_first_cell(self) -> None:
        """Focus on the first entry-year cell that still needs a value (or the cell the clerk
        went to in the first rows, see keep_place), scrolled into view."""
        kept, self._kept = self._kept, None
        row = None if kept is None else self.model.row_of(kept[0])
        if self.grid.currentIndex().isValid():
            return
        first = QModelIndex()
        if row is not None and kept is not None:  # unless a filter hides it now
            first = self.proxy.mapFromSource(self.model.index(row, kept[1]))
        if not first.isValid():
            first = self.first_editable()
        if first.isValid():
            self.grid.setCurrentIndex(first)
            self.grid.scrollTo(first)
            on_entry = self.tabs is None or self.tabs.currentIndex() == 0
            if on_entry and QGuiApplication.platformName() != "offscreen":
                self.widget.activateWindow()
            self.grid.setFocus()

    def first_editable(self) -> QModelIndex:
        if self.fiscal_year not in self.model.years:
            return QModelIndex()
        column = self.model.column_of_year(self.fiscal_year)
        # Start on the first cell that still needs a value and can take a number (an indicator
        # with its unit set); when every cell is filled, on the first such cell.
        candidates = []
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, column)
            unit = self.proxy.index(row, 2).data()
            if index.flags() & Qt.ItemFlag.ItemIsEditable and unit != self.tr("未設定"):
                source = self.proxy.mapToSource(index)
                if self.model.cell(source.row(), self.fiscal_year).state is CellState.EMPTY:
                    return index
                candidates.append(index)
        if candidates:
            return candidates[0]
        # Nothing can be entered (finalised, locked, opened read-only): still the entry year's
        # first cell, so the keyboard is in the grid and typing there says why.
        return self.proxy.index(0, column) if self.proxy.rowCount() else QModelIndex()

    def go_to_indicator(self, code: str, clear_filters: Callable[[], None]) -> None:
        """Select the entry-year cell of an indicator, clearing filters that hide it."""
        row = self.model.row_of(code)
        if row is None or self.fiscal_year not in self.model.years:
            return
        source = self.model.index(row, self.model.column_of_year(self.fiscal_year))
        if not self.proxy.mapFromSource(source).isValid():
            clear_filters()
        target = self.proxy.mapFromSource(source)
        if self.tabs is not None:
            self.tabs.setCurrentIndex(0)
        self.grid.setCurrentIndex(target)
        self.grid.scrollTo(target)
        self.grid.setFocus()

    def focus_grid(self) -> None:
        """Ctrl+1: the entry tab, focus in the grid on its current (or first needed) cell."""
        if self.tabs is not None:
            self.tabs.setCurrentIndex(0)
        if not self.grid.currentIndex().isValid() and self.is_loaded:
            first = self.first_editable()
            if first.isValid():
                self.grid.setCurrentIndex(first)
        self.grid.setFocus()
