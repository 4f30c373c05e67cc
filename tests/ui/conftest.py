"""Qt tests run offscreen, with their own settings file, on the real window."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import pytest

if TYPE_CHECKING:
    from kplan_desktop.ui.main_window import MainWindow

# open_window's maker: MainWindow's keyword arguments in, the loaded window out.
Opener: TypeAlias = "Callable[..., MainWindow]"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.ini"
    monkeypatch.setenv("KPLAN_SETTINGS_FILE", str(path))
    return path


@pytest.fixture(autouse=True)
def defaults_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """IT's pre-seeded defaults (kplan_desktop.site_defaults): none unless a test writes one."""
    path = tmp_path / "defaults.ini"
    monkeypatch.setenv("KPLAN_DEFAULTS_FILE", str(path))
    return path


@pytest.fixture
def open_window(db: Path, qtbot: object) -> Opener:
    """Open the main window on the test database and wait until its grid is loaded."""
    from kplan_desktop.store.engine import Store
    from kplan_desktop.ui.main_window import MainWindow
    from kplan_desktop.ui.settings import AppSettings

    def make(**kwargs: object) -> MainWindow:
        options: dict[str, object] = {"department": "community", "fiscal_year": 2025}
        options.update(kwargs)
        window = MainWindow(Store.open(str(db)), settings=AppSettings(), **options)  # type: ignore[arg-type]
        # A test may end with a typed value in an editor: the close at teardown must not ask.
        qtbot.addWidget(window, before_close_func=lambda w: w.entry.discard_pending())  # type: ignore[attr-defined]
        window.show()
        qtbot.waitUntil(lambda: window.is_loaded, timeout=10000)  # type: ignore[attr-defined]
        return window

    return make


@pytest.fixture(autouse=True)
def no_unexpected_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog nobody answers would hang the run: make it fail the test instead."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"unexpected modal dialog: {args[1:3]}")

    for name in ("getMultiLineText", "getItem", "getText"):
        monkeypatch.setattr(QInputDialog, name, refuse)
    for name in ("critical", "information", "warning", "question"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    from kplan_desktop.ui import file_dialogs
    from kplan_desktop.ui.comment_dialog import CommentDialog

    monkeypatch.setattr(file_dialogs, "choose", lambda *a: refuse(*a))

    monkeypatch.setattr(CommentDialog, "exec", lambda self: refuse(self, self.windowTitle()))
