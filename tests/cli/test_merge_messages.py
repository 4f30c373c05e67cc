"""What `kplan merge` says (s8 trial findings 6 and 7), on real files between two databases.

6: a conflict shows what differs — the value, the comment (both sides, shortened) — and names
   the database's value by its audit row (how and who: `kplan enter`, an earlier merge), not a
   guess that the planning division corrected it.
7: with several files, one refused whole prints under its own ■ header naming the file, in the
   console's order (standard error after the header), and the exit code stays 2.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kplan_desktop.cli import main
from tests import seeded
from tests.conftest import Database


def run(db: Database, *args: str) -> int:
    return int(main(["--db", str(db), *args]))


def department_file(db: Database, folder: Path, year: str, name: str) -> Path:
    path = folder / name
    assert run(db, "export", "--department", "community", "--year", year, "-o", str(path),
               "--draft") == 0  # fmt: skip
    return path


def conflict_line(db: Database, capsys: pytest.CaptureFixture[str], path: Path) -> Any:
    capsys.readouterr()
    assert run(db, "merge", "--dry-run", "--json", str(path)) == 1
    report = json.loads(capsys.readouterr().out)[0]
    (line,) = [x for x in report["rows"] if x["outcome"] == "conflict"]
    return line


def test_a_conflict_shows_what_differs_and_where_the_database_value_came_from(
    db: Database, new_db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    community: Database = new_db("community")
    seeded.init(community)
    assert run(community, "enter", "--indicator", "7-1-1-K3", "--year", "R8", "--value", "6150",
               "--comment", "地区ごとの集計を合算した値です（4月末時点）") == 0  # fmt: skip
    submission = department_file(community, tmp_path, "R8", "提出_市民協働_R8.xlsx")
    # The planning division typed the same value with its own comment: only the comment differs.
    assert run(db, "enter", "--indicator", "7-1-1-K3", "--year", "R8", "--value", "6150",
               "--comment", "電話で確認") == 0  # fmt: skip
    line = conflict_line(db, capsys, submission)
    reason = line["reason_ja"]
    assert "企画担当課がデータベースで修正" not in reason
    assert "値 ファイル" not in reason  # the values are the same
    assert "コメント ファイル「地区ごとの集計を合算した値です（4月末時点）」" in reason
    assert "データベース「電話で確認」" in reason
    assert "kplan enter などのコマンドで入力" in reason
    assert "comment: file" in line["reason_en"] and "kplan enter" in line["reason_en"]
    # Taken from the file, then changed here with `kplan enter`: the same file again says
    # the value was changed in this database, what differs and how.
    assert run(db, "merge", "--take", "file", str(submission)) in (0, 1)
    assert run(db, "enter", "--indicator", "7-1-1-K3", "--year", "R8", "--value", "6100",
               "--comment", "再集計") == 0  # fmt: skip
    again = conflict_line(db, capsys, submission)
    assert "値 ファイル 6150 / データベース 6100" in again["reason_ja"]
    assert "コマンドで入力" in again["reason_ja"]
    assert "このデータベースで入力・変更" in again["reason_ja"]
    # A value merged from another file names that file.
    other: Database = new_db("other")
    seeded.init(other)
    assert run(other, "enter", "--indicator", "7-1-1-K3", "--year", "R8", "--value", "6200",
               "--comment", "別の集計") == 0  # fmt: skip
    second = department_file(other, tmp_path, "R8", "提出_別端末_R8.xlsx")
    capsys.readouterr()
    fresh: Database = new_db("fresh")
    seeded.init(fresh)
    assert run(fresh, "merge", str(submission)) == 0
    merged = conflict_line(fresh, capsys, second)
    assert "以前の取り込み（提出_市民協働_R8.xlsx）" in merged["reason_ja"]
    assert "an earlier merge (提出_市民協働_R8.xlsx)" in merged["reason_en"]


def test_a_file_refused_whole_is_named_under_its_own_header(
    db: Database, new_db: Any, tmp_path: Path
) -> None:
    community: Database = new_db("community")
    seeded.init(community)
    assert run(community, "enter", "--indicator", "7-1-1-K3", "--year", "R8", "--value", "6150",
               "--comment", "集計済み") == 0  # fmt: skip
    r8 = department_file(community, tmp_path, "R8", "提出_市民協働_R8.xlsx")
    # The department made a next plan of its own: its R9 file names generation 2, which the
    # planning division's database does not hold — refused whole.
    assert run(community, "generation", "new", "--name", "次期基本計画", "--start", "R9",
               "--end", "R13", "--baseline-year", "R8") == 0  # fmt: skip
    assert run(community, "generation", "activate", "2") == 0
    assert run(community, "enter", "--indicator", "7-1-1-K3", "--year", "R9", "--value", "6400",
               "--comment", "集計済み") == 0  # fmt: skip
    r9 = department_file(community, tmp_path, "R9", "提出_市民協働_R9.xlsx")
    done = subprocess.run(
        [sys.executable, "-m", "kplan_desktop.cli", "--db", str(db), "merge", "--dry-run",
         str(r9), str(r8)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout
    lines = [x for x in done.stdout.splitlines() if x.startswith(("■", "  ✖"))]
    assert lines[0] == "■ 提出_市民協働_R9.xlsx  [取り込めません / refused]"
    assert lines[1].startswith("  ✖ ") and "第2期" in lines[1]
    assert lines[2].startswith("■ 提出_市民協働_R8.xlsx  [提出ブック")
    # No refusal without a header above it.
    assert not any(x.startswith("✖") for x in done.stdout.splitlines())
