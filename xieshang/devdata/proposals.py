"""Demo proposals: the county's last two sessions (~300 a year) in every state.

A few proposals of the demo logins go through the real services (so the rules and the audit
log apply to what a visitor clicks first); the bulk is written with ``bulk_create`` along the
same paths as the workflow table (one event per step, version = number of events), which keeps
``xieshang demo`` within a few seconds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xieshang.core import clock
from xieshang.core.calendar import WorkCalendar
from xieshang.core.permissions import actor_for
from xieshang.devdata.demo import DemoContext
from xieshang.members.models import HandlingUnit
from xieshang.proposals import services
from xieshang.proposals.models import (
    Assignment,
    Feedback,
    Proposal,
    ProposalEvent,
    Reply,
    Status,
)

S = Status
TOPICS: dict[str, list[str]] = {
    "经济建设": ["优化县域营商环境", "支持民营企业融资", "发展县域电子商务", "推动工业园区提质增效",
             "培育特色商贸街区", "加快物流体系建设", "促进文旅融合发展", "盘活闲置国有资产"],
    "科教文卫": ["加强农村饮水安全保障", "推进县域医共体建设", "缓解城区学校大班额问题",
             "加强乡村教师队伍建设", "完善基层公共卫生服务", "保护和利用传统村落",
             "提升全民健身设施覆盖率", "加强青少年心理健康教育"],
    "社会法制": ["完善养老服务体系", "规范电动自行车管理", "加强社区矫正工作",
             "推进矛盾纠纷多元化解",
             "提高残疾人就业保障水平", "加强食品安全监管", "治理网络电信诈骗"],
    "农业农村": ["发展特色农产品加工", "加强高标准农田建设", "培育新型农业经营主体",
             "完善农村集体经济发展机制", "推进农村人居环境整治", "加强农业社会化服务"],
    "城乡建设": ["改造城区老旧小区", "解决城区停车难问题", "完善城乡公交网络", "加强农村公路养护",
             "推进城区雨污分流改造", "加快智慧城市建设"],
    "生态环境": ["加强河湖长制落实", "推进垃圾分类工作", "加强县域大气污染防治",
             "推进矿山生态修复", "保护县域饮用水源地"],
    "政党建设/统一战线": ["加强新的社会阶层人士统战工作", "发挥民主党派基层组织作用",
                    "加强民族团结进步创建", "推进宗教事务依法管理"],
}
VERBS = ("关于", "关于进一步", "关于切实")
BODY = ("一、基本情况\n{topic}是群众关心的民生实事。近年来我县做了大量工作，取得一定成效。\n"
        "二、存在问题\n一是投入不足；二是机制不健全；三是基层力量薄弱。\n"
        "三、建议\n1. 加大财政投入，统筹整合资金；\n2. 健全工作机制，明确部门职责；\n"
        "3. 加强督促检查，确保各项措施落实到位。")
REPLY = ("收到您的提案后，我单位高度重视，主要负责同志召集有关科室认真研究，并与您当面沟通。"
         "现将办理情况答复如下：一是已将相关工作纳入年度计划；二是积极争取上级资金支持；"
         "三是建立长效机制，定期通报进展。感谢您对我县工作的关心和支持。")

# The steps (action, status reached) along which a proposal reaches each status.
BASE = [("submit", S.SUBMITTED), ("start_review", S.UNDER_REVIEW)]
FILED = [*BASE, ("pass_round", S.UNDER_REVIEW), ("file", S.FILED)]
ASSIGNED = [*FILED, ("assign", S.ASSIGNED)]
HANDLING = [*ASSIGNED, ("sign", S.HANDLING)]
REVIEW = [*HANDLING, ("record_contact", S.HANDLING), ("draft_reply", S.HANDLING),
          ("approve", S.REPLY_REVIEW)]
REPLIED = [*REVIEW, ("release", S.REPLIED)]
STEPS: dict[str, Any] = {
    S.DRAFT: [], S.SUBMITTED: BASE[:1], S.UNDER_REVIEW: BASE,
    S.RETURNED: [*BASE, ("return", S.RETURNED)], S.NOT_FILED: [*BASE, ("not_file", S.NOT_FILED)],
    S.CONVERTED: [*BASE, ("convert", S.CONVERTED)], S.MERGED: [*BASE, ("merge", S.MERGED)],
    S.FILED: FILED, S.ASSIGNED: ASSIGNED,
    S.RETURN_REQUESTED: [*ASSIGNED, ("request_return", S.RETURN_REQUESTED)],
    S.HANDLING: HANDLING, S.REPLY_REVIEW: REVIEW, S.REPLIED: REPLIED,
    S.REHANDLING: [*REPLIED, ("rate", S.REHANDLING)],
    S.CLOSED: [*REPLIED, ("rate", S.CLOSED)],
}
OLD_MIX = [(S.CLOSED, 230), (S.NOT_FILED, 18), (S.CONVERTED, 8), (S.MERGED, 12),
           (S.REPLIED, 4), (S.REHANDLING, 4), (S.WITHDRAWN, 2)]
CURRENT_MIX = [(S.CLOSED, 120), (S.REPLIED, 30), (S.REPLY_REVIEW, 12), (S.HANDLING, 50),
               (S.REHANDLING, 8), (S.ASSIGNED, 14), (S.RETURN_REQUESTED, 3), (S.FILED, 8),
               (S.UNDER_REVIEW, 10), (S.SUBMITTED, 10), (S.RETURNED, 3), (S.NOT_FILED, 12),
               (S.CONVERTED, 6), (S.MERGED, 10), (S.DRAFT, 4)]
STEPS[S.WITHDRAWN] = [("submit", S.SUBMITTED), ("withdraw", S.WITHDRAWN)]


def _lead_unit(rng: Any, topic: str, units: list[HandlingUnit]) -> HandlingUnit:
    """The unit a proposals office would assign: the one whose routing keywords best cover
    the topic (缓解城区学校大班额问题 → 县教育局, 完善养老服务体系 → 县民政局), a random one
    of the best on a tie; a government department when no keyword fits. The demo's assignment
    history then teaches the routing suggestions what a real office does."""
    def fit(unit: HandlingUnit) -> int:
        return sum(len(k) for k in (unit.keywords or "").split() if k in topic)

    scores = {u.pk: fit(u) for u in units}
    best = max(scores.values(), default=0)
    if best == 0:
        government = [u for u in units if u.kind == HandlingUnit.Kind.GOVERNMENT]
        chosen: HandlingUnit = rng.choice(government or units)
        return chosen
    chosen = rng.choice([u for u in units if scores[u.pk] == best])
    return chosen


def build(ctx: DemoContext) -> None:
    county = ctx.county
    if county is None or not ctx.sessions.get(county.code):
        return
    code = county.code
    sessions = [s for s in ctx.sessions[code] if s.start_date <= ctx.today][-2:]
    members = ctx.members[code]
    units = ctx.units[code]
    categories = services.categories_ensure(county)
    leader = ctx.users.get("zhuxi")
    staff = ctx.users.get("tiweiban")
    login_members = ctx.extra.get("login_members", {}).get(code, {})
    weiyuan = login_members.get("weiyuan")
    rng = ctx.rng
    cal = WorkCalendar(county)
    reply_months = 3

    # Nothing the story tells as done may lie ahead of today (the clock may stand early in a year).
    latest = clock.now() - dt.timedelta(days=15)
    proposals: list[Proposal] = []
    plans: list[tuple[Proposal, str, dt.datetime]] = []
    topic_of: dict[int, str] = {}
    for index, session in enumerate(sessions):
        mix = CURRENT_MIX if index == len(sessions) - 1 else OLD_MIX
        serial = 0
        start = dt.datetime.combine(session.start_date, dt.time(9),
                                    tzinfo=timezone.get_current_timezone())
        session_days = max(0, ((session.end_date or session.start_date)
                               - session.start_date).days - 1)
        for status, count in mix:
            for _n in range(count):
                cat = rng.choice(categories)
                topic = rng.choice(TOPICS.get(cat.name) or TOPICS["经济建设"])
                member = weiyuan if weiyuan is not None and rng.random() < 0.03 else \
                    rng.choice(members)
                plenary = rng.random() < 0.7
                recess = start + dt.timedelta(days=rng.randint(30, 200))
                if recess > latest:  # early in the year: the recess has not come yet
                    plenary = True
                # Plenary proposals are handed in during the session's days (January), so a
                # year's proposals are filed and assigned in that year too.
                during = start + dt.timedelta(days=rng.randint(0, session_days),
                                              hours=rng.randint(0, 8))
                submitted = min(during, clock.now() - dt.timedelta(hours=1)) if plenary \
                    else recess
                if index == len(sessions) - 1 and status in (S.SUBMITTED, S.UNDER_REVIEW,
                                                             S.RETURNED, S.DRAFT):
                    submitted = clock.now() - dt.timedelta(days=rng.randint(1, 20))
                filed = any(a == "file" for a, _s in STEPS[status])
                if filed:
                    serial += 1
                p = Proposal(
                    committee=county, session=session if status != S.DRAFT else None,
                    session_start=session.start_date if status != S.DRAFT else None,
                    serial_number=serial if filed else None,
                    timing=(Proposal.Timing.PLENARY if plenary else Proposal.Timing.RECESS)
                    if status != S.DRAFT else "",
                    kind=Proposal.Kind.INDIVIDUAL, proposer=member, created_by=member.user,
                    title=f"{rng.choice(VERBS)}{topic}的建议", category=cat,
                    body=BODY.format(topic=topic), status=status,
                    version=len(STEPS[status]), review_round=2 if filed else 1,
                    consent_disclosure=rng.random() > 0.1,
                    nondisclosure_reason="",
                    created_at=submitted, submitted_at=submitted if status != S.DRAFT else None,
                    filed_at=min(submitted + dt.timedelta(days=10), clock.now())
                    if filed else None,
                    handling_round=2 if status == S.REHANDLING else 1,
                    is_rehandled=status == S.REHANDLING or (status == S.CLOSED
                                                           and rng.random() < 0.04),
                    is_key=filed and rng.random() < 0.025, key_leader=None,
                    not_filed_reason=rng.choice(["personal", "empty", "litigation", "academic"])
                    if status == S.NOT_FILED else "",
                    review_message="经审查，不符合立案条件，已转有关部门参考。"
                    if status in (S.NOT_FILED, S.CONVERTED) else (
                        "请补充具体可行的建议。" if status == S.RETURNED else ""),
                    conversion_target="public_opinion" if status == S.CONVERTED else "",
                )
                if not p.consent_disclosure:
                    p.nondisclosure_reason = "涉及个人隐私"
                if p.is_key:
                    p.key_leader = leader
                proposals.append(p)
                topic_of[id(p)] = topic
                plans.append((p, status, submitted))
    Proposal.objects.bulk_create(proposals, batch_size=500)

    # Merged proposals point at a filed proposal of the same session and category.
    by_session: dict[int, list[Proposal]] = {}
    for p in proposals:
        if p.serial_number and p.session_id:
            by_session.setdefault(p.session_id, []).append(p)
    merged = [p for p in proposals if p.status == S.MERGED]
    for p in merged:
        pool = by_session.get(p.session_id or 0) or []
        if pool:
            lead = rng.choice(pool)
            p.merged_into = lead
            p.title = lead.title.replace("的建议", "的几点建议")
    Proposal.objects.bulk_update(merged, ["merged_into", "title"], batch_size=500)

    events: list[ProposalEvent] = []
    assignments: list[Assignment] = []
    replies: list[tuple[Assignment, Proposal, dt.datetime]] = []
    feedback: list[Feedback] = []
    today = ctx.today
    for p, target, submitted in plans:
        steps = STEPS[target]
        when = submitted
        previous: str = S.DRAFT
        assigned_at = None
        for action, to in steps:
            when = min(when + dt.timedelta(days=rng.randint(1, 12)), clock.now())
            if action == "assign":
                assigned_at = when
            events.append(ProposalEvent(
                committee=county, proposal=p, at=when, actor=staff if action in (
                    "start_review", "pass_round", "file", "assign", "release", "not_file",
                    "convert", "merge", "return") else None,
                actor_name="提案委" if action not in ("submit",) else p.proposer_name,
                action=action, from_status=previous, to_status=to))
            previous = to
        if assigned_at is None:
            continue
        lead_unit = _lead_unit(rng, topic_of[id(p)], units)
        due = cal.add_months(timezone.localdate(assigned_at), reply_months)
        if target in (S.HANDLING, S.ASSIGNED) and rng.random() < 0.25:
            due_date = today - dt.timedelta(days=rng.randint(3, 40))  # overdue
        else:
            due_date = due.date
        state_of: dict[str, str] = {
            S.ASSIGNED: Assignment.State.ASSIGNED,
            S.RETURN_REQUESTED: Assignment.State.RETURN_REQUESTED,
            S.HANDLING: Assignment.State.SIGNED, S.REHANDLING: Assignment.State.SIGNED,
            S.REPLY_REVIEW: Assignment.State.APPROVED,
        }
        state = state_of.get(target, Assignment.State.DONE)
        a = Assignment(committee=county, proposal=p, unit=lead_unit,
                       role=Assignment.Role.SINGLE, state=state, assigned_at=assigned_at,
                       due_date=due_date, due_warnings=list(due.warnings),
                       signed_at=min(assigned_at + dt.timedelta(days=2), clock.now())
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
            feedback.append(Feedback(committee=county, proposal=p, member_id=p.proposer_id,
                                     round=1, rating=rating, at=when,
                                     comments="答复针对性不强。" if rating == "dissatisfied"
                                     else "", how_heard="meeting", attitude="satisfied",
                                     agrees_with_result=rating != "dissatisfied",
                                     visited=True, on_point=rating != "dissatisfied"))
    ProposalEvent.objects.bulk_create(events, batch_size=1000)
    Assignment.objects.bulk_create(assignments, batch_size=500)
    reply_rows = []
    replied_updates = []
    for a, p, when in replies:
        sent = p.status != S.REPLY_REVIEW
        reply_rows.append(Reply(
            committee=county, proposal=p, assignment=a, round=1,
            result_class=ctx.rng.choices("ABC", [55, 38, 7])[0], body=REPLY,
            contact_person=a.unit.contact_name or "办公室", contact_phone=a.unit.contact_phone,
            state=Reply.State.SENT if sent else Reply.State.APPROVED, drafted_at=when,
            approved_at=when, sent_at=when if sent else None))
        if sent:
            p.replied_at = when
            p.feedback_due = cal.add_working_days(timezone.localdate(when), 15).date
            if p.status == S.REPLIED and timezone.localdate(when) < today - dt.timedelta(30):
                p.replied_at = clock.now() - dt.timedelta(days=rng.randint(1, 10))
                p.feedback_due = today + dt.timedelta(days=10)
            if p.status == S.CLOSED:
                p.closed_at = when
            replied_updates.append(p)
    Reply.objects.bulk_create(reply_rows, batch_size=500)
    Proposal.objects.bulk_update(replied_updates, ["replied_at", "feedback_due", "closed_at"],
                                 batch_size=500)
    Feedback.objects.bulk_create(feedback, batch_size=500)
    _through_services(ctx)
    _excellent(ctx, sessions)
    ctx.log(f"  {len(proposals)} proposals, {len(assignments)} assignments")


def _excellent(ctx: DemoContext, sessions: list[Any]) -> None:
    """优秀提案: last year's selection decided by the standing committee (the office, 县教育局 and
    民盟 nominated, the chair recorded the resolution); this year's nominations still open."""
    county = ctx.county
    users = [ctx.users.get(u) for u in ("tiweiban", "jiaoyuju", "jiti", "zhuxi")]
    if county is None or None in users or not sessions:
        return
    office, unit, group, leader = (actor_for(u, county) for u in users if u is not None)
    answered = Proposal.objects.filter(committee=county, status__in=[S.REPLIED, S.CLOSED],
                                       proposer__isnull=False)
    this_year = ctx.today.year
    last = sessions[0].start_date.year if sessions[0].start_date.year < this_year else None
    for year, count in ((last, 6), (this_year, 3)):
        if year is None:
            continue
        pool = list(answered.filter(session__start_date__year=year).order_by("serial_number"))
        handled = [p for p in pool if p.assignments.filter(unit_id__in=unit.unit_ids).exists()]
        chosen = [p for p in pool if p not in handled][: count]
        noms = [services.excellent_nominate(actor=office, year=year, proposal=p,
                                            reason="建议针对性强，办理成效明显。")
                for p in chosen]
        if handled:
            noms.append(services.excellent_nominate(
                actor=unit, year=year, proposal=handled[0],
                reason="提案建议已纳入本单位年度重点工作，办理成效显著。"))
        # 民盟 puts forward one of its own collective proposals (the ones it may open).
        own = Proposal.objects.filter(
            committee=county, status__in=[S.REPLIED, S.CLOSED], body_proposer_id__in=group.body_ids,
            session__start_date__year=year).exclude(nominations__year=year).order_by("id").first()
        if own is not None and group.body_ids:
            noms.append(services.excellent_nominate(
                actor=group, year=year, proposal=own, as_body=min(group.body_ids),
                reason="反映本党派调研成果，社会反响良好。"))
        if year == last and noms:
            day = min(ctx.date(2025, 12, 18), ctx.today)
            services.excellent_decide_year(
                actor=leader, year=year, selected_ids=[n.pk for n in noms[:-1] or noms],
                resolution_no=f"县政协常委会议决定〔{year}〕12号", resolution_date=day)


