"""The consolidated workbook (集約ブック): written from a real database, read back with openpyxl."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter
from tests.workbooks import chart_top_row, charts, fits_to_page, header_text, sheet

from kplan_desktop.cli import main
from kplan_desktop.domain.catalog import Policy
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.validation import Finding, Severity
from kplan_desktop.exchange.payload import MergeReport, ReportLine, RowOutcome, SubmissionRecord
from kplan_desktop.exchange.report import (
    ReportData,
    ReportPart,
    policy_sheet_name,
    write_report,
)
from kplan_desktop.exchange.report.base import _page_starts
from kplan_desktop.store.actuals import StoredFinding, stored_findings
from kplan_desktop.store.engine import Store
from kplan_desktop.store.overview import overview

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.chart._chart import ChartBase
    from openpyxl.worksheet.worksheet import Worksheet

FY = 2024  # 令和6年度
HYPERLINK = '=HYPERLINK("http://example.com/","click")'
MERGED_AT = datetime(2025, 5, 20, 1, 30, tzinfo=UTC)
POLICY_SHEETS = ["政策7-1", "政策7-2", "政策7-3", "政策7-4", "政策7-5"]
# The seed's eight measures, one 施策評価シート each.
MEASURES = ["7-1-1", "7-1-2", "7-2-1", "7-2-2", "7-3-1", "7-4-1", "7-5-1", "7-5-2"]
ALL_SHEETS = [
    "概要",
    "指標一覧",
    *POLICY_SHEETS,
    "計画横断",
    *[f"施策評価{m}" for m in MEASURES],
    "提出状況",
    "検証結果",
    "取込結果",
    "参考データ",
]


def enter(db: Path, code: str, year: int, value: str, comment: str | None = None) -> None:
    args = ["--db", str(db), "enter", "--indicator", code, "--year", str(year), "--value", value]
    if comment is not None:
        args.append(f"--comment={comment}")
    assert main(args) == 0


@pytest.fixture
def entered(db: Path) -> Path:
    """A season's values: K3 on its way (grade C), K1 reached (A) and not compiled, 収納率 D."""
    enter(db, "7-1-1-K3", 2022, "3000", HYPERLINK)  # a warning: the comment is required
    enter(db, "7-1-1-K3", 2023, "4,000人", "@SUM(A1)")
    enter(db, "7-1-1-K3", 2024, "5000", "+1")
    enter(db, "7-1-1-K2", 2022, "52", "-1")
    enter(db, "7-1-1-K1", 2024, "未集計")
    enter(db, "7-1-1-K1", 2025, "5", "目標を達成\n次年度も継続")
    enter(db, "7-5-2-K1", 2024, "98.7")
    return db


def submission(department: str, year: int = FY, **changes: Any) -> SubmissionRecord:
    record = SubmissionRecord(
        department=department,
        fiscal_year=year,
        file=f"{department}-R6.xlsx",
        sha256="0" * 64,
        kind="submission",
        exported_at=datetime(2025, 5, 10, 0, 0, tzinfo=UTC),
        finalised_by="市民協働課長",
        finalised_at=datetime(2025, 5, 11, 0, 0, tzinfo=UTC),
        merged_at=MERGED_AT,
        merged_by="企画担当 山田",
        rows=6,
    )
    return dataclasses.replace(record, **changes)


def merge_report() -> MergeReport:
    return MergeReport(
        file="=cmd|' /C calc'!A0.xlsx",
        sha256="1" * 64,
        kind="edited",
        department="community",
        fiscal_year=FY,
        merged_at=MERGED_AT,
        merged_by="企画担当 山田",
        dry_run=False,
        written=True,
        lines=[
            ReportLine(5, "7-1-1-K3", FY, RowOutcome.NEW, "", "", "5000", None),
            ReportLine(
                6,
                "7-1-1-K2",
                FY,
                RowOutcome.REJECTED,
                "単位が違います（件）",
                "wrong unit",
                "9件",
                None,
            ),
        ],
        notes_ja=["ファイルが保存後に編集されています"],
        notes_en=["edited after export"],
    )


