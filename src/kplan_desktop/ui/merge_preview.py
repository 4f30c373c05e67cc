"""The merge preview: every row of the chosen files with the outcome the merge would give it.

The rows and their outcomes come from `exchange.merge.plan_merge`; the only state kept here is
the planning division's choice for each conflict, handed to `apply_merge` as `take`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.validation import Finding
from kplan_desktop.exchange.evaluation_exchange import PlannedEvaluation
from kplan_desktop.exchange.merge import Key, MergePlan, PlannedRow, Take
from kplan_desktop.exchange.payload import MergeReport, RowOutcome
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.models.filtering import change_filter

Index = QModelIndex | QPersistentModelIndex

OUTCOME_ROLE = Qt.ItemDataRole.UserRole + 1
WARNING_COLOUR = "#fff0b3"
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_WARNABLE = (RowOutcome.NEW, RowOutcome.UPDATED, RowOutcome.CONFLICT)
FILE, ROW, INDICATOR, YEAR, OUTCOME, REASON, FILE_VALUE, DB_VALUE, CHOICE = range(9)
UNDECIDED = ""

OUTCOME_COLOURS = {
    RowOutcome.NEW: "#d9f0d9",
    RowOutcome.UPDATED: "#d6e6fa",
    RowOutcome.UNCHANGED: "#eeeeee",
    RowOutcome.CONFLICT: "#fbe3a6",
    RowOutcome.REJECTED: "#f6cccc",
}
# The icon's own colour is darker than the cell's, and each outcome has its own shape.
_ICON_COLOURS = {
    RowOutcome.NEW: "#2e7d32",
    RowOutcome.UPDATED: "#1565c0",
    RowOutcome.UNCHANGED: "#8a8a8a",
    RowOutcome.CONFLICT: "#e0a000",
    RowOutcome.REJECTED: "#c62828",
}
_STROKES: dict[RowOutcome, list[tuple[float, float, float, float]]] = {
    RowOutcome.NEW: [(8, 4.5, 8, 11.5), (4.5, 8, 11.5, 8)],
    RowOutcome.UPDATED: [(4.5, 8, 11.5, 8), (8.5, 5, 11.5, 8), (8.5, 11, 11.5, 8)],
    RowOutcome.UNCHANGED: [(4.5, 6.5, 11.5, 6.5), (4.5, 9.5, 11.5, 9.5)],
    RowOutcome.CONFLICT: [(8, 6, 8, 10), (8, 12.5, 8, 12.6)],
    RowOutcome.REJECTED: [(5, 5, 11, 11), (11, 5, 5, 11)],
}
_icons: dict[RowOutcome, QIcon] = {}
# The order rows are listed in within a file: what needs the planning division's attention
# first. Listed in sheet order, a few conflicts sat below hundreds of unchanged rows.
OUTCOME_ORDER = (
    RowOutcome.REJECTED,
    RowOutcome.CONFLICT,
    RowOutcome.UPDATED,
    RowOutcome.NEW,
    RowOutcome.UNCHANGED,
)
_RANK = {outcome: rank for rank, outcome in enumerate(OUTCOME_ORDER)}


def outcome_icon(outcome: RowOutcome) -> QIcon:
    """Plus (new), arrow (updated), equals (unchanged), ! triangle (conflict), cross (rejected)."""
    if outcome in _icons:
        return _icons[outcome]
    size = 16
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(_ICON_COLOURS[outcome])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    if outcome is RowOutcome.CONFLICT:
        triangle = QPainterPath()
        triangle.moveTo(8, 1)
        triangle.lineTo(15, 15)
        triangle.lineTo(1, 15)
        triangle.closeSubpath()
        painter.drawPath(triangle)
        ink = QColor("#000000")
    else:
        painter.drawEllipse(QRectF(1, 1, 14, 14))
        ink = QColor("#ffffff")
    pen = QPen(ink, 2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    for x1, y1, x2, y2 in _STROKES[outcome]:
        painter.drawLine(QPointF(x1, y1), QPointF(x2, y2))
    painter.end()
    _icons[outcome] = QIcon(pixmap)
    return _icons[outcome]


# The refusals of the signature policy that the planning division may overrule.
_UNSIGNED = ("E_MERGE_SIGNATURE",)


@dataclass
class PlannedFile:
    """One chosen file: its merge plan, or why it was refused as a whole."""

    path: Path
    plan: MergePlan | None
    error: DomainError | None = None


@dataclass
class MergedFile:
    """One file after 取り込む: its report, or why nothing of it was written."""

    path: Path
    report: MergeReport | None
    error: DomainError | None = None
    undecided: int = 0  # conflicts left undecided (not written)


@dataclass(frozen=True)
class _EvaluationIncoming:
    sheet_row: int
    indicator: str  # 施策評価 7-1-1
    fiscal_year: int | None


@dataclass(frozen=True)
class EvaluationLine:
    """A 施策評価 of a file, shown and decided like a value's row."""

    incoming: _EvaluationIncoming
    outcome: RowOutcome
    reason_ja: str
    reason_en: str
    file_value: str | None
    db_value: str | None
    key: Key

    @classmethod
    def of(cls, planned: PlannedEvaluation) -> EvaluationLine:
        from kplan_desktop.exchange.evaluation_exchange import shown
        from kplan_desktop.exchange.merge import evaluation_key

        row = planned.incoming
        return cls(
            _EvaluationIncoming(row.sheet_row, planned.label, row.fiscal_year),
            planned.outcome,
            planned.reason_ja,
            planned.reason_en,
            shown(row.evaluation),
            None if planned.stored is None else shown(planned.stored.evaluation),
            evaluation_key(planned),
        )


