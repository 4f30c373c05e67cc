"""次期計画の作成: the planning division's wizard for the next plan generation (issue 17).

Step 1 the new plan's name, period and base year (defaults: the next five fiscal years, the
year before); step 2 every indicator of the current plan 継続 / 置換 / 終了 (keys 1 2 3 on the
selected rows, a whole measure or policy selected at once), with the baseline a continuing one
takes; step 3 targets typed as in the catalog editor, and new indicators; a summary, then one
transaction behind a progress dialog (exchange.next_generation.create_next_generation).
Nothing is written before 作成する, so Cancel (or Esc) on any step loses nothing; a draft made
by mistake is withdrawn from the カタログ menu. The state is a Qt-free NextPlanModel.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, parse_fiscal_year
from kplan_desktop.domain.generation import GenerationStatus, Succession
from kplan_desktop.domain.model import IndicatorKind
from kplan_desktop.progress import Cancelled
from kplan_desktop.store.requests import EntrySource, current_user
from kplan_desktop.ui.file_dialogs import open_file
from kplan_desktop.ui.i18n import year_text
from kplan_desktop.ui.models.next_plan import NewIndicator, NextPlanModel, succession_label
from kplan_desktop.ui.workers import Job, run_job

if TYPE_CHECKING:
    from kplan_desktop.exchange.next_generation import Created
    from kplan_desktop.store.engine import Store
    from kplan_desktop.ui.generation_choice import GenerationChoice
    from kplan_desktop.ui.host import Host

# The keys that decide the selected rows on step 2.
KEYS = {
    Qt.Key.Key_1: Succession.CONTINUE,
    Qt.Key.Key_2: Succession.REPLACE,
    Qt.Key.Key_3: Succession.END,
}
# Step 2's columns.
MEASURE, CODE, NAME, UNIT, CHOICE, NEW_CODE, BASELINE = range(7)
# Step 3's columns.
T_CODE, T_NAME, T_UNIT, T_OLD, T_NEW = range(5)


def _item(text: str, *, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    return item


class EraYearBox(QSpinBox):
    """A fiscal year spin box that speaks as the rest of the UI: 令和9年度 (2027) (FY2027 in
    English); typed as 2027, R9 or 令和9年度."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def textFromValue(self, value: int) -> str:
        return year_text(value, self.lang, FiscalYearStyle.ERA_WITH_WESTERN)

    def valueFromText(self, text: str) -> int:
        try:
            return parse_fiscal_year(text)
        except DomainError:
            return self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        try:
            ok = self.minimum() <= parse_fiscal_year(text) <= self.maximum()
        except DomainError:
            ok = False
        return QValidator.State.Acceptable if ok else QValidator.State.Intermediate, text, pos


