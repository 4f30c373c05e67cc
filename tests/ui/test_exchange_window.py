"""確定, the submission workbook and the planning division's merge, driven through the window.

Two real SQLite files: the department's PC and the planning division's. Workbooks are written
and read back by the library; only the file dialogs and the question boxes are answered here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox

from kplan_desktop.exchange.payload import RowOutcome
from kplan_desktop.store.actuals import read_actuals, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntryRequest, EntrySource, current_user
from kplan_desktop.store.submissions import finalisation, submissions
from kplan_desktop.ui import file_dialogs
from kplan_desktop.ui.file_dialogs import Mode
from kplan_desktop.ui.main_window import MainWindow
from kplan_desktop.ui.merge_preview import MergePreviewDialog
from kplan_desktop.ui.merge_preview_model import CHOICE, OUTCOME
from kplan_desktop.ui.settings import AppSettings
from tests import seeded
from tests.conftest import dump
from tests.ui.qt import menus

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex

YEAR = 2024
# Every community indicator of FY2024, with values that raise no warning.
COMMUNITY_YEAR = {
    "7-1-1-A1": "未集計",
    "7-1-1-K1": "3",
    "7-1-1-K2": "55",
    "7-1-1-K3": "1,500人",
    "7-1-2-A1": "該当なし",
    "7-1-2-K1": "20",
}
Opener = Callable[..., MainWindow]


@pytest.fixture(autouse=True)
def no_unanswered_file_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file dialog nobody answers would hang the run: a test must answer the ones it opens."""

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"unexpected file dialog: {args[1:3]}")

    monkeypatch.setattr(file_dialogs, "choose", refuse)


@pytest.fixture
def planning_db(tmp_path: Path) -> Path:
    path = tmp_path / "planning.sqlite3"
    seeded.init(path)
    return path


@pytest.fixture
def open_on(qtbot: Any) -> Opener:
    """Open the real window on a database file and wait for its grid."""

    def make(path: Path, **options: Any) -> MainWindow:
        window = MainWindow(Store.open(str(path)), settings=AppSettings(), **options)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.is_loaded, timeout=10000)
        return window

    return make


@pytest.fixture
def clerk(open_on: Opener, db: Path) -> MainWindow:
    return open_on(db, department="community", fiscal_year=YEAR)


@pytest.fixture
def planner(open_on: Opener, planning_db: Path) -> MainWindow:
    return open_on(planning_db, department=None, planning=True, fiscal_year=YEAR)


class Answers:
    """Stands in for the user at QMessageBox questions: clicks the named button, keeps the text."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.planned: list[str] = []
        self.asked: list[str] = []
        self.buttons: list[list[str]] = []
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self._exec(box))

    def will_click(self, *labels: str) -> Answers:
        self.planned.extend(labels)
        return self

    def _exec(self, box: QMessageBox) -> int:
        assert self.planned, f"unexpected question: {box.text()}"
        self.asked.append(box.text())
        self.buttons.append([b.text() for b in box.buttons()])
        wanted = self.planned.pop(0)
        (button,) = [b for b in box.buttons() if b.text() == wanted]
        button.click()
        return 0


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    return Answers(monkeypatch)


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Answer the next save dialogs with this path; returns the suggested names."""
    suggested: list[str] = []

    def answer(parent: object, title: str, start: str, filters: str, mode: Mode) -> list[str]:
        assert mode is Mode.SAVE
        suggested.append(start)
        return [str(path)]

    monkeypatch.setattr(file_dialogs, "choose", answer)
    return suggested


def cell(window: MainWindow, code: str, year: int = YEAR) -> QModelIndex:
    for row in range(window.proxy.rowCount()):
        if window.proxy.index(row, 0).data() == code:
            return window.proxy.index(row, window.model.column_of_year(year))
    raise AssertionError(code)


def enter(window: MainWindow, values: dict[str, str]) -> None:
    """Type each value into its cell (what Enter does after typing)."""
    for code, text in values.items():
        assert window.entry.submit(cell(window, code), text), window.entry.last_message


def finish_job(window: MainWindow, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: window.exchange.job is None, timeout=15000)


