"""Load check of the shared server: many departments entering at once, planning reporting.

    .venv/bin/python bench/load_check.py [--clients 40] [--values 500] [--contended 5]
                                         [--timeout 900]

Starts a throwaway PostgreSQL cluster on 127.0.0.1 (tests/pgcluster.py; fsync on, as a real
server), sets it up as an administrator would (`server init`, one login per department and one
for the planning division), and then runs, all at once, each in its own process:

- CLIENTS department clients, two to a department (each its own login), entering VALUES values
  of their own indicators one at a time through the program's one write function: half of them
  new values, then each corrected once naming the revision it replaces (the no-lost-update
  path);
- meanwhile both clients of a department raise the same shared values (one indicator, every
  year) by one, CONTENDED times each, each time from the revision they read: they collide, the
  loser is refused with the conflict, reads again and retries — conflicts under load;
- one planning client writing the consolidated report workbook (`kplan report`) every second.

It reports throughput, the p50/p99 latency of one write and the conflicts met, and checks at
the end, as the administrator: every value present exactly once with the value its client
wrote last, every shared value raised exactly once per successful write (no lost update), audit
rows = writes, conflicts met when two clients share a department, zero deadlocks (the server's
own counter). Loopback only; bounded by --timeout. Exit 1 if any check fails.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import shutil
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from kplan_desktop.store.requests import EntrySource

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

YEARS = (2022, 2023, 2024, 2025, 2026)
PASSWORD = "load-check-password"
COMMENT = "負荷試験"
SHARED_START = 100


def catalog_for(departments: int, indicators: int) -> Any:
    """The seed's plan plus `departments` departments owning `indicators` indicators each."""
    from kplan_desktop.exchange.catalog_json import catalog_from_dict, dumps, load
    from kplan_desktop.store.paths import seed_catalog_path

    data = json.loads(dumps(load(seed_catalog_path())))
    template = next(
        i
        for g in data["goals"]
        for p in g["policies"]
        for m in p["measures"]
        for i in m["indicators"]
        if i["code"] == "7-1-1-K2"
    )
    data["departments"] += [
        {"code": f"d{n:02}", "name": f"負荷課{n:02}", "active": True} for n in range(departments)
    ]
    policies = []
    for n in range(departments):
        measure = {
            "code": f"9-{n + 1}-1",
            "name": f"負荷施策{n}",
            "vision": None,
            "related_plans": [],
            "directions": [],
            "indicators": [
                {
                    **template,
                    "code": f"9-{n + 1}-1-K{k + 1}",
                    "name": f"負荷指標{n}-{k}",
                    "department": f"d{n:02}",
                }
                for k in range(indicators)
            ]
            + [
                {
                    **template,
                    "code": shared_code(n),
                    "name": f"負荷共有指標{n}",
                    "department": f"d{n:02}",
                }
            ],
        }
        policies.append({"code": f"9-{n + 1}", "name": f"負荷政策{n}", "measures": [measure]})
    data["goals"].append({"code": "9", "name": "負荷目標", "subtitle": None, "policies": policies})
    return catalog_from_dict(data)


def department_of(client: int) -> int:
    return client // 2


def shared_code(department: int) -> str:
    return f"9-{department + 1}-1-S"


def cells_of(n: int, indicators: int) -> list[tuple[str, int]]:
    """Client n's own cells: every other indicator of its department (its partner has the
    rest)."""
    d = department_of(n)
    return [
        (f"9-{d + 1}-1-K{2 * k + n % 2 + 1}", year) for k in range(indicators) for year in YEARS
    ]


def first_value(code: str, year: int) -> str:
    # Not hash(): it differs between processes, and the check runs in another one.
    return str(50 + zlib.crc32(f"{code}/{year}".encode()) % 10)


