"""catalog versions (sequence, hash, date, the catalog itself) and measure evaluations (施策評価)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 10:30:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    version = op.create_table(
        "catalog_version",
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("catalog_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=128), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("sequence", name=op.f("pk_catalog_version")),
    )
    op.create_table(
        "measure_evaluation",
        sa.Column("measure_code", sa.String(length=32), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=1), nullable=True),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("next_step", sa.String(length=8), nullable=True),
        sa.Column("next_text", sa.Text(), nullable=False),
        sa.Column("reviewer_comment", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=128), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision_db", sa.String(length=64), nullable=True),
        sa.Column("revision_seq", sa.Integer(), nullable=True),
        sa.Column("replaces_db", sa.String(length=64), nullable=True),
        sa.Column("replaces_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("measure_code", "fiscal_year", name=op.f("pk_measure_evaluation")),
    )
    # A database made before versions existed holds one catalog: it becomes version 1.
    bind = op.get_bind()
    current = bind.execute(sa.text("SELECT value FROM meta WHERE key = 'catalog_hash'")).scalar()
    if current is not None:
        moment = datetime.now(UTC)
        op.bulk_insert(
            version,
            [
                {
                    "sequence": 1,
                    "catalog_hash": current,
                    "issued_at": moment,
                    "issued_by": "migration",
                    "origin": "import",
                    "recorded_at": moment,
                    "content": None,
                }
            ],
        )


def downgrade() -> None:
    op.drop_table("measure_evaluation")
    op.drop_table("catalog_version")
