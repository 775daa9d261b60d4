"""Demo proposal clues (提案线索) of the county: sent on the website and by a member, screened
by the proposal office (tiweiban: one waiting with a duplicate to merge, some in the library,
one not used), and one taken up by the member weiyuan as a proposal draft."""

from __future__ import annotations

import datetime as dt

from xieshang.clues import services, workflow
from xieshang.clues.models import Clue
from xieshang.core import clock
from xieshang.core.permissions import Actor, actor_for
from xieshang.core.workflow import step_input, transition
from xieshang.devdata.demo import DemoContext
from xieshang.proposals.models import ProposalCategory

PUBLIC = [
    ("老旧小区加装电梯协调难",
     "我住的小区是九十年代建的六层楼，老人多，上下楼困难。加装电梯要全体住户同意，"
     "低层住户不愿意，资金分摊也谈不拢，建议政协委员关注加装电梯的协调机制和资金补助。",
     "李桂兰", "13907310001", 20),
    ("加装电梯资金补助标准偏低", "老旧小区加装一部电梯要五六十万元，现在的补助只有十几万，"
     "住户负担太重，建议提高补助标准，并允许使用住房公积金。", "", "", 12),
    ("农村客运班线减少出行不便",
     "我们村原来每天有四班客车进城，现在只剩一班，老人看病、学生上学都不方便，"
     "建议恢复农村客运班线或者开通预约公交。", "张德福", "13907310002", 15),
    ("菜市场周边占道经营严重", "城关镇菜市场周边早晚占道经营，车辆通行困难，也有安全隐患，"
     "建议规划临时疏导点，既方便群众买菜又保证交通。", "王女士", "", 9),
    ("希望增加社区托育服务", "双职工家庭三岁以下孩子没人带，社区没有托育点，私立机构收费高，"
     "建议利用社区用房开办普惠性托育点。", "", "13907310003", 6),
]
MEMBER = ("县域中小学心理健康教育师资不足", "调研发现全县多数乡镇中学没有专职心理教师，"
          "学生心理问题发现晚、干预难，建议按师生比配齐专职心理教师，并建立县级心理健康指导中心。")


def _step(ctx: DemoContext, clue: Clue, actor: Actor, step: str, **values: object) -> Clue:
    schema = workflow.CLUE.step(step).input
    return transition(workflow.CLUE, actor=actor, obj=clue, step=step, version=clue.version,
                      data=step_input(schema, **values))


def build(ctx: DemoContext) -> None:
    county = ctx.county
    office_user, member_user = ctx.users.get("tiweiban"), ctx.users.get("weiyuan")
    author_user = ctx.users.get("changwei")
    if county is None or office_user is None or member_user is None or author_user is None:
        return
    office = actor_for(office_user, county)
    now = clock.now()
    clues: list[Clue] = []
    for i, (title, body, name, phone, days) in enumerate(PUBLIC):
        clue = services.clue_send_public(committee=county, title=title, body=body, name=name,
                                         phone=phone, ip=f"198.51.100.{10 + i}")
        Clue.objects.filter(pk=clue.pk).update(created_at=now - dt.timedelta(days=days))
        clue.refresh_from_db()
        clues.append(clue)
    mine = services.clue_send(actor=actor_for(author_user, county), title=MEMBER[0],
                              body=MEMBER[1])
    Clue.objects.filter(pk=mine.pk).update(created_at=now - dt.timedelta(days=18))
    mine.refresh_from_db()
    categories = {c.name: c for c in ProposalCategory.objects.filter(committee=county)}

    def category_id(*names: str) -> int | None:
        for name in names:
            for key, c in categories.items():
                if name in key:
                    return c.pk
        return next(iter(categories.values())).pk if categories else None

    # In the library: the lift clue, the bus clue and the member's clue; the market clue is
    # not used; the second lift clue and the childcare clue wait (the lift one is a duplicate).
    lift = _step(ctx, clues[0], office, "accept", note="", category_id=category_id("社会", "城"))
    bus = _step(ctx, clues[2], office, "accept", note="", category_id=category_id("经济", "交通"))
    _step(ctx, mine, office, "accept", note="", category_id=category_id("文化", "教育", "社会"))
    _step(ctx, clues[3], office, "not_use", note="属于城市管理日常事务，已转县城管局处理")
    services.clue_adopt(actor=actor_for(member_user, county), clue=bus, version=bus.version)
    ctx.log(f"  {Clue.objects.filter(committee=county).count()} proposal clues "
            f"(1 turned into a proposal draft; library: {lift.title} …)")
