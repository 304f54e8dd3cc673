"""A synthetic corpus of resident inputs with planted structure, for the
acceptance tests and the benchmark: inputs in Chinese and English on a
dozen public-service themes, near-duplicates of some of them (reposts with
small edits, traditional characters, full-width letters), and mass
campaigns of near-identical submissions from many accounts. The same seed
gives the same corpus."""

import random
from dataclasses import dataclass, field

from opencc import OpenCC

DISTRICTS = [
    ("渝中区", "Yuzhong", ["解放碑", "较场口", "七星岗", "上清寺", "大坪", "化龙桥"]),
    ("江北区", "Jiangbei", ["观音桥", "江北嘴", "五里店", "石马河", "寸滩"]),
    ("南岸区", "Nan'an", ["南坪", "弹子石", "茶园", "铜元局", "海棠溪"]),
    ("沙坪坝区", "Shapingba", ["三峡广场", "磁器口", "大学城", "西永", "歌乐山"]),
    ("九龙坡区", "Jiulongpo", ["杨家坪", "石桥铺", "谢家湾", "黄桷坪", "西彭"]),
    ("渝北区", "Yubei", ["龙头寺", "礼嘉", "回兴", "两路", "照母山"]),
    ("巴南区", "Banan", ["鱼洞", "李家沱", "龙洲湾", "界石"]),
    ("北碚区", "Beibei", ["天生", "蔡家", "歇马", "北温泉"]),
]

