"""plan generations: several basic plans in one database, each with its own catalog and years

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 19:00:00

A `generation` table (計画期: number, name, period, base year, status draft / active / closed);
generation 1 is made from the plan the database holds (its `plan` row: name and period), so
nothing is lost. Every table that names an indicator, a catalog node or a year gets a
`generation` column (default 1, a foreign key to generation.number), and its primary key, its
unique constraints and its foreign keys become composite with the generation first: the same
code may name different indicators in two generations. `indicator_link` records which
indicator of a later generation continues or replaces one of an earlier one.

SQLite: a table rebuild each (Alembic batch mode); Store.migrate runs this revision with
foreign keys off and checks them (PRAGMA foreign_key_check) before it commits.

PostgreSQL: the write functions take the generation as their first argument
(`kplan_put_actual(generation, …)`, `kplan_finalise`, `kplan_withdraw`, `kplan_put_evaluation`),
read the period from the generation, and refuse a closed generation (E_GENERATION_CLOSED) as
they refuse a locked year; the year-lock trigger on `actual`, `measure_evaluation` and
`finalisation` refuses both, keyed on (generation, year), so a clerk's plain SQL is refused
too; the write gate's rows are per (generation, department, year). The functions of the old
shape are dropped, and with them the row-level policies that called the old helpers: the
tables stay closed to every kplan role (row-level security on, no policy) until `kplan server
init` runs again and makes the policies of this version (docs/server.md).

One-way: the downgrade is refused once a second generation exists; with generation 1 alone it
removes the columns again (SQLite only; on a server restore the backup taken before).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from kplan_desktop.store.server_rules import rules_sql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

G = "generation"

# Per table: its new key (primary key or unique constraint, name and columns), the old one it
# replaces, the foreign keys it loses and the composite ones it gains (name, columns, table,
# referred columns). Parents first.
_KEYS: tuple[
    tuple[str, str, str, list[str], list[tuple[str, list[str], str, list[str]]], str | None], ...
] = (
    ("plan", "primary", "pk_plan", [G], [], None),
    ("goal", "primary", "pk_goal", [G, "code"], [], None),
    (
        "policy",
        "primary",
        "pk_policy",
        [G, "code"],
        [("fk_policy_generation_goal", [G, "goal_code"], "goal", [G, "code"])],
        "fk_policy_goal_code_goal",
    ),
    (
        "measure",
        "primary",
        "pk_measure",
        [G, "code"],
        [("fk_measure_generation_policy", [G, "policy_code"], "policy", [G, "code"])],
        "fk_measure_policy_code_policy",
    ),
    (
        "measure_direction",
        "unique",
        "uq_measure_direction_generation",
        [G, "measure_code", "number"],
        [("fk_measure_direction_generation_measure", [G, "measure_code"], "measure", [G, "code"])],
        "fk_measure_direction_measure_code_measure",
    ),
    (
        "indicator",
        "primary",
        "pk_indicator",
        [G, "code"],
        [("fk_indicator_generation_measure", [G, "measure_code"], "measure", [G, "code"])],
        "fk_indicator_measure_code_measure",
    ),
    ("reference_table", "primary", "pk_reference_table", [G, "code"], [], None),
    (
        "actual",
        "unique",
        "uq_actual_generation",
        [G, "indicator_code", "fiscal_year"],
        [("fk_actual_generation_indicator", [G, "indicator_code"], "indicator", [G, "code"])],
        "fk_actual_indicator_code_indicator",
    ),
    ("audit", "", "", [], [], None),
    ("finalisation", "primary", "pk_finalisation", [G, "department_code", "fiscal_year"], [], None),
    ("submission", "", "", [], [], None),
    (
        "measure_evaluation",
        "primary",
        "pk_measure_evaluation",
        [G, "measure_code", "fiscal_year"],
        [],
        None,
    ),
    ("fiscal_year_cycle", "primary", "pk_fiscal_year_cycle", [G, "fiscal_year"], [], None),
    ("year_lock", "primary", "pk_year_lock", [G, "fiscal_year"], [], None),
    ("catalog_version", "primary", "pk_catalog_version", [G, "sequence"], [], None),
    (
        "kplan_write_gate",
        "primary",
        "pk_kplan_write_gate",
        [G, "department_code", "fiscal_year"],
        [],
        None,
    ),
)
# The unique constraints replaced (a primary key is replaced under its own name).
_OLD_UNIQUE = {
    "measure_direction": "uq_measure_direction_measure_code",
    "actual": "uq_actual_indicator_code",
}

_SETTINGS = "SECURITY DEFINER SET search_path = pg_catalog, {s}, pg_temp"

# Refused whatever writes: a change in a locked year or in a closed generation. Every write
# first meets a year lock, a 確定 or a closing in flight on the gate's row.
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
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

# The meeting row of a (generation, department, year); department '' is the year as a whole.
_GATE = """
CREATE OR REPLACE FUNCTION {s}.kplan_gate(
    p_generation integer, p_department text, p_year integer, p_change boolean)
