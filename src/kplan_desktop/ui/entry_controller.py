"""Entering values in the grid: the entry controller (its cell editor's delegate is in
entry_delegate)."""

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
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
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
from kplan_desktop.ui.entry import EntryCommand, Written, write_and_read
from kplan_desktop.ui.entry_delegate import EntryDelegate
from kplan_desktop.ui.entry_reasons import read_only_reason
from kplan_desktop.ui.i18n import quoted, year_text
from kplan_desktop.ui.models.cells import CellState
from kplan_desktop.ui.parts import Part, Shared

if TYPE_CHECKING:
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.domain.values import ParsedValue
    from kplan_desktop.store.actuals import ActualView


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
        self.asked_later: EntryResult | None = None
        self.comment_dialog: QDialog | None = None
        # Comments typed in the comment dialog and cancelled (Esc), by (indicator, year).
        self.comment_drafts: dict[tuple[str, int], str] = {}
        # The conflicts whose dialog is open, by (indicator, year): each is asked once.
        self.conflicts_open: set[tuple[str, int]] = set()
        # The cells Delete is about to clear, as the question names them.
        self.clearing = ""

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
        # An indicator without a unit takes no value: say how its cell is filled all the same.
        unitless = self.model.unitless_missing
        if unitless:
            text += self.tr(
                "（うち {0} 件は単位未設定で値を入力できません: "
                "Delete で未集計・該当なしなどを記録）"
            ).format(unitless)
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

        A value that needs a comment, or meets someone else's change, asks at once; with
        ask=False the refusal is left in `asked_later` for the caller to ask once its cell
        editor is closed (a modal dialog over a live editor lets the view delete the editor
        while its key press is still being handled: a crash under a real window system).
        """
        self.asked_later = None  # each call says for itself what is left to ask
        request = self.request_for(proxy_index, text, comment)
        if request is None:
            if proxy_index.isValid():  # a cell that cannot be entered: say why
                self.last_message = self.read_only_reason(proxy_index)
                self.status.setText("※ " + self.last_message)
            return False
        from kplan_desktop.domain.errors import DomainError

        try:
            # Checked and written in one transaction with the value read back (one frame); a
            # refusal (a warning without its comment, a conflict) writes nothing.
            written = self.store.write(
                lambda conn, key: write_and_read(
                    conn, self.session.generation_in(conn), [request], key
                )
            )
        except EntryRefused as exc:
            refused = exc.results[0]
            if refused.only_conflict:
                key = (refused.request.indicator_code, refused.request.fiscal_year)
                if not ask and key not in self.conflicts_open:
                    self.asked_later = refused
                    return False
                return self._resolve_conflict(proxy_index, refused, comment)
            if exc.only_warnings and comment is None:
                if not ask:
                    from kplan_desktop.ui.comment_dialog import TypeAheadCatcher

                    self.asked_later = refused
                    TypeAheadCatcher.start()  # keys typed before its dialog opens
                    return False
                reason = self.ask_comment(refused)
                return bool(reason) and self.submit(proxy_index, text, reason)
            self.show_refusal(refused)
            return False
        except DomainError as exc:
            if self._retry_after(exc):
                return self.submit(proxy_index, text, comment)
            return False
        results = written[0]
        if results[0].outcome is Outcome.UNCHANGED:
            return True
        label = self.tr("{0} の入力").format(request.indicator_code)
        return self.push(results, label, applied=written)

    def _resolve_conflict(
        self, proxy_index: QModelIndex, refused: EntryResult, comment: str | None
    ) -> bool:
        """Someone else changed the value since the grid showed it: keep mine or take theirs.

        Keeping mine writes the typed value over theirs (naming the revision it replaces);
        taking theirs drops the typed value and shows theirs; cancelling leaves the typed value
        in the editor (the row is not refreshed under it: that would overwrite the editor).
        """
        code = refused.request.indicator_code
        key = (code, refused.request.fiscal_year)
        if key in self.conflicts_open:
            # The editor committed again while the dialog for this very conflict is open (a real
            # window system moves the focus to the dialog): that dialog decides, once.
            return True
        self.conflicts_open.add(key)
        try:
            choice = self.ask_conflict(refused)
        finally:
            self.conflicts_open.discard(key)
        if choice == "mine":
            self.refresh_values({code})
            return self.submit(proxy_index, refused.request.text, comment)
        if choice == "theirs":
            self.refresh_values({code})
            # Say what is stored now, read back: not what the dialog showed a moment ago.
            year = refused.request.fiscal_year
            now = self.stored_text(code, year) or self.tr("（なし）")
            if self.stored_is(code, year, refused.check.parsed):
                said = self.tr("{0} にはすでに {1} が保存されています")
            else:
                said = self.tr("ほかの人が保存した値を使います: {0} = {1}")
            self.update_status(said.format(code, now))
            self.last_message = said.format(code, now)
            return True
        self.show_refusal(refused)
        return False

    def stored_is(self, code: str, year: int, typed: ParsedValue | None) -> bool:
        """Whether the grid holds exactly what was typed (a number or a missing reason)."""
        row = self.model.row_of(code)
        actual = None if row is None else self.model.rows[row].values.get(year)
        if typed is None or actual is None:
            return False
        return (actual.value, actual.missing_reason) == (typed.value, typed.missing_reason)

    def stored_text(self, code: str, year: int) -> str:
        """The value (or missing reason) the grid holds for one indicator and year."""
        row = self.model.row_of(code)
        if row is None:
            return ""
        actual = self.model.rows[row].values.get(year)
        if actual is None:
            return ""
        reason = None if actual.missing_reason is None else actual.missing_reason.value
        return self.shown_state(actual.text, reason)

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
                fresh = read_actuals(conn, self.session.generation_in(conn), indicator_codes=codes)
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

    def push(self, results: list[EntryResult], label: str, applied: Written | None = None) -> bool:
        """Write, then put the change on the undo stack; False if the database refused it.
        `applied`: the write is done already (the entry's one transaction)."""
        from kplan_desktop.domain.errors import DomainError

        command = EntryCommand(
            self.store,
            self.session.current_generation(),
            results,
            label,
            self._after_write,
            lambda exc: self._storage_failed(exc, history=True),
            applied=applied,
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
        """Ask what a refused value needs (the comment of a warned value, or mine-or-theirs
        when someone else changed it), then save; Cancel reopens the cell's editor with the
        typed text. True when the value was saved (or theirs was taken)."""
        from kplan_desktop.ui.comment_dialog import TypeAheadCatcher

        TypeAheadCatcher.stop_active()  # what it caught goes to the dialog (or nowhere: Esc)
        if not target.isValid():
            return False
        index = self.proxy.index(target.row(), target.column())
        self.grid.setCurrentIndex(index)
        after = self.next_cell(index, down=down)
        going = None
        if go_to is not None and go_to.isValid() and go_to != target:
            going = QPersistentModelIndex(
                self.proxy.mapToSource(self.proxy.index(go_to.row(), go_to.column()))
            )
        if refused.only_conflict:
            saved = self._resolve_conflict(index, refused, None)
        else:
            reason = self.ask_comment(refused)
            saved = bool(reason) and self.submit(index, text, reason)
        self.grid.setFocus()
        if saved:
            if going is not None and self.shown(going).isValid():
                self.grid.setCurrentIndex(self.shown(going))
            else:
                if self.proxy.index(target.row(), target.column()).isValid():
                    self.grid.setCurrentIndex(self.proxy.index(target.row(), target.column()))
                self.move_after_entry(down=down, after=after)
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
        where = quoted(request.text[:40], self.lang, f"{request.indicator_code} {when}")
        if step:
            where += "　" + step
        key = (request.indicator_code, request.fiscal_year)
        dialog = CommentDialog(
            warnings,
            refused.old[2],
            self.widget,
            where=where,
            draft=self.comment_drafts.get(key, ""),
            pasting=bool(step),
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

    def _after_write(self, results: list[EntryResult], fresh: list[ActualView] | None) -> None:
        """Show what was written: `fresh`, read in the write's own transaction (None: a refused
        write, whose indicators are read again here)."""
        from kplan_desktop.store.actuals import read_actuals

        codes = {r.request.indicator_code for r in results}
        by_code: dict[str, list[ActualView]] = {code: [] for code in codes}
        if fresh is None:
            with self.store.snapshot() as conn:
                fresh = read_actuals(conn, self.session.generation_in(conn), indicator_codes=codes)
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

    def next_cell(self, index: QModelIndex, *, down: bool) -> QPersistentModelIndex | None:
        """The cell Enter (down) or Tab moves to after `index`, as a model cell that stays
        right when the grid's filter drops the saved row; None on the last row."""
        if not index.isValid():
            return None
        if down:
            if index.row() >= self.proxy.rowCount() - 1:
                return None
            target = self.proxy.index(index.row() + 1, index.column())
        else:
            column = min(index.column() + 1, self.proxy.columnCount() - 1)
            target = self.proxy.index(index.row(), column)
        return QPersistentModelIndex(self.proxy.mapToSource(target))

    def shown(self, cell: QPersistentModelIndex) -> QModelIndex:
        """A model cell as the grid shows it (invalid when filtered out)."""
        if not cell.isValid():
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(cell.row(), cell.column()))

    def move_after_entry(self, *, down: bool, after: QPersistentModelIndex | None = None) -> None:
        if after is not None and self.shown(after).isValid():
            self.grid.setCurrentIndex(self.shown(after))
            return
        index = self.grid.currentIndex()
        if not index.isValid() and self.fiscal_year in self.model.years:
            # The saved row left the grid (未入力のみ) and it was the last: the first cell still
            # needing a value, never nowhere (typed text went nowhere).
            # (The filter hides rows, never columns.)
            first = self.proxy.index(0, self.model.column_of_year(self.fiscal_year))
            if first.isValid():
                self._after_last_row(first)
            return
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
        label = self.tr("消去した後の状態:")
        if self.clearing:
            label = self.clearing + "\n" + label
        choice, ok = QInputDialog.getItem(
            self.widget, self.tr("値を消去"), label, choices, 0, False
        )
        if not ok:
            return None
        position = choices.index(choice)
        return "" if position == 0 else list(MissingReason)[position - 1].label_ja

    def clear_current(self) -> None:
        """Delete: every selected cell that can be entered (not the current one only), after
        the question that names them; several cells are one undo step."""
        from kplan_desktop.store.actuals import write_actuals

        current = self.grid.currentIndex()
        chosen = self.grid.selectionModel().selectedIndexes() or [current]
        cells = sorted(
            (i for i in chosen if self.request_for(i, "", None) is not None),
            key=lambda i: (i.row(), i.column()),
        )
        if not cells:
            if current.isValid():  # as typing into it does: say why it takes no value
                self.status.setText("※ " + self.read_only_reason(current))
            return
        names = [self._cell_label(i) for i in cells]
        if len(cells) == 1:
            self.clearing = self.tr("{0} を消去します。").format(names[0])
        else:
            self.clearing = self.tr("選んだ {0} 個のセル（{1}）を消去します。").format(
                len(cells), "、".join(names[:3]) + ("…" if len(names) > 3 else "")
            )
        try:
            replacement = self.ask_missing_reason()
        finally:
            self.clearing = ""
        if replacement is None:
            return
        if len(cells) == 1:
            self.submit(cells[0], replacement)
            return
        requests = [r for r in (self.request_for(i, replacement, None) for i in cells) if r]
        with self.store.snapshot() as conn:
            results = write_actuals(
                conn,
                self.session.generation_in(conn),
                requests,
                who=current_user(),
                source=EntrySource.GUI,
                dry_run=True,
                all_or_nothing=False,
            )
        good = [r for r in results if r.outcome not in (Outcome.REFUSED, Outcome.UNCHANGED)]
        refused = [r for r in results if r.outcome is Outcome.REFUSED]
        if good:
            self.push(good, self.tr("消去（{0} 件）").format(len(good)))
        if refused:
            self.last_message = self.tr("{0} 個のセルは消去できませんでした: {1}").format(
                len(refused), " / ".join(f.message(self.lang) for f in refused[0].refused_because)
            )
            self.status.setText(f"{self.status.text()}　✖ {self.last_message}".strip("　"))

    def _cell_label(self, index: QModelIndex) -> str:
        """A cell as people name it: 7-1-1-K1 R7."""
        source = self.proxy.mapToSource(index)
        year = self.model.year_of_column(source.column())
        code = self.model.rows[source.row()].indicator.code
        if year is None:
            return code
        return f"{code} {year_text(year, self.lang, FiscalYearStyle.SHORT)}"

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
            if self.explain_no_undo(event):
                return True
            if self.explain_read_only(event):
                return True  # said why; the key does not jump the cursor to another row
        return super().eventFilter(watched, event)

    def explain_no_undo(self, event: QKeyEvent) -> bool:
        """Ctrl+Z (or Ctrl+Y) with nothing to undo (redo) reaches the grid, as the action is
        off: say why in the status bar rather than nothing (after 確定 the history ends)."""
        undo = event.matches(QKeySequence.StandardKey.Undo)
        redo = event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        )
        if not (undo and not self.undo_stack.canUndo()) and not (
            redo and not self.undo_stack.canRedo()
        ):
            return False
        from kplan_desktop.store.submissions import finalisation

        done = None
        if self.department is not None and not self.planning and self.is_loaded:
            with self.store.snapshot() as conn:
                done = finalisation(
                    conn, self.session.generation_in(conn), self.department, self.fiscal_year
                )
        year = year_text(self.fiscal_year, self.lang, FiscalYearStyle.ERA)
        if done is not None:
            text = self.tr(
                "{0}は確定済みのため、確定より前の入力は元に戻せません。"
                "値を直すときは「確定を取り消す」を押してから入力してください"
            ).format(year)
        elif undo:
            text = self.tr("元に戻せる操作はありません")
        else:
            text = self.tr("やり直せる操作はありません")
        self.last_message = text
        self.status.setText("ℹ " + text)
        return True

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
        self.status.setText("※ " + reason)
        return True

    def read_only_reason(self, index: QModelIndex) -> str:
        """Why a cell of the grid cannot be entered (typing, and a paste's report, say it)."""
        source = self.proxy.mapToSource(index)
        return read_only_reason(self.model, source.column(), self.fiscal_year, self.lang,
                                planning=self.planning)  # fmt: skip

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
            self.status.setText(self.why_no_comment(index))
            return
        self.submit(index, request.text, request.comment)

    def why_no_comment(self, index: QModelIndex) -> str:
        """Why a comment cannot be saved for this cell: it cannot be entered (another year,
        another 課: said as typing says it), or it has no value yet."""
        if index.isValid() and not index.flags() & Qt.ItemFlag.ItemIsEditable:
            return self.read_only_reason(index)
        return self.tr("コメントは入力済みのセルに付けられます")
