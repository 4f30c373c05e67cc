"""Typed access to the widgets the window tests look at: PySide6's stubs type a focused widget,
a table item or an action's menu loosely; these helpers check the widget is what the test
expects (a failed check is a failed test) and hand back its real type."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QLineEdit,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)


def line_editor(widget: QWidget | None) -> QLineEdit:
    """The cell editor that has the focus (the grid edits with a QLineEdit)."""
    if not isinstance(widget, QLineEdit):
        raise AssertionError(f"no line editor has the focus: {widget!r}")
    return widget


def item_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    if item is None:
        raise AssertionError(f"no item at ({row}, {column})")
    return item.text()


def top_level_text(tree: QTreeWidget, row: int, column: int = 0) -> str:
    return top_level_item(tree, row).text(column)


def menus(bar: QMenuBar) -> list[QMenu]:
    """The menus of a menu bar (an action's menu() is typed as any QObject)."""
    found = [action.menu() for action in bar.actions()]
    return [menu for menu in found if isinstance(menu, QMenu)]


def menu_entries(bar: QMenuBar) -> list[str]:
    """Every entry of every menu, as shown."""
    return [action.text() for menu in menus(bar) for action in menu.actions()]


def top_level_item(tree: QTreeWidget, row: int) -> QTreeWidgetItem:
    item = tree.topLevelItem(row)
    if item is None:
        raise AssertionError(f"no top-level item {row}")
    return item


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    found = [item.child(n) for n in range(item.childCount())]
    return [child for child in found if child is not None]
