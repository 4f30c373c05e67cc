"""`kplan finalise`, `export`, `template`, `merge` and `report`: the workbook exchange commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kplan_desktop import logs
from kplan_desktop.cli.base import SubParsers, add_generation_option, fiscal_year, runs
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.exchange.payload import MergeReport, RowOutcome
from kplan_desktop.progress import TerminalProgress
from kplan_desktop.store.backup import backup_before
from kplan_desktop.store.generations import choose_generation
from kplan_desktop.store.requests import EntrySource, current_user
from kplan_desktop.store.submissions import finalise, withdraw_finalisation

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kplan_desktop.store.engine import Store


def register(sub: SubParsers) -> None:
    finalise_parser = sub.add_parser("finalise", help="課の年度を確定する (finalise)")
    finalise_parser.add_argument("--department", required=True, metavar="CODE", help="課コード")
    finalise_parser.add_argument(
        "--year", required=True, type=fiscal_year, metavar="FY", help="年度"
    )
    finalise_parser.add_argument(
        "--withdraw", action="store_true", help="確定を取り消す (withdraw the finalisation)"
    )
    add_generation_option(finalise_parser)
    runs(finalise_parser, finalise_command)

    export = sub.add_parser("export", help="提出用ブックを書き出す (submission workbook)")
    export.add_argument("--department", required=True, metavar="CODE", help="課コード")
    export.add_argument("--year", required=True, type=fiscal_year, metavar="FY", help="年度")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.xlsx")
    export.add_argument(
        "--draft", action="store_true", help="未確定のまま下書きとして書き出す (export a draft)"
    )
    add_generation_option(export)
    runs(export, export_command)

    template = sub.add_parser("template", help="記入用テンプレートを書き出す (fill-in template)")
    template.add_argument("--department", required=True, metavar="CODE", help="課コード")
    template.add_argument("--year", required=True, type=fiscal_year, metavar="FY", help="年度")
    template.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.xlsx")
    add_generation_option(template)
    runs(template, template_command)

    merge = sub.add_parser("merge", help="提出ブック・テンプレートを取り込む (merge)")
    merge.add_argument("files", nargs="+", type=Path, metavar="FILE.xlsx")
    merge.add_argument(
        "--dry-run", action="store_true", help="書き込まずに結果だけ表示する (preview)"
    )
    merge.add_argument("--json", action="store_true", help="JSONで出力")
    merge.add_argument(
        "--accept-valid",
        action="store_true",
        help="却下された行があっても有効な行を書き込む (write the valid rows)",
    )
    merge.add_argument(
        "--accept-unsigned",
        action="store_true",
        help="鍵が登録された課の署名のない・一致しないファイルも受け入れる（違う値はすべて競合）"
        " (accept files without a valid signature; every differing value is a conflict)",
    )
    merge.add_argument(
        "--accept-warnings",
        action="store_true",
        help="コメントのない警告がある行も書き込み、未説明の警告として残す "
        "(write rows whose warnings no comment explains)",
    )
    merge.add_argument(
        "--take",
        choices=("file", "db"),
        help="競合の解決: ファイルの値 (file) かデータベースの値 (db) を採る",
    )
    runs(merge, merge_command)

    report = sub.add_parser("report", help="集約ブックを作成する (consolidated workbook)")
    report.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.xlsx")
    report.add_argument("--year", type=fiscal_year, metavar="FY", help="評価する年度")
    report.add_argument("--plan", metavar="NAME", help="他計画ごとのブック (総合戦略 / 行財政改革)")
    runs(report, report_command)


def _xlsx(path: Path) -> Path:
    if path.suffix.lower() != ".xlsx":
        raise DomainError(
            "E_FILE_TYPE",
            f"書き出し先は .xlsx にしてください: {path.name}",
            f"Write to a .xlsx file: {path.name}",
        )
    return path


def _year(year: int) -> str:
    return format_fiscal_year(year, FiscalYearStyle.ERA_WITH_WESTERN)


def finalise_command(store: Store, args: argparse.Namespace) -> Exit:

    who = current_user()
    if args.withdraw:
        done = store.write(
            lambda conn, key: withdraw_finalisation(
                conn,
                choose_generation(conn, args.generation, args.year),
                args.department,
                args.year,
                who=who,
                source=EntrySource.CLI,
                request_key=key,
            )
        )
        if done:
            print(f"確定を取り消しました: {args.department} {_year(args.year)} / withdrawn")
        else:
            print(f"確定されていません（変更なし）: {_year(args.year)} / was not finalised")
        return Exit.OK
    from kplan_desktop.exchange.next_generation import fill_pending_baselines

    def finalise_and_fill(conn: Connection, key: str) -> bool:
        number = choose_generation(conn, args.generation, args.year)
        done = finalise(
            conn, number, args.department, args.year, who=who, source=EntrySource.CLI,
            request_key=key,
        )  # fmt: skip
        # The finalised actuals fill the next plan's pending baselines in (same transaction).
        fill_pending_baselines(conn, number, who=who, source=EntrySource.CLI,
                               origin=f"finalise {args.department} FY{args.year}")  # fmt: skip
        return done

    if store.write(finalise_and_fill):
        print(f"確定しました: {args.department} {_year(args.year)} / finalised")
    else:
        print(f"確定済みです（変更なし）: {_year(args.year)} / already finalised")
    return Exit.OK


def export_command(store: Store, args: argparse.Namespace) -> Exit:
    # Lazy (see merge_command): the submission writer loads the signing keys (cryptography).
    from kplan_desktop.exchange.export import export_submission

    out = _xlsx(args.output)
    bar = TerminalProgress("書き出し / export")
    try:
        header = export_submission(
            store,
            args.department,
            args.year,
            out,
            draft=args.draft,
            progress=bar,
            generation=args.generation,
        )
    finally:
        bar.close()
    assert header is not None
    draft = "（下書き・未確定）" if header.draft else ""
    print(
        f"書き出しました{draft}: {out}（{header.row_count} 行） / Written"
        f"{' (draft)' if header.draft else ''}: {out} ({header.row_count} rows)"
    )
    return Exit.OK


def template_command(store: Store, args: argparse.Namespace) -> Exit:
    # Lazy (see merge_command): the submission writer loads the signing keys (cryptography).
    from kplan_desktop.exchange.export import export_template

    out = _xlsx(args.output)
    bar = TerminalProgress("書き出し / template")
    try:
        export_template(
            store, args.department, args.year, out, progress=bar, generation=args.generation
        )
    finally:
        bar.close()
    print(f"記入用テンプレートを書き出しました: {out} / Template written: {out}")
    return Exit.OK


def merge_command(store: Store, args: argparse.Namespace) -> Exit:

    who = current_user()
    results: list[MergeReport | DomainError] = []
    # Lazy: the workbook modules load openpyxl (about 0.1-0.2 s); only the commands that write
    # or read a workbook pay for it (every other `kplan` command starts without it).
    from kplan_desktop.exchange.merge import apply_merge, merge_context, plan_merge, report_to_dict

    context = merge_context(store)
    if not args.dry_run:
        backup_before(store, "merge")
    for path in args.files:
        bar = TerminalProgress(f"読み込み / reading {path.name}")
        try:
            plan = plan_merge(
                store,
                path,
                context=context,
                progress=bar,
                accept_unsigned=args.accept_unsigned,
            )
            bar.close()
            results.append(
                apply_merge(
                    store,
                    plan,
                    who=who,
                    accept_valid=args.accept_valid,
                    accept_warnings=args.accept_warnings,
                    take=args.take,
                    dry_run=args.dry_run,
                )
            )
        except DomainError as exc:
            bar.close()
            results.append(exc)
    log = logs.get()
    for path, result in zip(args.files, results, strict=True):
        if isinstance(result, DomainError):
            log.info("merge %s refused: %s", path.name, result.code)
        else:
            counts = " ".join(f"{o.value}={result.count(o)}" for o in RowOutcome)
            log.info(
                "merge %s sha256=%s kind=%s %s written=%s dry_run=%s",
                path.name,
                result.sha256,
                result.kind,
                counts,
                result.written,
                result.dry_run,
            )
    refused = any(
        isinstance(r, DomainError) or (r.count(RowOutcome.REJECTED) and not args.accept_valid)
        for r in results
    )
    conflicts = any(isinstance(r, MergeReport) and r.count(RowOutcome.CONFLICT) for r in results)
    held = any(isinstance(r, MergeReport) and r.held_for_warnings for r in results)
    if args.json:
        out = []
        for path, result in zip(args.files, results, strict=True):
            if isinstance(result, DomainError):
                out.append(
                    {
                        "file": path.name,
                        "refused": True,
                        "code": result.code,
                        "message_ja": result.message_ja,
                        "message_en": result.message_en,
                    }
                )
            else:
                out.append({"refused": False, **report_to_dict(result)})
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for path, result in zip(args.files, results, strict=True):
            _print_report(path, result)
        _print_warnings(args.files, results, accepted=args.accept_warnings)
    if refused:
        return Exit.ERROR
    return Exit.ATTENTION if conflicts or held else Exit.OK


def _print_warnings(
    paths: list[Path], results: list[MergeReport | DomainError], *, accepted: bool
) -> None:
    """Every unexplained warning, one line each: file, row, sheet and cell, indicator, the value
    (stored with its unit, the typed text beside, and the database's value), code, the warning."""
    lines = [
        (path, line, warning)
        for path, result in zip(paths, results, strict=True)
        if not isinstance(result, DomainError)
        for line in result.warned
        for warning in line.warnings
    ]
    if not lines:
        return
    if accepted:
        print(
            f"コメントのない警告 {len(lines)} 件（承知の上で取り込み、未説明の警告として残します）"
            " / "
            f"{len(lines)} warnings without a comment (accepted; kept as unexplained)"
        )
    else:
        print(
            f"コメントのない警告 {len(lines)} 件（--accept-warnings で書き込めます） / "
            f"{len(lines)} warnings without a comment (write them with --accept-warnings)"
        )
    for path, line, warning in lines:
        row = "-" if line.sheet_row is None else f"行{line.sheet_row}"
        place = f"{line.sheet} {line.cell}" if line.sheet and line.cell else "-"
        value = line.file_text or "-"
        if line.db_value is not None:
            value += f"（データベース / database {line.db_text}）"
        print(
            f"{path.name}\t{row}\t{place}\t{line.indicator}\t{value}\t{warning.code}\t"
            f"{warning.message_ja} / {warning.message_en}"
        )


def _print_report(path: Path, result: MergeReport | DomainError) -> None:

    if isinstance(result, DomainError):
        # Under its own header like every other file (s8 trial finding 7); the header is
        # flushed first so that the refusal (on standard error) follows it in a console.
        print(f"■ {path.name}  [取り込めません / refused]", flush=True)
        print(f"  ✖ {result.both()}", file=sys.stderr, flush=True)
        return
    counts = "  ".join(f"{o.label_ja} {result.count(o)}" for o in RowOutcome)
    year = "" if result.fiscal_year is None else _year(result.fiscal_year)
    changed = result.count(RowOutcome.NEW) + result.count(RowOutcome.UPDATED)
    if result.dry_run:
        state = "確認のみ（書き込んでいません） / dry run, nothing written"
    elif result.written and changed:
        state = "書き込みました / written"
    elif result.written:
        state = "提出の記録だけ残しました（値の変更なし） / recorded the file; no value changed"
    else:
        state = "書き込んでいません / nothing written"
    kind = _KIND_JA.get(result.kind, result.kind)
    generation = "" if result.generation is None else f" 第{result.generation}期"
    print(f"■ {path.name}  [{kind}] {result.department} {year}{generation}")
    print(f"  {counts}  — {state}")
    for ja, en in zip(result.notes_ja, result.notes_en, strict=True):
        print(f"  ※ {ja} / {en}")
    for line in result.lines:
        where = "" if line.sheet_row is None else f"行{line.sheet_row}"
        values = ""
        # The stored value with its unit beside the typed text, as the merge preview shows it:
        # 341.2万人（入力: 3,412,000人）.
        shown = line.file_text
        if line.outcome in (RowOutcome.CONFLICT, RowOutcome.UPDATED) and line.db_value:
            values = f"  ファイル {shown} / データベース {line.db_text}"
        elif shown is not None:
            values = f"  {shown}"
        reason = ""
        if line.reason_ja:
            both = f"{line.reason_ja} / {line.reason_en}" if line.reason_en else line.reason_ja
            reason = f"  {both}"
        print(
            f"  {where:>6} {line.indicator:<12} {line.fiscal_year or '':<5} "
            f"{line.outcome.label_ja}{values}{reason}"
        )


_KIND_JA = {
    "submission": "提出ブック",
    "resaved": "提出ブック・再保存",
    "edited": "提出ブック・編集あり",
    "template": "記入用テンプレート",
}


def report_command(store: Store, args: argparse.Namespace) -> Exit:

    # Lazy: the workbook modules load openpyxl (about 0.1-0.2 s); only the commands that write
    # or read a workbook pay for it (every other `kplan` command starts without it).
    from kplan_desktop.exchange.report import write_consolidated, write_plan_report

    out = _xlsx(args.output)
    bar = TerminalProgress("作成 / report")
    try:
        if args.plan is not None:
            year = write_plan_report(
                store, out, args.plan, args.year, who=current_user(), progress=bar
            )
        else:
            year = write_consolidated(store, out, args.year, who=current_user(), progress=bar)
    finally:
        bar.close()
    assert year is not None
    if args.plan is not None:
        print(f"{args.plan}のブックを作成しました（{_year(year)}）: {out} / Workbook written")
    else:
        print(f"集約ブックを作成しました（{_year(year)}）: {out} / Consolidated workbook written")
    return Exit.OK
