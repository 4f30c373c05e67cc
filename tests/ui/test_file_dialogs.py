"""Every open and save dialog speaks the UI's language, labels and buttons included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QFileInfo
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kplan_desktop.ui.file_dialogs import Mode, file_dialog
from kplan_desktop.ui.i18n import install_translator

UI = Path(__file__).resolve().parents[2] / "src" / "kplan_desktop" / "ui"
ENGLISH = ("Look in", "File name", "Files of type", "Open", "Save", "Cancel")


def shown_texts(dialog: QWidget) -> list[str]:
    """The texts a person sees on the dialog's labels and buttons (without the & markers)."""
    texts = []
    for child in dialog.findChildren(QWidget):
        if child.isVisible() and isinstance(child, (QLabel, QAbstractButton)):
            texts.append(child.text().replace("&", ""))
    return [t for t in texts if t]


@pytest.fixture
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    translator = install_translator(qapp, request.param)
    yield request.param
    if translator is not None:
        qapp.removeTranslator(translator)


@pytest.mark.parametrize("language", ["ja"], indirect=True)
@pytest.mark.parametrize("mode", list(Mode))
def test_the_japanese_dialog_has_no_english_label(
    language: str, mode: Mode, qtbot: object, tmp_path: Path
) -> None:
    dialog = file_dialog(None, "提出用ブックの保存先", str(tmp_path), "Excel ブック (*.xlsx)", mode)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    texts = shown_texts(dialog)
    for english in ENGLISH:
        assert not [t for t in texts if t.startswith(english)], (english, texts)
    joined = " ".join(texts)
    assert "場所(L):" in joined and "ファイル名(N):" in joined and "ファイルの種類(T):" in joined
    assert "キャンセル" in texts
    assert ("保存(S)" if mode is Mode.SAVE else "開く(O)") in texts, texts
    # The type column: フォルダー, not the system's English "Folder".
    assert dialog.iconProvider().type(QFileInfo(str(tmp_path))) == "フォルダー"
    book = tmp_path / "a.xlsx"
    book.write_bytes(b"")
    assert dialog.iconProvider().type(QFileInfo(str(book))) == "xlsx ファイル"


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_the_english_dialog_is_english(language: str, qtbot: object, tmp_path: Path) -> None:
    dialog = file_dialog(None, "Save", str(tmp_path), "Excel (*.xlsx)", Mode.SAVE)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    texts = shown_texts(dialog)
    for english in ("Look in:", "File name:", "Files of type:", "Save", "Cancel"):
        assert english in texts, (english, texts)
    assert not [t for t in texts if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t)], texts
    assert dialog.iconProvider().type(QFileInfo(str(tmp_path))) == "Folder"


def test_every_dialog_of_the_window_goes_through_the_one_helper() -> None:
    """No module calls QFileDialog's own static functions (their labels stay English)."""
    callers = [
        path.name
        for path in UI.rglob("*.py")
        if path.name != "file_dialogs.py" and "QFileDialog" in path.read_text(encoding="utf-8")
    ]
    assert callers == []
