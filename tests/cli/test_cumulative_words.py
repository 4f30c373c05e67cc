"""Trial finding 12, where a clerk reads or types a cumulative (累計) indicator's value: the
fill-in template (a note under the name, and in the value cell's prompt), `kplan show` (a ※
line; its JSON keeps the shape a database of the previous release is checked against),
`kplan show --history` and `kplan generation show` (beside
the baseline) say that the plan's running total counts from its own first year. The grading is
tests/domain/test_cumulative.py's."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from kplan_desktop.exchange.submission_layout import SHEET_TEMPLATE, TEMPLATE_HEADER_ROW
from tests.conftest import Database
from tests.two_plans import run, running_total_continued


def out(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert run(db, *args) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _template_row(path: Path, code: str) -> tuple[str, str]:
    """The name cell of `code`'s row and its value cell's prompt."""
    book = load_workbook(path)
    ws = book[SHEET_TEMPLATE]
    for row in range(TEMPLATE_HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == code:
            name = str(ws.cell(row=row, column=2).value)
            prompts = [
                str(v.prompt)
                for v in ws.data_validations.dataValidation
                if v.promptTitle and v.promptTitle.startswith(code)
            ]
            return name, prompts[0] if prompts else ""
    raise AssertionError(code)


def test_the_running_total_is_said_to_count_from_the_plans_first_year(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The seed plan: counted from 令和4年度.
    seed = tmp_path / "記入_R6.xlsx"
    assert run(db, "template", "--department", "community", "--year", "R6", "-o", str(seed)) == 0
    name, prompt = _template_row(seed, "7-1-2-K1")
    assert name.endswith("\n※令和4年度からの累計を入力") and "令和4年度からの累計を入力" in prompt
    plain, plain_prompt = _template_row(seed, "7-1-1-K3")
    assert "累計" not in plain and "累計" not in plain_prompt
    # The old plan's R8 total (48), final (as a merge brings it), then the next plan continuing
    # 7-1-2-K1 from it (the default) with the new plan's own five-year target.
    running_total_continued(db, "60回")
    assert run(db, "enter", "--indicator", "7-1-2-K1", "--year", "R9", "--value", "12") == 0

    text = out(db, capsys, "show", "--year", "R9")
    assert "※ 7-1-2-K1: 令和9年度からの累計を入力（この計画の初年度から数えます。" in text
    row = next(line for line in text.splitlines() if line.startswith("7-1-2-K1\t"))
    # 12 against 60 from 0 (the baseline 48 is for reference): 20.0 % → D.
    assert row.split("\t")[3:] == ["48", "12", "60", "20.0%", "D"]
    assert "7-1-1-K3: " not in text  # no note for an indicator that is no running total
    english = out(db, capsys, "show", "--year", "R9", "--lang", "en")
    assert "※ 7-1-2-K1: Enter the running total since FY2027" in english

    history = out(db, capsys, "show", "--history", "--indicator", "7-1-2-K1")
    assert (
        "基準値: 48（令和8年度）（参考。この計画の累計には含めません）　値は令和9年度からの累計"
        in (history)
    )
    assert "値は令和4年度からの累計" in history  # the seed plan's part, counted from its start
    listed = out(db, capsys, "generation", "show", "2")
    row = "7-1-2-K1\t継続 / continue\t7-1-2-K1\t48回（令和8年度）"
    assert row + "（参考。この計画の累計には含めません）" in listed

    new = tmp_path / "記入_R9.xlsx"
    assert run(db, "template", "--department", "community", "--year", "R9", "-o", str(new)) == 0
    name, prompt = _template_row(new, "7-1-2-K1")
    assert name.endswith("\n※令和9年度からの累計を入力")
    assert (
        "令和9年度からの累計を入力（この計画の初年度から数えます。基準値は参考で、含めません）"
        in (prompt)
    )
