"""施策評価 in the database: the one write path for a measure's evaluation and its reviewer comment.

Like a value, an evaluation carries its revision (this database and its audit row number) and
the revision it replaced; a write may name the revision it started from and is refused
(E_CONFLICT) if the stored one is another. A finalised year refuses the department's changes
(a merge is not refused); the planning division's reviewer comment is its own field and never
comes from a department's file.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, text, update

from kplan_desktop.domain.audit_words import evaluation_detail, review_detail
from kplan_desktop.domain.catalog import Goal, Measure, Policy
from kplan_desktop.domain.errors import Conflict, DomainError
from kplan_desktop.domain.evaluation import (
    Evaluation,
    NextStep,
    check_text,
    owner_from_tally,
    owning_department,
    suggested_grade,
)
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.domain.revision import Revision
from kplan_desktop.store.audit import SOURCES, as_utc, now, record
from kplan_desktop.store.engine import DATABASE_ID_KEY, meta_value
from kplan_desktop.store.generations import require_writable
from kplan_desktop.store.models import (
    finalisation_table,
    indicator_table,
    measure_evaluation_table,
    measure_table,
    plan_table,
)
from kplan_desktop.store.overview import overview
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.years import locked_finding, locked_years_in

_NEXT = {step.value: step for step in NextStep}
# "Any stored revision will do": a write that does not check what it started from.
ANY: Any = object()


@dataclass(frozen=True)
class EvaluationView:
    """A stored evaluation with who entered it, when, and its revisions."""

    evaluation: Evaluation
    entered_by: str
    entered_at: datetime
    revision: Revision | None
    replaces: Revision | None


def _owner(conn: Connection, generation: int, measure_code: str) -> str | None:
    i = indicator_table.c
    rows = conn.execute(
        select(i.department_code)
        .where(i.generation == generation, i.measure_code == measure_code)
        .order_by(i.position)
    ).all()
    return owning_department([department for (department,) in rows])


def _view(row: RowMapping) -> EvaluationView:
    step = row["next_step"]
    return EvaluationView(
        Evaluation(
            measure_code=row["measure_code"],
            fiscal_year=row["fiscal_year"],
            grade=row["grade"],
            results=row["results"],
            next_step=None if step is None else _NEXT[step],
            next_text=row["next_text"],
            reviewer_comment=row["reviewer_comment"],
        ),
        row["entered_by"],
        as_utc(row["entered_at"]),
        Revision.of(row["revision_db"], row["revision_seq"]),
        Revision.of(row["replaces_db"], row["replaces_seq"]),
    )


def read_evaluations(
    conn: Connection,
    generation: int,
    *,
    fiscal_year: int | None = None,
    measure_codes: Iterable[str] | None = None,
) -> list[EvaluationView]:
    t = measure_evaluation_table.c
    query = (
        select(measure_evaluation_table)
        .where(t.generation == generation)
        .order_by(t.measure_code, t.fiscal_year)
    )
    if fiscal_year is not None:
        query = query.where(t.fiscal_year == fiscal_year)
    if measure_codes is not None:
        query = query.where(t.measure_code.in_(list(measure_codes)))
    return [_view(row) for row in conn.execute(query).mappings()]


def read_evaluation(
    conn: Connection, generation: int, measure_code: str, fiscal_year: int
) -> EvaluationView | None:
    found = read_evaluations(
        conn, generation, fiscal_year=fiscal_year, measure_codes=[measure_code]
    )
    return found[0] if found else None


def _refuse(code: str, ja: str, en: str) -> DomainError:
    return DomainError(code, ja, en)


def _check_place(
    conn: Connection, generation: int, measure_code: str, fiscal_year: int
) -> str | None:
    """The generation is open, the measure exists in it and the year is in its plan; returns
    the measure's department."""
    require_writable(conn, generation)
    m = measure_table.c
    if (
        conn.scalar(select(m.code).where(m.generation == generation, m.code == measure_code))
        is None
    ):
        raise _refuse(
            "E_UNKNOWN_MEASURE",
            f"施策 {measure_code[:40]} はカタログにありません",
            f"Measure {measure_code[:40]} is not in the catalog",
        )
    p = conn.execute(
        select(plan_table.c.start_year, plan_table.c.end_year).where(
            plan_table.c.generation == generation
        )
    ).first()
    if p is None or not p[0] <= fiscal_year <= p[1]:
        raise _refuse(
            "E_YEAR_OUT_OF_PLAN",
            f"{fiscal_year}年度は計画期間の外です",
            f"FY{fiscal_year} is outside the plan period",
        )
    return _owner(conn, generation, measure_code)


