"""What travels between databases in a workbook: value rows with their revisions, and a header.

Workbook writers and readers, the merge and the consolidated report all speak these types; the
workbook layout lives in their own modules.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter

from kplan_desktop.domain.revision import Revision as Revision  # re-exported for the exchange
from kplan_desktop.store.submissions import SubmissionRecord as SubmissionRecord

SUBMISSION_FORMAT = "kplan-submission/1"
TEMPLATE_FORMAT = "kplan-template/1"


@dataclass(frozen=True)
class ValueRow:
    """One stored value (or explained absence) of one indicator in one fiscal year."""

    indicator: str
    fiscal_year: int
    value: str | None  # the exact canonical text the store keeps, e.g. "1225" or "98.7"
    missing_reason: str | None  # a MissingReason code when there is no value
    comment: str
    entered_by: str
    entered_at: datetime  # aware, UTC
    revision: Revision | None
    replaces: Revision | None
    unit: str | None = None  # the catalog's unit when the value was entered; None if not set

    def key(self) -> tuple[str, int]:
        return (self.indicator, self.fiscal_year)


@dataclass(frozen=True)
class SubmissionHeader:
    """The metadata sheet of a submission workbook."""

    department: str
    fiscal_year: int
    catalog_hash: str
    program_version: str
    exported_at: datetime
    database: str  # the exporting database's id
    finalised_by: str | None
    finalised_at: datetime | None
    row_count: int
    payload_sha256: str
    format: str = SUBMISSION_FORMAT
    signature: str | None = None  # exchange/signing: Ed25519 over signed_message(this header)
    evaluation_sha256: str = ""  # of the 施策評価 rows (evaluation_exchange); "" in older files
    draft_flag: str = ""  # the meta sheet's draft cell as written ("yes"/"no") or read
    # The plan generation the file names (its meta sheet's generation cell); None in a file of
    # the release before generations, which belongs to the first generation. The payload
    # checksum and the signature cover it whenever it is named.
    generation: int | None = None

    @property
    def draft(self) -> bool:
        return self.finalised_at is None


class RowOutcome(enum.Enum):
    """What the merge did (or, in a dry run, would do) with one row of a file."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    REJECTED = "rejected"

    @property
    def label_ja(self) -> str:
        return _OUTCOME_JA[self]


_OUTCOME_JA = {
    RowOutcome.NEW: "新規",
    RowOutcome.UPDATED: "更新",
    RowOutcome.UNCHANGED: "変更なし",
    RowOutcome.CONFLICT: "競合",
    RowOutcome.REJECTED: "却下",
}


@dataclass(frozen=True)
class ReportWarning:
    """A warning of the entry rules on a merged row that its file's comment does not explain."""

    code: str
    message_ja: str
    message_en: str


@dataclass(frozen=True, slots=True)
class ReportLine:
    """One row of an import report: where it came from, what happened, and why. (Slots: a
    preview of many files shows them all; a finished report keeps them packed.)"""

    sheet_row: int | None  # the row number in the file's sheet, for the clerk to find it
    indicator: str
    fiscal_year: int | None
    outcome: RowOutcome
    reason_ja: str = ""
    reason_en: str = ""
    file_value: str | None = None  # the file's value (or missing-reason label), as text
    db_value: str | None = None  # the database's value before the merge, as text
    # Warnings the window would ask a comment for, and the file gave none (see apply_merge).
    warnings: tuple[ReportWarning, ...] = ()
    # What the merge stores (or would) from the file's value, in the indicator's unit: the
    # typed 3,412,000人 is stored 341.2 (万人). None when the row stores nothing.
    stored_value: str | None = None
    unit: str | None = None
    # Where the value is in the file, as a person finds it: the sheet's visible name and the
    # cell (記入, F6). None where unknown (reports stored before they were kept).
    sheet: str | None = None
    cell: str | None = None

    @property
    def place_ja(self) -> str:
        """記入 シート F6, or 行6 where the cell is unknown; '' when neither is known."""
        if self.sheet and self.cell:
            return f"{self.sheet} シート {self.cell}"
        return "" if self.sheet_row is None else f"行{self.sheet_row}"

    @property
    def place_en(self) -> str:
        if self.sheet and self.cell:
            return f"sheet {self.sheet}, cell {self.cell}"
        return "" if self.sheet_row is None else f"row {self.sheet_row}"

    @property
    def stored_text(self) -> str | None:
        """The stored value with its unit (341.2万人); None when the row stores nothing."""
        if self.stored_value is None:
            return None
        return f"{self.stored_value}{self.unit or ''}"

    @property
    def db_text(self) -> str | None:
        """The database's value before the merge, a number with its unit (a reason as is)."""
        value = self.db_value
        if value is None or not self.unit or _NUMBER.fullmatch(value) is None:
            return value
        return f"{value}{self.unit}"

    @property
    def file_text(self) -> str | None:
        """The stored value and its unit, beside the typed text where they differ, as the
        merge preview shows it: 341.2万人（入力: 3,412,000人）."""
        stored, typed = self.stored_text, self.file_value
        if stored is None:
            return typed
        if typed is None or typed.strip() in (stored, self.stored_value):
            return stored
        return f"{stored}（入力: {typed}）"


