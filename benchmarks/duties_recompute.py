"""Duty scores: recompute a whole committee-year of 30,000 members, each with a year of records.

    .venv/bin/python benchmarks/duties_recompute.py [--members 30000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/duties_recompute.py

SQLite (the default): a temporary file, migrated first. PostgreSQL (when DATABASE_URL says so):
a database ``bench_duties`` created afresh on that server (the one DATABASE_URL names is never
touched). The records are generated in bulk in the real tables the fact sources read — activity
invitations (attended / on leave / absent, plenaries and others), written speeches, proposals as
first proposer (filed, some key or excellent) and as co-proposer, public-opinion reports, items the
office recorded — about a dozen facts per member, and the standard rule set of the year.

Timed: ``engine.recompute(committee, year)`` for every member, twice (the first writes the scores,
the second replaces them), with the number of queries of each run and the CPU time of this
process (on SQLite that includes the database's work; a loaded machine inflates wall time, not
CPU time). Target: under 60 s each on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._django import setup  # noqa: E402

YEAR = 2025


def generate(n_members: int, seed: int = 2025) -> object:
    from django.db import transaction
    from django.utils import timezone

    from xieshang.activities import services as activities
    from xieshang.activities.models import Activity, Invitation, Speech
    from xieshang.core.models import Committee, Term
    from xieshang.core.permissions import Actor
    from xieshang.duties import services
    from xieshang.duties.models import DutyRecomputeRequest, ManualItem
    from xieshang.members.models import Member, Sector
    from xieshang.opinions.models import OpinionReport
    from xieshang.proposals.models import Proposal, ProposalCoProposer, Status

    rng = random.Random(seed)
    tz = timezone.get_current_timezone()

    def moment(day_of_year: int, hour: int = 9) -> dt.datetime:
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=day_of_year)
        return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)

    with transaction.atomic():
        committee = Committee.objects.create(name="基准测试省政协", code="bench",
                                             level=Committee.Level.PROVINCE)
        Term.objects.create(committee=committee, number=13, start_date=dt.date(2023, 1, 1))
        sectors = Sector.objects.bulk_create(
            [Sector(committee=committee, name=f"界别{i}", order=i) for i in range(30)])
        Member.objects.bulk_create([
            Member(committee=committee, name=f"委员{i:05d}", gender="male",
                   sector=sectors[i % len(sectors)], joined_on=dt.date(2023, 1, 1))
            for i in range(n_members)], batch_size=2000)
        members = list(Member.objects.filter(committee=committee).values_list("id", flat=True))
        types = activities.activity_types_ensure(committee)
        kinds = list(types.values())
        plenary = types.get("plenary", kinds[0])
        acts = Activity.objects.bulk_create([
            Activity(committee=committee, type=plenary if i < 2 else kinds[i % len(kinds)],
                     title=f"活动{i}", start=moment(10 + i), end=moment(10 + i, 17),
                     status=Activity.Status.HELD)
            for i in range(300)])
        invitations, speeches = [], []
        for member_id in members:
            for act in (acts[0], *rng.sample(acts[2:], 5)):
                roll = rng.random()
                if roll < 0.8:
                    status, attendance = Invitation.Status.CONFIRMED, Invitation.Attendance.ATTENDED
                elif roll < 0.95:
                    status, attendance = Invitation.Status.LEAVE_APPROVED, ""
                else:
                    status, attendance = Invitation.Status.CONFIRMED, Invitation.Attendance.ABSENT
                invitations.append(Invitation(committee=committee, activity=act,
                                              member_id=member_id, status=status,
                                              attendance=attendance))
            if rng.random() < 0.2:
                speeches.append(Speech(committee=committee, activity=acts[0], member_id=member_id,
                                       title="大会发言", text="……",
                                       submitted_at=moment(rng.randint(0, 300))))
        Invitation.objects.bulk_create(invitations, batch_size=5000)
        Speech.objects.bulk_create(speeches, batch_size=5000)
        proposals = []
        for member_id in members:
            if rng.random() < 0.6:
                submitted = moment(rng.randint(0, 60))
                filed = rng.random() < 0.8
                proposals.append(Proposal(
                    committee=committee, proposer_id=member_id, title="关于加强基层治理的建议",
                    status=Status.FILED if filed else Status.SUBMITTED, submitted_at=submitted,
                    filed_at=submitted + dt.timedelta(days=20) if filed else None,
                    is_key=filed and rng.random() < 0.05,
                    is_excellent=filed and rng.random() < 0.03))
        proposals = Proposal.objects.bulk_create(proposals, batch_size=2000)
        ids = list(Proposal.objects.filter(committee=committee).values_list("id", flat=True))
        co = []
        for member_id in members:
            for pk in rng.sample(ids, 2):
                co.append(ProposalCoProposer(committee=committee, proposal_id=pk,
                                             member_id=member_id, confirmed_at=moment(5)))
        ProposalCoProposer.objects.bulk_create(co, batch_size=5000, ignore_conflicts=True)
        OpinionReport.objects.bulk_create([
            OpinionReport(committee=committee, title="关于农村养老服务的建议",
                          author_kind="member", author_member_id=member_id,
                          author_name="委员", status=OpinionReport.Status.SUBMITTED,
                          submitted_at=moment(rng.randint(0, 330)))
            for member_id in members if rng.random() < 0.4], batch_size=2000)
        ManualItem.objects.bulk_create([
            ManualItem(committee=committee, member_id=member_id,
                       date=dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 330)),
                       code="award", description="获评优秀政协委员")
            for member_id in members if rng.random() < 0.1], batch_size=5000)
        services.ruleset_create_from_template(actor=Actor.for_system(committee),
                                              committee=committee, year=YEAR)
        DutyRecomputeRequest.objects.filter(committee=committee).delete()
    return committee


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=30_000)
    args = parser.parse_args()
    where = setup("duties")
    print(f"database: {where}")

    from django.db import connection

    from xieshang.duties import engine
    from xieshang.duties.models import Score, ScoreLine

    t = time.perf_counter()
    committee = generate(args.members)
    print(f"generated {args.members} members with a year of records in "
          f"{time.perf_counter() - t:.1f} s")
    for run in ("first", "second"):
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql[:40])
            return execute(sql, params, many, context)

        t, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            result = engine.recompute(committee, YEAR)  # type: ignore[arg-type]
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"recompute ({run} run): {result.members} members, {result.facts} facts, "
              f"{result.lines} score lines, {len(queries)} queries: "
              f"{elapsed:.1f} s ({'OK' if elapsed < 60 else 'OVER'} the 60 s target; "
              f"{cpu:.1f} s of this process's CPU, which shows the cost on a busy machine)")
    assert Score.objects.filter(committee=committee, year=YEAR).count() == args.members
    assert ScoreLine.objects.filter(committee=committee, year=YEAR).count() == result.lines


if __name__ == "__main__":
    main()
