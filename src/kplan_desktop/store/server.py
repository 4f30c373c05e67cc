"""The shared PostgreSQL server: roles, grants and row-level security, set up by an administrator.

`server_init` makes the database's schema current and then, idempotently:

- a role per department (`<db>_dept_<code>`) and one for the planning division
  (`<db>_planning`), all members of `<db>_member`; none can log in — people get logins that are
  members of one of them (`add_user`);
- grants: every member reads the catalog and the values; a department role writes nothing
  directly — it calls the SECURITY DEFINER write functions of migration 0011, which check the
  login's department, the year lock, 確定 and the value's shape, and write the audit row with
  the login and the server's clock; only the planning role writes tables (the catalog, the
  year locks, merges, the reviewer comment, the signing keys) and appends to the audit log;
- the database: no TEMP and no CONNECT for PUBLIC (CONNECT for the kplan roles), and the
  session limits of SESSION_LIMITS unless IT staff changed them;
- row-level security on `actual`, `finalisation` and `measure_evaluation`, a second line for
  the planning role's direct writes.

The database owner (the administrator who ran `server init`) is not subject to the policies.
Role names carry the database's name, so two kplan databases on one server do not share roles.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, text
from sqlalchemy.exc import DBAPIError

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.engine import meta_value
from kplan_desktop.store.models import department_table, meta_table
from kplan_desktop.store.server_rules import rules_sql

ROLE_TABLE = "kplan_role"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_USER = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")

# Every table is read by every member and written by the planning role, except these: the
# audit log (appended to by the planning role, changed by nobody), the signing keys (the
# planning division's only), and the program's own bookkeeping. A department login writes no
# table at all: it calls the write functions. A table a later migration adds follows the rule
# once `server init` runs again.
_APPEND_ONLY = ("audit",)
_SECRET = ("signing_key",)
_BOOKKEEPING = ("alembic_version", ROLE_TABLE)

# The policies' helpers. A policy runs them as the invoker, so each has a fixed search_path
# with pg_temp last and names every table with its schema: a temporary table cannot stand in
# for kplan_role or indicator. ({s} is the kplan schema.)
_FUNCTIONS = """
CREATE OR REPLACE FUNCTION {s}.kplan_is_planning() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, {s}, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM {s}.kplan_role
        WHERE department_code IS NULL AND pg_has_role(current_user, role_name, 'MEMBER')
    )
