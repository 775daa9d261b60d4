"""Demo data: four years (2022–2025 in the story, moved to the four years before the current one
by ``DemoContext.year``) of a county's activities in the proportions of the seed work report, plus
the current year so far, with invitations, attendance, leave, speeches, the ledger, the plan
and learning records.

Activities go through ``services.activity_create`` (validation, audit); the many invitation,
suggestion and reading rows are built in bulk from objects this module has just checked
(same committee, known statuses), which keeps ``xieshang demo`` fast.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from xieshang.activities import services
from xieshang.activities.models import (
    Activity,
    ActivityType,
    Invitation,
    ReadingRecord,
    Suggestion,
)
from xieshang.core import clock
from xieshang.core.calendar import WorkCalendar
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.devdata.demo import DemoContext
from xieshang.members.models import ActivityGroup, HandlingUnit, Member, SpecialCommittee
from xieshang.members.services import unit_create

TZ = dt.timezone(dt.timedelta(hours=8))
# The seed report's four years, in the story's years (moved with ``ctx.date``).
REPORT_YEARS = (2022, 2025)

# Held activities over 2022–2025. The starred figures are the seed report's own.
FOUR_YEARS: dict[str, int] = {
    "party_group": 56,              # * 党组会议56次
    "learning": 52,                 # * 学习研讨活动52次
    "training": 25,                 # * 专题培训班25期
    "plenary": 4,                   # 全委会议 once a year
    "standing_meeting": 16,
    "chair_meeting": 40,
    "special_committee_meeting": 24,
    "thematic_consultation": 6,     # * 专题议政性常委会议6次
    "counterpart_consultation": 63,  # * 与27个部门对口协商63次
    "sector_consultation": 8,
    "proposal_consultation": 8,
    "grassroots_consultation": 12,
    "research": 26,                 # * 26个方面专题调研
    "sector_research": 52,          # * 界别调研活动52次
    "inspection": 21,               # * 视察21项
    "democratic_supervision": 6,
    "forum": 38,                    # * 委员座谈会38次
    "seminar": 23,                  # * 专题交流研讨活动23次
    "cultural": 13,                 # * 文化活动13项
    "visit": 8,
    "volunteer": 6,
    "other": 4,
}
COUNTERPART_DEPARTMENTS = 27        # * 27个相关部门
INSPECTION_SUGGESTIONS = 107        # * 视察意见建议107条
DISCUSSION_SUGGESTIONS = 142        # * 座谈研讨意见建议142条
CONSULTATION_SUGGESTIONS = 60       # thematic, counterpart and sector consultations

# The current year up to late November (the story's "today"): a smaller share of each; built
# earlier in a year, ``ctx.so_far`` scales them down.
THIS_YEAR: dict[str, int] = {
    "party_group": 12, "learning": 11, "training": 5, "plenary": 1, "standing_meeting": 4,
    "chair_meeting": 9, "thematic_consultation": 2, "counterpart_consultation": 14,
    "research": 6, "sector_research": 11, "inspection": 5, "democratic_supervision": 2,
    "forum": 8, "seminar": 5, "cultural": 3, "visit": 2, "volunteer": 2,
    "grassroots_consultation": 3,
}

TOPICS = {
    "counterpart_consultation": ["惠企政策落实情况", "蒙医药事业发展", "农村饮水安全",
                                 "城区环境改善", "义务教育均衡发展", "养老服务体系建设",
                                 "营商环境优化"],
    "research": ["农村饮水安全", "基层社会治理", "城市规划建设", "县域经济高质量发展",
                 "乡村振兴产业"],
    "inspection": ["校车安全运营", "人民法院执行工作", "食品药品安全", "公共服务保障",
                   "医疗卫生服务"],
    "forum": ["“十四五”规划编制", "生态环境建设", "乡村振兴战略", "民族政策贯彻落实"],
    "thematic_consultation": ["疫情防控工作", "推动民营经济健康运行", "改善城区环境",
                              "助力县域经济高质量发展", "推进乡村振兴"],
}
PLACES = ["县政协机关三楼会议室", "县政协机关五楼报告厅", "县政府第一会议室", "各乡镇现场",
          "委员之家"]
LEAVE_REASONS = ["外出学习", "因公出差", "身体不适", "单位有紧急工作", "家中有事"]


def _when(rng: Any, year: int, until: dt.date | None = None) -> dt.datetime:
    last = until or dt.date(year, 12, 31)
    span = max(0, (last - dt.date(year, 1, 1)).days)
    for _ in range(20):
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, span))
        if day.weekday() < 5:
            break
    return dt.datetime(day.year, day.month, day.day, rng.choice([9, 9, 10, 14, 15]), 0,
                       tzinfo=TZ)


def _units(ctx: DemoContext, committee: Committee) -> list[HandlingUnit]:
    """At least 27 government departments (topped up if the members demo made fewer)."""
    units = list(HandlingUnit.objects.filter(committee=committee, is_active=True,
                                             kind=HandlingUnit.Kind.GOVERNMENT).order_by("id"))
    extra = ["县发展和改革局", "县教育局", "县科学技术局", "县工业和信息化局", "县民族宗教事务局",
             "县公安局", "县民政局", "县司法局", "县财政局", "县人力资源和社会保障局",
             "县自然资源局", "县生态环境分局", "县住房和城乡建设局", "县交通运输局", "县水利局",
             "县农业农村局", "县商务局", "县文化旅游和广播电视局", "县卫生健康局",
             "县退役军人事务局", "县应急管理局", "县审计局", "县市场监督管理局", "县统计局",
             "县医疗保障局", "县林业和草原局", "县乡村振兴局", "县营商环境建设局", "县城市管理局",
             "县信访局"]
    # One unit each: a department the members demo made already (清河县教育局, short name
    # 县教育局) is not made again under its short name.
    existing: set[str] = set()
    for name, short in HandlingUnit.objects.filter(committee=committee).values_list(
            "name", "short_name"):
        existing |= {name, short, "县" + name.split("县", 1)[-1]}
    system = ctx.system(committee)
    for name in extra:
        if len(units) >= COUNTERPART_DEPARTMENTS + 3:
            break
        if name not in existing:
            units.append(unit_create(actor=system, committee=committee, name=name))
    return units


def build(ctx: DemoContext) -> None:
    committee = ctx.county
    if committee is None:
        return
    with transaction.atomic():
        _build(ctx, committee)


def _build(ctx: DemoContext, committee: Committee) -> None:
    rng = ctx.rng
    system = ctx.system(committee)
    types = services.activity_types_ensure(committee)
    members = list(Member.objects.filter(committee=committee).order_by("id"))
    serving = [m for m in members if m.status == Member.Status.ACTIVE]
    if not serving:
        ctx.log("  (no members: activities skipped)")
        return
    units = _units(ctx, committee)
    counterpart_units = units[:COUNTERPART_DEPARTMENTS]
    special_committees = list(SpecialCommittee.objects.filter(committee=committee,
                                                              dissolved_on__isnull=True))
    groups = list(ActivityGroup.objects.filter(committee=committee))
    standing = [m for m in serving if m.is_standing] or serving[:max(5, len(serving) // 5)]
    calendar = WorkCalendar(committee)
    today = ctx.today

    created: list[Activity] = []

    def make(code: str, start: dt.datetime, status: str = Activity.Status.HELD,
             unit_list: list[HandlingUnit] | None = None, n: int = 0) -> Activity:
        t: ActivityType = types[code]
        topic_pool = TOPICS.get(code) or TOPICS.get(
            {"sector_research": "research", "seminar": "forum"}.get(code, ""), [])
        topic = topic_pool[n % len(topic_pool)] if topic_pool else ""
        fields: dict[str, Any] = {"place": rng.choice(PLACES), "topic": topic}
        if code in ("counterpart_consultation", "special_committee_meeting",
                    "research") and special_committees:
            fields["organiser"] = Activity.Organiser.SPECIAL_COMMITTEE
            fields["special_committee"] = special_committees[n % len(special_committees)]
        elif code == "sector_research" and groups:
            fields["organiser"] = Activity.Organiser.GROUP
            fields["group"] = groups[n % len(groups)]
        if code == "democratic_supervision":
            fields["details"] = {"follow_up_on": (start.date() + dt.timedelta(days=120))
                                 .isoformat(), "letter_no": f"监督建议书〔{start.year}〕{n + 1}号"}
        elif code in ("learning", "training"):
            fields["details"] = {
                "lecturer": rng.choice(["县委党校教师", "市政协专家", "县政协主席"]),
                "hours": 2.0 if code == "learning" else 6.0}
        label = t.label
        title = f"{label}：{topic}" if topic else f"{start.year}年第{n + 1}次{label}"
        activity = services.activity_create(
            actor=system, committee=committee, type=t, title=title[:200], start=start,
            end=start + dt.timedelta(hours=3 if code != "training" else 8), status=status,
            units=unit_list or (), **fields)
        created.append(activity)
        return activity

    def units_for(code: str, n: int) -> list[HandlingUnit] | None:
        if code == "counterpart_consultation":
            # the first 27 consultations meet each department once; later ones meet again
            first = counterpart_units[n % COUNTERPART_DEPARTMENTS]
            if n % 3 == 0:
                return [first, counterpart_units[(n + 5) % COUNTERPART_DEPARTMENTS]]
            return [first]
        if code == "democratic_supervision":
            return rng.sample(units, 3)
        return None

    first_year = ctx.year(REPORT_YEARS[0])
    by_year: dict[int, list[tuple[str, int]]] = {}
    for code, total in FOUR_YEARS.items():
        for n in range(total):
            by_year.setdefault(first_year + n % 4, []).append((code, n))
    for year in range(first_year, first_year + 4):
        for code, n in by_year[year]:
            make(code, _when(rng, year), unit_list=units_for(code, n), n=n)
    yesterday = today - dt.timedelta(days=1)
    this_year = {code: ctx.so_far(total) for code, total in THIS_YEAR.items()}
    for code, total in this_year.items():
        for n in range(total):
            make(code, _when(rng, today.year, yesterday), unit_list=units_for(code, n), n=n)
    # Coming up: invitations members still have to answer, and one to sign in at by QR.
    soon = dt.datetime.combine(today + dt.timedelta(days=7), dt.time(9), tzinfo=TZ)
    upcoming = [
        make("thematic_consultation", soon, Activity.Status.PLANNED, n=7),
        make("counterpart_consultation", soon + dt.timedelta(days=2), Activity.Status.PLANNED,
             unit_list=counterpart_units[:2], n=3),
        make("training", soon + dt.timedelta(days=5), Activity.Status.PLANNED, n=2),
    ]

    held = [a for a in created if a.status == Activity.Status.HELD]
    _invitations(ctx, committee, held, upcoming, serving, standing, types)
    _ledger(ctx, committee, created, counterpart_units, calendar,
            report_end=ctx.date(REPORT_YEARS[1], 12, 31))
    _learning(ctx, committee, members)
    _plans(ctx, committee, created, types, special_committees, counterpart_units)

    ctx.extra["activities_expected"] = {
        "start": ctx.date(REPORT_YEARS[0], 1, 1), "end": ctx.date(REPORT_YEARS[1], 12, 31),
        "by_type": dict(FOUR_YEARS), "this_year": this_year,
        "counterpart_departments": COUNTERPART_DEPARTMENTS,
        "suggestions": {"inspection": INSPECTION_SUGGESTIONS,
                        "forum+seminar": DISCUSSION_SUGGESTIONS},
        "learning_coverage_percent": 100,
    }
    ctx.log(f"  {len(created)} activities, "
            f"{Invitation.objects.filter(committee=committee).count()} invitations, "
            f"{Suggestion.objects.filter(committee=committee).count()} ledger items")


def _invitations(ctx: DemoContext, committee: Committee, held: list[Activity],
                 upcoming: list[Activity], serving: list[Member], standing: list[Member],
                 types: dict[str, ActivityType]) -> None:
    rng = ctx.rng
    rows: list[Invitation] = []
    everyone_codes = {"plenary", "training"}
    standing_codes = {"standing_meeting", "thematic_consultation"}
    for activity in held:
        code = activity.type.code
        if code in ("party_group", "chair_meeting"):
            continue  # party group and chair meetings: leaders only, not members' duty
        if code in everyone_codes:
            invited = serving
        elif code in standing_codes:
            invited = standing
        else:
            invited = rng.sample(serving, min(len(serving), rng.randint(6, 18)))
        start = activity.start
        for m in invited:
            roll = rng.random()
            inv = Invitation(committee=committee, activity=activity, member=m,
                             invited_at=start - dt.timedelta(days=10),
                             replied_at=start - dt.timedelta(days=rng.randint(2, 8)))
            if roll < 0.06:
                inv.status = Invitation.Status.LEAVE_APPROVED
                inv.leave_reason = rng.choice(LEAVE_REASONS)
            elif roll < 0.09:
                inv.status = Invitation.Status.CONFIRMED
                inv.attendance = Invitation.Attendance.ABSENT
                inv.attendance_source = Invitation.Source.STAFF
            else:
                inv.status = Invitation.Status.CONFIRMED
                late = roll > 0.96
                inv.attendance = (Invitation.Attendance.LATE if late
                                  else Invitation.Attendance.ATTENDED)
                inv.attendance_source = rng.choice([Invitation.Source.QR, Invitation.Source.QR,
                                                    Invitation.Source.STAFF,
                                                    Invitation.Source.IMPORT])
                inv.signed_in_at = start + dt.timedelta(minutes=25 if late else -10)
            rows.append(inv)
    Invitation.objects.bulk_create(rows, batch_size=1000)
    # Upcoming: every member with a login is invited (through the service, with notices).
    system = ctx.system(committee)
    with_login = [m for m in serving if m.user_id]
    for activity in upcoming:
        services.invitations_send(actor=system, activity=activity,
                                  members=with_login + rng.sample(serving, min(10, len(serving))),
                                  notify_members=activity is upcoming[0])
    if with_login:
        pending = Invitation.objects.filter(activity=upcoming[1],
                                            member=with_login[-1]).first()
        if pending is not None and len(with_login) > 1:
            services.invitation_reply(actor=_member_actor(committee, with_login[-1]),
                                      invitation=pending, action="request_leave",
                                      reason="外出学习，无法参加")


def _member_actor(committee: Committee, member: Member) -> Actor:
    return Actor(user=member.user, committee=committee, roles=frozenset({"member"}),
                 member_id=member.pk)


def _ledger(ctx: DemoContext, committee: Committee, activities: list[Activity],
            departments: list[HandlingUnit], calendar: WorkCalendar, *,
            report_end: dt.date) -> None:
    rng = ctx.rng
    held = [a for a in activities if a.status == Activity.Status.HELD
            and a.start.date() <= report_end]

    def spread(codes: set[str], total: int) -> list[Activity]:
        pool = [a for a in held if a.type.code in codes]
        return [pool[i % len(pool)] for i in range(total)] if pool else []

    targets = (spread({"inspection"}, INSPECTION_SUGGESTIONS)
               + spread({"forum", "seminar"}, DISCUSSION_SUGGESTIONS)
               + spread({"thematic_consultation", "counterpart_consultation",
                         "sector_consultation"}, CONSULTATION_SUGGESTIONS))
    recent = [a for a in activities if a.status == Activity.Status.HELD
              and a.start.date() > report_end and a.type.code in ("inspection", "forum")]
    targets += recent * 2
    days = 30
    rows: list[Suggestion] = []
    today = ctx.today
    for n, activity in enumerate(targets):
        unit = (activity.units.first() if activity.type.code == "counterpart_consultation"
                else None) or rng.choice(departments)
        sent_on = activity.start.date() + dt.timedelta(days=rng.randint(3, 9))
        deadline = calendar.add_working_days(sent_on, days)
        s = Suggestion(committee=committee, activity=activity, recipient_unit=unit,
                       text=f"关于{activity.topic or activity.title}的建议（{n + 1}）："
                            f"建议{unit.name}进一步完善工作机制，加强督促落实。",
                       created_at=min(activity.start + dt.timedelta(days=1), clock.now()))
        if sent_on <= today:
            s.status, s.sent_on = Suggestion.Status.SENT, sent_on
            s.deadline, s.deadline_warnings = deadline.date, list(deadline.warnings)
            if deadline.date < today and rng.random() < 0.93:
                s.status = Suggestion.Status.CLOSED
                s.feedback = f"{unit.name}已研究办理，并将有关措施纳入年度工作计划。"
                s.feedback_on = deadline.date - dt.timedelta(days=rng.randint(0, 20))
                s.adoption = rng.choices([Suggestion.Adoption.ADOPTED,
                                          Suggestion.Adoption.PARTLY,
                                          Suggestion.Adoption.NOT_ADOPTED],
                                         weights=[70, 22, 8])[0]
                if rng.random() < 0.3:
                    s.follow_up = "已回头看，措施落实到位。"
        rows.append(s)
    Suggestion.objects.bulk_create(rows, batch_size=500)


def _learning(ctx: DemoContext, committee: Committee, members: list[Member]) -> None:
    """Each year's materials, read by every member who served that year (自主学 coverage 100%)."""
    rng = ctx.rng
    system = ctx.system(committee)
    titles = ["中国人民政治协商会议章程", "关于加强和改进人民政协工作的意见",
              "政协委员履职工作规则", "学习贯彻全会精神辅导材料", "提案工作条例",
              "社情民意信息工作办法"]
    records: list[ReadingRecord] = []
    for year in range(ctx.year(REPORT_YEARS[0]), ctx.today.year + 1):
        materials = [services.material_create(
            actor=system, committee=committee, title=f"{year}年学习材料：{t}",
            text=f"{t}（全文）", published_on=min(dt.date(year, 2, 1), ctx.today))
            for t in rng.sample(titles, 3)]
        for m in members:
            last = min(dt.date(year, 12, 31), ctx.today - dt.timedelta(days=1),
                       m.left_on or dt.date.max)
            if m.joined_on > last or last < dt.date(year, 1, 1):
                continue
            for material in rng.sample(materials, rng.randint(1, 3)):
                first = max(m.joined_on, dt.date(year, 1, 1))
                day = min(first + dt.timedelta(days=rng.randint(0, 200)), last)
                records.append(ReadingRecord(
                    committee=committee, material=material, member=m,
                    opened_at=dt.datetime.combine(day, dt.time(20, 30), tzinfo=TZ),
                    seconds=rng.randint(300, 2400), marked_read=rng.random() < 0.85))
    ReadingRecord.objects.bulk_create(records, batch_size=1000)


