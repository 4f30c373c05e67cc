"""Backups of the SQLite database, and restoring one.

A backup is taken with SQLite's online backup API, never by copying the file of a live
database: the copy is a consistent snapshot even while the window writes. Automatic backups go
to a `backups` folder beside the database — at the program's start (at most once a day) and
before every merge, catalog import or restore — and the newest `keep` of them are kept.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import SQLAlchemyError

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.audit import audit_row, last_change
from kplan_desktop.store.backup_files import (
    BackupInfo,
    backup_name,
    backups_folder,
    backups_in,
)
from kplan_desktop.store.catalog import CATALOG_HASH_KEY
from kplan_desktop.store.engine import (
    DATABASE_ID_KEY,
    SCHEMA_HEAD,
    Store,
    StoreError,
    meta_value,
)
from kplan_desktop.store.models import audit_table, catalog_version_table
from kplan_desktop.store.paths import private_dir, private_file
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.schema_upgrade import migrations_config, upgrade

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

KEEP = 14


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
    return backups_folder(database_path(store))


def take_backup(store: Store, reason: str, *, target: Path | None = None, keep: int = KEEP) -> Path:
    """Write a consistent copy of the database; automatic ones rotate, `target` ones do not."""
    source = database_path(store)
    if target is None:
        folder = backup_folder(store)
        target = folder / backup_name(datetime.now(UTC), reason)
    private_dir(target.parent)  # a new backups folder is owner-only (0700 on POSIX)
    _remove_stale_partials(target.parent)
    partial = target.with_name(target.name + ".partial")
    try:
        private_file(partial)  # and so is each copy (0600), before a byte is in it
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
    detail_ja = detail_en = getattr(exc, "strerror", None) or str(exc)
    full = (
        getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in detail_en
    )
    if not full and "disk I/O error" in detail_en:
        try:
            disk = os.statvfs(target.parent)
            full = full or disk.f_bavail * disk.f_frsize < FULL_BELOW
        except (OSError, AttributeError):  # no statvfs on Windows
            pass
    if full:
        detail_ja, detail_en = "ディスクの空きがありません", "the disk is full"
    return StoreError(
        "E_BACKUP_FULL" if full else "E_BACKUP_FAILED",
        f"バックアップを作れません: {target}（{detail_ja}）",
        f"Cannot write the backup: {target} ({detail_en})",
    )


FULL_BELOW = 1024 * 1024  # bytes left: a copy that failed with less than this hit a full disk


def backups(store: Store) -> list[BackupInfo]:
    """The automatic backups, newest first."""
    return backups_in(backup_folder(store))


def _rotate(folder: Path, keep: int) -> None:
    for old in [b.path for b in backups_in(folder)][keep:]:
        old.unlink(missing_ok=True)


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


# A kplan database of ten years of a city's plan is a few MB; a file many times that is not one.
MAX_BACKUP_BYTES = 512 * 1024 * 1024
# Free pages beyond this (and beyond half the file) are padding, not a database that shrank.
MAX_FREE_BYTES = 64 * 1024 * 1024

SchemaObject = tuple[str, str, str, str, tuple[tuple[object, ...], ...]]

# The tables SQLite itself makes (ANALYZE; AUTOINCREMENT), each exactly as SQLite writes it. Only
# these, of type 'table' and with this very text, are not part of kplan's schema; anything else
# named like them (a trigger or view `sqlite_stat_x`, a stat table with another shape) is.
_SQLITE_INTERNAL = {
    "sqlite_stat1": "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    "sqlite_stat4": "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
    "sqlite_sequence": "CREATE TABLE sqlite_sequence(name,seq)",
}
_SPACE = re.compile(r"\s+")


def _normalised_sql(sql: object) -> str:
    """An object's SQL text with every run of white space as one space (None: an automatic
    index, which has no text)."""
    return "" if sql is None else _SPACE.sub(" ", str(sql)).strip()


def schema_objects(conn: sqlite3.Connection) -> frozenset[SchemaObject]:
    """Every table, index, trigger and view of a file: type, name, table, its SQL text (white
    space normalised) and its columns.

    Read from sqlite_master and the table_xinfo / index_xinfo pragmas only: nothing of the file
    runs. The SQL text is what SQLite obeys (a CHECK, a partial index's WHERE, a trigger's body),
    so two objects are the same only if their texts are. Only SQLite's own internal tables, of
    exactly their shape, are left out (_SQLITE_INTERNAL).
    """
    found: set[SchemaObject] = set()
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        text = _normalised_sql(sql)
        if kind == "table" and _SQLITE_INTERNAL.get(str(name)) == text and name == table:
            continue
        detail: tuple[tuple[object, ...], ...] = ()
        if kind == "table":
            # By name: a column's place differs with the path a database took through the
            # migrations (a table rebuilt by a later one), and a place holds no code.
            detail = tuple(
                sorted(
                    (r[1], str(r[2]).upper(), r[3], r[5], r[6])
                    for r in conn.execute("SELECT * FROM pragma_table_xinfo(?)", (name,))
                )
            )
        elif kind == "index":
            detail = tuple(
                (r[2], r[3], r[5])
                for r in conn.execute("SELECT * FROM pragma_index_xinfo(?)", (name,))
            )
        found.add((str(kind), str(name), str(table), text, detail))
    return frozenset(found)


def known_schema_versions() -> tuple[str, ...]:
    """Every revision of the migrations, oldest first (read from db/migrations, not a list)."""
    return tuple(reversed([r.revision for r in _scripts().walk_revisions()]))


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(migrations_config())


def migrated_schema(conn: Connection, version: str) -> frozenset[SchemaObject]:
    """The schema objects of the empty SQLite database behind `conn` once migrated to `version`,
    in the caller's transaction."""
    upgrade(conn, version)
    raw = conn.connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):
        raise TypeError("migrated_schema reads a SQLite database")
    return schema_objects(raw)


