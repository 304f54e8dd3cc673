"""Demo data: a bilingual community elderly-care needs survey (社区养老服务
需求调查) with every question type and logic, and a few hundred synthetic
responses spread over the districts. Idempotent."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from civic.models import Area, Department
from consultations.models import Consultation
from surveys import logic, selectors
from surveys.models import Answer, Choice, Page, Question, Response, Survey
from surveys.results import tallies
from surveys.services.answering import answer_rows

TITLE_ZH = "社区养老服务需求调查"
RESPONSES = 300
Kind = Question.Kind

# page title (zh, en) and its questions:
# (kind, zh, en, options [(zh, en)], settings)
PAGES = [
    (
        ("基本情况", "About you"),
        [
            (Kind.AREA, "您住在哪里？", "Where do you live?", [], {"required": True}),
            (
                Kind.NUMBER,
                "您的年龄",
                "Your age",
                [],
                {
                    "number_min": Decimal(18),
                    "number_max": Decimal(110),
                    "required": True,
                },
            ),
            (
                Kind.SINGLE,
                "您是否独居？",
                "Do you live alone?",
                [("是", "Yes"), ("否", "No")],
                {"required": True},
            ),
            (
                Kind.DATE,
                "您何时搬入现住址？",
                "When did you move to your current home?",
                [],
                {},
            ),
        ],
    ),
    (
        ("服务需求", "Services you need"),
        [
            (
                Kind.MULTIPLE,
                "您最需要哪些服务？（最多选三项）",
                "Which services do you need most? (up to three)",
                [
                    ("助餐", "Meals"),
                    ("助浴", "Bathing help"),
                    ("助医", "Medical escort"),
                    ("日间照料", "Day care"),
                    ("其他", "Other"),
                ],
                {"max_choices": 3},
            ),
            (
                Kind.RANKING,
                "请按重要性为以下设施排序",
                "Rank these facilities by importance",
                [
                    ("社区食堂", "Community canteen"),
                    ("卫生服务站", "Health station"),
                    ("老年活动室", "Seniors' activity room"),
                ],
                {},
            ),
            (
                Kind.RATING,
                "您对现有社区养老服务的满意度",
                "How satisfied are you with the services today?",
                [],
                {
                    "scale_min": 0,
                    "scale_max": 10,
                    "low_label_zh": "非常不满意",
                    "low_label_en": "very unhappy",
                    "high_label_zh": "非常满意",
                    "high_label_en": "very happy",
                    "required": True,
                },
            ),
            (
                Kind.MATRIX,
                "请评价社区养老服务站的以下方面",
                "Rate these aspects of the service station",
                [("满意", "Satisfied"), ("一般", "Neutral"), ("不满意", "Unsatisfied")],
                {},
            ),
        ],
    ),
    (
        ("独居老人", "Living alone"),
        [
            (
                Kind.SINGLE,
                "是否需要定期上门探访？",
                "Would you like regular home visits?",
                [("需要", "Yes"), ("不需要", "No")],
                {"dropdown": True},
            ),
            (
                Kind.SHORT_TEXT,
                "紧急情况下您会联系谁？",
                "Whom would you call in an emergency?",
                [],
                {},
            ),
        ],
    ),
    (
        ("建议", "Suggestions"),
        [
            (
                Kind.LONG_TEXT,
                "您对社区养老服务还有什么建议？",
                "Any other suggestions for elderly care in your community?",
                [],
                {},
            ),
        ],
    ),
]
MATRIX_ROWS = [
    ("环境卫生", "Cleanliness"),
    ("服务态度", "Staff attitude"),
    ("开放时间", "Opening hours"),
]
SUGGESTIONS = [
    "希望社区食堂延长晚餐供应时间。",
    "建议增加上门理发服务。",
    "楼道没有扶手，老人上下楼不方便。",
    "希望卫生服务站每周安排一次专家坐诊。",
    "Please add more benches along the riverside path.",
    "活动室太小，希望扩建。",
    "希望有志愿者陪同去医院复诊。",
]


def build(department: Department) -> Survey:
    """The demo survey's structure (no responses), owned by ``department``."""
    now = timezone.now()
    survey = Survey.objects.create(
        title_zh=TITLE_ZH,
        title_en="Community elderly-care needs survey",
        intro_zh="为了解社区老年人的养老服务需求，市民政局开展本次调查。**您的回答与您的账户分开保存**，任何人都无法知道哪份答卷是您的。",
        intro_en="The Civil Affairs Bureau asks about elderly-care needs in your community. **Your answers are stored apart from your account**: nobody can tell which answers are yours.",
        department=department,
        consultation=Consultation.objects.filter(department=department).first(),
        mode=Survey.Mode.UNLINKABLE,
        opens_at=now - timedelta(days=14),
        closes_at=now + timedelta(days=30),
        published_at=now - timedelta(days=15),
        results_published_at=now - timedelta(days=1),
    )
    for page_position, ((page_zh, page_en), questions) in enumerate(PAGES):
        page = Page.objects.create(
            survey=survey, position=page_position, title_zh=page_zh, title_en=page_en
        )
        for position, (kind, zh, en, options, settings) in enumerate(questions):
            question = Question.objects.create(
                survey=survey,
                page=page,
                position=position,
                kind=kind,
                text_zh=zh,
                text_en=en,
                **settings,
            )
            for index, (o_zh, o_en) in enumerate(options):
                Choice.objects.create(
                    question=question,
                    position=index,
                    text_zh=o_zh,
                    text_en=o_en,
                    is_other=o_zh == "其他",
                )
            if kind == Kind.MATRIX:
                for index, (r_zh, r_en) in enumerate(MATRIX_ROWS):
                    Choice.objects.create(
                        question=question,
                        position=index,
                        text_zh=r_zh,
                        text_en=r_en,
                        is_row=True,
                    )
    alone = Question.objects.get(survey=survey, text_zh="您是否独居？")
    living_alone = Page.objects.get(survey=survey, position=2)
    living_alone.condition_question = alone
    living_alone.condition_operator = Page.Operator.EQUALS
    living_alone.condition_choice = alone.choices.get(text_zh="是")
    living_alone.save()
    return survey


