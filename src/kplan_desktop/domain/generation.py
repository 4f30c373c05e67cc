"""Plan generations (計画期): one basic plan after another, and series that run across them.

A city's comprehensive plan is revised every four or five years (前期基本計画, 後期基本計画,
次期基本計画 …). Each generation has its own catalog, period and codes; an indicator the next
plan keeps (a 継続 indicator) is linked to the one before, so its series runs on whole.
"Generation" is the program's word: "plan" alone already names the linked plans
(総合戦略, 行財政改革).

Pure rules only: which generation a fiscal year belongs to, whether a new period may follow,
what a continuing indicator's baseline is proposed from, a series across generations graded
year by year against the plan it belonged to. The final evaluation (最終評価) of a generation is
`final_evaluation`'s.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from kplan_desktop.domain.achievement import Achievement, assess
from kplan_desktop.domain.catalog import Catalog, Indicator
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.fiscal_year import format_fiscal_year as era_label
from kplan_desktop.domain.model import MissingReason, PlanSettings


class GenerationStatus(enum.Enum):
    """A generation being prepared, the one in use, or one closed by its final evaluation."""

    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"

    def label(self, lang: str = "ja") -> str:
        ja = {
            GenerationStatus.DRAFT: "準備中",
            GenerationStatus.ACTIVE: "実施中",
            GenerationStatus.CLOSED: "終了（最終評価済み）",
        }
        en = {
            GenerationStatus.DRAFT: "draft",
            GenerationStatus.ACTIVE: "in force",
            GenerationStatus.CLOSED: "closed (final evaluation written)",
        }
        return (en if lang == "en" else ja)[self]


@dataclass(frozen=True)
class Generation:
    """One plan generation: its number (1, 2, … in order), name and period (fiscal years)."""

    number: int
    name: str
    start_year: int
    end_year: int
    status: GenerationStatus = GenerationStatus.ACTIVE

    def covers(self, fiscal_year: int) -> bool:
        return self.start_year <= fiscal_year <= self.end_year

    def nearest_year(self, fiscal_year: int) -> int:
        """`fiscal_year` if the plan covers it, else the plan's nearest year (its last for a
        later year: R8 of the plan before, entered in the overlap year R9)."""
        if self.end_year < self.start_year:
            return fiscal_year
        return min(max(fiscal_year, self.start_year), self.end_year)

    @property
    def writable(self) -> bool:
        """A closed generation is read-only, as a locked year is."""
        return self.status is not GenerationStatus.CLOSED

    def label(self) -> str:
        period = f"{era_label(self.start_year)}〜{era_label(self.end_year)}"
        # The seed plan's name says its period already: never 「…（令和4年度〜令和8年度）」 twice.
        return self.name if period in self.name else f"{self.name}（{period}）"

    def title(self) -> str:
        """The name with its period, as a cover names the plan: 後期基本計画（令和4〜8年度）;
        a name that already says its years (…（令和4年度〜令和8年度）) is shown as it is."""
        if "年度）" in self.name or "年度)" in self.name:
            return self.name
        start, end = era_label(self.start_year), era_label(self.end_year)
        if start[:2] == end[:2] and start.endswith("年度") and end.endswith("年度"):
            return f"{self.name}（{start[:-2]}〜{end[2:]}）"
        return f"{self.name}（{start}〜{end}）"

    def label_en(self) -> str:
        return f"{self.name} (FY{self.start_year}–FY{self.end_year})"


def plan_generation(catalog: Catalog) -> Generation:
    """The one generation a database holds until generations are stored: number 1, the
    catalog's plan and period."""
    settings = catalog.plan.settings
    return Generation(1, catalog.plan.name, settings.start_year, settings.end_year)


def generation_of_year(generations: Iterable[Generation], fiscal_year: int) -> Generation:
    """The generation whose period holds `fiscal_year`; a year outside every period is refused."""
    for generation in generations:
        if generation.covers(fiscal_year):
            return generation
    raise DomainError(
        "E_NO_GENERATION",
        f"{era_label(fiscal_year)}はどの計画期の計画期間にも入っていません",
        f"FY{fiscal_year} is in no plan generation's period",
    )


