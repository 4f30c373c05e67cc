"""A throwaway PostgreSQL cluster for the tests and the load check.

It lives in a temporary folder, listens on 127.0.0.1 only (and a socket in that folder), trusts
local logins for the administrator and asks the kplan logins for their passwords, and is
stopped and deleted at the end. Debian's server binaries are used (/usr/lib/postgresql/N/bin);
initdb refuses to run as root, so as root the server runs as the `postgres` user.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ADMIN = "postgres"


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server binaries here, or the cluster would not start."""


def server_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if not found:
        initdb = shutil.which("initdb")
        if initdb is None:
            raise ClusterUnavailable("no PostgreSQL server binaries (apt-get install postgresql)")
        return Path(initdb).parent
    return Path(found[-1]).parent


def _version(path: str) -> int:
    try:
        return int(Path(path).parent.parent.name)
    except ValueError:
        return 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise ClusterUnavailable("running as root without runuser: cannot start PostgreSQL")
    return ["runuser", "-u", ADMIN, "--", *command]


@dataclass
class Cluster:
    """A running cluster: its folder, port and the administrator's URL."""

    folder: Path
    port: int
    bin: Path
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def url(
        self, database: str = "postgres", user: str = ADMIN, password: str | None = None
    ) -> str:
        login = user if password is None else f"{user}:{password}"
        return f"postgresql+psycopg://{login}@127.0.0.1:{self.port}/{database}"

    @property
    def admin_url(self) -> str:
        return self.url()

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL as the administrator with psql; returns its output (unaligned, no header)."""
        done = subprocess.run(
            [
                str(self.bin / "psql"),
                "-X",
                "-q",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                ADMIN,
                "-d",
                database,
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return done.stdout

    def create_database(self, prefix: str = "kplan", *, template: str | None = None) -> str:
        """A new database, empty or a copy of `template`; returns its name."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        if template is None:
            self.psql(f'CREATE DATABASE "{name}"')
        else:
            # FILE_COPY (PostgreSQL 15+) copies the small template's files: half the time of the
            # default, which writes every block to the log.
            self.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        subprocess.run(
            _as_server_user(
                [str(self.bin / "pg_ctl"), "-D", str(self.folder / "pg"), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(*, durable: bool = False) -> Cluster:
    """initdb and start a cluster on a free loopback port; durable=False turns fsync off."""
    bin_dir = server_bin()
    folder = Path(tempfile.mkdtemp(prefix="kplan-pg-"))
    folder.chmod(0o777)  # the server's own user writes here when we are root
    port = _free_port()
    hba = folder / "hba.conf"
    # The administrator logs in without a password from this machine; every other login
    # (the department and planning users the tests create) must give its password.
    hba.write_text(
        f"local all {ADMIN} trust\n"
        f"host all {ADMIN} 127.0.0.1/32 trust\n"
        "host all all 127.0.0.1/32 scram-sha-256\n",
        encoding="utf-8",
    )
    hba.chmod(0o644)
    init = subprocess.run(
        _as_server_user(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(folder / "pg"),
                "-U",
                ADMIN,
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ]
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise ClusterUnavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
    options = [
        f"-p {port}",
        f"-k {folder}",
        "-c listen_addresses=127.0.0.1",
        f"-c hba_file={hba}",
        "-c max_connections=200",
        "-c shared_buffers=64MB",
    ]
    if not durable:
        options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    started = subprocess.run(
        _as_server_user(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(folder / "pg"),
                "-w",
                "-t",
                "60",
                "-l",
                str(folder / "server.log"),
                "-o",
                " ".join(options),
                "start",
            ]
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if started.returncode != 0:
        log = (folder / "server.log").read_text(errors="replace")[-800:]
        shutil.rmtree(folder, ignore_errors=True)
        raise ClusterUnavailable(f"pg_ctl start failed: {started.stderr.strip()} {log}")
    return Cluster(folder, port, bin_dir)
