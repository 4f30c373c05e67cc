"""The new plan's consolidated workbook carries its continuing indicators' earlier actuals
(issue 17 item 4): two generations made through `kplan`, `kplan report` written, read back with
openpyxl, and printed by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import LineChart
from openpyxl.worksheet.worksheet import Worksheet
from tests.conftest import Database
from tests.two_plans import NEW_PLAN, OLD_K3, OLD_PLAN, make_two_plans, run
from tests.workbooks import charts

from kplan_desktop.exchange.report import SHEET_SERIES

YEARS = [f"令和{n}年度" for n in range(4, 14)]


@pytest.fixture
def workbook(db: Database, tmp_path: Path) -> Path:
    make_two_plans(db, tmp_path)
    # The new plan's own targets of 7-1-2-K1 and 1-1-1-K2 (a new plan's targets start 未設定:
    # trial finding 5; this fixture once drew the old plan's targets copied into the new one,
    # and a policy sheet draws no chart for an indicator without a target).
    assert run(db, "generation", "target", "7-1-2-K1", "30") == 0
    assert run(db, "generation", "target", "1-1-1-K2", "75") == 0
    path = tmp_path / "集約R9.xlsx"
    assert run(db, "report", "-o", str(path), "--year", "R9") == 0
    return path


def test_the_series_sheet_holds_the_old_plans_years_marked_and_the_new_ones(
    workbook: Path,
) -> None:
    book = load_workbook(workbook)
    names = book.sheetnames
    # After the policy sheets, before the linked plans' sheet.
    assert names.index(SHEET_SERIES) == names.index("計画横断") - 1
    ws = book[SHEET_SERIES]
    rows = [list(r) for r in ws.iter_rows(min_row=4, max_row=9, max_col=16, values_only=True)]
    assert rows[0] == ["指標コード", "指標名", "単位", "計画", "その計画でのコード",
                       "その計画の目標値", *YEARS]  # fmt: skip
    # Each year under the plan it belonged to; the old plan's years marked 前計画.
    assert rows[1][3:] == ["年度の計画 →", None, None] + ["前計画"] * 5 + ["本計画"] * 5
    k2_old, k2_new, k3_old, k3_new = rows[2:6]
    assert k3_old[:6] == ["7-1-1-K3", "地区公民館コミュニティ事業への参加者数", "人",
                          f"{OLD_PLAN}（前計画）", "7-1-1-K3", 7500]  # fmt: skip
    # The old plan's five years, each once, and nothing of it after its last year.
    assert k3_old[6:] == [Decimal(v) if "." in v else int(v) for v in OLD_K3.values()] + [None] * 5
    assert k3_new[:6] == ["7-1-1-K3", "地区公民館コミュニティ事業への参加者数", "人",
                          NEW_PLAN, "7-1-1-K3", 9000]  # fmt: skip
    assert k3_new[6:] == [None] * 5 + [8000, None, None, None, None]
    # A code changed at the boundary: the row names the code each plan gave it.
    assert (k2_old[0], k2_old[4], k2_new[0], k2_new[4]) == ("1-1-1-K2", "7-1-1-K2", "1-1-1-K2",
                                                             "1-1-1-K2")  # fmt: skip
    assert k2_old[6:] == [None, None, None, "未集計", "未集計"] + [None] * 5
    assert k2_new[6:] == [None] * 5 + [70, None, None, None, None]
    # The old plan's year cells are grey (marked in colour as well as in words).
    fills = {ws.cell(8, c).fill.fgColor.rgb for c in range(7, 12)}
    assert fills == {"00E7E6E6"}
    assert ws.cell(9, 12).fill.fgColor.rgb != "00E7E6E6"
    # The old plan's long name wraps inside the 計画 column, its row tall enough for every line
    # (trial finding 14: it overflowed into the next columns).
    assert ws.cell(8, 4).alignment.wrap_text and ws.cell(8, 2).alignment.wrap_text
    width = ws.column_dimensions["D"].width
    lines = -(-sum(2 if ord(c) > 0x2E7F else 1 for c in f"{OLD_PLAN}（前計画）") // int(width))
    assert lines >= 2 and (ws.row_dimensions[8].height or 0) >= 15 * lines
    # Only continuing indicators: 7-1-1-A1 (no link) is not on the sheet.
    codes = {r[0] for r in ws.iter_rows(min_row=6, max_col=1, values_only=True)}
    assert "7-1-1-A1" not in codes


def test_each_chart_draws_the_old_actuals_apart_with_each_plans_target(workbook: Path) -> None:
    ws = load_workbook(workbook)[SHEET_SERIES]
    assert isinstance(ws, Worksheet)
    found = charts(ws)
    assert len(found) == 2
    chart = found[1]
    assert isinstance(chart, LineChart)
    titles = []
    values: list[list[object]] = []
    for series in chart.series:
        ref = series.tx.strRef.f
        titles.append(ws[ref.split("!")[1].replace("$", "")].value)
        sheet_range = series.val.numRef.f.split("!")[1].replace("$", "")
        values.append([c.value for c in next(iter(ws[sheet_range]))] if ":" in sheet_range else [])
    assert titles == ["7-1-1-K3 前計画の実績", "7-1-1-K3 実績", "7-1-1-K3 前計画の目標",
                      "7-1-1-K3 目標"]  # fmt: skip
    assert values[0] == [2000, 3100, 4000, 6000, 7000] + [None] * 5
    assert values[1] == [None] * 5 + [8000, None, None, None, None]
    assert values[2] == [7500] * 5 + [None] * 5
    assert values[3] == [None] * 5 + [9000] * 5


def test_a_plan_that_continues_nothing_has_no_series_sheet(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "one.xlsx"
    assert run(db, "report", "-o", str(path)) == 0
    assert SHEET_SERIES not in load_workbook(path, read_only=True).sheetnames


@pytest.mark.sqlite_only
def test_libreoffice_prints_the_new_plans_workbook_with_the_old_years(
    workbook: Path, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    out = tmp_path / "pdf"
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(out), str(workbook)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    pdf = out / (workbook.stem + ".pdf")
    assert done.returncode == 0 and pdf.exists() and "Error" not in output, output
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "計画をまたぐ指標の推移（継続指標）" in text
    assert "前計画" in text and "7,000人" in text


def _chart_title(chart: LineChart) -> str:
    title = chart.title
    assert title is not None and title.tx is not None and title.tx.rich is not None
    return "".join(run.t for p in title.tx.rich.p for run in (p.r or []))


def _cells(ws: Worksheet, ref: str) -> list[object]:
    where = ref.split("!")[1].replace("$", "")
    return [c.value for c in next(iter(ws[where]))] if ":" in where else [ws[where].value]


def test_a_continuing_indicators_policy_chart_draws_its_earlier_actuals_apart(
    workbook: Path,
) -> None:
    """Issue 17: the new plan's policy sheet charts 7-1-1-K3 with the old plan's actuals as a
    series of their own, over the old plan's years marked 前計画 on the axis, then the new
    plan's actuals and target; an indicator that continues nothing keeps its plan's years."""
    ws = load_workbook(workbook)["政策7-1"]
    assert isinstance(ws, Worksheet)
    lines = {_chart_title(c): c for c in charts(ws) if isinstance(c, LineChart)}
    (k3,) = [c for t, c in lines.items() if t.startswith("7-1-1-K3")]
    titles = [_cells(ws, s.tx.strRef.f)[0] for s in k3.series]
    assert titles == ["7-1-1-K3 前計画の実績", "7-1-1-K3 実績", "7-1-1-K3 目標"]
    values = [_cells(ws, s.val.numRef.f) for s in k3.series]
    assert values[0] == [int(v) for v in OLD_K3.values()] + [None] * 5
    assert values[1] == [None] * 5 + [8000, None, None, None, None]
    assert values[2] == [None] * 5 + [9000] * 5
    categories = k3.series[0].cat
    assert categories is not None
    ref = categories.numRef or categories.strRef
    assert ref is not None
    assert _cells(ws, ref.f) == [f"{y}（前計画）" for y in YEARS[:5]] + YEARS[5:]
    assert k3.display_blanks == "gap"
    # The code changed at the boundary (7-1-1-K2 → 1-1-1-K2): its old years are drawn too.
    (k2,) = [c for t, c in lines.items() if t.startswith("1-1-1-K2")]
    assert _cells(ws, k2.series[0].tx.strRef.f) == ["1-1-1-K2 前計画の実績"]
    # 7-1-2-K1 continues nothing (replaced under its code): its chart has this plan's years only.
    (other,) = [c for t, c in lines.items() if t.startswith("7-1-2-K1")]
    assert [_cells(ws, s.tx.strRef.f)[0] for s in other.series] == ["7-1-2-K1 実績",
                                                                     "7-1-2-K1 目標"]  # fmt: skip
    assert len(_cells(ws, other.series[0].val.numRef.f)) == 5
