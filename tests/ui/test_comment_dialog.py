"""The comment dialog a warned value opens: keys, and the old comment offered for reuse."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from kplan_desktop.ui.comment_dialog import CommentDialog


@pytest.fixture(autouse=True)
def no_typeahead_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests below type at once; the guard against typing ahead has its own tests."""
    monkeypatch.setattr(CommentDialog, "TYPEAHEAD_MS", 0)


def test_keys_typed_right_after_it_opens_are_not_the_comment_and_are_named(qtbot: Any) -> None:
    dialog = CommentDialog(["warning"], None)
    dialog.TYPEAHEAD_MS = 400
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.typeahead_label.isVisible()  # says so while it ignores typing
    qtbot.keyClicks(dialog.editor, "60")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.editor.toPlainText() == ""
    assert "「60⏎」" in dialog.typeahead_label.text() and dialog.typeahead_label.isVisible()
    qtbot.wait(500)
    # The note stays (the clerk must see it); typing now is the comment.
    assert dialog.typeahead_label.isVisible()
    qtbot.keyClicks(dialog.editor, "reason")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert dialog.result() == CommentDialog.DialogCode.Accepted and dialog.comment == "reason"


def test_without_typing_ahead_the_note_goes_once_the_moment_is_over(qtbot: Any) -> None:
    dialog = CommentDialog(["warning"], "abc")
    dialog.TYPEAHEAD_MS = 200
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.typeahead_label.isVisible()
    qtbot.waitUntil(lambda: not dialog.typeahead_label.isVisible(), timeout=2000)
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert dialog.comment == "abc"


def test_esc_typed_ahead_still_cancels(qtbot: Any) -> None:
    dialog = CommentDialog(["warning"], None)
    dialog.TYPEAHEAD_MS = 2000
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Escape)
    assert dialog.result() == CommentDialog.DialogCode.Rejected and not dialog.isVisible()


def test_the_previous_comment_is_offered_and_enter_confirms_it(qtbot: Any) -> None:
    dialog = CommentDialog(["令和6年度（55回）から263.6%の変化です"], "abc")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.editor.toPlainText() == "abc" and dialog.previous_label.isVisible()
    assert dialog.editor.hasFocus() or dialog.focusWidget() is dialog.editor
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert dialog.result() == CommentDialog.DialogCode.Accepted and dialog.comment == "abc"


def test_shift_enter_makes_a_new_line_ctrl_enter_confirms_and_empty_is_not_accepted(
    qtbot: Any,
) -> None:
    dialog = CommentDialog(["warning"], None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.previous_label.isVisible()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible(), "an empty reason is not a comment"
    qtbot.keyClicks(dialog.editor, "one")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(dialog.editor, "two")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.comment == "one\ntwo"
    assert dialog.result() == CommentDialog.DialogCode.Accepted


def test_tab_leaves_the_text_and_esc_cancels(qtbot: Any) -> None:
    dialog = CommentDialog(["warning"], None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.editor, "x")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Tab)
    assert dialog.editor.toPlainText() == "x"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == CommentDialog.DialogCode.Rejected and dialog.comment == ""
