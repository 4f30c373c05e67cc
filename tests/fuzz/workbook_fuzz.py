"""The workbook fuzzer: real submissions and templates, mutated, merged into fresh databases.

    python -m tests.fuzz.workbook_fuzz --cases N --seed S [--workers W] [--timeout T]
    python -m tests.fuzz.workbook_fuzz --seed S --case K --bases out/fuzz/bases   # one case
    python -m tests.fuzz.workbook_fuzz --cases N --harvest DIR   # the smallest file per outcome

The bases are made with the program itself: a finalised submission of `community` (FY2024 and
an FY2023 value), a draft of `equality`, and a filled-in template; three planning databases
(empty, with both submissions merged, and with the planning division's own corrections). A case
picks a base file, a database and a --take choice, mutates the file (tests.fuzz.mutations) and
merges it in-process, on a copy of the database: all or nothing; then, if rows were rejected,
with accept_valid (which changes nothing otherwise); and after a write once more, which must
change nothing. Every table is compared before and after each merge. A case is

- accepted: the file was read and, all or nothing, written or found unchanged or in conflict;
- rejected: the file was refused whole (a DomainError with a Japanese and an English message,
  on one line), or rows were rejected with reasons and nothing was written;
- a crash: any other exception, a refusal without a clear message (empty, no Japanese, more
  than one line), a rejected row without a one-line reason, or (in the pool) a case running
  past the timeout or killing its worker;
- partial: a refused file, an unwritten report or rejected rows in all-or-nothing mode that
  changed a table; a written value that is not what the file says (compared with the reader's
  rows, parsed independently); a change to a row the report does not list; a row with both a
  value and a missing reason written as one of them; rows the reader skipped without a word
  (counted in the sheet's XML independently); a second merge of the same file that changed
  anything; a file with a DOCTYPE or ENTITY that was read at all.

Failing inputs are saved with a note of what happened; every case is reproducible from (seed,
case number) with the same bases, which each run keeps in its output folder.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import multiprocessing.connection
import os
import random
import re
import shutil
import sqlite3
import sys
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, redirect_stderr, redirect_stdout, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from defusedxml.ElementTree import iterparse

from kplan_desktop.cli import main as kplan
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.model import IndicatorSpec, MissingReason
from kplan_desktop.domain.values import canonical, parse_value
from kplan_desktop.exchange.merge import (
    MergePlan,
    apply_merge,
    merge_context,
    merge_files,
    plan_merge,
)
from kplan_desktop.exchange.payload import MergeReport, RowOutcome
from kplan_desktop.exchange.submission_xlsx import DATA_KEYS, TEMPLATE_HEADER_ROW
from kplan_desktop.exchange.workbook_reader import IncomingRow
from kplan_desktop.store.actuals import EntryRequest, write_actuals
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource
from tests.fuzz.mutations import MAIN_NS, PKG_REL_NS, REL_NS, Base, describe_base, mutate
from tests.fuzz.parser_fuzz import message_problem

CaseOutcome = Literal["accepted", "rejected", "crash", "partial"]
Take = Literal["file", "db"] | None
State = tuple[str | None, str | None, str | None]

WHO = "fuzz"
# A case reading 100,000 rows three times takes a minute on a busy 2-core machine; a case still
# running after this long is a hang.
DEFAULT_TIMEOUT = 300.0
YEAR = "2024"
# What a merge that writes may change; everything else must stay as it was.
MERGE_TABLES = frozenset({"actual", "audit", "submission", "merge_report"})

COMMUNITY = {"7-1-1-A1": "未集計", "7-1-1-K1": "3", "7-1-1-K2": "55", "7-1-1-K3": "1,500人",
             "7-1-2-A1": "該当なし", "7-1-2-K1": "20"}  # fmt: skip
COMMUNITY_2023 = {"7-1-1-K1": "2", "7-1-1-K3": "1,300人"}
EQUALITY = {"7-2-1-A1": "70%", "7-2-1-K1": "1", "7-2-1-K2": "3"}
EQUALITY_2023 = {"7-2-1-A1": "65.5%"}
TEMPLATE_FILL: dict[str, tuple[str | int | None, str | None, str]] = {
    "7-1-1-A1": (None, "未集計", ""),
    "7-1-1-K1": ("3", None, "記入: 3回"),
    "7-1-1-K2": (55, None, ""),
    "7-1-1-K3": (1500, None, "前年比増"),
    "7-1-2-A1": (None, "該当なし", ""),
    "7-1-2-K1": ("２０回", None, ""),
}


# Defects the fuzzer found in code it may not change; the tests tolerate these kinds (each is
# pinned by a corpus file whose replay is a strict xfail), the fuzz script counts them.
KNOWN_DEFECTS: dict[str, str] = {}


# -- the bases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bases:
    """The real files and databases every case starts from."""

    folder: Path
    files: dict[str, Path]  # submission, draft, template
    databases: dict[str, Path]  # empty, merged, corrected


FILES = ("submission", "draft", "template")
DATABASES = ("empty", "merged", "corrected")


def _kplan(db: Path, *args: str) -> None:
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as errors:
        code = kplan(["--db", str(db), *args])
    if code != 0:
        raise RuntimeError(f"kplan {' '.join(args)} exited {code}: {errors.getvalue()}")


def _enter(db: Path, values: dict[str, str], year: str) -> None:
    for code, text in values.items():
        _kplan(db, "enter", "--indicator", code, "--year", year, "--value", text,
               "--comment", f"{code}の説明")  # fmt: skip


def _single_file(db: Path) -> None:
    """Leave the database as one file (no WAL beside it), so that a copy is the whole of it."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")


