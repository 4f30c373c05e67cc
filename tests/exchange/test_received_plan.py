"""A department's PC receives the next plan (s8 trial finding 4).

The planning division makes generation 2 from the seed plan (continue, replace, end), exports
its catalog (workbook and JSON); a department's own database — the seed plan and its R4–R8
actuals — imports it with `kplan catalog import`: generation 2 is made there under the same
number with the same links, so 7-1-1-K3's history crosses the plan boundary, and an R9
submission made there merges into the planning division's generation 2. Files changed by hand
(a link, the status, the catalog), another city's plan and a number already used for another
plan are refused whole, the department's database exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests import seeded
from tests.conftest import Database, dump

from kplan_desktop.cli import main
from kplan_desktop.exchange.catalog_files import preview_import
from kplan_desktop.store.engine import Store


def run(db: Database, *args: str) -> int:
    return int(main(["--db", str(db), *args]))


def out(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert run(db, *args) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def refused(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert run(db, *args) == 2
    return capsys.readouterr().err


def planning_generation_2(db: Database, tmp_path: Path) -> tuple[Path, Path]:
    """The planning division's next plan, exported as a workbook and as JSON."""
    assert run(db, "generation", "new", "--name", "次期基本計画", "--start", "R9", "--end",
               "R13", "--baseline-year", "R8") == 0  # fmt: skip
    assert run(db, "generation", "decide", "7-1-1-K3", "continue") == 0
    assert run(db, "generation", "decide", "7-1-1-K2", "continue", "--base-year", "R7") == 0
    assert run(db, "generation", "decide", "7-1-1-K1", "replace", "--as", "7-1-1-K9") == 0
    assert run(db, "generation", "decide", "7-1-2-K1", "end") == 0
    assert run(db, "generation", "activate", "2") == 0
    book, data = tmp_path / "第2期カタログ.xlsx", tmp_path / "第2期カタログ.json"
    assert run(db, "catalog", "export", "-o", str(book), "--generation", "2") == 0
    assert run(db, "catalog", "export", "-o", str(data), "--generation", "2") == 0
    return book, data


def department(new_db: Any, name: str) -> Database:
    """A department's own database: the seed plan and 7-1-1-K3's actuals R4–R8."""
    db: Database = new_db(name)
    seeded.init(db)
    for year, value in (("R4", "5100"), ("R5", "5300"), ("R6", "5600"), ("R7", "5900"),
                        ("R8", "6150")):  # fmt: skip
        assert run(db, "enter", "--indicator", "7-1-1-K3", "--year", year, "--value", value,
                   "--comment", "集計済み") == 0  # fmt: skip
    return db


