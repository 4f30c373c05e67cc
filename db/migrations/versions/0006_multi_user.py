"""multi-user: the fiscal-year lock, refused in the database itself on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# On a shared server a program that skips the check (or psql) must still be refused: the
# trigger raises P0001 with E_LOCKED_YEAR in its message, which the store turns into the
# clerk's message. A row moved out of a locked year is refused as well as one moved in.
_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION kplan_refuse_locked_year() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE')
       AND EXISTS (SELECT 1 FROM year_lock WHERE fiscal_year = OLD.fiscal_year) THEN
        RAISE EXCEPTION 'E_LOCKED_YEAR: fiscal year % is locked', OLD.fiscal_year;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE')
       AND EXISTS (SELECT 1 FROM year_lock WHERE fiscal_year = NEW.fiscal_year) THEN
        RAISE EXCEPTION 'E_LOCKED_YEAR: fiscal year % is locked', NEW.fiscal_year;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "year_lock",
        sa.Column("fiscal_year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_by", sa.String(length=128), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("fiscal_year", name=op.f("pk_year_lock")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_TRIGGER_FUNCTION)
        for table in ("actual", "measure_evaluation"):
            op.execute(
                f"CREATE TRIGGER {table}_year_lock BEFORE INSERT OR UPDATE OR DELETE ON {table}"
                " FOR EACH ROW EXECUTE FUNCTION kplan_refuse_locked_year()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("actual", "measure_evaluation"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_year_lock ON {table}")
        op.execute("DROP FUNCTION IF EXISTS kplan_refuse_locked_year()")
    op.drop_table("year_lock")