class MergePreviewModel(QAbstractTableModel):
    """One row per row of every planned file; the conflict choice is the only editable column."""

    choices_changed = Signal()

    def __init__(self, files: list[PlannedFile], catalog: Catalog | None, lang: str) -> None:
        super().__init__()
        self.files = files
        self.lang = lang
        indicators = [] if catalog is None else [i for _, _, _, i in catalog.indicators()]
        self.names = {i.code: i.display_name for i in indicators}
        self.units = {i.code: i.unit or "" for i in indicators}
        self.lines: list[tuple[int, PlannedRow | EvaluationLine]] = []
        for n, file in enumerate(files):
            if file.plan is None:
                continue
            self.lines += [(n, row) for row in file.plan.rows]
            self.lines += [(n, EvaluationLine.of(e)) for e in file.plan.evaluations]
        self.choices: dict[int, str] = {}  # line -> "file" | "db"

    # -- shape -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else CHOICE + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return [
            self.tr("ファイル"),
            self.tr("行"),
            self.tr("指標"),
            self.tr("年度"),
            self.tr("結果"),
            self.tr("理由"),
            self.tr("ファイルの値"),
            self.tr("データベースの値"),
            self.tr("競合の扱い"),
        ][section]

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() == CHOICE and self.is_conflict(index.row()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    # -- content -----------------------------------------------------------------------------

    def outcome_text(self, outcome: RowOutcome) -> str:
        match outcome:
            case RowOutcome.NEW:
                return self.tr("新規")
            case RowOutcome.UPDATED:
                return self.tr("更新")
            case RowOutcome.UNCHANGED:
                return self.tr("変更なし")
            case RowOutcome.CONFLICT:
                return self.tr("競合")
            case RowOutcome.REJECTED:
                return self.tr("却下")

    def choice_items(self) -> list[tuple[str, str]]:
        return [
            (UNDECIDED, self.tr("未決定（書き込まない）")),
            ("file", self.tr("ファイルの値を採る")),
            ("db", self.tr("データベースの値を残す")),
        ]

    def is_conflict(self, line: int) -> bool:
        return self.lines[line][1].outcome is RowOutcome.CONFLICT

    def sort_key(self, line: int) -> tuple[int, int, int]:
        """File by file; within a file problems first (OUTCOME_ORDER), then sheet order."""
        file_no, row = self.lines[line]
        return file_no, _RANK[row.outcome], line

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        file_no, row = self.lines[index.row()]
        column = index.column()
        if role == OUTCOME_ROLE:
            return row.outcome
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(file_no, row, index.row(), column)
        if role == Qt.ItemDataRole.EditRole and column == CHOICE:
            return self.choices.get(index.row(), UNDECIDED)
        if role == Qt.ItemDataRole.DecorationRole and column == OUTCOME:
            return outcome_icon(row.outcome)
        if role == Qt.ItemDataRole.BackgroundRole:
            if column == OUTCOME:
                return QBrush(QColor(OUTCOME_COLOURS[row.outcome]))
            if column == REASON and self.warnings(row):
                return QBrush(QColor(WARNING_COLOUR))
            if column == CHOICE and row.outcome is RowOutcome.CONFLICT:
                decided = index.row() in self.choices
                return QBrush(QColor("#e2efd4" if decided else "#fff4d6"))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == INDICATOR:
                return self.names.get(row.incoming.indicator)
            if column == REASON:
                return self._reason(row) or None
            if column == CHOICE and row.outcome is RowOutcome.CONFLICT:
                return self.tr("クリックして、どちらの値を採るか選びます")
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ROW, FILE_VALUE, DB_VALUE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _reason(self, row: PlannedRow | EvaluationLine) -> str:
        reason = row.reason_en if self.lang == "en" else row.reason_ja
        warnings = self.warnings(row)
        if not warnings:
            return reason
        head = self.tr("⚠ 警告（コメントなし）")
        texts = [f"{head}: {w.message(self.lang)} [{w.code}]" for w in warnings]
        return "\n".join(x for x in (reason, *texts) if x)

    @staticmethod
    def warnings(row: PlannedRow | EvaluationLine) -> tuple[Finding, ...]:
        """The row's warnings that the file's comment does not explain (values only)."""
        if isinstance(row, EvaluationLine) or row.outcome not in _WARNABLE:
            return ()
        return row.warnings

    def warned_rows(self, file_no: int | None = None) -> int:
        return sum(
            1
            for number, row in self.lines
            if (file_no is None or number == file_no) and self.warnings(row)
        )

    def _text(self, file_no: int, row: PlannedRow | EvaluationLine, line: int, column: int) -> Any:
        incoming = row.incoming
        if column == FILE:
            return self.files[file_no].path.name
        if column == ROW:
            return incoming.sheet_row
        if column == INDICATOR:
            return incoming.indicator
        if column == YEAR:
            if incoming.fiscal_year is None:
                return "—"
            return year_text(incoming.fiscal_year, self.lang)
        if column == OUTCOME:
            return self.outcome_text(row.outcome)
        if column == REASON:
            return self._reason(row)
        if column == FILE_VALUE:
            return self.file_value_text(row)
        if column == DB_VALUE:
            return self.db_value_text(row)
        if row.outcome is not RowOutcome.CONFLICT:
            return ""
        return dict(self.choice_items())[self.choices.get(line, UNDECIDED)]

    def stored_value(self, row: PlannedRow | EvaluationLine) -> str | None:
        """The number the merge would store (341.2), as the database keeps it; None if none."""
        if isinstance(row, EvaluationLine) or row.result is None:
            return None
        return row.result.new.value

    def file_value_text(self, row: PlannedRow | EvaluationLine) -> str:
        """The stored value and its unit, beside the typed text where they differ:
        341.2万人（入力: 3,412,000人）. What was typed stays visible, what is stored leads."""
        typed = row.file_value
        value = self.stored_value(row)
        if value is None:
            return typed if typed is not None else "—"
        stored = f"{value}{self.units.get(row.incoming.indicator, '')}"
        if typed is None or typed.strip() in (stored, value):
            return stored
        return self.tr("{0}（入力: {1}）").format(stored, typed)

    def db_value_text(self, row: PlannedRow | EvaluationLine) -> str:
        """The database's value with its unit, like the file's (a reason as its label)."""
        value = row.db_value
        if value is None:
            return "—"
        if isinstance(row, PlannedRow) and _NUMBER.fullmatch(value):
            return f"{value}{self.units.get(row.incoming.indicator, '')}"
        return value

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != CHOICE or not self.is_conflict(index.row()):
            return False
        if value not in (UNDECIDED, "file", "db"):
            return False
        self.choose([index.row()], value)
        return True

    def choose(self, lines: list[int], choice: str) -> None:
        """Set the choice of these lines (conflicts only; others are ignored)."""
        changed = [line for line in lines if self.is_conflict(line)]
        for line in changed:
            if choice == UNDECIDED:
                self.choices.pop(line, None)
            else:
                self.choices[line] = choice
        for line in changed:
            cell = self.index(line, CHOICE)
            self.dataChanged.emit(cell, cell)
        if changed:
            self.choices_changed.emit()

    def take(self, file_no: int) -> dict[Key, Take]:
        """The conflict choices of one file, as apply_merge's `take`."""
        taken: dict[Key, Take] = {}
        for line, choice in self.choices.items():
            number, row = self.lines[line]
            if number == file_no and row.key is not None:
                taken[row.key] = "file" if choice == "file" else "db"
        return taken

    def undecided(self, file_no: int) -> int:
        return sum(
            1
            for line, (number, row) in enumerate(self.lines)
            if number == file_no and row.outcome is RowOutcome.CONFLICT and line not in self.choices
        )


class PreviewFilter(QSortFilterProxyModel):
    """Lists each file's problems first (see OUTCOME_ORDER); optionally hides unchanged rows."""

    def __init__(self) -> None:
        super().__init__()
        self.hide_unchanged = False

    def setSourceModel(self, model: Any) -> None:
        super().setSourceModel(model)
        # The order comes from lessThan alone, whatever column is named here.
        self.sort(0)

    def lessThan(
        self,
        left: QModelIndex | QPersistentModelIndex,
        right: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, MergePreviewModel)
        return model.sort_key(left.row()) < model.sort_key(right.row())

    def set_hide_unchanged(self, hide: bool) -> None:
        def change() -> None:
            self.hide_unchanged = hide

        change_filter(self, change)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self.hide_unchanged:
            return True
        model = self.sourceModel()
        outcome = model.index(source_row, OUTCOME, source_parent).data(OUTCOME_ROLE)
        return outcome is not RowOutcome.UNCHANGED


class ChoiceDelegate(QStyledItemDelegate):
    """A combo for a conflict row: undecided, take the file's value, keep the database's."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        source = index.model()
        while isinstance(source, QSortFilterProxyModel):
            source = source.sourceModel()
        assert isinstance(source, MergePreviewModel)
        for code, text in source.choice_items():
            combo.addItem(text, code)
        # The choice counts at once, not only when the editor closes.
        combo.activated.connect(lambda _n: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


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
        return [f for f in self.files if f.error is not None and f.error.code in _UNSIGNED]

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
                    f"<p style='color:#b00020; {tight}'>✖ <b>{e(file.path.name)}</b> — "
                    f"{e(refused)}<br>{e(message)}</p>"
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


@dataclass(frozen=True)
class SummaryLine:
    """One file in the summary after 取り込む."""

    file: str
    counts: dict[RowOutcome, int]
    written: bool
    why: str


class MergeSummaryDialog(QDialog):
    """What 取り込む did, per file: the counts, whether it was written, and why not."""

    def __init__(
        self,
        merged: list[MergedFile],
        refused: list[PlannedFile],
        *,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(self.tr("取り込みの結果"))
        self.lines = [self._line(m) for m in merged] + [
            SummaryLine(
                f.path.name,
                {},
                False,
                f.error.message(lang) if f.error else self.tr("読み込めません"),
            )
            for f in refused
        ]
        self.view = QTextBrowser()
        self.view.setObjectName("merge_summary")
        self.view.setHtml(self._html())
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("閉じる"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        written = sum(1 for line in self.lines if line.written)
        layout.addWidget(
            QLabel(
                self.tr("{0} ファイルのうち {1} ファイルを書き込みました。").format(
                    len(self.lines), written
                )
            )
        )
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(900, 420)

    def _line(self, merged: MergedFile) -> SummaryLine:
        report = merged.report
        if report is None:
            message = merged.error.message(self.lang) if merged.error else ""
            return SummaryLine(merged.path.name, {}, False, message)
        counts = {outcome: report.count(outcome) for outcome in RowOutcome}
        if report.written:
            changed = counts[RowOutcome.NEW] + counts[RowOutcome.UPDATED]
            why = (
                self.tr("書き込みました")
                if changed
                else self.tr("値の変更はありません（受け取ったことを記録しました）")
            )
            if merged.undecided:
                why += self.tr("。未決定の競合 {0} 件は書き込んでいません").format(merged.undecided)
        elif counts[RowOutcome.REJECTED]:
            why = self.tr("却下された行があるため、何も書き込んでいません")
        elif report.held_for_warnings:
            why = self.tr("コメントのない警告がある行 {0} 件のため、何も書き込んでいません").format(
                len(report.warned)
            )
        else:
            why = self.tr("書き込む変更はありません（取り込み済み）")
        return SummaryLine(merged.path.name, counts, report.written, why)

    def _html(self) -> str:
        e = html.escape
        probe = MergePreviewModel([], None, self.lang)
        heads = [self.tr("ファイル")] + [probe.outcome_text(o) for o in RowOutcome]
        heads += [self.tr("書き込み"), self.tr("説明")]
        rows = ["<tr>" + "".join(f"<th>{e(h)}</th>" for h in heads) + "</tr>"]
        for line in self.lines:
            counts = [str(line.counts[o]) if line.counts else "—" for o in RowOutcome]
            mark = "✔ " + self.tr("済み") if line.written else "✖ " + self.tr("なし")
            cells = [e(line.file), *counts, e(mark), e(line.why)]
            colour = "#e2efd4" if line.written else "#fdecec"
            rows.append(
                f"<tr style='background:{colour}'>"
                + "".join(f"<td>{cell}</td>" for cell in cells)
                + "</tr>"
            )
        return "<table border='1' cellspacing='0' cellpadding='4'>" + "".join(rows) + "</table>"
