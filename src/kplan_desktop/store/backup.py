"""Backups of the SQLite database, and restoring one.

A backup is taken with SQLite's online backup API, never by copying the file of a live
database: the copy is a consistent snapshot even while the window writes. Automatic backups go
to a `backups` folder beside the database — at the program's start (at most once a day) and
before every merge, catalog import or restore — and the newest `keep` of them are kept.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.audit import record
from kplan_desktop.store.engine import Store, StoreError

KEEP = 14
KNOWN_SCHEMAS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0010b",
)
_NAME = re.compile(r"^kplan-(\d{8}-\d{6}-\d{6})-([a-z-]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # UTC, from the file name
    reason: str  # start, merge, catalog, restore, manual
    size: int


def database_path(store: Store) -> Path:
    """The SQLite file behind the store; backups exist only for SQLite databases."""
    url = store.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise StoreError(
            "E_BACKUP_NOT_SQLITE",
            "バックアップはSQLiteのデータベースファイルでのみ使えます"
            "（サーバーのデータベースはサーバー側でバックアップしてください）",
            "Backups are for SQLite database files (back up a server database on the server)",
        )
    return Path(url.database)


def backup_folder(store: Store) -> Path:
    return database_path(store).parent / "backups"


def take_backup(store: Store, reason: str, *, target: Path | None = None, keep: int = KEEP) -> Path:
    """Write a consistent copy of the database; automatic ones rotate, `target` ones do not."""
    source = database_path(store)
    if target is None:
        folder = backup_folder(store)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"kplan-{stamp}-{reason}.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(target.parent)
    partial = target.with_name(target.name + ".partial")
    try:
        _copy(source, partial)
        os.replace(partial, target)
        _sync_folder(target.parent)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise _failed(target, exc) from None
    if target.parent == backup_folder(store):
        _rotate(target.parent, keep)
    return target


STALE_PARTIAL_SECONDS = 3600


def _remove_stale_partials(folder: Path) -> None:
    """A backup killed half way leaves its .partial files; an hour later nobody writes them."""
    now = time.time()
    for leftover in folder.glob("kplan-*.sqlite3.partial*"):
        try:
            if now - leftover.stat().st_mtime > STALE_PARTIAL_SECONDS:
                leftover.unlink()
        except OSError:
            pass


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup: page by page, consistent, safe while others write."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()


def _failed(target: Path, exc: Exception) -> StoreError:
    detail = getattr(exc, "strerror", None) or str(exc)
    return StoreError(
        "E_BACKUP_FAILED",
        f"バックアップを作れません: {target}（{detail}）",
        f"Cannot write the backup: {target} ({detail})",
    )


def backups(store: Store) -> list[BackupInfo]:
    """The automatic backups, newest first."""
    return backups_in(backup_folder(store))


def _rotate(folder: Path, keep: int) -> None:
    for old in [b.path for b in backups_in(folder)][keep:]:
        old.unlink(missing_ok=True)


def backups_in(folder: Path) -> list[BackupInfo]:
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match is not None:
            taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f").replace(tzinfo=UTC)
            found.append(BackupInfo(path, taken, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def backup_at_start(store: Store, *, today: datetime | None = None) -> Path | None:
    """The day's first start takes a backup; later starts that day do not. SQLite only."""
    try:
        folder = backup_folder(store)
    except StoreError:
        return None
    day = (today or datetime.now(UTC)).date()
    if any(b.reason == "start" and b.taken_at.date() == day for b in backups_in(folder)):
        return None
    return take_backup(store, "start")


def check_backup(path: Path) -> str:
    """The schema version of a kplan database file; DomainError if it is not one we know."""

    def refuse(why_ja: str, why_en: str) -> DomainError:
        return DomainError(
            "E_NOT_A_BACKUP",
            f"{path.name} は復元できません: {why_ja}",
            f"Cannot restore {path.name}: {why_en}",
        )

    if not path.is_file():
        raise refuse("ファイルがありません", "no such file")
    with path.open("rb") as head:
        if head.read(16) != b"SQLite format 3\x00":
            raise refuse("SQLiteのデータベースではありません", "not a SQLite database")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise refuse("ファイルが壊れています", "the file is damaged")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not {"alembic_version", "meta", "actual", "audit"} <= tables:
                raise refuse("kplan のデータベースではありません", "not a kplan database")
            version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise refuse(f"読み込めません（{exc}）", f"unreadable ({exc})") from None
    if version is None or version[0] not in KNOWN_SCHEMAS:
        shown = None if version is None else version[0]
        raise refuse(f"未知のスキーマ版です（{shown}）", f"unknown schema version {shown}")
    return str(version[0])


def restore(store: Store, path: Path, *, who: str, source: str) -> Path:
    """Put a backup's content in place of the database; returns the backup of what it replaced.

    The current database is backed up first; then the backup is copied into the live file with
    the same online backup API, so other connections see the restored content, not a swapped
    file. An older schema is migrated afterwards.
    """
    check_backup(path)
    replaced = take_backup(store, "restore")
    live = database_path(store)
    store.engine.dispose()
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    dst = sqlite3.connect(live)
    try:
        with dst:
            src.backup(dst)
    except sqlite3.Error as exc:
        raise _failed(live, exc) from None
    finally:
        dst.close()
        src.close()
    store.migrate()
    with store.transaction() as conn:
        record(
            conn,
            who=who,
            source=source,
            action="restore",
            detail=f"restored {path.name}; the replaced database is {replaced.name}",
        )
    return replaced


def backup_before(store: Store, reason: str) -> Path | None:
    """The automatic backup before a merge, a catalog change or a restore; None off SQLite."""
    try:
        database_path(store)
    except StoreError:
        return None
    return take_backup(store, reason)
