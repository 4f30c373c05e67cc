"""The planning division's merge: a submission or template into the planning database.

Two steps, so the window can show a preview: `plan_merge` reads the file and decides every row's
outcome without writing; `apply_merge` writes what the plan says, through the store's one write
function, in one transaction per file (values, the submission record and the report together).

How a row is decided (a value travels with its revision and the revision it replaced):
- nothing stored yet → new; the same content → unchanged;
- the stored value is the one the file's value replaced → updated;
- anything else → conflict: nothing is overwritten (the planning division corrected it, or an
  older file arrives after a newer one); the planning division takes the file's or keeps its own.
A template, or a submission whose checksum does not match (edited outside the program), has no
trustworthy revisions: it may only update values that came from such files of that department.

Modules: merge_plan (the types), merge_checks (file-level checks: signature, printable sheet),
merge_report (notes and the report), merge_report_json (the report as JSON).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Connection

from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.errors import Conflict, DomainError, no_catalog
from kplan_desktop.domain.generation_number import E_GENERATION_UNKNOWN, unknown_generation_problem
from kplan_desktop.domain.lineage import Incoming, Lineage, decide
from kplan_desktop.domain.model import PlanSettings
from kplan_desktop.domain.revision import Revision
from kplan_desktop.domain.validation import EntryCheck
from kplan_desktop.exchange.evaluation_exchange import (
    PlannedEvaluation,
    apply_evaluations,
    plan_evaluations,
)
from kplan_desktop.exchange.gate import rejection
from kplan_desktop.exchange.generations import current_generation, held_generations
from kplan_desktop.exchange.merge_checks import (
    _check_file,
    _check_signature,
    _check_visible,
    _distrust,
    _file_text,
    _rejected,
    check_generation,
    explain_catalog_changes,
    pasted_fraction_refusal,
)
from kplan_desktop.exchange.merge_conflict import explain_conflict
from kplan_desktop.exchange.merge_plan import (
    KIND_OF,
    Key,
    MergeChanged,
    MergeContext,
    MergePlan,
    PlannedRow,
    Take,
    Trust,
)
from kplan_desktop.exchange.merge_report import _evaluation_lines, _file_notes, _report, _rows
from kplan_desktop.exchange.merge_report_json import (
    packed,
    report_from_json,
    report_to_dict,
    report_to_json,
)
from kplan_desktop.exchange.next_generation import fill_pending_baselines
from kplan_desktop.exchange.payload import (
    MergeReport,
    RowOutcome,
)
from kplan_desktop.exchange.workbook_reader import (
    DEFAULT_LIMITS,
    IncomingRow,
    IncomingWorkbook,
    Limits,
    read_exchange_workbook,
)
from kplan_desktop.progress import CancelCheck, Progress
from kplan_desktop.store.actuals import (
    ActualView,
    EntryRefused,
    EntryRequest,
    EntryResult,
    KnownCatalog,
    Outcome,
    commit_checked,
    read_actuals,
    write_actuals,
)
from kplan_desktop.store.audit import last_value_entry, now
from kplan_desktop.store.catalog import CatalogSnapshot, catalog_hash_key, read_catalog_snapshot
from kplan_desktop.store.catalog_versions import catalog_versions
from kplan_desktop.store.engine import Store, meta_value
from kplan_desktop.store.evaluations import measure_owners, read_evaluations
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import (
    StoredReport,
    SubmissionRecord,
    database_id,
    is_received,
    latest_reports,
    save_report,
    save_submission,
)


def merge_context(store: Store) -> MergeContext:
    """The context of a merge session, read in one snapshot."""
    with store.snapshot() as conn:
        return _context(conn)


def _context(conn: Connection) -> MergeContext:
    held = held_generations(conn)
    if not held:
        raise no_catalog()
    generation = current_generation(conn, held)
    # Every generation's versions: a file's catalog is named whichever plan it is of.
    versions = {
        r.version.catalog_hash: r.version for number in held for r in catalog_versions(conn, number)
    }
    return MergeContext(
        held[generation], database_id(conn), versions, generation=generation, catalogs=held
    )


def _route(context: MergeContext, workbook: IncomingWorkbook, file: str) -> CatalogSnapshot:
    """The catalog of the generation the file names; a generation the database does not hold
    refuses the whole file (nothing is read in), naming the file's generation cell."""
    catalog = context.catalog_of(workbook.generation)
    if catalog is None:
        ja, en = unknown_generation_problem(
            workbook.generation_place_ja,
            workbook.generation_place_en,
            workbook.generation,
            context.held,
        )
        raise rejection(E_GENERATION_UNKNOWN, file, ja, en)
    return catalog


