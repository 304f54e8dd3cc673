"""What the demo consultations say: drafts, comments, replies and outcomes.

Chongqing topics in Chinese, with English summaries and a few English
comments from foreign residents, as a city portal would carry them. People
are named by the local part of their demo email (``resident3`` is
resident3@minyi.example). Section anchors (``article-6``, ``paragraph-2``)
are those the document parser gives the draft.
"""

from dataclasses import dataclass

# Demo residents beyond the ones in accounts.demo: email local part, display
# name, home community code.
RESIDENT_PASSWORD = "Minyi-resident-2026"
RESIDENTS = [
    ("resident3", "刘芳 Liu Fang", "500103001002"),
    ("resident4", "陈志强 Chen Zhiqiang", "500106002001"),
    ("resident5", "杨丽 Yang Li", "500103003001"),
    ("resident6", "赵永红 Zhao Yonghong", "500106001002"),
    ("resident7", "Emily Carter 艾米丽", "500103002002"),
    ("resident8", "黄建华 Huang Jianhua", "500103001001"),
]


@dataclass(frozen=True)
class Reply:
    who: str
    body: str
    official: bool = False


@dataclass(frozen=True)
class Said:
    """A top-level comment and what happened to it."""

    who: str
    stance: str
    body: str
    section: str = ""
    supporters: tuple[str, ...] = ()
    replies: tuple[Reply, ...] = ()
    tag: str = ""
    addendum: str = ""  # added by its author in an edit just after posting
    withdrawn: bool = False  # deleted by its author later
    pending: bool = False  # pre-moderation: not approved yet
    reported: tuple[str, str] | None = None  # (reporter, reason)


@dataclass(frozen=True)
class Decision:
    theme: str
    section: str
    what_was_said: str
    decision: str
    reason: str
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spec:
    """A consultation; ``opens_in`` is days from now (negative: the past)."""

    title: str
    summary: str
    body: str
    department: str
    official: str
    areas: tuple[str, ...]
    topics: tuple[str, ...]
    document: str
    state: str
    opens_in: int
    days: int
    moderation: str = "post"
    said: tuple[Said, ...] = ()
    extension: tuple[int, str] | None = None  # (days later, public reason)
    outcome_summary: str = ""
    decisions: tuple[Decision, ...] = ()
    responded_after: int = 0  # days after closing
    archived_after: int = 0  # days after the response


ELDERLY_CARE_DOCUMENT = """\
本草案由重庆市民政局起草，征求意见结束后将根据各方意见修改完善，按程序提请市人民代表大会常务委员会审议。条文中的数字、期限均为征求意见稿拟定内容。

# 第一章 总则

第一条 为了满足老年人养老服务需求，规范养老服务活动，促进养老服务高质量发展，根据《中华人民共和国老年人权益保障法》等法律、行政法规，结合本市实际，制定本条例。

第二条 本市行政区域内的养老服务及其监督管理活动，适用本条例。

本条例所称养老服务，是指在家庭成员承担赡养、扶养义务的基础上，由政府、社会、市场为老年人提供的生活照料、助餐助浴、康复护理、医疗保健、精神慰藉、紧急救援等服务。

第三条 养老服务应当坚持政府主导、社会参与、市场运作、家庭尽责的原则，构建居家社区机构相协调、医养康养相结合的养老服务体系。

第四条 市、区县（自治县）人民政府应当将养老服务事业纳入国民经济和社会发展规划，建立养老服务工作协调机制，所需经费列入本级财政预算。

民政部门负责本行政区域内养老服务的统筹规划、指导、监督和管理。发展改革、财政、卫生健康、住房城乡建设、规划自然资源、人力社保、市场监管等部门按照各自职责做好养老服务相关工作。

# 第二章 居家社区养老服务

第五条 街道办事处、乡镇人民政府应当依托社区养老服务综合体和站点，为居家老年人提供助餐、助浴、助洁、助行、助医、助急等服务。

第六条 新建住宅小区应当按照每百户不少于二十平方米的标准配建社区养老服务用房，与住宅同步规划、同步建设、同步验收、同步交付使用。

已建成住宅小区无养老服务设施或者现有设施未达到标准的，区县（自治县）人民政府应当在二〇二七年十二月三十一日前通过购置、置换、租赁等方式补足。

第七条 鼓励和支持社区老年食堂、助餐点建设。对八十周岁以上老年人、经济困难的失能老年人给予就餐补贴，具体标准由区县（自治县）人民政府制定。

助餐服务应当方便老年人就近用餐；有条件的，可以提供送餐上门服务。

第八条 区县（自治县）民政部门应当组织对居家的失能、高龄、独居老年人开展定期探访关爱，建立探访关爱记录。

鼓励为前款规定的老年人安装紧急呼叫、烟雾报警等智能安全设备。

# 第三章 机构养老服务

第九条 养老机构应当依法办理登记，并在收住老年人后十个工作日内向所在地区县（自治县）民政部门备案。

养老机构应当按照国家标准配备与服务规模相适应的护理人员，失能老年人与护理人员的比例不得高于四比一。

第十条 养老机构应当与入住老年人或者其代理人签订服务协议，明确服务内容、收费标准、权利义务等事项。

养老机构不得以任何名义向老年人非法集资或者推销保健品。收取预收费用的，应当按照规定存管。

# 第四章 医养结合与人才队伍

第十一条 养老机构可以依法内设医务室、护理站，或者与周边医疗卫生机构签订合作协议，为老年人提供医疗巡诊、健康管理、急诊急救绿色通道等服务。

基层医疗卫生机构应当为辖区内六十五周岁以上老年人提供家庭医生签约服务。

第十二条 市、区县（自治县）人民政府应当建立养老护理员薪酬待遇和职业发展激励机制，对在养老机构连续从事护理工作满五年的护理员给予一次性奖补。

鼓励职业院校开设老年服务与管理等相关专业。

# 第五章 附则

第十三条 本条例自  年  月  日起施行。
"""

