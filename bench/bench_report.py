"""Consolidated-workbook figures, each measured side by side with its reference in the same run.

Goal (c) of the workbook-exchange issue: the consolidated workbook of 24,000 value rows × 12
columns with formats and fills within 1.25× the time of an openpyxl write-only script writing
the same cells and styles, and within 25 MiB of its peak memory.

The data: 2,000 indicators × 12 fiscal years = 24,000 value rows, built in memory (no
database). The references are plain openpyxl write-only scripts that write exactly what a report
written once holds when read back (`read_back`): every cell's value and style (font, fill,
number format, alignment, border, quote prefix), the column widths, frozen panes and
autofilters, and the charts (kind, place, title, data ranges, colours, markers) — each style
object made once, each chart built from openpyxl's classes, as a careful hand-written script
would. Only the print set-up (paper, fit to width, footer), a few values per sheet, is left out.
Two references: the cells of 指標一覧 (the goal: write_report(parts={INDICATORS}), timed from
the call to the renamed file, against it), and every sheet with its 410 charts (the whole
report against it). Each run is a fresh process; runs alternate (A B A B …) and medians are
compared. Memory is a run's peak RSS (VmHWM) minus that of a process that imported the same
modules and built the same input without writing, and the report's figure is compared with the
reference's.

`read_back` and `write_reference` are also the report half of bench_exchange.py's lean
pipeline (goal d). Prints one Markdown table; exits 1 if a goal is missed. Not a test.
"""

from __future__ import annotations

import gc
import html
import json
import os
import pickle
import posixpath
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common import Row, peak_mib, print_table

if TYPE_CHECKING:
    from openpyxl.chart._chart import ChartBase
    from openpyxl.worksheet.worksheet import Worksheet

    from kplan_desktop.exchange.report import ReportData

# Three runs of each keep the whole of scripts/bench within ten minutes.
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
INDICATORS = 2000
START, END = 2015, 2026  # 12 fiscal years
FISCAL_YEAR = END
TIME_GOAL = 1.25
MEMORY_GOAL_MIB = 25.0


