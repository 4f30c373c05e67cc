"""Revisions: which database made a change to a value, and its change number there."""

from __future__ import annotations

from dataclasses import dataclass


# slots: a merge holds one per row of every file, and the collector scans them twice as fast.
@dataclass(frozen=True, order=True, slots=True)
class Revision:
    """One change of one value: the database that made it and its change number there.

    A value keeps its revision wherever it is merged, so a later file can say which value it
    replaces, and the merge can tell an update from a conflict.
    """

    database: str
    sequence: int

    def __str__(self) -> str:
        return f"{self.database}:{self.sequence}"

    @classmethod
    def of(cls, database: str | None, sequence: int | None) -> Revision | None:
        """The revision stored as two columns; None when either is empty."""
        return None if database is None or sequence is None else cls(database, sequence)

    @classmethod
    def parse(cls, text: str | None) -> Revision | None:
        """`database:sequence` as written by str(); None for an empty cell. ValueError if bad."""
        if text is None or not str(text).strip():
            return None
        database, sep, sequence = str(text).strip().rpartition(":")
        # ASCII digits only: str() writes them, and "３" or "²" would be a second spelling.
        digits = sequence.isascii() and sequence.isdigit()
        if not sep or not database or not digits or len(sequence) > 18:
            raise ValueError(f"not a revision: {str(text)[:60]!r}")
        return cls(database, int(sequence))