def client(
    url: str, n: int, cells: list[tuple[str, int]], contended: int, start: Any, out: Any
) -> None:
    """One department clerk: enter every cell, then correct each naming its revision; between
    them, raise the department's shared values by one, `contended` times each."""
    from kplan_desktop.domain.errors import DomainError
    from kplan_desktop.store.actuals import (
        EntryRefused,
        EntryRequest,
        read_actuals,
        write_actuals,
    )
    from kplan_desktop.store.engine import Store

    store = Store.open(url)
    latencies: list[float] = []
    failures: list[str] = []
    written = 0
    start.wait()
    began = time.perf_counter()

    def write(request: EntryRequest) -> None:
        nonlocal written
        moment = time.perf_counter()
        try:
            with store.transaction() as conn:
                write_actuals(conn, 1, [request], who=f"clerk{n}", source=EntrySource.CLI)
            written += 1
        except DomainError as exc:
            failures.append(exc.code)
        latencies.append(time.perf_counter() - moment)

    conflicts = 0
    raised = 0
    shared = shared_code(department_of(n))

    def raise_shared(year: int) -> None:
        nonlocal conflicts, raised, written
        while True:
            with store.snapshot() as conn:
                now = [
                    a
                    for a in read_actuals(conn, 1, indicator_codes=[shared])
                    if a.fiscal_year == year
                ]
            text = str(int(now[0].text or 0) + 1)
            request = EntryRequest(
                shared, year, text, COMMENT, expected=now[0].revision, check_expected=True
            )
            moment = time.perf_counter()
            try:
                with store.transaction() as conn:
                    write_actuals(conn, 1, [request], who=f"clerk{n}", source=EntrySource.CLI)
            except EntryRefused as exc:
                latencies.append(time.perf_counter() - moment)
                codes = {f.code for r in exc.results for f in r.check.errors}
                if codes != {"E_CONFLICT"}:
                    failures.append(",".join(sorted(codes)))
                    return
                conflicts += 1
                continue
            except DomainError as exc:
                latencies.append(time.perf_counter() - moment)
                failures.append(exc.code)
                return
            latencies.append(time.perf_counter() - moment)
            written += 1
            raised += 1
            return

    for code, year in cells:
        write(EntryRequest(code, year, first_value(code, year), COMMENT, check_expected=True))
    for _ in range(contended):
        for year in YEARS:
            raise_shared(year)
    with store.snapshot() as conn:
        mine = {
            (a.indicator_code, a.fiscal_year): a
            for a in read_actuals(conn, 1, department=f"d{department_of(n):02}")
        }
    for code, year in cells:
        stored = mine[(code, year)]
        corrected = str(int(stored.text or 0) + 1)
        write(
            EntryRequest(
                code, year, corrected, COMMENT, expected=stored.revision, check_expected=True
            )
        )
    out.put(
        {
            "client": n,
            "latencies": latencies,
            "failures": failures,
            "written": written,
            "raised": raised,
            "conflicts": conflicts,
            "seconds": time.perf_counter() - began,
        }
    )
    store.dispose()