$$;
CREATE OR REPLACE FUNCTION {s}.kplan_owns_department(department text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, {s}, pg_temp AS $$
    SELECT {s}.kplan_is_planning() OR EXISTS (
        SELECT 1 FROM {s}.kplan_role
        WHERE department_code = department AND pg_has_role(current_user, role_name, 'MEMBER')
    )
$$;
CREATE OR REPLACE FUNCTION {s}.kplan_may_evaluate(generation integer, measure text)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, {s}, pg_temp AS $$
    SELECT {s}.kplan_is_planning() OR EXISTS (
        SELECT 1 FROM {s}.indicator i JOIN {s}.kplan_role r
            ON r.department_code = i.department_code
        WHERE i.generation = kplan_may_evaluate.generation AND i.measure_code = measure
          AND pg_has_role(current_user, r.role_name, 'MEMBER')
    )
$$;
CREATE OR REPLACE FUNCTION {s}.kplan_may_write(generation integer, indicator text)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, {s}, pg_temp AS $$
    SELECT {s}.kplan_is_planning() OR EXISTS (
        SELECT 1 FROM {s}.indicator i JOIN {s}.kplan_role r
            ON r.department_code = i.department_code
        WHERE i.generation = kplan_may_write.generation AND i.code = indicator
          AND pg_has_role(current_user, r.role_name, 'MEMBER')
    )
$$;
"""

# The write functions of migration 0011 (in 0014's shape: the generation first) that every
# member may call: the only way a department login changes values, 確定 and evaluations.
_WRITE_FUNCTIONS = (
    "kplan_put_actual(integer, text, integer, text, text, text, boolean, text, integer, text,"
    " text, text, text)",
    "kplan_finalise(integer, text, integer, text, text, text)",
    "kplan_withdraw(integer, text, integer, text, text, text)",
    "kplan_put_evaluation(integer, text, integer, text, text, text, text, boolean, text,"
    " integer, text, text, text, text)",
)

# Every session on the database gets these unless IT staff set others (ALTER DATABASE … SET,
# or ALTER ROLE … IN DATABASE … SET for one login): a session waiting for a lock, a statement
# running long, or a PC frozen inside a transaction never holds the others up for longer.
SESSION_LIMITS = {
    "lock_timeout": "5s",
    "statement_timeout": "60s",
    "idle_in_transaction_session_timeout": "60s",
    "idle_session_timeout": "8h",
}

# How many connections one login may hold at once (CREATE ROLE … CONNECTION LIMIT), so one PC
# cannot take every connection the server has. The program holds at most POOL_SIZE +
# POOL_OVERFLOW per process (store/engine.py); IT staff may change it per login:
# ALTER ROLE tanaka CONNECTION LIMIT 20.
CONNECTION_LIMIT = 10

# The predefined roles the planning division gets, to see the sessions on the database and end
# a clerk's that holds others up (`kplan server sessions`).
_PLANNING_PREDEFINED = ("pg_read_all_stats", "pg_signal_backend")

# server init takes this table's lock (no kplan role may read or lock it), so two
# administrators never run it at once and no clerk can hold it up.
INIT_LOCK_TABLE = "kplan_init_lock"
# meta keys: the policies server init made on a table (a fingerprint of their text).
_POLICY_KEY = "server_policies:"

# An UPDATE of another department's row fails loudly (its WITH CHECK), rather than matching no
# row; a DELETE of one matches no row, and write_actuals refuses a change that did not happen.
_POLICIES = {
    "actual": (
        "CREATE POLICY kplan_read ON actual FOR SELECT USING (true)",
        "CREATE POLICY kplan_insert ON actual FOR INSERT"
        " WITH CHECK (kplan_may_write(generation, indicator_code))",
        "CREATE POLICY kplan_update ON actual FOR UPDATE USING (true)"
        " WITH CHECK (kplan_may_write(generation, indicator_code))",
        "CREATE POLICY kplan_delete ON actual FOR DELETE"
        " USING (kplan_may_write(generation, indicator_code))",
    ),
    # 施策評価: a department writes the evaluations of measures it has indicators in; the
    # reviewer comment column is the planning division's (column grants, see server_init).
    "measure_evaluation": (
        "CREATE POLICY kplan_read ON measure_evaluation FOR SELECT USING (true)",
        "CREATE POLICY kplan_insert ON measure_evaluation FOR INSERT"
        " WITH CHECK (kplan_may_evaluate(generation, measure_code))",
        "CREATE POLICY kplan_update ON measure_evaluation FOR UPDATE USING (true)"
        " WITH CHECK (kplan_may_evaluate(generation, measure_code))",
    ),
    "finalisation": (
        "CREATE POLICY kplan_read ON finalisation FOR SELECT USING (true)",
        "CREATE POLICY kplan_insert ON finalisation FOR INSERT"
        " WITH CHECK (kplan_owns_department(department_code))",
        "CREATE POLICY kplan_delete ON finalisation FOR DELETE"
        " USING (kplan_owns_department(department_code))",
    ),
}


@dataclass(frozen=True)
class ServerRoles:
    """What `server_init` set up: the role names, by department code, and the planning role."""

    member: str
    planning: str
    departments: dict[str, str]


def _refuse(code: str, ja: str, en: str) -> DomainError:
    return DomainError(code, ja, en)


def _require_server(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        raise _refuse(
            "E_NOT_SERVER",
            "この操作は PostgreSQL サーバーのデータベース（postgresql+psycopg://…）でのみ使えます",
            "This works on a PostgreSQL server database only (postgresql+psycopg://…)",
        )


def role_prefix(conn: Connection) -> str:
    """The database's name, made into a role-name prefix (lower case, letters, digits, _)."""
    name = (conn.engine.url.database or "kplan").lower()
    prefix = re.sub(r"[^a-z0-9_]", "_", name)[:30]
    if not prefix or not (prefix[0].isalpha() or prefix[0] == "_"):
        prefix = f"k{prefix}"
    return prefix


def department_role(prefix: str, department: str) -> str:
    slug = re.sub(r"[^a-z0-9_]", "_", department.lower())
    return f"{prefix}_dept_{slug}"[:63]


def _ident(name: str) -> str:
    """A role name as an SQL identifier; every name here is checked against _NAME first."""
    if not _NAME.match(name) and not _USER.match(name):
        raise ValueError(f"not a safe role name: {name!r}")
    return '"' + name + '"'


def _ensure_role(conn: Connection, name: str, *, member_of: str | None = None) -> None:
    exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
    if not exists:
        conn.execute(text(f"CREATE ROLE {_ident(name)} NOLOGIN"))
    if member_of is not None:
        conn.execute(text(f"GRANT {_ident(member_of)} TO {_ident(name)}"))


def server_init(conn: Connection) -> ServerRoles:
    """Roles, grants and policies for the store's (migrated, seeded) server database."""
    _require_server(conn)
    prefix = role_prefix(conn)
    member, planning = f"{prefix}_member", f"{prefix}_planning"
    # Two administrators running this at once would race on CREATE ROLE. An advisory
    # lock could be taken and held by any login; this table no kplan role may touch.
    conn.execute(text(f"CREATE TABLE IF NOT EXISTS {INIT_LOCK_TABLE} (x integer)"))
    conn.execute(text(f"LOCK TABLE {INIT_LOCK_TABLE} IN EXCLUSIVE MODE"))
    departments = {
        code: department_role(prefix, code)
        for code in conn.scalars(select(department_table.c.code).order_by("code"))
    }
    _ensure_role(conn, member)
    _ensure_role(conn, planning, member_of=member)
    for role in departments.values():
        _ensure_role(conn, role, member_of=member)
    conn.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {ROLE_TABLE} ("
            " role_name text PRIMARY KEY, department_code text)"
        )
    )
    conn.execute(text(f"DELETE FROM {ROLE_TABLE}"))
    conn.execute(
        text(f"INSERT INTO {ROLE_TABLE} (role_name, department_code) VALUES (:r, :d)"),
        [{"r": planning, "d": None}]
        + [{"r": role, "d": code} for code, role in departments.items()],
    )
    schema = _quoted(str(conn.scalar(text("SELECT current_schema()")) or "public"))
    conn.execute(text(_FUNCTIONS.format(s=schema)))
    for statement in rules_sql(schema):  # the domain's rules of this version
        conn.execute(text(statement))
    database = _quoted(conn.engine.url.database or "")
    m, p = _ident(member), _ident(planning)
    for statement in (
        f"REVOKE TEMPORARY, CONNECT ON DATABASE {database} FROM PUBLIC",
        f"REVOKE TEMPORARY ON DATABASE {database} FROM {m}, {p}",
        f"GRANT CONNECT ON DATABASE {database} TO {m}",
        f"GRANT USAGE ON SCHEMA {schema} TO {m}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {m}, {p}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {m}, {p}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {m}",
        f"REVOKE SELECT ON {', '.join(_SECRET)} FROM {m}",
        f"REVOKE ALL ON {INIT_LOCK_TABLE} FROM {m}, {p}",
        f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {p}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {p}",
        f"REVOKE UPDATE, DELETE ON {', '.join(_APPEND_ONLY)} FROM {p}",
        f"REVOKE INSERT, UPDATE, DELETE ON {', '.join(_BOOKKEEPING)} FROM {p}",
        f"GRANT SELECT ON {', '.join(_SECRET)} TO {p}",
        *(f"REVOKE ALL ON FUNCTION {schema}.{f} FROM PUBLIC" for f in _WRITE_FUNCTIONS),
        *(f"GRANT EXECUTE ON FUNCTION {schema}.{f} TO {m}" for f in _WRITE_FUNCTIONS),
    ):
        conn.execute(text(statement))
    _set_session_limits(conn, database)
    _grant_predefined(conn, planning)
    _put_policies(conn)
    return ServerRoles(member, planning, departments)