# Each theme: Chinese subjects, problems and requests; English ones.
THEMES = [
    {
        "name": "bus",
        "zh": (
            ["公交车", "公交线路", "公交站", "早高峰的公交"],
            [
                "太挤了根本上不去",
                "班次太少要等半小时",
                "经常不按时刻表发车",
                "站台没有遮雨棚",
                "拥挤得连门都关不上",
                "末班车收得太早",
            ],
            [
                "增加高峰班次",
                "开通一条直达的公交线路",
                "延长末班车时间",
                "加密发车间隔",
                "优化公交站的位置",
                "调配更多的公交车",
            ],
        ),
        "en": (
            ["the buses", "the bus route", "the bus stop", "rush hour buses"],
            [
                "are so crowded we cannot get on",
                "come only every thirty minutes",
                "never keep to the timetable",
                "have no shelter from the rain",
                "are overcrowded at peak hours",
                "stop running far too early",
            ],
            [
                "add more buses at rush hour",
                "open a direct bus route",
                "run the last bus later",
                "increase the bus frequency",
                "move the bus stop closer",
                "put more buses on the line",
            ],
        ),
    },
    {
        "name": "elevator",
        "zh": (
            ["老旧小区", "我们这栋老楼", "老旧小区的住户", "七楼的老人"],
            [
                "没有电梯老人爬楼太辛苦",
                "加装电梯的申请一直没有批",
                "老人每天爬楼梯腿脚受不了",
                "加装电梯的费用分摊谈不拢",
                "残疾人下楼非常困难",
                "楼梯又陡又窄",
            ],
            [
                "尽快给老旧小区加装电梯",
                "出台加装电梯的补贴政策",
                "简化加装电梯的审批",
                "协调低楼层住户同意加装",
                "把加装电梯纳入老旧小区改造",
                "派人来现场评估加装电梯",
            ],
        ),
        "en": (
            [
                "our old residential building",
                "the old estate",
                "older buildings here",
                "elderly people on the seventh floor",
            ],
            [
                "have no elevator and the stairs are exhausting",
                "applied to install an elevator years ago with no answer",
                "cannot climb the stairs every day",
                "cannot agree on sharing the elevator cost",
                "make it very hard for disabled residents",
                "have steep narrow staircases",
            ],
            [
                "install elevators in old residential buildings",
                "subsidise elevator installation",
                "simplify approval for installing elevators",
                "help neighbours agree on the elevator",
                "include elevators in the old estate renovation",
                "send someone to assess an elevator",
            ],
        ),
    },
    {
        "name": "parking",
        "zh": (
            ["小区停车位", "路边停车", "医院门口的停车", "学校附近的违章停车"],
            [
                "严重不足每天晚上找不到车位",
                "乱停乱放堵住了消防通道",
                "收费太贵还没有车位",
                "把人行道都占满了",
                "早晚接送孩子时堵成一团",
                "车位被长期占用",
            ],
            [
                "规划建设立体停车场",
                "加强违章停车的执法",
                "开放机关单位的停车位",
                "在周边增加公共停车位",
                "设置限时停车位",
                "整治占用消防通道的车辆",
            ],
        ),
        "en": (
            [
                "parking spaces in our compound",
                "street parking",
                "parking at the hospital",
                "illegal parking near the school",
            ],
            [
                "are so short we circle for an hour every night",
                "block the fire lane",
                "cost too much and are always full",
                "fill the whole footpath",
                "jams the road at school pickup time",
                "are taken by abandoned cars",
            ],
            [
                "build a multi storey car park",
                "enforce the rules on illegal parking",
                "open office car parks to residents at night",
                "add public parking spaces nearby",
                "create short stay parking spots",
                "clear cars from the fire lanes",
            ],
        ),
    },
    {
        "name": "garbage",
        "zh": (
            ["小区的垃圾", "垃圾分类", "垃圾站", "路边的垃圾桶"],
            [
                "好几天没人清运臭味很大",
                "分类之后又被混在一起运走",
                "离住户太近夏天异味熏人",
                "总是满得溢出来",
                "垃圾分类的指引看不懂",
                "招来很多老鼠和苍蝇",
            ],
            [
                "增加垃圾清运的次数",
                "把垃圾站搬离居民楼",
                "多设几个分类垃圾桶",
                "加强垃圾分类的宣传",
                "定期给垃圾站消毒",
                "公开垃圾清运的时间表",
            ],
        ),
        "en": (
            [
                "the rubbish in our estate",
                "garbage sorting",
                "the waste station",
                "the street bins",
            ],
            [
                "has not been collected for days and stinks",
                "gets mixed together again after sorting",
                "is right next to our windows and smells in summer",
                "are always overflowing",
                "has confusing instructions",
                "attracts rats and flies",
            ],
            [
                "collect the garbage more often",
                "move the waste station away from homes",
                "put out more recycling bins",
                "explain garbage sorting better",
                "disinfect the waste station regularly",
                "publish the garbage collection schedule",
            ],
        ),
    },
    {
        "name": "noise",
        "zh": (
            ["工地夜间施工", "广场舞的音响", "楼下酒吧", "渣土车夜间"],
            [
                "半夜还在施工噪音吵得睡不着",
                "每天晚上音响开得震天响",
                "噪音一直到凌晨两点",
                "轰隆隆地开过整夜都吵",
                "孩子没法安心写作业",
                "老人心脏受不了这样的噪音",
            ],
            [
                "严格限制夜间施工的时间",
                "规定广场舞音响的音量",
                "加强噪音的监测和执法",
                "公布夜间施工许可",
                "给跳广场舞的人划定场地",
                "禁止渣土车夜间穿行小区",
            ],
        ),
        "en": (
            [
                "night construction at the worksite",
                "the square dancing speakers",
                "the bar downstairs",
                "dump trucks at night",
            ],
            [
                "make noise after midnight and we cannot sleep",
                "are deafening every evening",
                "are loud until two in the morning",
                "rumble past all night long",
                "stop our children doing homework",
                "are too much for elderly neighbours",
            ],
            [
                "limit construction at night",
                "set a volume limit for square dancing",
                "monitor noise and enforce the rules",
                "publish the night construction permits",
                "give the dancers a proper place",
                "ban trucks from driving through at night",
            ],
        ),
    },
    {
        "name": "flooding",
        "zh": (
            ["一下暴雨路口", "小区地下车库", "下穿道", "老街的排水"],
            [
                "积水就没过膝盖",
                "每次下大雨都被淹",
                "排水沟堵了好几年没人疏通",
                "内涝严重车辆熄火",
                "下水道返水满街都是污水",
                "雨水井盖被冲走很危险",
            ],
            [
                "改造排水管网",
                "定期疏通下水道",
                "在低洼路段安装抽水泵",
                "暴雨前提前发布内涝预警",
                "加固雨水井盖",
                "把排水改造列入今年计划",
            ],
        ),
        "en": (
            [
                "after heavy rain the junction",
                "our underground car park",
                "the underpass",
                "drainage in the old street",
            ],
            [
                "is under knee deep standing water",
                "floods every time it storms",
                "has blocked drains nobody has cleared for years",
                "is waterlogged and cars break down",
                "sends sewage back up into the street",
                "loses its drain covers which is dangerous",
            ],
            [
                "rebuild the drainage network",
                "clear the sewers regularly",
                "install pumps on the low roads",
                "warn us before rainstorms",
                "secure the drain covers",
                "put drainage works in this year's plan",
            ],
        ),
    },
    {
        "name": "canteen",
        "zh": (
            ["社区老年食堂", "老人吃饭", "助餐点", "独居老人"],
            [
                "离家太远腿脚不便去不了",
                "价格偏高退休金不够用",
                "一到周末就不开门",
                "菜品单一天天一个样",
                "没有送餐上门的服务",
                "排队时间太长",
            ],
            [
                "在社区开一个老年食堂",
                "给高龄老人提供送餐服务",
                "对老人用餐给予补贴",
                "周末也开放社区食堂",
                "丰富食堂的菜品",
                "在每个社区设助餐点",
            ],
        ),
        "en": (
            [
                "the community canteen for the elderly",
                "meals for older people",
                "the meal service point",
                "seniors who live alone",
            ],
            [
                "is too far for people with bad legs",
                "costs too much for a pension",
                "closes at weekends",
                "serves the same dishes every day",
                "has no meal delivery",
                "means queuing for too long",
            ],
            [
                "open an elderly canteen in our community",
                "deliver meals to the oldest residents",
                "subsidise meals for seniors",
                "keep the canteen open at weekends",
                "offer more dishes in the canteen",
                "set up a meal point in every community",
            ],
        ),
    },
    {
        "name": "school",
        "zh": (
            ["幼儿园学位", "小学入学", "公办幼儿园", "新小区的孩子上学"],
            [
                "太紧张排不上号",
                "划片不合理要跨区上学",
                "离家太远每天接送很辛苦",
                "学位严重不足",
                "报名系统总是崩溃",
                "民办幼儿园收费太贵",
            ],
            [
                "新建一所公办幼儿园",
                "增加小学学位",
                "调整入学划片",
                "在新小区配套建设学校",
                "扩大普惠幼儿园的比例",
                "优化入学报名系统",
            ],
        ),
        "en": (
            [
                "kindergarten places",
                "primary school admission",
                "public kindergartens",
                "children in the new estate",
            ],
            [
                "are so scarce we are on a waiting list",
                "send us to a school across the district",
                "are too far to walk our kids",
                "are badly short of school places",
                "crash the enrolment website",
                "cost too much in private preschools",
            ],
            [
                "build a new public kindergarten",
                "add primary school places",
                "redraw the school catchment",
                "build a school with the new estate",
                "open more affordable kindergartens",
                "fix the enrolment system",
            ],
        ),
    },
    {
        "name": "clinic",
        "zh": (
            ["社区医院", "挂号", "家庭医生", "社区卫生服务中心"],
            [
                "看病排队要排一上午",
                "挂号太难总是约不上",
                "签约了家庭医生却联系不上",
                "缺少儿科医生",
                "药品种类太少常用药买不到",
                "周末不开门诊",
            ],
            [
                "增加社区医院的医生",
                "开通网上挂号预约",
                "落实家庭医生上门服务",
                "社区医院开设儿科",
                "配齐常用药品",
                "延长社区医院的门诊时间",
            ],
        ),
        "en": (
            [
                "the community clinic",
                "doctor appointments",
                "our family doctor",
                "the health centre",
            ],
            [
                "means queuing the whole morning",
                "are impossible to book",
                "never answers the phone",
                "has no paediatric doctor",
                "runs out of common medicines",
                "is closed at weekends",
            ],
            [
                "hire more doctors at the clinic",
                "let us book appointments online",
                "make family doctors visit homes",
                "open a children's clinic",
                "stock the common medicines",
                "keep the clinic open longer",
            ],
        ),
    },
    {
        "name": "streetlight",
        "zh": (
            ["小区门口的路灯", "梯坎上的路灯", "背街小巷的路灯", "江边步道的照明"],
            [
                "坏了好几个月没人修",
                "晚上黑漆漆的很不安全",
                "间隔太远照不亮路面",
                "一到晚上就熄灭",
                "老人晚上摔倒过好几次",
                "女生晚上回家很害怕",
            ],
            [
                "尽快修复路灯",
                "在梯坎上加装路灯",
                "增加背街小巷的照明",
                "延长路灯的开灯时间",
                "排查所有不亮的路灯",
                "安装太阳能路灯",
            ],
        ),
        "en": (
            [
                "the street lights at our gate",
                "the lamps on the stairway",
                "lighting in the back lanes",
                "lights on the riverside path",
            ],
            [
                "have been broken for months",
                "leave it pitch dark and unsafe at night",
                "are too far apart to light the road",
                "go out every evening",
                "left elderly people falling in the dark",
                "make women afraid walking home at night",
            ],
            [
                "repair the street lights quickly",
                "put lamps on the stairway",
                "light up the back lanes",
                "keep the street lights on longer",
                "check every broken streetlight",
                "install solar street lamps",
            ],
        ),
    },
    {
        "name": "charging",
        "zh": (
            ["电动自行车充电", "小区充电桩", "新能源车充电", "电瓶车"],
            [
                "只能飞线充电很危险",
                "数量太少每天排队",
                "充电桩坏了没人修",
                "推进楼道充电容易起火",
                "充电收费不透明",
                "车库没有充电桩",
            ],
            [
                "在小区安装集中充电桩",
                "增加新能源车充电桩",
                "定期维修充电桩",
                "建设电动自行车充电棚",
                "规范充电收费",
                "在车库配建充电桩",
            ],
        ),
        "en": (
            [
                "charging e-bikes",
                "charging piles in our compound",
                "electric car charging",
                "electric scooters",
            ],
            [
                "means dangerous cables out of windows",
                "are too few so we queue every day",
                "stay broken for weeks",
                "are charged in corridors and catch fire",
                "have unclear charging fees",
                "have no charger in the garage",
            ],
            [
                "install shared charging points in the estate",
                "add more charging stations",
                "repair the chargers regularly",
                "build a charging shed for e-bikes",
                "regulate charging fees",
                "put chargers in the garage",
            ],
        ),
    },
    {
        "name": "park",
        "zh": (
            ["口袋公园", "健身步道", "小区周边的绿地", "江边的公园"],
            [
                "太少了老人孩子没地方活动",
                "年久失修地面坑坑洼洼",
                "被改成了停车场",
                "健身器材都坏了",
                "晚上没有照明",
                "没有公共厕所",
            ],
            [
                "多建几个口袋公园",
                "修缮健身步道",
                "把空地改造成绿地",
                "更新健身器材",
                "在公园里修公共厕所",
                "连通江边的步道",
            ],
        ),
        "en": (
            [
                "pocket parks",
                "the fitness trail",
                "green space near us",
                "the riverside park",
            ],
            [
                "are too few for children and seniors to play",
                "is full of potholes",
                "was turned into a car park",
                "has broken exercise equipment",
                "has no lighting at night",
                "has no public toilet",
            ],
            [
                "build more pocket parks",
                "repair the fitness trail",
                "turn empty lots into green space",
                "replace the exercise equipment",
                "add toilets in the park",
                "connect the riverside walking trails",
            ],
        ),
    },
]

