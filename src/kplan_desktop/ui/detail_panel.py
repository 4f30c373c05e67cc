"""The detail panel beside the grid, with the comment editor."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.domain.audit_words import detail_words, source_words
from kplan_desktop.domain.cumulative import entry_note, since_words
from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.domain.values import grouped
from kplan_desktop.store.audit import REDO_DETAIL, UNDO_DETAIL
from kplan_desktop.ui.i18n import quoted, year_text
from kplan_desktop.ui.models.cells import CellState
from kplan_desktop.ui.parts import Part, Shared
from kplan_desktop.ui.series_view import read_indicator_series
from kplan_desktop.ui.trend_chart import TrendChart

if TYPE_CHECKING:
    from kplan_desktop.domain.generation import Series
    from kplan_desktop.store.audit import AuditEntry
    from kplan_desktop.ui.entry_controller import EntryController

    pass


class DetailPanel(Part):
    """The side panel: the indicator's description, its history, its trend chart and the
    comment editor of the current cell."""

    def __init__(self, shared: Shared, entry: EntryController) -> None:
        super().__init__(shared)
        self.entry = entry

        self.detail = QTextBrowser()
        self.detail.setObjectName("detail")
        # The text last given to each box, by id (see _show_html).
        self._html: dict[int, str] = {}
        self.history = QTextBrowser()
        self.history.setObjectName("history")
        # Room for four entries however the splitter is dragged: an empty-looking history
        # under its heading read as "no changes" (English trial).
        lines = self.history.fontMetrics().lineSpacing()
        self.history.setMinimumHeight(4 * lines + 2 * self.history.frameWidth() + 8)
        history_title = QLabel(self.tr("履歴"))
        heading = history_title.font()
        heading.setBold(True)
        history_title.setFont(heading)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 4, 0, 0)
        history_layout.setSpacing(2)
        history_layout.addWidget(history_title)
        history_layout.addWidget(self.history)
        self.chart = TrendChart(lang=self.lang)
        # The chart's title must not dictate the side panel's width.
        self.chart.setMinimumSize(220, 240)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(self.tr("コメント（警告がある値には理由が必要です）"))
        self.comment.setMaximumHeight(90)
        self.comment_button = QPushButton(self.tr("コメントを保存"))
        # The cell the comment box speaks of and the comment it showed: a changed text is saved
        # when the box loses the focus or the cell changes (never dropped silently).
        self._comment_cell = QPersistentModelIndex()
        self._comment_shown = ""
        self._committing = False
        self.holding = False  # True while the window asks about a comment it could not save
        self.comment.installEventFilter(self)
        self.comment_hint = QLabel()
        self.comment_hint.setWordWrap(True)
        # Shown only with a hint: an empty label left a blank band under the chart.
        self.comment_hint.setVisible(False)
        self.side_splitter = QSplitter(Qt.Orientation.Vertical)
        self.side_splitter.setObjectName("side_splitter")
        self.side_splitter.setChildrenCollapsible(False)
        for part in (self.detail, history_box, self.chart):
            self.side_splitter.addWidget(part)
        for position, stretch in enumerate((3, 2, 4)):
            self.side_splitter.setStretchFactor(position, stretch)
        self.side_splitter.setSizes([200, 150, 300])
        # On a short screen (150 % on 1366×768) the description, history and chart scroll
        # rather than making the window taller than the screen (its status bar and buttons were
        # off the bottom edge); the comment box and its button always stay in view.
        scroll = QScrollArea()
        scroll.setObjectName("side_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.side_splitter)
        self.side = QWidget()
        self.side.setObjectName("side_panel")
        side_layout = QVBoxLayout(self.side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(scroll, 1)
        side_layout.addWidget(self.comment_hint)
        side_layout.addWidget(self.comment)
        side_layout.addWidget(self.comment_button)
        self.grid.selectionModel().currentChanged.connect(self.show_cell)

    def refresh(self) -> None:
        self.show_cell(self.grid.currentIndex(), QModelIndex())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.comment and event.type() == QEvent.Type.FocusOut:
            assert isinstance(event, QFocusEvent)
            if event.reason() != Qt.FocusReason.PopupFocusReason:
                self.commit_comment()
        return super().eventFilter(watched, event)

    def pending_comment(self) -> str | None:
        """The comment box's text when it differs from the cell's saved comment."""
        if not self._comment_cell.isValid():
            return None
        text = self.comment.toPlainText()
        return None if text == self._comment_shown else text

    def commit_comment(self) -> bool:
        """Save a changed comment for the cell it was typed for; False when it could not be
        saved (the status bar says why and the text stays in the box)."""
        text = self.pending_comment()
        if text is None or self._committing:
            return True
        if self.holding:
            return False
        index = self.proxy.index(self._comment_cell.row(), self._comment_cell.column())
        value = index.data(Qt.ItemDataRole.EditRole)
        self._committing = True
        try:
            saved = bool(value) and self.entry.submit(index, value, text)
        finally:
            self._committing = False
        if saved:
            self._comment_shown = text
        elif not value or not index.flags() & Qt.ItemFlag.ItemIsEditable:
            self.status.setText(self.entry.why_no_comment(index))
        return saved

    def show_cell(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._comment_cell.isValid() and self._comment_cell != QPersistentModelIndex(current):
            self.commit_comment()
        source = self.proxy.mapToSource(current)
        if not source.isValid() or self.model.catalog is None:
            return
        item = self.model.rows[source.row()]
        ind = item.indicator
        e = html.escape
        not_set = self.tr("未設定")
        english = self.lang == "en"
        comparator = "—"
        if ind.comparator is not None:
            comparator = ind.comparator.value if english else ind.comparator.label_ja
        direction = not_set
        if ind.direction is not None:
            direction = ind.direction.value if english else ind.direction.label_ja
        vision, description = self.tr("目指す姿"), self.tr("指標の説明")
        unnamed = self.tr("（名称未設定）")
        parts = [
            f"<h3>{e(ind.code)} {e(ind.name or unnamed)}</h3>",
            f"<p><b>{vision}</b><br>{e(item.measure.vision or '—')}</p>",
            f"<p><b>{description}</b><br>{e(ind.description or '—')}</p>",
            "<p>"
            + self.tr("単位: {0}　方向: {1}　比較: {2}　累計: {3}").format(
                e(ind.unit or not_set),
                direction,
                comparator,
                e(since_words(self.model.catalog.plan.settings, self.lang))
                if ind.cumulative
                else self.tr("いいえ"),
            )
            + "</p>",
        ]
        note = entry_note(ind, self.model.catalog.plan.settings, self.lang)
        if note:
            # What a running total counts, where the clerk types it (domain.cumulative).
            parts.append(f"<p><b>※ {e(note)}</b></p>")

        generation = self.session.current_generation()
        series, history = read_indicator_series(self.store, generation, ind.code)
        if series is not None:
            parts.append(self.earlier_html(series))
        self._show_html(self.detail, "".join(parts))
        entries = []
        for plan, entry in reversed(history[-10:]):
            when = "—"
            if entry.fiscal_year is not None:
                when = year_text(entry.fiscal_year, self.lang, FiscalYearStyle.SHORT)
            # A change made under an earlier plan says which (its code may differ too).
            where = "" if plan is None else f"［{e(plan)}］ "
            via = source_words(entry.source).pick(self.lang)
            entries.append(
                f"<li>{where}{entry.at.astimezone():%Y-%m-%d %H:%M} {e(entry.who)} "
                f"({e(via)}): {when} {e(self.history_text(entry))}</li>"
            )
        if entries:
            self._show_html(self.history, "<ul>" + "".join(entries) + "</ul>")
        else:
            none_yet = self.tr("この指標の変更記録はまだありません")
            self._show_html(self.history, f"<p>{e(none_yet)}</p>")
        self.chart.show_indicator(self.model.catalog, item, series)
        year = self.model.year_of_column(source.column()) or self.fiscal_year
        actual = item.values.get(year)
        if not self._committing:  # else the box keeps the text being saved
            self._comment_shown = actual.comment or "" if actual else ""
            self._comment_cell = QPersistentModelIndex(current)
            self.comment.setPlainText(self._comment_shown)
        state = self.model.cell(source.row(), year).state
        # A cell that cannot be entered (another year, another 課) takes no comment either:
        # the box shows its comment read-only and the hint says why.
        editable = bool(current.flags() & Qt.ItemFlag.ItemIsEditable)
        self.comment.setReadOnly(not editable)
        self.comment_button.setEnabled(editable)
        if not editable and self.model.year_of_column(source.column()) is not None:
            self.comment_hint.setText(self.entry.read_only_reason(current))
            self.comment.setStyleSheet("background: #f4f4f4;")
        elif state is CellState.WARNING:
            self.comment_hint.setText(
                self.tr("⚠ 警告があります。理由をコメントに記入して保存してください。")
            )
            self.comment.setStyleSheet("background: #fff4d6;")
        else:
            self.comment_hint.setText("")
            self.comment.setStyleSheet("")
        self.comment_hint.setVisible(bool(self.comment_hint.text()))

    def _show_html(self, view: QTextEdit, text: str) -> None:
        """The text shown, unless it is shown already: after an entry the indicator's details
        are the same, and setting them again laid out and repainted the box (issue 20)."""
        if self._html.get(id(view)) != text:
            view.setHtml(text)
            self._html[id(view)] = text

    def earlier_html(self, series: Series) -> str:
        """The earlier plans' actuals: each year with its plan, its value and its grade against
        that plan's target."""
        e = html.escape
        en = self.lang == "en"
        rows = []
        for point in series.earlier():
            if not point.entered:
                continue
            link = series.link_of(point)
            if point.value is not None:
                shown = grouped(point.value) + (link.indicator.unit or "")
            else:
                assert point.missing_reason is not None
                reason = point.missing_reason
                shown = reason.label_en if en else reason.label_ja
            target = "—" if point.target is None else grouped(point.target)
            grade = point.achievement.grade.label(link.settings.grade_labels, self.lang)
            rows.append(
                f"<tr><td>{e(year_text(point.fiscal_year, self.lang, FiscalYearStyle.SHORT))}"
                f"</td><td>{e(link.generation.name)}</td><td align='right'>{e(shown)}</td>"
                f"<td align='right'>{e(target)}</td><td>{e(grade)}</td></tr>"
            )
        title = self.tr("前の計画の実績")
        note = self.tr("各年度は、その年度が属した計画の目標で評価しています。")
        if not rows:
            none = self.tr("前の計画の実績はありません。")
            return f"<p><b>{e(title)}</b><br>{e(none)}</p>"
        head = "".join(
            f"<th align='left'>{e(h)}</th>"
            for h in (
                self.tr("年度"),
                self.tr("計画"),
                self.tr("実績"),
                self.tr("目標"),
                self.tr("評価"),
            )
        )
        return (
            f"<p><b>{e(title)}</b><br><small>{e(note)}</small></p>"
            f"<table cellspacing='0' cellpadding='2'><tr>{head}</tr>{''.join(rows)}</table>"
        )

    def history_text(self, entry: AuditEntry) -> str:
        """One change as the history lists it: the value's old → new, or what happened to the
        comment when only the comment changed (never 「66 → 66」), marked as an undo or redo."""

        old = self.entry.shown_state(entry.old_value, entry.old_reason) or "—"
        new = self.entry.shown_state(entry.new_value, entry.new_reason) or "—"
        before, after = entry.old_comment or "", entry.new_comment or ""

        def comment(text: str) -> str:
            short = " ".join(text.split())
            short = short if len(short) <= 30 else short[:29] + "…"
            return quoted(short, self.lang) if short else self.tr("（なし）")

        if (entry.old_value, entry.old_reason) == (entry.new_value, entry.new_reason):
            if before and not after:
                text = self.tr("コメントを削除（{0}）").format(comment(before))
            elif after and not before:
                text = self.tr("コメントを追加: {0}").format(comment(after))
            else:
                text = self.tr("コメントを変更: {0} → {1}").format(comment(before), comment(after))
            text = self.tr("{0}（値 {1} はそのまま）").format(text, new)
        else:
            text = f"{old} → {new}"
            if before != after:
                text += self.tr("（コメント: {0} → {1}）").format(comment(before), comment(after))
        first = (entry.detail or "").split(";")[0].strip()
        if first == UNDO_DETAIL:
            text = self.tr("取り消し: {0}").format(text)
        elif first == REDO_DETAIL:
            text = self.tr("やり直し: {0}").format(text)
        # What else the write's detail says, in words (a dropped comment, the merged file).
        said = detail_words(entry.action, entry.detail).pick(self.lang)
        if not said:
            return text
        return f"{text} ({said})" if self.lang == "en" else f"{text}（{said}）"
