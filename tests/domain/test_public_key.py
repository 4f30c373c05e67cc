"""domain.public_key: only a canonical key of prime order can vouch for a submission. Checked
against keys made by the `cryptography` package (the program's own signing library) and the
degenerate encodings an attacker would register."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kplan_desktop.domain.public_key import is_sound_public_key

P = 2**255 - 19


def raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def test_every_key_the_signing_library_makes_is_sound() -> None:
    for _ in range(20):
        assert is_sound_public_key(raw(Ed25519PrivateKey.generate().public_key()))


def small_order_points() -> list[bytes]:
    """The identity, (0, -1) and the six other points of order 2, 4 or 8 (RFC 8032's curve)."""
    eight_torsion_y = 0x7A03AC9277FDC74EC6CC392CFA53202A0F67100D760B3CBA4FD84D3D706A17C7
    found = [
        (1).to_bytes(32, "little"),  # the identity
        (P - 1).to_bytes(32, "little"),  # (0, -1), order 2
        (0).to_bytes(32, "little"),  # y = 0: order 4
        ((1 << 255) | 0).to_bytes(32, "little"),  # the other sign of it
        eight_torsion_y.to_bytes(32, "little"),
        ((1 << 255) | eight_torsion_y).to_bytes(32, "little"),
        (P - eight_torsion_y).to_bytes(32, "little"),
        ((1 << 255) | (P - eight_torsion_y)).to_bytes(32, "little"),
    ]
    return found


@pytest.mark.parametrize("point", small_order_points())
def test_points_of_small_order_are_refused(point: bytes) -> None:
    assert not is_sound_public_key(point)


def test_a_non_canonical_spelling_of_a_key_is_refused() -> None:
    # y ≥ p: the same y as y - p, written differently (fits in 255 bits only for y - p < 19).
    for small_y in range(19):
        spelled = (small_y + P).to_bytes(32, "little")
        assert not is_sound_public_key(spelled)
    # x = 0 with the sign bit set: (0, 1) again, written differently.
    assert not is_sound_public_key(((1 << 255) | 1).to_bytes(32, "little"))


def test_a_mixed_order_point_is_refused() -> None:
    """A sound key plus a point of order 2 ((0, -1)): -y of the key's point, which decodes (it
    is on the curve) but is not in the prime-order subgroup."""
    key = raw(Ed25519PrivateKey.generate().public_key())
    number = int.from_bytes(key, "little")
    sign, y = number >> 255, number & ((1 << 255) - 1)
    # (x, y) + (0, -1) = (-x, -y): the x sign flips unless x = 0.
    mixed = ((1 - sign) << 255 | (P - y)).to_bytes(32, "little")
    assert not is_sound_public_key(mixed)


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_a_key_of_the_wrong_size_is_refused(size: int) -> None:
    assert not is_sound_public_key(bytes([9]) * size)
