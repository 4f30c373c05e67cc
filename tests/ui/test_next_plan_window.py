"""The next plan in the window (issue 17): the 次期計画の作成 wizard offscreen, driven by keys
through qtbot, and the generation choice (the grid, the title, the bar, a closed plan read-only,
a department's export of the plan shown)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QTableWidgetItem, QWizard

from kplan_desktop.cli import main
from kplan_desktop.domain.generation import GenerationStatus, Succession
from kplan_desktop.exchange.workbook_reader import read_exchange_workbook
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.generations import generation_record, set_generation_status
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.ui.main_window import MainWindow
from kplan_desktop.ui.next_plan_wizard import CODE, T_CODE, T_NEW, NextPlanWizard
from kplan_desktop.ui.settings import AppSettings
from tests.conftest import Database
from tests.ui.qt import item_text
from tests.ui.test_exchange_window import Answers, answers, export

__all__ = ["answers"]  # the fixture, shared with test_exchange_window

if TYPE_CHECKING:
    from tests.ui.conftest import Opener

SHOTS = Path(__file__).resolve().parents[2] / "out" / "next-plan"


@pytest.fixture
def planning(db: Database, open_window: Opener) -> MainWindow:
    store = Store.open(str(db))
    try:  # R8 merged: a final value, the one a continuing baseline is taken from
        with store.transaction() as conn:
            write_actuals(conn, 1, [EntryRequest("7-1-1-K3", 2026, "1450", "確認済み")],
                          who="merge", source=EntrySource.MERGE)  # fmt: skip
    finally:
        store.dispose()
    return open_window(department=None, planning=True)


def row_of(table: Any, code: str, column: int = CODE) -> int:
    for row in range(table.rowCount()):
        if item_text(table, row, column) == code:
            return row
    raise AssertionError(code)


def drive_wizard(window: MainWindow, qtbot: Any, steps: Callable[[NextPlanWizard], None]) -> None:
    """Open the wizard from the menu's action (a modal exec) and run `steps` inside it."""
    done: list[bool] = []

    def inside() -> None:
        wizard = window.next_plan.wizard
        if wizard is None or not wizard.isVisible():
            QTimer.singleShot(20, inside)
            return
        try:
            steps(wizard)
        finally:
            done.append(True)
            if wizard.isVisible() and wizard.created is None:
                wizard.reject()

    QTimer.singleShot(0, inside)
    window.next_plan.open_wizard()
    assert done


def shoot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


