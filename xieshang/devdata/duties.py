"""Demo data of the duties app: the county's scoring rules for each year of the term, a few
items the office recorded by hand (awards, outside duties), the default warning rules, the
scores computed from everything the other demos recorded, and the warnings that follow.

Runs after the proposals, opinions and activities demos (INSTALLED_APPS order) and uses
whatever facts their sources report, so it works with any of them missing: the scores then
count only what is there. Leaves in ``ctx.extra["duties"]``: the years scored, the number of
scores and of open warnings.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.apps import apps

from xieshang.core.permissions import actor_for
from xieshang.devdata.demo import DemoContext
from xieshang.duties import engine, services
from xieshang.duties.facts import kind_matches, known_kinds
from xieshang.duties.models import DutyWarning, RuleSet, Score, WarningRule
from xieshang.members.models import Member

# The term's years in the story (2022–2026), moved to the current year by ``ctx.year``.
STORY_YEARS = range(2022, 2027)

# (code, description, how many members a year): awards and outside duties that the office
# records by hand, with the kind a "manual:<code>" rule scores.
MANUAL = (
    ("award", "获评{year}年度市级优秀政协委员", 2),
    ("award", "获评{year}年度全县“优秀提案”表彰（个人）", 3),
    ("award", "被评为{year}年度全县乡村振兴先进个人", 2),
    ("outside", "受聘担任县人民法院特邀调解员（{year}年度）", 3),
    ("outside", "受聘担任县人民检察院听证员（{year}年度）", 2),
    ("volunteer", "参加“政协委员助力乡村振兴”志愿服务（{year}年）", 6),
)


def _members_in(year: int, members: list[Member]) -> list[Member]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return [m for m in members
            if m.joined_on <= end and (m.left_on is None or m.left_on >= start)]


# A rule many committees add (一年内无故缺席政协活动两次的，予以提醒谈话), to show that staff
# can write their own besides the defaults.
class RuleSpec(TypedDict):
    name: str
    kinds: list[str]
    period: str
    comparison: str
    threshold: int
    from_month: int
    message: str


ABSENCES: RuleSpec = {
    "name": "本年度两次无故缺席政协活动", "kinds": ["activity.absent_unexcused:*"],
    "period": "year", "comparison": "at_least", "threshold": 2, "from_month": 1,
    "message": "您本年度已两次无故缺席政协组织的活动，请按时参加或事先请假。",
}


def _unreported(kinds: list[str]) -> list[str]:
    """Kinds of a warning rule that no installed fact source reports."""
    reported = list(known_kinds())
    return [k for k in kinds if not any(kind_matches(p, k) or kind_matches(k, p)
                                         for p in reported)]


def _demo_warning_rules(ctx: DemoContext) -> None:
    """Add the committee's own rule; switch off an "at most" rule that cannot be judged yet.

    "No proposal and no opinion report this year" counts proposal facts too: while the
    proposals area reports none, it would warn every member who made proposals but wrote no
    opinion report, so the demo leaves such a rule inactive (it switches on by itself once the
    facts are there and the demo is built again).
    """
    county = ctx.county
    assert county is not None
    system = ctx.system(county)
    if not WarningRule.objects.filter(committee=county, name=ABSENCES["name"]).exists():
        services.warning_rule_add(actor=system, committee=county, **ABSENCES)
    for rule in WarningRule.objects.filter(committee=county, is_active=True,
                                           comparison=WarningRule.Comparison.AT_MOST):
        missing = _unreported(list(rule.kinds))
        if missing:
            services.warning_rule_pause(actor=system, rule=rule, unreported_kinds=missing)
            ctx.log(f"  warning rule “{rule.name}” left inactive: nothing reports "
                    f"{', '.join(missing)} yet")


# How many members co-sign (联名) one proposal: individual proposals in a county usually carry
# one to four co-signers. The proposals demo records first proposers only; without co-signing,
# a third of the members would have "no proposal and no opinion report" in a year, where a
# real committee has a handful.
CO_SIGNERS = (1, 2, 2, 3, 3, 4)


def _co_sign(ctx: DemoContext, members: list[Member]) -> int:
    """Co-signers for three in five of the county's submitted individual proposals (which then
    are joint, 联名), preferring the proposer's sector (as in practice: 联名 within a sector
    group), confirmed the day before submission."""
    if not apps.is_installed("xieshang.proposals"):
        return 0
    # Imported here on purpose: the proposals app is optional beside duties.
    from xieshang.proposals.models import Proposal, ProposalCoProposer, Status

    county = ctx.county
    assert county is not None
    rng = ctx.rng
    active = [m for m in members if m.status == Member.Status.ACTIVE]
    by_sector: dict[int | None, list[Member]] = {}
    for m in active:
        by_sector.setdefault(m.sector_id, []).append(m)
    rows = []
    proposals = (Proposal.objects.filter(committee=county, proposer__isnull=False,
                                         submitted_at__isnull=False)
                 .exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
                 .exclude(co_proposers__isnull=False)
                 .select_related("proposer").order_by("id"))
    for p in proposals:
        assert p.proposer is not None and p.submitted_at is not None
        if p.pk % 5 in (0, 1):
            continue  # about two in five stay a single member's proposal (个人提案)
        pool = [m for m in by_sector.get(p.proposer.sector_id, []) if m.pk != p.proposer_id]
        others = [m for m in active if m.pk != p.proposer_id]
        chosen: dict[int, Member] = {}
        for _n in range(rng.choice(CO_SIGNERS)):
            source = pool if pool and rng.random() < 0.6 else others
            m = rng.choice(source)
            chosen[m.pk] = m
        signed = p.submitted_at - dt.timedelta(days=1)
        rows += [ProposalCoProposer(committee=county, proposal=p, member=m, invited_at=signed,
                                    confirmed_at=signed) for m in chosen.values()]
    ProposalCoProposer.objects.bulk_create(rows, ignore_conflicts=True)
    # A proposal with confirmed co-signers is a joint one (联名), as the service records it.
    Proposal.objects.filter(pk__in={r.proposal_id for r in rows}).update(
        kind=Proposal.Kind.JOINT)
    return len(rows)


def build(ctx: DemoContext) -> None:
    county = ctx.county
    if county is None:
        return
    rng = ctx.rng
    system = ctx.system(county)
    # Manual items are recorded by the office (ManualItem.created_by may not be empty).
    office = ctx.users.get("bangongshi")
    recorder = actor_for(office, county) if office is not None else system
    members = list(Member.objects.filter(committee=county).order_by("id"))
    last_year = min(ctx.year(max(STORY_YEARS)), ctx.today.year)
    years = [ctx.year(y) for y in STORY_YEARS if ctx.year(y) <= last_year]
    for year in years:
        if not RuleSet.objects.filter(committee=county, year=year).exists():
            services.ruleset_create_from_template(actor=system, committee=county, year=year,
                                                  template="standard")
    manual = 0
    for year in years:
        pool = _members_in(year, members)
        for code, text, count in MANUAL:
            for member in rng.sample(pool, min(count, len(pool))):
                latest = min(dt.date(year, 12, 20), ctx.today - dt.timedelta(days=1))
                if latest.year < year:
                    continue  # 1 January: nothing recorded this year yet
                first = min(dt.date(year, 3, 1), latest)
                day = first + dt.timedelta(days=rng.randint(0, (latest - first).days))
                services.manual_item_add(actor=recorder, member=member, date=day, code=code,
                                         description=text.format(year=year))
                manual += 1
    co_signed = _co_sign(ctx, members)
    services.warning_rules_install_defaults(actor=system, committee=county)
    _demo_warning_rules(ctx)
    # The services above asked for a recomputation of each year after the commit; the demo
    # wants the scores now (it builds in one transaction), so it does the pending work here and
    # leaves no queued task anything to do.
    for year in years:
        if not services.recompute_pending(county.pk, year):
            engine.recompute(county, year)
    raised = services.warnings_check(actor=system, committee=county, today=ctx.today)
    scores = Score.objects.filter(committee=county, year=last_year).count()
    ctx.extra["duties"] = {"years": years, "scores": scores, "manual_items": manual,
                           "co_signed": co_signed,
                           "warnings": len(raised),
                           "warning_rules": WarningRule.objects.filter(committee=county).count(),
                           "open_warnings": DutyWarning.objects.filter(
                               committee=county, resolved_at__isnull=True).count()}
    ctx.log(f"  rule sets {years[0]}–{years[-1]}, {manual} manual items, {co_signed} "
            f"co-signatures, {scores} scores in {last_year}, {len(raised)} warnings")
