"""The window's workbook exchange: 確定, the submission workbook, and the planning division's
merge, fill-in template and consolidated workbook. The library functions do the work; here
they are started from menus, run in a Job with a progress dialog, and their outcome is shown.
The exchange package is imported only when used."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QMimeData, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.store.requests import EntrySource, current_user
from kplan_desktop.store.submissions import (
    finalisation,
    finalise,
    open_items,
    withdraw_finalisation,
)
from kplan_desktop.ui.file_dialogs import open_files, save_file
from kplan_desktop.ui.generation_choice import closed_note
from kplan_desktop.ui.models.cells import YearState, read_year_state
from kplan_desktop.ui.workers import Cancelled, Job, Work, run_job

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kplan_desktop.domain.catalog import Catalog
    from kplan_desktop.store.submissions import Finalisation
    from kplan_desktop.ui.host import Host
    from kplan_desktop.ui.merge_preview import MergePreviewDialog
    from kplan_desktop.ui.merge_preview_model import MergedFile, PlannedFile
    from kplan_desktop.ui.merge_summary import MergeSummaryDialog


# More files than this in one drop is a folder dragged by mistake, not a batch of submissions.
MAX_MERGE_FILES = 200
# Characters Windows refuses in a file name (department names come from the catalog).
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def xlsx_paths(mime: QMimeData) -> list[Path]:
    """The local .xlsx files among dropped URLs."""
    if not mime.hasUrls():
        return []
    return [
        Path(url.toLocalFile())
        for url in mime.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".xlsx")
    ]


class OpenItemsDialog(QDialog):
    """Why 確定 was refused: every open item; double-click one to go to its indicator."""

    go_to = Signal(str)

    def __init__(self, items: list[str], year: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("確定できません"))
        layout = QVBoxLayout(self)
        self.message = QLabel(
            self.tr(
                "{0}はまだ確定できません。残っている項目が {1} 件あります。"
                "値を入力するか、未記入の理由・警告へのコメントを付けてから確定してください。"
            ).format(year, len(items))
        )
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.items = QListWidget()
        self.items.setObjectName("open_items")
        for line in items:
            self.items.addItem(QListWidgetItem(line))
        self.items.itemActivated.connect(self._activated)
        layout.addWidget(self.items, 1)
        layout.addWidget(QLabel(self.tr("ダブルクリックでその指標へ移動します")))
        # Qt's own button texts are not translated into Japanese: name the buttons here.
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("閉じる"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def lines(self) -> list[str]:
        return [self.items.item(n).text() for n in range(self.items.count())]

    def _activated(self, item: QListWidgetItem) -> None:
        self.go_to.emit(item.text().split(":", 1)[0].strip())
        self.accept()


class TemplateDialog(QDialog):
    """Which department and year the fill-in template is for."""

    def __init__(self, catalog: Catalog, fiscal_year: int, lang: str, parent: QWidget) -> None:
        super().__init__(parent)

        self.setWindowTitle(self.tr("記入用テンプレートを書き出す"))
        self.department_combo = QComboBox()
        for department in catalog.departments:
            if department.active:
                self.department_combo.addItem(
                    f"{department.name}（{department.code}）", department.code
                )
        self.year_combo = QComboBox()
        style = FiscalYearStyle.ENGLISH if lang == "en" else FiscalYearStyle.ERA_WITH_WESTERN
        for year in catalog.plan.settings.years:
            self.year_combo.addItem(format_fiscal_year(year, style), year)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(fiscal_year)))
        form = QFormLayout(self)
        form.addRow(
            QLabel(self.tr("このプログラムを使わない課に送る、記入用のブックを書き出します。"))
        )
        form.addRow(self.tr("担当課"), self.department_combo)
        form.addRow(self.tr("年度"), self.year_combo)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("保存先を選ぶ…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @property
    def department(self) -> str:
        return str(self.department_combo.currentData())

    @property
    def fiscal_year(self) -> int:
        return int(self.year_combo.currentData())


DROP_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


class ExchangeActions(QObject):
    """The exchange menus, the 確定 banner and button, and the jobs behind them."""

    # A job ended (written, failed or cancelled).
    job_ended = Signal()

    def __init__(self, window: Host) -> None:
        super().__init__(window.widget)
        self.window = window
        self.job: Job | None = None
        self.finalised: Finalisation | None = None
        self.open_items_dialog: OpenItemsDialog | None = None
        self.preview: MergePreviewDialog | None = None
        self.summary: MergeSummaryDialog | None = None
        self.template_dialog: TemplateDialog | None = None
        self.last_error = ""
        self.banner = QLabel()
        self.banner.setObjectName("finalised_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { background: #e3f0e3; border: 1px solid #7fae7f; border-radius: 3px;"
            " padding: 4px 8px; color: #1f4d1f; font-weight: bold; }"
        )
        self.banner.hide()
        self.finalise_button = QPushButton(self.tr("確定する"))
        self.finalise_button.setObjectName("finalise_button")
        self.finalise_button.clicked.connect(self.toggle_finalisation)
        self.finalise_button.setEnabled(False)
        self.finalise_action: QAction | None = None
        self.withdraw_action: QAction | None = None
        self.export_action: QAction | None = None
        self.merge_action: QAction | None = None
        self.template_action: QAction | None = None
        self.report_action: QAction | None = None

    # -- workbooks dropped on the window (the planning division) ----------------------------

    def dropped_workbooks(self, event: QDropEvent | QDragMoveEvent) -> list[Path]:
        if not self.window.planning:
            return []
        return xlsx_paths(event.mimeData())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Submission workbooks dragged onto the window are merged (nothing else is taken)."""
        kind = event.type()
        if watched is not self.window.widget or kind not in DROP_EVENTS:
            return super().eventFilter(watched, event)
        assert isinstance(event, QDragMoveEvent | QDropEvent)
        paths = self.dropped_workbooks(event)
        if not paths:
            event.ignore()
            return True
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            # Out of the drop handler first: Explorer waits for it to return before it moves on.
            QTimer.singleShot(0, self, lambda: self.merge_paths(paths))
        return True

    # -- menus -------------------------------------------------------------------------------

    def add_department_actions(self, menu: QMenu) -> None:
        """ファイル: 確定する, 確定を取り消す, 提出用ブックを書き出す (a department's window)."""
        w = self.window
        self.finalise_action = w.action(self.tr("確定する"), self.finalise)
        self.withdraw_action = w.action(self.tr("確定を取り消す"), self.withdraw)
        self.export_action = w.action(
            self.tr("提出用ブックを書き出す…"), self.export_submission, "Ctrl+E"
        )
        for action in (self.finalise_action, self.withdraw_action, self.export_action):
            menu.addAction(action)
        menu.addSeparator()
        self._update_state()

    def add_planning_actions(self, menu: QMenu) -> None:
        """集約: 取り込む, テンプレート, 集約ブック (the planning division's window)."""
        w = self.window
        self.merge_action = w.action(self.tr("提出ブックを取り込む…"), self.merge, "Ctrl+I")
        self.template_action = w.action(
            self.tr("記入用テンプレートを書き出す…"), self.export_template, "Ctrl+T"
        )
        self.report_action = w.action(
            self.tr("集約ブックを作成…"), self.write_report, "Ctrl+Shift+E"
        )
        menu.addSeparator()
        for action in (self.merge_action, self.template_action, self.report_action):
            menu.addAction(action)
        self._update_state()

    def _ready(self) -> bool:
        return self.window.is_loaded and self.window.store is not None and self.job is None

    def _update_state(self) -> None:
        ready = self._ready()
        done = self.finalised is not None
        exports = (self.export_action, self.merge_action, self.template_action, self.report_action)
        for action in exports:  # a closed plan's finalised data is still exported
            if action is not None:
                action.setEnabled(ready)
        closed = self.window.model.closed  # a closed plan's years stay as they were closed
        for action, can in ((self.finalise_action, not done), (self.withdraw_action, done)):
            if action is not None:
                action.setEnabled(ready and can and not closed)
        self.finalise_button.setEnabled(ready and not closed)
        self.finalise_button.setText(self.tr("確定を取り消す") if done else self.tr("確定する"))
        tip = self.tr("この年度の値を確定します（確定後は値を変更できません）")
        self.finalise_button.setToolTip(closed_note() if closed else tip)

    # -- 確定 --------------------------------------------------------------------------------

    def _year_text(self, year: int | None = None) -> str:
        style = FiscalYearStyle.ENGLISH if self.window.lang == "en" else FiscalYearStyle.ERA
        return format_fiscal_year(year or self.window.fiscal_year, style)

    def refresh(self, state: YearState | None = None) -> None:
        """Whether the department's year is finalised: from `state` (read with the grid by the
        window's load), else read again."""
        w = self.window
        if not w.planning and w.department and w.store is not None:
            if state is None:
                with w.store.snapshot() as conn:
                    state = read_year_state(
                        conn, w.session.generation_in(conn), w.department, w.fiscal_year
                    )
            self.finalised = state.finalised
        self._show_finalised()

    def _show_finalised(self) -> None:
        w = self.window
        done = self.finalised
        # A finalised year's cells are read-only in the grid: typing says so at once (it opened
        # the editor and only Enter refused, in the western year).
        w.model.set_finalised(done is not None)
        if done is None:
            self.banner.hide()
        else:
            when = done.finalised_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.banner.setText(
                "✓ "
                + self.tr(
                    "{0}は確定済み（{1}、{2}）。値を変更するには「確定を取り消す」を押してください。"
                ).format(self._year_text(), done.finalised_by, when)
            )
            self.banner.show()
        self._update_state()

    def toggle_finalisation(self) -> None:
        if self.finalised is None:
            self.finalise()
        else:
            self.withdraw()

    def finalise(self) -> bool:
        """確定: True when the year is (now) finalised; open items are listed in one dialog."""
        w = self.window
        department = w.department
        if department is None or not self._ready():
            return False

        def work(conn: Connection, key: str) -> Finalisation | None:
            # Finalised and read back in one transaction: the banner shows what was written.
            generation = w.session.generation_in(conn)
            finalise(
                conn,
                generation,
                department,
                w.fiscal_year,
                who=current_user(),
                source=EntrySource.GUI,
                request_key=key,
            )
            return finalisation(conn, generation, department, w.fiscal_year)

        try:
            self.finalised = w.store.write(work)
        except DomainError as exc:
            if exc.code == "E_NOT_COMPLETE":
                with w.store.snapshot() as conn:
                    self._show_open_items(
                        [
                            i.text(w.lang)
                            for i in open_items(
                                conn, w.session.generation_in(conn), department, w.fiscal_year
                            )
                        ]
                    )
            else:
                self._error(self.tr("確定できません"), exc.message(w.lang))
            return False
        # Undoing an edit would now be refused by the store: 確定 is where undo history ends.
        w.undo_stack.clear()
        # A paste's refusals are over with it: no red mark on a finalised year's cells.
        w.model.mark({})
        self._show_finalised()
        w.status.setText(self.tr("{0}を確定しました").format(self._year_text()))
        return True

    def withdraw(self) -> bool:
        """確定を取り消す, after a confirmation; True when withdrawn."""
        w = self.window
        department = w.department
        if department is None or not self._ready():
            return False
        answer = self.ask(
            self.tr("確定を取り消す"),
            self.tr(
                "{0}の確定を取り消します。値を変更できるようになります。"
                "提出済みの場合は、変更後にもう一度確定して提出し直してください。"
            ).format(self._year_text()),
            [("withdraw", self.tr("確定を取り消す")), ("cancel", self.tr("キャンセル"))],
            default=1,
        )
        if answer != "withdraw":
            return False

        def work(conn: Connection, key: str) -> Finalisation | None:
            generation = w.session.generation_in(conn)
            withdraw_finalisation(
                conn,
                generation,
                department,
                w.fiscal_year,
                who=current_user(),
                source=EntrySource.GUI,
                request_key=key,
            )
            return finalisation(conn, generation, department, w.fiscal_year)

        self.finalised = w.store.write(work)
        self._show_finalised()
        w.status.setText(self.tr("{0}の確定を取り消しました").format(self._year_text()))
        return True

    def _show_open_items(self, items: list[str]) -> None:
        dialog = OpenItemsDialog(items, self._year_text(), self.window.widget)
        dialog.go_to.connect(self.window.go_to_indicator)
        self.open_items_dialog = dialog
        dialog.open()

    # -- the department's submission ---------------------------------------------------------

    def export_submission(self) -> None:
        """Ask about an unfinalised year first, then choose the file, then write it."""
        w = self.window
        if w.department is None or not self._ready():
            return
        draft = False
        if self.finalised is None:
            closed = w.model.closed  # a closed plan cannot be finalised: not offered
            answer = self.ask(
                self.tr("提出用ブックを書き出す"),
                self.tr(
                    "{0}はまだ確定していません。確定してから書き出しますか、"
                    "下書きとして書き出しますか？（下書きは全シートに「下書き」と表示されます）"
                ).format(self._year_text())
                + ("\n" + closed_note() if closed else ""),
                [
                    *([] if closed else [("finalise", self.tr("確定してから書き出す"))]),
                    ("draft", self.tr("下書きとして書き出す")),
                    ("cancel", self.tr("キャンセル")),
                ],
                default=0 if closed else 1,  # Return never finalises: a deliberate click
            )
            if answer == "cancel":
                return
            if answer == "finalise" and not self.finalise():
                return
            draft = answer == "draft"
        dept_name = self._department_name(w.department)
        name = self.tr("提出_{0}_{1}.xlsx").format(dept_name, self._short())
        if draft:
            name = name[: -len(".xlsx")] + self.tr("_下書き") + ".xlsx"
        path = self.save_path(self.tr("提出用ブックの保存先"), name)
        if path is None:
            return
        store, department, year = w.store, w.department, w.fiscal_year
        generation = w.session.current_generation()  # the plan shown: the file names it

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            from kplan_desktop.exchange.export import export_submission

            return export_submission(
                store,
                department,
                year,
                path,
                generation=generation,
                draft=draft,
                progress=progress,
                cancelled=cancelled,
                who=current_user(),
                source=EntrySource.GUI,
            )

        def done(header: Any) -> None:
            if header is None:
                self._cancelled()
                return
            text = self.tr("提出用ブックを書き出しました（{0} 行）: {1}").format(
                header.row_count, path
            )
            if header.draft:
                text = self.tr("下書きの") + text
            w.status.setText(text)

        self.start(self.tr("提出用ブックを書き出しています…"), work, done, path)

    # -- the planning division ---------------------------------------------------------------

    def merge(self) -> None:
        """Choose one or more submission workbooks (or templates) and preview their merge."""
        if not self.window.planning or not self._ready():
            return
        chosen = open_files(
            self.window.widget,
            self.tr("取り込む提出ブックを選ぶ"),
            str(self.folder()),
            self.tr("Excel ブック (*.xlsx)"),
        )
        if chosen:
            self._remember(Path(chosen[0]).parent)
            self.merge_paths([Path(p) for p in chosen])

    def merge_paths(self, paths: list[Path], *, accept_unsigned: bool = False) -> None:
        """Read and plan every file in a worker, then open the preview (nothing written yet).

        `accept_unsigned`: the planning division confirmed, in the preview, that it accepts
        files no registered key vouches for (every differing value is then a conflict)."""
        w = self.window
        if not w.planning or not self._ready() or not paths:
            return
        unique = list(dict.fromkeys(p.resolve() for p in paths))[:MAX_MERGE_FILES]
        store = w.store

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            from kplan_desktop.exchange.merge import merge_context, plan_merge, planning_batch
            from kplan_desktop.ui.merge_preview_model import PlannedFile

            files: list[PlannedFile] = []
            scale = 1000
            try:
                context = merge_context(store)
            except DomainError as exc:
                return [PlannedFile(path, None, exc) for path in unique]
            with planning_batch():  # the preview keeps every file's plan
                for n, path in enumerate(unique):

                    def step(done: int, total: int, n: int = n) -> None:
                        part = done * scale // total if total else 0
                        progress(n * scale + part, len(unique) * scale)

                    try:
                        plan = plan_merge(
                            store,
                            path,
                            context=context,
                            progress=step,
                            cancelled=cancelled,
                            accept_unsigned=accept_unsigned,
                        )
                    except DomainError as exc:
                        files.append(PlannedFile(path, None, exc))
                    else:
                        files.append(PlannedFile(path, plan))
                    if cancelled():
                        return None
            return files

        self.start(
            self.tr("提出ブックを読み込んでいます（{0} ファイル）…").format(len(unique)),
            work,
            lambda files: self._planned(files, accept_unsigned),
        )

    def _planned(self, files: list[PlannedFile] | None, accept_unsigned: bool = False) -> None:
        from kplan_desktop.ui.merge_preview import MergePreviewDialog

        if files is None:
            self._cancelled()
            return
        w = self.window
        dialog = MergePreviewDialog(
            files,
            catalog=w.model.catalog,
            lang=w.lang,
            parent=w.widget,
            accept_unsigned=accept_unsigned,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self._apply(dialog))

        def cancelled() -> None:
            w.status.setText(self.tr("取り込みをやめました（何も書き込んでいません）"))

        def replan() -> None:
            dialog.rejected.disconnect(cancelled)
            dialog.reject()
            self.merge_paths([f.path for f in files], accept_unsigned=True)

        dialog.rejected.connect(cancelled)
        dialog.accept_unsigned_requested.connect(replan)
        self.preview = dialog
        dialog.open()

    def _apply(self, dialog: MergePreviewDialog) -> None:
        """取り込む: apply_merge per file, each in its own transaction."""
        w = self.window
        chosen = dialog.to_apply()
        refused = list(dialog.files)  # the summary names every file, in this order
        accept_valid = dialog.accept_valid
        accept_warnings = dialog.accept_warnings
        store, who = w.store, current_user()

        def work(progress: Callable[[int, int], None], _cancelled: Callable[[], bool]) -> Any:
            from kplan_desktop.exchange.merge import apply_merge
            from kplan_desktop.store.backup import backup_before
            from kplan_desktop.ui.merge_preview_model import MergedFile

            backup_before(store, "merge")
            merged: list[MergedFile] = []
            for n, (file, take, undecided) in enumerate(chosen):
                assert file.plan is not None
                try:
                    report = apply_merge(
                        store,
                        file.plan,
                        who=who,
                        accept_valid=accept_valid,
                        accept_warnings=accept_warnings,
                        take=take,
                    )
                except DomainError as exc:
                    merged.append(MergedFile(file.path, None, exc))
                else:
                    merged.append(MergedFile(file.path, report, None, undecided))
                progress(n + 1, len(chosen))
            return merged

        self.start(
            self.tr("取り込んでいます…"),
            work,
            lambda merged: self._merged(merged, refused),
            cancellable=False,
        )

    def _merged(self, merged: list[MergedFile], files: list[PlannedFile]) -> None:
        from kplan_desktop.ui.merge_summary import MergeSummaryDialog

        w = self.window
        summary = MergeSummaryDialog(merged, files, lang=w.lang, parent=w.widget)
        self.summary = summary
        written = sum(1 for m in merged if m.report is not None and m.report.written)
        message = self.tr("{0} ファイルを取り込みました").format(written)

        # The reloaded grid rewrites the status line: the message goes in front of its counts.
        w.reload(then=lambda: w.update_status(message))
        w.status.setText(message)
        summary.open()

    def export_template(self) -> None:
        """Choose the department and year, then the file, then write the fill-in template."""
        w = self.window
        if not w.planning or not self._ready() or w.model.catalog is None:
            return
        dialog = TemplateDialog(w.model.catalog, w.fiscal_year, w.lang, w.widget)
        dialog.accepted.connect(lambda: self.write_template(dialog.department, dialog.fiscal_year))
        self.template_dialog = dialog
        dialog.open()

    def write_template(self, department: str, fiscal_year: int) -> None:
        name = self.tr("記入用_{0}_{1}.xlsx").format(
            self._department_name(department), self._short(fiscal_year)
        )
        path = self.save_path(self.tr("記入用テンプレートの保存先"), name)
        if path is None:
            return
        store = self.window.store
        generation = self.window.session.current_generation()  # the plan shown

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            from kplan_desktop.exchange.export import export_template

            return export_template(
                store, department, fiscal_year, path, generation=generation,
                progress=progress, cancelled=cancelled,
            )  # fmt: skip

        def done(written: Any) -> None:
            if not written:
                self._cancelled()
                return
            self.window.status.setText(
                self.tr("記入用テンプレートを書き出しました: {0}").format(path)
            )

        self.start(self.tr("記入用テンプレートを書き出しています…"), work, done, path)

    def write_report(self) -> None:
        """The consolidated workbook of the window's fiscal year."""
        w = self.window
        if not w.planning or not self._ready():
            return
        path = self.save_path(
            self.tr("集約ブックの保存先"), self.tr("集約_{0}.xlsx").format(self._short())
        )
        if path is None:
            return
        store, year = w.store, w.fiscal_year

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            from kplan_desktop.exchange.report import write_consolidated

            return write_consolidated(
                store, path, year, who=current_user(), progress=progress, cancelled=cancelled
            )

        def done(graded: Any) -> None:
            if graded is None:
                self._cancelled()
                return
            w.status.setText(
                self.tr("集約ブックを作成しました（{0}）: {1}").format(
                    self._year_text(graded), path
                )
            )

        self.start(self.tr("集約ブックを作成しています…"), work, done, path)

    # -- shared ------------------------------------------------------------------------------

    def start(
        self,
        label: str,
        work: Work,
        done: Callable[[Any], None],
        target: Path | None = None,
        *,
        cancellable: bool = True,
    ) -> None:
        if self.job is not None:
            return

        def ended(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                self.job = None
                self._update_state()
                try:
                    handler(value)
                finally:
                    self.job_ended.emit()

            return call

        self.job = run_job(
            self.window.widget,
            label,
            work,
            ended(done),
            ended(lambda exc: self._failed(exc, target)),
            cancellable=cancellable,
        )
        self._update_state()

    def _failed(self, exc: BaseException, target: Path | None) -> None:
        from kplan_desktop.exchange.workbook_reader import Cancelled as ReadCancelled

        if isinstance(exc, ReadCancelled | Cancelled):
            self._cancelled()
            return
        if isinstance(exc, DomainError):
            message = exc.message(self.window.lang)
        elif isinstance(exc, PermissionError):
            message = self.tr(
                "ファイルに書き込めません。Excel などで開いている場合は閉じてから、"
                "もう一度お試しください。\n{0}"
            ).format(target or exc.filename)
        elif isinstance(exc, OSError):
            message = self.tr("ファイルを読み書きできません: {0}").format(exc.strerror or exc)
        else:
            message = str(exc)
        self._error(self.tr("処理できませんでした"), message)

    def _cancelled(self) -> None:
        self.window.status.setText(self.tr("キャンセルしました（何も書き込んでいません）"))

    def _error(self, title: str, message: str) -> None:
        self.last_error = message
        self.window.status.setText("✖ " + message.splitlines()[0])
        QMessageBox.critical(self.window.widget, title, message)

    def ask(
        self, title: str, text: str, choices: list[tuple[str, str]], *, default: int = 0
    ) -> str:
        """A question with one button per choice; the last choice is Cancel (and Esc)."""
        box = QMessageBox(self.window.widget)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        buttons: dict[object, str] = {}
        for n, (key, label) in enumerate(choices):
            if n == len(choices) - 1:
                role = QMessageBox.ButtonRole.RejectRole
            elif n == 0:
                role = QMessageBox.ButtonRole.AcceptRole
            else:
                role = QMessageBox.ButtonRole.ActionRole
            button = box.addButton(label, role)
            buttons[button] = key
            if n == default:
                box.setDefaultButton(button)
        box.exec()
        return buttons.get(box.clickedButton(), choices[-1][0])

    def save_path(self, title: str, name: str) -> Path | None:
        """A save dialog in the last used folder (else Documents); the folder is remembered."""
        chosen = save_file(
            self.window.widget, title, str(self.folder() / name), self.tr("Excel ブック (*.xlsx)")
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        self._remember(path.parent)
        return path

    def folder(self) -> Path:
        settings = self.window.settings
        remembered = settings.last_folder if settings is not None else None
        if remembered is not None:
            return remembered
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def _remember(self, folder: Path) -> None:
        if self.window.settings is not None:
            self.window.settings.save_last_folder(folder)

    def _department_name(self, code: str) -> str:
        catalog = self.window.model.catalog
        names = {} if catalog is None else {d.code: d.name for d in catalog.departments}
        return _UNSAFE_NAME.sub("_", names.get(code, code))[:60]

    def _short(self, year: int | None = None) -> str:
        style = FiscalYearStyle.ENGLISH if self.window.lang == "en" else FiscalYearStyle.SHORT
        return format_fiscal_year(year or self.window.fiscal_year, style)
