"""The grid's filter: search, 'missing only', 'problems only', a branch of the plan tree."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from kplan_desktop.ui.models.cells import CellState
from kplan_desktop.ui.models.filtering import change_filter
from kplan_desktop.ui.models.indicator_table import FILTER_ROLE, IndicatorTableModel


class IndicatorFilter(QSortFilterProxyModel):
    """Search by code or name, 'missing only', 'problems only', a branch of the plan tree."""

    def __init__(self) -> None:
        super().__init__()
        self.setFilterRole(FILTER_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.missing_only = False
        self.problems_only = False
        self.branch = ""
        self._pattern = ""

    def setFilterFixedString(self, pattern: str) -> None:
        """Filter again only when the search text changed (each pass asks every row)."""
        if pattern != self._pattern:
            self._pattern = pattern
            super().setFilterFixedString(pattern)

    def set_flags(self, missing_only: bool, problems_only: bool, branch: str) -> None:
        if (missing_only, problems_only, branch) == (
            self.missing_only,
            self.problems_only,
            self.branch,
        ):
            return  # unchanged: a model reset or a changed row has filtered already

        def change() -> None:
            self.missing_only, self.problems_only = missing_only, problems_only
            self.branch = branch

        change_filter(self, change)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not (self._pattern or self.missing_only or self.problems_only or self.branch):
            return True  # nothing filters: no row needs to be read
        if not super().filterAcceptsRow(source_row, source_parent):
            return False
        model = self.sourceModel()
        assert isinstance(model, IndicatorTableModel)
        code = model.rows[source_row].indicator.code
        if self.branch and not code.startswith(self.branch + "-"):
            return False
        state = model.cell(source_row, model.current_year).state
        if self.missing_only and state is not CellState.EMPTY:
            return False
        return not (self.problems_only and state not in (CellState.ERROR, CellState.WARNING))