ZH_OPENERS = [
    "",
    "",
    "我是{street}的居民，",
    "反映一个问题：",
    "在{street}住了{years}年了，",
    "作为{district}的老住户，",
    "各位领导好，",
    "我想说一下，",
    "再次反映，",
]
ZH_CLOSERS = [
    "",
    "希望有关部门重视。",
    "谢谢！",
    "盼复。",
    "拜托了。",
    "已经反映过{times}次了。",
    "希望今年能解决。",
    "辛苦了！",
]
ZH_DETAILS = [
    "",
    "",
    "（{street}{number}号附近）",
    "，{number}栋的邻居都有同感",
    "，这种情况持续{months}个月了",
    "，上周{weekday}又是这样",
]
EN_OPENERS = [
    "",
    "",
    "I live near {street} and ",
    "Dear officials, ",
    "As a {district} resident, ",
    "Once again: ",
    "In {street}, ",
]
EN_CLOSERS = [
    "",
    "",
    "Thank you.",
    "Please reply.",
    "This has gone on for {months} months.",
    "I have reported it {times} times.",
    "Hope this gets fixed this year.",
]
EN_DETAILS = [
    "",
    "",
    " (near number {number} {street})",
    ", and my neighbours in block {number} agree",
    ", last {weekday} again",
]
# Personal details: what makes two residents' inputs on the same theme
# differ even when they choose the same phrases.
ZH_STORIES = [
    "我家住在{street}{number}号{floor}楼，{who}今年{age}岁了。",
    "{who}每天早上{clock}点出门，{event}。",
    "上个月{day}号那天{event}，{who}也在场。",
    "我在{street}住了{years}年，{event}。",
    "{who}{age}岁，住{floor}楼，{event}。",
    "这个月{day}号晚上{clock}点左右，{event}。",
]
ZH_WHO = [
    "我母亲",
    "我父亲",
    "我爷爷",
    "我奶奶",
    "我儿子",
    "我女儿",
    "隔壁的王阿姨",
    "楼上的李大爷",
    "我爱人",
    "同事小张",
]
ZH_EVENTS = [
    "差点出了事",
    "等了一个多小时",
    "找了社区也没用",
    "打了热线说会处理",
    "拍了照片发到业主群",
    "去街道办问过两次",
    "在门口摔了一跤",
    "只好请假在家",
    "邻居们都在议论",
    "物业说管不了",
]
EN_STORIES = [
    "I live at number {number}, floor {floor}, and my {who_en} is {age}. ",
    "My {who_en} leaves home at {clock} every morning and {event_en}. ",
    "On the {day}th last month my {who_en} {event_en}. ",
    "I have lived in {street} for {years} years and {event_en}. ",
    "My {who_en} is {age} and lives on floor {floor}; last week they {event_en}. ",
]
EN_WHO = [
    "mother",
    "father",
    "grandfather",
    "grandmother",
    "son",
    "daughter",
    "neighbour",
    "husband",
    "wife",
    "colleague",
]
EN_EVENTS = [
    "nearly had an accident",
    "waited over an hour",
    "called the hotline twice",
    "asked the community office with no result",
    "posted photos in the owners' group",
    "fell at the entrance",
    "had to take a day off",
    "was told nobody is responsible",
]
WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]

