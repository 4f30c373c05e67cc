"""The parts of the main window share one `Shared`: the session, the grid and its models, the
status line and the undo stack. A part that needs another is given it (the entry controller is
the one the others use); no part imports the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

    from kplan_desktop.session import Session
    from kplan_desktop.store.engine import Store
    from kplan_desktop.ui.frozen_grid import FrozenGrid
    from kplan_desktop.ui.models.indicator_filter import IndicatorFilter
    from kplan_desktop.ui.models.indicator_table import IndicatorTableModel
    from kplan_desktop.ui.settings import AppSettings

# The window's size where the screen has room; below this width the detail panel folds away
# so the entry year, target, rate and grade stay in view (see grid_fit.GridFit.fold_side).
WIDE = (1500, 860)


def fit_screen(window: QMainWindow) -> None:
    """1500×860 where it fits; on a smaller screen (a 1366×768 laptop) the whole screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry() if screen is not None else None
    # Offscreen (screenshots, tests) has a nominal 800×600 screen: keep the full size.
    offscreen = QGuiApplication.platformName() == "offscreen"
    if room is None or offscreen or (room.width() >= WIDE[0] and room.height() >= WIDE[1]):
        window.resize(*WIDE)
        return
    window.resize(min(WIDE[0], room.width()), min(WIDE[1], room.height()))
    window.setWindowState(window.windowState() | QtCore.Qt.WindowState.WindowMaximized)


def _never() -> bool:
    return False


@dataclass
class Shared:
    """What the window's parts share."""

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