RETURNS void LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF p_year IS NULL OR p_generation IS NULL THEN
        RETURN;
    END IF;
    IF p_change THEN
        INSERT INTO {s}.kplan_write_gate (generation, department_code, fiscal_year, changed_at)
        VALUES (p_generation, p_department, p_year, clock_timestamp())
        ON CONFLICT (generation, department_code, fiscal_year)
        DO UPDATE SET changed_at = EXCLUDED.changed_at;
        RETURN;
    END IF;
    PERFORM 1 FROM {s}.kplan_write_gate
        WHERE generation = p_generation AND department_code = p_department
          AND fiscal_year = p_year FOR SHARE;
    IF NOT FOUND THEN
        INSERT INTO {s}.kplan_write_gate (generation, department_code, fiscal_year, changed_at)
        VALUES (p_generation, p_department, p_year, clock_timestamp()) ON CONFLICT DO NOTHING;
        PERFORM 1 FROM {s}.kplan_write_gate
            WHERE generation = p_generation AND department_code = p_department
              AND fiscal_year = p_year FOR SHARE;
    END IF;
END
$$
"""

# A generation a write may change: it exists and is not closed (after the gate: a closing in
# flight has finished, and this statement sees it). Returns its period.
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
END
$$
"""

_OWNER_FOR = """
CREATE OR REPLACE FUNCTION {s}.kplan_owner_for(
    p_generation integer, p_indicator text, p_year integer) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, {s}, pg_temp AS $$
    SELECT coalesce(
        (SELECT f.e ->> 1
           FROM {s}.indicator i,
                json_array_elements(CASE WHEN json_typeof(i.former_owners::json) = 'array'
                                         THEN i.former_owners::json ELSE '[]'::json END)
                    WITH ORDINALITY AS f(e, n)
          WHERE i.generation = p_generation AND i.code = p_indicator
            AND p_year <= (f.e ->> 0)::integer
          ORDER BY f.n LIMIT 1),
        (SELECT department_code FROM {s}.indicator
          WHERE generation = p_generation AND code = p_indicator))
$$
"""

