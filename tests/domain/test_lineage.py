"""The one decision of which revision wins (domain/lineage.py), for values and evaluations."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kplan_desktop.domain.lineage import Incoming, Lineage, decide
from kplan_desktop.domain.revision import Revision

DEPARTMENT = "dept-origin"
PLANNING = "planning-db"
databases = st.sampled_from(["a" * 32, "b" * 32, DEPARTMENT, PLANNING])
revisions = st.builds(Revision, databases, st.integers(min_value=1, max_value=50))
maybe = st.none() | revisions


def test_a_file_that_replaces_the_stored_revision_updates_it() -> None:
    stored = Revision("a" * 32, 3)
    incoming = Incoming(Revision("a" * 32, 4), replaces=stored)
    assert decide(incoming, stored, origin=DEPARTMENT, here=PLANNING) is Lineage.FOLLOWS


def test_an_older_file_of_the_same_database_is_a_conflict() -> None:
    stored = Revision("a" * 32, 5)
    incoming = Incoming(Revision("a" * 32, 4), replaces=Revision("a" * 32, 3))
    lineage = decide(incoming, stored, origin=DEPARTMENT, here=PLANNING)
    assert lineage is Lineage.OLDER_FILE
    assert not lineage.update


def test_a_value_changed_twice_between_two_files_descends_from_the_merged_one() -> None:
    """Finding 1 of the trial: D:22 merged, then D:30 and D:31 entered before the next file."""
    stored = Revision("a" * 32, 22)
    incoming = Incoming(Revision("a" * 32, 31), replaces=Revision("a" * 32, 30))
    lineage = decide(incoming, stored, origin=DEPARTMENT, here=PLANNING)
    assert lineage is Lineage.DESCENDS and lineage.update
    # Evaluations (no `here`) decide the same.
    assert decide(incoming, stored, origin=DEPARTMENT) is Lineage.DESCENDS


def test_an_equal_but_different_revision_is_an_older_file() -> None:
    stored = Revision("a" * 32, 31)
    incoming = Incoming(Revision("a" * 32, 31), replaces=Revision("a" * 32, 20))
    assert decide(incoming, stored, origin=DEPARTMENT, here=PLANNING) is Lineage.OLDER_FILE


def test_a_later_revision_whose_line_skips_the_stored_one_is_a_fork() -> None:
    """A copy of the database used in two places: a later number that replaces an earlier one
    than the merged value cannot be in one line of history — descent unknown, a conflict."""
    stored = Revision("a" * 32, 28)
    for replaces in (Revision("a" * 32, 12), None, Revision(PLANNING, 40)):
        incoming = Incoming(Revision("a" * 32, 35), replaces=replaces)
        lineage = decide(incoming, stored, origin=DEPARTMENT, here=PLANNING)
        assert lineage is Lineage.FORKED and not lineage.update


def test_a_correction_made_here_is_told_apart_only_when_asked() -> None:
    stored = Revision(PLANNING, 9)
    incoming = Incoming(Revision("a" * 32, 4), replaces=Revision("a" * 32, 3))
    assert decide(incoming, stored, origin=DEPARTMENT, here=PLANNING) is Lineage.CHANGED_HERE
    # Evaluations do not tell it apart: another change.
    assert decide(incoming, stored, origin=DEPARTMENT) is Lineage.ELSEWHERE


def test_a_row_without_revision_updates_only_what_its_own_department_sent() -> None:
    unsigned = Incoming(None, None)
    assert decide(unsigned, Revision(DEPARTMENT, 2), origin=DEPARTMENT) is Lineage.SAME_ORIGIN
    assert decide(unsigned, Revision("b" * 32, 2), origin=DEPARTMENT) is Lineage.ELSEWHERE
    assert decide(unsigned, None, origin=DEPARTMENT) is Lineage.ELSEWHERE


def test_a_file_naming_no_predecessor_follows_a_stored_row_without_revision() -> None:
    incoming = Incoming(Revision("a" * 32, 1), replaces=None)
    assert decide(incoming, None, origin=DEPARTMENT) is Lineage.FOLLOWS


@given(revision=revisions, parent=maybe, origin=databases, here=st.none() | databases)
def test_a_revision_never_loses_to_its_own_parent(
    revision: Revision, parent: Revision | None, origin: str, here: str | None
) -> None:
    """The revision a file's row replaces never beats it, whoever made either."""
    lineage = decide(Incoming(revision, parent), parent, origin=origin, here=here)
    assert lineage is Lineage.FOLLOWS and lineage.update


@given(
    revision=revisions, replaces=maybe, stored=maybe, origin=databases, here=st.none() | databases
)
def test_a_signed_row_updates_exactly_the_revision_it_replaces(
    revision: Revision,
    replaces: Revision | None,
    stored: Revision | None,
    origin: str,
    here: str | None,
) -> None:
    """With a revision, the department's origin plays no part: only the lineage does.

    It updates the revision it replaces, or a revision of the same database that its own line
    runs through (stored < replaces < revision, one database) — and nothing else."""
    lineage = decide(Incoming(revision, replaces), stored, origin=origin, here=here)
    descends = (
        stored is not None
        and replaces is not None
        and stored.database == replaces.database == revision.database != here
        and stored.sequence < replaces.sequence
        and stored.sequence < revision.sequence
    )
    assert lineage.update == (replaces == stored or descends)
    assert lineage is not Lineage.SAME_ORIGIN


@given(replaces=maybe, stored=maybe, origin=databases, here=st.none() | databases)
def test_an_unsigned_row_updates_exactly_its_own_departments_value(
    replaces: Revision | None, stored: Revision | None, origin: str, here: str | None
) -> None:
    """Without a revision, what the row claims to replace is not believed."""
    lineage = decide(Incoming(None, replaces), stored, origin=origin, here=here)
    assert lineage.update == (stored is not None and stored.database == origin)
    assert lineage in (Lineage.SAME_ORIGIN, Lineage.ELSEWHERE)


@given(revision=revisions, replaces=maybe, stored=maybe, origin=databases)
def test_telling_a_local_correction_apart_never_turns_a_conflict_into_an_update(
    revision: Revision, replaces: Revision | None, stored: Revision | None, origin: str
) -> None:
    incoming = Incoming(revision, replaces)
    with_here = decide(incoming, stored, origin=origin, here=PLANNING)
    without = decide(incoming, stored, origin=origin)
    assert not with_here.update or without.update
    # They differ only where this database's own change would otherwise count as a descent.
    if stored is None or stored.database != PLANNING:
        assert with_here.update == without.update
