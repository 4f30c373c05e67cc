"""Two plan generations in one database (issue 17 step 1): each its own catalog, codes, values,
finalisation, year lock and cycle; a closed generation refused through the store and, on the
shared server, by the database itself (a planner's and a clerk's own login with plain SQL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest

from kplan_desktop.domain.catalog import Catalog
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.evaluation import Evaluation
from kplan_desktop.domain.generation import GenerationStatus
from kplan_desktop.exchange.catalog_json import catalog_from_dict, catalog_hash, catalog_to_dict
from kplan_desktop.store.actuals import EntryRefused, EntryRequest, read_actuals, write_actuals
from kplan_desktop.store.catalog import read_catalog, replace_catalog
from kplan_desktop.store.cycle import open_year, year_cycles
from kplan_desktop.store.engine import Store
from kplan_desktop.store.evaluations import save_evaluation
from kplan_desktop.store.generations import (
    active_generation,
    add_generation,
    generations,
    set_generation_status,
)
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import finalisation, finalise
from kplan_desktop.store.years import lock_year, locked_years, unlock_year
from tests.conftest import Database, dump, is_postgres
from tests.store.test_server import server
from tests.store.test_server_hardening import connect

__all__ = ["server"]  # the fixture, shared with test_server

T = EntrySource.TEST
SAME_CODE = "7-1-1-K3"  # 人 of community in generation 1; a % of equality in generation 2
COMMUNITY_2 = "7-1-1-K2"  # community's in both
NEXT = (2027, 2031)
EVALUATION = Evaluation("7-1-1", 2025, "B", "x", None, "")


def next_catalog(current: Catalog) -> Catalog:
    """The next plan (R9–R13) made from the current one: measure 7-1-1 and 7-2-1 only, and
    7-1-1-K3 a different indicator under the same code."""
    data: dict[str, Any] = catalog_to_dict(current)
    data["plan"].update(
        code="next-basic-plan",
        name="次期基本計画（令和9年度〜令和13年度）",
        start_year=NEXT[0],
        end_year=NEXT[1],
        baseline_year=2026,
    )
    data.pop("version", None)
    data.pop("cycle", None)
    kept = {"7-1-1", "7-2-1"}
    for goal in data["goals"]:
        for policy in goal["policies"]:
            policy["measures"] = [m for m in policy["measures"] if m["code"] in kept]
            for measure in policy["measures"]:
                for indicator in measure["indicators"]:
                    indicator["interim_targets"] = None
                    if indicator.get("baseline"):
                        indicator["baseline"]["fiscal_year"] = 2026
                    if indicator.get("target"):
                        indicator["target"]["fiscal_year"] = NEXT[1]
                    if indicator["code"] == SAME_CODE:
                        indicator.update(name="協働事業の満足度", unit="%", department="equality")
                        indicator["baseline"] = {"fiscal_year": 2026, "value": "50"}
                        indicator["target"] = {"fiscal_year": NEXT[1], "value": "80"}
        goal["policies"] = [p for p in goal["policies"] if p["measures"]]
    return catalog_from_dict(data)


def second_generation(store: Store) -> int:
    """Generation 2 added through the store, its catalog loaded, and made the active one."""
    with store.transaction() as conn:
        current = read_catalog(conn, 1)
        assert current is not None
        number = add_generation(
            conn, "次期基本計画", *NEXT, baseline_year=2026, predecessor=1, who="企画", source=T
        )
        catalog = next_catalog(current)
        replace_catalog(conn, number, catalog, catalog_hash(catalog), who="企画", source=T,
                        detail="next plan")  # fmt: skip
        set_generation_status(conn, number, GenerationStatus.ACTIVE, who="企画", source=T)
    return number


def test_two_generations_hold_the_same_code_as_different_indicators(db: Database) -> None:
    store = Store.open(str(db))
    with store.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(SAME_CODE, 2025, "1,500人")], who="a", source=T)
    number = second_generation(store)
    assert number == 2
    with store.transaction() as conn:
        write_actuals(conn, 2, [EntryRequest(SAME_CODE, 2027, "62.5%")], who="b", source=T)
    with store.snapshot() as conn:
        first, second = read_catalog(conn, 1), read_catalog(conn, 2)
        assert first is not None and second is not None
        old = {i.code: i for _, _, _, i in first.indicators()}[SAME_CODE]
        new = {i.code: i for _, _, _, i in second.indicators()}[SAME_CODE]
        assert (old.unit, old.department) == ("人", "community")
        assert (new.unit, new.department, new.name) == ("%", "equality", "協働事業の満足度")
        assert len(list(second.indicators())) < len(list(first.indicators()))
        assert [(a.fiscal_year, a.text) for a in read_actuals(conn, 1)] == [(2025, "1500")]
        assert [(a.fiscal_year, a.text) for a in read_actuals(conn, 2)] == [(2027, "62.5")]
        assert active_generation(conn) == 2
        assert [g.generation.status for g in generations(conn)] == [GenerationStatus.ACTIVE] * 2
    # A year belongs to its generation's period only; 62.5 is no count of people.
    before = dump(db)
    for generation, year, text in ((1, 2027, "3"), (2, 2026, "50%"), (1, 2025, "62.5")):
        with pytest.raises(EntryRefused), store.transaction() as conn:
            write_actuals(conn, generation, [EntryRequest(SAME_CODE, year, text)],
                          who="a", source=T)  # fmt: skip
    assert dump(db) == before


def _complete(store: Store, generation: int, year: int) -> None:
    """Every indicator community reports in the generation gets a value or a reason."""
    with store.transaction() as conn:
        catalog = read_catalog(conn, generation)
        assert catalog is not None
        requests = [
            EntryRequest(i.code, year, "該当なし" if i.unit is None else "1", "確認済み")
            for _, _, _, i in catalog.indicators()
            if i.owner_for(year) == "community"
        ]
        write_actuals(conn, generation, requests, who="a", source=T, require_comment=False)


def test_finalisation_lock_and_cycle_of_one_generation_leave_the_other_alone(
    db: Database,
) -> None:
    store = Store.open(str(db))
    second_generation(store)
    _complete(store, 2, 2027)
    with store.transaction() as conn:
        assert finalise(conn, 2, "community", 2027, who="c", source=T)
        assert lock_year(conn, 1, 2026, "企画", source=T)
        first, second = read_catalog(conn, 1), read_catalog(conn, 2)
        assert first is not None and second is not None
        open_year(conn, 1, first, 2025, date(2026, 6, 30), who="企画", source=T)
        open_year(conn, 2, second, 2027, date(2028, 6, 30), who="企画", source=T)
    with store.snapshot() as conn:
        assert finalisation(conn, 2, "community", 2027) is not None
        assert finalisation(conn, 1, "community", 2027) is None
        assert locked_years(conn, 1) == {2026} and locked_years(conn, 2) == set()
        assert set(year_cycles(conn, 1)) == {2025} and set(year_cycles(conn, 2)) == {2027}
    # Generation 2's finalised year refuses its own values; generation 1 is not finalised.
    with pytest.raises(EntryRefused) as refused, store.transaction() as conn:
        write_actuals(conn, 2, [EntryRequest(COMMUNITY_2, 2027, "2")], who="c", source=T)
    assert refused.value.results[0].check.errors[0].code == "E_FINALISED"
    with store.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(COMMUNITY_2, 2025, "60")], who="c", source=T)
        # Generation 1's locked year refuses its values; unlocking it is generation 1's.
        assert not unlock_year(conn, 2, 2026, "企画", "間違い", source=T)
    with pytest.raises(EntryRefused) as refused, store.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(COMMUNITY_2, 2026, "61")], who="c", source=T)
    assert refused.value.results[0].check.errors[0].code == "E_LOCKED_YEAR"


def _refused_closed(work: Callable[[], object]) -> None:
    with pytest.raises(DomainError) as refused:
        work()
    assert refused.value.code == "E_GENERATION_CLOSED"
    assert "終了" in refused.value.message_ja and "closed" in refused.value.message_en


def test_a_closed_generation_refuses_every_write_through_the_store(db: Database) -> None:
    store = Store.open(str(db))
    second_generation(store)
    with store.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(COMMUNITY_2, 2025, "60")], who="c", source=T)
        assert set_generation_status(conn, 1, GenerationStatus.CLOSED, who="企画", source=T)
        current = read_catalog(conn, 1)
    assert current is not None
    before = dump(db)

    def run(work: Callable[[Any], object]) -> Callable[[], object]:
        def inside() -> object:
            with store.transaction() as conn:
                return work(conn)

        return inside

    value = [EntryRequest(COMMUNITY_2, 2025, "61")]
    for work in (
        lambda c: write_actuals(c, 1, value, who="c", source=T),
        lambda c: write_actuals(c, 1, value, who="c", source=T, dry_run=True),
        lambda c: write_actuals(c, 1, [EntryRequest(COMMUNITY_2, 2025, "")], who="c", source=T),
        lambda c: finalise(c, 1, "community", 2025, who="c", source=T),
        lambda c: lock_year(c, 1, 2025, "企画", source=T),
        lambda c: open_year(c, 1, current, 2025, None, who="企画", source=T),
        lambda c: save_evaluation(c, 1, EVALUATION, who="c", source=T),
        lambda c: replace_catalog(c, 1, current, "another", who="企画", source=T, detail="x"),
    ):
        _refused_closed(run(work))
    assert dump(db) == before
    # Generation 2 goes on.
    with store.transaction() as conn:
        write_actuals(conn, 2, [EntryRequest(COMMUNITY_2, 2027, "50")], who="c", source=T)


@contextmanager
def _plain(url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A login's own connection, outside the program (autocommit)."""
    conn = connect(url)
    try:
        yield conn
    finally:
        conn.close()


