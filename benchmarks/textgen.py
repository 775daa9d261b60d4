"""Generated Chinese texts for the text benchmarks (messages, proposals, near-duplicates).

Realistic on purpose: departments share vocabulary (安全, 管理, 群众, 资金…), messages mix a
concrete complaint with generic filler, some mention a second department's matter, and a small
share of labels is noisy — so that a classifier cannot win on one keyword.
"""

from __future__ import annotations

import random

DEPARTMENTS = {
    "城乡建设": ["小区物业服务质量差", "老旧小区改造进度缓慢", "拆迁安置房迟迟不能交付", "违章搭建影响消防通道",
             "电梯年久失修存在安全隐患", "不动产证办理困难", "市政道路施工扬尘", "公租房分配不透明",
             "雨污管网堵塞积水", "城中村环境脏乱差", "商品房延期交房", "维修基金使用不规范"],
    "环境保护": ["化工企业夜间偷排废气", "河道污水直排", "垃圾填埋场臭味扰民", "秸秆露天焚烧",
             "养殖场粪污直排农田", "餐饮油烟扰民", "砂石厂粉尘污染", "饮用水源地保护区内违规建设",
             "噪声污染影响休息", "固体废物乱倒", "工业园区水体发黑", "采石场破坏植被"],
    "交通运输": ["公交线路班次太少", "出租车拒载议价", "乡村道路坑洼不平", "路口信号灯配时不合理",
             "校车超员运行", "城区停车位严重不足", "高速路口长期拥堵", "网约车无证营运",
             "农村客运班线停运", "货车超载损坏路面", "公交站台缺少遮雨棚", "公路沿线缺少护栏"],
    "教育文体": ["学校违规收取补课费", "公办幼儿园学位不足", "乡村教师待遇偏低", "学区划片不合理",
             "校外培训机构退费难", "体育场馆不对外开放", "学校食堂饭菜质量差", "课后延时服务收费",
             "中小学生作业负担重", "图书馆开放时间短", "民办学校乱收费", "特殊教育资源不足"],
    "劳动和社会保障": ["企业拖欠农民工工资", "社保断缴补缴手续繁琐", "失业保险金申领困难", "城乡居民养老金偏低",
                "用人单位不签劳动合同", "工伤认定周期过长", "灵活就业人员参保难", "退休审批办理缓慢",
                "公益性岗位补贴未发放", "职业技能培训补贴难领", "劳动仲裁排期太久", "残疾人就业保障金"],
    "商贸旅游": ["景区门票价格过高", "商家虚假宣传促销", "旅行团强制购物", "超市销售过期食品",
             "农贸市场缺斤短两", "健身房预付卡跑路", "民宿卫生条件差", "网购平台退货难",
             "夜市占道经营", "景区停车收费乱", "商场消防通道堵塞", "加油站油品质量问题"],
    "卫生计生": ["医院挂号排队时间长", "乡镇卫生院缺少医生", "药品价格虚高", "生育登记手续复杂",
             "疫苗接种预约困难", "无证诊所非法行医", "医疗纠纷调解缓慢", "计生特别扶助金未发放",
             "家庭医生签约服务不到位", "急救车响应慢", "医保报销比例低", "社区卫生服务站关闭"],
}
PLACES = ["城关镇", "东城街道", "西湖街道", "青山村", "河口乡", "新华路", "人民路", "开发区", "南门社区",
          "白云小区", "幸福家园", "金桥镇", "石桥村", "滨江路", "工业园区", "大河乡"]
OPENERS = ["尊敬的领导：", "您好！", "领导好，", "", "", "本人是{p}居民，", "我们是{p}的群众，"]
FILLERS = ["希望有关部门尽快调查处理。", "此问题已反映多次，至今没有结果。", "严重影响了群众的正常生活。",
           "恳请领导高度重视。", "群众意见很大，望早日解决。", "相关部门相互推诿。", "存在较大安全隐患。",
           "希望加强监督管理。", "请给予答复为盼。", "涉及资金问题请依法处理。", "这个情况持续了大半年。"]
