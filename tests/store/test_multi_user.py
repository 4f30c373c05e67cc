"""Several people on one database: no lost update, and the fiscal-year lock — on both backends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.actuals import EntryRefused, EntryRequest, read_actuals, write_actuals
from kplan_desktop.store.audit import audit_log
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.years import lock_year, locked_years, unlock_year
from tests import seeded
from tests.conftest import dump

CODE, YEAR = "7-1-1-K2", 2024


def stored(store: Store, code: str = CODE, year: int = YEAR) -> object:
    with store.snapshot() as conn:
        found = [a for a in read_actuals(conn, 1, indicator_codes=[code]) if a.fiscal_year == year]
    return found[0] if found else None


def test_two_sessions_edit_one_value_and_the_second_is_refused_with_both_values(
    db: Path,
) -> None:
    with Store.open(str(db)).transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(CODE, YEAR, "50")], who="a", source=EntrySource.TEST)
    mine, theirs = Store.open(str(db)), Store.open(str(db))
    started = stored(mine).revision  # type: ignore[attr-defined]
    assert stored(theirs).revision == started  # type: ignore[attr-defined]
    with theirs.transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest(CODE, YEAR, "60", expected=started, check_expected=True)],
            who="them",
            source=EntrySource.TEST,
        )
    before = dump(db)
    with pytest.raises(EntryRefused) as refused, mine.transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest(CODE, YEAR, "70", expected=started, check_expected=True)],
            who="me",
            source=EntrySource.TEST,
        )
    result = refused.value.results[0]
    assert [f.code for f in result.check.errors] == ["E_CONFLICT"]
    assert result.old[0] == "60" and result.request.text == "70"  # both values, to choose from
    assert "60" in result.check.errors[0].message_ja
    assert dump(db) == before
    # Keeping mine: write again from the revision now stored.
    now = stored(mine).revision  # type: ignore[attr-defined]
    with mine.transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest(CODE, YEAR, "70", expected=now, check_expected=True)],
            who="me",
            source=EntrySource.TEST,
        )
    assert stored(mine).text == "70"  # type: ignore[attr-defined]
    with mine.snapshot() as conn:
        assert [e.new_value for e in audit_log(conn, CODE)] == ["50", "60", "70"]


def test_a_first_value_entered_twice_at_once_is_a_conflict_not_an_overwrite(db: Path) -> None:
    one, two = Store.open(str(db)), Store.open(str(db))
    first = EntryRequest(CODE, YEAR, "55", expected=None, check_expected=True)
    with one.transaction() as conn:
        write_actuals(conn, 1, [first], who="one", source=EntrySource.TEST)
    with pytest.raises(EntryRefused) as refused, two.transaction() as conn:
        write_actuals(
            conn,
            1,
            [EntryRequest(CODE, YEAR, "56", expected=None, check_expected=True)],
            who="two",
            source=EntrySource.TEST,
        )
    assert refused.value.code == "E_VALIDATION"
    assert refused.value.results[0].check.errors[0].code == "E_CONFLICT"
    assert stored(one).text == "55"  # type: ignore[attr-defined]


def test_the_cli_refuses_a_stale_revision_with_exit_2_and_prints_the_current_value(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str) -> int:
        return main(["--db", str(db), *args])

    assert run("enter", "--indicator", CODE, "--year", str(YEAR), "--value", "55") == 0
    capsys.readouterr()
    assert run("show", "--json", "--year", str(YEAR)) == 0
    import json

    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    revision = rows[CODE]["years"][str(YEAR)]["revision"]
    assert revision
    assert run("enter", "--indicator", CODE, "--year", str(YEAR), "--value", "56",
               "--revision", revision) == 0  # fmt: skip
    capsys.readouterr()
    before = dump(db)
    assert run("enter", "--indicator", CODE, "--year", str(YEAR), "--value", "57",
               "--revision", revision) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "ほかで変更されています" in err and "56" in err and "revision=" in err
    assert dump(db) == before
    assert run("enter", "--indicator", "7-1-1-K3", "--year", str(YEAR), "--value", "1500",
               "--revision", "none") == 0  # fmt: skip


def test_a_locked_year_refuses_every_write_until_unlocked_with_a_reason(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(str(db))
    with store.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(CODE, YEAR, "50")], who="a", source=EntrySource.TEST)
        assert lock_year(conn, 1, YEAR, "planner", note="R6 closed")
        assert not lock_year(conn, 1, YEAR, "planner")
        assert locked_years(conn, 1) == {YEAR}
    before = dump(db)
    for source in (EntrySource.GUI, EntrySource.CLI, EntrySource.MERGE):
        with pytest.raises(EntryRefused) as refused, store.transaction() as conn:
            write_actuals(conn, 1, [EntryRequest(CODE, YEAR, "51")], who="a", source=source)
        assert refused.value.results[0].check.errors[0].code == "E_LOCKED_YEAR"
    # Clearing is a write too; other years are not locked.
    with pytest.raises(EntryRefused), store.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(CODE, YEAR, "")], who="a", source=EntrySource.TEST)
    assert dump(db) == before
    assert main(["--db", str(db), "enter", "--indicator", CODE, "--year", str(YEAR),
                 "--value", "52"]) == 2  # fmt: skip
    assert "締め切られています" in capsys.readouterr().err
    assert dump(db) == before
    with store.transaction() as conn:
        write_actuals(conn, 1, [EntryRequest(CODE, 2023, "49")], who="a", source=EntrySource.TEST)
    with pytest.raises(DomainError) as no_reason, store.transaction() as conn:
        unlock_year(conn, 1, YEAR, "planner", "  ")
    assert no_reason.value.code == "E_REASON_REQUIRED"
    with store.transaction() as conn:
        assert unlock_year(conn, 1, YEAR, "planner", "a correction from the department")
        write_actuals(conn, 1, [EntryRequest(CODE, YEAR, "51")], who="a", source=EntrySource.TEST)
        actions = [(e.action, e.fiscal_year, e.detail) for e in audit_log(conn)]
    assert ("year_lock", YEAR, "R6 closed") in actions
    assert ("year_unlock", YEAR, "a correction from the department") in actions


def test_the_year_commands_lock_list_and_unlock(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str) -> int:
        return main(["--db", str(db), *args])

    assert run("year", "lock", "--year", "R6") == 0
    capsys.readouterr()
    assert run("year", "list") == 0
    assert capsys.readouterr().out.startswith("2024\t")
    with pytest.raises(SystemExit) as no_reason:  # --reason is required
        run("year", "unlock", "--year", "R6")
    assert no_reason.value.code == 2
    assert run("year", "unlock", "--year", "R6", "--reason", "再集計") == 0
    capsys.readouterr()
    assert run("year", "list") == 0
    assert capsys.readouterr().out == ""


def test_a_merge_into_a_locked_year_is_refused_whole_even_if_locked_after_its_preview(
    new_db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kplan_desktop.exchange.merge import apply_merge, plan_merge

    department, planning = new_db("community"), new_db("planning")
    for db in (department, planning):
        seeded.init(db)
    for code, value in (("7-1-1-K1", "3"), ("7-1-1-K2", "55")):
        assert main(["--db", str(department), "enter", "--indicator", code, "--year", "2024",
                     "--value", value, "--comment", "c"]) == 0  # fmt: skip
    out = tmp_path / "community.xlsx"
    assert main(["--db", str(department), "export", "--department", "community", "--year",
                 "2024", "-o", str(out), "--draft"]) == 0  # fmt: skip
    store = Store.open(str(planning))
    preview = plan_merge(store, out)  # checked while the year was open
    with store.transaction() as conn:
        lock_year(conn, 1, YEAR, "planner")
    before = dump(planning)
    with pytest.raises(DomainError) as refused:
        apply_merge(store, preview, who="planner")
    assert "締め切られています" in refused.value.message_ja
    assert dump(planning) == before
    capsys.readouterr()
    assert main(["--db", str(planning), "merge", str(out)]) != 0
    assert "締め切られています" in capsys.readouterr().out + capsys.readouterr().err
    assert dump(planning) == before
