"""Finalising a department's year, and what the planning database keeps about merged files."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, text

from kplan_desktop.domain.audit_words import export_detail
from kplan_desktop.domain.catalog import unknown_department
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.validation import Severity
from kplan_desktop.store.actuals import department_exists, read_actuals, stored_findings
from kplan_desktop.store.audit import SOURCES, as_utc, now, record
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import DATABASE_ID_KEY, meta_value
from kplan_desktop.store.generations import require_writable
from kplan_desktop.store.models import finalisation_table, merge_report_table, submission_table
from kplan_desktop.store.requests import EntrySource


@dataclass(frozen=True)
class Finalisation:
    department: str
    fiscal_year: int
    finalised_by: str
    finalised_at: datetime


@dataclass(frozen=True)
class SubmissionRecord:
    """A submission the planning database has received (one per file content)."""

    department: str
    fiscal_year: int
    file: str
    sha256: str
    kind: str
    exported_at: datetime | None  # None for a template
    finalised_by: str | None
    finalised_at: datetime | None
    merged_at: datetime
    merged_by: str
    rows: int
    origin_db: str | None = None
    catalog_hash: str | None = None


@dataclass(frozen=True)
class StoredReport:
    """A merge report as saved: the exchange layer reads its JSON body."""

    at: datetime
    who: str
    file: str
    sha256: str
    body: str


def database_id(conn: Connection) -> str:
    found = meta_value(conn, DATABASE_ID_KEY)
    assert found is not None, "every migrated database has an id"
    return found


def finalisation(
    conn: Connection, generation: int, department: str, fiscal_year: int
) -> Finalisation | None:
    f = finalisation_table.c
    row = (
        conn.execute(
            select(finalisation_table).where(
                f.generation == generation,
                f.department_code == department,
                f.fiscal_year == fiscal_year,
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return Finalisation(department, fiscal_year, row["finalised_by"], as_utc(row["finalised_at"]))


@dataclass(frozen=True)
class OpenItem:
    """One thing that stands between a department's year and 確定."""

    indicator_code: str
    message_ja: str
    message_en: str
    missing: bool = False  # no value and no reason yet (else an error or unexplained warning)

    def text(self, lang: str = "ja") -> str:
        message = self.message_en if lang == "en" else self.message_ja
        return f"{self.indicator_code}: {message}"


def open_items(
    conn: Connection, generation: int, department: str, fiscal_year: int
) -> list[OpenItem]:
    """What stands between a department's year and 確定, in the catalog's order."""
    catalog = read_catalog(conn, generation)
    if catalog is None:
        return []
    catalog.check_choice(department, fiscal_year)
    mine = [i for _, _, _, i in catalog.indicators() if i.owner_for(fiscal_year) == department]
    owned = [i.code for i in mine]
    no_unit = {i.code for i in mine if i.unit is None}
    entered = {
        a.indicator_code
        for a in read_actuals(conn, generation, department=department, fiscal_year=fiscal_year)
    }
    items = [
        OpenItem(
            code,
            "単位が未設定のため値は入れられません。未集計・該当なし・非公表のどれかを入れてください",
            "the unit is not set, so no value can be entered: enter 未集計, 該当なし or 非公表",
            missing=True,
        )
        if code in no_unit
        else OpenItem(code, "値も未記入の理由もありません", "no value and no reason", missing=True)
        for code in owned
        if code not in entered
    ]
    for found in stored_findings(conn, generation):
        if found.indicator_code not in owned or found.fiscal_year != fiscal_year:
            continue
        finding = found.finding
        if finding.severity is Severity.ERROR:
            items.append(OpenItem(found.indicator_code, finding.message_ja, finding.message_en))
        elif not found.explained:
            items.append(
                OpenItem(
                    found.indicator_code,
                    f"コメントのない警告: {finding.message_ja}",
                    f"warning without a comment: {finding.message_en}",
                )
            )
    order = {code: n for n, code in enumerate(owned)}
    return sorted(items, key=lambda item: order.get(item.indicator_code, len(order)))


def finalise(
    conn: Connection,
    generation: int,
    department: str,
    fiscal_year: int,
    *,
    who: str,
    source: EntrySource,
    request_key: str | None = None,
) -> bool:
    """Mark the department's year of a generation 確定; False if it already was. Refused while
    anything is open, and in a closed generation.

    request_key: the write's idempotency key (see Store.write); a fresh one if not given."""
    _check(conn, department, source)
    require_writable(conn, generation)
    if finalisation(conn, generation, department, fiscal_year) is not None:
        return False
    catalog = read_catalog(conn, generation)
    if catalog is not None and not any(
        i.owner_for(fiscal_year) == department for _, _, _, i in catalog.indicators()
    ):
        raise DomainError(
            "E_NOTHING_TO_FINALISE",
            f"課 {department} が担当する指標はありません。確定するものがありません",
            f"Department {department} owns no indicator; there is nothing to finalise",
        )
    items = open_items(conn, generation, department, fiscal_year)
    if items:
        more = "\n  …" if len(items) > 10 else ""
        shown_ja = "\n  ".join(item.text("ja") for item in items[:10]) + more
        shown_en = "\n  ".join(item.text("en") for item in items[:10]) + more
        raise DomainError(
            "E_NOT_COMPLETE",
            f"確定できません。残っている項目が {len(items)} 件あります:\n  {shown_ja}",
            f"Cannot finalise: {len(items)} item(s) still open:\n  {shown_en}",
        )
    key = request_key or uuid.uuid4().hex
    if conn.dialect.name == "postgresql":
        # The server's write function: the login's department, the year lock, the audit row.
        done = conn.scalar(
            text("SELECT kplan_finalise(:g, :d, :y, :s, :k, :c)"),
            {"g": generation, "d": department, "y": fiscal_year, "s": source, "k": key, "c": who},
        )
        return bool(done)
    moment = now()
    conn.execute(
        insert(finalisation_table),
        {
            "generation": generation,
            "department_code": department,
            "fiscal_year": fiscal_year,
            "finalised_by": who,
            "finalised_at": moment,
        },
    )
    record(
        conn,
        who=who,
        source=source,
        action="finalise",
        generation=generation,
        fiscal_year=fiscal_year,
        detail=f"department={department}",
        at=moment,
    )
    return True


