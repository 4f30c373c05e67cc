"""A fill-in template (記入票): its columns found by header, rows by code, stray cells named."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation_number import E_GENERATION_CELL
from kplan_desktop.domain.values import DASH_PROBLEM, is_dash
from kplan_desktop.exchange.gate.limits import layout_rejection, rejection
from kplan_desktop.exchange.submission_layout import (
    SHEET_META,
    SHEET_TEMPLATE,
    TEMPLATE_CODE_LABEL,
    TEMPLATE_COMMENT_LABEL,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_REASON_LABEL,
    TEMPLATE_VALUE_LABEL,
    TEMPLATE_WRITTEN_KEY,
    WrittenCells,
    written_digest,
    written_label,
)
from kplan_desktop.exchange.workbook_reader.cells import (
    _EMPTY,
    _MAX_META_TEXT,
    _TEMPLATE_LABELS,
    _TEMPLATE_REFERENCE_MARK,
    IncomingRow,
    IncomingWorkbook,
    _blank,
    _blank_cell,
    _cell_text,
    _column_letter,
    _norm,
    _RowCells,
    _TemplateColumns,
    bare_number,
    one_line,
)
from kplan_desktop.exchange.workbook_reader.core import BookCore
from kplan_desktop.progress import Steps

if TYPE_CHECKING:
    from kplan_desktop.exchange.sheet_types import ReadSheet
    from kplan_desktop.exchange.workbook_reader.cells import ReadCell


class TemplateReader(BookCore):
    """A fill-in template (format kplan-template/…)."""

    def template(self, meta: Mapping[str, str], digest: str) -> IncomingWorkbook:
        department = self.meta_text(meta, "department")
        fiscal_year = self.meta_year(meta)
        generation, generation_cell = self.generation()
        ws, columns, notes_ja, notes_en = self.template_sheet(fiscal_year)
        written_text = meta.get(TEMPLATE_WRITTEN_KEY)
        written = None if written_text is None else WrittenCells.from_text(written_text)
        if written_text is not None and written is None:
            raise self.meta_error(TEMPLATE_WRITTEN_KEY, written_text)
        if written is not None and written.generation not in (None, generation):
            # No checksum covers a template: what it was written for is the fingerprint's.
            place = f"{SHEET_META} シート {generation_cell or '（計画期の行がありません）'}"
            place_en = f"sheet {SHEET_META}, " + (
                f"cell {generation_cell}" if generation_cell else "no generation row"
            )
            raise rejection(
                E_GENERATION_CELL,
                self.file,
                f"{place} の計画期（第{generation}期）が、記入票を作ったときの計画期"
                f"（第{written.generation}期）から書き換えられています",
                f"{place_en}: the plan generation ({generation}) was changed from the one the "
                f"template was made for ({written.generation})",
            )
        checked = self.checked_columns(ws, written)
        _, sheet_rows = self.header_and_rows(ws, TEMPLATE_HEADER_ROW, max_col=None)
        code_col, value_col = columns.code, columns.value
        reason_col, comment_col = columns.reason, columns.comment
        # The declared size is only a hint for the progress bar: Calc declares A1:H1048576
        # after a row was deleted (the scan counts the rows that hold content).
        declared = getattr(ws, "max_row", None)
        total = declared - TEMPLATE_HEADER_ROW if isinstance(declared, int) else 0
        total = min(total, self.limits.max_rows)
        steps = Steps(total, self.progress, self.cancelled)
        limit = self.limits.max_cell_chars
        rows: list[IncomingRow] = []
        seen: set[tuple[str, int]] = set()
        width = max(code_col, value_col, reason_col, comment_col)
        present: set[str] = set()
        left_empty: list[str] = []
        for number, full in self.body(ws, sheet_rows, TEMPLATE_HEADER_ROW + 1, None):
            steps.step()
            cells = full[:width] + tuple(_EMPTY for _ in range(width - len(full)))
            row = _RowCells(cells, limit, str(ws.title))
            code = (row.text(code_col, TEMPLATE_CODE_LABEL) or "").strip()
            value = row.text(value_col, TEMPLATE_VALUE_LABEL, value_cell=True)
            if is_dash(value):
                row.problems.add_cell(row.where(value_col), DASH_PROBLEM)
            reason_text = row.text(reason_col, TEMPLATE_REASON_LABEL, value_cell=True)
            comment = row.text(comment_col, TEMPLATE_COMMENT_LABEL) or ""
            problems = row.problems
            stray = columns.stray(full)
            inputs_blank = all(row.blank(c) for c in (value_col, reason_col, comment_col))
            changed = self.changed_cells(written, checked, code, full)
            present.add(code)
            if not problems and inputs_blank and not stray and not changed:
                protection = getattr(cells[value_col - 1], "protection", None)
                if code and getattr(protection, "locked", True) is False:
                    left_empty.append(code)
                continue
            if changed:
                shown_ja = "、".join(f"セル {where}「{text}」" for where, text in changed)
                shown_en = ", ".join(f"cell {where} {text!r}" for where, text in changed)
                target = row.where(value_col)
                problems.add_cell(
                    changed[0][0],
                    (
                        f"記入票が書いたセルの内容が変わっています（{shown_ja}）。"
                        f"指標名・単位・参考の年度の列は取り込みません。"
                        f"この年度の値はセル {target} に入力してください",
                        f"a cell the template wrote was changed ({shown_en}); the name, unit "
                        f"and earlier-year columns are not merged: type this year's value in "
                        f"cell {target}",
                    ),
                )
            stray_ja = "、".join(f"{where}「{text}」" for where, text in stray)
            stray_en = ", ".join(f"{where} {text!r}" for where, text in stray)
            row_notes_ja: tuple[str, ...] = ()
            row_notes_en: tuple[str, ...] = ()
            if stray and inputs_blank:
                # Only outside the columns: a value typed in the wrong place, never "no value".
                problems.add_cell(
                    stray[0][0],
                    (
                        f"実績値・未記入の理由・コメントの列の外に入力があります（{stray_ja}）。"
                        "取り込む値は実績値の列に入力してください",
                        f"something was typed outside the value, reason and comment columns "
                        f"({stray_en}); type the value in the value column",
                    ),
                )
            elif stray:
                row_notes_ja = (f"入力欄の外の内容は取り込みません: {stray_ja}",)
                row_notes_en = (f"not merged, outside the input columns: {stray_en}",)
            if not code:
                problems.add_cell(
                    row.where(code_col),
                    ("指標コードが空です", "no indicator code"),
                    TEMPLATE_CODE_LABEL,
                )
            reason = self.reason(
                reason_text, problems, TEMPLATE_REASON_LABEL, row.where(reason_col)
            )
            self.duplicate(code, fiscal_year, seen, problems, row.where(code_col))
            problem_ja, problem_en = problems.texts()
            rows.append(
                IncomingRow(
                    sheet_row=number,
                    indicator=code,
                    fiscal_year=fiscal_year,
                    value_text=None if _blank(value) else value,
                    missing_reason=reason,
                    comment=comment,
                    entered_by=None,
                    entered_at=None,
                    revision=None,
                    replaces=None,
                    problem_ja=problem_ja,
                    problem_en=problem_en,
                    value_cell=row.where(value_col) or None,
                    value_sheet=str(ws.title),
                    notes_ja=row_notes_ja,
                    notes_en=row_notes_en,
                    bare_number=bare_number(cells[value_col - 1]),
                )
            )
        steps.finish()
        if written is not None:
            deleted = [code for code in written.rows if code not in present]
            for code in deleted:
                notes_ja.append(
                    f"⚠ 指標 {code} の行がありません（削除されています）。"
                    "この指標は取り込んでいません"
                )
                notes_en.append(
                    f"⚠ the row of indicator {code} is missing (deleted); nothing merged for it"
                )
        if left_empty and rows:
            count = len(left_empty)
            notes_ja.append(f"値も未記入の理由もない指標（{count}件）: {'、'.join(left_empty)}")
            notes_en.append(
                f"{count} indicator{'s' if count != 1 else ''} with neither a value nor a "
                f"reason: {', '.join(left_empty)}"
            )
        return IncomingWorkbook(
            kind="template",
            integrity="template",
            department=department,
            fiscal_year=fiscal_year,
            catalog_hash=meta.get("catalog_hash") or None,
            header=None,
            rows=rows,
            sha256=digest,
            # (The merge says that it is a template; the reader says only what it saw.)
            notes_ja=[*notes_ja]
            + ([] if rows else ["⚠ 記入された値が1つもありません（空の記入票です）"]),
            notes_en=[*notes_en]
            + ([] if rows else ["⚠ nothing was filled in (an empty template)"]),
            generation=generation,
            generation_cell=generation_cell,
        )

    def checked_columns(self, ws: ReadSheet, written: WrittenCells | None) -> list[tuple[int, int]]:
        """(index in written.labels, column) of the name, unit and earlier-year columns this
        file still has; first refuses the file when a cell above the header row holds content the
        template did not write (a value typed there would be lost)."""
        if written is None:
            return []
        top_rows = ws.iter_rows(min_row=1, max_row=TEMPLATE_HEADER_ROW - 1)
        for cell in (cell for row in top_rows for cell in row):
            if _blank_cell(cell):
                continue
            where = str(getattr(cell, "coordinate", ""))
            digest = written_digest(cell.value)
            if written.top.get(where) != digest:
                text, _ = _cell_text(cell, 40)
                shown = one_line((text or "?")[:40])
                moved_from = _moved_from(written.top, where, digest)
                if moved_from is not None:
                    raise self.columns_moved(ws, moved_from, where, shown)
                raise layout_rejection(
                    self.file,
                    f"「{one_line(ws.title)}」シートのセル {where} に記入票が書いていない内容"
                    f"（「{shown}」）があります。見出しの部分は取り込みません。"
                    "値は実績値の列に入力し、このセルは元に戻してください",
                    f"cell {where} of the {one_line(ws.title)} sheet holds {shown!r}, which "
                    "the template did not write; the header area is not merged: type values "
                    "in the value column and undo this cell",
                )
        header = next(ws.iter_rows(min_row=TEMPLATE_HEADER_ROW, max_row=TEMPLATE_HEADER_ROW), ())
        where_label: dict[str, int] = {}
        for index, cell in enumerate(header):
            if isinstance(cell.value, str):
                where_label.setdefault(written_label(cell.value), index + 1)
        return [
            (i, where_label[label])
            for i, label in enumerate(written.labels)
            if label in where_label
        ]

    def columns_moved(self, ws: ReadSheet, before: str, now: str, shown: str) -> Exception:
        """A heading the template wrote found in another column of its row: columns were
        inserted or deleted left of it (after the sheet was unprotected)."""
        inserted = _column_number(now) > _column_number(before)
        what_ja = "挿入" if inserted else "削除"
        what_en = "inserted" if inserted else "deleted"
        sheet = one_line(ws.title)
        return layout_rejection(
            self.file,
            f"「{sheet}」シートで列が{what_ja}されています（記入票が {before} に書いた"
            f"「{shown}」が {now} に移っています）。列の{what_ja}を元に戻してください"
            "（メモは表の右の空いた列に書けます）",
            f"columns were {what_en} in the {sheet} sheet (the heading {shown!r} the template "
            f"wrote in {before} is now in {now}): undo the column change (a memo can go in an "
            "empty column right of the table)",
        )

    @staticmethod
    def changed_cells(
        written: WrittenCells | None,
        checked: list[tuple[int, int]],
        code: str,
        cells: tuple[ReadCell, ...],
    ) -> list[tuple[str, str]]:
        """Cells of the row in the name, unit and earlier-year columns whose content is not
        what the template wrote there: (address, text). Emptied cells are not counted."""
        if written is None or code not in written.rows:
            return []
        digests = written.rows[code]
        found: list[tuple[str, str]] = []
        for index, column in checked:
            if column > len(cells) or _blank_cell(cells[column - 1]):
                continue
            cell = cells[column - 1]
            if written_digest(cell.value) != digests[index]:
                text, _ = _cell_text(cell, 40)
                where = getattr(cell, "coordinate", None) or _column_letter(column)
                found.append((str(where), one_line((text or "?")[:40])))
        return found

    def template_sheet(
        self, fiscal_year: int
    ) -> tuple[ReadSheet, _TemplateColumns, list[str], list[str]]:
        """The sheet the values are typed in, and notes on the others.

        Normally 記入. A clerk may rename it (then the one sheet laid out as a template is read,
        and a note says so) or copy it: a copy with anything in its input columns, or any other
        sheet with content, refuses the file, because values there would be lost.
        """
        notes_ja: list[str] = []
        notes_en: list[str] = []
        laid_out: list[tuple[ReadSheet, _TemplateColumns]] = []
        others: list[ReadSheet] = []
        for name in self.book.sheetnames:
            if name == SHEET_META:
                continue
            ws = cast("ReadSheet", self.book[name])
            if not hasattr(ws, "iter_rows"):
                continue
            header = next(
                ws.iter_rows(min_row=TEMPLATE_HEADER_ROW, max_row=TEMPLATE_HEADER_ROW), ()
            )
            # The sheet named 記入 must be laid out as the template wrote it (else the message
            # names what is missing); another sheet may be anything.
            strict = name == SHEET_TEMPLATE
            columns = self.template_columns(header, fiscal_year, name, strict=strict)
            if columns is None:
                others.append(ws)
            else:
                laid_out.append((ws, columns))
        main = [item for item in laid_out if item[0].title == SHEET_TEMPLATE]
        if not main and len(laid_out) == 1:
            main = laid_out
            shown = one_line(laid_out[0][0].title)
            notes_ja.append(
                f"記入シートの名前が「{shown}」に変わっています（内容は読み取りました）"
            )
            notes_en.append(f"the {SHEET_TEMPLATE} sheet was renamed {shown!r} (read anyway)")
        if not main:
            if laid_out:
                names = "」「".join(one_line(ws.title) for ws, _ in laid_out)
                raise layout_rejection(
                    self.file,
                    f"「{SHEET_TEMPLATE}」シートがなく、記入票の形のシートが複数あります"
                    f"（「{names}」）。どれに入力したか分からないため読み込みません",
                    f"there is no {SHEET_TEMPLATE} sheet, and several sheets are laid out as one "
                    f"({names}); which one holds the values is unclear",
                )
            raise layout_rejection(
                self.file,
                f"「{SHEET_TEMPLATE}」シートがありません",
                f"there is no {SHEET_TEMPLATE} sheet",
            )
        ws, columns = main[0]
        for other, other_columns in laid_out:
            if other is ws:
                continue
            name = one_line(other.title)
            filled = self.first_content(other, other_columns.inputs())
            if filled is not None:
                raise layout_rejection(
                    self.file,
                    f"シート「{name}」（記入シートの写し）にも入力があります（{filled}）。"
                    f"値は「{ws.title}」シートだけに入力してください。写しは読み取りません",
                    f"the sheet {name} (a copy of the {SHEET_TEMPLATE} sheet) holds input too "
                    f"({filled}); type values only in {ws.title}; copies are not read",
                )
            notes_ja.append(f"シート「{name}」（記入シートの写し、入力なし）は読み取っていません")
            notes_en.append(f"the sheet {name} (an empty copy of the template) was not read")
        for other in others:
            filled = self.first_content(other, None)
            if filled is not None:
                name = one_line(other.title)
                raise layout_rejection(
                    self.file,
                    f"シート「{name}」に内容があります（{filled}）。このシートは読み取らないため、"
                    f"値は「{ws.title}」シートに入力し、このシートは削除してください",
                    f"the sheet {name} holds content ({filled}) that is not read; type values "
                    f"in {ws.title} and delete that sheet",
                )
        return ws, columns, notes_ja, notes_en

    def first_content(self, ws: ReadSheet, columns: frozenset[int] | None) -> str | None:
        """The first non-empty cell ('F6「90」') below the header rows of a template copy (in
        `columns`), or anywhere in another sheet (columns None); None when there is none."""
        first_row = TEMPLATE_HEADER_ROW + 1 if columns is not None else 1
        limit = first_row + self.limits.max_rows
        for row in ws.iter_rows(min_row=first_row, max_row=limit):
            for cell in row:
                column = getattr(cell, "column", None)
                if columns is not None and column not in columns:
                    continue
                if not _blank_cell(cell):
                    text, _ = _cell_text(cell, 40)
                    where = getattr(cell, "coordinate", "")
                    return one_line(f"{where}「{(text or '')[:40]}」")
        return None

    def template_columns(
        self, header: tuple[ReadCell, ...], fiscal_year: int, sheet: str, *, strict: bool = True
    ) -> _TemplateColumns | None:
        """The columns of a sheet laid out as a template, found by their headers.

        None (strict=False) when the sheet is not laid out as one. The value column's header
        must be the only one that starts with 実績値 and name the file's fiscal year, as the
        template wrote it: a clerk's own 実績値（速報値） beside it makes the file ambiguous.
        """
        found: dict[str, int] = {}
        values: list[tuple[int, str]] = []
        known: set[int] = set()
        for index, cell in enumerate(header):
            text, _ = _cell_text(cell, _MAX_META_TEXT)
            label = "" if text is None else _norm(text)
            column = index + 1
            if label.startswith(TEMPLATE_VALUE_LABEL):
                values.append((column, label))
                known.add(column)
                continue
            for key, matches in (
                ("code", label == TEMPLATE_CODE_LABEL),
                ("reason", label == TEMPLATE_REASON_LABEL),
                ("comment", label == TEMPLATE_COMMENT_LABEL),
            ):
                if matches and key not in found:
                    found[key] = column
            if label in _TEMPLATE_LABELS or label.endswith(_TEMPLATE_REFERENCE_MARK):
                known.add(column)
        if values:
            found["value"] = values[0][0]
        labels = {
            "code": TEMPLATE_CODE_LABEL,
            "value": TEMPLATE_VALUE_LABEL,
            "reason": TEMPLATE_REASON_LABEL,
            "comment": TEMPLATE_COMMENT_LABEL,
        }
        absent = [labels[key] for key in labels if key not in found]
        if absent:
            if not strict or "code" not in found:
                return None
            raise layout_rejection(
                self.file,
                f"「{sheet}」シートの{TEMPLATE_HEADER_ROW}行目に見出し"
                f"「{'」「'.join(absent)}」がありません",
                f"row {TEMPLATE_HEADER_ROW} of the {sheet} sheet lacks the headings "
                f"{', '.join(absent)}",
            )

        def named(column: int, label: str) -> str:
            return one_line(f"{_column_letter(column)}列「{label.replace(chr(10), '')[:40]}」")

        if len(values) > 1:
            both = "、".join(named(c, label) for c, label in values)
            raise layout_rejection(
                self.file,
                f"「{sheet}」シートに実績値の列が{len(values)}つあります（{both}）。"
                "どちらの値か分からないため読み込みません。使わない列を削除してください",
                f"the {sheet} sheet has {len(values)} value columns ({both}); which one holds "
                "the values is unclear: delete the one not meant",
            )
        column, label = values[0]
        era = format_fiscal_year(fiscal_year)
        if era not in label and f"{fiscal_year}年度" not in label:
            raise layout_rejection(
                self.file,
                f"「{sheet}」シートの実績値の列の見出し（{named(column, label)}）が"
                f"このファイルの年度（{era}）になっていません",
                f"the value column's heading ({named(column, label)}) does not name the "
                f"file's fiscal year ({era})",
            )
        return _TemplateColumns(
            found["code"], found["value"], found["reason"], found["comment"], frozenset(known)
        )


def _column_number(address: str) -> int:
    number = 0
    for letter in address:
        if not letter.isalpha():
            break
        number = number * 26 + ord(letter.upper()) - 64
    return number


def _row_number(address: str) -> str:
    return "".join(c for c in address if c.isdigit())


def _moved_from(top: Mapping[str, str], where: str, digest: str) -> str | None:
    """The address in the same row where the template wrote a cell that now reads as `digest`
    at `where`: the cell moved sideways (a column inserted or deleted). None when none did."""
    row = _row_number(where)
    for address, written in top.items():
        if written == digest and address != where and _row_number(address) == row:
            return address
    return None