REPOST_PREFIXES_ZH = ["同意楼上！", "+1 ", "顶，", "我也是这样，", "附议："]
REPOST_SUFFIXES_ZH = ["！！", "急！", "同问。", " 顶"]
REPOST_PREFIXES_EN = ["+1 ", "Agreed. ", "Same here: ", "Me too. "]
REPOST_SUFFIXES_EN = ["!!", " Urgent.", " Please!", " +1"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


@dataclass
class Corpus:
    """Texts with their planted truth: ``theme`` (index into THEMES),
    ``origin`` (the index of the text each is a near-duplicate of; its own
    index for an original), ``campaign`` (campaign number or -1),
    ``account`` (a resident number), ``district`` (Chinese name) and
    ``language``."""

    texts: list[str] = field(default_factory=list)
    theme: list[int] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)
    campaign: list[int] = field(default_factory=list)
    account: list[int] = field(default_factory=list)
    district: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)

    def add(self, text, *, theme, origin, campaign, account, district, language):
        self.texts.append(text)
        self.theme.append(theme)
        self.origin.append(len(self.texts) - 1 if origin is None else origin)
        self.campaign.append(campaign)
        self.account.append(account)
        self.district.append(district)
        self.language.append(language)

    def __len__(self):
        return len(self.texts)


