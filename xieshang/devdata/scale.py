"""Province-scale data: ``xieshang demo --scale province`` (issue #9, part 1).

One province, its cities and counties (defaults: 14 cities, 100 counties, ~30,000 members) and
ten years of work: proposals in every state with their workflow events, assignments, replies
and feedback; public-opinion reports with events and versions; activities with invitations and
attendance. It is meant for load tests and query-count checks, not for visitors (the county demo
is for them).

What goes through the services one call at a time: committees, terms, sessions, sectors,
handling units, logins and roles (a few thousand calls, so the audit log shows them). What goes
in bulk: members through ``members_bulk_create`` (the roster-import service: ``full_clean`` per
member, one audit row per committee); proposals, opinion reports and activities are built as
model objects, checked with the models' ``full_clean`` (foreign keys are checked once per
committee instead of one query per row) and every workflow step is checked against the app's
``TRANSITIONS`` table before it is written as an event, then ``bulk_create`` in batches. Serial
numbers are given per session in filing order, like ``proposal_file`` does.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from xieshang.activities import services as aservices
from xieshang.activities.models import UNITS_REQUIRED, Activity, Invitation
from xieshang.core import audit
from xieshang.core import clock as xclock
from xieshang.core import services as core_services
from xieshang.core.calendar import WorkCalendar
from xieshang.core.models import Committee, Role, Session, Term, User
from xieshang.core.permissions import Actor
from xieshang.devdata import members as mdemo
from xieshang.devdata import names
from xieshang.devdata import opinions as odemo
from xieshang.devdata import proposals as pdemo
from xieshang.devdata.demo import DEMO_PASSWORD
from xieshang.devdata.indexing import index_committees
from xieshang.duties import engine as duty_engine
from xieshang.duties import services as duty_services
from xieshang.duties.models import Score
from xieshang.members import services as mservices
from xieshang.members.models import HandlingUnit, Member, Sector
from xieshang.members.services import NewMember, members_bulk_create
from xieshang.opinions import workflow as opinion_workflow
from xieshang.opinions.models import AuthorKind, OpinionEvent, OpinionReport, OpinionVersion
from xieshang.proposals import services as pservices
from xieshang.proposals import workflow as proposal_workflow
from xieshang.proposals.models import Assignment, Feedback, Proposal, ProposalEvent, Reply

# The kinds of record indexed once the committees are built: every registered kind (None).
# Proposals, opinion reports and activities are written with bulk_create (no post_save);
# members go through members_bulk_create, whose post_save only queues index tasks that a worker
# runs later. Indexing every kind here leaves the index complete when the generator ends.
BULK_KINDS: tuple[str, ...] | None = None
PREFIX = "sc"  # committee codes: sc-prov, sc-c01, sc-c01-03
CITY_STEMS = ("青川", "白鹭", "金沙", "云台", "石林", "碧江", "玉溪", "龙泉", "临川", "松涛",
              "凤鸣", "雁荡", "秀峰", "桐柏", "明月", "清源", "翠屏", "丹霞", "华亭", "望江")
COUNTY_STEMS = ("清河", "石门", "柳湾", "龙潭", "新桥", "白马", "青石", "河西", "东山", "南屏",
                "北溪", "西岭", "安宁", "永丰", "长乐", "太和", "宜良", "富源", "平川", "宁远")


@dataclass
class ScaleSpec:
    cities: int = 14
    counties: int = 100  # spread over the cities
    years: int = 10  # one plenary session a year, the latest in the current year
    county_members: int = 240
    city_members: int = 380
    province_members: int = 650
    proposals_per_year: dict[str, int] = field(default_factory=lambda: {
        Committee.Level.COUNTY: 300, Committee.Level.CITY: 330, Committee.Level.PROVINCE: 450})
    opinions_per_year: int = 60
    activities_per_year: int = 20
    member_logins: int = 10  # members with a login in each committee (load tests use them)
    all_logins_county: bool = True  # every member of the first county gets a login (peak test)
    seed: int = 2026

    @classmethod
    def province(cls) -> ScaleSpec:
        return cls()

    @classmethod
    def small(cls) -> ScaleSpec:
        """2 cities × 2 counties × 1 year: what the test suite builds."""
        return cls(cities=2, counties=4, years=1, county_members=40, city_members=40,
                   province_members=40, proposals_per_year={
                       Committee.Level.COUNTY: 60, Committee.Level.CITY: 60,
                       Committee.Level.PROVINCE: 60},
                   opinions_per_year=12, activities_per_year=4, member_logins=3)


@dataclass
class Report:
    counts: Counter[str] = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, code)
    def add(self, phase: str, seconds: float) -> None:
        self.timings[phase] = self.timings.get(phase, 0.0) + seconds


class _Clock:
    def __init__(self, report: Report, log: Callable[[str], None]) -> None:
        self.report, self.log = report, log
        self.started = time.monotonic()
    def phase(self, name: str) -> _Phase:
        return _Phase(self, name)
    def elapsed(self) -> float:
        return time.monotonic() - self.started


class _Phase:
    def __init__(self, clock: _Clock, name: str) -> None:
        self.clock, self.name = clock, name
    def __enter__(self) -> None:
        self.t0 = time.monotonic()
    def __exit__(self, *exc: object) -> None:
        self.clock.report.add(self.name, time.monotonic() - self.t0)


def _check(obj: models.Model, fks: Sequence[str]) -> models.Model:
    """The model's own validation (field rules and ``clean``) without a query per row.

    The foreign keys in ``fks`` are objects of the committee being built (checked when they were
    made); uniqueness is given by construction and enforced by the database's constraints.
    """
    obj.full_clean(exclude=list(fks), validate_unique=False, validate_constraints=False)
    return obj


def _steps_valid(table: dict[tuple[str, str], Any], start: str,
                 steps: Iterable[tuple[str, str]]) -> None:
    """Every (action, reached status) must be a transition of the app's workflow table."""
    status = start
    for action, to in steps:
        step = table.get((status, action))
        if step is None or (to != step.to and to not in getattr(step, "also", ())):
            raise ValidationError(f"{status} --{action}--> {to} is not in the workflow table")
        status = to


