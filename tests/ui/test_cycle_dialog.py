"""年度の入力受付を始める: the due date defaults sensibly and takes typed digits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kplan_desktop.ui.cycle_actions import OpenYearDialog

TODAY = date(2026, 1, 15)


def test_the_due_date_defaults_to_the_end_of_june_after_the_year(qtbot: Any) -> None:
    dialog = OpenYearDialog("令和7年度", None, fiscal_year=2025, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.due.text() == "2026-06-30"
    assert dialog.due_date() == date(2026, 6, 30)
    # A due date already set is kept.
    kept = OpenYearDialog("令和7年度", date(2026, 5, 31), fiscal_year=2025, today=TODAY)
    qtbot.addWidget(kept)
    assert kept.due_date() == date(2026, 5, 31)


def test_typed_digits_are_a_due_date_and_a_bad_one_keeps_the_dialog_open(qtbot: Any) -> None:
    dialog = OpenYearDialog("令和7年度", None, fiscal_year=2025, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.due.selectAll()
    qtbot.keyClicks(dialog.due, "20260715")
    assert dialog.due_date() == date(2026, 7, 15)
    dialog.due.selectAll()
    qtbot.keyClicks(dialog.due, "2026-13-01")
    qtbot.keyClick(dialog.due, Qt.Key.Key_Return)
    assert dialog.isVisible() and "日付として読めません" in dialog.message.text()
    dialog.due.selectAll()
    qtbot.keyClicks(dialog.due, "2026/7/1")
    qtbot.keyClick(dialog.due, Qt.Key.Key_Return)
    assert dialog.result() == OpenYearDialog.DialogCode.Accepted
    assert dialog.due_date() == date(2026, 7, 1)


def test_late_in_the_year_a_future_date_is_proposed_and_a_past_one_is_asked_about(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 7 of trial 15b: on 2026-12-03 the dialog proposed 2026-06-30 and took it."""
    today = date(2026, 12, 3)
    dialog = OpenYearDialog("令和7年度", None, fiscal_year=2025, today=today)
    qtbot.addWidget(dialog)
    dialog.show()
    proposed = dialog.due_date()
    assert proposed is not None and proposed > today
    assert proposed == date(2027, 1, 31)
    asked: list[str] = []
    replies = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(parent: object, title: str, text: str, *args: object) -> object:
        asked.append(text)
        return replies.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog.due.selectAll()
    qtbot.keyClicks(dialog.due, "20260630")
    qtbot.keyClick(dialog.due, Qt.Key.Key_Return)
    assert asked and "156日過ぎています" in asked[0]
    assert dialog.isVisible() and "156日過ぎています" in dialog.message.text()
    qtbot.keyClick(dialog.due, Qt.Key.Key_Return)  # asked again: this time Yes
    assert len(asked) == 2
    assert dialog.result() == OpenYearDialog.DialogCode.Accepted
    assert dialog.due_date() == date(2026, 6, 30)
    # The proposed date itself is taken without a question.
    again = OpenYearDialog("令和7年度", None, fiscal_year=2025, today=today)
    qtbot.addWidget(again)
    again.show()
    qtbot.keyClick(again.due, Qt.Key.Key_Return)
    assert len(asked) == 2 and again.result() == OpenYearDialog.DialogCode.Accepted
