"""The decade test (issue 17 item 6): two plan generations end to end, on SQLite and on the
PostgreSQL server (the planning division's database is the backend's; each department keeps
its own SQLite file, as on its PC).

The seed plan (後期基本計画 R4–R8) runs with the targets the planning division sets and five
years of actuals (tests/exchange/test_final_evaluation.py's, whose hand computation is the one
checked here); the next plan (R9–R13) is made from it with `kplan generation`: 7-1-1-K3 and
7-5-2-A1 continued (their R8 actuals are not in yet, so their baselines wait), 7-1-1-K1
replaced by 7-1-1-K9, 7-1-2-K1 ended, 7-1-1-K4 new. In the overlap year FY2027 two departments
(community, finance) send their R8 submission of the old plan and their R9 submission of the new
one, and all four files go in with one `kplan merge`: each into its generation, and the R8
actuals fill the waiting baselines in. Then `kplan final-evaluation --close` writes the
最終評価, its figures match the hand computation, LibreOffice prints it, and the old plan
refuses every write while the new one goes on.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests import seeded
from tests.conftest import Database, dump
from tests.exchange.test_final_evaluation import ACTUALS, BY_POLICY, EXPECTED, PLAN, YEARS
from tests.exchange.test_final_evaluation import _edit_catalog as set_targets

from kplan_desktop.cli import main
from kplan_desktop.store.actuals import EntryRequest, read_actuals, write_actuals
from kplan_desktop.store.catalog import read_catalog
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import finalise

T = EntrySource.TEST
R8, R9 = 2026, 2027
SUBMITTING = ("community", "finance")
NEXT_PLAN = ("--name", "次期基本計画", "--start", "R9", "--end", "R13", "--baseline-year", "R8")
# The next plan's R9 actuals the two departments send (every other indicator of theirs: 未集計).
R9_VALUES = {"7-1-1-K3": "8,100人", "7-1-1-K9": "3回", "7-1-1-K4": "12件", "7-5-2-A1": "89.5%"}


def run(db: Database, *args: str) -> int:
    return int(main(["--db", str(db), *args]))


def shown(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    assert run(db, *args) == 0, args
    return json.loads(capsys.readouterr().out)


def _owned(store: Store, generation: int, year: int) -> dict[str, str | None]:
    with store.snapshot() as conn:
        catalog = read_catalog(conn, generation)
    assert catalog is not None
    return {i.code: i.owner_for(year) for _, _, _, i in catalog.indicators()}


def _past_years(planning: Database) -> None:
    """R4–R7 merged in earlier years, and R8 of every department that does not submit in the
    test: entered and finalised in the planning database (the other departments' R8 comes by
    merge)."""
    store = Store.open(str(planning))
    try:
        owners = _owned(store, 1, R8)
        requests = [
            EntryRequest(code, year, text, "過年度の実績")
            for code, texts in ACTUALS.items()
            for year, text in zip(YEARS, texts, strict=True)
            if text is not None and (year < R8 or owners[code] not in SUBMITTING)
        ]
        entered = {(r.indicator_code, r.fiscal_year) for r in requests}
        requests += [
            EntryRequest(code, R8, "未集計", "翌年度に集計")
            for code, owner in owners.items()
            if owner not in SUBMITTING and (code, R8) not in entered
        ]
        with store.transaction() as conn:
            write_actuals(conn, 1, requests, who="企画", source=T)
            others = {o for o in owners.values() if o is not None and o not in SUBMITTING}
            for department in sorted(others):
                finalise(conn, 1, department, R8, who="企画", source=T)
    finally:
        store.dispose()


def _next_plan(planning: Database) -> None:
    assert run(planning, "generation", "new", *NEXT_PLAN) == 0
    for decision in (
        ("7-1-1-K3", "continue"),
        ("7-5-2-A1", "継続"),
        ("7-1-1-K1", "replace", "--as", "7-1-1-K9"),
        ("7-1-2-K1", "end"),
    ):
        assert run(planning, "generation", "decide", *decision) == 0, decision
    assert run(planning, "generation", "add", "--measure", "7-1-1", "--code", "7-1-1-K4",
               "--name", "協働事業の提案件数", "--unit", "件", "--department", "community",
               "--target", "20") == 0  # fmt: skip
    assert run(planning, "generation", "activate", "2") == 0


def _department(
    new_db: Callable[[str], Database],
    tmp_path: Path,
    code: str,
    catalogs: tuple[Path, Path],
) -> tuple[Path, Path]:
    """A department's own PC (a SQLite file): the planning division's catalogs of both plans,
    its R8 actuals of the old plan and its R9 actuals of the new one, each finalised and
    exported: the two submissions of the overlap year."""
    db = tmp_path / f"{code}.sqlite3"
    seeded.init(db)
    assert run(db, "catalog", "import", str(catalogs[0])) == 0
    store = Store.open(str(db))
    try:
        r8 = {
            c: texts[-1] or "未集計"
            for c, texts in ACTUALS.items()
            if _owned(store, 1, R8).get(c) == code
        }
        for c, owner in _owned(store, 1, R8).items():
            if owner == code:
                r8.setdefault(c, "未集計")
        with store.transaction() as conn:
            write_actuals(conn, 1, [EntryRequest(c, R8, t, "R8の実績") for c, t in r8.items()],
                          who=code, source=T)  # fmt: skip
    finally:
        store.dispose()
    assert run(db, "finalise", "--department", code, "--year", "R8") == 0
    old_file = tmp_path / f"{code}-R8.xlsx"
    assert run(db, "export", "--department", code, "--year", "R8", "-o", str(old_file)) == 0
    # The next plan: made here as a draft, then exactly the planning division's catalog.
    assert run(db, "generation", "new", *NEXT_PLAN) == 0
    assert run(db, "catalog", "import", str(catalogs[1])) == 0
    assert run(db, "generation", "activate", "2") == 0
    store = Store.open(str(db))
    try:
        mine = [c for c, owner in _owned(store, 2, R9).items() if owner == code]
        with store.transaction() as conn:
            write_actuals(conn, 2, [EntryRequest(c, R9, R9_VALUES.get(c, "未集計"), "R9の実績")
                                    for c in mine], who=code, source=T)  # fmt: skip
    finally:
        store.dispose()
    assert run(db, "finalise", "--department", code, "--year", "R9") == 0
    new_file = tmp_path / f"{code}-R9.xlsx"
    assert run(db, "export", "--department", code, "--year", "R9", "-o", str(new_file)) == 0
    return old_file, new_file


def test_two_plan_generations_end_to_end(
    db: Database,
    new_db: Callable[[str], Database],
    backend: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    planning = db
    set_targets(planning, tmp_path)
    old_catalog = tmp_path / "catalog-R4-R8.json"
    assert run(planning, "catalog", "export", "-o", str(old_catalog)) == 0
    _past_years(planning)
    _next_plan(planning)
    new_catalog = tmp_path / "catalog-R9-R13.json"
    assert run(planning, "catalog", "export", "-o", str(new_catalog)) == 0
    assert json.loads(new_catalog.read_text(encoding="utf-8"))["generation"] == 2
    # Not closable yet: community and finance have not sent R8.
    before = dump(planning)
    assert run(planning, "final-evaluation", "--close", "--generation", "1") == 2
    assert dump(planning) == before
    # The new plan's continuing baselines wait for R8 (not in yet).
    new = {r["code"]: r for r in shown(planning, capsys, "show", "--year", "R9", "--json")}
    assert (new["7-1-1-K3"]["baseline"], new["7-5-2-A1"]["baseline"]) == (None, None)
    assert "7-1-2-K1" not in new and "7-1-1-K1" not in new
    assert {"7-1-1-K9", "7-1-1-K4"} <= set(new)

    files = [
        f
        for code in SUBMITTING
        for f in _department(new_db, tmp_path, code, (old_catalog, new_catalog))
    ]
    # The overlap year: four files, two plans, one merge.
    reports = shown(planning, capsys, "merge", "--json", *map(str, files))
    assert [(r["generation"], r["fiscal_year"], r["written"]) for r in reports] == [
        (1, R8, True),
        (2, R9, True),
        (1, R8, True),
        (2, R9, True),
    ], reports
    store = Store.open(str(planning))
    try:
        with store.snapshot() as conn:
            old = {(a.indicator_code, a.fiscal_year): a.text for a in read_actuals(conn, 1)}
            nxt = {(a.indicator_code, a.fiscal_year): a.text for a in read_actuals(conn, 2)}
        owners = _owned(store, 1, R8)
    finally:
        store.dispose()
    assert old[("7-1-1-K3", R8)] == "7800" and old[("7-5-2-A1", R8)] == "89.8"
    assert nxt[("7-1-1-K3", R9)] == "8100" and nxt[("7-1-1-K9", R9)] == "3"
    assert nxt[("7-5-2-A1", R9)] == "89.5" and nxt[("7-1-1-K4", R9)] == "12"
    assert not any(year == R9 for _, year in old) and not any(year == R8 for _, year in nxt)
    # The merge filled the waiting baselines from the R8 actuals, each audited.
    new = {r["code"]: r for r in shown(planning, capsys, "show", "--year", "R9", "--json")}
    assert (new["7-1-1-K3"]["baseline"], new["7-5-2-A1"]["baseline"]) == ("7800", "89.8")
    filled = [r for r in shown(planning, capsys, "audit", "--json") if r["action"] == "baseline"]
    # Every continued indicator of the two departments whose R8 came as a number: K3 and A1
    # decided, the others continued by default (trial finding 3: undecided ones once stayed
    # unlinked, and this test counted only the two).
    merged = sorted(
        code
        for (code, year), text in old.items()
        if year == R8 and text is not None and owners.get(code) in SUBMITTING
        and code not in ("7-1-1-K1", "7-1-2-K1")
    )  # fmt: skip
    assert {"7-1-1-K3", "7-5-2-A1"} <= set(merged)
    assert sorted(r["detail"].split(":")[0] for r in filled) == merged
    assert all("merge community-R8.xlsx" in r["detail"] or "merge finance-R8.xlsx"
               in r["detail"] for r in filled)  # fmt: skip
    status = shown(planning, capsys, "cycle", "status", "--year", "R8", "--json")
    assert {r["department"]: r["status"] for r in status if r["department"] in SUBMITTING} == {
        "community": "merged",
        "finance": "merged",
    }

    # 最終評価 and the closing.
    out = tmp_path / "最終評価.xlsx"
    result = shown(
        planning,
        capsys,
        "final-evaluation",
        "--close",
        "--generation",
        "1",
        "-o",
        str(out),
        "--json",
    )
    assert result["generation"]["status"] == "closed"
    by_code = {item["code"]: item for item in result["indicators"]}
    for code, (value, rate, rounded, grade, reached) in EXPECTED.items():
        item = by_code[code]
        assert (item["value"], item["grade"], item["reached"]) == (value, grade, reached), code
        assert Decimal(item["rate"]) == rate and item["rate_rounded"] == rounded, code
    policies = {p["code"]: p for p in result["policies"]}
    for code, (total, reached_n, missed, unjudged, share) in BY_POLICY.items():
        p = policies[code]
        got = (p["indicators"], p["reached"], p["not_reached"], p["not_judged"], p["reached_share"])
        assert got == (total, reached_n, missed, unjudged, share), code
    plan = result["plan"]
    assert (plan["indicators"], plan["reached"], plan["not_reached"], plan["not_judged"]) == PLAN
    # By hand: reached by policy 7-1 K3 (1), 7-2 K1 (1), 7-5 A1 (1) = 3 of 7 judged.
    assert sum(p["reached"] for p in result["policies"]) == 3
    # Where the next plan picks each indicator up.
    assert by_code["7-1-1-K3"]["next_plan"] == {
        "succession": "continue", "code": "7-1-1-K3", "base_year": R8, "baseline": "7800",
    }  # fmt: skip
    assert by_code["7-1-1-K1"]["next_plan"]["succession"] == "replace"
    assert by_code["7-1-1-K1"]["next_plan"]["code"] == "7-1-1-K9"
    assert by_code["7-1-2-K1"]["next_plan"]["succession"] == "end"
    # 7-1-1-K2, never decided, is continued (the default: trial finding 3 — this test once read
    # it as "nothing said"), its baseline the R8 final value.
    assert by_code["7-1-1-K2"]["next_plan"]["succession"] == "continue"
    assert by_code["7-1-1-K2"]["next_plan"]["code"] == "7-1-1-K2"
    assert out.exists()
    if backend == "sqlite":
        _libreoffice_prints(out, tmp_path)

    # The old plan refuses every write; the new one goes on.
    closed = dump(planning)
    for args in (
        ("enter", "--indicator", "7-1-1-K3", "--year", "R8", "--value", "7900"),
        ("finalise", "--department", "community", "--year", "R8", "--withdraw"),
        ("year", "lock", "--year", "R7"),
        ("cycle", "open", "--year", "R8"),
        ("review", "--measure", "7-1-1", "--year", "R8", "--comment", "x"),
    ):
        capsys.readouterr()
        assert run(planning, *args) == 2, args
        err = capsys.readouterr().err
        assert "終了しています" in err and "closed" in err, (args, err)
    assert run(planning, "merge", str(files[0])) != 0
    assert dump(planning) == closed
    assert run(planning, "enter", "--indicator", "7-1-1-K3", "--year", "R9", "--value", "8200",
               "--comment", "訂正") == 0  # fmt: skip


def _libreoffice_prints(workbook: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pdf_dir = tmp_path / "pdf"
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(pdf_dir), str(workbook)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "Error" not in output, output
    assert (pdf_dir / f"{workbook.stem}.pdf").stat().st_size > 0, output