_COLLECT_AFTER = 50_000


@contextmanager
def planning_batch() -> Iterator[None]:
    """Pause the cyclic garbage collector while files are planned (plan_merge uses it per file;
    a caller that keeps the plans of many files, as the preview does, wraps the whole batch).

    A file's rows become tens of thousands of small objects without reference cycles, freed by
    reference counting alone. Left running, the collector rescans every row already planned —
    all the earlier files of a batch — each time its oldest generation grows by a quarter:
    about a sixth of the time of planning 60 files. When the batch ends, a batch that left many
    new objects is collected once, in one pass (which also frees the few cyclic objects
    openpyxl leaves per file); otherwise the collector simply runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            if gc.get_count()[0] >= _COLLECT_AFTER:
                gc.collect()


def plan_merge(
    store: Store,
    path: str | os.PathLike[str],
    *,
    context: MergeContext | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    accept_unsigned: bool = False,
) -> MergePlan:
    """Read a file and decide every row; WorkbookRejected/DomainError refuse the whole file.

    Pass one `context` (merge_context) when planning many files against the same database.
    `accept_unsigned`: the planning division accepts a file its signature policy would refuse
    (_check_signature); every value it holds that differs from the database is then a conflict.
    """
    with planning_batch():
        return _plan_merge(store, Path(path), context, limits, progress, cancelled, accept_unsigned)


def _plan_merge(
    store: Store,
    source: Path,
    context: MergeContext | None,
    limits: Limits,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    accept_unsigned: bool = False,
) -> MergePlan:
    workbook = read_exchange_workbook(source, limits=limits, progress=progress, cancelled=cancelled)
    # Read: everything the decisions compare against, in one snapshot of the database.
    with store.snapshot() as conn:
        return _plan_read(conn, source, workbook, context or _context(conn), accept_unsigned)


def _plan_read(
    conn: Connection,
    source: Path,
    workbook: IncomingWorkbook,
    context: MergeContext,
    accept_unsigned: bool,
) -> MergePlan:
    catalog = _route(context, workbook, source.name)
    if meta_value(conn, catalog_hash_key(workbook.generation)) != catalog.catalog_hash:
        # The catalog was replaced since the session's context was read: this file is checked
        # against the one its indicators are now read from (they are read in this snapshot).
        catalog = read_catalog_snapshot(conn, workbook.generation) or catalog
    check_generation(conn, workbook, source.name)
    _check_file(catalog.settings, catalog.departments, workbook, source.name)
    indicators = catalog.indicators.select(
        conn, (row.indicator for row in workbook.rows), department=workbook.department
    )
    read_integrity = workbook.integrity  # the reader's verdict, before the signature's
    workbook, trust = _check_signature(conn, workbook, indicators, source.name, accept_unsigned)
    workbook = _check_visible(workbook, trust, source.name)
    kind = KIND_OF.get(workbook.integrity, "template")
    plan = MergePlan(
        trust=trust,
        path=source,
        workbook=workbook,
        kind=kind,
        rows=[],
        already_received=is_received(conn, workbook.sha256),
        notes_ja=list(workbook.notes_ja),
        notes_en=list(workbook.notes_en),
        # Interned: the report keeps a unit per row, and a catalog has a few dozen units.
        units={code: sys.intern(indicator.unit or "") for code, indicator in indicators.items()},
        generation=workbook.generation,
    )
    _file_notes(plan, catalog.catalog_hash, context.versions, read_integrity)
    if len(context.held) > 1:
        # The overlap year: the database holds more than one plan; say which one this file is of.
        plan.notes_ja.append(
            f"第{workbook.generation}期の計画のファイルです（その計画期に取り込みます）"
        )
        plan.notes_en.append(
            f"a file of plan generation {workbook.generation} (merged into that generation)"
        )
    header = workbook.header
    if trust is Trust.NONE and header is not None and header.finalised_by is not None:
        plan.notes_ja.append(
            f"署名で確認できないため、ファイルの確定（{header.finalised_by[:40]}）は記録しません。"
            "下書きとして取り込みます"
        )
        plan.notes_en.append(
            f"The signature vouches for nothing, so the file's finalisation (by "
            f"{header.finalised_by[:40]}) is not recorded: merged as a draft"
        )
    # Only the file's department's indicators can pass: one query by department, not a list of
    # hundreds of codes to bind.
    stored = read_actuals(conn, workbook.generation, department=workbook.department)
    current = {(a.indicator_code, a.fiscal_year): a for a in stored}
    seen: set[Key] = set()
    candidates: list[PlannedRow] = []
    for row in workbook.rows:
        planned = _precheck(catalog.settings, indicators, workbook, row, seen, current)
        plan.rows.append(planned)
        if planned.request is not None:
            candidates.append(planned)
    if candidates:
        known = None
        if catalog.catalog_hash is not None:
            known = KnownCatalog(catalog.catalog_hash, indicators)
        _decide(conn, workbook, candidates, current, context.database, known)
    if (
        workbook.catalog_hash
        and catalog.catalog_hash
        and workbook.catalog_hash != catalog.catalog_hash
    ):
        explain_catalog_changes(conn, plan, workbook.catalog_hash, indicators)
    for planned in plan.rows:
        # What the reader saw beside the row (a value typed outside the input columns).
        incoming = planned.incoming
        if incoming.notes_ja:
            planned.reason_ja = "；".join(x for x in (planned.reason_ja, *incoming.notes_ja) if x)
            planned.reason_en = "; ".join(x for x in (planned.reason_en, *incoming.notes_en) if x)
    if workbook.evaluations:
        measures = {e.measure for e in workbook.evaluations}
        stored_evaluations = {
            (v.evaluation.measure_code, v.evaluation.fiscal_year): v
            for v in read_evaluations(conn, workbook.generation, measure_codes=measures)
        }
        plan.evaluations = plan_evaluations(
            catalog.settings,
            measure_owners(conn, workbook.generation),
            workbook.department,
            workbook.fiscal_year,
            workbook.evaluations,
            stored_evaluations,
            trusted=plan.evaluations_trusted,
            origin=_workbook_origin(workbook.department),
        )
    _distrust(plan)
    return plan


def _precheck(
    settings: PlanSettings,
    indicators: dict[str, Indicator],
    workbook: IncomingWorkbook,
    row: IncomingRow,
    seen: set[Key],
    current: dict[Key, ActualView],
) -> PlannedRow:
    """Rejections that need no database: damaged rows, other departments, other years.

    A row that passes gets the request the write path checks, expecting the stored revision.
    """
    if row.problem_ja is not None:
        return _rejected(row, row.problem_ja, row.problem_en or row.problem_ja)
    indicator = indicators.get(row.indicator)
    if indicator is None:
        return _rejected(
            row,
            f"指標 {row.indicator[:40]} はカタログにありません",
            f"indicator {row.indicator[:40]} is not in the catalog",
        )
    # The file's department must own the indicator in the file's year (a 課 merged into another
    # keeps sending its earlier years; the one it joined sends them from then on).
    owner = indicator.owner_for(workbook.fiscal_year)
    if owner != workbook.department:
        return _rejected(
            row,
            f"{owner} の指標です（このファイルは {workbook.department}）",
            f"owned by {owner}, not by {workbook.department}",
        )
    year = row.fiscal_year
    if year is None or not settings.in_period(year) or year > workbook.fiscal_year:
        return _rejected(
            row,
            f"年度 {year} は計画期間（{settings.start_year}〜{workbook.fiscal_year}年度）の外です",
            f"fiscal year {year} is outside {settings.start_year}–{workbook.fiscal_year}",
        )
    if row.unit is not None and row.unit != (indicator.unit or ""):
        return _rejected(
            row,
            f"単位が違います（ファイル: {row.unit}、カタログ: {indicator.unit or '未設定'}）",
            f"unit mismatch (file: {row.unit}, catalog: {indicator.unit or 'not set'})",
        )
    text = _file_text(row)
    if text is None:
        return _rejected(row, "値も未記入の理由もありません", "neither a value nor a reason")
    if row.value_text is not None and row.missing_reason is not None:
        return _rejected(
            row,
            "値と未記入の理由の両方があります（どちらか一方にしてください）",
            "both a value and a reason for its absence (give one of them)",
        )
    if (row.indicator, year) in seen:
        return _rejected(row, "同じ指標・年度の行がすでにあります", "duplicate indicator and year")
    pasted = pasted_fraction_refusal(indicator, row)
    if pasted is not None:
        return _rejected(row, *pasted)
    key = (row.indicator, year)
    seen.add(key)
    trusted = workbook.integrity in ("verified", "resaved") and row.revision is not None
    stored = current.get(key)
    request = EntryRequest(
        indicator_code=row.indicator,
        fiscal_year=year,
        text=row.value_text if row.value_text is not None else text,
        comment=row.comment,
        revision=row.revision if trusted else None,
        origin=None if trusted else _workbook_origin(workbook.department),
        replaces=row.replaces if trusted else None,
        expected=None if stored is None else stored.revision,
        check_expected=True,
        entered_by=row.entered_by or f"{workbook.department}（テンプレート）",
        entered_at=row.entered_at,
    )
    return PlannedRow(row, RowOutcome.NEW, request=request, file_value=text)


def _workbook_origin(department: str) -> str:
    """The revisions of values that came from files without trustworthy revisions."""
    return f"workbook:{department}"


def _decide(
    conn: Connection,
    workbook: IncomingWorkbook,
    candidates: list[PlannedRow],
    current: dict[Key, ActualView],
    ours: str,
    known: KnownCatalog | None,
) -> None:
    """Validate every candidate with the write path itself (a dry run), then compare revisions."""
    dry = write_actuals(
        conn,
        workbook.generation,
        [p.request for p in candidates if p.request is not None],
        who="preview",
        source=EntrySource.MERGE,
        dry_run=True,
        all_or_nothing=False,
        require_comment=False,
        known=known,
    )
    for planned, result in zip(candidates, dry, strict=True):
        assert planned.key is not None
        stored = current.get(planned.key)
        planned.db_value = None if stored is None else _stored_text(stored)
        if result.outcome is not Outcome.REFUSED and not result.check.findings:
            # Nothing to tell about this value: keep the outcome, not the parse (a plan holds a
            # result per row of every file, and each object kept is one more to collect).
            result = replace(result, check=_NOTHING_FOUND)
        planned.result = result
        _classify(planned, result, stored, workbook, ours)
        if planned.outcome is RowOutcome.CONFLICT and stored is not None:
            entry = last_value_entry(conn, workbook.generation, *planned.key)
            explain_conflict(planned, stored, entry)


_NOTHING_FOUND = EntryCheck(None, ())


def _stored_text(actual: ActualView) -> str | None:
    if actual.text is not None:
        return actual.text
    return None if actual.missing_reason is None else actual.missing_reason.label_ja


# A database whose history does not join the merged value's (a copied database file used in two
# places): which value is newer cannot be told.
FORKED_REASON = (
    "この担当課のデータベースの履歴が、取り込み済みの値とつながりません"
    "（データベースファイルを複製して使った可能性があります）。どちらを採るか決めてください",
    "this department's database history does not join the merged value's (a copied database "
    "file?); decide which to keep",
)


def _classify(
    planned: PlannedRow,
    result: EntryResult,
    stored: ActualView | None,
    workbook: IncomingWorkbook,
    ours: str,
) -> None:
    def outcome(kind: RowOutcome, ja: str = "", en: str = "") -> None:
        planned.outcome, planned.reason_ja, planned.reason_en = kind, ja, en
        if kind in (RowOutcome.REJECTED, RowOutcome.UNCHANGED):
            planned.request = planned.result = None

    if result.outcome is Outcome.REFUSED:
        first = result.refused_because[0]
        codes = {finding.code for finding in result.check.errors}
        planned.only_locked = codes == {"E_LOCKED_YEAR"}
        cell = planned.incoming.value_cell
        where_ja = f"（{planned.incoming.value_place_ja}）" if cell else ""
        where_en = f" ({planned.incoming.value_place_en})" if cell else ""
        outcome(RowOutcome.REJECTED, first.message_ja + where_ja, first.message_en + where_en)
        return
    edited_row = workbook.integrity == "edited" and planned.incoming.edited_outside is not False
    edited = edited_en = ""
    if edited_row and planned.incoming.edited_outside is None:
        # The 提出 sheet shows what the data holds: which row was edited cannot be told.
        edited = "プログラムの外で編集された可能性のある行（どの行かは特定できません）"
        edited_en = "row possibly edited outside the program (which rows cannot be told)"
    elif edited_row:
        edited, edited_en = "プログラムの外で編集された行", "row edited outside the program"
    if result.outcome is Outcome.UNCHANGED:
        outcome(RowOutcome.UNCHANGED, edited, edited_en)
        return
    if stored is None:
        outcome(RowOutcome.NEW, edited, edited_en)
        return
    request = planned.request
    assert request is not None
    lineage = decide(
        Incoming(request.revision, request.replaces),
        stored.revision,
        origin=_workbook_origin(workbook.department),
        here=ours,
    )
    if lineage in (Lineage.FOLLOWS, Lineage.DESCENDS):
        outcome(RowOutcome.UPDATED)
    elif lineage is Lineage.SAME_ORIGIN:
        outcome(RowOutcome.UPDATED, edited, edited_en)
    elif lineage is Lineage.CHANGED_HERE:
        outcome(
            RowOutcome.CONFLICT,
            "データベースの値はこのデータベースで入力・変更されたものです",
            "the database's value was entered or changed in this database",
        )
    elif lineage is Lineage.OLDER_FILE:
        outcome(
            RowOutcome.CONFLICT,
            "より新しい値がすでに取り込まれています（古いファイル）",
            "a newer value from this department is already merged (older file)",
        )
    elif lineage is Lineage.FORKED:
        outcome(RowOutcome.CONFLICT, *FORKED_REASON)
    elif request.revision is not None:
        outcome(
            RowOutcome.CONFLICT,
            "別の値がすでに取り込まれています",
            "another value is already merged",
        )
    else:
        outcome(
            RowOutcome.CONFLICT,
            "データベースの値はこのファイル以外から入っています。どちらを採るか決めてください",
            "the database's value came from elsewhere; decide which to keep",
        )


def apply_merge(
    store: Store,
    plan: MergePlan,
    *,
    who: str,
    accept_valid: bool = False,
    accept_warnings: bool = False,
    take: Take | dict[Key, Take] | None = None,
    dry_run: bool = False,
) -> MergeReport:
    """Write what the plan decided; one transaction for the whole file.

    A rejected row refuses the file unless `accept_valid`. Conflicts are written only where
    `take` says "file" (for all, or per key); "db" keeps the database's value. A row to be
    written with a warning that the file's comment does not explain (the window would ask for
    one) holds the whole file back unless `accept_warnings`: then it is written without a
    comment, so it stays an unexplained warning (kplan validate, 検証結果), and the report
    lists it either way.
    """
    rows = [_resolve(row, take) for row in plan.rows]
    evaluations = [_resolve_evaluation(e, take) for e in plan.evaluations]
    writes = [
        row.result
        for row in rows
        if row.result is not None and row.outcome in (RowOutcome.NEW, RowOutcome.UPDATED)
    ]
    # A change to a locked year is refused on its own row; it does not hold back the file's
    # other rows (an R7 file carries its R6 rows; those as stored are unchanged anyway). A file
    # with nothing else to write is refused as a whole, as before.
    locked_only = any(row.outcome is RowOutcome.REJECTED and row.only_locked for row in rows)
    rejected = (
        any(row.outcome is RowOutcome.REJECTED and not row.only_locked for row in rows)
        or any(e.outcome is RowOutcome.REJECTED for e in evaluations)
        or (locked_only and not writes and not any(e.writes for e in evaluations))
    )
    warned = [
        row for row in rows if row.outcome in (RowOutcome.NEW, RowOutcome.UPDATED) and row.warnings
    ]
    moment = now()
    # --accept-valid takes the rows that pass; a file none of whose rows passes is refused all
    # the same (recorded, it would count its department as merged on another plan's codes).
    passed = any(r.outcome is not RowOutcome.REJECTED for r in rows) or not rows
    passed = passed or any(e.outcome is not RowOutcome.REJECTED for e in evaluations)
    refused = rejected and (not accept_valid or not passed)
    held = bool(warned) and not accept_warnings
    record_file = not plan.already_received
    evaluation_writes = any(e.writes for e in evaluations)
    will_write = (
        not dry_run
        and not refused
        and not held
        and (bool(writes) or record_file or evaluation_writes)
    )
    report = _report(
        plan,
        rows,
        who,
        moment,
        dry_run=dry_run,
        written=will_write,
        accepted=accept_warnings,
        held=held,
        also=_evaluation_lines(evaluations),
    )
    if refused and not dry_run:
        report.notes_ja.append("却下された行があるため、このファイルは何も書き込んでいません")
        report.notes_en.append("Rows were rejected, so nothing of this file was written")
    if warned:
        if held:
            ja = (
                f"コメントのない警告が {len(warned)} 行にあります。値を確かめ、ファイルにコメントを"
                "書いてもらうか、警告を承知で取り込んでください（--accept-warnings）"
            )
            en = (
                f"{_rows(len(warned))} warnings without a comment: check the values, have the "
                "file's comment explain them, or accept them (--accept-warnings)"
            )
            if not dry_run and not refused:
                ja += "。何も書き込んでいません"
                en += "; nothing was written"
        else:
            ja = (
                f"コメントのない警告が {len(warned)} 行にあります。承知の上で取り込み、"
                "未説明の警告として残します"
            )
            en = (
                f"{_rows(len(warned))} warnings without a comment: accepted, and kept as "
                "unexplained warnings"
            )
        report.notes_ja.append(ja)
        report.notes_en.append(en)
    if not will_write:
        return packed(report)
    workbook = plan.workbook
    header = workbook.header
    received = SubmissionRecord(
        department=workbook.department,
        fiscal_year=workbook.fiscal_year,
        file=plan.path.name,
        sha256=workbook.sha256,
        kind=plan.kind,
        exported_at=None if header is None else header.exported_at,
        # A finalisation nobody vouches for is not one: the file is recorded as a draft.
        finalised_by=None if header is None or plan.trust is Trust.NONE else header.finalised_by,
        finalised_at=None if header is None or plan.trust is Trust.NONE else header.finalised_at,
        merged_at=moment,
        merged_by=who,
        rows=len(workbook.rows),
        origin_db=None if header is None else header.database,
        catalog_hash=workbook.catalog_hash,
    )

    def write(conn: Connection, key: str) -> None:
        # Every value was checked by the write path in plan_merge's dry run; this writes
        # exactly that, unless a value changed since (then nothing). What is said about the
        # values (evaluations, the file, the report) commits with them or not at all.
        commit_checked(
            conn,
            plan.generation,
            writes,
            who=who,
            source=EntrySource.MERGE,
            detail=f"{plan.path.name} sha256={workbook.sha256}",
            request_key=key,
        )
        # The old plan's base-year actuals this file brings fill the next plan's pending
        # baselines in, in the same transaction.
        fill_pending_baselines(conn, plan.generation, who=who, source=EntrySource.MERGE,
                               origin=f"merge {plan.path.name}")  # fmt: skip
        apply_evaluations(
            conn,
            evaluations,
            who=who,
            trusted=plan.evaluations_trusted,
            origin=_workbook_origin(workbook.department),
            generation=plan.generation,
        )
        if record_file:
            save_submission(conn, plan.generation, received)
        body = report_to_json(report)
        save_report(conn, StoredReport(moment, who, plan.path.name, workbook.sha256, body))

    try:
        store.write(write)
    except (EntryRefused, Conflict) as exc:
        raise MergeChanged(
            "E_MERGE_CHANGED",
            f"{plan.path.name}: 確認のあとでデータベースが変わりました。何も書き込んでいません。"
            f"もう一度取り込んでください（{exc.message_ja}）",
            f"{plan.path.name}: the database changed after the preview; nothing was written. "
            "Merge again",
        ) from None
    return packed(report)


def _resolve(row: PlannedRow, take: Take | dict[Key, Take] | None) -> PlannedRow:
    if row.outcome is not RowOutcome.CONFLICT or take is None:
        return row
    choice = take if isinstance(take, str) else take.get(row.key) if row.key else None
    if choice == "file" and row.request is not None:
        return replace(
            row,
            outcome=RowOutcome.UPDATED,
            reason_ja=f"競合: ファイルの値を採用（{row.reason_ja}）",
            reason_en=f"conflict: the file's value taken ({row.reason_en})",
        )
    if choice == "db":
        return replace(
            row,
            outcome=RowOutcome.UNCHANGED,
            request=None,
            result=None,
            reason_ja=f"競合: データベースの値を維持（{row.reason_ja}）",
            reason_en=f"conflict: the database's value kept ({row.reason_en})",
        )
    return row


def evaluation_key(planned: PlannedEvaluation) -> Key:
    """The key a per-conflict choice uses for an evaluation (never an indicator's key)."""
    return (planned.label, planned.incoming.fiscal_year or 0)


def _resolve_evaluation(
    planned: PlannedEvaluation, take: Take | dict[Key, Take] | None
) -> PlannedEvaluation:
    if planned.outcome is not RowOutcome.CONFLICT or take is None:
        return planned
    choice = take if isinstance(take, str) else take.get(evaluation_key(planned))
    if choice == "file":
        return replace(
            planned,
            take_file=True,
            reason_ja=f"競合: ファイルの評価を採用（{planned.reason_ja}）",
            reason_en=f"conflict: the file's evaluation taken ({planned.reason_en})",
        )
    if choice == "db":
        return replace(
            planned,
            outcome=RowOutcome.UNCHANGED,
            reason_ja=f"競合: データベースの評価を維持（{planned.reason_ja}）",
            reason_en=f"conflict: the database's evaluation kept ({planned.reason_en})",
        )
    return planned


def merge_files(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    who: str,
    accept_valid: bool = False,
    accept_warnings: bool = False,
    take: Take | None = None,
    dry_run: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    accept_unsigned: bool = False,
) -> list[MergeReport | DomainError]:
    """Merge files one by one (each all or nothing); a refused file is its DomainError."""
    outcomes: list[MergeReport | DomainError] = []
    context = merge_context(store)
    for path in paths:
        try:
            plan = plan_merge(
                store,
                path,
                context=context,
                limits=limits,
                progress=progress,
                cancelled=cancelled,
                accept_unsigned=accept_unsigned,
            )
            outcomes.append(
                apply_merge(
                    store,
                    plan,
                    who=who,
                    accept_valid=accept_valid,
                    accept_warnings=accept_warnings,
                    take=take,
                    dry_run=dry_run,
                )
            )
        except DomainError as exc:
            outcomes.append(exc)
    return outcomes


def stored_reports(conn: Connection, limit: int = 50) -> list[MergeReport]:
    return [report_from_json(saved.body) for saved in latest_reports(conn, limit)]


__all__ = [
    "Key",
    "MergeChanged",
    "MergeContext",
    "MergePlan",
    "PlannedRow",
    "Revision",
    "Take",
    "Trust",
    "apply_merge",
    "merge_context",
    "merge_files",
    "plan_merge",
    "planning_batch",
    "report_from_json",
    "report_to_dict",
    "report_to_json",
    "stored_reports",
]