def test_the_wizard_makes_the_next_plan_and_the_grid_switches_to_it(
    planning: MainWindow, qtbot: Any, settings_file: Path
) -> None:
    window = planning
    assert not window.generation_choice.bar.isVisible()  # one plan: nothing to choose

    def steps(wizard: NextPlanWizard) -> None:
        page1 = wizard.period_page
        assert (page1.start.value(), page1.end.value(), page1.base.value()) == (2027, 2031, 2026)
        assert page1.name.text() == "次期基本計画"
        shoot(wizard, "step1.png")
        qtbot.keyClick(page1.name, Qt.Key.Key_Return)  # the default button: 次へ
        assert wizard.currentPage() is wizard.decision_page
        page2 = wizard.decision_page
        table = page2.table
        k3 = row_of(table, "7-1-1-K3")
        assert item_text(table, k3, 6) == "1,450人"  # the base year's actual
        assert item_text(table, row_of(table, "7-1-1-K2"), 6) == "未設定"
        # 3 ends 7-1-1-K1; the whole measure 7-2-2 ends with its button and one key.
        table.setCurrentCell(row_of(table, "7-1-1-K1"), CODE)
        qtbot.keyClick(table, Qt.Key.Key_3)
        table.setCurrentCell(row_of(table, "7-2-2-K1"), CODE)
        page2.measure_button.click()
        qtbot.keyClick(table, Qt.Key.Key_3)
        ended = {r.old_code for r in wizard.model.rows if r.succession is Succession.END}
        assert ended == {"7-1-1-K1", "7-2-2-A1", "7-2-2-K1", "7-2-2-K2"}
        assert "終了 4" in page2.counts.text()
        shoot(wizard, "step2.png")
        wizard.next()
        page3 = wizard.target_page
        targets = page3.table
        assert "7-1-1-K1" not in {item_text(targets, r, T_CODE) for r in range(targets.rowCount())}
        line = row_of(targets, "7-1-1-K3", T_CODE)
        targets.setCurrentCell(line, T_NEW)
        targets.setFocus()
        qtbot.keyClicks(targets, "1")
        editor = targets.focusWidget()
        qtbot.keyClicks(editor, "600")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        # The delegate commits in the next turn of the event loop.
        qtbot.waitUntil(lambda: item_text(targets, line, T_NEW) == "1600", timeout=5000)
        typed = {r.old_code: r.target_text for r in wizard.model.rows}
        assert typed["7-1-1-K3"] == "1600"
        page3.measure.setCurrentIndex(page3.measure.findData("7-1-1"))
        page3.code.setText("7-1-1-K9")
        page3.name.setText("地域活動の参加者数")
        page3.unit.setText("人")
        page3.target.setText("900")
        page3.add_button.click()  # Alt+A under a real window system (tests/realx)
        assert [a.code for a in wizard.model.added] == ["7-1-1-K9"], page3.error.text()
        shoot(wizard, "step3.png")
        wizard.next()
        summary = wizard.summary_page.text.toPlainText()
        assert "7-1-1-K3: 継続" in summary and "基準値 1,450人" in summary
        assert "目標 1600" in summary and "7-1-1-K9: 新規" in summary
        shoot(wizard, "summary.png")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: wizard.created is not None, timeout=15000)

    drive_wizard(window, qtbot, steps)
    qtbot.waitUntil(lambda: window.is_loaded and window._job is None, timeout=15000)
    qtbot.waitUntil(lambda: window.session.generation == 2 and window.is_loaded, timeout=15000)
    # The grid shows the new plan: its year, its indicators, its name in the title and bar.
    qtbot.waitUntil(lambda: "次期基本計画" in window.windowTitle(), timeout=15000)
    assert window.fiscal_year == 2027
    codes = {row.indicator.code for row in window.model.rows}
    assert "7-1-1-K9" in codes and "7-1-1-K1" not in codes and "7-2-2-K1" not in codes
    assert "次期基本計画" in window.windowTitle()
    assert window.generation_choice.bar.isVisible()
    assert window.generation_choice.combo.count() == 2
    assert "準備中" in window.generation_choice.state.text()
    assert AppSettings().generation == 2  # remembered for this user
    with window.store.snapshot() as conn:
        catalog = read_catalog(conn, 2)
    assert catalog is not None
    k3 = next(i for _, _, _, i in catalog.indicators() if i.code == "7-1-1-K3")
    assert (k3.baseline, k3.baseline_year, k3.target) == (Decimal(1450), 2026, Decimal(1600))
    shoot(window, "window-generation-2.png")
    # Back to the plan before through the combo box: its year, its rows.
    combo = window.generation_choice.combo
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    qtbot.waitUntil(lambda: window.session.generation == 1 and window.is_loaded, timeout=15000)
    qtbot.waitUntil(lambda: "7-1-1-K1" in {r.indicator.code for r in window.model.rows})
    assert window.fiscal_year == 2026
    qtbot.waitUntil(lambda: "後期基本計画" in window.windowTitle(), timeout=15000)


def test_cancel_in_the_wizard_writes_nothing_and_a_draft_is_withdrawn(
    planning: MainWindow, qtbot: Any, db: Database
) -> None:
    from tests.conftest import dump

    window = planning
    before = dump(db)

    def cancel(wizard: NextPlanWizard) -> None:
        wizard.next()
        wizard.next()
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)

    drive_wizard(window, qtbot, cancel)
    assert dump(db) == before
    assert "何も書き込んでいません" in window.next_plan.last_message

    def create(wizard: NextPlanWizard) -> None:
        for _ in range(3):
            wizard.next()
        wizard.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: wizard.created is not None, timeout=15000)

    drive_wizard(window, qtbot, create)
    qtbot.waitUntil(lambda: "準備中" in window.generation_choice.state.text(), timeout=15000)
    assert window.next_plan.withdraw(confirm=False), window.next_plan.last_message
    qtbot.waitUntil(lambda: window.session.generation == 1 and window.is_loaded, timeout=15000)
    with window.store.snapshot() as conn:
        assert read_catalog(conn, 2) is None
    qtbot.waitUntil(lambda: not window.generation_choice.bar.isVisible(), timeout=15000)
    assert window.generation_choice.combo.count() == 1


def test_a_closed_plan_shows_read_only_with_the_reason(
    planning: MainWindow, qtbot: Any, db: Database
) -> None:
    window = planning
    with window.store.transaction() as conn:
        set_generation_status(
            conn, 1, GenerationStatus.CLOSED, who="planner", source=EntrySource.TEST
        )
    window.reload()
    qtbot.waitUntil(lambda: window.is_loaded and window._job is None, timeout=15000)
    qtbot.waitUntil(lambda: window.model.closed, timeout=15000)
    assert "読み取り専用" in window.generation_choice.state.text()
    assert window.generation_choice.bar.isVisible()
    # The title follows in the load's next turn (after the tree).
    qtbot.waitUntil(lambda: "終了" in window.windowTitle(), timeout=15000)
    index = window.proxy.index(0, window.model.column_of_year(2025))
    assert not index.flags() & Qt.ItemFlag.ItemIsEditable
    window.grid.setCurrentIndex(index)
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_5)
    assert "終了しています" in window.status.text()


