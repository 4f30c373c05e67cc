"""Keep PySide6 from reading the source of every module imported after it.

Once PySide6.QtCore is imported, its own `__import__` hands each newly imported module to
`PySide6.support.feature.feature_imported`, which reads the module's whole source file
(`inspect.getsource`) to decide whether the module could use `from __feature__ import
snake_case` (PySide's opt-in renaming; see napari/napari#8584, "the PySide6 __feature__
startup tax"). The window imports SQLAlchemy and the store after its first paint: about 120
modules go through the scan, among them SQLAlchemy's largest files, read for nothing. Measured
on a 2-core machine: 36–48 ms of the window's start (the scan timed inside the real start),
and 0.66 s against 0.49 s to import the store and the grid's modules alone (medians of five
processes each).

kplan-desktop never uses `__feature__`, so the answer is known from the module's name: ours
under `kplan_desktop.ui` use PySide6, nothing else does. The scan's answer only picks which
feature set (snake_case and the like) a module sees; with no feature ever switched on, every
module sees the same one either way.
"""

from __future__ import annotations

import sys
from types import ModuleType

_USES_QT = ("kplan_desktop.ui", "PySide6", "shiboken6")


def _uses_qt(module: ModuleType) -> bool:
    name = getattr(module, "__name__", "")
    return isinstance(name, str) and name.startswith(_USES_QT)


def skip_source_scan() -> bool:
    """Answer PySide6's question by the module's name instead of its source; False (and nothing
    changed) where this PySide6 has no such scan."""
    feature = sys.modules.get("PySide6.support.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _uses_qt  # type: ignore[attr-defined]
    return True
