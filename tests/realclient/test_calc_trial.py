"""What a second new-user trial with Calc found (issue 13, follow-up): a dash typed as a value,
values typed into the reference, name or unit columns or the header area, and rows a clerk
deleted. Each is refused or said, never dropped and never a silent clear of a stored value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kplan_desktop.exchange.submission_xlsx import SHEET_TEMPLATE
from tests.conftest import dump
from tests.realclient.calc import Calc, type_
from tests.realclient.helpers import cell_of, fresh_db, kplan, merge, stored, template

S = SHEET_TEMPLATE
UNPROTECT: list[dict[str, Any]] = [{"op": "unprotect_book"}, {"op": "unprotect_sheet", "sheet": S}]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("trial")
    db = folder / "base.sqlite3"
    assert kplan(db, "init") == 0
    return db, template(db, "community", folder / "community.xlsx")


def test_a_dash_in_a_value_cell_is_refused_and_never_clears_a_stored_value(
    calc: Calc, base: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fresh_db(base[0], tmp_path, "planning")
    source = base[1]
    first = tmp_path / "first.xlsx"
    calc.run(source, [type_(S, cell_of(source, "7-1-1-K1"), "4")], first)
    assert merge(db, capsys, "--accept-warnings", str(first))[0] == 0
    before = dump(db)
    dashes = {"7-1-1-K1": "-", "7-1-1-K2": "ー", "7-1-1-K3": "－", "7-1-2-K1": "―"}
    filled = tmp_path / "dashes.xlsx"
    calc.run(source, [type_(S, cell_of(source, c), text) for c, text in dashes.items()], filled)

    code, (report,) = merge(db, capsys, str(filled))

    assert code == 2
    assert dump(db) == before
    assert stored(db, capsys)["7-1-1-K1"][0] == "4"
    rows = {r["indicator"]: r for r in report["rows"]}
    for indicator in dashes:
        row = rows[indicator]
        assert row["outcome"] == "rejected", row
        assert "「-」は値として読めません" in row["reason_ja"]
        assert f"セル {cell_of(source, indicator)}" in row["reason_ja"]
