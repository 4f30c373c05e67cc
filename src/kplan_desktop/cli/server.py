"""`kplan server init | sessions | add-user`: the shared PostgreSQL server (IT administrators,
the planning division). These commands open their own connections (the administrator's)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from kplan_desktop.cli.base import Parser, SubParsers, runs_alone
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.cli.setup import init_database
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.engine import Store, StoreError
from kplan_desktop.store.paths import database_url
from kplan_desktop.store.server import add_user, server_init, sessions, terminate_session


def register(sub: SubParsers) -> None:
    server = sub.add_parser(
        "server", help="共有 PostgreSQL サーバーの設定 (roles, users; IT administrators)"
    )
    server_sub = server.add_subparsers(dest="server_command", required=True, parser_class=Parser)
    init_parser = server_sub.add_parser(
        "init", help="スキーマ・シード・課ごとの役割・行レベルセキュリティを作成する"
    )
    init_parser.add_argument(
        "--admin-url",
        metavar="URL",
        help="管理者のURL postgresql+psycopg://ADMIN@HOST/DB (default: --db)",
    )
    init_parser.add_argument(
        "--admin-password-file",
        type=Path,
        metavar="FILE",
        help="管理者のパスワードの1行目 (なければ ~/.pgpass、端末では入力を求める)",
    )
    server_sessions = server_sub.add_parser(
        "sessions",
        help="データベースへの接続と、誰が誰を待たせているか (sessions; planning division)",
    )
    server_sessions.add_argument(
        "--terminate", type=int, metavar="PID", help="課のログインのセッションを終了する"
    )
    add_user_parser = server_sub.add_parser(
        "add-user", help="ログインを作成する (a login in a role)"
    )
    add_user_parser.add_argument("name", metavar="NAME", help="ユーザー名")
    who = add_user_parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--department", metavar="CODE", help="課コード")
    who.add_argument("--planning", action="store_true", help="企画担当課")
    add_user_parser.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="パスワードの1行目 (なければ入力を求める)",
    )
    add_user_parser.add_argument("--admin-url", metavar="URL", help="管理者のURL (default: --db)")
    add_user_parser.add_argument(
        "--admin-password-file",
        type=Path,
        metavar="FILE",
        help="管理者のパスワードの1行目 (なければ ~/.pgpass、端末では入力を求める)",
    )
    runs_alone(server, server_command)


def server_command(args: argparse.Namespace) -> Exit:

    if args.server_command == "sessions":
        return _sessions(args)
    url = database_url(args.admin_url or args.db)
    if not url.startswith("postgresql"):
        raise DomainError(
            "E_NOT_SERVER",
            "--admin-url に PostgreSQL のURL（postgresql+psycopg://管理者@ホスト/データベース）を"
            "指定してください",
            "Give --admin-url a PostgreSQL URL (postgresql+psycopg://ADMIN@HOST/DATABASE)",
        )
    if args.server_command == "add-user":
        password = _password(args.password_file)
        store = _open_as_admin(url, args.admin_password_file)
        try:
            with store.transaction() as conn:
                role = add_user(
                    conn, args.name, password, department=None if args.planning else args.department
                )
        finally:
            store.dispose()
        print(f"ユーザー {args.name} を作成しました（役割 {role}） / Created {args.name} in {role}")
        return Exit.OK
    store = _open_as_admin(url, args.admin_password_file)
    try:
        init_database(store, args)
        with store.transaction() as conn:
            roles = server_init(conn)
    finally:
        store.dispose()
    print(f"企画担当課の役割 / planning role: {roles.planning}")
    for code, role in roles.departments.items():
        print(f"課 {code} の役割 / department role: {role}")
    print(
        "ログインは kplan server add-user で作成してください / "
        "Create logins with kplan server add-user"
    )
    return Exit.OK


def _sessions(args: argparse.Namespace) -> Exit:
    """`kplan server sessions [--terminate PID]`, with the login of --db (the planning
    division's, to see and end every clerk's session)."""

    store = Store.open(database_url(args.db), migrate=False)
    try:
        if args.terminate is not None:
            with store.transaction() as conn:
                login = terminate_session(conn, args.terminate)
            print(
                f"PID {args.terminate}（{login}）のセッションを終了しました / "
                f"Ended the session of PID {args.terminate} ({login})"
            )
            return Exit.OK
        print("PID\tlogin\tclient\tstate\ttransaction since (UTC)\twaits for\tholds up")
        with store.snapshot() as conn:
            found_sessions = sessions(conn)
        for found in found_sessions:
            print(
                f"{found.pid}\t{found.login}\t{found.client}\t{found.state}\t"
                f"{found.transaction_since}\t{','.join(map(str, found.blocked_by))}\t"
                f"{','.join(map(str, found.blocks))}"
            )
    finally:
        store.dispose()
    return Exit.OK


def _open_as_admin(url: str, password_file: Path | None) -> Store:
    """The administrator's connection. The password: the first line of `password_file`, else
    libpq's own (~/.pgpass, PGPASSWORD), else asked once at a terminal — never on the command
    line."""

    parts = make_url(url)
    if password_file is not None:
        parts = parts.set(password=_first_line(password_file))
        return Store.open(parts.render_as_string(hide_password=False))
    try:
        return Store.open(url)
    except StoreError as exc:
        if exc.code != "E_DB_AUTH" or parts.password is not None or not sys.stdin.isatty():
            raise

    typed = getpass.getpass(f"{parts.username} のパスワード / password for {parts.username}: ")
    return Store.open(parts.set(password=typed).render_as_string(hide_password=False))


def _first_line(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DomainError(
            "E_FILE",
            f"パスワードファイルを読めません: {path}（{exc.strerror}）",
            f"Cannot read the password file: {path} ({exc.strerror})",
        ) from None
    return lines[0] if lines else ""


def _password(path: Path | None) -> str:
    """The first line of the password file, or asked twice at the terminal."""
    if path is not None:
        return _first_line(path)

    first = getpass.getpass("パスワード / Password: ")
    if getpass.getpass("もう一度 / Again: ") != first:
        raise DomainError(
            "E_PASSWORD",
            "2回入力したパスワードが一致しません",
            "The two passwords differ",
        )
    return first