def export(window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    save_as(monkeypatch, path)
    assert window.exchange.export_action is not None
    window.exchange.export_action.trigger()
    finish_job(window, qtbot)
    assert path.exists(), window.status.text()


def preview_of(window: MainWindow, qtbot: Any, *paths: Path) -> MergePreviewDialog:
    window.exchange.preview = None
    window.exchange.merge_paths(list(paths))
    qtbot.waitUntil(lambda: window.exchange.preview is not None, timeout=15000)
    preview = window.exchange.preview
    assert preview is not None and preview.isVisible()
    return preview


def merge_through_preview(window: MainWindow, qtbot: Any, preview: MergePreviewDialog) -> None:
    window.exchange.summary = None
    preview.merge_button.click()
    qtbot.waitUntil(lambda: window.exchange.summary is not None, timeout=15000)
    qtbot.waitUntil(lambda: window.is_loaded and window._job is None, timeout=10000)


def outcomes(preview: MergePreviewDialog) -> dict[str, RowOutcome]:
    model = preview.model
    return {
        model.index(r, 2).data(): model.index(r, OUTCOME).data(Qt.ItemDataRole.UserRole + 1)
        for r in range(model.rowCount())
    }


def planning_value(path: Path, code: str) -> Decimal | None:
    store = Store.open(str(path))
    with store.snapshot() as conn:
        (actual,) = [
            a for a in read_actuals(conn, 1, indicator_codes=[code]) if a.fiscal_year == YEAR
        ]
    return actual.value


@pytest.fixture
def submission(
    clerk: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Path]:
    """The community department's finalised FY2024 submission, exported through the window."""
    enter(clerk, COMMUNITY_YEAR)
    assert clerk.exchange.finalise()
    path = tmp_path / "提出_市民協働担当課_R6.xlsx"
    export(clerk, qtbot, monkeypatch, path)
    yield path


# -- 確定 ------------------------------------------------------------------------------------


def test_finalise_is_refused_with_the_open_items_in_one_dialog(
    clerk: MainWindow, qtbot: Any, db: Path
) -> None:
    enter(clerk, {"7-1-1-K1": "3", "7-1-1-K2": "55"})
    before = dump(db)
    qtbot.mouseClick(clerk.exchange.finalise_button, Qt.MouseButton.LeftButton)
    dialog = clerk.exchange.open_items_dialog
    assert dialog is not None and dialog.isVisible()
    assert "4 件" in dialog.message.text() and "令和6年度" in dialog.message.text()
    assert [line.split(":")[0] for line in dialog.lines()] == [
        "7-1-1-A1",
        "7-1-1-K3",
        "7-1-2-A1",
        "7-1-2-K1",
    ]
    assert dump(db) == before
    with clerk.store.snapshot() as conn:
        assert finalisation(conn, 1, "community", YEAR) is None
    assert not clerk.exchange.banner.isVisible()
    # Double-clicking an item goes to that indicator's cell.
    dialog.items.itemActivated.emit(dialog.items.item(1))
    assert not dialog.isVisible()
    assert clerk.grid.currentIndex() == cell(clerk, "7-1-1-K3")


def test_clerk_finalises_a_complete_year_and_the_window_shows_it(
    clerk: MainWindow, qtbot: Any, db: Path, answers: Answers
) -> None:
    assert clerk.exchange.finalise_button.text() == "確定する"
    assert not clerk.exchange.banner.isVisible()
    enter(clerk, COMMUNITY_YEAR)
    assert clerk.exchange.finalise_action is not None
    clerk.exchange.finalise_action.trigger()
    with clerk.store.snapshot() as conn:
        done = finalisation(conn, 1, "community", YEAR)
    assert done is not None and done.finalised_by == current_user()
    banner = clerk.exchange.banner
    assert banner.isVisible()
    assert "令和6年度は確定済み" in banner.text() and current_user() in banner.text()
    assert done.finalised_at.astimezone().strftime("%Y-%m-%d %H:%M") in banner.text()
    assert clerk.exchange.finalise_button.text() == "確定を取り消す"
    assert not clerk.exchange.finalise_action.isEnabled()
    assert clerk.exchange.withdraw_action is not None
    assert clerk.exchange.withdraw_action.isEnabled()
    assert "確定しました" in clerk.status.text()

    # The finalised year's cells are read-only: typing says why at once, in 令和 as the
    # banner does (trial 15b, 12: the editor opened and only Enter refused, in 2024年度).
    before = dump(db)
    clerk.grid.setCurrentIndex(cell(clerk, "7-1-1-K2"))
    QTest.keyClick(clerk.grid, Qt.Key.Key_5)
    assert clerk.grid.state() != clerk.grid.State.EditingState
    assert "令和6年度は確定済みです" in clerk.status.text()
    assert "確定を取り消す" in clerk.status.text()
    assert not clerk.entry.submit(cell(clerk, "7-1-1-K2"), "56")
    assert dump(db) == before

    # 確定を取り消す asks first; answered, the year is open again.
    answers.will_click("キャンセル")
    clerk.exchange.finalise_button.click()
    with clerk.store.snapshot() as conn:
        assert finalisation(conn, 1, "community", YEAR) is not None
    answers.will_click("確定を取り消す")
    clerk.exchange.finalise_button.click()
    assert "確定を取り消します" in answers.asked[-1]
    with clerk.store.snapshot() as conn:
        assert finalisation(conn, 1, "community", YEAR) is None
    assert not banner.isVisible()
    assert clerk.exchange.finalise_button.text() == "確定する"
    assert clerk.entry.submit(cell(clerk, "7-1-1-K2"), "56")


def test_a_finalised_year_shows_its_banner_when_the_window_opens(
    clerk: MainWindow, open_on: Opener, db: Path
) -> None:
    enter(clerk, COMMUNITY_YEAR)
    assert clerk.exchange.finalise()
    clerk.close()
    again = open_on(db, department="community", fiscal_year=YEAR)
    assert again.exchange.banner.isVisible()
    assert again.exchange.finalise_button.text() == "確定を取り消す"
    # Another year of the same department is not finalised.
    other = open_on(db, department="community", fiscal_year=YEAR + 1)
    assert not other.exchange.banner.isVisible()


def test_ctrl_z_after_finalising_says_why_nothing_is_undone(clerk: MainWindow, qtbot: Any) -> None:
    """確定 ends the undo history: Ctrl+Z was refused silently (a trial of issue 15)."""
    enter(clerk, COMMUNITY_YEAR)
    assert clerk.undo_stack.canUndo()
    assert clerk.exchange.finalise()
    before = dump_values(clerk)
    clerk.grid.setFocus()
    qtbot.keyClick(clerk.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "確定済みのため" in clerk.status.text() and "確定を取り消す" in clerk.status.text()
    assert dump_values(clerk) == before
    # Ctrl+Y (nothing to redo either) says why as well.
    clerk.status.setText("")
    qtbot.keyClick(clerk.grid, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert "確定済みのため" in clerk.status.text()
    # A paste into the finalised year says why each cell was not saved.
    clerk.grid.setCurrentIndex(cell(clerk, "7-1-1-K2"))
    QApplication.clipboard().setText("57\n")
    clerk.paste.paste_clipboard()
    problems = "\n".join(clerk.paste.last_paste_problems)
    assert "7-1-1-K2 R6「57」: " in problems and "確定" in problems, problems
    assert dump_values(clerk) == before


def dump_values(window: MainWindow) -> list[tuple[str, int, Decimal | None]]:
    from kplan_desktop.store.actuals import read_actuals

    with window.store.snapshot() as conn:
        return sorted((a.indicator_code, a.fiscal_year, a.value) for a in read_actuals(conn, 1))


# -- the submission workbook -----------------------------------------------------------------


def test_clerk_exports_the_finalised_submission_through_the_menu(
    clerk: MainWindow,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    settings_file: Path,
) -> None:
    enter(clerk, COMMUNITY_YEAR)
    assert clerk.exchange.finalise()
    out = tmp_path / "out" / "submission.xlsx"
    out.parent.mkdir()
    suggested = save_as(monkeypatch, out)
    assert clerk.exchange.export_action is not None
    assert clerk.exchange.export_action.shortcut().toString() == "Ctrl+E"
    clerk.exchange.export_action.trigger()
    finish_job(clerk, qtbot)
    assert out.exists()
    assert Path(suggested[0]).name == "提出_市民協働担当課_R6.xlsx"
    assert str(out) in clerk.status.text() and "下書き" not in clerk.status.text()
    # The folder is remembered for the next save dialog.
    assert AppSettings().last_folder == out.parent
    clerk.exchange.export_action.trigger()
    finish_job(clerk, qtbot)
    assert Path(suggested[1]).parent == out.parent


def test_an_unfinalised_year_asks_before_exporting(
    clerk: MainWindow,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    answers: Answers,
) -> None:
    enter(clerk, {"7-1-1-K2": "55"})
    assert clerk.exchange.export_action is not None
    # キャンセル: no save dialog (the autouse fixture would fail the test), nothing written.
    answers.will_click("キャンセル")
    clerk.exchange.export_action.trigger()
    assert sorted(answers.buttons[0]) == sorted(
        ["確定してから書き出す", "下書きとして書き出す", "キャンセル"]
    )
    assert "まだ確定していません" in answers.asked[0]
    # 確定してから書き出す with open items: the items are listed and nothing is exported.
    answers.will_click("確定してから書き出す")
    clerk.exchange.export_action.trigger()
    assert clerk.exchange.open_items_dialog is not None
    assert len(clerk.exchange.open_items_dialog.lines()) == 5
    clerk.exchange.open_items_dialog.close()
    # 下書きとして書き出す: a draft, named as one.
    answers.will_click("下書きとして書き出す")
    out = tmp_path / "draft.xlsx"
    suggested = save_as(monkeypatch, out)
    clerk.exchange.export_action.trigger()
    finish_job(clerk, qtbot)
    assert out.exists()
    assert Path(suggested[0]).name == "提出_市民協働担当課_R6_下書き.xlsx"
    assert "下書き" in clerk.status.text()


def test_an_export_that_cannot_write_is_reported(
    clerk: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    enter(clerk, COMMUNITY_YEAR)
    assert clerk.exchange.finalise()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    save_as(monkeypatch, tmp_path / "no-such-folder" / "x.xlsx")
    assert clerk.exchange.export_action is not None
    clerk.exchange.export_action.trigger()
    finish_job(clerk, qtbot)
    assert len(shown) == 1 and "保存先のフォルダがありません" in shown[0] and "x.xlsx" in shown[0]
    assert clerk.status.text().startswith("✖")


# -- the planning division's merge -----------------------------------------------------------


def test_planning_merges_a_submission_through_the_preview(
    planner: MainWindow,
    submission: Path,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    planning_db: Path,
) -> None:
    monkeypatch.setattr(file_dialogs, "choose", lambda *args: [str(submission)])
    assert planner.exchange.merge_action is not None
    assert planner.exchange.merge_action.shortcut().toString() == "Ctrl+I"
    planner.exchange.merge_action.trigger()
    qtbot.waitUntil(lambda: planner.exchange.preview is not None, timeout=15000)
    preview = planner.exchange.preview
    assert preview is not None and preview.isVisible()
    model = preview.model
    assert model.rowCount() == 6
    assert set(outcomes(preview).values()) == {RowOutcome.NEW}
    first = [model.index(0, c).data() for c in range(model.columnCount())]
    assert first[:5] == [submission.name, 2, "7-1-1-A1", "令和6年度", "新規"]
    assert model.index(0, OUTCOME).data(Qt.ItemDataRole.DecorationRole) is not None
    assert "市民協働担当課" in preview.notes.toPlainText()
    assert "新規 6" in preview.notes.toPlainText()
    assert not preview.accept_valid
    # Numbers grouped as the grid shows them, with the unit (trial 15b, 12: 「1300人」).
    k3 = [r for r in range(model.rowCount()) if model.index(r, 2).data() == "7-1-1-K3"]
    assert model.index(k3[0], 6).data() == "1,500人", model.index(k3[0], 6).data()

    merge_through_preview(planner, qtbot, preview)
    summary = planner.exchange.summary
    assert summary is not None and summary.isVisible()
    (line,) = summary.lines
    assert line.written and line.counts[RowOutcome.NEW] == 6
    assert planning_value(planning_db, "7-1-1-K2") == Decimal(55)
    assert cell(planner, "7-1-1-K2").data() == "55"
    # Shown grouped like the workbooks; the editor gets the plain value.
    assert cell(planner, "7-1-1-K3").data() == "1,500"
    assert cell(planner, "7-1-1-K3").data(Qt.ItemDataRole.EditRole) == "1500"
    with planner.store.snapshot() as conn:
        assert [s.file for s in submissions(conn, 1)] == [submission.name]


def test_a_conflict_is_offered_with_both_values_and_the_file_value_can_be_taken(
    planner: MainWindow,
    clerk: MainWindow,
    submission: Path,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    planning_db: Path,
    tmp_path: Path,
    answers: Answers,
) -> None:
    merge_through_preview(planner, qtbot, preview_of(planner, qtbot, submission))
    # The planning division corrects a value by hand ...
    with Store.open(str(planning_db)).transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest("7-1-1-K2", YEAR, "57")],
            who="planner",
            source=EntrySource.TEST,
        )
    # ... and the department sends a newer submission with another value.
    answers.will_click("確定を取り消す")
    assert clerk.exchange.withdraw()
    enter(clerk, {"7-1-1-K2": "58"})
    assert clerk.exchange.finalise()
    newer = tmp_path / "newer.xlsx"
    export(clerk, qtbot, monkeypatch, newer)

    preview = preview_of(planner, qtbot, newer)
    model = preview.model
    conflicts = [r for r in range(model.rowCount()) if model.lines[r][1].outcome.name == "CONFLICT"]
    assert len(conflicts) == 1
    row = conflicts[0]
    assert model.index(row, 2).data() == "7-1-1-K2"
    # The values with their unit, as stored (issue 13, item 5).
    assert model.index(row, 6).data() == "58回" and model.index(row, 7).data() == "57回"
    reason = model.index(row, 5).data()
    assert "値 ファイル 58 / データベース 57" in reason
    assert "データベースの値: テスト、planner" in reason
    assert model.index(row, CHOICE).data() == "未決定（書き込まない）"
    assert model.index(row, CHOICE).flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.index(0, CHOICE).flags() & Qt.ItemFlag.ItemIsEditable
    assert "未決定 1 件" in preview.footer.text()

    # Choose through the view: select the conflict row, press ファイルの値を採る.
    view_row = preview.proxy.mapFromSource(model.index(row, 0)).row()
    preview.table.selectRow(view_row)
    preview.take_file_button.click()
    assert model.index(row, CHOICE).data() == "ファイルの値を採る"
    assert "未決定 0 件" in preview.footer.text()
    merge_through_preview(planner, qtbot, preview)
    assert planning_value(planning_db, "7-1-1-K2") == Decimal(58)
    assert cell(planner, "7-1-1-K2").data() == "58"
    (line,) = planner.exchange.summary.lines  # type: ignore[union-attr]
    assert line.written and line.counts[RowOutcome.UPDATED] == 1


def test_an_undecided_conflict_keeps_the_database_value(
    planner: MainWindow,
    clerk: MainWindow,
    submission: Path,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    planning_db: Path,
    tmp_path: Path,
    answers: Answers,
) -> None:
    merge_through_preview(planner, qtbot, preview_of(planner, qtbot, submission))
    with Store.open(str(planning_db)).transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest("7-1-1-K2", YEAR, "57")],
            who="planner",
            source=EntrySource.TEST,
        )
    answers.will_click("確定を取り消す")
    assert clerk.exchange.withdraw()
    enter(clerk, {"7-1-1-K2": "58", "7-1-2-K1": "21"})
    assert clerk.exchange.finalise()
    newer = tmp_path / "newer.xlsx"
    export(clerk, qtbot, monkeypatch, newer)
    preview = preview_of(planner, qtbot, newer)
    assert outcomes(preview)["7-1-2-K1"] is RowOutcome.UPDATED
    # The combo in the choice column offers the three choices; leave it undecided.
    row = next(r for r in range(preview.model.rowCount()) if preview.model.is_conflict(r))
    index = preview.proxy.mapFromSource(preview.model.index(row, CHOICE))
    preview.table.setCurrentIndex(index)
    editor = preview.table.indexWidget(index) or preview.table.focusWidget()
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(n) for n in range(editor.count())] == [
        "未決定（書き込まない）",
        "ファイルの値を採る",
        "データベースの値を残す",
    ]
    merge_through_preview(planner, qtbot, preview)
    assert planning_value(planning_db, "7-1-1-K2") == Decimal(57)
    assert planning_value(planning_db, "7-1-2-K1") == Decimal(21)
    (line,) = planner.exchange.summary.lines  # type: ignore[union-attr]
    assert "未決定の競合 1 件" in line.why


