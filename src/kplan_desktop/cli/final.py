"""`kplan final-evaluation`: the 最終評価 of a plan generation, as a workbook, JSON or text."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import SubParsers, add_generation_option, runs
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.achievement import format_rate
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.generation import GenerationStatus
from kplan_desktop.exchange.final_evaluation import (
    close_generation,
    final_evaluation_json,
    gather_final_evaluation,
)
from kplan_desktop.store.audit import current_user
from kplan_desktop.store.generations import choose_generation, generation_record, generations
from kplan_desktop.store.requests import EntrySource

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kplan_desktop.domain.final_evaluation import FinalEvaluation
    from kplan_desktop.store.engine import Store


def register(sub: SubParsers) -> None:
    """Add `final-evaluation` to the `kplan` parser."""
    command = sub.add_parser(
        "final-evaluation",
        help="計画の最終評価 (final evaluation of a plan: workbook / JSON; 企画担当課)",
        description="計画期の最終評価: 指標ごとの最終の達成率と評価、政策・施策ごとの評価の分布と"
        "最終年度の施策評価、政策ごとの目標達成数。--out で印刷用のブック (.xlsx)、--json で同じ"
        "数値を JSON で出力する。--close で書き出したうえで計画期を終了する"
        "（以後は読み取り専用）。",
    )
    add_generation_option(
        command,
        "計画期の番号か名前 (既定: 実施中のうち最も古い計画期) / plan generation, number or name "
        "(default: the oldest in force)",
    )
    command.add_argument(
        "-o", "--out", type=Path, metavar="FILE.xlsx", help="最終評価ブックを書き出す"
    )
    command.add_argument("--json", action="store_true", help="同じ数値を JSON で出力する")
    command.add_argument(
        "--close",
        action="store_true",
        help="最終評価を書き出し、計画期を終了する（最終年度の実績がすべて確定・取り込み済みの"
        "とき。以後この計画期は変更できない） / write the final evaluation and close the plan "
        "generation (read-only afterwards)",
    )
    command.add_argument(
        "--lang",
        choices=("ja", "en"),
        default="ja",
        help="ブックの見出しと表示の言語 (ja / en; JSON のキーは変わらない) / language of the "
        "workbook's labels and of the printed summary",
    )
    runs(command, final_evaluation_command)


# The printed summary's columns and words, by language.
_COLUMNS = {
    "ja": ["政策", "名称", "指標数", "目標達成", "未達成", "判定できず", "達成割合"],
    "en": ["policy", "name", "indicators", "reached", "not reached", "not judged", "share"],
}


def final_evaluation_command(store: Store, args: argparse.Namespace) -> Exit:
    out: Path | None = args.out
    lang: str = args.lang
    en = lang == "en"
    if out is not None and out.suffix.lower() != ".xlsx":
        raise DomainError(
            "E_FILE_TYPE",
            f"書き出し先は .xlsx にしてください: {out.name}",
            f"Write to a .xlsx file: {out.name}",
        )
    if args.close and args.generation is None:
        # Closing is for good: the plan is named, never taken from a default that moves on
        # once the old plan is closed (s8 trial finding 10).
        raise DomainError(
            "E_CLOSE_NEEDS_GENERATION",
            "終了する計画期を --generation で指定してください（kplan generation list で番号と"
            "名前を確認できます）。何も変更していません",
            "Name the plan generation to close with --generation (kplan generation list shows "
            "the numbers and names); nothing was changed",
        )
    with store.snapshot() as conn:
        number = _chosen(conn, args.generation)
        if not args.close:
            found = generation_record(conn, number)
            if found is not None:
                name = found.generation.name
                print(
                    f"計画期 {number}（{name}）の最終評価です / Final evaluation of plan "
                    f"generation {number} ({name})",
                    file=sys.stderr if args.json else sys.stdout,
                )
    if args.close:
        result = _close(store, number, out, lang)
    else:
        result = gather_final_evaluation(store, number)
        if out is not None:
            from kplan_desktop.exchange.final_evaluation_xlsx import write_final_evaluation

            write_final_evaluation(out, result, who=current_user(), lang=lang)
    if args.json:
        json.dump(final_evaluation_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return Exit.OK
    plan = result.plan
    generation = result.generation
    period = f"{generation.start_year}〜{generation.end_year}"
    if en:
        print(f"Final evaluation: {result.plan_name} (FY{generation.start_year}–FY"
              f"{generation.end_year})")  # fmt: skip
    else:
        print(f"最終評価 / Final evaluation: {result.plan_name} (FY{period})")
    print("\t".join(_COLUMNS[lang]))
    rows = [(p.code, p.name, p.tally) for p in result.policies]
    rows.append(("all", "whole plan", plan) if en else ("全体", "計画全体", plan))
    for code, name, tally in rows:
        share = "—" if tally.reached_share is None else format_rate(tally.reached_share)
        figures = [tally.total, tally.reached, tally.not_reached, tally.not_judged]
        print("\t".join([code, name, *map(str, figures), share]))
    if out is not None:
        written = f"最終評価ブックを書き出しました: {out} / " if not en else ""
        print(f"{written}Written: {out}")
    if args.close:
        if en:
            print(f"Plan generation {generation.number} ({generation.name}) closed; it is"
                  " read-only from now on")  # fmt: skip
        else:
            print(
                f"計画期 {generation.number}（{generation.name}）を終了しました。"
                "以後は変更できません"
                f" / Plan generation {generation.number} closed; it is read-only from now on"
            )
    return Exit.OK


def _chosen(conn: Connection, named: str | None) -> int:
    """The generation named, else the oldest in force (the one the planning division closes
    next), else the one in use."""
    if named is not None:
        return choose_generation(conn, named)
    active = [r.number for r in generations(conn) if r.status is GenerationStatus.ACTIVE]
    return min(active) if active else choose_generation(conn)


def _close(store: Store, number: int, out: Path | None, lang: str) -> FinalEvaluation:
    """Close the generation: the workbook (when asked) written inside the closing's
    transaction, so it shows exactly what was closed; a failed write leaves it open."""
    from kplan_desktop.exchange.final_evaluation_xlsx import write_final_evaluation

    who = current_user()

    def write(result: FinalEvaluation) -> None:
        if out is not None:
            write_final_evaluation(out, result, who=who, lang=lang)

    return close_generation(store, number, write, who=who, source=EntrySource.CLI)
