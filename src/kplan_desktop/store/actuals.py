"""Actuals: the one function that writes them, and the queries that read them.

write_actuals validates every value with the domain rules, writes the audit rows and commits in
one transaction; nothing else in the program writes the actual table.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Text,
    bindparam,
    select,
    type_coerce,
)

from kplan_desktop.domain.audit_words import COMMENT_DROPPED_NOTE
from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.entry_block import carried_comment, stored_form
from kplan_desktop.domain.errors import CONFLICT, no_catalog
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.domain.model import MissingReason, PlanSettings
from kplan_desktop.domain.records import builder
from kplan_desktop.domain.revision import Revision
from kplan_desktop.domain.validation import (
    EntryCheck,
    Finding,
    Severity,
    check_comment,
    check_entry,
    validate,
)
from kplan_desktop.domain.values import ParsedValue, to_decimal
from kplan_desktop.store.actual_rows import Batch, flush, pending_change, shared
from kplan_desktop.store.audit import SOURCES, audit_row, now
from kplan_desktop.store.catalog import (
    catalog_hash_key,
    indicator_from_row,
    plan_settings_from_row,
)
from kplan_desktop.store.engine import meta_value
from kplan_desktop.store.entry_reads import (
    STORED_COLUMNS,
    one_indicator,
    writable_plan,
    years_and_database,
)
from kplan_desktop.store.generations import require_writable
from kplan_desktop.store.models import (
    actual_table,
    department_table,
    indicator_table,
    plan_table,
)
from kplan_desktop.store.requests import (
    EMPTY,
    EntryRefused,
    EntryRequest,
    EntryResult,
    EntrySource,
    Outcome,
    State,
    refusal,
)
from kplan_desktop.store.years import locked_finding

__all__ = [
    "EMPTY",
    "ActualView",
    "EntryRefused",
    "EntryRequest",
    "EntryResult",
    "KnownCatalog",
    "Outcome",
    "State",
    "StoredFinding",
    "commit_checked",
    "department_exists",
    "enter_value",
    "plan_settings",
    "read_actuals",
    "stored_findings",
    "write_actuals",
]


def _unknown_indicator(code: str) -> EntryCheck:
    return EntryCheck(
        None,
        (
            Finding(
                "E_UNKNOWN_INDICATOR",
                Severity.ERROR,
                f"指標コード {code[:40]} はカタログにありません",
                f"Indicator {code[:40]} is not in the catalog",
            ),
        ),
    )


@dataclass(frozen=True)
class KnownCatalog:
    """Indicators a caller has read already, with the version of the catalog they came from.

    A merge reads the catalog once for many files; write_actuals uses these only while the
    database still holds that version (the hash changes with every catalog change).
    """

    catalog_hash: str
    indicators: Mapping[str, Indicator]


# The statements every write runs, built once: building a select costs more than running it
# (issue 20: the store's single entry).
_PLAN = select(plan_table).where(plan_table.c.generation == bindparam("generation"))
_INDICATORS = select(indicator_table).where(
    indicator_table.c.generation == bindparam("generation"),
    indicator_table.c.code.in_(bindparam("codes", expanding=True)),
)
# One code (an entry in the window): without the expanding IN, whose list is written into
# the statement at every run.
_INDICATOR = select(indicator_table).where(
    indicator_table.c.generation == bindparam("generation"),
    indicator_table.c.code == bindparam("code"),
)


def plan_settings(conn: Connection, generation: int) -> PlanSettings:
    row = conn.execute(_PLAN, {"generation": generation}).mappings().first()
    if row is None:
        raise no_catalog()
    return plan_settings_from_row(row)


def write_actuals(
    conn: Connection,
    generation: int,
    requests: Iterable[EntryRequest],
    *,
    who: str,
    source: EntrySource,
    detail: str | None = None,
    all_or_nothing: bool = True,
    dry_run: bool = False,
    require_comment: bool = True,
    known: KnownCatalog | None = None,
    request_key: str | None = None,
) -> list[EntryResult]:
    """Validate and write values in one transaction; the audit log gets one row per change.

    all_or_nothing: one refused value refuses the batch (EntryRefused, nothing written).
    Otherwise the valid values are written and the refused ones come back as REFUSED.
    dry_run: everything is checked and the outcomes computed, nothing is written.
    require_comment=False (merges): a warning without a comment is written, and stays an open
    finding. Inside the caller's transaction: what the caller writes after (a merge records
    the file) commits with the values or not at all.
    A finalised year refuses every change except a merge's. `known` saves reading the
    indicators again (see KnownCatalog). request_key: the write's idempotency key, kept with
    its audit rows (see Store.write); a fresh one if not given.
    Every request names an indicator of `generation`; a closed generation refuses the write
    (E_GENERATION_CLOSED, nothing written), a dry run too.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    batch = list(requests)
    key = request_key or new_request_key()
    results: list[EntryResult] = []
    plan = writable_plan(conn, generation)
    codes = {r.indicator_code for r in batch}
    stored: dict[tuple[str, int], State] = {}
    revisions: dict[tuple[str, int], Revision | None] = {}
    seen: dict[tuple[str, int], tuple[str | None, int | None]] = {}
    by_function = _by_function(conn, source)
    rows: Sequence[Sequence[Any]]
    if len(codes) == 1 and known is None and not shared(conn):
        # One value (the window's entry) on a file: its indicator and its values in one read.
        indicators, rows = one_indicator(conn, generation, next(iter(codes)))
    else:
        indicators = _indicators(conn, generation, codes, known)
        # Exactly these rows on a shared server (they are locked); by department on a file
        # when there are many (see _among).
        query, params = _stored_rows(conn, generation, codes, indicators)
        if shared(conn) and not dry_run and not by_function:
            # Another writer of these values waits here until this one commits (rows locked
            # in one order, so two writers never wait for each other): the revision checked
            # below is still the stored one when the change is written. (The write functions
            # lock the rows themselves and refuse a row that changed since this read.)
            query = query.with_for_update()
        rows = conn.execute(query, params).all()
    for code, year, value, reason, comment, db, seq in rows:
        stored[(code, year)] = State(value, reason, comment)
        revisions[(code, year)] = Revision.of(db, seq)
        seen[(code, year)] = (db, seq)
    history: dict[str, dict[int, Decimal]] = {}
    for (code, year), (value, _, _) in stored.items():
        if value is not None:
            history.setdefault(code, {})[year] = to_decimal(value)
    closed, locked, database = years_and_database(conn, generation, source)
    context = Batch(
        conn=conn,
        generation=generation,
        plan=plan,
        indicators=indicators,
        stored=stored,
        revisions=revisions,
        history=history,
        closed=closed,
        locked=locked,
        database=database,
        who=who,
        source=source,
        detail=detail,
        moment=now(),
        write=not dry_run,
        require_comment=require_comment,
        request_key=key,
        by_function=by_function,
        seen=seen,
    )
    for request in batch:
        results.append(_one(context, request))
    refused = [r for r in results if r.outcome is Outcome.REFUSED]
    if refused and all_or_nothing:
        raise refusal(results)
    flush(context)
    return results


