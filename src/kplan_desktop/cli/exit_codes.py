"""The `kplan` exit codes, as the command families import them: kplan_desktop.exit_codes."""

from __future__ import annotations

from kplan_desktop.exit_codes import Exit

__all__ = ["Exit"]
