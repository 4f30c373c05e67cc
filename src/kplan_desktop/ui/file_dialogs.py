"""Every open and save dialog of the window, in the UI's language.

Qt's own Japanese translations (qtbase_ja) leave several of the file dialog's labels in English
("Look in:", "Files of type:" — their source texts changed in Qt 6), so each label and button
is set here from our own texts: Japanese, or English from kplan_en.ts. On Windows the system's
own dialog is used (it speaks the system's language); elsewhere Qt's dialog.
"""

from __future__ import annotations

import sys
from enum import Enum

from PySide6.QtCore import QCoreApplication, QFileInfo
from PySide6.QtWidgets import QDialog, QFileDialog, QFileIconProvider, QWidget


class Mode(Enum):
    OPEN = "open"
    OPEN_MANY = "open_many"
    SAVE = "save"


def labels(mode: Mode) -> dict[QFileDialog.DialogLabel, str]:
    """The dialog's label and button texts for `mode`, in the UI's language."""
    label = QFileDialog.DialogLabel
    translate = QCoreApplication.translate
    accept = (
        translate("FileDialogs", "保存(&S)")
        if mode is Mode.SAVE
        else translate("FileDialogs", "開く(&O)")
    )
    return {
        label.LookIn: translate("FileDialogs", "場所(&L):"),
        label.FileName: translate("FileDialogs", "ファイル名(&N):"),
        label.FileType: translate("FileDialogs", "ファイルの種類(&T):"),
        label.Accept: accept,
        label.Reject: translate("FileDialogs", "キャンセル"),
    }


class Kinds(QFileIconProvider):
    """The type column's words ("Folder", "xlsx File" come from the system, in English)."""

    def type(self, info: QFileInfo) -> str:
        translate = QCoreApplication.translate
        if info.isDir():
            return translate("FileDialogs", "フォルダー")
        suffix = info.suffix()
        if not suffix:
            return translate("FileDialogs", "ファイル")
        return translate("FileDialogs", "{0} ファイル").format(suffix)


class FileDialog(QFileDialog):
    """Qt's file dialog holding its icon provider (Qt does not own it)."""

    def __init__(self, parent: QWidget | None, title: str, start: str, filters: str) -> None:
        super().__init__(parent, title, start, filters)
        self.kinds = Kinds()


def file_dialog(
    parent: QWidget | None, title: str, start: str, filters: str, mode: Mode
) -> QFileDialog:
    """A file dialog with every label in the UI's language (not shown yet)."""
    dialog = FileDialog(parent, title, start, filters)
    dialog.setObjectName("file_dialog")
    if sys.platform != "win32":
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if mode is Mode.SAVE:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        many = mode is Mode.OPEN_MANY
        dialog.setFileMode(
            QFileDialog.FileMode.ExistingFiles if many else QFileDialog.FileMode.ExistingFile
        )
    for which, text in labels(mode).items():
        dialog.setLabelText(which, text)
    dialog.setIconProvider(dialog.kinds)
    return dialog


def choose(parent: QWidget | None, title: str, start: str, filters: str, mode: Mode) -> list[str]:
    """Show the dialog and wait: the chosen paths, [] when cancelled (tests replace this)."""
    dialog = file_dialog(parent, title, start, filters, mode)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        return list(dialog.selectedFiles())
    finally:
        dialog.deleteLater()


def open_file(parent: QWidget | None, title: str, folder: str, filters: str) -> str:
    """One existing file chosen, or '' when cancelled."""
    chosen = choose(parent, title, folder, filters, Mode.OPEN)
    return chosen[0] if chosen else ""


def open_files(parent: QWidget | None, title: str, folder: str, filters: str) -> list[str]:
    """Existing files chosen (several with Ctrl or Shift), or [] when cancelled."""
    return choose(parent, title, folder, filters, Mode.OPEN_MANY)


def save_file(parent: QWidget | None, title: str, path: str, filters: str) -> str:
    """A file name to write (the dialog asks before replacing a file), or '' when cancelled."""
    chosen = choose(parent, title, path, filters, Mode.SAVE)
    return chosen[0] if chosen else ""
