"""`kplan show --history`: a continuing indicator's series across two plan generations made
through `kplan generation new / decide / activate`, each year graded against the target of the
plan it belonged to, the boundary marked, no year lost or doubled (issue 17 item 4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Database, dump
from tests.two_plans import OLD_PLAN, make_two_plans, run


def out(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert run(db, *args) == 0, capsys.readouterr().err
    return capsys.readouterr().out


@pytest.fixture
def two_plans(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Database:
    make_two_plans(db, tmp_path)
    capsys.readouterr()
    return db


def test_history_lists_every_year_of_both_plans_graded_by_its_own_plans_target(
    two_plans: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(two_plans)
    lines = out(two_plans, capsys, "show", "--history", "--indicator", "7-1-1-K3").splitlines()
    assert dump(two_plans) == before  # a read: nothing written
    new = "次期基本計画"
    assert lines == [
        "（各年度は、その年度が属した計画の目標で評価しています）",
        "",
        "7-1-1-K3 地区公民館コミュニティ事業への参加者数 (人)",
        "年度\t計画\tコード\t実績\t目標\t達成率\t評価",
        f"── {OLD_PLAN} 基準値: 1225（令和2年度） ──",
        # By hand, against the old plan: (2000 − 1225) ÷ (7500 − 1225) = 12.4 % …
        f"令和4年度 (2022)\t{OLD_PLAN}\t7-1-1-K3\t2000\t7500以上\t12.4%\tD",
        f"令和5年度 (2023)\t{OLD_PLAN}\t7-1-1-K3\t3100\t7500以上\t29.9%\tD",
        f"令和6年度 (2024)\t{OLD_PLAN}\t7-1-1-K3\t4000\t7500以上\t44.2%\tD",
        f"令和7年度 (2025)\t{OLD_PLAN}\t7-1-1-K3\t6000\t7500以上\t76.1%\tC",
        # … R8, the old plan's last year: (7000 − 1225) ÷ (7500 − 1225) = 92.0 % → B (against
        # the new plan's 9,000 from the new baseline 7,000 it would be 0 %).
        f"令和8年度 (2026)\t{OLD_PLAN}\t7-1-1-K3\t7000\t7500以上\t92.0%\tB",
        # The new plan's baseline: the old plan's R8 actual, as decided.
        f"── 計画の切り替え: 令和9年度 (2027)から{new}（令和9年度〜令和13年度） "
        "基準値: 7000（令和8年度） ──",
        # R9 against the new plan: (8000 − 7000) ÷ (9000 − 7000) = 50 % → C (against the old
        # target of 7,500 it would be met: A).
        f"令和9年度 (2027)\t{new}\t7-1-1-K3\t8000\t9000以上\t50.0%\tC",
        f"令和10年度 (2028)\t{new}\t7-1-1-K3\t\t9000以上\t\t",
        f"令和11年度 (2029)\t{new}\t7-1-1-K3\t\t9000以上\t\t",
        f"令和12年度 (2030)\t{new}\t7-1-1-K3\t\t9000以上\t\t",
        f"令和13年度 (2031)\t{new}\t7-1-1-K3\t\t9000以上\t\t",
    ]


def test_history_in_english_and_as_json(
    two_plans: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    english = out(two_plans, capsys, "show", "--history", "--indicator", "7-1-1-K3", "--lang", "en")
    lines = english.splitlines()
    assert lines[0] == "(each year is graded against the target of the plan it belonged to)"
    assert lines[3] == "year\tplan\tcode\tactual\ttarget\trate\tgrade"
    assert f"FY2026\t{OLD_PLAN}\t7-1-1-K3\t7000\t>= 7500\t92.0%\tB" in lines
    assert (
        "── plan boundary: from FY2027, 次期基本計画 (FY2027–FY2031) baseline: 7000 (FY2026) ──"
        in lines
    )
    assert "FY2027\t次期基本計画\t7-1-1-K3\t8000\t>= 9000\t50.0%\tC" in lines

    data: list[dict[str, Any]] = json.loads(
        out(two_plans, capsys, "show", "--history", "--indicator", "1-1-1-K2", "--json")
    )
    (series,) = data
    assert series["code"] == "1-1-1-K2"
    assert [
        (p["generation"], p["code"], p["start_year"], p["end_year"]) for p in series["plans"]
    ] == [
        (1, "7-1-1-K2", 2022, 2026),
        (2, "1-1-1-K2", 2027, 2031),
    ]
    assert series["boundaries"] == [2027]
    years = series["years"]
    # Whole: every year of both periods once, in order, each under the code its plan gave it.
    assert [y["fiscal_year"] for y in years] == list(range(2022, 2032))
    assert [(y["generation"], y["code"]) for y in years] == [(1, "7-1-1-K2")] * 5 + [
        (2, "1-1-1-K2")
    ] * 5
    assert [y["first_of_plan"] for y in years] == [False] * 5 + [True] + [False] * 4
    r7, r9 = years[3], years[5]
    assert (r7["value"], r7["missing_reason"], r7["grade"]) == (
        None,
        "not_compiled",
        "data_pending",
    )
    # The new plan sets no target for it (the old plan's 69 is not carried over: trial finding
    # 5 — the test once read 70 against an invented 69 as met) and its baseline is not set (R8
    # was never entered): R9 is listed, not graded.
    assert (r9["value"], r9["target"], r9["progress_rate"]) == ("70", None, None)
    assert r9["simple_rate"] is None and r9["grade"] == "no_target"
    assert years[0]["value"] is None and years[0]["grade"] is None


def test_history_of_every_indicator_and_of_an_unknown_one(
    two_plans: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(out(two_plans, capsys, "show", "--history", "--json"))
    by_code = {d["code"]: d for d in data}
    # An indicator the new plan replaced (the same code, no continuation: the fixture decides
    # so now — an undecided one continues, trial finding 3) has its own plan's years only.
    assert [p["generation"] for p in by_code["7-1-1-A1"]["plans"]] == [2]
    assert [y["fiscal_year"] for y in by_code["7-1-1-A1"]["years"]] == list(range(2027, 2032))
    assert len(by_code["7-1-1-K3"]["years"]) == 10
    capsys.readouterr()
    assert run(two_plans, "show", "--history", "--indicator", "7-1-1-K99") == 2
    err = capsys.readouterr().err
    assert "指標 7-1-1-K99 はこの計画にありません" in err and "not in this plan" in err
    assert run(two_plans, "show", "--history", "--year", "R9") == 2
    assert "--year とは一緒に使えません" in capsys.readouterr().err