def new_request_key() -> str:
    """A write's idempotency key, stored with its audit rows (see Store.run)."""
    return uuid.uuid4().hex


def _by_function(conn: Connection, source: EntrySource) -> bool:
    """Typed values on a server go through its write function (kplan_put_actual), which checks
    them again and writes the audit row with the login; a merge (the planning division's
    only) writes the tables directly, keeping the revisions its files carry."""
    return shared(conn) and source != "merge"


# Above this many codes, the stored values are selected by their departments: binding hundreds
# of codes costs more than reading a department's other values too.
_CODES_INLINE = 50


def _stored_select(among: ColumnElement[bool]) -> Select[Any]:
    a = actual_table.c
    return (
        select(a.indicator_code, *(a[name] for name in STORED_COLUMNS))
        .where(a.generation == bindparam("generation"), among)
        .order_by(a.indicator_code, a.fiscal_year)
    )


_i = indicator_table.c
_STORED_BY_CODE = _stored_select(
    actual_table.c.indicator_code.in_(bindparam("codes", expanding=True))
)
_STORED_OF_CODE = _stored_select(actual_table.c.indicator_code == bindparam("code"))
_STORED_BY_DEPARTMENT = _stored_select(
    actual_table.c.indicator_code.in_(
        select(_i.code)
        .where(
            _i.generation == bindparam("generation"),
            _i.department_code.in_(bindparam("departments", expanding=True)),
        )
        .scalar_subquery()
    )
)


