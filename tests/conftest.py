"""Shared fixtures: a real SQLite file per test, initialised with the seed catalog."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from kplan_desktop.cli import main


@pytest.fixture(autouse=True)
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test logs to its own folder, never to the user's."""
    folder = tmp_path / "logs"
    monkeypatch.setenv("KPLAN_LOG_DIR", str(folder))
    return folder


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kplan.sqlite3"
    assert main(["--db", str(path), "init"]) == 0
    return path


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's full content, for 'nothing changed' assertions."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs of our own: a real file system that fills up and can turn read-only."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace')}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Take every free byte of the disk; returns the filler to delete."""
    filler = disk / "filler"
    chunk = b"\0" * 4096
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(descriptor, chunk) == len(chunk):
            pass
    except OSError:
        pass
    finally:
        os.close(descriptor)
    return filler


def set_target(path: Path, code: str, target: str) -> None:
    """The planning division changes one indicator's target: a catalog edit, a new version."""
    from kplan_desktop.exchange.catalog_files import save_catalog_edit
    from kplan_desktop.exchange.catalog_json import catalog_from_dict, catalog_to_dict
    from kplan_desktop.store.catalog import read_catalog
    from kplan_desktop.store.engine import Store

    store = Store.open(str(path))
    try:
        catalog = read_catalog(store)
        assert catalog is not None
        data = catalog_to_dict(catalog)
        for goal in data["goals"]:
            for policy in goal["policies"]:
                for measure in policy["measures"]:
                    for indicator in measure["indicators"]:
                        if indicator["code"] == code:
                            indicator["target"]["value"] = target
        save_catalog_edit(store, catalog_from_dict(data), who="企画", source="test", detail="t")
    finally:
        store.dispose()
