"""`kplan generation list | show | new | decide | target | add | activate`: the next plan
generation (計画期), started from the current one by the planning division (issue 17 step 2)."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import Parser, SubParsers, fiscal_year, print_json, runs
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.cumulative import baseline_note
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import format_fiscal_year
from kplan_desktop.domain.generation import Succession
from kplan_desktop.domain.model import IndicatorKind
from kplan_desktop.domain.values import canonical
from kplan_desktop.store.audit import current_user
from kplan_desktop.store.generations import active_generation, generations, indicator_links
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.succession import Carried, successions

if TYPE_CHECKING:
    from kplan_desktop.exchange.next_generation import Created, Decided
    from kplan_desktop.exchange.plan_targets import TargetSet
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
    show = gen_sub.add_parser("show", help="指標の引き継ぎの一覧（継続・見直し・終了と基準値）")
    show.add_argument("number", nargs="?", type=int, metavar="N", help="計画期 (既定: 最新)")
    show.add_argument("--json", action="store_true", help="JSONで出力")
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
    decide.add_argument(
        "--target", metavar="VALUE", help="新しい計画の目標値 (単位で読む。既定: 未設定)"
    )
    decide.add_argument("--generation", type=int, metavar="N", help="準備中の計画期 (既定: 最新)")
    target = gen_sub.add_parser(
        "target", help="計画の指標の目標値を設定する（カタログの編集と同じ単位の確認、監査記録）"
    )
    target.add_argument("code", metavar="CODE", help="その計画の指標コード")
    target.add_argument("value", nargs="?", metavar="VALUE", help="目標値 (7,500人, 98.7%%)")
    target.add_argument("--clear", action="store_true", help="目標値を未設定に戻す")
    target.add_argument(
        "--year",
        type=fiscal_year,
        metavar="FY",
        help="目標の年度 (既定: 目標年度。前の年度は年度別目標)",
    )
    target.add_argument("--generation", type=int, metavar="N", help="計画期 (既定: 最新)")
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


def generation_command(store: Store, args: argparse.Namespace) -> Exit:
    from kplan_desktop.exchange import next_generation, plan_targets  # openpyxl: lazy imports

    who, source = current_user(), EntrySource.CLI
    command = args.generation_command
    if command == "list":
        return _list(store, json=args.json)
    if command == "show":
        number = args.number if args.number is not None else _newest(store)
        return show(store, number, json=args.json)
    if command == "target":
        number = args.generation if args.generation is not None else _newest(store)
        target_set = plan_targets.set_target(store, number, args.code, typed_value(args),
                                       fiscal_year=args.year, who=who, source=source)  # fmt: skip
        print_target(target_set, number)
        return Exit.OK
    if command == "new":
        with store.snapshot() as conn:
            origin = args.source if args.source is not None else active_generation(conn)
        made = next_generation.start_next_generation(
            store,
            from_generation=origin,
            name=args.name,
            start_year=args.start,
            end_year=args.end,
            baseline_year=args.baseline_year,
            who=who,
            source=source,
        )
        print_made(made, origin, args.baseline_year)
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
            target=args.target,
            who=who,
            source=source,
        )
        print_decided(done)
        return Exit.OK
    if command == "add":
        number = args.generation if args.generation is not None else _newest(store)
        indicator = Indicator(
            code=args.code,
            kind=IndicatorKind(args.kind),
            name=args.name,
            unit=args.unit,
            department=args.department,
        )
        next_generation.add_indicator(
            store, number, args.measure, indicator, target=args.target, who=who, source=source
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


# -- the words of new, decide, show and target (trial findings 3 and 5) ---------------------

NOT_SET = "未設定"


def _value(value: Decimal | None, indicator: Indicator | None = None) -> str:
    if value is None:
        return NOT_SET
    unit = "" if indicator is None or indicator.unit is None else indicator.unit
    return f"{canonical(value)}{unit}"


def _waiting(year: int) -> str:
    return f"{NOT_SET}（{format_fiscal_year(year)}の確定値を待っています）"


def print_made(made: Created, origin: int, base_year: int) -> None:
    """`generation new`: the plan made, and that every indicator continues until decided
    otherwise (the wizard's default), with how many baselines are taken and how many wait."""
    taken = sum(1 for _, value in made.baselines if value is not None)
    waiting = len(made.baselines) - taken
    year = format_fiscal_year(base_year)
    print(
        f"計画期 {made.number} を作りました（準備中、計画期 {origin} から） / "
        f"Plan generation {made.number} made (draft, from generation {origin})"
    )
    print(
        f"前の計画の指標 {len(made.baselines)} 件をすべて「継続」として引き継ぎました"
        f"（系列はつながっています。基準値: {year}の確定値から {taken} 件、確定値を待つもの "
        f"{waiting} 件）。目標値はすべて{NOT_SET}です / Every one of the {len(made.baselines)} "
        f"indicators is continued (linked; baselines from FY{base_year}'s final values: {taken} "
        f"taken, {waiting} waiting). Every target is not set"
    )
    print(
        "見直し・終了は kplan generation decide、目標値は kplan generation target で決め、"
        "kplan generation show で確認できます / Decide replacements and ends with kplan "
        "generation decide, targets with kplan generation target; kplan generation show lists "
        "them"
    )


def print_decided(done: Decided) -> None:
    decision = done.decision
    line = f"{decision.old_code}: {decision.succession.label('ja')}"
    if decision.new_code not in (None, decision.old_code):
        line += f" → {decision.new_code}"
    if decision.succession is Succession.CONTINUE:
        base = "—" if decision.base_year is None else format_fiscal_year(decision.base_year)
        value = "未設定 / not set" if done.baseline is None else canonical(done.baseline)
        line += f"（基準値 {base}: {value}）"
    if decision.succession is not Succession.END:
        target = "未設定 / not set" if done.target is None else canonical(done.target)
        line += f"（目標値 {target}）"
    print(f"{line} / {decision.succession.label('en')}")


def _baseline(row: Carried) -> str:
    new = row.new
    if new is None or row.succession is Succession.END:
        return ""
    if new.baseline is None:
        return NOT_SET if row.pending_year is None else _waiting(row.pending_year)
    year = "" if new.baseline_year is None else f"（{format_fiscal_year(new.baseline_year)}）"
    return f"{_value(new.baseline, new)}{year}{baseline_note(new)}"


def _target(indicator: Indicator | None) -> str:
    if indicator is None:
        return ""
    shown = _value(indicator.target, indicator)
    if indicator.target is not None and indicator.target_year is not None:
        shown += f"（{format_fiscal_year(indicator.target_year)}）"
    return shown


def _json_row(row: Carried) -> dict[str, object]:
    new = row.new
    return {
        "prior_code": row.prior.code,
        "prior_name": row.prior.name,
        "succession": row.succession.value,
        "code": None if new is None else new.code,
        "baseline": None if new is None or new.baseline is None else canonical(new.baseline),
        "baseline_year": None if new is None else new.baseline_year,
        "baseline_waits_for": row.pending_year,
        "target": None if new is None or new.target is None else canonical(new.target),
        "target_year": None if new is None else new.target_year,
    }


def show(store: Store, generation: int, *, json: bool) -> Exit:
    """`generation show [N]`: each old indicator's fate in plan N and the baseline and target
    the new plan holds, then the indicators new in it."""
    with store.snapshot() as conn:
        found = successions(conn, generation)
    record, prior = found.record, found.prior
    if json:
        print_json(
            {
                "generation": record.number,
                "name": record.generation.name,
                "status": record.status.value,
                "from_generation": prior.number,
                "indicators": [_json_row(row) for row in found.carried],
                "added": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "target": None if i.target is None else canonical(i.target),
                        "target_year": i.target_year,
                    }
                    for i in found.added
                ],
            }
        )
        return Exit.OK
    print(
        f"計画期 {record.number}: {record.generation.label()}（{record.status.label('ja')}）"
        f" ← 計画期 {prior.number}: {prior.generation.label()} / generation {record.number} "
        f"({record.status.label('en')}) from generation {prior.number}"
    )
    print("前の計画の指標\t引き継ぎ\t新しいコード\t基準値\t目標値 / prior code, decision, new "
          "code, baseline, target")  # fmt: skip
    counts = dict.fromkeys(Succession, 0)
    for row in found.carried:
        counts[row.succession] += 1
        kind = f"{row.succession.label('ja')} / {row.succession.label('en')}"
        code = "" if row.new is None else row.new.code
        print(f"{row.prior.code}\t{kind}\t{code}\t{_baseline(row)}\t{_target(row.new)}")
    for indicator in found.added:
        print(f"—\t新規 / new\t{indicator.code}\t—\t{_target(indicator)}")
    print(
        f"継続 {counts[Succession.CONTINUE]}・見直し {counts[Succession.REPLACE]}・"
        f"終了 {counts[Succession.END]}・新規 {len(found.added)} / continued "
        f"{counts[Succession.CONTINUE]}, replaced {counts[Succession.REPLACE]}, ended "
        f"{counts[Succession.END]}, new {len(found.added)}"
    )
    return Exit.OK


def typed_value(args: argparse.Namespace) -> str | None:
    """`generation target CODE VALUE|--clear`: the text typed (None: --clear, 未設定)."""
    if (args.value is None) == (not args.clear):
        raise DomainError(
            "E_ARGUMENTS",
            "目標値（VALUE）か --clear のどちらか一方を指定してください",
            "Give either the target (VALUE) or --clear",
        )
    return None if args.clear else str(args.value)


def print_target(done: TargetSet, generation: int) -> None:
    kind, kind_en = ("目標値", "target") if done.final else ("年度別目標", "interim target")
    before = NOT_SET if done.before is None else canonical(done.before)
    after = NOT_SET if done.after is None else canonical(done.after)
    before_en = "not set" if done.before is None else before
    after_en = "not set" if done.after is None else after
    print(
        f"{done.code} の{kind}（{format_fiscal_year(done.fiscal_year)}）: {before} → {after}"
        f"（計画期 {generation}） / {done.code} {kind_en} FY{done.fiscal_year}: {before_en} → "
        f"{after_en} (generation {generation})"
    )
