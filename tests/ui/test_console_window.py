"""The planning console in the window: catalog export and import (differences first), and
施策評価 — on real SQLite files and catalog workbooks, the real window driven by qtbot."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from kplan_desktop.cli import main as kplan
from kplan_desktop.domain.evaluation import NextStep
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.catalog_versions import current_catalog_version
from kplan_desktop.store.engine import Store
from kplan_desktop.store.evaluations import read_evaluation
from kplan_desktop.ui import file_dialogs
from kplan_desktop.ui.catalog_actions import CatalogImportDialog
from kplan_desktop.ui.evaluation_dialog import EvaluationDialog
from kplan_desktop.ui.main_window import MainWindow
from kplan_desktop.ui.plans_view import PlansView
from kplan_desktop.ui.settings import AppSettings
from tests import seeded
from tests.conftest import dump, set_target
from tests.ui.qt import children, item_text, top_level_item, top_level_text
from tests.workbooks import sheet

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex

YEAR = 2024


@pytest.fixture
def planning_db(tmp_path: Path) -> Path:
    path = tmp_path / "planning.sqlite3"
    seeded.init(path)
    return path


def open_window(qtbot: Any, path: Path, **options: Any) -> MainWindow:
    window = MainWindow(Store.open(str(path)), settings=AppSettings(), **options)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_loaded, timeout=10000)
    return window


def test_planning_exports_and_a_department_imports_after_seeing_the_differences(
    qtbot: Any, planning_db: Path, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert kplan(["--db", str(db), "enter", "--indicator", "7-1-1-K3", "--year", str(YEAR),
                  "--value", "3,000人", "--comment", "説明"]) == 0  # fmt: skip
    set_target(planning_db, "7-1-1-K3", "3500")
    planner = open_window(qtbot, planning_db, department=None, planning=True, fiscal_year=YEAR)
    catalog_file = tmp_path / "カタログ.xlsx"
    monkeypatch.setattr(file_dialogs, "choose", lambda *a: [str(catalog_file)])
    planner.catalog_actions.export_catalog()
    assert catalog_file.exists() and "第2版" in planner.catalog_actions.last_message

    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    values = dump(db)["actual"]
    seen: list[list[str]] = []

    def cancel(dialog: CatalogImportDialog) -> int:
        seen.append([dialog.changes.item(n).text() for n in range(dialog.changes.count())])
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(CatalogImportDialog, "exec", cancel)
    assert clerk.catalog_actions.import_catalog(catalog_file) is False
    assert any("目標値 7500 → 3500" in line for line in seen[0])
    with clerk.store.snapshot() as conn:
        version = current_catalog_version(conn, 1)
    assert version is not None and version.sequence == 1  # cancelled: nothing changed

    monkeypatch.setattr(
        CatalogImportDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted.value
    )
    assert clerk.catalog_actions.import_catalog(catalog_file) is True
    with clerk.store.snapshot() as conn:
        version = current_catalog_version(conn, 1)
    assert version is not None and version.sequence == 2
    assert "第2版" in clerk.catalog_actions.last_message
    assert dump(db)["actual"] == values
    qtbot.waitUntil(lambda: clerk.is_loaded, timeout=10000)


def test_an_unchanged_catalog_still_brings_the_open_year_and_its_due_date_to_the_window(
    qtbot: Any, planning_db: Path, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 16 of trial 15b: 「カタログに変更はありません」 and 読み込む greyed out, so the
    year opened for entry never reached the department's window (the CLI did take it)."""
    assert kplan(["--db", str(planning_db), "cycle", "open", "--year", str(YEAR),
                  "--due", "2099-06-30"]) == 0  # fmt: skip
    catalog_file = tmp_path / "catalog_from_planning.xlsx"
    assert kplan(["--db", str(planning_db), "catalog", "export", "-o", str(catalog_file)]) == 0
    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    assert clerk.cycle.banner.isHidden()
    seen: list[tuple[bool, str, list[str]]] = []

    def look(dialog: CatalogImportDialog) -> int:
        lines = [dialog.changes.item(n).text() for n in range(dialog.changes.count())]
        seen.append((dialog.import_button.isEnabled(), dialog.message.text(), lines))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(CatalogImportDialog, "exec", look)
    assert clerk.catalog_actions.import_catalog(catalog_file) is True
    ((enabled, message, lines),) = seen
    assert enabled and "カタログに変更はありません" in message
    assert lines == ["入力受付中の年度を受け取ります: 令和6年度 (2024)（提出期限 2099-06-30）"]
    assert "入力受付中の年度を受け取りました" in clerk.catalog_actions.last_message
    assert "2099-06-30" in clerk.catalog_actions.last_message
    with clerk.store.snapshot() as conn:
        version = current_catalog_version(conn, 1)
    assert version is not None and version.sequence == 1  # the catalog itself unchanged
    qtbot.waitUntil(lambda: clerk.is_loaded, timeout=10000)
    qtbot.waitUntil(lambda: not clerk.cycle.banner.isHidden(), timeout=10000)
    assert "2099-06-30" in clerk.cycle.banner.text()
    # The same file again: nothing left to take in, 読み込む greyed out.
    before = dump(db)
    assert clerk.catalog_actions.import_catalog(catalog_file) is False
    assert not seen[-1][0] and seen[-1][2] == []
    assert dump(db) == before


