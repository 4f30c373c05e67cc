"""The main window: plan tree, indicator grid, detail panel; edits go through undoable commands."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop import __version__
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.store.actuals import (
    EntryRefused,
    EntryRequest,
    EntryResult,
    Outcome,
    write_actuals,
)
from kplan_desktop.store.audit import audit_log, current_user
from kplan_desktop.store.engine import Store
from kplan_desktop.store.overview import overview
from kplan_desktop.ui.entry import EntryCommand
from kplan_desktop.ui.models.indicator_table import (
    FILTER_ROLE,
    STATE_ROLE,
    CellState,
    IndicatorTableModel,
)


class IndicatorFilter(QSortFilterProxyModel):
    """Search by code or name, 'missing only', 'problems only'; nothing else."""

    def __init__(self) -> None:
        super().__init__()
        self.setFilterRole(FILTER_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.missing_only = False
        self.problems_only = False
        self.measure_prefix = ""

    def set_flags(self, missing_only: bool, problems_only: bool, prefix: str) -> None:
        # Qt 6.10 replaced invalidateFilter() with a begin/end pair.
        modern = hasattr(self, "beginFilterChange")
        if modern:
            self.beginFilterChange()
        self.missing_only, self.problems_only, self.measure_prefix = (
            missing_only,
            problems_only,
            prefix,
        )
        if modern:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # type: ignore[override]
        if not super().filterAcceptsRow(row, parent):
            return False
        model = self.sourceModel()
        assert isinstance(model, IndicatorTableModel)
        overview_row = model.rows[row]
        if self.measure_prefix and not (overview_row.indicator.code + "-").startswith(
            self.measure_prefix + "-"
        ):
            return False
        state = model.cell_info(row, model.current_year).state
        if self.missing_only and state not in (CellState.EMPTY, CellState.MISSING):
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
                index = self._window.grid.currentIndex()
                if self._window.submit(index, editor.text()):
                    self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                    self._window.move_after_entry(down=key != Qt.Key.Key_Tab)
                return True
        return super().eventFilter(editor, event)

    def setModelData(self, editor: QWidget, model: object, index: QModelIndex) -> None:  # type: ignore[override]
        # Values are written by submit() through the store, never by the model.
        return


class MainWindow(QMainWindow):
    """The clerk's window: find the department's indicators, type this year's values."""

    def __init__(
        self, store: Store, *, department: str | None, fiscal_year: int, lang: str = "ja"
    ) -> None:
        super().__init__()
        self.store = store
        self.department = department
        self.fiscal_year = fiscal_year
        self.lang = lang
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(
            self.tr("kplan-desktop — 総合計画の進行管理")
            + f"  {format_fiscal_year(fiscal_year, FiscalYearStyle.ERA)}"
        )
        self.model = IndicatorTableModel()
        self.proxy = IndicatorFilter()
        self.proxy.setSourceModel(self.model)
        self._build()
        self.refresh()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("計画体系"), self.tr("未入力")])
        self.tree.itemSelectionChanged.connect(self._apply_filter)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("指標名・コードで検索"))
        self.search.textChanged.connect(self._apply_filter)
        self.missing_box = QCheckBox(self.tr("未入力のみ"))
        self.problems_box = QCheckBox(self.tr("エラー・警告のみ"))
        self.all_box = QCheckBox(self.tr("全課を表示"))
        for box in (self.missing_box, self.problems_box):
            box.toggled.connect(self._apply_filter)
        self.all_box.toggled.connect(self.refresh)

        self.grid = QTableView()
        self.grid.setModel(self.proxy)
        self.grid.setItemDelegate(EntryDelegate(self))
        self.grid.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.grid.setEditTriggers(
            QTableView.EditTrigger.AnyKeyPressed
            | QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
        )
        self.grid.verticalHeader().setVisible(False)
        self.grid.selectionModel().currentChanged.connect(self._show_detail)

        self.detail = QTextBrowser()
        self.detail.setMinimumWidth(260)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for box in (self.missing_box, self.problems_box, self.all_box):
            top.addWidget(box)
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.grid)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.detail)
        self.splitter.setSizes([260, 900, 300])
        self.setCentralWidget(self.splitter)

        self.status = QLabel()
        self.statusBar().addWidget(self.status, 1)

        edit_menu = self.menuBar().addMenu(self.tr("編集(&E)"))
        undo = self.undo_stack.createUndoAction(self, self.tr("元に戻す"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("やり直す"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        clear = QAction(self.tr("値を消去"), self)
        clear.setShortcut(QKeySequence.StandardKey.Delete)
        clear.triggered.connect(self.clear_current)
        for action in (undo, redo, clear):
            edit_menu.addAction(action)
            self.addAction(action)
        self.menuBar().addMenu(self.tr("ファイル(&F)"))
        self.menuBar().addMenu(self.tr("表示(&V)"))
        help_menu = self.menuBar().addMenu(self.tr("ヘルプ(&H)"))
        about = QAction(self.tr("バージョン情報"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        self.resize(1480, 820)

    # -- data --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-ask the store for the rows (after every write) and rebuild the tree."""
        department = None if self.all_box.isChecked() else self.department
        catalog, rows = overview(self.store, department=department)
        current = self.grid.currentIndex()
        self.model.reset(catalog, rows, self.fiscal_year, self.department)
        self._fill_tree()
        self.grid.resizeColumnsToContents()
        self.grid.setColumnWidth(1, min(self.grid.columnWidth(1), 360))
        if current.isValid():
            self.grid.setCurrentIndex(self.proxy.index(current.row(), current.column()))
        self._update_status()

    def _fill_tree(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        missing: dict[str, int] = {}
        for row, item in enumerate(self.model.rows):
            state = self.model.cell_info(row, self.fiscal_year).state
            if state in (CellState.EMPTY, CellState.MISSING):
                code = item.indicator.code
                for prefix in (item.goal.code, item.policy.code, item.measure.code, code):
                    missing[prefix] = missing.get(prefix, 0) + 1
        nodes: dict[str, QTreeWidgetItem] = {}
        for item in self.model.rows:
            parent = None
            for code, name in (
                (item.goal.code, f"基本目標{item.goal.code} {item.goal.name}"),
                (item.policy.code, f"{item.policy.code} {item.policy.name}"),
                (item.measure.code, f"{item.measure.code} {item.measure.name}"),
            ):
                if code not in nodes:
                    node = QTreeWidgetItem([name, str(missing.get(code, 0))])
                    node.setData(0, Qt.ItemDataRole.UserRole, code)
                    if parent is None:
                        self.tree.addTopLevelItem(node)
                    else:
                        parent.addChild(node)
                    nodes[code] = node
                parent = nodes[code]
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.blockSignals(False)

    def _apply_filter(self) -> None:
        selected = self.tree.selectedItems()
        prefix = selected[0].data(0, Qt.ItemDataRole.UserRole) if selected else ""
        self.proxy.setFilterFixedString(self.search.text().strip()[:200])
        self.proxy.set_flags(self.missing_box.isChecked(), self.problems_box.isChecked(), prefix)

    def _update_status(self, saved: str = "") -> None:
        states = [
            self.model.cell_info(row, self.fiscal_year).state
            for row in range(len(self.model.rows))
            if self.model.is_editable(row, self.model.column_of_year(self.fiscal_year))
        ]
        errors = states.count(CellState.ERROR)
        warnings = states.count(CellState.WARNING)
        missing = states.count(CellState.EMPTY)
        text = self.tr("エラー {0} 件、コメント待ちの警告 {1} 件、未入力 {2} 件").format(
            errors, warnings, missing
        )
        self.status.setText(f"{saved}  {text}".strip())

    # -- entry -------------------------------------------------------------------------------

    def submit(self, proxy_index: QModelIndex, text: str, comment: str | None = None) -> bool:
        """Check and write one typed value; False (nothing written) when it is refused."""
        index = self.proxy.mapToSource(proxy_index)
        if not index.isValid() or not self.model.is_editable(index.row(), index.column()):
            return False
        indicator = self.model.rows[index.row()].indicator
        request = EntryRequest(indicator.code, self.fiscal_year, text, comment)
        try:
            results = write_actuals(
                self.store, [request], who=current_user(), source="gui", dry_run=True
            )
        except EntryRefused as exc:
            refused = exc.results[0]
            if exc.only_warnings and comment is None:
                reason = self.ask_comment(refused)
                return bool(reason) and self.submit(proxy_index, text, reason)
            self.show_refusal(refused)
            return False
        if results[0].outcome is Outcome.UNCHANGED:
            return True
        label = self.tr("{0} の入力").format(indicator.code)
        self.undo_stack.push(EntryCommand(self.store, results, label, self._after_write))
        return True

    def ask_comment(self, refused: EntryResult) -> str:
        """Warnings need a reason: ask for it (Japanese first; the warnings listed)."""
        lines = "\n".join(f"・{f.message_ja}" for f in refused.check.warnings)
        text, ok = QInputDialog.getMultiLineText(
            self,
            self.tr("コメントが必要です"),
            self.tr("次の警告があります。理由を入力してください:") + "\n" + lines,
        )
        return text.strip() if ok else ""

    def show_refusal(self, refused: EntryResult) -> None:
        message = " / ".join(f.message_ja for f in refused.refused_because)
        self.last_message = message
        self.status.setText("✖ " + message)

    last_message = ""

    def _after_write(self, results: list[EntryResult]) -> None:
        self.refresh()
        written = [r for r in results if r.outcome is not Outcome.REFUSED]
        if written:
            r = written[-1]
            shown = r.new[0] or r.new[1] or "—"
            self._update_status(
                self.tr("保存しました: {0} = {1}").format(r.request.indicator_code, shown)
            )

    def move_after_entry(self, *, down: bool) -> None:
        index = self.grid.currentIndex()
        if down:
            target = self.proxy.index(
                min(index.row() + 1, self.proxy.rowCount() - 1), index.column()
            )
        else:
            target = self.proxy.index(
                index.row(), min(index.column() + 1, self.proxy.columnCount() - 1)
            )
        self.grid.setCurrentIndex(target)

    def clear_current(self) -> None:
        index = self.grid.currentIndex()
        if index.isValid() and index.data(STATE_ROLE) not in (None, CellState.EMPTY):
            self.submit(index, "")

    # -- detail ------------------------------------------------------------------------------

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        source = self.proxy.mapToSource(current)
        if not source.isValid():
            return
        item = self.model.rows[source.row()]
        ind = item.indicator
        history = audit_log(self.store, ind.code)[-8:]
        lines = [
            f"<h3>{ind.code} {ind.display_name}</h3>",
            f"<p><b>{self.tr('目指す姿')}</b><br>{item.measure.vision or '—'}</p>",
            f"<p><b>{self.tr('指標の説明')}</b><br>{ind.description or '—'}</p>",
            f"<p>{self.tr('単位')}: {ind.unit or '未設定'}　"
            f"{self.tr('方向')}: {ind.direction.label_ja if ind.direction else '未設定'}　"
            f"{self.tr('累計')}: {'はい' if ind.cumulative else 'いいえ'}</p>",
            f"<p><b>{self.tr('履歴')}</b></p><ul>",
        ]
        for entry in reversed(history):
            old = entry.old_value or entry.old_reason or "—"
            new = entry.new_value or entry.new_reason or "—"
            lines.append(
                f"<li>{entry.at:%Y-%m-%d %H:%M} {entry.who}: {entry.fiscal_year} {old} → {new}</li>"
            )
        lines.append("</ul>")
        self.detail.setHtml("".join(lines))

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            self.tr("バージョン情報"),
            f"kplan-desktop {__version__}\n{self.tr('データベース')}: {self.store.url}",
        )