def test_cancel_in_the_preview_writes_nothing(
    planner: MainWindow, submission: Path, qtbot: Any, planning_db: Path
) -> None:
    before = dump(planning_db)
    preview = preview_of(planner, qtbot, submission)
    preview.accept_valid_box.setChecked(True)
    preview.cancel_button.click()
    assert not preview.isVisible()
    qtbot.wait(50)
    assert planner.exchange.summary is None
    assert dump(planning_db) == before
    assert "何も書き込んでいません" in planner.status.text()


def test_a_file_that_is_not_a_workbook_is_listed_as_refused(
    planner: MainWindow, submission: Path, qtbot: Any, tmp_path: Path, planning_db: Path
) -> None:
    bogus = tmp_path / "memo.xlsx"
    bogus.write_text("これはメモです\n", encoding="utf-8")
    before = dump(planning_db)
    preview = preview_of(planner, qtbot, bogus)
    assert preview.model.rowCount() == 0
    assert "memo.xlsx" in preview.notes.toPlainText()
    assert "読み込めません" in preview.notes.toPlainText()
    assert not preview.merge_button.isEnabled()
    preview.reject()
    # With a good file beside it, the good one is merged and the bad one reported.
    preview = preview_of(planner, qtbot, bogus, submission)
    assert preview.merge_button.isEnabled()
    merge_through_preview(planner, qtbot, preview)
    summary = planner.exchange.summary
    assert summary is not None
    # Every file in the order chosen, the refused one named as the others are (finding 7).
    assert [(line.file, line.written) for line in summary.lines] == [
        ("memo.xlsx", False),
        (submission.name, True),
    ]
    assert summary.lines[0].why.startswith("取り込めません: ")
    assert "■ memo.xlsx" in summary.view.toPlainText()
    if shots := os.environ.get("KPLAN_SHOTS"):
        summary.grab().save(str(Path(shots) / "merge-summary-refused.png"))
    assert dump(planning_db) != before


