"""Entering values in the grid: the cell editor's delegate and the entry controller."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QStyledItemDelegate,
    QWidget,
)

from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.store.requests import (
    EntryRefused,
    EntryRequest,
    EntryResult,
    EntrySource,
    Outcome,
    current_user,
)
from kplan_desktop.ui.entry import EntryCommand
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.models.cells import CellState
from kplan_desktop.ui.parts import Part, Shared

if TYPE_CHECKING:
    from kplan_desktop.domain.errors import DomainError


class EntryDelegate(QStyledItemDelegate):
    """Enter/Tab submit the typed text; a refused value keeps the editor open with its message."""

    def __init__(self, window: EntryController) -> None:
        super().__init__(window.widget)
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


class EntryController(Part):
    """Typing values into the grid: submit, conflicts, comments, clearing, undo.

    Every edit goes through an undoable command over the store's one write function.
    """

    # A write or a refresh changed values shown in the grid.
    values_changed = Signal()

    def __init__(self, shared: Shared) -> None:
        super().__init__(shared)
        self.last_message = ""
        # A warned value waiting for its comment (see EntryDelegate), and the open dialog.
        self.comment_wanted: EntryResult | None = None
        self.comment_dialog: QDialog | None = None
        # Comments typed in the comment dialog and cancelled (Esc), by (indicator, year).
        self.comment_drafts: dict[tuple[str, int], str] = {}

    def attach(self) -> None:
        """Make the grid the entry grid: this delegate, this event filter, typing edits."""
        grid = self.grid
        grid.setObjectName("grid")
        grid.setItemDelegate(EntryDelegate(self))
        grid.installEventFilter(self)
        grid.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        grid.verticalHeader().setVisible(False)
        # Column widths from the first rows only: measuring 2,000 rows froze the window 0.4 s.
        grid.horizontalHeader().setResizeContentsPrecision(100)
        grid.setAlternatingRowColors(False)

    def update_status(self, saved: str = "") -> None:
        states = self.model.editable_states  # kept by the model, never a walk over every row
        text = self.tr("エラー {0} 件、コメント待ちの警告 {1} 件、未入力 {2} 件").format(
            states[CellState.ERROR], states[CellState.WARNING], states[CellState.EMPTY]
        )
        self.status.setText(f"{saved}　{text}".strip("　"))

    def request_for(
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
        request = self.request_for(proxy_index, text, comment)
        if request is None:
            return False
        from kplan_desktop.domain.errors import DomainError
        from kplan_desktop.store.actuals import write_actuals

        try:
            with self.store.snapshot() as conn:
                results = write_actuals(
                    conn, [request], who=current_user(), source=EntrySource.GUI, dry_run=True
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
        return self.push(results, self.tr("{0} の入力").format(request.indicator_code))

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
            self.update_status(self.tr("ほかの人が保存した値を使います: {0}").format(code))
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
        box = QMessageBox(self.widget)
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
            QMessageBox.warning(self.widget, self.tr("保存できません"), self.last_message)
        return False

    def ask_retry(self, message: str) -> bool:
        """The server could not be reached (or the connection broke): try again?"""
        if QGuiApplication.platformName() == "offscreen":
            return False
        answer = QMessageBox.warning(
            self.widget,
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
        return self.swap_in(fresh, codes, editing=None)

    def swap_in(self, fresh: list[Any], codes: set[str] | None, editing: str | None) -> int:
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
            self.update_status()
            self.values_changed.emit()
        return changed

    def push(self, results: list[EntryResult], label: str) -> bool:
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
                    return self.push(results, label)
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
            QMessageBox.warning(self.widget, self.tr("保存できません"), self.last_message)

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

    def ask_comment(self, refused: EntryResult, step: str = "") -> str:
        """Warnings need a reason: ask for it, listing the warnings ('' = cancelled).

        The dialog names the cell and the value; `step` says where a paste's series stands.
        A comment written for the value before is shown for reuse and must be confirmed again.
        """
        from kplan_desktop.ui.comment_dialog import CommentDialog

        warnings = [f.message(self.lang) for f in refused.check.warnings]
        request = refused.request
        when = year_text(request.fiscal_year, self.lang, FiscalYearStyle.SHORT)
        where = f"{request.indicator_code} {when}「{request.text[:40]}」"
        if step:
            where += "　" + step
        key = (request.indicator_code, request.fiscal_year)
        dialog = CommentDialog(
            warnings,
            refused.old[2],
            self.widget,
            where=where,
            draft=self.comment_drafts.get(key, ""),
        )
        dialog.setProperty("pending_text", refused.request.text)
        self.comment_dialog = dialog
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                # Esc keeps the typed comment for the next time this cell asks (as the value
                # stays in the editor); the previous value's comment offered is no draft.
                typed = dialog.editor.toPlainText()
                if typed.strip() and typed != (refused.old[2] or ""):
                    self.comment_drafts[key] = typed
                return ""
            self.comment_drafts.pop(key, None)
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
            fresh = read_actuals(conn, indicator_codes=codes)
        for actual in fresh:
            by_code[actual.indicator_code].append(actual)
        for code, values in by_code.items():
            self.model.update_values(code, values)
        written = [r for r in results if r.outcome is not Outcome.REFUSED]
        saved = ""
        if written:
            last = written[-1]
            shown = self.shown_state(last.new[0], last.new[1]) or "—"
            saved = self.tr("保存しました: {0} = {1}").format(last.request.indicator_code, shown)
            if len(written) > 1:
                saved = self.tr("{0} 件を保存しました").format(len(written))
        self.update_status(saved)
        self.values_changed.emit()

    def move_after_entry(self, *, down: bool) -> None:
        index = self.grid.currentIndex()
        if down and index.row() >= self.proxy.rowCount() - 1:
            self._after_last_row(index)
            return
        if down:
            target = self.proxy.index(index.row() + 1, index.column())
        else:
            column = min(index.column() + 1, self.proxy.columnCount() - 1)
            target = self.proxy.index(index.row(), column)
        self.grid.setCurrentIndex(target)

    def _after_last_row(self, index: QModelIndex) -> None:
        """Enter on the last row: staying put let the next typed value replace the one just
        saved. Go to the first cell of the column still empty, or say it is the last row."""
        column = self.proxy.mapToSource(index).column()
        year = self.model.year_of_column(column)
        for row in range(self.proxy.rowCount()):
            candidate = self.proxy.index(row, index.column())
            source = self.proxy.mapToSource(candidate)
            if (
                year is not None
                and candidate.flags() & Qt.ItemFlag.ItemIsEditable
                and self.proxy.index(row, 2).data() != self.tr("未設定")
                and self.model.cell(source.row(), year).state is CellState.EMPTY
            ):
                self.grid.setCurrentIndex(candidate)
                self.grid.scrollTo(candidate)
                note = self.tr("最後の行でした。まだ空いている最初のセルへ移りました")
                break
        else:
            note = self.tr("最後の行です（次に入力するとこのセルの値を上書きします）")
        self.status.setText(f"{self.status.text()}　{note}".strip("　"))

    def ask_missing_reason(self) -> str | None:
        """Delete: clear the value, or record why it is missing. None = cancelled."""
        choices = [self.tr("空欄にする")] + [
            reason.label_ja if self.lang != "en" else reason.label_en for reason in MissingReason
        ]
        choice, ok = QInputDialog.getItem(
            self.widget, self.tr("値を消去"), self.tr("消去した後の状態:"), choices, 0, False
        )
        if not ok:
            return None
        position = choices.index(choice)
        return "" if position == 0 else list(MissingReason)[position - 1].label_ja

    def clear_current(self) -> None:
        index = self.grid.currentIndex()
        if self.request_for(index, "", None) is None:
            return
        replacement = self.ask_missing_reason()
        if replacement is not None:
            self.submit(index, replacement)

    def discard_pending(self) -> None:
        """Close an open cell editor without the submit that leaving an editor makes."""
        editor = self.grid.indexWidget(self.grid.currentIndex())
        if isinstance(editor, QLineEdit):
            self.grid.itemDelegate().closeEditor.emit(
                editor, QAbstractItemDelegate.EndEditHint.RevertModelCache
            )

    def pending_value(self) -> str | None:
        """The text of an open cell editor that differs from the stored value (not saved)."""
        index = self.grid.currentIndex()
        editor = self.grid.indexWidget(index) if index.isValid() else None
        if not isinstance(editor, QLineEdit):
            return None
        text = editor.text()
        return None if text == (index.data(Qt.ItemDataRole.EditRole) or "") else text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Typing into a read-only cell of the grid says why (the key goes nowhere)."""
        if watched is self.grid and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self.explain_read_only(event):
                return True  # said why; the key does not jump the cursor to another row
        return super().eventFilter(watched, event)

    def explain_read_only(self, event: QKeyEvent) -> bool:
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
        reason = self.read_only_reason(index)
        self.last_message = reason
        self.status.setText("🔒 " + reason)
        return True

    def read_only_reason(self, index: QModelIndex) -> str:
        """Why a cell of the grid cannot be entered (typing, and a paste's report, say it)."""
        source = self.proxy.mapToSource(index)
        year = self.model.year_of_column(source.column())
        entry = year_text(self.fiscal_year, self.lang, FiscalYearStyle.ERA_WITH_WESTERN)
        if year is not None and year > self.fiscal_year:
            reason = self.tr("この年度はまだ入力できません。入力できるのは {0} の列です").format(
                entry
            )
        elif year is not None and year != self.fiscal_year and not self.planning:
            reason = self.tr("過去の年度は読み取り専用です。入力できるのは {0} の列です").format(
                entry
            )
        elif year is not None:
            reason = self.tr("この指標は他の課の担当です（読み取り専用）")
        else:
            reason = self.tr("この列は入力できません。値は {0} の列に入力します").format(entry)
        return reason

    def entry_column(self) -> int:
        if self.fiscal_year not in self.model.years:
            return -1
        return self.model.column_of_year(self.fiscal_year)

    def save_comment(self, comment: str) -> None:
        """Save the comment editor's text for the current cell (same value, new comment)."""
        index = self.grid.currentIndex()
        text = index.data(Qt.ItemDataRole.EditRole) if index.isValid() else None
        request = self.request_for(index, text or "", comment)
        if request is None or not text:
            self.status.setText(self.tr("コメントは入力済みのセルに付けられます"))
            return
        self.submit(index, request.text, request.comment)