def report_data(db: Path, **changes: Any) -> ReportData:
    store = Store.open(str(db))
    try:
        with store.snapshot() as conn:
            catalog, rows = overview(conn, 1)
            found = stored_findings(conn, 1)
    finally:
        store.dispose()
    unexplained = Finding("W_SAME_VALUE", Severity.WARNING, "同じ値が3年続いています", "same value")
    explained = Finding("W_OVER_TARGET", Severity.WARNING, "目標の3倍を超えています", "over 3x")
    data = ReportData(
        catalog=catalog,
        rows=rows,
        fiscal_year=FY,
        submissions=[submission("community")],
        findings=[
            *found,
            StoredFinding("7-4-1-K1", 2023, unexplained, explained=False),
            StoredFinding("7-4-1-K2", 2023, explained, explained=True),
        ],
        merge_reports=[merge_report()],
        generated_at=datetime(2025, 6, 1, 3, 0, tzinfo=UTC),
        generated_by="企画担当 山田",
    )
    return dataclasses.replace(data, **changes)


@pytest.fixture
def report(entered: Path, tmp_path: Path) -> Path:
    path = tmp_path / "集約ブック.xlsx"
    assert write_report(path, report_data(entered)) is True
    return path


def rows_of(ws: Worksheet) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def find_row(ws: Worksheet, *prefix: object) -> tuple[Any, ...]:
    """The cells of the first row whose leading values are `prefix`."""
    for row in ws.iter_rows():
        if tuple(c.value for c in row[: len(prefix)]) == prefix:
            return tuple(row)
    raise AssertionError(f"no row starting with {prefix!r} in {ws.title}")


def chart_data_row(ws: Worksheet, label: str) -> tuple[Any, ...]:
    """The cells of the chart-data row labelled `label`, from its label on (right of the report)."""
    for row in ws.iter_rows():
        for n, cell in enumerate(row):
            if cell.value == label:
                return tuple(row[n:])
    raise AssertionError(f"no chart data {label!r} in {ws.title}")


def by_header(ws: Worksheet, row: tuple[Any, ...], header_row: int = 1) -> dict[str, Any]:
    headers = [c.value for c in ws[header_row]]
    return {str(h): cell for h, cell in zip(headers, row, strict=False) if h}


def fill_of(cell: Cell | MergedCell) -> str:
    return str(cell.fill.fgColor.rgb)[-6:] if cell.fill.fill_type == "solid" else ""


def test_report_has_every_sheet_in_order(report: Path) -> None:
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ALL_SHEETS


