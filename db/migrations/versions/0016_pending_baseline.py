"""a continuing indicator's baseline that waits for the old plan's actual of its base year

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 22:40:00

`indicator_link.pending_base_year`: set when the next plan continues an indicator whose
base-year actual is not in yet (its baseline stays "not set"); the year whose actual fills the
baseline in when it is merged or finalised (exchange/next_generation.fill_pending_baselines),
cleared then. NULL for every link made before and for a baseline set or typed by hand.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator_link") as batch:
        batch.add_column(sa.Column("pending_base_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator_link") as batch:
        batch.drop_column("pending_base_year")
