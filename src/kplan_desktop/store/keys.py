"""Signing keys: each installation signs its submissions; the planning division registers them.

Each installation has its own Ed25519 key pair, bound to the database that exports (its id).
The private key lives in a file of the user's data folder (paths.key_dir: owner-only, written
atomically), never in the database, so no copy or backup of a database can sign for anyone. The
database keeps only public keys: its own (own=True, to say which key it signs with) and the keys
departments sent the planning division, each bound to the department it signs for (trust on
first registration; a key file holds only the public key and is safe to mail).

Keys of the previous release were shared HMAC secrets. The migration that brought public keys
(0010) removed every secret from the database; a department's registration stays, without a key,
until its new public key is registered. The secrets it removed of registered departments were
moved to a file beside the private keys, so that files signed by the previous release still
verify during one transition release (`legacy_secret`).
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, delete, insert, select, update

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.public_key import is_sound_public_key
from kplan_desktop.store.audit import now, record
from kplan_desktop.store.engine import DATABASE_ID_KEY, meta_value
from kplan_desktop.store.models import department_table, signing_key_table
from kplan_desktop.store.paths import key_dir
from kplan_desktop.store.requests import EntrySource

KEY_FORMAT = "kplan-key/2"
LEGACY_KEY_FORMAT = "kplan-key/1"
LEGACY_FILE = "legacy-hmac-{database}.json"
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# The planning division's role name: never a department that signs submissions.
PLANNING_ROLE = "planning"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class SigningKey:
    """A registered (or this installation's own) public key; None: registered before 0010."""

    database_id: str
    department: str | None
    public_key: str | None  # 64 hex digits (raw Ed25519 public key)

    @property
    def fingerprint(self) -> str:
        """What two people compare on the phone: the key's first 16 hex digits, grouped."""
        if self.public_key is None:
            return "—"
        return " ".join(self.public_key[i : i + 4] for i in range(0, 16, 4))


def _key_error(code: str, ja: str, en: str) -> DomainError:
    return DomainError(code, ja, en)


def _io_error(path: Path, exc: OSError) -> DomainError:
    if exc.errno == errno.ENOSPC:
        return _key_error(
            "E_DISK_FULL",
            f"ディスクがいっぱいです。鍵ファイルを書き込めません: {path}",
            f"Disk full: cannot write the key file {path}",
        )
    return _key_error(
        "E_KEY_FILE",
        f"鍵ファイルを書き込めません: {path}（{exc.strerror}）",
        f"Cannot write the key file: {path} ({exc.strerror})",
    )


def write_private_file(path: Path, data: bytes) -> None:
    """Write `data` as `path` atomically, owner-only (0600 on POSIX; its folder 0700 when made).

    Written to a temporary file in the same folder, flushed to disk, then renamed over `path`:
    a full disk or a crash leaves the old file (or none), never a short one. OSError as is.
    """
    folder = path.parent
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = folder / f".{path.name}.{os.getpid()}.partial"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, 0o600)
    try:
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        finally:
            if os.name == "posix":
                os.chmod(temporary, 0o600)  # an existing partial file kept its old mode
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def private_key_path(database: str) -> Path:
    if not _SAFE_ID.match(database):
        raise _key_error(
            "E_KEY_DATABASE",
            "データベースIDが正しくないため鍵を作れません",
            "The database id is malformed; no key can be made for it",
        )
    return key_dir() / f"{database}.ed25519.pem"


