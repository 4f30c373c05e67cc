"""Is a SQLite file on a network location? Then no WAL.

SQLite's WAL mode needs shared memory between every process using the file, which a network
file system (an SMB share: `\\\\server\\share\\…`, or a mapped drive) does not give: two PCs in
WAL mode on one shared file can corrupt it (sqlite.org/wal.html, "WAL does not work over a
network filesystem"). On such a location the store uses the rollback journal (DELETE), which
relies on file locks only; still only for a few users at once (docs/packaging.md): the shared
server (PostgreSQL) is the way for a whole city hall.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import PureWindowsPath

DRIVE_REMOTE = 4  # GetDriveTypeW's answer for a network drive


def is_unc(path: str) -> bool:
    r"""`\\server\share\…` (or `//server/share/…`): a network path by its very form.

    `\\?\C:\…` and `\\.\…` are the long-path and device forms of local paths; `\\?\UNC\…` is
    a network one.
    """
    text = path.replace("/", "\\")
    if text.upper().startswith("\\\\?\\UNC\\"):
        return True
    if text.startswith(("\\\\?\\", "\\\\.\\")):
        return False
    return text.startswith("\\\\") and bool(PureWindowsPath(text).drive)


def drive_root(path: str) -> str | None:
    r"""`C:\` for `C:\data\kplan.sqlite3` (what GetDriveTypeW asks about); None without one."""
    drive = PureWindowsPath(path.replace("/", "\\")).drive
    if len(drive) == 2 and drive[1] == ":":
        return drive.upper() + "\\"
    return None


def drive_type(root: str) -> int:
    """GetDriveTypeW on Windows; 0 (unknown) elsewhere."""
    if sys.platform == "win32":
        import ctypes

        get = ctypes.windll.kernel32.GetDriveTypeW
        get.argtypes = (ctypes.c_wchar_p,)
        get.restype = ctypes.c_uint
        return int(get(root))
    return 0


def on_network(path: str, kind_of_drive: Callable[[str], int] | None = None) -> bool:
    """A UNC path, or a path on a drive Windows reports as DRIVE_REMOTE (a mapped share).

    `kind_of_drive` (root → GetDriveTypeW's answer) replaces the system call in tests.
    """
    if is_unc(path):
        return True
    root = drive_root(path)
    if root is None:
        return False
    return (kind_of_drive or drive_type)(root) == DRIVE_REMOTE
