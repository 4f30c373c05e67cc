"""The merge preview: every row of the chosen files with the outcome the merge would give it.

The rows and their outcomes come from `exchange.merge.plan_merge`; the only state kept here is
the planning division's choice for each conflict, handed to `apply_merge` as `take`."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.exchange.merge import Key, MergePlan, Take
from kplan_desktop.exchange.payload import RowOutcome
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.merge_preview_model import (
    CHOICE,
    REASON,
    UNSIGNED,
    ChoiceDelegate,
    MergePreviewModel,
    PlannedFile,
    PreviewFilter,
)

Index = QModelIndex | QPersistentModelIndex


class MergePreviewDialog(QDialog):
    """What 取り込む would do with every row of every chosen file; nothing is written here."""

    # The planning division confirmed it accepts files whose signature vouches for nothing:
    # the files are planned again with accept_unsigned (exchange.merge._check_signature).
    accept_unsigned_requested = Signal()

    def __init__(
        self,
        files: list[PlannedFile],
        *,
        catalog: Catalog | None,
        lang: str,
        parent: QWidget | None = None,
        accept_unsigned: bool = False,
    ) -> None:
        super().__init__(parent)
        self.files = files
        self.accepted_unsigned = accept_unsigned
        self.catalog = catalog
        self.lang = lang
        self.setWindowTitle(self.tr("提出ブックの取り込み — 確認"))
        self.model = MergePreviewModel(files, catalog, lang)
        self.proxy = PreviewFilter()
        self.proxy.setSourceModel(self.model)

        self.notes = QTextBrowser()
        self.notes.setObjectName("merge_notes")
        self.notes.setHtml(self._notes_html())

        self.table = QTableView()
        self.table.setObjectName("merge_rows")
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(CHOICE, ChoiceDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.CurrentChanged
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(REASON, min(max(self.table.columnWidth(REASON), 160), 380))
        self.table.setColumnWidth(CHOICE, max(self.table.columnWidth(CHOICE), 200))

        self.hide_unchanged = QCheckBox(self.tr("変更なしの行を隠す"))
        self.hide_unchanged.toggled.connect(self.proxy.set_hide_unchanged)
        self.take_file_button = QPushButton(self.tr("選んだ競合: ファイルの値を採る"))
        self.take_file_button.clicked.connect(lambda: self._choose_selected("file"))
        self.keep_db_button = QPushButton(self.tr("選んだ競合: データベースの値を残す"))
        self.keep_db_button.clicked.connect(lambda: self._choose_selected("db"))
        has_conflicts = any(row.outcome is RowOutcome.CONFLICT for _, row in self.model.lines)
        for button in (self.take_file_button, self.keep_db_button):
            button.setEnabled(has_conflicts)
        tools = QHBoxLayout()
        tools.addWidget(self.hide_unchanged)
        tools.addStretch(1)
        tools.addWidget(self.take_file_button)
        tools.addWidget(self.keep_db_button)

        self.accept_valid_box = QCheckBox(self.tr("有効な行だけ取り込む"))
        self.accept_valid_box.setToolTip(
            self.tr(
                "却下された行があるファイルは、ふだんは何も書き込みません。"
                "チェックすると、そのファイルの有効な行だけを書き込みます。"
            )
        )
        self.accept_valid_box.toggled.connect(self._update_footer)
        self.accept_warnings_box = QCheckBox(
            self.tr("コメントのない警告を承知で取り込む（未説明の警告として残す）")
        )
        self.accept_warnings_box.setObjectName("accept_warnings")
        self.accept_warnings_box.setToolTip(
            self.tr(
                "入力画面ならコメントを求める警告（桁違い、前年からの大きな変化など）があり、"
                "ファイルにコメントがない行があると、そのファイルは何も書き込みません。"
                "チェックすると、値をそのまま書き込み、未説明の警告として残します。"
            )
        )
        self.accept_warnings_box.setEnabled(self.model.warned_rows() > 0)
        self.accept_warnings_box.toggled.connect(self._update_footer)
        self.footer = QLabel()
        self.footer.setWordWrap(True)
        self.model.choices_changed.connect(self._update_footer)

        buttons = QDialogButtonBox()
        self.merge_button = buttons.addButton(
            self.tr("取り込む"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = buttons.addButton(
            self.tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.merge_button.setEnabled(any(f.plan is not None for f in files))
        self.cancel_button.setDefault(not self.merge_button.isEnabled())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        # The notes of every file over the rows, in a splitter: the notes get the height they
        # need to be read without scrolling (up to most of the dialog), the rows the rest.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("merge_splitter")
        self.splitter.setChildrenCollapsible(False)
        rows_area = QWidget()
        rows_layout = QVBoxLayout(rows_area)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_layout.addLayout(tools)
        rows_layout.addWidget(self.table, 1)
        self.splitter.addWidget(self.notes)
        self.splitter.addWidget(rows_area)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        options = QHBoxLayout()
        options.addWidget(self.accept_valid_box)
        options.addWidget(self.accept_warnings_box)
        options.addStretch(1)
        layout.addLayout(options)
        layout.addWidget(self._unsigned_box())
        layout.addWidget(self.footer)
        layout.addWidget(buttons)
        self._update_footer()
        self.resize(1240, 680)
        self._grow_for_notes()
        self.fit_notes()

    def _grow_for_notes(self) -> None:
        """Taller than the usual 680 px when the notes need it, as far as the screen allows."""
        screen = self.screen()
        room = 680 if screen is None else screen.availableGeometry().height() - 40
        wanted = 680 + max(0, self.notes_height() - 150)
        self.resize(1240, max(680, min(wanted, room)))

    def notes_height(self) -> int:
        """The height that shows every file's notes at the notes' current width."""
        document = self.notes.document().clone()
        width = self.notes.viewport().width() or self.width() - 40
        document.setTextWidth(width)
        frame = self.notes.frameWidth() * 2
        return int(document.size().height()) + frame + 8

    def fit_notes(self) -> None:
        """Give the notes what they need (at most three quarters of the splitter)."""
        total = max(self.splitter.height(), self.height() - 160)
        wanted = min(self.notes_height(), int(total * 0.75))
        self.splitter.setSizes([wanted, max(total - wanted, 120)])

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.fit_notes()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit_notes()

    @property
    def accept_valid(self) -> bool:
        return self.accept_valid_box.isChecked()

    def unsigned_files(self) -> list[PlannedFile]:
        """Files refused because no registered key vouches for them (signature policy)."""
        return [f for f in self.files if f.error is not None and f.error.code in UNSIGNED]

    def _unsigned_box(self) -> QCheckBox:
        self.accept_unsigned_box = QCheckBox(
            self.tr("署名で確認できないファイルも受け入れる（データベースと違う値はすべて競合）")
        )
        self.accept_unsigned_box.setObjectName("accept_unsigned")
        self.accept_unsigned_box.setChecked(self.accepted_unsigned)
        self.accept_unsigned_box.setEnabled(not self.accepted_unsigned)
        self.accept_unsigned_box.setVisible(self.accepted_unsigned or bool(self.unsigned_files()))
        self.accept_unsigned_box.toggled.connect(self._confirm_unsigned)
        return self.accept_unsigned_box

    def _confirm_unsigned(self, checked: bool) -> None:
        if not checked or self.accepted_unsigned:
            return
        names = "\n".join(f"・{f.path.name}" for f in self.unsigned_files())
        answer = QMessageBox.warning(
            self,
            self.tr("署名で確認できないファイル"),
            self.tr(
                "次のファイルは、登録された鍵の署名で確認できません（署名がない・一致しない・"
                "登録されていない端末から）:\n{0}\n\n受け入れると、ファイルの版の情報は"
                "信用せず、データベースと違う値はすべて競合になります（上書きしません）。"
                "課に確かめたうえで受け入れますか？"
            ).format(names),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.accept_unsigned_box.blockSignals(True)
            self.accept_unsigned_box.setChecked(False)
            self.accept_unsigned_box.blockSignals(False)
            return
        self.accept_unsigned_requested.emit()

    @property
    def accept_warnings(self) -> bool:
        return self.accept_warnings_box.isChecked()

    def to_apply(self) -> list[tuple[PlannedFile, dict[Key, Take], int]]:
        """Each readable file with its conflict choices and how many it leaves undecided."""
        return [
            (file, self.model.take(n), self.model.undecided(n))
            for n, file in enumerate(self.files)
            if file.plan is not None
        ]

    def _choose_selected(self, choice: str) -> None:
        rows = self.table.selectionModel().selectedRows()
        lines = [self.proxy.mapToSource(index).row() for index in rows]
        self.model.choose(lines, choice)

    def _kind_text(self, kind: str) -> str:
        texts = {
            "submission": self.tr("提出ブック"),
            "resaved": self.tr("提出ブック（別のソフトで保存）"),
            "edited": self.tr("提出ブック（プログラムの外で編集）"),
            "template": self.tr("記入用テンプレート"),
        }
        return texts.get(kind, kind)

    def _counts(self, plan: MergePlan) -> str:
        return "・".join(
            f"{self.model.outcome_text(outcome)} {plan.count(outcome)}" for outcome in RowOutcome
        )

    def _notes_html(self) -> str:
        """Every file's notes, compact enough to be read without scrolling: one paragraph per
        file, and the notes every file shares said once, at the top."""
        e = html.escape
        english = self.lang == "en"
        known = [] if self.catalog is None else self.catalog.departments
        departments = {d.code: d.name for d in known}
        plans = [f.plan for f in self.files if f.plan is not None]
        notes_of = [p.notes_en if english else p.notes_ja for p in plans]
        shared = [n for n in notes_of[0] if all(n in other for other in notes_of)] if plans else []
        if len(plans) < 2:
            shared = []
        tight = "margin-top:0; margin-bottom:4px"
        parts: list[str] = []
        if shared:
            head = e(self.tr("すべてのファイル"))
            parts.append(
                f"<p style='{tight}'>{head}: " + "　".join(f"※ {e(n)}" for n in shared) + "</p>"
            )
        for file in self.files:
            plan = file.plan
            if plan is None:
                assert file.error is not None
                message = file.error.message(self.lang)
                refused = self.tr("読み込めません（このファイルは取り込みません）")
                parts.append(
                    f"<p style='color:#b00020; {tight}'>■ <b>{e(file.path.name)}</b> — "
                    f"✖ {e(refused)}<br>{e(message)}</p>"
                )
                continue
            book = plan.workbook
            year = year_text(book.fiscal_year, self.lang)
            department = departments.get(book.department, book.department)
            head = f"{self._kind_text(plan.kind)}　{department}　{year}"
            notes = [n for n in (plan.notes_en if english else plan.notes_ja) if n not in shared]
            lines = "".join(f"<br>　※ {e(n)}" for n in notes)
            parts.append(
                f"<p style='{tight}'>■ <b>{e(plan.path.name)}</b> — {e(head)}　"
                f"{e(self._counts(plan))}{lines}</p>"
            )
        overlap = self._overlapping_keys()
        if overlap:
            parts.append(
                f"<p style='{tight}'>※ "
                + e(
                    self.tr(
                        "同じ指標・年度の行を含むファイルが複数あります（{0} 件）。"
                        "先のファイルを書き込んだあと、後のファイルは書き込めないことがあります。"
                        "その場合はもう一度取り込んでください。"
                    ).format(len(overlap))
                )
                + "</p>"
            )
        return "".join(parts)

    def _overlapping_keys(self) -> set[Key]:
        seen: set[Key] = set()
        twice: set[Key] = set()
        for file in self.files:
            if file.plan is None:
                continue
            keys = {
                row.key
                for row in file.plan.rows
                if row.key is not None and row.outcome is not RowOutcome.REJECTED
            }
            twice |= keys & seen
            seen |= keys
        return twice

    def _size_text(self) -> str:
        """How many files and rows; refused files are named as such, never as "0 行"."""
        files, rows = len(self.files), len(self.model.lines)
        refused = sum(1 for f in self.files if f.plan is None)
        if not refused:
            return self.tr("{0} ファイル、{1} 行").format(files, rows)
        if refused == files:
            return self.tr("{0} ファイル（{1} 件は取り込めません）").format(files, refused)
        return self.tr("{0} ファイル（{1} 件は取り込めません）、{2} 行").format(
            files, refused, rows
        )

    def _update_footer(self) -> None:
        undecided = sum(self.model.undecided(n) for n in range(len(self.files)))
        conflicts = sum(1 for _, row in self.model.lines if row.outcome is RowOutcome.CONFLICT)
        with_rejected = [
            f for f in self.files if f.plan is not None and f.plan.count(RowOutcome.REJECTED)
        ]
        lines = [self._size_text()]
        if conflicts:
            lines.append(
                self.tr("競合 {0} 件のうち未決定 {1} 件（未決定の行は書き込みません）").format(
                    conflicts, undecided
                )
            )
        if with_rejected and not self.accept_valid:
            lines.append(
                self.tr(
                    "⚠ 却下された行のあるファイル {0} 件は何も書き込みません"
                    "（「有効な行だけ取り込む」で有効な行を書き込めます）"
                ).format(len(with_rejected))
            )
        warned = [n for n in range(len(self.files)) if self.model.warned_rows(n)]
        if warned and not self.accept_warnings:
            lines.append(
                self.tr(
                    "⚠ コメントのない警告がある行 {0} 件: そのファイル {1} 件は何も書き込みません"
                    "（「コメントのない警告を承知で取り込む」で書き込めます）"
                ).format(self.model.warned_rows(), len(warned))
            )
        self.footer.setText("　".join(lines))