ELDERLY_CARE = Spec(
    title="《重庆市养老服务条例（草案）》征求意见",
    summary=(
        "市民政局起草了《重庆市养老服务条例（草案）》，对居家社区养老、"
        "机构养老、医养结合和护理人才队伍作出规定，现公开征求意见。"
        "Draft Regulation on Elderly-Care Services: home and community care, "
        "care homes, medical care for older people and care workers. "
        "Comments are welcome on the whole draft or on any article."
    ),
    body=(
        "为积极应对人口老龄化，满足全市七百余万老年人日益增长的养老服务需求，"
        "市民政局在深入调研、广泛听取区县和养老服务机构意见的基础上，"
        "起草了《重庆市养老服务条例（草案）》。现将草案全文公布，"
        "公开征求社会各界意见。\n\n"
        "**如何提出意见**\n\n"
        "1. 在本页对草案全文或具体条款发表意见，可表明支持、反对、建议或提问；\n"
        "2. 来信请寄重庆市民政局政策法规处，并在信封上注明“养老服务条例意见”；\n"
        "3. 也可拨打12345政务服务便民热线反映。\n\n"
        "征求意见结束后，我们将在本页公布意见采纳情况。\n\n"
        "*English summary.* The Civil Affairs Bureau has drafted a regulation "
        "on elderly-care services: meal, bathing and home-visit services in "
        "every community, space for care services in new and old housing "
        "estates, staffing rules for care homes, medical care and support for "
        "care workers. Read the draft below and comment on the whole text or "
        "on a single article."
    ),
    department="civil-affairs",
    official="official",
    areas=("500000",),
    topics=("elderly-care", "health"),
    document=ELDERLY_CARE_DOCUMENT,
    state="open",
    opens_in=-12,
    days=30,
    said=(
        Said(
            "resident",
            "support",
            "总体赞成。家里两位老人都八十多岁了，最需要的就是家门口的助餐和上门护理。"
            "希望条例通过后各区县能尽快出台实施细则，不要停留在纸面上。",
            supporters=("resident2", "resident3", "resident5", "resident8"),
            replies=(
                Reply(
                    "official",
                    "感谢您的支持。条例通过后，市民政局将会同相关部门在六个月内制定配套实施办法，"
                    "并在本平台公开征求意见。",
                    official=True,
                ),
            ),
        ),
        Said(
            "resident3",
            "suggestion",
            "第六条对新建小区可行，但渝中区老旧小区多、用房紧张，“二〇二七年底前补足”"
            "恐怕很难落实。建议允许相邻小区联建共享，按街道统筹面积，"
            "并明确闲置的国有房产优先用于养老服务。",
            section="article-6",
            supporters=("resident", "resident5", "resident7", "resident8"),
            replies=(
                Reply(
                    "resident8",
                    "同意。我们领事巷社区就是几个老院子挤在一起，单独配建根本没有地方。",
                ),
                Reply(
                    "official",
                    "您提出的联建共享建议很有针对性，我们将在修改时研究“按街道统筹配建”的表述。",
                    official=True,
                ),
            ),
        ),
        Said(
            "resident4",
            "suggestion",
            "助餐补贴只覆盖八十周岁以上太窄了。很多七十多岁的独居老人同样做饭困难，"
            "建议把补贴年龄降到七十周岁，至少对独居、空巢老人放宽。",
            section="article-7",
            supporters=("resident", "resident2", "resident6"),
            replies=(
                Reply(
                    "resident6",
                    "赞同。另外希望补贴能在老年食堂直接刷卡抵扣，不要让老人先垫钱再报销。",
                ),
            ),
        ),
        Said(
            "resident5",
            "question",
            "请问就餐补贴在户籍地领取还是居住地领取？我父母户口在万州，现在跟我住在渝中区，"
            "不知道能不能在这边的老年食堂享受补贴。",
            section="article-7",
            supporters=("resident4",),
            replies=(
                Reply(
                    "official",
                    "草案拟按居住地提供助餐服务，补贴标准以居住地区县为准，"
                    "具体办法将在实施细则中明确。感谢您的提问。",
                    official=True,
                ),
            ),
        ),
        Said(
            "resident2",
            "oppose",
            "四比一的护理比例对民办小型养老机构压力很大，最后会推高收费。"
            "建议按失能等级区分：重度失能一比三，中度一比五，不要一刀切。",
            section="article-9",
            supporters=("resident6",),
            replies=(
                Reply(
                    "resident3",
                    "我倒觉得比例不能放松。我母亲住的机构晚上一个护理员要管十几位老人，"
                    "出了事都没人知道。",
                ),
            ),
        ),
        Said(
            "resident6",
            "support",
            "坚决支持禁止推销保健品！我父亲去年在养老院被推销了上万元的“保健床垫”。"
            "建议再写明：家属发现推销行为可以向哪个部门投诉，多少个工作日内答复。",
            section="article-10",
            supporters=("resident", "resident2", "resident3", "resident4", "resident5"),
        ),
        Said(
            "resident7",
            "suggestion",
            "I look after my husband's grandmother in Yuzhong. Please make sure the "
            "home-visit and emergency-call services can be requested online and by "
            "phone, and that staff can help families who do not read Chinese well. "
            "A short English guide to the new services would help many foreign "
            "residents who care for elderly relatives.",
            supporters=("resident",),
            replies=(
                Reply("resident", "支持！我们社区也有外籍家属，双语办事指南很有用。"),
            ),
        ),
        Said(
            "resident8",
            "support",
            "定期探访很重要。我们楼里有位独居的老太太，去年冬天摔倒两天才被发现。"
            "建议明确探访频次，比如独居高龄老人每周至少一次，并把探访记录纳入社区网格员考核。",
            section="article-8",
            supporters=("resident", "resident3", "resident5", "resident7"),
        ),
        Said(
            "resident",
            "suggestion",
            "希望家庭医生签约能真正上门。现在签了约，一年也就打一两次电话。"
            "建议对失能老人明确每月至少上门随访一次。",
            section="article-11",
            supporters=("resident4", "resident8"),
        ),
        Said(
            "resident4",
            "support",
            "护理员工资低、留不住人。支持入职满五年奖补，建议再加上养老护理员职业技能等级认定，"
            "让年轻人愿意干这一行。",
            section="article-12",
            supporters=("resident2", "resident6"),
        ),
        Said(
            "resident3",
            "question",
            "“助浴”服务由谁来提供、怎么收费？老旧小区很多老人家里卫生间很窄，"
            "上门助浴有安全风险，社区综合体能不能配备专门的助浴间？",
            section="article-5",
        ),
        Said(
            "resident2",
            "suggestion",
            "建议在第二条的服务内容里增加“认知障碍照护”。阿尔茨海默病老人越来越多，"
            "家属最缺的就是专业照护和短期托养的喘息服务。",
            section="article-2",
            supporters=("resident", "resident7", "resident8"),
        ),
        Said(
            "resident6",
            "suggestion",
            "新建小区配建的养老用房经常被挪作他用或者长期闲置。"
            "建议写明配建用房交付后无偿移交街道，由民政部门登记管理，不得改变用途。",
            section="article-6",
            supporters=("resident3",),
        ),
        Said(
            "resident5",
            "support",
            "草案写得很具体，老旧小区补足设施有了时间表，这一点很好。"
            "希望每年公布各区县的落实情况。",
            addendum="补充：最好细化到每个街道，方便居民监督。",
        ),
        Said(
            "resident7",
            "question",
            "Will the staff-to-resident ratio of each care home be published? "
            "Families choosing a home for a relative need that information.",
            section="article-9",
            supporters=("resident2",),
        ),
    ),
)

