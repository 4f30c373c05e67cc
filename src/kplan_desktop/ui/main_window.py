"""The main window: plan tree, indicator grid, detail panel, dashboard.

Every edit goes through an undoable command over the store's one write function; the window
only asks the store and the domain, it holds no rules of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop import __version__
from kplan_desktop.session import Session
from kplan_desktop.ui.frozen_grid import FrozenGrid
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.parts import Shared
from kplan_desktop.ui.settings import AppSettings
from kplan_desktop.ui.workers import Job, Work, run_job

if TYPE_CHECKING:
    from kplan_desktop.domain.fiscal_year import FiscalYearStyle
    from kplan_desktop.domain.model import MissingReason
    from kplan_desktop.store.engine import Store
    from kplan_desktop.store.requests import (
        current_user,
    )
    from kplan_desktop.ui.backup_actions import BackupActions
    from kplan_desktop.ui.catalog_actions import CatalogActions
    from kplan_desktop.ui.cycle_actions import CycleActions
    from kplan_desktop.ui.dashboard import Dashboard
    from kplan_desktop.ui.detail_panel import DetailPanel
    from kplan_desktop.ui.entry_controller import EntryController, EntryDelegate
    from kplan_desktop.ui.exchange_actions import ExchangeActions, xlsx_paths
    from kplan_desktop.ui.key_actions import KeyActions
    from kplan_desktop.ui.models.cells import CellState, GridData
    from kplan_desktop.ui.models.indicator_table import IndicatorTableModel
    from kplan_desktop.ui.paste import PasteController
    from kplan_desktop.ui.plan_tree import IndicatorFilter, PlanTree
    from kplan_desktop.ui.poller import ChangePoller


def _late_imports() -> None:
    """Bind what the window needs once it has painted its frame (see MainWindow._start).

    Importing these before the first paint would make the window appear later; see the
    first-paint figure in bench/bench_window.py.
    """
    global FiscalYearStyle, MissingReason, EntryRefused, EntryRequest
    global EntryResult, Outcome, current_user, EntryCommand, CellState, GridData
    global FILTER_ROLE, IndicatorTableModel, TrendChart, ExchangeActions, xlsx_paths
    global BackupActions, CatalogActions, CycleActions, KeyActions
    global DetailPanel, EntryController, EntryDelegate, PasteController, IndicatorFilter
    global PlanTree, ChangePoller
    from kplan_desktop.domain.fiscal_year import FiscalYearStyle
    from kplan_desktop.domain.model import MissingReason
    from kplan_desktop.store.requests import (
        EntryRefused,
        EntryRequest,
        EntryResult,
        Outcome,
        current_user,
    )
    from kplan_desktop.ui.backup_actions import BackupActions
    from kplan_desktop.ui.catalog_actions import CatalogActions
    from kplan_desktop.ui.cycle_actions import CycleActions
    from kplan_desktop.ui.detail_panel import DetailPanel
    from kplan_desktop.ui.entry import EntryCommand
    from kplan_desktop.ui.entry_controller import EntryController, EntryDelegate
    from kplan_desktop.ui.exchange_actions import ExchangeActions, xlsx_paths
    from kplan_desktop.ui.key_actions import KeyActions
    from kplan_desktop.ui.models.cells import CellState, GridData
    from kplan_desktop.ui.models.indicator_table import FILTER_ROLE, IndicatorTableModel
    from kplan_desktop.ui.paste import PasteController
    from kplan_desktop.ui.plan_tree import IndicatorFilter, PlanTree
    from kplan_desktop.ui.poller import ChangePoller
    from kplan_desktop.ui.trend_chart import TrendChart


# The indicator-name column is never narrowed below this to fit the grid in its pane.
NAME_MIN_WIDTH = 160
# The window's size where the screen has room; below this width the detail panel folds away
# so the entry year, target, rate and grade stay in view (see _fold_side).
WIDE = (1500, 860)


class MainWindow(QMainWindow):
    """The clerk's window: find the department's indicators, type this year's values."""

    loaded = Signal()
    # Emitted with the message when a load fails, so callers wait on a signal, not a poll loop.
    load_failed = Signal(str)

    def __init__(
        self,
        store: Store | Callable[[], Store],
        *,
        department: str | None,
        fiscal_year: int,
        planning: bool = False,
        lang: str = "ja",
        settings: AppSettings | None = None,
    ) -> None:
        super().__init__()
        # A factory is called in the loading worker, so the window paints before the database
        # layer (SQLAlchemy) is even imported.
        self.session = Session.start(
            store, department=department, fiscal_year=fiscal_year, planning=planning, lang=lang
        )
        self.settings = settings
        self.is_loaded = False
        self.load_error: str | None = None
        self._job: Job | None = None
        self._built = False
        self._splitter_restored = False
        # The frame paints first; the body is built right after (see _start).
        self.setWindowTitle("kplan-desktop")
        # Submission workbooks dropped on the window are merged (the planning division only).
        self.setAcceptDrops(planning)
        self.setCentralWidget(QLabel(self.tr("読み込んでいます…")))
        geometry = self.settings.window_state("geometry") if self.settings else None
        if geometry is None or not self.restoreGeometry(geometry):
            self._fit_screen()
        self._started = False
        self._arrived: Callable[[], None] | None = None
        # The worker starts now: opening the database (importing SQLAlchemy) takes longest, and
        # runs while Qt lays out and paints the frame. What it returns before the body exists
        # waits for _start.
        self.reload()
        # A window that is never shown (a test, the self-test) still loads.
        QTimer.singleShot(300, self._start)

    # -- the session (kplan_desktop.session), as the parts of the window read it -------------

    @property
    def store(self) -> Store:
        """The session's store (None until the loading worker has opened it)."""
        return self.session.store  # type: ignore[return-value]

    @property
    def department(self) -> str | None:
        return self.session.department

    @property
    def fiscal_year(self) -> int:
        return self.session.fiscal_year

    @property
    def planning(self) -> bool:
        return self.session.planning

    @property
    def lang(self) -> str:
        return self.session.lang

    @property
    def widget(self) -> QWidget:
        return self

    def run(
        self,
        label: str,
        work: Work,
        done: Callable[[Any], None],
        target: Path | None = None,
        *,
        cancellable: bool = True,
    ) -> None:
        self.exchange.start(label, work, done, target, cancellable=cancellable)

    def folder(self) -> Path:
        return self.exchange.folder()

    def _fit_screen(self) -> None:
        """1500×860 where it fits; on a smaller screen (a 1366×768 laptop) the whole screen."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        # Offscreen (screenshots, tests) has a nominal 800×600 screen: keep the full size.
        offscreen = QGuiApplication.platformName() == "offscreen"
        if room is None or offscreen or (room.width() >= WIDE[0] and room.height() >= WIDE[1]):
            self.resize(*WIDE)
            return
        self.resize(min(WIDE[0], room.width()), min(WIDE[1], room.height()))
        self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._started:
            # Zero-timers run before pending paints: wait for the frame's first paint.
            QTimer.singleShot(0, self._start)
        return super().event(event)

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        _late_imports()
        self.undo_stack = QUndoStack(self)
        self.model = IndicatorTableModel()
        self.proxy = IndicatorFilter()
        self.proxy.setSourceModel(self.model)
        self._build()
        self._built = True
        if self.isVisible():
            self._restore_splitter()
        if self._arrived is not None:
            arrived, self._arrived = self._arrived, None
            arrived()

    # -- layout ------------------------------------------------------------------------------

    def _set_title(self) -> None:
        """The title names the department (its name once the catalog is read) and the year."""
        year = year_text(self.fiscal_year, self.lang, FiscalYearStyle.ERA_WITH_WESTERN)
        who = self.tr("企画担当課") if self.planning else (self.department or "")
        catalog = self.model.catalog
        if not self.planning and catalog is not None:
            names = {d.code: d.name for d in catalog.departments}
            who = names.get(who, who)
        self.setWindowTitle(self.tr("kplan-desktop — 総合計画の進行管理") + f"  [{who}  {year}]")

    def action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build(self) -> None:
        self.status = QLabel()
        shared = Shared(
            self.session,
            self,
            FrozenGrid(),
            self.proxy,
            self.model,
            self.status,
            self.undo_stack,
            self.settings,
            is_loaded=lambda: self.is_loaded,
            loading=lambda: self._job is not None,
        )
        self.grid = shared.grid
        self.grid.setModel(self.proxy)
        self.entry = shared.entry = EntryController(shared)
        self.plan_tree = shared.tree = PlanTree(shared)
        self.detail_panel = shared.detail = DetailPanel(shared)
        self.paste = shared.paste = PasteController(shared)
        self.poller = ChangePoller(shared)
        self.entry.values_changed.connect(self.plan_tree.update_counts)
        self.entry.values_changed.connect(self.detail_panel.refresh)
        self.plan_tree.scope_changed.connect(self.reload)
        panel = self.detail_panel
        panel.comment_button.clicked.connect(self.entry.save_comment)
        # The widgets tests and the probe look at, under their usual names.
        self.tree, self.search = self.plan_tree.tree, self.plan_tree.search
        self.detail, self.history, self.chart = panel.detail, panel.history, panel.chart
        self.comment, self.side_splitter = panel.comment, panel.side_splitter
        self.exchange = ExchangeActions(self)
        self.backups = BackupActions(self)
        self.keys = KeyActions(self)
        self.catalog_actions = CatalogActions(self)
        self.cycle = CycleActions(self)
        self.evaluation_dialog: QDialog | None = None
        self._set_title()
        self._build_grid()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self._centre())
        self.splitter.addWidget(panel.side)
        self.splitter.setStretchFactor(1, 3)
        # The side panel is wide enough for the trend chart's legend and its seven year ticks.
        self.splitter.setSizes([190, 960, 350])
        # Built when its tab is first opened: most sessions never look at it.
        self.dashboard: Dashboard | None = None
        self._grid_data: GridData | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self.splitter, self.tr("入力"))
        self.tabs.addTab(QWidget(), self.tr("ダッシュボード"))
        self.tabs.addTab(QWidget(), self.tr("計画横断"))
        self.plans_view: Any = None
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.statusBar().addWidget(self.status, 1)
        if not self.planning:
            self.statusBar().addPermanentWidget(self.exchange.finalise_button)
        self._build_menus()

    def _build_grid(self) -> None:
        grid = self.grid
        grid.setObjectName("grid")
        grid.setItemDelegate(EntryDelegate(self.entry))
        grid.installEventFilter(self.entry)
        grid.setEditTriggers(
            QTableView.EditTrigger.AnyKeyPressed
            | QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
        )
        grid.verticalHeader().setVisible(False)
        # Column widths from the first rows only: measuring 2,000 rows froze the window 0.4 s.
        grid.horizontalHeader().setResizeContentsPrecision(100)
        grid.setAlternatingRowColors(False)

    def _centre(self) -> QWidget:
        """The banners, the search and filter row, and the grid."""
        tree = self.plan_tree
        top = QHBoxLayout()
        top.addWidget(tree.search, 1)
        for box in (tree.missing_box, tree.problems_box, tree.all_box):
            top.addWidget(box)
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.cycle.banner)
        column.addWidget(self.exchange.banner)
        column.addLayout(top)
        column.addWidget(self.grid)
        return centre

    def update_status(self, saved: str = "") -> None:
        self.entry.update_status(saved)

    def go_to_indicator(self, code: str) -> None:
        """Select the entry-year cell of an indicator, clearing filters that hide it."""
        row = self.model.row_of(code)
        if row is None or self.fiscal_year not in self.model.years:
            return
        source = self.model.index(row, self.model.column_of_year(self.fiscal_year))
        if not self.proxy.mapFromSource(source).isValid():
            self.plan_tree.clear_filters()
        target = self.proxy.mapFromSource(source)
        self.tabs.setCurrentIndex(0)
        self.grid.setCurrentIndex(target)
        self.grid.scrollTo(target)
        self.grid.setFocus()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("ファイル(&F)"))
        if not self.planning:
            self.exchange.add_department_actions(file_menu)
            self.keys.add_department_actions(file_menu)
        file_menu.addSeparator()
        self.backups.add_actions(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action(self.tr("終了"), self.close, QKeySequence.StandardKey.Quit))
        edit_menu = bar.addMenu(self.tr("編集(&E)"))
        undo = self.undo_stack.createUndoAction(self, self.tr("元に戻す"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("やり直す"))
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for action in (undo, redo):
            self.addAction(action)
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(
            self.action(self.tr("コピー"), self.paste.copy_selection, QKeySequence.StandardKey.Copy)
        )
        edit_menu.addAction(
            self.action(
                self.tr("貼り付け"), self.paste.paste_clipboard, QKeySequence.StandardKey.Paste
            )
        )
        edit_menu.addAction(
            self.action(
                self.tr("値を消去…"), self.entry.clear_current, QKeySequence.StandardKey.Delete
            )
        )
        edit_menu.addAction(
            self.action(self.tr("検索"), self.search.setFocus, QKeySequence.StandardKey.Find)
        )
        view_menu = bar.addMenu(self.tr("表示(&V)"))
        view_menu.addAction(self.action(self.tr("入力"), self.focus_grid, "Ctrl+1"))
        view_menu.addAction(
            self.action(self.tr("ダッシュボード"), lambda: self.tabs.setCurrentIndex(1), "Ctrl+2")
        )
        view_menu.addAction(
            self.action(self.tr("計画横断"), lambda: self.tabs.setCurrentIndex(2), "Ctrl+3")
        )
        view_menu.addAction(
            self.action(self.tr("再読み込み"), self.reload, QKeySequence.StandardKey.Refresh)
        )
        self.side_action = self.action(self.tr("詳細パネル"), self.toggle_side, "F9")
        self.side_action.setCheckable(True)
        self.side_action.setChecked(True)
        view_menu.addAction(self.side_action)
        self.splitter.splitterMoved.connect(
            lambda _pos, _index: self.side_action.setChecked(self.splitter.sizes()[2] > 0)
        )
        language_menu = view_menu.addMenu(self.tr("言語"))
        language_menu.addAction(self.action("日本語", lambda: self.choose_language("ja")))
        language_menu.addAction(self.action("English", lambda: self.choose_language("en")))
        review_menu = bar.addMenu(self.tr("評価(&R)"))
        review_menu.addAction(
            self.action(self.tr("施策評価…"), self.open_evaluations, "Ctrl+Shift+H")
        )
        catalog_menu = bar.addMenu(self.tr("カタログ(&C)"))
        self.catalog_actions.add_actions(catalog_menu)
        if self.planning:
            merge_menu = bar.addMenu(self.tr("集約(&A)"))
            merge_menu.addAction(self.action(self.tr("全課の入力状況"), self._show_all_progress))
            self.cycle.add_planning_actions(merge_menu)
            self.exchange.add_planning_actions(merge_menu)
            self.keys.add_planning_actions(merge_menu)
        help_menu = bar.addMenu(self.tr("ヘルプ(&H)"))
        help_menu.addAction(self.action(self.tr("キー操作"), self._show_keys, "F1"))
        help_menu.addAction(self.action(self.tr("バージョン情報"), self._about))

    # -- settings ----------------------------------------------------------------------------

    def _restore_splitter(self) -> None:
        # Splitter sizes only stick once the window has its real size.
        if self.settings is not None and not self._splitter_restored:
            for key, splitter in (("splitter", self.splitter), ("side", self.side_splitter)):
                state = self.settings.window_state(key)
                if state is not None:
                    splitter.restoreState(state)
        self._splitter_restored = True

    def save_state(self) -> None:
        if self.settings is None or not self._built:
            return
        self.settings.save_window_state("geometry", self.saveGeometry())
        self.settings.save_window_state("splitter", self.splitter.saveState())
        self.settings.save_window_state("side", self.side_splitter.saveState())
        self.settings.save_window_state("columns", self.grid.horizontalHeader().saveState())
        self.settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._built:
            self._restore_splitter()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc that nothing else took (no editor, no dialog) asks before quitting."""
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            if self.ask_quit():
                self.close()
            return
        super().keyPressEvent(event)

    def ask_quit(self, pending: str | None = None) -> bool:
        """Ask before quitting; `pending` is a typed value not saved yet (named in the question)."""
        if pending is None:
            text = self.tr("kplan-desktop を終了しますか？（入力した値は保存済みです）")
        else:
            text = self.tr(
                "入力中の値「{0}」はまだ保存していません。保存せずに終了しますか？"
            ).format(pending[:40])
        answer = QMessageBox.question(
            self,
            self.tr("終了の確認"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def discard_pending(self) -> None:
        """Close an open cell editor without the submit that leaving an editor makes."""
        editor = self.grid.indexWidget(self.grid.currentIndex()) if self._built else None
        if isinstance(editor, QLineEdit):
            self.grid.itemDelegate().closeEditor.emit(
                editor, QAbstractItemDelegate.EndEditHint.RevertModelCache
            )

    def pending_value(self) -> str | None:
        """The text of an open cell editor that differs from the stored value (not saved)."""
        if not self._built:
            return None
        index = self.grid.currentIndex()
        editor = self.grid.indexWidget(index) if index.isValid() else None
        if not isinstance(editor, QLineEdit):
            return None
        text = editor.text()
        return None if text == (index.data(Qt.ItemDataRole.EditRole) or "") else text

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.is_loaded:
            QTimer.singleShot(0, self._fit_name_column)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The title bar's close button asks, as Esc does, when a typed value is not saved
        (an open editor, or the comment dialog waiting); otherwise everything is saved and
        it closes at once."""
        pending = self.pending_value()
        if pending is None and self.entry.comment_dialog is not None:
            pending = self.entry.comment_dialog.property("pending_text") or ""
        if pending is not None and not self.ask_quit(pending):
            event.ignore()
            return
        self.discard_pending()
        self.save_state()
        super().closeEvent(event)

    # -- dropped workbooks (the planning division) -------------------------------------------

    def _dropped_workbooks(self, event: QDropEvent | QDragMoveEvent) -> list[Path]:
        if not self.planning or not self._built:
            return []
        return xlsx_paths(event.mimeData())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_workbooks(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._dropped_workbooks(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_workbooks(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # Out of the drop handler first: Explorer waits for it to return before it moves on.
        QTimer.singleShot(0, self, lambda: self.exchange.merge_paths(paths))

    # -- loading (off the UI thread) ---------------------------------------------------------

    @property
    def shown_department(self) -> str | None:
        if not self._built:
            return None if self.planning else self.department
        return self.plan_tree.shown_department

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read the indicators in a worker; a progress dialog with Cancel shows if it is slow.
        `then` is called once the grid is filled again."""
        if self._job is not None:
            self._job.cancel()
        if then is not None:

            def once() -> None:
                self.loaded.disconnect(once)
                then()

            self.loaded.connect(once)
        department, year = self.shown_department, self.fiscal_year
        session = self.session

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            from kplan_desktop.ui.models.cells import load_grid

            return load_grid(session.open(), department, year, progress, cancelled)

        job: Job | None = None

        def loaded(data: Any) -> None:
            self._when_built(self._loaded, job, data)

        def failed(exc: Any) -> None:
            self._when_built(self._load_failed, job, exc)

        job = run_job(
            self, self.tr("指標を読み込んでいます…"), work, loaded, failed, min_duration=400
        )
        self._job = job

    def _when_built(self, handler: Callable[[Job | None, Any], None], *args: Any) -> None:
        if self._built:
            handler(*args)
        else:
            self._arrived = lambda: handler(*args)

    def _loaded(self, job: Job | None, data: GridData | None) -> None:
        if job is not self._job:
            return
        self._job = None
        if data is None:
            return
        from kplan_desktop.ui.save_worker import attach

        attach(self.store, self)  # saves to a server: off the UI thread, "waiting" shown
        self.model.reset(
            data, self.fiscal_year, self.department, planning=self.planning, lang=self.lang
        )
        self._set_title()
        self.plan_tree.fill()
        self.plan_tree.apply_filter()
        self.update_status()
        # The rest in a later turn of the event loop, so the UI thread never blocks for long.
        # With the window as context: a load that ends after the window is gone does nothing.
        QTimer.singleShot(0, self, lambda: self._finish_load(data))

    def _finish_load(self, data: GridData) -> None:
        self.grid.resizeColumnsToContents()
        self.grid.setColumnWidth(1, min(self.grid.columnWidth(1), 340))
        # Widths come from a sample of rows: leave room for any rate, and for the longest grade
        # label of this language ("Cannot be assessed" is twice as wide as データ未確定).
        metrics = self.grid.fontMetrics()
        grades = self.model.grade_labels() or ["—"]
        longest_grade = max(grades, key=metrics.horizontalAdvance)
        samples = [(self.model.rate_column, "888.8%"), (self.model.grade_column, longest_grade)]
        if self.entry.entry_column() >= 0:
            # The entry year shows 該当なし / 未集計 (Not applicable in English) whole.
            labels = [self.entry.shown_state(None, reason.value) for reason in MissingReason]
            samples.append(
                (
                    self.entry.entry_column(),
                    max([*labels, "88,888,888"], key=metrics.horizontalAdvance),
                )
            )
        # Saved widths come back, but never below what the labels need.
        columns = self.settings.window_state("columns") if self.settings else None
        if columns is not None and not self.is_loaded:
            self.grid.horizontalHeader().restoreState(columns)
        for column, sample in samples:
            wanted = metrics.horizontalAdvance(sample) + 16
            self.grid.setColumnWidth(column, max(self.grid.columnWidth(column), wanted))
        self._fold_side()
        self._fit_name_column()
        self._grid_data = data
        if self.tabs.currentIndex() == 1:
            self._refresh_dashboard()
        elif self.tabs.currentIndex() == 2:
            self._refresh_plans()
        self.is_loaded = True
        if self.store.is_server and not self.poller.timer.isActive():
            self.poller.timer.start()
        self.exchange.refresh()
        self.cycle.refresh()
        self.loaded.emit()
        # The grid is filled; the detail panel of the first cell follows in the next turn.
        QTimer.singleShot(0, self._select_first_cell)

    def _fit_name_column(self) -> None:
        """Fit the grid to its pane so the entry year, target, rate and grade are in view.

        Too wide: the name gives way first (down to NAME_MIN_WIDTH; it is elided with a tooltip
        and stands in full in the detail panel), then the years before last year narrow. Room
        to spare: the name widens to show itself whole.
        """
        if not self.isVisible() or self.model.catalog is None:
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
            return
        if excess == 0:
            return
        narrower = max(width - excess, min(width, NAME_MIN_WIDTH))
        self.grid.setColumnWidth(1, narrower)
        excess -= width - narrower
        early = [
            self.model.column_of_year(year)
            for year in self.model.years
            if year < self.fiscal_year - 1
        ]
        narrow = self.grid.fontMetrics().horizontalAdvance("88,888") + 8
        for column in early:
            if excess <= 0:
                break
            now = self.grid.columnWidth(column)
            cut = min(excess, max(0, now - narrow))
            if cut > 0:
                # A narrowed year is headed R4 rather than a clipped 令和4年度.
                year = self.model.year_of_column(column)
                assert year is not None
                self.model.short_years.add(year)
                self.model.headerDataChanged.emit(
                    Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1
                )
            self.grid.setColumnWidth(column, now - cut)
            excess -= cut

    def _fold_side(self) -> None:
        """On a narrow window the detail panel folds away (表示 › 詳細パネル, F9, opens it)."""
        saved = self.settings.window_state("splitter") if self.settings is not None else None
        if saved is not None:
            return  # the clerk's own arrangement
        if self.width() < WIDE[0] - 20:
            sizes = self.splitter.sizes()
            self.splitter.setSizes([sizes[0], sizes[1] + sizes[2], 0])
        self.side_action.setChecked(self.splitter.sizes()[2] > 0)

    def toggle_side(self, show: bool) -> None:
        sizes = self.splitter.sizes()
        if show and sizes[2] == 0:
            self.splitter.setSizes([sizes[0], max(sizes[1] - 350, 200), 350])
        elif not show and sizes[2] > 0:
            self.splitter.setSizes([sizes[0], sizes[1] + sizes[2], 0])
        self._fit_name_column()

    def _select_first_cell(self) -> None:
        """Focus on the first entry-year cell that still needs a value, scrolled into view."""
        first = self._first_editable()
        if first.isValid() and not self.grid.currentIndex().isValid():
            self.grid.setCurrentIndex(first)
            self.grid.scrollTo(first)
            if self.tabs.currentIndex() == 0 and QGuiApplication.platformName() != "offscreen":
                self.activateWindow()
            self.grid.setFocus()

    def _load_failed(self, job: Job | None, exc: object) -> None:
        if job is self._job:
            self._job = None
            self.load_error = str(exc)
            self.status.setText("✖ " + self.load_error)
            self.load_failed.emit(self.load_error)
            from kplan_desktop.store.engine import StoreError

            if isinstance(exc, StoreError) and exc.connection_problem:
                if self.entry.ask_retry(exc.message(self.lang)):
                    QTimer.singleShot(0, self.reload)
                return
            if QGuiApplication.platformName() != "offscreen":
                QMessageBox.critical(self, self.tr("読み込めません"), self.load_error)

    def _first_editable(self) -> QModelIndex:
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
        return candidates[0] if candidates else QModelIndex()

    # -- entry -------------------------------------------------------------------------------

    def focus_grid(self) -> None:
        """Ctrl+1: the entry tab, focus in the grid on its current (or first needed) cell."""
        self.tabs.setCurrentIndex(0)
        if not self.grid.currentIndex().isValid() and self.is_loaded:
            first = self._first_editable()
            if first.isValid():
                self.grid.setCurrentIndex(first)
        self.grid.setFocus()

    # -- detail ------------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self._refresh_dashboard()
        elif index == 2:
            self._refresh_plans()

    def _refresh_plans(self) -> None:
        """計画横断: the other plans' items and the indicators that serve them."""
        if self._grid_data is None:
            return
        if self.plans_view is None:
            from kplan_desktop.ui.plans_view import PlansView

            self.plans_view = PlansView(lang=self.lang)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(2)
            self.tabs.insertTab(2, self.plans_view, self.tr("計画横断"))
            self.tabs.setCurrentIndex(2)
            self.tabs.blockSignals(False)
        data = self._grid_data
        self.plans_view.show_plans(data.catalog, data.rows, self.fiscal_year)

    def _refresh_dashboard(self) -> None:
        if self._grid_data is None:
            return
        if self.dashboard is None:
            from kplan_desktop.ui.dashboard import Dashboard

            self.dashboard = Dashboard(lang=self.lang)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(1)
            self.tabs.insertTab(1, self.dashboard, self.tr("ダッシュボード"))
            self.tabs.setCurrentIndex(1)
            self.tabs.blockSignals(False)
        data = self._grid_data
        self.dashboard.show_overview(data.catalog, data.rows, self.fiscal_year)

    def choose_language(self, language: str) -> None:
        """Saved for the next start (Qt texts are fixed once the window is built)."""
        if self.settings is not None:
            self.settings.save_language(language)
        self.status.setText(self.tr("表示言語は次回の起動から切り替わります"))

    def _show_all_progress(self) -> None:
        self.plan_tree.all_box.setChecked(True)
        self.tabs.setCurrentIndex(1)

    def open_evaluations(self) -> None:
        """施策評価: the department's measures (all of them for the planning division)."""
        from kplan_desktop.ui.evaluation_dialog import EvaluationDialog

        if self.store is None or not self.is_loaded:
            return
        self.evaluation_dialog = EvaluationDialog(
            self.store,
            self.fiscal_year,
            department=self.department,
            planning=self.planning,
            who=current_user(),
            year_label=year_text(self.fiscal_year, self.lang, FiscalYearStyle.ERA_WITH_WESTERN),
            lang=self.lang,
            parent=self,
        )
        self.evaluation_dialog.exec()
        self.evaluation_dialog = None

    def _show_keys(self) -> None:
        QMessageBox.information(
            self,
            self.tr("キー操作"),
            self.tr(
                "文字を入力: 編集開始\nEnter: 保存して下へ\nTab: 保存して右へ\n"
                "Ctrl+V: Excel から貼り付け\nDelete: 値を消去（欠測理由を選択）\n"
                "Ctrl+Z / Ctrl+Y: 元に戻す / やり直す\nCtrl+F: 検索\nF5: 再読み込み\n"
                "Ctrl+Shift+H: 施策評価"
            )
            + "\n"
            + (
                self.tr(
                    "Ctrl+I: 提出ブックを取り込む（ファイルをウィンドウにドロップしても可）\n"
                    "Ctrl+T: 記入用テンプレートを書き出す\nCtrl+Shift+E: 集約ブックを作成"
                )
                if self.planning
                else self.tr("Ctrl+E: 提出用ブックを書き出す")
            ),
        )

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("バージョン情報"),
            self.tr("kplan-desktop {0}\nデータベース: {1}").format(
                __version__, self.store.url if self.store else "—"
            ),
        )