@functools.cache
def expected_schema(version: str) -> frozenset[SchemaObject]:
    """The schema objects of a kplan database at `version`: a fresh temporary database migrated
    to it with the migrations themselves, so the expectation can never drift from them."""
    with tempfile.TemporaryDirectory(prefix="kplan-schema-") as folder:
        scratch = Store.open(str(Path(folder) / "schema.sqlite3"), migrate=False)
        try:
            with scratch.transaction() as conn:
                return migrated_schema(conn, version)
        finally:
            scratch.dispose()


@dataclass(frozen=True)
class Identity:
    """Whose database a file is: the installation (database id) and the catalog it holds."""

    database_id: str
    catalog_hash: str

    def describe(self) -> str:
        return f"ID {self.database_id[:12] or '—'} / catalog {self.catalog_hash[:12] or '—'}"


@dataclass(frozen=True)
class BackupCheck:
    version: str
    identity: Identity


class OtherInstallation(DomainError):
    """The backup is another installation's, or holds a catalog this database never held."""

    def __init__(self, path: Path, theirs: Identity, ours: Identity, other_catalog: bool) -> None:
        what_ja = "別のカタログ" if other_catalog else "別の端末"
        what_en = "another catalog" if other_catalog else "another installation"
        super().__init__(
            "E_RESTORE_OTHER",
            f"{path.name} は{what_ja}のデータベースです（バックアップ: {theirs.describe()}、"
            f"この端末: {ours.describe()}）。確認のうえ復元するには --other-installation",
            f"{path.name} is a database of {what_en} (backup: {theirs.describe()}; this "
            f"installation: {ours.describe()}); to restore it after checking: "
            "--other-installation",
        )
        self.theirs = theirs
        self.ours = ours
        self.other_catalog = other_catalog


