"""server hardening: writes and year locks / 確定 meet on one row; the server's clock; more rules

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 15:00:00

PostgreSQL only. What a clerk's own psql login could still do after 0010, and what stops it:

- A transaction that read the tables before the year was locked (or 確定) and wrote after it
  (REPEATABLE READ keeps its old snapshot) wrote into the closed year. Now every write and
  every change of a year's state meet on a row of `kplan_write_gate`: writers hold the year's
  row and their department's row FOR SHARE, `year lock` / `unlock` update the year's row,
  確定 and its withdrawal the department's. The change waits for the writers in flight; a
  writer whose snapshot is older than the change fails with a serialization failure (the
  program runs it again and is then refused). No table lock, so an idle writer holds up only
  the lock of its own year. The write functions also refuse any isolation but READ COMMITTED
  (their checks read afresh at every statement).
- `BEGIN; SELECT pg_sleep(…); SELECT kplan_put_actual(…)` dated the audit row at BEGIN: the
  functions and the audit trigger use `clock_timestamp()` (the moment of the write).
- The functions set their own `lock_timeout`, which a clerk's `SET lock_timeout = 0` does not
  reach.
- kplan_finalise refuses a year outside the plan and a year with values still missing
  (E_NOT_COMPLETE); kplan_put_actual refuses a value for an indicator with no unit
  (E_UNIT_NOT_SET) and a comment with control characters (store/server_rules.py).
- kplan_withdraw refuses a locked year, and `finalisation` gets the year-lock trigger.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kplan_desktop.store.server_rules import rules_sql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_SETTINGS = "SECURITY DEFINER SET search_path = pg_catalog, {s}, pg_temp"

# The longest a write function waits for a row another session holds, whatever the session
# says (a clerk's `SET lock_timeout = 0`): a shorter limit IT staff set stays. Set for the
# calling write function only (no SET clause here, so the change ends with that function).
FUNCTION_LOCK_TIMEOUT_MS = 10000
_CAP_LOCK_TIMEOUT = f"""
CREATE OR REPLACE FUNCTION {{s}}.kplan_cap_lock_timeout() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    ms bigint;
BEGIN
    SELECT setting::bigint INTO ms FROM pg_catalog.pg_settings WHERE name = 'lock_timeout';
    IF ms OPERATOR(pg_catalog.=) 0 OR ms OPERATOR(pg_catalog.>) {FUNCTION_LOCK_TIMEOUT_MS} THEN
        PERFORM pg_catalog.set_config('lock_timeout', '{FUNCTION_LOCK_TIMEOUT_MS}ms', true);
    END IF;
END
$$
"""

# The meeting row of a (department, year); department '' is the year as a whole.
_GATE = """
CREATE OR REPLACE FUNCTION {s}.kplan_gate(p_department text, p_year integer, p_change boolean)
RETURNS void LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF p_year IS NULL THEN
        RETURN;
    END IF;
    IF p_change THEN
        INSERT INTO {s}.kplan_write_gate (department_code, fiscal_year, changed_at)
        VALUES (p_department, p_year, clock_timestamp())
        ON CONFLICT (department_code, fiscal_year)
        DO UPDATE SET changed_at = EXCLUDED.changed_at;
        RETURN;
    END IF;
    PERFORM 1 FROM {s}.kplan_write_gate
        WHERE department_code = p_department AND fiscal_year = p_year FOR SHARE;
    IF NOT FOUND THEN
        INSERT INTO {s}.kplan_write_gate (department_code, fiscal_year, changed_at)
        VALUES (p_department, p_year, clock_timestamp()) ON CONFLICT DO NOTHING;
        PERFORM 1 FROM {s}.kplan_write_gate
            WHERE department_code = p_department AND fiscal_year = p_year FOR SHARE;
    END IF;
END
$$
"""

_READ_COMMITTED = """
CREATE OR REPLACE FUNCTION {s}.kplan_require_read_committed() RETURNS void
LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        PERFORM {s}.kplan_refuse('E_ISOLATION',
            'the write functions run at READ COMMITTED only', '25001');
    END IF;
END
$$
"""

_LOCKED_YEAR = """
CREATE OR REPLACE FUNCTION {s}.kplan_refuse_locked_year() RETURNS trigger
LANGUAGE plpgsql {settings} AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM {s}.kplan_gate('', OLD.fiscal_year, false);
        IF EXISTS (SELECT 1 FROM {s}.year_lock WHERE fiscal_year = OLD.fiscal_year) THEN
            RAISE EXCEPTION 'E_LOCKED_YEAR: fiscal year % is locked', OLD.fiscal_year;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM {s}.kplan_gate('', NEW.fiscal_year, false);
        IF EXISTS (SELECT 1 FROM {s}.year_lock WHERE fiscal_year = NEW.fiscal_year) THEN
            RAISE EXCEPTION 'E_LOCKED_YEAR: fiscal year % is locked', NEW.fiscal_year;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

