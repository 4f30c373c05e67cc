"""Which plan generation (計画期) the window shows: a bar above the grid with a combo box, the
plan's state and, for a closed plan, why nothing can be entered. In the overlap year (R9: R8
actuals of the old plan, R9 actuals of the new one) the planning division and the departments
switch here; the choice is remembered per user (AppSettings) and every read, write and export
of the window follows the session's generation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.domain.generation import GenerationStatus
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.parts import Part, Shared

if TYPE_CHECKING:
    from kplan_desktop.store.generations import GenerationRecord


def closed_note() -> str:
    """Why a closed plan offers no 確定 (the button's tooltip, the export question)."""
    return QCoreApplication.translate(
        "GenerationChoice",
        "この計画期は終了しています（最終評価済み）。確定・確定の取り消しはできません。"
        "確定済みの値は書き出せます。",
    )


class GenerationChoice(Part):
    """The 計画期 bar: shown when there is more than one plan to choose, or the plan shown
    is closed (read-only) or a draft."""

    # A generation the user chose (its number); the window reloads.
    chosen = Signal(int)

    def __init__(self, shared: Shared, reload: Callable[[], None] | None = None) -> None:
        super().__init__(shared)
        self.records: list[GenerationRecord] = []
        self.bar = QWidget()
        self.bar.setObjectName("generation_bar")
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(4, 2, 4, 2)
        caption = QLabel(self.tr("計画期(&G):"))
        self.combo = QComboBox()
        self.combo.setObjectName("generation_combo")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        caption.setBuddy(self.combo)
        self.state = QLabel()
        self.state.setObjectName("generation_state")
        self.state.setWordWrap(True)
        row.addWidget(caption)
        row.addWidget(self.combo)
        row.addWidget(self.state, 1)
        self.bar.hide()
        self.combo.activated.connect(self._activated)
        if reload is not None:  # the window reads the grid of the plan chosen
            self.chosen.connect(lambda _number: reload())

    @property
    def record(self) -> GenerationRecord | None:
        """The generation shown (None before the first load)."""
        for record in self.records:
            if record.number == self.session.generation:
                return record
        return None

    @property
    def closed(self) -> bool:
        record = self.record
        return record is not None and record.status is GenerationStatus.CLOSED

    def plan_name(self) -> str:
        """The plan as the title bar names it (後期基本計画 / 次期基本計画 …)."""
        record = self.record
        if record is None:
            return ""
        return self._label(record)

    def title_part(self) -> str:
        """What the title bar adds: the plan shown, and that it is read-only when closed."""
        plan = self.plan_name()
        if not plan:
            return ""
        return f" — {plan}" + (self.tr("（終了・読み取り専用）") if self.closed else "")

    def _label(self, record: GenerationRecord) -> str:
        """Name and period (the name alone when it already says its period)."""
        g = record.generation
        if self.lang == "en":
            # Era years mean nothing to an English reader: the name without its period, and
            # the period in western years.
            name = g.name.split("（")[0].strip() or g.name
            return f"{name} (FY{g.start_year}–FY{g.end_year})"
        if "〜" in g.name or "年度）" in g.name:
            return g.name
        return g.label()

    def item_text(self, record: GenerationRecord) -> str:
        return f"{self._label(record)}・{record.status.label(self.lang)}"

    def show_records(self, records: list[GenerationRecord]) -> None:
        """The generations the user may choose, after a load; the session's is selected."""
        self.records = list(records)
        self.combo.blockSignals(True)
        self.combo.clear()
        for record in self.records:
            self.combo.addItem(self.item_text(record), record.number)
        index = self.combo.findData(self.session.generation)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)
        shown = self.record
        text = ""
        if shown is not None and shown.status is GenerationStatus.CLOSED:
            text = "※ " + self.read_only_reason()
        elif shown is not None and shown.status is GenerationStatus.DRAFT:
            text = self.tr("準備中の計画です（実施中にするまで各課には表示されません）")
        note = self.year_note()
        if note:  # --year opened another plan than the one remembered: said, never silent
            text = f"{text}　{note}" if text else note
            self.status.setText(note)
        self.state.setText(text)
        self.bar.setVisible(len(self.records) > 1 or bool(text))
        self.model.set_plan_closed(self.closed)

    def year_note(self) -> str:
        """Once after a start with --year: which plan it opened, and why."""
        note, self.session.year_note = self.session.year_note, None
        before = next((r for r in self.records if note and r.number == note[1]), None)
        if note is None or before is None or self.record is None:
            return ""
        year = year_text(self.session.fiscal_year, self.lang, FiscalYearStyle.ERA_WITH_WESTERN)
        if note[0] == "shared":
            return self.tr("{0}は二つの計画期にあります。前回選んだ「{1}」を開きました").format(
                year, self._label(before)
            )
        return self.tr("{0}を含む「{1}」を開きました（前回は「{2}」）").format(
            year, self._label(self.record), self._label(before)
        )

    def read_only_reason(self) -> str:
        record = self.record
        # English names the plan with FY years, as the combo box does (not its 令和 name).
        name = "" if record is None else self._label(record)
        return self.tr(
            "{0}は終了しています（最終評価済み）。値・評価・カタログは変更できません（読み取り専用）"
        ).format(name)

    def _activated(self, index: int) -> None:
        number = self.combo.itemData(index)
        if isinstance(number, int):
            self.choose(number)

    def choose(self, number: int) -> None:
        """Show another generation: remembered for this user, the undo history ends (its
        steps belong to the plan shown before), and the window reloads."""
        if number == (self.session.chosen or self.session.generation):
            return
        # Read by the load, taken by the session with the new grid (Session.chosen).
        self.session.chosen = number
        if self.shared.settings is not None:
            self.shared.settings.save_generation(number)
        self.undo_stack.clear()
        self.chosen.emit(number)

    def forget_choice(self) -> None:
        """The load of a chosen plan was cancelled: the plan shown stays, and so does the box."""
        if self.session.chosen is None:
            return
        self.session.chosen = None
        if self.shared.settings is not None and self.session.generation is not None:
            self.shared.settings.save_generation(self.session.generation)
        self.show_records(self.records)

    def focus(self) -> None:
        """表示 › 計画期を切り替える: the combo box, opened (keyboard: arrows, Enter)."""
        if len(self.records) < 2:
            self.status.setText(self.tr("切り替えられる計画期はありません"))
            return
        self.bar.show()
        self.combo.setFocus()
        self.combo.showPopup()

    def widget_bar(self) -> QWidget:
        return self.bar
