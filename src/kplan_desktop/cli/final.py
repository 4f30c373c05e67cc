"""`kplan final-evaluation`: the 最終評価 of a plan generation, as a workbook, JSON or text."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import SubParsers, runs
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.achievement import format_rate
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.exchange.final_evaluation import final_evaluation_json, gather_final_evaluation
from kplan_desktop.store.audit import current_user

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


def _generation(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"計画期は 1 以上の番号で指定してください: {text[:20]} / "
            f"give the plan generation as a number from 1: {text[:20]}"
        )
    return number


def register(sub: SubParsers) -> None:
    """Add `final-evaluation` to the `kplan` parser."""
    command = sub.add_parser(
        "final-evaluation",
        help="計画の最終評価 (final evaluation of a plan: workbook / JSON; 企画担当課)",
        description="計画期の最終評価: 指標ごとの最終の達成率と評価、政策・施策ごとの評価の分布と"
        "最終年度の施策評価、政策ごとの目標達成数。--out で印刷用のブック (.xlsx)、--json で同じ"
        "数値を JSON で出力する。",
    )
    command.add_argument(
        "--generation",
        type=_generation,
        default=1,
        metavar="N",
        help="計画期の番号 (default 1: このデータベースの計画)",
    )
    command.add_argument(
        "-o", "--out", type=Path, metavar="FILE.xlsx", help="最終評価ブックを書き出す"
    )
    command.add_argument("--json", action="store_true", help="同じ数値を JSON で出力する")
    runs(command, final_evaluation_command)


def final_evaluation_command(store: Store, args: argparse.Namespace) -> Exit:
    out: Path | None = args.out
    if out is not None and out.suffix.lower() != ".xlsx":
        raise DomainError(
            "E_FILE_TYPE",
            f"書き出し先は .xlsx にしてください: {out.name}",
            f"Write to a .xlsx file: {out.name}",
        )
    result = gather_final_evaluation(store, args.generation)
    if out is not None:
        from kplan_desktop.exchange.final_evaluation_xlsx import write_final_evaluation

        write_final_evaluation(out, result, who=current_user())
    if args.json:
        json.dump(final_evaluation_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return Exit.OK
    plan = result.plan
    generation = result.generation
    period = f"{generation.start_year}〜{generation.end_year}"
    print(f"最終評価 / Final evaluation: {result.plan_name} (FY{period})")
    print("\t".join(["政策", "名称", "指標数", "目標達成", "未達成", "判定できず", "達成割合"]))
    rows = [(p.code, p.name, p.tally) for p in result.policies]
    rows.append(("全体", "計画全体", plan))
    for code, name, tally in rows:
        share = "—" if tally.reached_share is None else format_rate(tally.reached_share)
        figures = [tally.total, tally.reached, tally.not_reached, tally.not_judged]
        print("\t".join([code, name, *map(str, figures), share]))
    if out is not None:
        print(f"最終評価ブックを書き出しました: {out} / Written: {out}")
    return Exit.OK
