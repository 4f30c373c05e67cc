"""`kplan year lock | unlock | list`: the planning division closes a fiscal year."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import Parser, SubParsers, add_generation_option, fiscal_year, runs
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.store.audit import current_user
from kplan_desktop.store.generations import choose_generation
from kplan_desktop.store.years import lock_year, locked_years, unlock_year

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


def register(sub: SubParsers) -> None:
    year = sub.add_parser("year", help="年度ロック (lock / unlock a fiscal year; 企画担当課)")
    year_sub = year.add_subparsers(dest="year_command", required=True, parser_class=Parser)
    lock = year_sub.add_parser("lock", help="年度を締め切る（以後の変更をすべて拒否）")
    lock.add_argument("--year", required=True, type=fiscal_year, metavar="FY", help="年度")
    lock.add_argument("--note", metavar="TEXT", help="メモ")
    add_generation_option(lock)
    unlock = year_sub.add_parser("unlock", help="年度ロックを解除する（理由が必要）")
    unlock.add_argument("--year", required=True, type=fiscal_year, metavar="FY", help="年度")
    unlock.add_argument("--reason", required=True, metavar="TEXT", help="解除の理由")
    add_generation_option(unlock)
    add_generation_option(year_sub.add_parser("list", help="ロック中の年度"))
    runs(year, year_command)


def year_command(store: Store, args: argparse.Namespace) -> Exit:

    if args.year_command == "list":
        with store.snapshot() as conn:
            locked = locked_years(conn, choose_generation(conn, args.generation))
        for year in sorted(locked):
            print(f"{year}\t{format_fiscal_year(year, FiscalYearStyle.ERA_WITH_WESTERN)}")
        return Exit.OK
    label = format_fiscal_year(args.year, FiscalYearStyle.ERA_WITH_WESTERN)
    if args.year_command == "lock":
        with store.transaction() as conn:
            done = lock_year(
                conn,
                choose_generation(conn, args.generation, args.year),
                args.year,
                current_user(),
                note=args.note,
            )
        if done:
            print(f"{label}をロックしました / FY{args.year} locked")
        else:
            print(f"{label}はロック済みです（変更なし） / FY{args.year} was locked already")
        return Exit.OK
    with store.transaction() as conn:
        number = choose_generation(conn, args.generation, args.year)
        done = unlock_year(conn, number, args.year, current_user(), args.reason)
    if done:
        print(f"{label}のロックを解除しました / FY{args.year} unlocked")
    else:
        print(f"{label}はロックされていません（変更なし） / FY{args.year} was not locked")
    return Exit.OK
