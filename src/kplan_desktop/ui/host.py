"""What the action classes (exchange, backup, catalog, cycle, keys) need of the window.

They are given a `Host`, not the window class, so they never import `main_window` (no import
circle: a contract in pyproject.toml forbids it). `MainWindow` is one; a test may give another.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QKeySequence, QUndoStack
    from PySide6.QtWidgets import QLabel, QWidget

    from kplan_desktop.session import Session
    from kplan_desktop.store.engine import Store
    from kplan_desktop.ui.models.indicator_table import IndicatorTableModel
    from kplan_desktop.ui.settings import AppSettings

# work(progress, cancelled) -> result, run off the UI thread (see ui/workers.run_job).
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class Host(Protocol):
    """The window as the action classes see it."""

    session: Session
    settings: AppSettings | None
    is_loaded: bool
    status: QLabel
    model: IndicatorTableModel
    undo_stack: QUndoStack

    @property
    def widget(self) -> QWidget:
        """The window itself, as the parent of dialogs and actions."""
        ...

    @property
    def store(self) -> Store: ...

    @property
    def department(self) -> str | None: ...

    @property
    def fiscal_year(self) -> int: ...

    @property
    def planning(self) -> bool: ...

    @property
    def lang(self) -> str: ...

    def action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        """A window-wide action (its shortcut works wherever the focus is in the window)."""
        ...

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read the grid again; `then` is called once it is filled."""
        ...

    def update_status(self, saved: str = "") -> None: ...

    def go_to_indicator(self, code: str) -> None: ...

    def run(
        self,
        label: str,
        work: Work,
        done: Callable[[Any], None],
        target: Path | None = None,
        *,
        cancellable: bool = True,
    ) -> None:
        """One job at a time behind a progress dialog (see ExchangeActions.start)."""
        ...

    def folder(self) -> Path:
        """The folder file dialogs open in: the last one used, else Documents."""
        ...
