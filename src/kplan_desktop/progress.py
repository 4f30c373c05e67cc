"""The one progress / cancel protocol, and a progress bar for the terminal.

Long jobs (reading a file, a merge, an export, a report) are plain functions that take a
`progress(done, total)` callback and a `cancelled()` check; they call check_cancel at their
cancel points, which raises Cancelled (never a partial result). The window's workers pass both
from a Qt job; the CLI passes a TerminalProgress, which draws only on a terminal, so scripts and
tests that capture stderr see no bar.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from typing import ParamSpec, TextIO

Progress = Callable[[int, int], None]


class TerminalProgress:
    """`label [########------] 120/400` on one line, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = self.WIDTH * done // total if total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the bar's line, so the next message starts on its own."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


# -- cancelling ------------------------------------------------------------------------------

CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled a long job; there is no partial result."""


def check_cancel(cancelled: CancelCheck | None) -> None:
    """The one cancel point: raises Cancelled once `cancelled()` says so."""
    if cancelled is not None and cancelled():
        raise Cancelled


_P = ParamSpec("_P")


def false_when_cancelled(job: Callable[_P, bool]) -> Callable[_P, bool]:
    """For a writer whose answer to a cancel is False (and no file): Cancelled, raised at any
    cancel point inside it (its Steps, its own check, a progress callback), becomes False."""

    @functools.wraps(job)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> bool:
        try:
            return job(*args, **kwargs)
        except Cancelled:
            return False

    return run


class Steps:
    """Counts a long job's units of work: every `every` units it reports progress(done, total)
    and is a cancel point (check_cancel); finish() reports the end. Readers, writers and the
    report all count their work with it."""

    def __init__(
        self,
        total: int,
        progress: Progress | None,
        cancelled: CancelCheck | None,
        *,
        every: int = 200,
    ) -> None:
        self.total = total
        self.done = 0
        self.progress = progress
        self.cancelled = cancelled
        self.every = every

    def step(self, units: int = 1) -> None:
        """`units` done; raises Cancelled at a cancel point once the user cancelled."""
        before = self.done
        self.done += units
        if self.done // self.every != before // self.every:
            if self.progress is not None:
                self.progress(self.done, max(self.total, self.done))
            check_cancel(self.cancelled)

    def check(self) -> None:
        """A cancel point between steps (before a save, before a rename)."""
        check_cancel(self.cancelled)

    def finish(self) -> None:
        """The job is done: progress reports it complete."""
        if self.progress is not None:
            end = max(self.total, self.done)
            self.progress(end, end)