_PUT_ACTUAL = """
CREATE OR REPLACE FUNCTION {s}.kplan_put_actual(
    p_generation integer, p_indicator text, p_year integer, p_value text, p_reason text,
    p_comment text, p_seen_row boolean, p_seen_db text, p_seen_seq integer, p_source text,
    p_detail text, p_request_key text, p_client_user text)
RETURNS integer LANGUAGE plpgsql {settings} AS $$
DECLARE
    ind record;
    period record;
    existed boolean;
    old_value text;
    old_reason text;
    old_comment text;
    old_db text;
    old_seq integer;
    number integer;
    db_id text;
    moment timestamptz := clock_timestamp();
BEGIN
    PERFORM {s}.kplan_require_read_committed();
    PERFORM {s}.kplan_cap_lock_timeout();
    IF p_source IS NULL OR p_source NOT IN ('gui', 'cli', 'test') THEN
        PERFORM {s}.kplan_refuse('E_SOURCE', 'not a source of typed values');
    END IF;
    SELECT code, department_code INTO ind FROM {s}.indicator
        WHERE generation = p_generation AND code = p_indicator;
    IF NOT FOUND THEN
        PERFORM {s}.kplan_refuse('E_UNKNOWN_INDICATOR', 'unknown indicator');
    END IF;
    IF NOT {s}.kplan_login_may_write(ind.department_code) THEN
        PERFORM {s}.kplan_refuse('E_DEPARTMENT', 'another department''s indicator', '42501');
    END IF;
    -- Meet a year lock, 確定 or closing in flight on their rows (an older snapshot fails).
    PERFORM {s}.kplan_gate(p_generation, '', p_year, false);
    PERFORM {s}.kplan_gate(p_generation, ind.department_code, p_year, false);
    SELECT * INTO period FROM {s}.kplan_open_generation(p_generation);
    IF p_year IS NULL OR NOT p_year BETWEEN period.start_year AND period.end_year THEN
        PERFORM {s}.kplan_refuse('E_YEAR_OUT_OF_PLAN', 'outside the plan period');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.year_lock
               WHERE generation = p_generation AND fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_LOCKED_YEAR', 'fiscal year ' || p_year || ' is locked');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.finalisation
               WHERE generation = p_generation AND department_code = ind.department_code
                 AND fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_FINALISED', 'fiscal year ' || p_year || ' is finalised');
    END IF;
    PERFORM {s}.kplan_check_value(p_generation, p_indicator, p_value, p_reason, p_comment);
    SELECT value, missing_reason, comment, revision_db, revision_seq
        INTO old_value, old_reason, old_comment, old_db, old_seq
        FROM {s}.actual
        WHERE generation = p_generation AND indicator_code = p_indicator
          AND fiscal_year = p_year
        FOR UPDATE;
    existed := FOUND;
    IF existed IS DISTINCT FROM coalesce(p_seen_row, false)
       OR existed AND (old_db, old_seq) IS DISTINCT FROM (p_seen_db, p_seen_seq) THEN
        PERFORM {s}.kplan_refuse('E_CONFLICT', 'changed since it was read', '40001');
    END IF;
    IF existed AND (old_value, old_reason, old_comment)
                   IS NOT DISTINCT FROM (p_value, p_reason, p_comment)
       OR NOT existed AND p_value IS NULL AND p_reason IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO {s}.audit (at, who, source, action, generation, indicator_code, fiscal_year,
                           old_value, new_value, old_reason, new_reason, old_comment,
                           new_comment, detail, request_key, client_user)
    VALUES (moment, session_user, p_source,
            CASE WHEN p_value IS NULL AND p_reason IS NULL THEN 'clear' ELSE 'enter' END,
            p_generation, p_indicator, p_year, old_value, p_value, old_reason, p_reason,
            old_comment, p_comment, left(p_detail, 2000), left(p_request_key, 64),
            left(p_client_user, 128))
    RETURNING id, at INTO number, moment;
    SELECT value INTO db_id FROM {s}.meta WHERE key = 'database_id';
    IF p_value IS NULL AND p_reason IS NULL THEN
        DELETE FROM {s}.actual
        WHERE generation = p_generation AND indicator_code = p_indicator
          AND fiscal_year = p_year;
    ELSIF NOT existed THEN
        INSERT INTO {s}.actual (generation, indicator_code, fiscal_year, value, missing_reason,
                                comment, entered_by, entered_at, source, revision_db,
                                revision_seq)
        VALUES (p_generation, p_indicator, p_year, p_value, p_reason, p_comment, session_user,
                moment, p_source, coalesce(db_id, ''), number);
    ELSE
        UPDATE {s}.actual SET value = p_value, missing_reason = p_reason, comment = p_comment,
            entered_by = session_user, entered_at = moment, source = p_source,
            revision_db = coalesce(db_id, ''), revision_seq = number,
            replaces_db = old_db, replaces_seq = old_seq
        WHERE generation = p_generation AND indicator_code = p_indicator
          AND fiscal_year = p_year;
    END IF;
    RETURN number;
END
$$
"""

