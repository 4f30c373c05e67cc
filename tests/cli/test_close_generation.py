"""`kplan final-evaluation --close` (issue 17 item 5): the 最終評価 written and the plan closed in
one transaction, refused while its last year is not in, and the closed plan read-only through
every command afterwards; on SQLite and on the PostgreSQL server."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.generation import GenerationStatus
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.generations import set_generation_status
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import finalise
from tests.conftest import Database, dump

LAST = 2026  # R8, the seed plan's last year


def run(db: Database, *args: str) -> int:
    return int(main(["--db", str(db), *args]))


def _last_year_in(db: Database, *, leave_out: str | None = None) -> list[str]:
    """Every department's R8 entered (a value or 未集計 with a comment) and finalised, but
    `leave_out`'s; returns the departments that report in R8."""
    store = Store.open(str(db))
    try:
        with store.transaction() as conn:
            catalog = read_catalog(conn, 1)
            assert catalog is not None
            owners = {i.code: i.owner_for(LAST) for _, _, _, i in catalog.indicators()}
            requests = [
                EntryRequest(code, LAST, "未集計", "最終年度の集計は翌年度")
                for code, owner in owners.items()
                if owner != leave_out
            ]
            write_actuals(conn, 1, requests, who="clerk", source=EntrySource.TEST)
            departments = sorted({o for o in owners.values() if o is not None})
            for department in departments:
                if department != leave_out:
                    finalise(conn, 1, department, LAST, who="clerk", source=EntrySource.TEST)
    finally:
        store.dispose()
    return departments


