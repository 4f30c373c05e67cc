"""One frame per use case (issue 16): each use case the window starts opens exactly one
`store.transaction()` or one snapshot, so what it reads and writes is one moment of the
database. Counted with a SQLAlchemy pool listener: every connection the engine hands out (a
snapshot, a transaction, a `Store.write`, a bare `connect`) is one frame. SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from kplan_desktop.cli import main
from kplan_desktop.exchange.catalog_files import install_catalog, preview_import
from kplan_desktop.exchange.catalog_json import stored_catalog_hash
from kplan_desktop.exchange.export import export_submission, export_template
from kplan_desktop.exchange.merge import apply_merge, merge_context, plan_merge
from kplan_desktop.exchange.report import write_consolidated
from kplan_desktop.store.backup import restore, take_backup
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from tests import seeded
from tests.conftest import Database, dump

YEAR = 2024
VALUES = {
    "7-1-1-A1": "未集計",
    "7-1-1-K1": "3",
    "7-1-1-K2": "55",
    "7-1-1-K3": "1,500人",
    "7-1-2-A1": "該当なし",
    "7-1-2-K1": "20",
}


def run(db: Database, *args: str) -> int:
    return main(["--db", str(db), *args])


class Frames:
    """The connections the store's engine hands out while counting."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: Any) -> None:
        self.count += 1


@contextmanager
def frames(store: Store) -> Iterator[Frames]:
    counted = Frames()
    event.listen(store.engine, "checkout", counted)
    try:
        yield counted
    finally:
        event.remove(store.engine, "checkout", counted)


def one_frame(store: Store, use_case: Callable[[], object], *, expected: int = 1) -> object:
    with frames(store) as counted:
        result = use_case()
    assert counted.count == expected, f"{counted.count} frames"
    return result


@pytest.fixture
def department(new_db: Callable[[str], Database]) -> Database:
    path = new_db("department")
    seeded.init(path)
    for code, text in VALUES.items():
        assert run(path, "enter", "--indicator", code, "--year", str(YEAR), "--value", text,
                   "--comment", "c") == 0  # fmt: skip
    assert run(path, "finalise", "--department", "community", "--year", str(YEAR)) == 0
    return path


def test_the_counter_sees_each_frame(db: Database) -> None:
    store = Store.open(str(db))
    with frames(store) as counted:
        with store.snapshot():
            pass
        with store.transaction():
            pass
    assert counted.count == 2


def test_export_and_template_are_one_frame_each(department: Database, tmp_path: Path) -> None:
    store = Store.open(str(department))
    # The values are read and signed, the file written and its audit row (what was sent, when,
    # its name) made in one frame.
    one_frame(store, lambda: export_submission(store, "community", YEAR, tmp_path / "s.xlsx"))
    one_frame(store, lambda: export_template(store, "community", YEAR, tmp_path / "t.xlsx"))


def test_an_export_whose_audit_row_fails_leaves_no_file_and_no_row(
    department: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kplan_desktop.exchange.export as export

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    store = Store.open(str(department))
    before = dump(department)
    monkeypatch.setattr(export, "record_export", broken)
    file = tmp_path / "s.xlsx"
    with pytest.raises(RuntimeError):
        export_submission(store, "community", YEAR, file)
    assert not file.exists()
    assert dump(department) == before


def test_each_file_of_a_merge_is_one_frame_to_plan_and_one_to_write(
    db: Database, department: Database, tmp_path: Path
) -> None:
    file = tmp_path / "community.xlsx"
    assert export_submission(Store.open(str(department)), "community", YEAR, file) is not None
    store = Store.open(str(db))
    context = one_frame(store, lambda: merge_context(store))
    plan = one_frame(store, lambda: plan_merge(store, file, context=context))  # type: ignore[arg-type]
    report = one_frame(store, lambda: apply_merge(store, plan, who="planner"))  # type: ignore[arg-type]
    assert report.written  # type: ignore[attr-defined]


def test_the_report_is_one_frame(db: Database, tmp_path: Path) -> None:
    store = Store.open(str(db))
    one_frame(store, lambda: write_consolidated(store, tmp_path / "r.xlsx", YEAR, who="planner"))


def test_a_catalog_install_is_one_frame_to_preview_and_one_to_install(
    db: Database, new_db: Callable[[str], Database], tmp_path: Path
) -> None:
    issued = tmp_path / "catalog.json"
    assert run(db, "catalog", "export", "-o", str(issued)) == 0
    target = new_db("department")
    store = Store.open(str(target))
    preview = one_frame(store, lambda: preview_import(store, issued))

    def install() -> object:
        with store.transaction() as conn:
            return install_catalog(
                conn,
                preview.issued,  # type: ignore[attr-defined]
                who="t",
                source=EntrySource.TEST,
                detail="catalog.json",
            )

    one_frame(store, install)


@pytest.mark.sqlite_only
def test_a_restore_is_one_frame_before_the_copy_and_one_after(db: Database, tmp_path: Path) -> None:
    """A restore replaces the file under the engine, so no one frame can span it: one snapshot
    says whose database it is, the engine checks the schema of the copied file (Store.migrate),
    and one transaction judges the restored catalog and writes the audit row."""
    store = Store.open(str(db))
    backup = take_backup(store, "manual", target=tmp_path / "copy.sqlite3")
    with frames(store) as counted:
        restore(
            store, backup, who="t", source=EntrySource.TEST, catalog_identity=stored_catalog_hash
        )
    assert counted.count == 3
