"""The comment a warned value needs: its own dialog, independent of the grid's cell editor.

Keys: Enter or Ctrl+Enter confirms, Shift+Enter starts a new line, Tab moves the focus to the
buttons, Esc cancels. A comment written for the value before is offered again for reuse.

Typed ahead: a clerk who types the next row's value right after Enter ("6100⏎60⏎") types into
this dialog, which opened in between. For a moment after it is shown and activated
(`TYPEAHEAD_MS`) the dialog takes no key but Esc: the keys are kept aside and named on the
dialog, so they become neither the comment nor a confirmation and are not lost unsaid.
"""

from __future__ import annotations

import ctypes
import sys
import time

from PySide6.QtCore import (
    QAbstractNativeEventFilter,
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent, QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class KeyCounter(QAbstractNativeEventFilter):
    """Counts the key presses the window system delivers to the program.

    Keys typed while the dialog opens may go to the main window, which the dialog blocks: Qt
    drops them before any widget sees them. Counted here, the dialog can say they were not used.
    """

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def nativeEventFilter(
        self, eventType: QByteArray | bytes | bytearray | memoryview, message: object
    ) -> object:
        kind = eventType.data() if isinstance(eventType, QByteArray) else bytes(eventType)
        address = int(message)  # type: ignore[call-overload]  # a shiboken VoidPtr: falsy even when it points somewhere
        if address:
            if kind == b"xcb_generic_event_t":
                # xcb_generic_event_t starts with response_type; 2 is XCB_KEY_PRESS.
                if ctypes.c_uint8.from_address(address).value & 0x7F == 2:
                    self.presses += 1
            elif kind == b"windows_generic_MSG" and sys.platform == "win32":
                # MSG: HWND, then UINT message; WM_KEYDOWN 0x100, WM_SYSKEYDOWN 0x104.
                offset = ctypes.sizeof(ctypes.c_void_p)
                if ctypes.c_uint32.from_address(address + offset).value in (0x100, 0x104):
                    self.presses += 1
        return False, 0


class TypeAheadCatcher(QObject):
    """Holds the keys typed between a warned value's Enter and its comment dialog.

    The dialog opens from the event loop's next turn, after the cell editor is closed; keys
    already queued would reach the grid there (and open another editor that the dialog's
    return closes). Caught here, the dialog names them. Should no dialog take them within
    `LIMIT_MS`, they are handed back to the widgets they were meant for.
    """

    LIMIT_MS = 3000
    active: TypeAheadCatcher | None = None

    def __init__(self) -> None:
        super().__init__()
        self.caught: list[tuple[QObject, QKeyEvent]] = []
        self.catching = True
        application = QCoreApplication.instance()
        assert application is not None
        application.installEventFilter(self)
        QTimer.singleShot(self.LIMIT_MS, self, self.give_back)

    @classmethod
    def start(cls) -> None:
        if cls.active is not None:
            cls.active.stop()
        cls.active = TypeAheadCatcher()

    @classmethod
    def stop_active(cls) -> None:
        """The dialog is about to open (no event is processed until it does): stop catching,
        keep what was caught for it."""
        if cls.active is not None:
            cls.active.stop()

    @classmethod
    def take(cls) -> TypeAheadCatcher | None:
        """The catcher, stopped, for the dialog that names its keys."""
        catcher, cls.active = cls.active, None
        if catcher is not None:
            catcher.stop()
        return catcher

    def stop(self) -> None:
        self.catching = False
        application = QCoreApplication.instance()
        if application is not None:
            application.removeEventFilter(self)

    def give_back(self) -> None:
        if TypeAheadCatcher.active is not self or not self.catching:
            return
        TypeAheadCatcher.active = None
        self.stop()
        for receiver, event in self.caught:
            QCoreApplication.postEvent(receiver, event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget):
            return False  # a window passes its key on to its widget: caught there, once
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            self.caught.append((watched, event.clone()))
            return True
        return event.type() == QEvent.Type.ShortcutOverride


class CommentEdit(QPlainTextEdit):
    """Enter confirms (a reason is usually one line); Shift+Enter makes a new line."""

    def __init__(self, on_confirm: QObject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dialog = on_confirm
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
                return
            dialog = self._dialog
            assert isinstance(dialog, CommentDialog)
            dialog.confirm()
            return
        super().keyPressEvent(event)


class CommentDialog(QDialog):
    """Lists the warnings and asks for the reason; `comment` holds it once accepted."""

    # How long after it is shown (and after it gets the keyboard) the dialog ignores typing.
    TYPEAHEAD_MS = 600

    def __init__(
        self,
        warnings: list[str],
        previous: str | None,
        parent: QWidget | None = None,
        *,
        where: str = "",
        draft: str = "",
        pasting: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("comment_dialog")
        self.setWindowTitle(self.tr("コメントが必要です"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        # Which cell and value the comment is for (a paste asks for several in turn).
        self.where_label = QLabel(where)
        self.where_label.setObjectName("comment_where")
        self.where_label.setWordWrap(True)
        self.where_label.setStyleSheet("font-weight: bold;")
        self.where_label.setVisible(bool(where))
        layout.addWidget(self.where_label)
        intro = QLabel(
            self.tr("次の警告があります。理由を入力してください:")
            + "\n"
            + "\n".join(f"・{w}" for w in warnings)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.previous_label = QLabel()
        self.previous_label.setWordWrap(True)
        self.previous_label.setVisible(bool(previous or draft))
        if draft:
            # Written here before and cancelled with Esc: it comes back, as the value does.
            self.previous_label.setText(self.tr("取り消す前に入力していたコメントです。"))
        elif previous:
            self.previous_label.setText(
                self.tr("前の値に書かれたコメントです。この値にも当てはまるか確認してください。")
            )
        layout.addWidget(self.previous_label)
        self.editor = CommentEdit(self)
        self.editor.setObjectName("comment_text")
        self.editor.setPlainText(draft or previous or "")
        if draft:
            self.editor.moveCursor(QTextCursor.MoveOperation.End)
        else:
            self.editor.selectAll()
        layout.addWidget(self.editor)
        hint = QLabel(
            # In a paste's series Esc ends the series (the cells stay unsaved and marked).
            self.tr("Enter: 保存　Shift+Enter: 改行　Esc: ここで終わる（残りは保存しません）")
            if pasting
            else self.tr("Enter: 保存　Shift+Enter: 改行　Esc: 取り消し（値とコメントは残ります）")
        )
        hint.setObjectName("comment_keys")
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        # Says that keys typed before the dialog was there were not used, and which.
        self.typeahead_label = QLabel(self.tr("開いた直後のキー入力は使いません。"))
        self.typeahead_label.setObjectName("comment_typeahead")
        self.typeahead_label.setWordWrap(True)
        self.typeahead_label.setStyleSheet("color: #a00000;")
        layout.addWidget(self.typeahead_label)
        self.typed_ahead = ""
        catcher = TypeAheadCatcher.take()
        for _receiver, key in catcher.caught if catcher is not None else []:
            self.typed_ahead += self._key_text(key)
        self.keys_seen = 0  # key presses this dialog received while it ignored typing
        self.keys_lost = 0  # key presses the blocked main window got meanwhile (not used)
        # Counting starts now: nothing is processed between here and the dialog's exec().
        self._counter: KeyCounter | None = KeyCounter()
        application = QCoreApplication.instance()
        if application is not None:
            application.installNativeEventFilter(self._counter)
        self._guard_until = 0.0
        self._guard_timer = QTimer(self)
        self._guard_timer.setSingleShot(True)
        self._guard_timer.timeout.connect(self._guard_over)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, 280)
        self.editor.setFocus()
        self.comment = ""
        if self.typed_ahead:
            self._tell_typed_ahead()
        for widget in (self, *self.findChildren(QWidget)):
            widget.installEventFilter(self)

    def _guard(self) -> None:
        """Ignore typing from now for TYPEAHEAD_MS (extended, never shortened)."""
        until = time.monotonic() + self.TYPEAHEAD_MS / 1000
        if until > self._guard_until:
            self._guard_until = until
            self._guard_timer.start(self.TYPEAHEAD_MS)

    def guarding(self) -> bool:
        return self.isVisible() and time.monotonic() < self._guard_until

    def _stop_counting(self) -> None:
        counter, self._counter = self._counter, None
        application = QCoreApplication.instance()
        if counter is not None and application is not None:
            application.removeNativeEventFilter(counter)
            lost = counter.presses - self.keys_seen
            if lost > 0:
                self.keys_lost = lost
                self._tell_typed_ahead()

    def done(self, result: int) -> None:
        self._stop_counting()
        super().done(result)

    def _guard_over(self) -> None:
        if self.guarding():  # extended meanwhile
            self._guard_timer.start(max(1, int((self._guard_until - time.monotonic()) * 1000)))
            return
        self._stop_counting()
        # Nothing was typed ahead: the note goes; keys typed ahead stay named on the dialog.
        self.typeahead_label.setVisible(bool(self.typed_ahead or self.keys_lost))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._guard()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            self._guard()
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and self.guarding():
            assert isinstance(event, QKeyEvent)
            if kind == QEvent.Type.KeyPress:
                self.keys_seen += 1
            if event.key() == Qt.Key.Key_Escape:
                return False  # cancelling saves nothing: a typed-ahead Esc may act
            if kind == QEvent.Type.KeyPress:
                self._typed_ahead(event)
            return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _key_text(event: QKeyEvent) -> str:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return "⏎"
        if event.key() == Qt.Key.Key_Tab:
            return "⇥"
        if event.key() == Qt.Key.Key_Escape:
            return "Esc"
        return event.text()

    def _typed_ahead(self, event: QKeyEvent) -> None:
        self.typed_ahead += self._key_text(event)
        self._tell_typed_ahead()

    def _tell_typed_ahead(self) -> None:
        if self.typed_ahead:
            keys = self.tr("キー「{keys}」").replace("{keys}", self.typed_ahead)
            if self.keys_lost:
                keys += self.tr("とその前の {n} 回のキー入力").replace("{n}", str(self.keys_lost))
        else:
            keys = self.tr("{n} 回のキー入力").replace("{n}", str(self.keys_lost))
        self.typeahead_label.setText(
            self.tr(
                "この画面が開く前後に打たれた{keys}は使っていません"
                "（コメントにも次の行にも入っていません）。"
                "この値のコメントを入力してください。次の行の値は、この後で入力し直してください。"
            ).replace("{keys}", keys)
        )
        self.typeahead_label.setVisible(True)

    def confirm(self) -> None:
        """OK / Enter / Ctrl+Enter: accepted only with a reason written."""
        text = self.editor.toPlainText().strip()
        if not text:
            self.editor.setFocus()
            return
        self.comment = text
        self.accept()