def _stored_rows(
    conn: Connection, generation: int, codes: set[str], indicators: Mapping[str, Indicator]
) -> tuple[Select[Any], dict[str, object]]:
    """The query of the actual rows of `codes` (a superset when selected by department) and its
    parameters."""
    if len(codes) == 1:
        (code,) = codes
        return _STORED_OF_CODE, {"generation": generation, "code": code}
    if shared(conn) or len(codes) <= _CODES_INLINE or len(indicators) != len(codes):
        return _STORED_BY_CODE, {"generation": generation, "codes": list(codes)}
    departments = sorted({indicator.department for indicator in indicators.values()})
    return _STORED_BY_DEPARTMENT, {"generation": generation, "departments": departments}


def _indicators(
    conn: Connection, generation: int, codes: set[str], known: KnownCatalog | None
) -> dict[str, Indicator]:
    """The catalog's indicators among `codes`: the caller's, if still the database's version."""
    if known is not None and meta_value(conn, catalog_hash_key(generation)) == known.catalog_hash:
        return {code: known.indicators[code] for code in codes if code in known.indicators}
    if len(codes) == 1:
        (code,) = codes
        rows = conn.execute(_INDICATOR, {"generation": generation, "code": code})
    else:
        rows = conn.execute(_INDICATORS, {"generation": generation, "codes": list(codes)})
    return {row["code"]: indicator_from_row(row) for row in rows.mappings()}


