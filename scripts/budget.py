"""The packaging budgets, measured: bundle and installer sizes, and the bundle's cold start
against the source tree's in the same run. Prints a Markdown table; exit 1 if a budget is missed.

    .venv/bin/python scripts/budget.py [--runs N]     (scripts/budget builds nothing; run
                                                       scripts/build, scripts/build-windows first)

Cold start: a new process that opens a database, fills the window and saves a screenshot
(`--screenshot`, offscreen), each run on a fresh copy of the same database; the bundle and the
source tree (.venv's kplan-desktop on the compiled sources) alternate and the medians are compared.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
LINUX_BUNDLE = REPO / "dist" / "kplan-desktop"
WINDOWS_BUNDLE = REPO / "dist" / "windows" / "kplan-desktop"
SOURCE_PROGRAM = REPO / ".venv" / "bin" / "kplan-desktop"
KPLAN = REPO / ".venv" / "bin" / "kplan"


@dataclass(frozen=True)
class Row:
    what: str
    measured: str
    goal: str
    met: bool | None  # None: not built here


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def size_row(what: str, path: Path, limit_mb: int) -> Row:
    if not path.exists():
        return Row(what, "not built", f"≤ {limit_mb} MB", None)
    size = folder_size(path) if path.is_dir() else path.stat().st_size
    return Row(what, f"{size / MB:.1f} MB", f"≤ {limit_mb} MB", size <= limit_mb * MB)


def start_once(program: Path, base: Path, scratch: Path, env: dict[str, str]) -> float:
    """Seconds from process start to exit, for one screenshot on a fresh copy of the database."""
    db = scratch / "run.sqlite3"
    for leftover in scratch.glob("run.sqlite3*"):
        leftover.unlink()
    shutil.copyfile(base, db)
    args = [str(program), "--db", str(db), "--department", "community", "--year", "2025"]
    started = time.perf_counter()
    subprocess.run(
        [*args, "--screenshot", str(scratch / "shot.png")],
        env=env,
        cwd=scratch,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return time.perf_counter() - started


def cold_start_rows(runs: int) -> list[Row]:
    if not (LINUX_BUNDLE / "kplan-desktop").is_file():
        return [Row("bundle cold start ÷ source tree", "not built", "≤ 1.3×", None)]
    compileall.compile_dir(REPO / "src", quiet=1)  # an installed program runs from bytecode
    with tempfile.TemporaryDirectory(prefix="kplan-budget-") as folder:
        scratch = Path(folder)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(scratch / "home"),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            "KPLAN_LOG_DIR": str(scratch / "logs"),
            "KPLAN_SETTINGS_FILE": str(scratch / "settings.ini"),
        }
        base = scratch / "base.sqlite3"
        subprocess.run([str(KPLAN), "--db", str(base), "init"], check=True, capture_output=True)
        programs = {"source": SOURCE_PROGRAM, "bundle": LINUX_BUNDLE / "kplan-desktop"}
        times: dict[str, list[float]] = {name: [] for name in programs}
        for program in programs.values():  # one unmeasured run each: the same disk cache
            start_once(program, base, scratch, env)
        for i in range(runs):
            order = list(programs) if i % 2 == 0 else list(reversed(programs))
            for name in order:
                times[name].append(start_once(programs[name], base, scratch, env))
    source, bundle = (statistics.median(times[n]) for n in ("source", "bundle"))
    ratio = bundle / source
    return [
        Row("source tree: start, fill, screenshot, exit (reference)", f"{source:.2f} s", "—", None),
        Row("bundle: the same", f"{bundle:.2f} s", "—", None),
        Row("bundle cold start ÷ source tree", f"{ratio:.2f}×", "≤ 1.3×", ratio <= 1.3),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="measured starts of each program")
    args = parser.parse_args(argv)
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    setup = REPO / "dist" / f"kplan-desktop-{version}-setup.exe"
    rows = [
        size_row("Linux bundle dist/kplan-desktop/ (unpacked)", LINUX_BUNDLE, 180),
        size_row("Windows bundle dist/windows/kplan-desktop/", WINDOWS_BUNDLE, 130),
        size_row(f"Windows installer {setup.name}", setup, 50),
        *cold_start_rows(args.runs),
    ]
    print("| packaging | measured | goal | met |")
    print("|---|---|---|---|")
    for row in rows:
        met = "—" if row.met is None else ("yes" if row.met else "NO")
        print(f"| {row.what} | {row.measured} | {row.goal} | {met} |")
    missed = [row.what for row in rows if row.met is False]
    if missed:
        print(f"over budget: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ.pop("PYTHONPATH", None)
    raise SystemExit(main())
