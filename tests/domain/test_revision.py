"""domain.revision: a value's revision as written in files and read back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kplan_desktop.domain.revision import Revision

DATABASES = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), min_size=1
)


@given(DATABASES, st.integers(min_value=0, max_value=10**18 - 1))
def test_what_str_writes_parse_reads_back(database: str, sequence: int) -> None:
    revision = Revision(database, sequence)
    assert Revision.parse(str(revision)) == revision


def test_a_database_name_may_hold_a_colon_the_sequence_is_after_the_last() -> None:
    assert Revision.parse("host:5432/kplan:17") == Revision("host:5432/kplan", 17)
    assert Revision.parse("  db-1:3 ") == Revision("db-1", 3)


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_cell_is_no_revision(empty: str | None) -> None:
    assert Revision.parse(empty) is None


@pytest.mark.parametrize(
    "bad", ["db", "db:", ":3", "db:-3", "db:3.0", "db:３", "db:²", "db:x", "db:1234567890123456789"]
)
def test_anything_else_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a revision"):
        Revision.parse(bad)


def test_two_stored_columns_make_a_revision_only_when_both_are_set() -> None:
    assert Revision.of("db", 4) == Revision("db", 4)
    assert Revision.of(None, 4) is None
    assert Revision.of("db", None) is None


def test_revisions_order_by_database_then_number() -> None:
    assert sorted([Revision("b", 1), Revision("a", 10), Revision("a", 2)]) == [
        Revision("a", 2),
        Revision("a", 10),
        Revision("b", 1),
    ]