# Words that name a role rather than a department: `--department planning` means the planning
# division everywhere else, so it never silently makes a clerk of a department coded so.
RESERVED_DEPARTMENT_CODES = frozenset({"planning", "member"})


@dataclass(frozen=True)
class LoginRole:
    """What the server says a login is: the planning division, or one department's clerk."""

    planning: bool
    department: str | None


def login_role(conn: Connection) -> LoginRole | None:
    """The login's kplan role on a server; None for the administrator (the database's owner or
    a superuser), a login in no kplan role, or a PC's own file."""
    if conn.dialect.name != "postgresql":
        return None
    if conn.scalar(text(f"SELECT to_regclass('{ROLE_TABLE}')")) is None:
        return None
    owner = conn.scalar(
        text(
            "SELECT r.rolsuper OR pg_has_role(session_user, d.datdba, 'USAGE')"
            " FROM pg_roles r, pg_database d"
            " WHERE r.rolname = session_user AND d.datname = current_database()"
        )
    )
    if owner:
        return None
    found = [
        (code,)
        for (code,) in conn.execute(
            text(
                f"SELECT department_code FROM {ROLE_TABLE}"
                " WHERE pg_has_role(session_user, role_name, 'MEMBER')"
                " ORDER BY department_code NULLS FIRST"
            )
        )
    ]
    if not found:
        return None
    if found[0][0] is None:
        return LoginRole(planning=True, department=None)
    return LoginRole(planning=False, department=str(found[0][0]))