_FINALISE = """
CREATE OR REPLACE FUNCTION {s}.kplan_finalise(
    p_generation integer, p_department text, p_year integer, p_source text,
    p_request_key text, p_client_user text)
RETURNS boolean LANGUAGE plpgsql {settings} AS $$
DECLARE
    period record;
    missing integer;
    moment timestamptz := clock_timestamp();
BEGIN
    PERFORM {s}.kplan_require_read_committed();
    PERFORM {s}.kplan_cap_lock_timeout();
    IF NOT EXISTS (SELECT 1 FROM {s}.department WHERE code = p_department) THEN
        PERFORM {s}.kplan_refuse('E_UNKNOWN_DEPARTMENT', 'unknown department');
    END IF;
    IF NOT {s}.kplan_login_may_write(p_department) THEN
        PERFORM {s}.kplan_refuse('E_DEPARTMENT', 'another department', '42501');
    END IF;
    IF p_source IS NULL OR p_source NOT IN ('gui', 'cli', 'test') THEN
        PERFORM {s}.kplan_refuse('E_SOURCE', 'not a source');
    END IF;
    PERFORM {s}.kplan_gate(p_generation, '', p_year, false);
    PERFORM {s}.kplan_gate(p_generation, p_department, p_year, true);
    SELECT * INTO period FROM {s}.kplan_open_generation(p_generation);
    IF p_year IS NULL OR NOT p_year BETWEEN period.start_year AND period.end_year THEN
        PERFORM {s}.kplan_refuse('E_YEAR_OUT_OF_PLAN', 'outside the plan period');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.year_lock
               WHERE generation = p_generation AND fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_LOCKED_YEAR', 'fiscal year ' || p_year || ' is locked');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.finalisation
               WHERE generation = p_generation AND department_code = p_department
                 AND fiscal_year = p_year) THEN
        RETURN false;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM {s}.indicator i
                   WHERE i.generation = p_generation
                     AND {s}.kplan_owner_for(p_generation, i.code, p_year) = p_department) THEN
        PERFORM {s}.kplan_refuse('E_NOTHING_TO_FINALISE', 'the department owns no indicator');
    END IF;
    SELECT count(*) INTO missing FROM {s}.indicator i
        WHERE i.generation = p_generation
          AND {s}.kplan_owner_for(p_generation, i.code, p_year) = p_department
          AND NOT EXISTS (SELECT 1 FROM {s}.actual a
                          WHERE a.generation = p_generation AND a.indicator_code = i.code
                            AND a.fiscal_year = p_year);
    IF missing > 0 THEN
        PERFORM {s}.kplan_refuse('E_NOT_COMPLETE', missing || ' value(s) still missing');
    END IF;
    INSERT INTO {s}.finalisation (generation, department_code, fiscal_year, finalised_by,
                                  finalised_at)
    VALUES (p_generation, p_department, p_year, session_user, moment)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO {s}.audit (at, who, source, action, generation, fiscal_year, detail,
                           request_key, client_user)
    VALUES (moment, session_user, p_source, 'finalise', p_generation, p_year,
            'department=' || p_department, left(p_request_key, 64), left(p_client_user, 128));
    RETURN true;
END
$$
"""

_WITHDRAW = """
CREATE OR REPLACE FUNCTION {s}.kplan_withdraw(
    p_generation integer, p_department text, p_year integer, p_source text,
    p_request_key text, p_client_user text)
RETURNS boolean LANGUAGE plpgsql {settings} AS $$
DECLARE
    period record;
    moment timestamptz := clock_timestamp();
BEGIN
    PERFORM {s}.kplan_require_read_committed();
    PERFORM {s}.kplan_cap_lock_timeout();
    IF NOT {s}.kplan_login_may_write(p_department) THEN
        PERFORM {s}.kplan_refuse('E_DEPARTMENT', 'another department', '42501');
    END IF;
    IF p_source IS NULL OR p_source NOT IN ('gui', 'cli', 'test') THEN
        PERFORM {s}.kplan_refuse('E_SOURCE', 'not a source');
    END IF;
    PERFORM {s}.kplan_gate(p_generation, '', p_year, false);
    PERFORM {s}.kplan_gate(p_generation, p_department, p_year, true);
    SELECT * INTO period FROM {s}.kplan_open_generation(p_generation);
    IF EXISTS (SELECT 1 FROM {s}.year_lock
               WHERE generation = p_generation AND fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_LOCKED_YEAR', 'fiscal year ' || p_year || ' is locked');
    END IF;
    DELETE FROM {s}.finalisation
        WHERE generation = p_generation AND department_code = p_department
          AND fiscal_year = p_year;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO {s}.audit (at, who, source, action, generation, fiscal_year, detail,
                           request_key, client_user)
    VALUES (moment, session_user, p_source, 'withdraw', p_generation, p_year,
            'department=' || p_department, left(p_request_key, 64), left(p_client_user, 128));
    RETURN true;
END
$$
"""

