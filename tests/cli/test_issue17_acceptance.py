"""Issue 17's acceptance lines, each as written, through the `kplan` program run as a clerk runs
it (a subprocess: `python -m kplan_desktop.cli`, the program the console script starts), on real
SQLite files, with LibreOffice for the PDF.

1. `kplan --help` shows the commands; `kplan generation` creates the next generation from the
   seed plan, continues 7-1-1-K3, ends another indicator and adds a new one; `kplan show` of the
   new generation shows 7-1-1-K3's baseline taken from the old plan's chosen year and its old
   actuals in its history — here.
2. In FY2027 one department's R8 and R9 submissions merge into the right generations in one
   `kplan merge` call: tests/exchange/test_generation_files.py
   (test_one_merge_call_routes_an_r8_file_and_an_r9_file_into_their_own_generations, and two
   departments' four files in tests/exchange/test_decade.py, on SQLite and PostgreSQL).
3. The 最終評価 workbook of the seed plan lists every indicator's final rate and grade, and
   LibreOffice converts it to PDF without an error (its pages and its text checked) — here,
   in Japanese and in English (`--lang en`).
4. A database made before plan generations opens, migrates and shows every value it had:
   tests/store/test_generation_upgrade.py (the previous release's own file and output).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kplan_desktop.exchange.final_evaluation_xlsx import (
    SHEET_INDICATORS,
    SHEET_SUMMARY,
    SHEETS_EN,
)
from tests.exchange.test_final_evaluation import EXPECTED
from tests.exchange.test_final_evaluation import _edit_catalog as set_targets
from tests.exchange.test_final_evaluation import _fill as five_years
from tests.workbooks import sheet

pytestmark = pytest.mark.sqlite_only

# The old plan's actuals of 7-1-1-K3, R4 … R8.
K3 = {"R4": "2,000人", "R5": "3,100人", "R6": "4,000人", "R7": "6,000人", "R8": "7,000人"}


def kplan(db: Path, *args: str, code: int = 0) -> str:
    """Run `kplan --db DB ARGS` as its own process; its standard output (the exit code
    checked)."""
    done = subprocess.run(
        [sys.executable, "-m", "kplan_desktop.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == code, (args, done.stdout, done.stderr)
    return done.stdout


def kplan_json(db: Path, *args: str) -> Any:
    return json.loads(kplan(db, *args, "--json"))


def test_kplan_help_shows_the_commands(tmp_path: Path) -> None:
    shown = kplan(tmp_path / "none.sqlite3", "--help")
    for command in ("generation", "final-evaluation", "show", "merge", "export", "report"):
        assert command in shown, command
    generation = kplan(tmp_path / "none.sqlite3", "generation", "--help")
    for sub in ("list", "new", "decide", "add", "activate"):
        assert sub in generation, sub
    final = kplan(tmp_path / "none.sqlite3", "final-evaluation", "--help")
    for option in ("--close", "--generation", "--json", "--lang", "--out"):
        assert option in final, option
    # Nothing was created by asking for help.
    assert not (tmp_path / "none.sqlite3").exists()


def test_the_next_plan_continues_k3_ends_one_adds_one_and_show_gives_k3s_whole_history(
    tmp_path: Path,
) -> None:
    db = tmp_path / "planning.sqlite3"
    kplan(db, "init")
    for year, value in K3.items():
        kplan(db, "enter", "--indicator", "7-1-1-K3", "--year", year, "--value", value,
              "--comment", "確認済み")  # fmt: skip
    # R7 of the department finalised (確定): a baseline is taken only from a final value.
    for code in ("7-1-1-A1", "7-1-1-K1", "7-1-1-K2", "7-1-2-A1", "7-1-2-K1"):
        kplan(db, "enter", "--indicator", code, "--year", "R7", "--value", "未集計",
              "--comment", "集計中")  # fmt: skip
    kplan(db, "finalise", "--department", "community", "--year", "R7")
    kplan(db, "generation", "new", "--name", "次期基本計画", "--start", "R9", "--end", "R13",
          "--baseline-year", "R8")  # fmt: skip
    # The base year chosen for K3 is R7 (not the generation's R8): its baseline is R7's final
    # 6,000 (R8's 7,000 is merely entered).
    kplan(db, "generation", "decide", "7-1-1-K3", "continue", "--base-year", "R7")
    kplan(db, "generation", "decide", "7-1-2-K1", "end")
    kplan(db, "generation", "add", "--measure", "7-1-1", "--code", "7-1-1-K4", "--name",
          "協働事業の提案件数", "--unit", "件", "--department", "community",
          "--target", "20")  # fmt: skip
    kplan(db, "generation", "activate", "2")

    listed = kplan_json(db, "generation", "list")
    assert [(g["number"], g["active"]) for g in listed] == [(1, False), (2, True)]
    new = {row["code"]: row for row in kplan_json(db, "show")}
    assert new["7-1-1-K3"]["baseline"] == "6000"
    assert "7-1-2-K1" not in new
    assert (new["7-1-1-K4"]["name"], new["7-1-1-K4"]["target"]) == ("協働事業の提案件数", "20")
    assert sorted(new["7-1-1-K3"]["years"]) == [str(y) for y in range(2027, 2032)]

    (history,) = kplan_json(db, "show", "--history", "--indicator", "7-1-1-K3")
    plans = [(p["generation"], p["code"], p["baseline"]) for p in history["plans"]]
    assert plans == [(1, "7-1-1-K3", "1225"), (2, "7-1-1-K3", "6000")]
    years = {y["fiscal_year"]: (y["generation"], y["value"]) for y in history["years"]}
    assert {y: years[y] for y in range(2022, 2027)} == {
        2022: (1, "2000"),
        2023: (1, "3100"),
        2024: (1, "4000"),
        2025: (1, "6000"),
        2026: (1, "7000"),
    }
    assert {y: years[y] for y in range(2027, 2032)} == {y: (2, None) for y in range(2027, 2032)}
    assert history["boundaries"] == [2027]
    # As a clerk reads it: the old actuals, then the boundary naming the new baseline.
    text = kplan(db, "show", "--history", "--indicator", "7-1-1-K3").splitlines()
    boundary = next(n for n, line in enumerate(text) if line.startswith("── 計画の切り替え"))
    assert "基準値: 6000" in text[boundary] and "令和7年度" in text[boundary], text[boundary]
    old = [line for line in text[:boundary] if line.startswith("令和")]
    assert [line.split("\t")[3] for line in old] == ["2000", "3100", "4000", "6000", "7000"]


def _pdf(workbooks: list[Path], folder: Path) -> list[Path]:
    """LibreOffice converts the workbooks (one soffice, its own profile); the PDFs."""
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.fail("LibreOffice (soffice) and poppler-utils are needed (scripts/test has them)")
    out = folder / "pdf"
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(folder / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, workbooks)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "Error" not in output, output
    pdfs = [out / f"{w.stem}.pdf" for w in workbooks]
    assert all(p.exists() and p.stat().st_size > 0 for p in pdfs), output
    return pdfs


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def _flat_text(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return "".join(text.split())


def test_the_final_evaluation_lists_every_indicator_and_libreoffice_prints_it_in_both_languages(
    tmp_path: Path,
) -> None:
    db = tmp_path / "planning.sqlite3"
    kplan(db, "init")
    set_targets(db, tmp_path)
    five_years(db)
    codes = [row["code"] for row in kplan_json(db, "show")]
    assert len(codes) == 25
    japanese, english = tmp_path / "最終評価.xlsx", tmp_path / "final-evaluation.xlsx"
    printed = kplan(db, "final-evaluation", "-o", str(japanese))
    printed_en = kplan(db, "final-evaluation", "-o", str(english), "--lang", "en")
    # The printed summary in each language; the JSON's keys and figures the same in both.
    assert "目標達成" in printed and "計画全体" in printed
    assert "reached" in printed_en and "whole plan" in printed_en and "目標達成" not in printed_en
    assert kplan_json(db, "final-evaluation") == kplan_json(db, "final-evaluation", "--lang", "en")

    # The workbook: every indicator once, with its final rate and grade as computed by hand.
    for path, sheet_name, grade_column in (
        (japanese, SHEET_INDICATORS, "評価"),
        (english, SHEETS_EN[SHEET_INDICATORS], "Grade"),
    ):
        ws = sheet(openpyxl.load_workbook(path), sheet_name)
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        header = next(r for r in rows if r[0] in ("指標コード", "Indicator code"))
        listed = {str(r[0]): r for r in rows if r[0] in codes}
        assert sorted(listed) == sorted(codes), path
        rate_at, grade_at = (
            header.index("達成率" if path == japanese else "Rate"),
            header.index(grade_column),
        )
        for code, (_value, _rate, rounded, grade, _reached) in EXPECTED.items():
            assert listed[code][rate_at] == pytest.approx(float(rounded)), (path, code)
            assert listed[code][grade_at] == grade, (path, code)
    assert openpyxl.load_workbook(english).sheetnames == [
        SHEETS_EN[SHEET_SUMMARY],
        SHEETS_EN[SHEET_INDICATORS],
    ]

    pdf_ja, pdf_en = _pdf([japanese, english], tmp_path)
    for pdf in (pdf_ja, pdf_en):
        # Two sheets, each on its own pages: the summary, then 25 indicators under 9 measures.
        assert 2 <= _pages(pdf) <= 6, pdf
    flat_ja, flat_en = _flat_text(pdf_ja), _flat_text(pdf_en)
    for code in codes:
        assert code in flat_ja and code in flat_en, code
    for words in ("指標25件のうち、目標を達成3件", "104.8%", "105.9%", "目標未設定"):
        assert words in flat_ja, words
    for words in ("Wholeplan:of25indicators,3reachedtheirtarget", "104.8%", "7,500ormore"):
        assert words in flat_en, words
    assert "目標未設定" not in flat_en and "最終評価" not in flat_en