# --------------------------------------------------------------------------------------------

@dataclass
class _Body:
    committee: Committee
    actor: Actor
    level: mdemo.LevelSpec
    terms: list[Term] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    sectors: list[Sector] = field(default_factory=list)
    units: list[HandlingUnit] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    veterans: list[Member] = field(default_factory=list)  # served since the first term
    staff: User | None = None


def build_scale(spec: ScaleSpec, *, log: Callable[[str], None] = lambda s: None) -> Report:
    """Build the province described by ``spec``; prints progress through ``log``."""
    today = xclock.today()
    rng = random.Random(spec.seed)
    report = Report()
    clock = _Clock(report, log)
    people = mdemo.People(rng)
    password = make_password(DEMO_PASSWORD)
    first_year = today.year - spec.years + 1
    def lvl(template: mdemo.LevelSpec, code: str, stem: str, place: str, members: int,
            units: Any) -> mdemo.LevelSpec:
        return replace(template, code=code, stem=stem, place=place, members=members,
                       units=units, name=f"中国人民政治协商会议{place}委员会",
                       short_name=f"{place}政协", term_start=dt.date(first_year, 1, 10))
    prov_t, city_t, county_t = mdemo.LEVELS
    with clock.phase("committees"):
        province = _committee(lvl(prov_t, f"{PREFIX}-prov", "云岭", "云岭省",
                                  spec.province_members, prov_t.units), None)
    bodies: list[_Body] = [province]
    per_city = [spec.counties // spec.cities + (1 if i < spec.counties % spec.cities else 0)
                for i in range(spec.cities)] if spec.cities else []
    for ci in range(spec.cities):
        stem = CITY_STEMS[ci % len(CITY_STEMS)] + ("" if ci < len(CITY_STEMS) else str(ci))
        with clock.phase("committees"):
            city = _committee(lvl(city_t, f"{PREFIX}-c{ci + 1:02d}", stem, f"{stem}市",
                                  spec.city_members, city_t.units), province.committee)
        bodies.append(city)
        for k in range(per_city[ci]):
            cstem = COUNTY_STEMS[k % len(COUNTY_STEMS)]
            place = f"{stem}{cstem}县" if k < len(COUNTY_STEMS) else f"{stem}{cstem}{k}县"
            with clock.phase("committees"):
                bodies.append(_committee(
                    lvl(county_t, f"{PREFIX}-c{ci + 1:02d}-{k + 1:02d}", cstem, place,
                        spec.county_members, county_t.units), city.committee))
    report.counts["committees"] = len(bodies)
    log(f"  {len(bodies)} committees ({clock.elapsed():.0f} s)")
    first_county = next((b for b in bodies if b.committee.level == Committee.Level.COUNTY),
                        None)
    for n, b in enumerate(bodies, start=1):
        t0, cpu0 = time.monotonic(), time.process_time()
        with transaction.atomic():
            with clock.phase("reference data (services)"):
                _terms_sessions(b, first_year, spec.years, today)
                _sectors_units(b, people)
            with clock.phase("members (members_bulk_create)"):
                _members(b, people, rng, spec, report)
            with clock.phase("logins and roles (services)"):
                every = spec.all_logins_county and b is first_county
                _logins(b, password, spec.member_logins if not every else len(b.members),
                        report)
            with clock.phase("proposals"):
                _proposals(b, rng, spec, today, report)
            with clock.phase("opinion reports"):
                _opinions(b, rng, spec, today, report)
            with clock.phase("activities and attendance"):
                _activities(b, rng, spec, today, report)
            with clock.phase("duty rule sets and scores"):
                _duty_scores(b, first_year, today, report)
        log(f"  [{n}/{len(bodies)}] {b.level.short_name}: {len(b.members)} members, "
            f"{time.monotonic() - t0:.1f} s, CPU {time.process_time() - cpu0:.1f} s "
            f"(total {clock.elapsed():.0f} s)")
    # Proposals, opinion reports and activities went in with bulk_create, which the search
    # index does not hear of: their entries are written here, for these committees.
    with clock.phase("search index (rows written in bulk)"):
        indexed = index_committees([b.committee.pk for b in bodies], BULK_KINDS)
    report.counts["search entries"] = sum(indexed.values())
    log(f"  search index: {indexed} ({clock.elapsed():.0f} s)")
    report.timings["total"] = clock.elapsed()
    report.timings["total CPU (this process)"] = time.process_time()
    return report


