"""The file gate (exchange/gate.py): every file the program reads passes it first.

The budget: any input up to the 20 MB file limit is refused or read within 250 MB peak memory
and 30 s. The four shapes of issue 14's trial (a 13 M-cell hidden row, 11.7 M shared strings,
a catalog workbook packed 480 to one, a catalog JSON nested 200,000 deep), and the same shapes
made small enough to pass the zip's own declarations, are read by `kplan` in a child process
whose peak memory the kernel reports (wait4).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from tests import seeded
from tests.conftest import dump
from tests.fuzz.hostile import (
    big_comments,
    big_styles,
    deep_json,
    long_cell,
    merged_range,
    packed_ratio,
    ratio_bomb_catalog,
    rich_runs,
    shared_strings,
    wide_json,
    wide_row,
)

from kplan_desktop.cli import main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.exchange.catalog_files import read_catalog_file
from kplan_desktop.exchange.gate import (
    CATALOG_LIMITS,
    WORKBOOK_LIMITS,
    FileRejected,
    Limits,
    check_json_depth,
    check_json_shape,
    open_workbook,
)
from kplan_desktop.exchange.workbook_reader import read_exchange_workbook
from kplan_desktop.progress import Cancelled

MIB = 1024 * 1024
BUDGET_RSS = 250 * MIB
BUDGET_SECONDS = 30
YEAR = "2024"


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A department's draft submission, the catalog workbook and a planning database."""
    folder = tmp_path_factory.mktemp("gate")
    os.environ.setdefault("KPLAN_LOG_DIR", str(folder / "logs"))
    department, planning = folder / "community.sqlite3", folder / "planning.sqlite3"
    for db in (department, planning):
        seeded.init(db)
    for code, value in (("7-1-1-K1", "3"), ("7-1-1-K2", "55")):
        assert run(department, "enter", "--indicator", code, "--year", YEAR, "--value", value) == 0
    submission = folder / "submission.xlsx"
    assert run(department, "export", "--department", "community", "--year", YEAR,
               "--draft", "-o", str(submission)) == 0  # fmt: skip
    catalog = folder / "catalog.xlsx"
    assert run(planning, "catalog", "export", "-o", str(catalog)) == 0
    return {"submission": submission, "catalog": catalog, "planning": planning, "dir": folder}


# -- the budget, measured in a child process -------------------------------------------------

_CHILD = "import sys; from kplan_desktop.cli import main; sys.exit(main(sys.argv[1:]))"


def _limit_memory() -> None:
    # A regression must not take the shared test machine down with it: past 3 GB the child
    # fails (and the test with it) instead of swapping.
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 * MIB, 3 * 1024 * MIB))


def measured(args: list[str], env_dir: Path, code: str = _CHILD) -> tuple[int, str, int, float]:
    """Run `kplan ARGS` in a child: exit code, stderr, peak RSS in bytes, seconds."""
    env = {**os.environ, "KPLAN_LOG_DIR": str(env_dir / "logs")}
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=_limit_memory,
    )
    assert child.stderr is not None
    try:
        err = child.stderr.read()  # the messages are short; the pipe cannot fill
    finally:
        child.stderr.close()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    return child.returncode, err.decode("utf-8", "replace"), usage.ru_maxrss * 1024, seconds


Shape = Callable[[dict[str, Path], Path], Path]

