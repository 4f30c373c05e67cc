"""The indicator grid's Qt model: a thin adapter over the store's overview rows."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kplan_desktop.domain.achievement import format_rate
from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.domain.validation import Finding, Severity, validate
from kplan_desktop.domain.values import ParsedValue, canonical
from kplan_desktop.store.overview import IndicatorOverview

Index = QModelIndex | QPersistentModelIndex


class CellState(enum.Enum):
    """What a year cell shows besides its value."""

    EMPTY = "empty"
    OK = "ok"
    MISSING = "missing"
    WARNING = "warning"
    EXPLAINED = "explained"
    ERROR = "error"


STATE_COLOURS = {
    CellState.ERROR: "#f8d0d0",
    CellState.WARNING: "#fde9b8",
    CellState.EXPLAINED: "#e6f0d8",
    CellState.MISSING: "#e4e4ee",
}
STATE_MARKS = {
    CellState.ERROR: "✖ ",
    CellState.WARNING: "⚠ ",
    CellState.EXPLAINED: "✎ ",
    CellState.MISSING: "… ",
}

FIXED_HEADERS = ("コード", "指標名", "単位", "区分", "基準値")
TAIL_HEADERS = ("目標", "達成率", "評価")
FILTER_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class CellInfo:
    state: CellState
    findings: tuple[Finding, ...]


class IndicatorTableModel(QAbstractTableModel):
    """Rows are indicators; one column per plan year. Editing is routed to `edit_requested`."""

    def __init__(self) -> None:
        super().__init__()
        self.catalog: Catalog | None = None
        self.rows: list[IndicatorOverview] = []
        self.years: list[int] = []
        self.current_year = 0
        self.department: str | None = None
        self._cells: dict[tuple[int, int], CellInfo] = {}

    def reset(
        self,
        catalog: Catalog,
        rows: list[IndicatorOverview],
        current_year: int,
        department: str | None,
    ) -> None:
        self.beginResetModel()
        self.catalog = catalog
        self.rows = rows
        self.years = catalog.plan.settings.years
        self.current_year = current_year
        self.department = department
        self._cells = {}
        self.endResetModel()

    # -- shape -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED_HEADERS) + len(self.years) + len(TAIL_HEADERS)

    def year_of_column(self, column: int) -> int | None:
        offset = column - len(FIXED_HEADERS)
        return self.years[offset] if 0 <= offset < len(self.years) else None

    def column_of_year(self, year: int) -> int:
        return len(FIXED_HEADERS) + self.years.index(year)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        year = self.year_of_column(section)
        if year is not None:
            return format_fiscal_year(year, FiscalYearStyle.ERA)
        if section < len(FIXED_HEADERS):
            return FIXED_HEADERS[section]
        return TAIL_HEADERS[section - len(FIXED_HEADERS) - len(self.years)]

    def is_editable(self, row: int, column: int) -> bool:
        overview = self.rows[row]
        own = self.department is None or overview.indicator.department == self.department
        return own and self.year_of_column(column) == self.current_year

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.is_editable(index.row(), index.column()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    # -- content -----------------------------------------------------------------------------

    def cell_info(self, row: int, year: int) -> CellInfo:
        key = (row, year)
        if key not in self._cells:
            self._cells[key] = self._compute_cell(row, year)
        return self._cells[key]

    def _compute_cell(self, row: int, year: int) -> CellInfo:
        assert self.catalog is not None
        overview = self.rows[row]
        actual = overview.values.get(year)
        if actual is None:
            return CellInfo(CellState.EMPTY, ())
        if actual.value is None:
            return CellInfo(CellState.MISSING, ())
        others: dict[int, Decimal] = {
            y: a.value for y, a in overview.values.items() if a.value is not None and y != year
        }
        findings = tuple(
            validate(
                ParsedValue(actual.value),
                overview.indicator.spec(),
                self.catalog.plan.settings,
                year,
                others,
            )
        )
        if any(f.severity is Severity.ERROR for f in findings):
            return CellInfo(CellState.ERROR, findings)
        if findings:
            state = CellState.EXPLAINED if actual.comment else CellState.WARNING
            return CellInfo(state, findings)
        return CellInfo(CellState.OK, ())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.catalog is None:
            return None
        overview = self.rows[index.row()]
        indicator = overview.indicator
        column = index.column()
        year = self.year_of_column(column)
        if role == FILTER_ROLE:
            return f"{indicator.code} {indicator.display_name}"
        if year is not None:
            return self._year_data(index.row(), year, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._fixed_text(overview, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return indicator.description
        return None

    def _fixed_text(self, overview: IndicatorOverview, column: int) -> str:
        assert self.catalog is not None
        indicator = overview.indicator
        if column == 0:
            return indicator.code
        if column == 1:
            return indicator.display_name
        if column == 2:
            return indicator.unit or "未設定"
        if column == 3:
            return indicator.kind.label_ja
        if column == 4:
            return "—" if indicator.baseline is None else canonical(indicator.baseline)
        tail = column - len(FIXED_HEADERS) - len(self.years)
        if tail == 0:
            if indicator.target is None:
                return "未設定"
            suffix = indicator.comparator.label_ja if indicator.comparator else ""
            return canonical(indicator.target) + suffix
        achievement = overview.achievement(self.catalog, self.current_year)
        if tail == 1:
            return format_rate(achievement.rate)
        return achievement.grade.label(self.catalog.plan.settings.grade_labels)

    def _year_data(self, row: int, year: int, role: int) -> Any:
        actual = self.rows[row].values.get(year)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if actual is None:
                return ""
            text = (
                canonical(actual.value)
                if actual.value is not None
                else (actual.missing_reason.label_ja if actual.missing_reason else "")
            )
            if role == Qt.ItemDataRole.EditRole:
                return text
            info = self.cell_info(row, year)
            return STATE_MARKS.get(info.state, "") + text
        info = self.cell_info(row, year)
        if role == STATE_ROLE:
            return info.state
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = STATE_COLOURS.get(info.state)
            if (
                colour is None
                and year == self.current_year
                and self.is_editable(row, self.column_of_year(year))
            ):
                colour = "#ffffff"
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f.message_ja for f in info.findings]
            if actual is not None and actual.comment:
                lines.append(f"コメント: {actual.comment}")
            if info.state is CellState.MISSING and actual and actual.missing_reason:
                lines.append(f"欠測理由: {actual.missing_reason.label_ja}")
            return "\n".join(lines) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        # Writing is the window's job (through the store); the model never writes by itself.
        return False
