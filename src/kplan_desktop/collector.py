"""The cyclic garbage collector and the window's big reads (issue 20).

Reading a grid of 20,000 indicators makes some 500,000 small objects (indicators, values,
their checks) that live as long as the window shows them and hold no reference cycles: they are
freed by reference counting alone. Left running, the collector rescans all of them each time its
oldest generation grows by a quarter. That doubled the read, and each full pass held the
interpreter lock 30–300 ms, so the window, waiting for the lock, stood still (the longest
UI-thread block of bench/bench_window.py). The merge's own batch rule (collect once at the end,
as its plans are dropped) is exchange.merge.planning_batch.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def lasting_objects() -> Iterator[None]:
    """Pause the collector while objects that will live long are built; then freeze them.

    gc.freeze() moves every object the collector tracks into its permanent generation, which
    later passes skip: no full pass over the grid at the end, nor at each later entry. A frozen
    object is still freed by reference counting when the grid is read again; only cyclic
    garbage not yet collected when a read ends stays (a window reads its grid a few times a
    session). Nested or concurrent uses leave the collector as the outermost one found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


# -- the start of the window -----------------------------------------------------------------

_paused_for_start = False


def pause_for_start() -> None:
    """Pause the collector from the program's first line until its window has loaded.

    Starting, the program imports the modules of Qt, SQLAlchemy and its own, whose classes,
    functions and tables live as long as the process: the collector's passes over them (about
    150, one of them full) cost 70–80 ms of the time to a filled grid on a 2-core machine and
    found 565 objects of garbage at the end. `started` freezes what the start made, so later
    passes skip it too (the same trade as `lasting_objects`).

    Only at the start of a process: where Qt is loaded already (main() called by a test, in a
    process that has made and dropped windows before), freezing would keep that process's
    uncollected garbage for good.
    """
    global _paused_for_start
    if gc.isenabled() and "PySide6.QtCore" not in sys.modules:
        gc.disable()
        _paused_for_start = True


def started() -> None:
    """The window has loaded (or failed to, or the program ends): the collector runs again.
    Safe to call more than once; does nothing unless `pause_for_start` paused it."""
    global _paused_for_start
    if _paused_for_start:
        _paused_for_start = False
        gc.freeze()
        gc.enable()
