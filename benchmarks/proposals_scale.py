"""Proposal worklists at scale: N proposals (default 100,000) bulk-generated over five yearly
sessions, then the median and p95 time and the query count of each worklist page and of the
list/search page, for the role that uses it.

    .venv/bin/python benchmarks/proposals_scale.py                    # SQLite, 100,000
    .venv/bin/python benchmarks/proposals_scale.py --n 5000 --repeats 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/proposals_scale.py

The rows are written with bulk_create (reading pages is what is measured, not the services):
past sessions are mostly closed (with the usual not filed / converted / merged share and a few
still open and overdue), the current session has every state of the lifecycle; proposers,
units, co-proposers and deadlines are spread the way a committee's year spreads them; the
search index gets their entries, as the indexing tasks would write them.
``generate`` is also what tests/proposals/test_query_counts.py uses at small size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# (status, weight) for the current session and for past ones.
CURRENT_MIX = [("draft", 3), ("submitted", 4), ("under_review", 4), ("returned", 1),
               ("withdrawn", 1), ("not_filed", 2), ("converted", 1), ("merged", 1),
               ("filed", 3), ("assigned", 4), ("return_requested", 1), ("handling", 8),
               ("reply_review", 2), ("replied", 3), ("rehandling", 1), ("closed", 11)]
PAST_MIX = [("closed", 82), ("not_filed", 8), ("converted", 4), ("merged", 3), ("withdrawn", 1),
            ("handling", 1), ("rehandling", 1)]
ASSIGNED_STATUSES = {"assigned", "return_requested", "handling", "reply_review", "replied",
                     "rehandling", "closed"}
FILED_STATUSES = ASSIGNED_STATUSES | {"filed"}
SUBJECTS = ["农村饮水安全", "城乡居民医保", "义务教育均衡发展", "农村生活垃圾治理", "县域物流体系",
            "中小企业融资", "养老服务体系", "乡村旅游", "城区停车难", "高标准农田建设",
            "非物质文化遗产保护", "公共法律服务", "农产品品牌建设", "校园食品安全", "河长制落实"]
VERBS = ["加强", "完善", "推进", "优化", "破解", "规范"]


def _expand(mix: Sequence[tuple[str, int]], rng: random.Random) -> list[str]:
    out = [status for status, weight in mix for _ in range(weight)]
    rng.shuffle(out)
    return out


def generate(committee: Any, n: int, *, sessions: Sequence[Any], members: Sequence[Any],
             units: Sequence[Any], categories: Sequence[Any], seed: int = 7,
             batch: int = 5000) -> int:
    """Bulk-create ``n`` proposals (with their assignments and co-proposers) spread over
    ``sessions`` (oldest first; the last is the current one). Returns the number created."""
    from django.db.models import Max
    from django.utils import timezone

    from xieshang.proposals.models import Assignment, Proposal, ProposalCoProposer
    from xieshang.search.index import SOURCES, entry_fields
    from xieshang.search.models import SearchEntry

    rng = random.Random(seed)
    current, past = _expand(CURRENT_MIX, rng), _expand(PAST_MIX, rng)
    now = timezone.now()
    serial = {s.pk: (Proposal.objects.filter(session=s).aggregate(m=Max("serial_number"))["m"]
                     or 0) for s in sessions}
    per_session = max(1, n // len(sessions))
    created = 0
    while created < n:
        size = min(batch, n - created)
        rows: list[Proposal] = []
        for k in range(size):
            i = created + k
            s_index = min(i // per_session, len(sessions) - 1)
            session = sessions[s_index]
            is_current = s_index == len(sessions) - 1
            mix = current if is_current else past
            status = mix[i % len(mix)]
            member = members[(i * 7 + i // len(members)) % len(members)]
            subject = SUBJECTS[i % len(SUBJECTS)]
            created_at = dt.datetime.combine(session.start_date, dt.time(9), tzinfo=dt.UTC) \
                - dt.timedelta(days=rng.randint(0, 30))
            p = Proposal(
                committee=committee, session=session, session_start=session.start_date,
                status=status, proposer=member,
                kind=Proposal.Kind.JOINT if i % 3 == 0 else Proposal.Kind.INDIVIDUAL,
                timing=Proposal.Timing.PLENARY if i % 4 else Proposal.Timing.RECESS,
                title=f"关于{VERBS[i % len(VERBS)]}{subject}工作的建议（{i}）",
                category=categories[i % len(categories)],
                body=f"{subject}方面仍存在短板。建议：一是加大投入；二是完善机制；三是加强督查。",
                created_at=created_at, review_round=2 if status in FILED_STATUSES else 0,
                submitted_at=None if status == "draft" else created_at,
                created_by=member.user if member.user_id else None,
            )
            if status in FILED_STATUSES:
                serial[session.pk] += 1
                p.serial_number = serial[session.pk]
                p.filed_at = created_at + dt.timedelta(days=20)
            if status in ASSIGNED_STATUSES:
                p.assignment_type = "single"
                p.assigned_at = now - dt.timedelta(days=rng.randint(5, 150)) if is_current \
                    else created_at + dt.timedelta(days=30)
            if status in ("replied", "closed"):
                p.replied_at = (p.assigned_at or now) + dt.timedelta(days=60)
            if status == "closed":
                p.closed_at = (p.replied_at or now) + dt.timedelta(days=20)
            rows.append(p)
        Proposal.objects.bulk_create(rows, batch_size=1000)
        if not rows[0].pk:  # backends that do not return ids (not SQLite ≥ 3.35 or PostgreSQL)
            raise SystemExit("bulk_create did not return primary keys")
        assignments: list[Assignment] = []
        co_rows: list[ProposalCoProposer] = []
        for k, p in enumerate(rows):
            i = created + k
            if p.kind == Proposal.Kind.JOINT:
                co = members[(i * 11 + 3) % len(members)]
                if co.pk != p.proposer_id:
                    co_rows.append(ProposalCoProposer(
                        committee=committee, proposal=p, member=co, invited_at=p.created_at,
                        confirmed_at=None if p.status == "submitted" else p.created_at))
            if p.status not in ASSIGNED_STATUSES:
                continue
            state = {"assigned": "assigned", "return_requested": "return_requested",
                     "handling": "signed", "reply_review": "approved", "replied": "done",
                     "closed": "done", "rehandling": "signed"}[p.status]
            lead = units[rng.randrange(len(units))]
            assigned_at = p.assigned_at or now
            due = assigned_at.date() + dt.timedelta(days=90)
            assignments.append(Assignment(
                committee=committee, proposal=p, unit=lead, state=state, due_date=due,
                role=Assignment.Role.SINGLE if i % 5 else Assignment.Role.LEAD,
                assigned_at=assigned_at,
                signed_at=None if state in ("assigned", "return_requested") else assigned_at))
            if i % 5 == 0:  # lead + co-unit
                co_unit = units[rng.randrange(len(units))]
                if co_unit.pk != lead.pk:
                    assignments.append(Assignment(
                        committee=committee, proposal=p, unit=co_unit, role=Assignment.Role.CO,
                        state="opinion_given" if state not in ("assigned", "return_requested")
                        else "assigned", due_date=assigned_at.date() + dt.timedelta(days=30),
                        assigned_at=assigned_at))
        Assignment.objects.bulk_create(assignments, batch_size=1000)
        ProposalCoProposer.objects.bulk_create(co_rows, batch_size=1000)
        # bulk_create sends no signals: index the rows the way `xieshang text reindex` does.
        source = SOURCES["proposal"]
        SearchEntry.objects.bulk_create(
            [SearchEntry(kind="proposal", object_id=str(p.pk), **entry_fields(p, doc, "proposal"))
             for p in rows if (doc := source.to_document(p)) is not None], batch_size=1000)
        created += size
    return created


# --- the pages -------------------------------------------------------------------------------

PAGES = [  # (label, role, url)
    ("member: my proposals", "member", "/proposals/work/mine/"),
    ("staff: review queue", "staff", "/proposals/work/to-review/"),
    ("staff: assignment queue", "staff", "/proposals/work/to-assign/"),
    ("unit: to sign for", "clerk_a", "/proposals/work/to-sign/"),
    ("unit: to handle", "clerk_a", "/proposals/work/to-handle/"),
    ("staff: overdue", "staff", "/proposals/work/overdue/"),
    ("unit: overdue", "clerk_a", "/proposals/work/overdue/"),
    ("staff: all proposals", "staff", "/proposals/"),
    ("staff: search 饮水", "staff", "/proposals/?q=%E9%A5%AE%E6%B0%B4"),
    ("member: search 工作 + closed", "member",
     "/proposals/?q=%E5%B7%A5%E4%BD%9C&status=closed"),
]


def page_queries(client: Any, url: str) -> tuple[int, int, bytes]:
    """(status code, number of queries, body) of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries), response.content