def _public_hex(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def _load_private(path: Path) -> Ed25519PrivateKey | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _key_error(
            "E_KEY_FILE",
            f"この端末の署名鍵を読めません: {path}（{exc.strerror}）",
            f"Cannot read this installation's signing key: {path} ({exc.strerror})",
        ) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise _key_error(
            "E_KEY_FILE",
            f"この端末の署名鍵が壊れています: {path}",
            f"This installation's signing key is damaged: {path}",
        )
    return key


def own_private_key(conn: Connection, *, who: str, source: str) -> Ed25519PrivateKey:
    """This installation's private key, made (and its public key recorded) when first needed.

    A database moved to another PC has no private key there: a new pair is made, its public key
    replaces the recorded one (audited), and the department sends the planning division its new
    key file.
    """
    k = signing_key_table.c
    database = meta_value(conn, DATABASE_ID_KEY) or ""
    path = private_key_path(database)
    key = _load_private(path)
    row = conn.execute(select(signing_key_table).where(k.own)).mappings().first()
    if key is not None and row is not None and row["public_key"] == _public_hex(key):
        return key
    if key is None:
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            write_private_file(path, pem)
        except OSError as exc:
            raise _io_error(path, exc) from None
    public = _public_hex(key)
    values = {
        "database_id": database,
        "department_code": None,
        "public_key": public,
        "own": True,
        "added_at": now(),
        "added_by": who,
    }
    conn.execute(delete(signing_key_table).where(k.own))
    conn.execute(insert(signing_key_table), values)
    detail = "own signing key created" if row is None else "own signing key replaced"
    record(conn, who=who, source=source, action="key", detail=f"{detail} ({public[:16]})")
    return key


def own_key(conn: Connection, *, who: str, source: str = EntrySource.CLI) -> SigningKey:
    """This installation's public key (made with its private key when first needed)."""
    key = own_private_key(conn, who=who, source=source)
    database = meta_value(conn, DATABASE_ID_KEY) or ""
    return SigningKey(database, None, _public_hex(key))


def export_key(
    conn: Connection, department: str, path: Path, *, who: str, source: str = EntrySource.CLI
) -> SigningKey:
    """Write this installation's public key, bound to `department`, for the planning division.

    The file holds no secret (it is safe to mail); it is still written owner-only and atomically.
    """
    key = own_key(conn, who=who, source=source)
    data = {
        "format": KEY_FORMAT,
        "database": key.database_id,
        "department": department,
        "public_key": key.public_key,
    }
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        write_private_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise _io_error(path, exc) from None
    return SigningKey(key.database_id, department, key.public_key)


def read_key_file(path: Path) -> SigningKey:
    """A department's public key file; DomainError for anything else (an old secret included)."""

    def refuse(code: str, ja: str, en: str) -> DomainError:
        return DomainError(code, f"{path.name}: {ja}", f"{path.name}: {en}")

    try:
        if path.stat().st_size > 64 * 1024:
            raise refuse("E_KEY_FILE", "鍵ファイルとして大きすぎます", "too large for a key file")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise refuse("E_KEY_FILE", "鍵ファイルとして読めません", "not a key file") from None
    if isinstance(data, dict) and data.get("format") == LEGACY_KEY_FORMAT:
        raise refuse(
            "E_KEY_LEGACY",
            "以前の版の鍵ファイル（共有の秘密鍵）は登録できません。課の端末で新しい版の"
            "「鍵の書き出し」をやり直してもらってください",
            "a key file of the previous release (a shared secret) cannot be registered; ask "
            "the department to export its key again with this release",
        )
    fields = ("format", "database", "department", "public_key")
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise refuse("E_KEY_FILE", "kplan の鍵ファイルではありません", "not a kplan key file")
    if not all(isinstance(data.get(f), str) and data[f] for f in fields):
        raise refuse("E_KEY_FILE", "鍵ファイルの項目が足りません", "the key file is incomplete")
    public = data["public_key"].strip().lower()
    try:
        if not _HEX64.match(public):
            raise ValueError(public)
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public))
    except ValueError:
        raise refuse("E_KEY_FILE", "鍵の値が正しくありません", "the key is malformed") from None
    if not is_sound_public_key(bytes.fromhex(public)):
        raise refuse(
            "E_KEY_WEAK",
            "鍵の値が正しい公開鍵ではありません（どんな署名でも通ってしまう特殊な値です）",
            "the key is not a proper public key (a degenerate value any signature would pass)",
        )
    if not _SAFE_ID.match(data["database"]) or len(data["department"]) > 64:
        raise refuse("E_KEY_FILE", "鍵ファイルの項目が正しくありません", "malformed key file")
    return SigningKey(data["database"], data["department"], public)


