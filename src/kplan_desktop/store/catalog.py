"""Reading the catalog from the database and replacing it with a new version."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kplan_desktop.domain.catalog import (
    Catalog,
    CrossReference,
    Department,
    Goal,
    Indicator,
    Measure,
    MeasureDirection,
    Plan,
    Policy,
    ReferenceTable,
)
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import (
    Comparator,
    Direction,
    GradeLabels,
    IndicatorKind,
    IndicatorStatus,
    PlanSettings,
    RateBasis,
    ValueKind,
)
from kplan_desktop.domain.values import canonical, grading_to_dict
from kplan_desktop.store.audit import record
from kplan_desktop.store.engine import Store
from kplan_desktop.store.models import (
    ActualRow,
    DepartmentRow,
    GoalRow,
    IndicatorRow,
    MeasureDirectionRow,
    MeasureRow,
    MetaRow,
    PlanRow,
    PolicyRow,
    ReferenceTableRow,
)

CATALOG_HASH_KEY = "catalog_hash"


@dataclass
class CatalogChange:
    """What replacing the catalog did, for the command line and the audit log."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    departments_added: list[str] = field(default_factory=list)
    unchanged: bool = False

    def summary(self) -> str:
        return (
            f"added={len(self.added)} changed={len(self.changed)} removed={len(self.removed)} "
            f"departments_added={len(self.departments_added)}"
        )


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else canonical(value)


def _indicator_columns(indicator: Indicator) -> dict[str, Any]:
    return {
        "kind": indicator.kind.value,
        "name": indicator.name,
        "unit": indicator.unit,
        "department_code": indicator.department,
        "description": indicator.description,
        "value_kind": None if indicator.value_kind is None else indicator.value_kind.value,
        "direction": None if indicator.direction is None else indicator.direction.value,
        "comparator": None if indicator.comparator is None else indicator.comparator.value,
        "cumulative": indicator.cumulative,
        "decimals": indicator.decimals,
        "allow_negative": indicator.allow_negative,
        "baseline_year": indicator.baseline_year,
        "baseline": _dec(indicator.baseline),
        "target_year": indicator.target_year,
        "target": _dec(indicator.target),
        "official_rate": None if indicator.official_rate is None else indicator.official_rate.value,
        "yoy_threshold": canonical(indicator.yoy_threshold),
        "status": indicator.status.value,
        "note": indicator.note,
    }