def test_dropping_workbooks_on_the_planning_window_opens_the_preview(
    planner: MainWindow, clerk: MainWindow, submission: Path, qtbot: Any
) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(submission))])
    enter_event = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(planner, enter_event)
    assert enter_event.isAccepted()
    # A department's window does not take workbooks; nor does anything but .xlsx.
    refused = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(clerk, refused)
    assert not refused.isAccepted()
    text = QMimeData()
    text.setUrls([QUrl.fromLocalFile(str(submission.with_suffix(".csv")))])
    assert not planner.exchange.dropped_workbooks(
        QDropEvent(
            QPoint(50, 50),
            Qt.DropAction.CopyAction,
            text,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )

    drop = QDropEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(planner, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: planner.exchange.preview is not None, timeout=15000)
    assert planner.exchange.preview.model.rowCount() == 6  # type: ignore[union-attr]


# -- the planning division's other workbooks, and the menus ----------------------------------


def test_planning_writes_a_template_and_the_consolidated_workbook(
    planner: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    template = tmp_path / "template.xlsx"
    suggested = save_as(monkeypatch, template)
    assert planner.exchange.template_action is not None
    planner.exchange.template_action.trigger()
    dialog = planner.exchange.template_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.department_combo.setCurrentIndex(dialog.department_combo.findData("equality"))
    dialog.accept()
    finish_job(planner, qtbot)
    assert template.exists()
    assert Path(suggested[0]).name == "記入用_男女共同参画担当課_R6.xlsx"
    assert "記入用テンプレート" in planner.status.text()

    report = tmp_path / "report.xlsx"
    suggested = save_as(monkeypatch, report)
    assert planner.exchange.report_action is not None
    planner.exchange.report_action.trigger()
    finish_job(planner, qtbot)
    assert report.exists()
    assert Path(suggested[0]).name == "集約_R6.xlsx"
    assert "集約ブックを作成しました（令和6年度）" in planner.status.text()


def menu_texts(window: MainWindow) -> dict[str, list[str]]:
    return {
        menu.title(): [a.text() for a in menu.actions() if a.text()]
        for menu in menus(window.menuBar())
    }


def test_each_role_sees_only_its_own_exchange_menus(planner: MainWindow, clerk: MainWindow) -> None:
    department = menu_texts(clerk)
    assert "集約(&A)" not in department
    assert department["ファイル(&F)"][:3] == [
        "確定する",
        "確定を取り消す",
        "提出用ブックを書き出す…",
    ]
    assert clerk.exchange.finalise_button.isVisible()
    planning = menu_texts(planner)
    assert "確定する" not in planning["ファイル(&F)"]
    assert planning["集約(&A)"] == [
        "全課の入力状況",
        "提出状況…",
        "年度をロックする（締め切り）…",
        "年度のロックを解除する…",
        "提出ブックを取り込む…",
        "記入用テンプレートを書き出す…",
        "集約ブックを作成…",
        "課の署名鍵を登録…",
        "登録済みの署名鍵…",
    ]
    assert "署名鍵を書き出す…" in department["ファイル(&F)"]
    assert "署名鍵を書き出す…" not in planning["ファイル(&F)"]
    assert "カタログを編集…" in planning["カタログ(&C)"]
    assert "カタログを編集…" not in department["カタログ(&C)"]
    assert "カタログを読み込む…" in department["カタログ(&C)"]
    assert not planner.exchange.finalise_button.isVisible()
    assert planner.acceptDrops() and not clerk.acceptDrops()
    # Not yet finalised: 確定を取り消す does not apply.
    assert clerk.exchange.withdraw_action is not None
    assert not clerk.exchange.withdraw_action.isEnabled()


def test_finalise_then_export_in_one_go(
    clerk: MainWindow,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    answers: Answers,
) -> None:
    enter(clerk, COMMUNITY_YEAR)
    answers.will_click("確定してから書き出す")
    out = tmp_path / "final.xlsx"
    suggested = save_as(monkeypatch, out)
    assert clerk.exchange.export_action is not None
    clerk.exchange.export_action.trigger()
    finish_job(clerk, qtbot)
    with clerk.store.snapshot() as conn:
        assert finalisation(conn, 1, "community", YEAR) is not None
    assert clerk.exchange.banner.isVisible()
    assert out.exists() and "下書き" not in Path(suggested[0]).name


def cancel_jobs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the user presses Cancel before a worker gets going."""
    from kplan_desktop.ui.workers import Job

    start = Job.start

    def cancelled_start(job: Job) -> None:
        job.cancel()
        start(job)

    monkeypatch.setattr(Job, "start", cancelled_start)


def test_cancelling_an_export_writes_no_file(
    clerk: MainWindow,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    enter(clerk, COMMUNITY_YEAR)
    assert clerk.exchange.finalise()
    out = tmp_path / "cancelled.xlsx"
    save_as(monkeypatch, out)
    cancel_jobs_at_once(monkeypatch)
    assert clerk.exchange.export_action is not None
    clerk.exchange.export_action.trigger()
    finish_job(clerk, qtbot)
    assert not out.exists()
    assert "キャンセルしました" in clerk.status.text()


def test_cancelling_the_reading_of_a_submission_writes_nothing(
    planner: MainWindow,
    submission: Path,
    qtbot: Any,
    planning_db: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = dump(planning_db)
    cancel_jobs_at_once(monkeypatch)
    planner.exchange.merge_paths([submission])
    finish_job(planner, qtbot)
    assert planner.exchange.preview is None
    assert "キャンセルしました" in planner.status.text()
    assert dump(planning_db) == before


def test_the_merge_preview_can_be_rendered_to_a_png(
    submission: Path, planning_db: Path, tmp_path: Path
) -> None:
    from kplan_desktop.ui.app import main

    out = tmp_path / "preview.png"
    args = ["--db", str(planning_db), "--department", "planning", "--year", str(YEAR)]
    assert main([*args, "--screenshot", str(out), "--merge-preview", str(submission)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Only the planning division merges.
    refused = ["--db", str(planning_db), "--department", "community", "--year", str(YEAR)]
    assert main([*refused, "--screenshot", str(out), "--merge-preview", str(submission)]) == 2


def test_return_on_the_unfinalised_export_question_does_not_finalise(
    open_window: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    seen: list[str] = []

    def record(box: QMessageBox) -> int:
        seen.append(box.defaultButton().text())
        return 0  # nothing clicked: cancel

    monkeypatch.setattr(QMessageBox, "exec", record)
    window.exchange.export_submission()
    assert seen == ["下書きとして書き出す"]
    assert window.exchange.finalised is None
