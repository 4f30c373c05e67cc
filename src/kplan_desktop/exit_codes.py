"""The exit codes of `kplan` and of the window program (kplan-desktop): one definition, used by
every command and by the window's start (ui/app.py). Qt-free and import-free, so the window's
start pays nothing for it."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """What `kplan` and `kplan-desktop` tell the shell (scripts and tests rely on these numbers;
    the self-test's own 10 + step number is kplan_desktop.self_test's)."""

    OK = 0
    """Done (also: nothing needed changing)."""
    ATTENTION = 1
    """Done only in part or not at all, for a person to look at: warnings that need a comment
    (nothing saved), conflicts or rows held back by a merge."""
    ERROR = 2
    """Bad input or any error: one line, Japanese then English; nothing written."""
