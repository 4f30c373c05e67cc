"""The HMAC a submission carries: which installation vouches for these rows, unchanged."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_FORMAT = "kplan-signature/1"


def signed_text(department: str, fiscal_year: int, database: str, payload_sha256: str) -> bytes:
    """What is signed: the department and year the file speaks for, its maker, and its rows."""
    fields = (SIGNATURE_FORMAT, department, str(fiscal_year), database, payload_sha256)
    return "\n".join(fields).encode("utf-8")


def sign(secret: str, message: bytes) -> str:
    return hmac.new(bytes.fromhex(secret), message, hashlib.sha256).hexdigest()


def verify(secret: str, message: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, message), signature.strip().lower())