BUS_871 = Spec(
    title="公交871路线路调整方案征求意见",
    summary=(
        "配合小龙坎正街道路改造，拟调整公交871路走向，新增新桥医院、小龙坎正街两站，"
        "撤销土湾北站，延长末班时间并加密高峰班次。"
        "Bus route 871 change: a new route through Xinqiao, two new stops, one "
        "stop removed, a later last bus and more buses at peak hours."
    ),
    body=(
        "为配合小龙坎正街道路改造工程，改善新桥片区居民就医出行，"
        "市交通运输委员会会同沙坪坝区、渝中区人民政府拟对公交871路进行线路调整。"
        "现将调整方案公示，欢迎沿线居民和乘客提出意见建议。\n\n"
        "*English summary.* Route 871 will run through Xiaolongkan Zhengjie and "
        "Xinqiao, with new stops at Xinqiao Hospital and Xiaolongkan Zhengjie; "
        "the Tuwan North stop would close; the last bus leaves an hour later and "
        "buses run every 8 minutes at peak hours."
    ),
    department="transport-commission",
    official="transport",
    areas=("500106", "500103"),
    topics=("transport",),
    document="""\
本方案为征求意见稿。调整后的线路、站点和实施日期以正式公告为准。

## 一、现行线路

871路现由沙坪坝三峡广场首末站发车，经小龙坎、土湾、化龙桥、李子坝至渝中区两路口，全程约14.2公里，设站22个，早晚高峰发车间隔12分钟，首末班时间6:30—21:30。

## 二、线路走向调整

自小龙坎站起改经小龙坎正街、新桥社区，至新桥医院后经新桥立交返回原线路，其余走向不变。调整后全程约15.0公里。

## 三、站点调整

新增“新桥医院”“小龙坎正街”两站；撤销“土湾北”站（与相邻的“土湾”站相距约300米）。调整后设站23个。

## 四、运营时间与班次

末班车由21:30延长至22:30；早晚高峰（7:00—9:00、17:00—19:00）发车间隔由12分钟缩短至8分钟，工作日和周末同样执行。

## 五、实施时间

拟于征求意见结束、完成新增站台建设后实施，具体日期另行公告。实施前一周将在沿线站牌张贴告示。
""",
    state="open",
    opens_in=-9,
    days=14,
    extension=(
        7,
        "应土湾片区居民要求，为便于沿线居民充分反映对撤销土湾北站的意见，"
        "征求意见截止时间延长一周。",
    ),
    said=(
        Said(
            "resident4",
            "oppose",
            "反对撤销土湾北站。土湾北站旁边是两个老小区，到土湾站要爬一段很陡的坡，"
            "老人和推婴儿车的根本走不动。在重庆，300米可是上坡300米！",
            section="paragraph-3",
            supporters=("resident", "resident2", "resident6", "resident8"),
            replies=(
                Reply("resident6", "+1，我妈每天在土湾北站坐车去医院。"),
                Reply(
                    "transport",
                    "感谢反馈。我们已安排工作人员实地踏勘土湾北站至土湾站的步行条件，"
                    "将结合坡度和客流重新评估是否保留该站。",
                    official=True,
                ),
            ),
        ),
        Said(
            "resident2",
            "support",
            "支持改走小龙坎正街，新桥医院增设站点非常必要，看病的人再也不用走到大路上转车了。",
            section="paragraph-2",
            supporters=("resident4", "resident6"),
        ),
        Said(
            "resident6",
            "support",
            "末班车延长到22:30太好了，我在解放碑上班，经常赶不上末班车。",
            section="paragraph-4",
            supporters=("resident", "resident7"),
        ),
        Said(
            "resident7",
            "question",
            "Will the new stops have bilingual signs and English announcements on "
            "board, like the metro? And will route 871 take the same transport "
            "cards and QR codes as now?",
            section="paragraph-4",
            replies=(
                Reply(
                    "transport",
                    "新增站点站牌采用中英文双语标识，车内报站同步更新，支付方式不变。"
                    "The new stops will have bilingual signs and announcements; "
                    "payment does not change.",
                    official=True,
                ),
            ),
        ),
        Said(
            "resident",
            "suggestion",
            "建议小龙坎正街施工期间设置临时站点，并提前一周在站牌和车内张贴公告，"
            "方便不会用手机的老人知道。",
            supporters=("resident5",),
        ),
        Said(
            "resident8",
            "question",
            "新增站台建设需要多长时间？建设期间是否临时停靠其他站点？",
            section="paragraph-5",
        ),
        Said(
            "resident3",
            "suggestion",
            "建议871路延伸到较场口，方便去医院。",
            replies=(
                Reply(
                    "resident5",
                    "较场口已经有好几条线了，延伸会让全程更长、班次更慢，我觉得没必要。",
                ),
            ),
            withdrawn=True,
        ),
        Said(
            "resident2",
            "question",
            "我们小区门口修路修了好几个月，晚上噪音很大，请问找谁反映？",
            reported=("resident4", "off_topic"),
        ),
    ),
)