def _put(generation: int, code: str, year: int, value: str) -> str:
    return (
        f"SELECT kplan_put_actual({generation}, '{code}', {year}, '{value}', NULL, NULL,"
        " false, NULL, NULL, 'cli', NULL, 'k', 'sato')"
    )


@pytest.mark.postgresql_only
def test_the_server_refuses_a_closed_generation_to_plain_sql_and_keeps_departments_apart(
    server: dict[str, str], tmp_path: Path
) -> None:
    admin = Store.open(server["admin"])
    second_generation(admin)
    assert is_postgres(server["admin"])
    with admin.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(COMMUNITY_2, 2025, "60")], who="c", source=T)
    with _plain(server["clerk"]) as clerk:
        # Generation 2: the clerk of community writes its own indicator, never equality's —
        # 7-1-1-K3 is community's in generation 1 and equality's in generation 2.
        clerk.execute(_put(2, COMMUNITY_2, 2027, "4"))
        clerk.execute(_put(1, SAME_CODE, 2025, "1300"))
        with pytest.raises(psycopg.Error) as refused:
            clerk.execute(_put(2, SAME_CODE, 2027, "55"))
        assert "E_DEPARTMENT" in str(refused.value)
    with admin.transaction() as conn:
        set_generation_status(conn, 1, GenerationStatus.CLOSED, who="企画", source=T)
    before = dump(server["admin"])
    attacks = {
        "clerk": [
            _put(1, COMMUNITY_2, 2025, "61"),
            _put(1, COMMUNITY_2, 2024, "61"),
            "SELECT kplan_finalise(1, 'community', 2025, 'cli', 'k', 'x')",
            "SELECT kplan_withdraw(1, 'community', 2025, 'cli', 'k', 'x')",
            "UPDATE actual SET value = '61' WHERE generation = 1",
            "DELETE FROM actual WHERE generation = 1",
            "INSERT INTO actual (generation, indicator_code, fiscal_year, value, entered_by,"
            " entered_at, source) VALUES (1, '7-1-2-K1', 2025, '5', 'x', now(), 'cli')",
        ],
        "planner": [
            "UPDATE actual SET value = '61' WHERE generation = 1",
            "DELETE FROM actual WHERE generation = 1",
            "INSERT INTO actual (generation, indicator_code, fiscal_year, value, entered_by,"
            " entered_at, source) VALUES (1, '7-1-2-K1', 2025, '5', 'x', now(), 'cli')",
            "INSERT INTO finalisation VALUES ('community', 2025, 'x', now(), 1)",
            "INSERT INTO measure_evaluation (generation, measure_code, fiscal_year, results,"
            " next_text, reviewer_comment, entered_by, entered_at)"
            " VALUES (1, '7-1-1', 2025, '', '', '', 'x', now())",
        ],
    }
    for who, statements in attacks.items():
        with _plain(server[who]) as conn:
            for statement in statements:
                with pytest.raises(psycopg.Error) as refused:
                    conn.execute(statement)
                said = str(refused.value)
                if who == "planner" or statement.startswith("SELECT"):
                    # Past the grants: the closed generation itself is what refuses it.
                    assert "E_GENERATION_CLOSED" in said, (who, statement, said)
                else:
                    assert "permission denied" in said, (who, statement, said)
    assert dump(server["admin"]) == before
    # The store says so in both languages too, on the server.
    planner = Store.open(server["planner"])
    _refused_closed(
        lambda: planner.run(
            lambda c: write_actuals(
                c, 1, [EntryRequest(COMMUNITY_2, 2025, "62")], who="p", source=T
            )
        )
    )
    assert dump(server["admin"]) == before
    # Generation 2 is not closed: the planner writes it.
    with _plain(server["planner"]) as conn:
        conn.execute("UPDATE actual SET value = '5' WHERE generation = 2")