def _duty_scores(b: _Body, first_year: int, today: dt.date, report: Report) -> None:
    """Each year's rule set (the standard template, through the service) and the scores of
    what was written in bulk, computed now as the county demo does (the build is one
    transaction per committee, so the queued recomputation would find nothing left to do)."""
    for year in range(first_year, today.year + 1):
        duty_services.ruleset_create_from_template(actor=b.actor, committee=b.committee,
                                                   year=year)
        if not duty_services.recompute_pending(b.committee.pk, year):
            duty_engine.recompute(b.committee, year)
    report.counts["duty scores"] += Score.objects.filter(committee=b.committee).count()


def _committee(level: mdemo.LevelSpec, parent: Committee | None) -> _Body:
    committee = core_services.committee_create(
        actor=Actor.for_system(parent), name=level.name, code=level.code, level=level.level,
        parent=parent, short_name=level.short_name)
    return _Body(committee=committee, actor=Actor.for_system(committee), level=level)


def _terms_sessions(b: _Body, first_year: int, years: int, today: dt.date) -> None:
    term: Term | None = None
    number = b.level.term_number - (years - 1) // 5
    for i, year in enumerate(range(first_year, first_year + years)):
        if i % 5 == 0:
            start = dt.date(year, 1, 10)
            term = core_services.term_create(actor=b.actor, committee=b.committee,
                                             number=number, start_date=start,
                                             end_date=dt.date(year + 4, 12, 31))
            b.terms.append(term)
            number += 1
        assert term is not None
        start = dt.date(year, 1, 12 + b.committee.pk % 10)
        b.sessions.append(core_services.session_create(
            actor=b.actor, term=term, number=i % 5 + 1, start_date=start,
            end_date=start + dt.timedelta(days=3),
            proposal_window_start=dt.date(year - 1, 11, 1)))


