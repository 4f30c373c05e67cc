"""Write one run of scripts/bench into docs/performance.md and the README's summary.

    python bench/publish.py TABLES.md --seconds S --load-before "L1 L5 L15" --load-after "…"

TABLES.md is what the bench scripts printed (Markdown tables). docs/performance.md gets every
table with the run's circumstances (when, which commit, the machine's cores and load — other
work on the machine slows both sides of a ratio, but not always alike); the README, between its
markers, the figures that have a goal and a link to the rest. Only text between the markers
changes, so the surrounding prose stays as written by hand. With --window (scripts/bench
--window) only the entry window's table is new; the other tables stay as the earlier run wrote
them, and the run says so.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _between(path: Path, body: str, fresh: str) -> None:
    """Replace the text between the markers of `path` (made from `fresh` if it has none)."""
    text = path.read_text(encoding="utf-8") if path.exists() else fresh
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{path}: no {BEGIN} … {END} markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{body.strip()}\n{END}{tail}", encoding="utf-8")


def _duration(seconds: float) -> str:
    """How long the run took, in whole minutes ("1 minute", "10 minutes", "under a minute")."""
    minutes = round(seconds / 60)
    if minutes == 0:
        return "under a minute"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--", "src") else ""
    return git("rev-parse", "--short", "HEAD") + dirty


# Figures without a goal that the summary shows beside those with one: the planning grid of
# 20,025 indicators with every row in (its goal of 6x is the first rows', which show while the
# rest is read: the whole is shown too, so that what is not met stays in view).
ALSO_SHOWN = ("planning grid filled, every row, 20,025",)
# Said before the earlier run's own circumstances when a run of one script keeps its tables.
EARLIER = " The tables after the entry window's are the earlier run's: "


def goal_rows(tables: str) -> list[str]:
    """The rows of every table that have a goal (and those of ALSO_SHOWN), under one header."""
    rows = []
    for line in tables.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and (cells[3] in ("yes", "NO") or cells[0].startswith(ALSO_SHOWN)):
            rows.append(line)
    return ["| figure | measured | goal | met |", "|---|---|---|---|", *rows]


def _tables_of(text: str) -> list[str]:
    """The Markdown tables of a text, each whole."""
    return [block.strip() for block in text.split("\n\n") if block.strip().startswith("|")]


def _kept(tables: str, path: Path) -> tuple[str, str]:
    """`tables` with the earlier run's other tables (of `path`) after them, and that run's
    circumstances: a run of one script (scripts/bench --window) replaces its own table only."""
    text = path.read_text(encoding="utf-8")
    earlier = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    ran = {table.splitlines()[0] for table in _tables_of(tables)}
    others = [table for table in _tables_of(earlier) if table.splitlines()[0] not in ran]
    # That run's own words: of the whole run they come from, when it kept them too.
    said = earlier.split("\n\n", 1)[0].strip().rsplit(EARLIER, 1)[-1]
    return "\n\n".join([tables.strip(), *others]) + "\n", said


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tables", type=Path)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--load-before", required=True)
    parser.add_argument("--load-after", required=True)
    parser.add_argument(
        "--window", action="store_true", help="only the entry window was run: keep the rest"
    )
    args = parser.parse_args()
    tables = args.tables.read_text(encoding="utf-8")
    large = os.environ.get("BENCH_LARGE", "") == "1"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    flags = (" --large" if large else "") + (" --window" if args.window else "")
    circumstances = (
        f"Run of `scripts/bench{flags}` finished {when} at commit "
        f"{_commit()}, {_duration(args.seconds)}, on {os.cpu_count()} cores "
        f"({platform.system()} {platform.machine()}, Python {platform.python_version()}); "
        f"load average (1, 5, 15 min) {args.load_before} at the start, {args.load_after} at "
        "the end."
    )
    note = os.environ.get("BENCH_NOTE", "").strip()
    if note:
        circumstances += f" {note}"
    if args.window:
        tables, said = _kept(tables, ROOT / "docs" / "performance.md")
        circumstances += f"{EARLIER}{said}"
    goals = goal_rows(tables)
    met = sum(1 for row in goals[2:] if row.rstrip().endswith("| yes |"))
    judged = sum(1 for row in goals[2:] if row.rstrip().endswith(("| yes |", "| NO |")))
    _between(
        ROOT / "docs" / "performance.md",
        f"{circumstances}\n\n{tables}",
        f"# Performance\n\n{BEGIN}\n{END}\n",
    )
    summary = "\n".join(
        [
            f"{circumstances} {met} of {judged} goals met. Every figure with its "
            "reference: [docs/performance.md](docs/performance.md).",
            "",
            *goals,
        ]
    )
    _between(ROOT / "README.md", summary, "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