def _fill_template(path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["記入"]
    labels = [str(c.value or "") for c in sheet[TEMPLATE_HEADER_ROW]]
    code_col = labels.index("指標コード") + 1
    value_col = next(i for i, label in enumerate(labels, 1) if label.startswith("実績値"))
    reason_col = labels.index("未記入の理由") + 1
    comment_col = labels.index("コメント") + 1
    for row in range(TEMPLATE_HEADER_ROW + 1, sheet.max_row + 1):
        fill = TEMPLATE_FILL.get(str(sheet.cell(row, code_col).value))
        if fill is not None:
            value, reason, comment = fill
            sheet.cell(row, value_col).value = value
            sheet.cell(row, reason_col).value = reason
            sheet.cell(row, comment_col).value = comment or None
    book.save(path)


def build_bases(folder: Path) -> Bases:
    """Make the base files and databases with the program, as departments would."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    empty, community, equality = (folder / f"{n}.sqlite3" for n in ("empty", "community", "eq"))
    for db in (empty, community, equality):
        _kplan(db, "init")
    _enter(community, COMMUNITY_2023, "2023")
    _enter(community, COMMUNITY, YEAR)
    _enter(equality, EQUALITY_2023, "2023")
    _enter(equality, EQUALITY, YEAR)
    files = {name: folder / f"{name}.xlsx" for name in FILES}
    _kplan(community, "finalise", "--department", "community", "--year", YEAR)
    _kplan(community, "export", "--department", "community", "--year", YEAR,
           "-o", str(files["submission"]))  # fmt: skip
    _kplan(equality, "export", "--department", "equality", "--year", YEAR, "--draft",
           "-o", str(files["draft"]))  # fmt: skip
    _kplan(empty, "template", "--department", "community", "--year", YEAR,
           "-o", str(files["template"]))  # fmt: skip
    _fill_template(files["template"])
    merged, corrected = folder / "merged.sqlite3", folder / "corrected.sqlite3"
    shutil.copyfile(empty, merged)
    store = Store.open(str(merged))
    try:
        outcomes = merge_files(store, [files["submission"], files["draft"]], who="planner")
    finally:
        store.dispose()
    if not all(isinstance(o, MergeReport) and o.written for o in outcomes):
        raise RuntimeError(f"the base submissions do not merge: {outcomes}")
    shutil.copyfile(merged, corrected)
    store = Store.open(str(corrected))
    try:
        corrections = [
            EntryRequest("7-1-1-K2", 2024, "56", "企画担当課が修正"),
            EntryRequest("7-2-1-K1", 2024, "2", "企画担当課が修正"),
            EntryRequest("7-1-1-K1", 2024, "—"),
        ]
        with store.transaction() as conn:
            write_actuals(conn, 1, corrections, who="planner", source=EntrySource.TEST)
    finally:
        store.dispose()
    for db in (empty, merged, corrected, community, equality):
        _single_file(db)
    databases = {"empty": empty, "merged": merged, "corrected": corrected}
    return Bases(folder, files, databases)


def load_bases(folder: Path) -> Bases:
    files = {name: folder / f"{name}.xlsx" for name in FILES}
    databases = {name: folder / f"{name}.sqlite3" for name in DATABASES}
    missing = [str(p) for p in (*files.values(), *databases.values()) if not p.exists()]
    if missing:
        raise SystemExit(f"bases missing in {folder}: {', '.join(missing)}")
    return Bases(folder, files, databases)


def migrated(bases: Bases) -> Bases:
    """The bases' databases brought to the program's schema, so that no merge migrates them.

    Saved bases may predate a migration; migrating them inside a case would change tables
    that the case then blames on the merge. Call it once, before any worker starts.
    """
    for db in bases.databases.values():
        Store.open(str(db)).dispose()
        _single_file(db)
    return bases


def catalog_specs() -> dict[str, IndicatorSpec]:
    from kplan_desktop.exchange.catalog_json import load
    from kplan_desktop.store.paths import seed_catalog_path

    return {i.code: i.spec() for *_, i in load(seed_catalog_path()).indicators()}


# -- the database, before and after ----------------------------------------------------------

Snapshot = dict[str, list[tuple[object, ...]]]


def snapshot(db: Path) -> Snapshot:
    """Every table's rows."""
    with closing(sqlite3.connect(db)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }


def actual_states(db: Path) -> dict[tuple[str, int], State]:
    query = "SELECT indicator_code, fiscal_year, value, missing_reason, comment FROM actual"
    with closing(sqlite3.connect(db)) as conn:
        return {(code, year): (v, r, c) for code, year, v, r, c in conn.execute(query)}


def known_revisions(databases: Iterable[Path]) -> set[str]:
    """Every revision and replaced revision the databases hold, as `database:sequence`."""
    found = set()
    query = "SELECT revision_db, revision_seq, replaces_db, replaces_seq FROM actual"
    for db in databases:
        with closing(sqlite3.connect(db)) as conn:
            for made_in, made, replaced_in, replaced in conn.execute(query):
                found |= {f"{made_in}:{made}", f"{replaced_in}:{replaced}"}
    return {text for text in found if "None" not in text}


def fresh_copy(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)


# -- one merge and its checks -----------------------------------------------------------------


@dataclass
class Attempt:
    """One merge of the file: refused whole, or planned and applied."""

    refused: DomainError | None = None
    stage: str = ""
    plan: MergePlan | None = None
    report: MergeReport | None = None


def attempt(
    db: Path, file: Path, *, accept_valid: bool, take: Take, plan: MergePlan | None = None
) -> Attempt:
    """Merge the file into the database; `plan`, made on the same contents, saves a reading."""
    store = Store.open(str(db))
    try:
        if plan is None:
            try:
                plan = plan_merge(store, file, context=merge_context(store))
            except DomainError as exc:
                return Attempt(refused=exc, stage="plan")
        try:
            report = apply_merge(store, plan, who=WHO, accept_valid=accept_valid, take=take)
        except DomainError as exc:
            return Attempt(refused=exc, stage="apply", plan=plan)
        return Attempt(plan=plan, report=report)
    finally:
        store.dispose()


@dataclass(frozen=True)
class Finding:
    """Something a case did wrong: a crash or a partial write, with a short stable kind."""

    outcome: Literal["crash", "partial"]
    kind: str
    detail: str


def expected_state(row: IncomingRow, spec: IndicatorSpec) -> State | None:
    """What the database must hold after writing this row of the file (None: no row)."""
    if row.value_text is not None:
        text = row.value_text
    else:
        assert row.missing_reason is not None
        text = MissingReason(row.missing_reason).label_ja
    parsed = parse_value(text, spec)
    if parsed.is_empty:
        return None
    value = None if parsed.value is None else canonical(parsed.value)
    reason = None if parsed.missing_reason is None else parsed.missing_reason.value
    return value, reason, row.comment.strip() or None


def _changed(before: Snapshot, after: Snapshot) -> set[str]:
    return {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}


def check_refusal(exc: DomainError, before: Snapshot, after: Snapshot) -> list[Finding]:
    findings = []
    problem = message_problem(exc)
    if problem is not None:
        findings.append(Finding("crash", "unclear-refusal", f"{exc.code}: {problem}: {exc}"))
    changed = _changed(before, after)
    if changed:
        findings.append(
            Finding("partial", "refused-file-changed-db", f"{exc.code}; changed {sorted(changed)}")
        )
    return findings


@dataclass
class Judged:
    """The facts a merge attempt is checked against."""

    attempt: Attempt
    before: Snapshot
    after: Snapshot
    states_before: dict[tuple[str, int], State]
    states_after: dict[tuple[str, int], State]
    accept_valid: bool
    take: Take


def check_report(judged: Judged, specs: dict[str, IndicatorSpec], data: bytes) -> list[Finding]:
    """Every promise a written (or unwritten) report makes, checked against the tables."""
    plan, report = judged.attempt.plan, judged.attempt.report
    assert plan is not None and report is not None
    findings: list[Finding] = []
    mode = "accept-valid" if judged.accept_valid else "all-or-nothing"
    lines = list(zip(plan.rows, report.lines, strict=True))
    for _, line in lines:
        if line.outcome is not RowOutcome.REJECTED:
            continue
        if not (line.reason_ja.strip() and line.reason_en.strip()):
            findings.append(
                Finding("crash", "rejected-row-without-reason", f"row {line.sheet_row}")
            )
        elif any(c in line.reason_ja + line.reason_en for c in "\r\n"):
            findings.append(
                Finding(
                    "crash",
                    "row-reason-not-one-line",
                    f"row {line.sheet_row}: {line.reason_ja!r:.200} / {line.reason_en!r:.200}",
                )
            )
    rejected = any(line.outcome is RowOutcome.REJECTED for _, line in lines)
    changed = _changed(judged.before, judged.after)
    if rejected and not judged.accept_valid and report.written:
        findings.append(Finding("partial", "written-despite-rejected-rows", mode))
    if not report.written:
        if changed:
            findings.append(
                Finding("partial", "unwritten-but-changed", f"{mode}; changed {sorted(changed)}")
            )
        return findings
    if changed - MERGE_TABLES:
        findings.append(
            Finding("partial", "written-other-tables", f"{sorted(changed - MERGE_TABLES)}")
        )
    before, after = judged.states_before, judged.states_after
    touched = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    listed: set[tuple[str, int]] = set()
    for planned, line in lines:
        row = planned.incoming
        if row.fiscal_year is None:
            continue
        key = (row.indicator, row.fiscal_year)
        spec = specs.get(row.indicator)
        written = line.outcome in (RowOutcome.NEW, RowOutcome.UPDATED)
        unchanged = line.outcome is RowOutcome.UNCHANGED and judged.take != "db"
        if spec is None or not (written or unchanged):
            continue
        if written:
            listed.add(key)
        if written and row.value_text is not None and row.missing_reason is not None:
            findings.append(
                Finding(
                    "partial",
                    "value-and-reason-merged",
                    f"row {row.sheet_row} {key}: the file gives the value "
                    f"{row.value_text!r:.30} and the reason {row.missing_reason}; "
                    f"{line.outcome.value}, the database holds {after.get(key)}",
                )
            )
        expected = expected_state(row, spec)
        if after.get(key) != expected:
            findings.append(
                Finding(
                    "partial",
                    "written-value-differs" if written else "unchanged-but-different",
                    f"row {row.sheet_row} {key} ({line.outcome.value}): the file says "
                    f"{expected}, the database holds {after.get(key)}",
                )
            )
    stray = touched - listed
    if stray:
        findings.append(Finding("partial", "changed-unlisted-rows", f"{sorted(stray)[:5]}"))
    counted = counted_rows(data, plan.workbook.kind)
    if counted is not None and counted > len(plan.workbook.rows):
        findings.append(
            Finding(
                "partial",
                "rows-dropped-silently",
                f"the sheet holds {counted} rows with content, the reader returned "
                f"{len(plan.workbook.rows)}; written ({mode})",
            )
        )
    return findings


# -- the file, read without openpyxl ----------------------------------------------------------


def declares_dtd(data: bytes) -> bool:
    """Whether any part of the zip holds a DOCTYPE or ENTITY declaration, in any encoding."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [archive.read(info) for info in archive.infolist()]
    except Exception:
        return False
    codecs = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037")
    for raw in parts:
        for codec in codecs:
            text = raw.decode(codec, "ignore").lower()
            if "<!doctype" in text or "<!entity" in text:
                return True
    return False


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _sheet_member(archive: zipfile.ZipFile, sheet: str) -> str | None:
    from defusedxml.ElementTree import fromstring

    book = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    ids = [
        s.get(f"{{{REL_NS}}}id") for s in book.iter(f"{{{MAIN_NS}}}sheet") if s.get("name") == sheet
    ]
    for rel in rels.iter(f"{{{PKG_REL_NS}}}Relationship"):
        if ids and rel.get("Id") == ids[0]:
            target = str(rel.get("Target", ""))
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    for _, element in iterparse(archive.open("xl/sharedStrings.xml")):
        if _local(element.tag) == "si":
            strings.append("".join(t.text or "" for t in element.iter() if _local(t.tag) == "t"))
            element.clear()
    return strings


def _cell_content(cell: Any, shared: list[str]) -> str | None:
    """A cell's content as text, None when the cell is blank (as the reader defines blank)."""
    kind = cell.get("t", "n")
    children = {_local(child.tag): child for child in cell}
    if "f" in children:
        return "=" + (children["f"].text or "")
    if kind == "inlineStr":
        runs = "".join(t.text or "" for t in cell.iter() if _local(t.tag) == "t")
        return runs if runs.strip() else None
    value = children.get("v")
    text: str | None = None if value is None else value.text
    if text is None:
        return None
    if kind == "s":
        index = int(text) if text.strip().isdigit() else -1
        text = shared[index] if 0 <= index < len(shared) else text
    if kind in ("s", "str") and not text.strip():
        return None
    return text


def _rows(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[int, dict[int, str]]]:
    """(row number, {column: content}) per row element, numbered as the file numbers them."""
    shared = _shared_strings(archive)
    number = 0
    for _, element in iterparse(archive.open(member)):
        if _local(element.tag) != "row":
            continue
        given = element.get("r", "")
        number = int(given) if given.isdigit() else number + 1
        cells: dict[int, str] = {}
        column = 0
        for cell in element:
            if _local(cell.tag) != "c":
                continue
            letters = re.match(r"[A-Z]+", cell.get("r", ""))
            column = _column(letters.group(0)) if letters else column + 1
            content = _cell_content(cell, shared)
            if content is not None:
                cells.setdefault(column, content)
        element.clear()
        yield number, cells


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def counted_rows(data: bytes, kind: str) -> int | None:
    """Rows with content in the columns the reader reads, counted in the XML; None if unsure."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            member = _sheet_member(archive, "data" if kind == "submission" else "記入")
            if member is None:
                return None
            rows = _rows(archive, member)
            header_row = 1 if kind == "submission" else TEMPLATE_HEADER_ROW
            columns: set[int] = set()
            count = 0
            for number, cells in rows:
                if number == header_row and not columns:
                    columns = _header_columns(cells, kind)
                elif number > header_row and columns & cells.keys():
                    count += 1
            return count if columns else None
    except Exception:  # the reader judged this file; the count is only a second opinion
        return None


def _header_columns(cells: dict[int, str], kind: str) -> set[int]:
    import unicodedata

    found: dict[str, int] = {}
    for column, text in sorted(cells.items()):
        label = unicodedata.normalize("NFKC", text).strip()
        if kind == "submission":
            if label in DATA_KEYS:
                found.setdefault(label, column)
        elif label.startswith("実績値"):
            found.setdefault("value", column)
        elif label in ("未記入の理由", "コメント"):
            found.setdefault(label, column)
    wanted = len(DATA_KEYS) if kind == "submission" else 3
    return set(found.values()) if len(found) == wanted else set()


# -- one case ---------------------------------------------------------------------------------


@dataclass
class CaseResult:
    """How one case ended, with enough to find and replay it."""

    case: int
    outcome: CaseOutcome
    kind: str = ""  # a failure's kind, or how the file was refused (code or row reason)
    detail: str = ""
    ops: list[str] = field(default_factory=list)
    base: str = ""
    database: str = ""
    take: Take = None
    file: str = ""
    size: int = 0
    seconds: float = 0.0
    saved: str = ""
    data: bytes | None = None  # kept only when harvesting


_NAMES = ("{case}.xlsx", "提出_市民協働_{case}.xlsx", "case {case}.xlsx", "{case}.XLSX",
          "記入 （令和6年度） {case}.xlsx", "{case}", "{case}.xls", ".{case}.xlsx")  # fmt: skip


@dataclass
class Runner:
    """Runs cases of one seed against one set of bases, in a folder of its own."""

    bases: Bases
    seed: int
    work: Path
    failures: Path | None = None
    harvest: bool = False
    described: dict[str, Base] = field(default_factory=dict)
    specs: dict[str, IndicatorSpec] = field(default_factory=dict)
    revisions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        self.specs = catalog_specs()
        self.described = {
            name: describe_base(name, path.read_bytes()) for name, path in self.bases.files.items()
        }
        self.revisions = tuple(sorted(known_revisions(self.bases.databases.values())))

    def case_folder(self, case: int) -> Path:
        return self.work / f"case-{case}"

    def run(self, case: int) -> CaseResult:
        rng = random.Random(f"kplan-fuzz-workbook:{self.seed}:{case}")
        base = self.described[rng.choices(FILES, weights=[5, 2, 3])[0]]
        database = rng.choices(DATABASES, weights=[5, 3, 2])[0]
        take: Take = rng.choice([None, None, "file", "db"])
        data, ops, entity = mutate(base, rng, self.specs, self.revisions)
        folder = self.case_folder(case)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        path = folder / rng.choice(_NAMES).format(case=case)
        path.write_bytes(data)
        result = CaseResult(case, "accepted", ops=ops, base=base.name, database=database,
                            take=take, file=path.name, size=len(data))  # fmt: skip
        started = time.perf_counter()
        try:
            self.judge(result, path, data, folder / "planning.sqlite3", entity)
        except Exception as exc:  # what the fuzzer is for: any exception but DomainError
            result.outcome, result.kind = "crash", _exception_kind(exc)
            result.detail = "".join(traceback.format_exception(exc))[-4000:]
        result.seconds = time.perf_counter() - started
        if result.outcome in ("crash", "partial") and self.failures is not None:
            result.saved = str(save_failure(self.failures, self.seed, result, path))
        if self.harvest and len(data) < 100_000:
            result.data = data
        shutil.rmtree(folder, ignore_errors=True)
        return result

    def judge(self, result: CaseResult, path: Path, data: bytes, db: Path, entity: bool) -> None:
        source = self.bases.databases[result.database]
        fresh_copy(source, db)
        before, states_before = snapshot(db), actual_states(db)
        findings: list[Finding] = []
        first = attempt(db, path, accept_valid=False, take=result.take)
        if first.refused is not None:
            findings += check_refusal(first.refused, before, snapshot(db))
            result.outcome, result.kind = "rejected", first.refused.code
            result.detail = f"{first.stage}: {first.refused.both()[:300]}"
            _conclude(result, findings)
            return
        findings += self.checked(first, db, before, states_before, False, result.take, data)
        if entity and declares_dtd(data):
            findings.append(Finding("partial", "doctype-read", "a DOCTYPE or ENTITY was read"))
        report = first.report
        assert report is not None
        rejected = [line for line in report.lines if line.outcome is RowOutcome.REJECTED]
        last = first if report.written else None
        if rejected:
            result.outcome = "rejected"
            result.kind = "rows: " + re.sub(r"\s*\(.*", "", rejected[0].reason_en)[:50]
            result.detail = f"{len(rejected)} rows rejected, first: {rejected[0].reason_en[:200]}"
            # Without rejected rows accept_valid changes nothing; with them, it writes the rest.
            if report.written:
                fresh_copy(source, db)
            plan = None if report.written else first.plan
            second = attempt(db, path, accept_valid=True, take=result.take, plan=plan)
            findings += self.checked(second, db, before, states_before, True, result.take, data)
            if second.refused is not None:
                findings.append(Finding("crash", "refused-only-with-accept-valid", second.stage))
            elif second.report is not None and second.report.written:
                last = second
        if last is not None:
            settled = snapshot(db)
            again = attempt(db, path, accept_valid=True, take=result.take)
            changed = _changed(settled, snapshot(db))
            if changed:
                findings.append(
                    Finding("partial", "merging-again-changed-db", f"changed {sorted(changed)}")
                )
            if again.refused is not None:
                findings.append(Finding("crash", "refused-the-second-time", again.refused.both()))
        _conclude(result, findings)

    def checked(
        self,
        done: Attempt,
        db: Path,
        before: Snapshot,
        states_before: dict[tuple[str, int], State],
        accept_valid: bool,
        take: Take,
        data: bytes,
    ) -> list[Finding]:
        if done.refused is not None:
            return check_refusal(done.refused, before, snapshot(db))
        judged = Judged(done, before, snapshot(db), states_before, actual_states(db),
                        accept_valid, take)  # fmt: skip
        return check_report(judged, self.specs, data)


def _conclude(result: CaseResult, findings: list[Finding]) -> None:
    if not findings:
        return
    worst = next((f for f in findings if f.outcome == "crash"), findings[0])
    result.outcome, result.kind = worst.outcome, worst.kind
    result.detail = "; ".join(f"{f.kind}: {f.detail}" for f in findings)[:4000]


def _exception_kind(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "kplan_desktop" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"exception:{type(exc).__name__}@{where}"


def save_failure(folder: Path, seed: int, result: CaseResult, path: Path | None) -> Path:
    """Keep the input of a failed case, and a note of what happened, for replay."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"wb-s{seed}-c{result.case}-{result.outcome}"
    target = folder / (stem + ".xlsx")
    if path is not None and path.exists():
        shutil.copyfile(path, target)
    note = [
        f"seed {seed} case {result.case}: {result.outcome} {result.kind}",
        f"base {result.base}, database {result.database}, take {result.take}, "
        f"file name {result.file!r}, {result.size} bytes",
        "operations:",
        *(f"  {op}" for op in result.ops),
        "detail:",
        result.detail,
        f"replay: python -m tests.fuzz.workbook_fuzz --bases BASES --seed {seed} "
        f"--case {result.case}",
    ]
    text = "\n".join(note) + "\n"
    (folder / (stem + ".txt")).write_text(text, encoding="utf-8", errors="backslashreplace")
    return target


# -- many cases, in worker processes ----------------------------------------------------------


@dataclass(frozen=True)
class PoolSettings:
    bases: Path
    seed: int
    work: Path
    failures: Path
    harvest: bool = False
    memory: int = 3 << 30


def _worker(settings: PoolSettings, slot: int, conn: Any) -> None:
    import resource

    with suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (settings.memory, settings.memory))
    runner = Runner(load_bases(settings.bases), settings.seed, settings.work / f"w{slot}",
                    settings.failures, settings.harvest)  # fmt: skip
    conn.send(("ready", slot))
    while (case := conn.recv()) is not None:
        conn.send(("done", runner.run(case)))


