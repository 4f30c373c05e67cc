"""The indicator grid's Qt model: a thin adapter over the store's overview rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from kplan_desktop.domain.achievement import Grade, format_rate
from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.domain.values import canonical, grouped
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.models.cells import (
    CellInfo,
    CellState,
    GridData,
    cell_info,
    counts_as_editable,
    tally,
)

if TYPE_CHECKING:
    from kplan_desktop.store.actuals import ActualView
    from kplan_desktop.store.overview import IndicatorOverview

Index = QModelIndex | QPersistentModelIndex

STATE_COLOURS = {
    CellState.ERROR: "#f6cccc",
    CellState.WARNING: "#fbe3a6",
    CellState.EXPLAINED: "#e2efd4",
    CellState.MISSING: "#e2e2ec",
}
STATE_ICONS = {
    CellState.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    CellState.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    CellState.EXPLAINED: QStyle.StandardPixmap.SP_DialogApplyButton,
    CellState.MISSING: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
FIXED_COLUMNS = 5
# 目標, 達成率, 評価, 進捗状況 (the on-track status, in the submission workbook's words).
TAIL_COLUMNS = 4
# A cell the last paste could not save: drawn in this colour, showing the refused text in
# MARKED_TEXT_COLOUR after MARKED_SIGN, until it is written or pasted again.
MARKED_COLOUR = "#f8c8c8"
MARKED_TEXT_COLOUR = "#a00000"
MARKED_SIGN = "✖ "


# The roles as plain numbers, compared in data() for every shown cell several times per paint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
# The roles data() answers; any other is None at once.
_ANSWERED = frozenset(
    {
        _DISPLAY,
        _EDIT,
        _DECORATION,
        _BACKGROUND,
        _FOREGROUND,
        _ALIGNMENT,
        int(Qt.ItemDataRole.ToolTipRole),
        int(STATE_ROLE),
    }
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_BRUSHES: dict[str, QBrush] = {}


def _brush(colour: str) -> QBrush:
    """One brush per colour, made once."""
    brush = _BRUSHES.get(colour)
    if brush is None:
        brush = _BRUSHES[colour] = QBrush(QColor(colour))
    return brush


@dataclass(frozen=True)
class MarkedCell:
    """A pasted value the store refused: what was pasted, and why it was not saved."""

    text: str
    why: str


class IndicatorTableModel(QAbstractTableModel):
    """Rows are indicators; one column per plan year. The model never writes."""

    def __init__(self) -> None:
        super().__init__()
        self.catalog: Catalog | None = None
        self.rows: list[IndicatorOverview] = []
        self.first_of: int | None = None
        self.years: list[int] = []
        self.current_year = 0
        self.own_department: str | None = None
        self.planning = False
        self.lang = "ja"
        self._cells: dict[tuple[str, int], CellInfo] = {}
        self._row_of: dict[str, int] = {}
        self._icons: dict[CellState, QIcon] = {}
        # Cells the last paste refused, with why (shown until the cell is written).
        self.marked: dict[tuple[str, int], MarkedCell] = {}
        self._department_names: dict[str, str] = {}
        # Years whose column the window narrowed: their header is written short (R4).
        self.short_years: set[int] = set()
        # The department's entry year is finalised (確定): nothing in it can be entered.
        self.finalised = False
        # Opened read-only (a second window: E_READ_ONLY), and the years the planning division
        # locked: nothing in them can be entered either, so typing says why at once.
        self.read_only = False
        self.locked_years: frozenset[int] = frozenset()
        # The plan generation shown is closed (最終評価済み): nothing in it can be entered.
        self.closed = False
        # This year's cells tallied once per load and kept up to date row by row, so the status
        # line and the tree's counts never walk every row after a value is entered: the states
        # of the editable cells, and the empty cells under each goal, policy and measure.
        self.editable_states: Counter[CellState] = Counter()
        self.missing_under: Counter[str] = Counter()
        # Editable empty cells of indicators without a unit (they take no value, only a reason).
        self.unitless_missing = 0

    def reset(
        self,
        data: GridData,
        current_year: int,
        own_department: str | None,
        *,
        planning: bool = False,
        lang: str = "ja",
    ) -> None:
        self.beginResetModel()
        self.catalog = data.catalog
        self.rows = data.rows
        # The first rows of a grid still being read: shown, not yet to be typed into.
        self.first_of = data.first_of
        self.years = data.catalog.plan.settings.years
        self.current_year = current_year
        self.own_department = own_department
        self.planning = planning
        self.lang = lang
        self._cells = dict(data.cells)
        self._row_of = dict(data.row_of) or {
            row.indicator.code: n for n, row in enumerate(self.rows)
        }
        self.marked = {}
        self._department_names = {
            d.code: d.name_for(current_year) for d in data.catalog.departments
        }
        # The loading worker tallied this year's cells for this window; else count them here.
        tallies = data.tallies
        if tallies is None or (tallies.year, tallies.planning, tallies.own) != (
            current_year,
            planning,
            own_department,
        ):
            tallies = tally(
                data.catalog,
                self.rows,
                self._cells,
                current_year,
                planning=planning,
                own=own_department,
            )
        self.editable_states = Counter(tallies.editable_states)
        self.missing_under = Counter(tallies.missing_under)
        self.unitless_missing = tallies.unitless_missing
        self.endResetModel()

    def _tally(self, row: int, sign: int) -> None:
        """Add (1) or take away (-1) the row's cell of this year from the tallies."""
        overview = self.rows[row]
        state = self.cell(row, self.current_year).state
        # The same rule as cells.tally, so the tallies stay equal to a fresh count.
        if counts_as_editable(
            overview, self.current_year, self.years, self.planning, self.own_department
        ):
            self.editable_states[state] += sign
            if state is CellState.EMPTY and not overview.indicator.unit:
                self.unitless_missing += sign
        if state is CellState.EMPTY:
            for code in (overview.goal.code, overview.policy.code, overview.measure.code):
                self.missing_under[code] += sign

    @property
    def target_column(self) -> int:
        return FIXED_COLUMNS + len(self.years)

    @property
    def rate_column(self) -> int:
        return self.target_column + 1

    @property
    def grade_column(self) -> int:
        return self.target_column + 2

    @property
    def track_column(self) -> int:
        return self.target_column + 3

    @property
    def department_column(self) -> int | None:
        return self.target_column + 4 if self.planning else None

    def mark(self, cells: dict[tuple[str, int], MarkedCell]) -> None:
        """Mark the cells a paste refused (replacing the previous marks); repaint them."""
        touched = set(self.marked) | set(cells)
        self.marked = dict(cells)
        for code, year in touched:
            row = self._row_of.get(code)
            if row is not None and year in self.years:
                index = self.index(row, self.column_of_year(year))
                self.dataChanged.emit(index, index)

    def set_closed(self, *, read_only: bool, locked_years: frozenset[int]) -> None:
        """Opened read-only, or years locked or opened again: the cells' editability."""
        if (read_only, locked_years) == (self.read_only, self.locked_years):
            return
        self.read_only, self.locked_years = read_only, locked_years
        self._changed_everywhere()

    def set_finalised(self, finalised: bool) -> None:
        """The entry year was finalised or withdrawn: its cells' editability and colour."""
        if finalised == self.finalised:
            return
        self.finalised = finalised
        self._changed_everywhere()

    def _changed_everywhere(self) -> None:
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1)
            )

    def set_plan_closed(self, closed: bool) -> None:
        """The generation shown is closed (read-only) or not; its cells' editability."""
        if closed == self.closed:
            return
        self.closed = closed
        self._changed_everywhere()

    def update_values(self, code: str, values: list[ActualView]) -> None:
        """A write changed one indicator: swap its values in and repaint its row only."""
        row = self._row_of.get(code)
        if row is None:
            return
        self._tally(row, -1)
        self.rows[row] = replace(self.rows[row], values={v.fiscal_year: v for v in values})
        for year in self.years:
            self._cells.pop((code, year), None)
            self.marked.pop((code, year), None)
        self._cells.pop((code, self.current_year), None)
        self._tally(row, 1)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # -- shape -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        # The planning division sees every 課's indicators: a 担当課 column names the owner.
        return FIXED_COLUMNS + len(self.years) + TAIL_COLUMNS + (1 if self.planning else 0)

    def row_of(self, code: str) -> int | None:
        return self._row_of.get(code)

    def year_of_column(self, column: int) -> int | None:
        offset = column - FIXED_COLUMNS
        return self.years[offset] if 0 <= offset < len(self.years) else None

    def column_of_year(self, year: int) -> int:
        return FIXED_COLUMNS + self.years.index(year)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        year = self.year_of_column(section)
        if year is not None:
            if self.short_years:
                # Once one year is narrowed, every year is named the same short way (R4 … R7),
                # never R4 beside 令和6年度.
                return year_text(year, self.lang, FiscalYearStyle.SHORT)
            return year_text(year, self.lang)
        headers = [
            QCoreApplication.translate("IndicatorTableModel", "コード"),
            QCoreApplication.translate("IndicatorTableModel", "指標名"),
            QCoreApplication.translate("IndicatorTableModel", "単位"),
            QCoreApplication.translate("IndicatorTableModel", "区分"),
            QCoreApplication.translate("IndicatorTableModel", "基準値"),
            QCoreApplication.translate("IndicatorTableModel", "目標"),
            QCoreApplication.translate("IndicatorTableModel", "達成率"),
            QCoreApplication.translate("IndicatorTableModel", "評価"),
            QCoreApplication.translate("IndicatorTableModel", "進捗状況"),
            QCoreApplication.translate("IndicatorTableModel", "担当課"),
        ]
        if section < FIXED_COLUMNS:
            return headers[section]
        return headers[FIXED_COLUMNS + section - FIXED_COLUMNS - len(self.years)]

    def is_editable(self, row: int, column: int) -> bool:
        year = self.year_of_column(column)
        if year is None:
            return False
        return self._editable_in(self.rows[row], year)

    def _editable_in(self, overview: IndicatorOverview, year: int) -> bool:
        if self.closed or self.read_only or year in self.locked_years or self.first_of is not None:
            return False
        if self.planning:
            return year <= self.current_year
        return (
            year == self.current_year
            and not self.finalised
            and overview.indicator.owner_for(year) == self.own_department
        )

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.is_editable(index.row(), index.column()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    # -- content -----------------------------------------------------------------------------

    def cell(self, row: int, year: int) -> CellInfo:
        overview = self.rows[row]
        key = (overview.indicator.code, year)
        info = self._cells.get(key)
        if info is None:
            assert self.catalog is not None
            info = self._cells[key] = cell_info(self.catalog, overview, year)
        return info

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Every shown cell is asked for some eight roles per paint, a few of which this model
        # never answers (font, check state): those return at once (issue 20).
        if role not in _ANSWERED or not index.isValid() or self.catalog is None:
            return None
        row, column = index.row(), index.column()
        overview = self.rows[row]
        offset = column - FIXED_COLUMNS
        if 0 <= offset < len(self.years):
            return self._year_data(row, self.years[offset], role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._fixed_text(overview, column)
        if role == Qt.ItemDataRole.EditRole and column in (4, self.target_column):
            # The baseline and target as numbers (Ctrl+C): 1225, not 1,225 or 7,500以上.
            number = overview.indicator.baseline if column == 4 else overview.indicator.target
            return "" if number is None else canonical(number)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            # The name first: the column may be too narrow for it.
            indicator = overview.indicator
            return "\n".join(t for t in (indicator.name, indicator.description) if t) or None
        return None

    def _fixed_text(self, overview: IndicatorOverview, column: int) -> str:
        assert self.catalog is not None
        indicator = overview.indicator
        not_set = QCoreApplication.translate("IndicatorTableModel", "未設定")
        if column == 0:
            return indicator.code
        if column == 1:
            return indicator.name or QCoreApplication.translate(
                "IndicatorTableModel", "（名称未設定）"
            )
        if column == 2:
            return indicator.unit or not_set
        if column == 3:
            return (
                QCoreApplication.translate("IndicatorTableModel", "達成")
                if indicator.kind.value == "outcome"
                else QCoreApplication.translate("IndicatorTableModel", "活動")
            )
        if column == 4:
            return "—" if indicator.baseline is None else grouped(indicator.baseline)
        tail = column - FIXED_COLUMNS - len(self.years)
        if tail == 0:
            if indicator.target is None:
                return not_set
            comparator = indicator.comparator
            suffix = (
                ""
                if comparator is None
                else (
                    QCoreApplication.translate("IndicatorTableModel", "以上")
                    if comparator.value == ">="
                    else QCoreApplication.translate("IndicatorTableModel", "以下")
                )
            )
            return grouped(indicator.target) + suffix
        achievement = overview.achievement(self.catalog, self.current_year)
        if tail == 1:
            return format_rate(achievement.rate)
        if tail == 3:
            return overview.track(self.catalog, self.current_year).status.label(self.lang)
        if tail == 4:
            owner = indicator.owner_for(self.current_year)
            return self._department_names.get(owner, owner)
        return achievement.grade.label(self.catalog.plan.settings.grade_labels, self.lang)

    def grade_labels(self) -> list[str]:
        """Every label the grade column can show in this language (for the column's width)."""
        labels = self.catalog.plan.settings.grade_labels if self.catalog else None
        if labels is None:
            return []
        return [grade.label(labels, self.lang) for grade in Grade]

    def _icon(self, state: CellState) -> QIcon | None:
        pixmap = STATE_ICONS.get(state)
        if pixmap is None:
            return None
        if state not in self._icons:
            style = QApplication.style()
            self._icons[state] = style.standardIcon(pixmap)
        return self._icons[state]

    def _year_data(self, row: int, year: int, role: int) -> Any:
        overview = self.rows[row]
        actual = overview.values.get(year)
        marked = self.marked.get((overview.indicator.code, year)) if self.marked else None
        if marked is not None and role == _DISPLAY:
            # The refused pasted text, marked, where the clerk looks for it (the stored value
            # is in the tooltip and in the editor; nothing of it was saved).
            return MARKED_SIGN + " ".join(marked.text.split())[:40]
        if marked is not None and role == _FOREGROUND:
            return _brush(MARKED_TEXT_COLOUR)
        if role in (_DISPLAY, _EDIT):
            return self._value_text(actual, role)
        if role == _ALIGNMENT:
            return _RIGHT
        if role == _FOREGROUND:
            return None
        info = self.cell(row, year)
        if role == STATE_ROLE:
            return info.state
        if role == _DECORATION:
            return self._icon(CellState.ERROR if marked is not None else info.state)
        if role == _BACKGROUND:
            colour = MARKED_COLOUR if marked is not None else STATE_COLOURS.get(info.state)
            if colour is None and self._editable_in(overview, year):
                colour = "#ffffff"
            return _brush(colour or "#f4f4f4")
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f.message(self.lang) for f in info.findings]
            if marked is not None:
                stored = self._value_text(actual, Qt.ItemDataRole.DisplayRole) or "—"
                lines[:0] = [
                    QCoreApplication.translate(
                        "IndicatorTableModel", "貼り付けた値「{0}」は保存していません: {1}"
                    ).format(marked.text[:40], marked.why),
                    QCoreApplication.translate(
                        "IndicatorTableModel", "保存されている値: {0}"
                    ).format(stored),
                ]
            if actual is not None and actual.comment:
                lines.append(
                    QCoreApplication.translate("IndicatorTableModel", "コメント: {0}").format(
                        actual.comment
                    )
                )
            if actual is not None and actual.missing_reason is not None:
                lines.append(
                    QCoreApplication.translate("IndicatorTableModel", "欠測理由: {0}").format(
                        actual.missing_reason.label_en
                        if self.lang == "en"
                        else actual.missing_reason.label_ja
                    )
                )
            return "\n".join(lines) or None
        return None

    def _value_text(self, actual: ActualView | None, role: int) -> str:
        """A stored value as the cell shows it (grouped) or edits it (plain), or its missing
        reason; '' when there is none."""
        if actual is None:
            return ""
        if actual.value is not None:
            if role == Qt.ItemDataRole.DisplayRole:
                return grouped(actual.value)
            return canonical(actual.value)
        if actual.missing_reason is None:
            return ""
        reason = actual.missing_reason
        return reason.label_en if self.lang == "en" else reason.label_ja

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        # Writing is the window's job, through the store's one write function.
        return False
