"""a continuing indicator's baseline follows the old plan's final value of its base year

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 05:00:00

`indicator_link.linked_baseline` (every backend): the baseline last taken from the old plan's
final value of the base year (`pending_base_year`, which from now on stays set while the
baseline follows the link). NULL while the baseline is pending. When the base year's final
value is corrected (a newer merge, a withdrawal and a new 確定) the baseline follows it; a
baseline typed by hand (the catalog's baseline no longer equals `linked_baseline`) stops the
following (exchange/next_generation.fill_pending_baselines).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE ... ADD COLUMN on both backends: a batch rebuild of the table on SQLite
    # would drop the closed-generation triggers migration 0016 put on it.
    op.add_column("indicator_link", sa.Column("linked_baseline", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator_link") as batch:
        batch.drop_column("linked_baseline")