# name → (make the file, the `kplan` command that reads it, a word the refusal must hold)
SHAPES: dict[str, tuple[Shape, str, str]] = {
    # The trial's four: refused by what the zip declares, or by the JSON's depth.
    "13M-cell-hidden-meta-row": (
        lambda b, out: wide_row(b["submission"], out / "wide.xlsx"),
        "merge",
        "",
    ),
    "11.7M-shared-strings": (
        lambda b, out: shared_strings(b["submission"], out / "strings.xlsx"),
        "merge",
        "",
    ),
    "480-to-1-catalog-workbook": (
        lambda b, out: ratio_bomb_catalog(b["catalog"], out / "bomb.xlsx"),
        "catalog",
        "圧縮爆弾",
    ),
    "200000-deep-catalog-json": (
        lambda b, out: deep_json(out / "deep.json"),
        "catalog",
        "JSON",
    ),
    # The same shapes under every declared limit: stopped while inflating, by the counts.
    "6M-cell-row-under-the-zip-limits": (
        lambda b, out: wide_row(b["submission"], out / "wide6.xlsx", cells=6_000_000),
        "merge",
        "「meta」",
    ),
    "5M-shared-strings-under-the-zip-limits": (
        lambda b, out: shared_strings(b["submission"], out / "strings5.xlsx", strings=5_000_000),
        "merge",
        "共有文字列",
    ),
    "catalog-rows-under-the-ratio-limit": (
        lambda b, out: ratio_bomb_catalog(
            b["catalog"], out / "rows.xlsx", unpacked=40 * MIB, pad=0, noise=0.9
        ),
        "catalog",
        "",
    ),
    # Parts the first gate did not bound (the second trial).
    "10MB-styles-submission": (
        lambda b, out: big_styles(b["submission"], out / "styles.xlsx"),
        "merge",
        "xl/styles.xml",
    ),
    "4x10MB-comments-catalog": (
        lambda b, out: big_comments(b["catalog"], out / "comments.xlsx"),
        "catalog",
        "comments",
    ),
    "merged-A30-XFD1048576-catalog": (
        lambda b, out: merged_range(b["catalog"], out / "merged.xlsx", "指標"),
        "catalog",
        "指標",
    ),
    "merged-A30-GR20000-catalog": (
        lambda b, out: merged_range(b["catalog"], out / "merged2.xlsx", "指標", "A30:GR20000"),
        "catalog",
        "指標",
    ),
    "666k-rich-text-runs-submission": (
        lambda b, out: rich_runs(b["submission"], out / "runs.xlsx", "meta"),
        "merge",
        "runs",
    ),
    "666k-rich-text-runs-catalog": (
        lambda b, out: rich_runs(b["catalog"], out / "runs-cat.xlsx", "指標"),
        "catalog",
        "runs",
    ),
    "19.9MB-of-60-deep-sibling-arrays-json": (
        lambda b, out: wide_json(out / "siblings.json", "siblings"),
        "catalog",
        "1,000,000",
    ),
    "19.9MB-of-empty-objects-json": (
        lambda b, out: wide_json(out / "objects.json", "objects"),
        "catalog",
        "1,000,000",
    ),
    "19.9M-digit-number-json": (
        lambda b, out: wide_json(out / "number.json", "number"),
        "catalog",
        "100",
    ),
    "150M-char-formula-submission": (
        lambda b, out: long_cell(b["submission"], out / "long.xlsx", "meta"),
        "merge",
        "2,000",
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_exhausting_shape_is_refused_within_the_memory_and_time_budget(
    bases: dict[str, Path], tmp_path: Path, shape: str
) -> None:
    make, command, word = SHAPES[shape]
    path = make(bases, tmp_path)
    assert path.stat().st_size <= 20 * MIB, "the shape must be under the file limit"
    planning = bases["planning"]
    before = dump(planning)
    if command == "merge":
        args = ["--db", str(planning), "merge", str(path)]
    else:
        args = ["--db", str(planning), "catalog", "import", str(path)]
    code, err, peak, seconds = measured(args, tmp_path)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # one line, Japanese then English, no traceback
    assert "Traceback" not in err and " / " in lines[0], err
    assert word in lines[0], err
    assert peak < BUDGET_RSS, f"{shape}: peak {peak / MIB:.0f} MB"
    assert seconds < BUDGET_SECONDS, f"{shape}: {seconds:.1f} s"
    assert dump(planning) == before
    print(f"{shape}: {path.stat().st_size / MIB:.2f} MB, peak {peak / MIB:.0f} MB, {seconds:.1f} s")


def test_the_measure_sees_a_child_that_exceeds_the_budget(tmp_path: Path) -> None:
    """The budget test can fail: a child holding 300 MB is measured as holding it."""
    hog = "import sys; block = b'x' * (300 * 1024 * 1024); sys.exit(2)"
    code, _, peak, _ = measured([], tmp_path, hog)
    assert code == 2 and peak > BUDGET_RSS


def test_the_trial_shapes_are_as_large_as_the_trial_found_them(
    bases: dict[str, Path], tmp_path: Path
) -> None:
    """The generators make what the trial made, so the budget test measures the real thing."""
    wide = wide_row(bases["submission"], tmp_path / "wide.xlsx")
    assert 9 * MIB < wide.stat().st_size < 12 * MIB
    bomb = ratio_bomb_catalog(bases["catalog"], tmp_path / "bomb.xlsx")
    unpacked, ratio = packed_ratio(bomb)
    assert bomb.stat().st_size < 500 * 1024 and ratio > 450 and unpacked > 150 * MIB
    strings = shared_strings(bases["submission"], tmp_path / "strings.xlsx")
    assert strings.stat().st_size < 10 * MIB


# -- what the gate counts --------------------------------------------------------------------


def test_a_wide_row_is_refused_naming_the_sheet_as_excel_shows_it(
    bases: dict[str, Path], tmp_path: Path
) -> None:
    wide = wide_row(bases["submission"], tmp_path / "wide.xlsx", cells=20_000)
    with pytest.raises(FileRejected) as caught:
        read_exchange_workbook(wide)
    error = caught.value
    assert error.code == "E_WB_TOO_MANY_CELLS"
    assert "シート「meta」" in error.message_ja and "the sheet meta" in error.message_en
    assert "sheet1.xml" not in str(error) and "16,384" in error.message_ja


def test_shared_strings_and_cells_are_counted_against_their_limits(
    bases: dict[str, Path], tmp_path: Path
) -> None:
    strings = shared_strings(bases["submission"], tmp_path / "s.xlsx", strings=5_000)
    with pytest.raises(FileRejected) as caught:
        read_exchange_workbook(strings, limits=Limits(max_shared_strings=4_999))
    assert caught.value.code == "E_WB_SHARED_STRINGS"
    assert "5,000" in caught.value.message_ja or "4,999" in caught.value.message_ja
    # one fewer than the file holds is refused, as many as it holds is not
    assert open_workbook(strings, Limits(max_shared_strings=5_001)).data
    with pytest.raises(FileRejected) as caught:
        open_workbook(bases["submission"], Limits(max_cells=10))
    assert caught.value.code == "E_WB_TOO_MANY_CELLS" and "ブック全体" in caught.value.message_ja


def _with_calc_empty_last_row(source: Path, out: Path, sheet_part_of: str) -> Path:
    """What LibreOffice Calc writes after a row was deleted: an empty row 1048576 (styled)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        book = src.read("xl/workbook.xml").decode()
        rels = src.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet\b[^>]*name="{sheet_part_of}"[^>]*r:id="([^"]+)"', book)
        assert rid is not None
        target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
        )
        assert target is not None
        part = target.group(1).lstrip("/")
        part = part if part.startswith("xl/") else f"xl/{part}"
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                data = data.replace(
                    b"</sheetData>",
                    b'<row r="1048576" s="1" customFormat="false" ht="12.8" hidden="false" '
                    b'customHeight="false" outlineLevel="0" collapsed="false">'
                    b'<c r="A1048576" s="0"/></row></sheetData>',
                )
            dst.writestr(info, data)
    return out


def test_calc_s_empty_row_1048576_does_not_count_as_a_row(
    bases: dict[str, Path], tmp_path: Path
) -> None:
    before = read_exchange_workbook(bases["submission"])
    calc = _with_calc_empty_last_row(bases["submission"], tmp_path / "calc.xlsx", "data")
    after = read_exchange_workbook(calc)
    assert [r.indicator for r in after.rows] == [r.indicator for r in before.rows]
    catalog = _with_calc_empty_last_row(bases["catalog"], tmp_path / "calc-cat.xlsx", "指標")
    assert read_catalog_file(catalog).catalog == read_catalog_file(bases["catalog"]).catalog


def test_a_row_with_content_past_the_limit_is_refused_even_when_the_dimension_says_less(
    bases: dict[str, Path], tmp_path: Path
) -> None:
    calc = _with_calc_empty_last_row(bases["submission"], tmp_path / "calc.xlsx", "data")
    with zipfile.ZipFile(calc) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    filled = tmp_path / "filled.xlsx"
    with zipfile.ZipFile(filled, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(
                name, data.replace(b'<c r="A1048576" s="0"/>', b'<c r="A1048576"><v>1</v></c>')
            )
    with pytest.raises(FileRejected) as caught:
        read_exchange_workbook(filled)
    assert caught.value.code == "E_WB_TOO_MANY_ROWS" and "シート「data」" in caught.value.message_ja


def test_cancelling_stops_the_gate_without_a_result(bases: dict[str, Path], tmp_path: Path) -> None:
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2

    wide = wide_row(bases["submission"], tmp_path / "wide.xlsx", cells=15_000)
    with pytest.raises(Cancelled):
        read_exchange_workbook(wide, cancelled=cancelled)
    assert len(asked) == 3


# -- JSON ------------------------------------------------------------------------------------


def test_deep_json_is_refused_before_json_loads_and_brackets_in_strings_do_not_count(
    tmp_path: Path,
) -> None:
    with pytest.raises(DomainError) as caught:
        read_catalog_file(deep_json(tmp_path / "deep.json"))
    assert caught.value.code == "E_JSON_TOO_DEEP" and "deep.json" in caught.value.message_ja
    limit = CATALOG_LIMITS.max_json_depth
    check_json_depth('{"a": "' + "[{" * 10_000 + '\\"[" }', limit, "x.json")
    check_json_depth("[" * limit + "]" * limit, limit, "x.json")
    with pytest.raises(FileRejected):
        check_json_depth("[" * (limit + 1) + "]" * (limit + 1), limit, "x.json")
    with pytest.raises(FileRejected):
        check_json_depth('{"a": "\\\\", "b": ' + "[" * (limit + 1), limit, "x.json")


def test_json_values_and_numbers_are_counted_outside_strings_only() -> None:
    """A 20,000-indicator catalog holds some 400,000 values: well under the limit; commas and
    digits inside strings are text, not values."""
    limits = Limits()
    check_json_shape("[" + ",".join(["1"] * 900_000) + "]", limits, "ok.json")
    check_json_shape('["' + "," * 3_000_000 + "9" * 500 + '"]', limits, "text.json")
    with pytest.raises(FileRejected, match="too many values"):
        check_json_shape("[" + ",".join(["{}"] * 1_000_001) + "]", limits, "many.json")
    with pytest.raises(FileRejected, match="number in the JSON is too long"):
        check_json_shape('{"a": ' + "9" * 101 + "}", limits, "long.json")
    check_json_shape('{"a": -1.5e+300}', limits, "small.json")


def test_a_row_larger_than_the_row_budget_is_refused_while_streaming(tmp_path: Path) -> None:
    """openpyxl's read-only mode holds a whole row at once: 16,000 cells of 10 KB text in one
    row took 257 MB though every cell count was within its limit. The row's bytes are counted
    as the sheet streams past; shown here with a small budget on a real template."""
    from dataclasses import replace

    db = tmp_path / "plan.sqlite3"
    assert main(["--db", str(db), "init"]) == 0
    template = tmp_path / "template.xlsx"
    args = ["--db", str(db), "template", "--department", "community", "--year", "R6"]
    assert main([*args, "-o", str(template)]) == 0
    assert open_workbook(template, WORKBOOK_LIMITS).sheets
    with pytest.raises(DomainError) as refused:
        open_workbook(template, replace(WORKBOOK_LIMITS, max_row_bytes=200))
    assert refused.value.code == "E_WB_ROW_TOO_LARGE"
    assert "行目が大きすぎます" in refused.value.message_ja
