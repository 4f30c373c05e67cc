"""`kplan enter`, `show`, `validate`, `audit` and `departments`: one value in, the values out."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import (
    SubParsers,
    add_generation_option,
    fiscal_year,
    print_json,
    reason_label,
    runs,
)
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.cli.history import history_command, unknown_indicator
from kplan_desktop.domain.achievement import format_rate
from kplan_desktop.domain.audit_words import action_words, detail_words, source_words
from kplan_desktop.domain.catalog import unknown_department
from kplan_desktop.domain.cumulative import entry_note
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, entry_year, format_fiscal_year
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.domain.revision import Revision
from kplan_desktop.domain.text import visible
from kplan_desktop.domain.validation import Severity
from kplan_desktop.domain.values import canonical
from kplan_desktop.store.actuals import (
    EntryRefused,
    EntryRequest,
    Outcome,
    department_exists,
    read_actuals,
    stored_findings,
    write_actuals,
)
from kplan_desktop.store.audit import audit_log, current_user
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.generations import active_generation, choose_generation
from kplan_desktop.store.overview import overview
from kplan_desktop.store.requests import EntryConflict, EntrySource
from kplan_desktop.store.succession import explain_missing

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


def register(sub: SubParsers) -> None:
    enter = sub.add_parser("enter", help="実績値を入力する (one value)")
    enter.add_argument("--indicator", required=True, metavar="CODE", help="指標コード (7-1-1-K3)")
    enter.add_argument(
        "--year", required=True, type=fiscal_year, metavar="FY", help="年度 (R5, 2023)"
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
    add_generation_option(enter)
    runs(enter, enter_command)

    show = sub.add_parser("show", help="指標と実績を表示する")
    show.add_argument("--department", metavar="CODE", help="課コード")
    show.add_argument("--year", type=fiscal_year, metavar="FY", help="年度")
    show.add_argument("--json", action="store_true", help="JSONで出力")
    add_generation_option(show)
    runs(show, show_command)

    validate = sub.add_parser("validate", help="保存済みの値を検証する")
    validate.add_argument("--json", action="store_true", help="JSONで出力")
    add_generation_option(validate)
    runs(validate, validate_command)

    audit = sub.add_parser("audit", help="監査ログを表示する")
    audit.add_argument("--indicator", metavar="CODE", help="指標コード")
    audit.add_argument("--json", action="store_true", help="JSONで出力")
    audit.add_argument(
        "--lang", choices=("ja", "en"), default="ja", help="一覧の言語 / language of the listing"
    )
    runs(audit, audit_command)

    runs(sub.add_parser("departments", help="課の一覧"), departments_command)


def _started_from(text: str | None) -> tuple[bool, Revision | None]:
    """--revision: (check it, the revision); "none" names a value that was not there."""

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


def enter_command(store: Store, args: argparse.Namespace) -> Exit:

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
                conn,
                choose_generation(conn, args.generation, args.year),
                [request],
                who=current_user(),
                source=EntrySource.CLI,
                request_key=key,
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
            return Exit.ATTENTION
        first = refused.check.errors[0]
        if first.code == "E_UNKNOWN_INDICATOR":
            # An indicator of an earlier plan: say it ended (and what took its place).
            with store.snapshot() as conn:
                chosen = choose_generation(conn, args.generation, args.year)
                why = explain_missing(conn, chosen, args.indicator)
            if why is not None:
                raise why from None
        print(f"{first.message_ja} / {first.message_en}", file=sys.stderr)
        if isinstance(exc, EntryConflict):
            _print_current(store, args.indicator, args.year, args.generation)
        return Exit.ERROR
    year = format_fiscal_year(args.year, FiscalYearStyle.ERA_WITH_WESTERN)
    new = result.new
    shown = new.value if new.value is not None else reason_label(new.missing_reason)
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
    return Exit.OK


def _print_current(store: Store, code: str, year: int, generation: str | None) -> None:
    """After a conflict: the value someone else saved, and its revision to start from again."""

    with store.snapshot() as conn:
        found = [
            a
            for a in read_actuals(
                conn, choose_generation(conn, generation, year), indicator_codes=[code]
            )
            if a.fiscal_year == year
        ]
    if not found:
        print("現在の値: （なし） / current value: (none) revision=none", file=sys.stderr)
        return
    now = found[0]
    shown = (
        now.text
        if now.text is not None
        else reason_label(None if now.missing_reason is None else now.missing_reason.value)
    )
    print(
        f"現在の値: {shown}（入力者 {now.entered_by}） / current value: {shown} "
        f"revision={now.revision}",
        file=sys.stderr,
    )


def show_command(store: Store, args: argparse.Namespace) -> Exit:

    if args.history:
        return history_command(store, args)
    with store.snapshot() as conn:
        if args.department is not None and not department_exists(conn, args.department):
            raise unknown_department(args.department)
        # With --year, the indicators the department reported that year (a merged 課's past).
        catalog, rows = overview(
            conn,
            choose_generation(conn, args.generation, args.year),
            department=args.department,
            fiscal_year=args.year,
        )
    if args.indicator is not None:
        rows = [row for row in rows if row.indicator.code == args.indicator]
        if not rows:
            with store.snapshot() as conn:
                number = choose_generation(conn, args.generation, args.year)
                why = explain_missing(conn, number, args.indicator)
            raise why or unknown_indicator(args.indicator)
    settings = catalog.plan.settings
    years = [args.year] if args.year is not None else settings.years
    # The year being entered, which the window grades too (not the plan's target year, whose
    # values do not exist yet): the year that just closed, within the plan.
    grade_year = (
        args.year
        if args.year is not None
        else min(max(entry_year(date.today()), settings.start_year), settings.end_year)
    )
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
        print_json(out)
        return Exit.OK
    grade_label = format_fiscal_year(grade_year, FiscalYearStyle.ERA_WITH_WESTERN)
    en = args.lang == "en"
    if en:
        chosen = "" if args.year is not None else " (the year being entered; --year to choose)"
        print(f"(rates and grades for FY{grade_year}{chosen})")
    else:
        ja, also = ("（入力中の年度。--year で変更）", "; --year to choose")
        if args.year is not None:
            ja = also = ""
        english = f"rates and grades for FY{grade_year}{also}"
        print(f"（達成率・評価は{grade_label}の値{ja} / {english}）")
    not_set = "not set" if en else "未設定"
    if en:
        head = ["code", "indicator", "unit", "baseline"]
    else:
        head = ["コード", "指標名", "単位", "基準値"]
    style = FiscalYearStyle.ENGLISH if en else FiscalYearStyle.SHORT
    head += [format_fiscal_year(y, style) for y in years]
    head += ["target", "rate", "grade"] if en else ["目標", "達成率", "評価"]
    print("\t".join(head))
    for row in rows:
        ind = row.indicator
        name = (ind.name or "(name not set)") if en else ind.display_name
        cells = [ind.code, name, ind.unit or not_set, _num(ind.baseline, not_set)]
        for year in years:
            actual = row.values.get(year)
            if actual is None:
                cells.append("")
            elif actual.value is not None:
                cells.append(canonical(actual.value))
            elif actual.missing_reason is None:
                cells.append("")
            else:
                reason = actual.missing_reason
                cells.append(reason.label_en if en else reason.label_ja)
        target = _num(ind.target, not_set)
        if ind.comparator is not None and ind.target is not None:
            words = ind.comparator.label_ja
            target = f"{ind.comparator.value} {target}" if en else target + words
        ach = row.achievement(catalog, grade_year)
        grade = ach.grade.label(settings.grade_labels, args.lang)
        cells += [target, format_rate(ach.rate), grade]
        print("\t".join(cells))
    for row in rows:
        # Where a clerk reads a 累計 indicator: what its value counts (domain.cumulative).
        note = entry_note(row.indicator, settings, args.lang)
        if note:
            print(f"※ {row.indicator.code}: {note}")
    return Exit.OK


def _num(value: Decimal | None, not_set: str = "未設定") -> str:
    return not_set if value is None else canonical(value)


def validate_command(store: Store, args: argparse.Namespace) -> Exit:

    with store.snapshot() as conn:
        findings = stored_findings(conn, choose_generation(conn, args.generation))
    errors = [f for f in findings if f.finding.severity is Severity.ERROR]
    open_warnings = [
        f for f in findings if f.finding.severity is Severity.WARNING and not f.explained
    ]
    if args.json:
        print_json(
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
        return Exit.ERROR
    return Exit.ATTENTION if open_warnings else Exit.OK


def audit_command(store: Store, args: argparse.Namespace) -> Exit:

    with store.snapshot() as conn:
        entries = audit_log(conn, args.indicator)
    if args.json:
        print_json(
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
        return Exit.OK
    en = args.lang == "en"
    names = _department_names(store)
    if en:
        header = ["No.", "When", "Who", "Via", "Action", "Indicator", "Year", "Before", "After"]
        header += ["Comment", "Detail"]
    else:
        header = ["番号", "日時", "入力者", "経路", "操作", "指標", "年度", "変更前", "変更後"]
        header += ["コメント", "詳細"]
    print("\t".join(header))
    for e in entries:
        old = e.old_value or _reason(e.old_reason, en)
        new = e.new_value or _reason(e.new_reason, en)
        # One line per entry: a line break or a tab in a comment is shown as ⏎ or ⇥, and any
        # other control (an escape sequence someone stored) as \u001b, never obeyed.
        print(
            "\t".join(
                visible(one_line(field))
                for field in [
                    str(e.id),
                    e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                    e.who,
                    source_words(e.source).pick(args.lang),
                    action_words(e.action, e.detail).pick(args.lang),
                    e.indicator_code or "",
                    "" if e.fiscal_year is None else str(e.fiscal_year),
                    old,
                    new,
                    _comment_change(e.old_comment, e.new_comment, e.action, en),
                    detail_words(e.action, e.detail, names).pick(args.lang),
                ]
            )
        )
    return Exit.OK


def _department_names(store: Store) -> dict[str, str]:
    """Department code → name of every generation's catalog (the words of the 詳細 column)."""
    with store.snapshot() as conn:
        catalog = read_catalog(conn, active_generation(conn))
    return {dep.code: dep.name for dep in catalog.departments} if catalog else {}


def _reason(reason: str | None, en: bool) -> str:
    if reason is None or not en:
        return reason_label(reason)
    return MissingReason(reason).label_en


def one_line(text: str) -> str:
    """A stored text on one line of a tab-separated listing: a line break shown as ⏎ and a tab
    as ⇥ (readable marks; other controls are left to visible())."""
    return text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎").replace("\t", "⇥")


def _comment_change(old: str | None, new: str | None, action: str, en: bool = False) -> str:
    """The コメント column: the comment, or old → new when a write changed or dropped an
    earlier comment (「abc」 → （なし）, never an empty column)."""
    if action not in ("enter", "clear") or not old or old == (new or ""):
        return new or ""
    return f"{_quoted(old, en)} → {_quoted(new, en)}"


def _quoted(comment: str | None, en: bool = False) -> str:
    if en:
        return f"\u201c{comment}\u201d" if comment else "(none)"
    return f"「{comment}」" if comment else "（なし）"


def departments_command(store: Store, args: argparse.Namespace) -> Exit:

    with store.snapshot() as conn:
        catalog = read_catalog(conn, active_generation(conn))
    for dep in catalog.departments if catalog else ():
        print(f"{dep.code}\t{dep.name}")
    return Exit.OK
