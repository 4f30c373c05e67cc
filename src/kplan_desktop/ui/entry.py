"""Writing values from the window: undoable commands over the store's one write function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtGui import QUndoCommand

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.store.actuals import read_actuals, write_actuals
from kplan_desktop.store.audit import REDO_DETAIL, UNDO_DETAIL
from kplan_desktop.store.requests import (
    EntryConflict,
    EntryRefused,
    EntryRequest,
    EntryResult,
    EntrySource,
    State,
    current_user,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kplan_desktop.store.actuals import ActualView
    from kplan_desktop.store.engine import Store

# A write's results and the values of its indicators read back in the same transaction (None:
# not read, the write was refused).
Written: TypeAlias = "tuple[list[EntryResult], list[ActualView] | None]"


def write_and_read(
    conn: Connection,
    generation: int,
    requests: list[EntryRequest],
    key: str,
    *,
    detail: str | None = None,
    all_or_nothing: bool = True,
) -> Written:
    """Write typed values of one plan generation and read their indicators back: one
    transaction, one frame (the window's entry, an undo, a redo, a paste).
    all_or_nothing=False (a paste): the accepted values are written and the refused ones come
    back REFUSED (see write_actuals)."""

    results = write_actuals(
        conn,
        generation,
        requests,
        who=current_user(),
        source=EntrySource.GUI,
        request_key=key,
        detail=detail,
        all_or_nothing=all_or_nothing,
    )
    codes = {r.request.indicator_code for r in results}
    return results, read_actuals(conn, generation, indicator_codes=codes)


def state_text(state: State) -> str:
    """A stored state as text the parser reads back to the same state ('' clears)."""
    if state.value is not None:
        return state.value
    if state.missing_reason is not None:
        return MissingReason(state.missing_reason).label_ja
    return ""


class EntryCommand(QUndoCommand):
    """One edit, paste or clear: redo writes the new values, undo writes the old ones back.

    Both directions go through write_actuals, so each is its own change in the audit log.
    """

    def __init__(
        self,
        store: Store,
        generation: int,
        results: Sequence[EntryResult],
        label: str,
        on_done: Callable[[list[EntryResult], list[ActualView] | None], None],
        on_error: Callable[[DomainError], None] | None = None,
        *,
        applied: Written | None = None,
    ) -> None:
        super().__init__(label)
        self._store = store
        # The generation the edit was made in: undo and redo write there, whatever is shown.
        self._generation = generation
        self._on_error = on_error
        # `applied`: the first write is done already (the window's entry writes at once).
        self._applied: Written | None = applied
        # The first write names the revisions the clerk saw (a conflict refuses it); undo and
        # redo are deliberate steps over the clerk's own change and name none.
        self._first = [
            EntryRequest(
                r.request.indicator_code,
                r.request.fiscal_year,
                state_text(r.new),
                r.new.comment or "",
                expected=r.request.expected,
                check_expected=r.request.check_expected,
            )
            for r in results
        ]
        self._forward = [
            EntryRequest(
                r.request.indicator_code,
                r.request.fiscal_year,
                state_text(r.new),
                r.new.comment or "",
            )
            for r in results
        ]
        self._backward = [
            EntryRequest(
                r.request.indicator_code,
                r.request.fiscal_year,
                state_text(r.old),
                r.old.comment or "",
            )
            for r in reversed(results)
        ]
        self._on_done = on_done

    def apply(self) -> None:
        """The first write, before the command joins the stack; DomainError if it fails.

        A write the database could not take (disk full, read-only) must not leave a command on
        the undo stack that never happened.
        """
        if self._applied is not None:
            return
        try:
            self._applied = self._store.write(
                lambda conn, key: write_and_read(conn, self._generation, self._first, key)
            )
        except EntryConflict:
            raise
        except EntryRefused as exc:
            self._applied = exc.results, None

    def redo(self) -> None:
        if self._applied is not None:
            applied, self._applied = self._applied, None
            self._on_done(*applied)
            return
        self._on_done(*self._write(self._forward, REDO_DETAIL))

    def undo(self) -> None:
        self._on_done(*self._write(self._backward, UNDO_DETAIL))

    def _write(self, requests: list[EntryRequest], detail: str) -> Written:
        """Write an undo or a redo; its audit rows say which (their detail)."""
        try:
            return self._store.write(
                lambda conn, key: write_and_read(
                    conn, self._generation, requests, key, detail=detail
                )
            )
        except EntryRefused as exc:
            # A state valid when written can be refused later (its history changed since).
            return exc.results, None
        except DomainError as exc:
            if self._on_error is not None:
                self._on_error(exc)
            return [], []
