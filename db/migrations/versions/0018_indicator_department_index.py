"""an index of the catalog's indicators by generation and department

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 09:15:00

Every read of one department's indicators (its window, its export, the merge of its file: the
indicators themselves and, through them, their values) filters `indicator` by generation and
department. Since plan generations (0014) the primary key begins with the generation, and
without statistics SQLite searched that key for the generation alone, a walk over the whole
catalog: about 20 ms at 120,000 indicators for each such read, several per merged file (issue
20's 300-file merge). With this index the same read takes a fraction of a millisecond. The
index of the department alone stays (the department's foreign key uses it). A plain CREATE
INDEX on both backends: no table is rebuilt, so migration 0016's triggers stay as they are.
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_indicator_generation_department", "indicator", ["generation", "department_code"]
    )


def downgrade() -> None:
    op.drop_index("ix_indicator_generation_department", "indicator")
