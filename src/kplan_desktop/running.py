"""The mark a running program leaves for its installer: a named Windows mutex.

The installer and the uninstaller (resources/installer/kplan-desktop.nsi, like Inno Setup's
AppMutex) open this mutex by name; while it exists they refuse to replace or remove the program
(silent: exit code 32, nothing changed; interactive: the user closes the program and retries).
Two names: this session's and every session's (another user of the same PC, a machine-wide
install). Windows drops the mutex when the process ends, however it ends.
"""

from __future__ import annotations

import sys

MUTEX = "kplan-desktop-running"
NAMES = (MUTEX, "Global\\" + MUTEX)


class RunningMark:
    """Holds the mutex handles for as long as the object lives (the program's life)."""

    def __init__(self, handles: list[int]) -> None:
        self.handles = handles

    def __bool__(self) -> bool:
        return bool(self.handles)


def hold_running_mark() -> RunningMark:
    """Create the named mutexes (Windows); elsewhere nothing (no installer to warn)."""
    handles: list[int] = []
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        create = ctypes.windll.kernel32.CreateMutexW
        create.argtypes = (ctypes.c_void_p, wintypes.BOOL, wintypes.LPCWSTR)
        create.restype = wintypes.HANDLE
        for name in NAMES:
            handle = create(None, False, name)
            if handle:  # Global\ may be refused by policy: this session's name still holds
                handles.append(int(handle))
    return RunningMark(handles)
