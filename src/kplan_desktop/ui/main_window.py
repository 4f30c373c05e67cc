"""The main window: plan tree, indicator grid, detail panel, dashboard.

Every edit goes through an undoable command over the store's one write function; the window
only asks the store and the domain, it holds no rules of its own.
"""

from __future__ import annotations

import html
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
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
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop import __version__
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.models.filtering import change_filter
from kplan_desktop.ui.settings import AppSettings
from kplan_desktop.ui.workers import Job

if TYPE_CHECKING:
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.domain.fiscal_year import FiscalYearStyle
    from kplan_desktop.domain.model import MissingReason
    from kplan_desktop.store.engine import Store
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
    from kplan_desktop.ui.dashboard import Dashboard
    from kplan_desktop.ui.entry import EntryCommand
    from kplan_desktop.ui.exchange_actions import ExchangeActions, xlsx_paths
    from kplan_desktop.ui.key_actions import KeyActions
    from kplan_desktop.ui.models.cells import CellState, GridData
    from kplan_desktop.ui.models.indicator_table import FILTER_ROLE, IndicatorTableModel
    from kplan_desktop.ui.trend_chart import TrendChart


def _late_imports() -> None:
    """Bind what the window needs once it has painted its frame (see MainWindow._start).

    Importing these before the first paint would make the window appear later; see the
    first-paint figure in bench/bench_window.py.
    """
    global FiscalYearStyle, MissingReason, EntryRefused, EntryRequest
    global EntryResult, Outcome, current_user, EntryCommand, CellState, GridData
    global FILTER_ROLE, IndicatorTableModel, TrendChart, ExchangeActions, xlsx_paths
    global BackupActions, CatalogActions, CycleActions, KeyActions
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
    from kplan_desktop.ui.entry import EntryCommand
    from kplan_desktop.ui.exchange_actions import ExchangeActions, xlsx_paths
    from kplan_desktop.ui.key_actions import KeyActions
    from kplan_desktop.ui.models.cells import CellState, GridData
    from kplan_desktop.ui.models.indicator_table import FILTER_ROLE, IndicatorTableModel
    from kplan_desktop.ui.trend_chart import TrendChart


# How often the grid asks a shared server whether someone else saved something (a cheap query).
POLL_MS = 5000
# A pasted block larger than this is not a block of plan values (and would freeze the grid).
MAX_PASTE_CELLS = 5000
# The indicator-name column is never narrowed below this to fit the grid in its pane.
NAME_MIN_WIDTH = 160
# The window's size where the screen has room; below this width the detail panel folds away
# so the entry year, target, rate and grade stay in view (see _fold_side).
WIDE = (1500, 860)


