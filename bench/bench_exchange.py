"""Workbook-exchange figures, each measured side by side with a plain reference in the same run.

60 departments × 400 indicators: 60 submission workbooks of 400 value rows each. Figures (the
goals come from the workbook-exchange issue; ratios of medians over alternating runs A B A B):
(a) reading and checking the 60 files (the merge's preview) ÷ a bare openpyxl read-only loop;
(b) writing the merged rows (the merge's apply) ÷ sqlite3 executemany of the same rows;
(d) the whole merge plus the consolidated report ÷ a lean pipeline (openpyxl read-only →
    SQLAlchemy Core insert → openpyxl write-only of the same cells).
python-calamine's read of the same files is shown as the floor outside openpyxl.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

DEPARTMENTS = int(os.environ.get("BENCH_DEPARTMENTS", "60"))
ROWS = int(os.environ.get("BENCH_ROWS_PER_FILE", "400"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
YEAR = 2024


def big_catalog() -> object:
    """The seed's plan with DEPARTMENTS departments owning ROWS indicators each."""
    from kplan_desktop.exchange.catalog_json import catalog_from_dict, dumps, load
    from kplan_desktop.store.paths import seed_catalog_path

    data = json.loads(dumps(load(seed_catalog_path())))
    template = next(
        i
        for g in data["goals"]
        for p in g["policies"]
        for m in p["measures"]
        for i in m["indicators"]
        if i["code"] == "7-1-1-K2"
    )
    data["departments"] += [
        {"code": f"d{n:02}", "name": f"生成課{n:02}", "active": True} for n in range(DEPARTMENTS)
    ]
    goal = {"code": "9", "name": "生成目標", "subtitle": None, "policies": []}
    for n in range(DEPARTMENTS):
        measures = []
        for m in range(10):
            indicators = [
                {
                    **template,
                    "code": f"9-{n + 1}-{m + 1}-K{k + 1}",
                    "name": f"生成指標{n}-{m}-{k}",
                    "department": f"d{n:02}",
                }
                for k in range(ROWS // 10)
            ]
            measures.append(
                {
                    "code": f"9-{n + 1}-{m + 1}",
                    "name": f"生成施策{n}-{m}",
                    "vision": None,
                    "related_plans": [],
                    "directions": [],
                    "indicators": indicators,
                }
            )
        policy = {"code": f"9-{n + 1}", "name": f"生成政策{n}", "measures": measures}
        goal["policies"].append(policy)
    data["goals"].append(goal)
    return catalog_from_dict(data)


def fresh_database(path: Path, catalog: object) -> object:
    from kplan_desktop.exchange.catalog_json import catalog_hash
    from kplan_desktop.store.catalog import replace_catalog
    from kplan_desktop.store.engine import Store

    store = Store.open(str(path))
    replace_catalog(store, catalog, catalog_hash(catalog), who="bench", source="test", detail="")  # type: ignore[arg-type]
    return store


def make_submissions(folder: Path, catalog: object) -> list[Path]:
    from kplan_desktop.exchange.export import export_submission
    from kplan_desktop.store.actuals import EntryRequest, write_actuals

    store = fresh_database(folder / "departments.sqlite3", catalog)
    requests = [
        EntryRequest(f"9-{n + 1}-{m + 1}-K{k + 1}", YEAR, str(50 + (n + m + k) % 9), "生成")
        for n in range(DEPARTMENTS)
        for m in range(10)
        for k in range(ROWS // 10)
    ]
    write_actuals(store, requests, who="bench", source="test")  # type: ignore[arg-type]
    files = []
    for n in range(DEPARTMENTS):
        path = folder / f"submission-{n:02}.xlsx"
        export_submission(store, f"d{n:02}", YEAR, path, draft=True)  # type: ignore[arg-type]
        files.append(path)
    store.dispose()  # type: ignore[attr-defined]
    return files


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# -- references ------------------------------------------------------------------------------


def bare_read(files: list[Path]) -> list[list[tuple[object, ...]]]:
    """A bare openpyxl read-only loop over the same sheets the merge reads (data and meta)."""
    import openpyxl

    out = []
    for path in files:
        book = openpyxl.load_workbook(path, read_only=True)
        rows = list(book["data"].iter_rows(values_only=True))
        rows += list(book["meta"].iter_rows(values_only=True))
        out.append(rows)
        book.close()
    return out


def calamine_read(files: list[Path]) -> None:
    from python_calamine import CalamineWorkbook

    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_name("data").to_python()
        book.get_sheet_by_name("meta").to_python()


def written_rows(path: Path) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """The actual and audit rows a merge wrote, as sqlite3 returns them."""
    with sqlite3.connect(path) as conn:
        out = {}
        for table in ("actual", "audit"):
            cursor = conn.execute(f"SELECT * FROM {table} WHERE source = 'merge'")
            columns = [d[0] for d in cursor.description]
            out[table] = (columns, cursor.fetchall())
        return out


def sqlite_insert(path: Path, rows: dict[str, tuple[list[str], list[tuple[object, ...]]]]) -> None:
    """The same rows into the same schema: plain sqlite3, executemany, one transaction."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    with conn:
        for table, (columns, values) in rows.items():
            marks = ", ".join("?" for _ in columns)
            names = ", ".join(columns)
            conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
    conn.close()


_LEAN_COLUMNS = ("indicator_code", "fiscal_year", "value", "missing_reason", "comment")


def lean_pipeline(files: list[Path], db: Path, out: Path, report_rows: int) -> None:
    """openpyxl read-only → SQLAlchemy Core executemany → openpyxl write-only, same cells."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, insert

    engine = create_engine(f"sqlite:///{db}")
    meta = MetaData()
    table = Table(
        "actual",
        meta,
        Column("id", Integer, primary_key=True),
        *(Column(name, Text) for name in _LEAN_COLUMNS),
    )
    meta.drop_all(engine)
    meta.create_all(engine)
    values = []
    for path in files:
        book = openpyxl.load_workbook(path, read_only=True)
        for row in book["data"].iter_rows(min_row=2, values_only=True):
            values.append(dict(zip(_LEAN_COLUMNS, row[:5], strict=True)))
        book.close()
    with engine.begin() as conn:
        conn.execute(insert(table), values)
    engine.dispose()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("指標一覧")
    fill = PatternFill("solid", fgColor="C6EFCE")
    bold = Font(bold=True)
    sheet.append([WriteOnlyCell(sheet, value=f"列{c}") for c in range(12)])
    for n in range(report_rows):
        item = values[n % len(values)]
        cells = [WriteOnlyCell(sheet, value=item["indicator_code"])]
        for c in range(1, 11):
            cells.append(WriteOnlyCell(sheet, value=f"{item['comment']}{c}"))
        grade = WriteOnlyCell(sheet, value=55)
        grade.fill, grade.font, grade.number_format = fill, bold, '#,##0"回"'
        cells.append(grade)
        sheet.append(cells)
    book.save(out)


# -- the program -----------------------------------------------------------------------------


def program_plans(store: object, files: list[Path]) -> list[object]:
    from kplan_desktop.exchange.merge import merge_context, plan_merge

    context = merge_context(store)  # type: ignore[arg-type]
    return [plan_merge(store, path, context=context) for path in files]  # type: ignore[arg-type]


def program_apply(store: object, plans: list[object]) -> None:
    from kplan_desktop.exchange.merge import apply_merge

    for plan in plans:
        apply_merge(store, plan, who="bench")  # type: ignore[arg-type]


def one_round(folder: Path, catalog: object, files: list[Path], run: int) -> dict[str, float]:
    """One run of every measurement, references alternating with the program."""
    from kplan_desktop.exchange.report import write_consolidated

    took: dict[str, float] = {}
    took["bare"] = timed(lambda: bare_read(files))
    took["cal"] = timed(lambda: calamine_read(files))
    target = fresh_database(folder / f"planning-{run}.sqlite3", catalog)
    reference = fresh_database(folder / f"reference-{run}.sqlite3", catalog)
    reference.dispose()  # type: ignore[attr-defined]
    plans: list[object] = []
    took["plan"] = timed(lambda: plans.extend(program_plans(target, files)))
    took["apply"] = timed(lambda: program_apply(target, plans))
    target.dispose()  # type: ignore[attr-defined]
    rows = written_rows(folder / f"planning-{run}.sqlite3")
    took["sql"] = timed(lambda: sqlite_insert(folder / f"reference-{run}.sqlite3", rows))
    report_rows = sum(1 for _ in catalog.indicators()) * len(  # type: ignore[attr-defined]
        catalog.plan.settings.years  # type: ignore[attr-defined]
    )
    lean_db, lean_out = folder / "lean.sqlite3", folder / "lean.xlsx"
    took["lean"] = timed(lambda: lean_pipeline(files, lean_db, lean_out, report_rows))
    whole = fresh_database(folder / f"whole-{run}.sqlite3", catalog)

    def everything() -> None:
        program_apply(whole, program_plans(whole, files))
        write_consolidated(whole, folder / "report.xlsx", YEAR, who="bench")  # type: ignore[arg-type]

    took["whole"] = timed(everything)
    whole.dispose()  # type: ignore[attr-defined]
    return took


def main() -> int:
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        catalog = big_catalog()
        files = make_submissions(folder, catalog)
        bare_read(files)  # warm the file cache for both
        for run in range(RUNS):
            runs.append(one_round(folder, catalog, files, run))
    med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}

    def ratio(key: str, reference: str, goal: float | None) -> tuple[str, str, bool]:
        value = med[key] / med[reference]
        return (
            f"{value:.2f}×",
            "floor" if goal is None else f"≤ {goal:g}×",
            (goal is None or value <= goal),
        )

    def ms(key: str) -> tuple[str, str, bool]:
        return f"{med[key] * 1000:.0f} ms", "—", True

    figures = [
        (f"bare openpyxl read of the {DEPARTMENTS} files (reference)", *ms("bare")),
        ("python-calamine read of the same files ÷ bare openpyxl", *ratio("cal", "bare", None)),
        (f"(a) read and check {DEPARTMENTS} submissions ÷ bare", *ratio("plan", "bare", 1.3)),
        ("sqlite3 executemany of the same actual and audit rows (reference)", *ms("sql")),
        ("(b) write the merged rows ÷ sqlite3 executemany", *ratio("apply", "sql", 3)),
        ("lean pipeline: read, Core insert, write-only (reference)", *ms("lean")),
        ("(d) whole merge and report ÷ lean pipeline", *ratio("whole", "lean", 1.3)),
    ]
    print(f"| workbook exchange ({DEPARTMENTS} files × {ROWS} rows) | measured | goal | met |")
    print("|---|---|---|---|")
    for name, value, goal, met in figures:
        print(f"| {name} | {value} | {goal} | {'yes' if met else 'NO'} |")
    return 0 if all(met for *_, met in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