def commit_checked(
    conn: Connection,
    generation: int,
    checked: Sequence[EntryResult],
    *,
    who: str,
    source: EntrySource,
    detail: str | None = None,
    request_key: str | None = None,
) -> None:
    """Write what a dry run of write_actuals decided, without checking every value again.

    The second half of a preview-then-write (the merge): every result must come from
    `write_actuals(dry_run=True)` with `check_expected` requests. In one transaction, each
    value's stored revision is compared with the one its check saw; if any differs, or a year
    was finalised meanwhile, nothing is written (EntryRefused). The values are then written
    exactly as checked, with their audit rows, in bulk.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    writes = [r for r in checked if r.outcome in (Outcome.NEW, Outcome.UPDATED, Outcome.CLEARED)]
    if any(not r.request.check_expected for r in writes):
        raise ValueError("commit_checked needs requests made with check_expected")
    if source != "merge":
        raise ValueError("commit_checked is the merge's")
    request_key = request_key or new_request_key()
    require_writable(conn, generation)
    a = actual_table.c
    codes = {r.request.indicator_code for r in writes}
    query = (
        select(a.indicator_code, a.fiscal_year, a.revision_db, a.revision_seq)
        .where(a.generation == generation, a.indicator_code.in_(codes))
        .order_by(a.indicator_code, a.fiscal_year)
    )
    if shared(conn):
        query = query.with_for_update()
    now_stored = {(code, year): Revision.of(db, seq) for code, year, db, seq in conn.execute(query)}
    closed, locked, database = years_and_database(conn, generation, source)
    owners: dict[str, str] = {}
    if closed:
        i = indicator_table.c
        owned = select(i.code, i.department_code).where(
            i.generation == generation, i.code.in_(codes)
        )
        owners = {code: department for code, department in conn.execute(owned)}
    batch = Batch(
        conn=conn,
        generation=generation,
        plan=None,
        indicators={},
        stored={},
        revisions={},
        history={},
        closed=closed,
        locked=locked,
        database=database,
        who=who,
        source=source,
        detail=detail,
        moment=now(),
        write=True,
        require_comment=False,
        request_key=request_key,
    )
    refused: list[EntryResult] = []
    for result in writes:
        request = result.request
        key = (request.indicator_code, request.fiscal_year)
        if now_stored.get(key) != request.expected:
            refused.append(_refused(result, _conflict(result.old)))
            continue
        if request.fiscal_year in locked:
            refused.append(_refused(result, locked_finding(request.fiscal_year)))
            continue
        if (owners.get(request.indicator_code), request.fiscal_year) in closed:
            refused.append(_refused(result, _finalised(request.fiscal_year)))
            continue
        batch.audits.append(
            audit_row(
                who=who,
                source=source,
                action="clear" if result.outcome is Outcome.CLEARED else "enter",
                generation=generation,
                indicator_code=request.indicator_code,
                fiscal_year=request.fiscal_year,
                old=result.old,
                new=result.new,
                detail=detail,
                at=batch.moment,
                request_key=request_key,
            )
        )
        replaces = request.replaces if request.revision is not None else request.expected
        batch.changes.append(
            pending_change(batch, key, result.outcome, result.new, request, replaces)
        )
    if refused:
        raise refusal(refused)
    flush(batch)


def _refused(result: EntryResult, why: Finding) -> EntryResult:
    check = EntryCheck(result.check.parsed, (*result.check.findings, why))
    return EntryResult(result.request, check, Outcome.REFUSED, result.old, result.old)


# Stands for a revision whose number the database has not given yet (same batch).
_PENDING = Revision("", -1)


def _one(batch: Batch, request: EntryRequest) -> EntryResult:
    indicator = batch.indicators.get(request.indicator_code)
    if indicator is None:
        return EntryResult(request, _unknown_indicator(request.indicator_code), Outcome.REFUSED)
    key = (request.indicator_code, request.fiscal_year)
    known = batch.history.setdefault(request.indicator_code, {})
    others = {y: v for y, v in known.items() if y != request.fiscal_year}
    assert batch.plan is not None
    check = check_entry(request.text, indicator.spec(), batch.plan, request.fiscal_year, others)
    extra = [check_comment(request.comment)]
    if request.fiscal_year in batch.locked:
        extra.append(locked_finding(request.fiscal_year))
    if (indicator.owner_for(request.fiscal_year), request.fiscal_year) in batch.closed:
        extra.append(_finalised(request.fiscal_year))
    current = batch.revisions.get(key)
    if request.check_expected and current != request.expected:
        extra.append(_conflict(batch.stored.get(key, EMPTY)))
    problems = tuple(p for p in extra if p is not None)
    old = batch.stored.get(key, EMPTY)
    # CR LF and CR become LF (domain.text's rule for every free text; a cell cannot keep a CR).
    # A comment explains the value it was written for: when the value changes without a new
    # comment, the old one does not carry over (the window offers it again for reuse).
    parsed = check.parsed
    comment, dropped = carried_comment(request.comment, parsed, old)
    if request.fiscal_year in batch.locked and _state(check, comment) == old:
        # A locked year's row exactly as stored (an R7 file carries its R6 rows): nothing
        # changes, so nothing is refused; only a change to a locked year is.
        return EntryResult(request, check, Outcome.UNCHANGED, old, old)
    if problems:
        check = EntryCheck(check.parsed, (*check.findings, *problems))
    if check.errors or (batch.require_comment and not check.can_save(comment)):
        return EntryResult(request, check, Outcome.REFUSED, old, old)
    assert parsed is not None
    if parsed.is_empty:
        new: State = EMPTY
    else:
        value, reason = _value_and_reason(parsed)
        new = State(value, reason, comment)
    if new == old:
        return EntryResult(request, check, Outcome.UNCHANGED, old, new)
    if new == EMPTY:
        outcome = Outcome.CLEARED
    else:
        outcome = Outcome.UPDATED if key in batch.stored else Outcome.NEW
    if parsed.value is None:
        known.pop(request.fiscal_year, None)
    else:
        known[request.fiscal_year] = parsed.value
    if batch.write:
        batch.audits.append(
            audit_row(
                who=batch.who,
                source=batch.source,
                action="clear" if outcome is Outcome.CLEARED else "enter",
                generation=batch.generation,
                indicator_code=request.indicator_code,
                fiscal_year=request.fiscal_year,
                old=old,
                new=new,
                detail=_with_note(batch.detail, COMMENT_DROPPED if dropped else None),
                at=batch.moment,
                request_key=batch.request_key,
            )
        )
        replaces = request.replaces if request.revision is not None else current
        batch.changes.append(pending_change(batch, key, outcome, new, request, replaces))
        # Later requests in the batch see this one's result, as they would in the database.
        if outcome is Outcome.CLEARED:
            del batch.stored[key]
            batch.revisions.pop(key, None)
        else:
            batch.stored[key] = new
            batch.revisions[key] = request.revision or _PENDING
    return EntryResult(request, check, outcome, old, new)


def _state(check: EntryCheck, comment: str | None) -> State | None:
    """What a request would store, if it parsed: (value, reason, comment)."""
    parsed = check.parsed
    if parsed is None:
        return None
    if parsed.is_empty:
        return EMPTY
    value, reason = _value_and_reason(parsed)
    return State(value, reason, comment)


# The audit's detail when a value changed and the comment written for the old one was dropped.
# The note of a write that dropped the comment written for the previous value (the listing
# says so in words: domain/audit_words.py).
COMMENT_DROPPED = COMMENT_DROPPED_NOTE


# The stored (value, missing_reason) of a parsed entry (one rule: domain.entry_block).
_value_and_reason = stored_form


def _with_note(detail: str | None, note: str | None) -> str | None:
    if note is None:
        return detail
    return note if not detail else f"{detail}; {note}"


def _finalised(fiscal_year: int) -> Finding:
    return Finding(
        "E_FINALISED",
        Severity.ERROR,
        f"{format_fiscal_year(fiscal_year, FiscalYearStyle.ERA)}は確定済みのため変更できません"
        "（確定を取り消すと変更できます）",
        f"FY{fiscal_year} is finalised and cannot change (withdraw the finalisation first)",
    )


def _conflict(current: State) -> Finding:
    shown = current.value or current.missing_reason or "（なし）"
    return Finding(
        CONFLICT,
        Severity.ERROR,
        f"この値はほかで変更されています（現在の値: {shown}）。確認してからやり直してください",
        f"Someone else changed this value (now: {shown}); check it and try again",
    )


def enter_value(
    conn: Connection,
    generation: int,
    indicator_code: str,
    fiscal_year: int,
    text: str,
    comment: str | None = None,
    *,
    who: str,
    source: EntrySource,
    request_key: str | None = None,
) -> EntryResult:
    """Write one value (the grid's and `kplan enter`'s way in); raises EntryRefused if refused."""
    request = EntryRequest(indicator_code, fiscal_year, text, comment)
    done = write_actuals(
        conn, generation, [request], who=who, source=source, request_key=request_key
    )
    return done[0]


@dataclass(frozen=True)
class ActualView:
    """A stored value as the rest of the program reads it."""

    indicator_code: str
    fiscal_year: int
    value: Decimal | None
    missing_reason: MissingReason | None
    comment: str | None
    entered_by: str
    entered_at: datetime
    source: str
    text: str | None = None  # the value exactly as stored
    revision: Revision | None = None
    replaces: Revision | None = None


_REASONS: dict[str | None, MissingReason | None] = {
    None: None,
    **{m.value: m for m in MissingReason},
}
_new_view = builder(ActualView)


def _moment(at: datetime | str) -> datetime:
    if isinstance(at, str):  # SQLite: read as text and parsed here, much faster
        at = datetime.fromisoformat(at)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _views(rows: Iterable[Sequence[Any]]) -> list[ActualView]:
    """ActualViews from rows of _VIEW_COLUMNS: the grid reads 20,000 of them (issue 20). A
    moment or a value that repeats (the rows of one write share their time; small numbers
    recur) is parsed once; each view is built without the dataclass's __init__."""
    moments: dict[datetime | str, datetime] = {}
    numbers: dict[str, Decimal] = {}
    views = []
    for code, year, text, reason, comment, by, at, source, r_db, r_seq, x_db, x_seq in rows:
        moment = moments.get(at)
        if moment is None:
            moment = moments[at] = _moment(at)
        value = None if text is None else numbers.get(text)
        if value is None and text is not None:
            value = numbers[text] = to_decimal(text)
        revision = None if r_db is None or r_seq is None else Revision(r_db, r_seq)
        replaces = None if x_db is None or x_seq is None else Revision(x_db, x_seq)
        fields = (code, year, value, _REASONS[reason], comment, by, moment, source, text)
        views.append(_new_view((*fields, revision, replaces)))
    return views


