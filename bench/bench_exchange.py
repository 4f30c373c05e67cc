"""Workbook-exchange figures, each measured side by side with a reference doing the same work.

The workload (workload.py): N departments × 400 indicators in the realistic tree (ten goals ×
six policies × five measures; a department's indicators in many measures), one draft submission
of 400 value rows per department. Ratios of medians over alternating runs (A B A B …):

(a) reading and checking the 60 files (the merge's preview, plan_merge) ÷ a bare openpyxl
    read-only loop over the same sheets (data, meta and the printable 提出 sheet the merge
    compares with the data; every cell);
(b) writing the merged rows (apply_merge) ÷ sqlite3 inserting the same rows — the values, their
    audit rows, the submission record and the merge report, exactly the rows the merge added,
    read back from a first merge — into the same schema, one transaction per file as the merge;
(d) the merge alone, 6 and 60 files (300 with --large), each side in a process of its own so
    that its peak memory (VmHWM) is its own: merge_files ÷ a script that, per file, reads the
    same sheets with openpyxl read-only (data, meta, 提出), reads the department's catalog
    rows and stored values with sqlite3 and inserts the same rows as (b), one transaction per
    file;
(e) the whole job, merge plus consolidated report (write_consolidated) ÷ a lean pipeline:
    openpyxl read-only of the 60 files → SQLAlchemy Core executemany of their rows → openpyxl
    write-only of the same workbook the program writes (bench_report.read_back: every sheet's
    cells and styles, widths, panes, filters and charts; only the print set-up left out). The
    reference computes nothing: no grades, no queries for the report, no checks. Split into its
    merge and report halves, timed inside the same runs. (This was (d) before issue 20.)
The consolidated report at 60 departments (300 with --large), each side in its own process:
write_consolidated ÷ openpyxl write-only of the same workbook, time and peak memory. The
reference holds the read-back workbook (every cell as Python objects) in memory while it writes,
which a script streaming from the database would not: its peak is high, and the memory figure
flatters the program (the write-only writing itself streams; see bench_report.py for the
memory of writing alone, above a baseline process).
python-calamine's read of the same sheets is shown as the floor wherever files are read.
"""

from __future__ import annotations

import gc
import os
import pickle
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench_report import count_cells, read_back, write_reference
from common import (
    LARGE,
    Row,
    alternate,
    cache_dir,
    ms_row,
    peak_mib,
    print_table,
    ratio_row,
    report_child,
    run_child,
)
from workload import (
    YEAR,
    Rows,
    catalog_db,
    connect_like_store,
    copy_db,
    department_code,
    insert_rows,
    last_rowids,
    rows_since,
    submissions,
    tables,
)

if TYPE_CHECKING:
    from kplan_desktop.exchange.merge import MergePlan
    from kplan_desktop.store.engine import Store

