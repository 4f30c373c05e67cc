"""The backups folder as files: where it is, what it holds, and the scrub of old secrets.

Nothing here opens the live database or needs a `Store`: the engine (whose migration scrubs the
previous release's backups) and `store.backup` (which takes and restores them) both use it, so
neither imports the other for it.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# kplan-YYYYMMDD-HHMMSS-ffffff-<reason>.sqlite3
_NAME = re.compile(r"^kplan-(\d{8}-\d{6}-\d{6})-([a-z-]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # UTC, from the file name
    reason: str  # start, merge, catalog, restore, manual
    size: int


def backups_folder(database: Path) -> Path:
    """The folder of a SQLite database file's automatic backups: `backups` beside it."""
    return database.parent / "backups"


def backup_name(taken_at: datetime, reason: str) -> str:
    """The file name of an automatic backup (what `backups_in` reads back)."""
    return f"kplan-{taken_at.strftime('%Y%m%d-%H%M%S-%f')}-{reason}.sqlite3"


def backups_in(folder: Path) -> list[BackupInfo]:
    """The automatic backups in `folder`, newest first."""
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match is not None:
            taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f").replace(tzinfo=UTC)
            found.append(BackupInfo(path, taken, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def scrub_old_backups(folder: Path) -> int:
    """Blank the signing secrets the previous release kept in its backups (schema before
    0010); each file is rewritten by VACUUM so that no copy of a secret stays in its free
    space. A backup's secrets are never kept (the transition file holds only what the live
    database's own upgrade moved out: a file in the backups folder is no source of trust).
    Returns how many files were scrubbed; a file that cannot be opened is left as it is."""
    scrubbed = 0
    for info in backups_in(folder):
        try:
            with closing(sqlite3.connect(info.path)) as conn:
                columns = {r[1] for r in conn.execute("PRAGMA table_info(signing_key)")}
                if "secret" not in columns:
                    continue
                conn.execute("PRAGMA secure_delete = ON")
                with conn:
                    conn.execute("UPDATE signing_key SET secret = ''")
                conn.execute("VACUUM")
            scrubbed += 1
        except (sqlite3.Error, OSError):
            continue
    return scrubbed
