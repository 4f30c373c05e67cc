"""Changing a QSortFilterProxyModel's own filter settings, on every Qt 6 this program meets."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSortFilterProxyModel


def change_filter(proxy: QSortFilterProxyModel, change: Callable[[], None]) -> None:
    """Apply `change` to the proxy's settings and filter again.

    Qt 6.10 replaced invalidateFilter() with a beginFilterChange()/endFilterChange() pair.
    """
    modern = hasattr(proxy, "beginFilterChange")
    if modern:
        proxy.beginFilterChange()
    change()
    if modern:
        proxy.endFilterChange()
    else:
        proxy.invalidateFilter()