_VIEW_COLUMNS = (
    actual_table.c.indicator_code,
    actual_table.c.fiscal_year,
    actual_table.c.value,
    actual_table.c.missing_reason,
    actual_table.c.comment,
    actual_table.c.entered_by,
    type_coerce(actual_table.c.entered_at, Text).label("entered_at"),
    actual_table.c.source,
    actual_table.c.revision_db,
    actual_table.c.revision_seq,
    actual_table.c.replaces_db,
    actual_table.c.replaces_seq,
)


def read_actuals(
    conn: Connection,
    generation: int,
    *,
    department: str | None = None,
    fiscal_year: int | None = None,
    indicator_codes: Iterable[str] | None = None,
) -> list[ActualView]:
    """The stored values of one generation (of a department's indicators, a year, codes)."""
    a = actual_table.c
    query = (
        select(*_VIEW_COLUMNS)
        .where(a.generation == generation)
        .order_by(a.indicator_code, a.fiscal_year)
    )
    if indicator_codes is not None:
        query = query.where(a.indicator_code.in_(list(indicator_codes)))
    if department is not None:
        # The department's codes as a list the values' key is searched with: joined instead,
        # SQLite walked every value of the generation (the merge of the 300th file read the
        # 119,600 values merged before it to find its own 400; issue 20).
        i = indicator_table.c
        owned = select(i.code).where(i.generation == generation, i.department_code == department)
        query = query.where(a.indicator_code.in_(owned.scalar_subquery()))
    if fiscal_year is not None:
        query = query.where(a.fiscal_year == fiscal_year)
    return _views(conn.execute(query).all())


