"""施策評価 in the submission workbook and the merge: they travel and merge like values.

A submission carries the department's evaluations of the measures it owns, for every year up
to the submitted one, on a hidden sheet `evaluation` (one row each, with revisions), and their
checksum in the meta sheet (`evaluation_sha256`); the printable sheet 施策評価 shows them. The
merge decides each as new, updated, unchanged, conflict or rejected with the same revision rules
as a value; the reviewer comment is the planning division's own and never comes from a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.evaluation import (
    Evaluation,
    owning_department,
    parse_grade,
    parse_next_step,
)
from kplan_desktop.domain.lineage import Incoming, Lineage, decide
from kplan_desktop.domain.model import PlanSettings
from kplan_desktop.domain.revision import Revision
from kplan_desktop.exchange.payload import RowOutcome, escape_field, parse_utc, utc_text
from kplan_desktop.store.evaluations import EvaluationView, write_evaluation
from kplan_desktop.store.generations import active_generation
from kplan_desktop.store.requests import EntrySource

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

SHEET_EVALUATION = "evaluation"
SHEET_EVALUATION_PRINT = "施策評価"
EVALUATION_KEYS = (
    "measure",
    "fiscal_year",
    "grade",
    "results",
    "next_step",
    "next_text",
    "entered_by",
    "entered_at",
    "revision",
    "replaces",
)


@dataclass(frozen=True)
class EvaluationRow:
    """One stored evaluation as a file carries it (the department's part only)."""

    measure: str
    fiscal_year: int
    grade: str | None
    results: str
    next_step: str | None  # a NextStep value
    next_text: str
    entered_by: str
    entered_at: datetime
    revision: Revision | None
    replaces: Revision | None

    def texts(self) -> list[str]:
        """The cells of the hidden sheet, in EVALUATION_KEYS order ("" for nothing)."""
        return [
            self.measure,
            str(self.fiscal_year),
            self.grade or "",
            self.results,
            self.next_step or "",
            self.next_text,
            self.entered_by,
            utc_text(self.entered_at),
            "" if self.revision is None else str(self.revision),
            "" if self.replaces is None else str(self.replaces),
        ]


def evaluations_sha256(rows: Iterable[Sequence[str]]) -> str:
    """SHA-256 of the rows' cell texts, sorted by measure and year, tab-separated, escaped."""
    lines = sorted("\t".join(escape_field(t) for t in texts) for texts in rows)
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()


def evaluation_rows(
    catalog: Catalog,
    department: str,
    fiscal_year: int,
    stored: Iterable[EvaluationView],
    owned: Collection[str] | None = None,
) -> list[EvaluationRow]:
    """The department's evaluations up to `fiscal_year`, of the measures it owns: `owned`
    when given (store.evaluations.owned_measures: a catalog read for one department holds
    only its own indicators), else counted over the catalog's."""
    if owned is None:
        owned = {
            m.code
            for g in catalog.goals
            for p in g.policies
            for m in p.measures
            if owning_department([i.department for i in m.indicators]) == department
        }
    rows = []
    for view in stored:
        e = view.evaluation
        if e.measure_code not in owned or e.fiscal_year > fiscal_year:
            continue
        if e.department_part == (None, "", None, ""):
            continue  # only a reviewer comment: nothing of the department's to send
        rows.append(
            EvaluationRow(
                measure=e.measure_code,
                fiscal_year=e.fiscal_year,
                grade=e.grade,
                results=e.results,
                next_step=None if e.next_step is None else e.next_step.value,
                next_text=e.next_text,
                entered_by=view.entered_by,
                entered_at=view.entered_at,
                revision=view.revision,
                replaces=view.replaces,
            )
        )
    return sorted(rows, key=lambda r: (r.measure, r.fiscal_year))


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingEvaluation:
    """An evaluation row as read from a file, or why it cannot be used."""

    sheet_row: int
    measure: str
    fiscal_year: int | None
    evaluation: Evaluation | None
    entered_by: str | None
    entered_at: datetime | None
    revision: Revision | None
    replaces: Revision | None
    problem_ja: str | None = None
    problem_en: str | None = None


def read_evaluation_rows(
    grid: Sequence[tuple[int, Sequence[str | None]]], header: Sequence[str | None]
) -> tuple[list[IncomingEvaluation], list[list[str]]]:
    """Rows of the evaluation sheet (already read as text by the workbook reader) and the
    texts its checksum covers."""
    columns = {key: n for n, key in enumerate(header) if key in EVALUATION_KEYS}
    missing = [key for key in EVALUATION_KEYS if key not in columns]
    if missing:
        raise DomainError(
            "E_WB_LAYOUT",
            f"「{SHEET_EVALUATION}」シートの1行目に {', '.join(missing)} がありません",
            f"row 1 of the {SHEET_EVALUATION} sheet lacks {', '.join(missing)}",
        )
    out: list[IncomingEvaluation] = []
    texts: list[list[str]] = []
    for number, cells in grid:
        get = {key: (cells[n] if n < len(cells) else None) or "" for key, n in columns.items()}
        texts.append([get[key] for key in EVALUATION_KEYS])
        out.append(_incoming(number, get))
    return out, texts


def _incoming(number: int, get: Mapping[str, str]) -> IncomingEvaluation:
    measure = get["measure"].strip()
    year_text = get["fiscal_year"].strip()
    year = (
        int(year_text)
        if year_text.isascii() and year_text.isdigit() and len(year_text) == 4
        else None
    )
    try:
        if not measure:
            raise DomainError("E_EVALUATION", "施策コードが空です", "no measure code")
        if year is None:
            raise DomainError("E_EVALUATION", "年度が読めません", "the fiscal year cannot be read")
        evaluation = Evaluation(
            measure_code=measure,
            fiscal_year=year,
            grade=parse_grade(get["grade"]),
            results=get["results"],
            next_step=parse_next_step(get["next_step"]),
            next_text=get["next_text"],
        )
        moment = parse_utc(get["entered_at"]) if get["entered_at"].strip() else None
        revision = Revision.parse(get["revision"])
        replaces = Revision.parse(get["replaces"])
    except DomainError as exc:
        return IncomingEvaluation(
            number, measure, year, None, None, None, None, None, exc.message_ja, exc.message_en
        )
    except ValueError:
        return IncomingEvaluation(
            number,
            measure,
            year,
            None,
            None,
            None,
            None,
            None,
            "入力日時または版（revision）が読めません",
            "the entry time or a revision cannot be read",
        )
    return IncomingEvaluation(
        number, measure, year, evaluation, get["entered_by"] or None, moment, revision, replaces
    )


# -- merging -------------------------------------------------------------------------------


@dataclass
class PlannedEvaluation:
    """What the merge does with one evaluation of a file."""

    incoming: IncomingEvaluation
    outcome: RowOutcome
    reason_ja: str = ""
    reason_en: str = ""
    stored: EvaluationView | None = None
    take_file: bool = False  # a conflict the planning division resolved for the file

    @property
    def label(self) -> str:
        return f"施策評価 {self.incoming.measure}"

    @property
    def writes(self) -> bool:
        return self.outcome in (RowOutcome.NEW, RowOutcome.UPDATED) or (
            self.outcome is RowOutcome.CONFLICT and self.take_file
        )


def plan_evaluations(
    settings: PlanSettings,
    owners: Mapping[str, str | None],
    department: str,
    fiscal_year: int,
    incoming: Sequence[IncomingEvaluation],
    stored: Mapping[tuple[str, int], EvaluationView],
    *,
    trusted: bool,
    origin: str,
) -> list[PlannedEvaluation]:
    """Decide each incoming evaluation (see the module's docstring). `owners`: every
    measure's evaluating department (store.evaluations.measure_owners)."""
    seen: set[tuple[str, int]] = set()
    out = []
    for row in incoming:

        def rejected(ja: str, en: str, row: IncomingEvaluation = row) -> PlannedEvaluation:
            return PlannedEvaluation(row, RowOutcome.REJECTED, ja, en)

        if row.evaluation is None:
            out.append(rejected(row.problem_ja or "", row.problem_en or ""))
            continue
        year = row.fiscal_year
        assert year is not None
        if row.measure not in owners:
            out.append(
                rejected(f"施策 {row.measure[:40]} はカタログにありません", "unknown measure")
            )
            continue
        owner = owners[row.measure]
        if owner != department:
            out.append(
                rejected(
                    f"{owner} の施策です（このファイルは {department}）",
                    f"evaluated by {owner}, not by {department}",
                )
            )
            continue
        if not settings.in_period(year) or year > fiscal_year:
            out.append(
                rejected(
                    f"年度 {year} は計画期間（{settings.start_year}〜{fiscal_year}年度）の外です",
                    f"fiscal year {year} is outside {settings.start_year}–{fiscal_year}",
                )
            )
            continue
        key = (row.measure, year)
        if key in seen:
            out.append(rejected("同じ施策・年度の行がすでにあります", "duplicate measure and year"))
            continue
        seen.add(key)
        here = stored.get(key)
        out.append(_decide(row, here, trusted=trusted, origin=origin))
    return out


def _decide(
    row: IncomingEvaluation, here: EvaluationView | None, *, trusted: bool, origin: str
) -> PlannedEvaluation:
    assert row.evaluation is not None
    if here is None:
        return PlannedEvaluation(row, RowOutcome.NEW)
    if here.evaluation.department_part == row.evaluation.department_part:
        return PlannedEvaluation(row, RowOutcome.UNCHANGED, stored=here)
    lineage = decide(
        Incoming(row.revision if trusted else None, row.replaces),
        here.revision,
        origin=origin,
    )
    if lineage.update:
        return PlannedEvaluation(row, RowOutcome.UPDATED, stored=here)
    if lineage is Lineage.OLDER_FILE:
        why = (
            "より新しい評価がすでに取り込まれています（古いファイル）",
            "a newer evaluation is already merged",
        )
    elif lineage is Lineage.FORKED:
        why = (
            "この担当課のデータベースの履歴が、取り込み済みの評価とつながりません"
            "（データベースファイルを複製して使った可能性があります）。どちらを採るか決めてください",
            "this department's database history does not join the merged evaluation's (a copied "
            "database file?); decide which to keep",
        )
    elif trusted and row.revision is not None:
        why = ("データベースの評価はほかで変更されています", "changed elsewhere in the database")
    else:
        why = (
            "データベースの評価はこのファイル以外から入っています。どちらを採るか決めてください",
            "the database's evaluation came from elsewhere; decide which to keep",
        )
    return PlannedEvaluation(row, RowOutcome.CONFLICT, *why, stored=here)


def apply_evaluations(
    conn: Connection,
    planned: Sequence[PlannedEvaluation],
    *,
    who: str,
    trusted: bool,
    origin: str,
    generation: int | None = None,
) -> int:
    """Write the planned evaluations in the merge's transaction; the number written.

    `generation`: the plan generation the file is merged into (None: the active one).

    Each write names the revision the plan saw: a change meanwhile refuses the whole merge
    (E_CONFLICT). Without trustworthy revisions (a template, an edited file) the evaluation's
    revision is named after `origin`, so a later file of the department may update it.
    """
    written = 0
    into = active_generation(conn) if generation is None else generation
    for plan in planned:
        if not plan.writes:
            continue
        row = plan.incoming
        assert row.evaluation is not None
        keep = trusted and row.revision is not None
        done = write_evaluation(
            conn,
            into,
            row.evaluation,
            who=who,
            source=EntrySource.MERGE,
            expected=None if plan.stored is None else plan.stored.revision,
            revision=row.revision if keep else None,
            replaces=row.replaces if keep else None,
            entered_by=row.entered_by,
            entered_at=row.entered_at,
            origin=None if keep else origin,
        )
        written += done is not None
    return written


def shown(evaluation: Evaluation | None) -> str | None:
    """An evaluation as one short text for the preview and the import report."""
    if evaluation is None:
        return None
    step = "" if evaluation.next_step is None else evaluation.next_step.label_ja
    return f"自己評価 {evaluation.grade or '－'}・{step or '－'}"


def sheet_texts(
    book: Workbook, name: str, limit: int
) -> tuple[list[str | None], list[tuple[int, list[str | None]]]]:
    """Header and rows of a simple text sheet, as text (numbers as written)."""
    ws = book[name]
    rows = ws.iter_rows(values_only=True)
    header = [None if v is None else str(v).strip() for v in next(rows, ())]
    grid: list[tuple[int, list[str | None]]] = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > limit:
            raise DomainError(
                "E_WB_TOO_MANY_ROWS",
                f"「{name}」シートの行が多すぎます（{limit}行まで）",
                f"the {name} sheet has too many rows (at most {limit})",
            )
        texts = [None if v is None else str(v) for v in values[: len(EVALUATION_KEYS) + 4]]
        if all(t is None or not t.strip() for t in texts):
            continue
        grid.append((number, texts))
    return header, grid
