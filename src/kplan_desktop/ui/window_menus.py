"""The window's menus."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6 import QtCore
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QMenuBar,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from kplan_desktop import __version__
from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.store.requests import (
    current_user,
)
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.parts import Part, Shared

if TYPE_CHECKING:
    from kplan_desktop.ui.backup_actions import BackupActions
    from kplan_desktop.ui.catalog_actions import CatalogActions
    from kplan_desktop.ui.cycle_actions import CycleActions
    from kplan_desktop.ui.entry_controller import EntryController
    from kplan_desktop.ui.exchange_actions import ExchangeActions
    from kplan_desktop.ui.generation_choice import GenerationChoice
    from kplan_desktop.ui.key_actions import KeyActions
    from kplan_desktop.ui.next_plan_wizard import NextPlanActions
    from kplan_desktop.ui.paste import PasteController


def window_action(
    window: QWidget,
    text: str,
    slot: Callable[..., object],
    shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
) -> QAction:
    """An action of the window (its shortcut works wherever the focus is in it)."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)

    # triggered(bool) would hand `checked` to a slot's first optional parameter (a path, a
    # chosen file): only a checkable action passes its state on.
    def run(checked: bool = False) -> None:
        if action.isCheckable():
            slot(checked)
        else:
            slot()

    action.triggered.connect(run)
    window.addAction(action)
    return action


class MenuHost(Protocol):
    """What the menus reach in the window."""

    exchange: ExchangeActions
    keys: KeyActions
    backups: BackupActions
    catalog_actions: CatalogActions
    cycle: CycleActions
    generation_choice: GenerationChoice
    next_plan: NextPlanActions
    entry: EntryController
    paste: PasteController
    search: QLineEdit
    tabs: QTabWidget
    splitter: QSplitter
    side_action: QAction | None

    def action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction: ...

    def focus_grid(self) -> None: ...

    def reload(self, then: Callable[[], None] | None = None) -> None: ...

    def toggle_side(self, show: bool) -> None: ...

    def show_all_progress(self) -> None: ...