def test_an_older_catalog_is_refused_in_the_window_with_a_message(
    qtbot: Any, planning_db: Path, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "v1.json"
    assert kplan(["--db", str(planning_db), "catalog", "export", "-o", str(old)]) == 0
    set_target(db, "7-1-1-K3", "3500")  # the department is already on version 2
    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    before = dump(db)
    assert clerk.catalog_actions.import_catalog(old) is False
    assert shown and "古いため読み込めません" in shown[0]
    assert dump(db) == before


def test_a_department_fills_an_evaluation_and_the_planning_division_reviews_it(
    qtbot: Any, db: Path
) -> None:
    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    dialog = EvaluationDialog(
        clerk.store, YEAR, department="community", planning=False, who="担当", year_label="R6"
    )
    qtbot.addWidget(dialog)
    codes = [dialog.measures.item(n).text() for n in range(dialog.measures.count())]
    assert len(codes) == 2 and "7-1-1" in codes[0]  # only the department's measures
    assert dialog.reviewer.isReadOnly()
    # Read-only looks read-only, and the grades say what they mean (trial 15b, 12).
    assert "background" in dialog.reviewer.styleSheet()
    grades = [dialog.grade.itemText(n) for n in range(1, dialog.grade.count())]
    assert grades == ["A（順調）", "B（概ね順調）", "C（やや遅れ）", "D（遅れ）"], grades
    dialog.grade.setCurrentIndex(dialog.grade.findData("B"))
    dialog.results.setPlainText("参加者が増えた")
    dialog.next_step.setCurrentIndex(dialog.next_step.findData(NextStep.EXPAND.value))
    dialog.next_text.setPlainText("講座を増やす")
    assert dialog.save() is True
    with clerk.store.snapshot() as conn:
        stored = read_evaluation(conn, 1, "7-1-1", YEAR)
    assert stored is not None
    assert (stored.evaluation.grade, stored.evaluation.next_step) == ("B", NextStep.EXPAND)
    assert dialog.measures.item(0).text().startswith("✔")

    planner = EvaluationDialog(
        clerk.store, YEAR, department=None, planning=True, who="企画", year_label="R6"
    )
    qtbot.addWidget(planner)
    assert planner.measures.count() == 8  # every measure of the plan
    assert planner.results.toPlainText() == "参加者が増えた"
    planner.reviewer.setPlainText("次年度に報告を")
    assert planner.save() is True
    with clerk.store.snapshot() as conn:
        stored = read_evaluation(conn, 1, "7-1-1", YEAR)
    assert stored is not None and stored.evaluation.reviewer_comment == "次年度に報告を"
    assert stored.evaluation.results == "参加者が増えた"


def test_an_evaluation_changed_meanwhile_is_refused_and_nothing_is_lost(
    qtbot: Any, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    dialog = EvaluationDialog(
        clerk.store, YEAR, department="community", planning=False, who="担当", year_label="R6"
    )
    qtbot.addWidget(dialog)
    # Someone else saves an evaluation of the same measure after the form was opened.
    assert kplan(["--db", str(db), "evaluate", "--measure", "7-1-1", "--year", str(YEAR),
                  "--grade", "D"]) == 0  # fmt: skip
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    dialog.grade.setCurrentIndex(dialog.grade.findData("A"))
    before = dump(db)
    assert dialog.save() is False
    assert shown and "ほかで変更されています" in shown[0]
    assert dump(db) == before


# -- the catalog editor ---------------------------------------------------------------------


def editor_on(qtbot: Any, path: Path) -> Any:
    from kplan_desktop.ui.catalog_editor import CatalogEditor

    store = Store.open(str(path))
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None
    editor = CatalogEditor(store, catalog, who="企画")
    qtbot.addWidget(editor)
    return editor


def test_the_editor_changes_a_target_with_undo_and_saves_a_new_version(
    qtbot: Any, planning_db: Path
) -> None:
    editor = editor_on(qtbot, planning_db)
    editor.select("indicator", "7-1-1-K3")
    assert editor.i_target.text() == "7500"
    editor.i_target.setText("3,500人")
    assert editor.apply_indicator() is True
    assert edit_target(editor) == "3500"
    editor.undo_stack.undo()
    assert edit_target(editor) == "7500" and editor.i_target.text() == "7500"
    editor.undo_stack.redo()
    assert edit_target(editor) == "3500"
    before = dump(planning_db)["actual"]
    assert editor.save() is True and "第2版" in editor.last_message
    store = Store.open(str(planning_db))
    with store.snapshot() as conn:
        version = current_catalog_version(conn, 1)
    assert version is not None and version.sequence == 2
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None
    found = [i for _, _, _, i in catalog.indicators() if i.code == "7-1-1-K3"]
    assert str(found[0].target) == "3500"
    assert dump(planning_db)["actual"] == before
    assert any(r[4] == "catalog" for r in dump(planning_db)["audit"])  # audited


def edit_target(editor: Any) -> str:
    from kplan_desktop.domain.catalog_edit import find_indicator

    found = find_indicator(editor.catalog, "7-1-1-K3")
    assert found is not None
    return str(found[1].target)


def test_the_editor_refuses_a_target_in_another_unit_and_keeps_values(
    qtbot: Any, planning_db: Path
) -> None:
    assert kplan(["--db", str(planning_db), "enter", "--indicator", "7-1-1-K3", "--year",
                  str(YEAR), "--value", "1,000人", "--comment", "説明"]) == 0  # fmt: skip
    editor = editor_on(qtbot, planning_db)
    editor.select("indicator", "7-1-1-K3")
    editor.i_target.setText("3,500円")
    assert editor.apply_indicator() is False
    assert "目標値" in editor.last_message and editor.undo_stack.count() == 0
    # An indicator with values is retired, never deleted.
    assert editor.remove_indicator() is False and "廃止" in editor.last_message
    assert editor.retire_indicator() is True
    # A new indicator (no values) can be added and removed again.
    assert editor.add_indicator() is True
    added = editor._selected()
    assert added == ("indicator", "7-1-1-K4")
    assert editor.remove_indicator() is True
    # A department that owns indicators cannot be made inactive.
    editor.select("department", "community")
    editor.d_active.setChecked(False)
    assert editor.apply_department() is False and "指標を担当" in editor.last_message
    before = dump(planning_db)["actual"]
    assert editor.save() is True
    store = Store.open(str(planning_db))
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None
    statuses = {i.code: i.status.value for _, _, _, i in catalog.indicators()}
    assert statuses["7-1-1-K3"] == "discontinued" and "7-1-1-K4" not in statuses
    assert dump(planning_db)["actual"] == before


def test_the_planning_window_opens_the_editor_from_the_catalog_menu(
    qtbot: Any, planning_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kplan_desktop.ui.catalog_editor import CatalogEditor

    planner = open_window(qtbot, planning_db, department=None, planning=True, fiscal_year=YEAR)

    def edit_and_save(editor: CatalogEditor) -> int:
        editor.select("measure", "7-1-1")
        editor.n_name.setText("コミュニティづくり（改）")
        assert editor.apply_named()
        assert editor.save()
        return 0

    monkeypatch.setattr(CatalogEditor, "exec", edit_and_save)
    planner.catalog_actions.edit_catalog()
    assert "第2版" in planner.catalog_actions.last_message
    qtbot.waitUntil(lambda: planner.is_loaded, timeout=10000)


def test_the_plans_tab_lists_each_linked_plan_with_the_indicators_serving_it(
    qtbot: Any, planning_db: Path
) -> None:
    assert kplan(["--db", str(planning_db), "enter", "--indicator", "7-1-1-K3", "--year",
                  str(YEAR), "--value", "1,234人", "--comment", "説明"]) == 0  # fmt: skip
    planner = open_window(qtbot, planning_db, department=None, planning=True, fiscal_year=YEAR)
    planner.tabs.setCurrentIndex(2)
    view = planner.window_tabs.plans_view
    assert isinstance(view, PlansView) and planner.tabs.currentWidget() is view
    plans = [top_level_text(view.tree, n) for n in range(view.tree.topLevelItemCount())]
    assert plans == ["総合戦略", "行財政改革"]
    strategy = top_level_item(view.tree, 0)
    items = [child.text(0) for child in children(strategy)]
    assert any(text.startswith("4-1-2") for text in items)
    assert "7-1-1-K3" in view.codes_under("総合戦略")
    (k3,) = [
        indicator
        for measure in children(strategy)
        for indicator in children(measure)
        if indicator.text(0).startswith("7-1-1-K3")
    ]
    assert k3.text(2) == "1234人" and k3.text(3) == "D"


# -- the yearly cycle -------------------------------------------------------------------------


def test_a_department_window_shows_the_due_date_and_what_it_still_owes(
    qtbot: Any, db: Path
) -> None:
    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    assert clerk.cycle.banner.isHidden()  # the year is not opened yet
    assert kplan(["--db", str(db), "cycle", "open", "--year", str(YEAR), "--due",
                  "2025-06-30", "--past-due"]) == 0  # fmt: skip
    assert kplan(["--db", str(db), "enter", "--indicator", "7-1-1-K3", "--year", str(YEAR),
                  "--value", "1,500人", "--comment", "説明"]) == 0  # fmt: skip
    clerk.close()
    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    assert not clerk.cycle.banner.isHidden()
    text = clerk.cycle.banner.text()
    assert "2025-06-30" in text and "未入力 5 件" in text  # 6 indicators, 1 entered


def test_planning_opens_a_year_sees_every_status_and_writes_the_pending_list(
    qtbot: Any, planning_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from kplan_desktop.ui.cycle_actions import CycleStatusDialog

    planner = open_window(qtbot, planning_db, department=None, planning=True, fiscal_year=YEAR)
    assert planner.cycle.open_year(date(2025, 6, 30)) is True
    assert "2025-06-30" in planner.cycle.last_message
    seen: list[list[str]] = []

    def look(dialog: CycleStatusDialog) -> int:
        seen.append([item_text(dialog.table, n, 2) for n in range(dialog.table.rowCount())])
        seen.append([dialog.due.text()])
        return 0

    monkeypatch.setattr(CycleStatusDialog, "exec", look)
    planner.cycle.show_status()
    assert seen[0] and set(seen[0]) == {"未着手"} and "2025-06-30" in seen[1][0]
    out = tmp_path / "未提出.xlsx"
    monkeypatch.setattr(file_dialogs, "choose", lambda *a: [str(out)])
    assert planner.cycle.write_pending() is True
    assert out.exists() and "未提出の課" in planner.cycle.last_message


def test_the_editor_sets_interim_targets_in_the_unit_and_a_department_contact(
    qtbot: Any, planning_db: Path
) -> None:
    editor = editor_on(qtbot, planning_db)
    editor.select("indicator", "7-1-1-K3")
    editor.i_interim.setText("2024=1,500人、2025=3000")
    assert editor.apply_indicator() is True
    editor.i_interim.setText("2024=1,500円")
    assert editor.apply_indicator() is False and "2024年度の目標" in editor.last_message
    editor.select("department", "community")
    editor.d_contact.setText("内線1234")
    assert editor.apply_department() is True
    assert editor.save() is True
    store = Store.open(str(planning_db))
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None
    (k3,) = [i for _, _, _, i in catalog.indicators() if i.code == "7-1-1-K3"]
    assert [(y, str(v)) for y, v in k3.interim_targets] == [(2024, "1500"), (2025, "3000")]
    assert {d.code: d.contact for d in catalog.departments}["community"] == "内線1234"


# -- the year lock in the window -------------------------------------------------------------


def grid_cell(window: MainWindow, code: str, year: int = YEAR) -> QModelIndex:
    for row in range(window.proxy.rowCount()):
        if window.proxy.index(row, 0).data() == code:
            return window.proxy.index(row, window.model.column_of_year(year))
    raise AssertionError(code)


def test_a_locked_year_refuses_a_write_from_the_window_with_a_clear_message(
    qtbot: Any, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planner = open_window(qtbot, db, department=None, planning=True, fiscal_year=YEAR)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    assert planner.cycle.lock_year() is True
    assert "ロックしました" in planner.cycle.last_message
    assert not planner.cycle.banner.isHidden() and "年度ロック" in planner.cycle.banner.text()
    planner.close()

    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    assert "締め切られています" in clerk.cycle.banner.text()
    before = dump(db)
    assert clerk.entry.submit(grid_cell(clerk, "7-1-1-K2"), "55") is False
    assert "年度ロック" in clerk.entry.last_message
    assert dump(db) == before
    clerk.close()

    planner = open_window(qtbot, db, department=None, planning=True, fiscal_year=YEAR)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    assert planner.cycle.unlock_year("") is False  # a reason is required
    assert warned and "理由" in warned[0]
    assert planner.cycle.unlock_year("数値の訂正のため") is True
    audit = [r for r in dump(db)["audit"] if r[4] in ("year_lock", "year_unlock")]
    assert len(audit) == 2 and any("数値の訂正のため" in str(r) for r in audit)


def test_an_evaluation_conflict_is_decided_in_the_merge_preview(
    qtbot: Any, db: Path, planning_db: Path, tmp_path: Path
) -> None:
    from kplan_desktop.exchange.payload import RowOutcome
    from kplan_desktop.ui.merge_preview_model import CHOICE

    def run(path: Path, *args: str) -> int:
        return kplan(["--db", str(path), *args])

    assert run(db, "evaluate", "--measure", "7-1-1", "--year", str(YEAR), "--grade", "B",
               "--results", "課の記入") == 0  # fmt: skip
    out = tmp_path / "community.xlsx"
    assert run(db, "export", "--department", "community", "--year", str(YEAR), "--draft",
               "-o", str(out)) == 0  # fmt: skip
    assert run(planning_db, "evaluate", "--measure", "7-1-1", "--year", str(YEAR), "--grade",
               "C", "--results", "企画の記入") == 0  # fmt: skip
    planner = open_window(qtbot, planning_db, department=None, planning=True, fiscal_year=YEAR)
    planner.exchange.preview = None
    planner.exchange.merge_paths([out])
    qtbot.waitUntil(lambda: planner.exchange.preview is not None, timeout=15000)
    preview = planner.exchange.preview
    assert preview is not None
    model = preview.model
    (line,) = [n for n in range(model.rowCount()) if model.index(n, 2).data() == "施策評価 7-1-1"]
    assert model.lines[line][1].outcome is RowOutcome.CONFLICT
    assert (
        "自己評価 B" in model.index(line, 6).data() and "自己評価 C" in model.index(line, 7).data()
    )
    assert model.setData(model.index(line, CHOICE), "file") is True
    planner.exchange.summary = None
    preview.merge_button.click()
    qtbot.waitUntil(lambda: planner.exchange.summary is not None, timeout=15000)
    store = Store.open(str(planning_db))
    with store.snapshot() as conn:
        stored = read_evaluation(conn, 1, "7-1-1", YEAR)
    assert stored is not None
    assert (stored.evaluation.grade, stored.evaluation.results) == ("B", "課の記入")


def test_the_editor_links_a_direction_to_another_plans_item(
    qtbot: Any, planning_db: Path, tmp_path: Path
) -> None:
    editor = editor_on(qtbot, planning_db)
    editor.select("direction", "7-1-2#1")
    assert editor.forms.currentWidget() is editor.direction_form
    editor.r_strategy.setChecked(True)
    editor.r_links.setPlainText("総合戦略|4-9-9|新しいKPI")
    assert editor.apply_direction() is True
    editor.r_links.setPlainText("総合戦略 4-9-9")
    assert editor.apply_direction() is False and "計画|コード|項目名" in editor.last_message
    assert editor.save() is True
    out = tmp_path / "総合戦略.xlsx"
    assert kplan(["--db", str(planning_db), "report", "--plan", "総合戦略", "-o", str(out)]) == 0
    import openpyxl

    codes = {
        r[0] for r in sheet(openpyxl.load_workbook(out)).iter_rows(min_row=5, values_only=True)
    }
    assert "4-9-9" in codes


def test_the_editor_renames_and_merges_a_department_from_a_year(
    qtbot: Any, planning_db: Path
) -> None:
    editor = editor_on(qtbot, planning_db)
    editor.select("department", "intl")
    editor.d_from_year.setValue(2025)
    editor.d_name.setText("国際交流課")
    assert editor.apply_department() is True
    editor.select("department", "intl")
    assert "2024年度まで「多文化共生担当課」" in editor.d_history.text()
    editor.d_from_year.setValue(2025)
    editor.d_merge_into.setCurrentIndex(editor.d_merge_into.findData("equality"))
    assert editor.apply_department() is True
    assert editor.save() is True
    store = Store.open(str(planning_db))
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None
    intl = {d.code: d for d in catalog.departments}["intl"]
    assert (intl.active, intl.merged_into, intl.until_year) == (False, "equality", 2024)
    assert intl.name_for(2024) == "多文化共生担当課" and intl.name_for(2025) == "国際交流課"
    moved = [i for _, _, _, i in catalog.indicators() if i.former_owners]
    assert moved and all(i.department == "equality" and i.owner_for(2024) == "intl" for i in moved)


def test_a_measure_or_a_single_indicator_serves_another_plans_item(
    qtbot: Any, planning_db: Path, tmp_path: Path
) -> None:
    import openpyxl

    editor = editor_on(qtbot, planning_db)
    editor.select("measure", "7-3-1")
    editor.n_links.setPlainText("行財政改革|9-9-9-1|産学官の連携")
    assert editor.apply_named() is True
    editor.select("indicator", "7-1-2-K1")
    editor.i_links.setPlainText("総合戦略|4-7-7|市民団体の支援")
    assert editor.apply_indicator() is True
    editor.i_links.setPlainText("総合戦略 4-7-7")
    assert editor.apply_indicator() is False and "計画|コード|項目名" in editor.last_message
    assert editor.save() is True

    # The links travel through the catalog workbook to another database.
    catalog_file = tmp_path / "catalog.xlsx"
    other = tmp_path / "other.sqlite3"
    assert kplan(["--db", str(planning_db), "catalog", "export", "-o", str(catalog_file)]) == 0
    seeded.init(other)
    assert kplan(["--db", str(other), "catalog", "import", str(catalog_file)]) == 0

    def plan_rows(plan: str) -> dict[str, set[str]]:
        out = tmp_path / f"{plan}.xlsx"
        assert kplan(["--db", str(other), "report", "--plan", plan, "-o", str(out)]) == 0
        rows: dict[str, set[str]] = {}
        for r in sheet(openpyxl.load_workbook(out)).iter_rows(min_row=5, values_only=True):
            if r[0] and r[4]:
                rows.setdefault(str(r[0]), set()).add(str(r[4]))
        return rows

    strategy = plan_rows("総合戦略")
    assert strategy["4-7-7"] == {"7-1-2-K1"}  # the one indicator, not its whole measure
    reform = plan_rows("行財政改革")
    assert reform["9-9-9-1"] >= {"7-3-1-K1"}  # every indicator of the measure


def test_the_evaluation_dialog_says_at_once_that_a_locked_year_is_read_only(
    qtbot: Any, db: Path
) -> None:
    assert kplan(["--db", str(db), "year", "lock", "--year", str(YEAR)]) == 0
    store = Store.open(str(db))
    dialog = EvaluationDialog(
        store, YEAR, department="community", planning=False, who="担当", year_label="令和6年度"
    )
    qtbot.addWidget(dialog)
    assert not dialog.notice.isHidden() and "年度ロック" in dialog.notice.text()
    assert not dialog.save_button.isEnabled() and dialog.results.isReadOnly()


def test_the_evaluation_dialog_names_which_indicator_has_which_grade(qtbot: Any, db: Path) -> None:
    for code, value in (("7-1-1-K3", "3,000人"), ("7-1-1-K2", "69")):
        assert kplan(["--db", str(db), "enter", "--indicator", code, "--year", str(YEAR),
                      "--value", value, "--comment", "説明"]) == 0  # fmt: skip
    store = Store.open(str(db))
    dialog = EvaluationDialog(
        store, YEAR, department="community", planning=False, who="担当", year_label="R6"
    )
    qtbot.addWidget(dialog)
    dialog.measures.setCurrentRow(0)
    text = dialog.guidance.text()
    lines = text.splitlines()
    named = [line for line in lines if line.startswith("7-1-1-K")]
    assert len(named) == 2, text
    assert any(
        line.startswith("7-1-1-K3 地区公民館コミュニティ事業への参加者数: ") for line in named
    )
    assert all(line[-1] in "ABCD" for line in named), text
    assert lines[-1].startswith("目安: ")
    store.dispose()


def test_a_department_window_receives_the_next_plan_from_the_planning_catalog(
    qtbot: Any, planning_db: Path, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S8 trial finding 4: the planning division's catalog of generation 2 makes that plan in a
    department's database (same number, links), through カタログ › カタログを読み込む…."""
    for args in (
        ["generation", "new", "--name", "次期基本計画", "--start", "R9", "--end", "R13",
         "--baseline-year", "R8"],
        ["generation", "decide", "7-1-1-K3", "continue"],
        ["generation", "activate", "2"],
    ):  # fmt: skip
        assert kplan(["--db", str(planning_db), *args]) == 0
    catalog_file = tmp_path / "第2期カタログ.xlsx"
    assert kplan(["--db", str(planning_db), "catalog", "export", "-o", str(catalog_file),
                  "--generation", "2"]) == 0  # fmt: skip
    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    assert [r.number for r in clerk.session.shown] == [1]
    seen: list[str] = []

    def look(dialog: CatalogImportDialog) -> int:
        seen.append(dialog.message.text())
        if shots := os.environ.get("KPLAN_SHOTS"):
            dialog.show()
            qtbot.wait(100)
            dialog.grab().save(str(Path(shots) / "catalog-import-next-plan.png"))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(CatalogImportDialog, "exec", look)
    assert clerk.catalog_actions.import_catalog(catalog_file) is True
    assert (
        "このデータベースに第2期「次期基本計画」" in seen[0] and "継続 25・見直し 0" in seen[0]
    )  # every indicator continued by default
    assert "第2期「次期基本計画」を作りました" in clerk.catalog_actions.last_message
    qtbot.waitUntil(lambda: clerk.is_loaded, timeout=10000)
    qtbot.waitUntil(lambda: [r.number for r in clerk.session.shown] == [1, 2], timeout=10000)