def _plans(ctx: DemoContext, committee: Committee, activities: list[Activity],
           types: dict[str, ActivityType], special_committees: list[SpecialCommittee],
           departments: list[HandlingUnit]) -> None:
    system = ctx.system(committee)
    for year in (ctx.year(2025), ctx.year(2026)):
        plan = services.plan_create(actor=system, committee=committee, year=year,
                                    title=f"{year}年度协商工作计划")
        planned = [a for a in activities if a.start.year == year and a.type.code in (
            "thematic_consultation", "counterpart_consultation", "inspection", "research")][:10]
        items = []
        for a in planned:
            items.append((services.plan_item_add(
                actor=system, plan=plan, type=a.type, topic=a.topic or a.title,
                planned_month=timezone.localtime(a.start).month,
                lead_special_committee=a.special_committee,
                units=list(a.units.all())[:3]), a))
        extra = services.plan_item_add(actor=system, plan=plan,
                                       type=types["democratic_supervision"],
                                       topic="优化营商环境民主监督", planned_month=12,
                                       units=departments[:3])
        meetings = [a for a in activities if a.type.code == "chair_meeting"
                    and a.start.year == year]
        services.plan_approve(actor=system, plan=plan,
                              approved_on=min(dt.date(year, 2, 20), ctx.today),
                              meeting=meetings[0] if meetings else None)
        for item, a in items:
            services.plan_item_link(actor=system, item=item, activity=a)
        if year == ctx.year(2025):
            services.plan_item_move(actor=system, item=extra, to_month=None,
                                    note=f"调整至{ctx.year(2026)}年开展")
