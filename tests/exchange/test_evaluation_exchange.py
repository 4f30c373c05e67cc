"""Tests for kplan_desktop.exchange.evaluation_exchange: 施策評価 in a real submission workbook
and in the merge, through the public functions (evaluation sheet read back, its checksum, the
decision of each incoming evaluation) and `kplan export` / `kplan merge` on real files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from tests import seeded

from kplan_desktop.cli import main
from kplan_desktop.domain.evaluation import Evaluation, NextStep
from kplan_desktop.domain.model import PlanSettings
from kplan_desktop.domain.revision import Revision
from kplan_desktop.exchange.evaluation_exchange import (
    SHEET_EVALUATION,
    IncomingEvaluation,
    evaluations_sha256,
    plan_evaluations,
    read_evaluation_rows,
    sheet_texts,
    shown,
)
from kplan_desktop.exchange.payload import RowOutcome
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.evaluations import (
    measure_owners,
    read_evaluations,
    save_evaluation,
)
from kplan_desktop.store.requests import EntrySource

YEAR = 2024
MEASURE = "7-1-1"  # owned by community (市民協働担当課)


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    """A community submission carrying one evaluation of its measure."""
    db = tmp_path / "community.sqlite3"
    seeded.init(db)
    store = Store.open(str(db))
    try:
        evaluation = Evaluation(MEASURE, YEAR, "B", "参加者が増えた", NextStep.IMPROVE, "周知")
        with store.transaction() as conn:
            assert (
                save_evaluation(conn, 1, evaluation, who="山田", source=EntrySource.TEST)
                is not None
            )
    finally:
        store.dispose()
    out = tmp_path / "提出.xlsx"
    assert run(db, "export", "--department", "community", "--year", str(YEAR),
               "--draft", "-o", str(out)) == 0  # fmt: skip
    return out


def incoming_of(path: Path) -> tuple[list[IncomingEvaluation], str, str]:
    """The file's evaluations, the checksum of their texts, and the meta sheet's checksum."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        header, grid = sheet_texts(book, SHEET_EVALUATION, 1000)
        meta = {str(r[0]): str(r[1] or "") for r in book["meta"].iter_rows(values_only=True)}
    finally:
        book.close()
    rows, texts = read_evaluation_rows(grid, header)
    return rows, evaluations_sha256(texts), meta["evaluation_sha256"]


def test_an_exported_evaluation_reads_back_with_its_checksum(exported: Path) -> None:
    rows, digest, in_meta = incoming_of(exported)

    (row,) = rows
    assert row.problem_ja is None
    assert row.evaluation == Evaluation(
        MEASURE, YEAR, "B", "参加者が増えた", NextStep.IMPROVE, "周知"
    )
    assert row.entered_by == "山田" and row.revision is not None
    assert digest == in_meta
    assert shown(row.evaluation) == f"自己評価 B・{NextStep.IMPROVE.label_ja}"


def test_an_evaluation_edited_in_the_file_no_longer_matches_its_checksum(
    exported: Path, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(exported)
    ws = book[SHEET_EVALUATION]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("grade") + 1, value="A")
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    rows, digest, in_meta = incoming_of(edited)

    assert rows[0].evaluation is not None and rows[0].evaluation.grade == "A"
    assert digest != in_meta


