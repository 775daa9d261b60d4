"""Demo data: two years of 社情民意 at the county, some reported up to the city and the province,
adopted and instructed there; public 有事好商量 topics in every state.

Everything goes through the services. Members without a login have their reports entered by the
information office (代为录入), which is how paper reports reach the platform in practice.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone

from xieshang.activities import services as activity_services
from xieshang.activities.models import Activity
from xieshang.core import clock
from xieshang.core import services as core_services
from xieshang.core.models import Committee, Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.devdata.demo import DemoContext, Login
from xieshang.members.models import Member
from xieshang.opinions import services, workflow
from xieshang.opinions.conversion import proposal_to_report, report_id
from xieshang.opinions.models import Category, OpinionReport, Topic
from xieshang.proposals.models import ConversionTarget, Proposal
from xieshang.proposals.models import Status as ProposalStatus

SUBJECTS = [
    ("关于加快老旧小区加装电梯的建议", Category.SOCIETY,
     "老旧小区加装电梯进展缓慢",
     "资金分摊机制不明确",
     "出台财政补贴和费用分摊指导办法"),
    ("关于改善农村饮水安全的建议", Category.AGRICULTURE,
     "部分山区村组季节性缺水",
     "管网老化、水源单一",
     "实施农村供水管网改造和水源互联互通"),
    ("关于规范校外培训机构管理的建议", Category.EDUCATION,
     "部分校外培训机构变相违规办学",
     "监管力量不足",
     "建立教育、市场监管联合执法机制"),
    ("关于加强县域医共体建设的建议", Category.HEALTH,
     "乡镇卫生院人才流失严重",
     "待遇和职称晋升通道不畅",
     "推行县管乡用和职称评审倾斜政策"),
    ("关于推进河道生态治理的建议", Category.ENVIRONMENT,
     "清河支流部分河段淤积、水质下降",
     "治理责任分散",
     "落实河长制并建立上下游生态补偿"),
    ("关于优化营商环境助力民营企业发展的建议", Category.ECONOMY,
     "企业办事仍需多头跑",
     "部门数据未共享",
     "推进一网通办和涉企数据共享"),
    ("关于加强农村留守老人关爱服务的建议", Category.SOCIETY,
     "农村留守老人照护缺位",
     "养老服务设施不足",
     "发展村级互助养老服务点"),
    ("关于规范电动自行车停放充电的建议", Category.LAW,
     "楼道违规充电火灾隐患突出",
     "集中充电设施不足",
     "加快建设小区集中充电设施"),
    ("关于发展特色农产品电商的建议", Category.AGRICULTURE,
     "特色农产品销路窄、品牌弱",
     "缺少冷链和运营人才",
     "建设县级电商服务中心和冷链物流"),
    ("关于保护传统村落的建议", Category.EDUCATION,
     "部分传统村落古建筑损毁",
     "保护资金和机制缺乏",
     "建立传统村落保护名录和专项资金"),
]
TOPICS = [
    ("幸福路小区门口路灯长期不亮", "城关镇幸福路", "晚上出行不便，老人孩子容易摔倒。"),
    ("农贸市场周边占道经营", "城关镇农贸市场", "早高峰道路拥堵，希望规范摊点。"),
    ("村里垃圾清运不及时", "清溪乡石桥村", "夏季垃圾堆放时间长，气味大。"),
    ("学校门口接送车辆拥堵", "实验小学", "放学时段车辆乱停，存在安全隐患。"),
    ("小区充电桩不足", "锦绣花园小区", "电动车只能在楼道充电，担心安全。"),
    ("公园健身器材损坏", "滨河公园", "多处健身器材损坏无人维修。"),
    ("希望增开城乡公交班次", "白鹤镇", "去县城的公交每天只有两班。"),
    ("老旧小区停车难", "向阳小区", "车位不足，消防通道常被占用。"),
    ("菜市场噪音扰民", "东街菜市场", "凌晨卸货噪音大。"),
    ("河边护栏缺失", "清河东岸", "夜间散步有落水危险。"),
    ("广告推销", "—", "<a href='http://spam.example'>点击领取</a>"),
    ("社区卫生服务站周末不开门", "南关社区", "周末看小病不方便。"),
]


def _when(ctx: DemoContext, year: int) -> dt.datetime:
    last = ctx.today if year == ctx.today.year else dt.date(year, 12, 20)
    start = min(dt.date(year, 1, 5), last)
    day = start + dt.timedelta(days=ctx.rng.randrange(max(1, (last - start).days)))
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + ctx.rng.randrange(8))))
    return min(moment, clock.now())


def _author_actor(ctx: DemoContext, county: Committee, member: Member, clerk: Actor) -> Actor:
    if member.user is not None:
        return actor_for(member.user, county)
    # 代为录入: the office enters a paper report in the member's name.
    return Actor(user=clerk.user, committee=county, roles=frozenset({Role.MEMBER}),
                 member_id=member.pk)


def _act(actor: Actor, report: OpinionReport, action: str, **kw: object) -> OpinionReport:
    report.refresh_from_db()
    return workflow.REPORT.take(actor=actor, obj=report, step=action,
                                data={"version": report.version, **kw})


def _publish(actor: Actor, reports: list[OpinionReport]) -> None:
    for i in range(0, len(reports), 3):
        chunk = reports[i:i + 3]
        kind = "digest" if len(chunk) > 1 else "single"
        bulletin = services.bulletin_create(actor=actor, kind=kind, reports=chunk)
        services.bulletin_publish(actor=actor, bulletin=bulletin)


def _editorial(actor: Actor, reports: list[OpinionReport]) -> list[OpinionReport]:
    for r in reports:
        _act(actor, r, "start_edit")
        _act(actor, r, "sign_off")
    _publish(actor, reports)
    return [OpinionReport.objects.get(pk=r.pk) for r in reports]


def build(ctx: DemoContext) -> None:
    county, city, province = ctx.county, ctx.city, ctx.province
    if county is None or city is None or province is None:
        return
    rng = ctx.rng
    editor_user = ctx.users.get("xinxike")
    if editor_user is None:
        return
    editor = actor_for(editor_user, county)
    leader = ctx.users.get("zhuxi")
    services.recipient_create(actor=editor, name="县委办公室")
    services.recipient_create(actor=editor, name="县政府办公室")
    if leader is not None:
        services.recipient_create(actor=editor, name="县政协主席", user=leader)

    # An invited correspondent: a login with no core role, allowed through Correspondent.
    system = Actor.for_system(county)
    corr_user = core_services.user_create(actor=system, username="xinxiyuan", password=None,
                                          display_name="周晓岚")
    corr_user.password = str(ctx.extra.get("password_hash", corr_user.password))
    corr_user.save(update_fields=["password"])
    ctx.users["xinxiyuan"] = corr_user
    services.correspondent_create(actor=editor, user=corr_user, name="周晓岚",
                                  organisation="县融媒体中心")
    ctx.logins.append(Login(role="特邀信息员", username="xinxiyuan",
                            password=str(ctx.extra.get("password", "")),
                            committee=county.short_name or county.name,
                            note="周晓岚，县融媒体中心；可报送社情民意"))

    members = list(ctx.members.get(county.code, []))
    favourites = [m for m in members if m.user is not None]
    city_ed, prov_ed = Actor.for_system(city), Actor.for_system(province)
    created: list[tuple[OpinionReport, dt.datetime]] = []
    for year in (ctx.today.year - 1, ctx.today.year):
        batch: list[OpinionReport] = []
        for i in range(36):
            member = (favourites[i % len(favourites)] if favourites and i % 6 == 0
                      else rng.choice(members))
            title, category, situation, analysis, suggestion = rng.choice(SUBJECTS)
            author = (actor_for(corr_user, county) if i % 17 == 5 else
                      _author_actor(ctx, county, member, editor))
            if author.user is corr_user:
                author = Actor(user=corr_user, committee=county)
            report = services.report_submit(
                actor=author, title=title, category=category,
                situation=f"{situation}，群众反映较多。", analysis=f"主要原因是{analysis}。",
                suggestion=f"建议{suggestion}。")
            created.append((report, _when(ctx, year)))
            batch.append(report)
        fates = rng.choices(["submitted", "editing", "not_used", "publish"], [2, 2, 3, 29],
                            k=len(batch))
        to_publish = []
        for report, fate in zip(batch, fates, strict=True):
            if fate == "editing":
                _act(editor, report, "start_edit")
                report.refresh_from_db()
                services.report_edit(
                    actor=editor, report=report, expected_version=report.version,
                    title=report.title, category=report.category, situation=report.situation,
                    analysis=report.analysis, suggestion=report.suggestion + "并加强督查落实。",
                    note="核稿")
            elif fate == "not_used":
                _act(editor, report, "decline", reason="与已编发信息内容重复")
            elif fate == "publish":
                to_publish.append(report)
        published = _editorial(editor, to_publish)
        up = []
        for report in published:
            if leader is not None and rng.random() < 0.5:
                _act(editor, report, "send_leaders")
            if rng.random() < 0.35:
                _act(editor, report, "report_up", note="请市政协关注")
                up.append(report)
        city_copies = list(OpinionReport.objects.filter(committee=city, origin__in=up))
        adopted_city = _editorial(city_ed, city_copies[: max(0, len(city_copies) - 1)])
        for report in adopted_city:
            if rng.random() < 0.4:
                services.outcome_record(actor=city_ed, report=report, kind="instruction",
                                        person="陈市长", person_level="市级",
                                        text="请市相关部门研究办理。")
            if rng.random() < 0.5:
                _act(city_ed, report, "report_up")
        prov_copies = list(OpinionReport.objects.filter(
            committee=province, origin__in=adopted_city))
        for report in _editorial(prov_ed, prov_copies):
            instruction = services.outcome_record(
                actor=prov_ed, report=report, kind="instruction", person="林副省长",
                person_level="副省级", text="请省有关部门认真研究，提出措施。")
            services.outcome_record(actor=prov_ed, report=report, kind="handled",
                                    department="省发展改革委", reply="已纳入明年工作要点。",
                                    instruction=instruction)
            if rng.random() < 0.5:
                services.outcome_record(actor=prov_ed, report=report, kind="media",
                                        publication="《人民政协报》")
    # Spread the dates over the two years (the services stamp "now"). Every stamp of a
    # report's lineage moves by the same amount: moving only submitted_at left reported_up_at,
    # signed_off_at and published_at at build time, outside the report's year, so the figures
    # of any past period counted nothing reported up.
    stamps = ("submitted_at", "signed_off_at", "published_at", "sent_to_leaders_at",
              "reported_up_at")
    for report, when in created:
        report.refresh_from_db(fields=["submitted_at"])
        shift = when - report.submitted_at
        OpinionReport.objects.filter(Q(pk=report.pk) | Q(root=report)).update(
            **{name: F(name) + shift for name in stamps})

    _converted_proposals(ctx, county, editor)
    _topics(ctx, county)
    ctx.log(f"  {len(created)} county reports, "
            f"{OpinionReport.objects.filter(committee=city).count()} at the city, "
            f"{OpinionReport.objects.filter(committee=province).count()} at the province")


def _converted_proposals(ctx: DemoContext, county: Committee, editor: Actor) -> None:
    """The demo's proposals converted to 社情民意 were written in bulk: give each the report the
    conversion creates (the same handler as the "convert" step), dated on its conversion; those
    of earlier years were looked at by the editors and not used."""
    office_user = ctx.users.get("tiweiban")
    if office_user is None:
        return
    office = actor_for(office_user, county)
    converted = Proposal.objects.filter(committee=county, status=ProposalStatus.CONVERTED,
                                        conversion_target=ConversionTarget.PUBLIC_OPINION,
                                        conversion_ref="").order_by("id")
    for proposal in converted:
        ref = proposal_to_report(office, proposal)
        event = proposal.events.filter(action="convert").order_by("-at").first()
        when = event.at if event is not None else proposal.submitted_at
        Proposal.objects.filter(pk=proposal.pk).update(conversion_ref=ref)
        report_pk = report_id(ref)
        assert report_pk is not None
        OpinionReport.objects.filter(pk=report_pk).update(submitted_at=when)
        if when is not None and when.year < ctx.today.year:
            report = OpinionReport.objects.get(pk=report_pk)
            workflow.REPORT.take(actor=editor, obj=report, step="decline", data={
                "version": report.version, "reason": "所反映问题已由相关部门研究处理，不再编发。"})


def _topics(ctx: DemoContext, county: Committee) -> None:
    screener_user = ctx.users.get("bangongshi")
    if screener_user is None:
        return
    staff = actor_for(screener_user, county)
    topics = [services.topic_raise(committee=county, title=t, place=p, description=d,
                                   name=ctx.rng.choice(["张", "王", "李", "赵"]) + "女士",
                                   phone=f"1390000{i:04d}", ip=f"192.0.2.{i + 1}")
              for i, (t, p, d) in enumerate(TOPICS)]
    plan = ["new", "new", "accepted", "consulting", "consulting", "concluded", "concluded",
            "concluded", "merged", "declined", "declined", "accepted"]
    for topic, fate in zip(topics, plan, strict=True):
        if fate == "new":
            continue
        if fate == "declined":
            workflow.TOPIC.take(actor=staff, obj=topic, step="decline", data={
                "version": 1, "note": "不属于协商议事范围，已转相关部门处理。"})
            continue
        if fate == "merged":
            workflow.TOPIC.take(actor=staff, obj=topic, step="merge",
                                data={"version": 1, "into": topics[7].pk})
            continue
        topic = workflow.TOPIC.take(actor=staff, obj=topic, step="accept", data={"version": 1})
        if fate in ("consulting", "concluded"):
            # The grassroots consultation is an activity: next week for a topic under
            # consultation; for a concluded one, held earlier today (nothing "done" after now).
            now = clock.now()
            start = (now - dt.timedelta(hours=3) if fate == "concluded" else
                     clock.at(ctx.today + dt.timedelta(days=7), 9, 30))
            topic = workflow.TOPIC.take(actor=staff, obj=topic, step="start_consultation", data={
                "version": topic.version, "start": start.isoformat(),
                "place": f"{topic.place}“有事好商量”议事室",
                "note": "在社区“有事好商量”议事室召开协商会"})
            if fate == "concluded" and topic.consultation_id is not None:
                activity_services.activity_set_status(
                    actor=staff, activity=Activity.objects.get(pk=topic.consultation_id),
                    status=Activity.Status.HELD)
        if fate == "concluded":
            workflow.TOPIC.take(actor=staff, obj=topic, step="publish_result", data={
                "version": topic.version, "note": "经协商，相关部门已完成整改，群众表示满意。"})
    assert Topic.objects.filter(committee=county).count() == len(TOPICS)