ELING_PARK = Spec(
    title="鹅岭公园提升改造方案征求意见",
    summary=(
        "渝中区拟对鹅岭公园实施提升改造：无障碍步道和电梯、公共厕所、儿童活动场地、"
        "历史建筑修缮与夜景照明。Eling Park renovation: step-free paths and a "
        "lift, new toilets, a playground, repairs to historic buildings and "
        "gentle night lighting."
    ),
    body=(
        "鹅岭公园始建于1958年，前身为民国初年的私家园林“礼园”，是渝中区历史最悠久的公园之一。"
        "园内步道年久失修、无障碍设施缺乏、公共厕所不足，群众多次通过12345热线反映。"
        "渝中区人民政府拟实施鹅岭公园提升改造工程，现将方案公开征求意见。\n\n"
        "本次征求意见实行先审后发：您的意见经审核后公开显示。\n\n"
        "*English summary.* Yuzhong District plans to renovate Eling Park, one "
        "of the oldest parks in the city: step-free paths and a lift, more "
        "toilets, a children's playground, careful repairs to the historic "
        "buildings and softer night lighting. Comments are published after a "
        "moderator has read them."
    ),
    department="yuzhong-government",
    official="yuzhong",
    areas=("500103",),
    topics=("culture-sport", "urban-management"),
    moderation="pre",
    document="""\
鹅岭公园提升改造方案（征求意见稿）。改造不新增经营性建筑，不减少公园绿地面积。

## 一、无障碍与步道

对正门至瞰胜楼的主游览步道进行改造，坡度较大的路段增设扶手和休息平台；在正门、二号门增设无障碍坡道，新建一部连接正门广场与中部平台的无障碍电梯。

## 二、公共厕所

改造现有2座公共厕所，新建1座，均设置第三卫生间和母婴室，厕位由24个增加至40个。

## 三、儿童活动与健身场地

在公园东侧空地新建儿童活动场地约1200平方米，设置适合3至12岁儿童的游乐设施；沿健身步道增设健身器材。

## 四、历史建筑与夜景照明

对飞阁、桐轩等历史建筑进行修缮，不改变原有风貌；瞰胜楼夜景照明采用低照度暖色光源，每晚22:00后关闭，减少对周边居民的影响。

## 五、施工安排

工程拟分两期实施，总工期约10个月。施工期间公园分区开放，主要游览路线保持畅通，每日开园时间不变。
""",
    state="open",
    opens_in=-4,
    days=28,
    said=(
        Said(
            "resident",
            "support",
            "无障碍电梯太需要了！推着轮椅的家属上鹅岭实在太难，以前只能绕好大一圈。",
            section="paragraph-1",
            supporters=("resident5", "resident7", "resident8"),
        ),
        Said(
            "resident8",
            "suggestion",
            "夜景照明一定要克制，瞰胜楼离居民楼很近。建议照明设计出来后再单独公示一次。",
            section="paragraph-4",
            supporters=("resident",),
            replies=(
                Reply(
                    "yuzhong",
                    "感谢建议。夜景照明专项设计完成后，我们将在本平台再次公示。",
                    official=True,
                ),
            ),
        ),
        Said(
            "resident7",
            "suggestion",
            "Please keep the big old trees near the east lawn when you build the "
            "playground, and add shade and drinking fountains. Families come here "
            "on hot summer evenings.",
            section="paragraph-3",
            supporters=("resident3",),
        ),
        Said(
            "resident5",
            "question",
            "施工期间早上晨练的居民还能进园吗？几点开门？",
            section="paragraph-5",
        ),
        Said(
            "resident3",
            "oppose",
            "东侧空地是老人打太极拳的地方，建议儿童场地另选位置，或者保留一块晨练空间。",
            section="paragraph-3",
            supporters=("resident8",),
        ),
        Said(
            "resident2",
            "suggestion",
            "建议园内增设几处便民售卖点，方便游客买水。",
            pending=True,
        ),
    ),
)

