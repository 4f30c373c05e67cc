"""Actuals: the one function that writes them, and the queries that read them.

write_actuals validates every value with the domain rules, writes the audit rows and commits in
one transaction; nothing else in the program writes the actual table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import MissingReason, PlanSettings
from kplan_desktop.domain.validation import (
    EntryCheck,
    Finding,
    Severity,
    check_comment,
    check_entry,
    validate,
)
from kplan_desktop.domain.values import ParsedValue, canonical, to_decimal
from kplan_desktop.store.audit import SOURCES, as_utc, now, record
from kplan_desktop.store.catalog import indicator_from_row, plan_settings_from_row
from kplan_desktop.store.engine import Store
from kplan_desktop.store.models import ActualRow, DepartmentRow, IndicatorRow, PlanRow
from kplan_desktop.store.requests import (
    EMPTY,
    EntryRefused,
    EntryRequest,
    EntryResult,
    Outcome,
    State,
)

__all__ = [
    "EMPTY",
    "ActualView",
    "EntryRefused",
    "EntryRequest",
    "EntryResult",
    "Outcome",
    "State",
    "StoredFinding",
    "department_exists",
    "enter_value",
    "plan_settings",
    "read_actuals",
    "stored_findings",
    "write_actuals",
]


def _state(row: ActualRow | None) -> State:
    if row is None:
        return EMPTY
    return (row.value, row.missing_reason, row.comment)


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


def plan_settings(session: Session) -> PlanSettings:
    row = session.scalars(select(PlanRow)).first()
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
) -> list[EntryResult]:
    """Validate and write values in one transaction; the audit log gets one row per change.

    all_or_nothing: one refused value refuses the batch (EntryRefused, nothing written).
    Otherwise the valid values are written and the refused ones come back as REFUSED.
    dry_run: everything is checked and the outcomes computed, nothing is written.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    batch = list(requests)
    results: list[EntryResult] = []
    with store.transaction() as session:
        plan = plan_settings(session)
        codes = {r.indicator_code for r in batch}
        indicators = {
            row.code: indicator_from_row(row)
            for row in session.scalars(select(IndicatorRow).where(IndicatorRow.code.in_(codes)))
        }
        rows: dict[tuple[str, int], ActualRow] = {
            (row.indicator_code, row.fiscal_year): row
            for row in session.scalars(select(ActualRow).where(ActualRow.indicator_code.in_(codes)))
        }
        history: dict[str, dict[int, Decimal]] = {}
        for (code, year), row in rows.items():
            if row.value is not None:
                history.setdefault(code, {})[year] = to_decimal(row.value)
        moment = now()
        for request in batch:
            results.append(
                _one(
                    session,
                    plan,
                    indicators,
                    rows,
                    history,
                    request,
                    who,
                    source,
                    detail,
                    moment,
                    write=not dry_run,
                )
            )
        refused = [r for r in results if r.outcome is Outcome.REFUSED]
        if refused and all_or_nothing:
            raise EntryRefused(results)
    return results