def generations(db: Database, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(out(db, capsys, "generation", "list", "--json"))
    return listed


def test_a_department_receives_the_next_plan_and_its_r9_file_merges_into_it(
    db: Database, new_db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, data = planning_generation_2(db, tmp_path)
    community = department(new_db, "community")
    printed = out(community, capsys, "catalog", "import", str(book))
    assert "第2期「次期基本計画」（令和9年度〜令和13年度）を作ります" in printed
    assert "Plan generation 2 made here" in printed
    planned, received = generations(db, capsys), generations(community, capsys)
    kinds = [k["kind"] for k in received[1]["links"]]
    # Every undecided indicator continues (generation new's default, as in the wizard): of the
    # seed plan's 25, 7-1-1-K1 is replaced and 7-1-2-K1 ended.
    assert (kinds.count("continue"), kinds.count("replace")) == (23, 1)
    assert "継続 23・見直し 1" in printed

    def shape(listed: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [
            (g["number"], g["name"], g["start_year"], g["end_year"], g["baseline_year"],
             g["status"], g["predecessor"],
             sorted((k["code"], k["prior_code"], k["kind"]) for k in g.get("links", [])))
            for g in listed
        ]  # fmt: skip

    assert shape(received) == shape(planned)
    links = {(k["code"], k["prior_code"], k["kind"]) for k in received[1]["links"]}
    assert {
        ("7-1-1-K2", "7-1-1-K2", "continue"),
        ("7-1-1-K3", "7-1-1-K3", "continue"),
        ("7-1-1-K9", "7-1-1-K1", "replace"),
    } <= links
    assert not any(prior == "7-1-2-K1" for _, prior, _ in links)  # ended
    # The history of a continuing indicator crosses the boundary on the department's PC.
    history = out(community, capsys, "show", "--history", "--indicator", "7-1-1-K3")
    assert "計画の切り替え: 令和9年度 (2027)から次期基本計画" in history
    before = history.split("計画の切り替え")[0]
    for year, value in (("令和4年度", "5100"), ("令和8年度", "6150")):
        assert any(line.startswith(year) and f"\t{value}\t" in line
                   for line in before.splitlines()), (year, history)  # fmt: skip
    # Audited: the generation received, its catalog and its links, each naming the file.
    audit = out(community, capsys, "audit")
    assert "generation 2 received: 次期基本計画" in audit
    assert "indicator links received from" in audit and "第2期カタログ.xlsx" in audit
    # Importing it again changes nothing; the JSON form is the same plan.
    untouched = dump(community)
    assert "カタログに変更はありません" in out(community, capsys, "catalog", "import", str(book))
    assert "カタログに変更はありません" in out(community, capsys, "catalog", "import", str(data))
    assert dump(community) == untouched
    # A fresh department takes the JSON form just as well.
    equality = department(new_db, "equality")
    out(equality, capsys, "catalog", "import", str(data))
    assert shape(generations(equality, capsys)) == shape(planned)

    # The department's R9 value, exported there (a draft: the year is not complete), merges
    # into the planning division's generation 2.
    assert run(community, "enter", "--indicator", "7-1-1-K3", "--year", "R9", "--value", "6400",
               "--comment", "集計済み") == 0  # fmt: skip
    submission = tmp_path / "提出_市民協働_R9.xlsx"
    assert run(community, "export", "--department", "community", "--year", "R9",
               "-o", str(submission), "--draft") == 0  # fmt: skip
    capsys.readouterr()
    assert run(db, "merge", "--json", str(submission)) == 0
    merged = json.loads(capsys.readouterr().out)[0]
    assert merged["generation"] == 2 and not merged["refused"]
    shown = {i["code"]: i for i in json.loads(out(db, capsys, "show", "--json",
                                                   "--generation", "2"))}  # fmt: skip
    assert shown["7-1-1-K3"]["years"]["2027"]["value"] == "6400"


def _set_cell(path: Path, sheet: str, key: str, value: str, column: int = 3) -> None:
    """What a clerk does in Excel: change one cell of the row whose row-1 key column says key."""
    workbook = openpyxl.load_workbook(path)
    ws = workbook[sheet]
    for row in range(3, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == key:
            ws.cell(row=row, column=column).value = value
            break
    else:
        raise AssertionError(f"{key} not on {sheet}")
    workbook.save(path)


def test_a_forged_file_another_citys_plan_or_a_used_number_is_refused_whole(
    db: Database, new_db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, data = planning_generation_2(db, tmp_path)
    community = department(new_db, "community")
    before = dump(community)
    # A link changed in the 引継ぎ sheet (7-1-1-K3 now "replaces" 7-1-1-K3).
    changed = tmp_path / "changed.xlsx"
    changed.write_bytes(book.read_bytes())
    _set_cell(changed, "引継ぎ", "7-1-1-K3", "replace")
    message = refused(community, capsys, "catalog", "import", str(changed))
    assert "E_PLAN_LINEAGE" in message or "引継ぎ情報かカタログが書き出しの後で変更" in message
    # The status and a baseline changed in the JSON; the predecessor removed.
    raw = json.loads(data.read_text(encoding="utf-8"))
    edits: list[dict[str, Any]] = [{"status": "draft"}, {"predecessor": None, "links": []}]
    for edit in edits:
        forged = tmp_path / "forged.json"
        forged.write_text(json.dumps({**raw, "lineage": {**raw["lineage"], **edit}},
                                     ensure_ascii=False), encoding="utf-8")  # fmt: skip
        err = refused(community, capsys, "catalog", "import", str(forged))
        assert "変更" in err or "計画期 2 はありません" in err or "その計画期がありません" in err
    # A catalog changed after export (a target) cannot make a generation either.
    edited = tmp_path / "edited.json"
    first = raw["goals"][0]["policies"][0]["measures"][0]["indicators"][0]
    first["note"] = "手で変えた"
    edited.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert "書き出しの後で変更" in refused(community, capsys, "catalog", "import", str(edited))
    assert dump(community) == before

    # Another city's plan: its plan before has another plan code.
    other = new_db("other_city")
    seeded.init(other)
    first_plan = tmp_path / "other1.xlsx"
    assert run(other, "catalog", "export", "-o", str(first_plan), "--generation", "1") == 0
    _set_cell(first_plan, "計画", "code", "other-city-plan")
    assert run(other, "catalog", "import", str(first_plan)) == 0
    (tmp_path / "other").mkdir()
    foreign_book, _ = planning_generation_2(other, tmp_path / "other")
    err = refused(community, capsys, "catalog", "import", str(foreign_book))
    assert "このデータベースの計画の次の計画ではありません" in err and "other-city-plan" in err
    assert dump(community) == before

    # A number this database uses for another plan: the department's generation 2 is the
    # planning division's, so the other city's generation 2 collides with it.
    out(community, capsys, "catalog", "import", str(book))
    after = dump(community)
    err = refused(community, capsys, "catalog", "import", str(foreign_book))
    assert "別の計画です" in err
    assert dump(community) == after
    # Into the generation it holds, a file whose links were changed by hand imports as any
    # catalog does, but its links are not taken, and it says so.
    said = out(community, capsys, "catalog", "import", str(changed))
    assert "指標の引継ぎは読み込みません" in said
    assert dump(community) == after


def test_a_draft_received_follows_when_the_planning_division_puts_it_in_force(
    db: Database, new_db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "generation", "new", "--name", "次期基本計画", "--start", "R9", "--end",
               "R13", "--baseline-year", "R8") == 0  # fmt: skip
    assert run(db, "generation", "decide", "7-1-1-K3", "continue") == 0
    draft = tmp_path / "draft.json"
    assert run(db, "catalog", "export", "-o", str(draft), "--generation", "2") == 0
    community = department(new_db, "community")
    out(community, capsys, "catalog", "import", str(draft))
    assert [g["status"] for g in generations(community, capsys)] == ["active", "draft"]
    # Decided further and put in force: the same catalog content, new links and status.
    # (7-1-1-K2 now takes its baseline from R7: the link changes, the catalog does not, as no
    # final value of either year is in.)
    assert run(db, "generation", "decide", "7-1-1-K2", "continue", "--base-year", "R7") == 0
    assert run(db, "generation", "activate", "2") == 0
    final = tmp_path / "final.xlsx"
    assert run(db, "catalog", "export", "-o", str(final), "--generation", "2") == 0
    store = Store.open(str(community))
    try:
        preview = preview_import(store, final)
    finally:
        store.dispose()
    assert not preview.nothing_to_do  # the window's 読み込む stays enabled
    said = out(community, capsys, "catalog", "import", str(final))
    assert "指標の引継ぎ・状態を企画担当課のものに合わせます" in said
    received = generations(community, capsys)
    assert [g["status"] for g in received] == ["active", "active"]
    assert received == generations(db, capsys)

    def decisions(database: Database) -> list[dict[str, Any]]:
        shown = json.loads(out(database, capsys, "generation", "show", "--json"))
        return list(shown["indicators"])

    # The same decisions, baselines and targets on both sides (a department's PC fills no
    # baseline from its own values: it waits for the planning division's next catalog).
    planned_decisions = decisions(db)
    assert [{**d, "baseline_waits_for": None} for d in decisions(community)] == [
        {**d, "baseline_waits_for": None} for d in planned_decisions
    ]
    assert [d["baseline_waits_for"] for d in planned_decisions if d["code"] == "7-1-1-K2"] == [2025]
