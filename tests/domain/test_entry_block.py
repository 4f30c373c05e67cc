"""A block checked before it is written (the window's paste, issue 16 item 1): pure."""

from __future__ import annotations

from decimal import Decimal

from kplan_desktop.domain.entry_block import BlockEntry, carried_comment, check_block
from kplan_desktop.domain.model import IndicatorSpec, PlanSettings, ValueKind
from kplan_desktop.domain.values import parse_value

PLAN = PlanSettings(start_year=2022, end_year=2026, baseline_year=2020)
PEOPLE = IndicatorSpec("B-01", "人", ValueKind.COUNT)


def test_each_cell_is_accepted_needs_a_comment_or_is_refused() -> None:
    checked = check_block(
        [
            BlockEntry("B-01", 2023, "120", None),  # +20 % on 100: accepted
            BlockEntry("B-01", 2024, "400", None),  # +233 % on 120 (the cell before): warned
            BlockEntry("B-01", 2025, "abc", None),  # not a number: refused
            BlockEntry("B-01", 2026, "150", "理由"),  # warned (on 120), explained: accepted
        ],
        {"B-01": PEOPLE},
        PLAN,
        {"B-01": {2022: Decimal(100)}},
    )
    assert [(c.accepted, c.needs_comment) for c in checked] == [
        (True, False),
        (False, True),
        (False, False),
        (True, False),
    ]
    # The warned cell was judged against the accepted one before it, as the write will be.
    assert [f.code for f in checked[1].check.warnings] == ["W_YOY_CHANGE"]
    assert checked[3].comment == "理由"


def test_a_stored_comment_stays_with_its_value_and_goes_with_a_new_one() -> None:
    stored = ("150", None, "行事が増えた")
    same, other = parse_value("150人", PEOPLE), parse_value("160", PEOPLE)
    assert carried_comment(None, same, stored) == ("行事が増えた", False)
    assert carried_comment(None, other, stored) == (None, True)
    assert carried_comment("新しい理由\r\n", other, stored) == ("新しい理由", False)
    assert carried_comment("  ", other, stored) == (None, False)
    # A warned value equal to the stored one keeps its comment: accepted, nothing to ask.
    (kept,) = check_block(
        [BlockEntry("B-01", 2023, "400", None, ("400", None, "行事が増えた"))],
        {"B-01": PEOPLE},
        PLAN,
        {"B-01": {2022: Decimal(100), 2023: Decimal(400)}},
    )
    assert kept.check.warnings and kept.accepted and kept.comment == "行事が増えた"
