"""A small run of the workbook fuzzer inside the tests: 100 mutated files of a fixed seed.

The fuzz script (scripts/fuzz) runs thousands of cases; this run keeps the fuzzer honest (its
bases merge cleanly, its oracles pass a correct merge, a case is the same from its seed) and
catches a regression on the way. The defects it found (KNOWN_DEFECTS) are tolerated here and
pinned by the corpus replay.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.fuzz.mutations import OPERATORS, mutate
from tests.fuzz.workbook_fuzz import (
    KNOWN_DEFECTS,
    Judged,
    Runner,
    WorkbookTally,
    actual_states,
    attempt,
    build_bases,
    check_report,
    fresh_copy,
    snapshot,
)

SEED = 20240401
CASES = 100


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    folder = tmp_path_factory.mktemp("fuzz")
    return Runner(build_bases(folder / "bases"), SEED, folder / "work")


def test_each_base_file_merges_into_an_empty_database_exactly_as_it_says(runner: Runner) -> None:
    for name, path in runner.bases.files.items():
        db = runner.work / f"{name}.sqlite3"
        fresh_copy(runner.bases.databases["empty"], db)
        before, states = snapshot(db), actual_states(db)
        done = attempt(db, path, accept_valid=False, take=None)
        assert done.report is not None and done.report.written, done.refused
        judged = Judged(done, before, snapshot(db), states, actual_states(db), False, None)
        assert check_report(judged, runner.specs, path.read_bytes()) == []
    # The template's full-width ２０回 and the submission's 1,500人 arrive as plain numbers.
    merged = actual_states(runner.work / "template.sqlite3")
    assert merged[("7-1-2-K1", 2024)] == ("20", None, None)
    assert merged[("7-1-1-A1", 2024)] == (None, "not_compiled", None)
    assert actual_states(runner.work / "submission.sqlite3")[("7-1-1-K3", 2024)][0] == "1500"


def test_a_case_is_the_same_file_every_time_from_its_seed_and_number(runner: Runner) -> None:
    base = runner.described["submission"]
    for case in range(25):
        first = mutate(base, random.Random(f"{SEED}:{case}"), runner.specs)
        again = mutate(base, random.Random(f"{SEED}:{case}"), runner.specs)
        assert first == again, first[1]


def test_a_hundred_mutated_files_are_each_accepted_correctly_or_rejected_cleanly(
    runner: Runner, tmp_path: Path
) -> None:
    runner.failures = tmp_path / "failures"
    tally = WorkbookTally()
    unexpected = []
    for case in range(CASES):
        result = runner.run(case)
        tally.add(result)
        if result.outcome in ("crash", "partial") and result.kind not in KNOWN_DEFECTS:
            unexpected.append(f"case {case}: {result.kind} {result.ops}\n{result.detail[:2000]}")
    assert not unexpected, "\n\n".join(unexpected)
    # The run exercises both sides and many ways of refusing a file.
    assert tally.accepted >= 10 and tally.rejected >= 30, tally.line()
    assert len(tally.refusals) >= 8, tally.refusals
    assert len(tally.operators) >= len(OPERATORS) // 2, tally.operators
