"""The shared PostgreSQL server: roles, grants and row-level security, set up by an administrator.

`server_init` makes the database's schema current and then, idempotently:

- a role per department (`<db>_dept_<code>`) and one for the planning division
  (`<db>_planning`), all members of `<db>_member`; none can log in — people get logins that are
  members of one of them (`add_user`);
- grants: every member reads the catalog and the values, and appends to the audit log (never
  changes or deletes it); only the planning role changes the catalog, the year locks, the
  merged-file records and the signing keys;
- row-level security on `actual` and `finalisation`: a department role writes only the rows of
  indicators its department owns; the planning role writes every row. On `measure_evaluation`
  a department writes the evaluations of measures it has indicators in, never the reviewer
  comment.

The database owner (the administrator who ran `server init`) is not subject to the policies.
Role names carry the database's name, so two kplan databases on one server do not share roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, select, text

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.store.engine import Store
from kplan_desktop.store.models import department_table

ROLE_TABLE = "kplan_role"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_USER = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")

# Every table is read by every member and written by the planning role, except these: the
# values and 確定 (row-level security decides), the audit log (appended to by everyone, changed by
# nobody), the signing keys (the planning division's only), and the program's own bookkeeping.
# A table a later migration adds follows the rule once `server init` runs again.
_APPEND_ONLY = ("audit",)
# What a department may change of an evaluation: everything but the reviewer comment.
_EVALUATION_COLUMNS = (
    "grade, results, next_step, next_text, entered_by, entered_at,"
    " revision_db, revision_seq, replaces_db, replaces_seq"
)
_SECRET = ("signing_key",)
_BOOKKEEPING = ("alembic_version", ROLE_TABLE)

_FUNCTIONS = """
CREATE OR REPLACE FUNCTION kplan_is_planning() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM kplan_role
        WHERE department_code IS NULL AND pg_has_role(current_user, role_name, 'MEMBER')
    )
$$;
CREATE OR REPLACE FUNCTION kplan_owns_department(department text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT kplan_is_planning() OR EXISTS (
        SELECT 1 FROM kplan_role
        WHERE department_code = department AND pg_has_role(current_user, role_name, 'MEMBER')
    )
$$;
CREATE OR REPLACE FUNCTION kplan_may_evaluate(measure text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT kplan_is_planning() OR EXISTS (
        SELECT 1 FROM indicator i JOIN kplan_role r ON r.department_code = i.department_code
        WHERE i.measure_code = measure AND pg_has_role(current_user, r.role_name, 'MEMBER')
    )
$$;
CREATE OR REPLACE FUNCTION kplan_may_write(indicator text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT kplan_is_planning() OR EXISTS (
        SELECT 1 FROM indicator i JOIN kplan_role r ON r.department_code = i.department_code
        WHERE i.code = indicator AND pg_has_role(current_user, r.role_name, 'MEMBER')
    )
$$;
"""

# An UPDATE of another department's row fails loudly (its WITH CHECK), rather than matching no
# row; a DELETE of one matches no row, and write_actuals refuses a change that did not happen.
_POLICIES = {
    "actual": (
        "CREATE POLICY kplan_read ON actual FOR SELECT USING (true)",
        "CREATE POLICY kplan_insert ON actual FOR INSERT"
        " WITH CHECK (kplan_may_write(indicator_code))",
        "CREATE POLICY kplan_update ON actual FOR UPDATE USING (true)"
        " WITH CHECK (kplan_may_write(indicator_code))",
        "CREATE POLICY kplan_delete ON actual FOR DELETE USING (kplan_may_write(indicator_code))",
    ),
    # 施策評価: a department writes the evaluations of measures it has indicators in; the
    # reviewer comment column is the planning division's (column grants, see server_init).
    "measure_evaluation": (
        "CREATE POLICY kplan_read ON measure_evaluation FOR SELECT USING (true)",
        "CREATE POLICY kplan_insert ON measure_evaluation FOR INSERT"
        " WITH CHECK (kplan_may_evaluate(measure_code))",
        "CREATE POLICY kplan_update ON measure_evaluation FOR UPDATE USING (true)"
        " WITH CHECK (kplan_may_evaluate(measure_code))",
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


def _require_server(store: Store) -> None:
    if not store.is_server:
        raise _refuse(
            "E_NOT_SERVER",
            "この操作は PostgreSQL サーバーのデータベース（postgresql+psycopg://…）でのみ使えます",
            "This works on a PostgreSQL server database only (postgresql+psycopg://…)",
        )


def role_prefix(store: Store) -> str:
    """The database's name, made into a role-name prefix (lower case, letters, digits, _)."""
    name = (store.engine.url.database or "kplan").lower()
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


def server_init(store: Store) -> ServerRoles:
    """Roles, grants and policies for the store's (migrated, seeded) server database."""
    _require_server(store)
    prefix = role_prefix(store)
    member, planning = f"{prefix}_member", f"{prefix}_planning"
    with store.transaction() as conn:
        # Two administrators running this at once would race on CREATE ROLE.
        conn.execute(text("SELECT pg_advisory_xact_lock(7302)"))
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
        conn.execute(text(_FUNCTIONS))
        database = store.engine.url.database or ""
        conn.execute(text(f"GRANT CONNECT ON DATABASE {_quoted(database)} TO {_ident(member)}"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {_ident(member)}"))
        m, p = _ident(member), _ident(planning)
        for statement in (
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {m}, {p}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {m}",
            f"REVOKE SELECT ON {', '.join(_SECRET)} FROM {m}",
            f"GRANT INSERT ON {', '.join(_APPEND_ONLY)} TO {m}",
            f"GRANT INSERT, UPDATE, DELETE ON actual TO {m}",
            f"GRANT INSERT, DELETE ON finalisation TO {m}",
            f"GRANT INSERT ON measure_evaluation TO {m}",
            f"GRANT UPDATE ({_EVALUATION_COLUMNS}) ON measure_evaluation TO {m}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {m}",
            f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {p}",
            f"REVOKE UPDATE, DELETE ON {', '.join(_APPEND_ONLY)} FROM {p}",
            f"REVOKE INSERT, UPDATE, DELETE ON {', '.join(_BOOKKEEPING)} FROM {p}",
            f"GRANT SELECT ON {', '.join(_SECRET)} TO {p}",
        ):
            conn.execute(text(statement))
        for table, policies in _POLICIES.items():
            conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
            for name in conn.scalars(
                text("SELECT policyname FROM pg_policies WHERE tablename = :t"), {"t": table}
            ):
                conn.execute(text(f'DROP POLICY "{name}" ON {table}'))
            for policy in policies:
                conn.execute(text(policy))
    return ServerRoles(member, planning, departments)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def add_user(store: Store, name: str, password: str, *, department: str | None) -> str:
    """A login in a department's role (or the planning role when department is None).

    Returns the role it joined. The password travels only inside the connection (never on a
    command line); a login that exists already is refused.
    """
    _require_server(store)
    if not _USER.match(name):
        raise _refuse(
            "E_USER_NAME",
            "ユーザー名は英小文字・数字・_ . - で、英小文字か _ で始めてください（63文字まで）",
            "A user name is lower-case letters, digits, _ . - and starts with a letter or _ "
            "(at most 63 characters)",
        )
    if len(password) < 8:
        raise _refuse(
            "E_PASSWORD",
            "パスワードは8文字以上にしてください",
            "The password must be at least 8 characters",
        )
    with store.transaction() as conn:
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

        statement = sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
            sql.Identifier(name), sql.Literal(password), sql.Identifier(role)
        )
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute(statement)
    return role
