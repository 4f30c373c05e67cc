"""The window's tabs: 入力 (the grid), ダッシュボード and 計画横断, the last two built when first
opened (most sessions never look at them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget

from kplan_desktop.ui.parts import Part, Shared

if TYPE_CHECKING:
    from kplan_desktop.ui.dashboard import Dashboard
    from kplan_desktop.ui.models.cells import GridData
    from kplan_desktop.ui.plans_view import PlansView


class WindowTabs(Part):
    def __init__(self, shared: Shared, entry_page: QWidget) -> None:
        super().__init__(shared)
        self.dashboard: Dashboard | None = None
        self.plans_view: PlansView | None = None
        # What the grid last loaded: the other tabs show the same.
        self.data: GridData | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(entry_page, self.tr("入力"))
        self.tabs.addTab(QWidget(), self.tr("ダッシュボード"))
        self.tabs.addTab(QWidget(), self.tr("計画横断"))
        self.tabs.currentChanged.connect(self.changed)

    def refresh(self) -> None:
        """The grid was read again: the open tab shows the new data."""
        self.changed(self.tabs.currentIndex())

    def changed(self, index: int) -> None:
        if index == 1:
            self.refresh_dashboard()
        elif index == 2:
            self.refresh_plans()

    def refresh_plans(self) -> None:
        """計画横断: the other plans' items and the indicators that serve them."""
        if self.data is None:
            return
        if self.plans_view is None:
            from kplan_desktop.ui.plans_view import PlansView

            self.plans_view = PlansView(lang=self.lang)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(2)
            self.tabs.insertTab(2, self.plans_view, self.tr("計画横断"))
            self.tabs.setCurrentIndex(2)
            self.tabs.blockSignals(False)
        data = self.data
        self.plans_view.show_plans(data.catalog, data.rows, self.fiscal_year)

    def refresh_dashboard(self) -> None:
        if self.data is None:
            return
        if self.dashboard is None:
            from kplan_desktop.ui.dashboard import Dashboard

            self.dashboard = Dashboard(lang=self.lang)
            # The planning division's dashboard (every 課 and 施策) is taller than a laptop's
            # screen: it scrolls inside its tab, and the window keeps to the screen (it grew to
            # 1009 px on a 768 px screen, its status bar out of reach).
            scroll = QScrollArea()
            scroll.setObjectName("dashboard_scroll")
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(self.dashboard)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(1)
            self.tabs.insertTab(1, scroll, self.tr("ダッシュボード"))
            self.tabs.setCurrentIndex(1)
            self.tabs.blockSignals(False)
        data = self.data
        self.dashboard.show_overview(data.catalog, data.rows, self.fiscal_year)
