"""links to other plans' items on a measure or an indicator (besides its directions)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 12:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("measure", "indicator"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("links", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in ("indicator", "measure"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("links")