def world_for_benchmark(members: int, units: int) -> tuple[Any, dict[str, Any], list[Any],
                                                               list[Any], list[Any], list[Any]]:
    """A committee with five yearly sessions, ``members`` members and ``units`` units, and the
    users the pages are read as."""
    from tests.factories import CommitteeFactory, HandlingUnitFactory, MemberFactory
    from tests.proposals.factories import build_world
    from xieshang.core.models import Session
    from xieshang.proposals.models import ProposalCategory

    committee = CommitteeFactory(name="示范县政协", code="bench")
    w = build_world(committee)
    current = Session.objects.get(committee=committee)
    sessions = [Session.objects.create(committee=committee, term=current.term, number=k,
                                       start_date=dt.date(2021 + k, 1, 8),
                                       end_date=dt.date(2021 + k, 1, 11)) for k in range(1, 5)]
    sessions.append(current)
    all_members = [w.member, w.co_member] + [MemberFactory(committee=committee)
                                             for _ in range(max(0, members - 2))]
    all_units = list(w.units.values()) + [HandlingUnitFactory(committee=committee)
                                          for _ in range(max(0, units - 4))]
    categories = list(ProposalCategory.objects.filter(committee=committee))
    return committee, w.users, sessions, all_members, all_units, categories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=400)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()

    from benchmarks._django import setup

    where = setup("proposals_scale")
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    from xieshang.proposals.models import Assignment, Proposal

    t0 = time.perf_counter()
    committee, users, sessions, members, units, categories = world_for_benchmark(
        args.members, args.units)
    generate(committee, args.n, sessions=sessions, members=members, units=units,
             categories=categories)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # both SQLite and PostgreSQL plan better with statistics
    print(f"{where}: {Proposal.objects.count():,} proposals, "
          f"{Assignment.objects.count():,} assignments, {len(members)} members, "
          f"{len(units)} units, 5 sessions; generated in {time.perf_counter() - t0:.1f} s",
          flush=True)
    print(f"{'page':28} {'rows':>7} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
    clients: dict[str, Client] = {}
    for label, role, url in PAGES:
        client = clients.get(role)
        if client is None:
            client = clients[role] = Client()
            client.force_login(users[role])
        status, queries, body = page_queries(client, url)  # warm-up, and the query count
        if status != 200:
            raise SystemExit(f"{url} as {role}: HTTP {status}")
        rows = body.count(b"<tr><td data-label")
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{label:28} {rows:>7} {queries:>7} {statistics.median(times):>10.1f} {p95:>8.1f}",
              flush=True)


if __name__ == "__main__":
    main()