def test_indicator_list_has_a_row_per_indicator_and_year(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["指標一覧"]
    rows = rows_of(ws)
    assert rows[0] == (
        "指標コード",
        "担当課",
        "政策",
        "施策",
        "指標名",
        "単位",
        "年度",
        "基準値",
        "目標値",
        "実績",
        "達成率",
        "評価",
        "コメント",
    )
    body = rows[1:]
    assert len(body) == 25 * 5
    assert {(r[0], r[6]) for r in body} == {
        (code, year)
        for code in {r[0] for r in body}
        for year in ("令和4年度", "令和5年度", "令和6年度", "令和7年度", "令和8年度")
    }
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:M126"


def test_entered_values_grades_and_comments_are_in_their_cells(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["指標一覧"]
    k3 = by_header(ws, find_row(ws, "7-1-1-K3", "市民協働担当課", "7-1 市民活動の支援"))
    assert k3["指標名"].value == "地区公民館コミュニティ事業への参加者数"
    assert k3["単位"].value == "人"
    first = by_header(ws, _year_row(ws, "7-1-1-K3", "令和4年度"))
    assert first["実績"].value == 3000
    assert first["コメント"].value == HYPERLINK

    cells = by_header(ws, _year_row(ws, "7-1-1-K3", "令和6年度"))
    assert cells["基準値"].value == 1225
    assert cells["基準値"].number_format == '#,##0"人"'
    assert cells["目標値"].value == 7500
    assert cells["目標値"].number_format == '#,##0"人以上"'
    assert cells["実績"].value == 5000
    assert cells["実績"].number_format == '#,##0"人"'
    # (5000 − 1225) ÷ (7500 − 1225) = 60.16 % → 60.2 %, grade C
    assert cells["達成率"].value == pytest.approx(0.602)
    assert cells["達成率"].number_format == "0.0%"
    assert cells["評価"].value == "C"
    assert cells["コメント"].value == "+1"

    pending = by_header(ws, _year_row(ws, "7-1-1-K1", "令和6年度"))
    assert pending["実績"].value == "未集計"
    assert pending["評価"].value == "データ未確定"
    reached = by_header(ws, _year_row(ws, "7-1-1-K1", "令和7年度"))
    assert (reached["実績"].value, reached["評価"].value) == (5, "A")
    assert reached["コメント"].value == "目標を達成\n次年度も継続"
    assert reached["コメント"].alignment.wrap_text

    percent = by_header(ws, _year_row(ws, "7-5-2-K1", "令和6年度"))
    assert percent["実績"].value == pytest.approx(98.7)
    assert percent["実績"].number_format == '#,##0.0"%"'  # the decimal is kept
    assert percent["評価"].value == "D"
    nothing = by_header(ws, _year_row(ws, "7-1-1-A1", "令和6年度"))
    assert nothing["実績"].value is None
    assert nothing["評価"].value == "—"


def _year_row(ws: Worksheet, code: str, year: str) -> tuple[Any, ...]:
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code and row[6].value == year:
            return tuple(row)
    raise AssertionError(f"no row for {code} {year}")


def test_each_grade_has_its_own_fill_and_keeps_its_letter(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["指標一覧"]
    fills = {}
    for code, year in (
        ("7-1-1-K1", "令和7年度"),
        ("7-1-1-K3", "令和6年度"),
        ("7-5-2-K1", "令和6年度"),
    ):
        grade = by_header(ws, _year_row(ws, code, year))["評価"]
        fills[grade.value] = fill_of(grade)
    assert set(fills) == {"A", "C", "D"}
    assert len(set(fills.values())) == 3 and "" not in fills.values()
    assert fills["A"] == "63BE7B"  # green
    pending = by_header(ws, _year_row(ws, "7-1-1-K2", "令和6年度"))["評価"]
    assert fill_of(pending) == ""


def test_text_that_looks_like_a_formula_stays_text(report: Path) -> None:
    book = openpyxl.load_workbook(report)
    ws = book["指標一覧"]
    comments = {
        _year_row(ws, "7-1-1-K3", "令和4年度")[12],
        _year_row(ws, "7-1-1-K3", "令和5年度")[12],
        _year_row(ws, "7-1-1-K3", "令和6年度")[12],
        _year_row(ws, "7-1-1-K2", "令和4年度")[12],
    }
    assert {c.value for c in comments} == {HYPERLINK, "@SUM(A1)", "+1", "-1"}
    for cell in comments:
        assert cell.data_type == "s", cell.value
        assert cell.quotePrefix, cell.value
    merges = book["取込結果"]
    files = [row[0] for row in merges.iter_rows(min_row=2)]
    assert {c.value for c in files} == {"=cmd|' /C calc'!A0.xlsx"}
    assert all(c.data_type == "s" for c in files)
    with zipfile.ZipFile(report) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(name) for name in sheets)


def test_policy_sheets_hold_the_year_table_and_charts(report: Path) -> None:
    book = openpyxl.load_workbook(report)
    ws = book["政策7-1"]
    header = find_row(ws, "施策", "指標コード")
    assert [c.value for c in header][6:11] == [
        "令和4年度",
        "令和5年度",
        "令和6年度",
        "令和7年度",
        "令和8年度",
    ]
    k3 = [c.value for c in find_row(ws, "7-1-1", "7-1-1-K3")]
    assert k3[5:11] == [1225, 3000, 4000, 5000, None, None]
    assert k3[11:15] == [7500, pytest.approx(0.602), "C", "やや遅れ"]
    measure = [c.value for c in find_row(ws, "7-1-1", None, None, "コミュニティづくり")]
    assert measure[4:9] == [0, 0, 1, 0, 3]  # A B C D, not graded
    assert ws.freeze_panes == "A5"
    kinds = sorted(type(chart).__name__ for chart in charts(ws))
    # the grade bar chart, and a line per indicator with a target (K1, K2, K3, 7-1-2-K1)
    assert kinds == ["BarChart", "LineChart", "LineChart", "LineChart", "LineChart"]
    with zipfile.ZipFile(report) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        xml = b"".join(archive.read(n) for n in parts)
    sheets = [*POLICY_SHEETS, *[f"施策評価{m}" for m in MEASURES]]
    assert len(parts) == sum(len(charts(sheet(book, name))) for name in sheets)
    assert xml.count(b"lineChart>") >= 2 * 4 and b"barChart>" in xml
    assert "政策7-1" in xml.decode("utf-8")  # the series read the sheet's own cells


def test_line_chart_draws_actuals_against_a_flat_target(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["政策7-1"]
    actual = [c.value for c in chart_data_row(ws, "7-1-1-K3 実績")]
    target = [c.value for c in chart_data_row(ws, "7-1-1-K3 目標")]
    assert actual[1:6] == [3000, 4000, 5000, None, None]
    assert target[1:6] == [7500] * 5
    chart = next(c for c in charts(ws) if type(c).__name__ == "LineChart" and "K3" in _title(c))
    refs = [s.val.numRef.f for s in chart.series]
    rows = {int(ref.rsplit("$", 1)[1]) for ref in refs}
    assert rows == {
        chart_data_row(ws, "7-1-1-K3 実績")[0].row,
        chart_data_row(ws, "7-1-1-K3 目標")[0].row,
    }


def test_chart_data_is_kept_out_of_the_printout(report: Path) -> None:
    book = openpyxl.load_workbook(report)
    for name in POLICY_SHEETS:
        ws = book[name]
        header = [c.value for c in find_row(ws, "施策", "指標コード")]
        last = get_column_letter(header.index("進捗状況") + 1)
        area = ws.print_area
        assert area.startswith(f"'{name}'!$A$1:${last}$"), name
        bottom = max((chart_top_row(c) for c in charts(ws)), default=0) + 15
        assert int(area.rsplit("$", 1)[1]) >= bottom, name  # every chart inside
    ws = book["政策7-1"]
    label = chart_data_row(ws, "7-1-1-K3 実績")[0]
    assert label.column > column_index_from_string(last) + 1  # right of the report, a gap
    # wide enough for 7,500人以上 (no ###) and for the series names
    assert ws.column_dimensions[label.column_letter].width >= 14
    value_letter = get_column_letter(label.column + 1)
    assert ws.column_dimensions[value_letter].width >= 12


def test_line_charts_draw_straight_segments(report: Path) -> None:
    with zipfile.ZipFile(report) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        lines = [x for x in (archive.read(n) for n in charts) if b"lineChart>" in x]
    assert lines
    for xml in lines:
        assert xml.count(b"<c:ser>") == xml.count(b'<c:smooth val="0"')
        assert b'<c:smooth val="1"' not in xml


def test_policy_sheet_charts_start_a_page_rather_than_be_split(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["政策7-1"]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks  # five charts in three bands do not fit one page at this scale
    anchors = sorted({chart_top_row(chart) for chart in charts(ws)})  # 1-based rows
    for after in breaks:
        assert after + 1 in anchors or not any(a <= after < a + 15 for a in anchors), after


def test_page_starts_never_split_a_block() -> None:
    rows = [(r, 1) for r in range(1, 11)] + [(11, 16), (27, 16), (43, 16)]
    assert _page_starts(rows, 40, title_rows=1) == [27]
    assert _page_starts(rows, 30, title_rows=1) == [27, 43]
    assert _page_starts(rows, 20, title_rows=1) == [11, 27, 43]
    assert _page_starts([(1, 5), (6, 50), (56, 5)], 20) == [6]  # the tall one runs on
    assert _page_starts([(1, 5)], 20) == []


def test_summary_header_row_is_tall_enough_for_two_lines(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["概要"]
    header = find_row(ws, "区分", "コード")
    assert ws.row_dimensions[header[0].row].height >= 30
    assert any(c.value == "データ未確定" for c in header)


def _title(chart: ChartBase) -> str:
    title = chart.title
    assert title is not None and title.tx is not None and title.tx.rich is not None
    return "".join(run.t for p in title.tx.rich.p for run in (p.r or []))


def test_cross_plan_sheet_lists_tagged_directions_with_their_codes(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["計画横断"]
    rows = rows_of(ws)
    strategy = [r for r in rows if r[0] == "総合戦略"]
    reform = [r for r in rows if r[0] == "行財政改革"]
    assert [r[1] for r in strategy] == ["4-1-1", "4-1-2"]
    assert len(reform) == 22
    community = next(r for r in strategy if r[1] == "4-1-2")
    assert community[2:5] == (
        "コミュニティ活動の充実",
        "7-1-1 コミュニティづくり",
        "(1) 地域コミュニティの推進",
    )
    assert community[6:11] == (4, 0, 0, 1, 0)
    assert any(r[1] == "3-1-2-2" and r[3] == "7-1-1 コミュニティづくり" for r in reform)

    k3 = next(r for r in rows if r[0] == "7-1-1-K3")
    assert k3[4] == "4-1-2 コミュニティ活動の充実"
    assert k3[5] == "3-1-2-2 地縁コミュニティの活性化"
    assert k3[6:10] == (5000, pytest.approx(0.602), "C", "やや遅れ")
    listed = {r[0] for r in rows}
    assert "7-2-1-K1" not in listed  # 男女共同参画 carries no tag
    assert "7-4-1-K1" in listed


def test_submission_status_shows_every_department_and_year(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["提出状況"]
    rows = rows_of(ws)
    assert len(rows) == 1 + 10 * 3  # 10 departments × 令和4–6年度
    cells = by_header(ws, find_row(ws, "community", "市民協働担当課", "令和6年度"))
    assert cells["状況"].value == "提出済み"
    assert cells["種別"].value == "提出ブック"
    assert cells["確定者"].value == "市民協働課長"
    assert cells["取込者"].value == "企画担当 山田"
    assert cells["行数"].value == 6
    assert isinstance(cells["取込日時"].value, datetime)
    assert (
        by_header(ws, find_row(ws, "community", "市民協働担当課", "令和5年度"))["状況"].value
        == "未提出"
    )
    assert (
        by_header(ws, find_row(ws, "equality", "男女共同参画担当課", "令和6年度"))["状況"].value
        == "未提出"
    )
    assert (
        by_header(ws, find_row(ws, "planning", "企画担当課", "令和6年度"))["状況"].value
        == "対象外（指標なし）"
    )


def test_summary_counts_grades_completion_and_submissions(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["概要"]
    rows = rows_of(ws)
    assert rows[3][:3] == ("対象年度", None, "令和6年度")
    assert rows[5][:3] == ("作成者", None, "企画担当 山田")
    header_row = find_row(ws, "区分", "コード")[0].row
    cells = by_header(ws, find_row(ws, "政策", "7-1"), header_row)
    counts = {h: c.value for h, c in cells.items()}
    assert counts["指標数"] == 6
    assert (counts["A"], counts["B"], counts["C"], counts["D"]) == (0, 0, 1, 0)
    assert counts["データ未確定"] == 3  # K1 未集計, K2 and 7-1-2-K1 not entered
    assert counts["—（目標未設定）"] == 2
    assert counts["入力済み"] == 2  # K3, and K1 explained as 未集計
    assert counts["入力率"] == pytest.approx(2 / 6)
    assert (counts["提出課"], counts["対象課"], counts["提出率"]) == (1, 1, 1)
    whole = {h: c.value for h, c in by_header(ws, find_row(ws, "全体"), header_row).items()}
    assert whole["指標数"] == 25
    assert (whole["C"], whole["D"]) == (1, 1)
    assert (whole["提出課"], whole["対象課"]) == (1, 9)
    measure = {
        h: c.value for h, c in by_header(ws, find_row(ws, "施策", "7-5-2"), header_row).items()
    }
    assert (measure["指標数"], measure["D"]) == (2, 1)


def test_findings_sheet_lists_only_open_findings(report: Path) -> None:
    rows = rows_of(openpyxl.load_workbook(report)["検証結果"])
    assert rows[1:] == [
        (
            "7-4-1-K1",
            "ホームページアクセス件数",
            "広報広聴担当課",
            "令和5年度",
            "警告",
            "W_SAME_VALUE",
            "同じ値が3年続いています",
        )
    ]


def test_merge_results_list_every_line_and_the_file_notes(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["取込結果"]
    rows = [by_header(ws, row) for row in ws.iter_rows(min_row=2)]
    values = [{h: c.value for h, c in row.items()} for row in rows]
    assert [v["結果"] for v in values] == ["ファイル全体", "新規", "却下"]
    assert values[0]["理由"] == "ファイルが保存後に編集されています"
    rejected = values[2]
    assert rejected["行"] == 6
    assert rejected["指標"] == "7-1-1-K2"
    assert rejected["年度"] == "令和6年度"
    assert rejected["理由"] == "単位が違います（件）"
    assert rejected["ファイルの値"] == "9件"
    assert rejected["種別"] == "編集あり（チェックサム不一致）"
    assert rejected["課"] == "市民協働担当課"
    assert rejected["処理"] == "取込"
    assert values[1]["ファイルの値"] == "5000"


def test_reference_tables_are_copied(report: Path) -> None:
    rows = rows_of(openpyxl.load_workbook(report)["参考データ"])
    titles = [r[0] for r in rows]
    assert "歳入の状況" in titles and "歳出の状況" in titles
    revenue = next(r for r in rows if r[0] == "令和2年")
    assert revenue[1:3] == (24591, 5591)


def test_every_sheet_prints_a4_one_page_wide_with_page_numbers(report: Path) -> None:
    book = openpyxl.load_workbook(report)
    for ws in book.worksheets:
        # 施策評価シート are A4 portrait, as the paper forms they replace; the rest landscape.
        portrait = ws.title.startswith("施策評価")
        assert ws.page_setup.orientation == ("portrait" if portrait else "landscape"), ws.title
        assert str(ws.page_setup.paperSize) == "9", ws.title
        if ws.title in POLICY_SHEETS:
            # a fixed scale, so that the page breaks before the charts are kept (Excel drops
            # manual breaks on a sheet fitted to a page)
            assert not fits_to_page(ws), ws.title
            assert ws.page_setup.scale is not None and 10 <= ws.page_setup.scale < 100, ws.title
        else:
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
            assert fits_to_page(ws), ws.title
        assert "&P" in header_text(ws, "oddFooter", "right"), ws.title
    assert book["指標一覧"].print_title_rows == "$1:$1"
    assert book["政策7-1"].print_title_rows == "$4:$4"


def test_cancel_returns_false_and_leaves_no_file(entered: Path, tmp_path: Path) -> None:
    data = report_data(entered)
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "集約ブック.xlsx"
    assert write_report(path, data, cancelled=lambda: True) is False
    assert list(folder.iterdir()) == []

    calls: list[tuple[int, int]] = []
    assert (
        write_report(
            path, data, progress=lambda d, t: calls.append((d, t)), cancelled=lambda: len(calls) > 3
        )
        is False
    )
    assert list(folder.iterdir()) == []

    path.write_bytes(b"the published report")
    assert write_report(path, data, cancelled=lambda: True) is False
    assert path.read_bytes() == b"the published report"
    assert list(folder.iterdir()) == [path]


def test_progress_counts_up_to_the_total(entered: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    path = tmp_path / "r.xlsx"
    assert write_report(path, report_data(entered), progress=lambda d, t: calls.append((d, t)))
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert calls[-1][0] == calls[-1][1] > 25 * 5
    assert len({t for _, t in calls}) == 1


def test_parts_choose_the_sheets(entered: Path, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    assert write_report(path, report_data(entered), parts={ReportPart.INDICATORS})
    assert openpyxl.load_workbook(path).sheetnames == ["指標一覧"]


def test_reports_written_one_after_another_keep_their_own_styles(
    report: Path, entered: Path, tmp_path: Path
) -> None:
    """Each style's indices are looked up once per workbook: a report written after another
    (whose workbook numbered its styles differently) must not take the first one's."""
    data = report_data(entered)
    merges, again = tmp_path / "merges.xlsx", tmp_path / "again.xlsx"
    assert write_report(merges, data, parts={ReportPart.MERGES})
    assert write_report(again, data)

    def looks(path: Path, sheet: str) -> list[tuple[object, ...]]:
        ws = openpyxl.load_workbook(path)[sheet]
        return [
            (c.value, c.data_type, c.quotePrefix, fill_of(c), c.font.b, c.number_format)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or c.has_style
        ]

    assert looks(again, "指標一覧") == looks(report, "指標一覧")
    assert looks(merges, "取込結果") == looks(report, "取込結果")
    quoted = find_row(openpyxl.load_workbook(merges)["取込結果"], "=cmd|' /C calc'!A0.xlsx")
    assert quoted[0].quotePrefix and quoted[0].data_type == "s"


def test_a_folder_that_does_not_exist_is_an_error_in_both_languages(
    entered: Path, tmp_path: Path
) -> None:
    with pytest.raises(DomainError) as caught:
        write_report(tmp_path / "missing" / "r.xlsx", report_data(entered))
    assert "集約ブック" in caught.value.message_ja


def test_policy_sheet_names_are_valid_and_unique() -> None:
    assert policy_sheet_name(Policy("7-1", "x")) == "政策7-1"
    long = policy_sheet_name(Policy("a/b:c[d]*e?f\\" + "9" * 40, "x"))
    assert len(long) <= 31 and not set(long) & set("[]:*?/\\")
    first = policy_sheet_name(Policy("7-1", "x"), ["概要"])
    assert policy_sheet_name(Policy("7-1", "y"), [first]) == "政策7-1(2)"


def test_libreoffice_opens_the_report_and_prints_it(report: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = done.stdout + done.stderr
    pdf = out / (report.stem + ".pdf")
    assert done.returncode == 0, output
    assert pdf.exists() and pdf.stat().st_size > 0, output
    assert "Error" not in output


def test_report_rows_are_written_as_openpyxl_writes_them(tmp_path: Path) -> None:
    """The report's sheets hand their cells to openpyxl's writer without its error path
    (base._row_cells): the sheet's XML is the one openpyxl's own append writes, for styled
    cells, plain text, numbers, dates, gaps and a formula-like text kept as text."""
    from decimal import Decimal

    from openpyxl.styles import Font

    from kplan_desktop.exchange.report import text_cell
    from kplan_desktop.exchange.report.base import _Sheet, _Style

    bold = _Style(font=Font(bold=True), number_format="0.0%")

    def write(ours: bool) -> bytes:
        book = openpyxl.Workbook(write_only=True)
        ws = _Sheet(book, "s", [10]).ws if ours else book.create_sheet("s")
        for n in range(3):
            ws.append(
                [
                    "指標",
                    None,
                    bold.cell(ws, Decimal("0.125") * n),
                    Decimal(n),
                    text_cell(ws, "=1+1"),
                    datetime(2026, 4, 1, 9, n),
                    bold.cell(ws, "太字"),
                    n,
                ]
            )
        path = tmp_path / f"{ours}.xlsx"
        book.save(path)
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml")
        return xml[xml.index(b"<sheetData") : xml.index(b"</sheetData>")]

    ours, stock = write(True), write(False)
    assert ours == stock
    assert ours.count(b"<c ") == 3 * 7 and b"=1+1" in ours
    with pytest.raises(ValueError):
        _Sheet(openpyxl.Workbook(write_only=True), "s", [10]).append([object()])