class _Writer:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        self.s2t = OpenCC("s2t")

    def _slots(self, district):
        rng = self.rng
        return {
            "district": district[0],
            "street": rng.choice(district[2]),
            "years": rng.randint(2, 40),
            "times": rng.randint(2, 9),
            "months": rng.randint(2, 18),
            "number": rng.randint(1, 300),
            "floor": rng.randint(2, 33),
            "age": rng.randint(3, 95),
            "clock": rng.randint(5, 23),
            "day": rng.randint(1, 28),
            "who": rng.choice(ZH_WHO),
            "event": rng.choice(ZH_EVENTS),
            "who_en": rng.choice(EN_WHO),
            "event_en": rng.choice(EN_EVENTS),
        }

    def original(self, theme: int, language: str, district) -> str:
        rng = self.rng
        subjects, problems, requests = THEMES[theme][language]
        slots = self._slots(district)
        if language == "zh":
            slots["weekday"] = rng.choice(WEEKDAYS_ZH)
            place = rng.choice(
                [
                    district[0],
                    rng.choice(district[2]),
                    district[0] + rng.choice(district[2]),
                    "",
                ]
            )
            text = (
                rng.choice(ZH_OPENERS)
                + place
                + rng.choice(subjects)
                + rng.choice(problems)
                + rng.choice(ZH_DETAILS)
                + "，"
                + rng.choice(["希望", "建议", "请", "恳请", ""])
                + rng.choice(requests)
                + "。"
                + rng.choice(ZH_CLOSERS)
            )
            story = rng.choice(ZH_STORIES)
            text = story + text if rng.random() < 0.5 else text + story
        else:
            slots["weekday"] = rng.choice(WEEKDAYS_EN)
            slots["street"] = rng.choice(district[2])
            subject = rng.choice(subjects)
            text = (
                rng.choice(EN_OPENERS)
                + subject
                + " in "
                + district[1]
                + " "
                + rng.choice(problems)
                + rng.choice(EN_DETAILS)
                + ". "
                + rng.choice(
                    ["Please ", "We ask you to ", "Could you ", "I suggest you "]
                )
                + rng.choice(requests)
                + ". "
                + rng.choice(EN_CLOSERS)
            )
            story = rng.choice(EN_STORIES)
            text = story + text if rng.random() < 0.5 else text + " " + story
            if rng.random() < 0.5:
                text = text[0].upper() + text[1:]
        return text.format(**slots).strip()

    def repost(self, text: str, language: str) -> str:
        """A near-duplicate: one or two small edits a person reposting or
        copying would make."""
        rng = self.rng
        for _ in range(rng.randint(1, 2)):
            edit = rng.randrange(6)
            if edit == 0:
                prefixes = (
                    REPOST_PREFIXES_ZH if language == "zh" else REPOST_PREFIXES_EN
                )
                text = rng.choice(prefixes) + text
            elif edit == 1:
                suffixes = (
                    REPOST_SUFFIXES_ZH if language == "zh" else REPOST_SUFFIXES_EN
                )
                text = text + rng.choice(suffixes)
            elif edit == 2 and language == "zh":
                text = self.s2t.convert(text)
            elif edit == 2:
                text = text.upper() if rng.random() < 0.3 else text.lower()
            elif edit == 3:
                # Full-width letters, digits and punctuation.
                text = "".join(
                    chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
                )
            elif edit == 4 and len(text) > 30:
                at = rng.randrange(len(text))
                text = text[:at] + text[at + 1 :]
            else:
                text = text.replace("，", ", ").replace("。", ". ") + " "
        return text


