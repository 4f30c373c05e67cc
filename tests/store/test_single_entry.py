"""One value entered (the window's commonest write) in few statements, with every rule still
read: the closed plan, the locked and finalised years and the database's identity (issue 20:
each statement of a single entry cost more than SQLite's own insert). That those rules still
refuse is tested where each rule is (test_revisions, test_years, test_generation_guards)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from kplan_desktop.store.actuals import EntryRequest, Outcome, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from tests.conftest import Database, is_postgres


def _statements(store: Store, request: EntryRequest, source: EntrySource) -> list[str]:
    seen: list[str] = []

    def before(_c: Any, _cur: Any, statement: str, _p: Any, _x: Any, _many: bool) -> None:
        seen.append(statement.split()[0].upper())

    event.listen(store.engine, "before_cursor_execute", before)
    try:
        with store.transaction() as conn:
            (result,) = write_actuals(conn, 1, [request], who="clerk", source=source)
    finally:
        event.remove(store.engine, "before_cursor_execute", before)
    assert result.outcome in (Outcome.NEW, Outcome.UPDATED)
    return seen


def test_one_value_is_three_reads_and_one_write(db: Database) -> None:
    """The plan with its generation, the years' states with the database's identity, and the
    indicator with its stored values (on a server: the indicator, then its values, locked);
    then on SQLite the audit row (numbered by SQLite) and the value, on a server one call of
    its write function (kplan_put_actual), which checks again."""
    store = Store.open(str(db))
    server = is_postgres(db)
    reads = ["SELECT"] * (4 if server else 3)
    writes = [["SELECT"]] if server else [["INSERT", "INSERT"], ["INSERT", "UPDATE"]]
    for n, text in enumerate(("55", "56")):
        statements = _statements(store, EntryRequest("7-1-1-K2", 2024, text), EntrySource.GUI)
        assert statements == reads + writes[min(n, len(writes) - 1)]