def check_next_period(generations: Sequence[Generation], start_year: int, end_year: int) -> None:
    """A new generation starts after the last one ends (years never belong to two plans)."""
    if end_year < start_year:
        raise DomainError(
            "E_GENERATION_PERIOD",
            f"計画期間の終わり（{era_label(end_year)}）が始まり（{era_label(start_year)}）より前です",
            f"The period ends (FY{end_year}) before it starts (FY{start_year})",
        )
    if not generations:
        return
    last = max(generations, key=lambda g: g.end_year)
    if start_year <= last.end_year:
        raise DomainError(
            "E_GENERATION_PERIOD",
            f"新しい計画期は{last.label()}の終わりより後に始めてください"
            f"（{era_label(last.end_year + 1)}から）",
            f"The new generation must start after {last.label_en()} ends "
            f"(from FY{last.end_year + 1})",
        )


def check_period_apart(others: Iterable[Generation], start_year: int, end_year: int) -> None:
    """A generation's period shares no year with another generation's (a year belongs to one
    plan): checked whenever a plan's period is set, by a new generation or by its catalog.
    A generation without a period yet (a withdrawn draft, a new database) holds no year."""
    for other in others:
        if other.end_year < other.start_year:
            continue
        if start_year <= other.end_year and other.start_year <= end_year:
            raise DomainError(
                "E_GENERATION_PERIOD",
                f"計画期間（{era_label(start_year)}〜{era_label(end_year)}）が計画期 {other.number}"
                f"（{other.label()}）と重なっています。年度はひとつの計画期にだけ属します。"
                "何も変更していません",
                f"The period FY{start_year}–FY{end_year} overlaps plan generation {other.number} "
                f"({other.label_en()}); a year belongs to one plan generation only. Nothing was "
                "changed",
            )


class Succession(enum.Enum):
    """What the next plan does with an indicator of the current one."""

    CONTINUE = "continue"  # 継続: the same series goes on under the new plan
    REPLACE = "replace"  # 見直し: a new indicator takes its place; the old series ends
    END = "end"  # 終了: the old series ends, nothing takes its place

    def label(self, lang: str = "ja") -> str:
        ja = {Succession.CONTINUE: "継続", Succession.REPLACE: "見直し", Succession.END: "終了"}
        en = {Succession.CONTINUE: "continue", Succession.REPLACE: "replace", Succession.END: "end"}
        return (en if lang == "en" else ja)[self]


@dataclass(frozen=True)
class SuccessionDecision:
    """One indicator's fate in the next plan: the old code, the decision, the new code (none
    when it ends) and, for a continuing one, the year whose actual becomes the new baseline."""

    old_code: str
    succession: Succession
    new_code: str | None = None
    base_year: int | None = None

    def __post_init__(self) -> None:
        if self.succession is Succession.END and self.new_code is not None:
            raise DomainError(
                "E_SUCCESSION",
                f"{self.old_code}: 終了する指標に新しいコードは付けられません",
                f"{self.old_code}: an indicator that ends has no new code",
            )
        if self.succession is not Succession.END and not self.new_code:
            raise DomainError(
                "E_SUCCESSION",
                f"{self.old_code}: 新しい計画での指標コードを指定してください",
                f"{self.old_code}: give the indicator's code in the new plan",
            )
        if self.base_year is not None and self.succession is not Succession.CONTINUE:
            raise DomainError(
                "E_SUCCESSION",
                f"{self.old_code}: 基準年度は継続する指標にだけ指定できます",
                f"{self.old_code}: only a continuing indicator takes a base year",
            )


# What happens to an indicator of the current plan nobody has decided on (the CLI's `generation
# new`, the wizard's rows): it continues, linked, under its code. Defined once, used by both.
DEFAULT_SUCCESSION = Succession.CONTINUE


