"""`--lang en` on the commands that print words: `show`, `evaluations` and `cycle status` (and
`final-evaluation`, tests/cli/test_issue17_acceptance.py) in English, Japanese by default; the
JSON the same in both."""

from __future__ import annotations

import json

import pytest

from kplan_desktop.cli import main
from tests.conftest import Database

pytestmark = pytest.mark.sqlite_only


def out(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["--db", str(db), *args]) == 0, args
    return capsys.readouterr().out


@pytest.fixture
def entered(db: Database, capsys: pytest.CaptureFixture[str]) -> Database:
    out(db, capsys, "enter", "--indicator", "7-1-1-K3", "--year", "R6", "--value", "1,500人")
    out(db, capsys, "enter", "--indicator", "7-1-1-K1", "--year", "R6", "--value", "未集計")
    out(db, capsys, "evaluate", "--measure", "7-1-1", "--year", "R6", "--grade", "B",
        "--results", "参加者が増えた", "--next", "継続")  # fmt: skip
    out(db, capsys, "review", "--measure", "7-1-1", "--year", "R6", "--comment", "妥当")
    out(db, capsys, "cycle", "open", "--year", "R6")
    return db


def test_show_in_english_and_in_japanese(
    entered: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    english = out(entered, capsys, "show", "--year", "R6", "--lang", "en").splitlines()
    assert english[0] == "(rates and grades for FY2024)"
    assert english[1] == "code\tindicator\tunit\tbaseline\tFY2024\ttarget\trate\tgrade"
    k3 = next(line.split("\t") for line in english if line.startswith("7-1-1-K3\t"))
    assert (k3[4], k3[5]) == ("1500", ">= 7500")
    k1 = next(line.split("\t") for line in english if line.startswith("7-1-1-K1\t"))
    assert k1[4] == "not yet compiled"
    assert not any(word in "\n".join(english) for word in ("コード", "未集計", "未設定", "以上"))
    japanese = out(entered, capsys, "show", "--year", "R6").splitlines()
    assert japanese[1] == "コード\t指標名\t単位\t基準値\tR6\t目標\t達成率\t評価"
    k3 = next(line.split("\t") for line in japanese if line.startswith("7-1-1-K3\t"))
    assert (k3[4], k3[5]) == ("1500", "7500以上")
    assert json.loads(out(entered, capsys, "show", "--json", "--lang", "en")) == json.loads(
        out(entered, capsys, "show", "--json")
    )


def test_evaluations_and_the_cycle_status_in_english(
    entered: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    english = out(entered, capsys, "evaluations", "--year", "R6", "--lang", "en")
    line = next(x for x in english.splitlines() if x.startswith("7-1-1\t"))
    assert "self-evaluation B (indicator grades:" in line and "\tcontinue\t" in line
    assert "\tresults and issues: 参加者が増えた" in english
    assert "\treviewer's comment: 妥当" in english
    assert "自己評価" not in english and "成果と課題" not in english
    japanese = out(entered, capsys, "evaluations", "--year", "R6")
    assert "自己評価 B（指標の評価:" in japanese and "\t継続\t" in japanese
    status = out(entered, capsys, "cycle", "status", "--year", "R6", "--lang", "en")
    assert status.splitlines()[0] == "FY2024 due: none"
    assert "community\tin progress\t" in status and "入力中" not in status
    assert "community\t入力中\t" in out(entered, capsys, "cycle", "status", "--year", "R6")
    assert json.loads(
        out(entered, capsys, "evaluations", "--year", "R6", "--json", "--lang", "en")
    ) == json.loads(out(entered, capsys, "evaluations", "--year", "R6", "--json"))
