"""closed and overlapping plan generations guarded by the database on both backends: the audit
log, `meta` and the plan period

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 04:30:00

What a login could still do after 0015, found by attacking it with plain SQL (issue 17):

- The audit log of a closed generation took new rows: the planning division's login appends to
  `audit` (its grants), so it could add a forged 入力 row to a closed plan's history. Now a row
  naming a closed generation is refused, unless it records something every generation shares
  or a read — a signing key (`key`), a restore (`restore`), a submission written (`export`):
  those name generation 1 whatever plan they happen under (store/audit.audit_row). No row of a
  closed generation may be changed or deleted, and none moved into or out of one.
- `meta` held a closed generation's catalog hash (`catalog_hash`, `catalog_hash:N`) unguarded:
  it is now read-only once its generation is closed.
- A value, 確定 or 施策評価 whose year lies outside its generation's period was taken from the
  planning division's direct writes (the write functions refuse it; the table did not): R8 of
  the old plan written through the new plan's number missed the old plan's year lock. The
  year-lock trigger of `actual`, `finalisation` and `measure_evaluation` now refuses a year
  outside the period of the row's generation (E_YEAR_OUT_OF_PLAN).
- A department login could enter values, 確定 and 施策評価 into a draft next plan (not yet in
  force) through the write functions, and so pin it: a draft holding values cannot be
  withdrawn. The write functions now refuse a draft to every login but the planning division's
  and the administrator's (E_GENERATION_NOT_ACTIVE).
- Two generations could be given overlapping periods: the planning division's login inserting
  a copy of a closed plan (same years, in force) or widening the next plan into the old one's
  years, and the program itself through a catalog whose period reached into another plan's.
  A `generation` row whose period shares a year with another's is refused on both backends
  (E_GENERATION_PERIOD; the store says so first, generations.sync_period).

SQLite: the same refusal of a closed generation's rows as triggers of the file itself, on every
table that belongs to a generation (the catalog, values, 確定, evaluations, cycle, locks,
versions, links, submissions), the audit log and `meta`, and the `generation` row of a closed
plan (it stays closed). The store refuses first with its own message
(generations.require_writable); these hold whatever path forgets to ask. A later migration that
rebuilds one of these tables in batch mode must make its triggers again (SQLite drops a table's
triggers with it): tests/store/test_closed_guards.py checks that every one is there at head. One
that rebuilds `generation` must drop them all first (`sqlite_triggers()` names them): every
trigger reads that table, and SQLite refuses to rename the rebuilt table into place while a
trigger names a table that is gone ("error in trigger plan_closed_insert: no such table").

The trigger texts are written out here, not imported: a backup's schema is compared with the
migrations' own (store/backup.expected_schema), so they must never change once released.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# Every table with a generation column but the audit log (its own rule) and the write gate (the
# server's meeting rows, empty on SQLite).
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
    "actual",
    "measure_evaluation",
    "finalisation",
)
# Audit actions that record what every generation shares, or a read: taken whatever the state.
SHARED_ACTIONS = ("key", "restore", "export")
_SHARED = ", ".join(f"'{action}'" for action in SHARED_ACTIONS)

# -- SQLite ----------------------------------------------------------------------------------

_SQLITE_REFUSE = "SELECT RAISE(ABORT, 'E_GENERATION_CLOSED: the plan generation is closed')"


def _closed(row: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM generation WHERE number = {row}.generation AND status = 'closed')"
    )


def _meta_closed(row: str) -> str:
    """The generation whose catalog hash a meta row holds (catalog_hash: 1, catalog_hash:N: N)."""
    return (
        "EXISTS (SELECT 1 FROM generation WHERE status = 'closed' AND number ="
        f" CASE WHEN {row}.key = 'catalog_hash' THEN 1"
        f" WHEN {row}.key GLOB 'catalog_hash:[0-9]*' AND length({row}.key) <= 22"
        f" THEN CAST(substr({row}.key, 14) AS INTEGER) END)"
    )


# Another generation's period shares a year with the new row's (a withdrawn draft has none).
_OVERLAPS = (
    "NEW.start_year IS NOT NULL AND NEW.end_year IS NOT NULL AND EXISTS (SELECT 1 FROM generation g"
    " WHERE g.number <> NEW.number AND g.start_year IS NOT NULL AND g.end_year IS NOT NULL"
    " AND g.start_year <= NEW.end_year AND NEW.start_year <= g.end_year)"
)


def _sqlite_trigger(name: str, when: str, table: str, condition: str) -> str:
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table} WHEN {condition}"
        f" BEGIN {_SQLITE_REFUSE}; END"
    )


def sqlite_triggers() -> dict[str, str]:
    """Every trigger of this revision on SQLite, by name."""
    made: dict[str, str] = {}
    for table in TABLES:
        made[f"{table}_closed_insert"] = _sqlite_trigger(
            f"{table}_closed_insert", "INSERT", table, _closed("NEW")
        )
        made[f"{table}_closed_update"] = _sqlite_trigger(
            f"{table}_closed_update", "UPDATE", table, f"{_closed('OLD')} OR {_closed('NEW')}"
        )
        made[f"{table}_closed_delete"] = _sqlite_trigger(
            f"{table}_closed_delete", "DELETE", table, _closed("OLD")
        )
    made["audit_closed_insert"] = _sqlite_trigger(
        "audit_closed_insert",
        "INSERT",
        "audit",
        f"NEW.action NOT IN ({_SHARED}) AND {_closed('NEW')}",
    )
    made["audit_closed_update"] = _sqlite_trigger(
        "audit_closed_update", "UPDATE", "audit", f"{_closed('OLD')} OR {_closed('NEW')}"
    )
    made["audit_closed_delete"] = _sqlite_trigger(
        "audit_closed_delete", "DELETE", "audit", _closed("OLD")
    )
    made["meta_closed_insert"] = _sqlite_trigger(
        "meta_closed_insert", "INSERT", "meta", _meta_closed("NEW")
    )
    made["meta_closed_update"] = _sqlite_trigger(
        "meta_closed_update", "UPDATE", "meta", f"{_meta_closed('OLD')} OR {_meta_closed('NEW')}"
    )
    made["meta_closed_delete"] = _sqlite_trigger(
        "meta_closed_delete", "DELETE", "meta", _meta_closed("OLD")
    )
    for when in ("UPDATE", "DELETE"):
        name = f"generation_stays_closed_{when.lower()}"
        made[name] = _sqlite_trigger(name, when, "generation", "OLD.status = 'closed'")
    for when in ("INSERT", "UPDATE"):
        name = f"generation_periods_apart_{when.lower()}"
        made[name] = (
            f"CREATE TRIGGER {name} BEFORE {when} ON generation WHEN {_OVERLAPS}"
            " BEGIN SELECT RAISE(ABORT,"
            " 'E_GENERATION_PERIOD: a year belongs to one plan generation'); END"
        )
    return made


# -- PostgreSQL ------------------------------------------------------------------------------

_SETTINGS = "SECURITY DEFINER SET search_path = pg_catalog, {s}, pg_temp"

_REFUSE_CLOSED_AUDIT = """
CREATE OR REPLACE FUNCTION {s}.kplan_refuse_closed_audit() RETURNS trigger
LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM {s}.generation WHERE number = OLD.generation AND status = 'closed') THEN
        RAISE EXCEPTION 'E_GENERATION_CLOSED: the audit log of generation % is closed',
            OLD.generation;
    END IF;
    IF TG_OP = 'UPDATE' AND EXISTS (
            SELECT 1 FROM {s}.generation WHERE number = NEW.generation AND status = 'closed') THEN
        RAISE EXCEPTION 'E_GENERATION_CLOSED: the audit log of generation % is closed',
            NEW.generation;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.action NOT IN ({shared}) AND EXISTS (
            SELECT 1 FROM {s}.generation WHERE number = NEW.generation AND status = 'closed') THEN
        RAISE EXCEPTION 'E_GENERATION_CLOSED: the audit log of generation % is closed',
            NEW.generation;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

