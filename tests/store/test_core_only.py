"""The store stays on SQLAlchemy Core: importing `sqlalchemy.orm` costs ~55 ms of every start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import kplan_desktop


def _orm_loaded(script: str) -> str:
    """Run `script` in a fresh interpreter on this checkout: "True" if it loaded the ORM."""
    source = str(Path(kplan_desktop.__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-c", script + "\nprint('sqlalchemy.orm' in sys.modules)"],
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()[-1]


def test_importing_the_store_does_not_load_the_orm() -> None:
    modules = (
        "kplan_desktop.store.overview, kplan_desktop.store.actuals, kplan_desktop.store.catalog"
    )
    assert _orm_loaded(f"import sys, {modules}") == "False"


def test_reading_and_writing_a_current_database_does_not_load_the_orm(db: Path) -> None:
    script = "\n".join(
        [
            "import sys",
            "from kplan_desktop.store.actuals import enter_value",
            "from kplan_desktop.store.engine import Store",
            "from kplan_desktop.store.overview import overview",
            f"store = Store.open({str(db)!r})",
            "with store.transaction() as conn:",
            "    enter_value(conn, 1, '7-1-1-K2', 2023, '50', who='t', source='test')",
            "with store.snapshot() as conn:",
            "    overview(conn, 1)",
        ]
    )
    assert _orm_loaded(script) == "False"
