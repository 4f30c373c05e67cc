"""A submission: its data sheet, the payload checksum, and edits on the printable 提出 sheet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.utils import get_column_letter

from kplan_desktop.domain.fiscal_year import MIN_FISCAL_YEAR
from kplan_desktop.domain.generation_number import FIRST_GENERATION
from kplan_desktop.exchange.gate.limits import layout_rejection
from kplan_desktop.exchange.payload import (
    lines_sha256,
)
from kplan_desktop.exchange.submission_layout import (
    REPORT_COMMENT_LABEL,
    REPORT_HEADER_ROW,
    SHEET_DATA,
    SHEET_REPORT,
    TEMPLATE_CODE_LABEL,
    WRITER_MARK,
    report_value_label,
)
from kplan_desktop.exchange.workbook_reader.cells import (
    IncomingRow,
    IncomingWorkbook,
    Integrity,
    VisibleDifference,
    _blank_cell,
    _cell_text,
    _data_value,
    _lines,
    _shown,
    _shows_value,
    one_line,
)
from kplan_desktop.exchange.workbook_reader.core import BookCore
from kplan_desktop.progress import Steps

if TYPE_CHECKING:
    from kplan_desktop.exchange.sheet_types import ReadSheet


class SubmissionReader(BookCore):
    """A submission workbook (format kplan-submission/…)."""

    def submission(
        self, meta: Mapping[str, str], digest: str, application: str
    ) -> IncomingWorkbook:
        header = self.header(meta)
        missing = layout_rejection(
            self.file, f"「{SHEET_DATA}」シートがありません", f"there is no {SHEET_DATA} sheet"
        )
        ws = self.sheet(SHEET_DATA, missing)
        first, sheet_rows = self.header_and_rows(ws, 1)
        columns = self.data_columns(first)
        steps = Steps(header.row_count, self.progress, self.cancelled)
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
        if complete and lines_sha256(rebuilt, header.generation) == header.payload_sha256:
            ours = "openpyxl" in application.lower()
            ours = ours and self.book.properties.lastModifiedBy == WRITER_MARK
            integrity = "verified" if ours else "resaved"
            if not ours:
                app = program_name(application)
                notes_ja.append(
                    f"別のソフト（{app or '不明'}）で保存し直されています。"
                    "データは出力時と同じです（チェックサムと一致）"
                )
                notes_en.append(
                    f"saved again by another program ({app or 'unknown'}); the data is as "
                    "exported (it matches the checksum)"
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
        # The printable 提出 sheet against the data, once: with the data untouched (verified or
        # re-saved) a change there refuses its row (and the merge refuses the file as exported,
        # naming every cell); with the data edited, the data's value is taken and the sheet
        # that disagrees is said on the row.
        differences = self.printable_differences(header.fiscal_year, rows)
        # Only a file a spreadsheet program saved can have its 提出 sheet edited by hand: the
        # program's own files are said different as a whole (the merge refuses them), not on
        # their rows.
        written_here = "openpyxl" in application.lower()
        written_here = written_here and self.book.properties.lastModifiedBy == WRITER_MARK
        on_rows = bool(differences) and not written_here
        refused = 0
        orphans: list[IncomingRow] = []
        if on_rows:
            rows, refused, orphans = differences_on_rows(
                rows, differences, refuse=integrity != "edited"
            )
        edited_places: list[tuple[str, str]] = []
        if integrity == "edited":
            edited_places = _edited_places(rows, differences, orphans)
            for ja, en in _edited_notes(rows, orphans, bool(differences)):
                notes_ja.append(ja)
                notes_en.append(en)
        else:
            refused += len(orphans)
        if refused:
            notes_ja.append(
                f"⚠「{SHEET_REPORT}」シートが変更されています（{refused}行）。"
                "その行は取り込みません（課でプログラムに入力し、出力し直してください）"
            )
            notes_en.append(
                f"the {SHEET_REPORT} sheet was changed "
                f"({refused} row{'s' if refused != 1 else ''}); those rows are not merged "
                "(the department enters them in the program and exports again)"
            )
        if header.draft:
            notes_ja.append("下書き（未確定）の提出書です")
            notes_en.append("this submission is a draft (not finalised)")
        if meta.get("draft", "") != ("yes" if header.draft else "no"):
            notes_ja.append("meta シートの draft と確定日時が食い違っています")
            notes_en.append("the meta sheet's draft flag disagrees with finalised_at")
        evaluations, verified = self.evaluations(header)
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
            edited_places=edited_places,
            generation=FIRST_GENERATION if header.generation is None else header.generation,
            generation_cell=self.generation()[1],
        )

    def printable_differences(
        self, fiscal_year: int, rows: Sequence[IncomingRow]
    ) -> list[VisibleDifference]:
        """Every cell of the printable 提出 sheet that does not show what the data sheet holds:
        each year's 実績 column, the comment column, and a row deleted from the sheet.

        The data sheet is what is signed and merged; the 提出 sheet is what people read and
        print (and where a clerk who unprotects it types). They are compared by meaning (a
        number as a decimal, a reason by its label, a comment as text), so a re-save by Excel
        or LibreOffice, which keeps both, passes. The one comparison both uses of it share:
        the merge refuses a file as exported that differs, naming every cell, and says each
        difference on its row in a file merged row by row (merge_checks.check_printable).
        """
        if SHEET_REPORT not in self.book.sheetnames:
            return []
        ws = cast("ReadSheet", self.book[SHEET_REPORT])
        if not hasattr(ws, "iter_rows"):
            return [VisibleDifference(SHEET_REPORT, "", "", None, "layout", "", "")]
        # One row per indicator of the department, not per data row: not held to the data
        # sheet's row limit (header_and_rows reads no further than the scan allows anyway).
        first, sheet_rows = self.header_and_rows(ws, REPORT_HEADER_ROW)
        labels = [_squeezed(getattr(cell, "value", None)) for cell in first]
        comment_label = _squeezed(REPORT_COMMENT_LABEL)
        if _squeezed(report_value_label(fiscal_year)) not in labels or comment_label not in labels:
            where = f"A{REPORT_HEADER_ROW}"
            return [VisibleDifference(SHEET_REPORT, where, "", None, "layout", "", "")]
        # Every year's 実績 column the sheet shows (this year's and the earlier ones), and the
        # comment column: each is held by the data sheet too, so a change is never ignored.
        year_at = {
            labels.index(label): year
            for year in range(max(MIN_FISCAL_YEAR, fiscal_year - 20), fiscal_year + 1)
            if (label := _squeezed(report_value_label(year))) in labels
        }
        code_label = _squeezed(TEMPLATE_CODE_LABEL)
        code_at = labels.index(code_label) if code_label in labels else 0
        comment_at = labels.index(comment_label)
        data = {(row.indicator, row.fiscal_year): row for row in rows}
        found: list[VisibleDifference] = []
        present: set[str] = set()
        width = max(code_at, comment_at, *year_at) + 1
        for number, row_cells in enumerate(sheet_rows, start=REPORT_HEADER_ROW + 1):
            cells = (*row_cells[:width], *(EMPTY_CELL,) * (width - len(row_cells)))
            if all(_blank_cell(cell) for cell in cells):
                continue
            code_text, _ = _cell_text(cells[code_at], 64)
            code = (code_text or "").strip()
            present.add(code)
            for column, year in year_at.items():
                cell, row = cells[column], data.get((code, year))
                if not _shows_value(cell, row):
                    where = f"{get_column_letter(column + 1)}{number}"
                    shown = one_line(_shown(cell))
                    found.append(
                        VisibleDifference(
                            SHEET_REPORT, where, code, year, "value", shown, _data_value(row)
                        )
                    )
            row = data.get((code, fiscal_year))
            stored_comment = "" if row is None else row.comment
            shown_comment, problem = _cell_text(cells[comment_at], 100_000)
            if problem is not None or _lines(shown_comment) != _lines(stored_comment):
                where = f"{get_column_letter(comment_at + 1)}{number}"
                shown = one_line(_shown(cells[comment_at]))
                found.append(
                    VisibleDifference(
                        SHEET_REPORT,
                        where,
                        code,
                        fiscal_year,
                        "comment",
                        shown,
                        one_line(stored_comment[:40]),
                    )
                )
        # A row deleted from the sheet: the data still holds what it showed. Said by the
        # indicator (its cells are gone), never passed over.
        shown_years = set(year_at.values())
        deleted: dict[str, IncomingRow] = {}
        for row in rows:
            gone = row.indicator and row.indicator not in present
            if (
                gone
                and row.fiscal_year in shown_years
                and (row.fiscal_year == fiscal_year or row.indicator not in deleted)
            ):
                deleted[row.indicator] = row
        for code, row in deleted.items():
            found.append(
                VisibleDifference(
                    SHEET_REPORT, "", code, row.fiscal_year, "row", "", _data_value(row)
                )
            )
        return found


def differences_on_rows(
    rows: list[IncomingRow], differences: Sequence[VisibleDifference], *, refuse: bool
) -> tuple[list[IncomingRow], int, list[IncomingRow]]:
    """Each difference of the printable sheet on the row it concerns.

    With the data as exported (`refuse`), what a clerk changed on the 提出 sheet is not in the
    data the merge reads: the row is refused, naming the cell, what it shows and what the data
    holds. With the data edited, the data's value is taken and the difference said on the row
    (only those rows count as edited). Either way a value typed where the data holds none is a
    row of its own, refused, and the data of a row deleted from the sheet is refused: never
    merged or dropped without a word. Returns the rows, how many rows the sheet's changes
    refused, and the rows the 提出 sheet shows but the data sheet lacks (among the rows too).
    """
    by_key: dict[tuple[str, int | None], list[VisibleDifference]] = {}
    for difference in differences:
        if difference.what in ("value", "comment"):
            by_key.setdefault((difference.indicator, difference.fiscal_year), []).append(difference)
    deleted = {d.indicator for d in differences if d.what == "row"}
    out: list[IncomingRow] = []
    refused = 0
    for row in rows:
        if row.indicator in deleted:
            refused += 1
            out.append(
                replace(
                    row,
                    problem_ja=f"「{SHEET_REPORT}」シートで指標 {row.indicator} の行が削除されて"
                    "います。取り込みません（値を消すときは課でプログラムに入力し、出力し直して"
                    "ください）",
                    problem_en=f"the row of indicator {row.indicator} was deleted from the "
                    f"{SHEET_REPORT} sheet; not merged (to clear a value, the department "
                    "enters it in the program and exports again)",
                )
            )
            continue
        # Only what was typed counts on a row: an emptied cell takes nothing away (the merge
        # still refuses a file as exported whose printable sheet was emptied there).
        said = [d for d in by_key.pop((row.indicator, row.fiscal_year), []) if d.shown.strip()]
        if not said:
            out.append(row if refuse else replace(row, edited_outside=False))
            continue
        if refuse:
            refused += 1
            out.append(
                replace(
                    row,
                    problem_ja="、".join(
                        f"{d.place_ja} が {d.shown or '空欄'} に変更されています"
                        f"（提出データ: {d.data or '空欄'}）"
                        for d in said
                    )
                    + "。取り込みません",
                    problem_en="; ".join(
                        f"{d.place_en} was changed to {d.shown or 'nothing'} "
                        f"(the submission's data: {d.data or 'empty'})"
                        for d in said
                    )
                    + "; not merged",
                )
            )
            continue
        out.append(
            replace(
                row,
                edited_outside=True,
                notes_ja=(
                    *row.notes_ja,
                    *(
                        f"{row.value_place_ja if d.what == 'value' else 'データ'} は "
                        f"{d.data or '空欄'}、{d.place_ja} は {d.shown or '空欄'}"
                        f"（データの値 {d.data or '空欄'} を取り込みます）"
                        for d in said
                    ),
                ),
                notes_en=(
                    *row.notes_en,
                    *(
                        f"{row.value_place_en if d.what == 'value' else 'the data'} holds "
                        f"{d.data or 'nothing'}, {d.place_en} shows {d.shown or 'nothing'} "
                        f"(the data's {d.data or 'empty'} is merged)"
                        for d in said
                    ),
                ),
            )
        )
    # What is left was typed on the 提出 sheet where the data holds nothing (or the data sheet
    # lost the row).
    orphans: list[IncomingRow] = []
    for said in by_key.values():
        for d in said:
            if d.what != "value" or not d.shown:
                continue
            row_number = int("".join(c for c in d.cell if c.isdigit()) or 0)
            orphans.append(
                IncomingRow(
                    sheet_row=row_number,
                    indicator=d.indicator,
                    fiscal_year=d.fiscal_year,
                    value_text=None,
                    missing_reason=None,
                    comment="",
                    entered_by=None,
                    entered_at=None,
                    revision=None,
                    replaces=None,
                    problem_ja=f"{d.place_ja} に値（{d.shown}）が入力されていますが、提出データに"
                    "ありません（データシートの行が削除されたか、書き加えられた値です）。取り込みません",
                    problem_en=f"{d.place_en} shows a value ({d.shown}), but the submission's "
                    "data has none (a row of the data sheet was deleted, or the value was typed "
                    "there); not merged",
                    value_cell=d.cell or None,
                    value_sheet=d.sheet,
                )
            )
    return [*out, *orphans], refused, orphans


def _edited_places(
    rows: Sequence[IncomingRow],
    differences: Sequence[VisibleDifference],
    orphans: Sequence[IncomingRow],
) -> list[tuple[str, str]]:
    """Where an edited data sheet differs from the printable 提出 sheet, cell by cell: the data
    cell and what it holds beside the 提出 cell and what it shows (data C3 80, 提出 I6 72)."""
    by_key: dict[tuple[str, int | None], list[VisibleDifference]] = {}
    for d in differences:
        if d.what in ("value", "comment"):
            by_key.setdefault((d.indicator, d.fiscal_year), []).append(d)
    shown_at = {d.cell: d.shown for d in differences if d.what == "value"}
    places: list[tuple[str, str]] = []
    for row in rows:
        if not row.edited_outside:
            continue
        for d in by_key.get((row.indicator, row.fiscal_year), []):
            if d.what == "value":
                data_ja, data_en = row.value_place_ja, row.value_place_en
            else:
                data_ja = f"{SHEET_DATA} シート 行{row.sheet_row} のコメント"
                data_en = f"sheet {SHEET_DATA}, row {row.sheet_row}, comment"
            places.append(
                (
                    f"{data_ja}（{row.indicator} {row.fiscal_year}）: {d.data or '空'}、"
                    f"{d.place_ja}: {d.shown or '空'}",
                    f"{data_en} ({row.indicator} {row.fiscal_year}): {d.data or 'empty'}; "
                    f"{d.place_en}: {d.shown or 'empty'}",
                )
            )
    for orphan in orphans:
        places.append(
            (
                f"{SHEET_DATA} シートに {orphan.indicator} {orphan.fiscal_year} の行がありません"
                f"（削除?）、{orphan.value_place_ja}: {shown_at.get(orphan.value_cell or '', '')}",
                f"sheet {SHEET_DATA} has no row for {orphan.indicator} {orphan.fiscal_year} "
                f"(deleted?); {orphan.value_place_en}: {shown_at.get(orphan.value_cell or '', '')}",
            )
        )
    return places


def _edited_notes(
    rows: Sequence[IncomingRow],
    orphans: Sequence[IncomingRow],
    compared: bool,
) -> list[tuple[str, str]]:
    """The file's notes on an edited data sheet: which rows differ from the 提出 sheet, which
    data rows are gone, or that it cannot be told which row was edited."""
    notes: list[tuple[str, str]] = []
    differ = [f"{r.indicator} {r.fiscal_year}" for r in rows if r.edited_outside]
    if differ:
        notes.append(
            (
                f"データシートが「{SHEET_REPORT}」シートと違う行（{len(differ)}件）: "
                + "、".join(differ),
                f"{len(differ)} row{'s' if len(differ) != 1 else ''} of the data sheet "
                f"differ{'s' if len(differ) == 1 else ''} from the {SHEET_REPORT} sheet: "
                + ", ".join(differ),
            )
        )
    if orphans:
        gone = [f"{r.indicator} {r.fiscal_year}" for r in orphans]
        notes.append(
            (
                f"⚠ データシートから行が削除されています（{len(gone)}件）: "
                + "、".join(gone)
                + "。その行は取り込みません",
                f"⚠ {len(gone)} row{'s' if len(gone) != 1 else ''} deleted from the data "
                "sheet: " + ", ".join(gone) + "; not merged",
            )
        )
    if not compared:
        notes.append(
            (
                f"どの行が書き換えられたかは分かりません（「{SHEET_REPORT}」シートはデータと同じ"
                "内容です）。すべての行を編集された可能性のある行として扱います",
                f"which rows were changed cannot be told (the {SHEET_REPORT} sheet shows the "
                "same as the data): every row counts as possibly edited",
            )
        )
    return notes


def _squeezed(value: object) -> str:
    """A header as compared: text without any spacing or line break; '' for anything else."""
    return "".join(str(value).split()) if isinstance(value, str) else ""


def program_name(application: str, limit: int = 60) -> str:
    """The program docProps/app.xml names, as a person reads it: LibreOffice writes
    'LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/…' → 'LibreOffice 7.4.7.2'; Excel
    'Microsoft Excel'. Cut at a word, never mid-word."""
    name = one_line(application.split("$", 1)[0]).replace("/", " ").strip()
    if len(name) <= limit:
        return name
    cut = name[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"
