"""Measure evaluations (store/evaluations.py): the department's part, the reviewer's comment,
conflicts and 確定 — through the store's functions, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from kplan_desktop.domain.errors import Conflict, DomainError
from kplan_desktop.domain.evaluation import Evaluation, NextStep
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.engine import Store
from kplan_desktop.store.evaluations import (
    evaluation_overview,
    measure_owners,
    read_evaluation,
    read_evaluations,
    save_evaluation,
    save_review_comment,
)
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import finalise
from tests.conftest import Database, dump

MEASURE, YEAR = "7-1-1", 2024


def evaluation(grade: str | None = "B", results: str = "参加者が増えた") -> Evaluation:
    return Evaluation(MEASURE, YEAR, grade, results, NextStep.CONTINUE, "続ける")


@pytest.fixture
def store(db: Database) -> Store:
    return Store.open(str(db))


def test_an_evaluation_is_saved_read_back_and_saving_it_again_changes_nothing(
    store: Store,
) -> None:
    wanted = evaluation()
    with store.transaction() as conn:
        saved = save_evaluation(conn, 1, wanted, who="clerk", source=EntrySource.CLI, expected=None)
    assert saved is not None and saved.evaluation == wanted and saved.revision is not None
    with store.transaction() as conn:
        assert save_evaluation(conn, 1, wanted, who="clerk", source=EntrySource.CLI) is None
    with store.snapshot() as conn:
        assert read_evaluation(conn, 1, MEASURE, YEAR) == saved
        assert read_evaluations(conn, 1, fiscal_year=YEAR) == [saved]
        assert read_evaluations(conn, 1, measure_codes=["7-1-2"]) == []
        changes = [e for e in audit_log(conn) if e.action == "evaluate"]
    assert len(changes) == 1


def test_a_change_based_on_an_older_revision_is_a_conflict_and_changes_nothing(
    store: Store, db: Database
) -> None:
    with store.transaction() as conn:
        first = save_evaluation(
            conn, 1, evaluation("B"), who="a", source=EntrySource.CLI, expected=None
        )
    assert first is not None
    with store.transaction() as conn:
        save_evaluation(
            conn, 1, evaluation("A"), who="b", source=EntrySource.CLI, expected=first.revision
        )
    before = dump(db)
    with pytest.raises(Conflict) as conflict, store.transaction() as conn:
        save_evaluation(
            conn, 1, evaluation("C"), who="a", source=EntrySource.CLI, expected=first.revision
        )
    assert conflict.value.code == "E_CONFLICT" and "評価 A" in conflict.value.message_ja
    assert dump(db) == before


def test_the_reviewer_comment_is_kept_apart_from_the_departments_part(store: Store) -> None:
    with store.transaction() as conn:
        assert save_review_comment(
            conn, 1, MEASURE, YEAR, "よい", who="planner", source=EntrySource.CLI
        )
        assert not save_review_comment(
            conn, 1, MEASURE, YEAR, "よい", who="planner", source=EntrySource.CLI
        )
    with store.transaction() as conn:
        save_evaluation(conn, 1, evaluation(), who="clerk", source=EntrySource.CLI)
    with store.snapshot() as conn:
        stored = read_evaluation(conn, 1, MEASURE, YEAR)
    assert stored is not None
    assert stored.evaluation.reviewer_comment == "よい"
    assert stored.evaluation.department_part == evaluation().department_part


def test_a_finalised_year_refuses_the_departments_change(store: Store, db: Database) -> None:
    values = {
        "7-1-1-A1": "未集計",
        "7-1-1-K1": "3",
        "7-1-1-K2": "55",
        "7-1-1-K3": "1,500人",
        "7-1-2-A1": "該当なし",
        "7-1-2-K1": "20",
    }
    with store.transaction() as conn:
        requests = [EntryRequest(code, YEAR, text, "c") for code, text in values.items()]
        write_actuals(conn, 1, requests, who="clerk", source=EntrySource.TEST)
        finalise(conn, 1, "community", YEAR, who="clerk", source=EntrySource.CLI)
    before = dump(db)
    with pytest.raises(DomainError) as refused, store.transaction() as conn:
        save_evaluation(conn, 1, evaluation(), who="clerk", source=EntrySource.CLI)
    assert refused.value.code == "E_FINALISED"
    assert refused.value.message_ja.startswith("令和")  # as the banner says it (trial 15b, 12)
    assert dump(db) == before


def test_the_overview_lists_each_measure_with_its_owner_and_evaluation(store: Store) -> None:
    with store.transaction() as conn:
        saved = save_evaluation(conn, 1, evaluation(), who="clerk", source=EntrySource.CLI)
    with store.snapshot() as conn:
        owners = measure_owners(conn, 1)
        rows = {row.measure.code: row for row in evaluation_overview(conn, 1, YEAR)}
        mine = evaluation_overview(conn, 1, YEAR, department="community")
    assert owners[MEASURE] == "community"
    assert set(rows) == set(owners)
    assert rows[MEASURE].stored == saved
    assert {row.measure.code for row in mine} == {m for m, d in owners.items() if d == "community"}