def _policies_in_place(conn: Connection, table: str, policies: tuple[str, ...]) -> bool:
    """Row-level security on, and exactly these policies as this version made them."""
    enabled = conn.scalar(
        text("SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass(:t)"), {"t": table}
    )
    names = set(
        conn.scalars(text("SELECT policyname FROM pg_policies WHERE tablename = :t"), {"t": table})
    )
    wanted = {policy.split()[2] for policy in policies}
    made = meta_value(conn, f"{_POLICY_KEY}{table}")
    return bool(enabled) and names == wanted and made == _fingerprint(policies)


def _fingerprint(policies: tuple[str, ...]) -> str:
    return hashlib.sha256("\n".join(policies).encode("utf-8")).hexdigest()


def _put_policies(conn: Connection) -> None:
    """Row-level security and the policies, each table's only when not already as wanted:
    ALTER TABLE and CREATE POLICY wait for every reader of the table (an idle clerk's open
    transaction too), so a rerun of `server init` on a current server takes no such lock."""
    for table, policies in _POLICIES.items():
        if _policies_in_place(conn, table, policies):
            continue
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        for name in conn.scalars(
            text("SELECT policyname FROM pg_policies WHERE tablename = :t"), {"t": table}
        ):
            conn.execute(text(f'DROP POLICY "{name}" ON {table}'))
        for policy in policies:
            conn.execute(text(policy))
        key = f"{_POLICY_KEY}{table}"
        conn.execute(delete(meta_table).where(meta_table.c.key == key))
        conn.execute(insert(meta_table), {"key": key, "value": _fingerprint(policies)})


def _grant_predefined(conn: Connection, planning: str) -> None:
    """pg_read_all_stats and pg_signal_backend for the planning role, where the administrator
    may grant them (PostgreSQL 16 needs ADMIN OPTION on them; a refusal leaves them out)."""
    for role in _PLANNING_PREDEFINED:
        held = conn.scalar(text("SELECT pg_has_role(:p, :r, 'MEMBER')"), {"p": planning, "r": role})
        if held:
            continue
        try:
            with conn.begin_nested():
                conn.execute(text(f"GRANT {role} TO {_ident(planning)}"))
        except DBAPIError:
            continue


@dataclass(frozen=True)
class Session:
    """One connection to the database, as `kplan server sessions` shows it."""

    pid: int
    login: str
    application: str
    client: str
    state: str
    transaction_since: str
    blocked_by: tuple[int, ...]
    blocks: tuple[int, ...]
    protected: bool  # a superuser, the administrator or the planning division


_SESSIONS = text(
    """
    SELECT a.pid, coalesce(a.usename::text, ''), coalesce(a.application_name, ''),
           coalesce(host(a.client_addr), 'local'), coalesce(a.state, ''),
           coalesce(to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), ''),
           pg_blocking_pids(a.pid),
           coalesce(r.rolsuper, false)
             OR coalesce(pg_has_role(a.usesysid, d.datdba, 'MEMBER'), false)
             OR EXISTS (SELECT 1 FROM kplan_role k
                        WHERE k.department_code IS NULL
                          AND pg_has_role(a.usesysid, k.role_name, 'MEMBER'))
    FROM pg_stat_activity a
    JOIN pg_database d ON d.oid = a.datid
    LEFT JOIN pg_roles r ON r.oid = a.usesysid
    WHERE d.datname = current_database() AND a.backend_type = 'client backend'
      AND a.pid <> pg_backend_pid()
    ORDER BY a.xact_start NULLS LAST, a.pid
    """
)


def sessions(conn: Connection) -> list[Session]:
    """The other connections to the database: who, from where, in a transaction since when,
    and who waits for whom. The planning division sees every login's (pg_read_all_stats)."""
    _require_server(conn)
    rows = list(conn.execute(_SESSIONS))
    blocks: dict[int, list[int]] = {}
    for row in rows:
        for blocker in row[6] or ():
            blocks.setdefault(int(blocker), []).append(int(row[0]))
    return [
        Session(
            pid=int(row[0]),
            login=str(row[1]),
            application=str(row[2]),
            client=str(row[3]),
            state=str(row[4]),
            transaction_since=str(row[5]),
            blocked_by=tuple(int(p) for p in row[6] or ()),
            blocks=tuple(blocks.get(int(row[0]), ())),
            protected=bool(row[7]),
        )
        for row in rows
    ]