@dataclass(frozen=True)
class MergeReport:
    """The outcome of merging one file."""

    file: str  # the file's name as given
    sha256: str  # of the whole file
    kind: str  # "submission", "edited" (checksum mismatch), "resaved", or "template"
    department: str | None
    fiscal_year: int | None
    merged_at: datetime
    merged_by: str
    dry_run: bool
    written: bool  # False when nothing was written (dry run, refused, all unchanged)
    # A list while the report is made; packed (merge_report_json.PackedLines) once made.
    lines: Sequence[ReportLine] = field(default_factory=list)
    notes_ja: list[str] = field(default_factory=list)  # file-level: draft, catalog mismatch …
    notes_en: list[str] = field(default_factory=list)
    # Nothing written because rows have warnings without a comment (and they were not accepted).
    held_for_warnings: bool = False
    # The plan generation the file was merged into (None in reports stored before generations).
    generation: int | None = None

    def count(self, outcome: RowOutcome) -> int:
        return sum(1 for line in self.lines if line.outcome is outcome)

    @property
    def warned(self) -> list[ReportLine]:
        """The lines with warnings that no comment explains."""
        return [line for line in self.lines if line.warnings]


def utc_text(moment: datetime) -> str:
    """An instant as fixed ISO text in UTC, to the second: 2026-05-31T09:15:00Z."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    """The inverse of utc_text. ValueError if the text is not in exactly that form."""
    text = text.strip()
    if len(text) != 20 or text[10] != "T" or text[-1] != "Z" or not text[:4].isdigit():
        raise ValueError(f"not a UTC time: {text[:40]!r}")
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def canonical_payload(rows: Iterable[ValueRow], generation: int | None = None) -> bytes:
    """The rows in one fixed serialisation: sorted by indicator and year, one line each.

    Fields are separated by tabs; a tab, newline or backslash inside a field is escaped, so
    two different row sets never serialise alike. A file that names its plan generation
    starts with a `generation<TAB>N` line (two fields: never a row's ten), so its checksum
    changes when the generation cell does; a file of the previous release names none.
    """
    moments: dict[datetime, str] = {}  # values entered together share their time
    lines = []
    for row in rows:
        moment = moments.get(row.entered_at)
        if moment is None:
            moment = moments[row.entered_at] = utc_text(row.entered_at)
        line = payload_line(
            row.indicator,
            row.fiscal_year,
            row.value,
            row.missing_reason,
            row.comment,
            row.entered_by,
            moment,
            row.revision,
            row.replaces,
            row.unit,
        )
        lines.append((row.key(), line))
    return _joined(lines, generation)


def payload_line(
    indicator: str,
    fiscal_year: int,
    value: str | None,
    missing_reason: str | None,
    comment: str,
    entered_by: str,
    entered_at: str,
    revision: Revision | None,
    replaces: Revision | None,
    unit: str | None,
) -> str:
    """One ValueRow's line of the canonical payload, from its fields (`entered_at` as utc_text).

    A reader checking a file builds the lines from the cells it read, without a ValueRow each.
    """
    fields = [
        indicator,
        str(fiscal_year),
        value or "",
        missing_reason or "",
        comment,
        entered_by,
        entered_at,
        "" if revision is None else str(revision),
        "" if replaces is None else str(replaces),
        unit or "",
    ]
    if _SPECIAL.search("".join(fields)):  # one search per row: escaping is rare
        return "\t".join(escape_field(f) if _SPECIAL.search(f) else f for f in fields)
    return "\t".join(fields)


def _joined(lines: Iterable[tuple[tuple[str, int], str]], generation: int | None) -> bytes:
    ordered = sorted(lines, key=itemgetter(0))
    text = "\n".join(line for _, line in ordered) + "\n"
    if generation is not None:
        text = f"generation\t{generation}\n{text}"
    return text.encode("utf-8")


def payload_sha256(rows: Iterable[ValueRow], generation: int | None = None) -> str:
    return hashlib.sha256(canonical_payload(rows, generation)).hexdigest()


def lines_sha256(
    lines: Iterable[tuple[tuple[str, int], str]], generation: int | None = None
) -> str:
    """payload_sha256 of rows given as their keys and payload_line texts."""
    return hashlib.sha256(_joined(lines, generation)).hexdigest()


_SPECIAL = re.compile(r"[\\\t\n\r]")
# A stored value as the database keeps it (98.7, -3): shown with its unit.
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def escape_field(text: str) -> str:
    """A field of a checksummed line: a tab, newline, CR or backslash inside it escaped."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