# The generation whose catalog hash a meta key holds: catalog_hash is generation 1's,
# catalog_hash:N generation N's (store/generations.catalog_hash_key); NULL for any other key.
_META_GENERATION = """
CREATE OR REPLACE FUNCTION {s}.kplan_meta_generation(p_key text) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, {s}, pg_temp AS $$
    SELECT CASE
        WHEN p_key = 'catalog_hash' THEN 1
        WHEN p_key ~ '^catalog_hash:[0-9]+$' AND length(p_key) <= 22
            THEN substr(p_key, 14)::integer
    END
$$
"""

_REFUSE_CLOSED_META = """
CREATE OR REPLACE FUNCTION {s}.kplan_refuse_closed_meta() RETURNS trigger
LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM {s}.generation
            WHERE number = {s}.kplan_meta_generation(OLD.key) AND status = 'closed') THEN
        RAISE EXCEPTION 'E_GENERATION_CLOSED: % belongs to a closed generation', OLD.key;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM {s}.generation
            WHERE number = {s}.kplan_meta_generation(NEW.key) AND status = 'closed') THEN
        RAISE EXCEPTION 'E_GENERATION_CLOSED: % belongs to a closed generation', NEW.key;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

# 0014's year-lock trigger, and a year outside the period of the row's generation refused.
_LOCKED_YEAR = """
CREATE OR REPLACE FUNCTION {s}.kplan_refuse_locked_year() RETURNS trigger
LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM {s}.kplan_gate(OLD.generation, '', OLD.fiscal_year, false);
        IF EXISTS (SELECT 1 FROM {s}.year_lock
                   WHERE generation = OLD.generation AND fiscal_year = OLD.fiscal_year) THEN
            RAISE EXCEPTION 'E_LOCKED_YEAR: fiscal year % is locked', OLD.fiscal_year;
        END IF;
        IF EXISTS (SELECT 1 FROM {s}.generation
                   WHERE number = OLD.generation AND status = 'closed') THEN
            RAISE EXCEPTION 'E_GENERATION_CLOSED: generation % is closed', OLD.generation;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM {s}.kplan_gate(NEW.generation, '', NEW.fiscal_year, false);
        IF EXISTS (SELECT 1 FROM {s}.year_lock
                   WHERE generation = NEW.generation AND fiscal_year = NEW.fiscal_year) THEN
            RAISE EXCEPTION 'E_LOCKED_YEAR: fiscal year % is locked', NEW.fiscal_year;
        END IF;
        IF EXISTS (SELECT 1 FROM {s}.generation
                   WHERE number = NEW.generation AND status = 'closed') THEN
            RAISE EXCEPTION 'E_GENERATION_CLOSED: generation % is closed', NEW.generation;
        END IF;
        IF EXISTS (SELECT 1 FROM {s}.generation
                   WHERE number = NEW.generation
                     AND start_year IS NOT NULL AND end_year IS NOT NULL
                     AND (NEW.fiscal_year IS NULL
                          OR NOT NEW.fiscal_year BETWEEN start_year AND end_year)) THEN
            RAISE EXCEPTION 'E_YEAR_OUT_OF_PLAN: fiscal year % is outside plan generation %',
                NEW.fiscal_year, NEW.generation;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

