"""Demo data of the participation channels: consultation rooms (one closed and summarised into
the ledger, one open now), surveys (members' and public, with answers) and two members'
studios with their activities and problems.

Every date is counted back from today (not from the story's year), so that nothing done is
dated ahead of today whatever day the demo is built on. The answers of members without a login
and the back-dated posts are written in bulk, as the other builders do for their past records.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from xieshang.activities.models import Activity
from xieshang.core import clock
from xieshang.core.models import Committee, Role, RoleAssignment
from xieshang.core.permissions import Actor
from xieshang.devdata.demo import DemoContext
from xieshang.members.models import HandlingUnit, Member
from xieshang.opinions.models import OpinionReport
from xieshang.participation import services
from xieshang.participation.models import Answer, Post, Question, Response, Room, Survey
from xieshang.proposals.models import Proposal


def build(ctx: DemoContext) -> None:
    committee = ctx.county
    if committee is None:
        return
    with transaction.atomic():
        _build(ctx, committee)


def _member_of(ctx: DemoContext, committee: Committee, username: str) -> Member | None:
    user = ctx.users.get(username)
    if user is None:
        return None
    pk = RoleAssignment.objects.filter(user=user, committee=committee, role=Role.MEMBER,
                                       member__isnull=False).values_list("member_id", flat=True)
    return Member.objects.filter(pk__in=pk).first()


def _actor_of(ctx: DemoContext, committee: Committee, member: Member) -> Actor:
    return Actor(user=member.user, committee=committee, roles=frozenset({Role.MEMBER}),
                 member_id=member.pk)


def _build(ctx: DemoContext, committee: Committee) -> None:
    rng = ctx.rng
    system = ctx.system(committee)
    now = clock.now()
    members = list(Member.objects.filter(committee=committee, status=Member.Status.ACTIVE)
                   .order_by("id"))
    if len(members) < 12:
        return
    weiyuan = _member_of(ctx, committee, "weiyuan") or members[0]
    changwei = _member_of(ctx, committee, "changwei") or members[1]
    education = HandlingUnit.objects.filter(committee=committee, name__endswith="县教育局").first()
    units = list(HandlingUnit.objects.filter(committee=committee, is_active=True).order_by("id"))
    pool = [m for m in members if m.pk not in (weiyuan.pk, changwei.pk)]
    rng.shuffle(pool)

    # --- rooms -------------------------------------------------------------------------------
    consultation = (Activity.objects.filter(committee=committee, status=Activity.Status.HELD,
                                            type__code="thematic_consultation",
                                            start__lte=now).order_by("-start").first())
    past = services.room_create(
        actor=system, title="推进城区停车设施建设", activity=consultation,
        topic="围绕老城区停车难，请委员和相关部门在线建言。",
        opens_at=now - dt.timedelta(days=40), closes_at=now + dt.timedelta(days=1),
        members=[weiyuan, changwei, *pool[:15]], units=units[:2], publish=True, is_public=True)
    voices = ["建议利用学校操场错时开放停车。", "老旧小区可挖潜改建立体车位。",
              "建议完善停车收费差异化政策。", "我局正在编制停车设施专项规划，欢迎委员提出意见。",
              "可引导社会资本参与公共停车场建设。"]
    for n, text in enumerate(voices):
        member = [weiyuan, changwei, *pool[:3]][n]
        services.post_add(actor=_actor_of(ctx, committee, member), room=past, text=text)
    ad = services.post_add(actor=_actor_of(ctx, committee, pool[3]), room=past,
                           text="出售二手车位，有意者联系。")
    services.post_hide(actor=system, post=ad, reason="与议题无关的广告")
    for n, post in enumerate(Post.objects.filter(room=past).order_by("id")):
        Post.objects.filter(pk=post.pk).update(
            created_at=now - dt.timedelta(days=35 - 3 * n, hours=rng.randint(0, 8)))
    Room.objects.filter(pk=past.pk).update(closes_at=now - dt.timedelta(days=20))
    past.refresh_from_db()
    if consultation is not None:
        services.room_summarise(
            actor=system, room=past,
            summary="本次网络议政共收到委员和部门发言5条，归纳为以下建议，转有关部门研究办理。",
            suggestions=[("推动机关、学校停车场错时共享。", education),
                         ("加快编制老城区停车设施专项规划。", units[0] if units else None)])
    live = services.room_create(
        actor=system, title="“双减”后课后服务质量提升",
        topic="请委员、教育部门和特邀专家就课后服务内容、师资和收费建言。",
        opens_at=now - dt.timedelta(days=5), closes_at=now + dt.timedelta(days=14),
        members=[weiyuan, changwei, *pool[15:30]], units=[education] if education else [],
        experts=[u for u in (ctx.users.get("zhuanwei"),) if u is not None], publish=True)
    first = services.post_add(actor=_actor_of(ctx, committee, changwei), room=live,
                              text="建议引入非遗、科普等校外资源丰富课后服务内容。")
    services.post_add(actor=_actor_of(ctx, committee, pool[15]), room=live, parent=first,
                      text="赞同，同时要明确校外机构的准入和安全责任。")

    # --- surveys -----------------------------------------------------------------------------
    questions: list[dict[str, Any]] = [
        {"kind": "single", "text": "您对本年度履职服务保障工作是否满意",
         "options": ["满意", "基本满意", "不满意"]},
        {"kind": "multiple", "text": "您希望增加哪些履职培训内容",
         "options": ["政治理论", "提案撰写", "调查研究", "法律法规", "数字化履职"]},
        {"kind": "scale", "text": "请为移动履职平台的易用性打分", "scale_max": 5},
        {"kind": "text", "text": "对机关服务委员工作的其他建议", "required": False},
    ]
    duty = services.survey_create(
        actor=system, title="委员履职服务保障满意度调查", questions=questions,
        intro="本问卷计入委员履职档案，请于截止日前填写。", counts_for_duty=True,
        opens_at=now - dt.timedelta(days=12), closes_at=now + dt.timedelta(days=18),
        publish=True)
    _answers(duty, pool[:60], rng)
    public = services.survey_create(
        actor=system, title="城区公共停车设施群众意见征集", audience="public",
        questions=[
            {"kind": "single", "text": "您平时在城区停车是否方便",
             "options": ["方便", "一般", "困难"]},
            {"kind": "multiple", "text": "您最常遇到的停车问题",
             "options": ["车位少", "收费高", "找车位难", "违停多"]},
            {"kind": "scale", "text": "您对现有停车管理的满意度", "scale_max": 5},
            {"kind": "text", "text": "您的建议", "required": False}],
        intro="县政协就城区停车问题开展专题协商，欢迎群众参与。",
        opens_at=now - dt.timedelta(days=30), closes_at=now + dt.timedelta(days=10),
        publish=True)
    _answers(public, [None] * 45, rng)
    # The office's next survey, still a draft: the staff see it with its 发布 button, the
    # members do not see it yet.
    services.survey_create(
        actor=system, title="委员读书活动意向调查",
        questions=[{"kind": "multiple", "text": "您希望读书活动围绕哪些主题",
                    "options": ["党史国史", "地方文化", "经济发展", "社会治理"]},
                   {"kind": "text", "text": "推荐书目", "required": False}],
        intro="请委员填写读书活动意向，办公室据此制定年度读书计划。",
        opens_at=now, closes_at=now + dt.timedelta(days=20))

    # --- studios -----------------------------------------------------------------------------
    specs = [("城关镇委员工作室", "城关镇便民服务中心二楼", "老旧小区改造、养老服务", weiyuan,
              pool[30:35]),
             ("清河镇“有事好商量”委员工作室", "清河镇党群服务中心", "乡村振兴、农村教育",
              changwei, pool[35:40])]
    opinion = OpinionReport.objects.filter(committee=committee).order_by("-id").first()
    proposal = (Proposal.objects.filter(committee=committee).exclude(status="draft")
                .order_by("-id").first())
    for name, place, themes, lead, others in specs:
        studio = services.studio_create(actor=system, name=name, place=place, themes=themes,
                                        lead=lead, members=others)
        team = [lead, *others]
        events = []
        for k in range(6):
            kind = "reception" if k % 2 == 0 else "visit"
            events.append(services.studio_event_record(
                actor=system, studio=studio, kind=kind,
                date=clock.today() - dt.timedelta(days=9 * k + 2),
                title="委员接待日" if kind == "reception" else "走访困难群众",
                residents=rng.randint(5, 30) if kind == "reception" else rng.randint(2, 8),
                members=rng.sample(team, 3)))
        texts = ["小区电梯老化，存在安全隐患。", "村小学缺少音乐、美术教师。",
                 "农贸市场周边道路拥堵。", "独居老人助餐服务覆盖不够。"]
        for n, text in enumerate(texts):
            problem = services.problem_record(
                actor=system, studio=studio, text=text, raised_by=["王大爷", "李女士",
                                                                   "张师傅", "社区网格员"][n],
                received_on=events[n].date, event=events[n])
            if n == 0 and education is not None:
                routed = services.problem_route(actor=system, problem=problem, route="unit",
                                                unit=units[0] if units else education)
                services.problem_answer(actor=system, problem=routed,
                                        answer="已纳入年度老旧小区改造计划，明年一季度完成更换。")
            elif n == 1 and education is not None:
                services.problem_route(actor=system, problem=problem, route="unit",
                                       unit=education)
            elif n == 2 and proposal is not None:
                services.problem_route(actor=system, problem=problem, route="proposal",
                                       proposal=proposal)
            elif n == 3 and opinion is not None:
                services.problem_route(actor=system, problem=problem, route="opinion",
                                       opinion=opinion)
        # One problem not yet passed on: the lead turns it into a proposal draft or a report.
        services.problem_record(actor=system, studio=studio,
                                text="公交站台缺少遮雨棚，雨天候车不便。", raised_by="社区居民",
                                received_on=events[0].date)
    ctx.log("participation: 2 consultation rooms, 2 surveys (and one draft), "
            "2 members' studios")


def _answers(survey: Survey, people: Sequence[Member | None], rng: random.Random) -> None:
    """Answers written in bulk: most demo members have no login to answer with."""
    qs = list(Question.objects.filter(survey=survey).order_by("order"))
    now = clock.now()
    span = max(1, int((now - survey.opens_at).total_seconds()))
    rows, answers = [], []
    for n, member in enumerate(people):
        rows.append(Response(committee_id=survey.committee_id, survey=survey,
                             member=member, user=member.user if member else None,
                             device="" if member and member.user else f"demo-device-{n:04d}",
                             submitted_at=survey.opens_at + dt.timedelta(
                                 seconds=rng.randint(0, span - 1))))
    Response.objects.bulk_create(rows)
    for r in Response.objects.filter(survey=survey):
        for q in qs:
            if q.kind == Question.Kind.SINGLE:
                answers.append(Answer(committee_id=survey.committee_id, response=r, question=q,
                                      choices=[rng.choices(range(3), weights=[6, 3, 1])[0]]))
            elif q.kind == Question.Kind.MULTIPLE:
                answers.append(Answer(committee_id=survey.committee_id, response=r, question=q,
                                      choices=sorted(rng.sample(range(len(q.options)), 2))))
            elif q.kind == Question.Kind.SCALE:
                answers.append(Answer(committee_id=survey.committee_id, response=r, question=q,
                                      value=rng.choices([1, 2, 3, 4, 5], [1, 1, 3, 5, 4])[0]))
            elif rng.random() < 0.3:
                answers.append(Answer(committee_id=survey.committee_id, response=r, question=q,
                                      text=rng.choice(["希望多组织基层调研。", "建议简化操作流程。",
                                                       "增加线上学习资料。"])))
    Answer.objects.bulk_create(answers)
