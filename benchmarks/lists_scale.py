"""Every list's first page at two data sizes (issue #20: flat up to 350,000 proposals).

One committee is built with ``--small`` proposals (default 3,000), every list's first page is
read for each role that has it, then the committee is grown to ``--large`` (default 350,000)
and the same pages are read again. Printed per page: the server CPU per request (median of
``--repeats``; ``time.process_time`` around the request through the test Client — on SQLite
this includes the database engine, which runs in-process; on PostgreSQL the database
backend's CPU is read from /proc/<backend pid>/stat over all repeats and shown apart), the
query count, and the ratio large ÷ small.

    .venv/bin/python benchmarks/lists_scale.py                               # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/lists_scale.py
    .venv/bin/python benchmarks/lists_scale.py --small 300 --large 3000 --repeats 3   # quick

The first rows come from ``benchmarks.proposals_scale.generate`` (bulk inserts: five yearly
sessions, the lifecycle's statuses, 60 units, 400 members, co-proposers, the search index);
``grow`` copies them in SQL up to the large size, keeping their spread.
PostgreSQL uses the database ``bench_<--db>`` (dropped and created).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.proposals_scale import generate, world_for_benchmark  # noqa: E402

API = "/api/v1/proposals/"


def pages(ids: dict[str, int]) -> list[tuple[str, str, str]]:
    """(label, role, url) of every list a user reaches from home, per role."""
    unit, category, session = ids["unit"], ids["category"], ids["session"]
    out = [
        ("all proposals", "staff", "/proposals/"),
        ("all proposals", "member", "/proposals/"),
        ("all proposals", "clerk_a", "/proposals/"),
        ("all proposals", "leader", "/proposals/"),
        ("all, status=closed", "staff", "/proposals/?status=closed"),
        ("all, status=handling", "staff", "/proposals/?status=handling"),
        ("all, category", "staff", f"/proposals/?category={category}"),
        ("all, unit", "staff", f"/proposals/?unit={unit}"),
        ("all, session", "staff", f"/proposals/?session={session}"),
        ("all, search 饮水", "staff", "/proposals/?q=%E9%A5%AE%E6%B0%B4"),
        ("all, search 工作+closed", "member", "/proposals/?q=%E5%B7%A5%E4%BD%9C&status=closed"),
        ("my proposals", "member", "/proposals/work/mine/"),
        ("co-signed", "co_member", "/proposals/work/cosigned/"),
        ("to rate", "member", "/proposals/work/to-rate/"),
        ("to review", "staff", "/proposals/work/to-review/"),
        ("to assign", "staff", "/proposals/work/to-assign/"),
        ("to check", "staff", "/proposals/work/to-check/"),
        ("overdue", "staff", "/proposals/work/overdue/"),
        ("key", "leader", "/proposals/work/key/"),
        ("to sign for", "clerk_a", "/proposals/work/to-sign/"),
        ("to handle", "clerk_a", "/proposals/work/to-handle/"),
        ("overdue", "clerk_a", "/proposals/work/overdue/"),
        ("returned", "clerk_a", "/proposals/work/returned/"),
        ("waiting co", "clerk_a", "/proposals/work/waiting-co/"),
        ("to approve", "leader_a", "/proposals/work/to-approve/"),
        ("public record", "anon", "/proposals/public/bench/"),
        ("API list", "staff", API),
        ("API list", "member", API),
        ("API list", "clerk_a", API),
        ("API status=closed", "staff", f"{API}?status=closed"),
        ("API unit", "staff", f"{API}?unit={unit}"),
        ("API worklist mine", "member", f"{API}?worklist=mine"),
        ("API worklist to_handle", "clerk_a", f"{API}?worklist=to_handle"),
        ("API search 饮水", "staff", f"{API}?q=%E9%A5%AE%E6%B0%B4"),
        ("search page 饮水", "staff", "/search/?q=%E9%A5%AE%E6%B0%B4"),
        ("opinion reports", "admin", "/opinions/reports/"),
        ("activities", "member", "/activities/"),
        ("members", "staff", "/members/"),
        ("notifications", "member", "/notifications/"),
    ]
    return out


def grow(total: int) -> None:
    """Copy the committee's proposals (with their assignments, co-proposers and search
    entries) in SQL until there are ``total``: each copy keeps the spread of the first over
    sessions, statuses, units and proposers, with ids and serial numbers shifted past the
    others (``INSERT … SELECT``: 350,000 rows in seconds rather than the Python generator's
    twenty minutes on a loaded machine)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max, Min

    from xieshang.proposals.models import Assignment, Proposal, ProposalCoProposer
    from xieshang.search.models import SearchEntry

    span = Proposal.objects.aggregate(lo=Min("id"), hi=Max("id"))
    lo, off = span["lo"], span["hi"]
    base = Proposal.objects.count()
    if base != off - lo + 1:
        raise SystemExit("grow() wants the first proposals' ids contiguous")

    def columns(model: Any, shifted: dict[str, str]) -> tuple[str, str]:
        names = [f.column for f in model._meta.concrete_fields
                 if not (f.primary_key and f.column not in shifted)]
        qn = connection.ops.quote_name
        return (", ".join(qn(c) for c in names),
                ", ".join(shifted.get(c, qn(c)) for c in names))

    tables = [
        (Proposal, {"id": "id + %(k)s", "serial_number": "serial_number + %(k)s"}, "id"),
        (Assignment, {"proposal_id": "proposal_id + %(k)s"}, "proposal_id"),
        (ProposalCoProposer, {"proposal_id": "proposal_id + %(k)s"}, "proposal_id"),
        (SearchEntry, {"object_id": "CAST(CAST(object_id AS INTEGER) + %(k)s AS TEXT)"},
         "CAST(object_id AS INTEGER)"),
    ]
    copies = 1
    with transaction.atomic(), connection.cursor() as cur:
        while base * copies < total:
            k = off * copies
            last = lo + min(base, total - base * copies) - 1
            for model, shifted, key in tables:
                into, select = columns(model, shifted)
                where = " AND kind = 'proposal'" if model is SearchEntry else ""
                cur.execute(f"INSERT INTO {model._meta.db_table} ({into}) SELECT "
                            f"{select % {'k': k}} FROM {model._meta.db_table} "
                            f"WHERE {key} BETWEEN {lo} AND {last}{where}")
            copies += 1
        for sql in connection.ops.sequence_reset_sql(no_style(), [Proposal]):
            cur.execute(sql)


