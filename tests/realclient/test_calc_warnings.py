"""A merge applies the entry rules (issue 13, item 2): a value the window would warn about and
ask a comment for is not written silently. The template is filled in LibreOffice Calc."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from kplan_desktop.exchange.report import SHEET_MERGES
from kplan_desktop.exchange.submission_xlsx import SHEET_TEMPLATE
from tests import seeded
from tests.conftest import dump
from tests.realclient.calc import Calc, type_
from tests.realclient.helpers import cell_of, fresh_db, kplan, stored, template

# 広報広聴担当課: 7-4-1-K1 in 万件 (baseline 260), 7-4-1-K2 in 件 (baseline 3,500),
# 7-4-1-K3 in 回／年 (baseline 3).
TYPED = {
    "7-4-1-K1": "2,600,000",  # typed in 件 for a 万件 indicator: a scale slip (W_SCALE_UNIT)
    # +271% on the baseline (令和2年度): beyond ±50% a year over the years between, far off the
    # path to the target, and under three times the target: W_YOY_CHANGE alone.
    "7-4-1-K2": "13000",
    "7-4-1-K3": "20",  # +567%, but the clerk's comment explains it
}
COMMENT = "イベントを大幅に増やしたため"


@pytest.fixture(scope="module")
def filled(calc: Calc, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("warnings")
    db = folder / "base.sqlite3"
    seeded.init(db)
    source = template(db, "pr", folder / "pr.xlsx")
    ops = [type_(SHEET_TEMPLATE, cell_of(source, code), text) for code, text in TYPED.items()]
    ops.append(type_(SHEET_TEMPLATE, cell_of(source, "7-4-1-K3", "コメント"), COMMENT))
    out = folder / "pr-filled.xlsx"
    calc.run(source, ops, out)
    return db, out


def test_unexplained_warnings_hold_the_file_and_are_listed(
    filled: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, path = filled
    db = fresh_db(base, tmp_path, "planning")
    before = dump(db)
    capsys.readouterr()

    code = kplan(db, "merge", str(path))

    out = capsys.readouterr().out
    assert code == 1
    assert dump(db) == before
    # One line each: file, row, sheet and cell, indicator, the value, code, the warning (both
    # languages).
    lines = [line.split("\t") for line in out.splitlines() if line.startswith(path.name + "\t")]
    # (2,600,000万件 is also over three times the target.)
    assert sorted((parts[3], parts[5]) for parts in lines) == [
        ("7-4-1-K1", "W_OVER_3X_TARGET"),
        ("7-4-1-K1", "W_SCALE_UNIT"),
        ("7-4-1-K2", "W_YOY_CHANGE"),
    ]
    for parts in lines:
        assert parts[1].startswith("行") and " / " in parts[6]
        assert parts[2] == f"{SHEET_TEMPLATE} {cell_of(path, parts[3])}"
    (slip,) = [p for p in lines if p[5] == "W_SCALE_UNIT"]
    assert slip[4].startswith("2600000万件")
    assert "--accept-warnings" in out

    # The JSON says the same, per row.
    capsys.readouterr()
    assert kplan(db, "merge", "--json", "--dry-run", str(path)) == 1
    (report,) = json.loads(capsys.readouterr().out)
    assert report["held_for_warnings"] is True
    warned = {r["indicator"]: [w["code"] for w in r["warnings"]] for r in report["rows"]}
    assert warned == {
        "7-4-1-K1": ["W_SCALE_UNIT", "W_OVER_3X_TARGET"],
        "7-4-1-K2": ["W_YOY_CHANGE"],
        "7-4-1-K3": [],
    }


def test_accepted_warnings_are_written_as_unexplained_and_reported(
    filled: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, path = filled
    db = fresh_db(base, tmp_path, "planning")
    capsys.readouterr()

    assert kplan(db, "merge", "--accept-warnings", str(path)) == 0

    values = stored(db, capsys)
    assert {code: values[code][0] for code in TYPED} == {
        "7-4-1-K1": "2600000",
        "7-4-1-K2": "13000",
        "7-4-1-K3": "20",
    }
    assert values["7-4-1-K3"][2] == COMMENT
    capsys.readouterr()
    assert kplan(db, "validate", "--json") == 1  # warnings without a comment remain
    findings = json.loads(capsys.readouterr().out)
    open_ = {(f["indicator"], f["code"]) for f in findings if not f["explained"]}
    explained = {(f["indicator"], f["code"]) for f in findings if f["explained"]}
    assert ("7-4-1-K1", "W_SCALE_UNIT") in open_
    assert ("7-4-1-K2", "W_YOY_CHANGE") in open_
    assert ("7-4-1-K3", "W_YOY_CHANGE") in explained

    # The consolidated workbook's 取込結果 sheet lists them.
    out = tmp_path / "report.xlsx"
    assert kplan(db, "report", "-o", str(out)) == 0
    rows = [
        [str(v) for v in row if v is not None]
        for row in openpyxl.load_workbook(out)[SHEET_MERGES].iter_rows(values_only=True)
    ]
    listed = {
        (code, warning)
        for row in rows
        for code in TYPED
        for warning in ("W_SCALE_UNIT", "W_YOY_CHANGE")
        if code in row and any(warning in text for text in row)
    }
    assert listed == {("7-4-1-K1", "W_SCALE_UNIT"), ("7-4-1-K2", "W_YOY_CHANGE")}
    assert any("7-4-1-K1" in row and any("承知の上" in t for t in row) for row in rows)