# Every table of a closed generation a login could write with plain SQL (migration 0015), and
# the generation row itself: (statement, what it attacks). Each UPDATE and DELETE matches rows.
CLOSED_ATTACKS = (
    "UPDATE plan SET name = 'x' WHERE generation = 1",
    "UPDATE goal SET name = 'x' WHERE generation = 1",
    "DELETE FROM measure_direction WHERE generation = 1",
    "INSERT INTO goal (generation, code, name, position) VALUES (1, 'X9', 'x', 99)",
    "UPDATE policy SET name = 'x' WHERE generation = 1",
    "UPDATE measure SET name = 'x' WHERE generation = 1",
    "UPDATE indicator SET target = '1' WHERE generation = 1 AND code = '7-1-1-K3'",
    "UPDATE indicator SET name = 'x' WHERE generation = 1",
    "DELETE FROM catalog_version WHERE generation = 1",
    "UPDATE fiscal_year_cycle SET due_date = NULL WHERE generation = 1",
    "DELETE FROM year_lock WHERE generation = 1",
    "INSERT INTO year_lock (generation, fiscal_year, locked_at, locked_by)"
    " VALUES (1, 2024, now(), 'x')",
    # A row of the next plan moved into the closed one.
    "UPDATE goal SET generation = 1, code = 'X8' WHERE generation = 2",
    "UPDATE measure_evaluation SET reviewer_comment = 'x' WHERE generation = 1",
    "DELETE FROM finalisation WHERE generation = 1",
    # Re-opening the plan, or removing it.
    "UPDATE generation SET status = 'active', closed_at = NULL WHERE number = 1",
    "DELETE FROM generation WHERE number = 1",
)


