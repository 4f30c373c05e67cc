"""Output that cannot crash the program (both `kplan-desktop` and `kplan` use it)."""

from __future__ import annotations

import io
import sys


def tolerant_output() -> None:
    """Japanese text must not crash the program where the output cannot take it.

    A Windows program whose output goes to a pipe or file writes in the ANSI code page
    (cp1252 on an English system, as under Wine); a windowed one may have no output at all
    (None). Characters the output cannot encode are written as \\u escapes instead.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