def _finalised(conn: Connection, generation: int, department: str | None, fiscal_year: int) -> bool:
    if department is None:
        return False
    f = finalisation_table.c
    query = select(f.department_code).where(
        f.generation == generation, f.department_code == department, f.fiscal_year == fiscal_year
    )
    return conn.scalar(query) is not None


def save_evaluation(
    conn: Connection,
    generation: int,
    evaluation: Evaluation,
    *,
    who: str,
    source: EntrySource,
    expected: Revision | None = ANY,
    request_key: str | None = None,
) -> EvaluationView | None:
    """Write the department's part of an evaluation (grade, results, next step and its text);
    see write_evaluation. None when nothing changed. request_key: see Store.write."""
    key = request_key or uuid.uuid4().hex
    return write_evaluation(
        conn, generation, evaluation, who=who, source=source, expected=expected, request_key=key
    )


def write_evaluation(
    conn: Connection,
    generation: int,
    evaluation: Evaluation,
    *,
    who: str,
    source: EntrySource,
    expected: Revision | None = ANY,
    revision: Revision | None = None,
    replaces: Revision | None = None,
    entered_by: str | None = None,
    entered_at: datetime | None = None,
    origin: str | None = None,
    request_key: str | None = None,
) -> EvaluationView | None:
    """The one write of a department's evaluation, inside the caller's transaction.

    The stored reviewer comment is kept. `expected`: the revision the user started from
    (E_CONFLICT if the stored one differs). `revision`/`replaces`/`entered_*`: a merge keeps
    the department's own; `origin` names the revision of a file's evaluation that has none
    (as for values). Returns the stored evaluation; None when nothing changed.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    results = check_text(evaluation.results, "成果と課題", "results and issues")
    next_text = check_text(evaluation.next_text, "今後の方向性の説明", "next-step text")
    if evaluation.grade is not None and evaluation.grade not in ("A", "B", "C", "D"):
        raise ValueError("grade must be parsed with parse_grade")
    wanted = replace(evaluation, results=results, next_text=next_text)
    department = _check_place(conn, generation, wanted.measure_code, wanted.fiscal_year)
    _refuse_locked(conn, generation, wanted.fiscal_year)
    if source != "merge" and _finalised(conn, generation, department, wanted.fiscal_year):
        raise _refuse(
            "E_FINALISED",
            f"{format_fiscal_year(wanted.fiscal_year, FiscalYearStyle.ERA)}は確定済みのため"
            "変更できません（確定を取り消すと変更できます）",
            f"FY{wanted.fiscal_year} is finalised and cannot change "
            "(withdraw the finalisation first)",
        )
    current = _current(conn, generation, wanted.measure_code, wanted.fiscal_year)
    here = None if current is None else current.revision
    if expected is not ANY and expected != here:
        raise _conflict(current)
    if current is not None and current.evaluation.department_part == wanted.department_part:
        return None
    old = None if current is None else _facts(current.evaluation)
    detail = evaluation_detail(wanted.measure_code, old, _facts(wanted))
    if conn.dialect.name == "postgresql" and source != "merge":
        # On a server the write function checks the login's department, the lock, 確定 and
        # the texts again, and writes the audit row itself (a department login writes no
        # table). It refuses a row that changed since `current` was read.
        t = measure_evaluation_table.c
        seen = conn.execute(
            select(t.revision_db, t.revision_seq).where(
                t.generation == generation,
                t.measure_code == wanted.measure_code,
                t.fiscal_year == wanted.fiscal_year,
            )
        ).first()
        conn.execute(
            text(
                "SELECT kplan_put_evaluation(:generation, :measure, :year, :grade, :results,"
                " :step, :next, :seen_row, :seen_db, :seen_seq, :source, :detail, :key, :client)"
            ),
            {
                "generation": generation,
                "measure": wanted.measure_code,
                "year": wanted.fiscal_year,
                "grade": wanted.grade,
                "results": results,
                "step": None if wanted.next_step is None else wanted.next_step.value,
                "next": next_text,
                "seen_row": seen is not None,
                "seen_db": None if seen is None else seen[0],
                "seen_seq": None if seen is None else seen[1],
                "source": source,
                "detail": detail,
                "key": request_key,
                "client": who,
            },
        )
        return _current(conn, generation, wanted.measure_code, wanted.fiscal_year)
    sequence = record(
        conn,
        who=who,
        source=source,
        action="evaluate",
        generation=generation,
        fiscal_year=wanted.fiscal_year,
        detail=detail,
        request_key=request_key,
    )
    own = Revision(origin or meta_value(conn, DATABASE_ID_KEY) or "", sequence)
    made = revision or own
    kept = replaces if revision is not None else here
    values = {
        "grade": wanted.grade,
        "results": results,
        "next_step": None if wanted.next_step is None else wanted.next_step.value,
        "next_text": next_text,
        "entered_by": entered_by or who,
        "entered_at": entered_at or now(),
        "revision_db": made.database,
        "revision_seq": made.sequence,
        "replaces_db": None if kept is None else kept.database,
        "replaces_seq": None if kept is None else kept.sequence,
    }
    if current is None:
        values["reviewer_comment"] = ""  # the planning division's column, never updated here
    _put(
        conn,
        generation,
        wanted.measure_code,
        wanted.fiscal_year,
        values,
        exists=current is not None,
    )
    return _current(conn, generation, wanted.measure_code, wanted.fiscal_year)


def _refuse_locked(conn: Connection, generation: int, fiscal_year: int) -> None:
    if fiscal_year in locked_years_in(conn, generation):
        finding = locked_finding(fiscal_year)
        raise _refuse(finding.code, finding.message_ja, finding.message_en)


def save_review_comment(
    conn: Connection,
    generation: int,
    measure_code: str,
    fiscal_year: int,
    comment: str,
    *,
    who: str,
    source: EntrySource,
) -> bool:
    """The planning division's reviewer comment (any time, finalised or not); True if changed."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    text = check_text(comment, "評価者のコメント", "reviewer comment")
    _check_place(conn, generation, measure_code, fiscal_year)
    _refuse_locked(conn, generation, fiscal_year)
    current = _current(conn, generation, measure_code, fiscal_year)
    if (current.evaluation.reviewer_comment if current else "") == text:
        return False
    record(
        conn,
        who=who,
        source=source,
        action="review",
        generation=generation,
        fiscal_year=fiscal_year,
        detail=review_detail(measure_code, text),
    )
    if current is None:
        values = {
            "grade": None,
            "results": "",
            "next_step": None,
            "next_text": "",
            "reviewer_comment": text,
            "entered_by": who,
            "entered_at": now(),
        }
        _put(conn, generation, measure_code, fiscal_year, values, exists=False)
    else:
        _put(conn, generation, measure_code, fiscal_year, {"reviewer_comment": text}, exists=True)
    return True


