"""The child of the crash test: enters values and merges workbooks until it is killed.

Every operation is written to the journal twice, each line appended with O_APPEND and fsynced:
a `start` line before the call (what it will write) and a `done` line after the call returned,
that is after its transaction committed (the acknowledgement, with what was written). Each phase
it enters goes to standard output with the time, so the parent can aim its kills and tell where
each one landed.

    python -m tests.reliability.crash_worker SETUP.json --child N --seed S [--ops N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kplan_desktop.exchange.merge import (
    MergeContext,
    Take,
    apply_merge,
    merge_context,
    plan_merge,
)
from kplan_desktop.exchange.payload import RowOutcome
from kplan_desktop.store.actuals import EntryRequest, Outcome, write_actuals
from kplan_desktop.store.backup import backup_before
from kplan_desktop.store.engine import Store
from kplan_desktop.store.requests import EntrySource

CHANGED = (Outcome.NEW, Outcome.UPDATED, Outcome.CLEARED)
WRITTEN_LINES = (RowOutcome.NEW, RowOutcome.UPDATED)
# A clerk clears a value or says why it is missing now and then; most writes are numbers.
CLEAR_TEXT = "—"
REASON_TEXT = "未集計"
# Half the merges take the file's side of conflicts: most merges late in a run then still write.
TAKES: tuple[Take | None, ...] = (None, "file", "file", "db")
WHO = "crash-test"
# Entry details and merge authors start with it, and name the operation after it.
PREFIX = "crash "


def op_detail(op: str) -> str:
    """The audit detail of an entry operation: it names the operation, so the checker finds it."""
    return f"{PREFIX}{op}"


def merge_who(op: str) -> str:
    """Who merged: the audit rows, the submission and the report of a merge all say it."""
    return f"{PREFIX}{op}"


def _ends_a_line(path: Path) -> bool:
    """True for an empty file or one whose last byte is a newline."""
    with path.open("rb") as file:
        if file.seek(0, os.SEEK_END) == 0:
            return True
        file.seek(-1, os.SEEK_END)
        return file.read(1) == b"\n"


class Journal:
    """The worker's acknowledgements: one JSON line per event, on disk before it goes on."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        # Start on a line of our own, whatever the last kill left at the end.
        if not _ends_a_line(path):
            os.write(self._fd, b"\n")

    def append(self, event: dict[str, Any]) -> None:
        line = json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n"
        # One write() of a short line: a kill leaves all of it or none of it (a torn last line
        # is still tolerated by the reader).
        os.write(self._fd, line.encode("utf-8"))
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def say(phase: str, op: str = "") -> None:
    """Tell the parent the phase begins now (CLOCK_MONOTONIC, one clock for every process)."""
    print(f"{time.monotonic():.6f} {phase} {op}".rstrip(), flush=True)


class Worker:
    """Runs operations on the planning database, journaling each one."""

    def __init__(
        self,
        store: Store,
        journal: Journal,
        child: int,
        files: Sequence[dict[str, str]],
        keys: Sequence[tuple[str, int]],
        rng: random.Random,
    ) -> None:
        self.store = store
        self.journal = journal
        self.child = child
        self.files = list(files)
        self.keys = list(keys)
        self.rng = rng
        self.count = 0
        self._context: MergeContext | None = None

    def next_op(self) -> str:
        self.count += 1
        return f"{self.child}-{self.count}"

    def unique_value(self, op_number: int, position: int) -> str:
        """A number no other write of the whole run uses: child, operation, position."""
        return f"{self.child + 1}{op_number:06d}{position}"

    def enter(self, requests: Sequence[tuple[str, int, str]]) -> str:
        """Write values in one call of the store's write path; acknowledge what it changed."""
        op = self.next_op()
        comment = f"{PREFIX}{op}"
        self.journal.append(
            {
                "op": op,
                "event": "start",
                "kind": "enter",
                "comment": comment,
                "requests": [list(r) for r in requests],
            }
        )
        say("enter", op)
        with self.store.transaction() as conn:
            results = write_actuals(
                conn,
                1,
                [EntryRequest(code, year, text, comment) for code, year, text in requests],
                who=WHO,
                source=EntrySource.TEST,
                detail=op_detail(op),
            )
        say("ack", op)
        changes = [
            [
                r.request.indicator_code,
                r.request.fiscal_year,
                "clear" if r.outcome is Outcome.CLEARED else "enter",
                *r.new,
            ]
            for r in results
            if r.outcome in CHANGED
        ]
        self.journal.append({"op": op, "event": "done", "changes": changes})
        return op

    def merge(self, file: dict[str, str], take: Take | None) -> str:
        """Merge one workbook as `kplan merge` does: a backup, the preview, then the write."""
        op = self.next_op()
        self.journal.append(
            {
                "op": op,
                "event": "start",
                "kind": "merge",
                "file": Path(file["path"]).name,
                "sha": file["sha"],
                "take": take,
            }
        )
        say("backup", op)
        backup_before(self.store, "merge")
        say("merge-read", op)
        if self._context is None:
            self._context = merge_context(self.store)
        plan = plan_merge(self.store, file["path"], context=self._context)
        say("merge-write", op)
        report = apply_merge(self.store, plan, who=merge_who(op), take=take)
        say("ack", op)
        written = sum(1 for line in report.lines if line.outcome in WRITTEN_LINES)
        self.journal.append(
            {
                "op": op,
                "event": "done",
                "written": report.written,
                "rows": written if report.written else 0,
                "recorded": report.written and not plan.already_received,
            }
        )
        return op

    def step(self) -> str:
        """One operation chosen at random: mostly entries, merges a third of the time."""
        pick = self.rng.random()
        if pick < 0.3:
            return self.merge(self.rng.choice(self.files), self.rng.choice(TAKES))
        number = self.count + 1
        if pick < 0.4:
            code, year = self.rng.choice(self.keys)
            text = self.rng.choice((CLEAR_TEXT, REASON_TEXT))
            return self.enter([(code, year, text)])
        # A pasted block: several values, one transaction, one acknowledgement.
        chosen = self.rng.sample(self.keys, self.rng.randint(1, 5))
        return self.enter(
            [(code, year, self.unique_value(number, n)) for n, (code, year) in enumerate(chosen)]
        )


def load_setup(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data["keys"] = [(code, int(year)) for code, year in data["keys"]]
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("setup", type=Path)
    parser.add_argument("--child", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--ops", type=int, help="stop after this many operations")
    args = parser.parse_args(argv)
    setup = load_setup(args.setup)
    say("open")
    store = Store.open(setup["db"])
    journal = Journal(Path(setup["journal"]))
    worker = Worker(
        store, journal, args.child, setup["files"], setup["keys"], random.Random(args.seed)
    )
    say("ready")
    while args.ops is None or worker.count < args.ops:
        worker.step()
    journal.close()
    store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