@dataclass
class _Slot:
    number: int
    process: Any
    conn: Any
    case: int | None = None
    started: float = 0.0


def run_pool(
    settings: PoolSettings,
    cases: Iterable[int],
    *,
    workers: int,
    timeout: float,
    on_result: Callable[[CaseResult], None],
) -> None:
    """Run cases in worker processes; a case past `timeout` seconds is killed as a crash."""
    context = multiprocessing.get_context("spawn")
    pending = iter(cases)
    slots: dict[int, _Slot] = {}

    def start(number: int) -> _Slot:
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(settings, number, child), daemon=True)
        process.start()
        child.close()
        slot = _Slot(number, process, parent)
        if not parent.poll(120) or parent.recv()[0] != "ready":
            raise RuntimeError(f"fuzz worker {number} did not start")
        return slot

    def feed(slot: _Slot) -> None:
        slot.case = next(pending, None)
        slot.started = time.monotonic()
        slot.conn.send(slot.case)
        if slot.case is None:
            slot.process.join(30)

    def lost(slot: _Slot, kind: str, detail: str) -> None:
        assert slot.case is not None
        result = CaseResult(slot.case, "crash", kind, detail)
        folder = settings.work / f"w{slot.number}" / f"case-{slot.case}"
        inputs = sorted(p for p in folder.glob("*") if not p.name.startswith("planning"))
        result.file = inputs[0].name if inputs else ""
        result.size = inputs[0].stat().st_size if inputs else 0
        result.seconds = time.monotonic() - slot.started
        result.saved = str(save_failure(settings.failures, settings.seed, result,
                                        inputs[0] if inputs else None))  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
        on_result(result)
        slot.process.kill()
        slot.process.join()
        fresh = start(slot.number)
        slots[slot.number] = fresh
        feed(fresh)

    for number in range(workers):
        slots[number] = start(number)
        feed(slots[number])
    while busy := [s for s in slots.values() if s.case is not None]:
        ready = multiprocessing.connection.wait([s.conn for s in busy], timeout=1.0)
        for slot in busy:
            if slot.conn in ready:
                try:
                    _, result = slot.conn.recv()
                except (EOFError, OSError):
                    code = slot.process.exitcode
                    lost(slot, "worker-died", f"the worker process ended (exit code {code})")
                    continue
                on_result(result)
                feed(slot)
            elif time.monotonic() - slot.started > timeout:
                lost(slot, "hang", f"still running after {timeout:g} s")


