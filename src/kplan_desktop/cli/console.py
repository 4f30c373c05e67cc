"""`kplan` commands of the planning console: 施策評価 (evaluate, evaluations, review)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import Parser, SubParsers, add_generation_option, fiscal_year, runs
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.errors import DomainError, no_catalog
from kplan_desktop.domain.evaluation import Evaluation, parse_grade, parse_next_step
from kplan_desktop.domain.fiscal_year import days_past, parse_date, proposed_due_date
from kplan_desktop.domain.text import visible
from kplan_desktop.store.audit import current_user
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.cycle import PENDING, department_statuses, open_year, year_cycle
from kplan_desktop.store.evaluations import (
    evaluation_overview,
    read_evaluation,
    save_evaluation,
    save_review_comment,
)
from kplan_desktop.store.generations import choose_generation
from kplan_desktop.store.requests import EntrySource

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


LANG_HELP = "表示の言語 (ja / en; JSON は同じ) / language of the listing"


def register(sub: SubParsers) -> None:
    evaluate = sub.add_parser(
        "evaluate", help="施策評価を記入する (self-evaluation, results, next step)"
    )
    add_generation_option(evaluate)
    evaluate.add_argument("--measure", required=True, metavar="CODE", help="施策コード (7-1-1)")
    evaluate.add_argument("--year", required=True, type=fiscal_year, metavar="FY", help="年度")
    evaluate.add_argument("--grade", metavar="A-D", help="自己評価 (A・B・C・D)")
    results = evaluate.add_mutually_exclusive_group()
    results.add_argument("--results", metavar="TEXT", help="成果と課題")
    results.add_argument("--results-file", type=Path, metavar="FILE", help="成果と課題 (UTF-8)")
    evaluate.add_argument("--next", metavar="STEP", help="今後の方向性 (拡充/継続/改善/縮小/廃止)")
    evaluate.add_argument("--next-text", metavar="TEXT", help="今後の方向性の説明")
    runs(evaluate, evaluate_command)

    listing = sub.add_parser("evaluations", help="施策評価の一覧 (with the indicator grades)")
    add_generation_option(listing)
    listing.add_argument("--year", required=True, type=fiscal_year, metavar="FY", help="年度")
    listing.add_argument("--department", metavar="CODE", help="課コード")
    listing.add_argument("--json", action="store_true", help="JSONで出力")
    listing.add_argument("--lang", choices=("ja", "en"), default="ja", help=LANG_HELP)
    runs(listing, evaluations_command)

    review = sub.add_parser("review", help="施策評価に評価者のコメントを付ける (planning)")
    add_generation_option(review)
    review.add_argument("--measure", required=True, metavar="CODE", help="施策コード")
    review.add_argument("--year", required=True, type=fiscal_year, metavar="FY", help="年度")
    review.add_argument("--comment", required=True, metavar="TEXT", help="評価者のコメント")
    runs(review, review_command)
    cycle = sub.add_parser("cycle", help="年度の進行 (open a year, submission status; 企画担当課)")
    cycle_sub = cycle.add_subparsers(dest="cycle_command", required=True, parser_class=Parser)
    open_parser = cycle_sub.add_parser("open", help="年度の入力受付を始める（提出期限つき）")
    add_generation_option(open_parser)
    open_parser.add_argument("--year", required=True, type=fiscal_year, metavar="FY", help="年度")
    open_parser.add_argument(
        "--due",
        type=_due_date,
        metavar="YYYY-MM-DD",
        help="提出期限 (2026-06-30, 20260630, 2026年6月30日)。省略すると期限なし",
    )
    open_parser.add_argument(
        "--past-due",
        action="store_true",
        help="すでに過ぎた提出期限でも確認せずに受付を始める (accept a due date already past)",
    )
    status = cycle_sub.add_parser("status", help="課ごとの提出状況")
    add_generation_option(status)
    status.add_argument("--year", required=True, type=fiscal_year, metavar="FY", help="年度")
    status.add_argument("--json", action="store_true", help="JSONで出力")
    status.add_argument("--lang", choices=("ja", "en"), default="ja", help=LANG_HELP)
    pending = cycle_sub.add_parser("pending", help="未提出の課の一覧を書き出す (.xlsx)")
    add_generation_option(pending)
    pending.add_argument("--year", required=True, type=fiscal_year, metavar="FY", help="年度")
    pending.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.xlsx")
    runs(cycle, cycle_command)


def _due_date(text: str) -> date:

    try:
        return parse_date(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(f"{exc.message_ja} / {exc.message_en}") from None


def _past_due_accepted(due: date, today: date, year: int) -> bool:
    """A due date already past: asked on a terminal (default no); refused otherwise."""
    late = days_past(due, today)
    if not late:
        return True
    proposal = proposed_due_date(year, today).isoformat()
    question = (
        f"提出期限 {due.isoformat()} はすでに{late}日過ぎています（今日は {today.isoformat()}）。"
        f"この日付で入力受付を始めますか？ [y/N] / The due date is {late} days past. Go on? "
    )
    if sys.stdin is not None and sys.stdin.isatty():
        print(question, end="", flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer in ("y", "yes", "はい"):
            return True
    raise DomainError(
        "E_PAST_DUE",
        f"提出期限 {due.isoformat()} はすでに{late}日過ぎています。受付は始めていません"
        f"（例: --due {proposal}。過ぎた日付のままなら --past-due）",
        f"The due date {due.isoformat()} is {late} days past; nothing was opened "
        f"(e.g. --due {proposal}; --past-due to keep a past date)",
    )


def cycle_command(store: Store, args: argparse.Namespace) -> Exit:

    with store.snapshot() as conn:
        number = choose_generation(conn, args.generation, args.year)
        catalog = read_catalog(conn, number)
    if catalog is None:
        raise no_catalog()
    if args.cycle_command == "open":
        if args.due is not None and not args.past_due:
            _past_due_accepted(args.due, date.today(), args.year)
        with store.transaction() as conn:
            opened = open_year(
                conn,
                number,
                catalog,
                args.year,
                args.due,
                who=current_user(),
                source=EntrySource.CLI,
            )
        due = "なし" if opened.due_date is None else opened.due_date.isoformat()
        print(f"{args.year}年度の入力受付を始めました（提出期限: {due}） / FY{args.year} opened")
        return Exit.OK
    catalog.check_choice(None, args.year)
    with store.snapshot() as conn:
        rows = department_statuses(conn, number, catalog, args.year)
        cycle = year_cycle(conn, number, args.year)
    if args.cycle_command == "pending":
        if args.output.suffix.lower() != ".xlsx":
            raise DomainError(
                "E_FILE_TYPE",
                f"書き出し先は .xlsx にしてください: {args.output.name}",
                f"Write to a .xlsx file: {args.output.name}",
            )

        waiting = [r for r in rows if r.status in PENDING]
        # Lazy: the workbook modules load openpyxl (about 0.1-0.2 s); only the commands that write
        # or read a workbook pay for it (every other `kplan` command starts without it).
        from kplan_desktop.exchange.cycle_xlsx import write_pending

        write_pending(args.output, args.year, cycle, waiting)
        print(
            f"未提出の課 {len(waiting)} 件を書き出しました: {args.output} / {len(waiting)} written"
        )
        return Exit.OK
    if args.json:
        data = [
            {
                "department": r.code,
                "name": r.name,
                "status": r.status.value,
                "indicators": r.indicators,
                "entered": r.entered,
            }
            for r in rows
        ]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return Exit.OK
    en = getattr(args, "lang", "ja") == "en"
    if cycle is not None:
        if en:
            due = "none" if cycle.due_date is None else cycle.due_date.isoformat()
            print(f"FY{args.year} due: {due}")
        else:
            due = "なし" if cycle.due_date is None else cycle.due_date.isoformat()
            print(f"{args.year}年度 提出期限 / due: {due}")
    for r in rows:
        label = r.status.label("en" if en else "ja")
        print(f"{r.code}\t{label}\t{r.entered}/{r.indicators}\t{r.name}")
    return Exit.OK


def _first_line(text: str, limit: int = 60) -> str:
    """The first line (split at LF only: splitlines() also cuts at U+2028 and other separators
    a stored text may hold), with anything unprintable shown escaped."""
    whole = text.strip()
    line = whole.split("\n", 1)[0]
    short = line if len(line) <= limit and "\n" not in whole else line[:limit] + "…"
    return visible(short)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(
            "E_FILE",
            f"ファイルを読めません: {path}（UTF-8のテキストにしてください）",
            f"Cannot read {path} as UTF-8 text ({type(exc).__name__})",
        ) from None


def evaluate_command(store: Store, args: argparse.Namespace) -> Exit:

    with store.snapshot() as conn:
        current = read_evaluation(
            conn, choose_generation(conn, args.generation, args.year), args.measure, args.year
        )
    base = (
        Evaluation(args.measure, args.year, None, "", None, "")
        if current is None
        else current.evaluation
    )
    wanted = base
    if args.grade is not None:
        wanted = replace(wanted, grade=parse_grade(args.grade))
    if args.results is not None:
        wanted = replace(wanted, results=args.results)
    if args.results_file is not None:
        wanted = replace(wanted, results=_read_text(args.results_file))
    if args.next is not None:
        wanted = replace(wanted, next_step=parse_next_step(args.next))
    if args.next_text is not None:
        wanted = replace(wanted, next_text=args.next_text)
    saved = store.write(
        lambda conn, key: save_evaluation(
            conn,
            choose_generation(conn, args.generation, args.year),
            wanted,
            who=current_user(),
            source=EntrySource.CLI,
            expected=None if current is None else current.revision,
            request_key=key,
        )
    )
    if saved is None:
        print("変更はありません / Nothing changed")
    else:
        print(f"保存しました: 施策 {args.measure} {args.year}年度 / saved")
    return Exit.OK


def review_command(store: Store, args: argparse.Namespace) -> Exit:

    with store.transaction() as conn:
        changed = save_review_comment(
            conn,
            choose_generation(conn, args.generation, args.year),
            args.measure,
            args.year,
            args.comment,
            who=current_user(),
            source=EntrySource.CLI,
        )
    print("保存しました / saved" if changed else "変更はありません / Nothing changed")
    return Exit.OK


def evaluations_command(store: Store, args: argparse.Namespace) -> Exit:

    with store.snapshot() as conn:
        rows = evaluation_overview(
            conn,
            choose_generation(conn, args.generation, args.year),
            args.year,
            department=args.department,
        )
    if args.json:
        json.dump([row.to_dict() for row in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return Exit.OK
    en = args.lang == "en"
    for row in rows:
        e = row.evaluation
        step = ""
        if e is not None and e.next_step is not None:
            step = e.next_step.label_en if en else e.next_step.label_ja
        grade = "" if e is None or e.grade is None else e.grade
        guidance = " ".join(row.indicator_grades) or "－"
        if en:
            print(
                f"{row.measure.code}\t{row.department or ''}\tself-evaluation {grade or '-'}"
                f" (indicator grades: {guidance}, suggested {row.suggested or '-'})"
                f"\t{step or '-'}\t{visible(row.measure.name)}"
            )
        else:
            print(
                f"{row.measure.code}\t{row.department or ''}\t自己評価 {grade or '－'}"
                f"（指標の評価: {guidance}、目安 {row.suggested or '－'}）"
                f"\t{step or '－'}\t{visible(row.measure.name)}"
            )
        if e is not None and e.results:
            said = "results and issues" if en else "成果と課題"
            print(f"\t{said}: {_first_line(e.results)}")
        if e is not None and e.reviewer_comment:
            said = "reviewer's comment" if en else "評価者のコメント"
            print(f"\t{said}: {_first_line(e.reviewer_comment)}")
    return Exit.OK
