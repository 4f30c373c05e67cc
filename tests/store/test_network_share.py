"""A SQLite file on a network share runs with the rollback journal, not WAL (store/netfs.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from kplan_desktop.store import engine as engine_module
from kplan_desktop.store.engine import Store, journal_mode
from kplan_desktop.store.netfs import DRIVE_REMOTE, drive_root, is_unc, on_network

FIXED, REMOTE = 3, DRIVE_REMOTE


@pytest.mark.parametrize(
    ("path", "unc"),
    [
        (r"\\fileserver\kikaku\kplan.sqlite3", True),
        ("//fileserver/kikaku/kplan.sqlite3", True),
        (r"\\?\UNC\fileserver\kikaku\kplan.sqlite3", True),
        (r"\\?\C:\data\kplan.sqlite3", False),
        (r"\\.\PhysicalDrive0", False),
        (r"C:\Users\clerk\AppData\Local\kplan-desktop\kplan.sqlite3", False),
        ("/home/clerk/kplan.sqlite3", False),
        ("kplan.sqlite3", False),
    ],
)
def test_unc_paths_are_network_paths(path: str, unc: bool) -> None:
    assert is_unc(path) is unc
    assert on_network(path, lambda root: FIXED) is unc


def test_a_mapped_drive_is_asked_about_its_root() -> None:
    asked: list[str] = []

    def kind(root: str) -> int:
        asked.append(root)
        return REMOTE if root == "Z:\\" else FIXED

    assert on_network(r"z:\kikaku\kplan.sqlite3", kind)
    assert not on_network(r"C:\data\kplan.sqlite3", kind)
    assert asked == ["Z:\\", "C:\\"]
    assert drive_root("/home/clerk/kplan.sqlite3") is None
    assert not on_network("/home/clerk/kplan.sqlite3", kind)  # no drive: not asked
    assert asked == ["Z:\\", "C:\\"]


def test_journal_mode_follows_the_location(monkeypatch: pytest.MonkeyPatch) -> None:
    assert journal_mode(r"C:\data\kplan.sqlite3") == "WAL"  # Linux: GetDriveTypeW not asked
    assert journal_mode(r"\\fileserver\kikaku\kplan.sqlite3") == "DELETE"
    assert journal_mode(":memory:") == "WAL"


def _mode(store: Store) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(text("PRAGMA journal_mode")).scalar())


def test_a_share_opens_without_wal_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shared = tmp_path / "share" / "kplan.sqlite3"
    shared.parent.mkdir()
    local = tmp_path / "kplan.sqlite3"
    # This machine has no share: the location test answers "network" for the share's folder.
    monkeypatch.setattr(engine_module, "on_network", lambda path: str(shared.parent) in path)
    with caplog.at_level(logging.INFO, logger="kplan"):
        on_share = Store.open(str(shared))
        on_pc = Store.open(str(local))
    try:
        assert _mode(on_share) == "delete"
        assert _mode(on_pc) == "wal"
        assert not Path(f"{shared}-wal").exists()
        said = [r.getMessage() for r in caplog.records if "network share" in r.getMessage()]
        assert len(said) == 1 and str(shared) in said[0]
    finally:
        on_share.dispose()
        on_pc.dispose()
