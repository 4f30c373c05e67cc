"""initial schema: catalog, departments, actuals, audit log (downgrade drops them all)

Revision ID: 0001
Revises:
Create Date: 2026-11-26 05:42:45.049716
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(length=128), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("indicator_code", sa.String(length=32), nullable=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("old_value", sa.String(length=40), nullable=True),
        sa.Column("new_value", sa.String(length=40), nullable=True),
        sa.Column("old_reason", sa.String(length=32), nullable=True),
        sa.Column("new_reason", sa.String(length=32), nullable=True),
        sa.Column("old_comment", sa.Text(), nullable=True),
        sa.Column("new_comment", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_indicator_code"), ["indicator_code"], unique=False
        )

    op.create_table(
        "department",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_department")),
    )
    op.create_table(
        "goal",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("subtitle", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_goal")),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "plan",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("grading", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_plan")),
    )
    op.create_table(
        "reference_table",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_reference_table")),
    )
    op.create_table(
        "policy",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("goal_code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_code"], ["goal.code"], name=op.f("fk_policy_goal_code_goal")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_policy")),
    )
    op.create_table(
        "measure",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("policy_code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("vision", sa.Text(), nullable=True),
        sa.Column("related_plans", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_code"], ["policy.code"], name=op.f("fk_measure_policy_code_policy")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_measure")),
    )
    op.create_table(
        "indicator",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("measure_code", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("value_kind", sa.String(length=16), nullable=True),
        sa.Column("direction", sa.String(length=16), nullable=True),
        sa.Column("comparator", sa.String(length=4), nullable=True),
        sa.Column("cumulative", sa.Boolean(), nullable=False),
        sa.Column("decimals", sa.Integer(), nullable=True),
        sa.Column("allow_negative", sa.Boolean(), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("baseline", sa.String(length=40), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=40), nullable=True),
        sa.Column("official_rate", sa.String(length=16), nullable=True),
        sa.Column("yoy_threshold", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["department.code"],
            name=op.f("fk_indicator_department_code_department"),
        ),
        sa.ForeignKeyConstraint(
            ["measure_code"], ["measure.code"], name=op.f("fk_indicator_measure_code_measure")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicator")),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_department_code"), ["department_code"], unique=False
        )

    op.create_table(
        "measure_direction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_code", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("cross_references", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_code"],
            ["measure.code"],
            name=op.f("fk_measure_direction_measure_code_measure"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_direction")),
        sa.UniqueConstraint(
            "measure_code", "number", name=op.f("uq_measure_direction_measure_code")
        ),
    )
    op.create_table(
        "actual",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=32), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=True),
        sa.Column("missing_reason", sa.String(length=32), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.String(length=128), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_code"], ["indicator.code"], name=op.f("fk_actual_indicator_code_indicator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actual")),
        sa.UniqueConstraint("indicator_code", "fiscal_year", name=op.f("uq_actual_indicator_code")),
    )
    with op.batch_alter_table("actual", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actual_fiscal_year"), ["fiscal_year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("actual", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actual_fiscal_year"))

    op.drop_table("actual")
    op.drop_table("measure_direction")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_department_code"))

    op.drop_table("indicator")
    op.drop_table("measure")
    op.drop_table("policy")
    op.drop_table("reference_table")
    op.drop_table("plan")
    op.drop_table("meta")
    op.drop_table("goal")
    op.drop_table("department")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_indicator_code"))

    op.drop_table("audit")
