"""SQLAlchemy Core tables: the catalog, departments, actuals and the append-only audit log.

Numbers are stored as exact decimal text; nothing here is specific to SQLite.
Plain `Table` objects, not ORM classes: `sqlalchemy.orm` and building mapped classes cost
about 55 ms of every start-up, and the store needs nothing the ORM adds.
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

# Named constraints keep Alembic's batch migrations on SQLite and PostgreSQL in step.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def generation_column(primary_key: bool = False) -> Column[int]:
    """The plan generation a row belongs to (migration 0014): first in its table's keys."""
    return Column(
        "generation",
        Integer,
        ForeignKey("generation.number"),
        primary_key=primary_key,
        autoincrement=False,
        nullable=False,
        server_default=text("1"),
    )


# A plan generation (計画期): one basic plan, its period and state. Every catalog row, value,
# finalisation, lock and cycle names its generation; departments, keys and meta are shared.
generation_table = Table(
    "generation",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    # Null until a catalog is loaded (a new database's generation 1).
    Column("start_year", Integer),
    Column("end_year", Integer),
    Column("baseline_year", Integer),
    # draft / active / closed (domain.generation.GenerationStatus)
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Column("closed_by", String(128)),
    Column("predecessor", Integer, ForeignKey("generation.number")),
)

# Key/value facts about this database (its id, the catalog hash).
meta_table = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