class IndicatorFilter(QSortFilterProxyModel):
    """Search by code or name, 'missing only', 'problems only', a branch of the plan tree."""

    def __init__(self) -> None:
        super().__init__()
        self.setFilterRole(FILTER_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.missing_only = False
        self.problems_only = False
        self.branch = ""

    def set_flags(self, missing_only: bool, problems_only: bool, branch: str) -> None:
        def change() -> None:
            self.missing_only, self.problems_only = missing_only, problems_only
            self.branch = branch

        change_filter(self, change)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not super().filterAcceptsRow(source_row, source_parent):
            return False
        model = self.sourceModel()
        assert isinstance(model, IndicatorTableModel)
        code = model.rows[source_row].indicator.code
        if self.branch and not code.startswith(self.branch + "-"):
            return False
        state = model.cell(source_row, model.current_year).state
        if self.missing_only and state is not CellState.EMPTY:
            return False
        return not (self.problems_only and state not in (CellState.ERROR, CellState.WARNING))


class EntryDelegate(QStyledItemDelegate):
    """Enter/Tab submit the typed text; a refused value keeps the editor open with its message."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit):
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
                window = self._window
                index = window.grid.currentIndex()
                text = editor.text()
                down = key != Qt.Key.Key_Tab
                if window.submit(index, text, ask=False):
                    self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                    window.move_after_entry(down=down)
                elif window.comment_wanted is not None:
                    # The comment dialog must not depend on this editor: a real window system
                    # moves the focus to the dialog, and the view deletes an editor that loses
                    # it (a crash under xcb). Close it now; Cancel opens a new one with the text.
                    refused, window.comment_wanted = window.comment_wanted, None
                    self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                    target = QPersistentModelIndex(index)
                    QTimer.singleShot(
                        0, lambda: window.comment_then_save(target, text, refused, down=down)
                    )
                else:
                    editor.setToolTip(window.last_message)
                    editor.setStyleSheet("background: #fdecec;")
                return True
        return super().eventFilter(editor, event)

    def setModelData(self, editor: QWidget, model: object, index: object) -> None:
        """Leaving an editor any other way than Esc (Down, a click elsewhere) submits its text
        as Return does, as a spreadsheet does: a warned value asks for its comment again, a
        refused one reopens its editor. Never a silent drop. Values are written by submit()
        through the store, never by the model."""
        if not isinstance(editor, QLineEdit) or not isinstance(index, QModelIndex):
            return
        window = self._window
        proxy_index = window.proxy.index(index.row(), index.column())
        text = editor.text()
        if not proxy_index.isValid() or text == (proxy_index.data(Qt.ItemDataRole.EditRole) or ""):
            return
        if window.submit(proxy_index, text, ask=False):
            return
        target = QPersistentModelIndex(proxy_index)
        going = QPersistentModelIndex(window.grid.currentIndex())
        if window.comment_wanted is not None:
            refused, window.comment_wanted = window.comment_wanted, None
            QTimer.singleShot(
                0, lambda: window.comment_then_save(target, text, refused, down=True, go_to=going)
            )
        else:
            QTimer.singleShot(0, lambda: window.reopen_refused(target, text))


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
        self._open_store = store if callable(store) else None
        self.store: Store = None if callable(store) else store  # type: ignore[assignment]
        self.department = department
        self.fiscal_year = fiscal_year
        self.planning = planning
        self.lang = lang
        self.settings = settings
        self.is_loaded = False
        self.load_error: str | None = None
        self.last_message = ""
        self.last_paste_problems: list[str] = []
        self.paste_report: QDialog | None = None
        # A warned value waiting for its comment (see EntryDelegate), and the open dialog.
        self.comment_wanted: EntryResult | None = None
        self.comment_dialog: QDialog | None = None
        self._job: Job | None = None
        self._tree_nodes: dict[str, QTreeWidgetItem] = {}
        # The cell to make current again when a filter that hid it is cleared.
        self._kept_cell: QPersistentModelIndex | None = None
        self._filtering = False
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
        # On a shared server, values others save appear within POLL_MS (see poll_changes).
        self._last_change: tuple[int, int] | None = None
        self._poll_job: Job | None = None
        self.last_poll_changed = 0
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll_changes)
        # The worker starts now: opening the database (importing SQLAlchemy) takes longest, and
        # runs while Qt lays out and paints the frame. What it returns before the body exists
        # waits for _start.
        self.reload()
        # A window that is never shown (a test, the self-test) still loads.
        QTimer.singleShot(300, self._start)

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

    def _build(self) -> None:
        self.exchange = ExchangeActions(self)
        self.backups = BackupActions(self)
        self.keys = KeyActions(self)
        self.catalog_actions = CatalogActions(self)
        self.cycle = CycleActions(self)
        self.evaluation_dialog: QDialog | None = None
        self._set_title()

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("計画体系"), self.tr("未入力")])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._apply_filter)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("指標名・コードで検索 (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        self.search.installEventFilter(self)
        self.missing_box = QCheckBox(self.tr("未入力のみ"))
        self.problems_box = QCheckBox(self.tr("エラー・警告のみ"))
        self.all_box = QCheckBox(self.tr("全課を表示"))
        self.all_box.setChecked(self.planning)
        for box in (self.missing_box, self.problems_box):
            box.toggled.connect(self._apply_filter)
        self.all_box.toggled.connect(lambda _on: self.reload())

        self.grid = QTableView()
        self.grid.setObjectName("grid")
        self.grid.setModel(self.proxy)
        self.grid.setItemDelegate(EntryDelegate(self))
        self.grid.installEventFilter(self)
        self.grid.setEditTriggers(
            QTableView.EditTrigger.AnyKeyPressed
            | QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
        )
        self.grid.verticalHeader().setVisible(False)
        # Column widths from the first rows only: measuring 2,000 rows froze the window 0.4 s.
        self.grid.horizontalHeader().setResizeContentsPrecision(100)
        self.grid.setAlternatingRowColors(False)
        self.grid.selectionModel().currentChanged.connect(self._remember_cell)
        self.grid.selectionModel().currentChanged.connect(self._show_detail)

        self.detail = QTextBrowser()
        self.detail.setObjectName("detail")
        self.history = QTextBrowser()
        self.history.setObjectName("history")
        # Room for four entries however the splitter is dragged: an empty-looking history
        # under its heading read as "no changes" (English trial).
        lines = self.history.fontMetrics().lineSpacing()
        self.history.setMinimumHeight(4 * lines + 2 * self.history.frameWidth() + 8)
        history_title = QLabel(self.tr("履歴"))
        heading = history_title.font()
        heading.setBold(True)
        history_title.setFont(heading)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 4, 0, 0)
        history_layout.setSpacing(2)
        history_layout.addWidget(history_title)
        history_layout.addWidget(self.history)
        self.chart = TrendChart(lang=self.lang)
        # The chart's title must not dictate the side panel's width.
        self.chart.setMinimumSize(220, 240)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(self.tr("コメント（警告がある値には理由が必要です）"))
        self.comment.setMaximumHeight(90)
        self.comment_button = QPushButton(self.tr("コメントを保存"))
        self.comment_button.clicked.connect(self.save_comment)
        self.comment_hint = QLabel()
        self.comment_hint.setWordWrap(True)
        # Shown only with a hint: an empty label left a blank band under the chart.
        self.comment_hint.setVisible(False)
        self.side_splitter = QSplitter(Qt.Orientation.Vertical)
        self.side_splitter.setObjectName("side_splitter")
        self.side_splitter.setChildrenCollapsible(False)
        for part in (self.detail, history_box, self.chart):
            self.side_splitter.addWidget(part)
        for position, stretch in enumerate((3, 2, 4)):
            self.side_splitter.setStretchFactor(position, stretch)
        self.side_splitter.setSizes([200, 150, 300])
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.side_splitter, 1)
        side_layout.addWidget(self.comment_hint)
        side_layout.addWidget(self.comment)
        side_layout.addWidget(self.comment_button)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for box in (self.missing_box, self.problems_box, self.all_box):
            top.addWidget(box)
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.cycle.banner)
        column.addWidget(self.exchange.banner)
        column.addLayout(top)
        column.addWidget(self.grid)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(side)
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

        self.status = QLabel()
        self.statusBar().addWidget(self.status, 1)
        if not self.planning:
            self.statusBar().addPermanentWidget(self.exchange.finalise_button)
        self._build_menus()

    def _action(
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

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("ファイル(&F)"))
        if not self.planning:
            self.exchange.add_department_actions(file_menu)
            self.keys.add_department_actions(file_menu)
        file_menu.addSeparator()
        self.backups.add_actions(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(self.tr("終了"), self.close, QKeySequence.StandardKey.Quit)
        )
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
            self._action(self.tr("コピー"), self.copy_selection, QKeySequence.StandardKey.Copy)
        )
        edit_menu.addAction(
            self._action(self.tr("貼り付け"), self.paste_clipboard, QKeySequence.StandardKey.Paste)
        )
        edit_menu.addAction(
            self._action(self.tr("値を消去…"), self.clear_current, QKeySequence.StandardKey.Delete)
        )
        edit_menu.addAction(
            self._action(self.tr("検索"), self.search.setFocus, QKeySequence.StandardKey.Find)
        )
        view_menu = bar.addMenu(self.tr("表示(&V)"))
        view_menu.addAction(self._action(self.tr("入力"), self.focus_grid, "Ctrl+1"))
        view_menu.addAction(
            self._action(self.tr("ダッシュボード"), lambda: self.tabs.setCurrentIndex(1), "Ctrl+2")
        )
        view_menu.addAction(
            self._action(self.tr("計画横断"), lambda: self.tabs.setCurrentIndex(2), "Ctrl+3")
        )
        view_menu.addAction(
            self._action(self.tr("再読み込み"), self.reload, QKeySequence.StandardKey.Refresh)
        )
        self.side_action = self._action(self.tr("詳細パネル"), self.toggle_side, "F9")
        self.side_action.setCheckable(True)
        self.side_action.setChecked(True)
        view_menu.addAction(self.side_action)
        self.splitter.splitterMoved.connect(
            lambda _pos, _index: self.side_action.setChecked(self.splitter.sizes()[2] > 0)
        )
        language_menu = view_menu.addMenu(self.tr("言語"))
        language_menu.addAction(self._action("日本語", lambda: self.choose_language("ja")))
        language_menu.addAction(self._action("English", lambda: self.choose_language("en")))
        review_menu = bar.addMenu(self.tr("評価(&R)"))
        review_menu.addAction(
            self._action(self.tr("施策評価…"), self.open_evaluations, "Ctrl+Shift+H")
        )
        catalog_menu = bar.addMenu(self.tr("カタログ(&C)"))
        self.catalog_actions.add_actions(catalog_menu)
        if self.planning:
            merge_menu = bar.addMenu(self.tr("集約(&A)"))
            merge_menu.addAction(self._action(self.tr("全課の入力状況"), self._show_all_progress))
            self.cycle.add_planning_actions(merge_menu)
            self.exchange.add_planning_actions(merge_menu)
            self.keys.add_planning_actions(merge_menu)
        help_menu = bar.addMenu(self.tr("ヘルプ(&H)"))
        help_menu.addAction(self._action(self.tr("キー操作"), self._show_keys, "F1"))
        help_menu.addAction(self._action(self.tr("バージョン情報"), self._about))

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
        if pending is None and self.comment_dialog is not None:
            pending = self.comment_dialog.property("pending_text") or ""
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
        return None if self.all_box.isChecked() else self.department

    def reload(self) -> None:
        """Read the indicators in a worker; a progress dialog with Cancel shows if it is slow."""
        if self._job is not None:
            self._job.cancel()
        department, year = self.shown_department, self.fiscal_year

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            from kplan_desktop.ui.models.cells import load_grid

            if self.store is None and self._open_store is not None:
                self.store = self._open_store()
            return load_grid(self.store, department, year, progress, cancelled)

        job = Job(work)
        self._job = job
        dialog = QProgressDialog(
            self.tr("指標を読み込んでいます…"), self.tr("キャンセル"), 0, 0, self
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.canceled.connect(job.cancel)

        def step(n: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(n)

        job.signals.progress.connect(step)
        job.signals.finished.connect(lambda data: self._when_built(self._loaded, job, data, dialog))
        job.signals.failed.connect(
            lambda exc: self._when_built(self._load_failed, job, exc, dialog)
        )
        job.start()

    def _when_built(self, handler: Callable[[Job, Any, QProgressDialog], None], *args: Any) -> None:
        if self._built:
            handler(*args)
        else:
            self._arrived = lambda: handler(*args)

    def _loaded(self, job: Job, data: GridData | None, dialog: QProgressDialog) -> None:
        dialog.reset()
        dialog.deleteLater()
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
        self._fill_tree()
        self._apply_filter()
        self._update_status()
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
        if self._entry_column() >= 0:
            # The entry year shows 該当なし / 未集計 (Not applicable in English) whole.
            labels = [self.shown_state(None, reason.value) for reason in MissingReason]
            samples.append(
                (self._entry_column(), max([*labels, "88,888,888"], key=metrics.horizontalAdvance))
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
        if self.store.is_server and not self._poll.isActive():
            self._poll.start()
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

    def _load_failed(self, job: Job, exc: object, dialog: QProgressDialog) -> None:
        dialog.reset()
        if job is self._job:
            self._job = None
            self.load_error = str(exc)
            self.status.setText("✖ " + self.load_error)
            self.load_failed.emit(self.load_error)
            from kplan_desktop.store.engine import StoreError

            if isinstance(exc, StoreError) and exc.connection_problem:
                if self.ask_retry(exc.message(self.lang)):
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

    def _fill_tree(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        self._tree_nodes = {}
        for item in self.model.rows:
            parent: QTreeWidgetItem | None = None
            for code, name in (
                (item.goal.code, self.tr("基本目標{0} {1}").format(item.goal.code, item.goal.name)),
                (item.policy.code, f"{item.policy.code} {item.policy.name}"),
                (item.measure.code, f"{item.measure.code} {item.measure.name}"),
            ):
                node = self._tree_nodes.get(code)
                if node is None:
                    node = QTreeWidgetItem([name, ""])
                    node.setData(0, Qt.ItemDataRole.UserRole, code)
                    node.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                    if parent is None:
                        self.tree.addTopLevelItem(node)
                    else:
                        parent.addChild(node)
                    self._tree_nodes[code] = node
                parent = node
        self.tree.expandAll()
        self._update_tree_counts()
        self.tree.blockSignals(False)

    def _update_tree_counts(self) -> None:
        missing: Counter[str] = Counter()
        for row, item in enumerate(self.model.rows):
            if self.model.cell(row, self.fiscal_year).state is CellState.EMPTY:
                for code in (item.goal.code, item.policy.code, item.measure.code):
                    missing[code] += 1
        for code, node in self._tree_nodes.items():
            node.setText(1, str(missing[code]))

    def _apply_filter(self) -> None:
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

    def _remember_cell(self, current: QModelIndex, _previous: QModelIndex) -> None:
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

    def _update_status(self, saved: str = "") -> None:
        editable_column = (
            self.model.column_of_year(self.fiscal_year)
            if self.fiscal_year in self.model.years
            else -1
        )
        states = [
            self.model.cell(row, self.fiscal_year).state
            for row in range(len(self.model.rows))
            if self.model.is_editable(row, editable_column)
        ]
        text = self.tr("エラー {0} 件、コメント待ちの警告 {1} 件、未入力 {2} 件").format(
            states.count(CellState.ERROR),
            states.count(CellState.WARNING),
            states.count(CellState.EMPTY),
        )
        self.status.setText(f"{saved}　{text}".strip("　"))

    # -- entry -------------------------------------------------------------------------------

    def _request_for(
        self, proxy_index: QModelIndex, text: str, comment: str | None
    ) -> EntryRequest | None:
        index = self.proxy.mapToSource(proxy_index)
        if not index.isValid() or not self.model.is_editable(index.row(), index.column()):
            return None
        year = self.model.year_of_column(index.column())
        assert year is not None
        row = self.model.rows[index.row()]
        shown = row.values.get(year)
        # The revision the clerk is looking at: if someone else changed the value since, the
        # write is refused and the clerk chooses (see _resolve_conflict).
        return EntryRequest(
            row.indicator.code,
            year,
            text,
            comment,
            expected=None if shown is None else shown.revision,
            check_expected=True,
        )

    def submit(
        self,
        proxy_index: QModelIndex,
        text: str,
        comment: str | None = None,
        *,
        ask: bool = True,
    ) -> bool:
        """Check and write one typed value; False (nothing written) when it is refused.

        A value that needs a comment asks for it at once, or with ask=False leaves the refusal
        in `comment_wanted` for the caller to ask once its cell editor is closed.
        """
        request = self._request_for(proxy_index, text, comment)
        if request is None:
            return False
        from kplan_desktop.domain.errors import DomainError
        from kplan_desktop.store.actuals import write_actuals

        try:
            with self.store.snapshot() as conn:
                results = write_actuals(
                    conn, [request], who=current_user(), source="gui", dry_run=True
                )
        except EntryRefused as exc:
            refused = exc.results[0]
            if refused.only_conflict:
                return self._resolve_conflict(proxy_index, refused, comment)
            if exc.only_warnings and comment is None:
                if not ask:
                    self.comment_wanted = refused
                    return False
                reason = self.ask_comment(refused)
                return bool(reason) and self.submit(proxy_index, text, reason)
            self.show_refusal(refused)
            return False
        except DomainError as exc:
            if self._retry_after(exc):
                return self.submit(proxy_index, text, comment)
            return False
        if results[0].outcome is Outcome.UNCHANGED:
            return True
        return self._push(results, self.tr("{0} の入力").format(request.indicator_code))

    def _resolve_conflict(
        self, proxy_index: QModelIndex, refused: EntryResult, comment: str | None
    ) -> bool:
        """Someone else changed the value since the grid showed it: keep mine or take theirs.

        Keeping mine writes the typed value over theirs (naming the revision it replaces);
        taking theirs drops the typed value and shows theirs; cancelling leaves the typed value
        in the editor (the row is not refreshed under it: that would overwrite the editor).
        """
        code = refused.request.indicator_code
        choice = self.ask_conflict(refused)
        if choice == "mine":
            self.refresh_values({code})
            return self.submit(proxy_index, refused.request.text, comment)
        if choice == "theirs":
            self.refresh_values({code})
            self._update_status(self.tr("ほかの人が保存した値を使います: {0}").format(code))
            return True
        self.show_refusal(refused)
        return False

    def ask_conflict(self, refused: EntryResult) -> str | None:
        """'mine', 'theirs' or None (cancel): the dialog that shows both values."""
        theirs = self.shown_state(refused.old[0], refused.old[1]) or self.tr("（なし）")
        mine = refused.request.text or self.tr("（空欄）")
        self.last_message = self.tr(
            "この値はほかの人が変更しました。相手の値: {0} / あなたの値: {1}"
        ).format(theirs, mine)
        if QGuiApplication.platformName() == "offscreen":
            return None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("ほかの人が変更しました"))
        box.setText(
            self.tr("{0} の値は、編集中にほかの人が変更しました。").format(
                refused.request.indicator_code
            )
            + "\n"
            + self.tr("相手の値: {0}").format(theirs)
            + "\n"
            + self.tr("あなたの値: {0}").format(mine)
        )
        keep = box.addButton(self.tr("自分の値で保存"), QMessageBox.ButtonRole.AcceptRole)
        take = box.addButton(self.tr("相手の値を使う"), QMessageBox.ButtonRole.RejectRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is keep:
            return "mine"
        if box.clickedButton() is take:
            return "theirs"
        return None

    def _retry_after(self, exc: DomainError) -> bool:
        """A storage or connection problem: say so, and True if the user asks to try again."""
        from kplan_desktop.store.engine import StoreError

        self.last_message = exc.message(self.lang)
        self.status.setText("✖ " + self.last_message)
        if isinstance(exc, StoreError) and exc.retryable:
            return self.ask_retry(self.last_message)
        if QGuiApplication.platformName() != "offscreen":
            QMessageBox.warning(self, self.tr("保存できません"), self.last_message)
        return False

    def ask_retry(self, message: str) -> bool:
        """The server could not be reached (or the connection broke): try again?"""
        if QGuiApplication.platformName() == "offscreen":
            return False
        answer = QMessageBox.warning(
            self,
            self.tr("サーバーに接続できません"),
            message,
            QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Retry

    def refresh_values(self, codes: set[str]) -> int:
        """Read these indicators' values again and show them (after a conflict)."""
        from kplan_desktop.domain.errors import DomainError
        from kplan_desktop.store.actuals import read_actuals

        if not self.is_loaded or self.store is None:
            return 0
        try:
            with self.store.snapshot() as conn:
                fresh = read_actuals(conn, indicator_codes=codes)
        except DomainError as exc:
            self.status.setText("✖ " + exc.message(self.lang))
            return 0
        return self._swap_in(fresh, codes, editing=None)

    def _swap_in(self, fresh: list[Any], codes: set[str] | None, editing: str | None) -> int:
        """Show the values read for `codes` (None: every row) where they differ from the grid's.

        `editing` is left as it was: refreshing the row of an open editor would overwrite what
        is typed; its save names the revision the clerk started from and meets the conflict.
        """
        by_code: dict[str, list[Any]] = {}
        for actual in fresh:
            by_code.setdefault(actual.indicator_code, []).append(actual)
        changed = 0
        for row in list(self.model.rows):
            code = row.indicator.code
            if (codes is not None and code not in codes) or code == editing:
                continue
            values = by_code.get(code, [])
            now = {v.fiscal_year: v.revision for v in values}
            if now != {year: v.revision for year, v in row.values.items()}:
                self.model.update_values(code, values)
                changed += 1
        if changed:
            self._update_tree_counts()
            self._update_status()
        return changed

    def poll_changes(self) -> None:
        """On a shared server: ask, off the UI thread, whether anyone saved something since the
        last look, and if so read the shown values (a server that does not answer never freezes
        the window; it only says so in the status bar)."""
        if not self.is_loaded or self.store is None or self._job is not None:
            return
        if self._poll_job is not None:
            return
        store, department, last = self.store, self.shown_department, self._last_change

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            from kplan_desktop.store.actuals import read_actuals
            from kplan_desktop.store.audit import last_change

            with store.snapshot() as conn:
                seen = last_change(conn)
                if seen == last:
                    return seen, None
                return seen, read_actuals(conn, department=department)

        job = Job(work)
        self._poll_job = job
        job.signals.finished.connect(lambda result: self._polled(job, result))
        job.signals.failed.connect(lambda exc: self._poll_failed(job, exc))
        job.start()

    def _polled(self, job: Job, result: tuple[tuple[int, int], list[Any] | None]) -> None:
        if job is not self._poll_job:
            return
        self._poll_job = None
        seen, fresh = result
        self.last_poll_changed = 0
        if fresh is None or self._job is not None:
            return
        editing = None
        if self.grid.state() == QAbstractItemView.State.EditingState:
            source = self.proxy.mapToSource(self.grid.currentIndex())
            if source.isValid():
                editing = self.model.rows[source.row()].indicator.code
        self.last_poll_changed = self._swap_in(fresh, None, editing)
        self._last_change = seen
        if editing is not None:
            # Look again next time, so the edited row catches up once its editor closes.
            self._last_change = None
        if self.last_poll_changed:
            self._update_status(
                self.tr("ほかの人が変更した {0} 件の指標を表示しました").format(
                    self.last_poll_changed
                )
            )

    def _poll_failed(self, job: Job, exc: object) -> None:
        if job is not self._poll_job:
            return
        self._poll_job = None
        from kplan_desktop.domain.errors import DomainError

        message = exc.message(self.lang) if isinstance(exc, DomainError) else str(exc)
        self.status.setText("✖ " + message)

    def _push(self, results: list[EntryResult], label: str) -> bool:
        """Write, then put the change on the undo stack; False if the database refused it."""
        from kplan_desktop.domain.errors import DomainError

        command = EntryCommand(
            self.store,
            results,
            label,
            self._after_write,
            lambda exc: self._storage_failed(exc, history=True),
        )
        try:
            command.apply()
        except EntryRefused as exc:
            # Someone saved between the check and the write: show theirs, keep the editor.
            self.refresh_values({r.request.indicator_code for r in exc.results})
            refused = [r for r in exc.results if r.outcome is Outcome.REFUSED]
            if refused:
                self.show_refusal(refused[0])
            return False
        except DomainError as exc:
            from kplan_desktop.store.engine import StoreError

            if isinstance(exc, StoreError) and exc.retryable:
                if self._retry_after(exc):
                    return self._push(results, label)
                return False
            self._storage_failed(exc)
            return False
        self.undo_stack.push(command)
        return True

    def _storage_failed(self, exc: DomainError, *, history: bool = False) -> None:
        """The database could not be written (disk full, read-only, locked): nothing changed.

        The typed value stays in the editor (submit returns False). An undo or redo that could
        not be written leaves the history out of step with the database: it is dropped.
        """
        self.last_message = exc.message(self.lang)
        self.status.setText("✖ " + self.last_message)
        if history:
            QTimer.singleShot(0, self.undo_stack.clear)
        if QGuiApplication.platformName() != "offscreen":
            QMessageBox.warning(self, self.tr("保存できません"), self.last_message)

    def comment_then_save(
        self,
        target: QPersistentModelIndex,
        text: str,
        refused: EntryResult,
        *,
        down: bool,
        go_to: QPersistentModelIndex | None = None,
    ) -> bool:
        """Ask the comment a warned value needs, then save; Cancel reopens the cell's editor
        with the typed text. True when the value was saved."""
        if not target.isValid():
            return False
        index = self.proxy.index(target.row(), target.column())
        self.grid.setCurrentIndex(index)
        reason = self.ask_comment(refused)
        saved = bool(reason) and self.submit(index, text, reason)
        self.grid.setFocus()
        if saved:
            self.grid.setCurrentIndex(index)
            if go_to is not None and go_to.isValid() and go_to != target:
                self.grid.setCurrentIndex(self.proxy.index(go_to.row(), go_to.column()))
            else:
                self.move_after_entry(down=down)
        else:
            self.reopen_editor(index, text)
        return saved

    def reopen_editor(self, index: QModelIndex, text: str) -> None:
        """Open the cell's editor again holding `text` (a cancelled comment keeps the value)."""
        self.grid.setCurrentIndex(index)
        self.grid.edit(index)
        editor = self.grid.indexWidget(index)
        if isinstance(editor, QLineEdit):
            editor.setText(text)
            editor.setFocus()

    def reopen_refused(self, target: QPersistentModelIndex, text: str) -> None:
        """A refused value left by moving away comes back in its editor with its message."""
        if not target.isValid():
            return
        index = self.proxy.index(target.row(), target.column())
        self.reopen_editor(index, text)
        editor = self.grid.indexWidget(index)
        if isinstance(editor, QLineEdit):
            editor.setToolTip(self.last_message)
            editor.setStyleSheet("background: #fdecec;")

    def ask_comment(self, refused: EntryResult) -> str:
        """Warnings need a reason: ask for it, listing the warnings ('' = cancelled).

        A comment written for the value before is shown for reuse and must be confirmed again.
        """
        from kplan_desktop.ui.comment_dialog import CommentDialog

        warnings = [f.message(self.lang) for f in refused.check.warnings]
        dialog = CommentDialog(warnings, refused.old[2], self)
        dialog.setProperty("pending_text", refused.request.text)
        self.comment_dialog = dialog
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return ""
            return dialog.comment
        finally:
            self.comment_dialog = None
            dialog.deleteLater()

    def shown_state(self, value: str | None, reason: str | None) -> str:
        """A stored value or missing reason as people read it (未集計, not not_compiled)."""
        if value:
            return value
        if not reason:
            return ""
        try:
            missing = MissingReason(reason)
        except ValueError:
            return reason
        return missing.label_en if self.lang == "en" else missing.label_ja

    def show_refusal(self, refused: EntryResult) -> None:
        self.last_message = " / ".join(f.message(self.lang) for f in refused.refused_because)
        self.status.setText("✖ " + self.last_message)

    def _after_write(self, results: list[EntryResult]) -> None:
        from kplan_desktop.store.actuals import read_actuals

        codes = {r.request.indicator_code for r in results}
        by_code: dict[str, list] = {code: [] for code in codes}  # type: ignore[type-arg]
        with self.store.snapshot() as conn:
            stored = read_actuals(conn, indicator_codes=codes)
        for actual in stored:
            by_code[actual.indicator_code].append(actual)
        for code, values in by_code.items():
            self.model.update_values(code, values)
        self._update_tree_counts()
        written = [r for r in results if r.outcome is not Outcome.REFUSED]
        saved = ""
        if written:
            last = written[-1]
            shown = self.shown_state(last.new[0], last.new[1]) or "—"
            saved = self.tr("保存しました: {0} = {1}").format(last.request.indicator_code, shown)
            if len(written) > 1:
                saved = self.tr("{0} 件を保存しました").format(len(written))
        self._update_status(saved)
        self._show_detail(self.grid.currentIndex(), QModelIndex())

    def move_after_entry(self, *, down: bool) -> None:
        index = self.grid.currentIndex()
        if down:
            row = min(index.row() + 1, self.proxy.rowCount() - 1)
            target = self.proxy.index(row, index.column())
        else:
            column = min(index.column() + 1, self.proxy.columnCount() - 1)
            target = self.proxy.index(index.row(), column)
        self.grid.setCurrentIndex(target)

    def go_to_indicator(self, code: str) -> None:
        """Select the entry-year cell of an indicator, clearing filters that hide it."""
        row = self.model.row_of(code)
        if row is None or self.fiscal_year not in self.model.years:
            return
        source = self.model.index(row, self.model.column_of_year(self.fiscal_year))
        if not self.proxy.mapFromSource(source).isValid():
            self.tree.clearSelection()
            self.search.clear()
            self.missing_box.setChecked(False)
            self.problems_box.setChecked(False)
        target = self.proxy.mapFromSource(source)
        self.tabs.setCurrentIndex(0)
        self.grid.setCurrentIndex(target)
        self.grid.scrollTo(target)
        self.grid.setFocus()

    def ask_missing_reason(self) -> str | None:
        """Delete: clear the value, or record why it is missing. None = cancelled."""
        choices = [self.tr("空欄にする")] + [
            reason.label_ja if self.lang != "en" else reason.label_en for reason in MissingReason
        ]
        choice, ok = QInputDialog.getItem(
            self, self.tr("値を消去"), self.tr("消去した後の状態:"), choices, 0, False
        )
        if not ok:
            return None
        position = choices.index(choice)
        return "" if position == 0 else list(MissingReason)[position - 1].label_ja

    def clear_current(self) -> None:
        index = self.grid.currentIndex()
        if self._request_for(index, "", None) is None:
            return
        replacement = self.ask_missing_reason()
        if replacement is not None:
            self.submit(index, replacement)

    def paste_clipboard(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> list[EntryResult]:
        """Paste a tab-separated block at the top-left cell of the selection (as Excel and Calc
        do): valid cells written as one undo step, the others listed in one dialog. A single
        copied cell fills every selected cell, as in Excel."""
        lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
        block = [line.split("\t") for line in lines]
        selected = self.grid.selectionModel().selectedIndexes()
        start = self.grid.currentIndex()
        if selected:
            start = self.proxy.index(
                min(i.row() for i in selected), min(i.column() for i in selected)
            )
        targets: list[tuple[QModelIndex, str]] = []
        if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
            targets = [
                (i, block[0][0]) for i in sorted(selected, key=lambda i: (i.row(), i.column()))
            ]
        elif start.isValid():
            targets = [
                (self.proxy.index(start.row() + dr, start.column() + dc), cell)
                for dr, cells in enumerate(block)
                for dc, cell in enumerate(cells)
            ]
        if not targets or len(targets) > MAX_PASTE_CELLS:
            self.status.setText(
                self.tr("貼り付けできません（セルを選ぶか、範囲を小さくしてください）")
            )
            return []
        requests: list[EntryRequest] = []
        problems: list[str] = []
        for target, cell in targets:
            request = self._request_for(target, cell, None) if target.isValid() else None
            if request is None:
                problems.append(
                    self.tr("{0}「{1}」: 入力できないセルです").format(
                        self._cell_name(target), cell[:20]
                    )
                )
                continue
            requests.append(request)
        if not requests:
            self._report_paste(problems)
            return []
        from kplan_desktop.store.actuals import write_actuals

        with self.store.snapshot() as conn:
            results = write_actuals(
                conn,
                requests,
                who=current_user(),
                source="gui",
                dry_run=True,
                all_or_nothing=False,
            )
        good = [r for r in results if r.outcome not in (Outcome.REFUSED, Outcome.UNCHANGED)]
        if len(targets) == 1 and len(results) == 1:
            (only,) = results
            if only.outcome is Outcome.REFUSED and only.check.warnings and not only.check.errors:
                # One pasted cell with a warning is a typed value: it asks for its comment;
                # Cancel leaves it in the cell's editor, never thrown away.
                target, cell = targets[0]
                reason = self.ask_comment(only)
                if not (reason and self.submit(target, cell, reason)):
                    self.reopen_editor(target, cell)
                self.last_paste_problems = []
                return results
        marks: dict[tuple[str, int], str] = {}
        for r in results:
            if r.outcome is Outcome.REFUSED:
                reason = self._refusal_text(r)
                when = year_text(r.request.fiscal_year, self.lang, FiscalYearStyle.SHORT)
                where = f"{r.request.indicator_code} {when}"
                problems.append(f"{where}「{r.request.text[:20]}」: {reason}")
                marks[(r.request.indicator_code, r.request.fiscal_year)] = reason
        if good:
            self._push(good, self.tr("貼り付け（{0} 件）").format(len(good)))
        self.model.mark(marks)
        self._report_paste(problems, saved=len(good))
        return results

    def _cell_name(self, index: QModelIndex) -> str:
        """A cell as the paste report names it: indicator code and year (7-1-1-K2 R7)."""
        if not index.isValid():
            return self.tr("表の外")
        code = str(self.proxy.index(index.row(), 0).data() or "")
        source = self.proxy.mapToSource(index)
        year = self.model.year_of_column(source.column())
        if year is not None:
            return f"{code} {year_text(year, self.lang, FiscalYearStyle.SHORT)}"
        heading = self.proxy.headerData(index.column(), Qt.Orientation.Horizontal)
        return f"{code} {heading or ''}".strip()

    def _refusal_text(self, refused: EntryResult) -> str:
        """Why a pasted cell was not saved: its errors, else its warnings (a paste carries no
        comment, so a warned value waits to be typed with one)."""
        if refused.check.errors:
            return " / ".join(f.message(self.lang) for f in refused.check.errors)
        warnings = " / ".join(f.message(self.lang) for f in refused.check.warnings)
        if warnings:
            return warnings + self.tr("（警告があるため、コメントを付けて入力してください）")
        return " / ".join(f.message(self.lang) for f in refused.refused_because)

    def _report_paste(self, problems: list[str], saved: int = 0) -> None:
        """One modal report naming every cell not saved, with why; it takes the focus."""
        self.last_paste_problems = problems
        if not problems:
            return
        from PySide6.QtWidgets import QDialogButtonBox

        box = QDialog(self)
        box.setObjectName("paste_report")
        box.setWindowTitle(self.tr("貼り付けできなかったセル"))
        box.setModal(True)
        layout = QVBoxLayout(box)
        if saved:
            summary = self.tr(
                "{0} 個のセルは保存していません（表では赤で示しています）。"
                "ほかの {1} 個のセルは保存しました。"
            ).format(len(problems), saved)
        else:
            summary = self.tr(
                "{0} 個のセルは保存していません（表では赤で示しています）。"
                "保存したセルはありません。"
            ).format(len(problems))
        summary_label = QLabel(summary)
        summary_label.setObjectName("paste_summary")
        layout.addWidget(summary_label)
        listing = QPlainTextEdit("\n".join(problems))
        listing.setObjectName("paste_problems")
        listing.setReadOnly(True)
        listing.setTabChangesFocus(True)
        layout.addWidget(listing)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(box.reject)
        layout.addWidget(buttons)
        box.resize(640, 320)
        box.finished.connect(lambda _result: self.grid.setFocus())
        box.open()
        box.raise_()
        box.activateWindow()
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        self.paste_report = box

    def copy_selection(self) -> str:
        """Ctrl+C: the selected block as tab-separated lines, as Excel and Calc paste them.

        Values are the stored numbers without thousands separators (a clerk's spreadsheet
        reads 1225 the same in every locale); other columns as shown.
        """
        indexes = self.grid.selectionModel().selectedIndexes()
        if not indexes:
            current = self.grid.currentIndex()
            indexes = [current] if current.isValid() else []
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = []
        for row in range(rows[0], rows[-1] + 1):
            cells = []
            for column in range(columns[0], columns[-1] + 1):
                text = ""
                if (row, column) in chosen:
                    index = self.proxy.index(row, column)
                    source = self.proxy.mapToSource(index)
                    role = Qt.ItemDataRole.DisplayRole
                    if self.model.year_of_column(source.column()) is not None:
                        role = Qt.ItemDataRole.EditRole
                    value = index.data(role)
                    text = "" if value is None else str(value)
                cells.append(" ".join(text.replace("\t", " ").splitlines()))
            lines.append("\t".join(cells))
        block = "\n".join(lines) + "\n"
        QGuiApplication.clipboard().setText(block)
        self.status.setText(
            self.tr("{0} 行 × {1} 列をコピーしました").format(len(lines), len(columns))
        )
        return block

    def focus_grid(self) -> None:
        """Ctrl+1: the entry tab, focus in the grid on its current (or first needed) cell."""
        self.tabs.setCurrentIndex(0)
        if not self.grid.currentIndex().isValid() and self.is_loaded:
            first = self._first_editable()
            if first.isValid():
                self.grid.setCurrentIndex(first)
        self.grid.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Enter in the search box moves into the grid."""
        if watched is getattr(self, "search", None) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # On the entry-year cell of the found row (the current row if it was found),
                # never on the earlier year that was clicked before the search.
                if self.proxy.rowCount():
                    current = self.grid.currentIndex()
                    row = current.row() if current.isValid() else 0
                    column = self._entry_column()
                    if column < 0:
                        column = max(current.column(), 0)
                    self.grid.setCurrentIndex(self.proxy.index(row, column))
                self.grid.setFocus()
                return True
        if watched is getattr(self, "grid", None) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._explain_read_only(event):
                return True  # said why; the key does not jump the cursor to another row
        return super().eventFilter(watched, event)

    def _explain_read_only(self, event: QKeyEvent) -> bool:
        """Typing into a cell that cannot be entered says why in the status bar (True)."""
        text = event.text()
        if (
            not text
            or not text.isprintable()
            or event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            return False
        index = self.grid.currentIndex()
        if not index.isValid() or index.flags() & Qt.ItemFlag.ItemIsEditable:
            return False
        source = self.proxy.mapToSource(index)
        year = self.model.year_of_column(source.column())
        entry = year_text(self.fiscal_year, self.lang, FiscalYearStyle.ERA_WITH_WESTERN)
        if year is not None and year != self.fiscal_year and not self.planning:
            reason = self.tr("過去の年度は読み取り専用です。入力できるのは {0} の列です").format(
                entry
            )
        elif year is not None and year > self.fiscal_year:
            reason = self.tr("この年度はまだ入力できません。入力できるのは {0} の列です").format(
                entry
            )
        elif year is not None:
            reason = self.tr("この指標は他の課の担当です（読み取り専用）")
        else:
            reason = self.tr("この列は入力できません。値は {0} の列に入力します").format(entry)
        self.last_message = reason
        self.status.setText("🔒 " + reason)
        return True

    def _entry_column(self) -> int:
        if self.fiscal_year not in self.model.years:
            return -1
        return self.model.column_of_year(self.fiscal_year)

    def save_comment(self) -> None:
        """Save the comment editor's text for the current cell (same value, new comment)."""
        index = self.grid.currentIndex()
        text = index.data(Qt.ItemDataRole.EditRole) if index.isValid() else None
        request = self._request_for(index, text or "", self.comment.toPlainText())
        if request is None or not text:
            self.status.setText(self.tr("コメントは入力済みのセルに付けられます"))
            return
        self.submit(index, request.text, request.comment)

    # -- detail ------------------------------------------------------------------------------

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        source = self.proxy.mapToSource(current)
        if not source.isValid() or self.model.catalog is None:
            return
        item = self.model.rows[source.row()]
        ind = item.indicator
        e = html.escape
        not_set = self.tr("未設定")
        english = self.lang == "en"
        comparator = "—"
        if ind.comparator is not None:
            comparator = ind.comparator.value if english else ind.comparator.label_ja
        direction = not_set
        if ind.direction is not None:
            direction = ind.direction.value if english else ind.direction.label_ja
        vision, description = self.tr("目指す姿"), self.tr("指標の説明")
        unnamed = self.tr("（名称未設定）")
        parts = [
            f"<h3>{e(ind.code)} {e(ind.name or unnamed)}</h3>",
            f"<p><b>{vision}</b><br>{e(item.measure.vision or '—')}</p>",
            f"<p><b>{description}</b><br>{e(ind.description or '—')}</p>",
            "<p>"
            + self.tr("単位: {0}　方向: {1}　比較: {2}　累計: {3}").format(
                e(ind.unit or not_set),
                direction,
                comparator,
                self.tr("はい") if ind.cumulative else self.tr("いいえ"),
            )
            + "</p>",
        ]
        self.detail.setHtml("".join(parts))
        from kplan_desktop.store.audit import audit_log

        entries = []
        with self.store.snapshot() as conn:
            logged = audit_log(conn, ind.code)
        for entry in reversed(logged[-10:]):
            old = self.shown_state(entry.old_value, entry.old_reason) or "—"
            new = self.shown_state(entry.new_value, entry.new_reason) or "—"
            when = "—"
            if entry.fiscal_year is not None:
                when = year_text(entry.fiscal_year, self.lang, FiscalYearStyle.SHORT)
            entries.append(
                f"<li>{entry.at:%Y-%m-%d %H:%M} {e(entry.who)} ({e(entry.source)}): "
                f"{when} {e(old)} → {e(new)}</li>"
            )
        if entries:
            self.history.setHtml("<ul>" + "".join(entries) + "</ul>")
        else:
            none_yet = self.tr("この指標の変更記録はまだありません")
            self.history.setHtml(f"<p>{e(none_yet)}</p>")
        self.chart.show_indicator(self.model.catalog, item)
        year = self.model.year_of_column(source.column()) or self.fiscal_year
        actual = item.values.get(year)
        self.comment.setPlainText(actual.comment or "" if actual else "")
        state = self.model.cell(source.row(), year).state
        if state is CellState.WARNING:
            self.comment_hint.setText(
                self.tr("⚠ 警告があります。理由をコメントに記入して保存してください。")
            )
            self.comment.setStyleSheet("background: #fff4d6;")
        else:
            self.comment_hint.setText("")
            self.comment.setStyleSheet("")
        self.comment_hint.setVisible(bool(self.comment_hint.text()))

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
        self.all_box.setChecked(True)
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
