"""Reading the catalog from the database and replacing it with a new version."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    RowMapping,
    Table,
    Text,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)

from kplan_desktop.domain.catalog import (
    Catalog,
    CrossReference,
    Department,
    Goal,
    Indicator,
    Measure,
    MeasureDirection,
    Plan,
    Policy,
    ReferenceTable,
)
from kplan_desktop.domain.catalog_diff import CatalogVersion, check_newer
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import (
    Comparator,
    Direction,
    GradeLabels,
    IndicatorKind,
    IndicatorStatus,
    PlanSettings,
    RateBasis,
    ValueKind,
)
from kplan_desktop.domain.records import builder
from kplan_desktop.domain.values import canonical, grading_to_dict
from kplan_desktop.store.audit import now, record
from kplan_desktop.store.catalog_versions import current_catalog_version
from kplan_desktop.store.engine import meta_value

# The meta key of a generation's catalog hash lives with the generations (a withdrawn draft
# removes its own); re-exported here under its usual names.
from kplan_desktop.store.generations import CATALOG_HASH_KEY as CATALOG_HASH_KEY
from kplan_desktop.store.generations import catalog_hash_key as catalog_hash_key
from kplan_desktop.store.generations import require_writable, sync_period, unlink_removed
from kplan_desktop.store.models import (
    actual_table,
    catalog_version_table,
    department_table,
    goal_table,
    indicator_table,
    measure_direction_table,
    measure_table,
    meta_table,
    plan_table,
    policy_table,
    reference_table_table,
)
from kplan_desktop.store.requests import EntrySource


@dataclass
class CatalogChange:
    """What replacing the catalog did, for the command line and the audit log."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    departments_added: list[str] = field(default_factory=list)
    # Departments the new catalog no longer lists: kept inactive for their history (retired).
    departments_retired: list[str] = field(default_factory=list)
    unchanged: bool = False
    version: CatalogVersion | None = None
    cycles_opened: int = 0  # fiscal years a catalog file opened here (exchange.catalog_files)
    links_received: int = 0  # indicator links a received plan's file changed (received_plan)
    generation_made: bool = False  # the file made its generation here (a department's PC)

    def summary(self) -> str:
        return (
            f"added={len(self.added)} changed={len(self.changed)} removed={len(self.removed)} "
            f"departments_added={len(self.departments_added)} "
            f"departments_retired={len(self.departments_retired)}"
        )


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else canonical(value)


def _indicator_columns(indicator: Indicator) -> dict[str, Any]:
    return {
        "kind": indicator.kind.value,
        "name": indicator.name,
        "unit": indicator.unit,
        "department_code": indicator.department,
        "description": indicator.description,
        "value_kind": None if indicator.value_kind is None else indicator.value_kind.value,
        "direction": None if indicator.direction is None else indicator.direction.value,
        "comparator": None if indicator.comparator is None else indicator.comparator.value,
        "cumulative": indicator.cumulative,
        "decimals": indicator.decimals,
        "allow_negative": indicator.allow_negative,
        "baseline_year": indicator.baseline_year,
        "baseline": _dec(indicator.baseline),
        "target_year": indicator.target_year,
        "target": _dec(indicator.target),
        "official_rate": None if indicator.official_rate is None else indicator.official_rate.value,
        "yoy_threshold": canonical(indicator.yoy_threshold),
        "status": indicator.status.value,
        "note": indicator.note,
        "interim_targets": [[year, canonical(value)] for year, value in indicator.interim_targets]
        or None,
        "former_owners": [list(item) for item in indicator.former_owners] or None,
        "links": _links(indicator.links),
    }


def _links(references: Sequence[CrossReference]) -> list[list[str]] | None:
    return [[x.plan, x.code, x.title] for x in references] or None


