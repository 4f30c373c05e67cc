"""The merge report as JSON: the CLI's --json and the reports stored with each merge."""

from __future__ import annotations

import json
from typing import Any

from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.exchange.payload import (
    MergeReport,
    ReportLine,
    ReportWarning,
    RowOutcome,
    parse_utc,
    utc_text,
)

__all__ = ["report_from_json", "report_to_dict", "report_to_json"]


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
        "lines": [
            (
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
            for line in report.lines
        ],
        "held_for_warnings": report.held_for_warnings,
        "generation": report.generation,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def report_from_json(text: str) -> MergeReport:
    data = json.loads(text)
    index = {name: n for n, name in enumerate(data["columns"])}

    def line(row: list[object]) -> ReportLine:
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
