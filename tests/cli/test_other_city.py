"""A second city (issue 13, item 7): a database started from another city's plan holds only that
plan; a catalog that drops departments retires them; a catalog is never handed out without its
version. The catalog is hand-made (tests/data/other-city-catalog.json): five departments,
lower-is-better indicators in t-CO2 and 件 (one with a target of 0), a cumulative count, 万人
with one decimal, 千円, and a milestone."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kplan_desktop.cli import main
from kplan_desktop.exchange.catalog_files import read_catalog_file
from kplan_desktop.exchange.catalog_json import catalog_hash, load
from tests.conftest import Database, dump

OTHER_CITY = Path(__file__).resolve().parents[1] / "data" / "other-city-catalog.json"
SEED = Path(__file__).resolve().parents[2] / "db" / "seed" / "catalog.json"


def run(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--db", str(db), *args])
    return code, capsys.readouterr().out


def departments(db: Database, capsys: pytest.CaptureFixture[str]) -> list[str]:
    code, out = run(db, capsys, "departments")
    assert code == 0
    return [line.split("\t")[0] for line in out.splitlines()]


@pytest.fixture
def other_city(new_db: Callable[[str], Database], capsys: pytest.CaptureFixture[str]) -> Database:
    db = new_db("minato")
    code, out = run(db, capsys, "init", "--catalog", str(OTHER_CITY))
    assert code == 0, out
    return db


def test_init_with_another_citys_catalog_holds_only_that_catalog(
    other_city: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert departments(other_city, capsys) == ["kikaku", "kankyo", "kodomo", "zaisei", "kanko"]
    code, out = run(other_city, capsys, "show", "--json")
    assert code == 0
    assert sorted(row["code"] for row in json.loads(out)) == [
        "1-1-1-A1",
        "1-1-1-K1",
        "1-2-1-K1",
        "1-2-2-A1",
        "1-2-2-K1",
        "1-3-1-A1",
    ]
    # Exported as .json and .xlsx, the catalog carries its version: the hash of what was read.
    imported = catalog_hash(load(OTHER_CITY))
    for name in ("catalog.json", "catalog.xlsx"):
        out_path = tmp_path / name
        assert run(other_city, capsys, "catalog", "export", "-o", str(out_path))[0] == 0
        issued = read_catalog_file(out_path)
        assert issued.version is not None and not issued.edited
        assert issued.version.catalog_hash == imported == issued.catalog_hash
        assert issued.version.sequence == 1


def test_init_with_a_catalog_refuses_a_database_that_holds_another(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(db)
    capsys.readouterr()
    code = main(["--db", str(db), "init", "--catalog", str(OTHER_CITY)])
    assert code != 0
    assert "kplan catalog import" in capsys.readouterr().err
    assert dump(db) == before


# Entered for FY2025, and the rates worked out by hand against the final targets.
ENTERED = {
    "1-1-1-A1": "46000",  # t-CO2, lower is better: baseline 52,000 → target 40,000
    "1-1-1-K1": "3",  # 件, lower is better: baseline 12 → target 0
    "1-2-1-K1": "2000",  # cumulative 件: counted from 0 → target 5,000
    "1-2-2-A1": "341.2",  # 万人: baseline 305.2 → target 350
    "1-3-1-A1": "8750000",  # 千円: baseline 8,500,000 → target 9,000,000
    "1-2-2-K1": "達成",  # milestone
}
D = Decimal
BY_HAND = {
    # code: (simple rate, progress rate, grade)
    "1-1-1-A1": (D(40000) / D(46000), (D(46000) - 52000) / (D(40000) - 52000), "C"),
    "1-1-1-K1": (D(0) / D(3), (D(3) - 12) / (D(0) - 12), "C"),
    "1-2-1-K1": (D(2000) / D(5000), (D(2000) - 0) / (D(5000) - 0), "D"),
    "1-2-2-A1": (D("341.2") / D(350), (D("341.2") - D("305.2")) / (D(350) - D("305.2")), "B"),
    "1-3-1-A1": (D(8750000) / D(9000000), (D(8750000) - 8500000) / D(500000), "C"),
    "1-2-2-K1": (D(1), D(1), "A"),
}


def test_rates_of_the_other_city_match_the_figures_worked_by_hand(
    other_city: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    for indicator, text in ENTERED.items():
        args = ("enter", "--indicator", indicator, "--year", "2025", "--value", text)
        assert run(other_city, capsys, *args, "--comment", "確認済み")[0] == 0
    code, out = run(other_city, capsys, "show", "--json", "--year", "2025")
    assert code == 0
    found = {
        row["code"]: (
            D(row["years"]["2025"]["simple_rate"]),
            D(row["years"]["2025"]["progress_rate"]),
            row["years"]["2025"]["grade"],
        )
        for row in json.loads(out)
    }
    assert found == BY_HAND
    assert found["1-1-1-K1"][1] == D("0.75")  # a target of 0, three left of twelve


def seed_without(dropped: set[str], to: str) -> dict[str, object]:
    """The seed catalog with `dropped` departments gone and their indicators moved to `to`."""
    data: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
    data["departments"] = [d for d in data["departments"] if d["code"] not in dropped]
    for goal in data["goals"]:
        for policy in goal["policies"]:
            for measure in policy["measures"]:
                for indicator in measure["indicators"]:
                    if indicator["department"] in dropped:
                        indicator["department"] = to
    return data


def test_a_catalog_that_drops_departments_retires_them_and_keeps_their_values(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("enter", "--indicator", "7-2-1-A1", "--year", "2024", "--value", "70%")
    assert run(db, capsys, *args, "--comment", "男女共同参画担当課の値")[0] == 0
    path = tmp_path / "reorganised.json"
    path.write_text(
        json.dumps(seed_without({"equality", "citizen"}, "community"), ensure_ascii=False),
        encoding="utf-8",
    )

    code, out = run(db, capsys, "catalog", "import", str(path))

    assert code == 0, out
    assert "廃止" in out and "citizen, equality" in out and "retired" in out
    listed = departments(db, capsys)
    assert "equality" not in listed and "citizen" not in listed and "community" in listed
    code, out = run(db, capsys, "show", "--json", "--year", "2024")
    (row,) = [r for r in json.loads(out) if r["code"] == "7-2-1-A1"]
    assert (row["department"], row["years"]["2024"]["value"]) == ("community", "70")
    # The stored catalog is what was imported: the export carries the import's version.
    exported = tmp_path / "out.json"
    assert run(db, capsys, "catalog", "export", "-o", str(exported))[0] == 0
    issued = read_catalog_file(exported)
    assert issued.version is not None
    assert issued.version.catalog_hash == catalog_hash(load(path)) == issued.catalog_hash


@pytest.mark.sqlite_only
def test_a_catalog_that_no_longer_hashes_as_its_version_is_exported_with_a_new_one(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database an earlier program left with a dropped department still listed: the export
    records the catalog it holds as the next version rather than send one without."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(
            "INSERT INTO department (code, name, active, position, retired) "
            "VALUES ('old', '旧課', 0, 99, 0)"
        )
    out = tmp_path / "out.json"
    code, printed = run(db, capsys, "catalog", "export", "-o", str(out))
    assert code == 0
    issued = read_catalog_file(out)
    assert issued.version is not None and issued.version.sequence == 2
    assert issued.version.catalog_hash == issued.catalog_hash
    assert "第2版" in printed


@pytest.mark.parametrize(
    "content",
    ["[" * 5000 + "]" * 5000, '{"plan": {"name": "壊れた"', "[" + "{}," * 20000 + "{}]"],
    ids=["deep", "cut-off", "not-a-catalog"],
)
def test_init_with_a_refused_catalog_leaves_no_database_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    catalog = folder / "other.json"
    catalog.write_text(content, encoding="utf-8")
    db = folder / "new.sqlite3"

    assert main(["--db", str(db), "init", "--catalog", str(catalog)]) == 2

    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and " / " in err
    assert sorted(p.name for p in folder.iterdir()) == ["other.json"]


def test_init_with_the_indicator_listing_says_which_file_a_catalog_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 13, finding 4: the flat listing of `catalog export --json` is not a catalog: the
    refusal says so and names the file that is (what `catalog export -o x.json` writes)."""
    seeded = tmp_path / "seeded.sqlite3"
    assert main(["--db", str(seeded), "init"]) == 0
    capsys.readouterr()
    assert main(["--db", str(seeded), "catalog", "export", "--json", "-"]) == 0
    listing = tmp_path / "other.json"
    listing.write_text(capsys.readouterr().out, encoding="utf-8")

    assert main(["--db", str(tmp_path / "new.sqlite3"), "init", "--catalog", str(listing)]) == 2

    err = capsys.readouterr().err
    assert "指標の一覧（kplan catalog export --json の出力）のようです" in err
    assert "kplan catalog export -o" in err and "indicator listing" in err
    assert not (tmp_path / "new.sqlite3").exists()
