"""Signing keys and trust decisions through the real window (offscreen): a department writes its
public key file, the planning division registers it and lists it; the merge preview's
"accept unsigned" checkbox asks first and then plans forged files as conflicts only; a restore of
another installation's backup names both and changes nothing unless confirmed."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from kplan_desktop.cli import main as kplan
from kplan_desktop.exchange.payload import RowOutcome
from kplan_desktop.store.engine import Store
from kplan_desktop.store.keys import registered_keys
from kplan_desktop.ui.main_window import MainWindow
from kplan_desktop.ui.settings import AppSettings
from tests import seeded
from tests.conftest import dump
from tests.ui.qt import item_text, menu_entries

YEAR = 2024


def open_window(qtbot: Any, path: Path, **options: Any) -> MainWindow:
    window = MainWindow(Store.open(str(path)), settings=AppSettings(), **options)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_loaded, timeout=10000)
    return window


@pytest.fixture
def planning_db(tmp_path: Path) -> Path:
    path = tmp_path / "planning.sqlite3"
    seeded.init(path)
    return path


def answer(monkeypatch: pytest.MonkeyPatch, name: str, button: Any, asked: list[str]) -> None:
    def reply(parent: object, title: str, text: str, *rest: object) -> Any:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, name, reply)


def test_a_department_exports_and_the_planning_division_registers_its_key(
    qtbot: Any,
    db: Path,
    planning_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    key_folder: Path,
) -> None:
    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    key_file = tmp_path / "community"  # the suffix is added
    exported = clerk.keys.export_key(str(key_file))
    assert exported is not None
    written = tmp_path / "community.kplan-key"
    assert written.exists()
    if os.name == "posix":
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert exported.fingerprint in clerk.status.text()
    menus = menu_entries(clerk.menuBar())
    assert "署名鍵を書き出す…" in menus

    planner = open_window(qtbot, planning_db, department=None, planning=True, fiscal_year=YEAR)
    menus = menu_entries(planner.menuBar())
    assert "課の署名鍵を登録…" in menus and "登録済みの署名鍵…" in menus
    asked: list[str] = []
    # Cancelled at the question: nothing is registered.
    answer(monkeypatch, "question", QMessageBox.StandardButton.Cancel, asked)
    before = dump(planning_db)
    assert planner.keys.register_key(str(written)) is None
    assert dump(planning_db) == before
    assert exported.fingerprint in asked[0] and "市民協働" in asked[0]
    answer(monkeypatch, "question", QMessageBox.StandardButton.Yes, asked)
    registered = planner.keys.register_key(str(written))
    assert registered is not None and registered.public_key == exported.public_key
    with planner.store.snapshot() as conn:
        assert [k.department for k in registered_keys(conn)] == ["community"]
    assert "登録しました" in planner.status.text()
    dialog = planner.keys.show_keys()
    assert dialog.table.rowCount() == 1
    assert "市民協働" in item_text(dialog.table, 0, 0)
    assert item_text(dialog.table, 0, 2) == exported.fingerprint
    dialog.grab().save(str(tmp_path / "keys.png"))
    dialog.close()
    # The department's private key is lost: its new key replaces the registration only after
    # a warning that names both fingerprints.
    for pem in key_folder.glob("*.pem"):
        pem.unlink()
    renewed = clerk.keys.export_key(str(tmp_path / "renewed.kplan-key"))
    assert renewed is not None and renewed.public_key != exported.public_key
    warned_replace: list[str] = []
    answer(monkeypatch, "warning", QMessageBox.StandardButton.Cancel, warned_replace)
    before = dump(planning_db)
    assert planner.keys.register_key(str(tmp_path / "renewed.kplan-key")) is None
    assert dump(planning_db) == before
    assert exported.fingerprint in warned_replace[0] and renewed.fingerprint in warned_replace[0]
    answer(monkeypatch, "warning", QMessageBox.StandardButton.Yes, warned_replace)
    assert planner.keys.register_key(str(tmp_path / "renewed.kplan-key")) is not None
    with planner.store.snapshot() as conn:
        assert [k.public_key for k in registered_keys(conn)] == [renewed.public_key]
    # A file that is not a key: refused with a clear message, nothing registered.
    bad = tmp_path / "bad.kplan-key"
    bad.write_text("{}", encoding="utf-8")
    warned: list[str] = []
    answer(monkeypatch, "warning", QMessageBox.StandardButton.Ok, warned)
    assert planner.keys.register_key(str(bad)) is None
    assert "鍵" in warned[0]


def _forged_submission(db: Path, planning_db: Path, tmp_path: Path) -> Path:
    """community's signed submission, merged; then a copy with 7-1-1-K2 changed and its
    signature stripped."""

    def run(path: Path, *args: str) -> int:
        return kplan(["--db", str(path), *args])

    assert run(db, "enter", "--indicator", "7-1-1-K2", "--year", str(YEAR), "--value", "55") == 0
    signed = tmp_path / "signed.xlsx"
    assert run(db, "export", "--department", "community", "--year", str(YEAR), "-o",
               str(signed), "--draft") == 0  # fmt: skip
    key = tmp_path / "c.kplan-key"
    assert run(db, "key", "export", "--department", "community", "-o", str(key)) == 0
    assert run(planning_db, "key", "import", str(key)) == 0
    assert run(planning_db, "merge", str(signed)) == 0
    book = openpyxl.load_workbook(signed)
    data = book["data"]
    keys = [c.value for c in data[1]]
    for row in data.iter_rows(min_row=2):
        if row[0].value == "7-1-1-K2":
            row[keys.index("value")].value = "60"
    for row in book["meta"].iter_rows(min_row=2):
        if row[0].value == "signature":
            row[1].value = ""
    forged = tmp_path / "forged.xlsx"
    book.save(forged)
    return forged


def test_the_preview_accepts_an_unsigned_file_only_after_asking_and_then_only_as_conflicts(
    qtbot: Any, db: Path, planning_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forged = _forged_submission(db, planning_db, tmp_path)
    planner = open_window(qtbot, planning_db, department=None, planning=True, fiscal_year=YEAR)
    planner.exchange.merge_paths([forged])
    qtbot.waitUntil(lambda: planner.exchange.preview is not None, timeout=15000)
    first = planner.exchange.preview
    assert first is not None
    assert first.files[0].plan is None and first.files[0].error is not None
    assert first.files[0].error.code == "E_MERGE_SIGNATURE"
    box = first.accept_unsigned_box
    assert box.isVisibleTo(first) and not box.isChecked()
    first.grab().save(str(tmp_path / "preview-refused.png"))
    asked: list[str] = []
    answer(monkeypatch, "warning", QMessageBox.StandardButton.Cancel, asked)
    box.setChecked(True)
    assert not box.isChecked() and forged.name in asked[0]
    assert planner.exchange.preview is first
    answer(monkeypatch, "warning", QMessageBox.StandardButton.Yes, asked)
    box.setChecked(True)
    qtbot.waitUntil(
        lambda: planner.exchange.preview is not first and planner.exchange.preview is not None,
        timeout=15000,
    )
    second = planner.exchange.preview
    assert second is not None and second.accepted_unsigned
    plan = second.files[0].plan
    assert plan is not None
    outcome = {row.incoming.indicator: row.outcome for row in plan.rows}
    assert outcome["7-1-1-K2"] is RowOutcome.CONFLICT
    assert second.accept_unsigned_box.isChecked() and not second.accept_unsigned_box.isEnabled()
    second.grab().save(str(tmp_path / "preview-accepted.png"))
    before = dump(planning_db)["actual"]
    second.merge_button.click()
    qtbot.waitUntil(lambda: planner.exchange.summary is not None, timeout=15000)
    assert dump(planning_db)["actual"] == before  # the conflict was left undecided


def test_restoring_another_installations_backup_names_both_and_asks(
    qtbot: Any, db: Path, planning_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = tmp_path / "theirs.sqlite3"
    assert kplan(["--db", str(planning_db), "backup", "-o", str(theirs)]) == 0
    window = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    ours_id = window.store.meta("database_id") or ""
    theirs_id = Store.open(str(planning_db)).meta("database_id") or ""
    warned: list[str] = []
    answer(monkeypatch, "warning", QMessageBox.StandardButton.Cancel, warned)
    before = dump(db)
    window.backups.restore(str(theirs))
    assert ours_id in warned[0] and theirs_id in warned[0]
    assert dump(db) == before
    asked: list[str] = []
    answer(monkeypatch, "warning", QMessageBox.StandardButton.Yes, warned)
    answer(monkeypatch, "question", QMessageBox.StandardButton.Yes, asked)
    window.backups.restore(str(theirs))
    qtbot.waitUntil(lambda: "復元しました" in window.status.text(), timeout=15000)
    assert window.store.meta("database_id") == theirs_id


@pytest.mark.parametrize("first", ["key", "submission"])
def test_the_key_made_from_the_window_is_audited_as_the_windows_and_the_clerks(
    qtbot: Any, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """A key made on the window's first key export or first draft export was logged
    who=export source=cli (issue 15's trial): the window and its user are named."""
    from kplan_desktop.store.audit import audit_log
    from kplan_desktop.store.requests import current_user

    clerk = open_window(qtbot, db, department="community", fiscal_year=YEAR)
    if first == "key":
        assert clerk.keys.export_key(str(tmp_path / "community")) is not None
    else:
        book = tmp_path / "draft.xlsx"
        monkeypatch.setattr(clerk.exchange, "ask", lambda *args, **kwargs: "draft")
        monkeypatch.setattr(clerk.exchange, "save_path", lambda *args: book)
        clerk.exchange.export_submission()
        qtbot.waitUntil(lambda: "書き出しました" in clerk.status.text(), timeout=20000)
        assert book.exists()
    with clerk.store.snapshot() as conn:
        made = [(e.who, e.source) for e in audit_log(conn) if e.action == "key"]
    assert made == [(current_user(), "gui")]
