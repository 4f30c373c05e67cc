"""`kplan generation list | new | decide | add | activate`: the next plan generation (計画期),
started from the current one by the planning division (issue 17 step 2)."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import Parser, SubParsers, fiscal_year, print_json, runs
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation import Succession
from kplan_desktop.domain.model import IndicatorKind
from kplan_desktop.store.audit import current_user
from kplan_desktop.store.generations import active_generation, generations, indicator_links
from kplan_desktop.store.requests import EntrySource

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store

_SUCCESSIONS = {
    **{s.value: s for s in Succession},
    **{s.label("ja"): s for s in Succession},
}


def register(sub: SubParsers) -> None:
    generation = sub.add_parser(
        "generation", help="計画期 (plan generations: list, start the next plan; 企画担当課)"
    )
    gen_sub = generation.add_subparsers(
        dest="generation_command", required=True, parser_class=Parser
    )
    listing = gen_sub.add_parser("list", help="計画期の一覧")
    listing.add_argument("--json", action="store_true", help="JSONで出力")
    new = gen_sub.add_parser("new", help="次の計画期を今の計画から作る（準備中）")
    new.add_argument(
        "--from", dest="source", type=int, metavar="N", help="元の計画期 (既定: 実施中)"
    )
    new.add_argument("--name", required=True, metavar="TEXT", help="計画の名前")
    new.add_argument("--start", required=True, type=fiscal_year, metavar="FY", help="最初の年度")
    new.add_argument("--end", required=True, type=fiscal_year, metavar="FY", help="最後の年度")
    new.add_argument(
        "--baseline-year", required=True, type=fiscal_year, metavar="FY", help="基準年度"
    )
    decide = gen_sub.add_parser("decide", help="指標の引き継ぎを決める（継続・見直し・終了）")
    decide.add_argument("code", metavar="CODE", help="今の計画の指標コード")
    decide.add_argument("succession", metavar="continue|replace|end", help="継続 / 見直し / 終了")
    decide.add_argument("--as", dest="new_code", metavar="NEW", help="新しい計画での指標コード")
    decide.add_argument(
        "--base-year", type=fiscal_year, metavar="FY", help="基準値にする年度 (既定: 基準年度)"
    )
    decide.add_argument("--generation", type=int, metavar="N", help="準備中の計画期 (既定: 最新)")
    add = gen_sub.add_parser("add", help="新しい計画に指標を加える")
    add.add_argument("--measure", required=True, metavar="CODE", help="施策コード")
    add.add_argument("--code", required=True, metavar="CODE", help="指標コード")
    add.add_argument("--name", required=True, metavar="TEXT", help="指標名")
    add.add_argument("--unit", metavar="UNIT", help="単位")
    add.add_argument("--department", required=True, metavar="CODE", help="担当課コード")
    add.add_argument("--kind", choices=[k.value for k in IndicatorKind], default="outcome")
    add.add_argument("--target", metavar="VALUE", help="目標値")
    add.add_argument("--generation", type=int, metavar="N", help="準備中の計画期 (既定: 最新)")
    activate = gen_sub.add_parser("activate", help="準備中の計画期を実施中にする")
    activate.add_argument("number", type=int, metavar="N", help="計画期の番号")
    runs(generation, generation_command)


def _newest(store: Store) -> int:
    with store.snapshot() as conn:
        return max(r.number for r in generations(conn))


def _succession(text: str) -> Succession:
    found = _SUCCESSIONS.get(text.strip())
    if found is None:
        raise DomainError(
            "E_SUCCESSION",
            f"引き継ぎは continue（継続）・replace（見直し）・end（終了）のどれかです: {text[:20]}",
            f"The decision is continue, replace or end: {text[:20]}",
        )
    return found


def _target(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        raise DomainError(
            "E_NOT_A_NUMBER",
            f"目標値を数値として読めません: {text[:40]}",
            f"The target is not a number: {text[:40]}",
        ) from None


def generation_command(store: Store, args: argparse.Namespace) -> Exit:
    from kplan_desktop.exchange import next_generation  # openpyxl: test_lazy_imports.py

    who, source = current_user(), EntrySource.CLI
    command = args.generation_command
    if command == "list":
        return _list(store, json=args.json)
    if command == "new":
        with store.snapshot() as conn:
            origin = args.source if args.source is not None else active_generation(conn)
        number = next_generation.start_next_generation(
            store,
            from_generation=origin,
            name=args.name,
            start_year=args.start,
            end_year=args.end,
            baseline_year=args.baseline_year,
            who=who,
            source=source,
        )
        print(
            f"計画期 {number} を作りました（準備中、計画期 {origin} から） / "
            f"Plan generation {number} made (draft, from generation {origin})"
        )
        return Exit.OK
    if command == "decide":
        number = args.generation if args.generation is not None else _newest(store)
        done = next_generation.decide_succession(
            store,
            number,
            args.code,
            _succession(args.succession),
            new_code=args.new_code,
            base_year=args.base_year,
            who=who,
            source=source,
        )
        decision = done.decision
        shown = decision.succession.label("ja")
        line = f"{decision.old_code}: {shown}"
        if decision.new_code not in (None, decision.old_code):
            line += f" → {decision.new_code}"
        if decision.succession is Succession.CONTINUE:
            base = "—" if decision.base_year is None else format_fiscal_year(decision.base_year)
            value = "未設定 / not set" if done.baseline is None else str(done.baseline)
            line += f"（基準値 {base}: {value}）"
        print(f"{line} / {decision.succession.label('en')}")
        return Exit.OK
    if command == "add":
        number = args.generation if args.generation is not None else _newest(store)
        indicator = Indicator(
            code=args.code,
            kind=IndicatorKind(args.kind),
            name=args.name,
            unit=args.unit,
            department=args.department,
            target=_target(args.target),
        )
        next_generation.add_indicator(
            store, number, args.measure, indicator, who=who, source=source
        )
        print(f"{args.code} を加えました / added {args.code} (generation {number})")
        return Exit.OK
    if next_generation.activate(store, args.number, who=who, source=source):
        print(f"計画期 {args.number} を実施中にしました / generation {args.number} in force")
    else:
        print(f"計画期 {args.number} は実施中です（変更なし） / already in force")
    return Exit.OK


def _list(store: Store, *, json: bool) -> Exit:
    with store.snapshot() as conn:
        found = generations(conn)
        links = {r.number: indicator_links(conn, r.number) for r in found}
        active = active_generation(conn)
    if json:
        print_json(
            [
                {
                    "number": r.number,
                    "name": r.generation.name,
                    "start_year": r.generation.start_year,
                    "end_year": r.generation.end_year,
                    "baseline_year": r.baseline_year,
                    "status": r.status.value,
                    "active": r.number == active,
                    "predecessor": r.predecessor,
                    "links": [
                        {
                            "code": link.code,
                            "prior_generation": link.prior_generation,
                            "prior_code": link.prior_code,
                            "kind": link.kind.value,
                        }
                        for link in links[r.number]
                    ],
                }
                for r in found
            ]
        )
        return Exit.OK
    for r in found:
        mark = "*" if r.number == active else " "
        status = f"{r.status.label('ja')} / {r.status.label('en')}"
        print(f"{mark}{r.number}\t{r.generation.label()}\t{status}")
    return Exit.OK