def generate(
    *,
    originals: int = 1200,
    duplicate_share: float = 0.2,
    campaigns: tuple[int, ...] = (500,),
    english_share: float = 0.3,
    seed: int = 7,
    account_offset: int = 0,
) -> Corpus:
    """A corpus of ``originals`` original inputs spread over the themes,
    near-duplicates of ``duplicate_share`` of them (one to three each),
    and one campaign per size in ``campaigns``, shuffled."""
    writer = _Writer(seed)
    rng = writer.rng
    entries = []  # (text, theme, origin key, campaign, account, district, language)
    next_account = account_offset
    for key in range(originals):
        theme = key % len(THEMES)
        # Each theme is most often raised in "its" district.
        hot = DISTRICTS[theme % len(DISTRICTS)]
        district = hot if rng.random() < 0.5 else rng.choice(DISTRICTS)
        language = "en" if rng.random() < english_share else "zh"
        text = writer.original(theme, language, district)
        entries.append((text, theme, key, -1, next_account, district[0], language))
        next_account += 1
        if rng.random() < duplicate_share:
            for _ in range(rng.randint(1, 3)):
                entries.append(
                    (
                        writer.repost(text, language),
                        theme,
                        key,
                        -1,
                        next_account,
                        district[0],
                        language,
                    )
                )
                next_account += 1
    for number, size in enumerate(campaigns):
        theme = number % len(THEMES)
        district = DISTRICTS[theme % len(DISTRICTS)]
        base = writer.original(theme, "zh", district) + "大家一起来联名！"
        key = originals + number
        for _ in range(size):
            text = base
            if rng.random() < 0.5:
                text = (
                    text
                    + rng.choice(SURNAMES)
                    + rng.choice(["先生", "女士", "阿姨", ""])
                )
            if rng.random() < 0.2:
                text = writer.repost(text, "zh")
            entries.append((text, theme, key, number, next_account, district[0], "zh"))
            next_account += 1
    rng.shuffle(entries)
    corpus = Corpus()
    first_of: dict[int, int] = {}
    for text, theme, key, campaign, account, district, language in entries:
        origin = first_of.setdefault(key, len(corpus))
        corpus.add(
            text,
            theme=theme,
            origin=origin,
            campaign=campaign,
            account=account,
            district=district,
            language=language,
        )
    return corpus
