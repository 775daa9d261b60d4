"""Data for the demo county (``devdata/members.py``): names, sectors, workplaces, units.

Everything here is fictional but shaped like a real county committee in the south-west:
云岭省 (province) → 青川市 (city) → 清河县 (county). Text is data, so it is in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- people ----------------------------------------------------------------

# Common surnames with rough relative frequencies (the first ten cover about 40% of people).
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 70), ("李", 70), ("张", 65), ("刘", 55), ("陈", 45), ("杨", 45), ("赵", 25),
    ("黄", 25), ("周", 22), ("吴", 20), ("徐", 16), ("孙", 15), ("胡", 13), ("朱", 13),
    ("高", 12), ("林", 11), ("何", 11), ("郭", 11), ("马", 11), ("罗", 10), ("梁", 8),
    ("宋", 7), ("郑", 7), ("谢", 7), ("韩", 6), ("唐", 6), ("冯", 6), ("于", 5), ("董", 5),
    ("萧", 2), ("程", 5), ("曹", 5), ("袁", 5), ("邓", 5), ("许", 5), ("傅", 4), ("沈", 4),
    ("曾", 4), ("彭", 4), ("吕", 4), ("苏", 4), ("卢", 4), ("蒋", 4), ("蔡", 4), ("贾", 3),
    ("丁", 3), ("魏", 3), ("薛", 3), ("叶", 3), ("阎", 3), ("余", 3), ("潘", 3), ("杜", 3),
    ("戴", 3), ("夏", 3), ("钟", 3), ("汪", 3), ("田", 3), ("任", 3), ("姜", 3), ("范", 3),
    ("方", 3), ("石", 3), ("姚", 3), ("谭", 3), ("廖", 3), ("邹", 2), ("熊", 2), ("金", 2),
    ("陆", 2), ("郝", 2), ("孔", 2), ("白", 2), ("崔", 2), ("康", 2), ("毛", 2), ("邱", 2),
    ("秦", 2), ("江", 2), ("史", 2), ("顾", 2), ("侯", 2), ("邵", 2), ("孟", 2), ("龙", 2),
    ("段", 2), ("雷", 2), ("钱", 2), ("汤", 2), ("尹", 2), ("黎", 2), ("易", 2), ("常", 2),
    ("武", 2), ("乔", 2), ("贺", 2), ("赖", 2), ("龚", 2), ("文", 2), ("普", 1), ("杞", 1),
)

GIVEN_MALE = ("伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏",
              "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林",
              "峰", "成", "东", "兵", "德", "祥", "荣", "昌", "忠", "彬", "洪", "亮", "松", "锋",
              "毅", "坤", "恒", "琦", "璋", "瑞")
GIVEN_FEMALE = ("芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "英", "燕", "萍",
                "红", "梅", "琳", "雪", "倩", "婷", "洁", "慧", "颖", "莉", "琴", "蓉", "兰",
                "丹", "欣", "晶", "妍", "菊", "媛", "薇", "瑶")
GIVEN_MIDDLE = ("建", "国", "志", "文", "永", "海", "金", "立", "春", "晓", "玉", "小", "秋",
                "晨", "思", "嘉", "子", "新", "家", "世", "明", "德", "学", "云", "红", "丽",
                "俊", "兴", "开", "宏", "正", "忠", "雅", "佳", "天", "绍", "光")

ETHNIC_MINORITIES = ("彝族", "白族", "哈尼族", "回族", "苗族", "傣族", "壮族", "纳西族", "傈僳族",
                     "布依族")

# Political affiliation as written on the roster (政治面貌).
CPC = "中共党员"
MASSES = "群众"
NON_PARTY = "无党派人士"
YOUTH_LEAGUE = "共青团员"
PARTY_OF = {
    "民革": "民革党员", "民盟": "民盟盟员", "民建": "民建会员", "民进": "民进会员",
    "农工党": "农工党党员", "致公党": "致公党党员", "九三学社": "九三学社社员",
}
# How often a member outside the parties' own sectors belongs to each (民盟 and 民建 are largest).
DEMOCRATIC_PARTY_WEIGHTS = (("民革党员", 2), ("民盟盟员", 4), ("民建会员", 4), ("民进会员", 3),
                            ("农工党党员", 3), ("致公党党员", 1), ("九三学社社员", 3))

# Mobile number prefixes in use in mainland China.
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "153", "155", "157", "158", "159", "166", "173", "177", "180", "181",
                   "182", "183", "185", "187", "188", "189", "191", "198", "199")


# --- sectors ---------------------------------------------------------------

@dataclass(frozen=True)
class SectorSpec:
    name: str
    code: str
    county: int  # members in the county committee
    standing: int  # of which standing members (besides the chair and vice-chairs)
    party: str  # "own" (the sector's party), "cpc", "non_party", "mixed", "masses", "youth"
    female: float  # share of women
    workplaces: tuple[str, ...]


# Placeholders in workplaces: {place} 清河县 / 青川市 / 云岭省, {town} a town or street,
# {rural} a town, {head} 镇长/乡长 for that town, {village} a village, {company} a company,
# {brand} a short trade name.
SECTORS: tuple[SectorSpec, ...] = (
    SectorSpec("中共", "zhonggong", 30, 2, "cpc", 0.25, (
        "中共{place}委员会办公室 主任", "中共{place}纪律检查委员会 副书记",
        "中共{place}委员会政法委员会 副书记", "{place}人民政府办公室 副主任",
        "中共{place}委员会党校 常务副校长", "中共{rural}委员会 书记", "{rural}人民政府 {head}",
        "{place}发展和改革局 局长", "{place}审计局 局长", "{place}统计局 局长",
        "{place}融媒体中心 主任", "{place}信访局 局长", "{place}档案馆 馆长",
        "{place}机关事务服务中心 主任", "中共{place}委员会机构编制委员会办公室 主任",
        "{place}政务服务管理局 局长")),
    SectorSpec("民革", "minge", 5, 1, "own", 0.3, (
        "{place}第二中学 教师", "{place}人民医院 副主任医师", "{place}正平律师事务所 主任",
        "{place}自然资源局 工程师", "{company} 总经理")),
    SectorSpec("民盟", "minmeng", 8, 1, "own", 0.35, (
        "{place}第一中学 教师", "{place}职业高级中学 教师", "{place}文化馆 副馆长",
        "{place}实验小学 校长", "{place}人民医院 主治医师", "{place}农业技术推广中心 农艺师",
        "{place}图书馆 副馆长")),
    SectorSpec("民建", "minjian", 6, 1, "own", 0.3, (
        "{company} 董事长", "{company} 总经理", "{place}诚信会计师事务所 所长",
        "{place}农村商业银行 副行长", "{company} 财务总监")),
    SectorSpec("民进", "minjin", 6, 1, "own", 0.45, (
        "{place}第三中学 教师", "{place}民族中学 副校长", "{place}第一幼儿园 园长",
        "{place}新华书店 经理", "{place}融媒体中心 记者", "{place}文化馆 副研究馆员")),
    SectorSpec("农工党", "nonggong", 5, 0, "own", 0.4, (
        "{place}人民医院 主任医师", "{place}中医医院 副院长", "{place}疾病预防控制中心 副主任",
        "{rural}卫生院 院长", "{place}妇幼保健院 主任医师")),
    SectorSpec("致公党", "zhigong", 3, 1, "own", 0.3, (
        "{company} 总经理", "{place}归国华侨联合会 副主席", "{place}第一中学 英语教师")),
    SectorSpec("九三学社", "jiusan", 5, 1, "own", 0.3, (
        "{place}农业技术推广中心 高级农艺师", "{place}林业和草原局 高级工程师",
        "{place}气象局 副局长", "{place}第一中学 物理教师", "{place}水利局 工程师")),
    SectorSpec("无党派人士", "wudangpai", 8, 1, "non_party", 0.35, (
        "{place}人民医院 副院长", "{place}第一中学 高级教师", "{company} 董事长",
        "{place}司法局 副局长", "{place}融媒体中心 副主任", "{place}卫生健康局 副局长",
        "{place}职业高级中学 校长")),
    SectorSpec("共青团", "gongqingtuan", 5, 1, "youth", 0.45, (
        "共青团{place}委员会 书记", "共青团{place}委员会 副书记", "{place}青年创业协会 会长",
        "共青团{rural}委员会 书记", "{company} 电商运营主管")),
    SectorSpec("工会", "gonghui", 6, 1, "mixed", 0.35, (
        "{place}总工会 副主席", "{company} 工会主席", "{company} 车间主任",
        "国网{place}供电公司 变电运维班班长", "{place}环境卫生管理站 环卫工人（省级劳动模范）")),
    SectorSpec("妇联", "fulian", 8, 1, "mixed", 0.9, (
        "{place}妇女联合会 主席", "{place}妇女联合会 副主席", "{town}{community}社区 党委书记",
        "{company} 总经理", "{village}村 妇联主席", "{place}巾帼家政服务中心 负责人",
        "{place}第一幼儿园 园长")),
    SectorSpec("工商联", "gongshanglian", 12, 1, "mixed", 0.2, (
        "{place}工商业联合会 常务副主席", "{company} 董事长", "{company} 董事长",
        "{company} 总经理", "{place}餐饮行业商会 会长", "{place}浙江商会 会长",
        "{place}建材行业商会 会长")),
    SectorSpec("科技界", "keji", 10, 1, "mixed", 0.3, (
        "{place}科学技术协会 主席", "{place}农业技术推广中心 高级农艺师",
        "{place}畜牧兽医站 高级兽医师", "{company} 技术总监", "{place}林业技术推广站 站长",
        "{place}工业信息化和科学技术局 副局长", "{place}气象局 工程师")),
    SectorSpec("经济界", "jingji", 25, 1, "mixed", 0.25, (
        "{place}农村商业银行 行长", "中国农业银行{place}支行 行长", "中国建设银行{place}支行 行长",
        "国家税务总局{place}税务局 副局长", "{company} 董事长", "{company} 总经理",
        "{company} 董事长", "{place}工业园区管理委员会 副主任",
        "{place}投资开发集团有限公司 总经理",
        "{place}统计局 副局长", "中国邮政集团有限公司{place}分公司 总经理",
        "中国移动{place}分公司 总经理", "{place}城市建设投资有限公司 董事长",
        "{place}财政局 副局长")),
    SectorSpec("农业界", "nongye", 22, 2, "mixed", 0.2, (
        "{village}村 党总支书记", "{village}村 村委会主任", "{place}{brand}种植专业合作社 理事长",
        "{place}{brand}家庭农场 场主", "{place}农业农村局 副局长", "{place}农业技术推广中心 主任",
        "{place}{brand}茶叶专业合作社 理事长", "{place}供销合作社联合社 主任",
        "{place}{brand}农业开发有限公司 董事长", "{village}村 党支部书记")),
    SectorSpec("教育界", "jiaoyu", 20, 1, "mixed", 0.45, (
        "{place}第一中学 校长", "{place}第一中学 教师", "{place}第二中学 副校长",
        "{place}实验小学 校长", "{rural}中心学校 校长", "{rural}中学 教师",
        "{place}职业高级中学 副校长", "{place}特殊教育学校 校长", "{place}民族中学 教师",
        "{place}教育局 副局长", "{place}第一幼儿园 园长", "{place}教师发展中心 主任")),
    SectorSpec("文化艺术界", "wenyi", 10, 1, "mixed", 0.4, (
        "{place}文学艺术界联合会 主席", "{place}文化馆 馆长", "{place}书法家协会 主席",
        "{place}花灯剧团 团长", "{place}美术家协会 副主席", "{place}融媒体中心 编辑",
        "{place}博物馆 馆长", "{place}摄影家协会 主席", "{place}作家协会 副主席",
        "{place}非物质文化遗产保护中心 主任")),
    SectorSpec("医药卫生界", "yiwei", 16, 1, "mixed", 0.45, (
        "{place}人民医院 院长", "{place}人民医院 主任医师", "{place}人民医院 护士长",
        "{place}中医医院 院长", "{place}中医医院 副主任医师", "{place}妇幼保健院 院长",
        "{place}疾病预防控制中心 主任", "{rural}卫生院 院长", "{village}村卫生室 乡村医生",
        "{place}{brand}药业有限公司 总经理", "{place}卫生健康局 副局长")),
    SectorSpec("体育界", "tiyu", 4, 0, "mixed", 0.3, (
        "{place}体育运动学校 校长", "{place}全民健身中心 主任", "{place}第一中学 体育教师",
        "{place}篮球协会 会长")),
    SectorSpec("社会福利和社会保障界", "shebao", 8, 1, "mixed", 0.5, (
        "{place}民政局 副局长", "{place}人力资源和社会保障局 副局长", "{place}残疾人联合会 理事长",
        "{place}红十字会 常务副会长", "{place}社会福利院 院长", "{place}颐养园养老服务中心 负责人",
        "{place}医疗保障局 副局长", "{place}慈善总会 秘书长")),
    SectorSpec("少数民族界", "minzu", 8, 1, "mixed", 0.35, (
        "{place}民族宗教事务局 局长", "{village}村 党支部书记", "{place}民族中学 校长",
        "{place}民族文化传习馆 馆长", "{rural}人民政府 副{head}",
        "{place}{brand}民族刺绣专业合作社 理事长", "{place}民族歌舞团 演员")),
    SectorSpec("宗教界", "zongjiao", 5, 1, "masses", 0.2, (
        "{place}佛教协会 会长", "{place}基督教三自爱国运动委员会 主席",
        "{place}伊斯兰教协会 副会长", "{place}道教协会 会长", "{place}天主教爱国会 主任")),
    SectorSpec("特邀人士", "teyao", 15, 1, "mixed", 0.25, (
        "{place}人民法院 副院长", "{place}人民检察院 副检察长", "{place}公安局 副局长",
        "{place}人民武装部 副部长", "{place}人大常委会 原副主任", "{place}归国华侨联合会 主席",
        "{place}律师协会 会长", "{place}应急管理局 副局长", "{place}消防救援大队 大队长",
        "{place}市场监督管理局 副局长", "{place}退役军人事务局 局长", "{place}信访局 副局长",
        "{place}台湾同胞联谊会 会长")),
)

# The chair, vice-chairs and secretary-general of the county: (position, sector, workplace).
# The party is given where the sector's rule would not say it.
COUNTY_LEADERS: tuple[tuple[str, str, str, str], ...] = (
    ("chair", "中共", "政协{place}委员会 主席、党组书记", ""),
    ("vice_chair", "中共", "政协{place}委员会 副主席、党组副书记", ""),
    ("vice_chair", "中共", "政协{place}委员会 副主席", ""),
    ("vice_chair", "民盟", "政协{place}委员会 副主席，民盟{place}委员会 主委", ""),
    ("vice_chair", "工商联", "政协{place}委员会 副主席，{place}工商业联合会 主席", "民建会员"),
    ("vice_chair", "农工党", "政协{place}委员会 副主席，{place}人民医院 副院长", ""),
    ("secretary_general", "中共", "政协{place}委员会 秘书长", ""),
)
# A city or province committee in the demo is smaller; its leaders.
OTHER_LEADERS: tuple[tuple[str, str, str, str], ...] = (
    ("chair", "中共", "政协{place}委员会 主席、党组书记", ""),
    ("vice_chair", "中共", "政协{place}委员会 副主席", ""),
    ("vice_chair", "民盟", "政协{place}委员会 副主席，民盟{place}委员会 主委", ""),
    ("vice_chair", "无党派人士", "政协{place}委员会 副主席", ""),
    ("secretary_general", "中共", "政协{place}委员会 秘书长", ""),
)

BRANDS = ("清源", "恒达", "鑫盛", "绿野", "宏图", "金穗", "瑞丰", "华泰", "天润", "山水", "兴农",
          "荣昌", "嘉禾", "永盛", "益康", "青禾", "翠峰", "云岭", "盛世", "丰源")
INDUSTRIES = ("茶业", "食品", "建材", "物流", "药业", "农业开发", "房地产开发", "电子科技",
              "旅游开发", "商贸", "果业", "酒业", "水泥", "矿业", "生物科技", "电力工程")
COMPANY_FORMS = ("有限公司", "有限公司", "有限责任公司", "股份有限公司")
VILLAGES = ("柳树", "石桥", "大坪", "马家", "龙泉", "新街", "白沙", "杨柳", "黄泥", "水井",
            "高桥", "梨园", "松林", "上寨", "下营", "小河", "坝心", "团山", "甸头", "岔河")
COMMUNITIES = ("文昌", "北门", "南关", "滨河", "青年路", "建设路", "东风", "锦绣")
ROADS = ("人民路", "滨河路", "文化路", "建设路", "青年路", "团结路", "振兴大道", "环城东路",
         "环城西路", "新华路", "朝阳路", "康宁路")

# --- handling units --------------------------------------------------------

# (name, short name, kind, routing keywords). {place} is the full place name (清河县),
# {stem} the name without its suffix (清河).
COUNTY_UNITS: tuple[tuple[str, str, str, str], ...] = (
    ("中共{place}委员会组织部", "县委组织部", "party_organ",
     "组织 干部 人才 党建 基层党组织 村干部 选调生 人才引进"),
    ("中共{place}委员会宣传部", "县委宣传部", "party_organ",
     "宣传 精神文明 文明城市 新闻 网络 舆论 志愿服务"),
    ("中共{place}委员会统一战线工作部", "县委统战部", "party_organ",
     "统战 民主党派 无党派 民族 宗教 非公有制经济 侨务 新的社会阶层"),
    ("{place}人大常委会办公室", "县人大常委会办公室", "peoples_congress",
     "人大 人大代表 议案 代表建议 监督"),
    ("{place}人民法院", "县人民法院", "court",
     "法院 诉讼 审判 执行难 执行 调解 司法 纠纷"),
    ("{place}人民检察院", "县人民检察院", "procuratorate",
     "检察 公益诉讼 未成年人保护 法律监督 检察建议"),
    ("{place}发展和改革局", "县发展改革局", "government",
     "发展 改革 项目 投资 规划 营商环境 物价 粮食 能源 重点项目"),
    ("{place}教育局", "县教育局", "government",
     "教育 学校 教师 学生 幼儿园 义务教育 职业教育 课后服务 校车 双减 营养餐 校园"),
    ("{place}公安局", "县公安局", "government",
     "公安 治安 电信诈骗 户籍 交通安全 交警 监控 毒品"),
    ("{place}民政局", "县民政局", "government",
     "民政 养老 低保 社会救助 殡葬 社区 婚姻 留守儿童 困境儿童 养老院"),
    ("{place}财政局", "县财政局", "government",
     "财政 资金 预算 补贴 债务 政府采购 专项资金"),
    ("{place}人力资源和社会保障局", "县人社局", "government",
     "就业 社保 养老保险 人才 工资 农民工 欠薪 技能培训 创业"),
    ("{place}自然资源局", "县自然资源局", "government",
     "土地 国土空间规划 不动产 矿产 用地 耕地 宅基地 测绘"),
    ("青川市生态环境局{stem}分局", "县生态环境分局", "government",
     "环境 生态 污染 环保 污水 大气 噪声 河道 垃圾 土壤"),
    ("{place}住房和城乡建设局", "县住房城乡建设局", "government",
     "住房 建设 物业 老旧小区 房地产 燃气 建筑 城建 保障性住房 小区"),
    ("{place}交通运输局", "县交通运输局", "government",
     "交通 道路 公路 公交 客运 农村公路 物流 桥梁 停车"),
    ("{place}水利局", "县水利局", "government",
     "水利 水库 灌溉 饮水 饮水安全 防汛 河长制 水资源 水土保持"),
    ("{place}农业农村局", "县农业农村局", "government",
     "农业 农村 农民 种植 养殖 高标准农田 产业 合作社 茶叶 种子 农产品 人居环境"),
    ("{place}商务局", "县商务局", "government",
     "商务 电商 电子商务 市场 招商 消费 外贸 直播带货 农贸市场"),
    ("{place}文化和旅游局", "县文化和旅游局", "government",
     "文化 旅游 景区 文物 非遗 图书馆 文化馆 民宿 古镇"),
    ("{place}卫生健康局", "县卫生健康局", "government",
     "卫生 医疗 医院 医生 健康 卫生院 村医 疫苗 医共体 托育"),
    ("{place}应急管理局", "县应急管理局", "government",
     "应急 安全生产 灾害 防灾减灾 地质灾害 森林防火 危险化学品"),
    ("{place}市场监督管理局", "县市场监管局", "government",
     "市场监管 食品安全 价格 质量 药品 消费者 特种设备 校园食品 商标"),
    ("{place}医疗保障局", "县医保局", "government",
     "医保 医疗保障 报销 参保 异地就医 集采 门诊统筹"),
    ("{place}乡村振兴局", "县乡村振兴局", "government",
     "乡村振兴 脱贫 帮扶 防返贫 易地搬迁 驻村 衔接资金"),
    ("{place}城市管理局", "县城市管理局", "government",
     "城管 市容 停车 占道经营 摊贩 环卫 路灯 绿化 垃圾分类"),
    ("{place}工业信息化和科学技术局", "县工信科技局", "government",
     "工业 园区 企业 科技 创新 数字化 中小企业 专精特新 5G"),
    ("{place}林业和草原局", "县林草局", "government",
     "林业 森林 草原 造林 公益林 古树 野生动物 林下经济"),
    ("{place}退役军人事务局", "县退役军人事务局", "government",
     "退役军人 优抚 双拥 烈士 军休"),
    ("{place}司法局", "县司法局", "government",
     "司法 法律援助 普法 人民调解 社区矫正 公证 法治"),
    ("{place}民族宗教事务局", "县民宗局", "government",
     "民族 宗教 宗教场所 寺庙 少数民族 民族团结"),
    ("{place}审计局", "县审计局", "government",
     "审计 审计整改 经济责任审计 财政资金审计"),
    ("{place}统计局", "县统计局", "government",
     "统计 普查 统计数据 调查"),
    ("{place}信访局", "县信访局", "government",
     "信访 上访 群众诉求 矛盾纠纷 接访"),
    ("{place}政务服务管理局", "县政务服务局", "government",
     "政务服务 一网通办 审批 办事大厅 一件事 帮办代办"),
    ("{place}机关事务管理局", "县机关事务局", "government",
     "机关事务 公务用车 办公用房 公共机构节能 机关食堂"),
    ("国网{place}供电公司", "县供电公司", "other",
     "电力 供电 电网 停电 电价 充电桩 电费"),
    ("{place}消防救援大队", "县消防救援大队", "other",
     "消防 火灾 消防通道 消防安全 救援"),
)

CITY_UNITS: tuple[tuple[str, str, str, str], ...] = (
    ("{place}发展和改革委员会", "市发展改革委", "government", "发展 改革 项目 投资 规划 营商环境"),
    ("{place}教育体育局", "市教育体育局", "government", "教育 学校 教师 学生 体育 幼儿园"),
    ("{place}卫生健康委员会", "市卫生健康委", "government", "卫生 医疗 医院 健康 医生"),
    ("{place}住房和城乡建设局", "市住房城乡建设局", "government", "住房 建设 物业 老旧小区 燃气"),
    ("{place}交通运输局", "市交通运输局", "government", "交通 道路 公路 公交 物流"),
    ("{place}农业农村局", "市农业农村局", "government", "农业 农村 农民 种植 养殖 乡村振兴"),
    ("{place}生态环境局", "市生态环境局", "government", "环境 生态 污染 环保 污水"),
    ("{place}公安局", "市公安局", "government", "公安 治安 交通安全 电信诈骗"),
    ("{place}中级人民法院", "市中级法院", "court", "法院 诉讼 审判 执行"),
)

PROVINCE_UNITS: tuple[tuple[str, str, str, str], ...] = (
    ("{place}发展和改革委员会", "省发展改革委", "government", "发展 改革 项目 投资 规划"),
    ("{place}教育厅", "省教育厅", "government", "教育 学校 教师 学生 高校"),
    ("{place}卫生健康委员会", "省卫生健康委", "government", "卫生 医疗 医院 健康"),
    ("{place}农业农村厅", "省农业农村厅", "government", "农业 农村 农民 乡村振兴"),
    ("{place}交通运输厅", "省交通运输厅", "government", "交通 道路 公路 铁路 机场"),
    ("{place}生态环境厅", "省生态环境厅", "government", "环境 生态 污染 环保 九湖"),
    ("{place}文化和旅游厅", "省文化和旅游厅", "government", "文化 旅游 景区 文物"),
)

# --- special committees, groups, collective bodies -------------------------

# name → sectors whose members usually sit on it (the county's "四委一办" at the start of the term).
COUNTY_SPECIAL_COMMITTEES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("提案委员会", "负责提案的审查立案、交办、督办和办理协商，组织优秀提案评选。",
     ("中共", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "无党派人士",
      "特邀人士")),
    ("文史和学习委员会", "负责文史资料征集编研、委员学习培训和书香政协建设。",
     ("文化艺术界", "教育界", "宗教界", "少数民族界", "体育界")),
    ("委员联络委员会", "负责委员联络服务、履职档案和界别活动组工作。",
     ("共青团", "工会", "妇联", "社会福利和社会保障界", "医药卫生界")),
    ("经济委员会", "负责经济领域的调研视察、对口协商和民主监督。",
     ("经济界", "工商联", "科技界")),
    ("人口资源环境委员会", "负责人口、资源、环境领域的调研视察和对口协商。",
     ("农业界",)),
)
AGRICULTURE_COMMITTEE = ("农业和农村委员会",
                         "2023年新组建，负责农业农村、乡村振兴和生态环境领域的调研视察和对口协商。")

# Sector activity groups: name → sectors.
COUNTY_SECTOR_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("中共界别活动组", ("中共",)),
    ("民主党派和无党派人士活动组", ("民革", "民盟", "民建", "民进", "农工党", "致公党",
                                   "九三学社", "无党派人士")),
    ("人民团体活动组", ("共青团", "工会", "妇联")),
    ("经济界活动组", ("经济界", "工商联")),
    ("农业和科技界活动组", ("农业界", "科技界")),
    ("教育体育界活动组", ("教育界", "体育界")),
    ("文化艺术界活动组", ("文化艺术界",)),
    ("医药卫生界活动组", ("医药卫生界",)),
    ("社会福利和民族宗教界活动组", ("社会福利和社会保障界", "少数民族界", "宗教界")),
    ("特邀界活动组", ("特邀人士",)),
)

# The county's towns and streets (a member lives in one; town groups are formed in five).
COUNTY_TOWNS = ("东城街道", "西城街道", "河西镇", "青石镇", "白马镇", "柳湾乡", "龙潭乡", "新桥镇")
COUNTY_TOWN_GROUPS = ("东城街道", "西城街道", "河西镇", "青石镇", "白马镇")

# (name, kind, sector or organisation whose senior member is the contact).
COUNTY_BODIES: tuple[tuple[str, str, str], ...] = (
    ("民革{place}支部", "party", "民革"),
    ("民盟{place}委员会", "party", "民盟"),
    ("民建{place}总支部", "party", "民建"),
    ("民进{place}支部", "party", "民进"),
    ("农工党{place}支部", "party", "农工党"),
    ("九三学社{place}支社", "party", "九三学社"),
    ("{place}工商业联合会", "organisation", "工商联"),
    ("共青团{place}委员会", "organisation", "共青团"),
    ("{place}总工会", "organisation", "工会"),
    ("{place}妇女联合会", "organisation", "妇联"),
    ("{place}科学技术协会", "organisation", "科技界"),
    ("经济界活动组", "sector_group", "经济界"),
    ("农业和科技界活动组", "sector_group", "农业界"),
    ("教育体育界活动组", "sector_group", "教育界"),
    ("医药卫生界活动组", "sector_group", "医药卫生界"),
)
