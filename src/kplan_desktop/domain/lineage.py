"""Which revision wins when a file brings a value or an evaluation the database already holds.

One decision for the merge of values (exchange/merge.py) and of evaluations
(exchange/evaluation_exchange.py): read what is stored, decide here, write what was decided.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kplan_desktop.domain.revision import Revision


class Lineage(enum.Enum):
    """How a file's row stands to the stored one (both present and different)."""

    # The file's revision replaces exactly the stored one: an update.
    FOLLOWS = "follows"
    # A row without a trustworthy revision, and the stored one came from the file's own
    # department (its submissions): an update.
    SAME_ORIGIN = "same_origin"
    # The stored one was changed in this database (the planning division's correction).
    CHANGED_HERE = "changed_here"
    # The stored one is another revision of the same database the file's came from: the file is
    # older than what is merged.
    OLDER_FILE = "older_file"
    # The stored one came from somewhere else.
    ELSEWHERE = "elsewhere"

    @property
    def update(self) -> bool:
        """The file's row may replace the stored one; otherwise it is a conflict to decide."""
        return self in (Lineage.FOLLOWS, Lineage.SAME_ORIGIN)


@dataclass(frozen=True)
class Incoming:
    """What a file says about its row's history: its revision and the one it replaces.

    `revision` is None for a row whose revision cannot be trusted or is absent (a template, a
    file edited outside the program, an unsigned evaluation)."""

    revision: Revision | None
    replaces: Revision | None


def decide(
    incoming: Incoming, stored: Revision | None, *, origin: str, here: str | None = None
) -> Lineage:
    """The lineage of a file's row against the stored row's revision.

    origin: the database id that stands for the file's department (its submissions).
    here: this database's id, when a change made here is told apart from any other
    (values tell it; evaluations do not, and say ELSEWHERE for it).
    """
    if incoming.revision is not None:
        if incoming.replaces == stored:
            return Lineage.FOLLOWS
        if stored is not None and here is not None and stored.database == here:
            return Lineage.CHANGED_HERE
        if stored is not None and stored.database == incoming.revision.database:
            return Lineage.OLDER_FILE
        return Lineage.ELSEWHERE
    if stored is not None and stored.database == origin:
        return Lineage.SAME_ORIGIN
    return Lineage.ELSEWHERE