def _links_from(stored: Any) -> tuple[CrossReference, ...]:
    return tuple(CrossReference(str(p), str(c), str(t)) for p, c, t in stored or ())


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany INSERT; none for no rows (an empty list would insert a row of defaults)."""
    if rows:
        conn.execute(insert(table), rows)


def _upsert(
    conn: Connection,
    table: Table,
    rows: Iterable[dict[str, Any]],
    generation: int | None = None,
) -> set[str]:
    """Insert or update rows by their one-column primary key (within `generation`, for a table
    keyed by generation and code); the keys of the rows updated.

    A key given twice ends with its last values, as one row. Rows already equal are left alone.
    """
    (key,) = [c for c in table.primary_key.columns if c.name != "generation"]
    scope = [] if generation is None else [table.c.generation == generation]
    extra = {} if generation is None else {"generation": generation}
    wanted = {row[key.name]: {**row, **extra} for row in rows}
    stored = {row[key.name]: row for row in conn.execute(select(table).where(*scope)).mappings()}
    changed = {
        code: {name: value for name, value in row.items() if name != key.name}
        for code, row in wanted.items()
        if code in stored and any(stored[code][name] != value for name, value in row.items())
    }
    _insert(conn, table, [row for code, row in wanted.items() if code not in stored])
    if changed:
        conn.execute(
            update(table).where(key == bindparam("_key"), *scope),
            [{"_key": code, **values} for code, values in changed.items()],
        )
    return set(changed)


def _hierarchy_rows(catalog: Catalog) -> dict[Table, list[dict[str, Any]]]:
    """Goal, policy, measure, direction and indicator rows, each in the catalog's order."""
    rows: dict[Table, list[dict[str, Any]]] = defaultdict(list)
    for g_pos, goal in enumerate(catalog.goals):
        rows[goal_table].append(
            {"code": goal.code, "name": goal.name, "subtitle": goal.subtitle, "position": g_pos}
        )
        for p_pos, policy in enumerate(goal.policies):
            rows[policy_table].append(
                {
                    "code": policy.code,
                    "goal_code": goal.code,
                    "name": policy.name,
                    "position": p_pos,
                }
            )
            for m_pos, measure in enumerate(policy.measures):
                rows[measure_table].append(
                    {
                        "code": measure.code,
                        "policy_code": policy.code,
                        "name": measure.name,
                        "vision": measure.vision,
                        "related_plans": list(measure.related_plans),
                        "links": _links(measure.links),
                        "position": m_pos,
                    }
                )
                rows[measure_direction_table] += [
                    {
                        "measure_code": measure.code,
                        "number": direction.number,
                        "name": direction.name,
                        "text": direction.text,
                        "tags": list(direction.tags),
                        "cross_references": [
                            {"plan": x.plan, "code": x.code, "title": x.title}
                            for x in direction.cross_references
                        ],
                    }
                    for direction in measure.directions
                ]
                rows[indicator_table] += [
                    {
                        **_indicator_columns(indicator),
                        "code": indicator.code,
                        "measure_code": measure.code,
                        "position": i_pos,
                    }
                    for i_pos, indicator in enumerate(measure.indicators)
                ]
    return rows


