"""The real main window driven through qtbot, on a real SQLite file with the seed catalog."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from kplan_desktop.store.actuals import ActualView, read_actuals
from kplan_desktop.store.audit import AuditEntry, audit_log
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.ui.i18n import install_translator
from kplan_desktop.ui.main_window import MainWindow
from tests.conftest import dump
from tests.ui.qt import line_editor

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex

    from tests.ui.conftest import Opener

YEAR = 2025


@pytest.fixture
def window(open_window: Opener) -> MainWindow:
    win = open_window()
    assert isinstance(win, MainWindow)
    return win


def row_of(window: MainWindow, code: str) -> int:
    for row in range(window.proxy.rowCount()):
        if window.proxy.index(row, 0).data() == code:
            return row
    raise AssertionError(code)


def cell(window: MainWindow, code: str, year: int = YEAR) -> QModelIndex:
    return window.proxy.index(row_of(window, code), window.model.column_of_year(year))


def type_into(window: MainWindow, qtbot: Any, code: str, text: str, key: Any = None) -> None:
    """Select the cell, type like a clerk (ASCII keys; Japanese arrives as committed IME text)."""
    index = cell(window, code)
    window.grid.setCurrentIndex(index)
    window.grid.setFocus()
    if text.isascii() and text:
        qtbot.keyClicks(window.grid, text[0])
        editor = window.grid.focusWidget()
        qtbot.keyClicks(editor, text[1:])
    else:
        window.grid.edit(index)
        editor = window.grid.focusWidget()
        line_editor(editor).setText(text)
    qtbot.keyClick(editor, key or Qt.Key.Key_Return)


def stored(window: MainWindow) -> dict[tuple[str, int], Decimal | None]:
    with window.store.snapshot() as conn:
        return {(a.indicator_code, a.fiscal_year): a.value for a in read_actuals(conn, 1)}


def test_clerk_types_a_value_and_enter_saves_it_and_moves_down(
    window: MainWindow, qtbot: Any
) -> None:
    type_into(window, qtbot, "7-1-1-K2", "55")
    assert stored(window) == {("7-1-1-K2", YEAR): Decimal(55)}
    assert window.grid.currentIndex().row() == row_of(window, "7-1-1-K3")
    assert "保存しました" in window.status.text()
    with window.store.snapshot() as conn:
        assert [e.source for e in audit_log(conn, "7-1-1-K2")] == ["gui"]


def test_full_width_digits_with_unit_are_read_like_the_cli(window: MainWindow, qtbot: Any) -> None:
    type_into(window, qtbot, "7-1-1-K3", "１，２２５人")
    assert stored(window) == {("7-1-1-K3", YEAR): Decimal(1225)}


def test_a_whole_year_with_the_keyboard_alone(window: MainWindow, qtbot: Any) -> None:
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    window.grid.setFocus()
    for value in ("3", "60", "1800"):
        qtbot.keyClicks(window.grid, value[0])
        editor = window.grid.focusWidget()
        qtbot.keyClicks(editor, value[1:])
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert stored(window) == {
        ("7-1-1-K1", YEAR): Decimal(3),
        ("7-1-1-K2", YEAR): Decimal(60),
        ("7-1-1-K3", YEAR): Decimal(1800),
    }
    # Two of the three have no unit: the status bar says how they are filled (trial 15b, 13).
    assert "未入力 3 件（うち 2 件は単位未設定" in window.status.text()
    assert "Delete で未集計" in window.status.text()


def test_an_invalid_value_stays_in_the_editor_with_its_message(
    window: MainWindow, qtbot: Any, db: Path
) -> None:
    before = dump(db)
    type_into(window, qtbot, "7-1-1-K3", "abc")
    assert dump(db) == before
    editor = window.grid.focusWidget()
    assert line_editor(editor).text() == "abc"
    assert "数値として読めません" in window.status.text()
    assert "数値として読めません" in editor.toolTip()


def test_a_warning_asks_for_a_comment(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(refused: Any) -> str:
        asked.append(refused.check.warnings[0].code)
        return "地区の行事が増えたため"

    monkeypatch.setattr(window.entry, "ask_comment", answer)
    type_into(window, qtbot, "7-1-1-K2", "200")
    # The dialog opens once the cell's editor is closed (a turn of the event loop later).
    qtbot.waitUntil(lambda: asked == ["W_YOY_CHANGE"])
    assert window.grid.currentIndex().row() == row_of(window, "7-1-1-K3")
    with window.store.snapshot() as conn:
        (actual,) = read_actuals(conn, 1)
    assert actual.value == Decimal(200) and actual.comment == "地区の行事が増えたため"


def test_a_warning_without_a_comment_saves_nothing(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    asked: list[str] = []

    def cancel(refused: Any) -> str:
        asked.append(refused.request.text)
        return ""

    monkeypatch.setattr(window.entry, "ask_comment", cancel)
    before = dump(db)
    type_into(window, qtbot, "7-1-1-K2", "200")
    qtbot.waitUntil(lambda: asked == ["200"])
    assert dump(db) == before
    # Cancel keeps the typed text in a cell editor on the same cell.
    editor = window.grid.indexWidget(cell(window, "7-1-1-K2"))
    assert line_editor(editor).text() == "200"
    assert window.grid.currentIndex() == cell(window, "7-1-1-K2")


def test_undo_and_redo_are_recorded_changes(
    window: MainWindow, qtbot: Any, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    type_into(window, qtbot, "7-1-1-K2", "55")
    window.undo_stack.undo()
    assert stored(window) == {}
    window.undo_stack.redo()
    assert stored(window) == {("7-1-1-K2", YEAR): Decimal(55)}
    with window.store.snapshot() as conn:
        actions = [(e.old_value, e.new_value) for e in audit_log(conn, "7-1-1-K2")]
    assert actions == [(None, "55"), ("55", None), (None, "55")]
    # The listing names them: the undo as 取り消し, the redo as やり直し (not plain entries).
    from kplan_desktop.cli import main as kplan

    capsys.readouterr()
    assert kplan(["--db", str(db), "audit", "--indicator", "7-1-1-K2"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    column = rows[0].index("操作")
    assert [row[column] for row in rows[1:]] == ["入力", "取り消し", "やり直し"], rows
    assert {row[rows[0].index("経路")] for row in rows[1:]} == {"画面"}, rows


def test_delete_clears_and_records_the_missing_reason(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_into(window, qtbot, "7-1-1-K2", "55")
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    monkeypatch.setattr(window.entry, "ask_missing_reason", lambda: "該当なし")
    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    with window.store.snapshot() as conn:
        (actual,) = read_actuals(conn, 1)
    assert actual.value is None and actual.missing_reason is not None
    assert actual.missing_reason.label_ja == "該当なし"
    assert cell(window, "7-1-1-K2").data() == "該当なし"
    # People's words in the status bar and the history, never the stored code.
    assert "7-1-1-K2 = 該当なし" in window.status.text()
    history = window.history.toPlainText()
    assert "55 → 該当なし" in history and "not_applicable" not in history
    assert "(画面)" in history and "(gui)" not in history  # 経路 in words too


def test_delete_on_several_selected_cells_clears_each_and_names_them_first(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trial 15b (15): Delete with six cells selected cleared the current one only, and the
    question named no cell."""
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    for code, value in (("7-1-1-K1", "4"), ("7-1-1-K2", "55"), ("7-1-1-K3", "1300")):
        type_into(window, qtbot, code, value)
    asked: list[str] = []

    def ask() -> str:
        asked.append(window.entry.clearing)
        return "該当なし"

    monkeypatch.setattr(window.entry, "ask_missing_reason", ask)
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    window.grid.selectionModel().select(
        QItemSelection(cell(window, "7-1-1-K1"), cell(window, "7-1-1-K3")),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    assert asked and "選んだ 3 個のセル（7-1-1-K1 R7、7-1-1-K2 R7、7-1-1-K3 R7）" in asked[0]
    with window.store.snapshot() as conn:
        cleared = {a.indicator_code: a.missing_reason for a in read_actuals(conn, 1)}
    assert all(cleared[c] is not None for c in ("7-1-1-K1", "7-1-1-K2", "7-1-1-K3")), cleared
    window.undo_stack.undo()  # one step brings all three back
    assert stored(window) == {
        ("7-1-1-K1", YEAR): Decimal(4),
        ("7-1-1-K2", YEAR): Decimal(55),
        ("7-1-1-K3", YEAR): Decimal(1300),
    }


def test_planning_division_pastes_a_5x3_block_with_two_bad_cells(
    open_window: Opener, db: Path
) -> None:
    win = open_window(department=None, planning=True)
    win.grid.setCurrentIndex(cell(win, "7-1-1-K1", 2023))
    block = "\n".join(
        [
            "2\t3\t3",
            "55\t58\tabc",
            "1,300人\t1,500\t1,700人",
            "（名称未設定）\t\t",
            "13\t25\t-4",
        ]
    )
    # Rows: 7-1-1-K1, -K2, -K3, 7-1-2-A1 (no unit set: any value refused), 7-1-2-K1.
    # Row 4 is blank except for its first cell, which cannot be entered; 'abc' and '-4' are bad.
    QApplication.clipboard().setText(block + "\n")
    with win.store.snapshot() as conn:
        before_count = len(read_actuals(conn, 1))
    win.paste.paste_clipboard()
    written = stored(win)
    assert len(written) - before_count == 10
    assert written[("7-1-1-K3", 2025)] == Decimal(1700)
    assert written[("7-1-2-K1", 2024)] == Decimal(25)
    assert ("7-1-1-K2", 2025) not in written and ("7-1-2-K1", 2025) not in written
    problems = "\n".join(win.paste.last_paste_problems)
    assert "abc" in problems and "-4" in problems and "未設定" in problems
    assert win.paste.paste_report is not None and win.paste.paste_report.isVisible()
    assert len(win.paste.last_paste_problems) == 3
    # The whole paste is one undo step; each written value is its own audit change.
    win.undo_stack.undo()
    assert stored(win) == {}
    win.undo_stack.redo()
    assert len(stored(win)) == 10
    with win.store.snapshot() as conn:
        assert len([e for e in audit_log(conn) if e.action != "catalog"]) == 30


def test_search_and_filters(window: MainWindow, qtbot: Any) -> None:
    assert window.proxy.rowCount() == 6
    window.search.insert("補助金")
    assert window.proxy.rowCount() == 2
    window.search.clear()
    qtbot.keyClicks(window.search, "7-1-2")
    assert {window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())} == {
        "7-1-2-A1",
        "7-1-2-K1",
    }
    window.search.clear()
    # Typed with the IME still in full-width mode: the same two rows.
    window.search.insert("７－１－２")
    assert window.proxy.rowCount() == 2
    window.search.clear()
    # Letters in either case, half or full width: 7-1-2-a1 and ７－１－２－ａ１ find 7-1-2-A1.
    for typed in ("7-1-2-a1", "７－１－２－ａ１"):
        window.search.insert(typed)
        assert [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())] == [
            "7-1-2-A1"
        ]
        window.search.clear()
    type_into(window, qtbot, "7-1-1-K2", "55")
    window.plan_tree.missing_box.setChecked(True)
    assert window.proxy.rowCount() == 5
    window.plan_tree.missing_box.setChecked(False)
    window.plan_tree.problems_box.setChecked(True)
    assert window.proxy.rowCount() == 0


