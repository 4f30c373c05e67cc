"""Signing keys: each installation signs its submissions; the planning division keeps a key list.

A key is a random secret bound to the database that made it. Its department is named when it is
exported for the planning division; the planning division registers it once (trust on first
registration) and from then on knows which department a signature speaks for.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.audit import now, record
from kplan_desktop.store.engine import DATABASE_ID_KEY, Store, meta_value
from kplan_desktop.store.models import signing_key_table

KEY_FORMAT = "kplan-key/1"


@dataclass(frozen=True)
class SigningKey:
    database_id: str
    department: str | None
    secret: str  # hex; never logged, never written to a workbook

    def __repr__(self) -> str:  # a key printed by accident shows no secret
        return f"SigningKey({self.database_id!r}, {self.department!r}, secret=…)"


def own_key(store: Store, *, who: str) -> SigningKey:
    """This installation's key, made the first time it is needed."""
    k = signing_key_table.c
    with store.transaction() as conn:
        row = conn.execute(select(signing_key_table).where(k.own)).mappings().first()
        if row is not None:
            return SigningKey(row["database_id"], row["department_code"], row["secret"])
        database = meta_value(conn, DATABASE_ID_KEY) or ""
        key = SigningKey(database, None, secrets.token_hex(32))
        conn.execute(
            insert(signing_key_table),
            {
                "database_id": key.database_id,
                "department_code": None,
                "secret": key.secret,
                "own": True,
                "added_at": now(),
                "added_by": who,
            },
        )
        record(conn, who=who, source="cli", action="key", detail="own signing key created")
        return key


def export_key(store: Store, department: str, path: Path, *, who: str) -> SigningKey:
    """Write this installation's key, bound to `department`, for the planning division."""
    key = own_key(store, who=who)
    data = {
        "format": KEY_FORMAT,
        "database": key.database_id,
        "department": department,
        "secret": key.secret,
    }
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise DomainError(
            "E_KEY_FILE",
            f"鍵ファイルを書き込めません: {path}（{exc.strerror}）",
            f"Cannot write the key file: {path} ({exc.strerror})",
        ) from None
    return SigningKey(key.database_id, department, key.secret)


def import_key(store: Store, path: Path, *, who: str, source: str) -> SigningKey:
    """Register a department's key; refuses a file that is not a key or that contradicts one."""

    def refuse(code: str, ja: str, en: str) -> DomainError:
        return DomainError(code, f"{path.name}: {ja}", f"{path.name}: {en}")

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise refuse("E_KEY_FILE", "鍵ファイルとして読めません", "not a key file") from None
    fields = ("format", "database", "department", "secret")
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise refuse("E_KEY_FILE", "kplan の鍵ファイルではありません", "not a kplan key file")
    if not all(isinstance(data.get(f), str) and data[f] for f in fields):
        raise refuse("E_KEY_FILE", "鍵ファイルの項目が足りません", "the key file is incomplete")
    try:
        bytes.fromhex(data["secret"])
    except ValueError:
        raise refuse("E_KEY_FILE", "鍵の値が正しくありません", "the key is malformed") from None
    key = SigningKey(data["database"], data["department"], data["secret"])
    k = signing_key_table.c
    with store.transaction() as conn:
        if key.database_id == meta_value(conn, DATABASE_ID_KEY):
            raise refuse("E_KEY_OWN", "この端末自身の鍵です", "this is this installation's own key")
        row = (
            conn.execute(select(signing_key_table).where(k.database_id == key.database_id))
            .mappings()
            .first()
        )
        if row is not None:
            if row["secret"] == key.secret and row["department_code"] == key.department:
                return key
            raise refuse(
                "E_KEY_CONFLICT",
                f"この端末の鍵はすでに {row['department_code']} として登録済みで、内容が違います",
                f"a different key is already registered for that installation "
                f"({row['department_code']})",
            )
        conn.execute(
            insert(signing_key_table),
            {
                "database_id": key.database_id,
                "department_code": key.department,
                "secret": key.secret,
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


def registered_key(store: Store, database_id: str) -> SigningKey | None:
    """The key a signature from that installation is checked with (None: not registered)."""
    k = signing_key_table.c
    with store.connect() as conn:
        row = (
            conn.execute(
                select(signing_key_table).where(k.database_id == database_id, k.own.is_(False))
            )
            .mappings()
            .first()
        )
    if row is None:
        return None
    return SigningKey(row["database_id"], row["department_code"], row["secret"])
