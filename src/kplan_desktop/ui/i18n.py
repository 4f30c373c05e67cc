"""Choosing the UI language and loading the compiled Qt translations (.qm)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

if TYPE_CHECKING:
    from kplan_desktop.domain.fiscal_year import FiscalYearStyle


def resources_dir() -> Path:
    """resources/: in the frozen bundle, the installed package (wheel) or beside src/ (checkout)."""
    package = Path(__file__).resolve().parent.parent
    candidates = [package / "_resources", package.parent.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's bootloader
    if bundle:
        candidates.insert(0, Path(bundle) / "kplan_desktop" / "_resources")
    for candidate in candidates:
        if (candidate / "translations").is_dir():
            return candidate
    raise FileNotFoundError("kplan-desktop's resources/ folder is missing")


def icon_path() -> Path:
    return resources_dir() / "icons" / "kplan-desktop.png"


def choose_language(requested: str | None, saved: str | None) -> str:
    """--lang first, then the saved setting, then the system locale; Japanese by default."""
    if requested in ("ja", "en"):
        return requested
    if saved in ("ja", "en"):
        return saved
    return "en" if QLocale.system().language() == QLocale.Language.English else "ja"


def qt_translations_dir() -> Path:
    """Where Qt's own translations (qtbase_ja.qm …) are: Qt's path, else PySide6's folder."""

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if (folder / "qtbase_ja.qm").is_file():
        return folder

    return Path(PySide6.__file__).resolve().parent / "Qt" / "translations"


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Japanese is the source language of our texts; Qt's own dialogs (file dialog, message-box
    buttons, 'Show Details…') speak it through qtbase_ja.qm. English comes from
    resources/translations/kplan_en.qm. Qt's own formatting (the file dialog's sizes and
    dates) follows the UI's language, not the process locale (C under LANG=C.UTF-8)."""
    QLocale.setDefault(ui_locale(language))
    translator = QTranslator(app)
    if language != "en":
        loaded = translator.load(str(qt_translations_dir() / "qtbase_ja.qm"))
    else:
        loaded = translator.load(str(resources_dir() / "translations" / "kplan_en.qm"))
    if loaded:
        app.installTranslator(translator)
        return translator
    return None


def ui_locale(language: str) -> QLocale:
    """The locale of the UI's language: Japan's for Japanese, the UK's for English."""
    if language == "en":
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    return QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)


def year_text(fiscal_year: int, lang: str, japanese: FiscalYearStyle | None = None) -> str:
    """A fiscal year as the UI writes it: FY2024 in English, 令和6年度 (or `japanese`) otherwise.

    Era names mean nothing to an English reader, so every style becomes the Western FY form.
    """
    from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year

    if lang == "en":
        return format_fiscal_year(fiscal_year, FiscalYearStyle.ENGLISH)
    return format_fiscal_year(fiscal_year, japanese or FiscalYearStyle.ERA)


def quoted(text: str, lang: str, after: str = "") -> str:
    """Text quoted as each language quotes: 「abc」 in Japanese, “abc” in English; `after`
    (a cell's name) comes first, with a space in English only: R7「abc」, R7 “abc”."""
    if lang == "en":
        return f"{after} “{text}”" if after else f"“{text}”"
    return f"{after}「{text}」"
