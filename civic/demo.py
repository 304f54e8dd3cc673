"""Demo data for the civic directory: Chongqing's real districts and
counties (public names and administrative codes), a few streets,
communities and grid cells under two of them, departments and topics."""

from civic.models import Area, Department, Topic

CITY = ("500000", "重庆市", "Chongqing")

DISTRICTS = [
    ("500101", "万州区", "Wanzhou District"),
    ("500102", "涪陵区", "Fuling District"),
    ("500103", "渝中区", "Yuzhong District"),
    ("500104", "大渡口区", "Dadukou District"),
    ("500105", "江北区", "Jiangbei District"),
    ("500106", "沙坪坝区", "Shapingba District"),
    ("500107", "九龙坡区", "Jiulongpo District"),
    ("500108", "南岸区", "Nan'an District"),
    ("500109", "北碚区", "Beibei District"),
    ("500110", "綦江区", "Qijiang District"),
    ("500111", "大足区", "Dazu District"),
    ("500112", "渝北区", "Yubei District"),
    ("500113", "巴南区", "Banan District"),
    ("500114", "黔江区", "Qianjiang District"),
    ("500115", "长寿区", "Changshou District"),
    ("500116", "江津区", "Jiangjin District"),
    ("500117", "合川区", "Hechuan District"),
    ("500118", "永川区", "Yongchuan District"),
    ("500119", "南川区", "Nanchuan District"),
    ("500120", "璧山区", "Bishan District"),
    ("500151", "铜梁区", "Tongliang District"),
    ("500152", "潼南区", "Tongnan District"),
    ("500153", "荣昌区", "Rongchang District"),
    ("500154", "开州区", "Kaizhou District"),
    ("500155", "梁平区", "Liangping District"),
    ("500156", "武隆区", "Wulong District"),
    ("500229", "城口县", "Chengkou County"),
    ("500230", "丰都县", "Fengdu County"),
    ("500231", "垫江县", "Dianjiang County"),
    ("500233", "忠县", "Zhong County"),
    ("500235", "云阳县", "Yunyang County"),
    ("500236", "奉节县", "Fengjie County"),
    ("500237", "巫山县", "Wushan County"),
    ("500238", "巫溪县", "Wuxi County"),
    ("500240", "石柱土家族自治县", "Shizhu Tujia Autonomous County"),
    ("500241", "秀山土家族苗族自治县", "Xiushan Tujia and Miao Autonomous County"),
    ("500242", "酉阳土家族苗族自治县", "Youyang Tujia and Miao Autonomous County"),
    ("500243", "彭水苗族土家族自治县", "Pengshui Miao and Tujia Autonomous County"),
]

# district code -> streets -> communities -> grid cells
LOCAL = {
    "500103": [
        (
            "500103001",
            "七星岗街道",
            "Qixinggang Subdistrict",
            [
                ("500103001001", "领事巷社区", "Lingshixiang Community"),
                ("500103001002", "金汤街社区", "Jintangjie Community"),
            ],
        ),
        (
            "500103002",
            "解放碑街道",
            "Jiefangbei Subdistrict",
            [
                ("500103002001", "民族路社区", "Minzulu Community"),
                ("500103002002", "大井巷社区", "Dajingxiang Community"),
            ],
        ),
        (
            "500103003",
            "朝天门街道",
            "Chaotianmen Subdistrict",
            [
                ("500103003001", "朝东路社区", "Chaodonglu Community"),
            ],
        ),
    ],
    "500106": [
        (
            "500106001",
            "小龙坎街道",
            "Xiaolongkan Subdistrict",
            [
                ("500106001001", "小龙坎正街社区", "Xiaolongkan Zhengjie Community"),
                ("500106001002", "新桥社区", "Xinqiao Community"),
            ],
        ),
        (
            "500106002",
            "磁器口街道",
            "Ciqikou Subdistrict",
            [
                ("500106002001", "磁器口社区", "Ciqikou Community"),
            ],
        ),
    ],
}
GRID_CELLS_PER_COMMUNITY = 2

