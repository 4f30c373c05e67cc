"""`python -m tests.fuzz` (scripts/fuzz): the parser cases, then the workbook cases, one line.

The last line counts both kinds together: cases = parser cases + workbook cases, and so on for
accepted, rejected and crashes (a parser case that fails is a crash: an exception other than
DomainError, or a wrong accept or reject by the oracles); partial counts workbook cases only,
as a parser writes nothing. The lines before it give each kind on its own. Exit 1 when any
case crashed or wrote partially.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

from tests.fuzz.parser_fuzz import KNOWN_DEFECTS, ParserCase, Verdict, run_parser_cases
from tests.fuzz.workbook_fuzz import DEFAULT_TIMEOUT, print_tally, run_workbooks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/fuzz", description=__doc__)
    parser.add_argument("--cases", type=int, default=5000, help="workbook cases (5000)")
    parser.add_argument("--parser-cases", type=int, default=100_000, help="parser cases (100000)")
    parser.add_argument("--seed", type=int, default=1, help="every case follows from it (1)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds a case")
    parser.add_argument("--out", type=Path, default=Path("out/fuzz"), help="bases and failures")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # lone surrogates in a text are escaped
            stream.reconfigure(errors="backslashreplace")
    started = time.monotonic()
    failures = args.out / "failures"
    failures.mkdir(parents=True, exist_ok=True)
    parser_log = failures / f"parsers-s{args.seed}.jsonl"
    parser_log.unlink(missing_ok=True)

    def keep(case: int, generated: ParserCase, verdict: Verdict) -> None:
        spec = generated.spec
        record = {
            "seed": args.seed,
            "case": case,
            "parser": generated.parser,
            "family": generated.family,
            "text": generated.text,
            "unit": None if spec is None else spec.unit,
            "value_kind": None
            if spec is None or spec.value_kind is None
            else spec.value_kind.value,
            "kind": verdict.kind,
            "detail": verdict.detail,
        }
        # A generated text may hold lone surrogates, which UTF-8 cannot carry: escape them.
        with parser_log.open("a", encoding="utf-8", errors="backslashreplace") as log:
            log.write(json.dumps(record, ensure_ascii=False) + "\n")

    print(f"== parser cases: {args.parser_cases} (seed {args.seed})", flush=True)
    parsers = run_parser_cases(args.parser_cases, args.seed, on_failure=keep)
    print(
        f"parsers: cases={parsers.cases} accepted={parsers.accepted} "
        f"rejected={parsers.rejected} crashes={parsers.failed} partial=0"
    )
    for kind, count in parsers.kinds.most_common():
        known = " (a known defect)" if kind in KNOWN_DEFECTS else ""
        print(f"  crash {kind}{known} ×{count} — first: {parsers.examples[kind]}")
    if parsers.failed:
        print(f"  failing texts saved in {parser_log}")
    print(f"  ({time.monotonic() - started:.0f} s)", flush=True)

    print(f"== workbook cases: {args.cases} (seed {args.seed}, {args.workers} workers)", flush=True)
    books = run_workbooks(
        args.cases, args.seed, out=args.out, workers=args.workers, timeout=args.timeout
    )
    print(f"workbooks: {books.line()}")
    print_tally(books, args.out)
    print(f"  ({time.monotonic() - started:.0f} s in all)")
    crashes = parsers.failed + books.crashes
    print(
        f"cases={parsers.cases + books.cases} accepted={parsers.accepted + books.accepted} "
        f"rejected={parsers.rejected + books.rejected} crashes={crashes} partial={books.partial}"
    )
    return 1 if crashes or books.partial else 0


if __name__ == "__main__":
    sys.exit(main())