def test_the_plan_tree_counts_missing_values_and_filters(window: MainWindow, qtbot: Any) -> None:
    measure = window.plan_tree.nodes["7-1-1"]
    assert measure.text(1) == "4"
    type_into(window, qtbot, "7-1-1-K2", "55")
    assert measure.text(1) == "3"
    assert window.plan_tree.nodes["7-1"].text(1) == "5"
    window.tree.setCurrentItem(window.plan_tree.nodes["7-1-2"])
    assert window.proxy.rowCount() == 2


def test_other_years_and_other_departments_are_read_only(window: MainWindow, qtbot: Any) -> None:
    assert cell(window, "7-1-1-K2").flags() & Qt.ItemFlag.ItemIsEditable
    assert not cell(window, "7-1-1-K2", YEAR - 1).flags() & Qt.ItemFlag.ItemIsEditable
    window.plan_tree.all_box.setChecked(True)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 25)
    assert not cell(window, "7-5-2-K1").flags() & Qt.ItemFlag.ItemIsEditable


def test_settings_persist_across_a_restart(
    open_window: Opener, settings_file: Path, qtbot: Any
) -> None:
    first = open_window()
    # The offscreen screen is small: stay within it so the window manager does not clamp.
    first.resize(first.minimumSizeHint().width(), 580)
    qtbot.wait(10)
    first.splitter.setSizes([200, 1, 480])
    first.side_splitter.setSizes([100, 200, 300])
    qtbot.wait(10)
    sizes, height = first.splitter.sizes(), first.height()
    side = first.side_splitter.sizes()
    first.grid.horizontalHeader().resizeSection(1, 123)
    first.close()
    assert settings_file.exists()
    second = open_window()
    qtbot.wait(10)
    assert second.splitter.sizes() == sizes
    assert second.side_splitter.sizes() == side
    assert second.height() == height
    assert second.grid.horizontalHeader().sectionSize(1) == 123