def import_key(
    conn: Connection, path: Path, *, who: str, source: EntrySource, replace: bool = False
) -> SigningKey:
    """Register a department's public key; refuses a file that is not one or contradicts one.

    A department registered before public keys (its key removed by 0010) gets its new key here.
    `replace`: the installation made a new key (its database moved to another PC, or its key
    file was lost); the new key replaces the registered one of the same department (audited).
    """

    def refuse(code: str, ja: str, en: str) -> DomainError:
        return DomainError(code, f"{path.name}: {ja}", f"{path.name}: {en}")

    key = read_key_file(path)
    k = signing_key_table.c
    if key.database_id == meta_value(conn, DATABASE_ID_KEY):
        raise refuse("E_KEY_OWN", "この端末自身の鍵です", "this is this installation's own key")
    # Exactly a department code of the catalog, as stored: no trimming, no width or case
    # folding, so a look-alike ("intl " or full-width letters) is refused, not matched.
    codes = set(conn.scalars(select(department_table.c.code)))
    if key.department == PLANNING_ROLE:
        raise refuse(
            "E_KEY_DEPARTMENT",
            "企画担当課（planning）の鍵は課の鍵として登録できません",
            "the planning division's key cannot be registered as a department's",
        )
    if key.department not in codes:
        shown = ascii(key.department)[:70]
        raise refuse(
            "E_KEY_DEPARTMENT",
            f"鍵ファイルの課 {shown} はカタログの課コードではありません",
            f"the key file's department {shown} is not a department code of the catalog",
        )
    holder = conn.execute(
        select(k.database_id, k.department_code, k.own).where(
            k.public_key == key.public_key, k.database_id != key.database_id
        )
    ).first()
    if holder is not None:
        whose = "この端末" if holder.own else f"{holder.department_code}（{holder.database_id}）"
        raise refuse(
            "E_KEY_DUPLICATE",
            f"同じ公開鍵がすでに {whose} の鍵として登録されています。1つの鍵は1つの端末のものです",
            f"the same public key is already registered for "
            f"{'this installation' if holder.own else holder.department_code}; one key "
            "belongs to one installation",
        )
    row = (
        conn.execute(
            select(signing_key_table).where(k.database_id == key.database_id, k.own.is_(False))
        )
        .mappings()
        .first()
    )
    if row is not None and row["department_code"] == key.department:
        if row["public_key"] == key.public_key:
            return key
        if row["public_key"] is None or replace:
            conn.execute(
                update(signing_key_table)
                .where(k.database_id == key.database_id)
                .values(public_key=key.public_key, added_at=now(), added_by=who)
            )
            record(
                conn,
                who=who,
                source=source,
                action="key",
                detail=f"registered the public key of {key.department} ({key.database_id}) "
                f"in place of its {'previous-release' if row['public_key'] is None else 'old'}"
                f" key",
            )
            return key
    if row is not None:
        raise refuse(
            "E_KEY_CONFLICT",
            f"この端末の鍵はすでに {row['department_code']} として登録済みで、内容が違います"
            "（同じ課の鍵を作り直したときは --replace）",
            f"a different key is already registered for that installation "
            f"({row['department_code']}; a new key of the same department: --replace)",
        )
    conn.execute(
        insert(signing_key_table),
        {
            "database_id": key.database_id,
            "department_code": key.department,
            "public_key": key.public_key,
            "own": False,
            "added_at": now(),
            "added_by": who,
        },
    )
    record(
        conn,
        who=who,
        source=source,
        action="key",
        detail=f"registered the key of {key.department} ({key.database_id})",
    )
    return key


def registered_key(conn: Connection, database_id: str) -> SigningKey | None:
    """The key a signature from that installation is checked with (None: not registered)."""
    k = signing_key_table.c
    row = (
        conn.execute(
            select(signing_key_table).where(k.database_id == database_id, k.own.is_(False))
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return SigningKey(row["database_id"], row["department_code"], row["public_key"])


def registered_keys(conn: Connection) -> list[SigningKey]:
    """Every registered department key, by department."""
    k = signing_key_table.c
    rows = (
        conn.execute(
            select(signing_key_table)
            .where(k.own.is_(False))
            .order_by(k.department_code, k.database_id)
        )
        .mappings()
        .all()
    )
    return [SigningKey(r["database_id"], r["department_code"], r["public_key"]) for r in rows]


def departments_with_keys(conn: Connection) -> frozenset[str]:
    """The departments whose submissions must be signed (a key is registered for them)."""
    return frozenset(k.department for k in registered_keys(conn) if k.department)


# -- the transition from HMAC secrets --------------------------------------------------------


def legacy_file(database: str) -> Path:
    return key_dir() / LEGACY_FILE.format(database=database)


def save_legacy_secrets(database: str, secrets: Mapping[str, str]) -> Path | None:
    """Move registered HMAC secrets out of the database (the 0010 migration): database id →
    secret, owner-only, next to the private keys. None when there is nothing to keep."""
    if not secrets:
        return None
    path = legacy_file(database)
    kept: dict[str, str] = {}
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))["secrets"]
        kept.update({str(k): str(v) for k, v in earlier.items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    kept.update(secrets)
    data = {"format": "kplan-legacy-hmac/1", "database": database, "secrets": kept}
    write_private_file(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
    return path


def legacy_secret(conn: Connection, database_id: str) -> str | None:
    """The previous release's secret for that installation, if the migration kept it here."""
    ours = meta_value(conn, DATABASE_ID_KEY) or ""
    try:
        data = json.loads(legacy_file(ours).read_text(encoding="utf-8"))
        secret = data["secrets"][database_id]
    except (OSError, ValueError, KeyError, TypeError, DomainError):
        return None
    return secret if isinstance(secret, str) else None