class WindowMenus(Part):
    """The menu bar and the commands only the menus reach (help, about, 施策評価, language)."""

    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.evaluation_dialog: QDialog | None = None
        self.language_actions: dict[str, QAction] = {}

    def build(self, host: MenuHost, bar: QMenuBar) -> None:
        action = host.action
        file_menu = bar.addMenu(self.tr("ファイル(&F)"))
        if not self.planning:
            host.exchange.add_department_actions(file_menu)
            host.keys.add_department_actions(file_menu)
        file_menu.addSeparator()
        host.backups.add_actions(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(
            action(self.tr("終了"), self.widget.close, QKeySequence.StandardKey.Quit)
        )
        edit_menu = bar.addMenu(self.tr("編集(&E)"))
        undo = self.undo_stack.createUndoAction(self.widget, self.tr("元に戻す"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self.widget, self.tr("やり直す"))
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for step in (undo, redo):
            self.widget.addAction(step)
            edit_menu.addAction(step)
        edit_menu.addSeparator()
        edit_menu.addAction(
            action(self.tr("コピー"), host.paste.copy_selection, QKeySequence.StandardKey.Copy)
        )
        edit_menu.addAction(
            action(self.tr("貼り付け"), host.paste.paste_clipboard, QKeySequence.StandardKey.Paste)
        )
        edit_menu.addAction(
            action(self.tr("値を消去…"), host.entry.clear_current, QKeySequence.StandardKey.Delete)
        )
        edit_menu.addAction(
            action(self.tr("検索"), host.search.setFocus, QKeySequence.StandardKey.Find)
        )
        view_menu = bar.addMenu(self.tr("表示(&V)"))
        view_menu.addAction(action(self.tr("入力"), host.focus_grid, "Ctrl+1"))
        view_menu.addAction(
            action(self.tr("ダッシュボード"), lambda: host.tabs.setCurrentIndex(1), "Ctrl+2")
        )
        view_menu.addAction(
            action(self.tr("計画横断"), lambda: host.tabs.setCurrentIndex(2), "Ctrl+3")
        )
        view_menu.addAction(
            action(self.tr("再読み込み"), host.reload, QKeySequence.StandardKey.Refresh)
        )
        view_menu.addAction(
            action(self.tr("計画期を切り替える…"), host.generation_choice.focus, "Ctrl+Shift+G")
        )
        side = action(self.tr("詳細パネル"), host.toggle_side, "F9")
        side.setCheckable(True)
        side.setChecked(True)
        view_menu.addAction(side)
        host.side_action = side
        splitter = host.splitter
        splitter.splitterMoved.connect(
            lambda _pos, _index: side.setChecked(splitter.sizes()[2] > 0)
        )
        language_menu = view_menu.addMenu(self.tr("言語"))
        # The language in use is ticked; choosing the other ticks it (it applies next start).
        languages = QActionGroup(language_menu)
        languages.setExclusive(True)
        for code, name in (("ja", "日本語"), ("en", "English")):
            choice = action(name, lambda _on=True, code=code: self.choose_language(code))
            choice.setCheckable(True)
            choice.setChecked(code == ("en" if self.lang == "en" else "ja"))
            languages.addAction(choice)
            language_menu.addAction(choice)
            self.language_actions[code] = choice
        review_menu = bar.addMenu(self.tr("評価(&R)"))
        review_menu.addAction(action(self.tr("施策評価…"), self.open_evaluations, "Ctrl+Shift+H"))
        catalog_menu = bar.addMenu(self.tr("カタログ(&C)"))
        host.catalog_actions.add_actions(catalog_menu)
        if self.planning:
            host.next_plan.add_actions(catalog_menu)
        if self.planning:
            merge_menu = bar.addMenu(self.tr("集約(&A)"))
            merge_menu.addAction(action(self.tr("全課の入力状況"), host.show_all_progress))
            host.cycle.add_planning_actions(merge_menu)
            host.exchange.add_planning_actions(merge_menu)
            host.keys.add_planning_actions(merge_menu)
        help_menu = bar.addMenu(self.tr("ヘルプ(&H)"))
        help_menu.addAction(action(self.tr("キー操作"), self.show_keys, "F1"))
        help_menu.addAction(action(self.tr("バージョン情報"), self.about))

    def choose_language(self, language: str) -> None:
        """Saved for the next start (Qt texts are fixed once the window is built)."""
        if self.shared.settings is not None:
            self.shared.settings.save_language(language)
        self.status.setText(self.tr("表示言語は次回の起動から切り替わります"))

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
            parent=self.widget,
            generation=self.session.current_generation(),
        )
        self.evaluation_dialog.exec()
        self.evaluation_dialog = None

    def show_keys(self) -> None:
        QMessageBox.information(self.widget, self.tr("キー操作"), self.keys_text())

    def keys_text(self) -> str:
        """F1: the keys of the grid, then every menu command's shortcut (read from the
        actions themselves, so none is left out)."""
        lines = [
            self.tr("文字を入力: 編集開始"),
            self.tr("Enter: 保存して下へ"),
            self.tr("Tab: 保存して右へ"),
            self.tr("Esc: 入力中の値を取り消す（入力中でなければ終了の確認）"),
            self.tr("コメント欄: Enter で保存、Shift+Enter で改行"),
        ]
        seen: set[str] = set()
        for command in self.widget.actions():
            keys = ", ".join(
                key.toString(QKeySequence.SequenceFormat.NativeText) for key in command.shortcuts()
            )
            text = command.text().replace("&", "").rstrip("…")
            if keys and text and keys not in seen:
                seen.add(keys)
                lines.append(f"{keys}: {text}")
        if self.planning:
            lines.append(self.tr("提出ブックはウィンドウにドロップしても取り込めます"))
        return "\n".join(lines)

    def about(self) -> None:
        QMessageBox.about(
            self.widget,
            self.tr("バージョン情報"),
            self.tr("kplan-desktop {0}\nデータベース: {1}").format(
                __version__, self.store.url if self.store else "—"
            ),
        )