def test_values_survive_closing_and_reopening(open_window: Opener, qtbot: Any) -> None:
    first = open_window()
    type_into(first, qtbot, "7-1-1-K2", "55")
    first.close()
    second = open_window()
    assert cell(second, "7-1-1-K2").data() == "55"


def test_comment_editor_explains_a_warning(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window.entry, "ask_comment", lambda refused: "一次理由")
    type_into(window, qtbot, "7-1-1-K2", "200")
    qtbot.waitUntil(lambda: len(stored(window)) == 1)
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    window.comment.setPlainText("会議を地区別に分けて開催したため")
    window.entry.save_comment(window.comment.toPlainText())
    with window.store.snapshot() as conn:
        (actual,) = read_actuals(conn, 1)
    assert actual.value == Decimal(200)
    assert actual.comment == "会議を地区別に分けて開催したため"


def test_a_grid_of_2000_generated_indicators_loads_and_filters(
    db: Path, open_window: Opener
) -> None:
    import json

    from kplan_desktop.exchange.catalog_json import catalog_from_dict, catalog_hash, dumps, load
    from kplan_desktop.store.catalog import replace_catalog
    from kplan_desktop.store.engine import Store
    from kplan_desktop.store.paths import seed_catalog_path

    data = json.loads(dumps(load(seed_catalog_path())))
    measure = data["goals"][0]["policies"][0]["measures"][0]
    template = measure["indicators"][1]
    measure["indicators"] += [
        {**template, "code": f"7-1-1-K{n}", "name": f"生成指標{n}"} for n in range(100, 2075)
    ]
    catalog = catalog_from_dict(data)
    store = Store.open(str(db))
    with store.transaction() as conn:
        replace_catalog(
            conn, 1, catalog, catalog_hash(catalog), who="t", source=EntrySource.TEST, detail="big"
        )
    win = open_window(department=None, planning=True)
    assert win.proxy.rowCount() == 2000
    win.search.setText("生成指標20")
    assert win.proxy.rowCount() == 10 + 75  # 生成指標200–209 and 生成指標2000–2074


def test_self_test_command_exits_zero() -> None:
    from kplan_desktop.ui.app import main

    assert main(["--self-test"]) == 0


@pytest.mark.parametrize(("lang", "view"), [("ja", "grid"), ("en", "dashboard")])
def test_screenshot_writes_a_png(db: Path, tmp_path: Path, lang: str, view: str) -> None:
    from kplan_desktop.ui.app import main

    out = tmp_path / "shot.png"
    args = ["--db", str(db), "--department", "community", "--lang", lang, "--view", view]
    assert main([*args, "--screenshot", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The whole window, not fitted to the offscreen platform's nominal 800×600 screen.
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1500, 860)


def test_a_screenshot_that_cannot_be_saved_says_why_and_the_year_takes_era_names(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kplan_desktop.ui.app import main

    args = ["--db", str(db), "--department", "community", "--year", "R6"]
    assert main([*args, "--screenshot", str(tmp_path / "none" / "x.png")]) == 2
    assert "画像を保存できません" in capsys.readouterr().err
    assert main([*args, "--screenshot", str(tmp_path / "r6.png")]) == 0


def test_the_app_opens_the_database_in_the_loading_worker(db: Path, tmp_path: Path) -> None:
    """With role and year known, the window paints first and the store opens off the UI thread."""
    from kplan_desktop.ui.app import main

    out = tmp_path / "worker.png"
    args = ["--db", str(db), "--department", "community", "--year", "2025"]
    assert main([*args, "--screenshot", str(out)]) == 0
    assert out.stat().st_size > 10_000


def test_a_database_that_cannot_be_opened_is_reported_not_crashed(tmp_path: Path) -> None:
    from kplan_desktop.ui.app import main

    args = ["--db", "nosuchdialect://x", "--department", "community", "--year", "2025"]
    assert main([*args, "--screenshot", str(tmp_path / "x.png")]) == 2


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--department", "nosuch", "--year", "2025"], "nosuch"),
        (["--department", "community", "--year", "2030"], "計画期間"),
    ],
)
def test_an_unknown_department_or_year_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    from kplan_desktop.ui.app import main

    out = tmp_path / "x.png"
    assert main(["--db", str(db), *args, "--screenshot", str(out)]) == 2
    err = capsys.readouterr().err
    assert fragment in err and " / " in err
    assert not out.exists()


def test_lang_is_for_this_run_and_the_menu_saves_it(
    db: Path, tmp_path: Path, settings_file: Path, open_window: Opener
) -> None:
    from kplan_desktop.ui.app import main
    from kplan_desktop.ui.settings import AppSettings

    args = ["--db", str(db), "--department", "community", "--year", "2025", "--lang", "en"]
    assert main([*args, "--screenshot", str(tmp_path / "en.png")]) == 0
    assert AppSettings().language is None
    window = open_window()
    window.menus.choose_language("en")
    assert AppSettings().language == "en"


def test_english_shows_western_fiscal_years_everywhere(
    open_window: Opener, qapp: QApplication, qtbot: Any
) -> None:
    from kplan_desktop.ui.i18n import install_translator

    translator = install_translator(qapp, "en")
    assert translator is not None
    try:
        window = open_window(lang="en")
        type_into(window, qtbot, "7-1-1-K2", "55")
        window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
        assert window.windowTitle().endswith("FY2025]")
        years = [
            window.model.headerData(window.model.column_of_year(year), Qt.Orientation.Horizontal)
            for year in window.model.years
        ]
        assert years == ["FY2022", "FY2023", "FY2024", "FY2025", "FY2026"]
        history = window.history.toPlainText()
        assert "FY2025 — → 55" in history and "(window)" in history
        chart_text = "\n".join([window.chart.toolTip(), *window.chart.legend_labels()])
        assert "FY2026" in chart_text and "Target year" in chart_text
        window.tabs.setCurrentIndex(1)
        dashboard = window.window_tabs.dashboard
        assert dashboard is not None
        assert dashboard.heading.text().startswith("Entry progress for FY2025")
        assert dashboard.chart.title().endswith("FY2025")
        shown = [
            window.windowTitle(),
            *years,
            history,
            chart_text,
            dashboard.heading.text(),
            dashboard.chart.title(),
        ]
        assert not [text for text in shown if "令和" in text or "R7" in text]
        # English quotes in English messages, never 「」 (a trial of issue 15).
        window.grid.setCurrentIndex(cell(window, "7-1-1-K3"))
        QApplication.clipboard().setText("abc\t5\n")
        window.paste.paste_clipboard()
        problems = "\n".join(window.paste.last_paste_problems)
        assert "7-1-1-K3 FY2025 “abc”: " in problems, problems
        assert "FY2026 “5”: this cell cannot be entered" in problems, problems
        tip = cell(window, "7-1-1-K3").data(Qt.ItemDataRole.ToolTipRole)
        assert not [t for t in (problems, tip) if "「" in t or "」" in t], (problems, tip)
    finally:
        qapp.removeTranslator(translator)


