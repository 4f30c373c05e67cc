"""Crash safety, measured: merges and entries in a child process killed with SIGKILL at random
moments, and the planning database checked after every kill.

    python -m tests.reliability.crash [--kills 200] [--seed N] [--rows 300] [--window 1.5]

Set-up (once, in a temporary folder): a planning database and three departments' databases on
one catalog (the seed plus a generated department with `--rows` indicators, so a merge takes a
while), and three versions of each department's submission workbook, finalised and withdrawn in
between. Then, `--kills` times: a child (crash_worker) starts on the planning database and enters
values and merges workbooks, journaling each operation before it starts and after it returned;
it is killed after a random delay (seeded): half of the kills anywhere in its work, a fifth in
its start-up (imports; opening the database and recovering the WAL), the rest aimed at the start
of an entry's or a merge's write. After every kill a copy of the database files (the WAL as the
kill left it) is opened as the program opens it and checked; the next child opens the original,
hot WAL and all. At the end the original is checked.

Checks (partial and lost count each problem once, however many checks see it; corrupt counts
the checks that found damage, and the run stops at the first):
- corrupt: `PRAGMA integrity_check` is not ok (or the file cannot be read), a foreign key points
  nowhere, or a finished backup fails the program's own check of backups;
- partial: a merge present in part: values without their report or submission record, a report
  or record without the values, values that differ from the file's or lack its revisions, an
  entry batch present in part, or rows no journaled operation wrote;
- lost: an acknowledged entry or merge missing, or the audit log and the actuals disagree (the
  newest audit row of a value is not what is stored, or changes were applied out of order).

The last line printed is `kills=N corrupt=N partial=N lost=N`; the exit code is 0 only when the
last three are 0.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import select
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from kplan_desktop.cli import main as kplan_main
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import MissingReason
from kplan_desktop.domain.revision import Revision
from kplan_desktop.exchange.catalog_json import catalog_to_dict, load
from kplan_desktop.exchange.merge import report_from_json
from kplan_desktop.exchange.workbook_reader import read_exchange_workbook
from kplan_desktop.store.actuals import ActualView, EntryRequest, read_actuals, write_actuals
from kplan_desktop.store.audit import AuditEntry, audit_log
from kplan_desktop.store.backup import backups_in, check_backup
from kplan_desktop.store.engine import DATABASE_ID_KEY, Store
from kplan_desktop.store.paths import seed_catalog_path
from kplan_desktop.store.requests import EntrySource
from kplan_desktop.store.submissions import SubmissionRecord, latest_reports, submissions
from tests.reliability.crash_worker import (
    CLEAR_TEXT,
    PREFIX,
    REASON_TEXT,
    WRITTEN_LINES,
    load_setup,
    merge_who,
)

REPO = Path(__file__).resolve().parents[2]
YEAR = 2024
VERSIONS = 3
GENERATED = "gen"
Key = tuple[str, int]
State = tuple[str | None, str | None, str | None]
Say = Callable[[str], None]

# Three versions of each department's year, as in tests/cli/test_exchange_cli.py; a later version
# changes some values, so its rows replace the earlier file's revisions.
COMMUNITY = (
    {
        "7-1-1-A1": "未集計",
        "7-1-1-K1": "3",
        "7-1-1-K2": "55",
        "7-1-1-K3": "1,500人",
        "7-1-2-A1": "該当なし",
        "7-1-2-K1": "20",
    },
    {"7-1-1-K1": "4", "7-1-1-K2": "57", "7-1-1-K3": "2,000人"},
    {"7-1-1-K2": "60", "7-1-1-K3": "2,400人", "7-1-2-K1": "25"},
)
EQUALITY = (
    {"7-2-1-A1": "70%", "7-2-1-K1": "1", "7-2-1-K2": "3"},
    {"7-2-1-A1": "72.5%", "7-2-1-K1": "2"},
    {"7-2-1-K2": "4"},
)
# Seed indicators the child also enters, besides the generated ones (whole-number units).
SEED_KEYS: tuple[Key, ...] = (
    ("7-1-1-K1", 2023),
    ("7-1-1-K2", 2024),
    ("7-1-1-K3", 2024),
    ("7-2-1-K1", 2024),
)


# -- set-up ----------------------------------------------------------------------------------


def kplan(db: Path, *args: str) -> None:
    """Run a `kplan` command in this process, quietly; any exit but 0 is an error."""
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = kplan_main(["--db", str(db), *args])
    if code != 0:
        raise RuntimeError(f"kplan {' '.join(args)} exited {code}: {out.getvalue()[-2000:]}")


def write_catalog(path: Path, rows: int) -> list[str]:
    """The seed catalog plus a department owning `rows` indicators; their codes."""
    data = catalog_to_dict(load(seed_catalog_path()))
    template = next(
        i
        for g in data["goals"]
        for p in g["policies"]
        for m in p["measures"]
        for i in m["indicators"]
        if i["code"] == "7-1-1-K2"
    )
    data["departments"].append({"code": GENERATED, "name": "生成担当課", "active": True})
    codes: list[str] = []
    measures = []
    for m in range((rows + 9) // 10):
        indicators = []
        for k in range(min(10, rows - 10 * m)):
            code = f"9-1-{m + 1}-K{k + 1}"
            codes.append(code)
            indicators.append(
                {**template, "code": code, "name": f"生成指標{m}-{k}", "department": GENERATED}
            )
        measures.append(
            {
                "code": f"9-1-{m + 1}",
                "name": f"生成施策{m}",
                "vision": None,
                "related_plans": [],
                "directions": [],
                "indicators": indicators,
            }
        )
    policy = {"code": "9-1", "name": "生成政策", "measures": measures}
    data["goals"].append({"code": "9", "name": "生成目標", "subtitle": None, "policies": [policy]})
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return codes


def new_database(path: Path, catalog: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    kplan(path, "init")
    kplan(path, "catalog", "import", str(catalog))
    return path


def generated_values(codes: Sequence[str], version: int) -> list[EntryRequest]:
    """Version 0 sets every value; later versions change every other one."""
    return [
        EntryRequest(code, YEAR, str(40 + (7 * k + 3 * version) % 30), f"生成 v{version + 1}")
        for k, code in enumerate(codes)
        if version == 0 or (k + version) % 2 == 0
    ]


def department_files(
    folder: Path, catalog: Path, department: str, versions: Sequence[Any], out: Path
) -> list[Path]:
    """A department's database, and its submission after each version of its values."""
    db = new_database(folder / f"{department}.sqlite3", catalog)
    files = []
    year = str(YEAR)
    for n, version in enumerate(versions):
        if n:
            kplan(db, "finalise", "--department", department, "--year", year, "--withdraw")
        if isinstance(version, dict):
            for code, text in version.items():
                comment = f"v{n + 1} {code}の説明"
                kplan(db, "enter", "--indicator", code, "--year", year, "--value", text,
                      "--comment", comment)  # fmt: skip
        else:
            store = Store.open(str(db))
            with store.transaction() as conn:
                write_actuals(conn, 1, version, who="setup", source=EntrySource.TEST)
            store.dispose()
        kplan(db, "finalise", "--department", department, "--year", year)
        path = out / f"{department}-v{n + 1}.xlsx"
        kplan(db, "export", "--department", department, "--year", year, "-o", str(path))
        files.append(path)
    return files


