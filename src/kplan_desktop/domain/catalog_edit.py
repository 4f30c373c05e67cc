"""Edits of the catalog as plain functions: each returns a new Catalog (the catalog is immutable),
so an editor can keep the one before for undo. Rules of a single edit live here; the rules of
the whole catalog (codes unique, departments known, …) are checked when it is read or saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from kplan_desktop.domain.catalog import Catalog, CrossReference, Department, Indicator, Measure
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import format_fiscal_year as era
from kplan_desktop.domain.model import IndicatorKind, PlanSettings, ValueKind
from kplan_desktop.domain.values import parse_value


def _map_measures(catalog: Catalog, change: Callable[[Measure], Measure]) -> Catalog:
    goals = tuple(
        replace(
            goal,
            policies=tuple(
                replace(policy, measures=tuple(change(m) for m in policy.measures))
                for policy in goal.policies
            ),
        )
        for goal in catalog.goals
    )
    return replace(catalog, goals=goals)


def find_indicator(catalog: Catalog, code: str) -> tuple[Measure, Indicator] | None:
    for _, _, measure, indicator in catalog.indicators():
        if indicator.code == code:
            return measure, indicator
    return None


def find_measure(catalog: Catalog, code: str) -> Measure | None:
    for goal in catalog.goals:
        for policy in goal.policies:
            for measure in policy.measures:
                if measure.code == code:
                    return measure
    return None


def replace_indicator(catalog: Catalog, indicator: Indicator) -> Catalog:
    """The indicator with the same code, replaced (KeyError if there is none)."""
    if find_indicator(catalog, indicator.code) is None:
        raise KeyError(indicator.code)
    return _map_measures(
        catalog,
        lambda m: replace(
            m,
            indicators=tuple(indicator if i.code == indicator.code else i for i in m.indicators),
        ),
    )


def add_indicator(catalog: Catalog, measure_code: str, indicator: Indicator) -> Catalog:
    """A new indicator at the end of a measure; its code must be new."""
    if find_indicator(catalog, indicator.code) is not None:
        raise DomainError(
            "E_CATALOG_DUPLICATE",
            f"指標コード {indicator.code} はすでにあります",
            f"Indicator code {indicator.code} already exists",
        )
    if find_measure(catalog, measure_code) is None:
        raise KeyError(measure_code)
    return _map_measures(
        catalog,
        lambda m: (
            replace(m, indicators=(*m.indicators, indicator)) if m.code == measure_code else m
        ),
    )


def remove_indicator(catalog: Catalog, code: str) -> Catalog:
    """An indicator without values may go; one with values is retired instead (the store
    refuses to drop values)."""
    return _map_measures(
        catalog, lambda m: replace(m, indicators=tuple(i for i in m.indicators if i.code != code))
    )


def next_indicator_code(catalog: Catalog, measure: Measure, kind: IndicatorKind) -> str:
    """7-1-1-K4 after K1–K3 (K for 活動, A for 達成)."""
    letter = "A" if kind is IndicatorKind.OUTCOME else "K"
    taken = {i.code for _, _, _, i in catalog.indicators()}
    number = 1
    while f"{measure.code}-{letter}{number}" in taken:
        number += 1
    return f"{measure.code}-{letter}{number}"


def replace_measure(
    catalog: Catalog,
    code: str,
    *,
    name: str,
    vision: str | None,
    links: tuple[CrossReference, ...] | None = None,
) -> Catalog:
    """A measure's name and 目指す姿, and (given) its links to other plans' items."""
    if not name.strip():
        raise DomainError("E_CATALOG_NAME", "施策名が空です", "The measure's name is empty")

    def change(m: Measure) -> Measure:
        if m.code != code:
            return m
        changed = replace(m, name=name.strip(), vision=(vision or "").strip() or None)
        return changed if links is None else replace(changed, links=links)

    return _map_measures(catalog, change)


def replace_policy(catalog: Catalog, code: str, *, name: str) -> Catalog:
    if not name.strip():
        raise DomainError("E_CATALOG_NAME", "政策名が空です", "The policy's name is empty")
    goals = tuple(
        replace(
            goal,
            policies=tuple(
                replace(p, name=name.strip()) if p.code == code else p for p in goal.policies
            ),
        )
        for goal in catalog.goals
    )
    return replace(catalog, goals=goals)


def replace_goal(catalog: Catalog, code: str, *, name: str, subtitle: str | None) -> Catalog:
    if not name.strip():
        raise DomainError("E_CATALOG_NAME", "基本目標の名前が空です", "The goal's name is empty")
    goals = tuple(
        replace(g, name=name.strip(), subtitle=(subtitle or "").strip() or None)
        if g.code == code
        else g
        for g in catalog.goals
    )
    return replace(catalog, goals=goals)


def put_department(catalog: Catalog, department: Department) -> Catalog:
    """Add a department, or change the one with its code (name, active)."""
    if not department.code.strip() or not department.name.strip():
        raise DomainError(
            "E_CATALOG_DEPARTMENT",
            "課コードと課名が必要です",
            "A department needs a code and a name",
        )
    known = [d for d in catalog.departments if d.code == department.code]
    if known:
        departments = tuple(
            department if d.code == department.code else d for d in catalog.departments
        )
    else:
        departments = (*catalog.departments, department)
    if not department.active:
        owned = [i.code for _, _, _, i in catalog.indicators() if i.department == department.code]
        if owned:
            raise DomainError(
                "E_CATALOG_DEPARTMENT_IN_USE",
                f"指標を担当している課は無効にできません（{', '.join(owned[:5])}）。"
                "先に指標の担当課を変えてください",
                "A department that owns indicators cannot be made inactive "
                f"({', '.join(owned[:5])})",
            )
    return replace(catalog, departments=departments)


def decimal_in_unit(text: str, indicator: Indicator, what_ja: str, what_en: str) -> Decimal | None:
    """A baseline or target typed as text (「7,500人」, 「98.7%」), read in the indicator's unit:
    a number in another unit is an error. Blank is None (not set)."""
    if not text.strip():
        return None
    try:
        parsed = parse_value(text, indicator.spec())
    except DomainError as exc:
        raise DomainError(
            "E_CATALOG_VALUE",
            f"{what_ja}: {exc.message_ja}",
            f"{what_en}: {exc.message_en}",
        ) from None
    if parsed.value is None:
        raise DomainError(
            "E_CATALOG_VALUE",
            f"{what_ja}は数値で入力してください",
            f"The {what_en} must be a number",
        )
    return parsed.value


# Between interim targets: 、 or ; or a new line — not a comma, which groups thousands (1,500).
INTERIM_SEPARATOR = re.compile(r"[、;；\n]")


def interim_targets(text: str, indicator: Indicator) -> tuple[tuple[int, Decimal], ...]:
    """年度別目標 typed as 「2024=5000、2025=6,000人」: each in the indicator's unit."""
    out: dict[int, Decimal] = {}
    for part in INTERIM_SEPARATOR.split(text):
        if not part.strip():
            continue
        year_text, sep, value_text = part.partition("=")
        year_text = year_text.strip()
        if not sep or not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4):
            raise DomainError(
                "E_CATALOG_VALUE",
                f"年度別目標は「2024=5000」の形で入力してください（「{part.strip()[:20]}」）",
                f"Write interim targets as 2024=5000 (got {part.strip()[:20]!r})",
            )
        value = decimal_in_unit(
            value_text, indicator, f"{year_text}年度の目標", f"FY{year_text} target"
        )
        if value is None:
            raise DomainError(
                "E_CATALOG_VALUE",
                f"{year_text}年度の目標値がありません",
                f"FY{year_text} has no target value",
            )
        out[int(year_text)] = value
    return tuple(sorted(out.items()))


