"""Demo of the meetings app: this year's plenary session (the latest held one) run as a meeting:
agenda, two papers, oral speeches in order, an open vote, a secret vote (part of it on paper
ballots) and a 差额 election with a write-in, all closed and counted; and four discussion
groups (分组讨论) filled by sector, the 特邀人士 placed by hand, one group's notes in the ledger.

Registration is the plenary activity's attendance, which the activities builder wrote. Votes are
cast through the services by the members present (the first ``E_VOTERS``); the others' votes
arrive as one paper ballot box, so the demo also shows the fallback. The votes and the election
are opened and closed now (the engine reads the one clock), not on the plenary's day.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from xieshang.activities.models import Activity, Invitation, Speech
from xieshang.core import clock
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.core.workflow import transition
from xieshang.devdata.demo import DemoContext
from xieshang.meetings import selectors, services
from xieshang.meetings.models import Meeting, Paper, Poll
from xieshang.members.models import Member, Sector
from xieshang.portal.workflow import ARTICLE

E_VOTERS = 40

AGENDA = ["听取和审议政协常委会工作报告", "听取和审议常委会关于提案工作情况的报告",
          "选举政协常务委员", "审议通过政治决议"]
SPEECHES = [("推动县域经济高质量发展的几点建议", "围绕产业园区提档升级、营商环境优化提出建议……"),
            ("关于加强农村养老服务体系建设的建议", "我县农村老龄化程度持续加深，建议……"),
            ("守护好一江清水", "建议建立跨乡镇河流联防联治机制……"),
            ("以文旅融合助力乡村振兴", "深入挖掘本地历史文化资源……")]

GROUPS = [("第一组（中共、群团、无党派）", "县政协三楼第一会议室",
           ["中共", "共青团", "工会", "妇联", "无党派人士"]),
          ("第二组（民主党派）", "县政协三楼第二会议室",
           ["民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社"]),
          ("第三组（经济、农业、工商联、科技界）", "县政协四楼第一会议室",
           ["工商联", "科技界", "经济界", "农业界"]),
          ("第四组（教育、文艺、医卫、社会界别）", "县政协四楼第二会议室",
           ["教育界", "文化艺术界", "医药卫生界", "体育界", "社会福利和社会保障界",
            "少数民族界", "宗教界"])]
NOTES = ("委员们一致认为，常委会工作报告实事求是、重点突出。讨论中提出：建议加快县城老旧小区改造，"
         "统筹解决停车难问题；建议加大对中小微企业的融资支持。")


def build(ctx: DemoContext) -> None:
    committee = ctx.county
    if committee is None:
        return
    with transaction.atomic():
        _build(ctx, committee)


def _voter(committee: Committee, member: Member) -> Actor:
    return Actor(user=member.user, committee=committee, roles=frozenset({"member"}),
                 member_id=member.pk)


def _build(ctx: DemoContext, committee: Committee) -> None:
    plenary = (Activity.objects.filter(committee=committee, type__code="plenary",
                                       status=Activity.Status.HELD, start__year=ctx.today.year)
               .order_by("-start").first())
    if plenary is None:
        ctx.log("  (no plenary held this year yet: meetings skipped)")
        return
    system = ctx.system(committee)
    meeting = services.meeting_create(actor=system, activity=plenary,
                                      kind=Meeting.Kind.PLENARY)
    items = [services.agenda_item_add(actor=system, meeting=meeting, title=t) for t in AGENDA]
    services.paper_add(actor=system, item=items[0], title="政协常委会工作报告（审议稿）",
                       text="各位委员：\n\n现在，我代表政协常务委员会向大会报告工作，请予审议。",
                       kind=Paper.Kind.DRAFT, withdraw_after=True)
    services.paper_add(actor=system, item=items[1], title="关于提案工作情况的报告",
                       text="各位委员：\n\n受政协常委会委托，现将本届以来提案工作情况报告如下。",
                       kind=Paper.Kind.FINAL)
    present = list(Member.objects.filter(
        committee=committee, activity_invitations__activity=plenary,
        activity_invitations__attendance__in=[Invitation.Attendance.ATTENDED,
                                              Invitation.Attendance.LATE]).order_by("id"))
    if not present:
        return
    # Written speeches submitted before the plenary (bulk: the submission rule needs "before
    # the start"), three of them chosen for oral delivery under the first item.
    speeches = Speech.objects.bulk_create([
        Speech(committee=committee, activity=plenary, member=present[n * 3 % len(present)],
               title=title, text=text, submitted_at=plenary.start)
        for n, (title, text) in enumerate(SPEECHES)])
    for speech in speeches[:3]:
        services.oral_pick(actor=system, item=items[0], speech=speech, minutes=8)

    electronic = present[:E_VOTERS]
    on_paper = len(present) - len(electronic)
    rng = ctx.rng

    def vote(title: str, secret: bool, yes_share: float) -> Poll:
        poll = services.poll_create(actor=system, meeting=meeting, title=title, item=items[3],
                                    secret=secret)
        poll = services.poll_open(actor=system, poll=poll)
        for m in electronic:
            roll = rng.random()
            choice = "yes" if roll < yes_share else ("abstain" if roll < 0.98 else "no")
            services.vote_cast(actor=_voter(committee, m), poll=poll, choice=choice)
        if on_paper:
            no = on_paper // 40
            abstain = 1 if on_paper > no else 0
            services.paper_box_record(actor=system, poll=poll, label="1号票箱",
                                      yes=on_paper - no - abstain, no=no, abstain=abstain,
                                      ballots=on_paper)
        return services.poll_close(actor=system, poll=poll)

    resolution = vote("政协第X届第X次会议政治决议", secret=False, yes_share=0.96)
    vote("关于常委会工作报告的决议", secret=True, yes_share=0.93)
    final = services.paper_add(
        actor=system, item=items[3], title="政协第X届第X次会议政治决议", kind=Paper.Kind.FINAL,
        text="政协第X届委员会第X次会议在县委的领导下，圆满完成了各项议程。\n"
             "会议号召，全县各级政协组织和广大政协委员紧扣县委中心工作，履职尽责、建言资政。")

    candidates = list(dict.fromkeys(m.name for m in reversed(present)))[:4]
    if len(candidates) < 4:
        return
    election = services.election_create(
        actor=system, meeting=meeting, title="增选政协常务委员",
        positions=[services.PositionSpec("常务委员", 3, candidates)])
    election = services.election_open(actor=system, election=election)
    position = election.positions.get()
    for n, m in enumerate(electronic):
        marks = [c for i, c in enumerate(candidates) if (n + i) % 4 != 0][:3]
        if n % 13 == 0:
            marks = marks[:2] + ["周文华"]  # a write-in
        if n == 7:
            marks = candidates  # four marks for three seats: invalid
        services.ballot_cast(actor=_voter(committee, m), election=election,
                             marks={position.pk: marks})
    election = services.election_close(actor=system, election=election)
    services.project(actor=system, meeting=meeting, item=items[3])
    # After the meeting: the resolution's vote, the election and the resolution's final text on
    # the public website (the platform submits and publishes them; staff have a reviewer).
    for obj in (resolution, election, final):
        article = services.result_publish(actor=system, obj=obj)
        transition(ARTICLE, actor=system, obj=article, step="publish", version=article.version)
    placed = _groups(ctx, committee, meeting)
    ctx.log(f"  1 plenary meeting: {len(present)} registered, 2 votes, 1 election, "
            f"{len(GROUPS)} discussion groups ({placed} members), 3 articles on the website")


def _groups(ctx: DemoContext, committee: Committee, meeting: Meeting) -> int:
    """Four groups by sector on the afternoon of the plenary's first day; the 特邀人士 (no
    group's sector) placed by hand, round the groups; each group's first standing member (or
    first member) convenes; the first group's notes go to the suggestion ledger."""
    system = ctx.system(committee)
    day = timezone.localtime(meeting.activity.start).date()
    sectors = {s.name: s for s in Sector.objects.filter(committee=committee)}
    groups = [services.group_create(actor=system, meeting=meeting, name=name, venue=venue,
                                    starts_at=clock.at(day, 14, 30))
              for name, venue, _names in GROUPS]
    placed = services.groups_fill_by_sector(actor=system, meeting=meeting, sectors={
        g: [sectors[n] for n in names if n in sectors]
        for g, (_name, _venue, names) in zip(groups, GROUPS, strict=True)})
    for n, member in enumerate(list(selectors.ungrouped(meeting))):
        services.group_member_move(actor=system, meeting=meeting, member=member,
                                   group=groups[n % len(groups)])
        placed += 1
    for g in selectors.groups(meeting):
        members = g.placed  # type: ignore[attr-defined]
        if members:
            convener = next((m for m in members if m.is_standing), members[0])
            services.group_update(actor=system, group=g, name=g.name, venue=g.venue,
                                  starts_at=g.starts_at, convener=convener)
    services.group_notes_record(actor=system, group=groups[0], notes=NOTES, to_ledger=True)
    return placed
