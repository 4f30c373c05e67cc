"""server authority: the shared server checks and writes values, 確定 and evaluations itself

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 13:30:00

Both backends: the audit row carries the write's idempotency key (`request_key`, so a client
whose commit reply was lost can find out whether the write happened) and the PC's OS user as a
note beside the login (`client_user`).

PostgreSQL only: the write functions a department login calls instead of writing the tables
(`kplan_put_actual`, `kplan_finalise`, `kplan_withdraw`, `kplan_put_evaluation`). They are
SECURITY DEFINER with a fixed search_path (pg_catalog, the kplan schema, pg_temp last) and
schema-qualified names, so a temporary table cannot shadow what they read; they take the
department from `session_user`, refuse a locked year, a finalised year and a value of the wrong
shape, and write the audit row themselves with the login and the server's clock. A trigger on
the audit log does the same for the planning division's direct writes (merges, the catalog).
The year-lock trigger gets the same fixed search_path. `kplan server init` grants EXECUTE.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kplan_desktop.store.server_rules import rules_sql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# {s}: the kplan schema (where Alembic made the tables), quoted.
_SETTINGS = "SECURITY DEFINER SET search_path = pg_catalog, {s}, pg_temp"

_LOCKED_YEAR = """
CREATE OR REPLACE FUNCTION {s}.kplan_refuse_locked_year() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, {s}, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE')
       AND EXISTS (SELECT 1 FROM {s}.year_lock WHERE fiscal_year = OLD.fiscal_year) THEN
        RAISE EXCEPTION 'E_LOCKED_YEAR: fiscal year % is locked', OLD.fiscal_year;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE')
       AND EXISTS (SELECT 1 FROM {s}.year_lock WHERE fiscal_year = NEW.fiscal_year) THEN
        RAISE EXCEPTION 'E_LOCKED_YEAR: fiscal year % is locked', NEW.fiscal_year;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

# Whoever inserts an audit row, the server says who and when; what the client said it was (the
# PC's OS user) stays beside it as a note.
_AUDIT_IDENTITY = """
CREATE OR REPLACE FUNCTION {s}.kplan_audit_identity() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, {s}, pg_temp AS $$
BEGIN
    IF NEW.client_user IS NULL AND NEW.who IS DISTINCT FROM session_user::text THEN
        NEW.client_user := left(NEW.who, 128);
    END IF;
    NEW.who := session_user::text;
    NEW.at := now();
    RETURN NEW;
END
$$
"""

# May the login write for this department? The database's owner (the administrator) and the
# planning role may write for every department; a department role for its own.
_MAY_WRITE = """
CREATE OR REPLACE FUNCTION {s}.kplan_login_may_write(department text) RETURNS boolean
LANGUAGE sql STABLE {settings} AS $$
    SELECT pg_has_role(session_user,
               (SELECT datdba FROM pg_catalog.pg_database WHERE datname = current_database()),
               'MEMBER')
        OR EXISTS (
            SELECT 1 FROM {s}.kplan_role r
            WHERE (r.department_code IS NULL OR r.department_code = department)
              AND pg_has_role(session_user, r.role_name, 'MEMBER'))
$$
"""

_REFUSE = """
CREATE OR REPLACE FUNCTION {s}.kplan_refuse(code text, what text, state text DEFAULT 'P0001')
RETURNS void LANGUAGE plpgsql {settings} AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = code || ': ' || what;
END
$$
"""

