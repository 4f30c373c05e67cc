"""A conflict is its own result type (issue 16, item 5): a batch refused because a value met
someone else's change raises EntryConflict, still an EntryRefused that wrote nothing; any other
refusal raises a plain EntryRefused. On both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from kplan_desktop.store.actuals import read_actuals, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntryConflict, EntryRefused, EntryRequest, EntrySource
from tests.conftest import dump

CODE, YEAR = "7-1-1-K2", 2024


def write(store: Store, *requests: EntryRequest) -> None:
    with store.transaction() as conn:
        write_actuals(conn, 1, list(requests), who="t", source=EntrySource.TEST)


def test_a_value_someone_changed_since_raises_a_conflict_and_writes_nothing(db: Path) -> None:
    store = Store.open(str(db))
    write(store, EntryRequest(CODE, YEAR, "50"))
    with store.snapshot() as conn:
        (seen,) = read_actuals(conn, 1, indicator_codes=[CODE])
    write(store, EntryRequest(CODE, YEAR, "60"))  # someone else, meanwhile
    before = dump(db)
    stale = EntryRequest(CODE, YEAR, "70", expected=seen.revision, check_expected=True)
    with pytest.raises(EntryConflict) as raised:
        write(store, EntryRequest("7-1-1-K1", YEAR, "3"), stale)
    assert isinstance(raised.value, EntryRefused) and raised.value.conflict
    assert [r.conflict for r in raised.value.results] == [False, True]
    assert dump(db) == before


def test_a_wrong_value_is_refused_but_is_no_conflict(db: Path) -> None:
    store = Store.open(str(db))
    before = dump(db)
    with pytest.raises(EntryRefused) as raised:
        write(store, EntryRequest(CODE, YEAR, "abc"))
    assert not isinstance(raised.value, EntryConflict) and not raised.value.conflict
    assert dump(db) == before
