"""The reader's core: its sheets, the meta sheet, the header, and a data row."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, cast

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.generation_number import (
    E_GENERATION_CELL,
    FIRST_GENERATION,
    generation_cell_problem,
    generation_number,
)
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.domain.values import DASH_PROBLEM, is_dash
from kplan_desktop.exchange.evaluation_exchange import (
    SHEET_EVALUATION,
    IncomingEvaluation,
    evaluations_sha256,
    read_evaluation_rows,
    sheet_texts,
)
from kplan_desktop.exchange.gate import (
    Limits,
    rejection,
    too_many_rows,
)
from kplan_desktop.exchange.gate.limits import layout_rejection
from kplan_desktop.exchange.payload import (
    SUBMISSION_FORMAT,
    Revision,
    SubmissionHeader,
    parse_utc,
    payload_line,
    utc_text,
)
from kplan_desktop.exchange.submission_layout import (
    DATA_KEYS,
    GENERATION_KEY,
    SHEET_DATA,
    SHEET_META,
    TEMPLATE_WRITTEN_KEY,
)
from kplan_desktop.exchange.workbook_reader.cells import (
    _HEADER_COLUMNS,
    _MAX_META_TEXT,
    _META_ROWS,
    IncomingRow,
    WorkbookRejected,
    _blank,
    _blank_cell,
    _cell_text,
    _fiscal_year,
    _not_kplan,
    _reason_code,
    _RowCells,
    _RowProblems,
    bare_number,
)
from kplan_desktop.progress import CancelCheck, Progress

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

    from kplan_desktop.exchange.sheet_types import ReadSheet
    from kplan_desktop.exchange.workbook_reader.cells import ReadCell


def _raw_value(cell: ReadCell) -> object:
    """A cell's value as stored; a formula as its text (=…), an error value as its code."""
    return getattr(cell, "value", None)


