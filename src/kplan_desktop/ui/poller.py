"""Watching a shared server for values others save."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
)

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.actuals import read_actuals
from kplan_desktop.store.audit import last_change
from kplan_desktop.ui.parts import Part, Shared
from kplan_desktop.ui.workers import Job

if TYPE_CHECKING:
    from kplan_desktop.ui.entry_controller import EntryController
    from kplan_desktop.ui.plan_tree import PlanTree


# How often the grid asks a shared server whether someone else saved something (a cheap query).
POLL_MS = 5000


class ChangePoller(Part):
    """On a shared server, values others save appear within POLL_MS."""

    def __init__(self, shared: Shared, entry: EntryController, plan_tree: PlanTree) -> None:
        super().__init__(shared)
        self.entry = entry
        self.plan_tree = plan_tree
        self._last_change: tuple[int, int] | None = None
        self.poll_job: Job | None = None
        self.last_poll_changed = 0
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll_changes)

    def poll_changes(self) -> None:
        """On a shared server: ask, off the UI thread, whether anyone saved something since the
        last look, and if so read the shown values (a server that does not answer never freezes
        the window; it only says so in the status bar)."""
        if not self.is_loaded or self.store is None or self.shared.loading():
            return
        if self.poll_job is not None:
            return
        store, last = self.store, self._last_change
        department = self.plan_tree.shown_department
        generation = self.session.current_generation()

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            with store.snapshot() as conn:
                seen = last_change(conn)
                if seen == last:
                    return seen, None
                return seen, read_actuals(conn, generation, department=department)

        job = Job(work)
        self.poll_job = job
        job.signals.finished.connect(lambda result: self._polled(job, result))
        job.signals.failed.connect(lambda exc: self._poll_failed(job, exc))
        job.start()

    def stop(self) -> None:
        """The window closes: no more looks, and the one under way is forgotten (its answer
        would arrive at widgets that are gone)."""
        self.timer.stop()
        if self.poll_job is not None:
            self.poll_job.cancel()
        self.poll_job = None

    def _current(self, job: Job) -> bool:
        """Whether `job` is the look to answer: the latest, with its window still there."""
        return job is self.poll_job and shiboken6.isValid(self) and shiboken6.isValid(self.status)

    def _polled(self, job: Job, result: tuple[tuple[int, int], list[Any] | None]) -> None:
        if not self._current(job):
            return
        self.poll_job = None
        seen, fresh = result
        self.last_poll_changed = 0
        if fresh is None or self.shared.loading():
            return
        editing = None
        if self.grid.state() == QAbstractItemView.State.EditingState:
            source = self.proxy.mapToSource(self.grid.currentIndex())
            if source.isValid():
                editing = self.model.rows[source.row()].indicator.code
        self.last_poll_changed = self.entry.swap_in(fresh, None, editing)
        self._last_change = seen
        if editing is not None:
            # Look again next time, so the edited row catches up once its editor closes.
            self._last_change = None
        if self.last_poll_changed:
            self.entry.update_status(
                self.tr("ほかの人が変更した {0} 件の指標を表示しました").format(
                    self.last_poll_changed
                )
            )

    def _poll_failed(self, job: Job, exc: object) -> None:
        if not self._current(job):
            return
        self.poll_job = None

        message = exc.message(self.lang) if isinstance(exc, DomainError) else str(exc)
        self.status.setText("✖ " + message)
