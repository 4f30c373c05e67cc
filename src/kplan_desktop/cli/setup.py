"""`kplan init`: create the database, migrate it and load the seed catalog (or another city's)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import SubParsers, runs
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.exchange.catalog_files import read_catalog_file
from kplan_desktop.exchange.seed import init_catalog
from kplan_desktop.store.audit import current_user
from kplan_desktop.store.catalog import indicator_count
from kplan_desktop.store.generations import active_generation
from kplan_desktop.store.requests import EntrySource

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


def register(sub: SubParsers) -> None:
    init = sub.add_parser(
        "init", help="データベースを作成し、シードのカタログを読み込む (create, migrate, load)"
    )
    init.add_argument(
        "--catalog",
        type=Path,
        metavar="FILE",
        help="シードの代わりにこのカタログ (.json / .xlsx) で始める (another city's catalog)",
    )
    runs(init, init_database, before_open=_catalog_first)


def _catalog_first(args: argparse.Namespace) -> None:
    """The one command that may create a database: --catalog is checked before the database is
    opened, so a refused catalog leaves no new, empty database file behind (init_catalog reads
    it again once the store is open)."""
    if args.catalog is not None:
        read_catalog_file(args.catalog)


def init_database(store: Store, args: argparse.Namespace) -> Exit:

    catalog = getattr(args, "catalog", None)  # `server init` initialises with the seed
    if init_catalog(store, catalog, who=current_user(), source=EntrySource.CLI):
        with store.snapshot() as conn:
            count = indicator_count(conn, active_generation(conn))
        print(f"初期化しました（指標 {count} 件） / Initialised: {store.url}")
    else:
        print(f"初期化済みです（変更なし） / Already initialised, nothing changed: {store.url}")
    return Exit.OK
