"""Which Ed25519 public keys can vouch for anything (standard library only).

A public key is 32 bytes: the y coordinate of a point of the curve and the sign of its x. Some
encodings are degenerate. A point of small order (the identity `01 00…00`, `00…00` (order 4)
and the six others of order 2, 4 and 8) makes the verification equation hold for a fixed,
message-independent signature: `ed25519:01` followed by zeros "verifies" every message under the
identity key. Non-canonical encodings (y ≥ p, or x = 0 with the sign bit set) name the same points
as canonical ones, so a second spelling of a key could be registered as a second installation.

The check is structural, not a list: the encoding must be canonical and decode to a point of the
curve, and that point must lie in the prime-order subgroup — not the identity, and [L]·P must be
the identity (L, the group order). A key the program makes is a·B for the base point B, always in
that subgroup; every small-order point and every point with a small-order component ("mixed
order") fails, because L ≡ 5 (mod 8) leaves a torsion component T as [5]·T ≠ identity.
"""

from __future__ import annotations

import functools

_P = 2**255 - 19
_D = (-121665 * pow(121666, _P - 2, _P)) % _P
_L = 2**252 + 27742317777372353535851937790883648493
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

_Point = tuple[int, int]
_IDENTITY: _Point = (0, 1)


def _add(a: _Point, b: _Point) -> _Point:
    """The complete addition law of the twisted Edwards curve −x² + y² = 1 + d·x²·y²."""
    x1, y1 = a
    x2, y2 = b
    t = _D * x1 * x2 * y1 * y2 % _P
    x3 = (x1 * y2 + y1 * x2) * pow(1 + t, _P - 2, _P) % _P
    y3 = (y1 * y2 + x1 * x2) * pow(1 - t, _P - 2, _P) % _P
    return x3, y3


def _times(point: _Point, scalar: int) -> _Point:
    result = _IDENTITY
    while scalar:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _decode(raw: bytes) -> _Point | None:
    """RFC 8032 §5.1.3 decoding, strict: None for a non-canonical or off-curve encoding."""
    if len(raw) != 32:
        return None
    number = int.from_bytes(raw, "little")
    sign = number >> 255
    y = number & ((1 << 255) - 1)
    if y >= _P:
        return None
    u = (y * y - 1) % _P
    v = (_D * y * y + 1) % _P
    x2 = u * pow(v, _P - 2, _P) % _P
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = _P - x
    return x, y


@functools.lru_cache(maxsize=256)
def is_sound_public_key(raw: bytes) -> bool:
    """Whether `raw` is a canonical encoding of a point of prime order L (see the module)."""
    point = _decode(raw)
    if point is None or point == _IDENTITY:
        return False
    return _times(point, _L) == _IDENTITY