def _upsert(session: Session, model: type[Any], key: str, values: dict[str, Any]) -> bool:
    """Insert or update one row by primary key; True if anything changed."""
    row = session.get(model, key)
    if row is None:
        session.add(model(**values))
        return True
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def replace_catalog(
    store: Store, catalog: Catalog, catalog_hash: str, *, who: str, source: str, detail: str
) -> CatalogChange:
    """Make the database's catalog equal to `catalog`, in one transaction.

    Indicators that already hold actuals cannot be removed (their values would be orphaned);
    such a catalog is refused and nothing changes.
    """
    change = CatalogChange()
    with store.transaction() as session:
        stored_hash = session.get(MetaRow, CATALOG_HASH_KEY)
        if stored_hash is not None and stored_hash.value == catalog_hash:
            change.unchanged = True
            return change
        new_codes = {i.code for _, _, _, i in catalog.indicators()}
        old_codes = set(session.scalars(select(IndicatorRow.code)))
        removed = sorted(old_codes - new_codes)
        with_values = sorted(
            set(
                session.scalars(
                    select(ActualRow.indicator_code).where(ActualRow.indicator_code.in_(removed))
                )
            )
        )
        if with_values:
            raise DomainError(
                "E_CATALOG_REMOVES_VALUES",
                "実績が入力済みの指標をカタログから削除することはできません: "
                + ", ".join(with_values),
                "Indicators that hold actuals cannot be removed from the catalog: "
                + ", ".join(with_values),
            )
        s = catalog.plan.settings
        session.execute(delete(PlanRow).where(PlanRow.code != catalog.plan.code))
        _upsert(
            session,
            PlanRow,
            catalog.plan.code,
            {
                "code": catalog.plan.code,
                "name": catalog.plan.name,
                "start_year": s.start_year,
                "end_year": s.end_year,
                "baseline_year": s.baseline_year,
                "grading": grading_to_dict(s),
            },
        )
        known_departments = set(session.scalars(select(DepartmentRow.code)))
        for n, dep in enumerate(catalog.departments):
            if dep.code not in known_departments:
                change.departments_added.append(dep.code)
            _upsert(
                session,
                DepartmentRow,
                dep.code,
                {"code": dep.code, "name": dep.name, "active": dep.active, "position": n},
            )
        session.execute(delete(MeasureDirectionRow))
        for g_pos, goal in enumerate(catalog.goals):
            _upsert(
                session,
                GoalRow,
                goal.code,
                {
                    "code": goal.code,
                    "name": goal.name,
                    "subtitle": goal.subtitle,
                    "position": g_pos,
                },
            )
            for p_pos, policy in enumerate(goal.policies):
                _upsert(
                    session,
                    PolicyRow,
                    policy.code,
                    {
                        "code": policy.code,
                        "goal_code": goal.code,
                        "name": policy.name,
                        "position": p_pos,
                    },
                )
                for m_pos, measure in enumerate(policy.measures):
                    _upsert(
                        session,
                        MeasureRow,
                        measure.code,
                        {
                            "code": measure.code,
                            "policy_code": policy.code,
                            "name": measure.name,
                            "vision": measure.vision,
                            "related_plans": list(measure.related_plans),
                            "position": m_pos,
                        },
                    )
                    session.flush()
                    for direction in measure.directions:
                        session.add(
                            MeasureDirectionRow(
                                measure_code=measure.code,
                                number=direction.number,
                                name=direction.name,
                                text=direction.text,
                                tags=list(direction.tags),
                                cross_references=[
                                    {"plan": x.plan, "code": x.code, "title": x.title}
                                    for x in direction.cross_references
                                ],
                            )
                        )
                    for i_pos, indicator in enumerate(measure.indicators):
                        values = _indicator_columns(indicator)
                        values.update(
                            code=indicator.code, measure_code=measure.code, position=i_pos
                        )
                        is_new = indicator.code not in old_codes
                        if _upsert(session, IndicatorRow, indicator.code, values) and not is_new:
                            change.changed.append(indicator.code)
                        if is_new:
                            change.added.append(indicator.code)
        session.flush()
        if removed:
            session.execute(delete(IndicatorRow).where(IndicatorRow.code.in_(removed)))
        change.removed = removed
        measures = {m.code for g in catalog.goals for p in g.policies for m in p.measures}
        policies = {p.code for g in catalog.goals for p in g.policies}
        goals = {g.code for g in catalog.goals}
        session.execute(delete(MeasureRow).where(MeasureRow.code.not_in(measures)))
        session.execute(delete(PolicyRow).where(PolicyRow.code.not_in(policies)))
        session.execute(delete(GoalRow).where(GoalRow.code.not_in(goals)))
        session.execute(delete(ReferenceTableRow))
        for t_pos, table in enumerate(catalog.reference_tables):
            session.add(
                ReferenceTableRow(
                    code=table.code,
                    title=table.title,
                    unit=table.unit,
                    source=table.source,
                    note=table.note,
                    columns=list(table.columns),
                    rows=[
                        {"label": label, "values": [_dec(v) for v in values]}
                        for label, values in table.rows
                    ],
                    position=t_pos,
                )
            )
        _upsert(
            session, MetaRow, CATALOG_HASH_KEY, {"key": CATALOG_HASH_KEY, "value": catalog_hash}
        )
        record(
            session,
            who=who,
            source=source,
            action="catalog",
            detail=f"{detail}; {change.summary()}; sha256={catalog_hash}",
        )
    return change


