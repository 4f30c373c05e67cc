"""One working session's state, without Qt: the database, the plan generation, the department,
the fiscal year, the role, the acting user and the language.

The window holds one (and hands it to its parts); the command line can build one the same way.
Opening the database is deferred to `open()`, so a window paints before SQLAlchemy is imported.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kplan_desktop.store.engine import Store
    from kplan_desktop.store.generations import GenerationRecord


class Role(enum.StrEnum):
    """Who is working: a department entering its values, or the planning division (企画担当課)."""

    DEPARTMENT = "department"
    PLANNING = "planning"


@dataclass
class Session:
    """The session's state. `store` is None until `open()` (or given opened)."""

    department: str | None
    fiscal_year: int
    role: Role = Role.DEPARTMENT
    lang: str = "ja"
    store: Store | None = None
    opener: Callable[[], Store] | None = None
    # The audit log's 'who' when given; else the OS user name, looked up on first use.
    user: str | None = None
    # The plan generation (計画期) the session works in: every store call names it. None until
    # `current_generation()` reads the database's active one (or one is chosen).
    generation: int | None = None
    # The generations this session may choose among, as `settle` last read them.
    shown: list[GenerationRecord] = field(default_factory=list)
    # The year was given on the command line (--year): the first `settle` opens the plan whose
    # period holds it rather than the one remembered, and notes what it did in `year_note`:
    # ("switched", the plan remembered) or ("shared", the plan kept) when two plans hold it.
    year_given: bool = False
    year_note: tuple[str, int] | None = None
    # A plan chosen in the window and not shown yet: the next load reads it, and the session
    # takes it with that grid (Session.adopt), never before.
    chosen: int | None = None

    @classmethod
    def start(
        cls,
        store: Store | Callable[[], Store],
        *,
        department: str | None,
        fiscal_year: int,
        planning: bool = False,
        lang: str = "ja",
        who: str | None = None,
        generation: int | None = None,
    ) -> Session:
        """A session on an open store, or on a factory called by `open()` (in a worker).
        generation: the plan generation to work in (None: the database's active one)."""
        role = Role.PLANNING if planning else Role.DEPARTMENT
        opened = None if callable(store) else store
        opener = store if callable(store) else None
        return cls(department, fiscal_year, role, lang, opened, opener, who, generation)

    @property
    def own_department(self) -> str | None:
        """The department signed in: its year's banners (確定, due date) are its own. None for
        the planning division, whatever department its tree shows."""
        return None if self.role is Role.PLANNING else self.department

    @property
    def who(self) -> str:
        """The acting user, as the audit log names them."""
        if self.user is None:
            from kplan_desktop.store.requests import current_user

            self.user = current_user()
        return self.user

    @property
    def planning(self) -> bool:
        return self.role is Role.PLANNING

    @property
    def english(self) -> bool:
        return self.lang == "en"

    def open(self) -> Store:
        """The store, opened by the factory on first use."""
        if self.store is None:
            if self.opener is None:
                raise RuntimeError("the session has neither a store nor a way to open one")
            self.store = self.opener()
        return self.store

    def current_generation(self) -> int:
        """The generation the session works in: the one chosen, else the database's active
        one (read once, on the opened store)."""
        if self.generation is None:
            from kplan_desktop.store.generations import active_generation

            store = self.store if self.store is not None else self.open()
            with store.connect() as conn:
                self.generation = active_generation(conn)
        return self.generation

    def generation_in(self, conn: Connection) -> int:
        """The generation the session works in, read with the caller's connection when none
        is chosen yet (the database's active one, kept from then on)."""
        if self.generation is None:
            from kplan_desktop.store.generations import active_generation

            self.generation = active_generation(conn)
        return self.generation

    def for_load(self) -> Session:
        """A copy for the window's load to settle off the UI thread, in the plan chosen if one
        was (see adopt)."""
        if self.chosen is None:
            return replace(self)
        return replace(self, generation=self.chosen, chosen=None)

    def adopt(self, settled: Session | None) -> None:
        """Take what `settle` decided on a copy of this session (the window's load settles a
        copy off the UI thread, and the window takes it with the grid it read)."""
        if settled is None:
            return
        self.chosen = None
        if self.store is None:
            self.store = settled.store
        self.generation = settled.generation
        self.fiscal_year = settled.fiscal_year
        self.shown = settled.shown
        self.year_given = settled.year_given
        self.year_note = settled.year_note

    def settle(self, conn: Connection | None = None) -> list[GenerationRecord]:
        """Make the chosen generation one the database shows this role (else the active one)
        and, when one was chosen, move the fiscal year into its period (its nearest year): for
        a start with a remembered choice, and for a switch. Returns the generations this role
        may choose among, oldest first (none before the database holds a catalog); a
        department never sees a draft plan. Read with `conn` when given (the window's load
        reads the grid in the same snapshot), else in a snapshot of its own."""
        from kplan_desktop.domain.generation import GenerationStatus
        from kplan_desktop.store.generations import active_generation, shown_generations

        # A year given with no plan chosen is the user's: outside the plan it is refused (the
        # grid says so), not moved.
        chosen = self.generation is not None
        if conn is None:
            with self.open().snapshot() as own:
                return self.settle(own)
        shown = [
            r
            for r in shown_generations(conn)
            if self.planning or r.status is not GenerationStatus.DRAFT
        ]
        if self.year_given:
            self.year_given = False  # the start only; a switch later moves the year
            chosen = self._plan_of_the_year(shown)
        if self.generation not in {r.number for r in shown}:
            self.generation = active_generation(conn)
        for record in shown:
            if chosen and record.number == self.generation:
                self.fiscal_year = record.generation.nearest_year(self.fiscal_year)
        self.shown = shown
        return shown

    def _plan_of_the_year(self, shown: list[GenerationRecord]) -> bool:
        """Choose the plan whose period holds the year given; False: the year is not moved
        (no plan holds it: the grid says it is outside the plan)."""
        from kplan_desktop.domain.generation import GenerationStatus

        year = self.fiscal_year
        holding = [r for r in shown if r.generation.covers(year)]
        numbers = [r.number for r in holding]
        if len(holding) > 1 and self.generation in numbers:
            self.year_note = ("shared", self.generation)
        elif holding and self.generation not in numbers:
            before = self.generation
            active = [r for r in holding if r.status is GenerationStatus.ACTIVE]
            self.generation = (active or holding)[-1].number
            if before is not None:
                self.year_note = ("switched", before)
        return False
