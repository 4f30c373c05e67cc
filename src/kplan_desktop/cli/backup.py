"""`kplan backup`, `backups` and `restore`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import SubParsers, runs
from kplan_desktop.cli.exit_codes import Exit

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


def register(sub: SubParsers) -> None:
    backup = sub.add_parser("backup", help="データベースをバックアップする (backup)")
    backup.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="保存先 (default: the backups folder)"
    )
    runs(backup, backup_command)
    runs(sub.add_parser("backups", help="自動バックアップの一覧 (list backups)"), backups_command)
    restore = sub.add_parser("restore", help="バックアップから復元する (restore)")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument(
        "--other-installation",
        action="store_true",
        help="別の端末・別のカタログのバックアップでも復元する (restore another installation's)",
    )
    runs(restore, restore_command)


def backup_command(store: Store, args: argparse.Namespace) -> Exit:
    from kplan_desktop.store.backup import take_backup

    target = take_backup(store, "manual", target=args.output)
    print(f"バックアップしました / Backed up: {target}")
    return Exit.OK


def backups_command(store: Store, args: argparse.Namespace) -> Exit:
    from kplan_desktop.store.backup import backup_folder, backups

    found = backups(store)
    print(f"{backup_folder(store)}（{len(found)} 件 / backups）")
    for item in found:
        local = item.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        print(f"  {local}  {item.reason:<8} {item.size / 1024:8.0f} KiB  {item.path.name}")
    return Exit.OK


def restore_command(store: Store, args: argparse.Namespace) -> Exit:
    from kplan_desktop.exchange.catalog_json import stored_catalog_hash
    from kplan_desktop.store.audit import current_user
    from kplan_desktop.store.backup import restore

    replaced = restore(
        store,
        args.file,
        who=current_user(),
        source="cli",
        other_installation=args.other_installation,
        catalog_identity=stored_catalog_hash,
    )
    print(
        f"復元しました: {args.file.name}（元のデータベースのバックアップ: {replaced}） / "
        f"Restored; the replaced database was backed up to {replaced}"
    )
    return Exit.OK