def replace_catalog(
    conn: Connection,
    generation: int,
    catalog: Catalog,
    catalog_hash: str,
    *,
    who: str,
    source: EntrySource,
    detail: str,
    version: CatalogVersion | None = None,
    content: str | None = None,
    origin: str = "edit",
) -> CatalogChange:
    """Make the database's catalog equal to `catalog`, in one transaction.

    Indicators that already hold actuals cannot be removed (their values would be orphaned);
    such a catalog is refused and nothing changes. Parents are written before their children
    and removed after them: SQLite checks each foreign key as the statement runs.

    Every new catalog becomes a version: `version` when the catalog was issued elsewhere (an
    import keeps the planning division's number, and a catalog older than the one in use, or
    another catalog under the same number, is refused), otherwise the next number (an edit
    here). `content` (the catalog as JSON) is kept with the version.
    Each generation has its own catalog; the departments are shared. A closed generation's
    catalog does not change (E_GENERATION_CLOSED).
    """
    change = CatalogChange()
    require_writable(conn, generation)
    current = current_catalog_version(conn, generation)
    if version is not None:
        check_newer(current, version)
    if meta_value(conn, catalog_hash_key(generation)) == catalog_hash:
        change.unchanged = True
        if version is not None and current is not None and version.sequence > current.sequence:
            # The same content under a newer number: take the number, change nothing else.
            _add_version(conn, generation, version, who, origin, content)
        return change
    if version is None:
        version = CatalogVersion(
            1 if current is None else current.sequence + 1, catalog_hash, now()
        )
    elif version.catalog_hash != catalog_hash:
        raise ValueError("the version's hash is not the catalog's")
    change.version = version
    new_codes = [i.code for _, _, _, i in catalog.indicators()]
    i_ = indicator_table.c
    old_codes = set(conn.scalars(select(i_.code).where(i_.generation == generation)))
    removed = sorted(old_codes - set(new_codes))
    a_ = actual_table.c
    with_values = sorted(
        set(
            conn.scalars(
                select(a_.indicator_code).where(
                    a_.generation == generation, a_.indicator_code.in_(removed)
                )
            )
        )
    )
    if with_values:
        raise DomainError(
            "E_CATALOG_REMOVES_VALUES",
            "実績が入力済みの指標をカタログから削除することはできません: " + ", ".join(with_values),
            "Indicators that hold actuals cannot be removed from the catalog: "
            + ", ".join(with_values),
        )
    s = catalog.plan.settings
    conn.execute(delete(plan_table).where(plan_table.c.generation == generation))
    conn.execute(
        insert(plan_table).values(
            generation=generation,
            code=catalog.plan.code,
            name=catalog.plan.name,
            start_year=s.start_year,
            end_year=s.end_year,
            baseline_year=s.baseline_year,
            grading=grading_to_dict(s),
        )
    )
    sync_period(conn, generation, catalog.plan.name, s.start_year, s.end_year, s.baseline_year)
    d_ = department_table.c
    listed = {d.code for d in catalog.departments}
    known_departments = set(conn.scalars(select(d_.code).where(d_.retired.is_(False))))
    change.departments_added = [
        d.code for d in catalog.departments if d.code not in known_departments
    ]
    # A department the catalog drops is retired, not deleted: its finalisations, merged
    # files, audit rows and indicators' former owners keep naming it. Retired, it is no
    # longer part of the catalog (read_catalog), so the stored catalog hashes as imported.
    change.departments_retired = sorted(known_departments - listed)
    if change.departments_retired:
        conn.execute(
            update(department_table)
            .where(d_.code.in_(change.departments_retired))
            .values(active=False, retired=True)
        )
    _upsert(
        conn,
        department_table,
        (
            {
                "code": d.code,
                "name": d.name,
                "active": d.active,
                "contact": d.contact,
                "former_names": [list(item) for item in d.former_names] or None,
                "merged_into": d.merged_into,
                "until_year": d.until_year,
                "position": n,
                "retired": False,
            }
            for n, d in enumerate(catalog.departments)
        ),
    )
    rows = _hierarchy_rows(catalog)
    for row in rows[measure_direction_table]:
        row["generation"] = generation
    conn.execute(
        delete(measure_direction_table).where(measure_direction_table.c.generation == generation)
    )
    for level in (goal_table, policy_table, measure_table):
        _upsert(conn, level, rows[level], generation)
    _insert(conn, measure_direction_table, rows[measure_direction_table])
    updated = _upsert(conn, indicator_table, rows[indicator_table], generation)
    change.added = [code for code in new_codes if code not in old_codes]
    change.changed = [code for code in new_codes if code in updated]
    change.removed = removed
    unlink_removed(conn, generation, removed)  # a link to a plan's indicator goes with it
    conn.execute(delete(indicator_table).where(i_.generation == generation, i_.code.in_(removed)))
    measures = {m.code for g in catalog.goals for p in g.policies for m in p.measures}
    policies = {p.code for g in catalog.goals for p in g.policies}
    goals = {g.code for g in catalog.goals}
    for level, keep in ((measure_table, measures), (policy_table, policies), (goal_table, goals)):
        conn.execute(
            delete(level).where(level.c.generation == generation, level.c.code.not_in(keep))
        )
    conn.execute(
        delete(reference_table_table).where(reference_table_table.c.generation == generation)
    )
    _insert(
        conn,
        reference_table_table,
        [
            {
                "generation": generation,
                "code": table.code,
                "title": table.title,
                "unit": table.unit,
                "source": table.source,
                "note": table.note,
                "columns": list(table.columns),
                "rows": [
                    {"label": label, "values": [_dec(v) for v in values]}
                    for label, values in table.rows
                ],
                "position": t_pos,
            }
            for t_pos, table in enumerate(catalog.reference_tables)
        ],
    )
    _upsert(conn, meta_table, [{"key": catalog_hash_key(generation), "value": catalog_hash}])
    _add_version(conn, generation, version, who, origin, content)
    record(
        conn,
        who=who,
        source=source,
        action="catalog",
        generation=generation,
        detail=f"{detail}; {change.summary()}; version={version.sequence}; sha256={catalog_hash}",
    )
    return change


