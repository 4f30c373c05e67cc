"""Actuals: the one function that writes them, and the queries that read them.

write_actuals validates every value with the domain rules, writes the audit rows and commits in
one transaction; nothing else in the program writes the actual table.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    RowMapping,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.errors import CONFLICT, DomainError
from kplan_desktop.domain.model import MissingReason, PlanSettings
from kplan_desktop.domain.revision import Revision
from kplan_desktop.domain.text import line_breaks
from kplan_desktop.domain.validation import (
    EntryCheck,
    Finding,
    Severity,
    check_comment,
    check_entry,
    validate,
)
from kplan_desktop.domain.values import ParsedValue, canonical, to_decimal
from kplan_desktop.store.audit import SOURCES, as_utc, audit_row, now
from kplan_desktop.store.catalog import (
    CATALOG_HASH_KEY,
    indicator_from_row,
    plan_settings_from_row,
)
from kplan_desktop.store.engine import DATABASE_ID_KEY, E_DB_DENIED, Store, StoreError, meta_value
from kplan_desktop.store.models import (
    actual_table,
    audit_table,
    department_table,
    finalisation_table,
    indicator_table,
    plan_table,
)
from kplan_desktop.store.requests import (
    EMPTY,
    EntryRefused,
    EntryRequest,
    EntryResult,
    Outcome,
    State,
)
from kplan_desktop.store.years import locked_finding, locked_years_in

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


def plan_settings(conn: Connection) -> PlanSettings:
    row = conn.execute(select(plan_table)).mappings().first()
    if row is None:
        raise DomainError(
            "E_NO_CATALOG",
            "カタログが読み込まれていません（kplan init を実行してください）",
            "No catalog is loaded (run kplan init)",
        )
    return plan_settings_from_row(row)


def write_actuals(
    store: Store,
    requests: Iterable[EntryRequest],
    *,
    who: str,
    source: str,
    detail: str | None = None,
    all_or_nothing: bool = True,
    dry_run: bool = False,
    require_comment: bool = True,
    also: Callable[[Connection, list[EntryResult]], None] | None = None,
    known: KnownCatalog | None = None,
) -> list[EntryResult]:
    """Validate and write values in one transaction; the audit log gets one row per change.

    all_or_nothing: one refused value refuses the batch (EntryRefused, nothing written).
    Otherwise the valid values are written and the refused ones come back as REFUSED.
    dry_run: everything is checked and the outcomes computed, nothing is written.
    require_comment=False (merges): a warning without a comment is written, and stays an open
    finding. `also` runs in the same transaction after the writes (a merge records the file
    there), so the values and what is said about them commit together or not at all.
    A finalised year refuses every change except a merge's. `known` saves reading the
    indicators again (see KnownCatalog).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    batch = list(requests)
    key = new_request_key()

    def attempt(conn: Connection) -> list[EntryResult]:
        results: list[EntryResult] = []
        plan = plan_settings(conn)
        codes = {r.indicator_code for r in batch}
        indicators = _indicators(conn, codes, known)
        a = actual_table.c
        stored: dict[tuple[str, int], State] = {}
        revisions: dict[tuple[str, int], Revision | None] = {}
        seen: dict[tuple[str, int], tuple[str | None, int | None]] = {}
        by_function = _by_function(conn, source)
        query = (
            select(
                a.indicator_code,
                a.fiscal_year,
                a.value,
                a.missing_reason,
                a.comment,
                a.revision_db,
                a.revision_seq,
            )
            # Exactly these rows on a shared server (they are locked); by department on a
            # file when there are many (see _among).
            .where(a.indicator_code.in_(codes) if _shared(conn) else _among(codes, indicators))
            .order_by(a.indicator_code, a.fiscal_year)
        )
        if _shared(conn) and not dry_run and not by_function:
            # Another writer of these values waits here until this one commits (rows locked
            # in one order, so two writers never wait for each other): the revision checked
            # below is still the stored one when the change is written. (The write functions
            # lock the rows themselves and refuse a row that changed since this read.)
            query = query.with_for_update()
        for code, year, value, reason, comment, db, seq in conn.execute(query).all():
            stored[(code, year)] = (value, reason, comment)
            revisions[(code, year)] = Revision.of(db, seq)
            seen[(code, year)] = (db, seq)
        history: dict[str, dict[int, Decimal]] = {}
        for (code, year), (value, _, _) in stored.items():
            if value is not None:
                history.setdefault(code, {})[year] = to_decimal(value)
        closed = _closed_years(conn, source)
        context = _Batch(
            conn=conn,
            plan=plan,
            indicators=indicators,
            stored=stored,
            revisions=revisions,
            history=history,
            closed=closed,
            locked=locked_years_in(conn),
            database=meta_value(conn, DATABASE_ID_KEY) or "",
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
            raise EntryRefused(results)
        _flush(context)
        if also is not None and not dry_run:
            also(conn, results)
        return results

    return store.run(attempt, key=None if dry_run else key)


def new_request_key() -> str:
    """A write's idempotency key, stored with its audit rows (see Store.run)."""
    return uuid.uuid4().hex


def _shared(conn: Connection) -> bool:
    """A server many people write at once (SQLite has one writer at a time anyway)."""
    return conn.dialect.name == "postgresql"


def _by_function(conn: Connection, source: str) -> bool:
    """Typed values on a server go through its write function (kplan_put_actual), which checks
    them again and writes the audit row with the login; a merge (the planning division's
    only) writes the tables directly, keeping the revisions its files carry."""
    return _shared(conn) and source != "merge"


# Above this many codes, the stored values are selected by their departments: binding hundreds
# of codes costs more than reading a department's other values too.
_CODES_INLINE = 50


def _among(codes: set[str], indicators: Mapping[str, Indicator]) -> ColumnElement[bool]:
    """The actual rows of `codes` (a superset when selected by department)."""
    a = actual_table.c
    if len(codes) <= _CODES_INLINE or len(indicators) != len(codes):
        return a.indicator_code.in_(codes)
    departments = {indicator.department for indicator in indicators.values()}
    i = indicator_table.c
    owned = select(i.code).where(i.department_code.in_(departments))
    return a.indicator_code.in_(owned.scalar_subquery())


def _indicators(
    conn: Connection, codes: set[str], known: KnownCatalog | None
) -> dict[str, Indicator]:
    """The catalog's indicators among `codes`: the caller's, if still the database's version."""
    if known is not None and meta_value(conn, CATALOG_HASH_KEY) == known.catalog_hash:
        return {code: known.indicators[code] for code in codes if code in known.indicators}
    query = select(indicator_table).where(indicator_table.c.code.in_(codes))
    return {row["code"]: indicator_from_row(row) for row in conn.execute(query).mappings()}


def commit_checked(
    store: Store,
    checked: Sequence[EntryResult],
    *,
    who: str,
    source: str,
    detail: str | None = None,
    also: Callable[[Connection, list[EntryResult]], None] | None = None,
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
    request_key = new_request_key()

    def attempt(conn: Connection) -> None:
        a = actual_table.c
        codes = {r.request.indicator_code for r in writes}
        query = (
            select(a.indicator_code, a.fiscal_year, a.revision_db, a.revision_seq)
            .where(a.indicator_code.in_(codes))
            .order_by(a.indicator_code, a.fiscal_year)
        )
        if _shared(conn):
            query = query.with_for_update()
        now_stored = {
            (code, year): Revision.of(db, seq) for code, year, db, seq in conn.execute(query)
        }
        closed = _closed_years(conn, source)
        locked = locked_years_in(conn)
        owners: dict[str, str] = {}
        if closed:
            i = indicator_table.c
            owned = select(i.code, i.department_code).where(i.code.in_(codes))
            owners = {code: department for code, department in conn.execute(owned)}
        batch = _Batch(
            conn=conn,
            plan=None,
            indicators={},
            stored={},
            revisions={},
            history={},
            closed=closed,
            locked=locked,
            database=meta_value(conn, DATABASE_ID_KEY) or "",
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
            batch.changes.append(_change(batch, key, result.outcome, result.new, request, replaces))
        if refused:
            raise EntryRefused(refused)
        _flush(batch)
        if also is not None:
            also(conn, list(checked))

    store.run(attempt, key=request_key)


def _refused(result: EntryResult, why: Finding) -> EntryResult:
    check = EntryCheck(result.check.parsed, (*result.check.findings, why))
    return EntryResult(result.request, check, Outcome.REFUSED, result.old, result.old)


def _closed_years(conn: Connection, source: str) -> set[tuple[str, int]]:
    """The finalised (department, year) pairs that refuse a write; a merge is not refused."""
    if source == "merge":
        return set()
    f = finalisation_table.c
    return {(d, y) for d, y in conn.execute(select(f.department_code, f.fiscal_year))}


@dataclass
class _Batch:
    """What every request of one write_actuals call shares."""

    conn: Connection
    plan: PlanSettings | None  # None when nothing is checked (commit_checked)
    indicators: dict[str, Indicator]
    stored: dict[tuple[str, int], State]
    revisions: dict[tuple[str, int], Revision | None]
    history: dict[str, dict[int, Decimal]]
    closed: set[tuple[str, int]]
    locked: set[int]
    database: str
    who: str
    source: str
    detail: str | None
    moment: datetime
    write: bool
    require_comment: bool
    request_key: str | None = None
    by_function: bool = False
    # The revision columns of each row as read (what a write function must still find there).
    seen: dict[tuple[str, int], tuple[str | None, int | None]] = field(default_factory=dict)
    # Changes wait here and go to the database together (executemany), in order.
    audits: list[dict[str, object]] = field(default_factory=list)
    changes: list[_Change] = field(default_factory=list)


@dataclass
class _Change:
    """One pending write of the actual table; its revision's number is its audit row's id."""

    outcome: Outcome
    params: dict[str, object]
    audit: int  # index into _Batch.audits
    local: bool  # the revision is this write's own (numbered by its audit row)


# Stands for a revision whose number the database has not given yet (same batch).
_PENDING = Revision("", -1)


def _one(batch: _Batch, request: EntryRequest) -> EntryResult:
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
    # CR LF and CR become LF (domain.text's rule for every free text; a cell cannot keep a CR)
    given = request.comment
    comment = old[2] if given is None else (line_breaks(given).strip() or None)
    # A comment explains the value it was written for: when the value changes without a new
    # comment, the old one does not carry over (the window offers it again for reuse).
    dropped = False
    parsed = check.parsed
    if given is None and old[2] is not None and parsed is not None:
        dropped = _value_and_reason(parsed) != old[:2]
        comment = None if dropped else comment
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
        new = (value, reason, comment)
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
        batch.changes.append(_change(batch, key, outcome, new, request, replaces))
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
    return (value, reason, comment)


# The audit's detail when a value changed and the comment written for the old one was dropped.
COMMENT_DROPPED = (
    "値が変わったため前のコメントを外しました / the comment written for the previous value "
    "was dropped"
)


def _value_and_reason(parsed: ParsedValue) -> tuple[str | None, str | None]:
    """The stored (value, missing_reason) of a parsed entry."""
    value = None if parsed.value is None else canonical(parsed.value)
    reason = None if parsed.missing_reason is None else parsed.missing_reason.value
    return value, reason


def _with_note(detail: str | None, note: str | None) -> str | None:
    if note is None:
        return detail
    return note if not detail else f"{detail}; {note}"


def _finalised(fiscal_year: int) -> Finding:
    return Finding(
        "E_FINALISED",
        Severity.ERROR,
        f"{fiscal_year}年度は確定済みのため変更できません（確定を取り消すと変更できます）",
        f"FY{fiscal_year} is finalised and cannot change (withdraw the finalisation first)",
    )


def _conflict(current: State) -> Finding:
    shown = current[0] or current[1] or "（なし）"
    return Finding(
        CONFLICT,
        Severity.ERROR,
        f"この値はほかで変更されています（現在の値: {shown}）。確認してからやり直してください",
        f"Someone else changed this value (now: {shown}); check it and try again",
    )


# Built once and run with parameters: building a statement per request costs more than running it.
_THIS_ROW = (
    actual_table.c.indicator_code == bindparam("code"),
    actual_table.c.fiscal_year == bindparam("year"),
)
_STAMP = (
    "value",
    "missing_reason",
    "comment",
    "entered_by",
    "entered_at",
    "source",
    "revision_db",
    "revision_seq",
    "replaces_db",
    "replaces_seq",
)
_UPDATE_ROW = (
    update(actual_table).where(*_THIS_ROW).values(**{name: bindparam(name) for name in _STAMP})
)
_DELETE_ROW = delete(actual_table).where(*_THIS_ROW)


def _change(
    batch: _Batch,
    key: tuple[str, int],
    outcome: Outcome,
    new: State,
    request: EntryRequest,
    replaces: Revision | None,
) -> _Change:
    """The pending write that makes the row of (indicator, year) hold `new`."""
    code, year = key
    params: dict[str, object] = {"code": code, "year": year}
    if outcome is not Outcome.CLEARED:
        value, reason, comment = new
        revision = request.revision
        made_by = (request.origin or batch.database) if revision is None else revision.database
        params |= {
            "value": value,
            "missing_reason": reason,
            "comment": comment,
            "entered_by": request.entered_by or batch.who,
            "entered_at": request.entered_at or batch.moment,
            "source": batch.source,
            "revision_db": made_by,
            "revision_seq": None if revision is None else revision.sequence,
            "replaces_db": None if replaces is None else replaces.database,
            "replaces_seq": None if replaces is None else replaces.sequence,
        }
    return _Change(outcome, params, len(batch.audits) - 1, request.revision is None)


_INSERT_ROW = insert(actual_table).values(
    indicator_code=bindparam("code"),
    fiscal_year=bindparam("year"),
    **{name: bindparam(name) for name in _STAMP},
)


def _flush(batch: _Batch) -> None:
    """Write the pending audit rows, then the actual rows, each kind in one executemany."""
    if not batch.audits:
        return
    if batch.by_function:
        _flush_by_function(batch)
        return
    numbers: Sequence[int]
    if _shared(batch.conn):
        # The server's sequence numbers them: concurrent writers never share a number and
        # never wait for each other's max(); RETURNING gives them back in the rows' order.
        numbers = (
            batch.conn.execute(
                insert(audit_table).returning(audit_table.c.id, sort_by_parameter_order=True),
                batch.audits,
            )
            .scalars()
            .all()
        )
    else:
        # Numbered here, after the highest number in use: SQLite then writes them in one
        # executemany (with RETURNING it would insert them one by one). A writer that got in
        # between makes this transaction fail (a stale snapshot, or the primary key), so a
        # number is never shared.
        last = batch.conn.scalar(select(func.coalesce(func.max(audit_table.c.id), 0)))
        numbers = range(int(last or 0) + 1, int(last or 0) + 1 + len(batch.audits))
        for number, row in zip(numbers, batch.audits, strict=True):
            row["id"] = number
        _insert_many(batch.conn, audit_table, batch.audits)
    for change in batch.changes:
        if change.local and change.outcome is not Outcome.CLEARED:
            change.params["revision_seq"] = numbers[change.audit]
    statements = {
        Outcome.NEW: _INSERT_ROW,
        Outcome.UPDATED: _UPDATE_ROW,
        Outcome.CLEARED: _DELETE_ROW,
    }
    # Runs of the same kind go together; the order between runs is kept (a value entered,
    # cleared and entered again in one batch is an insert, a delete and an insert).
    for outcome, run in groupby(batch.changes, key=lambda change: change.outcome):
        params = [change.params for change in run]
        if outcome is Outcome.NEW:
            if _shared(batch.conn):
                # Two writers adding the same new values wait on each other's unique keys: in
                # one order, the second waits and then meets the conflict instead of a
                # deadlock. (A run of inserts never holds the same value twice.)
                params.sort(key=itemgetter("code", "year"))
            _insert_many(batch.conn, actual_table, [_as_columns(p) for p in params])
            continue
        done = batch.conn.execute(statements[outcome], params)
        if _shared(batch.conn) and done.rowcount != len(params):
            # Row-level security hides a row this login may not change: the change did not
            # happen, so none of the batch may (the audit rows are already in it).
            raise StoreError(*E_DB_DENIED)
    batch.audits.clear()
    batch.changes.clear()


_PUT_ACTUAL = text(
    "SELECT kplan_put_actual(:code, :year, :value, :reason, :comment, :seen_row, :seen_db,"
    " :seen_seq, :source, :detail, :request_key, :client_user)"
)


def _flush_by_function(batch: _Batch) -> None:
    """The pending changes through the server's write function, one call each, in order.

    The function checks the login's department, the year lock, 確定 and the value's shape
    again, refuses a row that changed since it was read (a conflict: Store.run reads again),
    and writes the audit row itself with the login and the server's clock.
    """
    seen = dict(batch.seen)
    # Rows are locked in one order (a stable sort keeps one value's changes in their order),
    # so two writers of the same values wait for each other instead of deadlocking.
    ordered = sorted(batch.changes, key=lambda c: (str(c.params["code"]), c.params["year"]))
    for change in ordered:
        params = change.params
        key = (str(params["code"]), int(str(params["year"])))
        cleared = change.outcome is Outcome.CLEARED
        before = seen.get(key)
        number = batch.conn.scalar(
            _PUT_ACTUAL,
            {
                "code": key[0],
                "year": key[1],
                "value": None if cleared else params["value"],
                "reason": None if cleared else params["missing_reason"],
                "comment": None if cleared else params["comment"],
                "seen_row": before is not None,
                "seen_db": None if before is None else before[0],
                "seen_seq": None if before is None else before[1],
                "source": batch.source,
                # The audit row's own detail: the batch's, with a dropped comment's note.
                "detail": batch.audits[change.audit]["detail"],
                "request_key": batch.request_key,
                "client_user": batch.who,
            },
        )
        if cleared:
            seen.pop(key, None)
        elif number is not None:
            database = batch.database
            seen[key] = (database, int(number))
    batch.audits.clear()
    batch.changes.clear()


def _as_columns(params: dict[str, object]) -> dict[str, object]:
    row = dict(params)
    row["indicator_code"] = row.pop("code")
    row["fiscal_year"] = row.pop("year")
    return row


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, object]]) -> None:
    """Insert rows in one executemany.

    On SQLite the rows go to the driver as they are, with times in the text form SQLAlchemy
    stores: its per-row parameter processing would cost more than SQLite's own insert (see
    the merge benchmark). Other databases take the ordinary Core insert.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    pick = itemgetter(*names)
    times = [i for i, name in enumerate(names) if isinstance(table.c[name].type, DateTime)]
    values = []
    for row in rows:
        item = list(pick(row))
        for i in times:
            moment = item[i]
            if isinstance(moment, datetime):
                item[i] = moment.replace(tzinfo=None).isoformat(" ", "microseconds")
        values.append(tuple(item))
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', values)


def enter_value(
    store: Store,
    indicator_code: str,
    fiscal_year: int,
    text: str,
    comment: str | None = None,
    *,
    who: str,
    source: str,
) -> EntryResult:
    """Write one value (the grid's and `kplan enter`'s way in); raises EntryRefused if refused."""
    return write_actuals(
        store, [EntryRequest(indicator_code, fiscal_year, text, comment)], who=who, source=source
    )[0]


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


def _view(row: RowMapping) -> ActualView:
    reason = row["missing_reason"]
    return ActualView(
        indicator_code=row["indicator_code"],
        fiscal_year=row["fiscal_year"],
        value=None if row["value"] is None else to_decimal(row["value"]),
        missing_reason=None if reason is None else MissingReason(reason),
        comment=row["comment"],
        entered_by=row["entered_by"],
        entered_at=as_utc(row["entered_at"]),
        source=row["source"],
        text=row["value"],
        revision=Revision.of(row["revision_db"], row["revision_seq"]),
        replaces=Revision.of(row["replaces_db"], row["replaces_seq"]),
    )


def read_actuals(
    store: Store,
    *,
    department: str | None = None,
    fiscal_year: int | None = None,
    indicator_codes: Iterable[str] | None = None,
) -> list[ActualView]:
    a = actual_table.c
    query = select(actual_table).order_by(a.indicator_code, a.fiscal_year)
    if indicator_codes is not None:
        query = query.where(a.indicator_code.in_(list(indicator_codes)))
    if department is not None:
        query = query.join(indicator_table).where(indicator_table.c.department_code == department)
    if fiscal_year is not None:
        query = query.where(a.fiscal_year == fiscal_year)
    with store.connect() as conn:
        return [_view(row) for row in conn.execute(query).mappings()]


def department_exists(store: Store, code: str) -> bool:
    d = department_table.c
    with store.connect() as conn:
        return conn.scalar(select(d.code).where(d.code == code)) is not None


@dataclass(frozen=True)
class StoredFinding:
    """A finding on a value already in the database; `explained` when a comment answers it."""

    indicator_code: str
    fiscal_year: int
    finding: Finding
    explained: bool


def stored_findings(store: Store) -> list[StoredFinding]:
    """Re-check every stored value (a catalog change can turn a good value bad)."""
    found: list[StoredFinding] = []
    a = actual_table.c
    with store.connect() as conn:
        plan = plan_settings(conn)
        indicators = {
            row["code"]: indicator_from_row(row)
            for row in conn.execute(select(indicator_table)).mappings()
        }
        values: dict[str, dict[int, tuple[str | None, str | None]]] = {}
        for code, year, value, comment in conn.execute(
            select(a.indicator_code, a.fiscal_year, a.value, a.comment)
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
