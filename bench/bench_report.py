"""Consolidated-workbook figures, each measured side by side with its reference in the same run.

The data: 2,000 indicators × 12 fiscal years = 24,000 value rows, built in memory (no
database). The references are plain openpyxl write-only scripts that write exactly the cells of
a report written once and read back — values and styles (fonts, fills, number formats,
alignments, borders) — and nothing else, each style object made once, as a careful hand-written
script would: one with the cells of 指標一覧 (the goal: write_report(parts={INDICATORS}),
timed from the call to the renamed file, against it), one with the cells of every sheet (the
whole report against it, for information: the report also draws 410 charts the reference does
not). Each run is a fresh process; runs alternate (A B A B …) and medians are compared. Memory
is a run's peak RSS (VmHWM) minus that of a process that imported the same modules and built
the same input without writing, and the report's figure is compared with the reference's.

Prints one Markdown table; exits 1 if a goal is missed. Not a test.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
INDICATORS = 2000
START, END = 2015, 2026  # 12 fiscal years
FISCAL_YEAR = END
TIME_GOAL = 1.25
MEMORY_GOAL_MIB = 25.0


def build_data() -> Any:
    """ReportData for 10 policies × 10 measures × 20 indicators, with a value in every year."""
    from kplan_desktop.domain.catalog import (
        TAG_REFORM,
        TAG_STRATEGY,
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
    from kplan_desktop.domain.model import (
        Comparator,
        Direction,
        IndicatorKind,
        MissingReason,
        PlanSettings,
    )
    from kplan_desktop.domain.validation import Finding, Severity
    from kplan_desktop.exchange.payload import (
        MergeReport,
        ReportLine,
        RowOutcome,
        SubmissionRecord,
    )
    from kplan_desktop.exchange.report_xlsx import ReportData
    from kplan_desktop.store.actuals import ActualView, StoredFinding
    from kplan_desktop.store.overview import IndicatorOverview

    departments = tuple(Department(f"dept{n}", f"生成担当課{n}") for n in range(10))
    units = (("人", 0), ("%", 1), ("回", 0), ("万件", 0), ("件", 0), ("団体", 0), ("百万円", 1))
    moment = datetime(2026, 5, 31, 9, 15, tzinfo=UTC)
    per_measure = INDICATORS // 100
    policies = []
    values: dict[str, dict[int, ActualView]] = {}
    n = 0
    for p in range(1, 11):
        measures = []
        for m in range(1, 11):
            indicators = []
            for k in range(1, per_measure + 1):
                unit, decimals = units[n % len(units)]
                code = f"1-{p}-{m}-K{k}"
                baseline = Decimal(100 + n % 50)
                target = baseline * 2
                indicators.append(
                    Indicator(
                        code=code,
                        kind=IndicatorKind.ACTIVITY,
                        name=f"生成指標{n}（{unit}）",
                        unit=unit,
                        department=departments[n % 10].code,
                        direction=Direction.INCREASE,
                        comparator=Comparator.GE if n % 3 == 0 else None,
                        decimals=decimals,
                        baseline_year=START - 1,
                        baseline=baseline,
                        target_year=END,
                        target=target,
                    )
                )
                by_year = {}
                for y in range(START, END + 1):
                    step = Decimal(y - START + 1) * (baseline / 12)
                    value = (baseline + step).quantize(
                        Decimal(1) if not decimals else Decimal("0.1")
                    )
                    reason = None
                    if (n + y) % 17 == 0:
                        value, reason = None, MissingReason.NOT_COMPILED
                    comment = f"{y}年度は事業を拡充した（{n}）" if (n + y) % 7 == 0 else None
                    by_year[y] = ActualView(
                        code, y, value, reason, comment, "clerk", moment, "entry"
                    )
                values[code] = by_year
                n += 1
            directions = (
                MeasureDirection(
                    1,
                    f"方向{p}-{m}",
                    tags=(TAG_STRATEGY, TAG_REFORM) if m % 3 == 0 else (),
                    cross_references=(
                        CrossReference(TAG_STRATEGY, f"{p}-{m}-1", "生成項目"),
                        CrossReference(TAG_REFORM, f"{p}-{m}-1-1", "生成項目"),
                    )
                    if m % 3 == 0
                    else (),
                ),
            )
            measures.append(
                Measure(
                    f"1-{p}-{m}",
                    f"生成施策{p}-{m}",
                    directions=directions,
                    indicators=tuple(indicators),
                )
            )
        policies.append(Policy(f"1-{p}", f"生成政策{p}", tuple(measures)))
    table = ReferenceTable(
        "revenue",
        "歳入の状況",
        "百万円",
        ("歳入合計", "市税"),
        (("令和2年", (Decimal(24591), Decimal(5591))),),
    )
    catalog = Catalog(
        plan=Plan("bench", "生成計画", PlanSettings(START, END, START - 1)),
        departments=departments,
        goals=(Goal("1", "生成目標", policies=tuple(policies)),),
        reference_tables=(table,),
    )
    rows = [
        IndicatorOverview(goal, policy, measure, indicator, values[indicator.code])
        for goal, policy, measure, indicator in catalog.indicators()
    ]
    submissions = [
        SubmissionRecord(
            d.code,
            FISCAL_YEAR,
            f"{d.code}.xlsx",
            "0" * 64,
            "submission",
            moment,
            "課長",
            moment,
            moment + timedelta(days=1),
            "企画担当",
            200,
        )
        for d in departments[:7]
    ]
    finding = Finding(
        "W_YOY_CHANGE", Severity.WARNING, "前年度から大きく変化しています", "big change"
    )
    findings = [
        StoredFinding(r.indicator.code, FISCAL_YEAR, finding, n % 2 == 0)
        for n, r in enumerate(rows[:400])
    ]
    lines = [
        ReportLine(n + 3, r.indicator.code, FISCAL_YEAR, RowOutcome.UPDATED, "", "", "12", "11")
        for n, r in enumerate(rows[:200])
    ]
    report = MergeReport(
        "dept0.xlsx",
        "0" * 64,
        "submission",
        "dept0",
        FISCAL_YEAR,
        moment,
        "企画担当",
        False,
        True,
        lines,
        ["下書きのまま提出されています"],
        ["draft"],
    )
    return ReportData(
        catalog, rows, FISCAL_YEAR, submissions, findings, [report], moment, "企画担当"
    )


def reference_cells(report: Path, out: Path) -> int:
    """Read every sheet of `report` back; pickle its cells (value, style) and each style once."""
    from openpyxl import load_workbook

    book = load_workbook(report, read_only=True)
    styles: dict[tuple[int, ...], int] = {}
    specs: list[dict[str, Any]] = []
    sheets = []
    count = 0
    for ws in book.worksheets:
        rows: list[list[tuple[Any, int]]] = []
        for row in ws.iter_rows():
            cells: list[tuple[Any, int]] = []
            for cell in row:
                if not getattr(cell, "has_style", False):
                    cells.append((cell.value, -1))
                    continue
                array = cell.style_array
                key = (*tuple(array), cell.data_type == "s")
                index = styles.get(key)
                if index is None:
                    index = styles[key] = len(specs)
                    specs.append(
                        {
                            "font": cell.font if array.fontId else None,
                            "fill": cell.fill if array.fillId else None,
                            "number_format": cell.number_format if array.numFmtId else None,
                            "alignment": cell.alignment if array.alignmentId else None,
                            "border": cell.border if array.borderId else None,
                            "quote": bool(array.quotePrefix),
                            "text": cell.data_type == "s",
                        }
                    )
                cells.append((cell.value, index))
            while cells and cells[-1] == (None, -1):
                cells.pop()
            count += sum(1 for value, index in cells if value is not None or index >= 0)
            rows.append(cells)
        # Column widths cost nothing per cell; read-only sheets do not read them back.
        width = max((len(r) for r in rows), default=1)
        sheets.append({"title": ws.title, "rows": rows, "columns": width})
    book.close()
    spec = {"sheets": sheets, "styles": specs}
    out.write_bytes(pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL))
    return count


def write_reference(spec: dict[str, Any], out: Path) -> None:
    """What a hand-written openpyxl script does: write-only, each style object made once."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    styles = spec["styles"]
    for sheet in spec["sheets"]:
        ws = book.create_sheet(sheet["title"])
        for n in range(1, sheet["columns"] + 1):
            ws.column_dimensions[get_column_letter(n)].width = 12
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(sheet['columns'])}{len(sheet['rows'])}"
        for row in sheet["rows"]:
            cells = []
            for value, index in row:
                if index < 0:
                    cells.append(value)
                    continue
                style = styles[index]
                cell = WriteOnlyCell(ws, value)
                if style["text"]:
                    cell.data_type = "s"
                if style["quote"]:
                    cell.quotePrefix = True
                if style["font"] is not None:
                    cell.font = style["font"]
                if style["fill"] is not None:
                    cell.fill = style["fill"]
                if style["number_format"] is not None:
                    cell.number_format = style["number_format"]
                if style["alignment"] is not None:
                    cell.alignment = style["alignment"]
                if style["border"] is not None:
                    cell.border = style["border"]
                cells.append(cell)
            ws.append(cells)
    book.save(out)


