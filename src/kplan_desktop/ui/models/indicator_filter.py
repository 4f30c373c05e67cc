"""The grid's filter: search, 'missing only', 'problems only', a branch of the plan tree."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
)

from kplan_desktop.ui.models.cells import CellState
from kplan_desktop.ui.models.filtering import change_filter
from kplan_desktop.ui.models.indicator_table import IndicatorTableModel


def search_text(code: str, name: str) -> str:
    """What the search box is matched against: the code and the name, NFKC (full-width ７－１
    is 7-1) and case-folded, as the typed text is."""
    return unicodedata.normalize("NFKC", f"{code} {name}").casefold()


class IndicatorFilter(QSortFilterProxyModel):
    """Search by code or name, 'missing only', 'problems only', a branch of the plan tree.

    The search is matched once per keystroke over a list of every row's search text (made at
    the first search after a load), and the proxy asks each row only for the answer: Qt's own
    fixed-string filter asked the model for each row's text through three Python calls
    (index, then data) and normalised it again, every keystroke (issue 20).
    """

    def __init__(self) -> None:
        super().__init__()
        self.missing_only = False
        self.problems_only = False
        self.branch = ""
        self._pattern = ""
        # Every row's search text, for the rows list it was made from; the rows the search finds.
        self._texts: list[str] = []
        self._texts_of: object = None
        self._found: list[bool] = []
        self._table: IndicatorTableModel | None = None

    def setFilterFixedString(self, pattern: str) -> None:
        """Filter again only when the search text changed (each pass asks every row)."""
        if pattern == self._pattern:
            return

        def change() -> None:
            self._pattern = pattern
            self._match()

        change_filter(self, change)

    def _model(self) -> IndicatorTableModel:
        model = self.sourceModel()
        assert isinstance(model, IndicatorTableModel)
        return model

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        super().setSourceModel(model)
        # filterAcceptsRow runs once per row: it reads the model without asking Qt for it.
        self._table = model if isinstance(model, IndicatorTableModel) else None

    def _match(self) -> None:
        rows = self._model().rows
        if self._texts_of is not rows:
            self._texts = [
                search_text(row.indicator.code, row.indicator.display_name) for row in rows
            ]
            self._texts_of = rows
        wanted = self._pattern.casefold()
        self._found = [wanted in text for text in self._texts] if wanted else []

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
        model = self._table
        assert model is not None
        if self._pattern:
            if self._texts_of is not model.rows or len(self._found) != len(model.rows):
                self._match()  # the grid was read again since the last keystroke
            if not self._found[source_row]:
                return False
        code = model.rows[source_row].indicator.code
        if self.branch and not code.startswith(self.branch + "-"):
            return False
        state = model.cell(source_row, model.current_year).state
        if self.missing_only and state is not CellState.EMPTY:
            return False
        return not (self.problems_only and state not in (CellState.ERROR, CellState.WARNING))
