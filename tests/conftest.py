"""Shared fixtures: a real database per test, initialised with the seed catalog.

The store, CLI and exchange tests run twice, on a SQLite file and on a database of a throwaway
PostgreSQL cluster (tests/pgcluster.py), through one parametrised `backend` fixture; a test that
is about SQLite files themselves is marked `sqlite_only`. KPLAN_TEST_POSTGRES=required (set by
scripts/test) makes a cluster that cannot start an error, =off leaves PostgreSQL out; by
default the PostgreSQL half is skipped where no server binaries are installed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from kplan_desktop.store.requests import EntrySource
from tests.pgcluster import Cluster, ClusterUnavailable, start_cluster
from tests.seeded import Seeds, process_seeds

BACKENDS = ("sqlite", "postgresql")
# Only these run on both backends: the window and the fuzzers are about the program, not the
# database, and running them twice would double the test time for nothing.
_ON_BOTH = ("store", "cli", "exchange")
_TESTS = Path(__file__).resolve().parent

Database = Path | str  # a SQLite file, or a PostgreSQL URL


def _postgres_wanted() -> str:
    return os.environ.get("KPLAN_TEST_POSTGRES", "auto")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    if metafunc.definition.get_closest_marker("postgresql_only"):
        metafunc.parametrize("backend", ["postgresql"], indirect=True)
        return
    where = Path(str(metafunc.definition.path)).resolve().relative_to(_TESTS).parts
    if where[0] not in _ON_BOTH or _postgres_wanted() == "off":
        return
    metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(autouse=True)
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test logs to its own folder, never to the user's."""
    folder = tmp_path / "logs"
    monkeypatch.setenv("KPLAN_LOG_DIR", str(folder))
    return folder


@pytest.fixture(scope="session", autouse=True)
def session_key_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Session fixtures (the fuzzer's bases, the crash test's databases) and the processes they
    start sign too: their private keys go to a folder of the run, never the user's."""
    folder = tmp_path_factory.mktemp("keys")
    was = os.environ.get("KPLAN_KEY_DIR")
    os.environ["KPLAN_KEY_DIR"] = str(folder)
    yield folder
    if was is None:
        os.environ.pop("KPLAN_KEY_DIR", None)
    else:
        os.environ["KPLAN_KEY_DIR"] = was


@pytest.fixture(autouse=True)
def key_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test keeps its private signing keys in its own folder, never in the user's."""
    folder = tmp_path / "keys"
    monkeypatch.setenv("KPLAN_KEY_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One PostgreSQL cluster for the whole run, listening on 127.0.0.1 only."""
    if _postgres_wanted() == "off":
        pytest.skip("KPLAN_TEST_POSTGRES=off")
    try:
        cluster = start_cluster()
    except ClusterUnavailable as exc:
        if _postgres_wanted() == "required":
            pytest.fail(f"KPLAN_TEST_POSTGRES=required, but: {exc}")
        pytest.skip(str(exc))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def seeds(session_key_folder: Path) -> Seeds:
    """The seed database of this test process, made on first use and copied for each test."""
    return process_seeds()


class _Databases:
    """A test's databases: SQLite files in its folder, or databases on the run's cluster."""

    def __init__(self, tmp_path: Path, cluster: Cluster | None) -> None:
        self.tmp_path = tmp_path
        self.cluster = cluster
        self.made: list[str] = []

    def make(self, name: str, seeds: Seeds | None = None) -> Database:
        if self.cluster is None:
            path = self.tmp_path / f"{name}.sqlite3"
            return seeds.sqlite(path) if seeds is not None else path
        if seeds is not None:
            database = seeds.server(self.cluster)
        else:
            database = self.cluster.create_database()
        self.made.append(database)
        return self.cluster.url(database)

    def drop(self) -> None:
        for database in self.made:
            assert self.cluster is not None
            self.cluster.drop_database(database)


@pytest.fixture
def _databases(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[_Databases]:
    cluster = request.getfixturevalue("pg_cluster") if backend == "postgresql" else None
    made = _Databases(tmp_path, cluster)
    yield made
    made.drop()


@pytest.fixture
def new_db(_databases: _Databases) -> Callable[[str], Database]:
    """Makes a new, empty database of this test's backend: a file path or a server URL."""
    return _databases.make


@pytest.fixture
def db(_databases: _Databases, seeds: Seeds) -> Database:
    """A database of this test's backend as `kplan init` leaves it (a copy of the seeded one)."""
    return _databases.make("kplan", seeds)


def is_postgres(db: Database) -> bool:
    return str(db).startswith("postgresql")


def dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every table's full content, for 'nothing changed' assertions."""
    if is_postgres(db):
        return _dump_server(str(db))
    with closing(sqlite3.connect(db)) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }


def _dump_server(url: str) -> dict[str, list[tuple[object, ...]]]:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        found = {}
        for t in tables:
            rows = conn.execute(f'SELECT * FROM "{t}"').fetchall()
            found[t] = sorted((tuple(r) for r in rows), key=repr)
        return found


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
        with store.snapshot() as conn:
            catalog = read_catalog(conn, 1)
        assert catalog is not None
        data = catalog_to_dict(catalog)
        for goal in data["goals"]:
            for policy in goal["policies"]:
                for measure in policy["measures"]:
                    for indicator in measure["indicators"]:
                        if indicator["code"] == code:
                            indicator["target"]["value"] = target
        save_catalog_edit(
            store, catalog_from_dict(data), who="企画", source=EntrySource.TEST, detail="t"
        )
    finally:
        store.dispose()
