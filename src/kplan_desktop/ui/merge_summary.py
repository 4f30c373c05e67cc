"""What a merge wrote, file by file, once it is done."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kplan_desktop.exchange.payload import RowOutcome
from kplan_desktop.ui.merge_preview_model import (
    MergedFile,
    MergePreviewModel,
    PlannedFile,
)


@dataclass(frozen=True)
class SummaryLine:
    """One file in the summary after 取り込む."""

    file: str
    counts: dict[RowOutcome, int]
    written: bool
    why: str


class MergeSummaryDialog(QDialog):
    """What 取り込む did, per file, in the order the files were chosen (s8 trial finding 7: a
    file refused whole is named as every other is): the counts, whether it was written, and
    why not."""

    def __init__(
        self,
        merged: list[MergedFile],
        files: list[PlannedFile],
        *,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(self.tr("取り込みの結果"))
        lines = {m.path: self._line(m) for m in merged}
        for f in files:
            if f.plan is None:
                why = f.error.message(lang) if f.error else self.tr("読み込めません")
                lines[f.path] = SummaryLine(
                    f.path.name, {}, False, self.tr("取り込めません: {0}").format(why)
                )
        order = {f.path: n for n, f in enumerate(files)}
        chosen = sorted(lines, key=lambda path: order.get(path, len(order)))
        self.lines = [lines[path] for path in chosen]
        self.view = QTextBrowser()
        self.view.setObjectName("merge_summary")
        self.view.setHtml(self._html())
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("閉じる"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        written = sum(1 for line in self.lines if line.written)
        layout.addWidget(
            QLabel(
                self.tr("{0} ファイルのうち {1} ファイルを書き込みました。").format(
                    len(self.lines), written
                )
            )
        )
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(900, 420)

    def _line(self, merged: MergedFile) -> SummaryLine:
        report = merged.report
        if report is None:
            message = merged.error.message(self.lang) if merged.error else ""
            return SummaryLine(merged.path.name, {}, False, message)
        counts = {outcome: report.count(outcome) for outcome in RowOutcome}
        if report.written:
            changed = counts[RowOutcome.NEW] + counts[RowOutcome.UPDATED]
            why = (
                self.tr("書き込みました")
                if changed
                else self.tr("値の変更はありません（受け取ったことを記録しました）")
            )
            if merged.undecided:
                why += self.tr("。未決定の競合 {0} 件は書き込んでいません").format(merged.undecided)
        elif counts[RowOutcome.REJECTED]:
            why = self.tr("却下された行があるため、何も書き込んでいません")
        elif report.held_for_warnings:
            why = self.tr("コメントのない警告がある行 {0} 件のため、何も書き込んでいません").format(
                len(report.warned)
            )
        else:
            why = self.tr("書き込む変更はありません（取り込み済み）")
        return SummaryLine(merged.path.name, counts, report.written, why)

    def _html(self) -> str:
        e = html.escape
        probe = MergePreviewModel([], None, self.lang)
        heads = [self.tr("ファイル")] + [probe.outcome_text(o) for o in RowOutcome]
        heads += [self.tr("書き込み"), self.tr("説明")]
        rows = ["<tr>" + "".join(f"<th>{e(h)}</th>" for h in heads) + "</tr>"]
        for line in self.lines:
            counts = [str(line.counts[o]) if line.counts else "—" for o in RowOutcome]
            mark = "✔ " + self.tr("済み") if line.written else "✖ " + self.tr("なし")
            cells = [f"■ {e(line.file)}", *counts, e(mark), e(line.why)]
            colour = "#e2efd4" if line.written else "#fdecec"
            rows.append(
                f"<tr style='background:{colour}'>"
                + "".join(f"<td>{cell}</td>" for cell in cells)
                + "</tr>"
            )
        return "<table border='1' cellspacing='0' cellpadding='4'>" + "".join(rows) + "</table>"
