"""Generated catalogs with a realistic tree, their databases and submission workbooks.

A catalog of N indicators: the seed's plan (goal 7, 25 indicators, 10 departments) plus ten
goals × six policies × five measures (300 measures), the N indicators dealt over the measures in
turn (indicator k into measure k mod 300), and over departments of `per_department` indicators
each in runs of three (indicators 3d…3d+2, then 3d+3D…, of department d of D): a department
owns indicators in several measures of several policies, and a measure has indicators of
several departments — as a city's plan does, and unlike one measure holding everything.

Everything is built once per bench run and kept in the cache folder (common.cache_dir()):
    catalog_db(N, P)       the catalog only (what a merge starts from);
    filled_db(N, P)        the catalog and a value of every generated indicator for YEAR;
    submissions(N, P)      one draft submission workbook per department, from filled_db;
Copy a database with `copy_db` before writing to it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from common import cache_dir

from kplan_desktop.store.requests import EntrySource

GOALS, POLICIES, MEASURES = 10, 6, 5
YEAR = 2024  # the year of the generated values and submissions
ENTRY_YEAR = 2025  # the year the window benchmarks enter

# Rows of some tables: {table: (column names, rows)}.
Rows = dict[str, tuple[list[str], list[tuple[object, ...]]]]


def department_code(n: int) -> str:
    return f"d{n:03}"


def catalog_data(indicators: int, per_department: int) -> dict[str, Any]:
    """The catalog as catalog_json's dictionary."""
    from kplan_desktop.exchange.catalog_json import dumps, load
    from kplan_desktop.store.paths import seed_catalog_path

    data: dict[str, Any] = json.loads(dumps(load(seed_catalog_path())))
    template = next(
        i
        for g in data["goals"]
        for p in g["policies"]
        for m in p["measures"]
        for i in m["indicators"]
        if i["code"] == "7-1-1-K2"  # baseline 51回, target 69回: values near them pass
    )
    departments = -(-indicators // per_department)
    data["departments"] += [
        {"code": department_code(n), "name": f"生成課{n:03}", "active": True}
        for n in range(departments)
    ]
    measures: list[dict[str, Any]] = []
    for g in range(GOALS):
        goal_code = str(11 + g)
        policies = []
        for p in range(POLICIES):
            policy_code = f"{goal_code}-{p + 1}"
            policy_measures = []
            for m in range(MEASURES):
                measure: dict[str, Any] = {
                    "code": f"{policy_code}-{m + 1}",
                    "name": f"生成施策{policy_code}-{m + 1}",
                    "vision": None,
                    "related_plans": [],
                    "directions": [],
                    "indicators": [],
                }
                policy_measures.append(measure)
                measures.append(measure)
            policies.append(
                {"code": policy_code, "name": f"生成政策{policy_code}", "measures": policy_measures}
            )
        data["goals"].append(
            {
                "code": goal_code,
                "name": f"生成目標{goal_code}",
                "subtitle": None,
                "policies": policies,
            }
        )
    for k in range(indicators):
        measure = measures[k % len(measures)]
        code = f"{measure['code']}-K{len(measure['indicators']) + 1}"
        department = department_code((k // 3) % departments)
        measure["indicators"].append(
            {**template, "code": code, "name": f"生成指標{k}", "department": department}
        )
    return data


def _built(name: str, build: Any) -> Path:
    """The cached file `name`, built by build(path) the first time (into a temporary name)."""
    path = cache_dir() / name
    if not path.exists():
        partial = path.with_name(f"partial-{name}")
        if partial.is_dir():
            shutil.rmtree(partial)
        partial.unlink(missing_ok=True)
        build(partial)
        partial.rename(path)
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a closed SQLite database (its WAL was checkpointed when its store closed)."""
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def catalog_db(indicators: int, per_department: int) -> Path:
    return _built(
        f"catalog-{indicators}-{per_department}.sqlite3",
        lambda path: _new_database(path, indicators, per_department),
    )


def _new_database(path: Path, indicators: int, per_department: int) -> None:
    """A database of its own (its own database id) holding the catalog."""
    from kplan_desktop.exchange.catalog_json import catalog_from_dict, catalog_hash
    from kplan_desktop.store.catalog import replace_catalog
    from kplan_desktop.store.engine import Store

    catalog = catalog_from_dict(catalog_data(indicators, per_department))
    store = Store.open(str(path))
    with store.transaction() as conn:
        replace_catalog(
            conn, 1, catalog, catalog_hash(catalog), who="bench", source=EntrySource.TEST, detail=""
        )
    store.dispose()


def generated_codes(indicators: int, per_department: int) -> list[tuple[str, str]]:
    """(indicator code, department code) of every generated indicator, in catalog order."""
    data = catalog_data(indicators, per_department)
    return [
        (i["code"], i["department"])
        for g in data["goals"]
        if g["code"] != "7"
        for p in g["policies"]
        for m in p["measures"]
        for i in m["indicators"]
    ]


def filled_db(indicators: int, per_department: int) -> Path:
    def build(path: Path) -> None:
        from kplan_desktop.store.actuals import EntryRequest, write_actuals
        from kplan_desktop.store.engine import Store

        # Not a copy of catalog_db: the departments' database is another database (another
        # id) than the planning division's, which merges what it exported.
        _new_database(path, indicators, per_department)
        store = Store.open(str(path))
        codes = generated_codes(indicators, per_department)
        for start in range(0, len(codes), 5000):
            requests = [
                EntryRequest(code, YEAR, str(50 + (start + n) % 9), "生成")
                for n, (code, _) in enumerate(codes[start : start + 5000])
            ]
            with store.transaction() as conn:
                write_actuals(conn, 1, requests, who="bench", source=EntrySource.TEST)
        store.dispose()

    return _built(f"filled-{indicators}-{per_department}.sqlite3", build)


def submissions(indicators: int, per_department: int) -> list[Path]:
    """One draft submission per department, in the order of the departments."""
    departments = -(-indicators // per_department)

    def build(folder: Path) -> None:
        from kplan_desktop.exchange.export import export_submission
        from kplan_desktop.store.engine import Store

        folder.mkdir()
        database = copy_db(filled_db(indicators, per_department), folder / "export.sqlite3")
        store = Store.open(str(database))
        for n in range(departments):
            path = folder / f"submission-{n:03}.xlsx"
            export_submission(store, department_code(n), YEAR, path, draft=True)
        store.dispose()
        database.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)

    folder = _built(f"submissions-{indicators}-{per_department}", build)
    return [folder / f"submission-{n:03}.xlsx" for n in range(departments)]


def connect_like_store(path: Path) -> sqlite3.Connection:
    """sqlite3 with the store's settings: foreign keys, WAL, synchronous=FULL."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def insert_rows(conn: sqlite3.Connection, rows: Rows) -> None:
    """One file's rows in one transaction, executemany per table."""
    with conn:
        for table, (columns, values) in rows.items():
            marks = ", ".join("?" for _ in columns)
            names = ", ".join(f'"{c}"' for c in columns)
            conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)


def tables(conn: sqlite3.Connection) -> list[str]:
    found = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name != 'alembic_version' ORDER BY rowid"
    )
    return [name for (name,) in found]


def last_rowids(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {
            t: conn.execute(f'SELECT coalesce(max(rowid), 0) FROM "{t}"').fetchone()[0]
            for t in tables(conn)
        }


def rows_since(path: Path, since: dict[str, int]) -> Rows:
    out: Rows = {}
    with sqlite3.connect(path) as conn:
        for table in tables(conn):
            cursor = conn.execute(f'SELECT * FROM "{table}" WHERE rowid > ?', (since[table],))
            rows = cursor.fetchall()
            if rows:
                out[table] = ([d[0] for d in cursor.description], rows)
    return out
