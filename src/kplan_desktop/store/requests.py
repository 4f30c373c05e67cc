"""What a write asks for and what it got: plain types, importable without the database layer.

The window imports these at start-up; SQLAlchemy loads only when the store is first used.
"""

from __future__ import annotations

import enum
import getpass
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from kplan_desktop.domain.errors import CONFLICT, DomainError
from kplan_desktop.domain.revision import Revision
from kplan_desktop.domain.validation import EntryCheck, Finding, Severity


def current_user() -> str:
    """The OS user name, as the audit log's 'who'."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


@dataclass(frozen=True, slots=True)
class EntryRequest:
    """One value to write, as typed. comment=None keeps the comment already stored.

    The rest serves merges and shared databases: a merged value keeps the `revision` it was made
    with (else it gets a new one of this database, or of `origin`), the `replaces` lineage and
    who entered it when. With `check_expected`, the write is refused unless the stored value's
    revision is still `expected` (None: nothing stored): no update is lost.
    """

    indicator_code: str
    fiscal_year: int
    text: str
    comment: str | None = None
    revision: Revision | None = None
    origin: str | None = None
    replaces: Revision | None = None
    expected: Revision | None = None
    check_expected: bool = False
    entered_by: str | None = None
    entered_at: datetime | None = None


class EntrySource(enum.StrEnum):
    """Where a write comes from, as the audit log records it (its `source` column; the shared
    server's write functions accept gui, cli and test)."""

    GUI = "gui"
    CLI = "cli"
    MERGE = "merge"
    CATALOG = "catalog"
    TEST = "test"


class Outcome(enum.Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CLEARED = "cleared"
    REFUSED = "refused"


class State(NamedTuple):
    """What one value's row holds: the value as stored text, the reason it is missing, the
    comment (all None: no row)."""

    value: str | None
    missing_reason: str | None
    comment: str | None


EMPTY = State(None, None, None)


@dataclass(frozen=True, slots=True)
class EntryResult:
    """What happened to one request: the check, the outcome, the state before and after."""

    request: EntryRequest
    check: EntryCheck
    outcome: Outcome
    old: State = EMPTY
    new: State = EMPTY

    @property
    def conflict(self) -> bool:
        """Refused because the stored value changed since the change was based on it."""
        return any(f.code == CONFLICT for f in self.check.errors)

    @property
    def only_conflict(self) -> bool:
        """Refused for that reason alone: asking which value to keep settles it."""
        return bool(self.check.errors) and all(f.code == CONFLICT for f in self.check.errors)

    @property
    def refused_because(self) -> tuple[Finding, ...]:
        if self.outcome is not Outcome.REFUSED:
            return ()
        if self.check.errors:
            return self.check.errors
        return (comment_required(),)


def comment_required() -> Finding:
    return Finding(
        "E_COMMENT_REQUIRED",
        Severity.ERROR,
        "警告がある値はコメント（理由）が必要です。保存していません",
        "A value with warnings needs a comment explaining it; nothing was saved",
    )


class EntryRefused(DomainError):
    """A batch was refused as a whole; `results` says why for every request."""

    def __init__(self, results: Sequence[EntryResult]) -> None:
        refused = [r for r in results if r.outcome is Outcome.REFUSED]
        first = refused[0].refused_because[0] if refused else comment_required()
        only_warnings = all(not r.check.errors for r in refused)
        code = "E_COMMENT_REQUIRED" if only_warnings else "E_VALIDATION"
        super().__init__(code, first.message_ja, first.message_en)
        self.results = list(results)
        self.only_warnings = only_warnings

    @property
    def conflict(self) -> bool:
        """One of the values was changed by someone else since the batch was based on it."""
        return any(r.conflict for r in self.results)


class EntryConflict(EntryRefused):
    """A batch refused because a value it was based on was changed by someone else since: the
    conflict is its own type (a caller catches it to ask which value to keep), never a code
    compared as a string. Still an EntryRefused: nothing of the batch was written."""


def refusal(results: Sequence[EntryResult]) -> EntryRefused:
    """What a refused batch raises: EntryConflict when one of its values met someone else's
    change, else EntryRefused."""
    return EntryConflict(results) if any(r.conflict for r in results) else EntryRefused(results)