def _current(
    conn: Connection, generation: int, measure_code: str, fiscal_year: int
) -> EvaluationView | None:
    t = measure_evaluation_table.c
    row = (
        conn.execute(
            select(measure_evaluation_table).where(
                t.generation == generation,
                t.measure_code == measure_code,
                t.fiscal_year == fiscal_year,
            )
        )
        .mappings()
        .first()
    )
    return None if row is None else _view(row)


def _put(
    conn: Connection,
    generation: int,
    measure_code: str,
    fiscal_year: int,
    values: dict[str, Any],
    *,
    exists: bool,
) -> None:
    t = measure_evaluation_table.c
    if exists:
        conn.execute(
            update(measure_evaluation_table)
            .where(
                t.generation == generation,
                t.measure_code == measure_code,
                t.fiscal_year == fiscal_year,
            )
            .values(**values)
        )
    else:
        conn.execute(
            insert(measure_evaluation_table).values(
                generation=generation, measure_code=measure_code, fiscal_year=fiscal_year, **values
            )
        )


def _summary(evaluation: Evaluation) -> str:
    step = "" if evaluation.next_step is None else evaluation.next_step.label_ja
    grade = evaluation.grade or "－"
    return f"評価 {grade} / {step or '－'} / 成果と課題 {len(evaluation.results)}文字"


def _facts(evaluation: Evaluation) -> dict[str, object]:
    """An evaluation as its audit row records it (the results text by its length)."""
    step = None if evaluation.next_step is None else evaluation.next_step.value
    return {"grade": evaluation.grade, "next_step": step, "results": len(evaluation.results)}


def _conflict(current: EvaluationView | None) -> Conflict:
    shown = "（なし）" if current is None else _summary(current.evaluation)
    return Conflict(
        f"この施策評価はほかで変更されています（現在: {shown}）。確認してからやり直してください",
        f"Someone else changed this evaluation (now: {shown}); check it and try again",
    )


