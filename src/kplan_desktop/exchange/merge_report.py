"""What a merge says: a file's notes, catalog versions by name, and the report of its rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from kplan_desktop.domain.catalog_diff import CatalogVersion
from kplan_desktop.domain.validation import Finding
from kplan_desktop.exchange.evaluation_exchange import (
    PlannedEvaluation,
)
from kplan_desktop.exchange.evaluation_exchange import shown as shown_evaluation
from kplan_desktop.exchange.merge_plan import MergePlan, PlannedRow
from kplan_desktop.exchange.payload import (
    MergeReport,
    ReportLine,
    ReportWarning,
    RowOutcome,
)
from kplan_desktop.exchange.workbook_reader import (
    Integrity,
)


def _version_label(versions: Mapping[str, CatalogVersion], digest: str, lang: str) -> str:
    version = versions.get(digest)
    if version is not None:
        return version.label_en() if lang == "en" else version.label()
    return "an unknown version" if lang == "en" else "この端末にない版"


# After a batch that left at least this many new objects, one full collection (one pass over
# everything) is cheaper than letting the collector promote them generation by generation.
def _file_notes(
    plan: MergePlan,
    ours: str | None,
    versions: Mapping[str, CatalogVersion],
    read_integrity: Integrity | None,
) -> None:
    """File-level notes; `read_integrity`: what the reader found, before an unverified file was
    marked edited (so that the note names the real reason). A re-saved file is said once, by
    the reader, naming the program that saved it."""
    workbook = plan.workbook

    def note(ja: str, en: str) -> None:
        plan.notes_ja.append(ja)
        plan.notes_en.append(en)

    if plan.already_received:
        note("このファイルは取り込み済みです", "This file has been merged before")
    if workbook.integrity == "edited" and read_integrity != "edited":
        note(
            "署名で確認できないファイルのため、すべての行を検証しました（チェックサムは一致）",
            "The signature vouches for nothing, so every row was validated (the checksums match)",
        )
    elif workbook.integrity == "edited":
        note(
            "チェックサムが一致しません。プログラムの外で編集されたため、すべての行を検証しました",
            "Checksum mismatch: edited outside the program, so every row was validated",
        )
    elif workbook.integrity == "template":
        note(
            "記入用テンプレートからの取り込みです（チェックサムなし、すべてのセルを検証）",
            "From a fill-in template (no checksum; every cell validated)",
        )
    if workbook.catalog_hash and ours and workbook.catalog_hash != ours:
        theirs = workbook.catalog_hash
        note(
            f"カタログの版が違います（ファイル: {_version_label(versions, theirs, 'ja')}、"
            f"データベース: {_version_label(versions, ours, 'ja')}）。"
            "指標・課・単位の違う行は却下しました",
            f"Catalog version differs (file: {_version_label(versions, theirs, 'en')}, "
            f"database: {_version_label(versions, ours, 'en')}); rows whose indicator, "
            "department or unit differ are rejected",
        )


def _rows(count: int) -> str:
    """'1 row has' / '3 rows have', for English messages."""
    return "1 row has" if count == 1 else f"{count} rows have"


def _evaluation_lines(evaluations: list[PlannedEvaluation]) -> list[ReportLine]:
    return [
        ReportLine(
            sheet_row=e.incoming.sheet_row,
            indicator=e.label,
            fiscal_year=e.incoming.fiscal_year,
            outcome=RowOutcome.UPDATED if e.take_file else e.outcome,
            reason_ja=e.reason_ja,
            reason_en=e.reason_en,
            file_value=shown_evaluation(e.incoming.evaluation),
            db_value=None if e.stored is None else shown_evaluation(e.stored.evaluation),
        )
        for e in evaluations
    ]


def _report(
    plan: MergePlan,
    rows: list[PlannedRow],
    who: str,
    moment: datetime,
    *,
    dry_run: bool,
    written: bool,
    accepted: bool = False,
    held: bool = False,
    also: list[ReportLine] | None = None,
) -> MergeReport:
    """The report of a file's rows (and `also`: its evaluations' lines), its lines a list."""
    workbook = plan.workbook
    return MergeReport(
        held_for_warnings=held,
        generation=plan.generation,
        file=plan.path.name,
        sha256=workbook.sha256,
        kind=plan.kind,
        department=workbook.department,
        fiscal_year=workbook.fiscal_year,
        merged_at=moment,
        merged_by=who,
        dry_run=dry_run,
        written=written,
        lines=[
            ReportLine(
                sheet_row=row.incoming.sheet_row,
                indicator=row.incoming.indicator,
                fiscal_year=row.incoming.fiscal_year,
                outcome=row.outcome,
                reason_ja=_with_warnings(row.reason_ja, row.warnings, "ja", accepted),
                reason_en=_with_warnings(row.reason_en, row.warnings, "en", accepted),
                file_value=row.file_value,
                db_value=row.db_value,
                warnings=tuple(
                    ReportWarning(w.code, w.message_ja, w.message_en) for w in row.warnings
                ),
                stored_value=_stored_value(row),
                unit=plan.units.get(row.incoming.indicator) or None,
                sheet=row.incoming.value_sheet,
                cell=row.incoming.value_cell,
            )
            for row in rows
        ]
        + (also or []),
        notes_ja=list(plan.notes_ja),
        notes_en=list(plan.notes_en),
    )


def _stored_value(row: PlannedRow) -> str | None:
    """What the row stores, as text; the file's own text when the two are equal (most rows),
    so that a report kept in memory holds one string for both (issue 20's memory)."""
    if row.result is None:
        return None
    stored = row.result.new[0]
    return row.file_value if stored is not None and stored == row.file_value else stored


def _with_warnings(reason: str, warnings: tuple[Finding, ...], lang: str, accepted: bool) -> str:
    """The row's reason with its unexplained warnings, so that every listing of the report (the
    preview, the CLI, the 取込結果 sheet) says them."""
    if not warnings:
        return reason
    if lang == "ja":
        head = "警告（コメントなし・承知の上で取込）" if accepted else "警告（コメントなし）"
    else:
        head = "warning without a comment, accepted" if accepted else "warning without a comment"
    texts = [f"{head}: {w.code} {w.message(lang)}" for w in warnings]
    return ("；" if lang == "ja" else "; ").join(x for x in (reason, *texts) if x)
