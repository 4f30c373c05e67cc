"""What every bench script shares: the cache folder, the size flag, child processes, peak
memory, alternating runs and the Markdown table.

Figures are ratios of medians over runs that alternate program and reference (A B A B …), so
that a noisy machine slows both sides alike. A figure with a goal is printed with "yes" or "NO";
one without a goal (a reference, a floor, a split) with "—".
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# The largest sizes (merges of 300 files, the report at 300 departments): `scripts/bench --large`.
LARGE = os.environ.get("BENCH_LARGE", "") == "1"

# (name, measured, goal, met): met None for a figure without a goal.
Row = tuple[str, str, str, bool | None]


def cache_dir() -> Path:
    """The folder where generated catalogs, databases and workbooks are kept for the whole run:
    $BENCH_CACHE (scripts/bench makes one per run and removes it), else a folder of this
    process, removed when it exits."""
    given = os.environ.get("BENCH_CACHE")
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        return path
    made = Path(tempfile.mkdtemp(prefix="kplan-bench-"))
    os.environ["BENCH_CACHE"] = str(made)  # the children of this process share it
    atexit.register(shutil.rmtree, made, ignore_errors=True)
    return made


def peak_mib() -> float:
    """This process's peak RSS in MiB. ru_maxrss would do, but Linux carries it over from the
    parent across fork and exec, so a parent's peak would mask its child's: VmHWM does not."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def report_child(result: dict[str, float]) -> None:
    """A child's last line: its figures as JSON, read by `run_child`."""
    print(json.dumps(result), flush=True)


def run_child(script: Path, *args: str, timeout: float = 1800) -> dict[str, float]:
    """Run `script --child ARGS…` in a fresh interpreter; its last line of output, as JSON."""
    done = subprocess.run(
        [sys.executable, str(script), "--child", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise RuntimeError(f"{script.name} --child {' '.join(args)} failed ({done.returncode})")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def alternate(
    sides: dict[str, Callable[[], dict[str, float]]], runs: int
) -> dict[str, dict[str, float]]:
    """Run each side `runs` times, alternating (A B A B …); the median of each key per side."""
    results: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    for _ in range(runs):
        for name, side in sides.items():
            results[name].append(side())
    return {
        name: {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        for name, rows in results.items()
    }


def ratio_row(name: str, value: float, goal: float | None) -> Row:
    if goal is None:
        return name, f"{value:.2f}×", "—", None
    return name, f"{value:.2f}×", f"≤ {goal:g}×", value <= goal


def ms_row(name: str, seconds: float) -> Row:
    return name, f"{seconds * 1000:,.0f} ms", "—", None


def print_table(title: str, rows: Sequence[Row]) -> bool:
    """Print one Markdown table; True if every goal in it is met."""
    print(f"| {title} | measured | goal | met |")
    print("|---|---|---|---|")
    for name, value, goal, met in rows:
        shown = "—" if met is None else ("yes" if met else "NO")
        print(f"| {name} | {value} | {goal} | {shown} |")
    print(flush=True)
    return all(met is not False for *_, met in rows)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