def test_the_grade_column_fits_the_longest_english_grade(
    open_window: Opener, qapp: QApplication
) -> None:
    from kplan_desktop.ui.i18n import install_translator

    translator = install_translator(qapp, "en")
    assert translator is not None
    try:
        window = open_window(lang="en")
        grade = window.model.grade_column
        assert window.model.headerData(grade, Qt.Orientation.Horizontal) == "Grade"
        metrics = window.grid.fontMetrics()
        wanted = metrics.horizontalAdvance("Cannot be assessed")
        assert window.grid.columnWidth(grade) >= wanted
    finally:
        qapp.removeTranslator(translator)


def test_the_history_has_room_under_its_heading(window: MainWindow, qtbot: Any) -> None:
    type_into(window, qtbot, "7-1-1-K2", "55")
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    assert "R7 — → 55" in window.history.toPlainText()
    four_lines = 4 * window.history.fontMetrics().lineSpacing()
    assert window.history.height() >= four_lines
    # Dragging the side panel's splitters cannot squeeze it away.
    window.side_splitter.setSizes([2000, 0, 2000])
    qtbot.wait(10)
    assert window.history.height() >= four_lines
    window.grid.setCurrentIndex(cell(window, "7-1-1-K3"))
    assert "まだありません" in window.history.toPlainText()


def test_the_history_names_a_comment_only_change_never_66_to_66(
    window: MainWindow, qtbot: Any
) -> None:
    """The trial saw 「R7 66 → 66」 for a changed comment: it says what happened to it."""
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    assert window.entry.submit(cell(window, "7-1-1-K2"), "66", "地区の行事")
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    window.entry.save_comment("地区の行事が増えた")
    window.grid.setCurrentIndex(cell(window, "7-1-1-K3"))
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    lines = window.history.toPlainText().splitlines()
    assert (
        "R7 コメントを変更: 「地区の行事」 → 「地区の行事が増えた」（値 66 はそのまま）"
        in (lines[0])
    ), lines
    assert "R7 — → 66（コメント: （なし） → 「地区の行事」）" in lines[1], lines
    assert not any("66 → 66" in line for line in lines)
    window.undo_stack.undo()
    window.grid.setCurrentIndex(cell(window, "7-1-1-K3"))
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    first = window.history.toPlainText().splitlines()[0]
    assert "取り消し: コメントを変更: 「地区の行事が増えた」 → 「地区の行事」" in first, first


def test_with_missing_only_on_enter_moves_to_the_next_missing_row_and_typing_goes_there(
    window: MainWindow, qtbot: Any
) -> None:
    """A trial of issue 15 (15b, 3): with 未入力のみ ticked, the saved row left the filter, no
    cell was current and the next typed values vanished."""
    window.plan_tree.missing_box.setChecked(True)
    qtbot.waitUntil(lambda: row_of(window, "7-1-1-K1") is not None)
    type_into(window, qtbot, "7-1-1-K1", "4")
    assert stored(window)[("7-1-1-K1", YEAR)] == Decimal(4)
    current = window.grid.currentIndex()
    assert current.isValid()
    source = window.proxy.mapToSource(current)
    assert window.model.rows[source.row()].indicator.code == "7-1-1-K2"
    assert window.model.year_of_column(source.column()) == YEAR
    qtbot.keyClicks(window.grid, "6")
    qtbot.keyClicks(window.grid.focusWidget(), "0")
    qtbot.keyClick(window.grid.focusWidget(), Qt.Key.Key_Return)
    assert stored(window)[("7-1-1-K2", YEAR)] == Decimal(60)