def withdraw_finalisation(
    conn: Connection,
    generation: int,
    department: str,
    fiscal_year: int,
    *,
    who: str,
    source: EntrySource,
    request_key: str | None = None,
) -> bool:
    """Withdraw 確定 so values can change again; False if the year was not finalised."""
    _check(conn, department, source)
    require_writable(conn, generation)
    if conn.dialect.name == "postgresql":
        key = request_key or uuid.uuid4().hex
        done = conn.scalar(
            text("SELECT kplan_withdraw(:g, :d, :y, :s, :k, :c)"),
            {"g": generation, "d": department, "y": fiscal_year, "s": source, "k": key, "c": who},
        )
        return bool(done)
    f = finalisation_table.c
    gone = conn.execute(
        delete(finalisation_table).where(
            f.generation == generation,
            f.department_code == department,
            f.fiscal_year == fiscal_year,
        )
    ).rowcount
    if gone:
        record(
            conn,
            who=who,
            source=source,
            action="withdraw",
            generation=generation,
            fiscal_year=fiscal_year,
            detail=f"department={department}",
        )
    return bool(gone)


def _check(conn: Connection, department: str, source: EntrySource) -> None:
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    if not department_exists(conn, department):
        raise unknown_department(department)


def save_submission(conn: Connection, generation: int, received: SubmissionRecord) -> None:
    """Inside a merge's transaction: remember the file (once per content) and the generation
    it was merged into."""
    require_writable(conn, generation)
    s = submission_table.c
    if conn.scalar(select(s.id).where(s.sha256 == received.sha256)) is not None:
        return
    conn.execute(
        insert(submission_table),
        {
            "generation": generation,
            "department_code": received.department,
            "fiscal_year": received.fiscal_year,
            "file": received.file,
            "sha256": received.sha256,
            "kind": received.kind,
            "origin_db": received.origin_db,
            "catalog_hash": received.catalog_hash,
            "exported_at": received.exported_at,
            "finalised_by": received.finalised_by,
            "finalised_at": received.finalised_at,
            "merged_at": received.merged_at,
            "merged_by": received.merged_by,
            "rows": received.rows,
        },
    )


def is_received(conn: Connection, sha256: str) -> bool:
    s = submission_table.c
    return conn.scalar(select(s.id).where(s.sha256 == sha256)) is not None


def submissions(conn: Connection, generation: int) -> list[SubmissionRecord]:
    """The files merged into a generation."""
    s = submission_table.c
    rows = conn.execute(
        select(submission_table)
        .where(s.generation == generation)
        .order_by(s.department_code, s.fiscal_year, s.merged_at)
    ).mappings()
    return [
        SubmissionRecord(
            department=row["department_code"],
            fiscal_year=row["fiscal_year"],
            file=row["file"],
            sha256=row["sha256"],
            kind=row["kind"],
            exported_at=_utc(row["exported_at"]),
            finalised_by=row["finalised_by"],
            finalised_at=_utc(row["finalised_at"]),
            merged_at=as_utc(row["merged_at"]),
            merged_by=row["merged_by"],
            rows=row["rows"],
            origin_db=row["origin_db"],
            catalog_hash=row["catalog_hash"],
        )
        for row in rows
    ]


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)


def save_report(conn: Connection, report: StoredReport) -> None:
    conn.execute(
        insert(merge_report_table),
        {
            "at": report.at,
            "who": report.who,
            "file": report.file,
            "sha256": report.sha256,
            "body": report.body,
        },
    )


def latest_reports(conn: Connection, limit: int = 200) -> list[StoredReport]:
    """The newest merge reports first."""
    m = merge_report_table.c
    rows = conn.execute(select(merge_report_table).order_by(m.id.desc()).limit(limit)).mappings()
    return [
        StoredReport(as_utc(r["at"]), r["who"], r["file"], r["sha256"], r["body"]) for r in rows
    ]


def record_export(
    conn: Connection,
    generation: int,
    department: str,
    fiscal_year: int,
    file_name: str,
    *,
    rows: int,
    draft: bool,
    who: str,
    source: EntrySource,
) -> None:
    """The audit row of a written submission workbook: what was sent and when, by file name
    (never its folder, which names the machine)."""
    record(
        conn,
        who=who,
        source=source,
        action="export",
        generation=generation,
        fiscal_year=fiscal_year,
        detail=export_detail(
            department=department,
            fiscal_year=fiscal_year,
            file_name=file_name,
            rows=rows,
            draft=draft,
        ),
    )
