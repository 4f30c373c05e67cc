"""The merge report as JSON: the CLI's --json and the reports stored with each merge."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any, overload

from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.exchange.payload import (
    MergeReport,
    ReportLine,
    ReportWarning,
    RowOutcome,
    parse_utc,
    utc_text,
)

__all__ = ["PackedLines", "packed", "report_from_json", "report_to_dict", "report_to_json"]


# -- reports as JSON (the CLI's --json and the stored reports) -------------------------------


def report_to_dict(report: MergeReport) -> dict[str, object]:
    year = report.fiscal_year
    return {
        "file": report.file,
        "sha256": report.sha256,
        "kind": report.kind,
        "department": report.department,
        "fiscal_year": year,
        "fiscal_year_label": None
        if year is None
        else format_fiscal_year(year, FiscalYearStyle.ERA),
        "generation": report.generation,
        "merged_at": utc_text(report.merged_at),
        "merged_by": report.merged_by,
        "dry_run": report.dry_run,
        "written": report.written,
        "held_for_warnings": report.held_for_warnings,
        "counts": {o.value: report.count(o) for o in RowOutcome},
        "notes_ja": report.notes_ja,
        "notes_en": report.notes_en,
        "rows": [
            {
                "sheet_row": line.sheet_row,
                "sheet": line.sheet,
                "cell": line.cell,
                "indicator": line.indicator,
                "fiscal_year": line.fiscal_year,
                "outcome": line.outcome.value,
                "reason_ja": line.reason_ja,
                "reason_en": line.reason_en,
                "file_value": line.file_value,
                "db_value": line.db_value,
                # The value as stored, in the indicator's unit, and as the preview shows it
                # beside the typed text: 341.2万人（入力: 3,412,000人）.
                "stored_value": line.stored_value,
                "unit": line.unit,
                # The cell's value as it was in the file (3412000), the value stored with its
                # unit (3412000万件), and both as the preview shows them.
                "file_text": line.file_value,
                "stored_text": line.stored_text,
                "preview_text": line.file_text,
                "warnings": [
                    {"code": w.code, "message_ja": w.message_ja, "message_en": w.message_en}
                    for w in line.warnings
                ],
            }
            for line in report.lines
        ],
    }


_LINE_FIELDS = (
    "sheet_row",
    "indicator",
    "fiscal_year",
    "outcome",
    "reason_ja",
    "reason_en",
    "file_value",
    "db_value",
    "warnings",
    "stored_value",
    "unit",
    "sheet",
    "cell",
)


def report_to_json(report: MergeReport) -> str:
    """The stored form: the report's fields, and its lines as rows of a fixed column list."""
    data = {
        "file": report.file,
        "sha256": report.sha256,
        "kind": report.kind,
        "department": report.department,
        "fiscal_year": report.fiscal_year,
        "merged_at": utc_text(report.merged_at),
        "merged_by": report.merged_by,
        "dry_run": report.dry_run,
        "written": report.written,
        "notes_ja": report.notes_ja,
        "notes_en": report.notes_en,
        "columns": _LINE_FIELDS,
        "lines": [_line_row(line) for line in report.lines],
        "held_for_warnings": report.held_for_warnings,
        "generation": report.generation,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _line_row(line: ReportLine) -> tuple[object, ...]:
    """A report line as a row of _LINE_FIELDS."""
    return (
        line.sheet_row,
        line.indicator,
        line.fiscal_year,
        line.outcome.value,
        line.reason_ja,
        line.reason_en,
        line.file_value,
        line.db_value,
        [[w.code, w.message_ja, w.message_en] for w in line.warnings],
        line.stored_value,
        line.unit,
        line.sheet,
        line.cell,
    )


def _row_line(row: list[Any], index: dict[str, int]) -> ReportLine:
    """The line of a row whose columns `index` names (a stored report's own column list)."""

    def get(name: str) -> Any:
        return row[index[name]]

    # Reports stored before warnings were listed have no such column.
    stored_warnings: list[list[str]] = get("warnings") if "warnings" in index else []

    return ReportLine(
        sheet_row=get("sheet_row"),
        indicator=get("indicator"),
        fiscal_year=get("fiscal_year"),
        outcome=RowOutcome(get("outcome")),
        reason_ja=get("reason_ja"),
        reason_en=get("reason_en"),
        file_value=get("file_value"),
        db_value=get("db_value"),
        warnings=tuple(ReportWarning(*w) for w in stored_warnings),
        # Reports stored before the stored value was kept have neither column.
        stored_value=get("stored_value") if "stored_value" in index else None,
        unit=get("unit") if "unit" in index else None,
        sheet=get("sheet") if "sheet" in index else None,
        cell=get("cell") if "cell" in index else None,
    )


def report_from_json(text: str) -> MergeReport:
    data = json.loads(text)
    index = {name: n for n, name in enumerate(data["columns"])}

    def line(row: list[Any]) -> ReportLine:
        return _row_line(row, index)

    return MergeReport(
        file=data["file"],
        sha256=data["sha256"],
        kind=data["kind"],
        department=data["department"],
        fiscal_year=data["fiscal_year"],
        merged_at=parse_utc(data["merged_at"]),
        merged_by=data["merged_by"],
        dry_run=data["dry_run"],
        written=data["written"],
        lines=[line(row) for row in data["lines"]],
        notes_ja=list(data["notes_ja"]),
        notes_en=list(data["notes_en"]),
        held_for_warnings=bool(data.get("held_for_warnings", False)),
        generation=_generation(data.get("generation")),
    )


def _generation(value: object) -> int | None:
    """A stored report's generation (reports stored before generations have none)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# -- a report's lines kept packed ------------------------------------------------------------

_INDEX = {name: n for n, name in enumerate(_LINE_FIELDS)}


class PackedLines(Sequence[ReportLine]):
    """A merge report's lines as compressed rows of _LINE_FIELDS, read back when asked.

    A merge of many files returns one report per file (merge_files, the CLI, the window's
    summary), and a line per row of each: as objects some 114 KiB per 400-row file, which made
    the memory of a 300-file merge grow by 34 MiB (issue 20), and every line was one more object
    for the cyclic collector to scan after each file. Packed, a file's lines take a few KiB.
    The lines of the report read last are kept decoded (one report's), so walking one report's
    lines by index decodes them once; equal to a list of the same lines.
    """

    __slots__ = ("_count", "_data")

    def __init__(self, lines: Iterable[ReportLine]) -> None:
        rows = [_line_row(line) for line in lines]
        self._count = len(rows)
        text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        self._data = zlib.compress(text.encode("utf-8"), 1)

    def _lines(self) -> list[ReportLine]:
        global _last_read
        last = _last_read
        if last is not None and last[0] is self:
            return last[1]
        rows = json.loads(zlib.decompress(self._data).decode("utf-8"))
        lines = [_row_line(row, _INDEX) for row in rows]
        _last_read = (self, lines)
        return lines

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> ReportLine: ...

    @overload
    def __getitem__(self, index: slice) -> list[ReportLine]: ...

    def __getitem__(self, index: int | slice) -> ReportLine | list[ReportLine]:
        return self._lines()[index]

    def __iter__(self) -> Iterator[ReportLine]:
        return iter(self._lines())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedLines | list | tuple):
            return len(self) == len(other) and self._lines() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedLines({self._lines()!r})"


_last_read: tuple[PackedLines, list[ReportLine]] | None = None


def packed(report: MergeReport) -> MergeReport:
    """The report with its lines packed (PackedLines), once nothing is added to them."""
    if isinstance(report.lines, PackedLines):
        return report
    return replace(report, lines=PackedLines(report.lines))