def _sectors_units(b: _Body, people: mdemo.People) -> None:
    for order, spec in enumerate(names.SECTORS, start=1):
        b.sectors.append(mservices.sector_create(actor=b.actor, committee=b.committee,
                                                 name=spec.name, order=order, code=spec.code))
    for order, (name, short, kind, keywords) in enumerate(b.level.units, start=1):
        gender = Member.Gender.FEMALE if people.rng.random() < 0.5 else Member.Gender.MALE
        b.units.append(mservices.unit_create(
            actor=b.actor, committee=b.committee,
            name=name.format(place=b.level.place, stem=b.level.stem), short_name=short,
            kind=kind, contact_name=people.name(gender, b.level.code),
            contact_phone=people.landline(b.level.phone_area),
            address=people.address(b.level), keywords=keywords, order=order))


def _members(b: _Body, people: mdemo.People, rng: random.Random, spec: ScaleSpec,
             report: Report) -> None:
    sector_of = {s.name: s for s in b.sectors}
    weights = [s.county for s in names.SECTORS]
    sector_names = [s.name for s in names.SECTORS]
    current = b.terms[-1].start_date
    new: list[NewMember] = []
    for i in range(b.level.members):
        veteran = i % 3 == 0  # a third have served since the first term of the ten years
        plan = mdemo._plan(people, b.level, rng.choices(sector_names, weights)[0],
                           standing=i % 6 == 0,
                           joined_on=b.level.term_start if veteran else current)
        new.append(NewMember(fields={**plan.fields, "sector": sector_of[plan.sector]}))
    b.members = members_bulk_create(actor=b.actor, committee=b.committee, new=new,
                                    note="province-scale data")
    b.veterans = [m for m in b.members if m.joined_on <= b.level.term_start]
    report.counts["members"] += len(b.members)


def _logins(b: _Body, password: str, member_logins: int, report: Report) -> None:
    code = b.committee.code
    def user(username: str, name: str, role: str, **kw: Any) -> User:
        u = core_services.user_create(actor=b.actor, username=username, password=None,
                                      display_name=name)
        u.password = password  # every scale login shares the demo password's hash
        u.save(update_fields=["password"])
        core_services.role_grant(actor=b.actor, user=u, committee=b.committee, role=role, **kw)
        report.logins.append((role, username, code))
        return u
    b.staff = user(f"{code}-staff", "提案委工作人员", Role.STAFF_PROPOSAL)
    core_services.role_grant(actor=b.actor, user=b.staff, committee=b.committee,
                             role=Role.STAFF_OPINION)
    core_services.role_grant(actor=b.actor, user=b.staff, committee=b.committee,
                             role=Role.STAFF_OFFICE)
    user(f"{code}-leader", "主席", Role.LEADER)
    for i, unit in enumerate(b.units[:3], start=1):
        user(f"{code}-unit{i}", f"{unit.short_name}经办人", Role.UNIT_CLERK, unit=unit)
    for i, member in enumerate(b.members[:member_logins], start=1):
        u = user(f"{code}-m{i}", member.name, Role.MEMBER, member=member)
        member.user = u
    type(b.members[0]).objects.bulk_update(b.members[:member_logins], ["user"], batch_size=500)
    report.counts["logins"] = len(report.logins)


# --- proposals -------------------------------------------------------------------------------

def _scaled_mix(mix: Sequence[tuple[str, int]], total: int) -> list[tuple[str, int]]:
    whole = sum(n for _s, n in mix)
    return [(s, max(1, round(n * total / whole))) for s, n in mix]


