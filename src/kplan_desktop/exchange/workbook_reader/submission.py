"""A submission: its data sheet, the payload checksum, and edits on the printable 提出 sheet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.utils import get_column_letter

from kplan_desktop.domain.fiscal_year import MIN_FISCAL_YEAR, format_fiscal_year
from kplan_desktop.exchange.payload import (
    SubmissionHeader,
    lines_sha256,
)
from kplan_desktop.exchange.submission_layout import (
    REPORT_COMMENT_LABEL,
    REPORT_HEADER_ROW,
    SHEET_DATA,
    SHEET_REPORT,
    TEMPLATE_CODE_LABEL,
    TEMPLATE_COMMENT_LABEL,
    WRITER_MARK,
    report_value_label,
)
from kplan_desktop.exchange.workbook_reader.cells import (
    _MAX_META_TEXT,
    IncomingRow,
    IncomingWorkbook,
    Integrity,
    _blank_cell,
    _cell_text,
    _data_value,
    _layout,
    _lines,
    _norm,
    _reason_label,
    _same_as_data,
    _shown,
    _shows_value,
    _Steps,
    one_line,
)
from kplan_desktop.exchange.workbook_reader.core import BookCore


class SubmissionReader(BookCore):
    """A submission workbook (format kplan-submission/…)."""

    def submission(
        self, meta: Mapping[str, str], digest: str, application: str
    ) -> IncomingWorkbook:
        header = self.header(meta)
        missing = _layout(
            self.file, f"「{SHEET_DATA}」シートがありません", f"there is no {SHEET_DATA} sheet"
        )
        ws = self.sheet(SHEET_DATA, missing)
        first, sheet_rows = self.header_and_rows(ws, 1)
        columns = self.data_columns(first)
        steps = _Steps(header.row_count, self.progress, self.cancelled)
        rows: list[IncomingRow] = []
        # The payload rebuilt from the rows, line by line, as the writer serialised it.
        rebuilt: list[tuple[tuple[str, int], str]] = []
        seen: set[tuple[str, int]] = set()
        complete = True
        for number, cells in self.body(ws, sheet_rows, 2, max(columns.values())):
            row, line = self.data_row(number, cells, columns, seen)
            rows.append(row)
            if line is None:
                complete = False
            else:
                rebuilt.append(line)
            steps.step()
        steps.finish()
        notes_ja: list[str] = []
        notes_en: list[str] = []
        integrity: Integrity
        if complete and lines_sha256(rebuilt) == header.payload_sha256:
            ours = "openpyxl" in application.lower()
            ours = ours and self.book.properties.lastModifiedBy == WRITER_MARK
            integrity = "verified" if ours else "resaved"
            if not ours:
                app = application[:60] or "不明"
                notes_ja.append(
                    f"プログラムの外で保存し直されています（{app}）。データは出力時と同じです"
                )
                notes_en.append(
                    f"saved again outside the program ({application[:60] or 'unknown'}); "
                    "the data is as exported"
                )
        else:
            integrity = "edited"
            notes_ja.append(
                "データがプログラムの外で編集されています（チェックサム不一致）。"
                "すべての行を検証します"
            )
            notes_en.append(
                "the data was edited outside the program (checksum mismatch); "
                "every row will be checked"
            )
        if len(rows) != header.row_count:
            notes_ja.append(f"行数が出力時（{header.row_count}行）と違います（{len(rows)}行）")
            notes_en.append(f"{len(rows)} rows, but {header.row_count} when exported")
        # Only a file a spreadsheet program saved can have its 提出 sheet edited by hand; the
        # program's own files skip the extra sheet (a merge reads dozens of them).
        written_here = "openpyxl" in application.lower()
        written_here = written_here and self.book.properties.lastModifiedBy == WRITER_MARK
        # With the data untouched (re-saved), a change on 提出 refuses its row; with the data
        # edited, the data's value is taken and a 提出 sheet that disagrees is said on the row.
        report_rows = (
            None if written_here else self.report_edits(header, rows, refuse=integrity != "edited")
        )
        if report_rows:
            rows = report_rows
        mark = f"「{SHEET_REPORT}」シート"
        if report_rows and integrity == "edited":
            # Only the rows whose data disagrees with the printable sheet are marked edited.
            rows = [
                replace(row, edited_outside=any(mark in n for n in row.notes_ja)) for row in rows
            ]
            differ = [f"{r.indicator} {r.fiscal_year}" for r in rows if r.edited_outside]
            notes_ja.append(
                f"データシートが「{SHEET_REPORT}」シートと違う行（{len(differ)}件）: "
                + "、".join(differ)
            )
            notes_en.append(
                f"{len(differ)} row{'s' if len(differ) != 1 else ''} of the data sheet "
                f"differ{'s' if len(differ) == 1 else ''} from the {SHEET_REPORT} sheet: "
                + ", ".join(differ)
            )
        if report_rows and any(mark in (row.problem_ja or "") for row in report_rows):
            notes_ja.append(
                f"⚠「{SHEET_REPORT}」シートの値が変更されています。その行は取り込みません"
                "（課でプログラムに入力し、出力し直してください）"
            )
            notes_en.append(
                f"values were changed on the {SHEET_REPORT} sheet; those rows are not merged "
                "(the department enters them in the program and exports again)"
            )
        if header.draft:
            notes_ja.append("下書き（未確定）の提出書です")
            notes_en.append("this submission is a draft (not finalised)")
        if meta.get("draft", "") != ("yes" if header.draft else "no"):
            notes_ja.append("meta シートの draft と確定日時が食い違っています")
            notes_en.append("the meta sheet's draft flag disagrees with finalised_at")
        evaluations, verified = self.evaluations(header)
        differences = self.visible_differences(header.fiscal_year, rows)
        if evaluations and not verified:
            notes_ja.append("施策評価がプログラムの外で編集されています（チェックサム不一致）")
            notes_en.append("the measure evaluations were edited outside the program")
        return IncomingWorkbook(
            kind="submission",
            integrity=integrity,
            department=header.department,
            fiscal_year=header.fiscal_year,
            catalog_hash=header.catalog_hash or None,
            header=header,
            rows=rows,
            sha256=digest,
            notes_ja=notes_ja,
            notes_en=notes_en,
            evaluations=evaluations,
            evaluations_verified=verified,
            visible_differences=differences,
        )

    def report_edits(
        self, header: SubmissionHeader, rows: list[IncomingRow], *, refuse: bool
    ) -> list[IncomingRow] | None:
        """The rows again, when a clerk changed this year's values on the printable 提出 sheet:
        the merge reads the data sheet, so such a change would be lost without a word. Each
        changed value is a problem of its row, naming the cell; a value typed where the data
        has none is a row of its own. None when the 提出 sheet agrees (or is not there)."""
        if SHEET_REPORT not in self.book.sheetnames:
            return None
        ws = self.book[SHEET_REPORT]
        if not hasattr(ws, "iter_rows"):
            return None
        year_label = format_fiscal_year(header.fiscal_year) + "実績"
        # Every year's 実績 column the sheet shows (this year's and the earlier ones), and the
        # comment column: each is held by the data sheet too, so a change is never ignored.
        year_of = {
            format_fiscal_year(year) + "実績": year
            for year in range(max(MIN_FISCAL_YEAR, header.fiscal_year - 20), header.fiscal_year + 1)
        }
        code_col = None
        year_cols: dict[int, int] = {}
        comment_col: int | None = None
        sheet = ws.iter_rows(min_row=1, max_row=self.limits.max_rows + self.limits.header_rows)
        for row in sheet:
            labels = [_norm(str(c.value)).replace("\n", "") if c.value else "" for c in row]
            if TEMPLATE_CODE_LABEL in labels and year_label in labels:
                code_col = labels.index(TEMPLATE_CODE_LABEL)
                year_cols = {
                    i: year_of[label] for i, label in enumerate(labels) if label in year_of
                }
                if TEMPLATE_COMMENT_LABEL in labels:
                    comment_col = labels.index(TEMPLATE_COMMENT_LABEL)
                break
        if code_col is None:
            return None
        shown = {(row.indicator, row.fiscal_year): row for row in rows if row.problem_ja is None}
        changed: dict[tuple[str, int | None], tuple[str, str]] = {}
        extra: list[IncomingRow] = []
        for row in sheet:
            if len(row) <= code_col:
                continue
            code_text, _ = _cell_text(row[code_col], _MAX_META_TEXT)
            code = (code_text or "").strip()
            if not code:
                continue
            if comment_col is not None and comment_col < len(row):
                cell = row[comment_col]
                text, _ = _cell_text(cell, self.limits.max_cell_chars)
                data = shown.get((code, header.fiscal_year))
                held = "" if data is None else data.comment
                # As for values, only what was typed counts (an empty cell takes nothing
                # away); spacing and line breaks as the sheet shows them do not count.
                if text and text.strip() and "".join(text.split()) != "".join(held.split()):
                    where = str(getattr(cell, "coordinate", "") or "")
                    typed = one_line((text or "空欄")[:40])
                    changed[(code, header.fiscal_year)] = (where, f"コメント「{typed}」")
            for value_col, year in year_cols.items():
                if value_col >= len(row):
                    continue
                cell = row[value_col]
                text, _ = _cell_text(cell, self.limits.max_cell_chars)
                data = shown.get((code, year))
                # Only what was typed there counts: an empty cell takes nothing away.
                if text is None or not text.strip() or _same_as_data(text, data):
                    continue
                where = str(getattr(cell, "coordinate", "") or "")
                typed = one_line((text or "空欄")[:40])
                if data is not None:
                    changed[(code, year)] = (where, typed)
                    continue
                extra.append(
                    IncomingRow(
                        sheet_row=getattr(cell, "row", 0) or 0,
                        indicator=code,
                        fiscal_year=year,
                        value_text=None,
                        missing_reason=None,
                        comment="",
                        entered_by=None,
                        entered_at=None,
                        revision=None,
                        replaces=None,
                        problem_ja=f"「{SHEET_REPORT}」シートの {where} に値（{typed}）が入力されて"
                        "いますが、提出データにありません。取り込みません",
                        problem_en=f"a value ({typed}) was typed in {where} on the {SHEET_REPORT} "
                        "sheet, but the submission's data has none; not merged",
                        value_cell=where or None,
                    )
                )
        if not changed and not extra:
            return None
        out: list[IncomingRow] = []
        for row in rows:
            edit = changed.get((row.indicator, row.fiscal_year))
            if edit is None:
                out.append(row)
                continue
            where, typed = edit
            data_text = row.value_text or _reason_label(row.missing_reason)
            if typed.startswith("コメント"):
                data_text = f"コメント「{row.comment}」" if row.comment else None
            if not refuse:
                out.append(
                    replace(
                        row,
                        notes_ja=(
                            *row.notes_ja,
                            f"「{SHEET_REPORT}」シートの {where} は {typed}"
                            f"（データの値 {data_text or '空欄'} を取り込みます）",
                        ),
                        notes_en=(
                            *row.notes_en,
                            f"{where} on the {SHEET_REPORT} sheet shows {typed} (the data's "
                            f"{data_text or 'empty'} is merged)",
                        ),
                    )
                )
                continue
            out.append(
                replace(
                    row,
                    problem_ja=f"「{SHEET_REPORT}」シートの {where} が {typed} に変更されています"
                    f"（提出データ: {data_text or '空欄'}）。取り込みません",
                    problem_en=f"{where} on the {SHEET_REPORT} sheet was changed to {typed} "
                    f"(the submission's data: {data_text or 'empty'}); not merged",
                )
            )
        return out + extra

    def visible_differences(
        self, fiscal_year: int, rows: Sequence[IncomingRow]
    ) -> list[tuple[str, str, str]]:
        """Every value and comment cell of the 提出 sheet compared with the data row it shows.

        The data sheet is what is signed and merged; the 提出 sheet is what people read and
        print. They are compared by meaning (a number as a decimal, a reason by its label, a
        comment as text), so a re-save by Excel or LibreOffice, which keeps both, passes; a
        visible cell changed by hand (or a formula put in one) is a difference.
        """
        if SHEET_REPORT not in self.book.sheetnames:
            return []
        ws = self.book[SHEET_REPORT]
        if not hasattr(ws, "iter_rows"):
            return [(SHEET_REPORT, "?", "")]
        # One row per indicator of the department, not per data row: not held to the data
        # sheet's row limit (header_and_rows reads no further than the scan allows anyway).
        first, sheet_rows = self.header_and_rows(ws, REPORT_HEADER_ROW)

        def squeezed(value: object) -> str:
            return "".join(str(value).split()) if isinstance(value, str) else ""

        labels = [squeezed(getattr(cell, "value", None)) for cell in first]
        wanted = squeezed(report_value_label(fiscal_year))
        if wanted not in labels or squeezed(REPORT_COMMENT_LABEL) not in labels:
            return [(f"{SHEET_REPORT}!{REPORT_HEADER_ROW}", "?", "")]
        value_at = labels.index(wanted)
        comment_at = labels.index(squeezed(REPORT_COMMENT_LABEL))
        data = {row.indicator: row for row in rows if row.fiscal_year == fiscal_year}
        found: list[tuple[str, str, str]] = []
        width = max(value_at, comment_at) + 1
        for number, row_cells in enumerate(sheet_rows, start=REPORT_HEADER_ROW + 1):
            cells = (*row_cells[:width], *(EMPTY_CELL,) * (width - len(row_cells)))
            if all(_blank_cell(cell) for cell in cells):
                continue
            code_text, _ = _cell_text(cells[0], 64)
            code = (code_text or "").strip()
            row = data.get(code)
            value_cell, comment_cell = cells[value_at], cells[comment_at]
            if not _shows_value(value_cell, row):
                place = f"{SHEET_REPORT}!{get_column_letter(value_at + 1)}{number}"
                found.append((place, _shown(value_cell), _data_value(row)))
            stored_comment = "" if row is None else row.comment
            shown_comment, problem = _cell_text(comment_cell, 100_000)
            if problem is not None or _lines(shown_comment) != _lines(stored_comment):
                place = f"{SHEET_REPORT}!{get_column_letter(comment_at + 1)}{number}"
                found.append((place, _shown(comment_cell), stored_comment[:40]))
        return found