_PUT_EVALUATION = """
CREATE OR REPLACE FUNCTION {s}.kplan_put_evaluation(
    p_generation integer, p_measure text, p_year integer, p_grade text, p_results text,
    p_next_step text, p_next_text text, p_seen_row boolean, p_seen_db text,
    p_seen_seq integer, p_source text, p_detail text, p_request_key text,
    p_client_user text)
RETURNS integer LANGUAGE plpgsql {settings} AS $$
DECLARE
    owner text;
    period record;
    existed boolean;
    old_db text;
    old_seq integer;
    number integer;
    db_id text;
    moment timestamptz := clock_timestamp();
BEGIN
    PERFORM {s}.kplan_require_read_committed();
    PERFORM {s}.kplan_cap_lock_timeout();
    IF p_source IS NULL OR p_source NOT IN ('gui', 'cli', 'test') THEN
        PERFORM {s}.kplan_refuse('E_SOURCE', 'not a source');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM {s}.measure
                   WHERE generation = p_generation AND code = p_measure) THEN
        PERFORM {s}.kplan_refuse('E_UNKNOWN_MEASURE', 'unknown measure');
    END IF;
    IF NOT (pg_has_role(session_user,
               (SELECT datdba FROM pg_catalog.pg_database WHERE datname = current_database()),
               'MEMBER')
            OR EXISTS (SELECT 1 FROM {s}.kplan_role r
                       WHERE r.department_code IS NULL
                         AND pg_has_role(session_user, r.role_name, 'MEMBER'))
            OR EXISTS (SELECT 1 FROM {s}.indicator i
                       JOIN {s}.kplan_role r ON r.department_code = i.department_code
                       WHERE i.generation = p_generation AND i.measure_code = p_measure
                         AND pg_has_role(session_user, r.role_name, 'MEMBER'))) THEN
        PERFORM {s}.kplan_refuse('E_DEPARTMENT', 'another department''s measure', '42501');
    END IF;
    SELECT department_code INTO owner FROM {s}.indicator
        WHERE generation = p_generation AND measure_code = p_measure
        GROUP BY department_code ORDER BY count(*) DESC, min(position) LIMIT 1;
    PERFORM {s}.kplan_gate(p_generation, '', p_year, false);
    PERFORM {s}.kplan_gate(p_generation, owner, p_year, false);
    SELECT * INTO period FROM {s}.kplan_open_generation(p_generation);
    IF p_year IS NULL OR NOT p_year BETWEEN period.start_year AND period.end_year THEN
        PERFORM {s}.kplan_refuse('E_YEAR_OUT_OF_PLAN', 'outside the plan period');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.year_lock
               WHERE generation = p_generation AND fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_LOCKED_YEAR', 'fiscal year ' || p_year || ' is locked');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.finalisation
               WHERE generation = p_generation AND department_code = owner
                 AND fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_FINALISED', 'fiscal year ' || p_year || ' is finalised');
    END IF;
    IF p_grade IS NOT NULL AND p_grade NOT IN ('A', 'B', 'C', 'D') THEN
        PERFORM {s}.kplan_refuse('E_SHAPE', 'not a grade');
    END IF;
    IF p_next_step IS NOT NULL
       AND p_next_step NOT IN ('expand', 'continue', 'improve', 'reduce', 'abolish') THEN
        PERFORM {s}.kplan_refuse('E_SHAPE', 'not a next step');
    END IF;
    IF p_results IS NULL OR p_next_text IS NULL
       OR char_length(p_results) > 4000 OR char_length(p_next_text) > 4000
       OR p_results ~ '[\\x01-\\x08\\x0b-\\x1f\\x7f-\\x9f]'
       OR p_next_text ~ '[\\x01-\\x08\\x0b-\\x1f\\x7f-\\x9f]' THEN
        PERFORM {s}.kplan_refuse('E_SHAPE', 'text too long or with control characters');
    END IF;
    SELECT revision_db, revision_seq INTO old_db, old_seq FROM {s}.measure_evaluation
        WHERE generation = p_generation AND measure_code = p_measure AND fiscal_year = p_year
        FOR UPDATE;
    existed := FOUND;
    IF existed IS DISTINCT FROM coalesce(p_seen_row, false)
       OR existed AND (old_db, old_seq) IS DISTINCT FROM (p_seen_db, p_seen_seq) THEN
        PERFORM {s}.kplan_refuse('E_CONFLICT', 'changed since it was read', '40001');
    END IF;
    INSERT INTO {s}.audit (at, who, source, action, generation, fiscal_year, detail,
                           request_key, client_user)
    VALUES (moment, session_user, p_source, 'evaluate', p_generation, p_year,
            left(p_detail, 2000), left(p_request_key, 64), left(p_client_user, 128))
    RETURNING id, at INTO number, moment;
    SELECT value INTO db_id FROM {s}.meta WHERE key = 'database_id';
    IF existed THEN
        UPDATE {s}.measure_evaluation SET grade = p_grade, results = p_results,
            next_step = p_next_step, next_text = p_next_text, entered_by = session_user,
            entered_at = moment, revision_db = coalesce(db_id, ''), revision_seq = number,
            replaces_db = old_db, replaces_seq = old_seq
        WHERE generation = p_generation AND measure_code = p_measure
          AND fiscal_year = p_year;
    ELSE
        INSERT INTO {s}.measure_evaluation (generation, measure_code, fiscal_year, grade,
            results, next_step, next_text, reviewer_comment, entered_by, entered_at,
            revision_db, revision_seq)
        VALUES (p_generation, p_measure, p_year, p_grade, p_results, p_next_step, p_next_text,
                '', session_user, moment, coalesce(db_id, ''), number);
    END IF;
    RETURN number;
END
$$
"""

