"""`kplan show --history`: every year of each indicator's series across plan generations, each
year labelled with its plan and graded against that plan's target, the plan boundaries marked
(issue 17 item 4). Japanese first; `--lang en` for English."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kplan_desktop.cli.base import SubParsers, print_json
from kplan_desktop.cli.exit_codes import Exit
from kplan_desktop.domain.achievement import format_rate
from kplan_desktop.domain.catalog import unknown_department
from kplan_desktop.domain.cumulative import baseline_note, since_words
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import FiscalYearStyle, format_fiscal_year
from kplan_desktop.domain.generation import Series, SeriesLink, SeriesPoint, series_across
from kplan_desktop.domain.values import canonical
from kplan_desktop.store.actuals import department_exists
from kplan_desktop.store.generations import active_generation, generation_record, no_generation
from kplan_desktop.store.overview import IndicatorOverview, overview
from kplan_desktop.store.series import read_series
from kplan_desktop.store.succession import explain_missing

if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store


def register(sub: SubParsers) -> None:
    """`show`'s options for one indicator and for the history across plans (`show` itself is
    the values family's)."""
    show = sub.choices["show"]
    show.add_argument(
        "--history",
        action="store_true",
        help="計画をまたぐ実績の推移（各年度をその年度の計画の目標で評価） / history across plans",
    )
    show.add_argument("--indicator", metavar="CODE", help="指標コード")
    show.add_argument(
        "--lang", choices=["ja", "en"], default="ja", help="表示の言語 (ja / en) / language"
    )


def unknown_indicator(code: str) -> DomainError:
    return DomainError(
        "E_UNKNOWN_INDICATOR",
        f"指標 {code[:40]} はこの計画にありません",
        f"Indicator {code[:40]} is not in this plan",
    )


def read_histories(
    store: Store, *, department: str | None, indicator: str | None
) -> list[tuple[IndicatorOverview, Series]]:
    """Each chosen indicator of the active generation with its whole series, in one snapshot:
    across plans for a continuing indicator, its own plan's years otherwise."""
    with store.snapshot() as conn:
        if department is not None and not department_exists(conn, department):
            raise unknown_department(department)
        generation = active_generation(conn)
        record = generation_record(conn, generation)
        if record is None:
            raise no_generation(generation)
        catalog, rows = overview(conn, generation, department=department)
        if indicator is not None:
            rows = [row for row in rows if row.indicator.code == indicator]
            if not rows:
                # An indicator of an earlier plan: the plan it ended with, and its successor.
                raise explain_missing(conn, generation, indicator) or unknown_indicator(indicator)
        codes = [row.indicator.code for row in rows]
        across = read_series(conn, generation, codes, every_year=True)
    settings = catalog.plan.settings
    result = []
    for row in rows:
        series = across.get(row.indicator.code)
        if series is None:
            code = row.indicator.code
            key = (generation, code)
            values = {year: view.value for year, view in row.values.items()}
            reasons = {
                year: view.missing_reason
                for year, view in row.values.items()
                if view.missing_reason is not None
            }
            series = series_across(
                [SeriesLink(record.generation, row.indicator, settings)],
                {key: values},
                {key: reasons},
                every_year=True,
            )
        result.append((row, series))
    return result


def history_command(store: Store, args: argparse.Namespace) -> Exit:
    lang = args.lang
    if args.year is not None:
        # Never silently dropped: the history is every year of every plan.
        raise DomainError(
            "E_ARGUMENTS",
            "--history は全年度を表示します。--year とは一緒に使えません。何も表示していません",
            "--history lists every year; it does not take --year (nothing shown)",
        )
    histories = read_histories(store, department=args.department, indicator=args.indicator)
    if args.json:
        print_json([_as_json(row, series) for row, series in histories])
        return Exit.OK
    en = lang == "en"
    if en:
        print("(each year is graded against the target of the plan it belonged to)")
    else:
        print("（各年度は、その年度が属した計画の目標で評価しています）")
    for row, series in histories:
        _print_series(row, series, en)
    return Exit.OK


def _year(year: int, en: bool) -> str:
    style = FiscalYearStyle.ENGLISH if en else FiscalYearStyle.ERA_WITH_WESTERN
    return format_fiscal_year(year, style)


