"""The signature a submission carries: which installation vouches for the whole file, unchanged.

An installation signs with its own Ed25519 private key (kept in its data folder, store/keys); the
planning division checks with the public key it registered for that installation. What is
signed is one canonical text of the whole submission: every meta field that says what the file
is (format, department, year, catalog, maker, export time, the draft flag, who finalised it and
when, the row count, the plan generation) and the SHA-256 of the canonical serialisation of
every data row and of every 施策評価 row. A reader recomputes both digests from the rows it
read; a signature holds only if those digests are the ones signed, so no row, evaluation or
meta field can change unseen.

Files of the previous release carry an HMAC-SHA256 over department, year, database and data
rows only (`legacy_*`): during one transition release they still verify, against the secrets
the migration moved out of the database (store/keys.legacy_secret), and say so.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kplan_desktop.domain.public_key import is_sound_public_key
from kplan_desktop.exchange.payload import SubmissionHeader, escape_field, utc_text

SIGNATURE_FORMAT = "kplan-signature/2"
SIGNATURE_PREFIX = "ed25519:"
LEGACY_FORMAT = "kplan-signature/1"


def signed_message(header: SubmissionHeader) -> bytes:
    """The canonical text a signature covers: one `name=value` line per field, in this order."""
    fields: list[tuple[str, str]] = [
        ("signature_format", SIGNATURE_FORMAT),
        ("format", header.format),
        ("department", header.department),
        ("fiscal_year", str(header.fiscal_year)),
        ("catalog_hash", header.catalog_hash),
        ("program_version", header.program_version),
        ("exported_at", utc_text(header.exported_at)),
        ("database", header.database),
        ("finalised_by", header.finalised_by or ""),
        ("finalised_at", "" if header.finalised_at is None else utc_text(header.finalised_at)),
        ("draft", header.draft_flag),
        ("row_count", str(header.row_count)),
        ("payload_sha256", header.payload_sha256),
        ("evaluation_sha256", header.evaluation_sha256),
    ]
    if header.generation is not None:
        # Last, and only when the file names one: a previous release's file signed no such
        # line and still verifies; a file that named its generation does not once the cell
        # is changed or emptied.
        fields.append(("generation", str(header.generation)))
    return "".join(f"{name}={escape_field(value)}\n" for name, value in fields).encode("utf-8")


def sign(private_key: Ed25519PrivateKey, message: bytes) -> str:
    """The signature as the meta sheet holds it: `ed25519:` and 128 hex digits."""
    return SIGNATURE_PREFIX + private_key.sign(message).hex()


def is_current(signature: str | None) -> bool:
    return signature is not None and signature.strip().lower().startswith(SIGNATURE_PREFIX)


def is_legacy(signature: str | None) -> bool:
    """An HMAC-SHA256 of the previous release: exactly 64 hex digits."""
    text = (signature or "").strip().lower()
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def verify(public_key_hex: str, message: bytes, signature: str) -> bool:
    """Whether `signature` is the signature of `message` by the key; False for any malformed one
    and for any degenerate key (domain/public_key), however its row came into the database."""
    text = signature.strip().lower()
    if not text.startswith(SIGNATURE_PREFIX):
        return False
    try:
        raw = bytes.fromhex(text[len(SIGNATURE_PREFIX) :])
        public = bytes.fromhex(public_key_hex)
        if not is_sound_public_key(public):
            return False
        key = Ed25519PublicKey.from_public_bytes(public)
        key.verify(raw, message)
    except (ValueError, InvalidSignature):
        return False
    return True


def legacy_signed_text(
    department: str, fiscal_year: int, database: str, payload_sha256: str
) -> bytes:
    """What the previous release's HMAC covered (data rows only, through their checksum)."""
    fields = (LEGACY_FORMAT, department, str(fiscal_year), database, payload_sha256)
    return "\n".join(fields).encode("utf-8")


def legacy_verify(secret: str, message: bytes, signature: str) -> bool:
    try:
        key = bytes.fromhex(secret)
    except ValueError:
        return False
    expected = hmac.new(key, message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())