TOPICS = [
    (
        "transport",
        "交通出行",
        "Transport",
        "公交、轨道、道路与停车",
        "Buses, metro, roads and parking",
    ),
    (
        "education",
        "教育",
        "Education",
        "学前、义务教育与终身学习",
        "Pre-school, schools and lifelong learning",
    ),
    (
        "health",
        "医疗卫生",
        "Health",
        "医院、社区卫生与公共卫生",
        "Hospitals, community clinics and public health",
    ),
    (
        "elderly-care",
        "养老服务",
        "Elderly care",
        "居家、社区与机构养老",
        "Home, community and residential care for older people",
    ),
    (
        "childcare",
        "托育服务",
        "Childcare",
        "婴幼儿照护与儿童友好",
        "Infant care and child-friendly services",
    ),
    (
        "housing",
        "住房保障",
        "Housing",
        "保障性住房与老旧小区改造",
        "Affordable housing and renovation of old estates",
    ),
    (
        "environment",
        "生态环境",
        "Environment",
        "空气、水、噪声与垃圾分类",
        "Air, water, noise and waste sorting",
    ),
    (
        "employment",
        "就业创业",
        "Employment",
        "就业服务、技能培训与创业支持",
        "Job services, skills training and start-up support",
    ),
    (
        "public-safety",
        "公共安全",
        "Public safety",
        "治安、消防与应急",
        "Policing, fire safety and emergencies",
    ),
    (
        "culture-sport",
        "文化体育",
        "Culture and sport",
        "图书馆、公园、体育设施与文化活动",
        "Libraries, parks, sports facilities and events",
    ),
    (
        "urban-management",
        "城市管理",
        "Urban management",
        "市容、照明、绿化与公共空间",
        "Streetscape, lighting, greenery and public space",
    ),
    (
        "government-services",
        "政务服务",
        "Government services",
        "办事效率、一网通办与便民服务",
        "Getting things done with the government, online and in person",
    ),
]

DEPARTMENTS = [
    (
        "transport-commission",
        "重庆市交通运输委员会",
        "Chongqing Municipal Transport Commission",
        "500000",
        None,
        ["transport"],
    ),
    (
        "education-commission",
        "重庆市教育委员会",
        "Chongqing Municipal Education Commission",
        "500000",
        None,
        ["education", "childcare"],
    ),
    (
        "health-commission",
        "重庆市卫生健康委员会",
        "Chongqing Municipal Health Commission",
        "500000",
        None,
        ["health", "childcare"],
    ),
    (
        "civil-affairs",
        "重庆市民政局",
        "Chongqing Municipal Civil Affairs Bureau",
        "500000",
        None,
        ["elderly-care"],
    ),
    (
        "housing-commission",
        "重庆市住房和城乡建设委员会",
        "Chongqing Municipal Housing and Urban-Rural Development Commission",
        "500000",
        None,
        ["housing"],
    ),
    (
        "ecology-environment",
        "重庆市生态环境局",
        "Chongqing Municipal Ecology and Environment Bureau",
        "500000",
        None,
        ["environment"],
    ),
    (
        "human-resources",
        "重庆市人力资源和社会保障局",
        "Chongqing Municipal Human Resources and Social Security Bureau",
        "500000",
        None,
        ["employment"],
    ),
    (
        "urban-management",
        "重庆市城市管理局",
        "Chongqing Municipal Urban Management Bureau",
        "500000",
        None,
        ["urban-management", "culture-sport"],
    ),
    (
        "yuzhong-government",
        "渝中区人民政府",
        "Yuzhong District People's Government",
        "500103",
        None,
        ["government-services", "urban-management"],
    ),
    (
        "yuzhong-civil-affairs",
        "渝中区民政局",
        "Yuzhong District Civil Affairs Bureau",
        "500103",
        "civil-affairs",
        ["elderly-care"],
    ),
]


def _area(code, name_zh, name_en, level, parent):
    area, _ = Area.objects.update_or_create(
        code=code,
        defaults={
            "name_zh": name_zh,
            "name_en": name_en,
            "level": level,
            "parent": parent,
        },
    )
    return area


def seed() -> None:
    city = _area(*CITY, Area.Level.CITY, None)
    for code, name_zh, name_en in DISTRICTS:
        district = _area(code, name_zh, name_en, Area.Level.DISTRICT, city)
        for s_code, s_zh, s_en, communities in LOCAL.get(code, []):
            street = _area(s_code, s_zh, s_en, Area.Level.STREET, district)
            for c_code, c_zh, c_en in communities:
                community = _area(c_code, c_zh, c_en, Area.Level.COMMUNITY, street)
                for n in range(1, GRID_CELLS_PER_COMMUNITY + 1):
                    _area(
                        f"{c_code}{n:02d}",
                        f"{c_zh}第{n}网格",
                        f"{c_en}, grid {n}",
                        Area.Level.GRID,
                        community,
                    )
    for position, (slug, zh, en, d_zh, d_en) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            slug=slug,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "description_zh": d_zh,
                "description_en": d_en,
                "position": position,
            },
        )
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for slug, zh, en, area_code, parent_slug, topic_slugs in DEPARTMENTS:
        department, _ = Department.objects.update_or_create(
            slug=slug,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "area": Area.objects.get(code=area_code),
                "parent": Department.objects.get(slug=parent_slug)
                if parent_slug
                else None,
            },
        )
        department.topics.set([topics[t] for t in topic_slugs])
