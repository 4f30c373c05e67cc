"""English comes from Qt's translation files: complete, compiled, and loaded."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from kplan_desktop.ui.i18n import choose_language, install_translator, resources_dir

TS = resources_dir() / "translations" / "kplan_en.ts"
QM = resources_dir() / "translations" / "kplan_en.qm"
REPO = Path(__file__).resolve().parents[2]


def pyside_tool(name: str) -> Path:
    """A PySide6 tool (pyside6-lupdate, pyside6-lrelease) of the interpreter running the tests:
    installed beside it (a venv's bin/, a Windows Scripts folder), else the one on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return beside
    found = shutil.which(name)
    assert found is not None, f"{name} is not installed beside {sys.executable} nor on PATH"
    return Path(found)


def _translation_type(message: ET.Element) -> str | None:
    translation = message.find("translation")
    return None if translation is None else translation.get("type")


def test_every_message_has_an_english_translation() -> None:
    messages = ET.parse(TS).getroot().iter("message")
    untranslated = [
        m.findtext("source")
        for m in messages
        if not (m.findtext("translation") or "").strip()
        or _translation_type(m) in ("unfinished", "obsolete")
    ]
    assert untranslated == []


def test_the_sources_cover_every_tr_string_in_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    ui = REPO / "src" / "kplan_desktop" / "ui"
    files = [str(p) for p in sorted(ui.glob("*.py")) + sorted((ui / "models").glob("*.py"))]
    lupdate = pyside_tool("pyside6-lupdate")
    subprocess.run([str(lupdate), *files, "-ts", str(fresh)], check=True, capture_output=True)
    wanted = {m.findtext("source") for m in ET.parse(fresh).getroot().iter("message")}
    have = {m.findtext("source") for m in ET.parse(TS).getroot().iter("message")}
    assert wanted - have == set(), "run scripts/translations and translate the new strings"


def test_the_compiled_file_is_current(tmp_path: Path) -> None:
    compiled = tmp_path / "kplan_en.qm"
    lrelease = pyside_tool("pyside6-lrelease")
    subprocess.run([str(lrelease), str(TS), "-qm", str(compiled)], check=True, capture_output=True)
    assert compiled.read_bytes() == QM.read_bytes(), "run scripts/translations"


def test_english_is_loaded_and_japanese_is_the_default(qapp: QApplication) -> None:
    assert choose_language("en", "ja") == "en"
    assert choose_language(None, "en") == "en"
    translator = install_translator(qapp, "en")
    assert translator is not None
    try:
        assert translator is not None
        assert QCoreApplication.translate("PlanTree", "全課を表示") == "All departments"
        assert QCoreApplication.translate("IndicatorTableModel", "達成率") == "Achievement"
    finally:
        qapp.removeTranslator(translator)
    assert QCoreApplication.translate("PlanTree", "全課を表示") == "全課を表示"


def test_the_japanese_ui_loads_qts_own_japanese(qapp: QApplication) -> None:
    """Qt's dialogs (file dialog, message-box buttons) speak Japanese in the Japanese UI."""
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    translator = install_translator(qapp, "ja")
    assert translator is not None
    try:
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "キャンセル"
        assert QCoreApplication.translate("QFileDialog", "File &name:") != "File &name:"
        assert QCoreApplication.translate("QMessageBox", "Show Details...") != "Show Details..."
        # Our own texts stay the Japanese source.
        assert QCoreApplication.translate("PlanTree", "全課を表示") == "全課を表示"
    finally:
        qapp.removeTranslator(translator)
