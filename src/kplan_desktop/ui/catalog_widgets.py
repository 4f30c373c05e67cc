"""The catalog editor's small pieces: its undo command and form helpers."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QComboBox

from kplan_desktop.domain.catalog import Catalog, CrossReference
from kplan_desktop.domain.values import canonical


class CatalogView(Protocol):
    """The editor, as its undo command sees it."""

    def show_catalog(self, catalog: Catalog) -> None: ...


KEY = Qt.ItemDataRole.UserRole


class Change(QUndoCommand):
    """One applied edit: the catalog before and after."""

    def __init__(self, editor: CatalogView, before: Catalog, after: Catalog, label: str) -> None:
        super().__init__(label)
        self.editor = editor
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.editor.show_catalog(self.after)

    def undo(self) -> None:
        self.editor.show_catalog(self.before)


def combo(items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    for label, data in items:
        box.addItem(label, data)
    return box


def link_lines(references: tuple[CrossReference, ...]) -> str:
    return "\n".join(f"{x.plan}|{x.code}|{x.title}" for x in references)


def dec(value: Decimal | None) -> str:
    return "" if value is None else canonical(value)