def planner(url: str, folder: str, start: Any, stop: Any, out: Any) -> None:
    """The planning division: the consolidated report, started every second."""
    from kplan_desktop.exchange.report import write_consolidated
    from kplan_desktop.store.engine import Store

    store = Store.open(url)
    durations: list[float] = []
    failures: list[str] = []
    start.wait()
    while not stop.is_set():
        moment = time.perf_counter()
        try:
            write_consolidated(store, Path(folder) / "report.xlsx", 2024, who="planner")
        except Exception as exc:  # counted and reported: the check must see every failure
            failures.append(f"{type(exc).__name__}: {exc}"[:200])
        took = time.perf_counter() - moment
        durations.append(took)
        stop.wait(max(0.0, 1.0 - took))
    out.put({"reports": durations, "failures": failures})
    store.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--values", type=int, default=500, help="writes per client (even)")
    parser.add_argument(
        "--contended", type=int, default=5, help="raises of each shared value per client"
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds, whole run")
    args = parser.parse_args()
    if not 1 <= args.clients <= 150 or args.values < 10 or args.values % (2 * len(YEARS)):
        parser.error("--clients 1..150; --values a multiple of 10")
    if not 0 <= args.contended <= 100:
        parser.error("--contended 0..100")
    indicators = args.values // 2 // len(YEARS)
    departments = (args.clients + 1) // 2

    from sqlalchemy import create_engine, func, select, text
    from tests.pgcluster import start_cluster

    from kplan_desktop.exchange.catalog_json import catalog_hash
    from kplan_desktop.store.catalog import replace_catalog
    from kplan_desktop.store.engine import Store
    from kplan_desktop.store.models import actual_table, audit_table
    from kplan_desktop.store.server import add_user, server_init

    cluster = start_cluster(durable=True)
    folder = tempfile.mkdtemp(prefix="kplan-load-")
    try:
        name = cluster.create_database("kplan_load")
        admin_url = cluster.url(name)
        admin = Store.open(admin_url)
        catalog = catalog_for(departments, 2 * indicators)
        with admin.transaction() as conn2:
            digest = catalog_hash(catalog)
            replace_catalog(
                conn2, 1, catalog, digest, who="admin", source=EntrySource.TEST, detail="load check"
            )
        from kplan_desktop.store.actuals import EntryRequest, write_actuals

        with admin.transaction() as conn2:
            write_actuals(
                conn2,
                1,
                [
                    EntryRequest(shared_code(d), year, str(SHARED_START), COMMENT)
                    for d in range(departments)
                    for year in YEARS
                ],
                who="admin",
                source=EntrySource.TEST,
            )
            server_init(conn2)
        for n in range(args.clients):
            with admin.transaction() as conn2:
                add_user(conn2, f"clerk{n}", PASSWORD, department=f"d{department_of(n):02}")
        with admin.transaction() as conn2:
            add_user(conn2, "planner", PASSWORD, department=None)
        engine = create_engine(admin_url)
        deadlocks_sql = text("SELECT deadlocks FROM pg_stat_database WHERE datname = :d")
        with engine.connect() as conn:
            deadlocks_before = int(conn.scalar(deadlocks_sql, {"d": name}) or 0)

        spawn = mp.get_context("spawn")
        start = spawn.Barrier(args.clients + 2)
        stop = spawn.Event()
        results = spawn.Queue()
        reports = spawn.Queue()
        workers = [
            spawn.Process(
                target=client,
                args=(
                    cluster.url(name, f"clerk{n}", PASSWORD),
                    n,
                    cells_of(n, indicators),
                    args.contended,
                    start,
                    results,
                ),
            )
            for n in range(args.clients)
        ]
        planning = spawn.Process(
            target=planner,
            args=(cluster.url(name, "planner", PASSWORD), folder, start, stop, reports),
        )
        for process in [*workers, planning]:
            process.start()
        start.wait(timeout=args.timeout)
        began = time.perf_counter()
        done = []
        for _ in workers:
            left = args.timeout - (time.perf_counter() - began)
            done.append(results.get(timeout=max(1.0, left)))
        wall = time.perf_counter() - began
        stop.set()
        planned = reports.get(timeout=120)
        for process in [*workers, planning]:
            process.join(timeout=30)

        latencies = [x for d in done for x in d["latencies"]]
        writes = sum(d["written"] for d in done)
        conflicts = sum(d["conflicts"] for d in done)
        raised = sum(d["raised"] for d in done)
        failures = [f for d in done for f in d["failures"]]
        expected = {}
        for n in range(args.clients):
            for code, year in cells_of(n, indicators):
                expected[(code, year)] = str(int(first_value(code, year)) + 1)
        for d in range(departments):
            sharing = len([n for n in range(args.clients) if department_of(n) == d])
            for year in YEARS:
                expected[(shared_code(d), year)] = str(SHARED_START + sharing * args.contended)
        a = actual_table.c
        with engine.connect() as conn:
            rows = conn.execute(
                select(a.indicator_code, a.fiscal_year, a.value).where(a.indicator_code.like("9-%"))
            ).all()
            audit_rows = int(
                conn.scalar(
                    select(func.count())
                    .select_from(audit_table)
                    .where(audit_table.c.indicator_code.like("9-%"))
                )
                or 0
            )
            deadlocks = int(conn.scalar(deadlocks_sql, {"d": name}) or 0) - deadlocks_before
        engine.dispose()
        admin.dispose()
        found: dict[tuple[str, int], list[str]] = {}
        for code, year, value in rows:
            found.setdefault((code, year), []).append(value)
        missing = [k for k in expected if k not in found]
        duplicated = [k for k, v in found.items() if len(v) != 1]
        lost = [k for k, v in expected.items() if found.get(k, [None])[0] != v]
        figures = {
            "clients": args.clients,
            "writes_per_client": args.values,
            "writes": writes,
            "seconds": round(wall, 1),
            "writes_per_second": round(writes / wall, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1),
            "reports": len(planned["reports"]),
            "report_median_s": round(statistics.median(planned["reports"]), 2)
            if planned["reports"]
            else None,
            "report_failures": planned["failures"][:3],
            "write_failures": len(failures),
            "values_expected": len(expected),
            "values_found": len(rows),
            "missing": len(missing),
            "duplicated": len(duplicated),
            "lost_updates": len(lost),
            "audit_rows": audit_rows,
            "shared_raises": raised,
            "conflicts": conflicts,
            "deadlocks": deadlocks,
        }
        contended_writes = args.clients * args.contended * len(YEARS)
        ok = (
            writes == args.clients * args.values + contended_writes
            and raised == contended_writes
            and (conflicts > 0 or args.clients < 2 or args.contended == 0)
            and not failures
            and not missing
            and not duplicated
            and not lost
            and audit_rows == writes + departments * len(YEARS)
            and deadlocks == 0
            and not planned["failures"]
        )
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        print(
            f"load check: {writes} writes by {args.clients} clients in {wall:.1f} s "
            f"({writes / wall:.0f}/s), p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms; "
            f"reports {figures['reports']}; missing={len(missing)} duplicated={len(duplicated)} "
            f"lost={len(lost)} audit={audit_rows} conflicts={conflicts} deadlocks={deadlocks}: "
            + ("OK" if ok else "FAILED")
        )
        return 0 if ok else 1
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
