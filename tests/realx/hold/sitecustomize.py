"""Imported by the program under test when this folder is on its PYTHONPATH: with
KPLAN_TEST_HOLD naming a file, the first rows of the planning grid are shown from 5 rows up
(the seed's 25 stand in for a big catalog) and the whole grid's read waits until that file
exists, so that a test types into the first rows with real key presses (test_first_rows_x)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

_RELEASE = os.environ.get("KPLAN_TEST_HOLD")

if _RELEASE:
    from kplan_desktop.ui.models import cells

    cells.FIRST_SCREEN_FROM = 5
    cells.FIRST_ROWS = 3
    _read = cells.load_grid

    def _held(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("measures") is None:
            deadline = time.monotonic() + 60
            while not Path(str(_RELEASE)).exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        return _read(*args, **kwargs)

    cells.load_grid = _held
