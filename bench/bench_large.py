"""The largest sizes alone: the merge of 300 files (d) and the report at 300 departments.

`scripts/bench --large` runs every other figure as well (about an hour and a half on the shared
2-core machine, more under load); this runs only the two large tables, with bench_exchange's own
functions (merge_rows, report_rows: the same children, references and goals), so that the 300-
file figures can be measured when the whole run cannot be. BENCH_RUNS sets the runs per side (3
by default; 1 gives one run of each side, A B alternated once). Prints the two Markdown tables;
exits 3 if a goal is missed. Not a test, and not written into docs/performance.md by itself.

    BENCH_LARGE=1 BENCH_CACHE=folder .venv/bin/python bench/bench_large.py
"""

from __future__ import annotations

import os
import sys
import time

if os.environ.get("BENCH_LARGE") != "1":
    # The children's time limit and the sizes follow the flag (common.LARGE).
    raise SystemExit("bench_large.py: set BENCH_LARGE=1")

import bench_exchange
from common import print_table

LARGE_FILES = 300


def main() -> int:
    bench_exchange.MERGE_SIZES = (LARGE_FILES,)
    bench_exchange.REPORT_DEPARTMENTS = LARGE_FILES
    runs = bench_exchange.RUNS
    start = time.monotonic()
    ok = print_table(
        f"(d) the merge alone at {LARGE_FILES} files, each side in its own process "
        f"(medians of {runs} runs)",
        bench_exchange.merge_rows(),
    )
    print(f"merge table: {time.monotonic() - start:.0f} s", file=sys.stderr, flush=True)
    ok &= print_table(
        f"consolidated report at {LARGE_FILES} departments, each side in its own process "
        f"(medians of {runs} runs)",
        bench_exchange.report_rows(),
    )
    print(f"both tables: {time.monotonic() - start:.0f} s", file=sys.stderr, flush=True)
    return 0 if ok else 3


if __name__ == "__main__":
    raise SystemExit(main())
