"""Figures of a whole province: 100 county committees (+ cities), 10 years of demo-scale data.

    .venv/bin/python benchmarks/reports_province.py [--counties 100] [--years 10] [--scale 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/reports_province.py

Rows are written with bulk_create (speed, not validation: the services-validated province
generator is elsewhere). Per county and year, at --scale 1: 120 held activities with 3
invitations and 1 suggestion each, 150 proposals (filed ones assigned to 1–2 of 30 units,
replied and rated), 40 public-opinion reports and a duty score for each of 150 members.
Prints the time to compute every figure of the province (whole sub-tree, all years) and of one
county-year, each the best of three runs, with the number of queries.
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


def build(counties: int, years: int, scale: float, first_year: int) -> object:
    from django.db import transaction
    from django.utils import timezone

    from xieshang.activities.models import Activity, Invitation, Suggestion
    from xieshang.activities.services import activity_types_ensure
    from xieshang.core.models import Committee
    from xieshang.duties.models import Score
    from xieshang.members.models import HandlingUnit, Member
    from xieshang.opinions.models import OpinionReport
    from xieshang.proposals.models import Assignment, Feedback, Proposal, Reply

    rng = random.Random(7)
    tz = timezone.get_current_timezone()
    province = Committee.objects.create(name="基准省政协", code="bp", level="province")
    cities = [Committee.objects.create(name=f"基准{i}市政协", code=f"bc{i}", level="city",
                                       parent=province) for i in range(max(1, counties // 10))]
    n_act, n_prop, n_op, n_mem = (max(1, int(x * scale)) for x in (120, 150, 40, 150))
    for c in range(counties):
        with transaction.atomic():
            county = Committee.objects.create(name=f"基准{c}县政协", code=f"bk{c}",
                                              level="county", parent=cities[c % len(cities)])
            types = list(activity_types_ensure(county).values())
            units = HandlingUnit.objects.bulk_create(
                [HandlingUnit(committee=county, name=f"县第{u}局") for u in range(30)])
            members = Member.objects.bulk_create(
                [Member(committee=county, name=f"委员{c}-{m}", gender=rng.choice(["male", "female"]),
                        joined_on=dt.date(first_year, 1, 1)) for m in range(n_mem)])
            for year in range(first_year, first_year + years):
                def when(year: int = year) -> dt.datetime:
                    return dt.datetime(year, 1, 1, 9, tzinfo=tz) + dt.timedelta(
                        days=rng.randrange(360), hours=rng.randrange(8))

                acts = Activity.objects.bulk_create([
                    Activity(committee=county, type=(t := rng.choice(types)), title=f"{t.label}{i}",
                             start=(s := when()), end=s + dt.timedelta(hours=2),
                             status=Activity.Status.HELD) for i in range(n_act)])
                Invitation.objects.bulk_create([
                    Invitation(committee=county, activity=a, member=m,
                               attendance=rng.choice(["attended", "attended", "late", "absent"]))
                    for a in acts for m in rng.sample(members, 3)])
                Suggestion.objects.bulk_create([Suggestion(committee=county, activity=a,
                                                           text="建议加强统筹。") for a in acts])
                props = Proposal.objects.bulk_create([
                    Proposal(committee=county, title=f"关于第{i}项工作的建议", kind="individual",
                             proposer=rng.choice(members), status=(st := rng.choice(
                                 ["closed", "closed", "closed", "replied", "handling",
                                  "not_filed"])),
                             submitted_at=(s := when()),
                             filed_at=None if st == "not_filed" else s + dt.timedelta(days=5),
                             replied_at=s + dt.timedelta(days=60) if st in ("closed", "replied")
                             else None, is_key=i < 5) for i in range(n_prop)])
                parts = []
                for p in props:
                    if p.filed_at is None:
                        continue
                    for role in ["lead", "co"][: rng.choice([1, 1, 2])]:
                        parts.append(Assignment(
                            committee=county, proposal=p, unit=rng.choice(units), role=role,
                            state="done" if p.replied_at else "signed",
                            assigned_at=p.filed_at + dt.timedelta(days=3),
                            signed_at=p.filed_at + dt.timedelta(days=4),
                            due_date=(p.filed_at + dt.timedelta(days=93)).date()))
                parts = Assignment.objects.bulk_create(parts)
                Reply.objects.bulk_create([
                    Reply(committee=county, proposal=a.proposal, assignment=a, state="sent",
                          result_class=rng.choice("AAB BC").strip() or "A", body="已办理。",
                          sent_at=a.proposal.replied_at) for a in parts
                    if a.role == "lead" and a.proposal.replied_at])
                Feedback.objects.bulk_create([
                    Feedback(committee=county, proposal=p, member=p.proposer,
                             rating=rng.choice(["satisfied", "satisfied", "basically",
                                                "dissatisfied"]))
                    for p in props if p.status == "closed"])
                OpinionReport.objects.bulk_create([
                    OpinionReport(committee=county, title=f"社情民意{i}", author_kind="member",
                                  author_name="委员", status=rng.choice(
                                      ["published", "sent", "not_used"]),
                                  submitted_at=(s := when()),
                                  reported_up_at=s + dt.timedelta(days=9) if i % 3 == 0
                                  else None) for i in range(n_op)])
                Score.objects.bulk_create([
                    Score(committee=county, member=m, year=year,
                          total=rng.randrange(40, 100), band=rng.choice(["优秀", "合格", "基本合格"]))
                    for m in members])
    return province


def timed(scope: object) -> tuple[float, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from xieshang.core.figures import Scope, compute

    best, queries = float("inf"), 0
    for _ in range(3):
        assert isinstance(scope, Scope)
        fresh = Scope(scope.committee, scope.start, scope.end, scope.include_sub)
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            compute(fresh)
            best = min(best, time.perf_counter() - started)
        queries = len(ctx)
    return best, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of demo-scale rows")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: time again on the database of an earlier run")
    args = parser.parse_args()
    where = setup("reports_province", reuse=args.reuse)
    from django.db import connection

    from xieshang.core.figures import Scope
    from xieshang.core.models import Committee

    first_year = 2016
    started = time.perf_counter()
    province = Committee.objects.filter(code="bp").first() if args.reuse else None
    if province is None:
        province = build(args.counties, args.years, args.scale, first_year)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    assert isinstance(province, Committee)
    rows = {m: m.objects.count() for m in _models()}
    print(f"{where}: {Committee.objects.count()} committees, built in {built:.0f} s")
    print("  rows: " + ", ".join(f"{m.__name__} {n}" for m, n in rows.items()))
    last = first_year + args.years - 1
    whole = Scope(province, dt.date(first_year, 1, 1), dt.date(last, 12, 31), include_sub=True)
    seconds, queries = timed(whole)
    print(f"province, {args.years} years, whole sub-tree: {seconds:.2f} s ({queries} queries)")
    county = Committee.objects.filter(level="county").order_by("id").first()
    assert county is not None
    seconds, queries = timed(Scope(county, dt.date(last, 1, 1), dt.date(last, 12, 31)))
    print(f"one county, one year: {seconds:.3f} s ({queries} queries)")


def _models() -> list[type]:
    from xieshang.activities.models import Activity, Invitation
    from xieshang.opinions.models import OpinionReport
    from xieshang.proposals.models import Assignment, Proposal

    return [Activity, Invitation, Proposal, Assignment, OpinionReport]


if __name__ == "__main__":
    main()
