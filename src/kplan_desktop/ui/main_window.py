"""The main window: it paints its frame at once, loads the grid in a worker and assembles its
parts — the plan tree and filter (plan_tree), the entry controller (entry_controller), paste
and copy (paste), the detail panel (detail_panel), the change poller (poller), the grid's fit
(grid_fit), the tabs (window_tabs), the menus (window_menus) and the action classes, which see
it as a ui.host.Host. The session's state is a Qt-free kplan_desktop.session.Session.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The Qt namespace (QtCore.Qt) is named only where it is used, after the first paint: importing
# it builds some 90 enums, about 10 ms of the start (bench/bench_window.py).
from PySide6 import QtCore
from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.session import Session
from kplan_desktop.ui.body_imports import StoreImports, import_body
from kplan_desktop.ui.frozen_grid import FrozenGrid
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.parts import Shared, fit_screen
from kplan_desktop.ui.settings import AppSettings
from kplan_desktop.ui.workers import Job, Relay, Work, run_job

if TYPE_CHECKING:
    from kplan_desktop.domain.fiscal_year import FiscalYearStyle
    from kplan_desktop.store.engine import Store
    from kplan_desktop.ui.backup_actions import BackupActions
    from kplan_desktop.ui.catalog_actions import CatalogActions
    from kplan_desktop.ui.closing import Closing
    from kplan_desktop.ui.cycle_actions import CycleActions
    from kplan_desktop.ui.detail_panel import DetailPanel
    from kplan_desktop.ui.entry_controller import EntryController
    from kplan_desktop.ui.exchange_actions import ExchangeActions
    from kplan_desktop.ui.generation_choice import GenerationChoice
    from kplan_desktop.ui.grid_fit import GridFit
    from kplan_desktop.ui.key_actions import KeyActions
    from kplan_desktop.ui.models.cells import GridData
    from kplan_desktop.ui.models.indicator_filter import IndicatorFilter
    from kplan_desktop.ui.models.indicator_table import IndicatorTableModel
    from kplan_desktop.ui.next_plan_wizard import NextPlanActions
    from kplan_desktop.ui.paste import PasteController
    from kplan_desktop.ui.plan_tree import PlanTree
    from kplan_desktop.ui.poller import ChangePoller
    from kplan_desktop.ui.window_menus import WindowMenus, window_action
    from kplan_desktop.ui.window_tabs import WindowTabs


def _late_imports() -> None:
    """Bind what the window needs once it has painted its frame (see MainWindow._start).

    Importing these before the first paint would make the window appear later; see the
    first-paint figure in bench/bench_window.py. The parts import what they need themselves.
    """
    global FiscalYearStyle, GridData, IndicatorTableModel, IndicatorFilter
    global ExchangeActions, BackupActions, CatalogActions, CycleActions, KeyActions
    global DetailPanel, EntryController, PasteController, PlanTree, ChangePoller
    global Closing, GridFit, WindowMenus, WindowTabs, GenerationChoice, NextPlanActions
    global window_action
    from kplan_desktop.domain.fiscal_year import FiscalYearStyle
    from kplan_desktop.ui.backup_actions import BackupActions
    from kplan_desktop.ui.catalog_actions import CatalogActions
    from kplan_desktop.ui.closing import Closing
    from kplan_desktop.ui.cycle_actions import CycleActions
    from kplan_desktop.ui.detail_panel import DetailPanel
    from kplan_desktop.ui.entry_controller import EntryController
    from kplan_desktop.ui.exchange_actions import ExchangeActions
    from kplan_desktop.ui.generation_choice import GenerationChoice
    from kplan_desktop.ui.grid_fit import GridFit
    from kplan_desktop.ui.key_actions import KeyActions
    from kplan_desktop.ui.models.cells import GridData
    from kplan_desktop.ui.models.indicator_filter import IndicatorFilter
    from kplan_desktop.ui.models.indicator_table import IndicatorTableModel
    from kplan_desktop.ui.next_plan_wizard import NextPlanActions
    from kplan_desktop.ui.paste import PasteController
    from kplan_desktop.ui.plan_tree import PlanTree
    from kplan_desktop.ui.poller import ChangePoller
    from kplan_desktop.ui.window_menus import WindowMenus, window_action
    from kplan_desktop.ui.window_tabs import WindowTabs


# Up to this many rows the steps after a load run in one turn of the event loop: a turn
# between them let the window repaint in between, about 20 ms each, for no block worth
# splitting (the seed's 25 rows take 15 ms in all; 2,000 rows, 40 ms).
ONE_TURN_ROWS = 2500


def _soon(window: QWidget, data: GridData, step: Callable[[], None]) -> None:
    """`step` now for a small grid, else in the next turn (with `window` as its context)."""
    if len(data.rows) <= ONE_TURN_ROWS:
        step()
    else:
        QTimer.singleShot(0, window, step)


class MainWindow(QMainWindow):
    """The clerk's window: find the department's indicators, type this year's values."""

    loaded = Signal()
    # The first rows of a big grid are put in (and painted next), the rest still being read.
    first_rows_shown = Signal()
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
        year_given: bool = False,
    ) -> None:
        super().__init__()
        # A factory is called in the loading worker, so the window paints before the database
        # layer (SQLAlchemy) is even imported.
        chosen = settings.generation if settings is not None else None  # the 計画期 seen last
        self.session = Session.start(store, department=department, fiscal_year=fiscal_year,
                                     planning=planning, lang=lang, generation=chosen)  # fmt: skip
        self.session.year_given = year_given  # --year: the plan holding it (Session.settle)
        self.settings = settings
        self.is_loaded = False
        self.load_error: str | None = None
        self._job: Job | None = None
        self._built = False
        # The frame paints first; the body is built right after (see _start).
        self.setWindowTitle("kplan-desktop")
        # Submission workbooks dropped on the window are merged (the planning division only).
        self.setAcceptDrops(planning)
        self.setCentralWidget(QLabel(self.tr("読み込んでいます…")))
        geometry = self.settings.window_state("geometry") if self.settings else None
        if geometry is None or not self.restoreGeometry(geometry):
            fit_screen(self)
        self._started = False
        self._store_imports = StoreImports()
        self._arrived: Callable[[], None] | None = None
        # The loading worker starts at the first paint (_start): importing SQLAlchemy beside
        # the UI thread held the interpreter lock the frame's events wait for. A window that
        # is never shown (a test, the self-test) still loads.
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

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._started:
            # Zero-timers run before pending paints: wait for the frame's first paint.
            QTimer.singleShot(0, self._start)
        return super().event(event)

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        if self._job is None:  # the load (unless asked already), beside the body's imports
            self.reload()
        # The body's modules from the next turn on (ui/body_imports.py), a few per turn.
        loading = lambda: self._job is not None  # noqa: E731
        QTimer.singleShot(0, self, lambda: import_body(self, self._store_imports, loading,
                                                       self._build_body))  # fmt: skip

    def _build_body(self) -> None:
        _late_imports()
        self.undo_stack = QUndoStack(self)
        self.model = IndicatorTableModel()
        self.proxy = IndicatorFilter()
        self.proxy.setSourceModel(self.model)
        self._build()
        self._built = True
        if self.isVisible():
            self.closing.restore()
        if self._arrived is not None:
            arrived, self._arrived = self._arrived, None
            arrived()

    # -- layout ------------------------------------------------------------------------------

    def _set_title(self) -> None:
        """The title names the department (its name once the catalog is read) and the year."""
        year = year_text(self.fiscal_year, self.lang, FiscalYearStyle.ERA_WITH_WESTERN)
        who = self.tr("企画担当課") if self.planning else (self.department or "")
        if not self.planning and self.model.catalog is not None:
            who = {d.code: d.name for d in self.model.catalog.departments}.get(who, who)
        plan = self.generation_choice.title_part()  # the plan shown: 後期 or 次期基本計画
        title = self.tr("kplan-desktop — 総合計画の進行管理") + plan + f"  [{who}  {year}]"
        if self.store is not None and self.store.read_only:
            title += self.tr("（読み取り専用）")
        self.setWindowTitle(title)

    def action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        return window_action(self, text, slot, shortcut)

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
        self.entry = entry = EntryController(shared)
        self.plan_tree = PlanTree(shared, entry)
        self.detail_panel = DetailPanel(shared, entry)
        self.paste = PasteController(shared, entry)
        self.poller = ChangePoller(shared, entry, self.plan_tree)
        self.entry.values_changed.connect(self.plan_tree.update_counts)
        self.entry.values_changed.connect(self.detail_panel.refresh)
        self.plan_tree.scope_changed.connect(self.reload)
        panel = self.detail_panel
        panel.comment_button.clicked.connect(
            lambda: entry.save_comment(panel.comment.toPlainText())
        )
        # The widgets tests and the probe look at, under their usual names.
        self.tree, self.search = self.plan_tree.tree, self.plan_tree.search
        self.detail, self.history, self.chart = panel.detail, panel.history, panel.chart
        self.comment, self.side_splitter = panel.comment, panel.side_splitter
        self.exchange = ExchangeActions(self)
        self.installEventFilter(self.exchange)
        self.backups = BackupActions(self)
        self.keys = KeyActions(self)
        self.catalog_actions = CatalogActions(self)
        self.generation_choice = GenerationChoice(shared, lambda: self.reload())
        self.next_plan = NextPlanActions(self, self.generation_choice)
        self.cycle = CycleActions(self)
        self._set_title()
        self.entry.attach()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self._centre())
        self.splitter.addWidget(panel.side)
        self.splitter.setStretchFactor(1, 3)
        # The side panel is wide enough for the trend chart's legend and its seven year ticks.
        self.splitter.setSizes([190, 960, 350])
        self.closing = Closing(shared, entry, panel)
        self.closing.splitters = {"splitter": self.splitter, "side": self.side_splitter}
        self.window_tabs = WindowTabs(shared, self.splitter)
        self.tabs = self.window_tabs.tabs
        self.setCentralWidget(self.tabs)
        self.fit = GridFit(shared, entry)
        self.fit.splitter, self.fit.tabs = self.splitter, self.tabs
        self.statusBar().addWidget(self.status, 1)
        if not self.planning:
            self.statusBar().addPermanentWidget(self.exchange.finalise_button)
        self.side_action: QAction | None = None
        self.menus = WindowMenus(shared)
        self.menus.build(self, self.menuBar())
        self.fit.side_action = self.closing.side_action = self.side_action

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
        column.addWidget(self.generation_choice.bar)
        column.addWidget(self.cycle.banner)
        column.addWidget(self.exchange.banner)
        column.addLayout(top)
        column.addWidget(self.grid)
        return centre

    def focus_grid(self) -> None:
        """Ctrl+1: the entry tab, focus in the grid on its current (or first needed) cell."""
        self.fit.focus_grid()

    def toggle_side(self, show: bool) -> None:
        self.fit.toggle_side(show)

    def show_all_progress(self) -> None:
        self.plan_tree.all_box.setChecked(True)
        self.tabs.setCurrentIndex(1)

    def go_to_indicator(self, code: str) -> None:
        """Select the entry-year cell of an indicator, clearing filters that hide it."""
        self.fit.go_to_indicator(code, self.plan_tree.clear_filters)

    def update_status(self, saved: str = "") -> None:
        self.entry.update_status(saved)

    # -- settings ----------------------------------------------------------------------------

    def save_state(self) -> None:
        if self._built:
            self.closing.save(self, self.fit.columns_key())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._built:
            self.closing.restore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc that nothing else took (no editor, no dialog) asks before quitting."""
        if event.key() == QtCore.Qt.Key.Key_Escape and not event.modifiers():
            if self.ask_quit():
                self.close()
            return
        super().keyPressEvent(event)

    def ask_quit(self, pending: str | None = None, *, comment: bool = False) -> bool:
        """Ask before quitting; `pending` is a typed value (or comment) not saved yet."""
        return self.closing.ask_quit(pending, comment=comment)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.is_loaded:
            QTimer.singleShot(0, self.fit.fit_name_column)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Asks, as Esc does, when a typed value is not saved (ui/closing.py)."""
        if self._built and not self.closing.may_close(self.ask_quit):
            event.ignore()
            return
        if self._built:
            self.poller.stop()
        self.save_state()
        super().closeEvent(event)

    # -- loading (off the UI thread) ---------------------------------------------------------

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
        department = self.plan_tree.shown_department if self._built else (
            None if self.planning else self.department)  # before the tree: own, or all  # fmt: skip
        session = self.session

        store_imports = self._store_imports
        # The window's first load of a big grid shows its first rows while the rest is read.
        first = None if self.is_loaded else Relay(self)

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            store_imports.import_here()  # first: the UI thread waits for these (body_imports)
            from kplan_desktop.ui.models.cells import load_session_grid

            shown = None if first is None else first.hand
            return load_session_grid(session, department, progress, cancelled, shown)

        job: Job | None = None
        if first is not None:
            taken = first.taken
            first.arrived.connect(
                lambda data: self._when_built(self._first_rows, job, (data, taken))
            )

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

    def _first_rows(self, job: Job | None, shown: tuple[GridData, Callable[[], None]]) -> None:
        data, taken = shown  # taken: the worker goes on reading (workers.Relay)
        if job is self._job and not self.is_loaded:
            self.first_rows_shown.emit()
            self.fit.show_first_rows(data, taken)
        else:
            taken()

    def _loaded(self, job: Job | None, data: GridData | None) -> None:
        if job is not self._job:
            return
        self._job = None
        self.fit.keep_place()  # where the clerk went in the first rows, if they were shown
        if data is None:  # cancelled: a plan chosen for this load is not taken either
            self.generation_choice.forget_choice()
            return
        self.session.adopt(data.settled)
        from kplan_desktop.ui.save_worker import attach

        attach(self.store, self)  # saves to a server: off the UI thread, "waiting" shown
        self.model.reset(
            data, self.fiscal_year, self.department, planning=self.planning, lang=self.lang
        )
        self.generation_choice.show_records(self.session.shown)
        # The rest in later turns of the event loop, so the UI thread never blocks for long
        # (the grid, then the tree: each some 35 ms at 20,000 indicators). With the window as
        # context: a load that ends after the window is gone does nothing.
        _soon(self, data, lambda: self._fill_tree(data))

    def _fill_tree(self, data: GridData) -> None:
        if self.model.rows is not data.rows:
            return  # a later load replaced this one; it fills the tree itself
        self._set_title()
        self.plan_tree.fill()
        self.plan_tree.apply_filter()
        self.update_status()
        _soon(self, data, lambda: self._finish_load(data))

    def _finish_load(self, data: GridData) -> None:
        self.fit.fit_columns(lambda: self._fitted(data))

    def _fitted(self, data: GridData) -> None:
        self.window_tabs.data = data
        self.window_tabs.refresh()
        self.is_loaded = True
        if self.store.is_server and not self.poller.timer.isActive():
            self.poller.timer.start()
        self.exchange.refresh(data.year_state)  # read with the grid: one moment
        self.cycle.refresh(data.year_state)
        self.loaded.emit()
        # The grid is filled; the detail panel of the first cell follows in the next turn.
        QTimer.singleShot(0, self, self.fit.select_first_cell)  # not after the window is gone

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
