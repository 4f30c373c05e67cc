"""closing a plan generation: read-only on the server by the database itself, and the next
plan's baselines that wait for the closing plan's actuals

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 22:30:00

`indicator_link.pending_base_year` (every backend): set when the next plan continues an
indicator whose base-year actual is not in yet (its baseline stays "not set"); the year whose
actual fills the baseline in when it is merged, finalised or the old plan closes
(exchange/next_generation.fill_pending_baselines), cleared then. NULL for every link made
before and for a baseline set or typed by hand.

The triggers are PostgreSQL's (on SQLite the store refuses, `generations.require_writable`).
Migration 0014
refuses a closed generation's values, 確定 and 施策評価 in the year-lock trigger; this one
extends the refusal to every other table that belongs to a generation and that the planning
division's login may write with plain SQL: the catalog (plan settings, goals, policies,
measures, their directions, indicators and their targets, reference tables, catalog versions,
indicator links), the yearly cycle, the year locks and the merged submissions. A row of a
closed generation can be neither inserted, changed nor deleted (E_GENERATION_CLOSED); and a
closed generation stays closed: its row in `generation` cannot be changed or deleted, so the
planning login cannot re-open the plan by an UPDATE. A department login writes no table at all
(`server init`), so what it tries is refused by its grants first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# Every table with a generation column but those the year-lock trigger of 0014 guards already
# (actual, measure_evaluation, finalisation), the audit log (append-only: closing itself is
# recorded there) and the write gate (the program's own meeting rows).
TABLES = (
    "plan",
    "goal",
    "policy",
    "measure",
    "measure_direction",
    "indicator",
    "reference_table",
    "catalog_version",
    "indicator_link",
    "fiscal_year_cycle",
    "year_lock",
    "submission",
)

_SETTINGS = "SECURITY DEFINER SET search_path = pg_catalog, {s}, pg_temp"

_REFUSE_CLOSED = """
CREATE OR REPLACE FUNCTION {s}.kplan_refuse_closed_generation() RETURNS trigger
LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM {s}.generation WHERE number = OLD.generation AND status = 'closed') THEN
        RAISE EXCEPTION 'E_GENERATION_CLOSED: generation % is closed', OLD.generation;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM {s}.generation WHERE number = NEW.generation AND status = 'closed') THEN
        RAISE EXCEPTION 'E_GENERATION_CLOSED: generation % is closed', NEW.generation;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

_KEEP_CLOSED = """
CREATE OR REPLACE FUNCTION {s}.kplan_keep_generation_closed() RETURNS trigger
LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF OLD.status = 'closed' THEN
        RAISE EXCEPTION 'E_GENERATION_CLOSED: generation % is closed and stays closed',
            OLD.number;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""


def _schema() -> str:
    name = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar()
    return '"' + str(name or "public").replace('"', '""') + '"'


def upgrade() -> None:
    with op.batch_alter_table("indicator_link") as batch:
        batch.add_column(sa.Column("pending_base_year", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "postgresql":
        return
    s = _schema()
    settings = _SETTINGS.format(s=s)
    op.execute(_REFUSE_CLOSED.format(s=s, settings=settings))
    op.execute(_KEEP_CLOSED.format(s=s, settings=settings))
    for function in ("kplan_refuse_closed_generation()", "kplan_keep_generation_closed()"):
        op.execute(f"REVOKE ALL ON FUNCTION {s}.{function} FROM PUBLIC")
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_closed_generation BEFORE INSERT OR UPDATE OR DELETE"
            f" ON {s}.{table} FOR EACH ROW EXECUTE FUNCTION {s}.kplan_refuse_closed_generation()"
        )
    op.execute(
        f"CREATE TRIGGER generation_stays_closed BEFORE UPDATE OR DELETE ON {s}.generation"
        f" FOR EACH ROW EXECUTE FUNCTION {s}.kplan_keep_generation_closed()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        _drop_pending()
        return
    s = _schema()
    op.execute(f"DROP TRIGGER IF EXISTS generation_stays_closed ON {s}.generation")
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_closed_generation ON {s}.{table}")
    op.execute(f"DROP FUNCTION IF EXISTS {s}.kplan_keep_generation_closed()")
    op.execute(f"DROP FUNCTION IF EXISTS {s}.kplan_refuse_closed_generation()")
    _drop_pending()


def _drop_pending() -> None:
    with op.batch_alter_table("indicator_link") as batch:
        batch.drop_column("pending_base_year")
