"""The packaged program's self-test: every layer once, on temporary databases, step by step.

A `--windowed` build has no console on Windows, so the result is the exit code (0, or 10 plus
the failing step's number) and a report file beside the program's log; the same lines are
printed too, for a terminal.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kplan_desktop import __version__, logs
from kplan_desktop.store.generations import active_generation
from kplan_desktop.store.requests import EntrySource

# Each step imports the layer it checks when it runs, so that a bundle missing a module fails
# at that step, named, rather than the whole self-test at its first import.
if TYPE_CHECKING:
    from kplan_desktop.store.engine import Store

REPORT_NAME = "self-test.log"
FIRST_STEP_CODE = 10

# From the seed catalog: an activity indicator of 市民協働担当課 counted in 回, and a year in
# the plan period.
DEPARTMENT = "community"
INDICATOR = "7-1-1-K2"
YEAR = 2025
GOOD_VALUE = "55回"
STORED_VALUE = "55"
BAD_VALUE = "abc"
SOURCE = EntrySource.TEST  # the audit log's source for the self-test's temporary writes


class SelfTestFailed(Exception):
    """A step's check did not hold; the message says what was expected (both languages)."""


@dataclass
class Workspace:
    """What the steps share: the temporary folder and the databases opened in it."""

    folder: Path
    stores: dict[str, Store] = field(default_factory=dict)
    submission: Path | None = None

    def store(self, name: str) -> Store:
        return self.stores[name]


@dataclass(frozen=True)
class Step:
    """One checked step: its number is its place in the exit code."""

    number: int
    name: str
    title_ja: str
    run: Callable[[Workspace], str]


def report_path() -> Path:
    return logs.log_path().parent / REPORT_NAME


def where_from() -> str:
    """Where the program runs from: the bundle (frozen) or a Python environment."""
    if getattr(sys, "frozen", False):
        return f"frozen bundle {getattr(sys, '_MEIPASS', '?')}"
    return f"python {sys.executable}"


def _check(condition: bool, ja: str, en: str) -> None:
    if not condition:
        raise SelfTestFailed(f"{ja} / {en}")


def _store(workspace: Workspace, name: str) -> Store:
    from kplan_desktop.exchange.seed import ensure_seed
    from kplan_desktop.store.catalog import indicator_count
    from kplan_desktop.store.engine import Store

    store = Store.open(str(workspace.folder / f"{name}.sqlite3"))
    workspace.stores[name] = store
    ensure_seed(store, who="self-test", source=SOURCE)
    with store.snapshot() as conn:
        _check(
            indicator_count(conn, active_generation(conn)) > 0,
            "シードが読み込まれていません",
            "the seed did not load",
        )
    return store


def step_database(workspace: Workspace) -> str:
    """Open a temporary database: the migrations run from the shipped db/ folder."""
    from kplan_desktop.store.engine import SCHEMA_HEAD, Store
    from kplan_desktop.store.paths import db_dir

    store = Store.open(str(workspace.folder / "a.sqlite3"))
    workspace.stores["a"] = store
    revision = store.current_revision()
    _check(
        revision == SCHEMA_HEAD,
        f"スキーマが最新ではありません（{revision}）",
        f"the schema is not at its head ({revision})",
    )
    return f"schema {revision}, migrations from {db_dir()}"


def step_seed(workspace: Workspace) -> str:
    """Load the shipped seed catalog into the temporary database."""
    from kplan_desktop.exchange.seed import ensure_seed
    from kplan_desktop.store.catalog import indicator_count
    from kplan_desktop.store.paths import seed_catalog_path

    store = workspace.store("a")
    _check(
        ensure_seed(store, who="self-test", source=SOURCE),
        "シードを読み込めませんでした",
        "the seed was not loaded",
    )
    with store.snapshot() as conn:
        count = indicator_count(conn, active_generation(conn))
    _check(count > 0, "指標がありません", "no indicator was loaded")
    return f"{count} indicators from {seed_catalog_path()}"


def step_entry(workspace: Workspace) -> str:
    """Enter a value through the one write path: a bad one is refused, a good one stored."""
    from kplan_desktop.store.actuals import enter_value, read_actuals
    from kplan_desktop.store.requests import EntryRefused, Outcome

    store = workspace.store("a")
    try:
        with store.transaction() as conn:
            enter_value(
                conn,
                active_generation(conn),
                INDICATOR,
                YEAR,
                BAD_VALUE,
                who="self-test",
                source=SOURCE,
            )
    except EntryRefused:
        pass
    else:
        raise SelfTestFailed(
            f"不正な値 {BAD_VALUE!r} が保存されました", f"the invalid value {BAD_VALUE!r} was saved"
        )
    with store.transaction() as conn:
        result = enter_value(
            conn,
            active_generation(conn),
            INDICATOR,
            YEAR,
            GOOD_VALUE,
            who="self-test",
            source=SOURCE,
        )
    _check(result.outcome is Outcome.NEW, "値が保存されていません", "the value was not saved")
    with store.snapshot() as conn:
        stored = [
            a.text
            for a in read_actuals(conn, active_generation(conn))
            if a.indicator_code == INDICATOR
        ]
    _check(
        stored == [STORED_VALUE],
        f"保存された値が違います: {stored}",
        f"the stored value differs: {stored}",
    )
    return f"{INDICATOR} {YEAR}: {BAD_VALUE!r} refused, {GOOD_VALUE!r} stored as {STORED_VALUE}"