def test_a_blank_pasted_cell_never_clears_a_stored_value_and_unenterable_cells_come_last(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A trial of issue 15 (15b, 2 and 9): a column copied with its first cell blank cleared
    7-1-1-K1's 4 silently; blank cells over read-only cells were listed as failures before the
    real ones, and the refused read-only cells were not marked though the report said so."""
    from kplan_desktop.ui.models.indicator_table import MARKED_COLOUR

    monkeypatch.setattr(window.entry, "ask_comment", lambda refused, step="": "")
    type_into(window, qtbot, "7-1-1-K1", "4")
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    QApplication.clipboard().setText("\t7\n55\t\nabc\t\n")
    window.paste.paste_clipboard()
    assert stored(window)[("7-1-1-K1", YEAR)] == Decimal(4)  # kept, not cleared
    assert stored(window)[("7-1-1-K2", YEAR)] == Decimal(55)
    problems = window.paste.last_paste_problems
    assert "7-1-1-K3 R7「abc」" in problems[0], problems  # the real problem first
    assert "7-1-1-K1 R8「7」: 入力できないセルです" in problems[1], problems
    assert not [p for p in problems if "「」" in p], problems  # blanks are no failures
    assert "空欄のセルは貼り付けていません" in problems[-1] and "7-1-1-K1 R7 (4)" in problems[-1]
    r8 = cell(window, "7-1-1-K1", YEAR + 1)
    assert r8.data() == "✖ 7"
    assert r8.data(Qt.ItemDataRole.BackgroundRole).color().name() == MARKED_COLOUR
    # A blank over a value without other problems: said in the status bar, no report.
    window.paste.paste_report = None
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    QApplication.clipboard().setText("\n")
    window.paste.paste_clipboard()
    assert stored(window)[("7-1-1-K1", YEAR)] == Decimal(4)
    assert "空欄のセルは貼り付けていません" in window.status.text()
    assert window.paste.paste_report is None


def test_ctrl_c_copies_the_selected_block_as_tab_separated_lines(
    window: MainWindow, qtbot: Any
) -> None:
    type_into(window, qtbot, "7-1-1-K3", "1225")
    entry = cell(window, "7-1-1-K1").column()
    model = window.grid.selectionModel()
    top, bottom = cell(window, "7-1-1-K1"), cell(window, "7-1-1-K3")
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    block = QItemSelection(
        window.proxy.index(top.row(), entry - 1), window.proxy.index(bottom.row(), entry)
    )
    model.select(block, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QApplication.clipboard().text()
    # Stored numbers without separators, so a spreadsheet reads them in any locale.
    assert text == "\t\n\t\n\t1225\n"
    assert "3 行 × 2 列をコピーしました" in window.status.text()
    # The baseline and target are numbers too (trial 15b, 10: 「1,225」 and 「7,500以上」).
    k3 = cell(window, "7-1-1-K3").row()
    model.select(
        QItemSelection(
            window.proxy.index(k3, 4), window.proxy.index(k3, window.model.target_column)
        ),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    qtbot.keyClick(window.grid, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    cells = QApplication.clipboard().text().rstrip("\n").split("\t")
    assert (cells[0], cells[-1]) == ("1225", "7500"), cells


def test_search_keys_and_a_cleared_search_keeps_the_current_cell(
    window: MainWindow, qtbot: Any
) -> None:
    window.grid.setCurrentIndex(cell(window, "7-1-1-K3"))
    window.search.setFocus()
    qtbot.keyClicks(window.search, "7-1-2")  # hides 7-1-1-K3
    assert window.proxy.rowCount() == 2
    window.search.clear()
    assert window.grid.currentIndex() == cell(window, "7-1-1-K3")
    # Down (or Enter) in the search box moves into the grid, on the cell found.
    qtbot.keyClicks(window.search, "K3")
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.grid.hasFocus()
    assert window.grid.currentIndex().data() == "" and row_of(window, "7-1-1-K3") == 0
    window.search.clear()
    assert window.grid.currentIndex() == cell(window, "7-1-1-K3")
    # Ctrl+1 from anywhere brings the focus back to the grid.
    window.search.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.grid.hasFocus() and window.tabs.currentIndex() == 0


def test_the_paste_report_names_refused_cells_with_their_warnings_and_marks_them(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kplan_desktop.ui.models.indicator_table import MARKED_COLOUR

    asked: list[str] = []

    def ask(refused: Any, step: str = "") -> str:
        asked.append(refused.request.text)
        return ""

    monkeypatch.setattr(window.entry, "ask_comment", ask)
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    QApplication.clipboard().setText("2\nabc\n20000\n")
    window.paste.paste_clipboard()
    # The warned cell was offered for its comment (Esc: not given), the wrong one was not.
    assert asked == ["20000"]
    report = window.paste.paste_report
    assert report is not None and report.isVisible() and report.isModal()
    text = "\n".join(window.paste.last_paste_problems)
    assert "7-1-1-K2 R7「abc」: " in text and "数値として読めません" in text
    # 20000 against 1,225 (baseline) and far off the path to 7,500: a warning a paste cannot
    # explain.
    assert "7-1-1-K3 R7「20000」" in text and "コメントを付けて入力" in text
    assert "コメント待ち" in text and (("7-1-1-K3", YEAR) not in stored(window))
    tip = cell(window, "7-1-1-K3").data(Qt.ItemDataRole.ToolTipRole)
    assert "貼り付けた値「20000」は保存していません" in tip and "保存されている値: —" in tip
    # The refused values are shown in their cells, marked, not the old value with the pasted
    # one hidden in a tooltip; the editor still starts from the stored value (none).
    assert cell(window, "7-1-1-K3").data() == "✖ 20000"
    assert cell(window, "7-1-1-K2").data() == "✖ abc"
    assert cell(window, "7-1-1-K3").data(Qt.ItemDataRole.EditRole) == ""
    assert cell(window, "7-1-1-K1").data() == "2"
    assert "Show Details" not in " ".join(w.text() for w in report.findChildren(QPushButton))
    for code in ("7-1-1-K2", "7-1-1-K3"):
        colour = cell(window, code).data(Qt.ItemDataRole.BackgroundRole).color().name()
        assert colour == MARKED_COLOUR
    assert cell(window, "7-1-1-K1").data(Qt.ItemDataRole.BackgroundRole).color().name() != (
        MARKED_COLOUR
    )


def test_leaving_a_warned_value_after_esc_asks_again_never_drops_it(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Esc on the comment dialog keeps 200 in the editor; Down then asks again (as Return
    does), and the value is saved with the comment; nothing is dropped silently."""
    answers = ["", "地区の行事が増えたため"]
    asked: list[str] = []

    def answer(refused: Any) -> str:
        asked.append(refused.request.text)
        return answers[len(asked) - 1]

    monkeypatch.setattr(window.entry, "ask_comment", answer)
    type_into(window, qtbot, "7-1-1-K2", "200")
    qtbot.waitUntil(lambda: asked == ["200"])
    editor = window.grid.indexWidget(cell(window, "7-1-1-K2"))
    assert line_editor(editor).text() == "200"
    qtbot.keyClick(editor, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: asked == ["200", "200"])
    with window.store.snapshot() as conn:
        (actual,) = read_actuals(conn, 1)
    assert actual.value == Decimal(200) and actual.comment == "地区の行事が増えたため"
    assert window.grid.currentIndex() == cell(window, "7-1-1-K3")


def test_clicking_away_from_a_refused_value_reopens_it(window: MainWindow, qtbot: Any) -> None:
    type_into(window, qtbot, "7-1-1-K2", "abc")
    editor = window.grid.indexWidget(cell(window, "7-1-1-K2"))
    assert editor is not None
    window.grid.setCurrentIndex(cell(window, "7-1-1-K3"))
    qtbot.waitUntil(lambda: window.grid.currentIndex() == cell(window, "7-1-1-K2"))
    editor = window.grid.indexWidget(cell(window, "7-1-1-K2"))
    assert line_editor(editor).text() == "abc"
    assert "数値として読めません" in window.status.text()


def test_the_close_button_asks_when_a_typed_value_is_not_saved(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str | None] = []
    answers = [False, True]

    def ask(pending: str | None = None) -> bool:
        asked.append(pending)
        return answers[len(asked) - 1]

    monkeypatch.setattr(window, "ask_quit", ask)
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    window.grid.setFocus()
    qtbot.keyClicks(window.grid, "5")
    qtbot.keyClicks(window.grid.focusWidget(), "5")
    assert not window.close()  # the title bar's X: "No" keeps the window and the typed text
    assert asked == ["55"] and window.isVisible()
    editor = window.grid.indexWidget(cell(window, "7-1-1-K2"))
    assert line_editor(editor).text() == "55"
    assert window.close()
    assert asked == ["55", "55"]
    QApplication.processEvents()
    assert stored(window) == {}  # "Yes" quits without saving it, as the question says


def test_the_close_button_does_not_ask_when_everything_is_saved(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str | None] = []

    def ask_quit(pending: str | None = None) -> bool:
        asked.append(pending)
        return False

    monkeypatch.setattr(window, "ask_quit", ask_quit)
    type_into(window, qtbot, "7-1-1-K2", "55")
    assert window.close() and asked == []


def select_down(window: MainWindow, qtbot: Any, code: str, steps: int) -> None:
    """Click-free selection as a clerk makes it: the cell, then Shift+Down `steps` times."""
    window.grid.setCurrentIndex(cell(window, code))
    window.grid.setFocus()
    for _ in range(steps):
        qtbot.keyClick(window.grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)


def test_paste_lands_at_the_top_left_of_the_selection(window: MainWindow, qtbot: Any) -> None:
    select_down(window, qtbot, "7-1-1-K1", 2)  # the cursor is on K3, the selection K1..K3
    assert window.grid.currentIndex() == cell(window, "7-1-1-K3")
    QApplication.clipboard().setText("3\n60\n1800\n")
    window.paste.paste_clipboard()
    assert stored(window) == {
        ("7-1-1-K1", YEAR): Decimal(3),
        ("7-1-1-K2", YEAR): Decimal(60),
        ("7-1-1-K3", YEAR): Decimal(1800),
    }


def test_one_copied_cell_fills_the_selected_range_as_in_excel(
    window: MainWindow, qtbot: Any
) -> None:
    select_down(window, qtbot, "7-1-1-K1", 2)
    QApplication.clipboard().setText("該当なし\n")
    window.paste.paste_clipboard()
    for code in ("7-1-1-K1", "7-1-1-K2", "7-1-1-K3"):
        assert cell(window, code).data() == "該当なし"
    with window.store.snapshot() as conn:
        assert "7-1-2-A1" not in {a.indicator_code for a in read_actuals(conn, 1)}


def test_a_pasted_value_with_a_warning_asks_for_its_comment(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = ["", "地区の行事が増えたため"]
    asked: list[str] = []

    def answer(refused: Any) -> str:
        asked.append(refused.request.text)
        return answers[len(asked) - 1]

    monkeypatch.setattr(window.entry, "ask_comment", answer)
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    QApplication.clipboard().setText("200")
    window.paste.paste_clipboard()  # Cancel: the value waits in the cell's editor, not thrown away
    assert asked == ["200"] and stored(window) == {}
    editor = window.grid.indexWidget(cell(window, "7-1-1-K2"))
    assert line_editor(editor).text() == "200"
    window.entry.discard_pending()
    window.paste.paste_clipboard()
    with window.store.snapshot() as conn:
        (actual,) = read_actuals(conn, 1)
    assert actual.value == Decimal(200) and actual.comment == "地区の行事が増えたため"
    assert window.paste.paste_report is None


def test_the_paste_report_names_cells_by_code_and_year_and_says_when_none_was_saved(
    window: MainWindow, qtbot: Any
) -> None:
    from PySide6.QtWidgets import QLabel

    last = window.proxy.rowCount() - 1
    column = window.model.column_of_year(YEAR)
    window.grid.setCurrentIndex(window.proxy.index(last, column))
    QApplication.clipboard().setText("abc\tx\nq\n")
    window.paste.paste_clipboard()
    text = "\n".join(window.paste.last_paste_problems)
    code = window.proxy.index(last, 0).data()
    assert f"{code} R7「abc」" in text
    assert "行" not in text.replace("行事", "")  # never "1行2列"
    assert f"{code} R8「x」" in text and "表の外「q」" in text
    report = window.paste.paste_report
    assert report is not None
    label = report.findChild(QLabel, "paste_summary")
    assert label is not None
    summary = label.text()
    assert "保存したセルはありません" in summary and "ほかのセルは保存しました" not in summary


def test_search_down_lands_on_the_entry_year_and_a_read_only_cell_says_why(
    window: MainWindow, qtbot: Any
) -> None:
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1", 2023))  # an earlier year clicked
    window.search.setFocus()
    qtbot.keyClicks(window.search, "K3")
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.grid.currentIndex() == cell(window, "7-1-1-K3")
    # Typing into a past year is not swallowed silently: the status bar says why.
    window.grid.setCurrentIndex(cell(window, "7-1-1-K3", 2023))
    window.grid.setFocus()
    qtbot.keyClicks(window.grid, "2700")
    assert "読み取り専用" in window.status.text() and "令和7年度" in window.status.text()
    assert window.grid.currentIndex() == cell(window, "7-1-1-K3", 2023)
    assert stored(window) == {}


def test_narrow_window_names_every_year_one_way_and_the_entry_year_fits_its_labels(
    open_window: Opener, qtbot: Any
) -> None:
    first = open_window()
    entry = first.model.column_of_year(YEAR)
    first.grid.setColumnWidth(entry, 30)  # a clerk narrowed it last time
    first.close()
    window = open_window()
    metrics = window.grid.fontMetrics()
    assert window.grid.columnWidth(entry) >= metrics.horizontalAdvance("該当なし") + 8
    window.resize(800, 600)
    qtbot.waitUntil(lambda: bool(window.model.short_years))
    QApplication.processEvents()
    headers = [
        window.proxy.headerData(window.model.column_of_year(year), Qt.Orientation.Horizontal)
        for year in window.model.years
    ]
    assert all(h.startswith("R") for h in headers), headers


def test_each_warned_cell_of_a_pasted_block_is_offered_for_its_comment(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two warned cells in a block: a comment for each in turn, then the whole paste is one
    undo step with its comments."""
    asked: list[tuple[str, str]] = []

    def answer(refused: Any, step: str = "") -> str:
        asked.append((refused.request.indicator_code, step))
        return f"理由 {len(asked)}"

    monkeypatch.setattr(window.entry, "ask_comment", answer)
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    QApplication.clipboard().setText("2\n200\n20000\n")
    window.paste.paste_clipboard()
    assert [code for code, _step in asked] == ["7-1-1-K2", "7-1-1-K3"]
    assert "1 / 2" in asked[0][1] and "2 / 2" in asked[1][1]
    with window.store.snapshot() as conn:
        comments = {a.indicator_code: (a.value, a.comment) for a in read_actuals(conn, 1)}
    assert comments == {
        "7-1-1-K1": (Decimal(2), None),
        "7-1-1-K2": (Decimal(200), "理由 1"),
        "7-1-1-K3": (Decimal(20000), "理由 2"),
    }
    assert window.paste.paste_report is None and window.paste.last_paste_problems == []
    window.undo_stack.undo()
    with window.store.snapshot() as conn:
        assert read_actuals(conn, 1) == []


def test_esc_on_a_pasted_cells_comment_leaves_it_and_the_rest_pending_never_saved(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = ["地区の行事が増えたため", ""]
    asked: list[str] = []

    def answer(refused: Any, step: str = "") -> str:
        asked.append(refused.request.indicator_code)
        return answers[len(asked) - 1] if len(asked) <= len(answers) else "never asked"

    monkeypatch.setattr(window.entry, "ask_comment", answer)
    # 7-1-2-A1 is past K3: three warned cells, Esc on the second.
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    QApplication.clipboard().setText("200\n20000\n99999\n")
    window.paste.paste_clipboard()
    assert asked[:2] == ["7-1-1-K2", "7-1-1-K3"] and len(asked) == 2
    assert stored(window) == {("7-1-1-K2", YEAR): Decimal(200)}
    problems = "\n".join(window.paste.last_paste_problems)
    # The cancelled cell and the one after it: unsaved, listed and marked, with their values.
    assert "7-1-1-K3 R7「20000」" in problems and "コメント待ち" in problems
    third = window.proxy.index(row_of(window, "7-1-1-K3") + 1, 0).data()
    assert f"{third} R7「99999」" in problems
    assert len(window.paste.last_paste_problems) == 2
    report = window.paste.paste_report
    assert report is not None and report.isVisible()
    tip = cell(window, "7-1-1-K3").data(Qt.ItemDataRole.ToolTipRole)
    assert "貼り付けた値「20000」は保存していません" in tip and "保存されている値: —" in tip
    # The refused values are shown in their cells, marked, not the old value with the pasted
    # one hidden in a tooltip; the editor still starts from the stored value (none).
    assert cell(window, "7-1-1-K3").data() == "✖ 20000"
    assert cell(window, "7-1-1-K2").data() == "200"


def test_the_code_and_name_columns_stay_in_view_when_the_years_scroll(
    window: MainWindow, qtbot: Any
) -> None:
    """A narrow window scrolls the years; the code and name stay at the left, over them."""
    window.resize(700, 600)
    qtbot.waitUntil(lambda: window.grid.width() < 650)
    grid = window.grid
    frozen = grid.frozen
    last = window.proxy.columnCount() - 1
    row = row_of(window, "7-1-1-K2")
    grid.setCurrentIndex(window.proxy.index(row, last))
    qtbot.waitUntil(lambda: grid.horizontalScrollBar().value() > 0)
    assert frozen.isVisible()
    widths = grid.columnWidth(0) + grid.columnWidth(1)
    # As wide as the two columns, or wider by a column half slid under them (covered whole).
    assert frozen.width() == grid.covered_width() >= widths and frozen.x() <= grid.frameWidth()
    assert grid.covered_width() - widths < max(map(grid.columnWidth, range(2, last + 1)))
    assert [frozen.isColumnHidden(c) for c in range(4)] == [False, False, True, True]
    # The frozen view shows this row's code and name where the grid's own are scrolled away.
    code = frozen.visualRect(window.proxy.index(row, 0))
    assert code.left() >= 0 and code.right() <= widths
    assert grid.visualRect(window.proxy.index(row, 0)).right() < 0
    assert frozen.indexAt(code.center()).data() == "7-1-1-K2"
    # The last column is beside the frozen ones, not under them; moving left back to the entry
    # year keeps it out from under them too.
    assert grid.visualRect(grid.currentIndex()).left() >= widths
    entry = cell(window, "7-1-1-K2")
    grid.setCurrentIndex(entry)
    assert grid.visualRect(entry).left() >= widths
    # The two views scroll their rows together and share the selection.
    grid.verticalScrollBar().setValue(grid.verticalScrollBar().maximum())
    assert frozen.verticalScrollBar().value() == grid.verticalScrollBar().value()
    assert frozen.selectionModel() is grid.selectionModel()
    assert not frozen.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_a_comment_typed_in_the_panel_is_saved_on_leaving_the_cell_and_on_closing(
    window: MainWindow, qtbot: Any
) -> None:
    """The panel's comment was dropped silently when the clerk clicked another cell or closed
    the window: only コメントを保存 saved it."""
    type_into(window, qtbot, "7-1-1-K1", "4")
    qtbot.waitUntil(lambda: stored(window).get(("7-1-1-K1", YEAR)) == Decimal(4))
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    window.comment.setFocus()
    qtbot.waitUntil(window.comment.hasFocus)
    window.comment.setPlainText("地区の会議を数えた")
    # Another cell becomes current (a click moves the focus to the grid first).
    window.grid.setFocus()
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    (actual,) = _stored(window)
    assert actual.comment == "地区の会議を数えた"
    assert window.comment.toPlainText() == ""  # K2's (empty) comment now
    # Back on K1, a changed comment, then the window closes with the focus still in the box.
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1"))
    assert window.comment.toPlainText() == "地区の会議を数えた"
    window.comment.setPlainText("地区の会議と行事を数えた")
    window.close()
    (actual,) = _stored(window)
    assert actual.comment == "地区の会議と行事を数えた"
    assert [e.new_comment for e in _audit(window, "7-1-1-K1")][-1] == actual.comment


def test_a_comment_for_an_empty_cell_is_not_dropped_silently_on_closing(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def ask(self: MainWindow, pending: str | None = None, *, comment: bool = False) -> bool:
        asked.append(f"{pending}:{comment}")
        return False

    monkeypatch.setattr(MainWindow, "ask_quit", ask)
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    window.comment.setPlainText("まだ値がない")
    window.close()
    assert asked == ["まだ値がない:True"] and window.isVisible()
    assert "コメントは入力済みのセルに付けられます" in window.status.text()
    assert _stored(window) == []
    window.comment.setPlainText("")


def test_a_past_years_cell_with_a_value_says_why_it_takes_no_comment(
    open_window: Opener, db: Path, qtbot: Any
) -> None:
    """R4 has a value, yet the panel said 「コメントは入力済みのセルに付けられます」: it is a
    past year, read-only; the box is read-only and the hint and the button's refusal say so."""
    from kplan_desktop.cli import main as kplan

    assert kplan(["--db", str(db), "enter", "--indicator", "7-1-1-K2", "--year", "2022",
                  "--value", "50", "--comment", "前の計画から"]) == 0  # fmt: skip
    window = open_window()
    before = dump(db)
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2", 2022))
    assert window.comment.toPlainText() == "前の計画から" and window.comment.isReadOnly()
    assert not window.detail_panel.comment_button.isEnabled()
    assert "過去の年度は読み取り専用です" in window.detail_panel.comment_hint.text()
    window.entry.save_comment("書き換え")
    assert "過去の年度は読み取り専用です" in window.status.text()
    assert "入力済みのセル" not in window.status.text()
    assert dump(db) == before
    # The entry year's cell takes a comment again.
    window.grid.setCurrentIndex(cell(window, "7-1-1-K2"))
    assert not window.comment.isReadOnly() and window.detail_panel.comment_button.isEnabled()


def test_a_comment_typed_then_esc_comes_back_when_the_cell_asks_again(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comment dialog reopened empty after Esc: the typed comment was lost (the hint says
    only that the value stays)."""
    from kplan_desktop.ui.comment_dialog import CommentDialog

    seen: list[str] = []

    def run(dialog: CommentDialog) -> int:
        seen.append(dialog.editor.toPlainText())
        if len(seen) == 1:
            qtbot.keyClicks(dialog.editor, "abc")
            return int(QDialog.DialogCode.Rejected)  # Esc
        qtbot.keyClicks(dialog.editor, "d")
        dialog.confirm()
        return int(dialog.result())

    monkeypatch.setattr(CommentDialog, "exec", run)
    # Return on 200 asks for the comment; Esc; Return again asks again (submit is what the
    # cell editor's Return calls).
    assert not window.entry.submit(cell(window, "7-1-1-K2"), "200")
    assert _stored(window) == []
    assert window.entry.submit(cell(window, "7-1-1-K2"), "200")
    assert seen == ["", "abc"]
    (actual,) = _stored(window)
    assert actual.value == Decimal(200) and actual.comment == "abcd"
    assert window.entry.comment_drafts == {}


def test_the_panel_menu_item_is_ticked_only_while_the_panel_shows(
    open_window: Opener, qtbot: Any
) -> None:
    """表示 › 詳細パネル stayed ticked with the panel folded away (F9 had to be pressed twice)."""
    first = open_window()
    action = first.side_action
    assert action is not None
    assert action.isChecked() == (first.splitter.sizes()[2] > 0)
    action.trigger()  # F9
    assert first.splitter.sizes()[2] == 0 and not action.isChecked()
    first.close()  # the folded panel is the clerk's own arrangement, saved
    second = open_window()
    qtbot.waitUntil(lambda: second.splitter.sizes()[2] == 0)
    action = second.side_action
    assert action is not None and not action.isChecked()
    action.trigger()  # one F9 opens it
    assert second.splitter.sizes()[2] > 0 and action.isChecked()


def test_enter_on_the_last_row_goes_to_the_first_empty_cell_not_the_same_one(
    window: MainWindow, qtbot: Any
) -> None:
    """Enter on the last row stayed on its cell: the next value typed replaced the one just
    saved."""
    last = window.proxy.index(window.proxy.rowCount() - 1, 0).data()
    type_into(window, qtbot, last, "5")
    assert stored(window) == {(last, YEAR): Decimal(5)}
    assert window.grid.currentIndex() == cell(window, "7-1-1-K1")
    assert "最後の行でした" in window.status.text() and "保存しました" in window.status.text()
    # Every cell filled: Enter on the last row stays and says the next value overwrites it.
    for code in ("7-1-1-K1", "7-1-1-K2", "7-1-1-K3"):
        type_into(window, qtbot, code, "1" if code != "7-1-1-K3" else "1300")
    filled = {k for k, v in stored(window).items() if v is not None}
    empty = [
        window.proxy.index(r, 0).data()
        for r in range(window.proxy.rowCount())
        if cell(window, window.proxy.index(r, 0).data()).flags() & Qt.ItemFlag.ItemIsEditable
        and window.proxy.index(r, 2).data() != "未設定"
        and (window.proxy.index(r, 0).data(), YEAR) not in filled
    ]
    assert empty == [], empty
    type_into(window, qtbot, last, "6")
    assert window.grid.currentIndex() == cell(window, last)
    assert "最後の行です" in window.status.text()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_language_menu_ticks_the_language_in_use(open_window: Opener, lang: str) -> None:
    window = open_window(lang=lang)
    other = "en" if lang == "ja" else "ja"
    actions = window.menus.language_actions
    assert actions[lang].isChecked() and not actions[other].isChecked()
    actions[other].trigger()
    assert actions[other].isChecked() and not actions[lang].isChecked()
    assert window.settings is not None and window.settings.language == other
    assert "次回の起動" in window.status.text()


def test_the_paste_report_says_why_a_cell_cannot_be_entered(window: MainWindow, qtbot: Any) -> None:
    """It said only 入力できないセルです, not that the column is a future year or a past one."""
    window.grid.setCurrentIndex(cell(window, "7-1-1-K1", YEAR - 1))
    window.paste.paste_text("3\t4\t5\n")
    problems = "\n".join(window.paste.last_paste_problems)
    assert "過去の年度は読み取り専用です" in problems, problems
    assert "この年度はまだ入力できません" in problems, problems
    assert stored(window) == {("7-1-1-K1", YEAR): Decimal(4)}


@pytest.mark.parametrize("planning", [False, True])
def test_f1_names_every_shortcut_of_the_window(open_window: Opener, planning: bool) -> None:
    """F1 left out Esc, Ctrl+C, F9 and Ctrl+1/2."""
    from PySide6.QtGui import QKeySequence

    window = open_window(**({"planning": True, "department": None} if planning else {}))
    text = window.menus.keys_text()
    assert text.count("\n") > 10
    for key in ("Esc", "Ctrl+C", "F9", "Ctrl+1", "Ctrl+2", "Ctrl+Z", "Ctrl+V", "F1"):
        assert key in text, (key, text)
    for command in window.actions():
        for shortcut in command.shortcuts():
            shown = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
            assert shown in text, command.text()


def _stored(window: MainWindow) -> list[ActualView]:
    """Every stored value, read in one snapshot."""
    with window.store.snapshot() as conn:
        return read_actuals(conn, 1)


def _audit(window: MainWindow, code: str) -> list[AuditEntry]:
    with window.store.snapshot() as conn:
        return audit_log(conn, code)


def test_widths_saved_in_japanese_do_not_cut_the_english_headers(
    open_window: Callable[..., MainWindow],
) -> None:
    """A trial of issue 15 saw 「aselin」 and 「chievemer」: the column widths a Japanese session
    saved came back under the longer English headers. Widths are kept per language."""
    ja = open_window()
    model = ja.model
    for column in range(model.columnCount()):
        ja.grid.setColumnWidth(column, 24)
    ja.close()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translator = install_translator(app, "en")
    assert translator is not None
    try:
        en = open_window(lang="en")
        header = en.grid.horizontalHeader()
        labels = {
            str(en.model.headerData(c, Qt.Orientation.Horizontal)): c
            for c in range(en.model.columnCount())
        }
        for label in ("Baseline", "Target"):
            column = labels[label]
            assert en.grid.columnWidth(column) >= header.sectionSizeHint(column), label
        en.close()
    finally:
        app.removeTranslator(translator)
    # The Japanese widths are the clerk's own and come back in Japanese.
    again = open_window()
    least = again.grid.horizontalHeader().minimumSectionSize()
    assert again.grid.columnWidth(labels["Baseline"]) == max(24, least)
    # ... on this screen at this scale only (trial 15b, 11: a 150 % session's widths cut the
    # headers of the next session at 100 %).
    screen = again.screen()
    width, scale = screen.availableGeometry().width(), screen.devicePixelRatio()
    count = again.model.columnCount()
    assert again.fit.columns_key() == f"columns-ja-{width}-{scale:g}-{count}"