def test_a_departments_export_names_the_plan_shown(
    db: Database,
    open_window: Opener,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    answers: Answers,
) -> None:
    run = ["--db", str(db), "generation"]
    new = ["new", "--name", "次期基本計画", "--start", "2027", "--end", "2031"]
    assert main([*run, *new, "--baseline-year", "2026"]) == 0
    assert main([*run, "activate", "2"]) == 0
    AppSettings().save_generation(1)  # this clerk last looked at the plan before
    window = open_window(fiscal_year=2027)
    # Remembered: the plan before, its last year (the overlap year's R8 entry).
    assert (window.session.generation, window.fiscal_year) == (1, 2026)
    assert window.generation_choice.combo.count() == 2
    answers.will_click("下書きとして書き出す", "下書きとして書き出す")
    first = tmp_path / "r8.xlsx"
    export(window, qtbot, monkeypatch, first)
    assert read_exchange_workbook(first).generation == 1
    window.generation_choice.choose(2)
    qtbot.waitUntil(lambda: window.session.generation == 2 and window.is_loaded, timeout=15000)
    qtbot.waitUntil(lambda: window._job is None and window.fiscal_year == 2027, timeout=15000)
    second = tmp_path / "r9.xlsx"
    export(window, qtbot, monkeypatch, second)
    assert read_exchange_workbook(second).generation == 2
    assert openpyxl.load_workbook(second, read_only=True).sheetnames
    with window.store.snapshot() as conn:
        record = generation_record(conn, 2)
    assert record is not None and record.status is GenerationStatus.ACTIVE


def test_a_closed_plan_offers_no_finalising_and_says_why_but_still_exports(
    db: Database,
    open_window: Opener,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    answers: Answers,
) -> None:
    """Issue 17's trial (finding 8): in a closed plan Ctrl+E offered 「確定してから書き出す」 and
    then refused, and 確定する stayed enabled."""
    window = open_window()
    exchange = window.exchange
    assert exchange.finalise_button.isEnabled()
    with window.store.transaction() as conn:
        set_generation_status(
            conn, 1, GenerationStatus.CLOSED, who="planner", source=EntrySource.TEST
        )
    window.reload()
    qtbot.waitUntil(lambda: window.is_loaded and window._job is None, timeout=15000)
    qtbot.waitUntil(lambda: window.model.closed, timeout=15000)
    # The button follows the load's last step (the year's state read with the grid).
    qtbot.waitUntil(lambda: not exchange.finalise_button.isEnabled(), timeout=15000)
    # The bar's first glyph is one the bundled Noto CJK font has (🔒 drew a box): ※.
    assert window.generation_choice.state.text().startswith("※ "), window.generation_choice.state
    shoot(window, "closed-plan.png")
    assert "終了しています" in exchange.finalise_button.toolTip()
    assert exchange.finalise_action is not None and not exchange.finalise_action.isEnabled()
    assert exchange.withdraw_action is not None and not exchange.withdraw_action.isEnabled()
    # Exporting stays possible: the question offers the draft, not finalising, and says why.
    answers.will_click("下書きとして書き出す")
    path = tmp_path / "closed.xlsx"
    export(window, qtbot, monkeypatch, path)
    assert answers.buttons == [["下書きとして書き出す", "キャンセル"]], answers.buttons
    assert "確定・確定の取り消しはできません" in answers.asked[0]
    assert read_exchange_workbook(path).generation == 1


def test_a_year_given_on_the_command_line_opens_the_plan_that_holds_it_and_says_so(
    db: Database, open_window: Opener, qtbot: Any
) -> None:
    """Issue 17's trial (finding 9): `kplan-desktop --year R8` opened the plan remembered from
    the last run (次期基本計画, R9) without a word."""
    run = ["--db", str(db), "generation"]
    new = ["new", "--name", "次期基本計画", "--start", "2027", "--end", "2031"]
    assert main([*run, *new, "--baseline-year", "2026"]) == 0
    assert main([*run, "activate", "2"]) == 0
    AppSettings().save_generation(2)  # the clerk last looked at the new plan
    window = open_window(fiscal_year=2026, year_given=True)
    qtbot.waitUntil(lambda: window.generation_choice.record is not None, timeout=15000)
    assert (window.session.generation, window.fiscal_year) == (1, 2026)
    note = window.generation_choice.state.text()
    assert "令和8年度" in note and "を開きました" in note and "前回" in note, note
    assert "後期基本計画" in window.windowTitle()
    # The other way: the old plan remembered, R9 given: the new plan, R9.
    AppSettings().save_generation(1)
    again = open_window(fiscal_year=2027, year_given=True)
    qtbot.waitUntil(lambda: again.generation_choice.record is not None, timeout=15000)
    assert (again.session.generation, again.fiscal_year) == (2, 2027)
    assert "令和9年度" in again.generation_choice.state.text()
    # Without --year the plan remembered is opened as before (its nearest year).
    AppSettings().save_generation(1)
    plain = open_window(fiscal_year=2027)
    qtbot.waitUntil(lambda: plain.generation_choice.record is not None, timeout=15000)
    assert (plain.session.generation, plain.fiscal_year) == (1, 2026)
    assert "を開きました" not in plain.generation_choice.state.text()