def _one(
    session: Session,
    plan: PlanSettings,
    indicators: dict[str, Indicator],
    rows: dict[tuple[str, int], ActualRow],
    history: dict[str, dict[int, Decimal]],
    request: EntryRequest,
    who: str,
    source: str,
    detail: str | None,
    moment: datetime,
    *,
    write: bool,
) -> EntryResult:
    indicator = indicators.get(request.indicator_code)
    if indicator is None:
        return EntryResult(request, _unknown_indicator(request.indicator_code), Outcome.REFUSED)
    key = (request.indicator_code, request.fiscal_year)
    known = history.setdefault(request.indicator_code, {})
    others = {y: v for y, v in known.items() if y != request.fiscal_year}
    check = check_entry(request.text, indicator.spec(), plan, request.fiscal_year, others)
    comment_problem = check_comment(request.comment)
    if comment_problem is not None:
        check = EntryCheck(check.parsed, (*check.findings, comment_problem))
    row = rows.get(key)
    old = _state(row)
    comment = old[2] if request.comment is None else (request.comment.strip() or None)
    if not check.can_save(comment):
        return EntryResult(request, check, Outcome.REFUSED, old, old)
    parsed = check.parsed
    assert parsed is not None
    if parsed.is_empty:
        new: State = EMPTY
    else:
        value = None if parsed.value is None else canonical(parsed.value)
        reason = None if parsed.missing_reason is None else parsed.missing_reason.value
        new = (value, reason, comment)
    if new == old:
        return EntryResult(request, check, Outcome.UNCHANGED, old, new)
    if new == EMPTY:
        outcome = Outcome.CLEARED
    else:
        outcome = Outcome.NEW if row is None else Outcome.UPDATED
    if parsed.value is None:
        known.pop(request.fiscal_year, None)
    else:
        known[request.fiscal_year] = parsed.value
    if write:
        if outcome is Outcome.CLEARED:
            assert row is not None
            session.execute(delete(ActualRow).where(ActualRow.id == row.id))
            del rows[key]
        else:
            if row is None:
                row = ActualRow(
                    indicator_code=request.indicator_code, fiscal_year=request.fiscal_year
                )
                session.add(row)
                rows[key] = row
            row.value, row.missing_reason, row.comment = new
            row.entered_by, row.entered_at, row.source = who, moment, source
        record(
            session,
            who=who,
            source=source,
            action="clear" if outcome is Outcome.CLEARED else "enter",
            indicator_code=request.indicator_code,
            fiscal_year=request.fiscal_year,
            old=old,
            new=new,
            detail=detail,
            at=moment,
        )
        session.flush()
    return EntryResult(request, check, outcome, old, new)


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


def _view(row: ActualRow) -> ActualView:
    return ActualView(
        indicator_code=row.indicator_code,
        fiscal_year=row.fiscal_year,
        value=None if row.value is None else to_decimal(row.value),
        missing_reason=None if row.missing_reason is None else MissingReason(row.missing_reason),
        comment=row.comment,
        entered_by=row.entered_by,
        entered_at=as_utc(row.entered_at),
        source=row.source,
    )


def read_actuals(
    store: Store,
    *,
    department: str | None = None,
    fiscal_year: int | None = None,
    indicator_codes: Iterable[str] | None = None,
) -> list[ActualView]:
    with store.session() as session:
        query = select(ActualRow).order_by(ActualRow.indicator_code, ActualRow.fiscal_year)
        if indicator_codes is not None:
            query = query.where(ActualRow.indicator_code.in_(list(indicator_codes)))
        if department is not None:
            query = query.join(IndicatorRow).where(IndicatorRow.department_code == department)
        if fiscal_year is not None:
            query = query.where(ActualRow.fiscal_year == fiscal_year)
        return [_view(row) for row in session.scalars(query)]


def department_exists(store: Store, code: str) -> bool:
    with store.session() as session:
        return session.get(DepartmentRow, code) is not None


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
    with store.session() as session:
        plan = plan_settings(session)
        indicators = {
            row.code: indicator_from_row(row) for row in session.scalars(select(IndicatorRow))
        }
        values: dict[str, dict[int, ActualRow]] = {}
        for row in session.scalars(select(ActualRow)):
            values.setdefault(row.indicator_code, {})[row.fiscal_year] = row
    for code, by_year in sorted(values.items()):
        spec = indicators[code].spec()
        known = {y: to_decimal(r.value) for y, r in by_year.items() if r.value is not None}
        for year, row in sorted(by_year.items()):
            if row.value is None:
                continue
            others = {y: v for y, v in known.items() if y != year}
            parsed = ParsedValue(value=to_decimal(row.value))
            for finding in validate(parsed, spec, plan, year, others):
                explained = finding.severity is Severity.WARNING and bool(row.comment)
                found.append(StoredFinding(code, year, finding, explained))
    return found
