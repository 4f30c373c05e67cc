"""The `kplan` command: thin wrappers over the store and the exchange formats, one module per
command family (each registers its own sub-commands).

Exit codes (`exit_codes.Exit`): 0 done; 1 warnings that need a comment, conflicts or held rows
(not all saved); 2 bad input or any error (one line, Japanese then English; nothing written).
"""

from kplan_desktop.cli.entry import build_parser, main

__all__ = ["build_parser", "main"]