@dataclass(frozen=True)
class MeasureEvaluationRow:
    """A measure, the department that evaluates it, its indicators' grades for the year (the
    guidance shown beside the self-evaluation) and the stored evaluation, if any."""

    goal: Goal
    policy: Policy
    measure: Measure
    department: str | None
    indicator_grades: list[str]
    suggested: str | None
    stored: EvaluationView | None
    # (indicator code, name, grade) of each graded indicator: which indicator has which grade.
    graded: tuple[tuple[str, str, str], ...] = ()

    @property
    def evaluation(self) -> Evaluation | None:
        return None if self.stored is None else self.stored.evaluation

    def to_dict(self) -> dict[str, object]:
        e = self.evaluation
        return {
            "measure": self.measure.code,
            "name": self.measure.name,
            "department": self.department,
            "indicator_grades": self.indicator_grades,
            "suggested_grade": self.suggested,
            "grade": None if e is None else e.grade,
            "results": "" if e is None else e.results,
            "next_step": None if e is None or e.next_step is None else e.next_step.value,
            "next_text": "" if e is None else e.next_text,
            "reviewer_comment": "" if e is None else e.reviewer_comment,
            "revision": None
            if self.stored is None or self.stored.revision is None
            else str(self.stored.revision),
        }


def evaluation_overview(
    conn: Connection, generation: int, fiscal_year: int, *, department: str | None = None
) -> list[MeasureEvaluationRow]:
    """Every measure (of `department`, when given) with its evaluation for `fiscal_year`."""

    catalog, rows = overview(conn, generation)
    catalog.check_choice(department, fiscal_year)
    grades: dict[str, list[str]] = {}
    graded: dict[str, list[tuple[str, str, str]]] = {}
    for row in rows:
        grade = row.achievement(catalog, fiscal_year).grade
        if grade.is_letter:
            grades.setdefault(row.measure.code, []).append(grade.value)
            named = (row.indicator.code, row.indicator.display_name, grade.value)
            graded.setdefault(row.measure.code, []).append(named)
    stored = {
        v.evaluation.measure_code: v
        for v in read_evaluations(conn, generation, fiscal_year=fiscal_year)
    }
    out = []
    for goal in catalog.goals:
        for policy in goal.policies:
            for measure in policy.measures:
                owner = owning_department([i.department for i in measure.indicators])
                if department is not None and owner != department:
                    continue
                measure_grades = grades.get(measure.code, [])
                out.append(
                    MeasureEvaluationRow(
                        goal,
                        policy,
                        measure,
                        owner,
                        measure_grades,
                        suggested_grade(measure_grades),
                        stored.get(measure.code),
                        tuple(graded.get(measure.code, ())),
                    )
                )
    return out


def measure_owners(conn: Connection, generation: int) -> dict[str, str | None]:
    """Every measure's evaluating department (see owning_department)."""
    i, m = indicator_table.c, measure_table.c
    measures = conn.scalars(select(m.code).where(m.generation == generation)).all()
    rows = conn.execute(
        select(i.measure_code, i.department_code)
        .where(i.generation == generation)
        .order_by(i.measure_code, i.position)
    ).all()
    departments: dict[str, list[str]] = {code: [] for code in measures}
    for measure, department in rows:
        departments.setdefault(measure, []).append(department)
    return {code: owning_department(found) for code, found in departments.items()}


def owned_measures(conn: Connection, generation: int, department: str) -> set[str]:
    """The measures `department` evaluates in `generation` (see owning_department), counted by
    the database: one row per measure and leading department, not every indicator."""
    i = indicator_table.c
    mine = select(i.measure_code).where(
        (i.generation == generation) & (i.department_code == department)
    )
    tally = (
        select(
            i.measure_code,
            i.department_code,
            func.count().label("n"),
            func.min(i.position).label("first"),
        )
        .where((i.generation == generation) & i.measure_code.in_(mine))
        .group_by(i.measure_code, i.department_code)
        .subquery()
    )
    top = (
        select(tally.c.measure_code, func.max(tally.c.n).label("top"))
        .group_by(tally.c.measure_code)
        .subquery()
    )
    leading = select(tally.c.measure_code, tally.c.department_code, tally.c.n, tally.c.first).join(
        top, (top.c.measure_code == tally.c.measure_code) & (top.c.top == tally.c.n)
    )
    by_measure: dict[str, list[tuple[str, int, int]]] = {}
    for measure, owner, count, first in conn.execute(leading).all():
        by_measure.setdefault(measure, []).append((owner, count, first))
    return {code for code, tally_ in by_measure.items() if owner_from_tally(tally_) == department}