NIGHT_METRO = Spec(
    title="轨道交通夜间延时运营试点方案征求意见",
    summary=(
        "拟在周五、周六及法定节假日前一天，对轨道交通1号线、2号线、3号线试点延时运营至次日0:30。"
        "Late-night metro pilot: lines 1, 2 and 3 would run until 00:30 on "
        "Fridays, Saturdays and the eve of public holidays."
    ),
    body=(
        "为满足市民夜间出行需求、服务夜间经济发展，市交通运输委员会拟组织开展轨道交通夜间延时运营试点。"
        "征求意见期开始后，欢迎市民就试点线路、时段和接驳公交提出意见。\n\n"
        "*English summary.* A pilot of later metro service on lines 1, 2 and 3 "
        "on Friday and Saturday nights. The comment period opens soon."
    ),
    department="transport-commission",
    official="transport",
    areas=("500000",),
    topics=("transport",),
    document="""\
本方案为征求意见稿，试点期限为六个月。

## 一、试点线路

轨道交通1号线、2号线、3号线。

## 二、延时时段

每周五、周六及法定节假日前一天，末班车延时至次日0:30，延时时段行车间隔不超过15分钟。

## 三、接驳保障

在延时运营线路的主要换乘站周边，同步开行夜间接驳公交。
""",
    state="scheduled",
    opens_in=6,
    days=30,
)

