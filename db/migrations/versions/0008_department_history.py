"""department history: former names, a 課 merged into another, and indicators' former owners

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 12:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("department") as batch:
        batch.add_column(sa.Column("former_names", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("merged_into", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("until_year", sa.Integer(), nullable=True))
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("former_owners", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("former_owners")
    with op.batch_alter_table("department") as batch:
        batch.drop_column("until_year")
        batch.drop_column("merged_into")
        batch.drop_column("former_names")
