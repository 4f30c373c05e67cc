"""The parts of the main window share one `Shared`: the session, the grid and its models, the
status line and the undo stack; each part reaches the others through it (no part imports the
window)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QLabel, QWidget

    from kplan_desktop.session import Session
    from kplan_desktop.store.engine import Store
    from kplan_desktop.ui.detail_panel import DetailPanel
    from kplan_desktop.ui.entry_controller import EntryController
    from kplan_desktop.ui.frozen_grid import FrozenGrid
    from kplan_desktop.ui.models.indicator_table import IndicatorTableModel
    from kplan_desktop.ui.paste import PasteController
    from kplan_desktop.ui.plan_tree import IndicatorFilter, PlanTree
    from kplan_desktop.ui.settings import AppSettings


def _never() -> bool:
    return False


@dataclass
class Shared:
    """What the window's parts share; the parts themselves are filled in as they are built."""

    session: Session
    widget: QWidget
    grid: FrozenGrid
    proxy: IndicatorFilter
    model: IndicatorTableModel
    status: QLabel
    undo_stack: QUndoStack
    settings: AppSettings | None
    # Whether the grid is filled, and whether a load is running (the window knows).
    is_loaded: Callable[[], bool] = _never
    loading: Callable[[], bool] = _never
    tree: PlanTree | None = field(default=None)
    detail: DetailPanel | None = field(default=None)
    entry: EntryController | None = field(default=None)
    paste: PasteController | None = field(default=None)


class Part(QObject):
    """A part of the window: its own texts (tr), the shared state under the usual names."""

    def __init__(self, shared: Shared) -> None:
        super().__init__(shared.widget)
        self.shared = shared

    @property
    def session(self) -> Session:
        return self.shared.session

    @property
    def store(self) -> Store:
        return self.shared.session.store  # type: ignore[return-value]

    @property
    def department(self) -> str | None:
        return self.shared.session.department

    @property
    def fiscal_year(self) -> int:
        return self.shared.session.fiscal_year

    @property
    def planning(self) -> bool:
        return self.shared.session.planning

    @property
    def lang(self) -> str:
        return self.shared.session.lang

    @property
    def widget(self) -> QWidget:
        return self.shared.widget

    @property
    def grid(self) -> FrozenGrid:
        return self.shared.grid

    @property
    def proxy(self) -> IndicatorFilter:
        return self.shared.proxy

    @property
    def model(self) -> IndicatorTableModel:
        return self.shared.model

    @property
    def status(self) -> QLabel:
        return self.shared.status

    @property
    def undo_stack(self) -> QUndoStack:
        return self.shared.undo_stack

    @property
    def is_loaded(self) -> bool:
        return self.shared.is_loaded()

    @property
    def plan_tree(self) -> PlanTree:
        assert self.shared.tree is not None
        return self.shared.tree

    @property
    def detail_panel(self) -> DetailPanel:
        assert self.shared.detail is not None
        return self.shared.detail

    @property
    def entry(self) -> EntryController:
        assert self.shared.entry is not None
        return self.shared.entry