class _Page(QWizardPage):
    def __init__(self, wizard: NextPlanWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.model = wizard.model
        self.lang = wizard.lang
        self.error = QLabel()
        self.error.setObjectName("wizard_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)

    def refuse(self, exc: DomainError) -> bool:
        self.error.setText("✖ " + exc.message(self.lang))
        self.owner.last_message = self.error.text()
        return False


class PeriodPage(_Page):
    """Step 1: the new plan's name, period and base year; or a plan made elsewhere."""

    def __init__(self, wizard: NextPlanWizard) -> None:
        super().__init__(wizard)
        current = wizard.model.current
        self.setTitle(self.tr("1. 新しい計画の名前と期間"))
        self.setSubTitle(
            self.tr("{0}の次の計画を作ります。期間と基準年度を確かめてください。").format(
                current.label_en() if wizard.lang == "en" else current.label()
            )
        )
        m = self.model
        self.name = QLineEdit(m.name)
        self.name.setObjectName("next_name")
        self.start = self._year(m.start_year)
        self.end = self._year(m.end_year)
        self.base = self._year(m.baseline_year)
        self.period = QLabel()
        self.period.setObjectName("next_period")
        form = QFormLayout()
        form.addRow(self.tr("計画の名前(&M)"), self.name)
        form.addRow(self.tr("最初の年度(&S)"), self.start)
        form.addRow(self.tr("最後の年度(&E)"), self.end)
        form.addRow(self.tr("基準年度(&Y)"), self.base)
        form.addRow("", self.period)
        self.import_button = QPushButton(self.tr("別に作った計画をファイルから読み込む(&I)…"))
        self.import_button.setObjectName("import_next_plan")
        self.import_button.clicked.connect(wizard.import_file)
        note = QLabel(
            self.tr(
                "基準年度の実績が継続する指標の基準値になります（まだ入っていなければ"
                "「未設定」のまま作り、実績が入った時に自動で入ります）。"
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.import_button)
        for box in (self.start, self.end, self.base):
            box.valueChanged.connect(self._show_period)
            # Checked as each field is left, as the docs say ("refused at once"), not on 次へ.
            box.editingFinished.connect(self.check)
        self.name.editingFinished.connect(self.check)
        self._show_period()

    def _year(self, value: int) -> QSpinBox:
        box = EraYearBox(self.lang)
        box.setRange(1990, 2100)
        box.setValue(value)
        return box

    def _show_period(self) -> None:
        style = FiscalYearStyle.ERA_WITH_WESTERN
        self.period.setText(
            f"{year_text(self.start.value(), self.lang, style)} 〜 "
            f"{year_text(self.end.value(), self.lang, style)}、{self.tr('基準年度')} "
            f"{year_text(self.base.value(), self.lang, style)}"
        )

    def initializePage(self) -> None:
        self.name.selectAll()
        QTimer.singleShot(0, self, self.name.setFocus)

    def validatePage(self) -> bool:
        return self.check()

    def check(self) -> bool:
        m = self.model
        m.name = self.name.text()
        m.start_year, m.end_year = self.start.value(), self.end.value()
        m.baseline_year = self.base.value()
        try:
            m.check_period()
        except DomainError as exc:
            return self.refuse(exc)
        self.error.clear()
        return True


class _DecisionKeys(QObject):
    """1 / 2 / 3 on step 2's table decide the selected rows."""

    def __init__(self, page: DecisionPage) -> None:
        super().__init__(page)
        self.page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            succession = KEYS.get(Qt.Key(event.key()))
            if (
                succession is not None
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            ):
                self.page.choose_rows(succession)
                return True
        return False


class DecisionPage(_Page):
    """Step 2: each indicator 継続 / 置換 / 終了, with the baseline a continuing one takes."""

    def __init__(self, wizard: NextPlanWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("2. 指標の引き継ぎ"))
        self.setSubTitle(
            self.tr(
                "行を選んで 1 = 継続、2 = 置換（新しい指標に置き換える）、3 = 終了。"
                "施策・政策ごとにまとめて選べます。"
            )
        )
        tr = self.tr
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("decision_table")
        self.table.setHorizontalHeaderLabels(
            [tr("施策"), tr("コード"), tr("指標名"), tr("単位"), tr("引き継ぎ"),
             tr("新しいコード"), tr("基準値")]
        )  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.installEventFilter(_DecisionKeys(self))
        self.table.itemChanged.connect(self._edited)
        buttons = QHBoxLayout()
        self.choice_buttons: dict[Succession, QPushButton] = {}
        for key, succession in zip("123", Succession, strict=True):
            button = QPushButton(f"{key}: {succession_label(succession, self.lang)}")
            button.clicked.connect(lambda _c=False, s=succession: self.choose_rows(s))
            button.setAutoDefault(False)
            self.choice_buttons[succession] = button
            buttons.addWidget(button)
        buttons.addSpacing(16)
        self.measure_button = QPushButton(tr("この施策をすべて選択(&U)"))
        self.policy_button = QPushButton(tr("この政策をすべて選択(&P)"))
        for button, level in ((self.measure_button, "measure"), (self.policy_button, "policy")):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, level=level: self.select_under(level))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.counts = QLabel()
        self.counts.setObjectName("decision_counts")
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        self._filling = False

    def initializePage(self) -> None:
        self._filling = True
        m = self.model
        tr = self.tr
        self.table.setRowCount(len(m.rows))
        self.table.setHorizontalHeaderItem(
            BASELINE,
            QTableWidgetItem(tr("基準値（{0}）").format(year_text(m.baseline_year, self.lang))),
        )
        for n, row in enumerate(m.rows):
            self.table.setItem(n, MEASURE, _item(row.measure))
            self.table.setItem(n, CODE, _item(row.old_code))
            self.table.setItem(n, NAME, _item(row.indicator.display_name))
            self.table.setItem(n, UNIT, _item(row.indicator.unit or ""))
            self._show_row(n)
        self.table.resizeColumnsToContents()
        self._filling = False
        self._show_counts()
        self.note.setText(
            tr(
                "「未設定」: {0}の実績がまだ入っていません。実績が入ると基準値は自動で入り、"
                "監査ログに記録されます。"
            ).format(year_text(m.baseline_year, self.lang))
        )
        if self.table.currentRow() < 0 and m.rows:
            self.table.setCurrentCell(0, CODE)
        # After QWizard has put the focus on the page's first button (seen under X11).
        QTimer.singleShot(0, self, self.table.setFocus)

    def _show_row(self, n: int) -> None:
        row = self.model.rows[n]
        was, self._filling = self._filling, True
        self.table.setItem(n, CHOICE, _item(succession_label(row.succession, self.lang)))
        replacing = row.succession is Succession.REPLACE
        new_code = "" if row.succession is Succession.END else (row.new_code or row.old_code)
        self.table.setItem(n, NEW_CODE, _item(new_code, editable=replacing))
        self.table.setItem(n, BASELINE, _item(self.model.baseline_text(row, self.lang)))
        self._filling = was

    def _show_counts(self) -> None:
        counts = self.model.counts()
        self.counts.setText(
            "  ".join(
                f"{succession_label(s, self.lang)} {counts[s]}"
                for s in (Succession.CONTINUE, Succession.REPLACE, Succession.END)
            )
        )

    def selected_rows(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        return rows

    def choose_rows(self, succession: Succession) -> None:
        rows = self.selected_rows()
        self.model.choose(rows, succession)
        for n in rows:
            self._show_row(n)
        self._show_counts()
        self.table.setFocus()

    def select_under(self, level: str) -> None:
        """Select every indicator of the current row's measure (or policy)."""
        current = self.table.currentRow()
        if current < 0:
            return
        row = self.model.rows[current]
        code = row.measure if level == "measure" else row.policy
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for n, other in enumerate(self.model.rows):
            if code in (other.measure, other.policy):
                self.table.selectRow(n)
        self.table.setSelectionMode(mode)
        self.table.setCurrentCell(current, CODE, self.table.selectionModel().SelectionFlag.NoUpdate)
        self.table.setFocus()

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != NEW_CODE:
            return
        self.model.rows[item.row()].new_code = item.text().strip()

    def validatePage(self) -> bool:
        try:
            self.model.decisions()
        except DomainError as exc:
            return self.refuse(exc)
        self.error.clear()
        return True


class TargetPage(_Page):
    """Step 3: the new plan's targets, typed as in the catalog editor, and new indicators."""

    def __init__(self, wizard: NextPlanWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("3. 目標値と新しい指標"))
        self.setSubTitle(
            self.tr("新しい計画の目標値（最終年度）を単位つきでも入力できます。空欄は未設定です。")
        )
        tr = self.tr
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("target_table")
        self.table.setHorizontalHeaderLabels(
            [tr("コード"), tr("指標名"), tr("単位"), tr("前計画の目標値"), tr("新しい目標値")]
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(T_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.itemChanged.connect(self._edited)
        m = self.model
        box = QGroupBox(tr("指標を追加"))
        grid = QGridLayout(box)
        self.measure = QComboBox()
        self.measure.setObjectName("new_measure")
        for code, name in m.measures():
            self.measure.addItem(f"{code} {name}", code)
        self.department = QComboBox()
        self.department.setObjectName("new_department")
        for code, name in m.departments():
            self.department.addItem(name, code)
        self.kind = QComboBox()
        for kind, label in ((IndicatorKind.OUTCOME, tr("達成指標")),
                            (IndicatorKind.ACTIVITY, tr("活動指標"))):  # fmt: skip
            self.kind.addItem(label, kind.value)
        self.code = QLineEdit()
        self.code.setObjectName("new_code")
        self.name = QLineEdit()
        self.name.setObjectName("new_name")
        self.unit = QLineEdit()
        self.unit.setObjectName("new_unit")
        self.target = QLineEdit()
        self.target.setObjectName("new_target")
        self.add_button = QPushButton(tr("追加(&A)"))
        self.add_button.setObjectName("add_indicator")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        pairs = (
            (tr("施策(&U)"), self.measure), (tr("コード(&O)"), self.code),
            (tr("指標名(&I)"), self.name), (tr("単位(&T)"), self.unit),
            (tr("担当課(&D)"), self.department), (tr("種類(&K)"), self.kind),
            (tr("目標値(&G)"), self.target),
        )  # fmt: skip
        for n, (text, field) in enumerate(pairs):
            caption = QLabel(text)
            caption.setBuddy(field)
            grid.addWidget(caption, n // 2, (n % 2) * 2)
            grid.addWidget(field, n // 2, (n % 2) * 2 + 1)
        grid.addWidget(self.add_button, 3, 3)
        self.added = QLabel()
        self.added.setObjectName("added_list")
        self.added.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)
        layout.addWidget(self.added)
        layout.addWidget(self.error)
        self._filling = False
        self._rows: list[int] = []

    def initializePage(self) -> None:
        self._filling = True
        m = self.model
        kept = [n for n, r in enumerate(m.rows) if r.kept]
        self._rows = kept
        self.table.setRowCount(len(kept))
        for line, n in enumerate(kept):
            row = m.rows[n]
            old = row.indicator.target
            self.table.setItem(line, T_CODE, _item(row.new_code or row.old_code))
            self.table.setItem(line, T_NAME, _item(row.indicator.display_name))
            self.table.setItem(line, T_UNIT, _item(row.indicator.unit or ""))
            self.table.setItem(line, T_OLD, _item("" if old is None else f"{old:,}"))
            self.table.setItem(line, T_NEW, _item(row.target_text, editable=True))
        self.table.resizeColumnsToContents()
        self._filling = False
        self._show_added()
        if kept:
            self.table.setCurrentCell(0, T_NEW)
        QTimer.singleShot(0, self, self.table.setFocus)

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != T_NEW:
            return
        row = self.model.rows[self._rows[item.row()]]
        row.target_text = item.text()
        # Marked in its cell at once (not only on 次へ): red, the reason as its tooltip.
        error, self._filling = self.model.target_error(row, self.lang), True
        item.setData(Qt.ItemDataRole.BackgroundRole, QColor("#fdecec") if error else None)
        item.setToolTip(error)
        self._filling = False

    def add(self) -> None:
        new = NewIndicator(
            str(self.measure.currentData()),
            self.code.text(),
            self.name.text(),
            self.unit.text(),
            str(self.department.currentData()),
            IndicatorKind(str(self.kind.currentData())),
        )
        new.target_text = self.target.text()
        try:
            self.model.add(new)
        except DomainError as exc:
            self.refuse(exc)
            return
        self.error.clear()
        for field in (self.code, self.name, self.unit, self.target):
            field.clear()
        self._show_added()
        self.owner.last_message = self.added.text()
        self.code.setFocus()

    def _show_added(self) -> None:
        added = self.model.added
        if not added:
            self.added.setText(self.tr("追加した指標はありません"))
            return
        self.added.setText(
            self.tr("追加: {0}").format(
                "、".join(f"{a.code} {a.name}（{a.measure}）" for a in added)
            )
        )

    def validatePage(self) -> bool:
        errors = self.model.target_errors(self.lang)  # all of them at once, not the first
        self.error.setText("\n".join(f"✖ {e}" for e in errors))
        self.error.setMinimumHeight(self.error.sizeHint().height())  # every line shows
        self.owner.last_message = self.error.text()
        return not errors


class SummaryPage(_Page):
    """The summary; 作成する writes it all in one transaction."""

    def __init__(self, wizard: NextPlanWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("4. 確認"))
        self.setSubTitle(
            self.tr(
                "「作成する」で新しい計画を準備中の計画期として作ります（1回の書き込み）。"
                "実施中にするまで各課には表示されません。"
            )
        )
        self.text = QPlainTextEdit()
        self.text.setObjectName("next_summary")
        self.text.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        self.text.setPlainText("\n".join(self.model.summary(self.lang)))

    def validatePage(self) -> bool:
        # QWizard.done(Accepted) validates the last page again: once written, it is done.
        if self.owner.created is not None:
            return True
        return self.owner.create_plan()


class NextPlanWizard(QWizard):
    """次期計画の作成 (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        model: NextPlanModel,
        *,
        lang: str = "ja",
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.model = model
        self.lang = lang
        self.folder = folder or Path.home()
        self.created: Created | None = None
        self.imported: int | None = None
        self.last_message = ""
        self.job: Job | None = None
        self.setObjectName("next_plan_wizard")
        self.setWindowTitle(self.tr("次期計画の作成"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 戻る(&B)"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("次へ(&N) >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("作成する(&F)"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("キャンセル"))
        self.period_page = PeriodPage(self)
        self.decision_page = DecisionPage(self)
        self.target_page = TargetPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.period_page, self.decision_page, self.target_page, self.summary_page):
            self.addPage(page)
        self.resize(980, 640)

    def create_plan(self) -> bool:
        """作成する: the next plan in a worker, one transaction, with progress and Cancel; the
        wizard closes when it is written and stays (losing nothing) when refused or cancelled."""
        if self.job is not None:
            return False
        try:
            plan = self.model.plan()
        except DomainError as exc:
            return self.summary_page.refuse(exc)
        store, who = self.store, current_user()

        def work(progress: Any, cancelled: Any) -> Created:
            from kplan_desktop.exchange.next_generation import create_next_generation

            return create_next_generation(
                store, plan, who=who, source=EntrySource.GUI, progress=progress,
                cancelled=cancelled,
            )  # fmt: skip

        self.job = run_job(
            self, self.tr("次期計画を作成しています…"), work, self._created, self._failed
        )
        return False

    def _created(self, created: Created) -> None:
        self.job = None
        self.created = created
        # Closed in the next turn, once the progress dialog over the wizard is gone.
        QTimer.singleShot(0, self, self.accept)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        if isinstance(exc, Cancelled):
            self.summary_page.error.setText(self.tr("キャンセルしました（何も書き込んでいません）"))
            self.last_message = self.summary_page.error.text()
            return
        if isinstance(exc, DomainError):
            self.summary_page.refuse(exc)
            return
        self.summary_page.error.setText("✖ " + str(exc))
        self.last_message = self.summary_page.error.text()

    def import_file(self, path: Path | None = None) -> bool:
        """A next plan prepared elsewhere (catalog .xlsx or .json) becomes the draft instead of
        the one being built here; True when it was read in."""
        if path is None:
            chosen = open_file(
                self,
                self.tr("次期計画のカタログを選ぶ"),
                str(self.folder),
                self.tr("カタログ (*.xlsx *.json)"),
            )
            if not chosen:
                return False
            path = Path(chosen)
        from kplan_desktop.exchange.next_generation import import_next_plan

        try:
            self.imported = import_next_plan(
                self.store,
                path,
                from_generation=self.model.from_generation,
                who=current_user(),
                source=EntrySource.GUI,
            )
        except DomainError as exc:
            self.period_page.refuse(exc)
            QMessageBox.warning(self, self.tr("読み込めません"), exc.message(self.lang))
            return False
        self.accept()
        return True


class NextPlanActions(QObject):
    """カタログ › 次期計画の作成 / 準備中の計画を実施中にする / 準備中の計画を取り下げる."""

    def __init__(self, window: Host, choice: GenerationChoice) -> None:
        super().__init__(window.widget)
        self.window = window
        self.choice = choice
        self.wizard: NextPlanWizard | None = None
        self.last_message = ""

    def add_actions(self, menu: QMenu) -> None:
        w = self.window
        menu.addSeparator()
        menu.addAction(w.action(self.tr("次期計画の作成…"), self.open_wizard, "Ctrl+Shift+N"))
        menu.addAction(w.action(self.tr("準備中の計画を実施中にする…"), self.activate))
        menu.addAction(w.action(self.tr("準備中の計画を取り下げる…"), self.withdraw))

    def _say(self, text: str) -> None:
        self.last_message = text
        self.window.status.setText(text)

    def _source(self) -> int | None:
        """The plan the next one follows: the one shown, or a draft's predecessor."""
        record = self.choice.record
        if record is None:
            return None
        if record.status is GenerationStatus.DRAFT:
            return record.predecessor
        return record.number

    def open_wizard(self) -> None:
        w = self.window
        if not w.planning or not w.is_loaded or w.store is None:
            return
        source = self._source()
        if source is None:
            return
        try:
            model = NextPlanModel.load(w.store, source)
        except DomainError as exc:
            QMessageBox.warning(w.widget, self.tr("次期計画の作成"), exc.message(w.lang))
            return
        folder = w.folder()
        self.wizard = NextPlanWizard(w.store, model, lang=w.lang, folder=folder, parent=w.widget)
        self.wizard.exec()
        wizard, self.wizard = self.wizard, None
        number = None
        if wizard.created is not None:
            number = wizard.created.number
            self._say(
                self.tr(
                    "次期計画（計画期 {0}）を準備中として作りました。取り消すには"
                    "「カタログ › 準備中の計画を取り下げる」"
                ).format(number)
            )
        elif wizard.imported is not None:
            number = wizard.imported
            self._say(self.tr("次期計画（計画期 {0}）をファイルから読み込みました").format(number))
        else:
            self._say(self.tr("次期計画の作成をやめました（何も書き込んでいません）"))
        if number is not None:
            self.choice.choose(number)

    def _draft(self) -> int | None:
        record = self.choice.record
        if record is None or record.status is not GenerationStatus.DRAFT:
            self._say(
                self.tr("準備中の計画期を表示してから選んでください（表示 › 計画期を切り替える）")
            )
            return None
        return record.number

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self.window.widget,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def activate(self, confirm: bool = True) -> bool:
        w = self.window
        number = self._draft()
        if number is None or not w.planning:
            return False
        name = self.choice.plan_name()
        if confirm and not self._confirm(
            self.tr("準備中の計画を実施中にする"),
            self.tr("{0}を実施中にします。各課の画面にも表示されます。よろしいですか？").format(
                name
            ),
        ):
            return False
        from kplan_desktop.exchange.next_generation import activate

        try:
            activate(w.store, number, who=current_user(), source=EntrySource.GUI)
        except DomainError as exc:
            QMessageBox.warning(w.widget, self.tr("実施中にできません"), exc.message(w.lang))
            return False
        self._say(self.tr("{0}を実施中にしました").format(name))
        w.reload()
        return True

    def withdraw(self, confirm: bool = True) -> bool:
        """The way back from the wizard: a draft without values is taken back whole."""
        w = self.window
        number = self._draft()
        record = self.choice.record
        if number is None or record is None or not w.planning:
            return False
        if confirm and not self._confirm(
            self.tr("準備中の計画を取り下げる"),
            self.tr(
                "{0}（準備中）を取り下げます。カタログと指標の引き継ぎを削除します"
                "（記録は監査ログに残ります）。よろしいですか？"
            ).format(self.choice.plan_name()),
        ):
            return False
        from kplan_desktop.exchange.next_generation import withdraw

        try:
            name = withdraw(w.store, number, who=current_user(), source=EntrySource.GUI)
        except DomainError as exc:
            QMessageBox.warning(w.widget, self.tr("取り下げられません"), exc.message(w.lang))
            return False
        self._say(self.tr("{0}を取り下げました").format(name))
        if record.predecessor is not None:
            self.choice.choose(record.predecessor)
        return True
