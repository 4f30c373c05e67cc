"""The `kplan` command: thin wrappers over the store and the exchange formats.

Exit codes: 0 done; 1 warnings that need a comment (nothing saved); 2 bad input or any error
(one line, Japanese then English; nothing written).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.exc import SQLAlchemyError

from kplan_desktop import __version__, cli_console, cli_exchange, logs
from kplan_desktop.domain.catalog import unknown_department
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year, parse_fiscal_year
from kplan_desktop.domain.text import visible
from kplan_desktop.domain.values import canonical

EXIT_OK = 0
EXIT_NEEDS_COMMENT = 1
EXIT_ERROR = 2
# The planning console's commands (cli_console), filled when the parser is built.
_CONSOLE: dict[str, cli_console.Handler] = {}


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors say so in Japanese first, on one line, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        # A fiscal-year error already carries both languages; argparse's own are English.
        if " / " in message:
            line = message
        else:
            line = f"引数が正しくありません（kplan --help） / Invalid arguments: {message}"
        print(line, file=sys.stderr)
        raise SystemExit(EXIT_ERROR)


def _fiscal_year(text: str) -> int:
    try:
        return parse_fiscal_year(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.both()) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kplan",
        description="総合計画の進行管理 (kplan-desktop): 実績の入力・検証・監査ログ",
    )
    parser.add_argument("--version", action="version", version=f"kplan {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="データベースのファイルまたはURL "
        "(default: KPLAN_DATABASE_URL, else the user data folder)",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init = sub.add_parser(
        "init", help="データベースを作成し、シードのカタログを読み込む (create, migrate, load)"
    )
    init.add_argument(
        "--catalog",
        type=Path,
        metavar="FILE",
        help="シードの代わりにこのカタログ (.json / .xlsx) で始める (another city's catalog)",
    )

    catalog = sub.add_parser("catalog", help="カタログの書き出し・読み込み (export / import)")
    catalog_sub = catalog.add_subparsers(
        dest="catalog_command", required=True, parser_class=_Parser
    )
    export = catalog_sub.add_parser("export", help="カタログを書き出す")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--json", metavar="FILE", help="指標の一覧をJSONで書き出す ('-' = standard output)"
    )
    target.add_argument(
        "-o", "--output", metavar="FILE", help="カタログ全体を .xlsx または .json で"
    )
    imp = catalog_sub.add_parser(
        "import", help="カタログを読み込む (.json / .xlsx): 違いを表示してから読み込む"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="違いを表示するだけで読み込まない")
    catalog_sub.add_parser("versions", help="カタログの版の履歴 (version history)")

    enter = sub.add_parser("enter", help="実績値を入力する (one value)")
    enter.add_argument("--indicator", required=True, metavar="CODE", help="指標コード (7-1-1-K3)")
    enter.add_argument(
        "--year", required=True, type=_fiscal_year, metavar="FY", help="年度 (R5, 2023)"
    )
    enter.add_argument(
        "--value", required=True, metavar="TEXT", help="値 (1,225人, 98.7%%, 未集計, —)"
    )
    enter.add_argument("--comment", metavar="TEXT", help="コメント (警告がある値には必須)")
    enter.add_argument(
        "--revision",
        metavar="REV",
        help="編集を始めたときの版 (show --json の revision; 未入力なら none)。"
        "ほかの人が先に変更していれば保存せず、現在の値を表示して終了コード2",
    )

    show = sub.add_parser("show", help="指標と実績を表示する")
    show.add_argument("--department", metavar="CODE", help="課コード")
    show.add_argument("--year", type=_fiscal_year, metavar="FY", help="年度")
    show.add_argument("--json", action="store_true", help="JSONで出力")

    validate = sub.add_parser("validate", help="保存済みの値を検証する")
    validate.add_argument("--json", action="store_true", help="JSONで出力")

    audit = sub.add_parser("audit", help="監査ログを表示する")
    audit.add_argument("--indicator", metavar="CODE", help="指標コード")
    audit.add_argument("--json", action="store_true", help="JSONで出力")

    sub.add_parser("departments", help="課の一覧")

    year = sub.add_parser("year", help="年度ロック (lock / unlock a fiscal year; 企画担当課)")
    year_sub = year.add_subparsers(dest="year_command", required=True, parser_class=_Parser)
    lock = year_sub.add_parser("lock", help="年度を締め切る（以後の変更をすべて拒否）")
    lock.add_argument("--year", required=True, type=_fiscal_year, metavar="FY", help="年度")
    lock.add_argument("--note", metavar="TEXT", help="メモ")
    unlock = year_sub.add_parser("unlock", help="年度ロックを解除する（理由が必要）")
    unlock.add_argument("--year", required=True, type=_fiscal_year, metavar="FY", help="年度")
    unlock.add_argument("--reason", required=True, metavar="TEXT", help="解除の理由")
    year_sub.add_parser("list", help="ロック中の年度")

    server = sub.add_parser(
        "server", help="共有 PostgreSQL サーバーの設定 (roles, users; IT administrators)"
    )
    server_sub = server.add_subparsers(dest="server_command", required=True, parser_class=_Parser)
    server_init = server_sub.add_parser(
        "init", help="スキーマ・シード・課ごとの役割・行レベルセキュリティを作成する"
    )
    server_init.add_argument(
        "--admin-url",
        metavar="URL",
        help="管理者のURL postgresql+psycopg://ADMIN@HOST/DB (default: --db)",
    )
    server_init.add_argument(
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
    add_user = server_sub.add_parser("add-user", help="ログインを作成する (a login in a role)")
    add_user.add_argument("name", metavar="NAME", help="ユーザー名")
    who = add_user.add_mutually_exclusive_group(required=True)
    who.add_argument("--department", metavar="CODE", help="課コード")
    who.add_argument("--planning", action="store_true", help="企画担当課")
    add_user.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="パスワードの1行目 (なければ入力を求める)",
    )
    add_user.add_argument("--admin-url", metavar="URL", help="管理者のURL (default: --db)")
    add_user.add_argument(
        "--admin-password-file",
        type=Path,
        metavar="FILE",
        help="管理者のパスワードの1行目 (なければ ~/.pgpass、端末では入力を求める)",
    )
    cli_exchange.add_commands(sub, _fiscal_year)
    _CONSOLE.update(cli_console.add_commands(sub, _fiscal_year))
    backup = sub.add_parser("backup", help="データベースをバックアップする (backup)")
    backup.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="保存先 (default: the backups folder)"
    )
    sub.add_parser("backups", help="自動バックアップの一覧 (list backups)")
    restore = sub.add_parser("restore", help="バックアップから復元する (restore)")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument(
        "--other-installation",
        action="store_true",
        help="別の端末・別のカタログのバックアップでも復元する (restore another installation's)",
    )
    key = sub.add_parser("key", help="提出ブックの署名鍵 (signing keys)")
    key_sub = key.add_subparsers(dest="key_command", required=True, parser_class=_Parser)
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    log = logs.setup()
    log.info("kplan %s", args.command)
    try:
        with _visible_output():
            code = _dispatch(args)
    except DomainError as exc:
        # The code only: a message can quote what was typed, and the log holds no values.
        log.info("kplan %s refused: %s", args.command, exc.code)
        print(exc.both(), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # `kplan show --json | head`: the reader left; nothing more to say.
        sys.stderr.close()
        return EXIT_OK
    except (SQLAlchemyError, sqlite3.Error) as exc:
        # A database error nothing above expected (a constraint the file itself carries, a
        # damaged file): its transaction was rolled back; one line naming its kind, no traceback.
        cause = getattr(exc, "orig", None) or exc
        log.warning("kplan %s database error: %s", args.command, type(cause).__name__)
        kind = type(cause).__name__
        detail = str(cause).splitlines()[0][:200] if str(cause) else ""
        print(
            f"データベースが処理を拒みました。何も保存していません（{kind}: {detail}）"
            f" / The database refused the operation; nothing was saved ({kind}: {detail})",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except Exception as exc:  # the last line of defence: one line, the traceback in the log
        ja, en = logs.unexpected(exc, f"kplan {args.command}")
        print(f"{ja} / {en}", file=sys.stderr)
        return EXIT_ERROR
    log.info("kplan %s exit %d", args.command, code)
    return code


def _dispatch(args: argparse.Namespace) -> int:
    from kplan_desktop.store.engine import Store

    if args.command == "server":
        return _server(args)
    if args.command != "init":
        _require_database(args.db)
    elif getattr(args, "catalog", None) is not None:
        from kplan_desktop.exchange.catalog_files import read_catalog_file

        # Checked before the database is opened: a refused catalog leaves no new, empty
        # database file behind (init_catalog reads it again once the store is open).
        read_catalog_file(args.catalog)
    store = Store.open(args.db)
    try:
        handler = {
            "init": _init,
            "catalog": _catalog,
            "enter": _enter,
            "show": _show,
            "validate": _validate,
            "audit": _audit,
            "departments": _departments,
            "year": _year,
            "finalise": cli_exchange.finalise,
            "export": cli_exchange.export,
            "template": cli_exchange.template,
            "merge": cli_exchange.merge,
            "report": cli_exchange.report,
            "backup": _backup,
            "backups": _backups,
            "restore": _restore,
            "key": _key,
            **_CONSOLE,
        }[args.command]
        return handler(store, args)
    finally:
        store.dispose()


def _require_database(db: str | None) -> None:
    """Only `init` creates a database: a mistyped --db path must not make an empty one."""
    from sqlalchemy.engine import make_url

    from kplan_desktop.store.engine import bad_url
    from kplan_desktop.store.paths import database_url

    raw = database_url(db)
    try:
        url = make_url(raw)
        url.get_backend_name()
        url.port  # noqa: B018 - a port that is not a number fails here, not in a traceback
    except Exception as exc:  # ArgumentError, ValueError: the URL cannot be parsed
        raise bad_url(raw, exc) from None
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        if not path.exists():
            raise DomainError(
                "E_NO_DATABASE",
                f"データベースがありません: {path}（新しく作るときは kplan init）",
                f"No database at {path} (kplan init creates one)",
            )


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _init(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.exchange.seed import init_catalog
    from kplan_desktop.store.audit import current_user
    from kplan_desktop.store.catalog import indicator_count

    catalog = getattr(args, "catalog", None)  # `server init` initialises with the seed
    if init_catalog(store, catalog, who=current_user(), source="cli"):
        with store.snapshot() as conn:
            print(f"初期化しました（指標 {indicator_count(conn)} 件） / Initialised: {store.url}")
    else:
        print(f"初期化済みです（変更なし） / Already initialised, nothing changed: {store.url}")
    return EXIT_OK


def _catalog(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.exchange import catalog_json
    from kplan_desktop.exchange.catalog_files import export_catalog
    from kplan_desktop.store.catalog import read_catalog

    if args.catalog_command == "import":
        return _catalog_import(store, args.file, args.dry_run)
    if args.catalog_command == "versions":
        return _catalog_versions(store)
    with store.snapshot() as conn:
        current = read_catalog(conn)
    if current is None:
        raise DomainError(
            "E_NO_CATALOG",
            "カタログが読み込まれていません（kplan init を実行してください）",
            "No catalog is loaded (run kplan init)",
        )
    if args.json is not None:
        text = json.dumps(catalog_json.flat_indicators(current), ensure_ascii=False, indent=2)
        if args.json == "-":
            print(text)
        else:
            _write_text(Path(args.json), text + "\n")
        return EXIT_OK
    out = Path(args.output)
    if out.suffix.lower() not in (".xlsx", ".json"):
        raise DomainError(
            "E_FILE_TYPE",
            f"書き出し先は .xlsx か .json にしてください: {out.name}",
            f"Write the catalog to a .xlsx or .json file: {out.name}",
        )
    version = export_catalog(store, out)
    label = "" if version is None else f" {version.label()} / {version.label_en()}"
    print(f"書き出しました / Written: {out}{label}")
    return EXIT_OK


def _catalog_import(store: Any, path: Path, dry_run: bool) -> int:
    from kplan_desktop.exchange.catalog_files import install_catalog, preview_import
    from kplan_desktop.store.audit import current_user

    preview = preview_import(store, path)
    incoming = preview.issued.version
    shown = (
        "版なし / no version" if incoming is None else f"{incoming.label()} / {incoming.label_en()}"
    )
    in_use = preview.current
    print(f"読み込むカタログ / Incoming: {shown}")
    if in_use is not None:
        print(f"使用中のカタログ / In use: {in_use.label()} / {in_use.label_en()}")
    for ja, en in zip(preview.notes_ja(), preview.notes_en(), strict=True):
        print(f"注意: {ja} / Note: {en}")
    if preview.unchanged:
        print("カタログに変更はありません / The catalog is unchanged")
    else:
        print(f"違い: {preview.diff.summary_ja()} / Differences: {preview.diff.summary_en()}")
        for line in preview.diff.lines_ja():
            print(f"  {line}")
    if dry_run:
        print("--dry-run: 読み込んでいません / nothing imported")
        return EXIT_OK
    if not preview.unchanged:
        from kplan_desktop.store.backup import backup_before

        backup_before(store, "catalog")
    with store.transaction() as conn:
        change = install_catalog(
            conn, preview.issued, who=current_user(), source="cli", detail=f"import {path.name}"
        )
    if change.cycles_opened:
        years = "、".join(str(y) for y, _ in preview.issued.cycles)
        print(f"入力受付中の年度を受け取りました（{years}） / Open fiscal years received")
    if change.unchanged:
        return EXIT_OK
    version = change.version
    assert version is not None
    print(
        f"カタログを読み込みました（{version.label()}）: {change.summary()} / "
        f"Catalog imported ({version.label_en()})"
    )
    if change.departments_retired:
        retired = ", ".join(change.departments_retired)
        print(
            f"このカタログにない課を廃止しました（入力済みの値・提出の記録は残ります）: {retired}"
            f" / Departments not in this catalog were retired (their values and records are "
            f"kept): {retired}"
        )
    from kplan_desktop.domain.validation import Severity
    from kplan_desktop.store.actuals import stored_findings

    with store.snapshot() as conn:
        broken = [f for f in stored_findings(conn) if f.finding.severity is Severity.ERROR]
    if broken:
        print(
            f"注意: 入力済みの値 {len(broken)} 件がこのカタログではエラーになります"
            f"（kplan validate で確認） / Note: {len(broken)} stored values are errors under "
            "this catalog (see kplan validate)"
        )
    return EXIT_OK


def _catalog_versions(store: Any) -> int:
    from kplan_desktop.store.catalog import catalog_versions

    origins = {"seed": "初期カタログ", "edit": "この端末で編集", "import": "読み込み"}
    with store.snapshot() as conn:
        records = catalog_versions(conn)
    for record in records:
        v = record.version
        origin = origins.get(record.origin, record.origin)
        print(
            f"第{v.sequence}版\t{v.issued_at:%Y-%m-%d %H:%M}\t{origin}"
            f"\t{record.issued_by}\t{v.catalog_hash[:12]}"
        )
    return EXIT_OK


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DomainError(
            "E_FILE",
            f"ファイルに書き込めません: {path}（{exc.strerror}）",
            f"Cannot write the file: {path} ({exc.strerror})",
        ) from None


def _started_from(text: str | None) -> tuple[bool, Any]:
    """--revision: (check it, the revision); "none" names a value that was not there."""
    from kplan_desktop.domain.revision import Revision

    if text is None:
        return False, None
    if text.strip().lower() in ("none", "-", ""):
        return True, None
    try:
        return True, Revision.parse(text)
    except ValueError:
        raise DomainError(
            "E_REVISION",
            f"版の書き方が正しくありません: {text[:60]}（show --json の revision の値）",
            f"Not a revision: {text[:60]} (use the revision from show --json)",
        ) from None


def _enter(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.store.actuals import EntryRefused, EntryRequest, Outcome, write_actuals
    from kplan_desktop.store.audit import current_user

    check, expected = _started_from(args.revision)
    request = EntryRequest(
        args.indicator,
        args.year,
        args.value,
        args.comment,
        expected=expected,
        check_expected=check,
    )
    try:
        result = store.write(
            lambda conn, key: write_actuals(
                conn, [request], who=current_user(), source="cli", request_key=key
            )
        )[0]
    except EntryRefused as exc:
        refused = exc.results[0]
        if exc.only_warnings:
            for finding in refused.check.warnings:
                print(f"警告 {finding.code}: {finding.message_ja} / {finding.message_en}")
            print(
                "警告のある値はコメント（--comment）が必要です。保存していません / "
                "A value with warnings needs --comment; nothing was saved",
                file=sys.stderr,
            )
            return EXIT_NEEDS_COMMENT
        first = refused.check.errors[0]
        print(f"{first.message_ja} / {first.message_en}", file=sys.stderr)
        if refused.conflict:
            _print_current(store, args.indicator, args.year)
        return EXIT_ERROR
    year = format_fiscal_year(args.year, FiscalYearStyle.ERA_WITH_WESTERN)
    shown = result.new[0] if result.new[0] is not None else _reason_label(result.new[1])
    labels = {
        Outcome.NEW: ("保存しました", "saved"),
        Outcome.UPDATED: ("更新しました", "updated"),
        Outcome.CLEARED: ("消去しました", "cleared"),
        Outcome.UNCHANGED: ("変更はありません", "unchanged"),
    }
    ja, en = labels.get(result.outcome, ("", ""))
    print(f"{ja}: {args.indicator} {year} = {shown} / {en}")
    for finding in result.check.warnings:
        print(f"警告（コメントあり） {finding.code}: {finding.message_ja} / {finding.message_en}")
    return EXIT_OK


def _print_current(store: Any, code: str, year: int) -> None:
    """After a conflict: the value someone else saved, and its revision to start from again."""
    from kplan_desktop.store.actuals import read_actuals

    with store.snapshot() as conn:
        found = [a for a in read_actuals(conn, indicator_codes=[code]) if a.fiscal_year == year]
    if not found:
        print("現在の値: （なし） / current value: (none) revision=none", file=sys.stderr)
        return
    now = found[0]
    shown = (
        now.text
        if now.text is not None
        else _reason_label(None if now.missing_reason is None else now.missing_reason.value)
    )
    print(
        f"現在の値: {shown}（入力者 {now.entered_by}） / current value: {shown} "
        f"revision={now.revision}",
        file=sys.stderr,
    )


def _show(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.domain.achievement import format_rate
    from kplan_desktop.store.actuals import department_exists
    from kplan_desktop.store.overview import overview

    with store.snapshot() as conn:
        if args.department is not None and not department_exists(conn, args.department):
            raise unknown_department(args.department)
        # With --year, the indicators the department reported that year (a merged 課's past).
        catalog, rows = overview(conn, department=args.department, fiscal_year=args.year)
    settings = catalog.plan.settings
    years = [args.year] if args.year is not None else settings.years
    grade_year = args.year if args.year is not None else settings.end_year
    if args.json:
        out = []
        for row in rows:
            ind = row.indicator
            per_year = {}
            for year in years:
                actual = row.values.get(year)
                ach = row.achievement(catalog, year)
                per_year[str(year)] = {
                    "value": None
                    if actual is None or actual.value is None
                    else canonical(actual.value),
                    "missing_reason": None
                    if actual is None or actual.missing_reason is None
                    else actual.missing_reason.value,
                    "comment": None if actual is None else actual.comment,
                    "revision": None
                    if actual is None or actual.revision is None
                    else str(actual.revision),
                    "simple_rate": None if ach.simple_rate is None else str(ach.simple_rate),
                    "progress_rate": None if ach.progress_rate is None else str(ach.progress_rate),
                    "grade": ach.grade.value,
                    "on_track": row.track(catalog, year).status.value,
                }
            out.append(
                {
                    "code": ind.code,
                    "name": ind.name,
                    "unit": ind.unit,
                    "department": ind.department,
                    "baseline": None if ind.baseline is None else canonical(ind.baseline),
                    "target": None if ind.target is None else canonical(ind.target),
                    "years": per_year,
                }
            )
        _print_json(out)
        return EXIT_OK
    grade_label = format_fiscal_year(grade_year, FiscalYearStyle.ERA_WITH_WESTERN)
    print(f"（達成率・評価は{grade_label}の値 / rates and grades for FY{grade_year}）")
    head = ["コード", "指標名", "単位", "基準値"]
    head += [format_fiscal_year(y, FiscalYearStyle.SHORT) for y in years]
    head += ["目標", "達成率", "評価"]
    print("\t".join(head))
    for row in rows:
        ind = row.indicator
        cells = [ind.code, ind.display_name, ind.unit or "未設定", _num(ind.baseline)]
        for year in years:
            actual = row.values.get(year)
            if actual is None:
                cells.append("")
            elif actual.value is not None:
                cells.append(canonical(actual.value))
            else:
                cells.append(actual.missing_reason.label_ja if actual.missing_reason else "")
        target = _num(ind.target)
        if ind.comparator is not None and ind.target is not None:
            target += ind.comparator.label_ja
        ach = row.achievement(catalog, grade_year)
        cells += [target, format_rate(ach.rate), ach.grade.label(settings.grade_labels)]
        print("\t".join(cells))
    return EXIT_OK


def _reason_label(reason: str | None) -> str:
    from kplan_desktop.domain.model import MissingReason

    return "—" if reason is None else MissingReason(reason).label_ja


def _num(value: Any) -> str:
    return "未設定" if value is None else canonical(value)


def _validate(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.domain.validation import Severity
    from kplan_desktop.store.actuals import stored_findings

    with store.snapshot() as conn:
        findings = stored_findings(conn)
    errors = [f for f in findings if f.finding.severity is Severity.ERROR]
    open_warnings = [
        f for f in findings if f.finding.severity is Severity.WARNING and not f.explained
    ]
    if args.json:
        _print_json(
            [
                {
                    "indicator": f.indicator_code,
                    "fiscal_year": f.fiscal_year,
                    "code": f.finding.code,
                    "severity": f.finding.severity.value,
                    "explained": f.explained,
                    "message_ja": f.finding.message_ja,
                    "message_en": f.finding.message_en,
                }
                for f in findings
            ]
        )
    else:
        for f in findings:
            state = "説明済み" if f.explained else ("エラー" if f in errors else "要コメント")
            print(
                f"{f.indicator_code}\t{f.fiscal_year}\t{state}\t{f.finding.code}\t"
                f"{f.finding.message_ja} / {f.finding.message_en}"
            )
        print(
            f"エラー {len(errors)} 件、コメント待ちの警告 {len(open_warnings)} 件 / "
            f"{len(errors)} errors, {len(open_warnings)} warnings without a comment"
        )
    if errors:
        return EXIT_ERROR
    return EXIT_NEEDS_COMMENT if open_warnings else EXIT_OK


def _audit(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.store.audit import audit_log

    with store.snapshot() as conn:
        entries = audit_log(conn, args.indicator)
    if args.json:
        _print_json(
            [
                {
                    "id": e.id,
                    "at": e.at.isoformat(),
                    "who": e.who,
                    "source": e.source,
                    "action": e.action,
                    "indicator": e.indicator_code,
                    "fiscal_year": e.fiscal_year,
                    "old": {
                        "value": e.old_value,
                        "missing_reason": e.old_reason,
                        "comment": e.old_comment,
                    },
                    "new": {
                        "value": e.new_value,
                        "missing_reason": e.new_reason,
                        "comment": e.new_comment,
                    },
                    "detail": e.detail,
                }
                for e in entries
            ]
        )
        return EXIT_OK
    header = ["番号", "日時", "入力者", "経路", "操作", "指標", "年度", "変更前", "変更後"]
    print("\t".join([*header, "コメント", "詳細"]))
    for e in entries:
        old = e.old_value or _reason_label(e.old_reason)
        new = e.new_value or _reason_label(e.new_reason)
        # One line per entry: a line break, a tab or an escape sequence someone stored in a
        # comment is shown as \u000a, never obeyed (domain.text.visible).
        print(
            "\t".join(
                visible(field)
                for field in [
                    str(e.id),
                    e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                    e.who,
                    e.source,
                    e.action,
                    e.indicator_code or "",
                    "" if e.fiscal_year is None else str(e.fiscal_year),
                    old,
                    new,
                    e.new_comment or "",
                    e.detail or "",
                ]
            )
        )
    return EXIT_OK


# Every C0 and C1 control but tab and line feed: on a terminal they move the cursor, recolour
# or retitle it. Whatever a listing prints, stored text included, shows them as \u001b.
_CONTROLS = {c: f"\\u{c:04x}" for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in (9, 10)}


class _VisibleStream:
    """stdout with control characters made visible (JSON stays JSON: they are in strings)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return int(self.stream.write(text.translate(_CONTROLS)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextlib.contextmanager
def _visible_output() -> Iterator[None]:
    original = sys.stdout
    if original is None:  # a windowed program on Windows has none
        yield
        return
    sys.stdout = _VisibleStream(original)
    try:
        yield
    finally:
        sys.stdout = original


def _departments(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.store.catalog import read_catalog

    with store.snapshot() as conn:
        catalog = read_catalog(conn)
    for dep in catalog.departments if catalog else ():
        print(f"{dep.code}\t{dep.name}")
    return EXIT_OK


def _year(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.store.audit import current_user
    from kplan_desktop.store.years import lock_year, locked_years, unlock_year

    if args.year_command == "list":
        with store.snapshot() as conn:
            locked = locked_years(conn)
        for year in sorted(locked):
            print(f"{year}\t{format_fiscal_year(year, FiscalYearStyle.ERA_WITH_WESTERN)}")
        return EXIT_OK
    label = format_fiscal_year(args.year, FiscalYearStyle.ERA_WITH_WESTERN)
    if args.year_command == "lock":
        with store.transaction() as conn:
            done = lock_year(conn, args.year, current_user(), note=args.note)
        if done:
            print(f"{label}をロックしました / FY{args.year} locked")
        else:
            print(f"{label}はロック済みです（変更なし） / FY{args.year} was locked already")
        return EXIT_OK
    with store.transaction() as conn:
        done = unlock_year(conn, args.year, current_user(), args.reason)
    if done:
        print(f"{label}のロックを解除しました / FY{args.year} unlocked")
    else:
        print(f"{label}はロックされていません（変更なし） / FY{args.year} was not locked")
    return EXIT_OK


def _server(args: argparse.Namespace) -> int:
    from kplan_desktop.store.paths import database_url
    from kplan_desktop.store.server import add_user, server_init

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
        return EXIT_OK
    store = _open_as_admin(url, args.admin_password_file)
    try:
        _init(store, args)
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
    return EXIT_OK


def _sessions(args: argparse.Namespace) -> int:
    """`kplan server sessions [--terminate PID]`, with the login of --db (the planning
    division's, to see and end every clerk's session)."""
    from kplan_desktop.store.engine import Store
    from kplan_desktop.store.paths import database_url
    from kplan_desktop.store.server import sessions, terminate_session

    store = Store.open(database_url(args.db), migrate=False)
    try:
        if args.terminate is not None:
            with store.transaction() as conn:
                login = terminate_session(conn, args.terminate)
            print(
                f"PID {args.terminate}（{login}）のセッションを終了しました / "
                f"Ended the session of PID {args.terminate} ({login})"
            )
            return EXIT_OK
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
    return EXIT_OK


def _open_as_admin(url: str, password_file: Path | None) -> Any:
    """The administrator's connection. The password: the first line of `password_file`, else
    libpq's own (~/.pgpass, PGPASSWORD), else asked once at a terminal — never on the command
    line."""
    from sqlalchemy.engine import make_url

    from kplan_desktop.store.engine import Store, StoreError

    parts = make_url(url)
    if password_file is not None:
        parts = parts.set(password=_first_line(password_file))
        return Store.open(parts.render_as_string(hide_password=False))
    try:
        return Store.open(url)
    except StoreError as exc:
        if exc.code != "E_DB_AUTH" or parts.password is not None or not sys.stdin.isatty():
            raise
    import getpass

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
    import getpass

    first = getpass.getpass("パスワード / Password: ")
    if getpass.getpass("もう一度 / Again: ") != first:
        raise DomainError(
            "E_PASSWORD",
            "2回入力したパスワードが一致しません",
            "The two passwords differ",
        )
    return first


def _backup(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.store.backup import take_backup

    target = take_backup(store, "manual", target=args.output)
    print(f"バックアップしました / Backed up: {target}")
    return EXIT_OK


def _backups(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.store.backup import backup_folder, backups

    found = backups(store)
    print(f"{backup_folder(store)}（{len(found)} 件 / backups）")
    for item in found:
        local = item.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        print(f"  {local}  {item.reason:<8} {item.size / 1024:8.0f} KiB  {item.path.name}")
    return EXIT_OK


def _restore(store: Any, args: argparse.Namespace) -> int:
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
    return EXIT_OK


def _key(store: Any, args: argparse.Namespace) -> int:
    from kplan_desktop.store.actuals import department_exists
    from kplan_desktop.store.audit import current_user
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
        return EXIT_OK
    if args.key_command == "list":
        with store.snapshot() as conn:
            keys = registered_keys(conn)
        for known in keys:
            print(f"{known.department}\t{known.database_id}\t{known.fingerprint}")
        return EXIT_OK
    with store.transaction() as conn:
        key = import_key(conn, args.file, who=current_user(), source="cli", replace=args.replace)
    print(
        f"{key.department} の鍵を登録しました（指紋 {key.fingerprint}） / "
        f"Registered the key of {key.department} (fingerprint {key.fingerprint})"
    )
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