def test_close_is_refused_until_the_last_year_is_in_then_the_plan_is_read_only(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "最終評価.xlsx"
    # Nothing of R8 is in: refused, naming why in both languages; nothing written, no workbook.
    before = dump(db)
    capsys.readouterr()
    assert run(db, "final-evaluation", "--close", "--generation", "1", "-o", str(out)) == 2
    err = capsys.readouterr().err
    assert "確定・取り込みされていない課" in err and "not finalised or merged" in err
    assert "市民協働担当課" in err
    assert dump(db) == before and not out.exists()
    # One department still open: refused, and that department is the one named.
    departments = _last_year_in(db, leave_out="community")
    assert "community" in departments
    before = dump(db)
    assert run(db, "final-evaluation", "--close", "--generation", "1", "-o", str(out)) == 2
    err = capsys.readouterr().err
    assert "市民協働担当課（未着手）" in err and "community (not started)" in err
    assert "企画担当課（" not in err
    assert dump(db) == before and not out.exists()
    # The last department finalises: the plan closes, the workbook and the JSON say so.
    store = Store.open(str(db))
    try:
        with store.transaction() as conn:
            catalog = read_catalog(conn, 1)
            assert catalog is not None
            mine = [
                i.code for _, _, _, i in catalog.indicators() if i.owner_for(LAST) == "community"
            ]
            requests = [EntryRequest(code, LAST, "未集計", "翌年度") for code in mine]
            write_actuals(conn, 1, requests, who="clerk", source=EntrySource.TEST)
            finalise(conn, 1, "community", LAST, who="clerk", source=EntrySource.TEST)
    finally:
        store.dispose()
    capsys.readouterr()
    assert (
        run(db, "final-evaluation", "--close", "--generation", "1", "-o", str(out), "--json") == 0
    )
    figures = json.loads(capsys.readouterr().out)
    assert figures["generation"]["status"] == "closed"
    assert figures["plan"]["indicators"] == 25
    book = openpyxl.load_workbook(out)
    cover = [str(c.value) for row in book["最終評価"].iter_rows() for c in row if c.value]
    assert "かすみがうら市総合計画 後期基本計画（令和4年度〜令和8年度）　最終評価" in cover
    assert "計画期 1　終了（最終評価済み）" in cover
    assert run(db, "generation", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(g["number"], g["status"]) for g in listed] == [(1, "closed")]
    assert run(db, "audit", "--json") == 0
    audit = json.loads(capsys.readouterr().out)
    assert any("generation 1: active → closed" in (row.get("detail") or "") for row in audit)
    # Closed: every write through `kplan` is refused with the code's message, nothing changes.
    before = dump(db)
    exported = tmp_path / "catalog.json"
    assert run(db, "catalog", "export", "-o", str(exported)) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data.pop("version")
    data["plan"]["name"] = "書き換え"
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = (
        ("enter", "--indicator", "7-1-1-K3", "--year", "R7", "--value", "5000"),
        ("finalise", "--department", "community", "--year", "R8", "--withdraw"),
        ("finalise", "--department", "community", "--year", "R7"),
        ("year", "lock", "--year", "R8"),
        ("cycle", "open", "--year", "R8"),
        ("evaluate", "--measure", "7-1-1", "--year", "R8", "--grade", "B"),
        ("review", "--measure", "7-1-1", "--year", "R8", "--comment", "x"),
        ("catalog", "import", str(exported)),
        ("final-evaluation", "--close", "--generation", "1", "--generation", "1"),
    )
    for args in refused:
        capsys.readouterr()
        assert run(db, *args) == 2, args
        err = capsys.readouterr().err
        assert "終了しています" in err and "closed" in err, (args, err)
    assert dump(db) == before
    # Reading still works: the final evaluation of a closed plan can be written again.
    again = tmp_path / "again.xlsx"
    assert run(db, "final-evaluation", "--generation", "1", "-o", str(again)) == 0
    assert again.exists() and dump(db) == before
    # The store never opens a closed plan again.
    store = Store.open(str(db))
    try:
        with pytest.raises(DomainError) as reopened, store.transaction() as conn:
            set_generation_status(
                conn, 1, GenerationStatus.ACTIVE, who="x", source=EntrySource.TEST
            )
        assert reopened.value.code == "E_GENERATION_CLOSED"
    finally:
        store.dispose()
    assert dump(db) == before


def test_a_failed_workbook_leaves_the_plan_open(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _last_year_in(db)
    before = dump(db)
    capsys.readouterr()
    assert (
        run(
            db,
            "final-evaluation",
            "--close",
            "--generation",
            "1",
            "-o",
            str(tmp_path / "none" / "a.xlsx"),
        )
        == 2
    )
    assert "最終評価ブックを保存できません" in capsys.readouterr().err
    assert dump(db) == before
    assert run(db, "generation", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "active"


def test_the_hand_over_column_shows_the_baseline_the_next_plan_holds(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 2 (s8 trial): the 最終評価's 次期計画への引継ぎ reads the baseline from the new
    plan (here typed by hand, and one still pending), never recomputes it."""
    from decimal import Decimal

    from kplan_desktop.domain.generation import set_baseline
    from kplan_desktop.exchange.catalog_json import catalog_hash
    from kplan_desktop.store.catalog import replace_catalog

    _last_year_in(db)  # R8 in and finalised: 未集計 everywhere
    assert run(db, "generation", "new", "--name", "次期基本計画", "--start", "R9", "--end",
               "R13", "--baseline-year", "R8") == 0  # fmt: skip
    assert run(db, "generation", "decide", "7-1-1-K3", "continue") == 0
    assert run(db, "generation", "decide", "7-1-1-K2", "continue") == 0
    store = Store.open(str(db))
    try:
        with store.transaction() as conn:
            draft = read_catalog(conn, 2)
            assert draft is not None
            typed = set_baseline(draft, "7-1-1-K3", 2025, Decimal(4321))
            replace_catalog(conn, 2, typed, catalog_hash(typed), who="企画",
                            source=EntrySource.TEST, detail="typed")  # fmt: skip
    finally:
        store.dispose()
    out = tmp_path / "最終評価.xlsx"
    capsys.readouterr()
    assert run(db, "final-evaluation", "--generation", "1", "-o", str(out), "--json") == 0
    figures = json.loads(capsys.readouterr().out)
    rows = {i["code"]: i for i in figures["indicators"]}
    assert rows["7-1-1-K3"]["next_plan"]["baseline"] == "4321"
    assert rows["7-1-1-K2"]["next_plan"]["baseline"] is None
    sheet = openpyxl.load_workbook(out)["指標別"]
    cells = {str(row[0]): str(row[15]) for row in sheet.iter_rows(values_only=True) if row[0]}
    assert "基準値 4,321" in cells["7-1-1-K3"], cells["7-1-1-K3"]
    assert "未設定（基準年の確定値を待っています）" in cells["7-1-1-K2"], cells["7-1-1-K2"]


def test_closing_names_its_plan_and_an_evaluation_says_which_plan_it_is(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 10 (s8 trial): `--close` without `--generation` is refused, nothing changed;
    without `--close` the command says which plan it evaluates."""
    _last_year_in(db)
    before = dump(db)
    capsys.readouterr()
    out = tmp_path / "x.xlsx"
    assert run(db, "final-evaluation", "--close", "-o", str(out)) == 2
    err = capsys.readouterr().err
    assert "--generation" in err
    assert "終了する計画期" in err and "Name the plan generation to close" in err
    assert dump(db) == before and not out.exists()
    assert run(db, "final-evaluation", "-o", str(out)) == 0
    said = capsys.readouterr().out
    assert (
        "計画期 1（かすみがうら市総合計画 後期基本計画（令和4年度〜令和8年度））の最終評価です"
        in said
    )
    assert dump(db) == before