DETAILS = ["附近住户有两百多户", "已经向街道反映过", "去年就承诺整改", "周边还有一所小学", "晚上尤其严重",
           "老人孩子深受其害", "拨打热线也无人处理", "网上也有很多人在说"]


def message(rng: random.Random, department: str) -> tuple[str, str]:
    place = rng.choice(PLACES)
    issue = rng.choice(DEPARTMENTS[department])
    title = rng.choice([f"关于{place}{issue}的问题", f"{place}{issue}", f"反映{issue}", f"{issue}何时解决"])
    parts = [rng.choice(OPENERS).format(p=place), f"{place}{issue}，{rng.choice(DETAILS)}，"]
    if rng.random() < 0.25:
        other = rng.choice([d for d in DEPARTMENTS if d != department])
        parts.append(f"另外{rng.choice(DEPARTMENTS[other])}的情况也存在，但主要是{issue[:4]}。")
    parts += rng.sample(FILLERS, k=rng.randint(1, 3))
    return title, "".join(parts)


def messages(n: int, seed: int = 0, noise: float = 0.03) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    out = []
    names = list(DEPARTMENTS)
    for _ in range(n):
        dep = rng.choice(names)
        title, body = message(rng, dep)
        label = rng.choice(names) if rng.random() < noise else dep
        out.append((title, body, label))
    return out


# --- proposals and near-duplicates -------------------------------------------------------
TOPICS = [issue for issues in DEPARTMENTS.values() for issue in issues]
ACTIONS = ["加大财政投入", "完善考核机制", "建立长效管理制度", "强化部门协同", "加强宣传引导", "引入社会资本",
           "开展专项整治", "推进数字化监管", "落实属地责任", "健全群众监督渠道", "加强人才队伍建设", "制定专项规划"]
SYNONYMS = [("加强", "强化"), ("建议", "提议"), ("群众", "百姓"), ("问题", "难题"), ("完善", "健全"),
            ("推进", "推动"), ("落实", "压实"), ("部门", "单位"), ("管理", "治理"), ("尽快", "抓紧"),
            ("存在", "出现"), ("严重", "突出"), ("目前", "当前"), ("资金", "经费")]


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def proposal(rng: random.Random) -> str:
    """A proposal with the specifics real ones carry (numbers, named places, a year)."""
    place = rng.choice(PLACES)
    topic = rng.choice(TOPICS)
    acts = rng.sample(ACTIONS, k=3)
    village = f"{rng.choice(SURNAMES)}家{rng.choice('湾庄坪岗沟营寨')}"
    households = rng.randint(12, 980)
    year = rng.randint(2015, 2025)
    road = f"{rng.choice(['X', 'Y', 'S'])}{rng.randint(100, 999)}线"
    return (f"关于解决{place}{topic}的建议。目前{place}{village}{topic}，涉及{households}户群众，"
            f"{rng.choice(DETAILS)}，自{year}年以来{rng.choice(FILLERS)}{road}沿线情况类似。"
            f"建议：一是{acts[0]}；二是{acts[1]}；三是{acts[2]}。")


def reword(rng: random.Random, text: str) -> str:
    out = text
    for a, b in rng.sample(SYNONYMS, k=6):
        out = out.replace(a, b)
    return out.replace("关于解决", rng.choice(["关于切实解决", "关于妥善解决", "关于尽快解决"]))


def reorder(rng: random.Random, text: str) -> str:
    head, _, tail = text.partition("建议：")
    items = [s for s in tail.rstrip("。").split("；") if s]
    rng.shuffle(items)
    sentences = [s for s in head.split("，") if s]
    return "，".join(sentences[:1] + sorted(sentences[1:], key=lambda _: rng.random())) + "建议：" + "；".join(items) + "。"


def partial(rng: random.Random, text: str) -> str:
    cut = len(text) // 2
    return text[:cut] + proposal(rng)[cut:]
