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