# The shapes before this revision, dropped (a department login could still call them); the
# policy helpers of `server init` with them (CASCADE: the policies that call them).
_OLD_FUNCTIONS = (
    "kplan_put_actual(text, integer, text, text, text, boolean, text, integer, text, text, text,"
    " text)",
    "kplan_finalise(text, integer, text, text, text)",
    "kplan_withdraw(text, integer, text, text, text)",
    "kplan_put_evaluation(text, integer, text, text, text, text, boolean, text, integer, text,"
    " text, text, text)",
    "kplan_check_value(text, text, text, text)",
    "kplan_gate(text, integer, boolean)",
    "kplan_owner_for(text, integer)",
    "kplan_may_write(text)",
    "kplan_may_evaluate(text)",
)

FUNCTIONS = (
    "kplan_gate(integer, text, integer, boolean)",
    "kplan_open_generation(integer)",
    "kplan_owner_for(integer, text, integer)",
    "kplan_check_value(integer, text, text, text, text)",
    "kplan_put_actual(integer, text, integer, text, text, text, boolean, text, integer, text,"
    " text, text, text)",
    "kplan_finalise(integer, text, integer, text, text, text)",
    "kplan_withdraw(integer, text, integer, text, text, text)",
    "kplan_put_evaluation(integer, text, integer, text, text, text, text, boolean, text,"
    " integer, text, text, text, text)",
)


def _schema() -> str:
    name = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar()
    return '"' + str(name or "public").replace('"', '""') + '"'