def _through_services(ctx: DemoContext) -> None:
    """Two proposals of the demo member made through the services: one waits for the office's
    review, one has been filed and assigned to 县教育局 (waiting for its sign-for)."""
    county = ctx.county
    member, staff = ctx.users.get("weiyuan"), ctx.users.get("tiweiban")
    unit = ctx.extra.get("unit_by_short", {}).get(county.code if county else "", {}).get("县教育局")
    if county is None or member is None or staff is None or unit is None:
        return
    who, office = actor_for(member, county), actor_for(staff, county)
    if who.member_id is None:
        return
    category = services.categories_ensure(county)[2]
    first = services.proposal_save_draft(
        actor=who, title="关于加强农村寄宿制学校学生营养改善的建议", category=category,
        body=BODY.format(topic="农村寄宿制学校学生营养改善"), suggested_unit_ids=[unit.pk])
    first = services.proposal_submit(actor=who, proposal=first, version=first.version)
    second = services.proposal_save_draft(
        actor=who, title="关于缓解城区学校上下学交通拥堵的建议", category=category,
        body=BODY.format(topic="城区学校上下学交通拥堵"), suggested_unit_ids=[unit.pk])
    second = services.proposal_submit(actor=who, proposal=second, version=second.version)
    second = services.proposal_start_review(actor=office, proposal=second, version=second.version)
    second = services.proposal_pass_round(actor=office, proposal=second, version=second.version)
    second = services.proposal_file(actor=office, proposal=second, version=second.version)
    services.proposal_assign(actor=office, proposal=second, version=second.version,
                             kind="single", unit_ids=[unit.pk])