# -- counting ---------------------------------------------------------------------------------


@dataclass
class WorkbookTally:
    cases: int = 0
    accepted: int = 0
    rejected: int = 0
    crashes: int = 0
    partial: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    refusals: Counter[str] = field(default_factory=Counter)
    operators: Counter[str] = field(default_factory=Counter)
    slowest: list[tuple[float, int]] = field(default_factory=list)

    def add(self, result: CaseResult) -> None:
        self.cases += 1
        if result.outcome == "accepted":
            self.accepted += 1
        elif result.outcome == "rejected":
            self.rejected += 1
            self.refusals[result.kind] += 1
        else:
            if result.outcome == "crash":
                self.crashes += 1
            else:
                self.partial += 1
            key = f"{result.outcome} {result.kind}"
            self.failures[key] += 1
            ops = "; ".join(result.ops)
            self.examples.setdefault(
                key, f"case {result.case} [{result.base}, {ops[:300]}] {result.detail[:400]}"
            )
        for op in result.ops:
            self.operators[op.split(":", 1)[0]] += 1
        self.slowest = sorted([*self.slowest, (result.seconds, result.case)], reverse=True)[:3]

    def line(self) -> str:
        return (
            f"cases={self.cases} accepted={self.accepted} rejected={self.rejected} "
            f"crashes={self.crashes} partial={self.partial}"
        )