def _peak_mib() -> float:
    """This process's peak RSS. ru_maxrss would do, but Linux carries it over from the parent
    across fork and exec, so the bench's own peak would mask every child's: VmHWM does not."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


# A run: what it writes. "base-…" runs build the same input and write nothing.
REPORT_RUNS = {"list": True, "report": True, "base-report": False}
REFERENCE_RUNS = {
    "ref-list": ("list", True),
    "ref-all": ("all", True),
    "base-ref-list": ("list", False),
    "base-ref-all": ("all", False),
}


def child(mode: str, folder: Path) -> None:
    """One measured run in a fresh process; prints its seconds and peak RSS as JSON."""
    from openpyxl import Workbook  # noqa: F401  (the same modules in every run)

    from kplan_desktop.exchange.report_xlsx import ReportPart, write_report

    seconds = 0.0
    out = folder / f"{mode}.xlsx"
    if mode in REPORT_RUNS:
        data = build_data()
        gc.collect()
        if REPORT_RUNS[mode]:
            parts = {ReportPart.INDICATORS} if mode == "list" else None
            start = time.perf_counter()
            assert write_report(out, data, parts=parts)
            seconds = time.perf_counter() - start
    else:
        cells, writes = REFERENCE_RUNS[mode]
        # Loaded from the stream, so that no copy of the file's bytes inflates the baseline.
        with (folder / f"{cells}.pickle").open("rb") as stream:
            spec = pickle.load(stream)
        gc.collect()
        if writes:
            start = time.perf_counter()
            write_reference(spec, out)
            seconds = time.perf_counter() - start
    out.unlink(missing_ok=True)
    print(json.dumps({"seconds": seconds, "peak_mib": _peak_mib()}))


def _run(mode: str, folder: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(folder)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    from kplan_desktop.exchange.report_xlsx import ReportPart, write_report

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = build_data()
        assert len(data.rows) * len(data.catalog.plan.settings.years) == 24_000
        counts = {}
        for name, parts in (("list", {ReportPart.INDICATORS}), ("all", None)):
            first = folder / f"first-{name}.xlsx"
            write_report(first, data, parts=parts)
            counts[name] = reference_cells(first, folder / f"{name}.pickle")
            first.unlink()
        del data
        runs: dict[str, list[dict[str, float]]] = {}
        for mode in ("list", "ref-list"):  # warm the file cache once for both
            _run(mode, folder)
        for _ in range(RUNS):
            for mode in ("list", "ref-list", "report", "ref-all"):
                runs.setdefault(mode, []).append(_run(mode, folder))
        for _ in range(3):
            for mode in ("base-report", "base-ref-list", "base-ref-all"):
                runs.setdefault(mode, []).append(_run(mode, folder))

    def median(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[mode])

    def extra(mode: str, base: str) -> float:
        return median(mode, "peak_mib") - median(base, "peak_mib")

    ref_list, ref_all = median("ref-list", "seconds"), median("ref-all", "seconds")
    listing = median("list", "seconds") / ref_list
    whole = median("report", "seconds") / ref_all
    list_mem = extra("list", "base-report") - extra("ref-list", "base-ref-list")
    whole_mem = extra("report", "base-report") - extra("ref-all", "base-ref-all")
    rows = [
        (
            f"reference: openpyxl write-only, the {counts['list']:,} cells of 指標一覧",
            f"{ref_list:.2f} s, {extra('ref-list', 'base-ref-list'):+.1f} MiB",
            "—",
            True,
        ),
        (
            "指標一覧 (write_report, parts={INDICATORS}) ÷ reference",
            f"{listing:.2f}×",
            f"≤ {TIME_GOAL}×",
            listing <= TIME_GOAL,
        ),
        (
            "peak memory, 指標一覧 − reference",
            f"{list_mem:+.1f} MiB",
            f"≤ +{MEMORY_GOAL_MIB:.0f} MiB",
            list_mem <= MEMORY_GOAL_MIB,
        ),
        (
            f"reference: openpyxl write-only, the {counts['all']:,} cells of every sheet",
            f"{ref_all:.2f} s, {extra('ref-all', 'base-ref-all'):+.1f} MiB",
            "—",
            True,
        ),
        (
            # For information: the report also draws 410 charts, which the reference does not.
            "whole report (with 410 charts the reference lacks) ÷ reference",
            f"{whole:.2f}×",
            "—",
            True,
        ),
        (
            "peak memory, whole report − reference",
            f"{whole_mem:+.1f} MiB",
            f"≤ +{MEMORY_GOAL_MIB:.0f} MiB",
            whole_mem <= MEMORY_GOAL_MIB,
        ),
    ]
    print("| consolidated workbook, 2,000 indicators × 12 years | measured | goal | met |")
    print("|---|---|---|---|")
    for name, value, goal, met in rows:
        print(f"| {name} | {value} | {goal} | {'yes' if met else 'NO'} |")
    return 0 if all(met for *_, met in rows) else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
        raise SystemExit(0)
    raise SystemExit(main())
