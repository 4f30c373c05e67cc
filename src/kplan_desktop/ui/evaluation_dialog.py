"""施策評価 in the window: a department fills its measures' evaluations; the planning division
reads them and writes the reviewer comment. One measure at a time, saved through the store's
one write path (store.evaluations), with the revision the form started from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.achievement import Grade
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.evaluation import Evaluation, NextStep
from kplan_desktop.domain.model import GradeLabels
from kplan_desktop.domain.revision import Revision
from kplan_desktop.store.evaluations import (
    MeasureEvaluationRow,
    evaluation_overview,
    save_evaluation,
    save_review_comment,
)
from kplan_desktop.store.generations import active_generation
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.years import locked_years

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kplan_desktop.store.engine import Store


class EvaluationDialog(QDialog):
    """Measures on the left; the selected one's evaluation on the right (Ctrl+S saves)."""

    def __init__(
        self,
        store: Store,
        fiscal_year: int,
        *,
        department: str | None,
        planning: bool,
        who: str,
        year_label: str,
        lang: str = "ja",
        parent: QWidget | None = None,
        generation: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.lang = lang
        self.store = store
        # The plan generation evaluated (None: the active one).
        self.generation = generation
        self.fiscal_year = fiscal_year
        self.department = department
        self.planning = planning
        self.who = who
        self.rows: list[MeasureEvaluationRow] = []
        self.current: MeasureEvaluationRow | None = None
        self.started_from: Revision | None = None
        self.last_message = ""
        self.setWindowTitle(self.tr("施策評価（{0}）").format(year_label))

        self.notice = QLabel()
        self.notice.setObjectName("evaluation_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "QLabel { background: #fff4e0; border: 1px solid #e0a040; padding: 4px 8px; }"
        )
        self.notice.hide()
        self.measures = QListWidget()
        self.measures.setObjectName("evaluation_measures")
        self.measures.currentRowChanged.connect(self._show)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setObjectName("evaluation_title")
        self.guidance = QLabel()
        self.guidance.setObjectName("evaluation_guidance")
        self.grade = QComboBox()
        self.grade.setObjectName("evaluation_grade")
        self.grade.addItem(self.tr("（未記入）"), None)
        for grade in (Grade.A, Grade.B, Grade.C, Grade.D):
            # The letter with the grade's words (trial 15b: A–D had no description).
            words = grade.label(GradeLabels.WORDS, lang)
            self.grade.addItem(f"{grade.value}（{words}）" if lang != "en" else
                               f"{grade.value} ({words})", grade.value)  # fmt: skip
        self.results = QPlainTextEdit()
        self.results.setObjectName("evaluation_results")
        self.results.setPlaceholderText(self.tr("この1年の成果と、見えてきた課題"))
        self.next_step = QComboBox()
        self.next_step.setObjectName("evaluation_next_step")
        self.next_step.addItem(self.tr("（未記入）"), None)
        for step in NextStep:
            self.next_step.addItem(step.label_en if lang == "en" else step.label_ja, step.value)
        self.next_text = QPlainTextEdit()
        self.next_text.setObjectName("evaluation_next_text")
        self.next_text.setPlaceholderText(self.tr("今後の方向性の説明"))
        self.reviewer = QPlainTextEdit()
        self.reviewer.setObjectName("evaluation_reviewer")
        self.reviewer.setPlaceholderText(self.tr("企画担当課が記入します"))
        self.reviewer.setReadOnly(not planning)
        if not planning:
            # Read-only for a department: it must not look like a field to type in.
            self.reviewer.setStyleSheet("background: #f4f4f4;")

        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.addRow(self.title)
        form.addRow(self.tr("指標の評価"), self.guidance)
        form.addRow(self.tr("自己評価"), self.grade)
        form.addRow(self.tr("成果と課題"), self.results)
        form.addRow(self.tr("今後の方向性"), self.next_step)
        form.addRow(self.tr("方向性の説明"), self.next_text)
        form.addRow(self.tr("評価者のコメント"), self.reviewer)
        splitter = QSplitter()
        splitter.addWidget(self.measures)
        splitter.addWidget(form_widget)
        splitter.setStretchFactor(1, 3)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("保存"), QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.setObjectName("evaluation_save")
        self.save_button.clicked.connect(self.save)
        buttons.addButton(self.tr("閉じる"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        save_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_key.activated.connect(self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(960, 620)
        self.locked = self._locked(year_label)
        self.reload()

    # -- reading -------------------------------------------------------------------------

    def _generation(self, conn: Connection) -> int:
        return active_generation(conn) if self.generation is None else self.generation

    def reload(self) -> None:
        selected = self.measures.currentRow()
        department = None if self.planning else self.department
        with self.store.snapshot() as conn:
            self.rows = evaluation_overview(
                conn, self._generation(conn), self.fiscal_year, department=department
            )
        self.measures.blockSignals(True)
        self.measures.clear()
        for row in self.rows:
            e = row.evaluation
            mark = "✔ " if e is not None and e.grade is not None else "　 "
            item = QListWidgetItem(f"{mark}{row.measure.code} {row.measure.name}")
            item.setData(Qt.ItemDataRole.UserRole, row.measure.code)
            self.measures.addItem(item)
        self.measures.blockSignals(False)
        if self.rows:
            self.measures.setCurrentRow(max(0, min(selected, len(self.rows) - 1)))
            self._show(self.measures.currentRow())

    def _locked(self, year_label: str) -> bool:
        """A locked year is read-only here, said at once (not only when 保存 is refused)."""

        with self.store.snapshot() as conn:
            locked = self.fiscal_year in locked_years(conn, self._generation(conn))
        if locked:
            self.notice.setText(
                self.tr(
                    "{0}は締め切られています（年度ロック）。施策評価は表示のみで、変更できません"
                ).format(year_label)
            )
            self.notice.show()
            for widget in (self.grade, self.next_step, self.save_button):
                widget.setEnabled(False)
            for edit in (self.results, self.next_text, self.reviewer):
                edit.setReadOnly(True)
        return locked

    def select(self, measure_code: str) -> None:
        for n, row in enumerate(self.rows):
            if row.measure.code == measure_code:
                self.measures.setCurrentRow(n)
                return

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        self.current = row
        self.started_from = None if row.stored is None else row.stored.revision
        vision = row.measure.vision or self.tr("（計画に記載なし）")
        self.title.setText(
            f"<b>{row.measure.code} {row.measure.name}</b><br>"
            + self.tr("目指す姿: {0}").format(vision)
        )
        # Which indicator has which grade, then the suggestion they add up to.
        lines = [f"{code} {name}: {grade}" for code, name, grade in row.graded]
        grades = "\n".join(lines) or " ".join(row.indicator_grades) or self.tr("なし")
        self.guidance.setText(grades + "\n" + self.tr("目安: {0}").format(row.suggested or "－"))
        e = row.evaluation or Evaluation(row.measure.code, self.fiscal_year, None, "", None, "")
        self.grade.setCurrentIndex(max(0, self.grade.findData(e.grade)))
        self.results.setPlainText(e.results)
        step = None if e.next_step is None else e.next_step.value
        self.next_step.setCurrentIndex(max(0, self.next_step.findData(step)))
        self.next_text.setPlainText(e.next_text)
        self.reviewer.setPlainText(e.reviewer_comment)

    # -- writing -------------------------------------------------------------------------

    def form_evaluation(self) -> Evaluation | None:
        row = self.current
        if row is None:
            return None
        step = self.next_step.currentData()
        return Evaluation(
            measure_code=row.measure.code,
            fiscal_year=self.fiscal_year,
            grade=self.grade.currentData(),
            results=self.results.toPlainText(),
            next_step=None if step is None else NextStep(step),
            next_text=self.next_text.toPlainText(),
        )

    def save(self) -> bool:
        """Save the form; a refusal (finalised year, too long, changed meanwhile) is shown and
        nothing is written."""
        wanted = self.form_evaluation()
        row = self.current
        if wanted is None or row is None:
            return False
        try:
            saved = None
            empty = wanted.department_part == (None, "", None, "")
            if row.stored is not None or not empty:
                saved = self.store.write(
                    lambda conn, key: save_evaluation(
                        conn,
                        self._generation(conn),
                        wanted,
                        who=self.who,
                        source=EntrySource.GUI,
                        expected=self.started_from,
                        request_key=key,
                    )
                )
            reviewed = False
            if self.planning:
                with self.store.transaction() as conn:
                    reviewed = save_review_comment(
                        conn,
                        self._generation(conn),
                        wanted.measure_code,
                        self.fiscal_year,
                        self.reviewer.toPlainText(),
                        who=self.who,
                        source=EntrySource.GUI,
                    )
        except DomainError as exc:
            self.last_message = exc.message(self.lang)
            QMessageBox.warning(self, self.tr("保存できません"), self.last_message)
            return False
        changed = saved is not None or reviewed
        self.last_message = (
            self.tr("保存しました: {0}").format(wanted.measure_code)
            if changed
            else self.tr("変更はありません")
        )
        code = wanted.measure_code
        self.reload()
        self.select(code)
        return changed
