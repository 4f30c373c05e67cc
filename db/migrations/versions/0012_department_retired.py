"""departments retired by a catalog import: kept for their history, no longer in the catalog

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 13:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite allows NOT NULL with a default): a batch would rebuild the
    # department table, which the indicator and finalisation tables' foreign keys refer to.
    op.add_column(
        "department",
        sa.Column("retired", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("department") as batch:
        batch.drop_column("retired")