# 0014's open-generation check of the write functions, and a draft (a next plan not yet in force)
# refused to a department login: its values would pin the draft (withdraw_draft keeps a draft that
# holds values) under codes the planning division may still decide otherwise.
_OPEN_GENERATION = """
CREATE OR REPLACE FUNCTION {s}.kplan_open_generation(
    p_generation integer, OUT start_year integer, OUT end_year integer)
LANGUAGE plpgsql {settings} AS $$
DECLARE
    state text;
BEGIN
    SELECT g.status, g.start_year, g.end_year INTO state, start_year, end_year
        FROM {s}.generation g WHERE g.number = p_generation;
    IF NOT FOUND THEN
        PERFORM {s}.kplan_refuse('E_NO_GENERATION', 'no such plan generation');
    END IF;
    IF state = 'closed' THEN
        PERFORM {s}.kplan_refuse('E_GENERATION_CLOSED',
            'plan generation ' || p_generation || ' is closed');
    END IF;
    IF state = 'draft' AND NOT {s}.kplan_login_may_write(NULL) THEN
        PERFORM {s}.kplan_refuse('E_GENERATION_NOT_ACTIVE',
            'plan generation ' || p_generation || ' is a draft not yet in force', '42501');
    END IF;
END
$$
"""

_PERIODS_APART = """
CREATE OR REPLACE FUNCTION {s}.kplan_keep_periods_apart() RETURNS trigger
LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF {overlaps} THEN
        RAISE EXCEPTION 'E_GENERATION_PERIOD: the period of generation % shares a year with'
            ' another generation', NEW.number;
    END IF;
    RETURN NEW;
END
$$
"""

_PG_FUNCTIONS = (
    "kplan_refuse_closed_audit()",
    "kplan_meta_generation(text)",
    "kplan_refuse_closed_meta()",
    "kplan_keep_periods_apart()",
)


def _schema() -> str:
    name = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar()
    return '"' + str(name or "public").replace('"', '""') + '"'


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for statement in sqlite_triggers().values():
            op.execute(statement)
        return
    s = _schema()
    settings = _SETTINGS.format(s=s)
    overlaps = _OVERLAPS.replace("FROM generation", f"FROM {s}.generation")
    for body in (_META_GENERATION, _REFUSE_CLOSED_AUDIT, _REFUSE_CLOSED_META, _LOCKED_YEAR,
                 _OPEN_GENERATION, _PERIODS_APART):  # fmt: skip
        op.execute(body.format(s=s, settings=settings, shared=_SHARED, overlaps=overlaps))
    for function in _PG_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {s}.{function} FROM PUBLIC")
    op.execute(
        f"CREATE TRIGGER audit_closed_generation BEFORE INSERT OR UPDATE OR DELETE"
        f" ON {s}.audit FOR EACH ROW EXECUTE FUNCTION {s}.kplan_refuse_closed_audit()"
    )
    op.execute(
        f"CREATE TRIGGER meta_closed_generation BEFORE INSERT OR UPDATE OR DELETE"
        f" ON {s}.meta FOR EACH ROW EXECUTE FUNCTION {s}.kplan_refuse_closed_meta()"
    )
    op.execute(
        f"CREATE TRIGGER generation_periods_apart BEFORE INSERT OR UPDATE ON {s}.generation"
        f" FOR EACH ROW EXECUTE FUNCTION {s}.kplan_keep_periods_apart()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name in sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    # The year-lock trigger keeps its period check until the database is upgraded again (as
    # 0013's downgrade keeps its function bodies); the new triggers and functions go.
    s = _schema()
    op.execute(f"DROP TRIGGER IF EXISTS generation_periods_apart ON {s}.generation")
    op.execute(f"DROP TRIGGER IF EXISTS meta_closed_generation ON {s}.meta")
    op.execute(f"DROP TRIGGER IF EXISTS audit_closed_generation ON {s}.audit")
    for function in reversed(_PG_FUNCTIONS):
        op.execute(f"DROP FUNCTION IF EXISTS {s}.{function}")
