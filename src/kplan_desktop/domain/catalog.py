"""The plan catalog as plain data: goals › policies › measures › indicators, and departments."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import (
    DEFAULT_YOY_THRESHOLD,
    Comparator,
    Direction,
    IndicatorKind,
    IndicatorSpec,
    IndicatorStatus,
    PlanSettings,
    RateBasis,
    ValueKind,
)
from kplan_desktop.domain.units import infer_value_kind

TAG_STRATEGY = "総合戦略"
TAG_REFORM = "行財政改革"


def unknown_department(code: str) -> DomainError:
    """The one refusal of a department code the catalog does not have."""
    return DomainError(
        "E_UNKNOWN_DEPARTMENT",
        f"課コード {code[:40]} はカタログにありません（kplan departments で一覧）",
        f"Department {code[:40]} is not in the catalog (see kplan departments)",
    )


@dataclass(frozen=True)
class Department:
    """A 課 that owns indicators; renamed 課 keep their code so past values stay attributed."""

    code: str
    name: str
    active: bool = True
    contact: str | None = None  # 連絡先: a person, an extension, a mail address
    # History: the names it had (each until a fiscal year, inclusive), and, for a 課 merged into
    # another, that one's code and the last fiscal year this one reported.
    former_names: tuple[tuple[int, str], ...] = ()
    merged_into: str | None = None
    until_year: int | None = None

    def name_for(self, fiscal_year: int) -> str:
        """The name the 課 had in `fiscal_year`."""
        for until, name in self.former_names:
            if fiscal_year <= until:
                return name
        return self.name


@dataclass(frozen=True)
class CrossReference:
    """A code in another plan (総合戦略 4-1-2, 行財政改革 3-1-2-2) that a direction serves."""

    plan: str
    code: str
    title: str


@dataclass(frozen=True)
class MeasureDirection:
    """施策の方向: a line of action under a measure, with its tags and cross-references."""

    number: int
    name: str
    text: str = ""
    tags: tuple[str, ...] = ()
    cross_references: tuple[CrossReference, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """達成指標 or 活動指標, with everything the plan text says about it (None = not set)."""

    code: str
    kind: IndicatorKind
    name: str | None
    unit: str | None
    department: str
    description: str | None = None
    value_kind: ValueKind | None = None
    direction: Direction | None = None
    comparator: Comparator | None = None
    cumulative: bool = False
    decimals: int | None = None
    allow_negative: bool = False
    baseline_year: int | None = None
    baseline: Decimal | None = None
    target_year: int | None = None
    target: Decimal | None = None
    official_rate: RateBasis | None = None
    yoy_threshold: Decimal = DEFAULT_YOY_THRESHOLD
    status: IndicatorStatus = IndicatorStatus.ACTIVE
    note: str | None = None
    # 年度別目標: a target for a year before the target year, in year order.
    interim_targets: tuple[tuple[int, Decimal], ...] = ()
    # Departments that owned it before `department`: (last fiscal year, department), in order.
    former_owners: tuple[tuple[int, str], ...] = ()
    # Items of other plans this indicator serves by itself (a 総合戦略 KPI measured by it).
    links: tuple[CrossReference, ...] = ()

    def owner_for(self, fiscal_year: int) -> str:
        """The department that owned (reports) the indicator in `fiscal_year`."""
        for until, department in self.former_owners:
            if fiscal_year <= until:
                return department
        return self.department

    @property
    def effective_value_kind(self) -> ValueKind | None:
        if self.value_kind is not None:
            return self.value_kind
        if self.direction is Direction.MILESTONE:
            return ValueKind.MILESTONE
        return infer_value_kind(self.unit)

    @property
    def display_name(self) -> str:
        return self.name if self.name else "（名称未設定）"

    def spec_for(self, fiscal_year: int) -> IndicatorSpec:
        """The spec a value of `fiscal_year` is graded with: that year's interim target
        (年度別目標) when the plan sets one, else the plan's target."""
        for year, target in self.interim_targets:
            if year == fiscal_year:
                return replace(self.spec(), target_year=year, target=target)
        return self.spec()

    def spec(self) -> IndicatorSpec:
        return IndicatorSpec(
            code=self.code,
            unit=self.unit,
            value_kind=self.effective_value_kind,
            direction=self.direction,
            comparator=self.comparator,
            cumulative=self.cumulative,
            decimals=self.decimals,
            allow_negative=self.allow_negative,
            baseline_year=self.baseline_year,
            baseline=self.baseline,
            target_year=self.target_year,
            target=self.target,
            official_rate=self.official_rate,
            yoy_threshold=self.yoy_threshold,
            status=self.status,
        )


@dataclass(frozen=True)
class Measure:
    """施策: its 目指す姿, directions, related individual plans and indicators."""

    code: str
    name: str
    vision: str | None = None
    directions: tuple[MeasureDirection, ...] = ()
    related_plans: tuple[str, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    # Items of other plans the whole measure serves (all its indicators count for them).
    links: tuple[CrossReference, ...] = ()


@dataclass(frozen=True)
class Policy:
    """政策."""

    code: str
    name: str
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class Goal:
    """基本目標."""

    code: str
    name: str
    subtitle: str | None = None
    policies: tuple[Policy, ...] = ()


@dataclass(frozen=True)
class ReferenceTable:
    """Reference statistics printed in the plan (歳入 / 歳出), kept as exact decimal text."""

    code: str
    title: str
    unit: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Decimal | None, ...]], ...]
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Plan:
    """The plan itself and its settings."""

    code: str
    name: str
    settings: PlanSettings


