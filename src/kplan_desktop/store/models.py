"""SQLAlchemy 2.0 models: the catalog, departments, actuals and the append-only audit log.

Numbers are stored as exact decimal text; nothing here is specific to SQLite.
No `from __future__ import annotations` here: with real annotation objects SQLAlchemy need
not evaluate strings when mapping the classes (about 8 ms of every start-up).
"""

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints keep Alembic's batch migrations on SQLite and PostgreSQL in step.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class MetaRow(Base):
    """Key/value facts about this database (its id, the catalog hash)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PlanRow(Base):
    __tablename__ = "plan"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    start_year: Mapped[int]
    end_year: Mapped[int]
    baseline_year: Mapped[int]
    grading: Mapped[dict[str, Any]]


class DepartmentRow(Base):
    __tablename__ = "department"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)


class GoalRow(Base):
    __tablename__ = "goal"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)


class PolicyRow(Base):
    __tablename__ = "policy"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    goal_code: Mapped[str] = mapped_column(ForeignKey("goal.code"))
    name: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)


class MeasureRow(Base):
    __tablename__ = "measure"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    policy_code: Mapped[str] = mapped_column(ForeignKey("policy.code"))
    name: Mapped[str] = mapped_column(Text)
    vision: Mapped[str | None] = mapped_column(Text)
    related_plans: Mapped[list[Any]]
    position: Mapped[int] = mapped_column(default=0)


class MeasureDirectionRow(Base):
    """施策の方向 with its tags (総合戦略, 行財政改革) and cross-references."""

    __tablename__ = "measure_direction"
    __table_args__ = (UniqueConstraint("measure_code", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    measure_code: Mapped[str] = mapped_column(ForeignKey("measure.code"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[Any]]
    cross_references: Mapped[list[Any]]


class IndicatorRow(Base):
    __tablename__ = "indicator"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    measure_code: Mapped[str] = mapped_column(ForeignKey("measure.code"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(32))
    department_code: Mapped[str] = mapped_column(ForeignKey("department.code"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    value_kind: Mapped[str | None] = mapped_column(String(16))
    direction: Mapped[str | None] = mapped_column(String(16))
    comparator: Mapped[str | None] = mapped_column(String(4))
    cumulative: Mapped[bool] = mapped_column(default=False)
    decimals: Mapped[int | None]
    allow_negative: Mapped[bool] = mapped_column(default=False)
    baseline_year: Mapped[int | None]
    baseline: Mapped[str | None] = mapped_column(String(40))
    target_year: Mapped[int | None]
    target: Mapped[str | None] = mapped_column(String(40))
    official_rate: Mapped[str | None] = mapped_column(String(16))
    yoy_threshold: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class ReferenceTableRow(Base):
    """Reference statistics (歳入 / 歳出) from the plan, values as exact decimal text."""

    __tablename__ = "reference_table"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    columns: Mapped[list[Any]]
    rows: Mapped[list[Any]]
    position: Mapped[int] = mapped_column(default=0)


class ActualRow(Base):
    """One indicator's value for one fiscal year, or the reason it is missing."""

    __tablename__ = "actual"
    __table_args__ = (UniqueConstraint("indicator_code", "fiscal_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    value: Mapped[str | None] = mapped_column(String(40))
    missing_reason: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(128))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(16))


class AuditRow(Base):
    """An append-only record of one change: what it was, what it became, who, when, from where."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    who: Mapped[str] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    indicator_code: Mapped[str | None] = mapped_column(String(32), index=True)
    fiscal_year: Mapped[int | None]
    old_value: Mapped[str | None] = mapped_column(String(40))
    new_value: Mapped[str | None] = mapped_column(String(40))
    old_reason: Mapped[str | None] = mapped_column(String(32))
    new_reason: Mapped[str | None] = mapped_column(String(32))
    old_comment: Mapped[str | None] = mapped_column(Text)
    new_comment: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