def test_step_one_speaks_reiwa_and_checks_a_year_as_soon_as_it_is_left(
    planning: MainWindow, qtbot: Any
) -> None:
    """Issue 17's trial (finding 11): the first year 2026 (inside the plan in force) was
    refused only on 次へ, and the spin boxes showed 2027 / 2026, not 令和."""
    window = planning

    def steps(wizard: NextPlanWizard) -> None:
        page1 = wizard.period_page
        assert page1.start.text() == "令和9年度 (2027)" and page1.base.text() == "令和8年度 (2026)"
        shoot(wizard, "step1-reiwa.png")

        # Typed as the clerk writes it (R8), and left: refused at once, on the page. (Offscreen
        # a modal wizard gets no real focus; the focus-out it would get is sent to it.)
        def leave() -> None:
            QApplication.sendEvent(
                page1.start, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason)
            )

        page1.start.selectAll()
        qtbot.keyClicks(page1.start, "R8")
        leave()
        assert page1.start.value() == 2026
        assert page1.error.text().startswith("✖"), page1.error.text()
        assert wizard.currentPage() is page1
        # Put right and left again: the message goes.
        page1.start.setFocus()
        page1.start.selectAll()
        qtbot.keyClicks(page1.start, "2027")
        leave()
        assert page1.start.value() == 2027 and page1.error.text() == ""

    drive_wizard(window, qtbot, steps)


def test_step_three_marks_a_wrong_target_in_its_cell_at_once_and_lists_every_one(
    planning: MainWindow, qtbot: Any
) -> None:
    """Issue 17's trial (finding 11): 「9000回」 for a 人 indicator was accepted in the cell and
    refused only on 次へ, one error at a time."""
    window = planning

    def steps(wizard: NextPlanWizard) -> None:
        wizard.next()
        wizard.next()
        page3 = wizard.target_page
        assert wizard.currentPage() is page3
        table = page3.table
        k3 = row_of(table, "7-1-1-K3", T_CODE)
        k2 = row_of(table, "7-1-1-K2", T_CODE)

        def cell_at(line: int) -> QTableWidgetItem:
            item = table.item(line, T_NEW)
            assert item is not None
            return item

        cell_at(k3).setText("9000回")  # K3 counts 人
        cell = cell_at(k3)
        assert cell.background().color().name() == "#fdecec" and "7-1-1-K3" in cell.toolTip()
        cell_at(k2).setText("abc")
        assert cell_at(k2).background().color().name() == "#fdecec"
        wizard.next()
        assert wizard.currentPage() is page3
        listed = page3.error.text().splitlines()
        assert len(listed) == 2 and "7-1-1-K3" in listed[0] + listed[1], listed
        assert "7-1-1-K2" in listed[0] + listed[1], listed
        qtbot.wait(100)  # the layout gives the message its lines
        shoot(wizard, "step3-errors.png")
        # An indicator with no unit: the planning division is told how to set it, not to ask
        # itself.
        a1 = row_of(table, "7-1-1-A1", T_CODE)
        cell_at(a1).setText("50")
        assert "カタログを編集" in cell_at(a1).toolTip() and "依頼" not in cell_at(a1).toolTip()
        cell_at(a1).setText("")
        # Put right: the mark goes at once, and 次へ goes on.
        cell_at(k3).setText("9000")
        cell_at(k2).setText("70")
        assert cell_at(k3).toolTip() == ""
        wizard.next()
        assert wizard.currentPage() is not page3, page3.error.text()

    drive_wizard(window, qtbot, steps)


def test_in_english_the_closed_plans_bar_names_it_with_fy_years_as_the_combo_does(
    db: Database, open_window: Opener, qtbot: Any
) -> None:
    """Issue 17's trial (finding 14): the English banner named the plan with 令和 years."""
    store_window = open_window(lang="en")
    with store_window.store.transaction() as conn:
        set_generation_status(
            conn, 1, GenerationStatus.CLOSED, who="planner", source=EntrySource.TEST
        )
    store_window.reload()
    qtbot.waitUntil(lambda: store_window.model.closed, timeout=15000)
    choice = store_window.generation_choice
    text = choice.state.text()
    assert "FY2022–FY2026" in text and "令和" not in text, text
    assert "FY2022–FY2026" in choice.combo.currentText()