@dataclass(frozen=True)
class Catalog:
    """Everything the planning division defines; the rest of the program reads it."""

    plan: Plan
    departments: tuple[Department, ...] = ()
    goals: tuple[Goal, ...] = ()
    reference_tables: tuple[ReferenceTable, ...] = field(default_factory=tuple)

    def check_choice(self, department: str | None, fiscal_year: int | None) -> None:
        """A department and a year chosen by the user must exist (DomainError otherwise)."""
        if department is not None and department not in {d.code for d in self.departments}:
            raise unknown_department(department)
        plan = self.plan.settings
        if fiscal_year is not None and not plan.in_period(fiscal_year):
            raise DomainError(
                "E_YEAR_OUT_OF_PLAN",
                f"{fiscal_year}年度は計画期間（{plan.start_year}〜{plan.end_year}年度）の外です",
                f"FY{fiscal_year} is outside the plan period "
                f"(FY{plan.start_year}–FY{plan.end_year})",
            )

    def indicators(self) -> Iterator[tuple[Goal, Policy, Measure, Indicator]]:
        for goal in self.goals:
            for policy in goal.policies:
                for measure in policy.measures:
                    for indicator in measure.indicators:
                        yield goal, policy, measure, indicator


def reference_plan(reference: CrossReference) -> str:
    """The plan a cross-reference belongs to; by its code's shape when the catalog says neither
    (総合戦略 KPIs are numbered 4-1-2, 行財政改革 action items 2-2-1-1)."""
    if reference.plan in (TAG_STRATEGY, TAG_REFORM):
        return reference.plan
    if reference.plan:
        return reference.plan
    return TAG_REFORM if len(reference.code.split("-")) >= 4 else TAG_STRATEGY


def direction_plans(direction: MeasureDirection) -> set[str]:
    """The plans besides the comprehensive plan that a direction serves."""
    plans = {tag for tag in direction.tags if tag in (TAG_STRATEGY, TAG_REFORM)}
    plans.update(reference_plan(x) for x in direction.cross_references)
    return plans


@dataclass(frozen=True)
class PlanLink:
    """One item of another plan (its code and title there, "" when only tagged) and what of the
    comprehensive plan serves it: a measure direction (all the measure's indicators), the
    measure itself, or one indicator (`indicator` set)."""

    plan: str
    code: str
    title: str
    goal: Goal
    policy: Policy
    measure: Measure
    direction: MeasureDirection | None
    indicator: Indicator | None = None

    @property
    def serving(self) -> str:
        """The comprehensive plan's side, as one line: measure ／ direction or indicator."""
        where = f"{self.measure.code} {self.measure.name}"
        if self.indicator is not None:
            return f"{where} ／ {self.indicator.code} {self.indicator.display_name}"
        if self.direction is not None:
            return f"{where} ／ ({self.direction.number}) {self.direction.name}"
        return where

    def serves(self, indicator: Indicator) -> bool:
        return self.indicator is None or self.indicator.code == indicator.code


def linked_plans(catalog: Catalog) -> list[str]:
    """The other plans the catalog links to: 総合戦略 and 行財政改革 first, then any other."""
    found: set[str] = set()
    for goal in catalog.goals:
        for policy in goal.policies:
            for measure in policy.measures:
                for direction in measure.directions:
                    found |= direction_plans(direction)
                found |= {reference_plan(x) for x in measure.links}
                for indicator in measure.indicators:
                    found |= {reference_plan(x) for x in indicator.links}
    order = {TAG_STRATEGY: 0, TAG_REFORM: 1}
    return sorted(found, key=lambda p: (order.get(p, 2), p))


def plan_links(catalog: Catalog, plan: str | None = None) -> list[PlanLink]:
    """Every link to another plan (or to `plan` only), ordered by plan and by code."""
    links: list[PlanLink] = []
    for goal in catalog.goals:
        for policy in goal.policies:
            for measure in policy.measures:
                for direction in measure.directions:
                    referenced: set[str] = set()
                    for x in direction.cross_references:
                        owner = reference_plan(x)
                        referenced.add(owner)
                        links.append(
                            PlanLink(owner, x.code, x.title, goal, policy, measure, direction)
                        )
                    for tagged in direction_plans(direction) - referenced:
                        links.append(PlanLink(tagged, "", "", goal, policy, measure, direction))
                for x in measure.links:
                    links.append(
                        PlanLink(reference_plan(x), x.code, x.title, goal, policy, measure, None)
                    )
                for indicator in measure.indicators:
                    for x in indicator.links:
                        links.append(
                            PlanLink(
                                reference_plan(x), x.code, x.title, goal, policy, measure, None,
                                indicator,
                            )
                        )  # fmt: skip
    order = {TAG_STRATEGY: 0, TAG_REFORM: 1}

    def key(link: PlanLink) -> tuple[int, str, tuple[tuple[int, int | str], ...]]:
        parts = tuple((0, int(p)) if p.isdigit() else (1, p) for p in link.code.split("-"))
        return (order.get(link.plan, 2), link.plan, parts)

    ordered = sorted(links, key=key)
    return [link for link in ordered if plan is None or link.plan == plan]


def unknown_plan(name: str, choices: list[str]) -> DomainError:
    return DomainError(
        "E_UNKNOWN_PLAN",
        f"計画「{name[:40]}」はカタログの計画横断にありません（{'・'.join(choices) or 'なし'}）",
        f"The catalog links no plan named {name[:40]!r} (choices: {', '.join(choices) or 'none'})",
    )
