"""The plan generation a file names: one rule for every file the program reads.

Every submission, template and catalog file names its plan generation (計画期) by number in one
cell (or one JSON field). A file made before generations existed names none: it belongs to the
first generation, the one every database held then. A generation cell that is there must hold
a plain positive whole number (1, 2, …): text such as 第2期, 0, -1, 1.5, a formula or an absurd
number is refused, never guessed at — a file read into the wrong plan would put its values
under another plan's indicator codes.
"""

from __future__ import annotations

from collections.abc import Iterable

# What a file without a generation cell (made by the release before generations) belongs to.
FIRST_GENERATION = 1
# A city revises its basic plan every four or five years; three digits last for centuries.
MAX_GENERATION = 999

E_GENERATION_CELL = "E_GENERATION_CELL"
E_GENERATION_UNKNOWN = "E_GENERATION_UNKNOWN"


def generation_number(value: object) -> int | None:
    """The generation a cell's value names, or None when it is not a plain positive whole
    number up to MAX_GENERATION: an int, or text of ASCII digits without a leading zero
    (surrounding spaces allowed). A bool, a float (1.0 included: a number typed as 1 is stored
    as 1), full-width digits, a sign or anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_GENERATION else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > len(str(MAX_GENERATION)):
        return None
    if not (text.isascii() and text.isdigit()) or text.startswith("0"):
        return None
    return int(text)


def shown(value: object) -> str:
    """A refused cell's value as a message quotes it (short, on one line)."""
    if value is None:
        return "空"
    text = " ".join(str(value).split())
    return text[:30] + ("…" if len(text) > 30 else "")


def generation_cell_problem(place_ja: str, place_en: str, value: object) -> tuple[str, str]:
    """Why a generation cell is refused (Japanese, English), naming the cell."""
    quoted = shown(value)
    quoted_en = "empty" if value is None else repr(quoted)
    return (
        f"{place_ja} の計画期（generation）「{quoted}」が読めません"
        f"（1〜{MAX_GENERATION} の整数だけが使えます）",
        f"{place_en}: the plan generation {quoted_en} cannot be read "
        f"(only a whole number from 1 to {MAX_GENERATION})",
    )


def unknown_generation_problem(
    place_ja: str, place_en: str, number: int, held: Iterable[int]
) -> tuple[str, str]:
    """Why a file of a generation this database does not hold is refused (Japanese, English)."""
    known = sorted(held)
    listed_ja = "、".join(f"第{n}期" for n in known) or "なし"
    listed_en = ", ".join(str(n) for n in known) or "none"
    where_ja = f"（{place_ja}）" if place_ja else ""
    where_en = f" ({place_en})" if place_en else ""
    return (
        f"このファイルは第{number}期の計画のものです{where_ja}が、このデータベースにはその計画期"
        f"がありません（あるのは {listed_ja}）。何も取り込みません",
        f"the file belongs to plan generation {number}{where_en}, which this database does not "
        f"hold (it holds: {listed_en}); nothing is read in",
    )
