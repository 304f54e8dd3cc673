"""Demo suggestions and demands, written through the services where a
person would act: residents raise suggestions and add "me too", officials
accept, assign, answer, resolve, decline and merge. The inputs behind each
demand point at the demo's comments and suggestions. Dates are then moved
back over the past months so the dashboard has a history. Idempotent: once
the first demo demand exists, nothing is done again."""

import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import User
from civic.models import Area, Department, Topic
from consultations import search
from consultations.models import Comment
from demands import services
from demands.models import Demand, DemandSource, DemandUpdate, Suggestion

KEY_NAMESPACE = uuid.UUID("5b0f7c2e-1d7a-4e63-9a55-3c1f0e9d2b47")
MARKER = "解放碑片区增设无障碍公交站点 / Step-free bus stops around Jiefangbei"

# email, display name, home area
EXTRA_RESIDENTS = [
    ("resident3@minyi.example", "赵敏 Zhao Min", "500103002001"),
    ("resident4@minyi.example", "孙浩 Sun Hao", "500103002002"),
    ("resident5@minyi.example", "周婷 Zhou Ting", "500103001001"),
    ("resident6@minyi.example", "吴强 Wu Qiang", "500106001001"),
    ("resident7@minyi.example", "郑丽 Zheng Li", "500106002001"),
    ("resident8@minyi.example", "Emily Chen", "500103003001"),
]

# author, title, body, topic, area, "me too" from
SUGGESTIONS = [
    (
        "resident",
        "解放碑步行街增设无障碍公交站 / A step-free bus stop on Jiefangbei",
        "步行街附近的公交站台阶太高，轮椅和推婴儿车都上不去，希望改成无障碍站台。\n\n"
        "The bus stops near the pedestrian street have high steps; wheelchairs "
        "and prams cannot get on. Please make them step-free.",
        "transport",
        "500103002001",
        ["resident2", "resident3", "resident4", "resident5"],
    ),
    (
        "resident3",
        "民族路社区食堂延长营业时间 / Longer hours for the Minzulu canteen",
        "社区老年食堂只开到下午一点，很多老人上午去医院赶不上，希望延长到两点半。",
        "elderly-care",
        "500103002001",
        ["resident", "resident4"],
    ),
    (
        "resident6",
        "沙坪坝公园夜间照明 / Lighting in Shapingba Park at night",
        "公园东侧步道晚上太黑，散步不安全，建议增加路灯。\n\n"
        "The east path of the park is dark at night; please add street lights.",
        "urban-management",
        "500106001001",
        ["resident2", "resident7"],
    ),
    (
        "resident8",
        "More English signs at the Jiefangbei metro exits",
        "Visitors get lost between exits; bilingual signs at street level would "
        "help. 建议在解放碑地铁站出口增加中英文指示牌。",
        "transport",
        "500103003001",
        ["resident"],
    ),
    (
        "resident4",
        "老旧小区加装电梯补贴 / Subsidies for lifts in old blocks",
        "我们楼七层没有电梯，希望政府加快加装电梯的审批和补贴。",
        "housing",
        "500103002002",
        ["resident3", "resident5", "resident"],
    ),
]


def _people() -> dict[str, User]:
    for email, name, area_code in EXTRA_RESIDENTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "home_area": Area.objects.filter(code=area_code).first(),
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
    return {
        u.email.split("@")[0]: u
        for u in User.objects.filter(email__endswith="@minyi.example")
    }


def _source(obj, demand: Demand, kind: str, when) -> DemandSource:
    text = getattr(obj, "body", "")
    if isinstance(obj, Suggestion):
        text = f"{obj.title}\n{obj.body}"
    source, _ = DemandSource.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        defaults={
            "kind": kind,
            "url": obj.get_absolute_url(),
            "text": text,
            "author": obj.author,
            "area": getattr(obj, "area", None) or getattr(obj, "author_area", None),
            "topic": getattr(obj, "topic", None),
            "consultation": getattr(obj, "consultation", None),
            "created_at": when,
            "demand": demand,
            "tokens": " ".join(dict.fromkeys(search.tokens(text))),
        },
    )
    return source