_AUDIT_IDENTITY = """
CREATE OR REPLACE FUNCTION {s}.kplan_audit_identity() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, {s}, pg_temp AS $$
BEGIN
    IF NEW.client_user IS NULL AND NEW.who IS DISTINCT FROM session_user::text THEN
        NEW.client_user := left(NEW.who, 128);
    END IF;
    NEW.who := session_user::text;
    NEW.at := clock_timestamp();
    RETURN NEW;
END
$$
"""

# The department that reports an indicator in a year (Indicator.owner_for): the first former
# owner whose last year is on or after it, else the current one.
_OWNER_FOR = """
CREATE OR REPLACE FUNCTION {s}.kplan_owner_for(p_indicator text, p_year integer) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, {s}, pg_temp AS $$
    SELECT coalesce(
        (SELECT f.e ->> 1
           FROM {s}.indicator i,
                json_array_elements(CASE WHEN json_typeof(i.former_owners::json) = 'array'
                                         THEN i.former_owners::json ELSE '[]'::json END)
                    WITH ORDINALITY AS f(e, n)
          WHERE i.code = p_indicator AND p_year <= (f.e ->> 0)::integer
          ORDER BY f.n LIMIT 1),
        (SELECT department_code FROM {s}.indicator WHERE code = p_indicator))
$$
"""

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
    moment timestamptz := clock_timestamp();
