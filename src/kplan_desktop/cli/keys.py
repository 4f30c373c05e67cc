"""`kplan key export | import | list`: the submission workbooks' signing keys."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import Parser, SubParsers, runs
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.catalog import unknown_department
from kplan_desktop.store.actuals import department_exists
from kplan_desktop.store.audit import current_user
from kplan_desktop.store.requests import EntrySource

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


def register(sub: SubParsers) -> None:
    key = sub.add_parser("key", help="提出ブックの署名鍵 (signing keys)")
    key_sub = key.add_subparsers(dest="key_command", required=True, parser_class=Parser)
    key_export = key_sub.add_parser("export", help="この端末の鍵を書き出す（企画担当課へ渡す）")
    key_export.add_argument("--department", required=True, metavar="CODE", help="課コード")
    key_export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    key_import = key_sub.add_parser("import", help="課の鍵を登録する（企画担当課）")
    key_import.add_argument("file", type=Path, metavar="FILE")
    key_import.add_argument(
        "--replace",
        action="store_true",
        help="同じ課・同じ端末の作り直した鍵で置き換える (the installation made a new key)",
    )
    key_sub.add_parser("list", help="登録済みの課の鍵の一覧（企画担当課）")
    runs(key, key_command)


def key_command(store: Store, args: argparse.Namespace) -> Exit:
    # Lazy: the signing keys load cryptography (about 0.05 s), for this command only.
    from kplan_desktop.store.keys import export_key, import_key, registered_keys

    if args.key_command == "export":
        with store.transaction() as conn:
            if not department_exists(conn, args.department):
                raise unknown_department(args.department)
            key = export_key(conn, args.department, args.output, who=current_user())
        print(
            f"公開鍵を書き出しました: {args.output}（指紋 {key.fingerprint}。秘密の情報は"
            f"含みません。企画担当課へ渡してください） / Public key written: {args.output} "
            f"(fingerprint {key.fingerprint}; no secret in it; give it to the planning division)"
        )
        return Exit.OK
    if args.key_command == "list":
        with store.snapshot() as conn:
            keys = registered_keys(conn)
        for known in keys:
            print(f"{known.department}\t{known.database_id}\t{known.fingerprint}")
        return Exit.OK
    with store.transaction() as conn:
        key = import_key(
            conn, args.file, who=current_user(), source=EntrySource.CLI, replace=args.replace
        )
    print(
        f"{key.department} の鍵を登録しました（指紋 {key.fingerprint}） / "
        f"Registered the key of {key.department} (fingerprint {key.fingerprint})"
    )
    return Exit.OK
