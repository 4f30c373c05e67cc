"""The corpus: the nastiest files the workbook fuzzer made, each merged with `kplan merge`.

Every file in tests/fuzz/corpus is listed in corpus/index.json with what it exercises and what
the merge must do with it, into a fresh planning database:

- refused: one line on standard error, Japanese / English, exit 2, the error code given, and
  every table as it was;
- rows: exit 2, each rejected row with its reason in the report, nothing written;
- accepted: exit 0, and the database holds exactly the values listed;
- not-merged: exit 2 and every table as it was, refused whole or row by row (for defects where
  either would be right).

A file that shows a defect the fuzzer found (`defect`, one of the KNOWN_DEFECTS) is a strict
xfail: it says what the merge should do, and passes once the defect is fixed.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from kplan_desktop.cli import main
from tests.conftest import dump
from tests.fuzz.workbook_fuzz import KNOWN_DEFECTS, actual_states

CORPUS = Path(__file__).parent / "corpus"
ENTRIES: list[dict[str, Any]] = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))


def _param(entry: dict[str, Any]) -> Any:
    defect = entry.get("defect")
    marks = []
    if defect is not None:
        marks.append(pytest.mark.xfail(strict=True, reason=f"known defect {defect}"))
    return pytest.param(entry, id=entry["file"], marks=marks)


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("corpus") / "planning.sqlite3"
    assert main(["--db", str(db), "init"]) == 0
    return db


@pytest.fixture
def planning(initialised: Path, tmp_path: Path) -> Path:
    """A fresh planning database: a consistent copy of the initialised one."""
    db = tmp_path / "planning.sqlite3"
    with closing(sqlite3.connect(initialised)) as source, closing(sqlite3.connect(db)) as copy:
        source.backup(copy)
    return db


def merge(
    db: Path, file: Path, capsys: pytest.CaptureFixture[str], *options: str
) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db), "merge", *options, str(file)])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_corpus_file_is_listed_small_and_explained() -> None:
    listed = {entry["file"] for entry in ENTRIES}
    assert listed == {p.name for p in CORPUS.glob("*.xlsx")}
    assert len(listed) <= 16
    for entry in ENTRIES:
        assert (CORPUS / entry["file"]).stat().st_size < 100_000, entry["file"]
        assert entry["expect"] in ("refused", "rows", "accepted", "not-merged")
        assert entry["what"] and entry["made"]
        assert entry.get("defect") in (None, *KNOWN_DEFECTS)


@pytest.mark.parametrize("entry", [_param(e) for e in ENTRIES])
def test_a_corpus_file_is_refused_in_one_line_or_merged_as_it_says(
    entry: dict[str, Any], planning: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = CORPUS / entry["file"]
    before = dump(planning)
    code, out, err = merge(planning, file, capsys)
    expect = entry["expect"]
    if expect == "accepted":
        assert code == 0, out + err
        states = actual_states(planning)
        held = {f"{code}/{year}": list(state[:2]) for (code, year), state in states.items()}
        assert held == entry["values"]
        return
    assert code == 2, out + err
    assert dump(planning) == before
    code, out, _ = merge(planning, file, capsys, "--json")
    (report,) = json.loads(out)
    if expect == "not-merged":
        assert report["refused"] or not report["written"]
    elif expect == "refused":
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert " / " in lines[0] and not lines[0].isascii(), lines[0]
        assert report["refused"] and report["code"] == entry["code"]
    else:
        assert not report["refused"] and not report["written"]
        rejected = [row for row in report["rows"] if row["outcome"] == "rejected"]
        assert rejected and all(row["reason_ja"] and row["reason_en"] for row in rejected)
        assert "却下" in merge(planning, file, capsys)[1]
    assert dump(planning) == before
