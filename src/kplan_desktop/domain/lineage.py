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
    # A later revision of the same database whose own history runs through the stored one
    # (stored < replaces < revision, all of one database): the value was changed more than once
    # there between two files. An update.
    DESCENDS = "descends"
    # A row without a trustworthy revision, and the stored one came from the file's own
    # department (its submissions): an update.
    SAME_ORIGIN = "same_origin"
    # The stored one was changed in this database (the planning division's correction).
    CHANGED_HERE = "changed_here"
    # The stored one is another revision of the same database the file's came from: the file is
    # older than what is merged.
    OLDER_FILE = "older_file"
    # Both of the same database, the file's is the later, but its history does not run through
    # the stored one (it replaces an earlier revision, or none): that database's history forked
    # (a copied file used in two places) or cannot be traced. A conflict: descent is not known.
    FORKED = "forked"
    # The stored one came from somewhere else.
    ELSEWHERE = "elsewhere"

    @property
    def update(self) -> bool:
        """The file's row may replace the stored one; otherwise it is a conflict to decide."""
        return self in (Lineage.FOLLOWS, Lineage.DESCENDS, Lineage.SAME_ORIGIN)


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

    Within one database a value's revisions are ordered: the sequence is the audit row's
    number, which only grows (a restore continues above the highest number the database had
    issued, store/backup.py). So a file's revision that replaces a later revision of the same
    database than the stored one descends from it. Anything else between revisions of one
    database is a conflict: an older file, or a history that cannot be joined.
    """
    if incoming.revision is not None:
        if incoming.replaces == stored:
            return Lineage.FOLLOWS
        if stored is not None and here is not None and stored.database == here:
            return Lineage.CHANGED_HERE
        if stored is not None and stored.database == incoming.revision.database:
            if incoming.revision.sequence <= stored.sequence:
                return Lineage.OLDER_FILE
            if _runs_through(incoming, stored):
                return Lineage.DESCENDS
            return Lineage.FORKED
        return Lineage.ELSEWHERE
    if stored is not None and stored.database == origin:
        return Lineage.SAME_ORIGIN
    return Lineage.ELSEWHERE


def _runs_through(incoming: Incoming, stored: Revision) -> bool:
    """The file's row replaces a revision of the stored one's database made after it.

    In one database's linear history, the revision a change replaces is the newest before it;
    the stored revision, older than the file's, is then at or before the replaced one. A
    replaced revision older than the stored one (or none) cannot happen in one line: the
    history forked, and which value descends from which is not known."""
    replaces = incoming.replaces
    return (
        replaces is not None
        and replaces.database == stored.database
        and stored.sequence < replaces.sequence
    )