def build_data() -> ReportData:
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
    from kplan_desktop.exchange.report import ReportData
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
                    value: Decimal | None = (baseline + step).quantize(
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


# -- the reference: the report read back, written again by a plain write-only script -----------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# A drawing part's relationship type (openpyxl's SpreadsheetDrawing._rel_type, not in its stubs).
_DRAWING_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_TEXT_TYPES = ("inlineStr", "s", "str")
_EMU_PER_CM = 360_000


def _style_spec(book: Any, style_id: int, text: bool) -> dict[str, Any]:
    """The style objects behind a cell style of `book`, as a script would name them."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    array = book._cell_styles[style_id]
    number_format = None
    if array.numFmtId:
        if array.numFmtId < BUILTIN_FORMATS_MAX_SIZE:
            number_format = BUILTIN_FORMATS.get(array.numFmtId, "General")
        else:
            number_format = book._number_formats[array.numFmtId - BUILTIN_FORMATS_MAX_SIZE]
    return {
        "font": book._fonts[array.fontId] if array.fontId else None,
        "fill": book._fills[array.fillId] if array.fillId else None,
        "number_format": number_format,
        "alignment": book._alignments[array.alignmentId] if array.alignmentId else None,
        "border": book._borders[array.borderId] if array.borderId else None,
        "quote": bool(array.quotePrefix),
        "text": text,
    }


# openpyxl writes every cell as <c r="B2" s="3" t="n"><v>1</v></c> or, for text, with
# t="inlineStr" and <is><t>…</t></is>; rows as <row r="2">. A regular expression reads the
# 1.8 million cells of the 60-department report in about 2 s, several times faster than
# ElementTree; a cell it does not recognise stops the bench (see the count in _read_sheet).
_CELL_OR_ROW = re.compile(
    r'<row r="(\d+)"[^>]*>'
    r'|<c r="([A-Z]+)\d+"(?: s="(\d+)")?(?: t="(\w+)")?'
    r"(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: [^>]*)?>([^<]*)</t></is>)?</c>)"
)
_ELEMENT = re.compile(r"<(col|pane|autoFilter) ([^>]*?)/?>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def _read_sheet(xml: str, strings: list[str], style_of: Any) -> dict[str, Any]:
    """One sheet's XML: its rows as tuples of (value, style index), widths, panes and filter,
    the values as openpyxl reads them (numbers as int or float, dates as datetime)."""
    from openpyxl.utils.datetime import from_excel

    rows: list[tuple[tuple[Any, int], ...]] = []
    cells: list[tuple[Any, int]] = []
    same: dict[str, str] = {}  # one object per distinct text: the spec stays small
    found = 0
    for match in _CELL_OR_ROW.finditer(xml):
        row, column, style, kind, raw, inline = match.groups()
        if row is not None:
            if rows or cells:
                rows.append(tuple(cells))
                cells = []
            while len(rows) < int(row) - 1:
                rows.append(())
            continue
        found += 1
        kind = kind or "n"
        value: Any = None
        if inline is not None:
            value = html.unescape(inline) if "&" in inline else inline
        elif raw is not None:
            if kind == "s":
                value = strings[int(raw)]
            elif kind == "b":
                value = raw == "1"
            elif kind in ("str", "e"):
                value = html.unescape(raw)
            else:
                value = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
        index, is_date = style_of(int(style or 0), kind in _TEXT_TYPES)
        if is_date and isinstance(value, int | float):
            value = from_excel(value)
        number = 0
        for letter in column:
            number = number * 26 + ord(letter) - 64
        while len(cells) < number - 1:
            cells.append((None, -1))
        if type(value) is str:
            value = same.setdefault(value, value)
        cells.append((value, index))
    if rows or cells:
        rows.append(tuple(cells))
    if found != xml.count("<c "):
        raise ValueError("a cell the bench cannot read: has openpyxl changed how it writes?")
    widths: list[tuple[int, int, float]] = []
    freeze = auto_filter = None
    for name, attributes in _ELEMENT.findall(xml):
        values = dict(_ATTRIBUTE.findall(attributes))
        if name == "col":
            widths.append((int(values["min"]), int(values["max"]), float(values["width"])))
        elif name == "pane" and values.get("state") == "frozen":
            freeze = values.get("topLeftCell")
        elif name == "autoFilter":
            auto_filter = values.get("ref")
    return {"rows": rows, "widths": widths, "freeze": freeze, "filter": auto_filter}


def _cell_box(formula: str) -> tuple[int, int, int, int]:
    from openpyxl.utils.cell import range_to_tuple

    return tuple(range_to_tuple(formula)[1])  # type: ignore[return-value]


def _chart_spec(chart: Any) -> dict[str, Any]:
    """What a script needs to draw `chart` again: kind, place, title, data, colours."""
    from openpyxl.utils import get_column_letter

    def title(element: Any) -> tuple[str, float | None, bool | None] | None:
        if element is None or element.tx is None or element.tx.rich is None:
            return None
        paragraph = element.tx.rich.p[0]
        text = "".join(run.t for run in paragraph.r or ())
        font = paragraph.pPr.defRPr if paragraph.pPr is not None else None
        return (text, None if font is None else font.sz, None if font is None else font.b)

    boxes, series = [], []
    for one in chart.series:
        values = _cell_box(one.val.numRef.f)
        boxes.append(_cell_box(one.tx.strRef.f) if one.tx is not None else values)
        boxes.append(values)
        look = one.graphicalProperties
        line = None if look is None else look.line
        series.append(
            {
                "fill": None if look is None or look.solidFill is None else look.solidFill.srgbClr,
                "line": None if line is None or line.solidFill is None else line.solidFill.srgbClr,
                "dash": None if line is None else line.prstDash,
                "marker": None if one.marker is None else (one.marker.symbol, one.marker.size),
            }
        )
    first = chart.series[0] if chart.series else None
    categories = None
    if first is not None and first.cat is not None:
        source = first.cat.numRef or first.cat.strRef
        categories = _cell_box(source.f)
    data = None
    from_rows = False
    if boxes:
        data = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        # A series' title left of its values: the series run along rows.
        from_rows = boxes[0][1] == boxes[1][1] and boxes[0][0] < boxes[1][0]
    anchor = chart.anchor
    return {
        "kind": chart.tagname,
        "bar": (chart.type, chart.grouping) if chart.tagname == "barChart" else None,
        "anchor": f"{get_column_letter(anchor._from.col + 1)}{anchor._from.row + 1}",
        "size": (anchor.ext.width / _EMU_PER_CM, anchor.ext.height / _EMU_PER_CM),
        "title": title(chart.title),
        "y_title": title(chart.y_axis.title),
        "y_unit": chart.y_axis.majorUnit,
        "y_min": chart.y_axis.scaling.min,
        "y_grid": chart.y_axis.majorGridlines is not None,
        "legend": None if chart.legend is None else chart.legend.position,
        "data": data,
        "from_rows": from_rows,
        "categories": categories,
        "series": series,
    }


def read_back(report: Path) -> dict[str, Any]:
    """Every sheet of `report`: its cells (value, style index), each style once, its charts."""
    from openpyxl.packaging.relationship import get_dependents
    from openpyxl.reader.drawings import find_images
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.numbers import is_date_format
    from openpyxl.styles.stylesheet import apply_stylesheet

    # openpyxl's reader for the package, the strings and the styles only: even in read-only
    # mode load_workbook parses every sheet once to size it, 30 s for the 60-department report.
    reader = ExcelReader(report, read_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    book, archive = reader.wb, reader.archive
    apply_stylesheet(archive, book)
    names = set(archive.namelist())
    styles: dict[tuple[int, bool], tuple[int, bool]] = {}
    specs: list[dict[str, Any]] = []

    def style_of(style_id: int, text: bool) -> tuple[int, bool]:
        if not style_id:
            return -1, False
        known = styles.get((style_id, text))
        if known is None:
            spec = _style_spec(book, style_id, text)
            date = spec["number_format"] is not None and is_date_format(spec["number_format"])
            known = styles[style_id, text] = (len(specs), date)
            specs.append(spec)
        return known

    sheets = []
    for sheet, relation in reader.parser.find_sheets():
        xml = archive.read(relation.target).decode("utf-8")
        cells = _read_sheet(xml, reader.shared_strings, style_of)
        del xml
        charts = []
        # where a part's relationships are kept (openpyxl's get_rels_path, which is untyped)
        folder, part = posixpath.split(relation.target)
        relations = posixpath.join(folder, "_rels", f"{part}.rels")
        if relations in names:
            for drawing in get_dependents(archive, relations).find(_DRAWING_RELATION):
                found, _ = find_images(archive, drawing.target)
                charts += [_chart_spec(chart) for chart in found]
        sheets.append({"title": sheet.name, **cells, "charts": charts})
    archive.close()
    return {"sheets": sheets, "styles": specs}


def count_cells(spec: dict[str, Any]) -> tuple[int, int]:
    """The cells with a value or a style, and the charts, of a spec from `read_back`."""
    cells = charts = 0
    for sheet in spec["sheets"]:
        charts += len(sheet["charts"])
        for row in sheet["rows"]:
            cells += sum(1 for value, index in row if value is not None or index >= 0)
    return cells, charts


def _reference_title(spec: tuple[str, float | None, bool | None] | None) -> Any:
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import (
        CharacterProperties,
        Paragraph,
        ParagraphProperties,
        RegularTextRun,
    )

    if spec is None:
        return None
    text, size, bold = spec
    if size is None and bold is None:
        return text  # openpyxl's default title
    font = CharacterProperties(sz=size, b=bold)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _reference_chart(ws: Worksheet, spec: dict[str, Any]) -> ChartBase:
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.marker import Marker

    chart: BarChart | LineChart
    if spec["kind"] == "barChart":
        chart = BarChart()
        chart.type, chart.grouping = spec["bar"]
    else:
        chart = LineChart()
    chart.title = _reference_title(spec["title"])
    chart.y_axis.title = _reference_title(spec["y_title"])
    if not spec["y_grid"]:
        chart.y_axis.majorGridlines = None
    if spec["y_unit"] is not None:
        chart.y_axis.majorUnit = spec["y_unit"]
    if spec["y_min"] is not None:
        chart.y_axis.scaling.min = spec["y_min"]
    chart.width, chart.height = spec["size"]
    if spec["legend"] is not None and chart.legend is not None:  # a new chart has one
        chart.legend.position = spec["legend"]
    if spec["data"] is not None:
        left, top, right, bottom = spec["data"]
        data = Reference(ws, min_col=left, min_row=top, max_col=right, max_row=bottom)
        chart.add_data(data, from_rows=spec["from_rows"], titles_from_data=True)
    if spec["categories"] is not None:
        left, top, right, bottom = spec["categories"]
        chart.set_categories(
            Reference(ws, min_col=left, min_row=top, max_col=right, max_row=bottom)
        )
    for series, look in zip(chart.series, spec["series"], strict=True):
        if look["fill"] is not None:
            series.graphicalProperties.solidFill = look["fill"]
        if look["line"] is not None:
            series.graphicalProperties.line.solidFill = look["line"]
        if look["dash"] not in (None, "solid"):
            series.graphicalProperties.line.dashStyle = look["dash"]
        if look["marker"] is not None:
            symbol, size = look["marker"]
            series.marker = Marker(symbol=symbol, size=size)
    # As the report does: openpyxl leaves <c:delete> unset, which Excel reads as hidden axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.anchor = spec["anchor"]
    return chart


def write_reference(spec: dict[str, Any], out: Path) -> None:
    """What a hand-written openpyxl script does: write-only, each style object made once, the
    cells row by row, then the charts over them."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    styles = spec["styles"]
    for sheet in spec["sheets"]:
        ws = book.create_sheet(sheet["title"])
        for first, last, width in sheet["widths"]:
            for n in range(first, last + 1):
                ws.column_dimensions[get_column_letter(n)].width = width
        if sheet["freeze"] is not None:
            ws.freeze_panes = sheet["freeze"]
        if sheet["filter"] is not None:
            ws.auto_filter.ref = sheet["filter"]
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
        for chart in sheet["charts"]:
            ws.add_chart(_reference_chart(ws, chart))
    book.save(out)


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

    from kplan_desktop.exchange.report import ReportPart, write_report

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
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib()}))


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
    from kplan_desktop.exchange.report import ReportPart, write_report

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = build_data()
        assert len(data.rows) * len(data.catalog.plan.settings.years) == 24_000
        counts = {}
        for name, parts in (("list", {ReportPart.INDICATORS}), ("all", None)):
            first = folder / f"first-{name}.xlsx"
            write_report(first, data, parts=parts)
            spec = read_back(first)
            counts[name] = count_cells(spec)
            (folder / f"{name}.pickle").write_bytes(
                pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL)
            )
            del spec
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
    list_cells, _ = counts["list"]
    all_cells, all_charts = counts["all"]
    rows: list[Row] = [
        (
            f"reference: openpyxl write-only script, the {list_cells:,} cells of 指標一覧",
            f"{ref_list:.2f} s, {extra('ref-list', 'base-ref-list'):+.1f} MiB",
            "—",
            None,
        ),
        (
            "(c) 指標一覧 (write_report, parts={INDICATORS}) ÷ that reference",
            f"{listing:.2f}×",
            f"≤ {TIME_GOAL}×",
            listing <= TIME_GOAL,
        ),
        (
            "(c) peak memory, 指標一覧 − that reference",
            f"{list_mem:+.1f} MiB",
            f"≤ +{MEMORY_GOAL_MIB:.0f} MiB",
            list_mem <= MEMORY_GOAL_MIB,
        ),
        (
            f"reference: openpyxl write-only script, the {all_cells:,} cells of every sheet "
            f"and the {all_charts} charts",
            f"{ref_all:.2f} s, {extra('ref-all', 'base-ref-all'):+.1f} MiB",
            "—",
            None,
        ),
        ("whole report (write_report) ÷ that reference", f"{whole:.2f}×", "—", None),
        (
            "peak memory, whole report − that reference",
            f"{whole_mem:+.1f} MiB",
            f"≤ +{MEMORY_GOAL_MIB:.0f} MiB",
            whole_mem <= MEMORY_GOAL_MIB,
        ),
    ]
    title = f"consolidated workbook, 2,000 indicators × 12 years, medians of {RUNS} runs"
    return 0 if print_table(title, rows) else 3  # 3: a goal missed (1 is a crash)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
        raise SystemExit(0)
    raise SystemExit(main())
