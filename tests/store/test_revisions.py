"""Revisions on every value, the expected-revision check, finalising a year, the schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.revision import Revision
from kplan_desktop.store.actuals import (
    EntryRefused,
    EntryRequest,
    Outcome,
    read_actuals,
    write_actuals,
)
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.engine import Store
from kplan_desktop.store.models import metadata
from kplan_desktop.store.paths import db_dir
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import (
    database_id,
    finalisation,
    finalise,
    open_items,
    withdraw_finalisation,
)
from tests.conftest import dump

COMMUNITY_YEAR = {
    "7-1-1-A1": "未集計",
    "7-1-1-K1": "3",
    "7-1-1-K2": "55",
    "7-1-1-K3": "1,500人",
    "7-1-2-A1": "該当なし",
    "7-1-2-K1": "20",
}


def _enter(store: Store, values: dict[str, str], year: int = 2024) -> None:
    requests = [EntryRequest(code, year, text) for code, text in values.items()]
    with store.transaction() as conn:
        write_actuals(conn, 1, requests, who="clerk", source=EntrySource.TEST)


def _stored(store: Store, code: str, year: int = 2024) -> object:
    with store.snapshot() as conn:
        return next(
            a for a in read_actuals(conn, 1, indicator_codes=[code]) if a.fiscal_year == year
        )


def test_the_schema_the_models_declare_is_the_one_the_migrations_build(db: Path) -> None:
    engine = create_engine(Store.open(str(db), migrate=False).url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()


def test_every_change_gets_a_revision_of_this_database_named_after_its_audit_row(db: Path) -> None:
    store = Store.open(str(db))
    _enter(store, {"7-1-1-K2": "55"})
    first = _stored(store, "7-1-1-K2")
    with store.snapshot() as conn:
        entry = audit_log(conn, "7-1-1-K2")[-1]
        assert first.revision == Revision(database_id(conn), entry.id)  # type: ignore[attr-defined]
    assert first.replaces is None  # type: ignore[attr-defined]
    assert first.text == "55"  # type: ignore[attr-defined]
    _enter(store, {"7-1-1-K2": "56"})
    second = _stored(store, "7-1-1-K2")
    assert second.replaces == first.revision  # type: ignore[attr-defined]
    assert second.revision.sequence > first.revision.sequence  # type: ignore[attr-defined]


def test_a_write_that_names_a_stale_revision_is_refused_and_changes_nothing(db: Path) -> None:
    store = Store.open(str(db))
    _enter(store, {"7-1-1-K2": "55"})
    seen = _stored(store, "7-1-1-K2").revision  # type: ignore[attr-defined]
    _enter(store, {"7-1-1-K2": "57"})  # someone else, meanwhile
    before = dump(db)
    stale = EntryRequest("7-1-1-K2", 2024, "58", expected=seen, check_expected=True)
    with pytest.raises(EntryRefused) as refused, store.transaction() as conn:
        write_actuals(conn, 1, [stale], who="clerk", source=EntrySource.TEST)
    assert refused.value.code == "E_VALIDATION"
    assert "57" in refused.value.message_ja
    assert dump(db) == before
    current = _stored(store, "7-1-1-K2").revision  # type: ignore[attr-defined]
    fresh = EntryRequest("7-1-1-K2", 2024, "58", expected=current, check_expected=True)
    with store.transaction() as conn:
        assert (
            write_actuals(conn, 1, [fresh], who="clerk", source=EntrySource.TEST)[0].outcome
            is Outcome.UPDATED
        )


def test_a_merged_value_keeps_its_revision_and_lineage(db: Path) -> None:
    store = Store.open(str(db))
    theirs = Revision("dept-db", 12)
    request = EntryRequest(
        "7-1-1-K2",
        2024,
        "60",
        revision=theirs,
        replaces=Revision("dept-db", 7),
        entered_by="clerk-a",
    )
    with store.transaction() as conn:
        write_actuals(
            conn, 1, [request], who="planner", source=EntrySource.MERGE, require_comment=False
        )
    stored = _stored(store, "7-1-1-K2")
    assert stored.revision == theirs  # type: ignore[attr-defined]
    assert stored.replaces == Revision("dept-db", 7)  # type: ignore[attr-defined]
    assert stored.entered_by == "clerk-a"  # type: ignore[attr-defined]
    with store.snapshot() as conn:
        last = audit_log(conn, "7-1-1-K2")[-1]
    # On a server the audit's `who` is the login; the name the program gave is its note.
    assert (last.client_user if store.is_server else last.who) == "planner"


def test_finalising_needs_every_value_explained_then_locks_the_year(db: Path) -> None:
    store = Store.open(str(db))
    _enter(store, {"7-1-1-K2": "55"})
    with pytest.raises(DomainError) as refused, store.transaction() as conn:
        finalise(conn, 1, "community", 2024, who="clerk", source=EntrySource.TEST)
    assert refused.value.code == "E_NOT_COMPLETE"
    assert "7-1-1-K3" in refused.value.message_ja
    with store.snapshot() as conn:
        assert finalisation(conn, 1, "community", 2024) is None
        assert len(open_items(conn, 1, "community", 2024)) == 5
    _enter(store, COMMUNITY_YEAR)
    with store.transaction() as conn:
        assert finalise(conn, 1, "community", 2024, who="clerk", source=EntrySource.TEST)
        done = finalisation(conn, 1, "community", 2024)
    # On a server, the login finalised it (the server knows who; the PC's name is a note).
    who = str(store.engine.url.username) if store.is_server else "clerk"
    assert done is not None and done.finalised_by == who
    with store.transaction() as conn:
        assert not finalise(conn, 1, "community", 2024, who="clerk", source=EntrySource.TEST)
    before = dump(db)
    with pytest.raises(EntryRefused) as locked:
        _enter(store, {"7-1-1-K2": "56"})
    assert locked.value.results[0].check.errors[0].code == "E_FINALISED"
    assert locked.value.results[0].check.errors[0].message_ja.startswith("令和6年度は確定済み")
    assert dump(db) == before
    # Another year and another department are not locked.
    _enter(store, {"7-1-1-K2": "50"}, year=2023)
    _enter(store, {"7-2-1-K1": "1"})
    with store.transaction() as conn:
        assert withdraw_finalisation(
            conn, 1, "community", 2024, who="clerk", source=EntrySource.TEST
        )
    _enter(store, {"7-1-1-K2": "56"})
    with store.snapshot() as conn:
        actions = [e.action for e in audit_log(conn)]
    assert "finalise" in actions and "withdraw" in actions


def _downgrade(path: Path, revision: str) -> None:
    from alembic import command

    config = Config()
    config.set_main_option("script_location", str(db_dir() / "migrations"))
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def test_an_old_database_gets_revisions_for_the_values_it_already_holds(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    store = Store.open(str(path))
    from kplan_desktop.exchange.seed import ensure_seed

    ensure_seed(store, who="t", source=EntrySource.TEST)
    _enter(store, {"7-1-1-K2": "55"})
    store.dispose()
    # Before plan generations (0014's downgrade), then before revisions existed (by hand);
    # then migrate it again.
    _downgrade(path, "0013")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE actual SET revision_db = NULL, revision_seq = NULL")
        for table in (
            "year_lock",
            "fiscal_year_cycle",
            "measure_evaluation",
            "catalog_version",
            "signing_key",
            "merge_report",
            "submission",
            "finalisation",
        ):
            conn.execute(f"DROP TABLE {table}")
        for column in ("replaces_seq", "replaces_db", "revision_seq", "revision_db"):
            conn.execute(f"ALTER TABLE actual DROP COLUMN {column}")
        for table, column in (
            ("department", "contact"),
            ("department", "former_names"),
            ("department", "merged_into"),
            ("department", "until_year"),
            ("department", "retired"),
            ("indicator", "interim_targets"),
            ("indicator", "former_owners"),
            ("indicator", "links"),
            ("measure", "links"),
        ):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        # What 0011 added (server authority): the audit's request key and client user.
        conn.execute("DROP TABLE kplan_role")
        conn.execute("DROP INDEX ix_audit_request_key")
        for column in ("request_key", "client_user"):
            conn.execute(f"ALTER TABLE audit DROP COLUMN {column}")
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    store = Store.open(str(path))
    stored = _stored(store, "7-1-1-K2")
    with store.snapshot() as conn2:
        last = audit_log(conn2, "7-1-1-K2")[-1].id
        assert stored.revision == Revision(database_id(conn2), last)  # type: ignore[attr-defined]