def _proposals(b: _Body, rng: random.Random, spec: ScaleSpec, today: dt.date,
               report: Report) -> None:

    S = pdemo.S
    committee = b.committee
    categories = pservices.categories_ensure(committee)
    cal = WorkCalendar(committee)
    per_year = spec.proposals_per_year.get(committee.level, 300)
    before = report.counts["proposals"]
    now = xclock.now()
    tz = timezone.get_current_timezone()
    fks = ["committee", "session", "proposer", "created_by", "category", "key_leader",
           "merged_into", "proposer_body"]
    validated: set[str] = set()
    for index, session in enumerate(b.sessions):
        latest = index == len(b.sessions) - 1
        mix = _scaled_mix(pdemo.CURRENT_MIX if latest else pdemo.OLD_MIX, per_year)
        pool = b.members if latest else (b.veterans or b.members)
        start = dt.datetime.combine(session.start_date, dt.time(9), tzinfo=tz)
        serial = 0
        proposals: list[Proposal] = []
        plans: list[tuple[Proposal, str, dt.datetime]] = []
        for status, count in mix:
            steps = pdemo.STEPS[status]
            if status not in validated:
                _steps_valid(proposal_workflow.TRANSITIONS, S.DRAFT, steps)
                validated.add(status)
            filed = any(a == "file" for a, _s in steps)
            for _n in range(count):
                cat = rng.choice(categories)
                topic = rng.choice(pdemo.TOPICS.get(cat.name) or pdemo.TOPICS["经济建设"])
                member = rng.choice(pool)
                plenary = rng.random() < 0.7
                submitted = start - dt.timedelta(days=rng.randint(1, 20)) if plenary else \
                    start + dt.timedelta(days=rng.randint(30, 200))
                if latest and status in (S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.DRAFT):
                    submitted = now - dt.timedelta(days=rng.randint(1, 20))
                submitted = min(submitted, now - dt.timedelta(days=1))
                if filed:
                    serial += 1
                consent = rng.random() > 0.1
                p = Proposal(
                    committee=committee, session=session if status != S.DRAFT else None,
                    session_start=session.start_date if status != S.DRAFT else None,
                    serial_number=serial if filed else None,
                    timing=(Proposal.Timing.PLENARY if plenary else Proposal.Timing.RECESS)
                    if status != S.DRAFT else "",
                    kind=Proposal.Kind.INDIVIDUAL, proposer=member, created_by=member.user,
                    title=f"{rng.choice(pdemo.VERBS)}{topic}的建议", category=cat,
                    body=pdemo.BODY.format(topic=topic).replace("我县", "我" + b.level.place[-1]),
                    status=status, version=len(steps), review_round=2 if filed else 1,
                    consent_disclosure=consent,
                    nondisclosure_reason="" if consent else "涉及个人隐私",
                    created_at=submitted, submitted_at=submitted if status != S.DRAFT else None,
                    filed_at=submitted + dt.timedelta(days=10) if filed else None,
                    handling_round=2 if status == S.REHANDLING else 1,
                    is_rehandled=status == S.REHANDLING,
                    is_key=filed and rng.random() < 0.025,
                    not_filed_reason=rng.choice(["personal", "empty", "litigation", "academic"])
                    if status == S.NOT_FILED else "",
                    review_message="经审查，不符合立案条件，已转有关部门参考。"
                    if status in (S.NOT_FILED, S.CONVERTED) else (
                        "请补充具体可行的建议。" if status == S.RETURNED else ""),
                    conversion_target="public_opinion" if status == S.CONVERTED else "",
                )
                proposals.append(_check(p, fks))  # type: ignore[arg-type]
                plans.append((p, status, submitted))

        events: list[ProposalEvent] = []
        assignments: list[Assignment] = []
        replies: list[tuple[Assignment, Proposal, dt.datetime]] = []
        feedback: list[Feedback] = []
        for p, target, submitted in plans:
            when, previous, assigned_at = submitted, S.DRAFT, None
            for action, to in pdemo.STEPS[target]:
                when = min(when + dt.timedelta(days=rng.randint(1, 12)), now)
                if action == "assign":
                    assigned_at = when
                by_office = action not in ("submit", "withdraw")
                events.append(ProposalEvent(
                    committee=committee, proposal=p, at=when,
                    actor=b.staff if by_office else p.created_by,
                    actor_name="提案委" if by_office else p.proposer_name,
                    action=action, from_status=previous, to_status=to))
                previous = to
            if assigned_at is None:
                continue
            unit = rng.choice(b.units)
            due = cal.add_months(timezone.localdate(assigned_at), 3)
            state_of: dict[str, str] = {S.ASSIGNED: Assignment.State.ASSIGNED,
                     S.RETURN_REQUESTED: Assignment.State.RETURN_REQUESTED,
                     S.HANDLING: Assignment.State.SIGNED, S.REHANDLING: Assignment.State.SIGNED,
                     S.REPLY_REVIEW: Assignment.State.APPROVED}
            state = state_of.get(target, Assignment.State.DONE)
            a = Assignment(committee=committee, proposal=p, unit=unit,
                           role=Assignment.Role.SINGLE, state=state, assigned_at=assigned_at,
                           due_date=due.date, due_warnings=list(due.warnings),
                           signed_at=assigned_at + dt.timedelta(days=2)
                           if state != Assignment.State.ASSIGNED else None,
                           return_reason="该事项不属于本单位职责范围。"
                           if state == Assignment.State.RETURN_REQUESTED else "",
                           return_requested_at=assigned_at
                           if state == Assignment.State.RETURN_REQUESTED else None)
            assignments.append(a)
            if target in (S.REPLY_REVIEW, S.REPLIED, S.REHANDLING, S.CLOSED):
                replies.append((a, p, when))
            if target in (S.REHANDLING, S.CLOSED) and p.proposer_id:
                rating = "dissatisfied" if target == S.REHANDLING else rng.choices(
                    ["satisfied", "basically", "dissatisfied"], [80, 17, 3])[0]
                feedback.append(Feedback(
                    committee=committee, proposal=p, member_id=p.proposer_id, round=1,
                    rating=rating, at=when,
                    comments="答复针对性不强。" if rating == "dissatisfied" else "",
                    how_heard="meeting", attitude="satisfied",
                    agrees_with_result=rating != "dissatisfied", visited=True,
                    on_point=rating != "dissatisfied"))
        reply_rows = []
        for a, p, when in replies:
            sent = p.status != S.REPLY_REVIEW
            reply_rows.append(Reply(
                committee=committee, proposal=p, assignment=a, round=1,
                result_class=rng.choices("ABC", [55, 38, 7])[0], body=pdemo.REPLY,
                contact_person=a.unit.contact_name or "办公室",
                contact_phone=a.unit.contact_phone,
                state=Reply.State.SENT if sent else Reply.State.APPROVED, drafted_at=when,
                approved_at=when, sent_at=when if sent else None))
            if sent:
                p.replied_at = when
                p.feedback_due = timezone.localdate(when) + dt.timedelta(days=21)
                if p.status == S.CLOSED:
                    p.closed_at = when
        # Everything is known before the first write, so each row is inserted once, complete:
        # merged proposals last, since they point at a filed proposal of the same session.
        Proposal.objects.bulk_create([p for p in proposals if p.status != S.MERGED],
                                     batch_size=500)
        filed_pool = [p for p in proposals if p.serial_number]
        merged = [p for p in proposals if p.status == S.MERGED]
        for p in merged:
            p.merged_into = rng.choice(filed_pool) if filed_pool else None
        Proposal.objects.bulk_create(merged, batch_size=500)
        ProposalEvent.objects.bulk_create(events, batch_size=1000)
        Assignment.objects.bulk_create(assignments, batch_size=500)
        Reply.objects.bulk_create(reply_rows, batch_size=500)
        Feedback.objects.bulk_create(feedback, batch_size=500)
        report.counts["proposals"] += len(proposals)
        report.counts["proposal events"] += len(events)
        report.counts["assignments"] += len(assignments)
        report.counts["replies"] += len(reply_rows)
        report.counts["feedback"] += len(feedback)
    # One audit row per committee and kind of bulk write, as members_bulk_create does.
    audit.record(b.actor, "scale.proposals", committee=committee,
                 after={"count": report.counts["proposals"] - before})


