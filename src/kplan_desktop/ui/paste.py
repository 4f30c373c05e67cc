"""Pasting a block into the grid and copying one out of it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from kplan_desktop.domain.entry_block import BlockCheck, BlockEntry, check_block
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle
from kplan_desktop.domain.model import IndicatorSpec
from kplan_desktop.domain.validation import EntryCheck
from kplan_desktop.store.requests import EMPTY, EntryRequest, EntryResult, Outcome, State
from kplan_desktop.ui.entry import Written, write_and_read
from kplan_desktop.ui.i18n import quoted, year_text
from kplan_desktop.ui.models.indicator_table import MarkedCell
from kplan_desktop.ui.parts import Part, Shared

if TYPE_CHECKING:
    from kplan_desktop.store.actuals import ActualView
    from kplan_desktop.ui.entry_controller import EntryController


# A pasted block larger than this is not a block of plan values (and would freeze the grid).
MAX_PASTE_CELLS = 5000


class PasteController(Part):
    """Ctrl+V of a block from a spreadsheet, and Ctrl+C of a block to one."""

    def __init__(self, shared: Shared, entry: EntryController) -> None:
        super().__init__(shared)
        self.entry = entry
        self.last_paste_problems: list[str] = []
        self.kept_blank: list[str] = []
        self.paste_report: QDialog | None = None

    def paste_clipboard(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> list[EntryResult]:
        """Paste a tab-separated block at the top-left cell of the selection (as Excel and Calc
        do): valid cells written as one undo step, the others listed in one dialog. A single
        copied cell fills every selected cell, as in Excel."""
        self.kept_blank = []
        current = self.grid.currentIndex()
        if self.model.first_of is not None and current.isValid():
            # The first rows of a grid still being read: said as typing says it, with no
            # cells marked red (the whole grid's rows replace them in a moment).
            self.status.setText("※ " + self.entry.read_only_reason(current))
            return []
        lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
        block = [line.split("\t") for line in lines]
        selected = self.grid.selectionModel().selectedIndexes()
        start = self.grid.currentIndex()
        if selected:
            start = self.proxy.index(
                min(i.row() for i in selected), min(i.column() for i in selected)
            )
        targets: list[tuple[QModelIndex, str]] = []
        if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
            targets = [
                (i, block[0][0]) for i in sorted(selected, key=lambda i: (i.row(), i.column()))
            ]
        elif start.isValid():
            targets = [
                (self.proxy.index(start.row() + dr, start.column() + dc), cell)
                for dr, cells in enumerate(block)
                for dc, cell in enumerate(cells)
            ]
        if not targets or len(targets) > MAX_PASTE_CELLS:
            self.status.setText(
                self.tr("貼り付けできません（セルを選ぶか、範囲を小さくしてください）")
            )
            return []
        requests: list[EntryRequest] = []
        # Cells that cannot be entered, listed after the values refused (the real problems).
        unenterable: list[str] = []
        unenterable_marks: dict[tuple[str, int], MarkedCell] = {}
        # Stored values a blank pasted cell left alone (a paste never clears: Delete asks why).
        kept: list[str] = []
        for target, cell in targets:
            if not cell.strip():
                shown = target.data(Qt.ItemDataRole.EditRole) if target.isValid() else ""
                if shown and target.flags() & Qt.ItemFlag.ItemIsEditable:
                    kept.append(f"{self._cell_name(target)} ({shown})")
                continue
            request = self.entry.request_for(target, cell, None) if target.isValid() else None
            if request is None:
                why = (
                    self.entry.read_only_reason(target)
                    if target.isValid()
                    else self.tr("表の外です")
                )
                unenterable.append(
                    self.tr("{0}「{1}」: 入力できないセルです（{2}）").format(
                        self._cell_name(target), cell[:20], why
                    )
                )
                key = self._cell_key(target)
                if key is not None:
                    unenterable_marks[key] = MarkedCell(cell, why)
                continue
            requests.append(request)
        self.kept_blank = kept
        problems: list[str] = []
        if not requests:
            self.model.mark(unenterable_marks)
            self._report_paste(unenterable)
            return []
        # The block is checked first (pure: the grid holds the values it is checked against),
        # the warned cells' comments are asked, and then every accepted and commented cell is
        # written in one transaction, read back in it (one frame, one undo step); the refused
        # cells write nothing and are reported below.
        checked = self._check(requests)
        warned = [r for r in checked if self._only_warned(r)]
        if len(targets) == 1 and len(checked) == 1 and warned:
            # One pasted cell with a warning is a typed value: it asks for its comment;
            # Cancel leaves it in the cell's editor, never thrown away.
            target, cell = targets[0]
            reason = self.entry.ask_comment(warned[0])
            if not (reason and self.entry.submit(target, cell, reason)):
                self.entry.reopen_editor(target, cell)
            self.last_paste_problems = []
            return checked
        # Each warned cell is offered for its comment in turn; Esc ends the series, and the
        # cells not commented stay unsaved, marked and listed: nothing saved or dropped silently.
        commented = {(r.indicator_code, r.fiscal_year): r for r in self._ask_paste_comments(warned)}
        writing = [
            commented.get(_cell_of(r), r.request)
            for r in checked
            if r.outcome is not Outcome.REFUSED or _cell_of(r) in commented
        ]
        results = [
            r for r in checked if r.outcome is Outcome.REFUSED and _cell_of(r) not in commented
        ]
        good: list[EntryResult] = []
        fresh: list[ActualView] = []
        if writing:
            block_written = self._write(writing)
            if block_written is None:
                return []
            written, read_back = block_written
            fresh = read_back or []
            good = self._good(written)
            self._show(good, fresh)
            # The write checks every cell again: what it refused (someone else's change since
            # the grid was read, a warning the grid could not foresee) is reported too, every
            # cell in the block's order.
            order = {_cell_of(r): n for n, r in enumerate(checked)}
            results = sorted([*results, *written], key=lambda r: order.get(_cell_of(r), 0))
        marks: dict[tuple[str, int], MarkedCell] = {}
        for r in results:
            if r.outcome is Outcome.REFUSED:
                reason = self._refusal_text(r)
                when = year_text(r.request.fiscal_year, self.lang, FiscalYearStyle.SHORT)
                where = f"{r.request.indicator_code} {when}"
                problems.append(f"{quoted(r.request.text[:20], self.lang, where)}: {reason}")
                marks[(r.request.indicator_code, r.request.fiscal_year)] = MarkedCell(
                    r.request.text, reason
                )
        if good:
            codes = {r.request.indicator_code for r in good}
            shown = [a for a in fresh if a.indicator_code in codes]
            label = self.tr("貼り付け（{0} 件）").format(len(good))
            self.entry.push(good, label, applied=(good, shown))
        self.model.mark({**unenterable_marks, **marks})
        self._report_paste(problems + unenterable, saved=len(good))
        return results

    def _check(self, requests: list[EntryRequest]) -> list[EntryResult]:
        """The block checked against the values the grid holds, nothing read or written: a
        cell that cannot be saved as it is comes back REFUSED (its findings say why; warnings
        alone: it waits for a comment), the others as NEW or UPDATED (the write decides)."""
        catalog = self.model.catalog
        entries: list[BlockEntry] = []
        specs: dict[str, IndicatorSpec] = {}
        history: dict[str, dict[int, Decimal]] = {}
        stored: dict[tuple[str, int], State] = {}
        for request in requests:
            code, year = request.indicator_code, request.fiscal_year
            row = self.model.row_of(code)
            if row is None:
                continue
            overview = self.model.rows[row]
            if code not in specs:
                specs[code] = overview.indicator.spec()
                history[code] = {
                    y: a.value for y, a in overview.values.items() if a.value is not None
                }
            actual = overview.values.get(year)
            state = EMPTY
            if actual is not None:
                reason = None if actual.missing_reason is None else actual.missing_reason.value
                state = State(actual.text, reason, actual.comment)
            stored[(code, year)] = state
            entries.append(BlockEntry(code, year, request.text, request.comment, state))
        checks: dict[tuple[str, int], BlockCheck] = {}
        if catalog is not None:
            block = check_block(entries, specs, catalog.plan.settings, history)
            checks = {(c.entry.code, c.entry.fiscal_year): c for c in block}
        results: list[EntryResult] = []
        for request in requests:
            key = (request.indicator_code, request.fiscal_year)
            one = checks.get(key)
            if one is None:
                # Not in the grid's catalog: the write checks it (and refuses it).
                results.append(EntryResult(request, EntryCheck(None, ()), Outcome.NEW))
                continue
            old = stored[key]
            outcome = Outcome.UPDATED if old != EMPTY else Outcome.NEW
            if not one.accepted:
                outcome = Outcome.REFUSED
            results.append(EntryResult(request, one.check, outcome, old, old))
        return results

    def _write(self, requests: list[EntryRequest]) -> Written | None:
        """Check the requests and write the accepted ones, read back: one transaction. None
        when the database could not be written (said; nothing changed)."""
        try:
            return self.store.write(
                lambda conn, key: write_and_read(
                    conn, self.session.generation_in(conn), requests, key, all_or_nothing=False
                )
            )
        except DomainError as exc:
            if self.entry._retry_after(exc):
                return self._write(requests)
            return None

    @staticmethod
    def _good(results: list[EntryResult]) -> list[EntryResult]:
        return [r for r in results if r.outcome not in (Outcome.REFUSED, Outcome.UNCHANGED)]

    def _show(self, written: list[EntryResult], fresh: list[ActualView] | None) -> None:
        """Show the written cells' indicators as read back in their write's transaction."""
        codes = {r.request.indicator_code for r in written}
        by_code: dict[str, list[ActualView]] = {code: [] for code in codes}
        for actual in fresh or []:
            if actual.indicator_code in by_code:
                by_code[actual.indicator_code].append(actual)
        for code, values in by_code.items():
            self.model.update_values(code, values)

    @staticmethod
    def _only_warned(result: EntryResult) -> bool:
        """Refused only for warnings (a comment lets it in), not for an error or a conflict."""
        return (
            result.outcome is Outcome.REFUSED
            and bool(result.check.warnings)
            and not result.check.errors
        )

    def _ask_paste_comments(self, warned: list[EntryResult]) -> list[EntryRequest]:
        """The comment dialog for each warned cell of a paste, in turn; the requests with
        their comments. Esc (or Cancel) ends the series: that cell and the rest stay unsaved."""

        commented: list[EntryRequest] = []
        for position, refused in enumerate(warned, start=1):
            # The cell asked about becomes the selection too: Ctrl is still held from Ctrl+V,
            # and setCurrentIndex would then add it to the selection, leaving the next paste
            # to start at the old top-left cell rather than the one the clerk sees.
            self.grid.selectionModel().setCurrentIndex(
                self._index_of(refused.request),
                QItemSelectionModel.SelectionFlag.ClearAndSelect,
            )
            step = self.tr("（{0} / {1} 件目。Esc で残りも保存せずに終わります）").format(
                position, len(warned)
            )
            reason = self.entry.ask_comment(refused, step)
            if not reason:
                break
            commented.append(replace(refused.request, comment=reason))
        self.grid.setFocus()
        return commented

    def _index_of(self, request: EntryRequest) -> QModelIndex:
        row = self.model.row_of(request.indicator_code)
        if row is None or request.fiscal_year not in self.model.years:
            return QModelIndex()
        column = self.model.column_of_year(request.fiscal_year)
        return self.proxy.mapFromSource(self.model.index(row, column))

    def _cell_key(self, index: QModelIndex) -> tuple[str, int] | None:
        """(indicator, year) of a year cell of the grid; None for other columns."""
        if not index.isValid():
            return None
        source = self.proxy.mapToSource(index)
        year = self.model.year_of_column(source.column())
        if year is None:
            return None
        return (self.model.rows[source.row()].indicator.code, year)

    def _cell_name(self, index: QModelIndex) -> str:
        """A cell as the paste report names it: indicator code and year (7-1-1-K2 R7)."""
        if not index.isValid():
            return self.tr("表の外")
        code = str(self.proxy.index(index.row(), 0).data() or "")
        source = self.proxy.mapToSource(index)
        year = self.model.year_of_column(source.column())
        if year is not None:
            return f"{code} {year_text(year, self.lang, FiscalYearStyle.SHORT)}"
        heading = self.proxy.headerData(index.column(), Qt.Orientation.Horizontal)
        return f"{code} {heading or ''}".strip()

    def _refusal_text(self, refused: EntryResult) -> str:
        """Why a pasted cell was not saved: its errors, else its warnings (a paste carries no
        comment, so a warned value waits to be typed with one)."""
        if refused.check.errors:
            return " / ".join(f.message(self.lang) for f in refused.check.errors)
        warnings = " / ".join(f.message(self.lang) for f in refused.check.warnings)
        if warnings:
            return warnings + self.tr(
                "（コメント待ち: コメントがないため保存していません。"
                "コメントを付けて入力してください）"
            )
        return " / ".join(f.message(self.lang) for f in refused.refused_because)

    def _report_paste(self, problems: list[str], saved: int = 0) -> None:
        """One modal report naming every cell not saved, with why; it takes the focus. Blank
        pasted cells over stored values are named too (in the status bar without a report)."""
        self.last_paste_problems = problems
        unsaved = len(problems)
        if self.kept_blank:
            note = self.tr(
                "空欄のセルは貼り付けていません（値はそのまま。消すときは Delete）: {0}"
            ).format("、".join(self.kept_blank[:5]) + ("…" if len(self.kept_blank) > 5 else ""))
            self.status.setText(f"{self.status.text()}　{note}".strip("　"))
            if problems:
                problems = [*problems, note]
                self.last_paste_problems = problems
        if not problems:
            return

        box = QDialog(self.widget)
        box.setObjectName("paste_report")
        box.setWindowTitle(self.tr("貼り付けできなかったセル"))
        box.setModal(True)
        layout = QVBoxLayout(box)
        if saved:
            summary = self.tr(
                "{0} 個のセルは保存していません（表では赤で示しています）。"
                "ほかの {1} 個のセルは保存しました。"
            ).format(unsaved, saved)
        else:
            summary = self.tr(
                "{0} 個のセルは保存していません（表では赤で示しています）。"
                "保存したセルはありません。"
            ).format(unsaved)
        summary_label = QLabel(summary)
        summary_label.setObjectName("paste_summary")
        layout.addWidget(summary_label)
        listing = QPlainTextEdit("\n".join(problems))
        listing.setObjectName("paste_problems")
        listing.setReadOnly(True)
        listing.setTabChangesFocus(True)
        layout.addWidget(listing)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(box.reject)
        layout.addWidget(buttons)
        box.resize(640, 320)
        box.finished.connect(lambda _result: self.grid.setFocus())
        box.open()
        box.raise_()
        box.activateWindow()
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        self.paste_report = box

    def copy_selection(self) -> str:
        """Ctrl+C: the selected block as tab-separated lines, as Excel and Calc paste them.

        Values are the stored numbers without thousands separators (a clerk's spreadsheet
        reads 1225 the same in every locale); other columns as shown.
        """
        indexes = self.grid.selectionModel().selectedIndexes()
        if not indexes:
            current = self.grid.currentIndex()
            indexes = [current] if current.isValid() else []
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = []
        for row in range(rows[0], rows[-1] + 1):
            cells = []
            for column in range(columns[0], columns[-1] + 1):
                text = ""
                if (row, column) in chosen:
                    index = self.proxy.index(row, column)
                    source = self.proxy.mapToSource(index)
                    role = Qt.ItemDataRole.DisplayRole
                    numbers = (4, self.model.target_column)  # baseline and target
                    if (
                        self.model.year_of_column(source.column()) is not None
                        or source.column() in numbers
                    ):
                        role = Qt.ItemDataRole.EditRole
                    value = index.data(role)
                    text = "" if value is None else str(value)
                cells.append(" ".join(text.replace("\t", " ").splitlines()))
            lines.append("\t".join(cells))
        block = "\n".join(lines) + "\n"
        QGuiApplication.clipboard().setText(block)
        self.status.setText(
            self.tr("{0} 行 × {1} 列をコピーしました").format(len(lines), len(columns))
        )
        return block


def _cell_of(result: EntryResult) -> tuple[str, int]:
    """The grid cell a result is about: (indicator, year)."""
    return (result.request.indicator_code, result.request.fiscal_year)
