"""The session's state without Qt: what the window holds, and what the command line can use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kplan_desktop.session import Role, Session
from kplan_desktop.store.engine import Store


def test_a_session_opens_its_store_once_through_its_factory(tmp_path: Path) -> None:
    opened: list[Store] = []

    def factory() -> Store:
        store = Store.open(str(tmp_path / "kplan.sqlite3"))
        opened.append(store)
        return store

    session = Session.start(factory, department="community", fiscal_year=2025)
    assert session.store is None and session.role is Role.DEPARTMENT and not session.planning
    store = session.open()
    assert session.open() is store and opened == [store]
    assert session.who  # the OS user, looked up once asked


def test_the_planning_role_and_a_given_user() -> None:
    session = Session.start(
        lambda: pytest.fail("not opened"),
        department=None,
        fiscal_year=2025,
        planning=True,
        lang="en",
        who="suzuki",
    )
    assert session.planning and session.english and session.who == "suzuki"


def test_a_session_without_a_store_or_factory_says_so() -> None:
    with pytest.raises(RuntimeError):
        Session(department="community", fiscal_year=2025).open()


def test_importing_the_session_loads_no_qt() -> None:
    code = (
        "import sys, kplan_desktop.session; print(sorted(m for m in sys.modules if 'PySide6' in m))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_session_works_in_the_active_generation_unless_one_is_chosen(tmp_path: Path) -> None:
    from kplan_desktop.domain.generation import GenerationStatus
    from kplan_desktop.exchange.seed import ensure_seed
    from kplan_desktop.store.generations import add_generation, set_generation_status
    from kplan_desktop.store.requests import EntrySource

    store = Store.open(str(tmp_path / "kplan.sqlite3"))
    ensure_seed(store, who="t", source=EntrySource.TEST)
    session = Session.start(store, department="community", fiscal_year=2025)
    assert session.generation is None and session.current_generation() == 1
    with store.transaction() as conn:
        number = add_generation(conn, "次期", 2027, 2031, who="t", source=EntrySource.TEST)
    # A draft is not worked in until it is made active.
    assert Session.start(store, department=None, fiscal_year=2027).current_generation() == 1
    with store.transaction() as conn:
        set_generation_status(
            conn, number, GenerationStatus.ACTIVE, who="t", source=EntrySource.TEST
        )
    assert Session.start(store, department=None, fiscal_year=2027).current_generation() == 2
    chosen = Session.start(store, department=None, fiscal_year=2025, generation=1)
    assert chosen.current_generation() == 1 and session.current_generation() == 1