HERE = Path(__file__).resolve()
FILES = int(os.environ.get("BENCH_DEPARTMENTS", "60"))
ROWS = int(os.environ.get("BENCH_ROWS_PER_FILE", "400"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
MERGE_SIZES: tuple[int, ...] = (6, 60, 300) if LARGE else (6, 60)
REPORT_DEPARTMENTS = 300 if LARGE else 60

# The goals: the workbook-exchange issue's (a), (b), (e), and issue 20's (d) and report.
GOAL_READ, GOAL_WRITE, GOAL_WHOLE = 1.3, 3.0, 1.3
GOAL_MERGE, GOAL_MERGE_MIB = 1.3, 50.0
GOAL_REPORT, GOAL_REPORT_MIB = 1.1, 100.0


def workload(files: int) -> tuple[Path, list[Path]]:
    """The planning division's empty database and the departments' submissions."""
    return catalog_db(files * ROWS, ROWS), submissions(files * ROWS, ROWS)


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# -- the rows a merge adds ---------------------------------------------------------------------


def _row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables(conn)}


def merged(files: int) -> Path:
    """A folder: merged.sqlite3 (the planning database after the program merged every file,
    untimed) and file-NNN.pickle, the rows the merge of file NNN added (Rows)."""
    folder = cache_dir() / f"merged-{files}"
    if (folder / "merged.sqlite3").exists():
        return folder
    from kplan_desktop.exchange.merge import apply_merge, merge_context, plan_merge
    from kplan_desktop.store.engine import Store

    database, paths = workload(files)
    folder.mkdir(exist_ok=True)
    target = copy_db(database, folder / "merging.sqlite3")
    store = Store.open(str(target))
    context = merge_context(store)
    for n, path in enumerate(paths):
        before = last_rowids(target)
        report = apply_merge(store, plan_merge(store, path, context=context), who="bench")
        if not report.written:
            raise RuntimeError(f"the merge of {path.name} wrote nothing: {report.notes_en}")
        with (folder / f"file-{n:03}.pickle").open("wb") as stream:
            pickle.dump(rows_since(target, before), stream, protocol=pickle.HIGHEST_PROTOCOL)
    store.dispose()
    target.rename(folder / "merged.sqlite3")
    return folder


def captured(files: int) -> list[Rows]:
    folder = merged(files)
    out = []
    for n in range(files):
        with (folder / f"file-{n:03}.pickle").open("rb") as stream:
            out.append(pickle.load(stream))
    return out


def department_reads(conn: sqlite3.Connection, department: str) -> None:
    """What the merge of one department's file needs from the database: the department's
    indicators and their stored values."""
    conn.execute(
        "SELECT * FROM indicator WHERE generation = 1 AND department_code = ?", (department,)
    ).fetchall()
    # By the whole key, generation first, as the program reads: joined on the code alone the
    # values found no index (their key begins with the generation), a scan per indicator, and
    # the reference slowed as the table grew (12.5 s of a 60-file reference in the first run
    # after plan generations, flattering the merge's ratio).
    conn.execute(
        "SELECT * FROM actual WHERE generation = 1 AND indicator_code IN"
        " (SELECT code FROM indicator WHERE generation = 1 AND department_code = ?)",
        (department,),
    ).fetchall()


# -- readers -----------------------------------------------------------------------------------


# The sheets the merge reads of a submission: the signed data and meta, and the printable 提出
# sheet it compares with the data (a clerk may have typed there). Before issue 20's second
# round the references read only data and meta, so the program's ratios carried the whole
# 提出 sheet (a third of the cells) as if it were overhead.
SHEETS = ("data", "meta", "提出")


@contextmanager
def openpyxl_parser(parser: Any = None) -> Iterator[None]:
    """Read-only sheets parse with `parser` (None: openpyxl's own WorkSheetParser) inside.

    The gate (exchange/gate/inline_strings.py) puts the program's parser into openpyxl's
    read-only module for the rest of the process once it has read a file, so a reference timed
    after it in the same process read with the program's parser, not openpyxl's: until session 8
    the bare loop of (a) and the lean pipeline's read did, and (a) compared the program with a
    reference that was 0.6× bare openpyxl (about 1.8× where bare openpyxl gives 1.2×).
    """
    from openpyxl.worksheet import _read_only, _reader

    saved = _read_only.WorkSheetParser  # type: ignore[attr-defined]
    _read_only.WorkSheetParser = parser or _reader.WorkSheetParser  # type: ignore[attr-defined]
    try:
        yield
    finally:
        _read_only.WorkSheetParser = saved  # type: ignore[attr-defined]


def bare_read(files: list[Path], parser: Any = None) -> list[list[tuple[object, ...]]]:
    """A bare openpyxl read-only loop over the sheets the merge reads (SHEETS), with openpyxl's
    own parser (or `parser`: see openpyxl_parser)."""
    import openpyxl

    out: list[list[tuple[object, ...]]] = []
    with openpyxl_parser(parser):
        for path in files:
            book = openpyxl.load_workbook(path, read_only=True)
            rows: list[tuple[object, ...]] = []
            for name in SHEETS:
                rows += list(book[name].iter_rows(values_only=True))
            out.append(rows)
            book.close()
    return out


def calamine_read(files: list[Path]) -> list[list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    out: list[list[list[Any]]] = []
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        rows: list[list[Any]] = []
        for name in SHEETS:
            rows += book.get_sheet_by_name(name).to_python()
        out.append(rows)
    return out


# -- (a), (b), (e): in this process ------------------------------------------------------------

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
    with openpyxl_parser():  # openpyxl's own, not the one the program installed
        for path in files:
            book = openpyxl.load_workbook(path, read_only=True)
            for row in book["data"].iter_rows(min_row=2, values_only=True):
                values.append(dict(zip(_LEAN_COLUMNS, row[:5], strict=True)))
            book.close()
    with engine.begin() as conn:
        conn.execute(insert(table), values)
    engine.dispose()
    return timed(lambda: write_reference(report, out))


def program_plans(store: Store, files: list[Path]) -> list[MergePlan]:
    """What the window's 取り込み preview does: plan every file, keeping every plan."""
    from kplan_desktop.exchange.merge import merge_context, plan_merge, planning_batch

    context = merge_context(store)
    with planning_batch():
        return [plan_merge(store, path, context=context) for path in files]


def program_apply(store: Store, plans: list[MergePlan]) -> None:
    from kplan_desktop.exchange.merge import apply_merge

    for plan in plans:
        if not apply_merge(store, plan, who="bench").written:
            raise RuntimeError("a merge wrote nothing")


def one_round(
    database: Path, files: list[Path], rows: list[Rows], run: int, report: dict[str, Any]
) -> dict[str, float]:
    """One run of every in-process measurement, references alternating with the program. The
    first run fills `report` with the program's report read back, for the lean pipeline."""
    from kplan_desktop.exchange.report import write_consolidated
    from kplan_desktop.store.engine import Store

    work = cache_dir() / "exchange-runs"
    work.mkdir(exist_ok=True)
    took: dict[str, float] = {}
    took["bare"] = timed(lambda: bare_read(files))
    from kplan_desktop.exchange.gate.inline_strings import PlainInlineStrings

    took["bare-ours"] = timed(lambda: bare_read(files, PlainInlineStrings))
    took["cal"] = timed(lambda: calamine_read(files))
    target = Store.open(str(copy_db(database, work / f"planning-{run}.sqlite3")))
    plans: list[MergePlan] = []
    took["plan"] = timed(lambda: plans.extend(program_plans(target, files)))
    took["apply"] = timed(lambda: program_apply(target, plans))
    target.dispose()
    plans.clear()
    reference = connect_like_store(copy_db(database, work / f"reference-{run}.sqlite3"))

    def sql() -> None:
        for file_rows in rows:
            insert_rows(reference, file_rows)

    took["sql"] = timed(sql)
    reference.close()
    if run == 0:
        program, ours = (
            _row_counts(work / "planning-0.sqlite3"),
            _row_counts(work / "reference-0.sqlite3"),
        )
        if program != ours:
            raise RuntimeError(f"the reference of (b) wrote other rows: {program} ≠ {ours}")
    whole = Store.open(str(copy_db(database, work / f"whole-{run}.sqlite3")))
    out = work / "report.xlsx"

    def everything() -> None:
        start = time.perf_counter()
        program_apply(whole, program_plans(whole, files))
        took["whole-merge"] = time.perf_counter() - start
        write_consolidated(whole, out, YEAR, who="bench")

    took["whole"] = timed(everything)
    whole.dispose()
    if not report:
        report.update(read_back(out))
        # The read-back cells stay alive for the rest of the bench: out of the collector's
        # way, so that neither side pays for scanning them.
        gc.collect()
        gc.freeze()
    start = time.perf_counter()
    took["lean-write"] = lean_pipeline(files, work / "lean.sqlite3", work / "lean.xlsx", report)
    took["lean"] = time.perf_counter() - start
    for name in (f"planning-{run}", f"reference-{run}", f"whole-{run}"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work / name}.sqlite3{suffix}").unlink(missing_ok=True)
    return took


def in_process_rows() -> list[Row]:
    database, files = workload(FILES)
    rows = captured(FILES)
    bare_read(files)  # warm the file cache for both
    runs: list[dict[str, float]] = []
    report: dict[str, Any] = {}
    for run in range(RUNS):
        runs.append(one_round(database, files, rows, run, report))
    med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    med["whole-report"] = statistics.median(r["whole"] - r["whole-merge"] for r in runs)
    med["lean-read"] = statistics.median(r["lean"] - r["lean-write"] for r in runs)
    cells, charts = count_cells(report)
    sheets = len(report["sheets"])
    return [
        ms_row(f"reference: bare openpyxl read-only loop over the {FILES} files", med["bare"]),
        ratio_row(
            "python-calamine read of the same sheets ÷ bare openpyxl (the floor outside openpyxl)",
            med["cal"] / med["bare"],
            None,
        ),
        ratio_row(
            f"(a) read and check {FILES} submissions (the merge's preview) ÷ bare",
            med["plan"] / med["bare"],
            GOAL_READ,
        ),
        ratio_row("(a) … ÷ python-calamine (the floor)", med["plan"] / med["cal"], None),
        ratio_row(
            "(a) … ÷ the bare loop reading with the program's own inline-string parser "
            f"({med['bare-ours'] * 1000:,.0f} ms: the checks' share alone)",
            med["plan"] / med["bare-ours"],
            None,
        ),
        ms_row(
            "reference: sqlite3 executemany of the same rows (values, audit, submission record, "
            "merge report), one transaction per file",
            med["sql"],
        ),
        ratio_row(
            "(b) write the merged rows ÷ sqlite3 executemany of the same rows",
            med["apply"] / med["sql"],
            GOAL_WRITE,
        ),
        ms_row(
            "reference: lean pipeline — openpyxl read-only of the files, Core executemany of "
            f"their rows, write-only of the report's {cells:,} cells ({len(report['styles'])} "
            f"styles) on {sheets} sheets and its {charts:,} charts",
            med["lean"],
        ),
        ratio_row(
            f"(e) whole merge of {FILES} files + report ÷ lean pipeline writing the same workbook "
            "(the README's former (d))",
            med["whole"] / med["lean"],
            GOAL_WHOLE,
        ),
        ratio_row(
            "… of which the merge ÷ the pipeline's read and insert",
            med["whole-merge"] / med["lean-read"],
            None,
        ),
        ratio_row(
            "… of which write_consolidated ÷ the pipeline's write-only",
            med["whole-report"] / med["lean-write"],
            None,
        ),
    ]


# -- (d) and the report: each side in a process of its own -------------------------------------


def child(mode: str, files: int, work: Path) -> None:
    """One measured run; reports its seconds (the work, after the imports) and peak RSS."""
    result: dict[str, float]
    if mode == "merge":
        from kplan_desktop.exchange.merge import merge_files
        from kplan_desktop.store.engine import Store

        database, paths = workload(files)
        target = copy_db(database, work / "merge.sqlite3")
        start = time.perf_counter()
        store = Store.open(str(target))
        outcomes = merge_files(store, paths, who="bench")
        seconds = time.perf_counter() - start
        store.dispose()
        if any(isinstance(o, Exception) or not o.written for o in outcomes):
            raise RuntimeError(f"a file was refused or wrote nothing: {outcomes[:3]}")
        result = {"seconds": seconds}
    elif mode in ("ref-merge", "floor-merge"):
        import openpyxl  # noqa: F401  (imported before the clock starts, as the program's modules)
        import python_calamine  # noqa: F401

        database, paths = workload(files)
        folder = merged(files)
        target = copy_db(database, work / "merge.sqlite3")
        read = bare_read if mode == "ref-merge" else calamine_read
        start = time.perf_counter()
        conn = connect_like_store(target)
        for n, path in enumerate(paths):
            read([path])
            department_reads(conn, department_code(n))
            with (folder / f"file-{n:03}.pickle").open("rb") as stream:
                insert_rows(conn, pickle.load(stream))
        conn.close()
        result = {"seconds": time.perf_counter() - start}
    elif mode == "report":
        from kplan_desktop.exchange.report import write_consolidated
        from kplan_desktop.store.engine import Store

        target = copy_db(merged(files) / "merged.sqlite3", work / "report.sqlite3")
        start = time.perf_counter()
        store = Store.open(str(target))
        write_consolidated(store, work / "report.xlsx", YEAR, who="bench")
        result = {"seconds": time.perf_counter() - start}
        store.dispose()
    elif mode == "ref-report":
        # Loaded from the stream, so that no copy of the file's bytes inflates the peak.
        with (cache_dir() / f"report-{files}.pickle").open("rb") as stream:
            spec = pickle.load(stream)
        start = time.perf_counter()
        write_reference(spec, work / "report.xlsx")
        result = {"seconds": time.perf_counter() - start}
    elif mode == "spec":
        # The program's report at this size, read back once for the reference to write.
        from kplan_desktop.exchange.report import write_consolidated
        from kplan_desktop.store.engine import Store

        target = copy_db(merged(files) / "merged.sqlite3", work / "report.sqlite3")
        store = Store.open(str(target))
        write_consolidated(store, work / "report.xlsx", YEAR, who="bench")
        store.dispose()
        spec = read_back(work / "report.xlsx")
        cells, charts = count_cells(spec)
        with (cache_dir() / f"report-{files}.pickle").open("wb") as stream:
            pickle.dump(spec, stream, protocol=pickle.HIGHEST_PROTOCOL)
        result = {"cells": cells, "charts": charts, "sheets": len(spec["sheets"])}
    else:
        raise ValueError(mode)
    for path in work.iterdir():
        path.unlink()
    result["peak_mib"] = peak_mib()
    report_child(result)


# A child's time limit: a 300-file side takes about a minute on a quiet machine, but its
# reference ran past 30 minutes on the shared 2-core machine (session 7) and the run was lost.
CHILD_TIMEOUT = 4 * 3600.0 if LARGE else 1800.0


def _side(mode: str, files: int) -> Callable[[], dict[str, float]]:
    work = cache_dir() / f"child-{mode}"
    work.mkdir(exist_ok=True)
    return lambda: run_child(HERE, mode, str(files), str(work), timeout=CHILD_TIMEOUT)


def merge_rows() -> list[Row]:
    rows: list[Row] = []
    for files in MERGE_SIZES:
        merged(files)  # the rows to insert, from a first merge (untimed)
        sides = {m: _side(m, files) for m in ("merge", "ref-merge", "floor-merge")}
        sides["ref-merge"]()  # warm the file cache for all
        med = alternate(sides, RUNS)
        program, ref, floor = med["merge"], med["ref-merge"], med["floor-merge"]
        extra = program["peak_mib"] - ref["peak_mib"]
        rows += [
            (
                f"reference: openpyxl read-only + sqlite3, same reads and writes, {files} files",
                f"{ref['seconds']:.2f} s, {ref['peak_mib']:.0f} MiB",
                "—",
                None,
            ),
            ratio_row(
                f"(d) merge alone, {files} files (merge_files) ÷ that reference",
                program["seconds"] / ref["seconds"],
                GOAL_MERGE,
            ),
            ratio_row(
                f"(d) … ÷ python-calamine + sqlite3 (the floor, {floor['seconds']:.2f} s)",
                program["seconds"] / floor["seconds"],
                None,
            ),
            (
                f"(d) peak memory, merge of {files} files − reference "
                f"({program['peak_mib']:.0f} − {ref['peak_mib']:.0f} MiB)",
                f"{extra:+.0f} MiB",
                f"≤ +{GOAL_MERGE_MIB:.0f} MiB",
                extra <= GOAL_MERGE_MIB,
            ),
        ]
    return rows


def report_rows() -> list[Row]:
    files = REPORT_DEPARTMENTS
    work = cache_dir() / "child-spec"
    work.mkdir(exist_ok=True)
    shape = run_child(HERE, "spec", str(files), str(work), timeout=CHILD_TIMEOUT)
    med = alternate({m: _side(m, files) for m in ("report", "ref-report")}, RUNS)
    program, ref = med["report"], med["ref-report"]
    extra = program["peak_mib"] - ref["peak_mib"]
    return [
        (
            f"reference: openpyxl write-only of the same workbook, {files} departments "
            f"({shape['cells']:,.0f} cells, {shape['sheets']:,.0f} sheets, "
            f"{shape['charts']:,.0f} charts)",
            f"{ref['seconds']:.2f} s, {ref['peak_mib']:.0f} MiB",
            "—",
            None,
        ),
        ratio_row(
            f"report at {files} departments (write_consolidated) ÷ that reference",
            program["seconds"] / ref["seconds"],
            GOAL_REPORT,
        ),
        (
            f"report at {files} departments, peak memory − reference "
            f"({program['peak_mib']:.0f} − {ref['peak_mib']:.0f} MiB)",
            f"{extra:+.0f} MiB",
            f"≤ +{GOAL_REPORT_MIB:.0f} MiB",
            extra <= GOAL_REPORT_MIB,
        ),
    ]


def main() -> int:
    indicators = FILES * ROWS + 25
    ok = print_table(
        f"workbook exchange ({FILES} files × {ROWS} rows, {indicators:,} indicators in the "
        f"realistic tree, medians of {RUNS} runs)",
        in_process_rows(),
    )
    ok &= print_table(
        f"(d) the merge alone, each side in its own process (medians of {RUNS} runs)",
        merge_rows(),
    )
    ok &= print_table(
        f"consolidated report at {REPORT_DEPARTMENTS} departments, each side in its own process "
        f"(medians of {RUNS} runs)",
        report_rows(),
    )
    return 0 if ok else 3  # 3: a goal missed (1 is a crash)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
        raise SystemExit(0)
    raise SystemExit(main())