def step_export(workspace: Workspace) -> str:
    """Write the department's submission workbook (a draft: the seed's year is not finalisable)."""
    from kplan_desktop.exchange.export import export_submission

    store = workspace.store("a")
    path = workspace.folder / "submission.xlsx"
    header = export_submission(store, DEPARTMENT, YEAR, path, draft=True)
    _check(
        header is not None and path.is_file(),
        "提出ブックが書き出されていません",
        "the submission workbook was not written",
    )
    workspace.submission = path
    return f"{path.name}: {path.stat().st_size} bytes"


def step_merge(workspace: Workspace) -> str:
    """Merge the submission into a second temporary database, as the planning division does."""
    from kplan_desktop.exchange.merge import merge_files
    from kplan_desktop.exchange.payload import MergeReport
    from kplan_desktop.store.actuals import read_actuals

    _check(workspace.submission is not None, "提出ブックがありません", "no submission to merge")
    assert workspace.submission is not None
    store = _store(workspace, "b")
    (outcome,) = merge_files(store, [workspace.submission], who="self-test")
    if not isinstance(outcome, MergeReport):
        raise SelfTestFailed(f"取り込めません: {outcome.both()}", f"merge refused: {outcome}")
    _check(outcome.written, "何も書き込まれていません", "the merge wrote nothing")
    with store.snapshot() as conn:
        merged = [
            (a.indicator_code, a.fiscal_year, a.text)
            for a in read_actuals(conn, active_generation(conn))
        ]
    _check(
        merged == [(INDICATOR, YEAR, STORED_VALUE)],
        f"取り込まれた値が違います: {merged}",
        f"the merged values differ: {merged}",
    )
    return f"{len(outcome.lines)} row(s) merged into a second database"


def database_steps() -> list[Step]:
    """The steps that need no Qt; `run` numbers them."""
    steps = [
        ("database", "データベース（マイグレーション）", step_database),
        ("seed", "シードの読み込み", step_seed),
        ("entry", "値の入力と検証", step_entry),
        ("export", "提出ブックの書き出し", step_export),
        ("merge", "2つ目のデータベースへの取り込み", step_merge),
    ]
    return [Step(0, name, ja, run) for name, ja, run in steps]


def run(steps: list[Step], report: Path | None = None) -> int:
    """Run the steps in order; stop at the first failure. 0, or 10 + the failing step's number.

    Steps are numbered here, in order, from 1. Every line goes to the report file (replaced at
    each run), the program's log and standard output.
    """
    numbered = [
        Step(i, step.name, step.title_ja, step.run) for i, step in enumerate(steps, start=1)
    ]
    target = report or report_path()
    lines: list[str] = []
    log = logs.setup()

    def say(line: str) -> None:
        lines.append(line)
        log.info("self-test: %s", line)
        if sys.stdout is not None:  # None in a windowed program on Windows
            print(line, flush=True)

    say(f"kplan-desktop {__version__} self-test; {where_from()}")
    folder = Path(tempfile.mkdtemp(prefix="kplan-selftest-"))
    workspace = Workspace(folder)
    code = 0
    # The temporary databases' signing keys go with them, never into the user's key folder.
    from kplan_desktop.store.paths import ENV_KEY_DIR

    keys_were = os.environ.get(ENV_KEY_DIR)
    os.environ[ENV_KEY_DIR] = str(folder / "keys")
    try:
        for step in numbered:
            started = time.perf_counter()
            try:
                detail = step.run(workspace)
            except Exception as exc:  # any failure names its step; nothing may escape
                code = FIRST_STEP_CODE + step.number
                say(f"FAILED {step.number} {step.name} ({step.title_ja}): {exc}")
                for text in traceback.format_exc().splitlines():
                    lines.append("    " + text)
                break
            elapsed = (time.perf_counter() - started) * 1000
            say(f"ok {step.number} {step.name} ({step.title_ja}) {elapsed:.0f} ms: {detail}")
    finally:
        for store in workspace.stores.values():
            store.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        if keys_were is None:
            os.environ.pop(ENV_KEY_DIR, None)
        else:
            os.environ[ENV_KEY_DIR] = keys_were
    say(
        "self-test: ok / 自己診断: 正常"
        if code == 0
        else f"self-test: failed (exit {code}) / 自己診断: 失敗（終了コード {code}）"
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as exc:
        if sys.stderr is not None:
            print(f"cannot write {target}: {exc}", file=sys.stderr)
    return code