FACILITIES_DRAFT = Spec(
    title="《重庆市社区养老服务设施配建管理办法》征求意见",
    summary=(
        "规范新建住宅小区养老服务设施的规划、建设、移交和使用管理。"
        "Rules for planning, building, handing over and using care facilities "
        "in new housing estates."
    ),
    body=(
        "本办法草稿由市民政局会同市住房城乡建设委、市规划自然资源局起草，尚在内部修改中。\n\n"
        "*English summary.* Draft rules on care facilities in new housing estates."
    ),
    department="civil-affairs",
    official="official",
    areas=("500000",),
    topics=("elderly-care", "housing"),
    document="""\
# 第一章 总则

第一条 为了规范社区养老服务设施配建管理，根据《重庆市养老服务条例》，制定本办法。

第二条 本办法所称社区养老服务设施，是指新建住宅小区按照规定标准配套建设的养老服务用房及其附属设施。

# 第二章 建设与移交

第三条 配建的社区养老服务设施应当设置在建筑低层，有独立出入口，具备无障碍通行条件。

第四条 建设单位应当在住宅小区竣工验收后三个月内，将配建设施无偿移交所在地街道办事处或者乡镇人民政府。
""",
    state="draft",
    opens_in=20,
    days=30,
)

MEAL_POINTS = Spec(
    title="渝中区社区老年助餐服务点布局方案征求意见",
    summary=(
        "渝中区拟在首批6个社区设立老年助餐服务点，明确服务内容、价格和补贴对象。"
        "Community meal points for older residents in Yuzhong: six "
        "communities in the first round, prices and who gets a subsidy."
    ),
    body=(
        "为解决辖区老年人“吃饭难”问题，渝中区民政局拟按照“就近便利、可持续运营”的原则，"
        "分批建设社区老年助餐服务点。现将首批布局方案公开征求意见。\n\n"
        "*English summary.* Yuzhong Civil Affairs plans meal points for older "
        "residents in six communities first, with set prices and subsidies for "
        "those over eighty or on low incomes."
    ),
    department="yuzhong-civil-affairs",
    official="official",
    areas=("500103",),
    topics=("elderly-care",),
    document="""\
本方案所称老年助餐服务点，是指依托社区养老服务站、社区食堂或者餐饮企业，为老年人提供堂食、送餐服务的场所。

## 一、布局原则

按照步行15分钟可达的要求，优先在老年人口密集、周边缺少平价餐饮的社区设点。

## 二、首批点位

解放碑街道民族路社区、大井巷社区，七星岗街道金汤街社区，朝天门街道朝东路社区，上清寺街道聚兴村社区，大坪街道袁家岗社区。

## 三、服务内容与价格

提供午餐、晚餐堂食和送餐服务，标准餐（一荤两素一汤）价格不高于15元，送餐每份加收不超过3元。

## 四、补贴对象

本区户籍或者持有居住证的八十周岁以上老年人，以及低保、特困老年人，每餐补贴3元至5元。
""",
    state="closed",
    opens_in=-35,
    days=31,
    said=(
        Said(
            "resident",
            "support",
            "民族路社区设点太好了，附近的老人以前只能吃面馆，天天一碗小面。",
            section="paragraph-2",
            supporters=("resident3", "resident5"),
        ),
        Said(
            "resident3",
            "suggestion",
            "建议每周菜单和价格在门口公示，一荤两素的分量也要有标准，不要缩水。",
            section="paragraph-3",
            supporters=("resident", "resident8"),
        ),
        Said(
            "resident5",
            "question",
            "持居住证的外区县老人如何申请补贴？需要到哪里办理？",
            section="paragraph-4",
        ),
        Said(
            "resident8",
            "suggestion",
            "领事巷社区老人多，周边也没有平价餐馆，希望纳入首批点位。",
            section="paragraph-2",
            supporters=("resident", "resident3"),
            replies=(
                Reply(
                    "official",
                    "领事巷社区已列入第二批点位候选名单，我们将结合本次意见统筹考虑。",
                    official=True,
                ),
            ),
        ),
        Said(
            "resident7",
            "suggestion",
            "Please offer a soft-food option for people who have trouble chewing, "
            "and post the weekly menu at the door in large print.",
            section="paragraph-3",
            supporters=("resident5",),
        ),
        Said(
            "resident2",
            "support",
            "方案很实在，希望沙坪坝也尽快推开。",
        ),
    ),
)

