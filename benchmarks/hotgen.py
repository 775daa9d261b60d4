"""Messages to a government board, written for the hot-issue tests and benchmark.

The shape of a real export: a subject, a body, a time in the formats real exports mix
(2019/8/7 19:52:14, 2019-07-11 00:00:00, an Excel serial day number, 2019年8月9日, now and then
nothing readable), likes and an id. Planted in a background of ordinary messages on broad
themes (bus lines, property fees, schools, social security … each about its own place) are a
few specific hot issues: one place, body or case plus one problem, raised by several people in
their own words within a few weeks, or by few people with thousands of likes. Every name is
made up.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    key: str  # what the label must name (the place, body or case)
    problem: str  # a word the label's problem should hold
    subjects: tuple[str, ...]
    bodies: tuple[str, ...]
    count: int
    start: dt.datetime
    days: int  # the issue is raised within this many days
    likes: tuple[int, int]  # range of likes per message


ISSUES = (
    Issue("伊景园滨河苑", "车位",
          ("A市伊景园滨河苑开发商捆绑销售车位", "伊景园滨河苑强制捆绑购买车位", "投诉伊景园滨河苑捆绑销售车位",
           "伊景园滨河苑买房必须买车位是否合法", "关于伊景园滨河苑车位捆绑销售的问题"),
          ("我是伊景园滨河苑的业主，开发商要求购房必须同时购买车位，车位价格十几万，不买车位就不给签购房合同。",
           "伊景园滨河苑开发商捆绑销售车位，每个车位要价15万元，这种强制捆绑的行为是否违法，请相关部门调查。",
           "滨河苑项目销售人员说不买车位就不能买房，我们刚需购房者负担不起，希望住建部门查处捆绑销售。",
           "伊景园滨河苑交房前开发商强行捆绑车位销售，已向售楼部反映多次没有结果，恳请领导帮忙。"),
          26, dt.datetime(2019, 8, 1, 9), 20, (0, 40)),
    Issue("金鑫财富", "集资",
          ("金鑫财富非法集资何时立案", "A市金鑫财富投资公司涉嫌非法集资", "金鑫财富理财暴雷血汗钱追不回"),
          ("金鑫财富投资公司以高息理财为名非法集资，数千名投资人的血汗钱无法兑付，老板已经失联，请公安机关尽快立案。",
           "我们在金鑫财富购买的理财产品到期无法兑付，公司门店已经关门，涉嫌非法集资诈骗，恳请政府帮助追回资金。",
           "金鑫财富非法集资案受害人很多是退休老人，积蓄全没了，希望经侦部门尽快侦办，公布案件进展。"),
          5, dt.datetime(2019, 3, 4, 10), 60, (800, 3200)),
    Issue("星沙中学", "食堂",
          ("A7县星沙中学食堂饭菜质量差", "星沙中学食堂饭菜有异物", "反映星沙中学食堂收费高质量差"),
          ("孩子在星沙中学住校，食堂饭菜质量很差，经常吃出头发和虫子，价格还比外面贵，希望教育局检查。",
           "星沙中学食堂卫生状况堪忧，饭菜分量少、价格高，学生只能到校外买零食，请有关部门监管。",
           "星沙中学的食堂承包给私人老板，饭菜难以下咽，家长意见很大，恳请教育部门整改。"),
          9, dt.datetime(2019, 10, 8, 12), 25, (0, 15)),
    Issue("丽发新城", "搅拌站",
          ("A2区丽发新城附近搅拌站噪音扰民", "丽发新城旁搅拌站夜间施工", "投诉丽发新城小区搅拌站粉尘噪音"),
          ("丽发新城小区旁边的混凝土搅拌站日夜生产，噪音和粉尘严重影响居民休息，晚上十二点还在作业。",
           "丽发新城附近搅拌站的罐车进进出出，灰尘很大，窗户都不敢开，老人小孩深受其害，请环保部门处理。",
           "我们丽发新城业主多次投诉搅拌站噪音扰民，至今没有整改，希望生态环境局尽快依法查处。"),
          12, dt.datetime(2019, 5, 12, 21), 30, (0, 25)),
    Issue("和顺小区", "电梯",
          ("和顺小区电梯频繁故障", "A6区和顺小区电梯困人", "和顺小区电梯年久失修"),
          ("和顺小区的电梯三天两头出故障，上周又困人半小时，物业只会临时维修，希望质监部门督促更换。",
           "和顺小区电梯使用十几年了，经常停运，高层老人上下楼非常困难，维修资金迟迟不能动用。",
           "和顺小区电梯故障频发存在安全隐患，业主多次向物业反映无果，请相关部门介入。"),
          6, dt.datetime(2020, 1, 6, 8), 15, (0, 10)),
)

# Broad themes: each message about its own place, in one of several wordings, with its own
# details; together they are what the old method ranked as "topics".
THEMES = (
    (("{p}公交线路班次太少", "建议{p}增加公交班次", "{p}坐公交太难了", "{p}公交车等车时间长"),
     ("{p}的公交车班次太少，早晚高峰等车要半小时以上，希望增加班次或者调整线路。",
      "住在{p}上班要转两趟公交，末班车六点就停了，建议延长运营时间。",
      "{p}附近只有一路公交车，车况差还经常不停站，市民出行非常不便。")),
    (("{p}物业收费不合理", "{p}物业服务差还涨价", "{p}物业乱收费", "投诉{p}物业公司"),
     ("{p}物业公司收费标准不透明，服务质量差，业主多次反映没有改善，请求有关部门监管。",
      "{p}物业费今年突然上涨三成，没有召开业主大会，绿化保洁却越来越差。",
      "{p}的物业公司乱收停车费和装修押金，业主委员会迟迟成立不了。")),
    (("{p}学区划分问题", "{p}孩子上学难", "{p}入学划片不合理"),
     ("我家住在{p}，孩子今年上小学，按照学区划分要到很远的学校就读，希望教育局合理调整学区。",
      "{p}新建小区没有配套学校，孩子只能去几公里外的小学，接送非常困难。",
      "{p}今年入学政策变了，户籍和房产都符合却没有学位，家长很着急。")),
    (("{p}社保转移手续繁琐", "{p}社保补缴咨询", "{p}办理退休手续难"),
     ("本人在{p}工作，办理社保转移手续非常繁琐，来回跑了好几趟，希望简化办理流程。",
      "我在{p}的单位断缴了两年社保，现在想补缴，窗口说政策不允许，请问怎么办。",
      "{p}社保窗口排队要一上午，网上办理系统经常出错，退休审批拖了三个月。")),
    (("{p}道路积水严重", "{p}一下雨就淹", "{p}排水不畅"),
     ("{p}一下雨就严重积水，行人车辆通行困难，排水管网老化，希望尽快改造。",
      "{p}路段地势低洼，暴雨时积水没过膝盖，多辆车熄火，请市政部门疏通下水道。")),
    (("{p}垃圾清运不及时", "{p}垃圾堆积", "{p}环境卫生差"),
     ("{p}的垃圾桶经常满溢无人清运，气味难闻，蚊蝇滋生，希望环卫部门及时处理。",
      "{p}路边垃圾堆了一个星期没人管，夏天臭气熏天，附近居民苦不堪言。")),
    (("{p}停车难问题", "{p}车位不够", "{p}乱停车"),
     ("{p}周边停车位严重不足，车辆乱停乱放影响通行，建议规划建设公共停车场。",
      "晚上回到{p}根本找不到停车位，只能停在路边被贴罚单，希望增设停车位。")),
    (("{p}医院挂号难", "{p}看病排队时间长"),
     ("在{p}附近的医院看病挂号非常困难，排队时间长，希望增加号源推行网上预约。",
      "{p}的社区医院医生太少，老人看个病要等一上午，建议增加医护人员。")),
    (("{p}农民工工资拖欠", "{p}工地欠薪", "讨要{p}工程款"),
     ("我们在{p}的工地干活，老板拖欠工资三个月了，希望劳动监察部门帮忙讨薪。",
      "{p}项目包工头拿到工程款后跑路，二十多个工人半年工资没有着落。")),
    (("{p}路灯不亮", "{p}缺少路灯"),
     ("{p}的路灯坏了很久都没人修，晚上出行很不安全，请有关部门尽快维修。",
      "{p}新修的道路一直没有装路灯，晚上漆黑一片，已经发生过交通事故。")),
    (("{p}噪音扰民", "{p}广场舞噪音", "{p}商铺音响扰民"),
     ("{p}附近的商铺晚上放音乐声音很大，严重影响居民休息，希望城管部门管理。",
      "{p}广场舞音响开到晚上十点，孩子无法学习，多次劝说无效。")),
    (("{p}房屋漏水无人维修", "{p}新房质量问题"),
     ("{p}的房子交房后就漏水，开发商推诿不修，业主苦不堪言，请住建部门督促。",
      "{p}交房不到一年墙体开裂，开发商和施工方互相推卸责任。")),
)
PLACES = ("A市雨花区东塘街道", "A1区左家塘", "A2区高桥社区", "A3区洋湖新城", "A4区月湖苑", "A5区金星路",
          "A6区万家丽路", "A7县城关镇", "A8县黄花镇", "A9市集里街道", "A市枫林路", "A市湘江世纪城",
          "A市德政园", "A市芙蓉北路", "A市麓谷街道", "A市望城坡", "A市圭塘河畔", "A市南湖路",
          "A2区桂花村", "A3区坪塘镇", "A4区新河街道", "A5区火星小区", "A6区长塘里", "A7县松雅湖")
OPENERS = ("", "尊敬的领导：", "您好！", "领导您好，", "")
CLOSERS = ("", "望早日解决。", "谢谢！", "请尽快答复。", "")


def time_text(rng: random.Random, when: dt.datetime) -> str:
    """``when`` in one of the formats real exports mix."""
    style = rng.randrange(10)
    if style < 4:
        return f"{when.year}/{when.month}/{when.day} {when.hour}:{when.minute:02d}:{when.second:02d}"
    if style < 7:
        return when.strftime("%Y-%m-%d %H:%M:%S")
    if style < 9:  # Excel's serial day number (day 1 = 1900-01-01, counting 1900-02-29)
        serial = (when - dt.datetime(1899, 12, 30)).total_seconds() / 86400
        return f"{serial:.6f}" if style == 7 else str(int(serial))
    return f"{when.year}年{when.month}月{when.day}日"


def messages(seed: int = 0, background: int = 360,
             unreadable: int = 4) -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    """Rows (id, subject, body, time, likes) in time order, and the ids of each planted issue
    by its key."""
    rng = random.Random(seed)
    start, span = dt.datetime(2019, 1, 1), 365 * 2 + 180
    rows: list[tuple[dt.datetime, str, str, int, str]] = []
    planted: dict[str, list[str]] = {}
    for issue in ISSUES:
        for n in range(issue.count):
            when = issue.start + dt.timedelta(days=rng.uniform(0, issue.days),
                                              seconds=rng.randrange(86400))
            body = (rng.choice(OPENERS) + rng.choice(issue.bodies) + rng.choice(CLOSERS))
            likes = rng.randint(*issue.likes) if n < 2 or issue.likes[0] < 100 else rng.randint(0, 30)
            rows.append((when, rng.choice(issue.subjects), body, likes, issue.key))
    for _ in range(background):
        subjects, bodies = rng.choice(THEMES)
        place = rng.choice(PLACES)
        when = start + dt.timedelta(days=rng.uniform(0, span))
        rows.append((when, rng.choice(subjects).format(p=place),
                     rng.choice(OPENERS) + rng.choice(bodies).format(p=place)
                     + rng.choice(CLOSERS),
                     rng.choice((0, 0, 1, 2, 3, 5, 8)), ""))
    rows.sort(key=lambda r: r[0])
    out = []
    for i, (when, subject, body, likes, key) in enumerate(rows, start=1):
        ident = f"M{i:05d}"
        if key:
            planted.setdefault(key, []).append(ident)
        out.append({"留言编号": ident, "留言主题": subject, "留言详情": body,
                    "留言时间": time_text(rng, when), "点赞数": str(likes)})
    for row in rng.sample(out, unreadable):
        row["留言时间"] = rng.choice(("", "未知", "2019-13-45 25:00:00", "昨天"))
    return out, planted
