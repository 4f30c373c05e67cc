"""最終評価 of the seed plan after five years of actuals, checked against a hand computation.

The planning division sets the targets the seed leaves blank (through `kplan catalog import`),
the departments' actuals go in through the store's one write function, the 施策評価 through
its own; then `kplan final-evaluation` writes the workbook and the JSON, and LibreOffice prints
the workbook.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.conftest import Database

from kplan_desktop.cli import main
from kplan_desktop.domain.evaluation import Evaluation, NextStep
from kplan_desktop.store.actuals import write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.evaluations import save_evaluation
from kplan_desktop.store.requests import EntryRequest, EntrySource

# The seed leaves these blank; the planning division sets them before the plan runs.
CATALOG_EDITS: dict[str, dict[str, Any]] = {
    # 経常収支比率: lower is better, 93.4 % (R2) → 90.0 % 以下 (R8).
    "7-5-2-A1": {
        "baseline": {"fiscal_year": 2020, "value": "93.4"},
        "target": {"fiscal_year": 2026, "value": "90.0", "comparator": "<="},
    },
    # 証明書コンビニ交付件数: the level is to be kept, 12,000件 (R2) → 12,000件以上 (R8).
    "7-5-1-K2": {
        "unit": "件",
        "direction": "maintain",
        "baseline": {"fiscal_year": 2020, "value": "12000"},
        "target": {"fiscal_year": 2026, "value": "12000", "comparator": ">="},
    },
    # 多文化共生に関する取組数: counted, but no target set.
    "7-2-2-K2": {"unit": "件"},
}

# Five years of actuals, R4 … R8 (None: no row for the year).
ACTUALS: dict[str, list[str | None]] = {
    "7-1-1-K1": ["2回", "3回", "3回", "4回", "4回"],  # 2 → 5回
    "7-1-1-K2": ["52回", "55回", "50回", "48回", "45回"],  # 51 → 69回
    "7-1-1-K3": ["2,500人", "3,800人", "5,000人", "6,200人", "7,800人"],  # 1,225 → 7,500人以上
    "7-1-2-K1": ["12回", "24回", "36回", "48回", "58回"],  # 累計 60回
    "7-2-2-K1": ["達成", None, None, None, None],  # 国際交流協会の設立, due R4
    "7-2-2-K2": ["2件", "3件", "4件", "5件", "6件"],  # no target
    "7-5-1-K2": ["12,100件", "11,900件", "12,050件", "12,200件", "11,800件"],  # keep 12,000
    "7-5-2-A1": ["93.0%", "92.1%", "91.6%", "90.9%", "89.8%"],  # 93.4 → 90.0 % 以下
    "7-5-2-K1": ["98.8%", "98.9%", "99.0%", "99.1%", "未集計"],  # R8 not compiled yet
}
YEARS = (2022, 2023, 2024, 2025, 2026)

# By hand, each indicator's final figures: (final actual, official rate, rounded %, grade,
# reached).
# - 7-1-1-K1: progress (4 − 2) ÷ (5 − 2) = 2/3 → 66.7 % → C; 4 < 5, not reached.
# - 7-1-1-K2: (45 − 51) ÷ (69 − 51) = −6/18 → −33.3 % → D.
# - 7-1-1-K3: (7800 − 1225) ÷ (7500 − 1225) = 6575/6275 → 104.8 % → A; 7800 ≥ 7500.
# - 7-1-2-K1: cumulative, from 0: 58 ÷ 60 → 96.7 % → B; 58 < 60.
# - 7-2-2-K1: milestone due R4, 達成 → 100 % → A, reached.
# - 7-5-1-K2: target = baseline, so the simple rate: 11800 ÷ 12000 → 98.3 % → B; not reached.
# - 7-5-2-A1: lower is better: (89.8 − 93.4) ÷ (90.0 − 93.4) = 3.6/3.4 → 105.9 % → A;
#   89.8 ≤ 90.0, reached.
EXPECTED = {
    "7-1-1-K1": ("4", Decimal(2) / Decimal(3), "0.667", "C", False),
    "7-1-1-K2": ("45", Decimal(-6) / Decimal(18), "-0.333", "D", False),
    "7-1-1-K3": ("7800", Decimal(6575) / Decimal(6275), "1.048", "A", True),
    "7-1-2-K1": ("58", Decimal(58) / Decimal(60), "0.967", "B", False),
    "7-2-2-K1": ("1", Decimal(1), "1.000", "A", True),
    "7-5-1-K2": ("11800", Decimal(11800) / Decimal(12000), "0.983", "B", False),
    "7-5-2-A1": ("89.8", Decimal("-3.6") / Decimal("-3.4"), "1.059", "A", True),
}
# By policy: (indicators, reached, not reached, not judged, reached ÷ judged).
# 7-1: A1 ×2 目標未設定; K1 C, K2 D, 7-1-2-K1 B not reached; K3 reached → 1 of 4.
# 7-2: 7-2-2-K1 reached; 7-2-1-A1/K1/K2 未集計 (no values); 7-2-2-A1, 7-2-2-K2 目標未設定.
# 7-3, 7-4: nothing entered: every indicator 目標未設定 or 未集計.
# 7-5: 7-5-2-A1 reached, 7-5-1-K2 not; 7-5-1-A1 and 7-5-2-K1 未集計, K1 and K3 目標未設定.
BY_POLICY = {
    "7-1": (6, 1, 3, 2, "0.25"),
    "7-2": (6, 1, 0, 5, "1"),
    "7-3": (3, 0, 0, 3, None),
    "7-4": (4, 0, 0, 4, None),
    "7-5": (6, 1, 1, 4, "0.5"),
}
# The plan: 3 reached of 7 judged (3/7 = 42.9 %), 18 not judged, 25 indicators.
PLAN = (25, 3, 4, 18)


def run(db: Database, *args: str) -> int:
    return main(["--db", str(db), *args])


def _edit_catalog(db: Database, tmp_path: Path) -> None:
    exported = tmp_path / "catalog.json"
    assert run(db, "catalog", "export", "-o", str(exported)) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data.pop("version")  # an edit made here: it becomes the next version
    for goal in data["goals"]:
        for policy in goal["policies"]:
            for measure in policy["measures"]:
                for indicator in measure["indicators"]:
                    indicator.update(CATALOG_EDITS.get(indicator["code"], {}))
    edited = tmp_path / "catalog-edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run(db, "catalog", "import", str(edited)) == 0


def _fill(db: Database) -> None:
    requests = [
        EntryRequest(code, year, text, "最終評価のテスト")
        for code, texts in ACTUALS.items()
        for year, text in zip(YEARS, texts, strict=True)
        if text is not None
    ]
    store = Store.open(str(db))
    try:
        with store.transaction() as conn:
            write_actuals(conn, 1, requests, who="tester", source=EntrySource.TEST)
        for evaluation in (
            Evaluation("7-1-1", 2026, "B", "参加者が目標を超えた", NextStep.CONTINUE, ""),
            Evaluation("7-5-2", 2026, "A", "", NextStep.EXPAND, ""),
            # R7 only: the final evaluation shows 7-1-2 as 未記入.
            Evaluation("7-1-2", 2025, "A", "", NextStep.CONTINUE, ""),
        ):
            with store.transaction() as conn:
                save_evaluation(conn, 1, evaluation, who="tester", source=EntrySource.TEST)
    finally:
        store.dispose()


@pytest.fixture
def closing_plan(db: Database, tmp_path: Path) -> Database:
    _edit_catalog(db, tmp_path)
    _fill(db)
    return db


def test_the_final_evaluation_matches_the_hand_computation(
    closing_plan: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "最終評価.xlsx"
    assert run(closing_plan, "final-evaluation", "--out", str(out), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["generation"] == {
        "number": 1,
        "name": "かすみがうら市総合計画 後期基本計画（令和4年度〜令和8年度）",
        "start_year": 2022,
        "end_year": 2026,
        "status": "active",
    }
    by_code = {item["code"]: item for item in data["indicators"]}
    assert len(by_code) == 25
    for code, (value, rate, rounded, grade, reached) in EXPECTED.items():
        item = by_code[code]
        assert item["final_year"] == (2022 if code == "7-2-2-K1" else 2026), code
        assert (item["value"], item["grade"], item["reached"]) == (value, grade, reached), code
        assert Decimal(item["rate"]) == rate, code
        assert item["rate_rounded"] == rounded, code
        assert item["state"] == "judged", code
    # Simple rate where the target is the baseline; the progress rate cannot be computed.
    assert (by_code["7-5-1-K2"]["rate_basis"], by_code["7-5-1-K2"]["progress_rate"]) == (
        "simple",
        None,
    )
    # No target: said so, with its actual, never a rate or a grade letter.
    no_target = by_code["7-2-2-K2"]
    assert (no_target["state"], no_target["state_ja"], no_target["value"]) == (
        "no_target",
        "目標未設定",
        "6",
    )
    assert (no_target["rate"], no_target["grade"], no_target["reached"]) == (
        None,
        "no_target",
        None,
    )
    # No final actual (R8 未集計): not graded from R7; R7 is given for reference only.
    pending = by_code["7-5-2-K1"]
    assert (pending["value"], pending["missing_reason"], pending["state_ja"]) == (
        None,
        "not_compiled",
        "未集計",
    )
    assert (pending["rate"], pending["grade"], pending["reached"]) == (None, "data_pending", None)
    assert pending["latest"] == {"fiscal_year": 2025, "value": "99.1"}
    assert all(item["next_plan"] is None for item in data["indicators"])

    policies = {p["code"]: p for p in data["policies"]}
    for code, (total, reached_n, missed, unjudged, share) in BY_POLICY.items():
        p = policies[code]
        assert (p["indicators"], p["reached"], p["not_reached"], p["not_judged"]) == (
            total,
            reached_n,
            missed,
            unjudged,
        ), code
        assert p["reached_share"] == share, code
    assert policies["7-1"]["grades"] == {
        "A": 1, "B": 1, "C": 1, "D": 1, "not_started": 0, "discontinued": 0,
        "not_assessable": 0, "data_pending": 0, "no_target": 2,
    }  # fmt: skip
    plan = data["plan"]
    assert (plan["indicators"], plan["reached"], plan["not_reached"], plan["not_judged"]) == PLAN
    assert Decimal(plan["reached_share"]) == Decimal(3) / Decimal(7)
    # 施策評価 of R8: 7-1-1 B, 7-1-2 none (only R7's), 7-5-2 A.
    measures = {m["code"]: m for p in data["policies"] for m in p["measures"]}
    assert measures["7-1-1"]["evaluation"]["grade"] == "B"
    assert measures["7-1-2"]["evaluation"] is None
    assert measures["7-5-2"]["evaluation"]["next_step"] == "expand"
    assert policies["7-1"]["self_evaluations"] == {"A": 0, "B": 1, "C": 0, "D": 0, "none": 1}

    # The workbook carries the same figures.
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["最終評価", "指標別"]
    sheet = book["指標別"]
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "指標コード")
    header = [c.value for c in sheet[header_row]]
    rows = {
        row[0]: dict(zip(header, row, strict=False))
        for row in sheet.iter_rows(min_row=header_row + 1, values_only=True)
        if row[0] and str(row[0]).startswith("7-")
    }
    assert len(rows) == 25
    for code, (value, _, rounded, grade, reached) in EXPECTED.items():
        row = rows[code]
        if code != "7-2-2-K1":
            assert Decimal(str(row["最終実績"])) == Decimal(value), code
        assert Decimal(str(row["達成率"])) == Decimal(rounded), code
        assert (row["評価"], row["目標達成"]) == (grade, "達成" if reached else "未達成"), code
    assert rows["7-2-2-K1"]["最終実績"] == "達成"
    assert (rows["7-2-2-K2"]["評価"], rows["7-2-2-K2"]["達成率"]) == ("目標未設定", None)
    assert (rows["7-5-2-K1"]["最終実績"], rows["7-5-2-K1"]["評価"]) == (None, "未集計")
    # The 評価 column says 未集計 / 目標未設定; the 備考 does not say it again (trial finding 14),
    # only the latest actual for reference.
    assert rows["7-5-2-K1"]["備考"] == "参考: 令和7年度 99.1%"
    for key, row in rows.items():
        texts = [v for v in row.values() if isinstance(v, str)]
        said = [v for v in texts if "目標未設定" in v or "未集計" in v]
        assert len(said) <= 1, (key, said)
    summary = book["最終評価"]
    tallies = {
        (r[0], r[1]): r
        for r in summary.iter_rows(values_only=True)
        if r[0] in ("政策", "施策", "全体")
    }
    for code, (total, reached_n, missed, unjudged, _) in BY_POLICY.items():
        assert tallies[("政策", code)][3:7] == (total, reached_n, missed, unjudged), code
    assert tallies[("全体", None)][3:7] == PLAN
    heading = next(r for r in summary.iter_rows(values_only=True) if r[0] == "区分")
    assert heading[15:17] == ("施策評価（R8）", "今後の方向性")
    assert tallies[("施策", "7-1-1")][15:17] == ("B", "継続")
    assert tallies[("施策", "7-1-2")][15] == "未記入"
    assert tallies[("政策", "7-1")][15] == "B1 未記入1"
    for ws in (summary, sheet):
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.print_area and ws.print_title_rows
        setup = ws.sheet_properties.pageSetUpPr
        assert setup is not None and setup.fitToPage and ws.page_setup.fitToWidth == 1


@pytest.mark.sqlite_only
def test_libreoffice_prints_the_workbook_with_the_plans_figures(
    closing_plan: Database, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    out = tmp_path / "最終評価.xlsx"
    assert run(closing_plan, "final-evaluation", "-o", str(out)) == 0
    pdf_dir = tmp_path / "pdf"
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(pdf_dir), str(out)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Error" not in output
    pdf = pdf_dir / "最終評価.pdf"
    assert pdf.exists(), output
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Wrapped cells break lines where the page puts them: compare without white space.
    flat = "".join(text.split())
    for words in (
        "後期基本計画（令和4年度〜令和8年度）　最終評価",
        "後期基本計画",
        "指標 25 件のうち、目標を達成 3 件",
        "市民活動の支援",
        "7-1-1-K3",
        "経常収支比率",
        "7,800",
        "104.8%",
        "105.9%",
        "目標未設定",
        "参考: 令和7年度",
        "99.1%",
    ):
        assert "".join(words.split()) in flat, words
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    # A4 landscape: 841.89 × 595.28 pt.
    assert "(A4)" in size and size.split()[2].startswith("841"), size


@pytest.mark.sqlite_only
def test_another_generation_or_file_type_is_refused_in_both_languages(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(db, "final-evaluation", "--generation", "2", "--json") == 2
    err = capsys.readouterr().err
    assert "計画期 2 はこのデータベースにありません" in err and "generation 2" in err
    wrong = tmp_path / "最終評価.csv"
    assert run(db, "final-evaluation", "--out", str(wrong)) == 2
    assert ".xlsx" in capsys.readouterr().err and not wrong.exists()
    assert run(db, "final-evaluation", "--out", str(tmp_path / "none" / "a.xlsx")) == 2
    assert "最終評価ブックを保存できません" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "final-evaluation" in capsys.readouterr().out
