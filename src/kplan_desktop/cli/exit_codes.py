"""The `kplan` exit codes: one definition, used by every command."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """What `kplan` tells the shell (scripts and tests rely on these numbers)."""

    OK = 0
    """Done (also: nothing needed changing)."""
    ATTENTION = 1
    """Done only in part or not at all, for a person to look at: warnings that need a comment
    (nothing saved), conflicts or rows held back by a merge."""
    ERROR = 2
    """Bad input or any error: one line, Japanese then English; nothing written."""
