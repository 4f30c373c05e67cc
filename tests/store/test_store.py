"""The store through its own functions: migrations, the one write path, atomic batches."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from kplan_desktop.domain.audit_words import detail_words
from kplan_desktop.domain.model import ValueKind
from kplan_desktop.store.actuals import (
    EntryRefused,
    EntryRequest,
    EntryResult,
    KnownCatalog,
    Outcome,
    read_actuals,
    write_actuals,
)
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.catalog import CATALOG_HASH_KEY, read_catalog, read_catalog_snapshot
from kplan_desktop.store.engine import SCHEMA_HEAD, Store
from kplan_desktop.store.paths import db_dir
from kplan_desktop.store.requests import EntrySource
from tests.conftest import dump


def test_schema_head_constant_matches_the_migrations() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(db_dir() / "migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_opening_creates_the_schema_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "new.sqlite3"))
    assert store.current_revision() == SCHEMA_HEAD
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.dispose()


def test_a_path_whose_url_holds_percent_signs_migrates(tmp_path: Path) -> None:
    """A Windows path's URL is all %3A and %5C (C:\\…), which configparser took as interpolation."""
    folder = tmp_path / "50% 完了"
    folder.mkdir()
    store = Store.open(str(folder / "kplan.sqlite3"))
    assert "%" in store.url
    assert store.current_revision() == SCHEMA_HEAD
    store.dispose()


def test_a_batch_with_one_bad_value_writes_nothing(db: Path) -> None:
    store = Store.open(str(db))
    before = dump(db)
    batch = [
        EntryRequest("7-1-1-K1", 2023, "3"),
        EntryRequest("7-1-1-K2", 2023, "50"),
        EntryRequest("7-1-1-K3", 2023, "abc"),
    ]
    with pytest.raises(EntryRefused) as exc, store.transaction() as conn:
        write_actuals(conn, 1, batch, who="tester", source=EntrySource.TEST)
    assert [r.outcome for r in exc.value.results] == [Outcome.NEW, Outcome.NEW, Outcome.REFUSED]
    assert dump(db) == before
    with store.transaction() as conn:
        results = write_actuals(
            conn, 1, batch, who="tester", source=EntrySource.TEST, all_or_nothing=False
        )
    assert [r.outcome for r in results] == [Outcome.NEW, Outcome.NEW, Outcome.REFUSED]
    with store.snapshot() as conn:
        stored = {(a.indicator_code, a.fiscal_year): a.value for a in read_actuals(conn, 1)}
    assert stored == {("7-1-1-K1", 2023): Decimal(3), ("7-1-1-K2", 2023): Decimal(50)}
    with store.snapshot() as conn:
        assert len([e for e in audit_log(conn) if e.action == "enter"]) == 2
    store.dispose()


def test_a_dry_run_reports_outcomes_and_writes_nothing(db: Path) -> None:
    store = Store.open(str(db))
    before = dump(db)
    with store.transaction() as conn:
        results = write_actuals(
            conn,
            1,
            [EntryRequest("7-1-1-K1", 2023, "3")],
            who="t",
            source=EntrySource.TEST,
            dry_run=True,
        )
    assert results[0].outcome is Outcome.NEW
    assert dump(db) == before
    store.dispose()


def test_history_within_a_batch_feeds_the_checks(db: Path) -> None:
    store = Store.open(str(db))
    # 2022 = 60 and 2023 = 60 in one batch; a third 60 in 2024 is "the same three years".
    with store.transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest("7-1-1-K2", 2022, "60"), EntryRequest("7-1-1-K2", 2023, "60")],
            who="t",
            source=EntrySource.TEST,
        )
    with pytest.raises(EntryRefused) as exc, store.transaction() as conn:
        write_actuals(
            conn, 1, [EntryRequest("7-1-1-K2", 2024, "60")], who="t", source=EntrySource.TEST
        )
    assert exc.value.only_warnings
    assert [f.code for f in exc.value.results[0].check.warnings] == ["W_SAME_3_YEARS"]
    store.dispose()


def test_a_url_that_cannot_be_opened_is_a_clear_error(tmp_path: Path) -> None:
    from kplan_desktop.domain.errors import DomainError

    with pytest.raises(DomainError) as exc:
        Store.open("nosuchdialect://x")
    assert exc.value.code == "E_DB_URL"