@pytest.mark.postgresql_only
def test_the_server_keeps_a_closed_generations_catalog_cycle_and_status_to_plain_sql(
    server: dict[str, str],
) -> None:
    """The planning division's own login may write every table with plain SQL: once a plan is
    closed, the database refuses every row of it (catalog, cycle, locks, evaluations, 確定)
    and the re-opening of the plan; a clerk's login is refused by its grants first."""
    admin = Store.open(server["admin"])
    second_generation(admin)
    _complete(admin, 1, 2025)
    with admin.transaction() as conn:
        first = read_catalog(conn, 1)
        assert first is not None
        open_year(conn, 1, first, 2025, date(2026, 6, 30), who="企画", source=T)
        assert finalise(conn, 1, "community", 2025, who="c", source=T)
        save_evaluation(conn, 1, replace(EVALUATION, fiscal_year=2026), who="c", source=T)
        assert lock_year(conn, 1, 2023, "企画", source=T)
    # The planning division's own login closes it (its grants and the triggers allow that).
    planner = Store.open(server["planner"])
    with planner.transaction() as conn:
        assert set_generation_status(conn, 1, GenerationStatus.CLOSED, who="企画", source=T)
    before = dump(server["admin"])
    for who in ("clerk", "planner"):
        with _plain(server[who]) as conn:
            for statement in CLOSED_ATTACKS:
                with pytest.raises(psycopg.Error) as refused:
                    conn.execute(statement)
                said = str(refused.value)
                wanted = "E_GENERATION_CLOSED" if who == "planner" else "permission denied"
                assert wanted in said, (who, statement, said)
    assert dump(server["admin"]) == before
    # The store refuses the re-opening too, in both languages; the next plan still changes.
    _refused_closed(
        lambda: planner.run(
            lambda c: set_generation_status(c, 1, GenerationStatus.ACTIVE, who="企画", source=T)
        )
    )
    planner.dispose()
    with _plain(server["planner"]) as conn:
        conn.execute("UPDATE goal SET name = name || '（改）' WHERE generation = 2")
    assert dump(server["admin"]) != before
