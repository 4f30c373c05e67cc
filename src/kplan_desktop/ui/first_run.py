"""The first run: which catalog a new database starts from (the seed, or another city's file),
then who uses this PC (a department or the planning division) and which year."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.ui.file_dialogs import open_file
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
        self.year_combo.setCurrentIndex(
            self.year_combo.findData(entry_year_within(catalog, default_year))
        )
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


def entry_year_within(catalog: Catalog, year: int) -> int:
    """The year to enter, kept within the plan's years (its first or last year outside)."""
    settings = catalog.plan.settings
    return min(max(year, settings.start_year), settings.end_year)


class CatalogChoiceCancelled(Exception):
    """The user closed the first-run catalog choice: nothing was loaded, the program ends."""


def choose_first_catalog(
    parent: QWidget | None = None,
    *,
    lang: str = "ja",
    pick_file: object = None,
) -> Path | None:
    """Ask which catalog an empty database starts from: None for the shipped seed, or the
    path of another city's catalog file (.json / .xlsx). CatalogChoiceCancelled if closed.

    `pick_file` (tests) replaces the file dialog: a callable returning a path or None.
    """
    del lang  # the texts come from the installed translator
    while True:
        box = QMessageBox(parent)
        box.setObjectName("first_catalog")
        box.setWindowTitle(QCoreApplication.translate("FirstRun", "はじめに — 総合計画のカタログ"))
        box.setText(
            QCoreApplication.translate(
                "FirstRun",
                "このデータベースにはまだ総合計画のカタログ（指標の一覧）がありません。"
                "どのカタログで始めますか。",
            )
        )
        box.setInformativeText(
            QCoreApplication.translate(
                "FirstRun",
                "別の市町村の計画で使うときは、企画担当課が作ったカタログファイルを選んでください。"
                "同梱のカタログは読み込まれません。",
            )
        )
        seed = box.addButton(
            QCoreApplication.translate("FirstRun", "同梱のカタログ（かすみがうら市）で始める"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        from_file = box.addButton(
            QCoreApplication.translate("FirstRun", "カタログファイルを選ぶ…"),
            QMessageBox.ButtonRole.ActionRole,
        )
        box.addButton(
            QCoreApplication.translate("FirstRun", "キャンセル"), QMessageBox.ButtonRole.RejectRole
        )
        box.setDefaultButton(seed)
        box.exec()
        clicked = box.clickedButton()
        if clicked is seed:
            return None
        if clicked is not from_file:
            raise CatalogChoiceCancelled
        if callable(pick_file):
            chosen = pick_file()
        else:
            chosen = open_file(
                parent,
                QCoreApplication.translate("FirstRun", "カタログファイルを選ぶ"),
                "",
                QCoreApplication.translate("FirstRun", "カタログ (*.json *.xlsx)"),
            )
        if chosen:
            return Path(str(chosen))