def test_the_catalog_snapshot_holds_what_the_catalog_holds(db: Path) -> None:
    store = Store.open(str(db))
    with store.snapshot() as conn:
        catalog = read_catalog(conn, 1)
        snapshot = read_catalog_snapshot(conn, 1)
    assert catalog is not None and snapshot is not None
    indicators = {i.code: i for _, _, _, i in catalog.indicators()}
    with store.snapshot() as conn:
        assert snapshot.indicators.select(conn, [*indicators, "no-such-code"]) == indicators
        # By department: its own rows in one query, any other code by code.
        one = next(iter(indicators.values()))
        others = [i for i in indicators.values() if i.department != one.department][:3]
        asked = [o.code for o in others] + [one.code, "no-such-code"]
        picked = snapshot.indicators.select(conn, asked, department=one.department)
        assert picked == {code: indicators[code] for code in asked if code in indicators}
        assert list(picked) == [code for code in asked if code in indicators]
    assert snapshot.settings == catalog.plan.settings
    assert snapshot.departments == {d.code for d in catalog.departments}
    assert snapshot.catalog_hash == store.meta(CATALOG_HASH_KEY)
    store.dispose()


def test_indicators_read_by_the_caller_count_only_while_the_catalog_is_that_version(
    db: Path,
) -> None:
    store = Store.open(str(db))
    with store.snapshot() as conn:
        snapshot = read_catalog_snapshot(conn, 1)
    assert snapshot is not None and snapshot.catalog_hash is not None
    with store.snapshot() as conn:
        (counted,) = snapshot.indicators.select(conn, ["7-1-1-K2"]).values()
    # The caller's copy makes it a percentage, so that 150 is out of range.
    percent = {counted.code: replace(counted, unit="%", value_kind=ValueKind.PERCENT)}
    request = [EntryRequest("7-1-1-K2", 2024, "150")]

    def outcome(known: KnownCatalog) -> Outcome:
        with store.transaction() as conn:
            results = write_actuals(
                conn,
                1,
                request,
                who="t",
                source=EntrySource.TEST,
                dry_run=True,
                all_or_nothing=False,
                require_comment=False,
                known=known,
            )
        return results[0].outcome

    assert outcome(KnownCatalog(snapshot.catalog_hash, percent)) is Outcome.REFUSED
    assert outcome(KnownCatalog("an older version", percent)) is Outcome.NEW
    store.dispose()


def test_a_changed_value_does_not_keep_the_comment_written_for_the_old_one(db: Path) -> None:
    """50 → 7 kept 「abc」 written for 50: a comment explains one value, not the next."""
    store = Store.open(str(db))

    def enter(store: Store, requests: list[EntryRequest], **how: str) -> list[EntryResult]:
        with store.transaction() as conn:
            return write_actuals(conn, 1, requests, **how)  # type: ignore[arg-type]

    # 51 (2020 baseline) → 150 in 2022 is a jump: it needs (and gets) a comment.
    enter(store, [EntryRequest("7-1-1-K2", 2022, "150", "abc")], who="t", source="test")
    # The same value again without a comment keeps it.
    (same,) = enter(store, [EntryRequest("7-1-1-K2", 2022, "150")], who="t", source="test")
    assert same.outcome is Outcome.UNCHANGED and same.new[2] == "abc"
    # Another warned value: the old comment no longer counts; the refusal carries it for reuse.
    before = dump(db)
    with pytest.raises(EntryRefused) as exc:
        enter(store, [EntryRequest("7-1-1-K2", 2022, "140")], who="t", source="test")
    (refused,) = exc.value.results
    assert refused.outcome is Outcome.REFUSED and refused.old[2] == "abc"
    assert dump(db) == before
    # A value without warnings: saved without the old comment, and the audit says so.
    (plain,) = enter(store, [EntryRequest("7-1-1-K2", 2022, "60")], who="t", source="test")
    assert plain.new == ("60", None, None)
    with store.snapshot() as conn:
        (actual,) = read_actuals(conn, 1)
    assert actual.comment is None
    with store.snapshot() as conn:
        last = audit_log(conn, "7-1-1-K2")[-1]
    assert (last.old_comment, last.new_comment) == ("abc", None)
    assert "前の値に書いたコメントを外しました" in detail_words(last.action, last.detail).ja
    store.dispose()
