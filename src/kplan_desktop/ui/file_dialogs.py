"""Every open and save dialog of the window, in the UI's language.

Qt's own Japanese translations (qtbase_ja) leave several of the file dialog's labels in English
("Look in:", "Files of type:" — their source texts changed in Qt 6), so each label and button
is set here from our own texts: Japanese, or English from kplan_en.ts. On Windows the system's
own dialog is used (it speaks the system's language); elsewhere Qt's dialog.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QFileInfo,
    QIdentityProxyModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFileIconProvider,
    QFileSystemModel,
    QListView,
    QSplitter,
    QTreeView,
    QWidget,
)


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


# Dates in the file list: the same in every locale and never cut (under LANG=C.UTF-8 Qt wrote
# 「3 12 2026 16:35」, day and month unmarked).
DATE_FORMAT = "yyyy/MM/dd HH:mm"
SIZE_COLUMN, TYPE_COLUMN, DATE_COLUMN = 1, 2, 3


class Readable(QIdentityProxyModel):
    """The file list's sizes and dates in the UI's language, not the system locale's (Qt's
    dialog reads the process locale: C under LANG=C.UTF-8, whatever language the UI speaks)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.locale = QLocale()  # the UI's (see i18n.install_translator)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        model = self.sourceModel()
        column = index.column()
        if (
            role == Qt.ItemDataRole.DisplayRole
            and column in (SIZE_COLUMN, DATE_COLUMN)
            and isinstance(model, QFileSystemModel)
        ):
            source = self.mapToSource(index)
            if column == DATE_COLUMN:
                return model.lastModified(source).toString(DATE_FORMAT)
            if model.isDir(source):
                return ""
            return self.locale.formattedDataSize(
                model.size(source), 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat
            )
        return super().data(index, role)


class FileDialog(QFileDialog):
    """Qt's file dialog holding its icon provider (Qt does not own it)."""

    def __init__(self, parent: QWidget | None, title: str, start: str, filters: str) -> None:
        super().__init__(parent, title, start, filters)
        self.kinds = Kinds()
        self.readable: Readable | None = None

    def make_readable(self) -> None:
        """Sizes and dates in the UI's language, and every column and the places list wide
        enough for their words (「コンピュータ」, 「xlsx ファイル」 were cut)."""
        self.readable = Readable(self)
        self.setProxyModel(self.readable)
        metrics = self.fontMetrics()
        pad = 2 * metrics.averageCharWidth() + 16
        files = self.findChild(QTreeView, "treeView")
        if files is not None:
            header = files.header()
            widths = {
                SIZE_COLUMN: metrics.horizontalAdvance("999.9 MB") + pad,
                TYPE_COLUMN: metrics.horizontalAdvance(self.kinds.type(QFileInfo("a.xlsx"))) + pad,
                DATE_COLUMN: metrics.horizontalAdvance("2026/12/31 23:59") + pad,
            }
            for column, width in widths.items():
                header.resizeSection(column, max(width, header.sectionSize(column)))
            header.resizeSection(0, max(header.sectionSize(0), 26 * metrics.averageCharWidth()))
        places = self.findChild(QListView, "sidebar")
        splitter = self.findChild(QSplitter, "splitter")
        if places is not None and splitter is not None:
            widest = max(
                (
                    metrics.horizontalAdvance(str(places.model().index(row, 0).data() or ""))
                    for row in range(places.model().rowCount())
                ),
                default=0,
            )
            side = min(max(widest, metrics.horizontalAdvance("コンピュータ")) + 48, 260)
            total = sum(splitter.sizes()) or self.width()
            splitter.setSizes([side, max(total - side, 1)])
        screen = self.screen().availableGeometry() if self.screen() else None
        width = sum(header.sectionSize(c) for c in range(4)) + 260 if files else 900
        if screen is not None:
            width = min(width + 40, screen.width() - 40)
        self.resize(max(self.width(), width), max(self.height(), 420))


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
    if sys.platform != "win32":
        dialog.make_readable()
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
