"""departments' contacts (連絡先) and indicators' yearly interim targets (年度別目標)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 11:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("department") as batch:
        batch.add_column(sa.Column("contact", sa.Text(), nullable=True))
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("interim_targets", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("interim_targets")
    with op.batch_alter_table("department") as batch:
        batch.drop_column("contact")
