"""The grid's cell editor delegate: Enter and Tab submit the typed text to the entry
controller; a refused value keeps the editor open with its message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

if TYPE_CHECKING:
    from kplan_desktop.store.requests import EntryResult
    from kplan_desktop.ui.models.indicator_filter import IndicatorFilter


class EntryTarget(Protocol):
    """What the delegate asks of the entry controller (ui/entry_controller.EntryController;
    a protocol, so the two modules do not import each other)."""

    asked_later: EntryResult | None
    last_message: str

    @property
    def grid(self) -> QTableView: ...

    @property
    def proxy(self) -> IndicatorFilter: ...

    @property
    def widget(self) -> QWidget: ...

    def submit(
        self, proxy_index: QModelIndex, text: str, comment: str | None = None, *, ask: bool = True
    ) -> bool: ...

    def comment_then_save(
        self,
        target: QPersistentModelIndex,
        text: str,
        refused: EntryResult,
        *,
        down: bool,
        go_to: QPersistentModelIndex | None = None,
    ) -> bool: ...

    def move_after_entry(
        self, *, down: bool, after: QPersistentModelIndex | None = None
    ) -> None: ...

    def next_cell(self, index: QModelIndex, *, down: bool) -> QPersistentModelIndex | None: ...

    def reopen_refused(self, target: QPersistentModelIndex, text: str) -> None: ...


class EntryDelegate(QStyledItemDelegate):
    """Enter/Tab submit the typed text; a refused value keeps the editor open with its message."""

    def __init__(self, window: EntryTarget) -> None:
        super().__init__(window.widget)
        self._window = window

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(editor, QLineEdit)
            and isinstance(event, QFocusEvent)
            and event.reason() == Qt.FocusReason.ActiveWindowFocusReason
        ):
            # The window lost its activation (another window, or the window manager still
            # settling after the first-start dialog): keep the editor and its text, as a
            # spreadsheet does. Qt's default commits and closes it here, so the Enter typed a
            # moment later found no editor: the value was saved but the cursor stayed, and the
            # next value typed replaced it. The editor has the focus again when the window does.
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit):
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
                window = self._window
                index = window.grid.currentIndex()
                text = editor.text()
                down = key != Qt.Key.Key_Tab
                # Where Enter goes, fixed before the write: with 未入力のみ ticked the saved row
                # leaves the grid, and the cell below it must still be the next one.
                after = window.next_cell(index, down=down)
                if window.submit(index, text, ask=False):
                    self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                    window.move_after_entry(down=down, after=after)
                elif window.asked_later is not None:
                    # The dialog (a comment, or mine-or-theirs) must not depend on this editor:
                    # a real window system moves the focus to the dialog, and the view deletes
                    # an editor that loses it (a crash under xcb). Close it now; Cancel opens a
                    # new one with the text.
                    refused, window.asked_later = window.asked_later, None
                    self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                    target = QPersistentModelIndex(index)
                    QTimer.singleShot(
                        0, lambda: window.comment_then_save(target, text, refused, down=down)
                    )
                else:
                    editor.setToolTip(window.last_message)
                    editor.setStyleSheet("background: #fdecec;")
                return True
        return super().eventFilter(editor, event)

    def setModelData(self, editor: QWidget, model: object, index: object) -> None:
        """Leaving an editor any other way than Esc (Down, a click elsewhere) submits its text
        as Return does, as a spreadsheet does: a warned value asks for its comment again, a
        refused one reopens its editor. Never a silent drop. Values are written by submit()
        through the store, never by the model."""
        if not isinstance(editor, QLineEdit) or not isinstance(index, QModelIndex):
            return
        window = self._window
        proxy_index = window.proxy.index(index.row(), index.column())
        text = editor.text()
        if not proxy_index.isValid() or text == (proxy_index.data(Qt.ItemDataRole.EditRole) or ""):
            return
        if window.submit(proxy_index, text, ask=False):
            return
        target = QPersistentModelIndex(proxy_index)
        going = QPersistentModelIndex(window.grid.currentIndex())
        if window.asked_later is not None:
            refused, window.asked_later = window.asked_later, None
            QTimer.singleShot(
                0, lambda: window.comment_then_save(target, text, refused, down=True, go_to=going)
            )
        else:
            QTimer.singleShot(0, lambda: window.reopen_refused(target, text))
