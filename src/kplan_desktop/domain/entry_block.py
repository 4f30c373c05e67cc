"""A block of typed values checked together, before anything is written (pure).

The window's paste checks the whole block first, asks the clerk for the comments its warned
cells need, and only then writes every accepted and commented cell in one transaction (issue 16
item 1). The store checks every value again when it writes (the same `check_entry`, the same
comment rule below): this check decides what to ask, the store's what is stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kplan_desktop.domain.model import IndicatorSpec, PlanSettings
from kplan_desktop.domain.text import line_breaks
from kplan_desktop.domain.validation import EntryCheck, check_comment, check_entry
from kplan_desktop.domain.values import ParsedValue, canonical


def stored_form(parsed: ParsedValue) -> tuple[str | None, str | None]:
    """The stored (value, missing reason) of a parsed entry: the canonical number, the
    reason's code."""
    value = None if parsed.value is None else canonical(parsed.value)
    reason = None if parsed.missing_reason is None else parsed.missing_reason.value
    return value, reason


def carried_comment(
    given: str | None,
    parsed: ParsedValue | None,
    stored: tuple[str | None, str | None, str | None],
) -> tuple[str | None, bool]:
    """The comment a write stores, and whether the stored one was dropped.

    A comment given is kept (line breaks made LF, blank = none). Without one, the stored
    comment stays while the value stays; a changed value drops it, as a comment explains the
    value it was written for. `stored`: the stored (value, missing reason, comment).
    """
    value, reason, comment = stored
    if given is not None:
        return line_breaks(given).strip() or None, False
    if comment is None or parsed is None:
        return comment, False
    if stored_form(parsed) != (value, reason):
        return None, True
    return comment, False


@dataclass(frozen=True)
class BlockEntry:
    """One cell of a block: the indicator and year, the text typed or pasted, its comment
    (None: none given) and what is stored there now (value, missing reason, comment)."""

    code: str
    fiscal_year: int
    text: str
    comment: str | None
    stored: tuple[str | None, str | None, str | None] = (None, None, None)


@dataclass(frozen=True)
class BlockCheck:
    """One cell's check: its findings, and the comment it would be stored with."""

    entry: BlockEntry
    check: EntryCheck
    comment: str | None

    @property
    def accepted(self) -> bool:
        """No error, and every warning explained by a comment: it can be written as it is."""
        return self.check.can_save(self.comment)

    @property
    def needs_comment(self) -> bool:
        """Held back only by warnings: a comment lets it in."""
        return not self.check.errors and self.check.parsed is not None and not self.accepted


def check_block(
    entries: Sequence[BlockEntry],
    specs: Mapping[str, IndicatorSpec],
    plan: PlanSettings,
    history: Mapping[str, Mapping[int, Decimal]],
) -> list[BlockCheck]:
    """Check every cell of a block against its indicator (`specs`), the plan and the stored
    values of the other years (`history`, by indicator). A later cell sees an earlier accepted
    one of the same indicator as stored, as the store's write does. A cell whose indicator is
    not in `specs` is not checked here (the store refuses it): leave such cells out."""
    known = {code: dict(years) for code, years in history.items()}
    checked: list[BlockCheck] = []
    for entry in entries:
        years = known.setdefault(entry.code, {})
        others = {y: v for y, v in years.items() if y != entry.fiscal_year}
        check = check_entry(entry.text, specs[entry.code], plan, entry.fiscal_year, others)
        problem = check_comment(entry.comment)
        if problem is not None:
            check = EntryCheck(check.parsed, (*check.findings, problem))
        comment, _dropped = carried_comment(entry.comment, check.parsed, entry.stored)
        one = BlockCheck(entry, check, comment)
        checked.append(one)
        parsed = check.parsed
        if one.accepted and parsed is not None:
            if parsed.value is None:
                years.pop(entry.fiscal_year, None)
            else:
                years[entry.fiscal_year] = parsed.value
    return checked
