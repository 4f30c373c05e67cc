"""The yearly cycle in the window: a department sees the due date and what it still owes from
the moment the window opens; the planning division opens a year with its due date, follows
every department's status, and writes the list of departments still to submit."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import (
    FiscalYearStyle,
    days_past,
    entry_year,
    parse_date,
    proposed_due_date,
)
from kplan_desktop.store.cycle import PENDING, department_statuses, open_year, year_cycle
from kplan_desktop.store.requests import EntrySource, current_user
from kplan_desktop.store.years import lock_year, unlock_year
from kplan_desktop.ui.file_dialogs import save_file
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.models.cells import YearState, read_year_state

if TYPE_CHECKING:
    from kplan_desktop.store.cycle import DepartmentStatus, YearCycle
    from kplan_desktop.ui.host import Host


class OpenYearDialog(QDialog):
    """年度の入力受付を始める: the due date (or none), typed as digits or picked; it defaults to
    the end of the first quarter after the fiscal year while that is ahead, else a near date
    (domain.fiscal_year.proposed_due_date). A date already past is asked about first."""

    def __init__(
        self,
        year_label: str,
        due: date | None,
        parent: QWidget | None = None,
        *,
        fiscal_year: int | None = None,
        lang: str = "ja",
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.lang = lang
        self.today = today or date.today()
        self.setWindowTitle(self.tr("{0}の入力受付").format(year_label))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.windowTitle()) + 160)
        self.has_due = QCheckBox(self.tr("提出期限を設ける"))
        self.has_due.setChecked(True)
        year = fiscal_year if fiscal_year is not None else entry_year(self.today)
        start = due or proposed_due_date(year, self.today)
        self.due = QLineEdit(start.isoformat())
        self.due.setObjectName("due_date")
        self.due.setPlaceholderText(self.tr("例: 2026-06-30 または 20260630"))
        self.due.selectAll()
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setVisible(False)
        self.has_due.toggled.connect(self.due.setEnabled)
        form = QFormLayout(self)
        form.addRow(self.has_due)
        form.addRow(self.tr("提出期限"), self.due)
        form.addRow(self.message)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("受付を始める"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        """Accepted only with a date that reads as one (the message says why not), and a date
        already past only once the user said so."""
        if self.has_due.isChecked():
            try:
                due = parse_date(self.due.text())
            except DomainError as exc:
                self.message.setText(exc.message(self.lang))
                self.message.setVisible(True)
                self.due.setFocus()
                return
            late = days_past(due, self.today)
            if late and not self.confirm_past(due, late):
                self.message.setText(
                    self.tr("提出期限 {0} はすでに{1}日過ぎています").format(due.isoformat(), late)
                )
                self.message.setVisible(True)
                self.due.setFocus()
                self.due.selectAll()
                return
        super().accept()

    def confirm_past(self, due: date, late: int) -> bool:
        """Ask before a due date already past is set (No is the default)."""
        answer = QMessageBox.question(
            self,
            self.tr("提出期限が過ぎています"),
            self.tr(
                "提出期限 {0} はすでに{1}日過ぎています（今日は {2}）。"
                "この日付で入力受付を始めますか？"
            ).format(due.isoformat(), late, self.today.isoformat()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def due_date(self) -> date | None:
        if not self.has_due.isChecked():
            return None
        return parse_date(self.due.text())


class CycleStatusDialog(QDialog):
    """提出状況: every department's status for the year."""

    def __init__(self, cycle: CycleActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cycle = cycle
        window = cycle.window
        self.setWindowTitle(self.tr("提出状況（{0}）").format(cycle.year_label()))
        self.due = QLabel()
        self.due.setObjectName("cycle_due")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("cycle_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("課コード"), self.tr("課名"), self.tr("状況"), self.tr("入力済み／指標数")]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        open_button = QPushButton(self.tr("年度の入力受付を始める…"))
        open_button.clicked.connect(self.open_year)
        pending_button = QPushButton(self.tr("未提出の課を書き出す…"))
        pending_button.clicked.connect(lambda: self.cycle.write_pending())
        buttons = QDialogButtonBox()
        buttons.addButton(open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(pending_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.tr("閉じる"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.due)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self.lang = window.lang
        self.fill()

    def fill(self) -> None:
        cycle, rows = self.cycle.statuses()
        self.due.setText(self.cycle.due_text(cycle))
        self.table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            for column, text in enumerate(
                (
                    row.code,
                    row.name,
                    row.status.label(self.lang),
                    f"{row.entered}／{row.indicators}",
                )
            ):
                self.table.setItem(n, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def open_year(self) -> None:
        if self.cycle.open_year():
            self.fill()


class CycleActions(QObject):
    def __init__(self, window: Host) -> None:
        super().__init__(window.widget)
        self.window = window
        self.last_message = ""
        self.banner = QLabel()
        self.banner.setObjectName("due_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { background: #fff4e0; border: 1px solid #e0a040; border-radius: 3px;"
            " padding: 4px 8px; color: #5a3a00; }"
        )
        self.banner.hide()
        self.status_dialog: CycleStatusDialog | None = None

    def add_planning_actions(self, menu: QMenu) -> None:
        w = self.window
        menu.addAction(w.action(self.tr("提出状況…"), self.show_status, "Ctrl+Shift+S"))
        menu.addAction(w.action(self.tr("年度をロックする（締め切り）…"), self.lock_year))
        menu.addAction(w.action(self.tr("年度のロックを解除する…"), self.unlock_year))

    def lock_year(self, confirm: bool = True) -> bool:
        """年度ロック: the review is closed, every write to the year is refused (audited)."""

        w = self.window
        if w.store is None or not w.is_loaded:
            return False
        if confirm:
            answer = QMessageBox.question(
                w.widget,
                self.tr("年度をロックする"),
                self.tr(
                    "{0}をロックします。以後、この年度の値・施策評価の変更と取り込みはすべて"
                    "拒否されます（解除は理由とともに記録されます）。よろしいですか？"
                ).format(self.year_label()),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            with w.store.transaction() as conn:
                done = lock_year(
                    conn,
                    w.session.generation_in(conn),
                    w.fiscal_year,
                    current_user(),
                    source=EntrySource.GUI,
                )
        except DomainError as exc:
            self.last_message = exc.message(w.lang)
            QMessageBox.warning(w.widget, self.tr("ロックできません"), self.last_message)
            return False
        w.undo_stack.clear()  # undoing an edit of a locked year would be refused
        self.refresh()
        self.last_message = (
            self.tr("{0}をロックしました").format(self.year_label())
            if done
            else self.tr("{0}はすでにロックされています").format(self.year_label())
        )
        w.status.setText(self.last_message)
        return done

    def unlock_year(self, reason: str | None = None) -> bool:
        """Open a locked year again; the reason is required and audited."""

        w = self.window
        if w.store is None or not w.is_loaded:
            return False
        if reason is None:
            reason, ok = QInputDialog.getText(
                w.widget,
                self.tr("年度のロックを解除する"),
                self.tr("{0}のロックを解除する理由（記録されます）").format(self.year_label()),
            )
            if not ok:
                return False
        try:
            with w.store.transaction() as conn:
                done = unlock_year(
                    conn,
                    w.session.generation_in(conn),
                    w.fiscal_year,
                    current_user(),
                    reason,
                    source=EntrySource.GUI,
                )
        except DomainError as exc:
            self.last_message = exc.message(w.lang)
            QMessageBox.warning(w.widget, self.tr("ロックを解除できません"), self.last_message)
            return False
        self.refresh()
        self.last_message = (
            self.tr("{0}のロックを解除しました").format(self.year_label())
            if done
            else self.tr("{0}はロックされていません").format(self.year_label())
        )
        w.status.setText(self.last_message)
        return done

    def year_label(self) -> str:
        w = self.window
        return year_text(w.fiscal_year, w.lang, FiscalYearStyle.ERA_WITH_WESTERN)

    def due_text(self, cycle: YearCycle | None, today: date | None = None) -> str:
        if cycle is None:
            return self.tr("{0}の入力受付はまだ始まっていません").format(self.year_label())
        if cycle.due_date is None:
            return self.tr("{0}: 入力受付中（提出期限なし）").format(self.year_label())
        left = cycle.days_left(today or date.today())
        assert left is not None
        if left >= 0:
            when = self.tr("あと{0}日").format(left)
        else:
            when = self.tr("{0}日過ぎています").format(-left)
        return self.tr("{0}の提出期限: {1}（{2}）").format(
            self.year_label(), cycle.due_date.isoformat(), when
        )

    def refresh(self, state: YearState | None = None) -> None:
        """A department's banner: the due date and what it still owes (on every load), from
        `state` (read with the grid by the window's load), else read in one snapshot."""
        w = self.window
        if w.store is None:
            self.banner.hide()
            return
        department = None if w.planning else w.department
        if state is None:
            with w.store.snapshot() as conn:
                generation = w.session.generation_in(conn)
                state = read_year_state(conn, generation, department, w.fiscal_year)
        locked, cycle, items = state.locked, state.cycle, state.open_items
        # Cells of a locked year, and every cell of a read-only window, cannot be entered:
        # typing says why at once (the editor opened and only Enter refused).
        w.model.set_closed(read_only=w.store.read_only, locked_years=state.locked_years)
        if locked:
            text = self.tr(
                "{0}は締め切られています（年度ロック）。値・施策評価は変更できません"
            ).format(self.year_label())
            self.last_message = text
            self.banner.setText("■ " + text)  # no emoji: the CJK fonts draw them as boxes
            self.banner.show()
            return
        if cycle is None:
            self.banner.hide()
            return
        missing = sum(1 for item in items if item.missing)
        rest = len(items) - missing
        if items:
            owes = self.tr("残り: 未入力 {0} 件、エラー・説明のない警告 {1} 件").format(
                missing, rest
            )
        else:
            owes = self.tr("すべて入力済みです。確定して提出用ブックを書き出してください")
        text = f"{self.due_text(cycle)}　{owes}"
        self.last_message = text
        self.banner.setText("■ " + text)
        self.banner.show()

    def statuses(self) -> tuple[YearCycle | None, list[DepartmentStatus]]:
        w = self.window
        catalog = w.model.catalog
        assert w.store is not None and catalog is not None
        with w.store.snapshot() as conn:
            return year_cycle(
                conn, w.session.generation_in(conn), w.fiscal_year
            ), department_statuses(conn, w.session.generation_in(conn), catalog, w.fiscal_year)

    def show_status(self) -> None:
        w = self.window
        if not w.is_loaded or w.store is None or w.model.catalog is None:
            return
        self.status_dialog = CycleStatusDialog(self, w.widget)
        self.status_dialog.exec()
        self.status_dialog = None

    def open_year(self, due: date | bool | None = False) -> bool:
        """Open the window's year for entry; `due` given skips the dialog (False: ask)."""

        w = self.window
        assert w.store is not None and w.model.catalog is not None
        if due is False:
            with w.store.snapshot() as conn:
                current = year_cycle(conn, w.session.generation_in(conn), w.fiscal_year)
            dialog = OpenYearDialog(
                self.year_label(),
                None if current is None else current.due_date,
                w.widget,
                fiscal_year=w.fiscal_year,
                lang=w.lang,
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            due = dialog.due_date()
        assert due is None or isinstance(due, date)
        try:
            with w.store.transaction() as conn:
                cycle = open_year(
                    conn,
                    w.session.generation_in(conn),
                    w.model.catalog,
                    w.fiscal_year,
                    due,
                    who=current_user(),
                    source=EntrySource.GUI,
                )
        except DomainError as exc:
            self.last_message = exc.message(w.lang)
            QMessageBox.warning(w.widget, self.tr("受付を始められません"), self.last_message)
            return False
        self.last_message = self.due_text(cycle)
        w.status.setText(self.last_message)
        return True

    def write_pending(self, path: Path | None = None) -> bool:
        from kplan_desktop.exchange.cycle_xlsx import write_pending

        w = self.window
        if path is None:
            chosen = save_file(
                w.widget,
                self.tr("未提出の課の一覧の保存先"),
                str(w.folder() / self.tr("未提出の課.xlsx")),
                self.tr("Excel ブック (*.xlsx)"),
            )
            if not chosen:
                return False
            path = Path(chosen)
        cycle, rows = self.statuses()
        waiting = [r for r in rows if r.status in PENDING]
        try:
            write_pending(path, w.fiscal_year, cycle, waiting)
        except DomainError as exc:
            self.last_message = exc.message(w.lang)
            QMessageBox.critical(w.widget, self.tr("書き出せません"), self.last_message)
            return False
        self.last_message = self.tr("未提出の課 {0} 件を書き出しました: {1}").format(
            len(waiting), path
        )
        w.status.setText(self.last_message)
        return True