def _plan_label(link: SeriesLink, en: bool) -> str:
    return link.generation.label_en() if en else link.generation.label()


def _baseline(link: SeriesLink, en: bool) -> str:
    """The plan's baseline of the indicator (a continuing one's comes from the old plan); for
    a running total, what the plan's values count (domain.cumulative)."""
    shown = _baseline_value(link, en)
    if not link.indicator.cumulative:
        return shown
    lang = "en" if en else "ja"
    note = baseline_note(link.indicator, lang)
    since = since_words(link.settings, lang)
    return f"{shown} {note}; {since}" if en else f"{shown}{note}　値は{since}"


def _baseline_value(link: SeriesLink, en: bool) -> str:
    indicator = link.indicator
    if indicator.baseline is None:
        return "baseline: not set" if en else "基準値: 未設定"
    value = canonical(indicator.baseline)
    year = indicator.baseline_year
    if year is None:
        return f"baseline: {value}" if en else f"基準値: {value}"
    if en:
        return f"baseline: {value} ({_year(year, en)})"
    return f"基準値: {value}（{format_fiscal_year(year)}）"


def _shown_value(point: SeriesPoint, en: bool) -> str:
    if point.value is not None:
        return canonical(point.value)
    if point.missing_reason is not None:
        return point.missing_reason.label_en if en else point.missing_reason.label_ja
    return ""


def _print_series(row: IndicatorOverview, series: Series, en: bool) -> None:
    indicator = row.indicator
    unit = indicator.unit or ("no unit" if en else "単位未設定")
    print()
    print(f"{indicator.code} {indicator.display_name} ({unit})")
    if en:
        print("\t".join(["year", "plan", "code", "actual", "target", "rate", "grade"]))
    else:
        print("\t".join(["年度", "計画", "コード", "実績", "目標", "達成率", "評価"]))
    generation = None
    for point in series.points:
        link = series.link_of(point)
        if point.generation != generation:
            label = f"{_plan_label(link, en)} {_baseline(link, en)}"
            if generation is None:
                print(f"── {label} ──")
            elif en:
                print(f"── plan boundary: from {_year(point.fiscal_year, en)}, {label} ──")
            else:
                print(f"── 計画の切り替え: {_year(point.fiscal_year, en)}から{label} ──")
            generation = point.generation
        target = "" if point.target is None else canonical(point.target)
        comparator = link.indicator.comparator
        if target and comparator is not None:
            target = f"{comparator.value} {target}" if en else target + comparator.label_ja
        ach = point.achievement
        grade = ach.grade.label(link.settings.grade_labels, "en" if en else "ja")
        print(
            "\t".join(
                [
                    _year(point.fiscal_year, en),
                    link.generation.name,
                    point.code,
                    _shown_value(point, en),
                    target,
                    format_rate(ach.rate) if point.entered else "",
                    grade if point.entered else "",
                ]
            )
        )


def _as_json(row: IndicatorOverview, series: Series) -> dict[str, object]:
    indicator = row.indicator
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "plans": [
            {
                "generation": link.generation.number,
                "name": link.generation.name,
                "start_year": link.generation.start_year,
                "end_year": link.generation.end_year,
                "code": link.indicator.code,
                "baseline": None
                if link.indicator.baseline is None
                else canonical(link.indicator.baseline),
                "target": None
                if link.indicator.target is None
                else canonical(link.indicator.target),
            }
            for link in series.links
        ],
        "boundaries": list(series.boundaries),
        "years": [
            {
                "fiscal_year": point.fiscal_year,
                "generation": point.generation,
                "plan": series.link_of(point).generation.name,
                "code": point.code,
                "first_of_plan": point.fiscal_year in series.boundaries,
                "value": None if point.value is None else canonical(point.value),
                "missing_reason": None
                if point.missing_reason is None
                else point.missing_reason.value,
                "target": None if point.target is None else canonical(point.target),
                "simple_rate": _rate(point.achievement.simple_rate),
                "progress_rate": _rate(point.achievement.progress_rate),
                "grade": point.achievement.grade.value if point.entered else None,
            }
            for point in series.points
        ],
    }


def _rate(rate: object) -> str | None:
    return None if rate is None else str(rate)
