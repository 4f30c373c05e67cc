"""revisions on actuals; finalisation, submission and merge report tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 08:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("actual", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision_db", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("revision_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("replaces_db", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("replaces_seq", sa.Integer(), nullable=True))
    # Values entered before revisions existed: this database made them, at their last audit row.
    op.execute(
        "UPDATE actual SET"
        " revision_db = (SELECT value FROM meta WHERE key = 'database_id'),"
        " revision_seq = COALESCE((SELECT max(audit.id) FROM audit"
        "   WHERE audit.indicator_code = actual.indicator_code"
        "   AND audit.fiscal_year = actual.fiscal_year), 0)"
    )
    op.create_table(
        "finalisation",
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("finalised_by", sa.String(length=128), nullable=False),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["department.code"],
            name=op.f("fk_finalisation_department_code_department"),
        ),
        sa.PrimaryKeyConstraint("department_code", "fiscal_year", name=op.f("pk_finalisation")),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("origin_db", sa.String(length=64), nullable=True),
        sa.Column("catalog_hash", sa.String(length=64), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalised_by", sa.String(length=128), nullable=True),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged_by", sa.String(length=128), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("sha256", name=op.f("uq_submission_sha256")),
    )
    op.create_table(
        "merge_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(length=128), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_report")),
    )


def downgrade() -> None:
    op.drop_table("merge_report")
    op.drop_table("submission")
    op.drop_table("finalisation")
    with op.batch_alter_table("actual", schema=None) as batch_op:
        batch_op.drop_column("replaces_seq")
        batch_op.drop_column("replaces_db")
        batch_op.drop_column("revision_seq")
        batch_op.drop_column("revision_db")
