"""`kplan`'s parser and its one way of running a command: each family registers its own
sub-commands (and what they run); `main` runs the chosen one and turns every failure into one
line and an exit code."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from kplan_desktop import __version__, logs
from kplan_desktop.cli import (
    backup,
    catalog,
    console,
    exchange,
    final,
    generation,
    history,
    keys,
    server,
    setup,
    values,
    years,
)
from kplan_desktop.cli.base import Parser, visible_output
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.streams import tolerant_output


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    # The order of `kplan --help`.
    for family in (setup, catalog, values, history, years, generation, server, exchange, console,
                   final, backup, keys):  # fmt: skip
        family.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    tolerant_output()  # kplan.exe on a Windows whose code page has no Japanese: \u escapes
    args = build_parser().parse_args(argv)
    log = logs.setup()
    log.info("kplan %s", args.command)
    run: Callable[[argparse.Namespace], Exit] = args.run
    try:
        with visible_output():
            code = run(args)
    except DomainError as exc:
        # The code only: a message can quote what was typed, and the log holds no values.
        log.info("kplan %s refused: %s", args.command, exc.code)
        print(exc.both(), file=sys.stderr)
        return Exit.ERROR
    except BrokenPipeError:
        # `kplan show --json | head`: the reader left; nothing more to say.
        sys.stderr.close()
        return Exit.OK
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
        return Exit.ERROR
    except Exception as exc:  # the last line of defence: one line, the traceback in the log
        ja, en = logs.unexpected(exc, f"kplan {args.command}")
        print(f"{ja} / {en}", file=sys.stderr)
        return Exit.ERROR
    log.info("kplan %s exit %d", args.command, code)
    return code