def run_workbooks(
    cases: int,
    seed: int,
    *,
    out: Path,
    workers: int,
    timeout: float,
    bases: Path | None = None,
    harvest: Path | None = None,
    progress: bool = True,
) -> WorkbookTally:
    """Build (or reuse) the bases, run the cases in a pool, and count them."""
    base_folder = bases or out / "bases"
    if bases is None:
        build_bases(base_folder)
    else:
        migrated(load_bases(base_folder))
    settings = PoolSettings(base_folder, seed, out / "work", out / "failures", harvest is not None)
    for old in settings.failures.glob("wb-*"):
        old.unlink()
    tally = WorkbookTally()
    kept: dict[str, CaseResult] = {}
    started = time.monotonic()

    def on_result(result: CaseResult) -> None:
        tally.add(result)
        if harvest is not None and result.data is not None:
            signature = f"{result.outcome} {result.kind}"
            best = kept.get(signature)
            if best is None or result.size < best.size:
                kept[signature] = result
        if progress and tally.cases % 250 == 0:
            rate = tally.cases / max(time.monotonic() - started, 1e-9)
            print(f"  … {tally.line()} ({rate:.1f}/s)", file=sys.stderr, flush=True)

    run_pool(settings, range(cases), workers=workers, timeout=timeout, on_result=on_result)
    shutil.rmtree(settings.work, ignore_errors=True)
    if harvest is not None:
        harvest.mkdir(parents=True, exist_ok=True)
        for signature, result in sorted(kept.items()):
            assert result.data is not None
            slug = re.sub(r"[^A-Za-z0-9]+", "-", signature).strip("-")[:60]
            (harvest / f"c{result.case}-{slug}.xlsx").write_bytes(result.data)
            (harvest / f"c{result.case}-{slug}.txt").write_text(
                f"{signature}\n" + "\n".join(result.ops) + f"\n{result.detail}\n",
                encoding="utf-8",
                errors="backslashreplace",
            )
    return tally