def department_exists(conn: Connection, code: str) -> bool:
    d = department_table.c
    return conn.scalar(select(d.code).where(d.code == code)) is not None


@dataclass(frozen=True)
class StoredFinding:
    """A finding on a value already in the database; `explained` when a comment answers it."""

    indicator_code: str
    fiscal_year: int
    finding: Finding
    explained: bool


def stored_findings(conn: Connection, generation: int) -> list[StoredFinding]:
    """Re-check every stored value of a generation (a catalog change can turn a good value
    bad)."""
    found: list[StoredFinding] = []
    a = actual_table.c
    plan = plan_settings(conn, generation)
    indicators = {
        row["code"]: indicator_from_row(row)
        for row in conn.execute(
            select(indicator_table).where(indicator_table.c.generation == generation)
        ).mappings()
    }
    values: dict[str, dict[int, tuple[str | None, str | None]]] = {}
    for code, year, value, comment in conn.execute(
        select(a.indicator_code, a.fiscal_year, a.value, a.comment).where(
            a.generation == generation
        )
    ):
        values.setdefault(code, {})[year] = (value, comment)
    for code, by_year in sorted(values.items()):
        spec = indicators[code].spec()
        known = {y: to_decimal(v) for y, (v, _) in by_year.items() if v is not None}
        for year, (value, comment) in sorted(by_year.items()):
            if value is None:
                continue
            others = {y: v for y, v in known.items() if y != year}
            parsed = ParsedValue(value=to_decimal(value))
            for finding in validate(parsed, spec, plan, year, others):
                explained = finding.severity is Severity.WARNING and bool(comment)
                found.append(StoredFinding(code, year, finding, explained))
    return found