def random_answers(structure, rng: random.Random, districts) -> dict:
    """Plausible cleaned answers to every question (some left blank)."""
    answers = {}
    for question in structure.ordered_questions():
        options = structure.options.get(question.pk, [])
        if question.kind == Kind.AREA:
            district = rng.choice(districts)
            answers[question.pk] = {"area": district.pk, "district": district.pk}
        elif question.kind == Kind.NUMBER:
            answers[question.pk] = {"number": str(rng.randint(55, 95))}
        elif question.kind == Kind.SINGLE:
            weights = [0.35, 0.65] if len(options) == 2 else None
            answers[question.pk] = {
                "choice": rng.choices(options, weights)[0].pk,
                "other": "",
            }
        elif question.kind == Kind.DATE and rng.random() < 0.6:
            day = timezone.localdate() - timedelta(days=rng.randint(200, 12000))
            answers[question.pk] = {"date": day.isoformat()}
        elif question.kind == Kind.MULTIPLE:
            picked = rng.sample(options, rng.randint(1, 3))
            other = next((c for c in picked if c.is_other), None)
            answers[question.pk] = {
                "choices": sorted(c.pk for c in picked),
                "other": "上门理发" if other else "",
            }
        elif question.kind == Kind.RANKING:
            answers[question.pk] = {
                "ranking": [c.pk for c in rng.sample(options, len(options))]
            }
        elif question.kind == Kind.RATING:
            answers[question.pk] = {"number": rng.choice([3, 5, 6, 7, 7, 8, 8, 9, 10])}
        elif question.kind == Kind.MATRIX:
            answers[question.pk] = {
                "rows": {
                    str(r.pk): rng.choice(options).pk
                    for r in structure.rows.get(question.pk, [])
                }
            }
        elif question.kind == Kind.SHORT_TEXT and rng.random() < 0.5:
            answers[question.pk] = {"text": rng.choice(["女儿", "邻居", "社区网格员"])}
        elif question.kind == Kind.LONG_TEXT and rng.random() < 0.4:
            answers[question.pk] = {"text": rng.choice(SUGGESTIONS)}
    return answers


def _responses(survey: Survey, count: int) -> None:
    rng = random.Random(2026)  # noqa: S311 (demo data, not secrets)
    structure = selectors.structure(survey=survey)
    districts = list(
        Area.objects.filter(level=Area.Level.DISTRICT).order_by("code")[:12]
    )
    today = timezone.localdate()
    rows = []
    for _ in range(count):
        answers = random_answers(structure, rng, districts)
        seen = logic.visibility(structure, answers)
        answers = logic.prune(answers, seen)
        response = Response.objects.create(
            survey=survey,
            district_id=answers[structure.ordered_questions()[0].pk]["district"],
            seen=sorted(seen.questions),
            submitted_on=today - timedelta(days=rng.randint(0, 13)),
        )
        rows += answer_rows(response, structure, answers)
    Answer.objects.bulk_create(rows, batch_size=2000)
    tallies.rebuild(survey=survey)
    Survey.objects.filter(pk=survey.pk).update(started_count=count + count // 5)


def seed() -> Survey | None:
    """Create the demo survey and its responses once."""
    existing = Survey.objects.filter(title_zh=TITLE_ZH).first()
    if existing is not None:
        return existing
    department = Department.objects.filter(slug="civil-affairs").first()
    if department is None:
        return None
    survey = build(department)
    _responses(survey, RESPONSES)
    return survey