def print_tally(tally: WorkbookTally, out: Path, bases: Path | None = None) -> None:
    for key, count in tally.failures.most_common():
        known = " (a known defect)" if key.split(" ", 1)[1] in KNOWN_DEFECTS else ""
        print(f"  {key}{known} ×{count} — first: {tally.examples[key]}")
    refusals = ", ".join(f"{kind} {n}" for kind, n in tally.refusals.most_common(12))
    print(f"  refused as: {refusals}")
    operators = ", ".join(f"{name} {n}" for name, n in sorted(tally.operators.items()))
    print(f"  operators used: {operators}")
    slowest = ", ".join(f"case {case} {seconds:.1f} s" for seconds, case in tally.slowest)
    print(f"  slowest: {slowest}")
    if tally.crashes or tally.partial:
        print(f"  failing inputs saved in {out / 'failures'} (bases in {bases or out / 'bases'})")


def replay(bases: Path, seed: int, case: int, out: Path) -> CaseResult:
    """Run one case in this process and say everything about it."""
    runner = Runner(migrated(load_bases(bases)), seed, out / "replay", out / "failures")
    result = runner.run(case)
    print(f"seed {seed} case {case}: {result.outcome} {result.kind}")
    print(f"  base {result.base}, database {result.database}, take {result.take}, "
          f"file {result.file!r} ({result.size} bytes, {result.seconds:.2f} s)")  # fmt: skip
    for op in result.ops:
        print(f"  op: {op}")
    if result.detail:
        print(result.detail)
    if result.saved:
        print(f"  saved: {result.saved}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.workbook_fuzz")
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    parser.add_argument("--out", type=Path, default=Path("out/fuzz"))
    parser.add_argument("--bases", type=Path, help="reuse the bases in this folder")
    parser.add_argument("--case", type=int, help="run this one case, in this process")
    parser.add_argument("--harvest", type=Path, help="keep the smallest file per outcome here")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # lone surrogates in a text are escaped
            stream.reconfigure(errors="backslashreplace")
    if args.case is not None:
        bases = args.bases or args.out / "bases"
        if args.bases is None:
            build_bases(bases)
        result = replay(bases, args.seed, args.case, args.out)
        return 1 if result.outcome in ("crash", "partial") else 0
    tally = run_workbooks(args.cases, args.seed, out=args.out, workers=args.workers,
                          timeout=args.timeout, bases=args.bases, harvest=args.harvest)  # fmt: skip
    print_tally(tally, args.out, args.bases)
    print(tally.line())
    return 1 if tally.crashes or tally.partial else 0


if __name__ == "__main__":
    sys.exit(main())