def default_decision(code: str, base_year: int) -> SuccessionDecision:
    """The decision an undecided indicator takes: continued under its code, its baseline the
    old plan's final value of the plan's base year."""
    return SuccessionDecision(code, DEFAULT_SUCCESSION, code, base_year)


def not_in_this_plan(
    code: str,
    here: Generation,
    ended_in: Generation,
    succession: Succession,
    successor: str | None = None,
    next_plan: Generation | None = None,
) -> DomainError:
    """Why `code` is not in the plan `here` although an earlier plan had it: it ended with
    `ended_in`, was replaced by `successor` in `next_plan`, or goes on there under another
    code — a clearer word than 「カタログにありません」 (trial finding 14)."""
    where = f"計画期 {ended_in.number}（{ended_in.label()}）"
    where_en = f"plan generation {ended_in.number} ({ended_in.label_en()})"
    nxt = "次の計画" if next_plan is None else next_plan.name
    nxt_en = "the next plan" if next_plan is None else next_plan.name
    if succession is Succession.CONTINUE and successor is not None:
        return DomainError(
            "E_INDICATOR_RENAMED",
            f"指標 {code} は{nxt}では {successor} として続いています。{successor} で入力して"
            "ください。何も保存していません",
            f"Indicator {code} goes on in {nxt_en} as {successor}; enter it under {successor}. "
            "Nothing was saved",
        )
    if succession is Succession.REPLACE and successor is not None:
        return DomainError(
            "E_INDICATOR_ENDED",
            f"指標 {code} は{where}で終了し、{nxt}では {successor} に見直されました。"
            f"{era_label(here.start_year)}以降の値は {successor} で入力してください。"
            "何も保存していません",
            f"Indicator {code} ended with {where_en} and was replaced by {successor} in "
            f"{nxt_en}; enter values from FY{here.start_year} under {successor}. Nothing was "
            "saved",
        )
    return DomainError(
        "E_INDICATOR_ENDED",
        f"指標 {code} は{where}で終了しました（{here.name}には引き継がれていません）。"
        "何も保存していません",
        f"Indicator {code} ended with {where_en} (not carried over into {here.name}). Nothing "
        "was saved",
    )


def proposed_baseline(
    decision: SuccessionDecision, old_values: Mapping[int, Decimal | None]
) -> Decimal | None:
    """The new baseline of a continuing indicator: the old plan's actual of the base year.

    None ("not set") when the actual is not in yet; it fills itself in when it arrives. Never
    another year's value: a baseline from the wrong year would shift every rate of the plan.
    """
    if decision.succession is not Succession.CONTINUE or decision.base_year is None:
        return None
    return old_values.get(decision.base_year)


@dataclass(frozen=True)
class SeriesLink:
    """One generation's part of a series: the generation, the indicator as that plan defined it
    (its own target, unit and baseline), and the plan's grading settings."""

    generation: Generation
    indicator: Indicator
    settings: PlanSettings


@dataclass(frozen=True)
class SeriesPoint:
    """One year of a series across plans, graded against the plan the year belonged to (its
    target is that plan's target for the year, never the later plan's)."""

    fiscal_year: int
    generation: int
    code: str
    value: Decimal | None
    achievement: Achievement
    missing_reason: MissingReason | None = None
    target: Decimal | None = None

    @property
    def entered(self) -> bool:
        """A value or a reason it is missing is stored for the year."""
        return self.value is not None or self.missing_reason is not None


