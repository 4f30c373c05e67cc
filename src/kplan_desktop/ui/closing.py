"""Closing the window: Esc and the title bar's close button ask when a typed value or comment is
not saved (an open editor, the comment dialog waiting, the detail panel's comment); otherwise
everything is saved and the window closes at once. The window keeps its arrangement (size,
splitters, the grid's columns per language) in the settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.parts import Part, Shared

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow, QSplitter

    from kplan_desktop.ui.detail_panel import DetailPanel
    from kplan_desktop.ui.entry_controller import EntryController

# ask_quit's shape: (pending text or None, comment=…) -> whether to quit.
Ask = Callable[..., bool]


class Closing(Part):
    """Whether the window may close, and its arrangement kept between sessions."""

    def __init__(self, shared: Shared, entry: EntryController, panel: DetailPanel) -> None:
        super().__init__(shared)
        self.entry = entry
        self.panel = panel
        self.splitters: dict[str, QSplitter] = {}
        self.side_action: QAction | None = None
        self._restored = False

    def ask_quit(self, pending: str | None = None, *, comment: bool = False) -> bool:
        """Ask before quitting; `pending` is a typed value (or comment) not saved yet."""
        if pending is None:
            text = self.tr("kplan-desktop を終了しますか？（入力した値は保存済みです）")
        elif comment:
            text = self.tr(
                "入力中のコメント「{0}」は保存できませんでした。保存せずに終了しますか？"
            ).format(pending[:40])
        else:
            # Which cell it is: the value may not be where the clerk thinks (trial 15b, 12).
            text = self.tr(
                "{0}の入力中の値「{1}」はまだ保存していません。保存せずに終了しますか？"
            ).format(self._place(), pending[:40])
        answer = QMessageBox.question(
            self.widget,
            self.tr("終了の確認"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _place(self) -> str:
        """The current cell as the question names it: 7-1-1-K1 地域…の紹介（令和7年度）."""
        index = self.grid.currentIndex()
        source = self.proxy.mapToSource(index) if index.isValid() else index
        if not source.isValid():
            return self.tr("このセル")
        indicator = self.model.rows[source.row()].indicator
        year = self.model.year_of_column(source.column())
        name = indicator.display_name
        if year is None:
            return f"{indicator.code} {name}"
        shown = year_text(year, self.lang, FiscalYearStyle.ERA)
        return self.tr("{0} {1}（{2}）").format(indicator.code, name, shown)

    def may_close(self, ask: Ask) -> bool:
        """Whether the window may close now (`ask`: the window's ask_quit). A comment typed in
        the detail panel is saved first, as leaving its cell saves it; what cannot be saved, or
        is still being typed, is asked about; staying gives a typed value back to its editor."""
        panel, entry = self.panel, self.entry
        if not panel.commit_comment():
            comment = panel.pending_comment() or ""
            # The question takes the focus (and quitting hides the box): no second try.
            panel.holding = True
            if not ask(comment, comment=True):
                panel.holding = False
                return False
        pending = entry.pending_value()
        where = self.grid.currentIndex()
        if pending is not None:
            # The question takes the focus, and an editor losing the focus saves its value (and
            # may ask for a comment on top of the question): close it unsaved first, and give
            # the text back to a new editor if the clerk stays.
            entry.discard_pending()
            if not ask(pending):
                entry.reopen_editor(where, pending)
                return False
        elif entry.comment_dialog is not None:
            waiting = entry.comment_dialog.property("pending_text") or ""
            if not ask(waiting):
                return False
        entry.discard_pending()
        return True

    # -- the window's arrangement ----------------------------------------------------------

    def restore(self) -> None:
        """The splitters as the clerk left them; once, after the window has its real size
        (splitter sizes only stick then)."""
        settings = self.shared.settings
        if settings is not None and not self._restored:
            for key, splitter in self.splitters.items():
                state = settings.window_state(key)
                if state is not None:
                    splitter.restoreState(state)
            if self.side_action is not None:
                self.side_action.setChecked(self.splitters["splitter"].sizes()[2] > 0)
        self._restored = True

    def save(self, window: QMainWindow, columns_key: str) -> None:
        """The window's arrangement; the column widths under `columns_key` (per language,
        screen width and scale: GridFit.columns_key)."""
        settings = self.shared.settings
        if settings is None:
            return
        settings.save_window_state("geometry", window.saveGeometry())
        for key, splitter in self.splitters.items():
            settings.save_window_state(key, splitter.saveState())
        header = self.grid.horizontalHeader().saveState()  # per language: 基準値 < "Baseline"
        settings.save_window_state(columns_key, header)
        settings.sync()