plan_table = Table(
    "plan",
    metadata,
    generation_column(primary_key=True),
    Column("code", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("start_year", Integer, nullable=False),
    Column("end_year", Integer, nullable=False),
    Column("baseline_year", Integer, nullable=False),
    Column("grading", JSON, nullable=False),
)

department_table = Table(
    "department",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("position", Integer, nullable=False, default=0),
    Column("contact", Text),
    # History: [[last fiscal year, name], …]; a 課 merged into another and its last year.
    Column("former_names", JSON),
    Column("merged_into", String(64)),
    Column("until_year", Integer),
    # Dropped by a catalog import: kept (with active False) for the values, submissions and
    # audit rows that name it, but no longer part of the catalog (read_catalog leaves it out).
    Column("retired", Boolean, nullable=False, default=False, server_default=false()),
)

goal_table = Table(
    "goal",
    metadata,
    generation_column(primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("subtitle", Text),
    Column("position", Integer, nullable=False, default=0),
)

policy_table = Table(
    "policy",
    metadata,
    generation_column(primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("goal_code", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("position", Integer, nullable=False, default=0),
    ForeignKeyConstraint(["generation", "goal_code"], ["goal.generation", "goal.code"]),
)

measure_table = Table(
    "measure",
    metadata,
    generation_column(primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("policy_code", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("vision", Text),
    Column("related_plans", JSON, nullable=False),
    Column("position", Integer, nullable=False, default=0),
    # Items of other plans the whole measure serves: [[plan, code, title], …].
    Column("links", JSON),
    ForeignKeyConstraint(["generation", "policy_code"], ["policy.generation", "policy.code"]),
)

# 施策の方向 with its tags (総合戦略, 行財政改革) and cross-references.
measure_direction_table = Table(
    "measure_direction",
    metadata,
    Column("id", Integer, primary_key=True),
    generation_column(),
    Column("measure_code", String(32), nullable=False),
    Column("number", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("text", Text, nullable=False, default=""),
    Column("tags", JSON, nullable=False),
    Column("cross_references", JSON, nullable=False),
    UniqueConstraint("generation", "measure_code", "number"),
    ForeignKeyConstraint(["generation", "measure_code"], ["measure.generation", "measure.code"]),
)

indicator_table = Table(
    "indicator",
    metadata,
    generation_column(primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("measure_code", String(32), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    Column("kind", String(16), nullable=False),
    Column("name", Text),
    Column("unit", String(32)),
    Column(
        "department_code", String(64), ForeignKey("department.code"), nullable=False, index=True
    ),
    Column("description", Text),
    Column("value_kind", String(16)),
    Column("direction", String(16)),
    Column("comparator", String(4)),
    Column("cumulative", Boolean, nullable=False, default=False),
    Column("decimals", Integer),
    Column("allow_negative", Boolean, nullable=False, default=False),
    Column("baseline_year", Integer),
    Column("baseline", String(40)),
    Column("target_year", Integer),
    Column("target", String(40)),
    Column("official_rate", String(16)),
    Column("yoy_threshold", String(40), nullable=False),
    Column("status", String(16), nullable=False),
    Column("note", Text),
    # 年度別目標: [[fiscal_year, "exact decimal"], …], null when the plan sets none.
    Column("interim_targets", JSON),
    # The departments that owned it before: [[last fiscal year, department], …].
    Column("former_owners", JSON),
    # Items of other plans this indicator serves by itself: [[plan, code, title], …].
    Column("links", JSON),
    ForeignKeyConstraint(["generation", "measure_code"], ["measure.generation", "measure.code"]),
    # A department's indicators of one generation (migration 0018): without it SQLite walked
    # the generation's whole catalog for each (issue 20).
    Index("ix_indicator_generation_department", "generation", "department_code"),
)

# Reference statistics (歳入 / 歳出) from the plan, values as exact decimal text.
reference_table_table = Table(
    "reference_table",
    metadata,
    generation_column(primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("title", Text, nullable=False),
    Column("unit", String(32), nullable=False),
    Column("source", Text),
    Column("note", Text),
    Column("columns", JSON, nullable=False),
    Column("rows", JSON, nullable=False),
    Column("position", Integer, nullable=False, default=0),
)

# One indicator's value for one fiscal year, or the reason it is missing.
actual_table = Table(
    "actual",
    metadata,
    Column("id", Integer, primary_key=True),
    generation_column(),
    Column("indicator_code", String(32), nullable=False),
    Column("fiscal_year", Integer, nullable=False, index=True),
    Column("value", String(40)),
    Column("missing_reason", String(32)),
    Column("comment", Text),
    Column("entered_by", String(128), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("source", String(16), nullable=False),
    # The value's revision (the database that made the change, and the audit row number there)
    # and the revision it replaced. A merged value keeps the revision it was made with.
    Column("revision_db", String(64)),
    Column("revision_seq", Integer),
    Column("replaces_db", String(64)),
    Column("replaces_seq", Integer),
    UniqueConstraint("generation", "indicator_code", "fiscal_year"),
    ForeignKeyConstraint(
        ["generation", "indicator_code"], ["indicator.generation", "indicator.code"]
    ),
)

# An append-only record of one change: what it was, what it became, who, when, from where.
audit_table = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    generation_column(),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("who", String(128), nullable=False),
    Column("source", String(16), nullable=False),
    Column("action", String(16), nullable=False),
    Column("indicator_code", String(32), index=True),
    Column("fiscal_year", Integer),
    Column("old_value", String(40)),
    Column("new_value", String(40)),
    Column("old_reason", String(32)),
    Column("new_reason", String(32)),
    Column("old_comment", Text),
    Column("new_comment", Text),
    Column("detail", Text),
    # The write's idempotency key: a client whose commit reply was lost looks it up.
    Column("request_key", String(64), index=True),
    # On a shared server `who` is the login; the PC's OS user stays here as a note.
    Column("client_user", String(128)),
)

# A department's fiscal year marked 確定 (finalised): its values are complete and explained, and
# no longer change until the finalisation is withdrawn.
finalisation_table = Table(
    "finalisation",
    metadata,
    generation_column(primary_key=True),
    Column("department_code", String(64), ForeignKey("department.code"), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("finalised_by", String(128), nullable=False),
    Column("finalised_at", DateTime(timezone=True), nullable=False),
)

# A submission or template the planning database has merged, once per file content.
submission_table = Table(
    "submission",
    metadata,
    Column("id", Integer, primary_key=True),
    generation_column(),
    Column("department_code", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("file", Text, nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("origin_db", String(64)),
    Column("catalog_hash", String(64)),
    Column("exported_at", DateTime(timezone=True)),
    Column("finalised_by", String(128)),
    Column("finalised_at", DateTime(timezone=True)),
    Column("merged_at", DateTime(timezone=True), nullable=False),
    Column("merged_by", String(128), nullable=False),
    Column("rows", Integer, nullable=False),
)

# The report of a merge that wrote something: its row outcomes as JSON, for the 取込結果 sheet.
merge_report_table = Table(
    "merge_report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("who", String(128), nullable=False),
    Column("file", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("body", Text, nullable=False),
)

# Ed25519 public keys for submissions (store/keys): this installation's own (own=True; its
# private key is a file of the data folder, never here) and the keys departments sent the
# planning division, each bound to the department it signs for. No secret is kept here.
# public_key is NULL for a department registered before 0010 until its new key is registered.
signing_key_table = Table(
    "signing_key",
    metadata,
    Column("database_id", String(64), primary_key=True),
    Column("department_code", String(64)),
    Column("public_key", String(64)),
    Column("own", Boolean, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("added_by", String(128), nullable=False),
)

# Every catalog the database has held, numbered: the planning division's edits make the next
# number; a department takes the number of the catalog it imports. `content` is the catalog as
# JSON (catalog_json), so a submission made under an older version can be explained row by row.
catalog_version_table = Table(
    "catalog_version",
    metadata,
    generation_column(primary_key=True),
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("catalog_hash", String(64), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("issued_by", String(128), nullable=False),
    Column("origin", String(16), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("content", Text),
)

# 施策評価: per measure and fiscal year, the owning department's self-evaluation, results and
# next steps, and the planning division's reviewer comment. Revisions as for actuals.
measure_evaluation_table = Table(
    "measure_evaluation",
    metadata,
    generation_column(primary_key=True),
    Column("measure_code", String(32), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("grade", String(1)),
    Column("results", Text, nullable=False),
    Column("next_step", String(8)),
    Column("next_text", Text, nullable=False),
    Column("reviewer_comment", Text, nullable=False),
    Column("entered_by", String(128), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("revision_db", String(64)),
    Column("revision_seq", Integer),
    Column("replaces_db", String(64)),
    Column("replaces_seq", Integer),
)

# The yearly cycle: a fiscal year the planning division opened for entry, and its due date.
# Catalog files carry it to the departments (exchange.catalog_files).
fiscal_year_cycle_table = Table(
    "fiscal_year_cycle",
    metadata,
    generation_column(primary_key=True),
    Column("fiscal_year", Integer, primary_key=True, autoincrement=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("opened_by", String(128), nullable=False),
    Column("due_date", Date),
)

# A fiscal year the planning division has closed (年度ロック): every write to it is refused, by
# the program on every backend and, on PostgreSQL, by a trigger in the database as well.
year_lock_table = Table(
    "year_lock",
    metadata,
    generation_column(primary_key=True),
    Column("fiscal_year", Integer, primary_key=True, autoincrement=False),
    Column("locked_at", DateTime(timezone=True), nullable=False),
    Column("locked_by", String(128), nullable=False),
    Column("note", Text),
)

# On a shared server: which database role stands for which department (NULL: the planning
# division). `kplan server init` fills it; the server's write functions read it to know a
# login's department. Empty on a PC's own file.
kplan_role_table = Table(
    "kplan_role",
    metadata,
    Column("role_name", Text, primary_key=True),
    Column("department_code", Text),
)

# On a shared server: the row where a write and a change of its year's state meet (migration
# 0013). Department '' is the year as a whole. Writers hold a row FOR SHARE, year lock /
# 確定 update it. Empty on a PC's own file.
kplan_write_gate_table = Table(
    "kplan_write_gate",
    metadata,
    generation_column(primary_key=True),
    Column("department_code", Text, primary_key=True),
    Column("fiscal_year", Integer, primary_key=True, autoincrement=False),
    Column("changed_at", DateTime(timezone=True)),
)


# Which indicator of a later generation carries on one of an earlier one: `continue` (the same
# series goes on) or `replace` (a new indicator takes an ended one's place). Ending is the old
# indicator's status in its own generation, not a link.
indicator_link_table = Table(
    "indicator_link",
    metadata,
    Column("generation", Integer, primary_key=True, autoincrement=False),
    Column("code", String(32), primary_key=True),
    Column("prior_generation", Integer, primary_key=True, autoincrement=False),
    Column("prior_code", String(32), primary_key=True),
    Column("kind", String(16), nullable=False),
    # A continuing indicator's baseline waiting for the old plan's actual of this year.
    Column("pending_base_year", Integer),
    # The baseline last taken from the old plan's final value of that year (NULL: pending).
    Column("linked_baseline", String(40)),
    ForeignKeyConstraint(["generation", "code"], ["indicator.generation", "indicator.code"]),
    ForeignKeyConstraint(
        ["prior_generation", "prior_code"], ["indicator.generation", "indicator.code"]
    ),
)
