"""A department's submission workbook and fill-in template, from the database to a file."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

from kplan_desktop import __version__
from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.exchange.evaluation_exchange import evaluation_rows, evaluations_sha256
from kplan_desktop.exchange.payload import SubmissionHeader, ValueRow, payload_sha256
from kplan_desktop.exchange.signing import sign, signed_message
from kplan_desktop.exchange.submission_template import write_template
from kplan_desktop.exchange.submission_xlsx import write_submission
from kplan_desktop.progress import CancelCheck, Progress
from kplan_desktop.store.audit import current_user, now
from kplan_desktop.store.catalog import catalog_hash_key
from kplan_desktop.store.engine import Store, meta_value
from kplan_desktop.store.evaluations import owned_measures, read_evaluations
from kplan_desktop.store.generations import choose_generation
from kplan_desktop.store.keys import own_private_key
from kplan_desktop.store.overview import IndicatorOverview, overview
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import database_id, finalisation, record_export


def submission_rows(rows: list[IndicatorOverview], fiscal_year: int) -> list[ValueRow]:
    """Every stored value of these indicators up to the year: what a submission carries.

    Earlier years travel too, so a correction to last year's value reaches the planning
    division the same way; the merge reports them as unchanged when they are.
    """
    values = []
    for item in rows:
        for year, actual in sorted(item.values.items()):
            if year > fiscal_year:
                continue
            values.append(
                ValueRow(
                    indicator=actual.indicator_code,
                    fiscal_year=year,
                    value=actual.text,
                    missing_reason=(
                        None if actual.missing_reason is None else actual.missing_reason.value
                    ),
                    comment=actual.comment or "",
                    entered_by=actual.entered_by,
                    entered_at=actual.entered_at,
                    revision=actual.revision,
                    replaces=actual.replaces,
                    unit=item.indicator.unit,
                )
            )
    return values


def _department_rows(
    conn: Connection, generation: int, department: str, fiscal_year: int
) -> tuple[Catalog, list[IndicatorOverview]]:
    catalog, rows = overview(conn, generation, department=department, fiscal_year=fiscal_year)
    catalog.check_choice(department, fiscal_year)
    for known in catalog.departments:
        merged = known.merged_into and known.until_year is not None
        if known.code == department and merged and fiscal_year > (known.until_year or 0):
            raise DomainError(
                "E_DEPARTMENT_MERGED",
                f"課 {department} は{known.until_year}年度までで {known.merged_into} に統合"
                f"されています。{fiscal_year}年度は {known.merged_into} が提出します",
                f"Department {department} was merged into {known.merged_into} after "
                f"FY{known.until_year}; {known.merged_into} submits FY{fiscal_year}",
            )
    return catalog, rows


def export_submission(
    store: Store,
    department: str,
    fiscal_year: int,
    path: str | os.PathLike[str],
    *,
    draft: bool = False,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    moment: datetime | None = None,
    generation: int | str | None = None,
    who: str | None = None,
    source: EntrySource = EntrySource.CLI,
) -> SubmissionHeader | None:
    """Write the submission workbook; None if cancelled (no file then).

    An unfinalised year is refused unless `draft`: a draft says so on every sheet.
    `generation`: the plan generation the file is of and names (None: the one whose period
    holds the year). `who`
    and `source` (the acting user, the window or the command) are what the audit names if the
    installation's signing key is made on the way.
    """

    # One transaction: what is signed is one moment of the database (the own key is made in
    # it the first time); the file is written inside it and the export's audit row with it, so
    # a failed write leaves neither key nor row, and a failed commit leaves no file.
    target = Path(path)
    written = False
    try:
        with store.transaction() as conn:
            number = choose_generation(conn, generation, fiscal_year)
            catalog, rows = _department_rows(conn, number, department, fiscal_year)
            done = finalisation(conn, number, department, fiscal_year)
            if done is None and not draft:
                year = format_fiscal_year(fiscal_year, FiscalYearStyle.ERA)
                raise DomainError(
                    "E_NOT_FINALISED",
                    f"{year}はまだ確定していません。確定してから書き出すか、下書きとして書き出して"
                    "ください（kplan finalise / export --draft）",
                    f"FY{fiscal_year} is not finalised: finalise it first, or export a draft "
                    "(kplan finalise / export --draft)",
                )
            stored_evaluations = read_evaluations(conn, number)
            owned = owned_measures(conn, number, department)
            database = database_id(conn)
            key = own_private_key(conn, who=who or current_user(), source=source)
            catalog_hash = meta_value(conn, catalog_hash_key(number)) or ""
            values = submission_rows(rows, fiscal_year)
            evaluations = evaluation_rows(
                catalog, department, fiscal_year, stored_evaluations, owned
            )
            digest = payload_sha256(values, number)
            unsigned = SubmissionHeader(
                department=department,
                fiscal_year=fiscal_year,
                catalog_hash=catalog_hash,
                program_version=__version__,
                exported_at=moment or now(),
                database=database,
                finalised_by=None if done is None else done.finalised_by,
                finalised_at=None if done is None else done.finalised_at,
                row_count=len(values),
                payload_sha256=digest,
                evaluation_sha256=evaluations_sha256(row.texts() for row in evaluations),
                draft_flag="no" if done is not None else "yes",
                generation=number,
            )
            header = replace(unsigned, signature=sign(key, signed_message(unsigned)))
            written = write_submission(
                target,
                header,
                catalog,
                rows,
                values,
                evaluations=evaluations,
                progress=progress,
                cancelled=cancelled,
            )
            if not written:
                return None
            # What was sent, for the department to see later: the file's name (never the
            # folder, which names the machine), the department, the year, draft or not.
            record_export(
                conn,
                number,
                department,
                fiscal_year,
                target.name,
                rows=len(values),
                draft=done is None,
                who=who or current_user(),
                source=source,
            )
            return header
    except BaseException:
        if written:
            target.unlink(missing_ok=True)  # the database did not record it: no file either
        raise


def export_template(
    store: Store,
    department: str,
    fiscal_year: int,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    generation: int | str | None = None,
) -> bool:
    """Write the fill-in template for a department without the program; False if cancelled.

    `generation`: the plan generation the file is of and names (None: the one whose period
    holds the year)."""

    with store.snapshot() as conn:
        number = choose_generation(conn, generation, fiscal_year)
        catalog, rows = _department_rows(conn, number, department, fiscal_year)
        catalog_hash = meta_value(conn, catalog_hash_key(number)) or ""
    return write_template(
        Path(path),
        catalog,
        rows,
        department=department,
        fiscal_year=fiscal_year,
        catalog_hash=catalog_hash,
        program_version=__version__,
        generation=number,
        progress=progress,
        cancelled=cancelled,
    )