PARKING = Spec(
    title="中心城区路内停车收费标准调整方案征求意见",
    summary=(
        "拟对中心城区路内停车实行分区域差别化收费，调整商圈核心区收费标准，"
        "实行夜间按次收费和短时免费停车。"
        "On-street parking charges in the central city: higher rates in the "
        "busiest shopping districts, a flat night rate and short free stops."
    ),
    body=(
        "为缓解中心城区停车难、提高路内泊位周转率，引导车辆停入路外停车场，"
        "市交通运输委员会会同市发展改革委拟调整中心城区路内停车收费标准。\n\n"
        "*English summary.* Higher on-street parking charges in the busiest "
        "shopping districts, a capped night rate, free stops of up to 15 "
        "minutes and discounts for electric cars and disabled drivers."
    ),
    department="transport-commission",
    official="transport",
    areas=("500000",),
    topics=("transport",),
    document="""\
本方案为征求意见稿，收费标准以价格主管部门正式公布为准。

第一条 本方案适用于渝中区、江北区、南岸区、九龙坡区、沙坪坝区、大渡口区、渝北区、巴南区、北碚区城市道路范围内施划的收费停车泊位。

第二条 路内停车泊位分为一类、二类、三类区域，实行差别化收费。解放碑、观音桥、三峡广场、杨家坪、南坪等商圈核心区为一类区域。

第三条 一类区域白天（8:00—20:00）首小时收费由5元调整为8元，之后每半小时4元；二类、三类区域收费标准不变。

第四条 夜间（20:00至次日8:00）路内停车按次收费，每次不超过5元。

第五条 停车15分钟以内免费。

第六条 新能源汽车停车享受首小时半价优惠；残疾人驾驶的机动车免费停放。
""",
    state="responded",
    opens_in=-80,
    days=30,
    responded_after=25,
    said=(
        Said(
            "resident",
            "oppose",
            "一类区域涨到8元太贵了。解放碑周边的居民在自家门口停车也要按这个标准交钱吗？"
            "建议给周边居民办理包月。",
            section="article-3",
            supporters=("resident3", "resident5", "resident8"),
            tag="rates",
        ),
        Said(
            "resident2",
            "support",
            "15分钟免费很好，接送孩子、买个东西够用了。",
            section="article-5",
            supporters=("resident6",),
            tag="free-yes",
        ),
        Said(
            "resident4",
            "suggestion",
            "建议免费时长延长到30分钟，去医院拿个药15分钟根本不够。",
            section="article-5",
            supporters=("resident2", "resident6"),
            tag="free-longer",
        ),
        Said(
            "resident6",
            "suggestion",
            "夜间按次收费合理，但很多老小区没有车库，晚上只能停路边，每次5元一个月就是150元，"
            "建议夜间收费再降一些。",
            section="article-4",
            supporters=("resident4",),
            tag="night",
        ),
        Said(
            "resident7",
            "question",
            "Does the exemption for disabled drivers apply to cars registered in "
            "other cities? How do we register for it?",
            section="article-6",
            tag="disabled",
            replies=(
                Reply(
                    "transport",
                    "外地号牌的残疾人驾驶车辆同样适用，可通过“渝快办”在线登记。"
                    "Cars registered elsewhere qualify too; register online "
                    "through the Yukuaiban service.",
                    official=True,
                ),
            ),
        ),
        Said(
            "resident3",
            "support",
            "支持差别化收费。商圈路边长时间停车太多，堵路，提高收费能让车停进停车场。",
            supporters=("resident2",),
            tag="general",
        ),
        Said(
            "resident8",
            "suggestion",
            "建议公布各类区域的具体路段清单，哪些路段算一类区域要说清楚，并在泊位旁设置标识。",
            section="article-2",
            supporters=("resident",),
            tag="list",
        ),
    ),
    outcome_summary=(
        "征求意见期间，共收到公众意见7条、回复1条，主要涉及一类区域收费标准、免费停车时长、"
        "夜间收费和区域划分。我们逐条研究了每一条意见：采纳2条，部分采纳1条，"
        "未采纳1条并说明理由，其余作为解释说明。修改后的方案已报市政府审定，"
        "将在正式印发后30日起实施。\n\n"
        "In short: the night rate is lowered, free parking near hospitals is "
        "extended to 30 minutes, and the list of streets in each zone will be "
        "published; the daytime rate in the busiest districts stays as proposed."
    ),
    decisions=(
        Decision(
            "一类区域白天收费标准",
            "article-3",
            "3位居民认为一类区域首小时8元涨幅过大，担心商圈周边居民在自家附近停车负担加重，"
            "建议为周边居民办理包月；另有1位居民支持提高收费、引导车辆停入停车场。",
            "not_adopted",
            "商圈核心区路内泊位日均周转率仅2.1次，长时间占用泊位是拥堵的主要原因，"
            "收费标准维持8元。同时，周边居民可在路外公共停车场办理包月，每月不超过200元，"
            "各区公布可办理包月的停车场名单。",
            comments=("rates", "general"),
        ),
        Decision(
            "短时免费停车",
            "article-5",
            "居民普遍支持15分钟内免费；有居民建议延长至30分钟，以便就医取药、接送学生。",
            "partial",
            "医院周边200米范围内的路内泊位免费时长延长至30分钟，其余区域维持15分钟，"
            "以免降低商圈泊位周转率。",
            comments=("free-yes", "free-longer"),
        ),
        Decision(
            "夜间停车收费",
            "article-4",
            "有居民反映老旧小区缺少车库，居民夜间只能停在路边，按次5元负担较重。",
            "adopted",
            "夜间按次收费上限由每次5元下调为每次3元。",
            comments=("night",),
        ),
        Decision(
            "区域划分与路段清单",
            "article-2",
            "有居民建议公布各类区域的具体路段，并在现场设置标识。",
            "adopted",
            "方案正式印发时同步公布一类、二类、三类区域路段清单，并在每个收费泊位旁设置区域标识。",
            comments=("list",),
        ),
        Decision(
            "残疾人驾驶车辆免费停放",
            "article-6",
            "有外籍居民询问外地号牌车辆是否适用、如何登记。",
            "noted",
            "外地号牌的残疾人驾驶车辆同样适用，可通过“渝快办”在线登记，无需到现场办理。",
            comments=("disabled",),
        ),
    ),
)

