"""Workbook-exchange figures, each measured side by side with a plain reference in the same run.

60 departments × 400 indicators: 60 submission workbooks of 400 value rows each. Figures (the
goals come from the workbook-exchange issue; ratios of medians over alternating runs A B A B):
(a) reading and checking the 60 files (the merge's preview) ÷ a bare openpyxl read-only loop
    over the same sheets;
(b) writing the merged rows (the merge's apply) ÷ sqlite3 executemany of the same actual and
    audit rows into the same schema, in one transaction;
(d) the whole merge plus the consolidated report (write_consolidated) ÷ a lean pipeline:
    openpyxl read-only of the 60 files → SQLAlchemy Core executemany of their rows →
    openpyxl write-only of the same workbook the program writes. "The same workbook" is the
    program's report read back (bench_report.read_back, from the first run): every sheet —
    概要, 指標一覧 (24,025 indicators × 5 years), the 65 policy sheets, 計画横断, 提出状況,
    検証結果, 取込結果 (the 50 latest merge reports, 20,000 lines), 参考データ — with every
    cell's value and style, the column widths, panes and filters, and the 2,479 charts (a bar
    chart and up to 40 line charts per policy sheet), built with openpyxl's chart classes;
    only the print set-up is left out. The reference computes nothing: no grades, no database
    queries for the report, no checks — what the program does on top of writing is its cost.
    The table also splits (d) into its merge and report halves, timed inside the same runs.
python-calamine's read of the same files is shown as the floor outside openpyxl.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_report import count_cells, read_back, write_reference

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


def lean_pipeline(files: list[Path], db: Path, out: Path, report: dict[str, Any]) -> float:
    """openpyxl read-only → SQLAlchemy Core executemany → openpyxl write-only of the report's
    cells and charts (`report`, from bench_report.read_back). Returns the seconds of the last
    step, the writing."""
    import openpyxl
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
    return timed(lambda: write_reference(report, out))


# -- the program -----------------------------------------------------------------------------


def program_plans(store: object, files: list[Path]) -> list[object]:
    """What the window's 取り込み preview does: plan every file, keeping every plan."""
    from kplan_desktop.exchange.merge import merge_context, plan_merge, planning_batch

    context = merge_context(store)  # type: ignore[arg-type]
    with planning_batch():
        return [plan_merge(store, path, context=context) for path in files]  # type: ignore[arg-type]


def program_apply(store: object, plans: list[object]) -> None:
    from kplan_desktop.exchange.merge import apply_merge

    for plan in plans:
        apply_merge(store, plan, who="bench")  # type: ignore[arg-type]


def one_round(
    folder: Path, catalog: object, files: list[Path], run: int, report: dict[str, Any]
) -> dict[str, float]:
    """One run of every measurement, references alternating with the program. The first run
    fills `report` with the program's report read back, for the lean pipeline to write."""
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
    whole = fresh_database(folder / f"whole-{run}.sqlite3", catalog)
    out = folder / "report.xlsx"

    def everything() -> None:
        start = time.perf_counter()
        program_apply(whole, program_plans(whole, files))
        took["whole-merge"] = time.perf_counter() - start
        write_consolidated(whole, out, YEAR, who="bench")  # type: ignore[arg-type]

    took["whole"] = timed(everything)
    whole.dispose()  # type: ignore[attr-defined]
    if not report:
        report.update(read_back(out))
        # The read-back cells are alive for the rest of the bench: out of the collector's way,
        # so that neither side pays for scanning them.
        gc.collect()
        gc.freeze()
    start = time.perf_counter()
    took["lean-write"] = lean_pipeline(files, folder / "lean.sqlite3", folder / "lean.xlsx", report)
    took["lean"] = time.perf_counter() - start
    return took


def main() -> int:
    runs: list[dict[str, float]] = []
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        catalog = big_catalog()
        files = make_submissions(folder, catalog)
        bare_read(files)  # warm the file cache for both
        for run in range(RUNS):
            runs.append(one_round(folder, catalog, files, run, report))
    med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    med["whole-report"] = statistics.median(r["whole"] - r["whole-merge"] for r in runs)
    med["lean-read"] = statistics.median(r["lean"] - r["lean-write"] for r in runs)
    cells, charts = count_cells(report)
    sheets = len(report["sheets"])

    def ratio(key: str, reference: str, goal: float | None) -> tuple[str, str, bool]:
        value = med[key] / med[reference]
        if goal is None:
            return f"{value:.2f}×", "—", True
        return f"{value:.2f}×", f"≤ {goal:g}×", value <= goal

    def ms(key: str) -> tuple[str, str, bool]:
        return f"{med[key] * 1000:,.0f} ms", "—", True

    figures = [
        (f"reference: bare openpyxl read-only loop over the {DEPARTMENTS} files", *ms("bare")),
        (
            "python-calamine read of the same sheets ÷ bare openpyxl (the floor)",
            *ratio("cal", "bare", None),
        ),
        (f"(a) read and check {DEPARTMENTS} submissions ÷ bare", *ratio("plan", "bare", 1.3)),
        (
            "reference: sqlite3 executemany of the merge's actual and audit rows, one transaction",
            *ms("sql"),
        ),
        ("(b) write the merged rows ÷ sqlite3 executemany", *ratio("apply", "sql", 3)),
        (
            "reference: lean pipeline — openpyxl read-only of the files, Core executemany of "
            f"their rows, write-only of the report's {cells:,} cells ({len(report['styles'])} "
            f"styles) on {sheets} sheets and its {charts:,} charts",
            *ms("lean"),
        ),
        ("(d) whole merge and report ÷ lean pipeline", *ratio("whole", "lean", 1.3)),
        (
            "… of which the merge ÷ the pipeline's read and insert",
            *ratio("whole-merge", "lean-read", None),
        ),
        (
            "… of which write_consolidated ÷ the pipeline's write-only",
            *ratio("whole-report", "lean-write", None),
        ),
    ]
    title = f"workbook exchange ({DEPARTMENTS} files × {ROWS} rows, medians of {RUNS} runs)"
    print(f"| {title} | measured | goal | met |")
    print("|---|---|---|---|")
    for name, value, goal, met in figures:
        print(f"| {name} | {value} | {goal} | {'yes' if met else 'NO'} |")
    return 0 if all(met for *_, met in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