def _backdate(demand: Demand, days: int) -> None:
    """Move the demand and its timeline ``days`` back (keeping the gaps)."""
    shift = timedelta(days=days)
    demand = Demand.objects.get(pk=demand.pk)
    fields = {"created_at": demand.created_at - shift}
    for name in ("first_response_at", "resolved_at"):
        if getattr(demand, name):
            fields[name] = getattr(demand, name) - shift
    Demand.objects.filter(pk=demand.pk).update(**fields)
    for update in DemandUpdate.objects.filter(demand=demand):
        DemandUpdate.objects.filter(pk=update.pk).update(
            created_at=update.created_at - shift
        )
    # The suggestions behind it were raised a little before it was listed.
    raised = fields["created_at"] - timedelta(days=1)
    sources = DemandSource.objects.filter(
        demand=demand, kind=DemandSource.Kind.SUGGESTION, created_at__gt=raised
    )
    Suggestion.objects.filter(pk__in=sources.values("object_id")).update(
        created_at=raised
    )
    sources.update(created_at=raised)


def _stretch(demand: Demand, response_days: float, resolution_days=None) -> None:
    """Put the first response ``response_days`` (and the resolution
    ``resolution_days``) after the demand was received."""
    demand = Demand.objects.get(pk=demand.pk)
    fields = {}
    if demand.first_response_at:
        fields["first_response_at"] = demand.created_at + timedelta(days=response_days)
    if demand.resolved_at and resolution_days is not None:
        fields["resolved_at"] = demand.created_at + timedelta(days=resolution_days)
    Demand.objects.filter(pk=demand.pk).update(**fields)
    updates = list(
        DemandUpdate.objects.filter(demand=demand, author__isnull=False).order_by(
            "created_at", "pk"
        )
    )
    for index, update in enumerate(updates):
        moment = demand.created_at + timedelta(days=response_days + 2 * index)
        if resolution_days is not None and update.status_to == "resolved":
            moment = demand.created_at + timedelta(days=resolution_days)
        DemandUpdate.objects.filter(pk=update.pk).update(created_at=moment)