@dataclass(frozen=True)
class Series:
    points: tuple[SeriesPoint, ...]
    # The first fiscal year of each later generation: where the chart draws a plan boundary.
    boundaries: tuple[int, ...]
    # Each generation's part, oldest first: its plan, its indicator (code, target) and settings.
    links: tuple[SeriesLink, ...] = ()

    def link_of(self, point: SeriesPoint) -> SeriesLink:
        """The plan a point belongs to."""
        for link in self.links:
            if link.generation.number == point.generation:
                return link
        raise KeyError(point.generation)

    @property
    def across_plans(self) -> bool:
        """More than one plan: the indicator continues one of an earlier plan."""
        return len(self.links) > 1

    @property
    def current(self) -> SeriesLink:
        """The newest plan's part (the indicator as the plan shown defines it)."""
        return self.links[-1]

    def earlier(self) -> tuple[SeriesPoint, ...]:
        """The points of the plans before the newest."""
        newest = self.current.generation.number
        return tuple(p for p in self.points if p.generation != newest)


def series_across(
    links: Sequence[SeriesLink],
    values: Mapping[tuple[int, str], Mapping[int, Decimal | None]],
    reasons: Mapping[tuple[int, str], Mapping[int, MissingReason]] | None = None,
    *,
    every_year: bool = False,
) -> Series:
    """A continuing indicator's whole history: each generation's years from its own values
    (keyed by generation number and code), graded against that generation's target.

    A year belongs to the one plan whose period holds it: a value a generation holds outside
    its own period is not part of the series, so the old plan's R8 and the new plan's R9 stand
    side by side and no year is counted twice. With `every_year`, every year of every period
    is a point (an empty one where nothing is stored), so a gap shows as a gap.
    """
    points: list[SeriesPoint] = []
    boundaries: list[int] = []
    ordered = sorted(links, key=lambda link: link.generation.start_year)
    claimed: set[int] = set()
    for position, link in enumerate(ordered):
        key = (link.generation.number, link.indicator.code)
        years = values.get(key, {})
        missing = (reasons or {}).get(key, {})
        if position:
            boundaries.append(link.generation.start_year)
        held = set(years) | set(missing)
        if every_year:
            held |= set(range(link.generation.start_year, link.generation.end_year + 1))
        for year in sorted(y for y in held if link.generation.covers(y) and y not in claimed):
            claimed.add(year)
            value = years.get(year)
            reason = None if value is not None else missing.get(year)
            spec = link.indicator.spec_for(year)
            points.append(
                SeriesPoint(
                    year,
                    link.generation.number,
                    link.indicator.code,
                    value,
                    assess(spec, link.settings, value, reason),
                    reason,
                    spec.target,
                )
            )
    return Series(tuple(points), tuple(boundaries), tuple(ordered))


def map_indicators(catalog: Catalog, change: Callable[[Indicator], Indicator | None]) -> Catalog:
    """The catalog with `change` applied to every indicator (None: the indicator is left out)."""
    goals = []
    for goal in catalog.goals:
        policies = []
        for policy in goal.policies:
            measures = []
            for measure in policy.measures:
                kept = tuple(i for i in (change(x) for x in measure.indicators) if i is not None)
                measures.append(replace(measure, indicators=kept))
            policies.append(replace(policy, measures=tuple(measures)))
        goals.append(replace(goal, policies=tuple(policies)))
    return replace(catalog, goals=tuple(goals))


def next_draft(
    current: Catalog, code: str, name: str, start_year: int, end_year: int, baseline_year: int
) -> Catalog:
    """The next plan's draft catalog: the current structure and indicators copied, under the
    new plan's name and period. Every baseline and every target is "not set": a continuing
    indicator's baseline is proposed from the old plan when it is decided, and targets (and
    year-by-year targets) are typed from the new plan's text — the old plan's target for its
    last year is no target of the new plan (trial finding 5: an invented value)."""
    if end_year < start_year:
        check_next_period([], start_year, end_year)
    settings = replace(
        current.plan.settings, start_year=start_year, end_year=end_year, baseline_year=baseline_year
    )
    plan = replace(current.plan, code=code, name=name, settings=settings)

    def copy(indicator: Indicator) -> Indicator:
        return replace(
            indicator,
            baseline_year=None,
            baseline=None,
            target_year=None,
            target=None,
            interim_targets=(),
            former_owners=(),
        )

    return map_indicators(replace(current, plan=plan), copy)