def test_each_incoming_evaluation_is_decided_like_a_value(exported: Path, tmp_path: Path) -> None:
    planning = tmp_path / "planning.sqlite3"
    seeded.init(planning)
    store = Store.open(str(planning))
    try:
        with store.snapshot() as conn:
            owners = measure_owners(conn, 1)
        settings = _settings(store)
        (row,) = incoming_of(exported)[0]

        def decide(rows: list[IncomingEvaluation], *, trusted: bool = True) -> list[RowOutcome]:
            with store.snapshot() as conn:
                stored = {
                    (v.evaluation.measure_code, v.evaluation.fiscal_year): v
                    for v in read_evaluations(conn, 1)
                }
            planned = plan_evaluations(
                settings, owners, "community", YEAR, rows, stored, trusted=trusted, origin="x"
            )
            return [p.outcome for p in planned]

        assert decide([row]) == [RowOutcome.NEW]
        # A year after the file's, a duplicate, another department's file: refused.
        later = dataclasses.replace(row, fiscal_year=YEAR + 1)
        assert decide([later]) == [RowOutcome.REJECTED]
        assert decide([row, row]) == [RowOutcome.NEW, RowOutcome.REJECTED]
        foreign = plan_evaluations(
            settings, owners, "tax", YEAR, [row], {}, trusted=True, origin="x"
        )
        assert [p.outcome for p in foreign] == [RowOutcome.REJECTED]
        assert "community" in foreign[0].reason_ja
    finally:
        store.dispose()

    # Merged for real: stored as the file holds it; merged again, unchanged.
    assert run(planning, "merge", str(exported)) == 0
    store = Store.open(str(planning))
    try:
        with store.snapshot() as conn:
            (view,) = read_evaluations(conn, 1, fiscal_year=YEAR)
        assert row.evaluation is not None
        assert view.evaluation.department_part == row.evaluation.department_part
        assert view.revision == row.revision
        assert decide([row]) == [RowOutcome.UNCHANGED]
        changed = dataclasses.replace(
            row,
            evaluation=dataclasses.replace(row.evaluation, grade="A"),
            revision=Revision("other-db", 7),
            replaces=view.revision,
        )
        assert decide([changed]) == [RowOutcome.UPDATED]
        # Without trustworthy revisions (a template, an edited file) a change is a conflict.
        assert decide([changed], trusted=False) == [RowOutcome.CONFLICT]
    finally:
        store.dispose()


def _settings(store: Store) -> PlanSettings:
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
    assert catalog is not None
    return catalog.plan.settings


def test_an_evaluation_changed_three_times_between_two_signed_files_merges_as_an_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 1 of trial 15b, for 施策評価: the newest signed file was called older."""
    import json

    community, planning = tmp_path / "community.sqlite3", tmp_path / "planning.sqlite3"
    for db in (community, planning):
        seeded.init(db)
    key = tmp_path / "community.pub"
    assert run(community, "key", "export", "--department", "community", "-o", str(key)) == 0
    assert run(planning, "key", "import", str(key)) == 0

    def evaluate(grade: str, results: str) -> None:
        assert run(community, "evaluate", "--measure", MEASURE, "--year", str(YEAR),
                   "--grade", grade, "--results", results) == 0  # fmt: skip

    def export(name: str) -> Path:
        out = tmp_path / name
        assert run(community, "export", "--department", "community", "--year", str(YEAR),
                   "--draft", "-o", str(out)) == 0  # fmt: skip
        return out

    evaluate("B", "初回")
    first = export("first.xlsx")
    assert run(planning, "merge", str(first)) == 0
    for grade in ("A", "C", "B"):
        evaluate(grade, f"見直し{grade}")
    second = export("second.xlsx")
    capsys.readouterr()
    assert run(planning, "merge", "--json", str(second)) == 0
    (row,) = [
        r for r in json.loads(capsys.readouterr().out)[0]["rows"] if "施策評価" in r["indicator"]
    ]
    assert row["outcome"] == "updated", row
    store = Store.open(str(planning))
    try:
        with store.snapshot() as conn:
            (view,) = read_evaluations(conn, 1, fiscal_year=YEAR)
    finally:
        store.dispose()
    assert view.evaluation.results == "見直しB"
    # The first file again is older than what is merged: a conflict, nothing written.
    capsys.readouterr()
    assert run(planning, "merge", "--json", str(first)) == 1
    (late,) = [
        r for r in json.loads(capsys.readouterr().out)[0]["rows"] if "施策評価" in r["indicator"]
    ]
    assert late["outcome"] == "conflict" and "古いファイル" in late["reason_ja"]