def _opt_dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def indicator_from_row(row: IndicatorRow) -> Indicator:
    return Indicator(
        code=row.code,
        kind=IndicatorKind(row.kind),
        name=row.name,
        unit=row.unit,
        department=row.department_code,
        description=row.description,
        value_kind=None if row.value_kind is None else ValueKind(row.value_kind),
        direction=None if row.direction is None else Direction(row.direction),
        comparator=None if row.comparator is None else Comparator(row.comparator),
        cumulative=row.cumulative,
        decimals=row.decimals,
        allow_negative=row.allow_negative,
        baseline_year=row.baseline_year,
        baseline=_opt_dec(row.baseline),
        target_year=row.target_year,
        target=_opt_dec(row.target),
        official_rate=None if row.official_rate is None else RateBasis(row.official_rate),
        yoy_threshold=Decimal(row.yoy_threshold),
        status=IndicatorStatus(row.status),
        note=row.note,
    )


def plan_settings_from_row(row: PlanRow) -> PlanSettings:
    g = row.grading
    return PlanSettings(
        start_year=row.start_year,
        end_year=row.end_year,
        baseline_year=row.baseline_year,
        grade_a=Decimal(g["a"]),
        grade_b=Decimal(g["b"]),
        grade_c=Decimal(g["c"]),
        grade_labels=GradeLabels(g["labels"]),
        warn_grades=frozenset(g["warn_grades"]),
        on_track=Decimal(g["on_track"]),
        slightly_behind=Decimal(g["slightly_behind"]),
    )


def read_catalog(store: Store) -> Catalog | None:
    """The catalog held by the database, or None before one was loaded."""
    with store.session() as session:
        plan_row = session.scalars(select(PlanRow)).first()
        if plan_row is None:
            return None
        plan = Plan(plan_row.code, plan_row.name, plan_settings_from_row(plan_row))
        departments = tuple(
            Department(d.code, d.name, d.active)
            for d in session.scalars(select(DepartmentRow).order_by(DepartmentRow.position))
        )
        indicators: dict[str, list[Indicator]] = {}
        for row in session.scalars(select(IndicatorRow).order_by(IndicatorRow.position)):
            indicators.setdefault(row.measure_code, []).append(indicator_from_row(row))
        directions: dict[str, list[MeasureDirection]] = {}
        direction_rows = session.scalars(
            select(MeasureDirectionRow).order_by(MeasureDirectionRow.number)
        )
        for d in direction_rows:
            directions.setdefault(d.measure_code, []).append(
                MeasureDirection(
                    number=d.number,
                    name=d.name,
                    text=d.text,
                    tags=tuple(d.tags),
                    cross_references=tuple(
                        CrossReference(x["plan"], x["code"], x["title"]) for x in d.cross_references
                    ),
                )
            )
        measures: dict[str, list[Measure]] = {}
        for m in session.scalars(select(MeasureRow).order_by(MeasureRow.position)):
            measures.setdefault(m.policy_code, []).append(
                Measure(
                    code=m.code,
                    name=m.name,
                    vision=m.vision,
                    directions=tuple(directions.get(m.code, [])),
                    related_plans=tuple(m.related_plans),
                    indicators=tuple(indicators.get(m.code, [])),
                )
            )
        policies: dict[str, list[Policy]] = {}
        for p in session.scalars(select(PolicyRow).order_by(PolicyRow.position)):
            policies.setdefault(p.goal_code, []).append(
                Policy(p.code, p.name, tuple(measures.get(p.code, [])))
            )
        goals = tuple(
            Goal(g.code, g.name, g.subtitle, tuple(policies.get(g.code, [])))
            for g in session.scalars(select(GoalRow).order_by(GoalRow.position))
        )
        tables = tuple(
            ReferenceTable(
                code=t.code,
                title=t.title,
                unit=t.unit,
                columns=tuple(t.columns),
                rows=tuple((r["label"], tuple(_opt_dec(v) for v in r["values"])) for r in t.rows),
                source=t.source,
                note=t.note,
            )
            for t in session.scalars(select(ReferenceTableRow).order_by(ReferenceTableRow.position))
        )
        return Catalog(plan, departments, goals, tables)


def indicator_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(IndicatorRow)) or 0
