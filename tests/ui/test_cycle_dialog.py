"""年度の入力受付を始める: the due date defaults sensibly and takes typed digits."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from kplan_desktop.ui.cycle_actions import OpenYearDialog


def test_the_due_date_defaults_to_the_end_of_june_after_the_year(qtbot: Any) -> None:
    dialog = OpenYearDialog("令和7年度", None, fiscal_year=2025)
    qtbot.addWidget(dialog)
    assert dialog.due.text() == "2026-06-30"
    assert dialog.due_date() == date(2026, 6, 30)
    # A due date already set is kept.
    kept = OpenYearDialog("令和7年度", date(2026, 5, 31), fiscal_year=2025)
    qtbot.addWidget(kept)
    assert kept.due_date() == date(2026, 5, 31)


def test_typed_digits_are_a_due_date_and_a_bad_one_keeps_the_dialog_open(qtbot: Any) -> None:
    dialog = OpenYearDialog("令和7年度", None, fiscal_year=2025)
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