def restamp_catalog(
    conn: Connection,
    generation: int,
    catalog_hash: str,
    *,
    who: str,
    source: EntrySource,
    content: str | None,
) -> CatalogVersion:
    """Record the catalog the database holds as the next version, when its recorded version
    names other content (an earlier program kept the departments an import dropped, so the
    stored catalog no longer hashed as imported). A catalog is never handed out without one."""
    require_writable(conn, generation)
    current = current_catalog_version(conn, generation)
    version = CatalogVersion(1 if current is None else current.sequence + 1, catalog_hash, now())
    _upsert(conn, meta_table, [{"key": catalog_hash_key(generation), "value": catalog_hash}])
    _add_version(conn, generation, version, who, "edit", content)
    record(
        conn,
        who=who,
        source=source,
        action="catalog",
        generation=generation,
        detail=f"version recorded for the catalog held; version={version.sequence}; "
        f"sha256={catalog_hash}",
    )
    return version


def _add_version(
    conn: Connection,
    generation: int,
    version: CatalogVersion,
    who: str,
    origin: str,
    content: str | None,
) -> None:
    conn.execute(
        insert(catalog_version_table).values(
            generation=generation,
            sequence=version.sequence,
            catalog_hash=version.catalog_hash,
            issued_at=version.issued_at,
            issued_by=who,
            origin=origin,
            recorded_at=now(),
            content=content,
        )
    )


def _opt_dec(text: str | None) -> Decimal | None:
    return None if text is None else _decimal(text)


# The indicator table's columns an Indicator is made of, in the order of its fields.
_INDICATOR_COLUMNS = tuple(
    indicator_table.c[name]
    for name in (
        "code",
        "kind",
        "name",
        "unit",
        "department_code",
        "description",
        "value_kind",
        "direction",
        "comparator",
        "cumulative",
        "decimals",
        "allow_negative",
        "baseline_year",
        "baseline",
        "target_year",
        "target",
        "official_rate",
        "yoy_threshold",
        "status",
        "note",
        "interim_targets",
        "former_owners",
        "links",
    )
)


# The same columns with the JSON ones read as their stored text: _indicator decodes a list only
# where there is one (most indicators hold none in all three), never 60,000 json.loads for a
# catalog of 20,000 (issue 20). PostgreSQL's driver may hand back the decoded value already.
_RAW_INDICATOR_COLUMNS = tuple(
    type_coerce(column, Text).label(column.name) if isinstance(column.type, JSON) else column
    for column in _INDICATOR_COLUMNS
)


def _decoded(stored: Any) -> Any:
    """A JSON column's value, decoded if it came as text ('null' and '[]' without a parse)."""
    if not isinstance(stored, str):
        return stored
    if stored in ("null", "[]", ""):
        return None
    return json.loads(stored)


def indicator_from_row(row: RowMapping) -> Indicator:
    return _indicator(tuple(row[column.name] for column in _INDICATOR_COLUMNS))


def _indicator(values: Sequence[Any]) -> Indicator:
    """An Indicator from the values of _INDICATOR_COLUMNS: the catalog reads thousands."""
    (
        code,
        kind,
        name,
        unit,
        department,
        description,
        value_kind,
        direction,
        comparator,
        cumulative,
        decimals,
        allow_negative,
        baseline_year,
        baseline,
        target_year,
        target,
        official_rate,
        yoy_threshold,
        status,
        note,
        interim,
        former,
        links,
    ) = values
    interim, former, links = _decoded(interim), _decoded(former), _decoded(links)
    # In the order of Indicator's fields, built without its __init__ (domain.records).
    return _new_indicator(
        (
            *(code, _KINDS[kind], name, unit, department, description, _VALUE_KINDS[value_kind]),
            *(_DIRECTIONS[direction], _COMPARATORS[comparator], bool(cumulative), decimals),
            *(bool(allow_negative), baseline_year, _opt_dec(baseline), target_year),
            *(_opt_dec(target), _RATES[official_rate], _decimal(yoy_threshold), _STATUSES[status]),
            note,
            () if not interim else tuple((int(y), Decimal(v)) for y, v in interim),
            () if not former else tuple((int(y), str(d)) for y, d in former),
            () if not links else _links_from(links),
        )
    )


# Enum members by stored value: a dict lookup is several times faster than Enum(value), and a
# merge turns thousands of rows into indicators. A value not in the enum is a KeyError, as
# Enum(value) would raise ValueError: the database holds only what replace_catalog wrote.
# The optional ones map None (not set) to None. Stored decimals repeat (thresholds, targets).
_KINDS = {m.value: m for m in IndicatorKind}
_VALUE_KINDS: dict[str | None, ValueKind | None] = {None: None, **{m.value: m for m in ValueKind}}
_DIRECTIONS: dict[str | None, Direction | None] = {None: None, **{m.value: m for m in Direction}}
_COMPARATORS: dict[str | None, Comparator | None] = {None: None, **{m.value: m for m in Comparator}}
_RATES: dict[str | None, RateBasis | None] = {None: None, **{m.value: m for m in RateBasis}}
_STATUSES = {m.value: m for m in IndicatorStatus}
_new_indicator = builder(Indicator)
_decimal = lru_cache(maxsize=1024, typed=True)(Decimal)