# One value: the shape, the department, the plan period, the year lock, 確定, the revision the
# client saw; then the audit row and the value. Returns the audit row's number (the value's
# revision), or NULL when the stored value is already this one.
_PUT_ACTUAL = """
CREATE OR REPLACE FUNCTION {s}.kplan_put_actual(
    p_indicator text, p_year integer, p_value text, p_reason text, p_comment text,
    p_seen_row boolean, p_seen_db text, p_seen_seq integer, p_source text, p_detail text,
    p_request_key text, p_client_user text)
RETURNS integer LANGUAGE plpgsql {settings} AS $$
DECLARE
    ind record;
    plan_start integer;
    plan_end integer;
    existed boolean;
    old_value text;
    old_reason text;
    old_comment text;
    old_db text;
    old_seq integer;
    number integer;
    db_id text;
BEGIN
    IF p_source IS NULL OR p_source NOT IN ('gui', 'cli', 'test') THEN
        PERFORM {s}.kplan_refuse('E_SOURCE', 'not a source of typed values');
    END IF;
    SELECT code, department_code INTO ind FROM {s}.indicator WHERE code = p_indicator;
    IF NOT FOUND THEN
        PERFORM {s}.kplan_refuse('E_UNKNOWN_INDICATOR', 'unknown indicator');
    END IF;
    IF NOT {s}.kplan_login_may_write(ind.department_code) THEN
        PERFORM {s}.kplan_refuse('E_DEPARTMENT', 'another department''s indicator', '42501');
    END IF;
    SELECT start_year, end_year INTO plan_start, plan_end FROM {s}.plan LIMIT 1;
    IF p_year IS NULL OR NOT p_year BETWEEN plan_start AND plan_end THEN
        PERFORM {s}.kplan_refuse('E_YEAR_OUT_OF_PLAN', 'outside the plan period');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.year_lock WHERE fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_LOCKED_YEAR', 'fiscal year ' || p_year || ' is locked');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.finalisation
               WHERE department_code = ind.department_code AND fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_FINALISED', 'fiscal year ' || p_year || ' is finalised');
    END IF;
    -- The shape: a number in canonical decimal text of the indicator's kind, or a reason,
    -- or nothing (cleared); the domain's rules (store/server_rules.py).
    PERFORM {s}.kplan_check_value(p_indicator, p_value, p_reason, p_comment);
    -- The row as the client saw it, or a conflict (the client reads again and decides).
    SELECT value, missing_reason, comment, revision_db, revision_seq
        INTO old_value, old_reason, old_comment, old_db, old_seq
        FROM {s}.actual WHERE indicator_code = p_indicator AND fiscal_year = p_year
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
    INSERT INTO {s}.audit (at, who, source, action, indicator_code, fiscal_year,
                           old_value, new_value, old_reason, new_reason, old_comment,
                           new_comment, detail, request_key, client_user)
    VALUES (now(), session_user, p_source,
            CASE WHEN p_value IS NULL AND p_reason IS NULL THEN 'clear' ELSE 'enter' END,
            p_indicator, p_year, old_value, p_value, old_reason, p_reason,
            old_comment, p_comment, left(p_detail, 2000), left(p_request_key, 64),
            left(p_client_user, 128))
    RETURNING id INTO number;
    SELECT value INTO db_id FROM {s}.meta WHERE key = 'database_id';
    IF p_value IS NULL AND p_reason IS NULL THEN
        DELETE FROM {s}.actual WHERE indicator_code = p_indicator AND fiscal_year = p_year;
    ELSIF NOT existed THEN
        INSERT INTO {s}.actual (indicator_code, fiscal_year, value, missing_reason, comment,
                                entered_by, entered_at, source, revision_db, revision_seq)
        VALUES (p_indicator, p_year, p_value, p_reason, p_comment, session_user, now(),
                p_source, coalesce(db_id, ''), number);
    ELSE
        UPDATE {s}.actual SET value = p_value, missing_reason = p_reason, comment = p_comment,
            entered_by = session_user, entered_at = now(), source = p_source,
            revision_db = coalesce(db_id, ''), revision_seq = number,
            replaces_db = old_db, replaces_seq = old_seq
        WHERE indicator_code = p_indicator AND fiscal_year = p_year;
    END IF;
    RETURN number;
END
$$
"""