def check_backup(path: Path, *, shown: Path | None = None) -> BackupCheck:
    """What a backup is, if it is exactly a kplan database; DomainError naming why not.

    Accepted only when its schema objects are exactly those of a known kplan schema version
    (no extra trigger, no view in place of a table), its page size is one SQLite makes, its
    size is its pages and not much more than its data, and SQLite finds it intact.
    """

    name = (shown or path).name

    def refuse(why_ja: str, why_en: str) -> DomainError:
        return DomainError(
            "E_NOT_A_BACKUP",
            f"{name} は復元できません: {why_ja}",
            f"Cannot restore {name}: {why_en}",
        )

    if not path.is_file():
        raise refuse("ファイルがありません", "no such file")
    size = path.stat().st_size
    if size > MAX_BACKUP_BYTES:
        raise refuse(
            f"大きすぎます（{size // (1024 * 1024)} MB）",
            f"too large ({size // (1024 * 1024)} MB)",
        )
    with path.open("rb") as head:
        if head.read(16) != b"SQLite format 3\x00":
            raise refuse("SQLiteのデータベースではありません", "not a SQLite database")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)) as conn:
            page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
            pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
            free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
            if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
                raise refuse(f"ページサイズが異常です（{page_size}）", f"bad page size {page_size}")
            if pages * page_size != size:
                raise refuse(
                    "ファイルの大きさがデータベースのページ数と合いません（後ろに何か付いています）",
                    "the file size does not match its pages (something is appended)",
                )
            if free * page_size > MAX_FREE_BYTES and free * 2 > pages:
                raise refuse("空きページで水増しされています", "the file is padded with free pages")
            objects = schema_objects(conn)
            names = {name for _, name, _, _, _ in objects}
            if not {"alembic_version", "meta", "actual", "audit"} <= names:
                raise refuse("kplan のデータベースではありません", "not a kplan database")
            version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            if len(version) != 1 or version[0][0] not in known_schema_versions():
                found = str(version[0][0])[:20] if version else None
                raise refuse(f"未知のスキーマ版です（{found}）", f"unknown schema version {found}")
            known = str(version[0][0])
            if objects != expected_schema(known):
                extra = sorted(f"{k} {n}" for k, n, *_ in objects - expected_schema(known))
                missing = sorted(f"{k} {n}" for k, n, *_ in expected_schema(known) - objects)
                what = ", ".join([*(f"+{x}" for x in extra), *(f"-{x}" for x in missing)][:3])
                raise refuse(
                    f"スキーマが kplan {known} 版と違います（{what}）",
                    f"its schema differs from kplan's version {known} ({what})",
                )
            if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise refuse("ファイルが壊れています", "the file is damaged")
            identity = _identity(conn)
    except sqlite3.Error as exc:
        raise refuse(f"読み込めません（{exc}）", f"unreadable ({exc})") from None
    return BackupCheck(known, identity)


def _identity(conn: sqlite3.Connection) -> Identity:
    values = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", (DATABASE_ID_KEY, CATALOG_HASH_KEY)
        ).fetchall()
    )
    return Identity(str(values.get(DATABASE_ID_KEY) or ""), str(values.get(CATALOG_HASH_KEY) or ""))


def this_identity(conn: Connection) -> tuple[Identity, frozenset[str]]:
    """This database's identity, and every catalog hash it has held."""
    identity = Identity(
        meta_value(conn, DATABASE_ID_KEY) or "", meta_value(conn, CATALOG_HASH_KEY) or ""
    )
    held = frozenset(
        str(h) for h in conn.execute(select(catalog_version_table.c.catalog_hash)).scalars()
    )
    return identity, held | {identity.catalog_hash}


def inspect_backup(
    store: Store, path: Path, *, shown: Path | None = None
) -> tuple[BackupCheck, OtherInstallation | None]:
    """check_backup, and whether the file is another installation's (or catalog's)."""
    checked = check_backup(path, shown=shown)
    with store.snapshot() as conn:
        ours, held = this_identity(conn)
    return checked, _other(checked, ours, held, shown or path)


def _other(
    checked: BackupCheck, ours: Identity, held: frozenset[str], shown: Path
) -> OtherInstallation | None:
    """Whether a checked backup is another installation's, or holds another catalog."""
    theirs = checked.identity
    # A backup that does not say its catalog is treated as another catalog's (restore then
    # checks what its catalog tables actually hold).
    other_catalog = not theirs.catalog_hash or theirs.catalog_hash not in held
    if theirs.database_id != ours.database_id or other_catalog:
        return OtherInstallation(shown, theirs, ours, other_catalog)
    return None


