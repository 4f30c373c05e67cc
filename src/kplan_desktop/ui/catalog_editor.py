"""カタログの編集 (the planning division): the plan's structure on the left, the selected item's
form on the right. Each applied change is checked at once (a target in another unit is an
error) and can be undone (Ctrl+Z / Ctrl+Y); 保存 (Ctrl+S) checks the whole catalog again and
writes it as the next catalog version, audited, after a backup. Nothing is written before.

Indicators that hold values are retired (status 廃止), never deleted; the store refuses to drop
values in any case.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain import catalog_edit as edit
from kplan_desktop.domain.catalog import (
    TAG_REFORM,
    TAG_STRATEGY,
    Catalog,
    Department,
    Indicator,
)
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import fiscal_year_of
from kplan_desktop.domain.model import (
    Comparator,
    Direction,
    IndicatorKind,
    IndicatorStatus,
    ValueKind,
)
from kplan_desktop.exchange.catalog_files import check_catalog, save_catalog_edit
from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.backup import backup_before
from kplan_desktop.store.generations import active_generation
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.ui.catalog_widgets import KEY, Change, combo, dec, link_lines

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


class CatalogEditor(QDialog):
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        *,
        who: str,
        lang: str = "ja",
        parent: QWidget | None = None,
        generation: int | None = None,
    ):
        super().__init__(parent)
        self.lang = lang
        self.store = store
        # The plan generation edited (None: the active one).
        self.generation = generation
        self.who = who
        self.catalog = catalog
        self.original = catalog
        self.saved_version = ""
        self.last_message = ""
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(self.tr("カタログの編集"))

        self.tree = QTreeWidget()
        self.tree.setObjectName("catalog_tree")
        self.tree.setHeaderLabels([self.tr("コード"), self.tr("名前")])
        self.tree.setColumnWidth(0, 140)
        self.tree.currentItemChanged.connect(lambda *_: self._select())

        self.forms = QStackedWidget()
        self.empty_form = QLabel(self.tr("左の一覧から項目を選んでください"))
        self.forms.addWidget(self.empty_form)
        self._build_indicator_form()
        self._build_named_form()
        self._build_direction_form()
        self._build_department_form()

        self.add_indicator_button = QPushButton(self.tr("指標を追加"))
        self.add_indicator_button.clicked.connect(self.add_indicator)
        self.add_department_button = QPushButton(self.tr("課を追加"))
        self.add_department_button.clicked.connect(self.add_department)
        self.retire_button = QPushButton(self.tr("指標を廃止"))
        self.retire_button.clicked.connect(self.retire_indicator)
        self.remove_button = QPushButton(self.tr("指標を削除"))
        self.remove_button.clicked.connect(self.remove_indicator)
        tools = QHBoxLayout()
        for button in (
            self.add_indicator_button,
            self.add_department_button,
            self.retire_button,
            self.remove_button,
        ):
            tools.addWidget(button)
        tools.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree)
        left_layout.addLayout(tools)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.forms)
        splitter.setStretchFactor(1, 2)

        self.status = QLabel()
        self.status.setObjectName("catalog_editor_status")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.undo_button = buttons.addButton(
            self.tr("元に戻す"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = buttons.addButton(
            self.tr("やり直す"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.save_button = buttons.addButton(
            self.tr("保存（新しい版）"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.clicked.connect(self.save)
        buttons.addButton(self.tr("閉じる"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.save_button.setEnabled(False)
        for sequence, slot in (
            (QKeySequence.StandardKey.Undo, self.undo_stack.undo),
            (QKeySequence.StandardKey.Redo, self.undo_stack.redo),
            (QKeySequence("Ctrl+Y"), self.undo_stack.redo),
            (QKeySequence.StandardKey.Save, self.save),
        ):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.activated.connect(slot)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(1100, 700)
        self.show_catalog(catalog)

    def _clean_changed(self, clean: bool) -> None:
        # RuntimeError: the dialog is being destroyed, and its undo stack goes last.
        with contextlib.suppress(RuntimeError):
            self.save_button.setEnabled(not clean)

    # -- forms -----------------------------------------------------------------------------

    def _build_indicator_form(self) -> None:
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.i_code = QLabel()
        self.i_name = QLineEdit()
        self.i_kind = combo([(k.label_ja, k) for k in IndicatorKind])
        self.i_unit = QLineEdit()
        value_kinds = {
            ValueKind.COUNT: self.tr("件数・人数（整数）"),
            ValueKind.SCALED_COUNT: self.tr("千人・万円など（単位つきの数）"),
            ValueKind.PERCENT: self.tr("割合（%）"),
            ValueKind.DECIMAL: self.tr("小数"),
            ValueKind.AMOUNT: self.tr("金額"),
            ValueKind.PER_PERIOD: self.tr("期間あたりの数"),
            ValueKind.MILESTONE: self.tr("達成／未達成"),
        }
        self.i_value_kind = combo(
            [(self.tr("（単位から判断）"), None), *[(value_kinds[v], v) for v in ValueKind]]
        )
        self.i_direction = combo(
            [(self.tr("（未設定）"), None), *[(d.label_ja, d) for d in Direction]]
        )
        self.i_comparator = combo(
            [(self.tr("（未設定）"), None), *[(c.label_ja, c) for c in Comparator]]
        )
        self.i_cumulative = QCheckBox(self.tr("累計値"))
        self.i_decimals = QSpinBox()
        self.i_decimals.setRange(-1, 6)
        self.i_decimals.setSpecialValueText(self.tr("（未設定）"))
        self.i_baseline_year = QSpinBox()
        self.i_baseline_year.setRange(0, 2100)
        self.i_baseline_year.setSpecialValueText(self.tr("（未設定）"))
        self.i_baseline = QLineEdit()
        self.i_target_year = QSpinBox()
        self.i_target_year.setRange(0, 2100)
        self.i_target_year.setSpecialValueText(self.tr("（未設定）"))
        self.i_target = QLineEdit()
        self.i_target.setObjectName("indicator_target")
        self.i_interim = QLineEdit()
        self.i_interim.setObjectName("indicator_interim")
        self.i_interim.setPlaceholderText("2024=5000、2025=6000")
        self.i_yoy = QLineEdit()
        self.i_status = combo(
            [
                (self.tr("実施中"), IndicatorStatus.ACTIVE),
                (self.tr("未着手"), IndicatorStatus.NOT_STARTED),
                (self.tr("廃止"), IndicatorStatus.DISCONTINUED),
            ]
        )
        self.i_department = QComboBox()
        self.i_description = QPlainTextEdit()
        self.i_description.setMaximumHeight(70)
        self.i_note = QLineEdit()
        self.i_links = QPlainTextEdit()
        self.i_links.setMaximumHeight(60)
        self.i_links.setPlaceholderText("総合戦略|4-1-2-KPI1|参加者数")
        apply = QPushButton(self.tr("適用"))
        apply.setObjectName("indicator_apply")
        apply.clicked.connect(self.apply_indicator)
        form.addRow(self.tr("指標コード"), self.i_code)
        form.addRow(self.tr("指標名"), self.i_name)
        form.addRow(self.tr("区分"), self.i_kind)
        form.addRow(self.tr("単位"), self.i_unit)
        form.addRow(self.tr("値の種類"), self.i_value_kind)
        form.addRow(self.tr("方向"), self.i_direction)
        form.addRow(self.tr("目標の比較"), self.i_comparator)
        form.addRow("", self.i_cumulative)
        form.addRow(self.tr("小数桁"), self.i_decimals)
        form.addRow(self.tr("基準年度"), self.i_baseline_year)
        form.addRow(self.tr("基準値（単位つきでも可）"), self.i_baseline)
        form.addRow(self.tr("目標年度"), self.i_target_year)
        form.addRow(self.tr("目標値（単位つきでも可）"), self.i_target)
        form.addRow(self.tr("年度別目標（年度=目標、「、」区切り）"), self.i_interim)
        form.addRow(self.tr("前年比の警告（0.5 = 50%）"), self.i_yoy)
        form.addRow(self.tr("状態"), self.i_status)
        form.addRow(self.tr("担当課"), self.i_department)
        form.addRow(self.tr("指標の説明"), self.i_description)
        form.addRow(self.tr("備考"), self.i_note)
        form.addRow(self.tr("他計画の項目（この指標・1行に1件）"), self.i_links)
        form.addRow("", apply)
        self.indicator_form = form_widget
        self.forms.addWidget(form_widget)

    def _build_named_form(self) -> None:
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.n_code = QLabel()
        self.n_name = QLineEdit()
        self.n_text = QPlainTextEdit()
        self.n_text_label = QLabel()
        self.n_links = QPlainTextEdit()
        self.n_links.setMaximumHeight(80)
        self.n_links.setPlaceholderText("総合戦略|4-1-2|コミュニティ活動の充実")
        self.n_links_label = QLabel(self.tr("他計画の項目（施策全体・1行に1件）"))
        apply = QPushButton(self.tr("適用"))
        apply.clicked.connect(self.apply_named)
        form.addRow(self.tr("コード"), self.n_code)
        form.addRow(self.tr("名前"), self.n_name)
        form.addRow(self.n_text_label, self.n_text)
        form.addRow(self.n_links_label, self.n_links)
        form.addRow("", apply)
        self.named_form = form_widget
        self.forms.addWidget(form_widget)

    def _build_direction_form(self) -> None:
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.r_where = QLabel()
        self.r_name = QLineEdit()
        self.r_text = QPlainTextEdit()
        self.r_text.setMaximumHeight(90)
        self.r_strategy = QCheckBox(TAG_STRATEGY)
        self.r_reform = QCheckBox(TAG_REFORM)
        self.r_links = QPlainTextEdit()
        self.r_links.setObjectName("direction_links")
        self.r_links.setPlaceholderText("総合戦略|4-1-2|コミュニティ活動の充実")
        apply = QPushButton(self.tr("適用"))
        apply.setObjectName("direction_apply")
        apply.clicked.connect(self.apply_direction)
        tags = QHBoxLayout()
        tags.addWidget(self.r_strategy)
        tags.addWidget(self.r_reform)
        tags.addStretch(1)
        form.addRow(self.tr("施策の方向"), self.r_where)
        form.addRow(self.tr("名前"), self.r_name)
        form.addRow(self.tr("内容"), self.r_text)
        form.addRow(self.tr("タグ"), tags)
        form.addRow(self.tr("他計画の項目（1行に1件: 計画|コード|項目名）"), self.r_links)
        form.addRow("", apply)
        self.direction_form = form_widget
        self.forms.addWidget(form_widget)

    def _build_department_form(self) -> None:
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.d_code = QLineEdit()
        self.d_name = QLineEdit()
        self.d_active = QCheckBox(self.tr("有効（指標を担当できる）"))
        self.d_contact = QLineEdit()
        self.d_contact.setPlaceholderText(self.tr("担当者・内線・メール"))
        self.d_from_year = QSpinBox()
        self.d_from_year.setRange(1900, 2200)
        self.d_merge_into = QComboBox()
        self.d_history = QLabel()
        self.d_history.setWordWrap(True)
        apply = QPushButton(self.tr("適用"))
        apply.clicked.connect(self.apply_department)
        form.addRow(self.tr("課コード"), self.d_code)
        form.addRow(self.tr("課名"), self.d_name)
        form.addRow(self.tr("連絡先"), self.d_contact)
        form.addRow("", self.d_active)
        form.addRow(self.tr("名称変更・統合の年度（から）"), self.d_from_year)
        form.addRow(self.tr("統合先（この課の指標が移る）"), self.d_merge_into)
        form.addRow(self.tr("履歴"), self.d_history)
        form.addRow("", apply)
        self.department_form = form_widget
        self.forms.addWidget(form_widget)

    # -- showing ---------------------------------------------------------------------------

    def show_catalog(self, catalog: Catalog) -> None:
        """Show `catalog` (after an edit, an undo or a redo), keeping the selection."""
        current = self.tree.currentItem()
        selected = None if current is None else current.data(0, KEY)
        self.catalog = catalog
        self.tree.blockSignals(True)
        self.tree.clear()
        departments = QTreeWidgetItem([self.tr("課"), ""])
        departments.setData(0, KEY, ("departments", ""))
        self.tree.addTopLevelItem(departments)
        for d in catalog.departments:
            label = d.name if d.active else self.tr("{0}（無効）").format(d.name)
            item = QTreeWidgetItem([d.code, label])
            item.setData(0, KEY, ("department", d.code))
            departments.addChild(item)
        for goal in catalog.goals:
            g = QTreeWidgetItem([goal.code, goal.name])
            g.setData(0, KEY, ("goal", goal.code))
            self.tree.addTopLevelItem(g)
            for policy in goal.policies:
                p = QTreeWidgetItem([policy.code, policy.name])
                p.setData(0, KEY, ("policy", policy.code))
                g.addChild(p)
                for measure in policy.measures:
                    m = QTreeWidgetItem([measure.code, measure.name])
                    m.setData(0, KEY, ("measure", measure.code))
                    p.addChild(m)
                    for direction in measure.directions:
                        key = f"{measure.code}#{direction.number}"
                        node = QTreeWidgetItem(
                            [f"({direction.number})", self.tr("方向: {0}").format(direction.name)]
                        )
                        node.setData(0, KEY, ("direction", key))
                        m.addChild(node)
                    for indicator in measure.indicators:
                        name = indicator.display_name
                        if indicator.status is IndicatorStatus.DISCONTINUED:
                            name = self.tr("{0}（廃止）").format(name)
                        i = QTreeWidgetItem([indicator.code, name])
                        i.setData(0, KEY, ("indicator", indicator.code))
                        m.addChild(i)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if selected is not None:
            self.select(*selected)
        else:
            self._select()

    def select(self, kind: str, code: str) -> None:
        for item in self._items():
            if item.data(0, KEY) == (kind, code):
                self.tree.setCurrentItem(item)
                self._select()
                return

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem | None) -> None:
            if item is None:
                return
            found.append(item)
            for n in range(item.childCount()):
                walk(item.child(n))

        for n in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(n))
        return found

    def _selected(self) -> tuple[str, str] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        kind, code = item.data(0, KEY)
        return str(kind), str(code)

    def _select(self) -> None:
        selected = self._selected()
        kind = None if selected is None else selected[0]
        self.retire_button.setEnabled(kind == "indicator")
        self.remove_button.setEnabled(kind == "indicator")
        self.add_indicator_button.setEnabled(kind in ("measure", "indicator"))
        if selected is None:
            self.forms.setCurrentWidget(self.empty_form)
            return
        kind, code = selected
        if kind == "indicator":
            self._fill_indicator(code)
        elif kind == "department":
            self._fill_department(code)
        elif kind == "direction":
            self._fill_direction(code)
        elif kind in ("goal", "policy", "measure"):
            self._fill_named(kind, code)
        else:
            self.forms.setCurrentWidget(self.empty_form)

    def _fill_indicator(self, code: str) -> None:
        found = edit.find_indicator(self.catalog, code)
        if found is None:
            return
        _, i = found
        self.i_code.setText(i.code)
        self.i_name.setText(i.name or "")
        self.i_kind.setCurrentIndex(self.i_kind.findData(i.kind))
        self.i_unit.setText(i.unit or "")
        self.i_value_kind.setCurrentIndex(max(0, self.i_value_kind.findData(i.value_kind)))
        self.i_direction.setCurrentIndex(max(0, self.i_direction.findData(i.direction)))
        self.i_comparator.setCurrentIndex(max(0, self.i_comparator.findData(i.comparator)))
        self.i_cumulative.setChecked(i.cumulative)
        self.i_decimals.setValue(-1 if i.decimals is None else i.decimals)
        self.i_baseline_year.setValue(i.baseline_year or 0)
        self.i_baseline.setText(dec(i.baseline))
        self.i_target_year.setValue(i.target_year or 0)
        self.i_target.setText(dec(i.target))
        self.i_interim.setText("、".join(f"{y}={dec(v)}" for y, v in i.interim_targets))
        self.i_yoy.setText(dec(i.yoy_threshold))
        self.i_status.setCurrentIndex(self.i_status.findData(i.status))
        self.i_department.clear()
        for d in self.catalog.departments:
            if d.active or d.code == i.department:
                self.i_department.addItem(f"{d.name}（{d.code}）", d.code)
        self.i_department.setCurrentIndex(self.i_department.findData(i.department))
        self.i_description.setPlainText(i.description or "")
        self.i_note.setText(i.note or "")
        self.i_links.setPlainText(link_lines(i.links))
        self.forms.setCurrentWidget(self.indicator_form)

    def _fill_named(self, kind: str, code: str) -> None:
        self.n_code.setText(code)
        self.n_text.setVisible(kind != "policy")
        self.n_text_label.setVisible(kind != "policy")
        self.n_links.setVisible(kind == "measure")
        self.n_links_label.setVisible(kind == "measure")
        for goal in self.catalog.goals:
            if kind == "goal" and goal.code == code:
                self.n_name.setText(goal.name)
                self.n_text_label.setText(self.tr("副題"))
                self.n_text.setPlainText(goal.subtitle or "")
            for policy in goal.policies:
                if kind == "policy" and policy.code == code:
                    self.n_name.setText(policy.name)
                for measure in policy.measures:
                    if kind == "measure" and measure.code == code:
                        self.n_name.setText(measure.name)
                        self.n_text_label.setText(self.tr("目指す姿"))
                        self.n_text.setPlainText(measure.vision or "")
                        self.n_links.setPlainText(link_lines(measure.links))
        self.forms.setCurrentWidget(self.named_form)

    def _fill_direction(self, key: str) -> None:
        measure_code, _, number = key.partition("#")
        measure = edit.find_measure(self.catalog, measure_code)
        if measure is None:
            return
        for direction in measure.directions:
            if str(direction.number) == number:
                self.r_where.setText(f"{measure.code} {measure.name} ({direction.number})")
                self.r_name.setText(direction.name)
                self.r_text.setPlainText(direction.text)
                self.r_strategy.setChecked(TAG_STRATEGY in direction.tags)
                self.r_reform.setChecked(TAG_REFORM in direction.tags)
                self.r_links.setPlainText(
                    "\n".join(f"{x.plan}|{x.code}|{x.title}" for x in direction.cross_references)
                )
        self.forms.setCurrentWidget(self.direction_form)

    def apply_direction(self) -> bool:
        selected = self._selected()
        if selected is None or selected[0] != "direction":
            return False
        measure_code, _, number = selected[1].partition("#")
        tags = [t for t, box in ((TAG_STRATEGY, self.r_strategy), (TAG_REFORM, self.r_reform))
                if box.isChecked()]  # fmt: skip
        try:
            links = edit.cross_references(self.r_links.toPlainText())
        except DomainError as exc:
            self._say(exc.message(self.lang), error=True)
            return False
        name, text = self.r_name.text(), self.r_text.toPlainText()
        return self._apply(
            self.tr("施策の方向 {0} ({1}) を変更").format(measure_code, number),
            lambda c: edit.replace_direction(
                c, measure_code, int(number), name=name, text=text, tags=tags, links=links
            ),
        )

    def _fill_department(self, code: str) -> None:
        for d in self.catalog.departments:
            if d.code == code:
                self.d_code.setText(d.code)
                self.d_code.setReadOnly(True)
                self.d_name.setText(d.name)
                self.d_active.setChecked(d.active)
                self.d_contact.setText(d.contact or "")
                history = [self.tr("{0}年度まで「{1}」").format(y, n) for y, n in d.former_names]
                if d.merged_into:
                    history.append(
                        self.tr("{0}年度まで報告、以後は {1} に統合").format(
                            d.until_year, d.merged_into
                        )
                    )
                self.d_history.setText("、".join(history) or self.tr("なし"))
        self._fill_merge_targets(code)
        self.forms.setCurrentWidget(self.department_form)

    # -- editing ---------------------------------------------------------------------------

    def _apply(self, label: str, change: Callable[[Catalog], Catalog]) -> bool:
        """Make one change, checked; refused changes are shown and change nothing."""

        try:
            after = change(self.catalog)
            check_catalog(after)
        except DomainError as exc:
            self._say(exc.message(self.lang), error=True)
            return False
        if after == self.catalog:
            self._say(self.tr("変更はありません"))
            return False
        self.undo_stack.push(Change(self, self.catalog, after, label))
        self._say(self.tr("変更しました（保存するまで反映されません）: {0}").format(label))
        return True

    def _say(self, text: str, *, error: bool = False) -> None:
        self.last_message = text
        self.status.setText(("✖ " if error else "") + text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def form_indicator(self) -> Indicator:
        """The indicator as the form holds it (DomainError for a value it cannot be)."""
        found = edit.find_indicator(self.catalog, self.i_code.text())
        assert found is not None
        _, old = found
        decimals = self.i_decimals.value()
        shaped = replace(
            old,
            name=self.i_name.text().strip() or None,
            kind=self.i_kind.currentData(),
            unit=self.i_unit.text().strip() or None,
            value_kind=self.i_value_kind.currentData(),
            direction=self.i_direction.currentData(),
            comparator=self.i_comparator.currentData(),
            cumulative=self.i_cumulative.isChecked(),
            decimals=None if decimals < 0 else decimals,
            baseline_year=self.i_baseline_year.value() or None,
            target_year=self.i_target_year.value() or None,
            status=self.i_status.currentData(),
            department=str(self.i_department.currentData()),
            description=self.i_description.toPlainText().strip() or None,
            note=self.i_note.text().strip() or None,
        )
        yoy = self.i_yoy.text().strip()
        try:
            threshold = Decimal(yoy) if yoy else old.yoy_threshold
        except ArithmeticError:
            raise DomainError(
                "E_CATALOG_VALUE",
                f"前年比の警告は 0.5 のような数で入力してください（「{yoy[:20]}」）",
                f"The year-on-year threshold is a number such as 0.5 (got {yoy[:20]!r})",
            ) from None
        if not threshold.is_finite() or threshold <= 0:
            raise DomainError(
                "E_CATALOG_VALUE",
                "前年比の警告は正の数です",
                "The year-on-year threshold must be positive",
            )
        return replace(
            shaped,
            baseline=edit.decimal_in_unit(self.i_baseline.text(), shaped, "基準値", "baseline"),
            target=edit.decimal_in_unit(self.i_target.text(), shaped, "目標値", "target"),
            yoy_threshold=threshold,
            interim_targets=edit.interim_targets(self.i_interim.text(), shaped),
            links=edit.cross_references(self.i_links.toPlainText()),
        )

    def apply_indicator(self) -> bool:
        code = self.i_code.text()
        try:
            indicator = self.form_indicator()
        except DomainError as exc:
            self._say(exc.message(self.lang), error=True)
            return False
        return self._apply(
            self.tr("指標 {0} を変更").format(code),
            lambda c: edit.replace_indicator(c, indicator),
        )

    def apply_named(self) -> bool:
        selected = self._selected()
        if selected is None:
            return False
        kind, code = selected
        name, text = self.n_name.text(), self.n_text.toPlainText()
        try:
            links = edit.cross_references(self.n_links.toPlainText()) if kind == "measure" else ()
        except DomainError as exc:
            self._say(exc.message(self.lang), error=True)
            return False
        changes: dict[str, Callable[[Catalog], Catalog]] = {
            "goal": lambda c: edit.replace_goal(c, code, name=name, subtitle=text),
            "policy": lambda c: edit.replace_policy(c, code, name=name),
            "measure": lambda c: edit.replace_measure(c, code, name=name, vision=text, links=links),
        }
        return self._apply(self.tr("{0} を変更").format(code), changes[kind])

    def apply_department(self) -> bool:
        code = self.d_code.text().strip()
        name = self.d_name.text().strip()
        year = self.d_from_year.value()
        target = self.d_merge_into.currentData()
        known = {d.code: d for d in self.catalog.departments}

        def change(catalog: Catalog) -> Catalog:
            current = {d.code: d for d in catalog.departments}.get(code)
            if current is not None and name and name != current.name:
                catalog = edit.rename_department(catalog, code, name, year)
                current = {d.code: d for d in catalog.departments}[code]
            department = replace(
                current or Department(code, name),
                active=self.d_active.isChecked(),
                contact=self.d_contact.text().strip() or None,
            )
            if target:
                catalog = edit.merge_department(catalog, code, str(target), year)
                return catalog
            return edit.put_department(catalog, department)

        label = (
            self.tr("課 {0} を {1} に統合（{2}年度から）").format(code, target, year)
            if target
            else self.tr("課 {0} を変更").format(code)
        )
        if code not in known and not name:
            self._say(self.tr("課コードと課名が必要です"), error=True)
            return False
        return self._apply(label, change)

    def _fill_merge_targets(self, code: str | None) -> None:
        self.d_merge_into.clear()
        self.d_merge_into.addItem(self.tr("（統合しない）"), None)
        for d in self.catalog.departments:
            if d.active and d.code != code:
                self.d_merge_into.addItem(f"{d.name}（{d.code}）", d.code)
        settings = self.catalog.plan.settings
        self.d_from_year.setRange(settings.start_year, settings.end_year + 1)
        self.d_from_year.setValue(
            min(max(fiscal_year_of(date.today()), settings.start_year), settings.end_year + 1)
        )

    def add_department(self) -> None:
        self.tree.clearSelection()
        self.forms.setCurrentWidget(self.department_form)
        self.d_code.setReadOnly(False)
        self.d_code.clear()
        self.d_name.clear()
        self.d_contact.clear()
        self.d_history.setText(self.tr("なし"))
        self._fill_merge_targets(None)
        self.d_active.setChecked(True)
        self.d_code.setFocus()

    def add_indicator(self) -> bool:
        selected = self._selected()
        if selected is None:
            return False
        kind, code = selected
        measure_code = code
        if kind == "indicator":
            found = edit.find_indicator(self.catalog, code)
            if found is None:
                return False
            measure_code = found[0].code
        measure = edit.find_measure(self.catalog, measure_code)
        if measure is None:
            return False
        new_code = edit.next_indicator_code(self.catalog, measure, IndicatorKind.ACTIVITY)
        owner = measure.indicators[0].department if measure.indicators else None
        owner = owner or next((d.code for d in self.catalog.departments if d.active), "")
        indicator = Indicator(new_code, IndicatorKind.ACTIVITY, None, None, owner)
        done = self._apply(
            self.tr("指標 {0} を追加").format(new_code),
            lambda c: edit.add_indicator(c, measure_code, indicator),
        )
        if done:
            self.select("indicator", new_code)
        return done

    def retire_indicator(self) -> bool:
        selected = self._selected()
        if selected is None or selected[0] != "indicator":
            return False
        found = edit.find_indicator(self.catalog, selected[1])
        if found is None:
            return False
        retired = replace(found[1], status=IndicatorStatus.DISCONTINUED)
        return self._apply(
            self.tr("指標 {0} を廃止").format(retired.code),
            lambda c: edit.replace_indicator(c, retired),
        )

    def remove_indicator(self) -> bool:
        """Only an indicator without values; one with values is retired instead."""

        selected = self._selected()
        if selected is None or selected[0] != "indicator":
            return False
        code = selected[1]
        with self.store.snapshot() as conn:
            generation = active_generation(conn) if self.generation is None else self.generation
            held = read_actuals(conn, generation, indicator_codes=[code])
        if held:
            self._say(
                self.tr(
                    "指標 {0} には実績があるため削除できません。「指標を廃止」を使ってください"
                ).format(code),
                error=True,
            )
            return False
        return self._apply(
            self.tr("指標 {0} を削除").format(code), lambda c: edit.remove_indicator(c, code)
        )

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the edited catalog as the next version (after a backup); True when saved."""

        if self.catalog == self.original:
            self._say(self.tr("変更はありません"))
            return False
        try:
            check_catalog(self.catalog)
            backup_before(self.store, "catalog")
            change = save_catalog_edit(
                self.store,
                self.catalog,
                who=self.who,
                source=EntrySource.GUI,
                detail="カタログの編集",
                generation=self.generation,
            )
        except DomainError as exc:
            self._say(exc.message(self.lang), error=True)
            QMessageBox.warning(self, self.tr("保存できません"), exc.message(self.lang))
            return False
        version = change.version
        self.saved_version = "" if version is None else version.label()
        self.original = self.catalog
        self.undo_stack.setClean()
        self._say(self.tr("保存しました（{0}）").format(self.saved_version))
        return True