OLD_ESTATES = Spec(
    title="渝中区老旧小区改造项目清单（第一批）征求意见",
    summary=(
        "公布渝中区第一批老旧小区改造项目清单和改造内容，征求小区居民意见。"
        "Renovation of old housing estates in Yuzhong, first round: which "
        "estates, and what will be done."
    ),
    body=(
        "按照“居民自愿、先民生后提升”的原则，渝中区人民政府拟对第一批老旧小区实施改造。"
        "现将项目清单和改造内容公开征求意见。\n\n"
        "*English summary.* The first round of renovation of old housing "
        "estates in Yuzhong: the list of estates and the work planned."
    ),
    department="yuzhong-government",
    official="yuzhong",
    areas=("500103",),
    topics=("housing", "urban-management"),
    document="""\
本清单所列小区均为2000年以前建成、基础设施老化的住宅小区。

## 一、改造范围

七星岗街道领事巷片区、金汤街片区，解放碑街道大井巷片区，朝天门街道朝东路片区，共计38栋楼、2160户。

## 二、改造内容

基础类：供水、供电、燃气、消防设施和屋面防水改造；完善类：外墙整治、楼道照明、安装扶手、增设停车和充电设施；提升类：有条件的楼栋加装电梯。

## 三、居民参与

改造方案经小区居民三分之二以上同意后实施，施工期间设立居民监督小组。
""",
    state="archived",
    opens_in=-420,
    days=30,
    responded_after=40,
    archived_after=60,
    said=(
        Said(
            "resident",
            "suggestion",
            "加装电梯要尽量纳入，不能只刷外墙。我们楼七层，住了十几位八十岁以上的老人。",
            section="paragraph-2",
            supporters=("resident3", "resident8"),
            tag="lifts",
        ),
        Said(
            "resident8",
            "support",
            "领事巷片区终于列入了，期待早日开工。",
            section="paragraph-1",
            supporters=("resident",),
        ),
        Said(
            "resident3",
            "suggestion",
            "改造前要入户征求意见，施工方案和工期在每个楼道张贴，监督小组名单也要公开。",
            section="paragraph-3",
            supporters=("resident5",),
            tag="participation",
        ),
        Said(
            "resident5",
            "question",
            "雨污分流是否包含在改造内容里？我们小区一下大雨就返水。",
            section="paragraph-2",
            tag="drains",
        ),
    ),
    outcome_summary=(
        "征求意见期间共收到意见4条。我们将加装电梯、居民参与和雨污分流三方面意见纳入了改造方案。"
        "第一批项目已全部开工。The first round now includes drainage work and "
        "more lifts; every building will see its plan before work starts."
    ),
    decisions=(
        Decision(
            "加装电梯",
            "paragraph-2",
            "居民希望把加装电梯作为重点，不要只做外墙整治。",
            "partial",
            "对结构条件允许、居民同意率达到要求的17栋楼纳入加装电梯计划；其余楼栋增设楼道扶手和休息座椅。",
            comments=("lifts",),
        ),
        Decision(
            "居民参与和施工公示",
            "paragraph-3",
            "居民建议改造前入户征求意见，在楼道公示施工方案、工期和监督小组名单。",
            "adopted",
            "每栋楼改造前入户征求意见；施工方案、工期、监督小组名单在楼道和本平台同步公示。",
            comments=("participation",),
        ),
        Decision(
            "雨污分流",
            "paragraph-2",
            "有居民反映小区雨天返水，询问是否包含雨污分流。",
            "adopted",
            "将雨污分流改造列入基础类改造内容。",
            comments=("drains",),
        ),
    ),
)

CONSULTATIONS = [
    ELDERLY_CARE,
    BUS_871,
    ELING_PARK,
    NIGHT_METRO,
    FACILITIES_DRAFT,
    MEAL_POINTS,
    PARKING,
    OLD_ESTATES,
]
