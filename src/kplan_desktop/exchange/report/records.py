"""The 提出状況, 検証結果, 取込結果 and 参考データ sheets."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from kplan_desktop.domain.achievement import Grade
from kplan_desktop.domain.validation import Severity
from kplan_desktop.exchange.cells import format_decimals
from kplan_desktop.exchange.payload import MergeReport, RowOutcome, SubmissionRecord
from kplan_desktop.exchange.report.base import (
    _KIND_JA,
    _SEVERITY_JA,
    _TICK_ROWS,
    SHEET_FINDINGS,
    SHEET_MERGES,
    SHEET_REFERENCE,
    SHEET_SUBMISSIONS,
    Written,
    _local,
    _Sheet,
    _styled,
    _year_text,
)
from kplan_desktop.exchange.report.core import WriterCore

if TYPE_CHECKING:
    from openpyxl.cell import Cell


class RecordSheets(WriterCore):
    """提出状況, 検証結果, 取込結果, 参考データ."""

    # -- 提出状況 ------------------------------------------------------------------------------

    def submissions(self) -> None:
        styles = self.styles
        sheet = self.sheet(
            SHEET_SUBMISSIONS,
            [12, 20, 11, 8, 18, 20, 30, 16, 14, 16, 16, 14, 8],
            freeze="A2",
            title_rows="1:1",
        )
        self.header(
            sheet,
            [
                "課コード",
                "課名",
                "年度",
                "指標数",
                "状況",
                "種別",
                "ファイル",
                "書出日時",
                "確定者",
                "確定日時",
                "取込日時",
                "取込者",
                "行数",
            ],
        )
        owned = Counter(row.indicator.department for row in self.rows)
        latest: dict[tuple[str, int], SubmissionRecord] = {}
        for received in self.data.submissions:
            key = (received.department, received.fiscal_year)
            if key not in latest or _local(received.merged_at) >= _local(latest[key].merged_at):
                latest[key] = received
        years = [y for y in self.years if y <= self.fiscal_year] or [self.fiscal_year]
        departments = list(self.data.catalog.departments)
        known = {d.code for d in departments}
        extra = sorted({code for code, _ in latest} - known)
        rows = 0
        by_code = {d.code: d for d in departments}
        for code, name, active in [
            *((d.code, d.name, d.active) for d in departments),
            *((c, c, True) for c in extra),
        ]:
            for year in years:
                # A renamed 課 shows the name it had that year.
                if code in by_code:
                    name = by_code[code].name_for(year)
                record = latest.get((code, year))
                if record is not None:
                    status = sheet.text("提出済み", styles.good)
                elif owned.get(code, 0):
                    status = sheet.text("未提出", styles.warning)
                else:
                    status = sheet.text("対象外（指標なし）", styles.muted)
                shown_name = name if active else f"{name}（廃止）"
                cells: list[object] = [
                    sheet.text(code),
                    sheet.text(shown_name),
                    self.year_labels.get(year) or _year_text(year),
                    owned.get(code, 0),
                    status,
                ]
                if record is not None:
                    cells += [
                        sheet.text(_KIND_JA.get(record.kind, record.kind)),
                        sheet.text(record.file),
                        self._moment(sheet, record.exported_at),
                        sheet.text(record.finalised_by),
                        self._moment(sheet, record.finalised_at),
                        self._moment(sheet, record.merged_at),
                        sheet.text(record.merged_by),
                        record.rows,
                    ]
                sheet.append(cells)
                rows += 1
        sheet.ws.auto_filter.ref = f"A1:M{max(rows + 1, 2)}"
        self.tick()

    def _moment(self, sheet: _Sheet, moment: datetime | None) -> Cell | None:
        return None if moment is None else sheet.styled(_local(moment), self.styles.moment)

    # -- 検証結果 ------------------------------------------------------------------------------

    def findings(self) -> None:
        styles = self.styles
        sheet = self.sheet(
            SHEET_FINDINGS,
            [12, 36, 16, 11, 8, 24, 70],
            freeze="A2",
            title_rows="1:1",
        )
        self.header(sheet, ["指標コード", "指標名", "担当課", "年度", "重大度", "コード", "内容"])
        by_code = {row.indicator.code: row for row in self.rows}
        open_findings = sorted(
            (f for f in self.data.findings if not f.explained),
            key=lambda f: (
                f.finding.severity is not Severity.ERROR,
                f.indicator_code,
                f.fiscal_year,
                f.finding.code,
            ),
        )
        for found in open_findings:
            row = by_code.get(found.indicator_code)
            severity = found.finding.severity
            sheet.append(
                [
                    sheet.text(found.indicator_code),
                    sheet.text(row.name if row is not None else ""),
                    sheet.text(row.department if row is not None else ""),
                    _year_text(found.fiscal_year),
                    sheet.text(
                        _SEVERITY_JA[severity],
                        styles.grade[Grade.D] if severity is Severity.ERROR else styles.warning,
                    ),
                    sheet.text(found.finding.code),
                    sheet.text(found.finding.message_ja, styles.wrap),
                ]
            )
        if not open_findings:
            sheet.append([sheet.text("未解決の検証結果はありません。", styles.muted)])
        else:
            sheet.ws.auto_filter.ref = f"A1:G{sheet.row}"
        self.tick(len(self.data.findings))

    # -- 取込結果 ------------------------------------------------------------------------------

    def merges(self) -> None:
        styles = self.styles
        sheet = self.sheet(
            SHEET_MERGES,
            [28, 16, 14, 16, 16, 10, 7, 12, 11, 9, 44, 14, 14],
            freeze="A2",
            title_rows="1:1",
        )
        self.header(
            sheet,
            [
                "ファイル",
                "取込日時",
                "取込者",
                "種別",
                "課",
                "処理",
                "行",
                "指標",
                "年度",
                "結果",
                "理由",
                "ファイルの値",
                "DBの値",
            ],
        )
        outcome_styles = {
            RowOutcome.NEW: styles.good,
            RowOutcome.UPDATED: styles.good,
            RowOutcome.CONFLICT: styles.warning,
            RowOutcome.REJECTED: styles.grade[Grade.D],
        }
        pending = 0
        for report in self.data.merge_reports:
            if report.dry_run:
                action = "試行"
            elif report.written:
                action = "取込"
            else:
                action = "書込なし"
            code = report.department or ""
            department = self.departments.get(code, code)
            for note in report.notes_ja:
                sheet.append(
                    [
                        *self._merge_head(sheet, report, department, action),
                        None,
                        None,
                        None,
                        sheet.text("ファイル全体", styles.muted),
                        sheet.text(note, styles.wrap),
                    ]
                )
            for line in report.lines:
                reason = line.reason_ja
                sheet.append(
                    [
                        *self._merge_head(sheet, report, department, action),
                        line.sheet_row,
                        sheet.text(line.indicator),
                        _year_text(line.fiscal_year),
                        sheet.text(line.outcome.label_ja, outcome_styles.get(line.outcome)),
                        sheet.text(reason, styles.wrap if "\n" in reason else None),
                        sheet.text(line.file_value),
                        sheet.text(line.db_value),
                    ]
                )
                pending += 1
                if pending == _TICK_ROWS:
                    self.tick(pending)
                    pending = 0
            pending += len(report.notes_ja)
        if not self.data.merge_reports:
            sheet.append([sheet.text("取込の記録はありません。", styles.muted)])
        else:
            sheet.ws.auto_filter.ref = f"A1:M{max(sheet.row, 2)}"
        self.tick(pending)

    def _merge_head(
        self, sheet: _Sheet, report: MergeReport, department: str, action: str
    ) -> list[Written]:
        # Every row names its file, so a filtered view still says where each line came from.
        return [
            sheet.text(report.file),
            self._moment(sheet, report.merged_at),
            sheet.text(report.merged_by),
            sheet.text(_KIND_JA.get(report.kind, report.kind)),
            sheet.text(department),
            sheet.text(action),
        ]

    # -- 参考データ ----------------------------------------------------------------------------

    def reference(self) -> None:
        styles = self.styles
        tables = self.data.catalog.reference_tables
        width = max((len(t.columns) for t in tables), default=0)
        sheet = self.sheet(SHEET_REFERENCE, [14, *[12] * width])
        sheet.append([sheet.text("参考データ", styles.title)])
        sheet.skip()
        for table in tables:
            sheet.append([sheet.text(table.title, styles.subtitle)])
            details = [f"単位: {table.unit}"]
            if table.source:
                details.append(f"出典: {table.source}")
            sheet.append([sheet.text("　".join(details), styles.muted)])
            if table.note:
                sheet.append([sheet.text(table.note, styles.muted)])
            self.header(sheet, ["", *table.columns])
            for label, values in table.rows:
                sheet.append(
                    [
                        sheet.text(label, styles.label),
                        *[
                            None
                            if v is None
                            else _styled(sheet.ws, v, styles.number(None, format_decimals(v)))
                            for v in values
                        ],
                    ]
                )
            sheet.skip()
        if not tables:
            sheet.append([sheet.text("参考データはありません。", styles.muted)])
        self.tick()
