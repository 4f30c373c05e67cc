"""The merge preview's rows: the table model, its filter, the conflict-choice delegate and
the files planned and merged (see merge_preview for the dialog)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
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
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.validation import Finding
from kplan_desktop.domain.values import grouped
from kplan_desktop.exchange.evaluation_exchange import PlannedEvaluation, shown
from kplan_desktop.exchange.merge import Key, MergePlan, PlannedRow, Take, evaluation_key
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
UNSIGNED = ("E_MERGE_SIGNATURE",)


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
        return row.result.new[0]

    def file_value_text(self, row: PlannedRow | EvaluationLine) -> str:
        """The stored value and its unit, beside the typed text where they differ:
        341.2万人（入力: 3,412,000人）. What was typed stays visible, what is stored leads."""
        typed = row.file_value
        value = self.stored_value(row)
        if value is None:
            # Not planned to be stored (a conflict): a plain number reads as the database's
            # column does, 4回 beside 4回 (it read 「4」 beside 「4回」).
            if typed is not None and isinstance(row, PlannedRow):
                return self._number_text(typed.strip(), row.incoming.indicator)
            return typed if typed is not None else "—"
        stored = self._number_text(value, row.incoming.indicator)
        plain = f"{value}{self.units.get(row.incoming.indicator, '')}"
        if typed is None or typed.strip() in (stored, plain, value):
            return stored
        return self.tr("{0}（入力: {1}）").format(stored, typed)

    def db_value_text(self, row: PlannedRow | EvaluationLine) -> str:
        """The database's value with its unit, like the file's (a reason as its label)."""
        value = row.db_value
        if value is None:
            return "—"
        if isinstance(row, PlannedRow):
            return self._number_text(value, row.incoming.indicator)
        return value

    def _number_text(self, value: str, indicator: str) -> str:
        """A stored number as the grid shows it, with its unit: 1,300人 (not 1300人); any
        other text as it is."""
        if not _NUMBER.fullmatch(value):
            return value
        return f"{grouped(Decimal(value))}{self.units.get(indicator, '')}"

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