BEGIN
    PERFORM {s}.kplan_require_read_committed();
    PERFORM {s}.kplan_cap_lock_timeout();
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
    -- Meet a year lock or 確定 in flight on their rows (a snapshot older than them fails).
    PERFORM {s}.kplan_gate('', p_year, false);
    PERFORM {s}.kplan_gate(ind.department_code, p_year, false);
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
    VALUES (moment, session_user, p_source,
            CASE WHEN p_value IS NULL AND p_reason IS NULL THEN 'clear' ELSE 'enter' END,
            p_indicator, p_year, old_value, p_value, old_reason, p_reason,
            old_comment, p_comment, left(p_detail, 2000), left(p_request_key, 64),
            left(p_client_user, 128))
    RETURNING id, at INTO number, moment;  -- the audit trigger's clock, for the row too
    SELECT value INTO db_id FROM {s}.meta WHERE key = 'database_id';
    IF p_value IS NULL AND p_reason IS NULL THEN
        DELETE FROM {s}.actual WHERE indicator_code = p_indicator AND fiscal_year = p_year;
    ELSIF NOT existed THEN
        INSERT INTO {s}.actual (indicator_code, fiscal_year, value, missing_reason, comment,
                                entered_by, entered_at, source, revision_db, revision_seq)
        VALUES (p_indicator, p_year, p_value, p_reason, p_comment, session_user, moment,
                p_source, coalesce(db_id, ''), number);
    ELSE
        UPDATE {s}.actual SET value = p_value, missing_reason = p_reason, comment = p_comment,
            entered_by = session_user, entered_at = moment, source = p_source,
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
DECLARE
    plan_start integer;
    plan_end integer;
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
    SELECT start_year, end_year INTO plan_start, plan_end FROM {s}.plan LIMIT 1;
    IF p_year IS NULL OR NOT p_year BETWEEN plan_start AND plan_end THEN
        PERFORM {s}.kplan_refuse('E_YEAR_OUT_OF_PLAN', 'outside the plan period');
    END IF;
    PERFORM {s}.kplan_gate('', p_year, false);
    -- Waits for the department's writers in flight; later statements see what they wrote.
    PERFORM {s}.kplan_gate(p_department, p_year, true);
    IF EXISTS (SELECT 1 FROM {s}.year_lock WHERE fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_LOCKED_YEAR', 'fiscal year ' || p_year || ' is locked');
    END IF;
    IF EXISTS (SELECT 1 FROM {s}.finalisation
               WHERE department_code = p_department AND fiscal_year = p_year) THEN
        RETURN false;
    END IF;
    -- The domain's open items the server can see: an indicator the department reports that
    -- year with neither a value nor a reason (submissions.open_items).
    IF NOT EXISTS (SELECT 1 FROM {s}.indicator i
                   WHERE {s}.kplan_owner_for(i.code, p_year) = p_department) THEN
        PERFORM {s}.kplan_refuse('E_NOTHING_TO_FINALISE', 'the department owns no indicator');
    END IF;
    SELECT count(*) INTO missing FROM {s}.indicator i
        WHERE {s}.kplan_owner_for(i.code, p_year) = p_department
          AND NOT EXISTS (SELECT 1 FROM {s}.actual a
                          WHERE a.indicator_code = i.code AND a.fiscal_year = p_year);
    IF missing > 0 THEN
        PERFORM {s}.kplan_refuse('E_NOT_COMPLETE', missing || ' value(s) still missing');
    END IF;
    INSERT INTO {s}.finalisation (department_code, fiscal_year, finalised_by, finalised_at)
    VALUES (p_department, p_year, session_user, moment)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO {s}.audit (at, who, source, action, fiscal_year, detail, request_key,
                           client_user)
    VALUES (moment, session_user, p_source, 'finalise', p_year, 'department=' || p_department,
            left(p_request_key, 64), left(p_client_user, 128));
    RETURN true;
END
$$
"""

_WITHDRAW = """
CREATE OR REPLACE FUNCTION {s}.kplan_withdraw(
    p_department text, p_year integer, p_source text, p_request_key text, p_client_user text)
RETURNS boolean LANGUAGE plpgsql {settings} AS $$
DECLARE
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
    PERFORM {s}.kplan_gate('', p_year, false);
    PERFORM {s}.kplan_gate(p_department, p_year, true);
    IF EXISTS (SELECT 1 FROM {s}.year_lock WHERE fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_LOCKED_YEAR', 'fiscal year ' || p_year || ' is locked');
    END IF;
    DELETE FROM {s}.finalisation WHERE department_code = p_department AND fiscal_year = p_year;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO {s}.audit (at, who, source, action, fiscal_year, detail, request_key,
                           client_user)
    VALUES (moment, session_user, p_source, 'withdraw', p_year, 'department=' || p_department,
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
    moment timestamptz := clock_timestamp();
BEGIN
    PERFORM {s}.kplan_require_read_committed();
    PERFORM {s}.kplan_cap_lock_timeout();
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
    SELECT department_code INTO owner FROM {s}.indicator WHERE measure_code = p_measure
        GROUP BY department_code ORDER BY count(*) DESC, min(position) LIMIT 1;
    PERFORM {s}.kplan_gate('', p_year, false);
    PERFORM {s}.kplan_gate(owner, p_year, false);
    IF EXISTS (SELECT 1 FROM {s}.year_lock WHERE fiscal_year = p_year) THEN
        PERFORM {s}.kplan_refuse('E_LOCKED_YEAR', 'fiscal year ' || p_year || ' is locked');
    END IF;
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
    VALUES (moment, session_user, p_source, 'evaluate', p_year, left(p_detail, 2000),
            left(p_request_key, 64), left(p_client_user, 128))
    RETURNING id, at INTO number, moment;  -- the audit trigger's clock, for the row too
    SELECT value INTO db_id FROM {s}.meta WHERE key = 'database_id';
    IF existed THEN
        UPDATE {s}.measure_evaluation SET grade = p_grade, results = p_results,
            next_step = p_next_step, next_text = p_next_text, entered_by = session_user,
            entered_at = moment, revision_db = coalesce(db_id, ''), revision_seq = number,
            replaces_db = old_db, replaces_seq = old_seq
        WHERE measure_code = p_measure AND fiscal_year = p_year;
    ELSE
        INSERT INTO {s}.measure_evaluation (measure_code, fiscal_year, grade, results,
            next_step, next_text, reviewer_comment, entered_by, entered_at, revision_db,
            revision_seq)
        VALUES (p_measure, p_year, p_grade, p_results, p_next_step, p_next_text, '',
                session_user, moment, coalesce(db_id, ''), number);
    END IF;
    RETURN number;
END
$$
"""


FUNCTIONS = (
    "kplan_gate(text, integer, boolean)",
    "kplan_require_read_committed()",
    "kplan_owner_for(text, integer)",
    "kplan_cap_lock_timeout()",
)


def _schema() -> str:
    name = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar()
    return '"' + str(name or "public").replace('"', '""') + '"'


def upgrade() -> None:
    # On both backends, so one schema is declared (store/models.py); used on a server only.
    if not sa.inspect(op.get_bind()).has_table("kplan_write_gate"):
        op.create_table(
            "kplan_write_gate",
            sa.Column("department_code", sa.Text(), nullable=False),
            sa.Column("fiscal_year", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint(
                "department_code", "fiscal_year", name=op.f("pk_kplan_write_gate")
            ),
        )
    if op.get_bind().dialect.name != "postgresql":
        return
    s = _schema()
    settings = _SETTINGS.format(s=s)
    for body in (_GATE, _READ_COMMITTED, _CAP_LOCK_TIMEOUT, _LOCKED_YEAR, _AUDIT_IDENTITY,
                 _OWNER_FOR):  # fmt: skip
        op.execute(body.format(s=s, settings=settings))
    op.execute(
        f"CREATE TRIGGER finalisation_year_lock BEFORE INSERT OR UPDATE OR DELETE"
        f" ON {s}.finalisation FOR EACH ROW EXECUTE FUNCTION {s}.kplan_refuse_locked_year()"
    )
    for statement in rules_sql(s, generations=False):
        op.execute(statement)
    for body in (_PUT_ACTUAL, _FINALISE, _WITHDRAW, _PUT_EVALUATION):
        op.execute(body.format(s=s, settings=settings))
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {s}.{function} FROM PUBLIC")


def downgrade() -> None:
    # Only the new trigger goes on a server: the write functions keep this revision's bodies
    # (and the table they meet on) until the database is upgraded again.
    if op.get_bind().dialect.name != "postgresql":
        op.drop_table("kplan_write_gate")
        return
    s = _schema()
    op.execute(f"DROP TRIGGER IF EXISTS finalisation_year_lock ON {s}.finalisation")