def _backend_ticks() -> int | None:
    """utime + stime of this connection's PostgreSQL backend (clock ticks), or None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def measure(clients: dict[str, Any], page_list: list[tuple[str, str, str]], repeats: int
            ) -> dict[tuple[str, str], tuple[float, int, float | None, int]]:
    """(label, role) → (median CPU ms, queries, PostgreSQL backend CPU ms per request, rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hz = os.sysconf("SC_CLK_TCK")
    out = {}
    for label, role, url in page_list:
        client = clients[role]
        client.get(url)  # warm-up (the first request fills caches)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)  # the query count
        queries = len(ctx.captured_queries)  # (read now: the next request resets the log)
        if response.status_code != 200:
            raise SystemExit(f"{url} as {role}: HTTP {response.status_code}")
        body = response.content
        rows = body.count(b"<tr") + body.count(b'"id":')
        times = []
        t0 = _backend_ticks()
        for _ in range(repeats):
            start = time.process_time()
            client.get(url)
            times.append((time.process_time() - start) * 1000)
        t1 = _backend_ticks()
        db = (t1 - t0) * 1000 / hz / repeats if t0 is not None and t1 is not None else None
        out[(label, role)] = (statistics.median(times), queries, db, rows)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=3_000)
    parser.add_argument("--large", type=int, default=350_000)
    parser.add_argument("--members", type=int, default=400)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", default="", help="measure only pages whose label has this")
    parser.add_argument("--db", default="lists_scale_flat350",
                        help="the database (PostgreSQL: bench_<db>) or SQLite directory name")
    args = parser.parse_args()

    from benchmarks._django import setup

    where = setup(args.db)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    from xieshang.proposals.models import Assignment, Proposal

    committee, users, sessions, members, units, categories = world_for_benchmark(
        args.members, args.units)
    ids = {"unit": units[0].pk, "category": categories[0].pk, "session": sessions[-1].pk}
    page_list = [p for p in pages(ids) if args.only in p[0]]
    clients: dict[str, Any] = {"anon": Client()}
    for role in {r for _, r, _ in page_list} - {"anon"}:
        clients[role] = Client()
        clients[role].force_login(users[role])

    results = []
    done = 0
    for size in (args.small, args.large):
        t0 = time.perf_counter()
        if not done:
            generate(committee, size, sessions=sessions, members=members, units=units,
                     categories=categories)
        else:
            grow(size)
        done = size
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(f"{where}: {Proposal.objects.count():,} proposals, "
              f"{Assignment.objects.count():,} assignments; generated in "
              f"{time.perf_counter() - t0:.0f} s; load {os.getloadavg()[0]:.1f}", flush=True)
        for role, client in clients.items():  # growing may outlast the idle timeout
            if role != "anon":
                client.force_login(users[role])
        results.append(measure(clients, page_list, args.repeats))

    small, large = results
    pg = connection.vendor == "postgresql"
    head = f"| list | role | CPU ms {args.small:,} | CPU ms {args.large:,} | ratio | queries |"
    print(head + (" PG backend ms small / large |" if pg else "") + " rows |")
    print("|---" * (head.count("|") - 1 + (1 if pg else 0) + 1) + "|")
    for label, role, _url in page_list:
        a, b = small[(label, role)], large[(label, role)]
        ratio = b[0] / a[0] if a[0] else float("nan")
        queries = f"{a[1]} / {b[1]}" if a[1] != b[1] else str(a[1])
        line = f"| {label} | {role} | {a[0]:.1f} | {b[0]:.1f} | {ratio:.2f} | {queries} |"
        if pg:
            line += f" {a[2]:.1f} / {b[2]:.1f} |"
        print(line + f" {a[3]} / {b[3]} |", flush=True)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
