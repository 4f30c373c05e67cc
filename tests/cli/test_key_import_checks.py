"""`kplan key import` registers only a proper public key, for exactly a department of the catalog,
one installation per key; and a degenerate key planted in the database by other means verifies
nothing. Each forged key file is the attacker's own JSON, not one the program wrote."""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kplan_desktop.cli import main
from kplan_desktop.domain.public_key import is_sound_public_key
from tests import seeded
from tests.conftest import dump

pytestmark = pytest.mark.sqlite_only

P = 2**255 - 19


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def fresh_public() -> str:
    key = Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def key_file(folder: Path, department: str, public: str, database: str | None = None) -> Path:
    path = folder / f"{uuid.uuid4().hex}.kplan-key"
    data = {
        "format": "kplan-key/2",
        "database": database or uuid.uuid4().hex,
        "department": department,
        "public_key": public,
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "department", ["nosuchdept", "intl ", "ｅｑｕａｌｉｔｙ", "planning", "Intl"]
)
def test_a_key_for_anything_but_exactly_a_catalog_department_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], department: str
) -> None:
    before = dump(db)
    capsys.readouterr()
    assert run(db, "key", "import", str(key_file(tmp_path, department, fresh_public()))) == 2
    assert "課" in capsys.readouterr().err
    assert dump(db) == before
    # The same key file for a real department is registered.
    assert run(db, "key", "import", str(key_file(tmp_path, "intl", fresh_public()))) == 0


def test_one_public_key_belongs_to_one_installation(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    public = fresh_public()
    assert run(db, "key", "import", str(key_file(tmp_path, "intl", public))) == 0
    before = dump(db)
    for department in ("equality", "intl"):  # another installation, same or other department
        capsys.readouterr()
        assert run(db, "key", "import", str(key_file(tmp_path, department, public))) == 2
        assert "同じ公開鍵" in capsys.readouterr().err
    assert dump(db) == before


def _small_order_encodings() -> list[bytes]:
    """The eight points of order dividing 8, found by the curve's own arithmetic (not a list):
    [L]·Q of points Q of the curve are torsion points; collected until eight differ."""
    from kplan_desktop.domain import public_key as pk

    found: set[tuple[int, int]] = set()
    y = 2
    while len(found) < 8 and y < 200:
        point = pk._decode(y.to_bytes(32, "little"))
        if point is not None:
            found.add(pk._times(point, pk._L))
        y += 1
    assert len(found) == 8
    return [(py | ((px & 1) << 255)).to_bytes(32, "little") for px, py in found]


def test_degenerate_keys_are_refused_at_import_and_verify_nothing_when_planted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = _small_order_encodings()
    assert (b"\x01" + bytes(31)) in small and bytes(32) in small
    non_canonical = [
        (P + 1).to_bytes(32, "little"),  # y = p + 1: the identity spelt again
        (P).to_bytes(32, "little"),  # y = p: (0, 0) spelt again
        (1 | (1 << 255)).to_bytes(32, "little"),  # x = 0 with its sign bit set
    ]
    assert not any(is_sound_public_key(raw) for raw in small + non_canonical)

    community, planning = tmp_path / "c.sqlite3", tmp_path / "p.sqlite3"
    for db in (community, planning):
        seeded.init(db)
    before = dump(planning)
    for raw in small + non_canonical:
        capsys.readouterr()
        assert run(planning, "key", "import", str(key_file(tmp_path, "community", raw.hex()))) == 2
        assert "鍵" in capsys.readouterr().err
    assert dump(planning) == before

    # Planted by plain SQL: the identity key of community's real installation, and a file whose
    # signature is the constant that satisfies the equation for it, its value changed.
    assert (
        run(community, "enter", "--indicator", "7-1-1-K2", "--year", "2024", "--value", "55") == 0
    )
    assert run(community, "evaluate", "--measure", "7-1-1", "--year", "2024", "--grade", "D",
               "--results", "遅れている") == 0  # fmt: skip
    signed = tmp_path / "signed.xlsx"
    assert run(community, "export", "--department", "community", "--year", "2024", "-o",
               str(signed), "--draft") == 0  # fmt: skip
    key = tmp_path / "community.kplan-key"
    assert run(community, "key", "export", "--department", "community", "-o", str(key)) == 0
    assert run(planning, "key", "import", str(key)) == 0
    with closing(sqlite3.connect(planning)) as conn, conn:
        conn.execute(
            "UPDATE signing_key SET public_key = ? WHERE NOT own", ((b"\x01" + bytes(31)).hex(),)
        )
    from tests.cli.test_signing import forge

    forged = forge(signed, tmp_path / "forged.xlsx", data={"value": "999"},
                   meta={"signature": "ed25519:01" + "00" * 63})  # fmt: skip
    before = dump(planning)
    capsys.readouterr()
    assert run(planning, "merge", str(forged)) == 2
    assert "署名" in capsys.readouterr().err
    assert dump(planning) == before
