"""A merge report's lines kept packed (merge_report_json.PackedLines, issue 20): what a merge of
many files returns holds a few KiB per file instead of an object per row, and reads back exactly
the lines it was made from."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Database
from tests.exchange.test_merge import COMMUNITY, enter, export

from kplan_desktop.cli import main
from kplan_desktop.exchange.merge import merge_files, stored_reports
from kplan_desktop.exchange.merge_report_json import PackedLines, report_from_json, report_to_json
from kplan_desktop.exchange.payload import ReportLine, ReportWarning, RowOutcome
from kplan_desktop.store.engine import Store


def lines(count: int, start: int = 0) -> list[ReportLine]:
    """Lines as a 400-row file makes them: every outcome, warnings, None and Japanese text."""
    outcomes = list(RowOutcome)
    made = []
    for n in range(start, start + count):
        warned = n % 7 == 0
        made.append(
            ReportLine(
                sheet_row=None if n % 50 == 0 else n + 6,
                indicator=f"11-{n % 6 + 1}-{n % 5 + 1}-K{n}",
                fiscal_year=None if n % 45 == 0 else 2020 + n % 5,
                outcome=outcomes[n % len(outcomes)],
                reason_ja="却下：単位が違います" if n % 11 == 0 else "",
                reason_en="rejected: unit" if n % 11 == 0 else "",
                file_value=str(50 + n % 9),
                db_value=None if n % 3 else str(49 + n % 9),
                warnings=(ReportWarning("W_YOY", "前年度比 50% 超", "over 50% year on year"),)
                if warned
                else (),
                stored_value=str(50 + n % 9) if n % 4 else None,
                unit="回",
                sheet="記入" if n % 13 else None,
                cell=f"F{n + 6}",
            )
        )
    return made


def test_packed_lines_read_back_exactly_the_lines_they_were_made_from() -> None:
    first, second = lines(400), lines(30, start=1000)
    one, two = PackedLines(first), PackedLines(second)
    assert len(one) == 400 and len(two) == 30
    # Read alternately: the one report kept decoded is switched, never mixed up.
    assert one[0] == first[0] and two[0] == second[0] and one[-1] == first[-1]
    assert one[10:20] == first[10:20] and list(two) == second
    assert one == first and first == one and two == second and one != two
    assert [line.outcome for line in one] == [line.outcome for line in first]
    assert one[7].warnings == first[7].warnings != ()
    assert PackedLines([]) == [] and len(PackedLines([])) == 0


def test_packed_lines_take_a_small_part_of_the_lines_memory() -> None:
    made = lines(400)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        as_objects = [
            ReportLine(**{name: getattr(line, name) for name in ReportLine.__slots__})
            for line in made
        ]
        objects = tracemalloc.get_traced_memory()[0] - before
        before = tracemalloc.get_traced_memory()[0]
        packed = PackedLines(made)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert packed == as_objects
    # The lines' own objects (their strings shared with `made`): about 50 KiB; packed: a few.
    assert held * 5 < objects, (held, objects)


def test_a_merged_files_report_is_packed_and_equal_to_the_stored_one(
    db: Database, new_db: Callable[[str], Database], tmp_path: Path
) -> None:
    department = new_db("department")
    assert main(["--db", str(department), "init"]) == 0
    for code, text in COMMUNITY.items():
        enter(department, code, text)
    out = export(department, tmp_path / "community.xlsx")
    store = Store.open(str(db))
    (report,) = merge_files(store, [out], who="planner")
    assert not isinstance(report, Exception) and report.written
    assert isinstance(report.lines, PackedLines)
    assert report.count(RowOutcome.NEW) == len(COMMUNITY) == len(report.lines)
    with store.snapshot() as conn:
        (saved,) = stored_reports(conn)
    assert saved.lines == report.lines and saved.sha256 == report.sha256
    # Its JSON is the stored form's, packed or not (the stored time is to the second).
    assert report_from_json(report_to_json(report)) == saved
    store.dispose()