def plan_settings_from_row(row: Mapping[Any, Any]) -> PlanSettings:
    g = row["grading"]
    return PlanSettings(
        start_year=row["start_year"],
        end_year=row["end_year"],
        baseline_year=row["baseline_year"],
        grade_a=Decimal(g["a"]),
        grade_b=Decimal(g["b"]),
        grade_c=Decimal(g["c"]),
        grade_labels=GradeLabels(g["labels"]),
        warn_grades=frozenset(g["warn_grades"]),
        on_track=Decimal(g["on_track"]),
        slightly_behind=Decimal(g["slightly_behind"]),
    )


class StoredIndicators:
    """The catalog's indicators of one generation, read when asked in the caller's snapshot:
    a merge reads each file's own, not the whole catalog (37 MiB at 24,000; issue 20)."""

    _CHUNK = 500  # codes bound per query

    def __init__(self, generation: int) -> None:
        self.generation = generation

    def select(
        self, conn: Connection, codes: Iterable[str], *, department: str | None = None
    ) -> dict[str, Indicator]:
        """The Indicators of those `codes` that are in the catalog, in the order of `codes`;
        with `department`, its own in one query and only the other codes by code."""
        wanted = list(dict.fromkeys(codes))
        remaining = set(wanted)
        i = indicator_table.c
        query = select(*_RAW_INDICATOR_COLUMNS).where(i.generation == self.generation)
        rows: dict[str, Sequence[Any]] = {}
        if department is not None:
            for row in conn.execute(query.where(i.department_code == department)).all():
                if row[0] in remaining:
                    rows[row[0]] = row
            remaining.difference_update(rows)
        rest = sorted(remaining)
        for start in range(0, len(rest), self._CHUNK):
            chunk = rest[start : start + self._CHUNK]
            for row in conn.execute(query.where(i.code.in_(chunk))).all():
                rows[row[0]] = row
        return {code: _indicator(rows[code]) for code in wanted if code in rows}


@dataclass(frozen=True)
class CatalogSnapshot:
    """What checking incoming values needs of the catalog, read at one moment."""

    settings: PlanSettings
    departments: frozenset[str]
    indicators: StoredIndicators
    catalog_hash: str | None


def read_catalog_snapshot(conn: Connection, generation: int) -> CatalogSnapshot | None:
    """The generation catalog's settings, department codes and hash, and the reader of its
    indicators (read when asked, in the caller's snapshot); None before one was loaded."""
    # The hash first: if the catalog is replaced while the rest is read, the hash is the
    # older one, and write_actuals, seeing another version, reads indicators itself.
    catalog_hash = meta_value(conn, catalog_hash_key(generation))
    plan_row = _plan_row(conn, generation)
    if plan_row is None:
        return None
    d_ = department_table.c
    departments = frozenset(conn.scalars(select(d_.code).where(d_.retired.is_(False))))
    return CatalogSnapshot(
        plan_settings_from_row(plan_row), departments, StoredIndicators(generation), catalog_hash
    )


def _plan_row(conn: Connection, generation: int) -> RowMapping | None:
    query = select(plan_table).where(plan_table.c.generation == generation)
    return conn.execute(query).mappings().first()