_FINALISE = """
CREATE OR REPLACE FUNCTION {s}.kplan_finalise(
    p_department text, p_year integer, p_source text, p_request_key text, p_client_user text)
RETURNS boolean LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM {s}.department WHERE code = p_department) THEN
        PERFORM {s}.kplan_refuse('E_UNKNOWN_DEPARTMENT', 'unknown department');
    END IF;
    IF NOT {s}.kplan_login_may_write(p_department) THEN
        PERFORM {s}.kplan_refuse('E_DEPARTMENT', 'another department', '42501');
    END IF;
    IF p_source IS NULL OR p_source NOT IN ('gui', 'cli', 'test') THEN
        PERFORM {s}.kplan_refuse('E_SOURCE', 'not a source');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.year_lock WHERE fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_LOCKED_YEAR', 'fiscal year ' || p_year || ' is locked');
    END IF;
    INSERT INTO {s}.finalisation (department_code, fiscal_year, finalised_by, finalised_at)
    VALUES (p_department, p_year, session_user, now())
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO {s}.audit (at, who, source, action, fiscal_year, detail, request_key,
                           client_user)
    VALUES (now(), session_user, p_source, 'finalise', p_year, 'department=' || p_department,
            left(p_request_key, 64), left(p_client_user, 128));
    RETURN true;
END
$$
"""

_WITHDRAW = """
CREATE OR REPLACE FUNCTION {s}.kplan_withdraw(
    p_department text, p_year integer, p_source text, p_request_key text, p_client_user text)
RETURNS boolean LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF NOT {s}.kplan_login_may_write(p_department) THEN
        PERFORM {s}.kplan_refuse('E_DEPARTMENT', 'another department', '42501');
    END IF;
    IF p_source IS NULL OR p_source NOT IN ('gui', 'cli', 'test') THEN
        PERFORM {s}.kplan_refuse('E_SOURCE', 'not a source');
    END IF;
    DELETE FROM {s}.finalisation WHERE department_code = p_department AND fiscal_year = p_year;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO {s}.audit (at, who, source, action, fiscal_year, detail, request_key,
                           client_user)
    VALUES (now(), session_user, p_source, 'withdraw', p_year, 'department=' || p_department,
            left(p_request_key, 64), left(p_client_user, 128));
    RETURN true;
END
$$
"""

# A department's evaluation of a measure (never the reviewer comment, which stays as stored).
_PUT_EVALUATION = """
CREATE OR REPLACE FUNCTION {s}.kplan_put_evaluation(
    p_measure text, p_year integer, p_grade text, p_results text, p_next_step text,
    p_next_text text, p_seen_row boolean, p_seen_db text, p_seen_seq integer, p_source text,
    p_detail text, p_request_key text, p_client_user text)
RETURNS integer LANGUAGE plpgsql {settings} AS $$
DECLARE
    owner text;
    existed boolean;
    old_db text;
    old_seq integer;
    number integer;
    db_id text;
    plan_start integer;
    plan_end integer;
BEGIN
    IF p_source IS NULL OR p_source NOT IN ('gui', 'cli', 'test') THEN
        PERFORM {s}.kplan_refuse('E_SOURCE', 'not a source');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM {s}.measure WHERE code = p_measure) THEN
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
                       WHERE i.measure_code = p_measure
                         AND pg_has_role(session_user, r.role_name, 'MEMBER'))) THEN
        PERFORM {s}.kplan_refuse('E_DEPARTMENT', 'another department''s measure', '42501');
    END IF;
    SELECT start_year, end_year INTO plan_start, plan_end FROM {s}.plan LIMIT 1;
    IF p_year IS NULL OR NOT p_year BETWEEN plan_start AND plan_end THEN
        PERFORM {s}.kplan_refuse('E_YEAR_OUT_OF_PLAN', 'outside the plan period');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.year_lock WHERE fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_LOCKED_YEAR', 'fiscal year ' || p_year || ' is locked');
    END IF;
    SELECT department_code INTO owner FROM {s}.indicator WHERE measure_code = p_measure
        GROUP BY department_code ORDER BY count(*) DESC, min(position) LIMIT 1;
    IF EXISTS (SELECT 1 FROM {s}.finalisation
               WHERE department_code = owner AND fiscal_year = p_year) THEN
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
        WHERE measure_code = p_measure AND fiscal_year = p_year FOR UPDATE;
    existed := FOUND;
    IF existed IS DISTINCT FROM coalesce(p_seen_row, false)
       OR existed AND (old_db, old_seq) IS DISTINCT FROM (p_seen_db, p_seen_seq) THEN
        PERFORM {s}.kplan_refuse('E_CONFLICT', 'changed since it was read', '40001');
    END IF;
    INSERT INTO {s}.audit (at, who, source, action, fiscal_year, detail, request_key,
                           client_user)
    VALUES (now(), session_user, p_source, 'evaluate', p_year, left(p_detail, 2000),
            left(p_request_key, 64), left(p_client_user, 128))
    RETURNING id INTO number;
    SELECT value INTO db_id FROM {s}.meta WHERE key = 'database_id';
    IF existed THEN
        UPDATE {s}.measure_evaluation SET grade = p_grade, results = p_results,
            next_step = p_next_step, next_text = p_next_text, entered_by = session_user,
            entered_at = now(), revision_db = coalesce(db_id, ''), revision_seq = number,
            replaces_db = old_db, replaces_seq = old_seq
        WHERE measure_code = p_measure AND fiscal_year = p_year;
    ELSE
        INSERT INTO {s}.measure_evaluation (measure_code, fiscal_year, grade, results,
            next_step, next_text, reviewer_comment, entered_by, entered_at, revision_db,
            revision_seq)
        VALUES (p_measure, p_year, p_grade, p_results, p_next_step, p_next_text, '',
                session_user, now(), coalesce(db_id, ''), number);
    END IF;
    RETURN number;
END
$$
"""

