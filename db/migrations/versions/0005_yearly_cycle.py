"""the yearly cycle: a fiscal year opened for entry by the planning division, with its due date

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 11:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fiscal_year_cycle",
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=128), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("fiscal_year", name=op.f("pk_fiscal_year_cycle")),
    )


def downgrade() -> None:
    op.drop_table("fiscal_year_cycle")
