"""The seed database, initialised once per test process and copied wherever a test needs one.

`kplan init` (migrate, load the seed catalog) takes 0.6-1.6 s on a SQLite file and 2-5 s on the
server, and most tests start from exactly its result. A copy takes milliseconds: the file is
copied whole, and on the server the database is made with CREATE DATABASE … TEMPLATE. Each copy
is then given a database identity of its own, as `kplan init` would have (signing keys and
exchanged files name it), so no two databases of a test can be taken for one another.

The template is made by the program's own `kplan init`, and the tests about `init` itself still
call it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import uuid
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from kplan_desktop.cli import main
from kplan_desktop.store.engine import DATABASE_ID_KEY
from tests.pgcluster import Cluster, server_bin

Database = Path | str  # a SQLite file, or a PostgreSQL URL

_NEW_IDENTITY = "UPDATE meta SET value = '{0}' WHERE key = '{1}'"


def copy_sqlite(template: Path, target: Path) -> Path:
    """A copy of a closed SQLite database (no write-ahead log beside it) with its own identity."""
    assert not template.with_name(template.name + "-wal").exists()
    shutil.copyfile(template, target)
    with closing(sqlite3.connect(target)) as conn:
        conn.execute(_NEW_IDENTITY.format(uuid.uuid4().hex, DATABASE_ID_KEY))
        conn.commit()
    return target


class Seeds:
    """Makes each backend's template on first use, then hands out copies of it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._file: Path | None = None
        self._server_templates: dict[int, str] = {}  # by the cluster's port

    def _init(self, database: str) -> None:
        # The template's own log, never a test's or the user's.
        was = os.environ.get("KPLAN_LOG_DIR")
        os.environ["KPLAN_LOG_DIR"] = str(self.folder / "logs")
        try:
            assert main(["--db", database, "init"]) == 0
        finally:
            if was is None:
                os.environ.pop("KPLAN_LOG_DIR", None)
            else:
                os.environ["KPLAN_LOG_DIR"] = was

    def sqlite(self, target: Path) -> Path:
        """A copy of the seeded SQLite file at `target` (which must not exist yet)."""
        assert not target.exists(), target
        if self._file is None:
            template = self.folder / "seeded.sqlite3"
            self._init(str(template))
            self._file = template
        return copy_sqlite(self._file, target)

    def _server_template(self, cluster: Cluster) -> str:
        template = self._server_templates.get(cluster.port)
        if template is None:
            template = cluster.create_database("seeded")
            self._init(cluster.url(template))
            # CREATE DATABASE … TEMPLATE needs the template to have no sessions.
            cluster.psql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                f" WHERE datname = '{template}' AND pid <> pg_backend_pid()"
            )
            self._server_templates[cluster.port] = template
        return template

    def server(self, cluster: Cluster, name: str | None = None) -> str:
        """A database on `cluster` made from the seeded template; returns its name. `name`, an
        empty database nobody uses, is replaced by the copy."""
        template = self._server_template(cluster)
        if name is None:
            name = cluster.create_database(template=template)
        else:
            cluster.psql(f'DROP DATABASE "{name}"')
            cluster.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        cluster.psql(_NEW_IDENTITY.format(uuid.uuid4().hex, DATABASE_ID_KEY), database=name)
        return name


_process_seeds: Seeds | None = None


def process_seeds() -> Seeds:
    """This test process's seeds (each pytest-xdist worker has its own)."""
    global _process_seeds
    if _process_seeds is None:
        folder = Path(tempfile.mkdtemp(prefix="kplan-seeds-"))
        atexit.register(shutil.rmtree, folder, True)
        _process_seeds = Seeds(folder)
    return _process_seeds


def init(db: Database) -> Database:
    """Make `db` what `kplan init` makes of it, by copying the template: a SQLite path that does
    not exist yet, or the URL of an empty database on the tests' cluster. Returns `db`."""
    seeds = process_seeds()
    if isinstance(db, str) and db.startswith("postgresql"):
        url = make_url(db)
        assert url.database is not None and url.port is not None, db
        seeds.server(Cluster(seeds.folder, url.port, server_bin()), url.database)
        return db
    seeds.sqlite(Path(db))
    return db
