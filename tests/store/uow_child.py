"""The child of the unit-of-work tests: one use case, killed (os._exit) at a chosen step.

    python -m tests.store.uow_child DB catalog FILE DIE   # install a catalog file
    python -m tests.store.uow_child DB merge FILE DIE     # merge one submission file

DIE "yes" ends the process without a word in the middle of the use case's transaction: for the
catalog, after the catalog is written and before its fiscal years are; for the merge, after the
values, evaluations and the file's record are written and before the merge report is. Nothing
is committed or rolled back by the program: the database itself must keep the use case whole.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from kplan_desktop.store.requests import EntrySource

KILLED = 17


def _die(*_args: Any, **_kwargs: Any) -> Any:
    sys.stdout.flush()
    os._exit(KILLED)


def main(argv: list[str]) -> int:
    database, use_case, file, die = argv
    from kplan_desktop.store.engine import Store

    store = Store.open(database)
    if use_case == "catalog":
        import kplan_desktop.exchange.catalog_files
        from kplan_desktop.exchange.catalog_files import install_catalog, read_catalog_file

        if die == "yes":
            # catalog_files' own name for the store's function (what install_catalog calls
            # after replacing the catalog).
            vars(kplan_desktop.exchange.catalog_files)["receive_cycles"] = _die
        issued = read_catalog_file(Path(file))
        with store.transaction() as conn:
            install_catalog(conn, issued, who="uow", source=EntrySource.CATALOG, detail="uow test")
        return 0
    if use_case == "merge":
        import kplan_desktop.exchange.merge
        from kplan_desktop.exchange.merge import merge_files

        if die == "yes":
            # merge.py's own name for the store's function (what merge_files calls).
            vars(kplan_desktop.exchange.merge)["save_report"] = _die
        (outcome,) = merge_files(store, [file], who="uow")
        return 1 if isinstance(outcome, Exception) else 0
    raise SystemExit(f"unknown use case {use_case!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
