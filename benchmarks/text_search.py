"""Search benchmark: N generated documents; p50/p95 latency per kind of query.

    .venv/bin/python benchmarks/text_search.py [--n 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/text_search.py

Checks too that every 2-character query finds every document that contains it.

Every match passes the kind's ``visible(actor)`` selector (``search.query.Gate``). The documents
here are registered as a kind of their own whose records are the index entries themselves:
"all visible" (an office that reads everything) and "1 in 10 visible" (a member who may open a
tenth of what matches, so the newest window has to widen) are both timed.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._django import setup  # noqa: E402

QUERIES = {
    "1 char": ["饮", "校", "桥", "税"],
    "2 chars": ["饮水", "校车", "物业", "油烟", "护栏", "医保"],
    "4+ chars": ["农村客运", "饮用水源", "拖欠农民工工资", "公办幼儿园学位"],
    "2 words": ["物业 电梯", "医院 挂号", "景区 门票"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the documents loaded by an earlier --reuse run of the same --n")
    args = parser.parse_args()
    where = setup("search", reuse=args.reuse)
    from django.db import connection, transaction
    from django.db.models import CharField, F
    from django.db.models.functions import Cast

    from benchmarks.textgen import message, messages  # noqa: F401
    from xieshang.core.models import Committee, Role
    from xieshang.core.permissions import Actor
    from xieshang.core.searchable import SOURCES, Source
    from xieshang.core.tenancy import scoped
    from xieshang.search.index import Document, entry_fields
    from xieshang.search.models import SearchEntry
    from xieshang.search.query import search

    committee = Committee.objects.filter(code="bench").first()
    loaded = bool(committee) and SearchEntry.objects.filter(
        committee=committee, kind="bench").count() == args.n
    if committee is None:
        committee = Committee.objects.create(name="基准县政协", code="bench", level="county")
    elif not loaded:
        SearchEntry.objects.filter(committee=committee).delete()
    from types import SimpleNamespace

    owner = SimpleNamespace(committee_id=committee.id)
    rng = random.Random(3)
    from benchmarks.textgen import DEPARTMENTS

    deps = list(DEPARTMENTS)
    started = time.perf_counter()
    texts: list[str] = []
    batch = []
    for i in range(args.n):
        title, body = message(rng, rng.choice(deps))
        texts.append(title + "\n" + body)
        if loaded:
            continue
        doc = Document(title=title, body=body)
        batch.append(SearchEntry(kind="opinion", object_id=str(i),
                                 **entry_fields(owner, doc, "opinion")))
        if len(batch) == 5000:
            with transaction.atomic():
                SearchEntry.objects.bulk_create(batch)
            batch = []
    with transaction.atomic():
        SearchEntry.objects.bulk_create(batch)
        # Each document's "record" is its own index entry (see the module's docstring).
        SearchEntry.objects.filter(committee=committee, kind="opinion").update(
            kind="bench", object_id=Cast("id", CharField()))
    load_s = time.perf_counter() - started
    if connection.vendor == "postgresql" and not loaded:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchentry")
    def every(a: Actor) -> Any:
        return scoped(a, SearchEntry)

    def one_in_ten(a: Actor) -> Any:
        return scoped(a, SearchEntry).annotate(m=F("id") % 10).filter(m=0)

    actor = Actor(user=None, committee=committee, roles=frozenset({Role.ADMIN}))
    print(f"database={where} documents={args.n} load_seconds={load_s:.0f}")
    for gate, visible in (("all visible", every), ("1 in 10 visible", one_in_ten)):
        SOURCES["bench"] = Source("bench", SearchEntry, lambda e: None, visible)
        for label, queries in QUERIES.items():
            times = []
            for _ in range(args.repeat):
                for q in queries:
                    t0 = time.perf_counter()
                    search(actor, q, limit=20)
                    times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(f"{gate} · {label}: p50_ms={statistics.median(times):.1f} "
                  f"p95_ms={p95:.1f}")
    SOURCES["bench"] = Source("bench", SearchEntry, lambda e: None, every)
    for q in ("饮用", "校车", "物业"):
        expected = sum(q in t.lower() for t in texts)
        found = search(actor, q, limit=1, exact=True).total
        shown = search(actor, q, limit=20)
        about = f" shown_total={'~' if shown.estimated else ''}{shown.total}"
        print(f"exact[{q}]: contains={expected} found={found}{about} "
              f"{'OK' if expected == found else 'MISMATCH'}")
    print(f"max_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