def _first_generation() -> dict[str, object]:
    """Generation 1: the plan the database holds (its name and period), or a blank one for a
    database without a catalog yet (the first catalog loaded fills it in)."""
    row = (
        op.get_bind()
        .execute(sa.text("SELECT name, start_year, end_year, baseline_year FROM plan LIMIT 1"))
        .first()
    )
    name, start, end, baseline = row if row is not None else ("", None, None, None)
    return {
        "number": 1,
        "name": name,
        "start_year": start,
        "end_year": end,
        "baseline_year": baseline,
        "status": "active",
        "created_at": datetime.now(UTC),
        "created_by": "migration 0014",
    }


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    generation = op.create_table(
        "generation",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=128), nullable=True),
        sa.Column("predecessor", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["predecessor"],
            ["generation.number"],
            name=op.f("fk_generation_predecessor_generation"),
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_generation")),
    )
    assert generation is not None
    op.bulk_insert(generation, [_first_generation()])
    if postgres:
        # The old foreign keys name the parents' old keys, which change below.
        for table, _kind, _name, _columns, _fks, old_fk in _KEYS:
            if old_fk is not None:
                op.drop_constraint(old_fk, table, type_="foreignkey")
        # The helpers of the old shape (and the policies that call them).
        s = _schema()
        for function in _OLD_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {s}.{function} CASCADE")
    for table, kind, name, columns, fks, old_fk in _KEYS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column(G, sa.Integer(), nullable=False, server_default=sa.text("1"))
            )
            if old_fk is not None and not postgres:
                batch.drop_constraint(old_fk, type_="foreignkey")
            if kind == "primary":
                batch.drop_constraint(name, type_="primary")
                batch.create_primary_key(name, columns)
            elif kind == "unique":
                batch.drop_constraint(_OLD_UNIQUE[table], type_="unique")
                batch.create_unique_constraint(name, columns)
            batch.create_foreign_key(f"fk_{table}_generation_generation", G, [G], ["number"])
            for fk_name, local, referred, remote in fks:
                batch.create_foreign_key(fk_name, referred, local, remote)
    op.create_table(
        "indicator_link",
        sa.Column(G, sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("prior_generation", sa.Integer(), nullable=False),
        sa.Column("prior_code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            [G, "code"],
            ["indicator.generation", "indicator.code"],
            name=op.f("fk_indicator_link_generation_indicator"),
        ),
        sa.ForeignKeyConstraint(
            ["prior_generation", "prior_code"],
            ["indicator.generation", "indicator.code"],
            name=op.f("fk_indicator_link_prior_generation_indicator"),
        ),
        sa.PrimaryKeyConstraint(
            G, "code", "prior_generation", "prior_code", name=op.f("pk_indicator_link")
        ),
    )
    if not postgres:
        return
    s = _schema()
    settings = _SETTINGS.format(s=s)
    for body in (_GATE, _OPEN_GENERATION, _OWNER_FOR, _LOCKED_YEAR):
        op.execute(body.format(s=s, settings=settings))
    for statement in rules_sql(s):
        op.execute(statement)
    for body in (_PUT_ACTUAL, _FINALISE, _WITHDRAW, _PUT_EVALUATION):
        op.execute(body.format(s=s, settings=settings))
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {s}.{function} FROM PUBLIC")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        raise RuntimeError(
            "0014 is one-way on a server: restore the backup taken before the upgrade"
        )
    later = bind.execute(sa.text("SELECT count(*) FROM generation WHERE number <> 1")).scalar()
    if later:
        raise RuntimeError("0014 is one-way once a second plan generation exists")
    op.drop_table("indicator_link")
    for table, kind, name, columns, fks, old_fk in reversed(_KEYS):
        with op.batch_alter_table(table) as batch:
            for fk_name, _local, _referred, _remote in fks:
                batch.drop_constraint(fk_name, type_="foreignkey")
            batch.drop_constraint(f"fk_{table}_generation_generation", type_="foreignkey")
            # A primary key loses the column with it (plan's is its code again).
            if kind == "unique":
                batch.drop_constraint(name, type_="unique")
                batch.create_unique_constraint(_OLD_UNIQUE[table], [c for c in columns if c != G])
            batch.drop_column(G)
            if old_fk is not None:
                _, local, referred, remote = fks[0]
                batch.create_foreign_key(old_fk, referred, local[1:], remote[1:])
    with op.batch_alter_table("plan") as batch:
        batch.create_primary_key("pk_plan", ["code"])
    op.drop_table("generation")