def restore(
    store: Store,
    path: Path,
    *,
    who: str,
    source: EntrySource,
    catalog_identity: Callable[[Connection], str],
    other_installation: bool = False,
) -> Path:
    """Put a backup's content in place of the database; returns the backup of what it replaced.

    The file is checked first (check_backup): its schema must be exactly a known version's, so
    nothing of it (a trigger, a view) can run when the program writes. A backup of another
    installation or catalog is refused unless `other_installation`. The current database is
    backed up; then the backup is copied into the live file with the online backup API, so other
    connections see the restored content, not a swapped file. An older schema is migrated; the
    result is checked once more against the current schema before the restore's own audit row
    is written. The backup's catalog is judged by what its catalog tables hold
    (`catalog_identity`: the hash of the catalog read back in a transaction, from the exchange
    layer), not by its meta row: unless `other_installation`, it must be the catalog the file
    says and one this database has held; otherwise the replaced database is put back.

    Two frames around the copy (the file is replaced under the engine, so no one frame can
    hold both): one snapshot of whose database this is, and one transaction that judges the
    restored catalog and writes the audit row (a refusal there puts the replaced file back).
    """
    live = database_path(store)
    with store.snapshot() as conn:
        ours, held = this_identity(conn)
        issued = last_change(conn)[1]
    # What is checked is what is restored: a private copy of the file's bytes (a -wal file
    # beside it cannot add anything after the check).
    check_backup(path)  # a missing, oversized or foreign file is refused before it is copied
    staged = live.with_name(f".{live.name}.restore-{os.getpid()}")
    try:
        try:
            shutil.copyfile(path, staged)
        except OSError as exc:
            raise _failed(staged, exc) from None
        checked = check_backup(staged, shown=path)
        other = _other(checked, ours, held, path)
        if other is not None and not other_installation:
            raise other
        replaced = take_backup(store, "restore")
        store.engine.dispose()
        _copy_into(staged, live)
    finally:
        staged.unlink(missing_ok=True)
    store.migrate(keep_legacy_secrets=False)
    try:
        with closing(sqlite3.connect(f"file:{live}?mode=ro", uri=True)) as conn:
            now_schema = schema_objects(conn)
        if now_schema != expected_schema(SCHEMA_HEAD):
            raise DomainError(
                "E_NOT_A_BACKUP",
                f"{path.name} は復元できません: 更新後のスキーマが正しくありません",
                f"Cannot restore {path.name}: the schema is wrong after migrating",
            )
        detail = f"restored {path.name} (schema {checked.version}); the replaced database is "
        detail += replaced.name
        if other is not None:
            detail += f"; another installation's: {other.theirs.describe()}"
        with store.transaction() as conn:
            actual = catalog_identity(conn)
            if not other_installation and (
                actual != checked.identity.catalog_hash or actual not in held
            ):
                theirs = Identity(checked.identity.database_id, actual)
                raise OtherInstallation(path, theirs, ours, other_catalog=True)
            row = audit_row(who=who, source=source, action="restore", detail=detail)
            # A revision's sequence is its audit row's number: continue above every number this
            # database had issued, so that its later changes never reuse one that a submission
            # already carried, and a merge can order them (domain/lineage.py).
            row["id"] = max(issued, last_change(conn)[1]) + 1
            conn.execute(insert(audit_table), row)
    except (sqlite3.Error, DomainError, SQLAlchemyError):
        store.engine.dispose()
        _copy_into(replaced, live)
        raise
    return replaced


def _copy_into(source: Path, live: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro&immutable=1", uri=True)
    dst = sqlite3.connect(live)
    try:
        with dst:
            src.backup(dst)
    except sqlite3.Error as exc:
        raise _failed(live, exc) from None
    finally:
        dst.close()
        src.close()


def backup_before(store: Store, reason: str) -> Path | None:
    """The automatic backup before a merge, a catalog change or a restore; None off SQLite."""
    try:
        database_path(store)
    except StoreError:
        return None
    return take_backup(store, reason)
