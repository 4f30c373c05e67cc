"""Signing keys (store/keys.py): a department's key made once, sent as a file, registered by
the planning division — through the store's functions, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.engine import Store
from kplan_desktop.store.keys import (
    departments_with_keys,
    export_key,
    import_key,
    own_key,
    read_key_file,
    registered_key,
    registered_keys,
)
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import database_id
from tests import seeded
from tests.conftest import Database, dump


@pytest.fixture
def planning(db: Database) -> Store:
    return Store.open(str(db))


@pytest.fixture
def department(new_db: Callable[[str], Database]) -> Store:
    path = new_db("department")
    seeded.init(path)
    return Store.open(str(path))


def key_actions(store: Store) -> list[str | None]:
    with store.snapshot() as conn:
        return [e.detail for e in audit_log(conn) if e.action == "key"]


def test_the_own_key_is_made_once_and_kept(department: Store) -> None:
    with department.transaction() as conn:
        first = own_key(conn, who="clerk")
    with department.transaction() as conn:
        again = own_key(conn, who="clerk")
        assert first.database_id == database_id(conn)
    assert again == first and first.department is None
    assert first.public_key is not None and len(first.public_key) == 64
    created = key_actions(department)
    assert len(created) == 1 and (created[0] or "").startswith("own signing key created")


def test_a_department_key_file_registers_once_at_the_planning_division(
    planning: Store, department: Store, tmp_path: Path
) -> None:
    file = tmp_path / "community.key.json"
    with department.transaction() as conn:
        sent = export_key(conn, "community", file, who="clerk")
    assert read_key_file(file) == sent and sent.department == "community"
    with planning.transaction() as conn:
        assert import_key(conn, file, who="planner", source=EntrySource.CLI) == sent
    with planning.transaction() as conn:
        assert (
            import_key(conn, file, who="planner", source=EntrySource.CLI) == sent
        )  # again: no change
    with planning.snapshot() as conn:
        assert registered_keys(conn) == [sent]
        assert registered_key(conn, sent.database_id) == sent
        assert registered_key(conn, "no-such-database") is None
        assert departments_with_keys(conn) == frozenset({"community"})
    assert key_actions(planning) == [f"registered the key of community ({sent.database_id})"]


def test_a_key_file_for_another_department_or_a_lookalike_code_changes_nothing(
    planning: Store, department: Store, tmp_path: Path, db: Database
) -> None:
    file = tmp_path / "community.key.json"
    with department.transaction() as conn:
        export_key(conn, "community", file, who="clerk")
    with planning.transaction() as conn:
        import_key(conn, file, who="planner", source=EntrySource.CLI)
    before = dump(db)
    data = json.loads(file.read_text(encoding="utf-8"))
    refusals = (("equality", "E_KEY_CONFLICT"), ("ｃｏｍｍｕｎｉｔｙ", "E_KEY_DEPARTMENT"))
    for department_code, code in refusals:
        forged = tmp_path / f"{code}.key.json"
        forged.write_text(json.dumps({**data, "department": department_code}), encoding="utf-8")
        with pytest.raises(DomainError) as refused, planning.transaction() as conn:
            import_key(conn, forged, who="planner", source=EntrySource.CLI)
        assert refused.value.code == code
        assert dump(db) == before


def test_the_planning_divisions_own_key_is_not_a_departments(
    planning: Store, tmp_path: Path, db: Database
) -> None:
    file = tmp_path / "own.key.json"
    with planning.transaction() as conn:
        export_key(conn, "community", file, who="planner")
    before = dump(db)
    with pytest.raises(DomainError) as refused, planning.transaction() as conn:
        import_key(conn, file, who="planner", source=EntrySource.CLI)
    assert refused.value.code == "E_KEY_OWN"
    assert dump(db) == before
