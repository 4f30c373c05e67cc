"""The first-run dialog: who uses this PC (a department or the planning division), which year."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.settings import ROLE_DEPARTMENT, ROLE_PLANNING


class FirstRunDialog(QDialog):
    """Asks the role and the fiscal year being entered; the answers go to the settings."""

    def __init__(
        self,
        catalog: Catalog,
        default_year: int,
        parent: QWidget | None = None,
        *,
        lang: str = "ja",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("はじめに — kplan-desktop"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("このパソコンを使う課と、実績を入力する年度を選んでください。"))
        )
        self.department_button = QRadioButton(self.tr("担当課として入力する"))
        self.planning_button = QRadioButton(self.tr("企画担当課（全課の集約）"))
        self.department_button.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.department_button)
        group.addButton(self.planning_button)
        self.department_combo = QComboBox()
        # The 課 that own indicators come first (the first of them is chosen): the planning
        # division enters nothing as a department, so it is never the default.
        owners = {indicator.department for *_path, indicator in catalog.indicators()}
        active = [d for d in catalog.departments if d.active]
        active.sort(key=lambda d: d.code not in owners or d.code == ROLE_PLANNING)
        for department in active:
            self.department_combo.addItem(department.name, department.code)
        self.year_combo = QComboBox()
        settings = catalog.plan.settings
        for year in range(settings.start_year, settings.end_year + 1):
            self.year_combo.addItem(year_text(year, lang, FiscalYearStyle.ERA_WITH_WESTERN), year)
        clamped = min(max(default_year, settings.start_year), settings.end_year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(clamped))
        form = QFormLayout()
        form.addRow(self.department_button)
        form.addRow(self.tr("担当課"), self.department_combo)
        form.addRow(self.planning_button)
        form.addRow(self.tr("入力する年度"), self.year_combo)
        layout.addLayout(form)
        self.planning_button.toggled.connect(lambda on: self.department_combo.setEnabled(not on))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    @property
    def role(self) -> str:
        return ROLE_PLANNING if self.planning_button.isChecked() else ROLE_DEPARTMENT

    @property
    def department(self) -> str | None:
        if self.role == ROLE_PLANNING:
            return None
        code = self.department_combo.currentData()
        return code if isinstance(code, str) else None

    @property
    def fiscal_year(self) -> int:
        return int(self.year_combo.currentData())