# --- opinion reports -------------------------------------------------------------------------

OPINION_MIX = (("sent", 30), ("published", 10), ("signed_off", 8), ("not_used", 30),
               ("editing", 7), ("submitted", 10), ("withdrawn", 5))
OPINION_STEPS: dict[str, list[tuple[str, str]]] = {
    "submitted": [], "withdrawn": [("withdraw", "withdrawn")],
    "editing": [("start_edit", "editing")],
    "not_used": [("start_edit", "editing"), ("decline", "not_used")],
    "signed_off": [("start_edit", "editing"), ("sign_off", "signed_off")],
    "published": [("start_edit", "editing"), ("sign_off", "signed_off"),
                  ("publish", "published")],
    "sent": [("start_edit", "editing"), ("sign_off", "signed_off"), ("publish", "published"),
             ("send_leaders", "sent")],
}


def _opinions(b: _Body, rng: random.Random, spec: ScaleSpec, today: dt.date,
              report: Report) -> None:
    for steps in OPINION_STEPS.values():
        _steps_valid(opinion_workflow.TRANSITIONS, "submitted", steps)
    committee = b.committee
    now = xclock.now()
    fks = ["committee", "author_member", "author_body", "sector", "submitted_by",
           "source_committee", "origin", "root", "merged_into", "signed_off_by"]
    rows: list[tuple[OpinionReport, str]] = []
    for year_index in range(spec.years):
        year = today.year - spec.years + 1 + year_index
        latest = year_index == spec.years - 1
        pool = b.members if latest else (b.veterans or b.members)
        for status, count in _scaled_mix(OPINION_MIX, spec.opinions_per_year):
            if not latest and status in ("submitted", "editing", "signed_off"):
                status = "not_used"
            for _n in range(count):
                title, category, situation, analysis, suggestion = rng.choice(odemo.SUBJECTS)
                member = rng.choice(pool)
                at = dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28), 10,
                                 tzinfo=timezone.get_current_timezone())
                at = min(at, now - dt.timedelta(days=rng.randint(1, 30)))
                reached = dict((to, True) for _a, to in OPINION_STEPS[status])
                r = OpinionReport(
                    committee=committee, title=title, category=category, situation=situation,
                    analysis=analysis, suggestion=suggestion, author_kind=AuthorKind.MEMBER,
                    author_member=member, author_name=member.name, sector=member.sector,
                    submitted_by=member.user, status=status,
                    version=1 + len(OPINION_STEPS[status]), submitted_at=at,
                    not_used_reason="与已采用信息重复。" if status == "not_used" else "",
                    signed_off_at=at + dt.timedelta(days=5) if "signed_off" in reached
                    else None, signed_off_by=b.staff if "signed_off" in reached else None,
                    published_at=at + dt.timedelta(days=8) if "published" in reached else None,
                    sent_to_leaders_at=at + dt.timedelta(days=9) if "sent" in reached
                    else None)
                rows.append((_check(r, fks), status))  # type: ignore[arg-type]
    reports = [r for r, _s in rows]
    OpinionReport.objects.bulk_create(reports, batch_size=500)
    # A new report is the root of its own lineage (as report_submit sets it): one statement.
    OpinionReport.objects.filter(committee=committee, root=None).update(root=F("pk"))
    for r in reports:
        r.root_id = r.pk
    events: list[OpinionEvent] = []
    versions: list[OpinionVersion] = []
    for r, status in rows:
        versions.append(OpinionVersion(committee=committee, report=r, number=1, title=r.title,
                                       situation=r.situation, analysis=r.analysis,
                                       suggestion=r.suggestion, editor=r.submitted_by,
                                       editor_name=r.author_name, note="As submitted",
                                       created_at=r.submitted_at))
        previous, when = "", r.submitted_at
        for action, to in [("submit", "submitted"), *OPINION_STEPS[status]]:
            office = action not in {"submit", "withdraw"}
            events.append(OpinionEvent(committee=committee, report=r, action=action,
                                       from_status=previous, to_status=to,
                                       actor=b.staff if office else r.submitted_by,
                                       actor_name="信息科" if office else r.author_name,
                                       at=when))
            previous, when = to, min(when + dt.timedelta(days=rng.randint(1, 4)), now)
    OpinionVersion.objects.bulk_create(versions, batch_size=1000)
    OpinionEvent.objects.bulk_create(events, batch_size=1000)
    report.counts["opinion reports"] += len(reports)
    audit.record(b.actor, "scale.opinions", committee=committee,
                 after={"count": len(reports), "events": len(events)})
    report.counts["opinion events"] += len(events)