def cross_references(text: str) -> tuple[CrossReference, ...]:
    """Links to other plans typed one per line as 「計画|コード|項目名」."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in re.split(r"[|｜]", line)]
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise DomainError(
                "E_CATALOG_LINK",
                f"他計画の項目は「計画|コード|項目名」の形で1行に1件です（「{line.strip()[:30]}」）",
                f"Write each link as plan|code|title on its own line (got {line.strip()[:30]!r})",
            )
        out.append(CrossReference(parts[0], parts[1], parts[2]))
    return tuple(out)


def replace_direction(
    catalog: Catalog,
    measure_code: str,
    number: int,
    *,
    name: str,
    text: str,
    tags: list[str],
    links: tuple[CrossReference, ...],
) -> Catalog:
    """A 施策の方向's name, text, tags (総合戦略, 行財政改革) and links to other plans' items."""
    if not name.strip():
        raise DomainError(
            "E_CATALOG_NAME", "施策の方向の名前が空です", "The direction's name is empty"
        )

    def change(measure: Measure) -> Measure:
        if measure.code != measure_code:
            return measure
        directions = tuple(
            replace(
                d, name=name.strip(), text=text.strip(), tags=tuple(tags), cross_references=links
            )
            if d.number == number
            else d
            for d in measure.directions
        )
        return replace(measure, directions=directions)

    return _map_measures(catalog, change)


def rename_department(catalog: Catalog, code: str, name: str, from_year: int) -> Catalog:
    """A 課 renamed from `from_year`: its values and submissions keep their code, and the
    years before show the old name."""
    known = {d.code: d for d in catalog.departments}
    department = known.get(code)
    if department is None:
        raise KeyError(code)
    if not name.strip() or name.strip() == department.name:
        return catalog
    renamed = replace(
        department,
        name=name.strip(),
        former_names=(*department.former_names, (from_year - 1, department.name)),
    )
    return replace(
        catalog, departments=tuple(renamed if d.code == code else d for d in catalog.departments)
    )


def merge_department(catalog: Catalog, old: str, new: str, from_year: int) -> Catalog:
    """課 `old` merged into `new` from `from_year`: its indicators move to `new` and remember
    that `old` reported them until the year before; `old` stays, inactive, for its past values,
    finalisations and submissions."""
    known = {d.code: d for d in catalog.departments}
    if old not in known or new not in known or old == new:
        raise DomainError(
            "E_CATALOG_DEPARTMENT",
            "統合する課と統合先の課を選んでください（別の課）",
            "Choose the department to merge and another one to merge it into",
        )
    if not known[new].active:
        raise DomainError(
            "E_CATALOG_DEPARTMENT",
            f"統合先の課 {new} は無効です",
            f"The department to merge into ({new}) is inactive",
        )
    until = from_year - 1

    def move(measure: Measure) -> Measure:
        return replace(
            measure,
            indicators=tuple(
                replace(i, department=new, former_owners=(*i.former_owners, (until, old)))
                if i.department == old
                else i
                for i in measure.indicators
            ),
        )

    moved = _map_measures(catalog, move)
    retired = replace(known[old], active=False, merged_into=new, until_year=until)
    return replace(
        moved, departments=tuple(retired if d.code == old else d for d in moved.departments)
    )


def typed_target(text: str, indicator: Indicator, *, hint_ja: str, hint_en: str) -> Decimal:
    """A target typed as text for `indicator`, read in its unit exactly as the catalog editor
    reads one (decimal_in_unit). An indicator whose unit is not set takes no target: the unit
    comes first (`hint_*` says where the caller sets it). Blank is refused: 未設定 is said by
    clearing, not by typing nothing."""
    spec = indicator.spec()
    if spec.value_kind is not ValueKind.MILESTONE and (spec.value_kind is None or not spec.unit):
        raise DomainError(
            "E_UNIT_NOT_SET",
            f"{indicator.code} の目標値: この指標は単位が未設定です。先に単位を設定してください"
            f"（{hint_ja}）。何も変更していません",
            f"{indicator.code} target: this indicator has no unit yet; set the unit first "
            f"({hint_en}). Nothing was changed",
        )
    value = decimal_in_unit(
        text, indicator, f"{indicator.code} の目標値", f"{indicator.code} target"
    )
    if value is None:
        raise DomainError(
            "E_CATALOG_VALUE",
            f"{indicator.code} の目標値が空です（未設定に戻すときは --clear）",
            f"{indicator.code}: the target is blank (to make it not set, use --clear)",
        )
    return value


def target_year_of(indicator: Indicator, settings: PlanSettings) -> int:
    """The year the plan's target of `indicator` is for: its own target year, else the plan's
    last."""
    return indicator.target_year or settings.end_year


def with_target(
    indicator: Indicator, settings: PlanSettings, value: Decimal | None, year: int | None = None
) -> Indicator:
    """`indicator` with its target for `year` set (None: 未設定). The target year's (default)
    is the plan's target; an earlier year of the period takes a year-by-year target (年度別目標).
    A year outside the plan's period, or after the indicator's target year, is refused."""
    final = target_year_of(indicator, settings)
    year = final if year is None else year
    if not settings.start_year <= year <= settings.end_year or year > final:
        raise DomainError(
            "E_CATALOG_VALUE",
            f"{indicator.code}: {era(year)}の目標は設定できません（計画期間 "
            f"{era(settings.start_year)}〜{era(settings.end_year)}、目標年度 {era(final)}）",
            f"{indicator.code}: no target can be set for FY{year} (the plan runs FY"
            f"{settings.start_year}–FY{settings.end_year}, target year FY{final})",
        )
    if year == final:
        return replace(indicator, target=value, target_year=None if value is None else year)
    interim = {y: v for y, v in indicator.interim_targets if y != year}
    if value is not None:
        interim[year] = value
    return replace(indicator, interim_targets=tuple(sorted(interim.items())))


def years_graded_by(indicator: Indicator, settings: PlanSettings, year: int) -> set[int]:
    """The fiscal years graded against `indicator`'s target for `year`: a year-by-year target
    grades its own year; the plan's target every year of the period that has none of its own
    (a changed target regrades all of them — a locked one must not change)."""
    if year != target_year_of(indicator, settings):
        return {year}
    own = {y for y, _ in indicator.interim_targets}
    return {y for y in settings.years if y not in own}
