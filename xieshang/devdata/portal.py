"""Demo data of the public website: a site each for the county, the city and the province.

News (政协新闻), notices (通知公告), publications (文史资料, the publicity album, the annual
work report) and the learning library (some items for members only), with cover pictures drawn
here (no photographs ship with the demo: the pictures are plain illustrations, and their alt
texts say so), a few drafts, one article waiting for review and one scheduled for next week.
Everything goes through the services and the workflow (so the sanitiser, the picture checks and
the audit log apply), written by each committee's office and published by it.

The county's learning-library articles become learning materials when published; the demo then
gives them reading records (opened, minutes, marked as read) for about two members in three,
built in bulk like the activities demo's, so the learning coverage counts reading on the site.
The demo member ``weiyuan`` has read one item and opened another, and has the rest to try.

Leaves in ``ctx.extra["portal"]``: code → {"site": Site, "articles": {key: Article}}.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageDraw

from xieshang.activities.models import ReadingRecord
from xieshang.core import clock
from xieshang.core.models import Committee, Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.core.selectors import users_with_role
from xieshang.devdata.demo import DemoContext
from xieshang.members.models import Member
from xieshang.portal import services, workflow
from xieshang.portal.models import Article, ArticleEvent, Column, Image, Site

TZ = ZoneInfo("Asia/Shanghai")
RED, DARK_RED, GOLD = (166, 27, 27), (127, 18, 18), (232, 190, 90)


# --- pictures -------------------------------------------------------------------------------


def _gradient(draw: ImageDraw.ImageDraw, w: int, h: int, top: tuple[int, int, int],
              bottom: tuple[int, int, int]) -> None:
    for y in range(h):
        t = y / max(1, h - 1)
        draw.line([(0, y), (w, y)], fill=tuple(round(a + (b - a) * t)
                                               for a, b in zip(top, bottom, strict=True)))


def _hall(draw: ImageDraw.ImageDraw, w: int, h: int, rng: random.Random) -> None:
    """A meeting hall: red backdrop, a gold emblem, the rostrum and rows of seats."""
    _gradient(draw, w, h, (150, 22, 22), (96, 14, 14))
    cx = w // 2
    draw.ellipse([cx - h // 9, h // 10, cx + h // 9, h // 10 + 2 * h // 9], outline=GOLD,
                 width=max(4, h // 90))
    for i in range(5):
        a = -math.pi / 2 + i * 2 * math.pi / 5
        x, y = cx + math.cos(a) * h // 16, h // 10 + h // 9 + math.sin(a) * h // 16
        draw.ellipse([x - h // 60, y - h // 60, x + h // 60, y + h // 60], fill=GOLD)
    for i in range(-6, 7):  # flags on both sides
        x = cx + i * w // 14
        if abs(i) < 2:
            continue
        draw.polygon([(x, h // 3), (x + w // 40, h // 3 + h // 60), (x, h // 3 + h // 30)],
                     fill=(220, 40, 40))
        draw.line([(x, h // 3), (x, h // 2)], fill=GOLD, width=3)
    draw.rectangle([w // 6, h // 2, 5 * w // 6, h // 2 + h // 14], fill=(235, 225, 205))
    draw.rectangle([w // 6, h // 2 + h // 14, 5 * w // 6, h // 2 + h // 10], fill=(120, 70, 40))
    for row in range(5):
        y = int(h * 0.68) + row * h // 16
        n = 14 + row * 2
        for i in range(n):
            x = int(w * (0.5 + (i - (n - 1) / 2) * (0.9 / n)))
            shade = 40 + rng.randint(0, 20)
            draw.rounded_rectangle([x - w // 70, y, x + w // 70, y + h // 26], radius=4,
                                   fill=(shade, shade + 10, shade + 30))


def _fields(draw: ImageDraw.ImageDraw, w: int, h: int, rng: random.Random) -> None:
    """Hills and terraced fields under a clear sky (countryside, village work)."""
    _gradient(draw, w, h // 2, (120, 180, 230), (205, 230, 245))
    draw.ellipse([w * 0.75, h * 0.08, w * 0.75 + h * 0.14, h * 0.22], fill=(255, 236, 170))
    for i, colour in enumerate([(90, 140, 90), (70, 125, 75), (55, 110, 60)]):
        base = h * (0.42 + 0.06 * i)
        points: list[tuple[float, float]] = [(0, h)]
        for x in range(0, w + 40, 40):
            points.append((x, base - 40 * math.sin(x / (w / (2 + i)) + i) - rng.randint(0, 8)))
        points.append((w, h))
        draw.polygon(points, fill=colour)
    for band in range(8):
        y = int(h * 0.62 + band * h * 0.05)
        colour = (150 + 8 * band, 170 + 5 * band, 70) if band % 2 else (110, 150, 60)
        draw.polygon([(0, y), (w, y - h * 0.04), (w, y + h * 0.03), (0, y + h * 0.07)],
                     fill=colour)


def _river(draw: ImageDraw.ImageDraw, w: int, h: int, rng: random.Random) -> None:
    """A river with a stone bridge and houses (town, history)."""
    _gradient(draw, w, h, (230, 238, 244), (186, 210, 226))
    for _house in range(9):
        x = rng.randint(0, w)
        top = int(h * 0.3) + rng.randint(0, 40)
        draw.rectangle([x, top, x + w // 12, int(h * 0.55)], fill=(245, 245, 240),
                       outline=(90, 90, 90))
        draw.polygon([(x - 10, top), (x + w // 24, top - h // 12), (x + w // 12 + 10, top)],
                     fill=(60, 65, 75))
    draw.rectangle([0, int(h * 0.55), w, h], fill=(90, 140, 170))
    for i in range(14):
        y = int(h * 0.6) + i * h // 30
        draw.line([(rng.randint(0, w // 2), y), (rng.randint(w // 2, w), y)],
                  fill=(140, 185, 210), width=2)
    draw.arc([w * 0.25, h * 0.38, w * 0.75, h * 0.85], 180, 360, fill=(110, 105, 100),
             width=h // 28)


def _books(draw: ImageDraw.ImageDraw, w: int, h: int, rng: random.Random) -> None:
    """A shelf of bound volumes (文史资料)."""
    _gradient(draw, w, h, (246, 240, 228), (222, 210, 188))
    draw.rectangle([0, int(h * 0.82), w, h], fill=(120, 80, 50))
    x = w // 12
    palette = [(140, 30, 30), (40, 70, 110), (60, 100, 70), (150, 110, 40), (90, 40, 80)]
    while x < w - w // 12:
        bw = rng.randint(w // 40, w // 22)
        top = int(h * rng.uniform(0.22, 0.4))
        colour = rng.choice(palette)
        draw.rectangle([x, top, x + bw, int(h * 0.82)], fill=colour, outline=(40, 30, 20))
        draw.rectangle([x + 3, top + h // 12, x + bw - 3, top + h // 12 + 6], fill=GOLD)
        x += bw + 2


def illustration(kind: str, rng: random.Random, width: int = 1200) -> SimpleUploadedFile:
    """A plain drawing (no photographs ship with the demo) as an uploaded JPEG."""
    height = width * 9 // 16
    img = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    {"hall": _hall, "fields": _fields, "river": _river, "books": _books}[kind](
        draw, width, height, rng)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=88)
    return SimpleUploadedFile(f"{kind}.jpg", out.getvalue(), content_type="image/jpeg")


ALT = {
    "hall": "示意插图：红色背景的会场，主席台与一排排座席",
    "fields": "示意插图：青山脚下的梯田与村庄",
    "river": "示意插图：河边的老街民居与石拱桥",
    "books": "示意插图：书架上一排装订成册的文史资料",
}


# --- text ----------------------------------------------------------------------------------


def _html(*paragraphs: str) -> str:
    out = []
    for p in paragraphs:
        if p.startswith("## "):
            out.append(f"<h2>{p[3:]}</h2>")
        elif p.startswith("- "):
            items = "".join(f"<li>{item.strip()}</li>" for item in p[2:].split("|"))
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(f"<p>{p}</p>")
    return "".join(out)


@dataclass
class Item:
    key: str
    column: str  # slug
    title: str
    when: dt.datetime
    body: str
    summary: str = ""
    picture: str = ""
    audience: str = Article.Audience.PUBLIC
    state: str = "published"  # published | draft | review | scheduled


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


@dataclass(frozen=True)
class Place:
    code: str
    short: str  # 清河县政协
    place: str  # 清河县
    stem: str  # 清河
    level: str  # 县 / 市 / 省
    term: str  # 十四届
    chair: str
    first_session_year: int


def _place(ctx: DemoContext, committee: Committee) -> Place:
    level = {"county": "县", "city": "市", "province": "省"}.get(committee.level, "")
    short = committee.short_name or committee.name
    place = short.removesuffix("政协")
    leaders = ctx.extra.get("leaders", {}).get(committee.code, {})
    chair = leaders.get("chair")
    term = ctx.terms.get(committee.code)
    numerals = "零一二三四五六七八九十"
    number = term.number if term is not None else 14
    term_label = (("十" if number < 20 else numerals[number // 10] + "十")
                  + (numerals[number % 10] if number % 10 else "")) if number >= 10 else \
        numerals[number]
    return Place(code=committee.code, short=short, place=place, stem=place[:-1], level=level,
                 term=f"{term_label}届", chair=chair.name if chair is not None else "",
                 first_session_year=term.start_date.year if term is not None else 2022)


SESSION_ORDINALS = "一二三四五"


def _session_news(p: Place, ctx: DemoContext) -> list[Item]:
    items = []
    sessions = ctx.sessions.get(p.code, [])
    for i, session in enumerate(sessions[:5]):
        if session.start_date > ctx.today:
            continue
        n = SESSION_ORDINALS[i]
        opening, closing = session.start_date, session.end_date or session.start_date
        year = opening.year
        items.append(Item(
            key=f"session-{i + 1}-open", column="news",
            title=f"政协{p.place}第{p.term}委员会第{n}次会议隆重开幕",
            when=_at(opening, 15, 30), picture="hall" if i >= 3 else "",
            summary=f"{year}年{opening.month}月{opening.day}日，政协{p.place}"
                    f"第{p.term}委员会第{n}次会议在{p.place}会议中心开幕。",
            body=_html(
                f"{year}年{opening.month}月{opening.day}日下午，政协{p.place}第{p.term}"
                f"委员会第{n}次会议在{p.place}会议中心隆重开幕。会议应到委员"
                f"{len(ctx.members.get(p.code, [])) or 200}名，实到委员超过法定人数。",
                f"{p.short}主席{p.chair}代表{p.short}常务委员会向大会报告工作。报告回顾了过去一年"
                "的主要工作：围绕中心、服务大局，组织专题协商、对口协商、界别协商和提案办理协商，"
                "开展视察调研和民主监督，报送社情民意信息，为推动高质量发展贡献了政协智慧和力量。",
                "## 过去一年的主要工作",
                "- 聚焦高质量发展建言资政，形成一批有分量的协商成果|"
                "聚焦保障和改善民生凝聚共识，深化“有事好商量”协商议事|"
                "聚焦提升履职能力加强自身建设，推进委员履职档案和量化考核",
                f"会议期间，委员们将审议常务委员会工作报告和提案工作情况报告，列席{p.place}"
                "人民代表大会会议，听取并讨论政府工作报告等报告。",
            )))
        items.append(Item(
            key=f"session-{i + 1}-close", column="news",
            title=f"政协{p.place}第{p.term}委员会第{n}次会议胜利闭幕",
            when=_at(closing, 17, 0),
            body=_html(
                f"{year}年{closing.month}月{closing.day}日上午，政协{p.place}第{p.term}"
                f"委员会第{n}次会议在圆满完成各项议程后胜利闭幕。",
                "会议通过了政治决议、常务委员会工作报告的决议、提案工作情况报告的决议和提案审查"
                "委员会关于大会期间委员提案审查情况的报告。",
                f"{p.chair}在闭幕会上讲话。他指出，本次会议是一次民主团结、求实鼓劲的大会。希望"
                f"全体委员牢记政治责任，积极建言献策，以高质量履职服务全{p.level}中心工作。",
            )))
    return items


def _county_items(p: Place, ctx: DemoContext) -> list[Item]:
    rng = ctx.rng
    s = p.stem
    news = _session_news(p, ctx) + [
        Item("consult-health", "news", f"{p.short}召开“推进紧密型县域医共体建设”专题协商会",
             _at(ctx.date(2026, 5, 21), 11), picture="hall",
             summary="委员与县卫健局、医保局等部门面对面协商，提出意见建议18条。",
             body=_html(
                 f"5月21日，{p.short}召开“推进紧密型县域医共体建设”专题协商会。{p.short}主席"
                 f"{p.chair}出席并讲话，县人民政府分管副县长到会听取意见。",
                 "会前，县政协组成调研组，深入9个乡镇卫生院和县人民医院、县中医医院开展调研，"
                 "召开座谈会6场，形成了专题调研报告。",
                 "协商会上，8位委员和界别代表围绕基层人才留用、医保打包付费、远程会诊和慢病"
                 "管理等问题发言，提出意见建议18条。县卫健局、县医保局负责同志逐一回应。",
                 "会议要求，县政协各专门委员会要跟踪协商成果的办理落实，开展“回头看”，推动"
                 "协商成果转化为惠民实效。",
             )),
        Item("inspect-water", "news", f"{p.short}组织委员视察全县农村饮水安全工作",
             _at(ctx.date(2026, 6, 17), 16), picture="fields",
             body=_html(
                 f"6月17日，{p.short}组织部分委员视察全县农村饮水安全工作。视察组先后来到河西镇"
                 "集中供水厂、青石镇水源保护区和多个村组供水点，实地了解水源保护、水质检测和管网"
                 "维护情况。",
                 "视察组认为，近年来全县农村供水保障水平明显提升，但仍存在部分山区管网老化、"
                 "小型供水工程管护责任不落实等问题，建议加快城乡供水一体化建设，健全县级统管"
                 "机制。",
             )),
        Item("yishi", "news", f"{p.short}“有事好商量”协商议事活动走进东城社区",
             _at(ctx.date(2026, 8, 12), 10), picture="river",
             body=_html(
                 "8月12日，县政协“有事好商量”协商议事室在东城街道人民路社区开展协商议事活动，"
                 "围绕“老旧小区加装电梯”议题，政协委员、居民代表、街道和住建部门负责同志围坐"
                 "一起，面对面商量解决办法。",
                 "经过充分协商，各方就费用分摊、低层住户补偿和施工安排达成共识，形成协商意见"
                 "4条，将由街道牵头落实。",
             )),
        Item("standing-20", "news", f"{p.short}召开{p.term}第二十次常委会议",
             _at(ctx.date(2026, 9, 25), 17), picture="river",
             summary="常委会议围绕“加快文旅融合发展”开展专题协商，12位常委作了发言。",
             body=_html(
                 f"9月25日，{p.short}召开{p.term}第二十次常委会议，围绕“加快文旅融合发展”"
                 "开展专题协商，审议通过了有关人事事项。",
                 f"{p.chair}主持会议并讲话。12位常委作了发言，提出了打造精品线路、盘活古镇"
                 "资源、培育非遗工坊等建议。",
             )),
        Item("training-2026", "news", f"{p.short}举办{ctx.year(2026)}年度委员履职能力提升培训班",
             _at(ctx.date(2026, 7, 9), 18),
             body=_html(
                 f"7月7日至9日，{p.short}举办{ctx.year(2026)}年度委员履职能力提升培训班，"
                 f"{rng.randint(150, 180)}名委员参加培训。",
                 "培训班邀请专家围绕人民政协理论、提案撰写、社情民意信息撰写和协商议事规则等"
                 "作专题辅导，并组织委员分组讨论、交流履职经验。",
                 "学员们表示，培训内容针对性强，将把所学运用到履职实践中。",
             )),
        Item("supervision-key", "news", f"{p.short}主席会议督办重点提案",
             _at(ctx.date(2026, 10, 16), 16),
             body=_html(
                 f"10月16日，{p.short}主席会议成员带队督办“关于加强农村养老服务体系建设的建议”"
                 "等5件重点提案。",
                 "督办组实地察看了乡镇敬老院、村级互助养老点，听取承办单位办理情况汇报，与提案"
                 "人交流意见。督办组要求承办单位把提案办理与解决群众急难愁盼问题结合起来，"
                 "确保办理质量和实效。",
             )),
        Item("learning-centre", "news", f"{p.short}党组理论学习中心组开展集体学习",
             _at(ctx.date(2026, 11, 6), 17),
             body=_html(
                 f"11月6日，{p.short}党组理论学习中心组开展集体学习，围绕加强和改进人民政协工作"
                 "进行交流研讨。",
                 "会议强调，要把学习成果转化为推动政协工作高质量发展的实际成效，做好年度履职"
                 "总结和委员述职工作。",
             )),
        Item("research-village", "news", f"{p.short}开展“助力乡村振兴”界别调研",
             _at(ctx.date(2025, 7, 3), 17), picture="fields",
             body=_html(
                 "7月1日至3日，县政协农业和农村界、经济界委员组成调研组，围绕特色农业产业链"
                 "建设开展界别调研。",
                 "调研组走访了茶叶、核桃和中药材种植基地及加工企业，建议加大冷链物流和品牌"
                 "建设投入，完善联农带农机制。",
             )),
        Item("visit-2026", "news", f"{p.short}领导走访慰问困难群众",
             _at(ctx.date(2026, 1, 27), 17),
             body=_html(
                 f"春节前夕，{p.short}领导分别带队走访慰问联系乡镇的困难群众、老党员和老政协"
                 "委员，送去慰问金和慰问品，致以新春祝福。",
             )),
        Item("proposal-consult", "news", f"{p.short}召开提案办理协商会",
             _at(ctx.date(2025, 6, 19), 16),
             body=_html(
                 "6月19日，县政协提案委员会召开提案办理协商会，围绕“城区停车难”“校园周边交通"
                 "安全”等提案，组织提案人与承办单位面对面协商。",
                 "承办单位介绍了办理进展，提案人对办理工作给予肯定，并就新增停车位建设、错峰"
                 "共享等提出进一步建议。",
             )),
    ]
    notices = [
        Item("notice-session-5", "notices",
             f"关于召开政协{p.place}第{p.term}委员会第五次会议的通知",
             _at(ctx.date(2025, 12, 22), 9),
             body=_html(
                 "各位委员：",
                 f"经{p.short}{p.term}常委会议决定，政协{p.place}第{p.term}委员会第五次"
                 f"会议于{ctx.year(2026)}年1月12日在县会议中心召开，会期4天。1月11日全天报到。",
                 "请各位委员安排好工作，准时出席会议。因特殊情况不能出席的，须事先向县政协办公室"
                 "书面请假。",
                 f"{p.short}办公室",
             )),
        Item("notice-clues", "notices", f"关于征集{ctx.year(2026)}年度提案线索的公告",
             _at(ctx.date(2025, 11, 10), 9),
             body=_html(
                 f"为进一步拓宽提案来源，提高提案质量，现面向社会公开征集{ctx.year(2026)}年度提案线索。",
                 "征集范围：经济社会发展中的重要问题和群众普遍关心的热点难点问题。请写明问题、"
                 "原因分析和具体建议，可通过本网站“有事好商量”栏目或来信提交。",
                 f"征集时间：即日起至{ctx.year(2025)}年12月20日。",
             )),
        Item("notice-report-duty", "notices", f"关于开展{ctx.year(2026)}年度委员述职工作的通知",
             _at(ctx.date(2026, 11, 20), 9),
             body=_html(
                 "各位委员：",
                 f"根据委员履职管理办法，现开展{ctx.year(2026)}年度委员述职工作。请各位委员登录履职平台，在"
                 "“履职档案”中核对本人年度履职记录，于12月15日前提交年度述职报告。",
                 "平台已预先填入各位委员的提案、社情民意信息、参加活动等记录，如有遗漏，请向"
                 "县政协办公室反映。",
             )),
        Item("notice-training", "notices",
             f"关于举办{ctx.year(2026)}年度委员履职能力提升培训班的通知",
             _at(ctx.date(2026, 6, 20), 9),
             body=_html(
                 f"定于{ctx.year(2026)}年7月7日至9日举办委员履职能力提升培训班，请参训委员于7月6日下午到县委"
                 "党校报到。请假须经界别召集人同意后报县政协办公室。",
             )),
        Item("notice-wenshi-13", "notices", f"关于征集《{s}文史资料》第十三辑稿件的启事",
             _at(ctx.date(2026, 3, 4), 9),
             body=_html(
                 f"《{s}文史资料》第十三辑以“{s}水利往事”为主题，现面向社会征集稿件。",
                 "内容包括水库、堰塘、灌渠的修建经过，治水人物的故事，以及相关照片、图纸、"
                 f"证书等实物资料。来稿请注明作者姓名和联系方式，截稿日期为{ctx.year(2026)}年6月30日。",
             )),
        Item("notice-excellent", "notices",
             f"关于表彰{ctx.year(2025)}年度优秀提案和优秀提案承办单位的通报",
             _at(ctx.date(2026, 3, 12), 9),
             body=_html(
                 "经提案委员会评审、主席会议审定，决定对“关于加快城乡供水一体化建设的建议”等"
                 "10件优秀提案和县水务局等6个优秀提案承办单位予以通报表彰。",
             )),
    ]
    publications = [
        Item("wenshi-12", "publications", f"《{s}文史资料》第十二辑：{s}老字号",
             _at(ctx.date(2024, 9, 20), 10), picture="books",
             summary="收录老字号店铺的创办经过、技艺传承和经营故事36篇。",
             body=_html(
                 f"《{s}文史资料》第十二辑以“{s}老字号”为主题，由{p.short}文化文史和学习委员会"
                 "编辑，收录文章36篇、老照片120余幅。",
                 "## 目录（节选）",
                 "- 百年酱园的兴衰|老街上的银器铺|一碗米线里的手艺|从药铺到医馆",
                 "本辑资料由老字号传人、地方史研究者和政协委员撰写，记录了县城商业发展的历史"
                 "脉络，是了解地方经济社会变迁的珍贵资料。",
             )),
        Item("wenshi-13", "publications", f"《{s}文史资料》第十三辑：{s}水利往事",
             _at(ctx.date(2026, 10, 28), 10), picture="river",
             body=_html(
                 f"《{s}文史资料》第十三辑以“{s}水利往事”为主题，收录亲历者回忆、人物故事和"
                 "史料考证文章28篇，记录了几代人兴修水利、治水兴农的历程。",
             )),
        Item("album", "publications", f"宣传图册《协商在{s}》",
             _at(ctx.date(2025, 12, 18), 10), picture="fields",
             summary=f"以图文形式展示{p.term}以来{p.short}的协商实践和委员风采。",
             body=_html(
                 f"宣传图册《协商在{s}》分为“专题协商”“有事好商量”“委员风采”“{s}故事”四个篇章，"
                 f"以图文形式展示{p.term}以来{p.short}的协商实践。",
                 f"图册中的“{s}故事”篇章由委员讲述身边的履职故事，展现政协委员在乡村振兴、"
                 "基层治理和民生改善中的担当作为。",
             )),
        Item("annual-2025", "publications",
             f"{p.short}常务委员会{ctx.year(2025)}年工作报告（年度报告）",
             _at(ctx.date(2026, 1, 12), 16),
             summary=f"在政协{p.place}第{p.term}委员会第五次会议上的报告。",
             body=_html(
                 f"## 一、{ctx.year(2025)}年工作回顾",
                 "一年来，县政协坚持团结和民主两大主题，全年组织专题协商4次、对口协商16次，开展"
                 "视察调研23项，收到提案126件，立案115件，报送社情民意信息72篇。",
                 f"## 二、{ctx.year(2026)}年工作安排",
                 "- 围绕县域经济高质量发展开展专题协商|深化“有事好商量”协商议事|"
                 "完善委员履职档案和量化考核|做好换届前的各项工作",
             )),
        Item("proposal-report-2024", "publications",
             f"{p.short}关于{ctx.year(2024)}年度提案办理工作情况的报告",
             _at(ctx.date(2025, 1, 6), 16),
             body=_html(
                 f"{ctx.year(2024)}年度共收到提案118件，经审查立案107件。截至年底，立案提案已全部办复，"
                 "委员对办理结果满意和基本满意的占98%。",
             )),
    ]
    members = Article.Audience.MEMBERS
    learning = [
        Item("charter", "learning", "中国人民政治协商会议章程（2023年3月修正）",
             _at(dt.date(2023, 3, 20), 9),
             body=_html(
                 "章程分为总纲和工作总则、组织总则、地方委员会等部分，规定了人民政协的性质、"
                 "主要职能、组织原则和委员的权利义务。",
                 "请各位委员认真学习，重点掌握政治协商、民主监督、参政议政的主要形式和程序。",
             )),
        Item("handbook", "learning", f"政协委员履职手册（{ctx.year(2026)}年版）",
             _at(ctx.date(2026, 2, 10), 9), audience=members,
             body=_html(
                 "## 委员的权利和义务",
                 "委员有权在政协会议上和政协组织的活动中发表意见，有权通过政协组织对国家机关和"
                 "工作人员的工作提出意见和建议。委员应当积极参加政协活动，密切联系群众。",
                 "## 履职方式",
                 "- 提交提案|报送社情民意信息|参加协商、视察、调研和民主监督活动|"
                 "参加学习培训和读书活动",
                 "## 履职档案和积分",
                 "委员的履职情况记入履职档案，按年度计算履职积分，作为评先评优和换届推荐的"
                 "重要依据。",
             )),
        Item("proposal-writing", "learning", "提案撰写实务：怎样写好一件提案",
             _at(ctx.date(2025, 3, 3), 9),
             body=_html(
                 "一件好提案，要选题准、调研深、建议实。选题应聚焦党政中心工作和群众关心的问题，"
                 "一事一案。",
                 "## 写作要点",
                 "- 标题写明“关于……的建议”，简明扼要|案由部分讲清问题和原因，数据准确|"
                 "办法部分提出具体可行、便于承办单位落实的建议",
             )),
        Item("opinion-writing", "learning", "社情民意信息撰写要点",
             _at(ctx.date(2025, 4, 15), 9), audience=members,
             body=_html(
                 "社情民意信息要“短、实、新、快”：反映一个问题，讲清楚情况、原因和建议，篇幅一般"
                 "不超过1500字。",
                 "信息来源要真实可靠，涉及数据的要注明来源；建议部分要有针对性和可操作性。",
             )),
        Item("supervision-rules", "learning", "民主监督工作规则解读",
             _at(ctx.date(2025, 9, 8), 9),
             body=_html(
                 "民主监督是人民政协的主要职能之一。县政协通过会议监督、视察监督、提案监督、专项"
                 "监督等形式开展民主监督，重在协助党委和政府推动决策部署落实。",
             )),
        Item("score-rules", "learning", f"{p.short}委员履职积分管理办法（{ctx.year(2026)}年修订）",
             _at(ctx.date(2026, 2, 26), 9), audience=members,
             body=_html(
                 "## 积分项目",
                 "- 提案立案（第一提案人）每件15分，联名提案每件3分|社情民意信息每篇10分，被采用"
                 "另加5分|参加履职活动每次5分，年度最高40分|无故缺席全体会议每次扣30分",
                 "## 等次",
                 "年度积分85分以上为优秀，60分以上为合格，40分以上为基本合格。",
             )),
        Item("yishi-rules", "learning", "“有事好商量”协商议事规则",
             _at(ctx.date(2024, 5, 10), 9),
             body=_html(
                 "协商议事按照“确定议题—调研准备—协商议事—成果转化—跟踪反馈”的程序进行。议题"
                 "可由群众、委员或有关部门提出，由协商议事室统筹确定。",
             )),
        Item("plenary-spirit", "learning", "学习贯彻全会精神辅导材料（委员读本）",
             _at(ctx.date(2026, 10, 20), 9), audience=members,
             body=_html(
                 "本读本汇编了学习辅导文章和问答，供委员自学使用。请结合本界别、本领域工作实际，"
                 "认真学习领会，并在界别活动中交流学习体会。",
             )),
    ]
    drafts = [
        Item("draft-duty-meeting", "news", f"{p.short}召开{ctx.year(2026)}年度委员述职会",
             _at(ctx.date(2026, 12, 18), 10), state="draft",
             body=_html("（待会后补充）会议听取了部分委员的年度述职。")),
        Item("draft-wenshi-14", "notices", f"关于征集《{s}文史资料》第十四辑稿件的启事",
             _at(ctx.date(2026, 12, 1), 9), state="draft",
             body=_html("第十四辑拟以“非遗传承”为主题，征集范围和截稿日期待定。")),
        Item("review-standing-21", "notices", f"关于召开{p.short}{p.term}第二十一次常委会议的通知",
             _at(ctx.date(2026, 11, 27), 9), state="review",
             body=_html("定于12月上旬召开常委会议，审议年度工作总结。具体时间另行通知。")),
        Item("scheduled-december", "notices", f"{ctx.year(2026)}年12月委员活动安排",
             _at(ctx.today + dt.timedelta(days=5), 8), state="scheduled",
             body=_html(
                 "- 12月上旬：界别小组年度活动总结|12月中旬：委员年度述职|"
                 "12月下旬：委员读书活动交流会")),
    ]
    return news + notices + publications + learning + drafts


def _upper_items(p: Place, ctx: DemoContext) -> list[Item]:
    """A smaller site for the city or the province."""
    s = p.stem
    items = _session_news(p, ctx)[-4:] + [
        Item("consult-economy", "news", f"{p.short}召开“优化营商环境”专题协商会",
             _at(ctx.date(2026, 6, 26), 16), picture="hall",
             body=_html(
                 f"6月26日，{p.short}召开“优化营商环境”专题协商会，委员和企业代表围绕政务服务、"
                 "融资支持和涉企执法等提出意见建议。",
             )),
        Item("research-culture", "news", f"{p.short}调研历史文化名城保护工作",
             _at(ctx.date(2026, 9, 10), 17), picture="river",
             body=_html(
                 f"{p.short}调研组深入老城街区和文物保护单位，建议完善保护规划，活化利用历史"
                 "建筑。",
             )),
        Item("notice-clues", "notices", f"关于征集{ctx.year(2027)}年度提案线索的公告",
             _at(ctx.date(2026, 11, 12), 9),
             body=_html(f"现面向社会公开征集{ctx.year(2027)}年度提案线索，征集时间至{ctx.year(2026)}年12月20日。")),
        Item("wenshi", "publications", f"《{s}文史资料》选辑：{s}抗战记忆",
             _at(ctx.date(2025, 8, 15), 10), picture="books",
             body=_html("本辑收录亲历者回忆和史料文章，记录了这片土地上的抗战历史。")),
        Item("annual", "publications", f"{p.short}常务委员会{ctx.year(2025)}年工作报告",
             _at(ctx.date(2026, 1, 20), 16),
             body=_html("一年来，围绕中心、服务大局，扎实履行政治协商、民主监督、参政议政职能。")),
        Item("charter", "learning", "中国人民政治协商会议章程（2023年3月修正）",
             _at(dt.date(2023, 3, 20), 9),
             body=_html("章程规定了人民政协的性质、主要职能、组织原则和委员的权利义务。")),
        Item("handbook", "learning", f"{p.short}委员履职手册",
             _at(ctx.date(2026, 2, 20), 9), audience=Article.Audience.MEMBERS,
             body=_html("汇编了委员履职的主要制度和工作流程，供委员自学使用。")),
    ]
    return items


SITE_TEXT = {
    "county": ("团结民主 协商建言 —— 为建设美丽{place}凝心聚力", "滇ICP备20220123号-1"),
    "city": ("凝聚共识 服务大局 —— 助推{place}高质量发展", "滇ICP备20210876号-1"),
    "province": ("坚持团结和民主两大主题 服务{place}现代化建设", "滇ICP备20180021号-1"),
}


def _publish(actor: Actor, site: Site, item: Item, columns: dict[str, Column],
             covers: dict[str, Image], ctx: DemoContext) -> Article:
    committee = site.committee
    article = services.article_save(actor=actor, committee=committee,
                                    column=columns[item.column], title=item.title,
                                    body=item.body, summary=item.summary,
                                    audience=item.audience, publish_at=item.when)
    if item.picture:
        article.cover = covers[item.picture]
        article.save(update_fields=["cover"])
    if item.state in ("review", "published", "scheduled"):
        article = workflow.ARTICLE.take(actor=actor, obj=article, step="submit",
                                        data={"version": article.version})
    if item.state in ("published", "scheduled"):
        # Four eyes: the office writes, a leader (or the platform) approves and publishes.
        leader = users_with_role(committee, Role.LEADER).first()
        reviewer = actor_for(leader, committee) if leader is not None else ctx.system(committee)
        article = workflow.ARTICLE.take(actor=reviewer, obj=article, step="publish",
                                        data={"version": article.version})
    # The demo writes years of history today: date the rows as the office would have.
    written = min(item.when, clock.now()) - dt.timedelta(hours=2)
    Article.objects.filter(pk=article.pk).update(created_at=written)
    events = list(ArticleEvent.objects.filter(article=article).order_by("id"))
    for i, event in enumerate(events):
        event.at = written + dt.timedelta(minutes=20 * (i + 1))
    # Events are append-only for the platform's users (their manager refuses updates); the demo,
    # writing past years today, dates them through the plain base manager.
    ArticleEvent._base_manager.bulk_update(events, ["at"])
    return article


def _site(ctx: DemoContext, committee: Committee, office_login: str) -> dict[str, Article]:
    user = ctx.users.get(office_login)
    actor = actor_for(user, committee) if user is not None else ctx.system(committee)
    if actor.committee is None:
        actor = ctx.system(committee)
    site = services.site_ensure(actor=actor, committee=committee)
    p = _place(ctx, committee)
    banner, icp = SITE_TEXT.get(committee.level, SITE_TEXT["county"])
    contact = "　".join(x for x in (
        f"地址：{committee.contact_address}" if committee.contact_address else "",
        f"电话：{committee.contact_phone}" if committee.contact_phone else "") if x)
    site = services.site_update(actor=actor, site=site, title=committee.name,
                                banner_text=banner.format(place=p.place), contact=contact,
                                icp_number=icp)
    columns = {c.slug: c for c in Column.objects.filter(committee=committee)}
    rng = ctx.rng
    covers = {}
    for kind, alt in ALT.items():
        # One picture wider than the site keeps, to go through the resizing like an upload.
        width = 2400 if kind == "hall" else 1280
        covers[kind] = services.image_upload(actor=actor, committee=committee,
                                             upload=illustration(kind, rng, width), alt=alt)
    items = _county_items(p, ctx) if committee == ctx.county else _upper_items(p, ctx)
    # Written for late November of the story's year; built earlier in a year, the demo leaves out
    # what has not happened yet.
    items = [i for i in items if i.state != "published" or i.when.date() <= ctx.today]
    items.sort(key=lambda i: i.when)
    articles = {}
    for item in items:
        articles[item.key] = _publish(actor, site, item, columns, covers, ctx)
    ctx.extra.setdefault("portal", {})[committee.code] = {"site": site, "articles": articles}
    return articles


def _readings(ctx: DemoContext, committee: Committee, articles: dict[str, Article]) -> int:
    """About two members in three read each learning item in the weeks after it appeared."""
    rng = ctx.rng
    members = list(Member.objects.filter(committee=committee).order_by("id"))
    demo_member = ctx.extra.get("login_members", {}).get(committee.code, {}).get("weiyuan")
    rows: list[ReadingRecord] = []
    learning = [a for a in articles.values()
                if a.learning_material is not None and a.status == Article.Status.PUBLISHED]
    for article in learning:
        published = article.publish_at.astimezone(TZ).date()
        for m in members:
            if demo_member is not None and m.pk == demo_member.pk:
                continue
            first = max(published, m.joined_on)
            last = min(ctx.today - dt.timedelta(days=1), m.left_on or dt.date.max)
            if first > last or rng.random() > 0.66:
                continue
            day = first + dt.timedelta(days=min((last - first).days, int(rng.expovariate(1 / 20))))
            seconds = int(rng.lognormvariate(6.3, 0.6))  # a median of about nine minutes
            rows.append(ReadingRecord(
                committee=committee, material=article.learning_material, member=m,
                opened_at=dt.datetime.combine(day, dt.time(rng.choice([12, 20, 21]),
                                                           rng.randrange(60)), tzinfo=TZ),
                seconds=min(seconds, 4 * 3600), marked_read=rng.random() < 0.8))
    if demo_member is not None and len(learning) >= 2:
        # The demo member has read the oldest item and opened the newest.
        for article, marked, minutes in ((learning[0], True, 14), (learning[-1], False, 3)):
            rows.append(ReadingRecord(
                committee=committee, material=article.learning_material,
                member=demo_member, seconds=minutes * 60, marked_read=marked,
                opened_at=dt.datetime.combine(ctx.today - dt.timedelta(days=3), dt.time(20),
                                              tzinfo=TZ)))
    ReadingRecord.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def build(ctx: DemoContext) -> None:
    count = 0
    readings = 0
    for committee, office in ((ctx.province, "sheng_admin"), (ctx.city, "shi_admin"),
                              (ctx.county, "bangongshi")):
        if committee is None:
            continue
        articles = _site(ctx, committee, office)
        count += len(articles)
        if committee == ctx.county:
            readings = _readings(ctx, committee, articles)
    ctx.log(f"  3 websites, {count} articles, {readings} reading records")