def read_catalog(
    conn: Connection,
    generation: int,
    *,
    department: str | None = None,
    measures: Sequence[str] | None = None,
) -> Catalog | None:
    """The catalog a generation holds, or None before one was loaded.

    With `department`: only the indicators it owns or owned (former owners), and the
    measures, policies and goals above them — a 課 of 200 indicators in a catalog of 20,000
    reads its own rows (issue 20). With `measures`: only those measures' indicators and the
    branches above them (the window's first rows, overview.first_rows). Everything else
    (plan, departments, tables) is whole.
    """
    plan_row = _plan_row(conn, generation)
    if plan_row is None:
        return None
    plan = Plan(plan_row["code"], plan_row["name"], plan_settings_from_row(plan_row))
    departments = tuple(
        Department(
            d["code"],
            d["name"],
            d["active"],
            d["contact"],
            tuple((int(y), str(n)) for y, n in d["former_names"] or ()),
            d["merged_into"],
            d["until_year"],
        )
        for d in conn.execute(
            select(department_table)
            .where(department_table.c.retired.is_(False))
            .order_by(department_table.c.position)
        ).mappings()
    )
    indicators: dict[str, list[Indicator]] = {}
    # Sorted here rather than by the database: its sort of 20,000 whole rows cost more.
    i = indicator_table.c
    query = select(i.position, i.measure_code, *_RAW_INDICATOR_COLUMNS).where(
        i.generation == generation
    )
    if department is not None:
        moved = cast(i.former_owners, Text)  # PostgreSQL compares json with text only cast
        query = query.where(
            (i.department_code == department)
            | (i.former_owners.is_not(None) & moved.not_in(["null", "[]"]))
        )
    if measures is not None:
        query = query.where(i.measure_code.in_(list(measures)))
    for row in sorted(conn.execute(query).all(), key=itemgetter(0)):  # one fetchall
        indicator = _indicator(row[2:])
        if department is None or department in (
            indicator.department,
            *(owner for _, owner in indicator.former_owners),
        ):
            indicators.setdefault(row[1], []).append(indicator)
    measure_query = (
        select(measure_table)
        .where(measure_table.c.generation == generation)
        .order_by(measure_table.c.position)
    )
    direction_query = (
        select(measure_direction_table)
        .where(measure_direction_table.c.generation == generation)
        .order_by(measure_direction_table.c.number)
    )
    policy_query = (
        select(policy_table)
        .where(policy_table.c.generation == generation)
        .order_by(policy_table.c.position)
    )
    goal_query = (
        select(goal_table)
        .where(goal_table.c.generation == generation)
        .order_by(goal_table.c.position)
    )
    narrowed = department is not None or measures is not None
    if narrowed:
        # Only the branches above its indicators: read in three small steps up the tree.
        measure_query = measure_query.where(measure_table.c.code.in_(list(indicators)))
        direction_query = direction_query.where(
            measure_direction_table.c.measure_code.in_(list(indicators))
        )
    measure_rows = conn.execute(measure_query).mappings().all()
    if narrowed:
        policy_query = policy_query.where(
            policy_table.c.code.in_(sorted({m["policy_code"] for m in measure_rows}))
        )
    policy_rows = conn.execute(policy_query).mappings().all()
    if narrowed:
        goal_query = goal_query.where(
            goal_table.c.code.in_(sorted({p["goal_code"] for p in policy_rows}))
        )
    directions: dict[str, list[MeasureDirection]] = {}
    for d in conn.execute(direction_query).mappings():
        directions.setdefault(d["measure_code"], []).append(
            MeasureDirection(
                number=d["number"],
                name=d["name"],
                text=d["text"],
                tags=tuple(d["tags"]),
                cross_references=tuple(
                    CrossReference(x["plan"], x["code"], x["title"]) for x in d["cross_references"]
                ),
            )
        )
    under: dict[str, list[Measure]] = {}
    for m in measure_rows:
        under.setdefault(m["policy_code"], []).append(
            Measure(
                code=m["code"],
                name=m["name"],
                vision=m["vision"],
                directions=tuple(directions.get(m["code"], [])),
                related_plans=tuple(m["related_plans"]),
                indicators=tuple(indicators.get(m["code"], [])),
                links=_links_from(m["links"]),
            )
        )
    policies: dict[str, list[Policy]] = {}
    for p in policy_rows:
        policies.setdefault(p["goal_code"], []).append(
            Policy(p["code"], p["name"], tuple(under.get(p["code"], [])))
        )
    goals = tuple(
        Goal(g["code"], g["name"], g["subtitle"], tuple(policies.get(g["code"], [])))
        for g in conn.execute(goal_query).mappings()
    )
    tables = tuple(
        ReferenceTable(
            code=t["code"],
            title=t["title"],
            unit=t["unit"],
            columns=tuple(t["columns"]),
            rows=tuple((r["label"], tuple(_opt_dec(v) for v in r["values"])) for r in t["rows"]),
            source=t["source"],
            note=t["note"],
        )
        for t in conn.execute(
            select(reference_table_table)
            .where(reference_table_table.c.generation == generation)
            .order_by(reference_table_table.c.position)
        ).mappings()
    )
    return Catalog(plan, departments, goals, tables)


def indicator_count(conn: Connection, generation: int) -> int:
    query = select(func.count()).select_from(indicator_table)
    return conn.scalar(query.where(indicator_table.c.generation == generation)) or 0