def draft_codes(draft: Catalog) -> set[str]:
    return {indicator.code for _, _, _, indicator in draft.indicators()}


def apply_decision(
    draft: Catalog, decision: SuccessionDecision, baseline: Decimal | None
) -> Catalog:
    """The draft with one indicator decided: continued (its code in the new plan, its baseline
    proposed from the old plan), replaced (a new indicator under the new code, no baseline yet)
    or ended (left out of the new plan)."""
    codes = draft_codes(draft)
    if decision.old_code not in codes:
        raise DomainError(
            "E_SUCCESSION",
            f"{decision.old_code}: 新しい計画の下書きにこの指標はありません"
            "（決定済みか、コードが違います）",
            f"{decision.old_code}: the new plan's draft has no such indicator (decided already, "
            "or a wrong code)",
        )
    new_code = decision.new_code
    if new_code is not None and new_code != decision.old_code and new_code in codes:
        raise DomainError(
            "E_SUCCESSION",
            f"{new_code}: 新しい計画にこのコードの指標がすでにあります",
            f"{new_code}: the new plan has an indicator with this code already",
        )

    def succeed(indicator: Indicator) -> Indicator | None:
        if indicator.code != decision.old_code:
            return indicator
        if decision.succession is Succession.END:
            return None
        assert new_code is not None
        if decision.succession is Succession.CONTINUE:
            year = decision.base_year if baseline is not None else None
            return replace(indicator, code=new_code, baseline_year=year, baseline=baseline)
        return replace(indicator, code=new_code, baseline_year=None, baseline=None)

    return map_indicators(draft, succeed)


def fill_baseline(catalog: Catalog, code: str, base_year: int, value: Decimal) -> Catalog | None:
    """The catalog with a continuing indicator's pending baseline filled in from the old plan's
    actual of `base_year`; None when there is nothing to fill: the indicator is gone, or its
    baseline was set meanwhile (a baseline typed by hand is never overwritten)."""
    found = [i for _, _, _, i in catalog.indicators() if i.code == code]
    if not found or found[0].baseline is not None:
        return None

    def fill(indicator: Indicator) -> Indicator:
        if indicator.code != code:
            return indicator
        return replace(indicator, baseline_year=base_year, baseline=value)

    return map_indicators(catalog, fill)


def set_baseline(catalog: Catalog, code: str, base_year: int, value: Decimal) -> Catalog:
    """The catalog with a continuing indicator's baseline taken from the old plan's final value
    of `base_year` (filled in, or following that value's correction)."""

    def take(indicator: Indicator) -> Indicator:
        if indicator.code != code:
            return indicator
        return replace(indicator, baseline_year=base_year, baseline=value)

    return map_indicators(catalog, take)


def add_to_draft(draft: Catalog, measure_code: str, indicator: Indicator) -> Catalog:
    """A new indicator (no predecessor) in one of the draft's measures."""
    if indicator.code in draft_codes(draft):
        raise DomainError(
            "E_SUCCESSION",
            f"{indicator.code}: 新しい計画にこのコードの指標がすでにあります",
            f"{indicator.code}: the new plan has an indicator with this code already",
        )
    found = False
    goals = []
    for goal in draft.goals:
        policies = []
        for policy in goal.policies:
            measures = []
            for measure in policy.measures:
                if measure.code == measure_code:
                    found = True
                    measure = replace(measure, indicators=(*measure.indicators, indicator))
                measures.append(measure)
            policies.append(replace(policy, measures=tuple(measures)))
        goals.append(replace(goal, policies=tuple(policies)))
    if not found:
        raise DomainError(
            "E_UNKNOWN_MEASURE",
            f"施策 {measure_code[:40]} は新しい計画にありません",
            f"Measure {measure_code[:40]} is not in the new plan",
        )
    return replace(draft, goals=tuple(goals))