@dataclass(frozen=True)
class FileRow:
    """What a merge writes for one row of a file: the stored state and its revisions."""

    state: State
    revision: Revision | None
    replaces: Revision | None


@dataclass(frozen=True)
class SubmissionFile:
    path: Path
    sha: str
    department: str
    count: int
    rows: dict[Key, FileRow]


def read_submission(path: Path) -> SubmissionFile:
    book = read_exchange_workbook(path)
    if book.integrity != "verified":
        raise RuntimeError(f"{path.name}: expected a verified submission, got {book.integrity}")
    rows = {}
    for row in book.rows:
        assert row.fiscal_year is not None
        state = (row.value_text, row.missing_reason, row.comment.strip() or None)
        rows[(row.indicator, row.fiscal_year)] = FileRow(state, row.revision, row.replaces)
    return SubmissionFile(path, book.sha256, book.department, len(book.rows), rows)


@dataclass(frozen=True)
class Setup:
    folder: Path
    planning: Path
    journal: Path
    worker_setup: Path  # the JSON the child reads
    files: dict[str, SubmissionFile]  # by SHA-256
    keys: list[Key]


def prepare(folder: Path, rows: int) -> Setup:
    """The planning database, the submission workbooks, and what the child needs to know."""
    folder.mkdir(parents=True, exist_ok=True)
    catalog = folder / "catalog.json"
    codes = write_catalog(catalog, rows)
    planning = new_database(folder / "planning" / "kplan.sqlite3", catalog)
    departments = folder / "departments"
    out = folder / "files"
    out.mkdir(exist_ok=True)
    paths = [
        *department_files(departments, catalog, "community", COMMUNITY, out),
        *department_files(departments, catalog, "equality", EQUALITY, out),
        *department_files(
            departments,
            catalog,
            GENERATED,
            [generated_values(codes, v) for v in range(VERSIONS)],
            out,
        ),
    ]
    files = {f.sha: f for f in map(read_submission, paths)}
    keys = [(code, year) for code in codes[:10] for year in (YEAR - 1, YEAR)] + list(SEED_KEYS)
    journal = folder / "journal.jsonl"
    journal.touch()
    worker_setup = folder / "worker.json"
    worker_setup.write_text(
        json.dumps(
            {
                "db": str(planning),
                "journal": str(journal),
                "files": [{"path": str(f.path), "sha": f.sha} for f in files.values()],
                "keys": keys,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    assert load_setup(worker_setup)["keys"] == keys
    return Setup(folder, planning, journal, worker_setup, files, keys)


# -- the journal -----------------------------------------------------------------------------


@dataclass
class Operation:
    """One journaled operation of a child: what it set out to do, and its acknowledgement."""

    op: str
    index: int  # order of starting, over the whole run
    kind: str  # enter | merge
    start: dict[str, Any]
    done: dict[str, Any] | None = None


def read_journal(path: Path) -> dict[str, Operation]:
    """The operations in the order they started. A line a kill tore (the worker starts its own
    on a new line) is skipped: a torn `start` never began, a torn `done` was never given."""
    operations: dict[str, Operation] = {}
    for raw in path.read_bytes().split(b"\n"):
        try:
            event = json.loads(raw)
        except ValueError:
            continue
        if event["event"] == "start":
            operations[event["op"]] = Operation(event["op"], len(operations), event["kind"], event)
        elif event["op"] in operations:
            operations[event["op"]].done = event
    return operations


# -- the checks ------------------------------------------------------------------------------

_REASON_CODE = MissingReason.from_label(REASON_TEXT)
assert _REASON_CODE is not None
Change = tuple[str, int, str, str | None, str | None, str | None]


@dataclass
class Findings:
    """The problems one check found, by figure."""

    corrupt: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    def add(self, figure: str, message: str) -> None:
        getattr(self, figure).append(message)

    @property
    def clean(self) -> bool:
        return not (self.corrupt or self.partial or self.lost)


def _state(actual: ActualView) -> State:
    reason = None if actual.missing_reason is None else actual.missing_reason.value
    return (actual.text, reason, actual.comment)


def _new_state(entry: AuditEntry) -> State:
    return (entry.new_value, entry.new_reason, entry.new_comment)


def _change(entry: AuditEntry) -> Change:
    assert entry.indicator_code is not None and entry.fiscal_year is not None
    return (entry.indicator_code, entry.fiscal_year, entry.action, *_new_state(entry))


def _op_of(text: str | None) -> str | None:
    return text[len(PREFIX) :] if text and text.startswith(PREFIX) else None


def integrity(db: Path) -> list[str]:
    """SQLite's own checks, on a plain connection that recovers the WAL as any opening does."""
    try:
        conn = sqlite3.connect(db)
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            result = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
            keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"{db.name}: cannot be read: {exc}"]
    problems = [] if result == ["ok"] else [f"{db.name}: integrity_check: {'; '.join(result)}"]
    if keys:
        problems.append(f"{db.name}: foreign_key_check: {keys[:5]}")
    return problems


class Checker:
    """Checks a planning database against the journal and the workbooks; remembers problems."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.seen: dict[str, set[str]] = {"corrupt": set(), "partial": set(), "lost": set()}
        self.corrupt_checks = 0
        self.backups_checked: set[str] = set()
        self.stats: dict[str, int] = {}

    def figures(self) -> tuple[int, int, int]:
        return self.corrupt_checks, len(self.seen["partial"]), len(self.seen["lost"])

    def check(self, db: Path) -> Findings:
        """Check the database file `db` (the original or a copy) and the backups folder."""
        found = Findings()
        for problem in integrity(db):
            found.add("corrupt", problem)
        if not found.corrupt:
            try:
                self.check_contents(db, found)
            except (DomainError, SQLAlchemyError) as exc:
                found.add("corrupt", f"{db.name}: the program cannot read it: {exc}")
        self.check_backups(found)
        if found.corrupt:
            self.corrupt_checks += 1
        for figure in ("corrupt", "partial", "lost"):
            self.seen[figure].update(getattr(found, figure))
        return found

    def check_backups(self, found: Findings) -> None:
        """Every finished automatic backup passes the check a restore makes."""
        folder = self.setup.planning.parent / "backups"
        for backup in backups_in(folder):
            if backup.path.name in self.backups_checked:
                continue
            try:
                check_backup(backup.path)
            except DomainError as exc:
                found.add("corrupt", f"backup {backup.path.name}: {exc.message_en}")
            self.backups_checked.add(backup.path.name)
        if folder.is_dir():
            self.stats["backups left half-written"] = sum(
                1 for p in folder.iterdir() if p.name.endswith(".partial")
            )
        self.stats["backups checked"] = len(self.backups_checked)

    def check_contents(self, db: Path, found: Findings) -> None:
        store = Store.open(str(db))
        try:
            with store.snapshot() as conn:
                actuals = read_actuals(conn, 1)
                audits = audit_log(conn)
                received = submissions(conn, 1)
                reports = latest_reports(conn, limit=1 << 30)
            database = store.meta(DATABASE_ID_KEY)
        finally:
            store.dispose()
        operations = read_journal(self.setup.journal)
        self.stats["operations"] = len(operations)
        self.stats["acknowledged"] = sum(1 for o in operations.values() if o.done)
        self.stats["values"] = len(actuals)
        self.stats["audit rows"] = len(audits)
        self.stats["merge reports"] = len(reports)

        values = [
            a for a in audits if a.action in ("enter", "clear") and a.indicator_code is not None
        ]
        entries: dict[str, list[AuditEntry]] = defaultdict(list)
        merged: dict[str, list[AuditEntry]] = defaultdict(list)
        for entry in values:
            if entry.source == "merge" and (op := _op_of(entry.who)) is not None:
                merged[op].append(entry)
            elif entry.source == "test" and (op := _op_of(entry.detail)) is not None:
                entries[op].append(entry)
            else:
                found.add("partial", f"audit row {entry.id}: written by no journaled operation")
        self._values_match_the_audit_log(values, actuals, database, found)
        self._in_journal_order(values, operations, found)
        self._entries(operations, entries, found)
        by_who: dict[str, list[Any]] = defaultdict(list)
        for report in reports:
            by_who[f"report {report.who}"].append(report)
        for record in received:
            by_who[f"submission {record.merged_by}"].append(record)
        self._merges(operations, merged, by_who, received, found)

    def _values_match_the_audit_log(
        self,
        values: list[AuditEntry],
        actuals: list[ActualView],
        database: str | None,
        found: Findings,
    ) -> None:
        """The newest audit row of every value says what is stored, with the right revision."""
        newest: dict[Key, AuditEntry] = {}
        for entry in values:
            assert entry.indicator_code is not None and entry.fiscal_year is not None
            newest[(entry.indicator_code, entry.fiscal_year)] = entry  # ordered by id
        stored = {(a.indicator_code, a.fiscal_year): a for a in actuals}
        for key in sorted(set(newest) | set(stored)):
            last, actual = newest.get(key), stored.get(key)
            # A merged value missing is a file present in part; anything else is a lost write.
            merge = (last.source if last else actual.source if actual else "") == "merge"
            figure = "partial" if merge else "lost"
            if last is None:
                assert actual is not None
                found.add(figure, f"{key}: a value ({_state(actual)}) with no audit row")
            elif last.action == "clear":
                if actual is not None:
                    found.add(figure, f"{key}: audit row {last.id} cleared it, yet it is stored")
            elif actual is None:
                found.add(figure, f"{key}: audit row {last.id} wrote {_new_state(last)}, gone")
            elif _state(actual) != _new_state(last):
                found.add(
                    figure,
                    f"{key}: stored {_state(actual)}, audit row {last.id} says {_new_state(last)}",
                )
            else:
                self._revision(key, last, actual, database, found)

    def _revision(
        self,
        key: Key,
        last: AuditEntry,
        actual: ActualView,
        database: str | None,
        found: Findings,
    ) -> None:
        if last.source != "merge":
            if database is None or actual.revision != Revision(database, last.id):
                found.add("lost", f"{key}: revision {actual.revision}, not audit row {last.id}")
            return
        sha = (last.detail or "").rpartition("sha256=")[2]
        row = self.setup.files[sha].rows.get(key) if sha in self.setup.files else None
        if row is None:
            found.add("partial", f"{key}: merged from {last.detail}, a row no file has")
        elif (actual.revision, actual.replaces) != (row.revision, row.replaces):
            found.add(
                "partial",
                f"{key}: revisions {actual.revision} / {actual.replaces}, the file's "
                f"{row.revision} / {row.replaces}",
            )

    def _in_journal_order(
        self, values: list[AuditEntry], operations: dict[str, Operation], found: Findings
    ) -> None:
        """Changes to one value were applied in the order the operations ran."""
        last: dict[Key, tuple[int, str]] = {}
        for entry in values:
            assert entry.indicator_code is not None and entry.fiscal_year is not None
            op = _op_of(entry.who if entry.source == "merge" else entry.detail)
            if op is None or op not in operations:
                continue
            key = (entry.indicator_code, entry.fiscal_year)
            index = operations[op].index
            before = last.get(key)
            if before is not None and before[0] > index:
                found.add("lost", f"{key}: {op} applied after the later {before[1]}")
            last[key] = (index, op)

    def _entries(
        self,
        operations: dict[str, Operation],
        entries: dict[str, list[AuditEntry]],
        found: Findings,
    ) -> None:
        """Every acknowledged batch is there whole; the one in flight, whole or not at all."""
        in_flight: Counter[bool] = Counter()
        for operation in operations.values():
            if operation.kind != "enter":
                continue
            got = sorted(_change(e) for e in entries.pop(operation.op, []))
            if operation.done is not None:
                want = sorted(
                    (c[0], int(c[1]), c[2], c[3], c[4], c[5]) for c in operation.done["changes"]
                )
                if got == want:
                    continue
                if not got:
                    found.add("lost", f"entry {operation.op}: acknowledged, {len(want)} missing")
                else:
                    found.add("partial", f"entry {operation.op}: {got} written, {want} acked")
                continue
            must, may = self._intended(operation)
            if got and not (must <= set(got) <= must | may):
                found.add("partial", f"entry {operation.op} (in flight): {got} written")
            in_flight[bool(got)] += 1
        for op, rows in entries.items():
            found.add("partial", f"entry {op}: {len(rows)} audit rows, never journaled")
        self.stats["entries in flight at a kill, committed"] = in_flight[True]
        self.stats["entries in flight at a kill, not committed"] = in_flight[False]

    @staticmethod
    def _intended(operation: Operation) -> tuple[set[Change], set[Change]]:
        """What an unacknowledged batch writes: `must` if it committed; a clear `may`."""
        comment = operation.start["comment"]
        must: set[Change] = set()
        may: set[Change] = set()
        for code, year, text in operation.start["requests"]:
            if text == CLEAR_TEXT:  # clearing what is not there changes nothing
                may.add((code, int(year), "clear", None, None, None))
            elif text == REASON_TEXT:
                assert _REASON_CODE is not None
                must.add((code, int(year), "enter", None, _REASON_CODE.value, comment))
            else:
                must.add((code, int(year), "enter", text, None, comment))
        return must, may

    def _merges(
        self,
        operations: dict[str, Operation],
        merged: dict[str, list[AuditEntry]],
        by_who: dict[str, list[Any]],
        received: list[SubmissionRecord],
        found: Findings,
    ) -> None:
        """A merge's values, report and submission record: all present or none."""
        in_flight: Counter[bool] = Counter()
        shas = {r.sha256 for r in received}
        for operation in operations.values():
            if operation.kind != "merge":
                continue
            who = merge_who(operation.op)
            rows = merged.pop(operation.op, [])
            reports = by_who.pop(f"report {who}", [])
            records = by_who.pop(f"submission {who}", [])
            file = self.setup.files[operation.start["sha"]]
            name = f"merge {operation.op} of {file.path.name}"
            done = operation.done
            if done is None:
                in_flight[bool(rows or reports or records)] += 1
            if not (rows or reports or records):
                if done is not None and done["written"]:
                    found.add("lost", f"{name}: acknowledged, none of it is there")
                continue
            if done is not None and not done["written"]:
                found.add("partial", f"{name}: wrote nothing, yet left rows")
            if len(reports) != 1:
                found.add("partial", f"{name}: {len(reports)} reports with {len(rows)} values")
                continue
            report = report_from_json(reports[0].body)
            lines = sorted(
                (line.indicator, line.fiscal_year or 0)
                for line in report.lines
                if line.outcome in WRITTEN_LINES
            )
            keys = sorted((e.indicator_code or "", e.fiscal_year or 0) for e in rows)
            if keys != lines or report.sha256 != file.sha:
                found.add(
                    "partial", f"{name}: {len(keys)} values, the report says {len(lines)} written"
                )
            detail = f"{file.path.name} sha256={file.sha}"
            for entry in rows:
                assert entry.indicator_code is not None and entry.fiscal_year is not None
                row = file.rows.get((entry.indicator_code, entry.fiscal_year))
                if row is None or _new_state(entry) != row.state or entry.detail != detail:
                    found.add("partial", f"{name}: audit row {entry.id} is not the file's row")
            if len(records) > 1 or (not records and file.sha not in shas):
                found.add("partial", f"{name}: {len(records)} submission records")
            for record in records:
                if (record.sha256, record.rows, record.department) != (
                    file.sha,
                    file.count,
                    file.department,
                ):
                    found.add("partial", f"{name}: the submission record is not the file's")
            if done is not None and (len(rows), bool(records)) != (done["rows"], done["recorded"]):
                found.add(
                    "partial",
                    f"{name}: {len(rows)} values and {len(records)} records, acknowledged "
                    f"{done['rows']} and {int(done['recorded'])}",
                )
        for op, rows in merged.items():
            found.add("partial", f"merge {op}: {len(rows)} audit rows, never journaled")
        self.stats["merges in flight at a kill, written"] = in_flight[True]
        self.stats["merges in flight at a kill, nothing written"] = in_flight[False]
        for what, items in by_who.items():
            found.add("partial", f"{what}: {len(items)} rows no journaled merge wrote")


# -- killing ---------------------------------------------------------------------------------


@dataclass
class Kill:
    after: str  # what the delay counts from: "spawn", or the first time the child says `after`
    delay: float
    phase: str  # what the child said it was doing last
    opened_after: float | None = None  # seconds from spawn to opening the database
    ready_after: float | None = None  # seconds from spawn to ready for work
    durations: list[tuple[str, float]] = field(default_factory=list)  # phases seen to end


class WorkerFailed(RuntimeError):
    """A child ended by itself: an error in the program or in the worker."""


# A child that is not ready (or has not reached the phase to kill in) by then is stuck.
READY_TIMEOUT = 60.0


def _lines(buffer: bytearray) -> Iterable[str]:
    while b"\n" in buffer:
        raw, _, rest = bytes(buffer).partition(b"\n")
        buffer[:] = rest
        yield raw.decode("utf-8", "replace")


def kill_one(setup: Setup, child: int, seed: int, delay: float, after: str, log: Path) -> Kill:
    """Start a child on the planning database; SIGKILL it `delay` seconds after it started
    (`after="spawn"`) or after it first said it was at phase `after` (ready, enter, ...)."""
    command = [
        sys.executable,
        "-m",
        "tests.reliability.crash_worker",
        str(setup.worker_setup),
        "--child",
        str(child),
        "--seed",
        str(seed),
    ]
    with log.open("ab") as errors:
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=errors)
    assert process.stdout is not None
    started = since = time.monotonic()
    kill = Kill(after, delay, "start")
    deadline = started + (delay if after == "spawn" else READY_TIMEOUT)
    buffer = bytearray()
    pipe = process.stdout.fileno()
    reached = after == "spawn"

    def read(chunk: bytes) -> None:
        nonlocal deadline, since, reached
        buffer.extend(chunk)
        for line in _lines(buffer):
            # The child's own time of each phase (time.monotonic is one clock for every
            # process): a kill aimed at a phase does not wait for this process to wake up.
            stamp, phase = line.split(" ")[:2]
            now = float(stamp)
            kill.durations.append((kill.phase, now - since))
            kill.phase, since = phase, now
            if phase == "open" and kill.opened_after is None:
                kill.opened_after = now - started
            if phase == "ready" and kill.ready_after is None:
                kill.ready_after = now - started
            if not reached and phase == after:
                reached, deadline = True, now + delay

    ended = False
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([pipe], [], [], left)
        if ready:
            chunk = os.read(pipe, 65536)
            if not chunk:
                ended = True
                break
            read(chunk)
    alive = process.poll() is None
    if alive:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    read(process.stdout.read())
    process.stdout.close()
    if ended or not alive or process.returncode != -signal.SIGKILL:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise WorkerFailed(f"child {child} ended by itself ({process.returncode}):\n{tail}")
    if not reached:
        raise WorkerFailed(f"child {child} did not reach {after} in {READY_TIMEOUT:.0f} s")
    return kill


class Timing:
    """How long the child's phases take, as seen so far: where to aim the next kill."""

    def __init__(self) -> None:
        self.seen: dict[str, list[float]] = defaultdict(list)

    def add(self, kill: Kill) -> None:
        if kill.opened_after is not None:
            self.seen["until open"].append(kill.opened_after)
        if kill.ready_after is not None:
            self.seen["until ready"].append(kill.ready_after)
        for phase, seconds in kill.durations:
            self.seen[phase].append(seconds)

    def median(self, what: str, default: float) -> float:
        return statistics.median(self.seen[what]) if self.seen[what] else default

    def longest(self, what: str, default: float) -> float:
        """The 90th percentile: a merge that writes takes far longer than one that does not."""
        seen = self.seen[what]
        return statistics.quantiles(seen, n=10)[-1] if len(seen) > 1 else default

    def moment(self, rng: random.Random, window: float) -> tuple[str, float]:
        """When to kill: mostly anywhere in the work; some kills in start-up (while Python
        imports; while the database is opened and the WAL the last kill left is recovered);
        some aimed at the writes themselves (an entry's transaction, a merge's write step)."""
        open_at = self.median("until open", 0.5)
        ready_at = max(self.median("until ready", 1.0), open_at)
        pick = rng.random()
        if pick < 0.1:
            return "spawn", rng.uniform(0.0, ready_at)
        if pick < 0.2:
            return "spawn", rng.uniform(open_at, ready_at)
        if pick < 0.35:
            return "enter", rng.uniform(0.0, 1.5 * self.median("enter", 0.02))
        if pick < 0.5:
            return "merge-write", rng.uniform(0.0, 1.2 * self.longest("merge-write", 0.1))
        return "ready", rng.uniform(0.0, window)


def snapshot(db: Path, into: Path) -> Path:
    """A copy of the database files exactly as the kill left them (the WAL not yet recovered)."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        source = db.with_name(db.name + suffix)
        if source.exists():
            shutil.copyfile(source, into / source.name)
    return into / db.name


@dataclass
class Result:
    kills: int
    corrupt: int
    partial: int
    lost: int
    seconds: float
    failed: str | None = None

    @property
    def line(self) -> str:
        return f"kills={self.kills} corrupt={self.corrupt} partial={self.partial} lost={self.lost}"

    @property
    def ok(self) -> bool:
        return self.failed is None and self.corrupt == self.partial == self.lost == 0


def run(
    kills: int,
    *,
    seed: int,
    folder: Path,
    rows: int = 300,
    window: float = 1.5,
    say: Say = print,
) -> Result:
    """Set up, kill `kills` children, check after each kill and at the end."""
    began = time.monotonic()
    say(f"seed={seed} kills={kills} rows={rows} window={window}s folder={folder}")
    rng = random.Random(seed)
    setup = prepare(folder, rows)
    say(f"set-up: {len(setup.files)} submission workbooks in {time.monotonic() - began:.1f} s")
    checker = Checker(setup)
    phases: Counter[str] = Counter()
    timing = Timing()
    log = folder / "worker-errors.log"
    done, failed = 0, None
    for child in range(kills):
        after, delay = timing.moment(rng, window)
        try:
            kill = kill_one(setup, child, rng.randrange(1 << 32), delay, after, log)
        except WorkerFailed as exc:
            failed = str(exc)
            say(failed)
            break
        done += 1
        phases[kill.phase] += 1
        timing.add(kill)
        found = checker.check(snapshot(setup.planning, folder / "check"))
        problems = [*found.corrupt, *found.partial, *found.lost]
        say(
            f"kill {done}/{kills} {kill.delay:.2f} s after {kill.after} in {kill.phase}: "
            + ("ok" if not problems else "; ".join(problems[:5]))
        )
        if found.corrupt:
            break  # the next child would start on a damaged file
    final = checker.check(setup.planning)
    for figure in ("corrupt", "partial", "lost"):
        for problem in sorted(checker.seen[figure]):
            say(f"{figure}: {problem}")
    say("kills by phase: " + ", ".join(f"{p} {n}" for p, n in sorted(phases.items())))
    say(
        "median phase times: "
        + ", ".join(f"{p} {timing.median(p, 0) * 1000:.0f} ms" for p in sorted(timing.seen))
    )
    say("database at the end: " + ", ".join(f"{k} {v}" for k, v in sorted(checker.stats.items())))
    if final.clean and not failed:
        say("final check of the database itself: ok")
    corrupt, partial, lost = checker.figures()
    result = Result(done, corrupt, partial, lost, time.monotonic() - began, failed)
    say(f"time: {result.seconds:.1f} s")
    say(result.line)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="crash-test", description="Kill merges and entries at random moments; check."
    )
    parser.add_argument("--kills", type=int, default=200, help="how many kills (default 200)")
    parser.add_argument("--seed", type=int, help="random seed (default: chosen and printed)")
    parser.add_argument(
        "--rows", type=int, default=300, help="indicators of the generated department"
    )
    parser.add_argument(
        "--window", type=float, default=1.5, help="seconds of work after start-up to kill in"
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.kills < 1 or args.rows < 10 or args.window <= 0:
        parser.error("--kills ≥ 1, --rows ≥ 10 and --window > 0")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    if args.keep is not None:
        result = run(args.kills, seed=seed, folder=args.keep, rows=args.rows, window=args.window)
    else:
        with tempfile.TemporaryDirectory(prefix="kplan-crash-") as tmp:
            folder = Path(tmp)
            result = run(args.kills, seed=seed, folder=folder, rows=args.rows, window=args.window)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