# --- activities ------------------------------------------------------------------------------

ACTIVITY_TITLES = ("常委会议", "主席会议", "专题协商会", "视察调研", "民主监督活动", "委员学习培训",
                   "界别协商活动", "提案办理协商会", "委员读书活动", "对口协商座谈会")


def _activities(b: _Body, rng: random.Random, spec: ScaleSpec, today: dt.date,
                report: Report) -> None:
    committee = b.committee
    types = [t for t in aservices.activity_types_ensure(committee).values()
             if t.category not in UNITS_REQUIRED]
    tz = timezone.get_current_timezone()
    now = xclock.now()
    fks = ["committee", "type", "special_committee", "group", "lead", "created_by"]
    acts: list[Activity] = []
    for year_index in range(spec.years):
        year = today.year - spec.years + 1 + year_index
        for _n in range(spec.activities_per_year):
            start = dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28),
                                rng.choice((9, 14)), tzinfo=tz)
            kind = rng.choice(types)
            acts.append(_check(Activity(  # type: ignore[arg-type]
                committee=committee, type=kind,
                title=f"{start.year}年{rng.choice(ACTIVITY_TITLES)}", start=start,
                end=start + dt.timedelta(hours=3), place=f"{b.level.place}政协会议室",
                organiser=Activity.Organiser.OFFICE,
                status=Activity.Status.HELD if start < now else Activity.Status.PLANNED,
                created_by=b.staff), fks))
    Activity.objects.bulk_create(acts, batch_size=500)
    invitations: list[Invitation] = []
    A, St = Invitation.Attendance, Invitation.Status
    for act in acts:
        pool = b.members if act.start.year == today.year else (b.veterans or b.members)
        held = act.status == Activity.Status.HELD
        for m in rng.sample(pool, min(len(pool), rng.randint(15, 40))):
            roll = rng.random()
            if roll < 0.1:
                status, attendance = St.LEAVE_APPROVED, A.ABSENT if held else A.UNKNOWN
            else:
                status = St.CONFIRMED
                attendance = (A.ATTENDED if roll < 0.92 else A.LATE if roll < 0.96
                              else A.ABSENT) if held else A.UNKNOWN
            invitations.append(Invitation(
                committee=committee, activity=act, member=m, status=status,
                leave_reason="因公出差" if status == St.LEAVE_APPROVED else "",
                replied_at=act.start - dt.timedelta(days=2), attendance=attendance,
                attendance_source=Invitation.Source.STAFF if attendance else "",
                signed_in_at=act.start if attendance in (A.ATTENDED, A.LATE) else None,
                invited_at=act.start - dt.timedelta(days=7)))
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    report.counts["activities"] += len(acts)
    audit.record(b.actor, "scale.activities", committee=committee,
                 after={"count": len(acts), "invitations": len(invitations)})
    report.counts["invitations"] += len(invitations)
