"""The merge's types: a planned row, a file's plan, the trust a signature gives, the context."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kplan_desktop.domain.catalog_diff import CatalogVersion
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.generation_number import FIRST_GENERATION
from kplan_desktop.domain.validation import Finding
from kplan_desktop.exchange.evaluation_exchange import (
    PlannedEvaluation,
)
from kplan_desktop.exchange.payload import (
    RowOutcome,
)
from kplan_desktop.exchange.workbook_reader import (
    IncomingRow,
    IncomingWorkbook,
)
from kplan_desktop.store.actuals import (
    EntryRequest,
    EntryResult,
)
from kplan_desktop.store.catalog import CatalogSnapshot

Take = Literal["file", "db"]
Key = tuple[str, int]

KIND_OF = {"verified": "submission", "resaved": "resaved", "edited": "edited"}


class Trust(enum.Enum):
    """How far a file's own claims are believed once its signature has been checked."""

    AS_READ = "as_read"  # the reader's verdict stands (verified, resaved, edited, template)
    NO_EVALUATIONS = "no_evaluations"  # a previous-release signature: evaluations not covered
    NONE = "none"  # accepted without a valid signature: every differing value is a conflict


# slots: a merge holds one per row of every file, and the collector scans them twice as fast.
@dataclass(slots=True)
class PlannedRow:
    """One row of the file with the outcome the merge would give it."""

    incoming: IncomingRow
    outcome: RowOutcome
    reason_ja: str = ""
    reason_en: str = ""
    request: EntryRequest | None = None  # what would be written (for a conflict: the file's)
    result: EntryResult | None = None  # the write path's check of `request` (a dry run)
    file_value: str | None = None
    db_value: str | None = None
    # Rejected only because its fiscal year is locked: the file's other rows still merge.
    only_locked: bool = False

    @property
    def key(self) -> Key | None:
        year = self.incoming.fiscal_year
        return None if year is None else (self.incoming.indicator, year)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The entry rules' warnings on the value that the file's comment does not explain.

        The same rule as the window's: a warning needs a comment (EntryCheck.can_save).
        """
        if self.result is None or self.request is None:
            return ()
        if (self.request.comment or "").strip():
            return ()
        return self.result.check.warnings


@dataclass
class MergePlan:
    """A file read and every row decided; nothing written yet."""

    path: Path
    workbook: IncomingWorkbook
    kind: str
    rows: list[PlannedRow]
    already_received: bool
    notes_ja: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)
    evaluations: list[PlannedEvaluation] = field(default_factory=list)
    trust: Trust = Trust.AS_READ
    # Each row's indicator's unit, to show a stored value as the database keeps it (341.2万人).
    units: Mapping[str, str] = field(default_factory=dict)
    # The plan generation the file was routed to (the one it names): its rows are written there.
    generation: int = FIRST_GENERATION

    @property
    def evaluations_trusted(self) -> bool:
        w = self.workbook
        return w.integrity in ("verified", "resaved") and w.evaluations_verified

    def count(self, outcome: RowOutcome) -> int:
        return sum(1 for row in self.rows if row.outcome is outcome)

    @property
    def conflicts(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.outcome is RowOutcome.CONFLICT]

    @property
    def warned(self) -> list[PlannedRow]:
        """Rows that would be written (or may be, for a conflict) with unexplained warnings."""
        return [row for row in self.rows if row.outcome in _WRITABLE and row.warnings]


_WRITABLE = (RowOutcome.NEW, RowOutcome.UPDATED, RowOutcome.CONFLICT)


class MergeChanged(DomainError):
    """The database changed between the preview and the write; nothing was written."""


@dataclass(frozen=True)
class MergeContext:
    """What every file of one merge session compares against; read once, not per file.

    A file is checked against the catalog of the plan generation it names (catalog_of): one
    merge routes a file of the old plan and a file of the new one each to its own."""

    catalog: CatalogSnapshot  # the catalog of `generation`
    database: str
    # The catalog versions this database has held, by hash: a file's catalog is named by its
    # number and date (第3版（2026-04-01）), which people know, never by its hash.
    versions: Mapping[str, CatalogVersion] = field(default_factory=dict)
    generation: int = FIRST_GENERATION
    # Every generation the database holds, with its catalog (exchange.generations).
    catalogs: Mapping[int, CatalogSnapshot] = field(default_factory=dict)

    def catalog_of(self, generation: int) -> CatalogSnapshot | None:
        """The catalog of a generation the database holds; None for any other."""
        if generation == self.generation:
            return self.catalog
        return self.catalogs.get(generation)

    @property
    def held(self) -> tuple[int, ...]:
        return tuple(sorted({self.generation, *self.catalogs}))