def terminate_session(conn: Connection, pid: int) -> str:
    """End a clerk's session on this database (its open transaction is rolled back). Refuses a
    superuser's, the administrator's and the planning division's sessions. Returns the login."""
    _require_server(conn)
    found = {s.pid: s for s in sessions(conn)}.get(pid)
    if found is None:
        raise _refuse(
            "E_NO_SUCH_SESSION",
            f"このデータベースに PID {pid} のセッションはありません",
            f"No session with PID {pid} on this database",
        )
    if found.protected:
        raise _refuse(
            "E_SESSION_PROTECTED",
            f"PID {pid}（{found.login[:40]}）は管理者か企画担当課のセッションのため終了しません",
            f"PID {pid} ({found.login[:40]}) is the administrator's or the planning "
            "division's session and is not ended",
        )
    ended = conn.scalar(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    if not ended:
        raise _refuse(
            "E_SESSION_NOT_ENDED",
            f"PID {pid} を終了できませんでした（権限がありません）",
            f"Could not end PID {pid} (no permission)",
        )
    return found.login


def _set_session_limits(conn: Connection, database: str) -> None:
    """SESSION_LIMITS on the database, each unless IT staff set it already (kept on a rerun)."""
    present = {
        str(setting).split("=", 1)[0]
        for row in conn.execute(
            text(
                "SELECT unnest(setconfig) FROM pg_db_role_setting s"
                " JOIN pg_database d ON d.oid = s.setdatabase"
                " WHERE d.datname = current_database() AND s.setrole = 0"
            )
        )
        for setting in row
    }
    for name, value in SESSION_LIMITS.items():
        if name not in present:
            conn.execute(text(f"ALTER DATABASE {database} SET {name} = '{value}'"))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def add_user(conn: Connection, name: str, password: str, *, department: str | None) -> str:
    """A login in a department's role (or the planning role when department is None).

    Returns the role it joined. The password travels only inside the connection (never on a
    command line); a login that exists already is refused.
    """
    _require_server(conn)
    if not _USER.match(name):
        raise _refuse(
            "E_USER_NAME",
            "ユーザー名は英小文字・数字・_ . - で、英小文字か _ で始めてください（63文字まで）",
            "A user name is lower-case letters, digits, _ . - and starts with a letter or _ "
            "(at most 63 characters)",
        )
    if department is not None and department.lower() in RESERVED_DEPARTMENT_CODES:
        raise _refuse(
            "E_DEPARTMENT_AMBIGUOUS",
            f"「--department {department[:20]}」は使えません。企画担当課のログインは --planning で"
            "作成してください（課コードが役割の名前と同じ課には、ログインを作成できません）",
            f"--department {department[:20]} is not accepted: create a planning-division login "
            "with --planning (a department whose code is a role word cannot get logins)",
        )
    if len(password) < 8:
        raise _refuse(
            "E_PASSWORD",
            "パスワードは8文字以上にしてください",
            "The password must be at least 8 characters",
        )
    if conn.scalar(text(f"SELECT to_regclass('{ROLE_TABLE}')")) is None:
        raise _refuse(
            "E_SERVER_NOT_INITIALISED",
            "サーバーの初期設定がされていません（kplan server init を先に実行してください）",
            "The server is not set up (run kplan server init first)",
        )
    roles: dict[str, str] = {
        str(code): str(role)
        for code, role in conn.execute(
            text(f"SELECT coalesce(department_code, ''), role_name FROM {ROLE_TABLE}")
        )
    }
    role = roles.get(department if department is not None else "")
    if role is None:
        raise _refuse(
            "E_UNKNOWN_DEPARTMENT",
            f"課コード {(department or '')[:40]} の役割がありません"
            "（カタログにない課か、kplan server init をやり直す必要があります）",
            f"No role for department {(department or '')[:40]} (not in the catalog, or "
            "run kplan server init again)",
        )
    if conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}):
        raise _refuse(
            "E_USER_EXISTS",
            f"ユーザー {name} はすでにあります",
            f"The user {name} exists already",
        )
    # CREATE ROLE takes no bind parameters: psycopg quotes the name and the password.
    from psycopg import sql

    statement = sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} CONNECTION LIMIT {} IN ROLE {}").format(
        sql.Identifier(name),
        sql.Literal(password),
        sql.Literal(CONNECTION_LIMIT),
        sql.Identifier(role),
    )
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute(statement)
    return role
