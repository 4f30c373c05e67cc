"""The one progress / cancel protocol (kplan_desktop/progress.py) in every long exchange job.

Cancelled, raised at any cancel point — the job's own cancelled() check or its progress
callback — ends a writer with its "cancelled" answer and no file, and a reader with Cancelled
and no partial result: the submission and template writers, the consolidated report, the
reader of an incoming file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kplan_desktop.cli import main
from kplan_desktop.exchange.export import export_submission, export_template
from kplan_desktop.exchange.report import write_consolidated
from kplan_desktop.exchange.workbook_reader import read_exchange_workbook
from kplan_desktop.progress import Cancelled, Steps
from kplan_desktop.store.engine import Store

YEAR = 2024


def cancel_in_progress(done: int, total: int) -> None:
    raise Cancelled


@pytest.fixture
def store(tmp_path: Path) -> Store:
    db = tmp_path / "plan.sqlite3"
    assert main(["--db", str(db), "init"]) == 0
    assert main(["--db", str(db), "enter", "--indicator", "7-1-1-K1", "--year", str(YEAR),
                 "--value", "3"]) == 0  # fmt: skip
    return Store.open(str(db))


def no_file_left(folder: Path, name: str) -> bool:
    return not any(p.name == name or p.name.startswith(f".{name}.") for p in folder.iterdir())


def test_a_cancel_from_the_progress_callback_ends_every_writer_with_no_file(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    try:
        template = out / "template.xlsx"
        assert (
            export_template(store, "community", YEAR, template, progress=cancel_in_progress)
            is False
        )
        assert no_file_left(out, template.name)

        submission = out / "submission.xlsx"
        assert (
            export_submission(
                store, "community", YEAR, submission, draft=True, progress=cancel_in_progress
            )
            is None
        )
        assert no_file_left(out, submission.name)

        report = out / "report.xlsx"
        assert write_consolidated(store, report, YEAR, who="t", progress=cancel_in_progress) is None
        assert no_file_left(out, report.name)

        # And the same jobs, not cancelled, write their files.
        assert export_template(store, "community", YEAR, template) is True
        assert template.exists()
    finally:
        store.dispose()


def test_a_reader_cancelled_from_its_progress_raises_cancelled(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "template.xlsx"
    try:
        assert export_template(store, "community", YEAR, path) is True
    finally:
        store.dispose()
    with pytest.raises(Cancelled):
        read_exchange_workbook(path, progress=cancel_in_progress)
    with pytest.raises(Cancelled):
        read_exchange_workbook(path, cancelled=lambda: True)


def test_steps_report_progress_and_are_cancel_points() -> None:
    seen: list[tuple[int, int]] = []
    asked = [False]
    steps = Steps(5, lambda done, total: seen.append((done, total)), lambda: asked[0], every=2)
    steps.step()
    steps.step()
    steps.step(units=3)
    asked[0] = True
    with pytest.raises(Cancelled):
        steps.step(units=2)
    assert seen == [(2, 5), (5, 5), (7, 7)]
    steps.finish()
    assert seen[-1] == (7, 7)