FUNCTIONS = (
    "kplan_login_may_write(text)",
    "kplan_refuse(text, text, text)",
    "kplan_value_kind(text, text, text)",
    "kplan_check_value(text, text, text, text)",
    "kplan_put_actual(text, integer, text, text, text, boolean, text, integer, text, text, text,"
    " text)",
    "kplan_finalise(text, integer, text, text, text)",
    "kplan_withdraw(text, integer, text, text, text)",
    "kplan_put_evaluation(text, integer, text, text, text, text, boolean, text, integer, text,"
    " text, text, text)",
)


def _schema() -> str:
    name = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar()
    return '"' + str(name or "public").replace('"', '""') + '"'


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("request_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("client_user", sa.String(length=128), nullable=True))
    op.create_index("ix_audit_request_key", "audit", ["request_key"])
    # `kplan server init` made this table on a server set up before this version.
    if not sa.inspect(op.get_bind()).has_table("kplan_role"):
        op.create_table(
            "kplan_role",
            sa.Column("role_name", sa.Text(), nullable=False),
            sa.Column("department_code", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("role_name", name=op.f("pk_kplan_role")),
        )
    if op.get_bind().dialect.name != "postgresql":
        return
    s = _schema()
    settings = _SETTINGS.format(s=s)
    op.execute(_LOCKED_YEAR.format(s=s))
    op.execute(_AUDIT_IDENTITY.format(s=s))
    op.execute(
        f"CREATE TRIGGER audit_identity BEFORE INSERT ON {s}.audit"
        f" FOR EACH ROW EXECUTE FUNCTION {s}.kplan_audit_identity()"
    )
    for body in (_MAY_WRITE, _REFUSE):
        op.execute(body.format(s=s, settings=settings))
    for statement in rules_sql(s, generations=False):
        op.execute(statement)
    for body in (_PUT_ACTUAL, _FINALISE, _WITHDRAW, _PUT_EVALUATION):
        op.execute(body.format(s=s, settings=settings))
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {s}.{function} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        s = _schema()
        for function in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {s}.{function}")
        op.execute(f"DROP TRIGGER IF EXISTS audit_identity ON {s}.audit")
        op.execute(f"DROP FUNCTION IF EXISTS {s}.kplan_audit_identity()")
    op.drop_table("kplan_role")
    op.drop_index("ix_audit_request_key", "audit")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("client_user")
        batch.drop_column("request_key")