class BookCore:
    """The reader's state, its sheets, the meta sheet and the data rows; families extend it."""

    def __init__(
        self,
        book: Workbook,
        file: str,
        limits: Limits,
        progress: Progress | None,
        cancelled: CancelCheck | None,
    ) -> None:
        self.book = book
        self.file = file
        self.limits = limits
        self.progress = progress
        self.cancelled = cancelled
        self.moments: dict[str, tuple[datetime, str]] = {}
        # The meta sheet's generation cell as found: its address and raw value (meta()).
        self.generation_cell: tuple[str, object] | None = None

    # -- sheets ----------------------------------------------------------------------------

    def sheet(self, name: str, missing: WorkbookRejected) -> ReadSheet:
        if name not in self.book.sheetnames:
            raise missing
        ws = self.book[name]
        if not hasattr(ws, "iter_rows"):
            raise layout_rejection(
                self.file, f"「{name}」は表のシートではありません", f"{name} is not a worksheet"
            )
        return cast("ReadSheet", ws)

    def header_and_rows(
        self, ws: ReadSheet, header_row: int, *, max_col: int | None = _HEADER_COLUMNS
    ) -> tuple[tuple[ReadCell, ...], Iterator[tuple[ReadCell, ...]]]:
        """The header row's cells and the rows under it, from one pass over the sheet.

        Every iter_rows call parses the sheet from its start, so the header is not read alone.
        """
        last = header_row + self.limits.max_rows
        # Past the scan's limit (_RowNumbers) no row exists, so this reads every row there is.
        stop = last + self.limits.header_rows + 1
        rows = ws.iter_rows(min_row=header_row, max_row=stop, max_col=max_col)
        return next(rows, ()), rows

    def body(
        self, ws: ReadSheet, rows: Iterator[tuple[ReadCell, ...]], first_row: int, width: int | None
    ) -> Iterator[tuple[int, tuple[ReadCell, ...]]]:
        """Non-empty rows from first_row, numbered, `width` cells each (None: every cell);
        at most Limits.max_rows."""
        last = first_row + self.limits.max_rows - 1
        for number, row in enumerate(rows, start=first_row):
            cells = row[:width]
            if all(_blank_cell(cell) for cell in cells):
                continue
            if number > last:
                raise too_many_rows(self.file, ws.title, None, self.limits.max_rows)
            yield number, cells

    def meta(self) -> dict[str, str]:
        missing = _not_kplan(
            self.file, f"「{SHEET_META}」シートがありません", f"there is no {SHEET_META} sheet"
        )
        ws = self.sheet(SHEET_META, missing)
        found: dict[str, str] = {}
        for number, (key_cell, value_cell) in enumerate(
            ws.iter_rows(min_row=2, max_row=_META_ROWS, max_col=2), start=2
        ):
            key, key_problem = _cell_text(key_cell, _MAX_META_TEXT)
            if key_problem is None and key is not None and key.strip() == GENERATION_KEY:
                # Read raw and judged by generation(): a formula or a number there is named as
                # the generation cell's problem, with its address.
                if self.generation_cell is not None:
                    raise layout_rejection(
                        self.file,
                        f"「{SHEET_META}」シートに {GENERATION_KEY} が2行あります",
                        f"the {SHEET_META} sheet has {GENERATION_KEY} twice",
                    )
                self.generation_cell = (f"B{number}", _raw_value(value_cell))
                continue
            long = key is not None and key.strip() == TEMPLATE_WRITTEN_KEY
            value, value_problem = _cell_text(value_cell, 32767 if long else _MAX_META_TEXT)
            problem = key_problem or value_problem
            if problem is not None:
                raise layout_rejection(
                    self.file,
                    f"「{SHEET_META}」シートの{number}行目: {problem[0]}",
                    f"{SHEET_META} sheet, row {number}: {problem[1]}",
                )
            if key is not None and key.strip():
                found[key.strip()] = "" if value is None else value.strip()
        return found

    def generation(self) -> tuple[int, str]:
        """The plan generation the file names, and its cell's address on the meta sheet ('' for
        a file of the release before generations, which belongs to the first generation).

        A cell that is there but not a plain positive whole number (text, 0, -1, 1.5, a formula,
        an absurd number, nothing) refuses the file, naming the cell."""
        if self.generation_cell is None:
            return FIRST_GENERATION, ""
        address, value = self.generation_cell
        number = generation_number(value)
        if number is None:
            ja, en = generation_cell_problem(
                f"{SHEET_META} シート {address}", f"sheet {SHEET_META}, cell {address}", value
            )
            raise rejection(E_GENERATION_CELL, self.file, ja, en)
        return number, address

    def meta_error(self, key: str, value: str) -> WorkbookRejected:
        return layout_rejection(
            self.file,
            f"「{SHEET_META}」シートの {key} が読めません（{value[:40] or '空'}）",
            f"the {SHEET_META} sheet's {key} cannot be read ({value[:40] or 'empty'})",
        )

    def meta_text(self, meta: Mapping[str, str], key: str) -> str:
        value = meta.get(key, "")
        if not value:
            raise self.meta_error(key, value)
        return value

    def meta_year(self, meta: Mapping[str, str]) -> int:
        year = _fiscal_year(meta.get("fiscal_year", ""))
        if year is None:
            raise self.meta_error("fiscal_year", meta.get("fiscal_year", ""))
        return year

    def meta_time(self, meta: Mapping[str, str], key: str, required: bool) -> datetime | None:
        value = meta.get(key, "")
        if not value and not required:
            return None
        try:
            return parse_utc(value)
        except ValueError:
            raise self.meta_error(key, value) from None

    # -- submission ------------------------------------------------------------------------

    def header(self, meta: Mapping[str, str]) -> SubmissionHeader:
        row_count = meta.get("row_count", "")
        if not (row_count.isascii() and row_count.isdigit() and len(row_count) <= 9):
            raise self.meta_error("row_count", row_count)
        checksum = meta.get("payload_sha256", "").lower()
        if len(checksum) != 64 or any(c not in "0123456789abcdef" for c in checksum):
            raise self.meta_error("payload_sha256", checksum)
        exported_at = self.meta_time(meta, "exported_at", required=True)
        assert exported_at is not None
        generation, address = self.generation()
        return SubmissionHeader(
            department=self.meta_text(meta, "department"),
            fiscal_year=self.meta_year(meta),
            catalog_hash=meta.get("catalog_hash", ""),
            program_version=meta.get("program_version", ""),
            exported_at=exported_at,
            database=self.meta_text(meta, "database"),
            finalised_by=meta.get("finalised_by") or None,
            finalised_at=self.meta_time(meta, "finalised_at", required=False),
            row_count=int(row_count),
            payload_sha256=checksum,
            format=SUBMISSION_FORMAT,
            signature=meta.get("signature", "").strip().lower() or None,
            evaluation_sha256=meta.get("evaluation_sha256", "").strip().lower(),
            draft_flag=meta.get("draft", ""),
            generation=generation if address else None,
        )

    def evaluations(self, header: SubmissionHeader) -> tuple[list[IncomingEvaluation], bool]:
        """The 施策評価 rows, and whether their checksum is the meta sheet's."""
        if SHEET_EVALUATION not in self.book.sheetnames:
            # A department without evaluations has no sheet; its checksum is of no rows.
            expected = header.evaluation_sha256
            return [], not expected or expected == evaluations_sha256([])
        try:
            first, grid = sheet_texts(self.book, SHEET_EVALUATION, self.limits.max_rows)
            rows, texts = read_evaluation_rows(grid, first)
        except DomainError as exc:
            raise layout_rejection(self.file, exc.message_ja, exc.message_en) from None
        verified = evaluations_sha256(texts) == header.evaluation_sha256
        return rows, verified

    def data_columns(self, first: tuple[ReadCell, ...]) -> dict[str, int]:
        columns: dict[str, int] = {}
        for index, cell in enumerate(first):
            text, _ = _cell_text(cell, _MAX_META_TEXT)
            key = "" if text is None else text.strip()
            if key in DATA_KEYS and key not in columns:
                columns[key] = index + 1
        absent = [key for key in DATA_KEYS if key not in columns]
        if absent:
            raise layout_rejection(
                self.file,
                f"「{SHEET_DATA}」シートの1行目に {', '.join(absent)} がありません",
                f"row 1 of the {SHEET_DATA} sheet lacks {', '.join(absent)}",
            )
        return columns

    def data_row(
        self,
        number: int,
        cells: tuple[ReadCell, ...],
        columns: Mapping[str, int],
        seen: set[tuple[str, int]],
    ) -> tuple[IncomingRow, tuple[tuple[str, int], str] | None]:
        """The row as read, and its payload line with its key (None when it cannot be rebuilt)."""
        # Each field is read, then parsed, in DATA_KEYS order: a row's problems read that way.
        cells_ = _RowCells(cells, self.limits.max_cell_chars, SHEET_DATA)
        at = {key: cells_.where(column) for key, column in columns.items()}
        problems = cells_.problems
        indicator = cells_.text(columns["indicator"], "indicator")
        if _blank(indicator):
            problems.add_cell(
                at["indicator"], ("指標コードが空です", "no indicator code"), "indicator"
            )
        year_text = cells_.text(columns["fiscal_year"], "fiscal_year")
        fiscal_year = None if year_text is None else _fiscal_year(year_text)
        if fiscal_year is None:
            problems.add_cell(
                at["fiscal_year"],
                ("年度が読めません", "the fiscal year cannot be read"),
                "fiscal_year",
            )
        value = cells_.text(columns["value"], "value", value_cell=True)
        if is_dash(value):
            problems.add_cell(cells_.where(columns["value"]), DASH_PROBLEM)
        reason_text = cells_.text(columns["missing_reason"], "missing_reason", value_cell=True)
        reason = self.reason(reason_text, problems, "missing_reason", at["missing_reason"])
        comment = cells_.text(columns["comment"], "comment") or ""
        entered_by = cells_.text(columns["entered_by"], "entered_by")
        moment = self.moment(
            cells_.text(columns["entered_at"], "entered_at"), problems, at["entered_at"]
        )
        entered_at = None if moment is None else moment[0]
        revision_text = cells_.text(columns["revision"], "revision")
        revision = self.revision(revision_text, problems, "revision", at["revision"])
        replaces_text = cells_.text(columns["replaces"], "replaces")
        replaces = self.revision(replaces_text, problems, "replaces", at["replaces"])
        unit = cells_.text(columns["unit"], "unit") or None
        code = (indicator or "").strip()
        self.duplicate(code, fiscal_year, seen, problems, at["indicator"])
        problem_ja, problem_en = problems.texts()
        row = IncomingRow(
            sheet_row=number,
            indicator=code,
            fiscal_year=fiscal_year,
            value_text=None if _blank(value) else value,
            missing_reason=reason,
            comment=comment,
            entered_by=entered_by or None,
            entered_at=entered_at,
            revision=revision,
            replaces=replaces,
            problem_ja=problem_ja,
            problem_en=problem_en,
            unit=unit,
            value_cell=cells_.where(columns["value"]) or None,
            value_sheet=SHEET_DATA,
            # The program writes text there: a number came from a paste or a macro.
            bare_number=bare_number(cells[columns["value"] - 1])
            if columns["value"] <= len(cells)
            else False,
        )
        if problems or fiscal_year is None or moment is None:
            return row, None
        line = payload_line(
            code,
            fiscal_year,
            row.value_text,
            reason,
            comment,
            entered_by or "",
            moment[1],
            revision,
            replaces,
            unit,
        )
        return row, ((code, fiscal_year), line)

    @staticmethod
    def reason(
        text: str | None, problems: _RowProblems, column: str, where: str = ""
    ) -> str | None:
        if _blank(text):
            return None
        assert text is not None
        code = _reason_code(text)
        if code is None:
            choices = "、".join(r.label_ja for r in MissingReason)
            problems.add_cell(
                where,
                (
                    f"未記入の理由「{text[:20]}」が読めません（{choices}）",
                    f"unknown missing reason {text[:20]!r}",
                ),
                column,
            )
        return code

    def moment(
        self, text: str | None, problems: _RowProblems, where: str = ""
    ) -> tuple[datetime, str] | None:
        """The entry time, and its text as the payload holds it (utc_text)."""
        if _blank(text):
            problems.add_cell(where, ("入力日時が空です", "no entry time"), "entered_at")
            return None
        assert text is not None
        # Values entered together share their time: each text is parsed once per file.
        moment = self.moments.get(text)
        if moment is not None:
            return moment
        try:
            parsed = parse_utc(text)
        except ValueError:
            problems.add_cell(
                where, ("入力日時が読めません", "the entry time cannot be read"), "entered_at"
            )
            return None
        moment = self.moments[text] = (parsed, utc_text(parsed))
        return moment

    @staticmethod
    def revision(
        text: str | None, problems: _RowProblems, column: str, where: str = ""
    ) -> Revision | None:
        try:
            return Revision.parse(text)
        except ValueError:
            problems.add_cell(
                where, ("版（revision）が読めません", "the revision cannot be read"), column
            )
            return None

    @staticmethod
    def duplicate(
        code: str,
        fiscal_year: int | None,
        seen: set[tuple[str, int]],
        problems: _RowProblems,
        where: str = "",
    ) -> None:
        if not code or fiscal_year is None:
            return
        if (code, fiscal_year) in seen:
            problems.add_cell(
                where,
                ("同じ指標・年度の行がこれより前にあります", "an earlier row has the same key"),
                "indicator",
            )
        seen.add((code, fiscal_year))

    # -- template --------------------------------------------------------------------------
