"""Shared fixtures: a real SQLite file per test, initialised with the seed catalog."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kplan_desktop.cli import main


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kplan.sqlite3"
    assert main(["--db", str(path), "init"]) == 0
    return path


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's full content, for 'nothing changed' assertions."""
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