def seed() -> int:
    """Create the demo suggestions and demands; return how many demands."""
    if Demand.objects.filter(title=MARKER).exists():
        return 0
    people = _people()
    if "official" not in people or "resident" not in people:
        return 0
    topics = {t.slug: t for t in Topic.objects.all()}
    departments = {d.slug: d for d in Department.objects.all()}
    areas = {a.code: a for a in Area.objects.filter(level__lte=Area.Level.COMMUNITY)}
    official = people["official"]
    transport = people.get("transport", official)
    yuzhong = people.get("yuzhong", official)

    suggestions = []
    for index, (author, title, body, topic, area, supporters) in enumerate(SUGGESTIONS):
        suggestion = services.suggestion_create(
            author=people[author],
            title=title,
            body=body,
            topic=topics.get(topic),
            area=areas.get(area),
            form_key=uuid.uuid5(KEY_NAMESPACE, f"suggestion-{index}"),
        )
        for name in supporters:
            if name in people and people[name] != suggestion.author:
                services.suggestion_support(user=people[name], suggestion=suggestion)
        suggestions.append(suggestion)

    comments = list(
        Comment.objects.filter(
            parent__isnull=True,
            status=Comment.Status.VISIBLE,
            official_department__isnull=True,
        )
        .select_related("consultation", "author")
        .order_by("pk")[:12]
    )
    now = timezone.now()

    # 1. Resolved: step-free bus stops (transport commission).
    bus = services.demand_create(
        title=MARKER,
        summary=(
            "居民反映解放碑片区公交站台阶过高，轮椅、婴儿车无法上车，希望改造为无障碍站台。\n"
            "Residents ask for step-free bus stops around Jiefangbei."
        ),
        topic=topics.get("transport"),
        area=areas.get("500103002"),
        keywords=["公交站", "无障碍", "轮椅", "step-free", "bus stop"],
    )
    _source(suggestions[0], bus, DemandSource.Kind.SUGGESTION, now)
    _source(suggestions[3], bus, DemandSource.Kind.SUGGESTION, now)
    services.demand_accept(
        by=official, demand=bus, text="已受理，转交市交通运输委员会。"
    )
    if "transport-commission" in departments:
        services.demand_assign(
            by=official,
            demand=bus,
            department=departments["transport-commission"],
            text="公交站点改造属交通部门职责 / Bus stops are the transport commission's.",
        )
        services.demand_set_status(
            by=transport,
            demand=bus,
            status="in_progress",
            text="已完成现场勘查，解放碑周边 6 个站台列入改造计划。\n"
            "Six stops around Jiefangbei are in the works programme.",
        )
        services.demand_respond(
            by=transport,
            demand=bus,
            kind="progress",
            text="第一批 3 个站台已完成改造，新增坡道和盲道。\n"
            "The first three stops now have ramps and tactile paving.",
        )
        services.demand_set_status(
            by=transport,
            demand=bus,
            status="resolved",
            text="6 个站台全部改造完成，欢迎居民继续反映问题。\n"
            "All six stops are step-free now. Thank you for raising it.",
        )
        _stretch(bus, 3, 40)
    _backdate(bus, 75)

    # 2. In progress: the community canteen's hours (Yuzhong civil affairs).
    canteen = services.demand_create(
        title="社区老年食堂延长营业时间 / Longer opening hours for community canteens",
        summary="多位老人希望社区食堂午餐时间延长，方便就医后用餐。",
        topic=topics.get("elderly-care"),
        area=areas.get("500103002001"),
        department=departments.get("yuzhong-civil-affairs"),
        keywords=["食堂", "老人", "营业时间", "canteen"],
    )
    _source(suggestions[1], canteen, DemandSource.Kind.SUGGESTION, now)
    for comment in comments[:4]:
        _source(comment, canteen, DemandSource.Kind.COMMENT, comment.created_at)
    if canteen.department_id:
        services.demand_respond(
            by=official,
            demand=canteen,
            text="已与运营方协商，拟从下月起午餐供应延长至 14:30。\n"
            "From next month lunch will be served until 14:30.",
        )
        services.demand_set_status(
            by=official,
            demand=canteen,
            status="in_progress",
            text="试点在民族路社区食堂开展。",
        )
        _stretch(canteen, 5)
    _backdate(canteen, 35)

    # 3. Declined with a reason: park lighting became another department's
    # scheme (urban management).
    park = services.demand_create(
        title="沙坪坝公园东侧步道夜间照明 / Lights on the east path of Shapingba Park",
        summary="居民反映公园东侧步道夜间照明不足。",
        topic=topics.get("urban-management"),
        area=areas.get("500106001"),
        department=departments.get("urban-management"),
        keywords=["照明", "公园", "路灯"],
    )
    _source(suggestions[2], park, DemandSource.Kind.SUGGESTION, now)
    urban = User.objects.filter(
        memberships__department__slug="urban-management"
    ).first() or people.get("admin")
    if urban is not None and park.department_id:
        services.demand_set_status(
            by=urban,
            demand=park,
            status="declined",
            text="该步道将于明年随公园整体改造重建，届时统一安装照明。",
        )
    _backdate(park, 20)

    # 4. Assigned, not answered yet: lifts in old blocks (housing).
    lifts = services.demand_create(
        title="老旧小区加装电梯审批和补贴 / Faster approval and subsidies for lifts",
        summary="居民希望简化老旧小区加装电梯的审批，提高补贴。",
        topic=topics.get("housing"),
        area=areas.get("500103002"),
        department=departments.get("housing-commission")
        or departments.get("yuzhong-government"),
        keywords=["电梯", "老旧小区", "补贴"],
    )
    _source(suggestions[4], lifts, DemandSource.Kind.SUGGESTION, now)
    for comment in comments[4:7]:
        _source(comment, lifts, DemandSource.Kind.COMMENT, comment.created_at)
    _backdate(lifts, 8)

    # 5. New and unassigned, plus one merged into it.
    new = services.demand_create(
        title="社区卫生服务中心周末开诊 / Weekend opening of community clinics",
        summary="上班族希望社区卫生服务中心周末也能看诊。",
        topic=topics.get("health"),
        area=areas.get("500103"),
        keywords=["周末", "卫生服务中心", "看病"],
    )
    for comment in comments[7:10]:
        _source(comment, new, DemandSource.Kind.COMMENT, comment.created_at)
    duplicate = services.demand_create(
        title="社区医院周六上午开门 / Community clinics open on Saturday mornings",
        summary="",
        topic=topics.get("health"),
        area=areas.get("500103"),
    )
    for comment in comments[10:12]:
        _source(comment, duplicate, DemandSource.Kind.COMMENT, comment.created_at)
    services.demand_merge(
        by=yuzhong, demand=duplicate, into=new, text="同一诉求，合并处理。"
    )
    _backdate(new, 2)

    services.demand_recount(demand_ids=Demand.objects.values_list("pk", flat=True))
    return Demand.objects.count()
