"""The comment a warned value needs: its own dialog, independent of the grid's cell editor.

Keys: Enter or Ctrl+Enter confirms, Shift+Enter starts a new line, Tab moves the focus to the
buttons, Esc cancels. A comment written for the value before is offered again for reuse.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


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
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, 280)
        self.editor.setFocus()
        self.comment = ""

    def confirm(self) -> None:
        """OK / Enter / Ctrl+Enter: accepted only with a reason written."""
        text = self.editor.toPlainText().strip()
        if not text:
            self.editor.setFocus()
            return
        self.comment = text
        self.accept()
