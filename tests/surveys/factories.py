"""Survey factories, called explicitly in each test."""

import uuid
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from surveys import selectors
from surveys.models import Choice, Page, Question, Survey
from surveys.services import answering
from tests.factories import DepartmentFactory


def _ago(**delta):
    return factory.LazyFunction(lambda: timezone.now() - timedelta(**delta))


def _ahead(**delta):
    return factory.LazyFunction(lambda: timezone.now() + timedelta(**delta))


class SurveyFactory(factory.django.DjangoModelFactory):
    """A draft by default; ``open=True``, ``closed=True`` or
    ``scheduled=True`` publish it."""

    class Meta:
        model = Survey

    department = factory.SubFactory(DepartmentFactory)
    title_zh = factory.Sequence(lambda n: f"满意度调查{n}")
    title_en = factory.Sequence(lambda n: f"Satisfaction survey {n}")
    intro_zh = "请花几分钟回答。"
    mode = Survey.Mode.IDENTIFIED

    class Params:
        open = factory.Trait(
            published_at=_ago(days=2), opens_at=_ago(days=1), closes_at=_ahead(days=29)
        )
        closed = factory.Trait(
            published_at=_ago(days=32), opens_at=_ago(days=31), closes_at=_ago(days=1)
        )
        scheduled = factory.Trait(
            published_at=_ago(hours=1),
            opens_at=_ahead(days=1),
            closes_at=_ahead(days=9),
        )


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    page = factory.SubFactory(PageFactory)
    survey = factory.SelfAttribute("page.survey")
    position = factory.Sequence(lambda n: n)
    kind = Question.Kind.SINGLE
    text_zh = factory.Sequence(lambda n: f"问题{n}")
    text_en = factory.Sequence(lambda n: f"Question {n}")


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)
    text_zh = factory.Sequence(lambda n: f"选项{n}")
    text_en = factory.Sequence(lambda n: f"Option {n}")


def question_with_options(page: Page, kind: str, texts=("A", "B", "C"), **kwargs):
    question = QuestionFactory(page=page, kind=kind, **kwargs)
    for position, text in enumerate(texts):
        ChoiceFactory(question=question, position=position, text_zh=text, text_en=text)
    return question


def every_kind_survey(**survey_kwargs) -> dict:
    """An open survey with every question type over three pages; page 3 is
    shown only when the first question's answer is "Yes". Returns the
    survey, pages and questions by kind."""
    survey = SurveyFactory(**{"open": True, **survey_kwargs})
    p1 = PageFactory(
        survey=survey, position=0, title_zh="基本情况", title_en="About you"
    )
    p2 = PageFactory(
        survey=survey, position=1, title_zh="服务评价", title_en="Services"
    )
    p3 = PageFactory(survey=survey, position=2, title_zh="补充", title_en="More")
    q = {}
    q["single"] = question_with_options(
        p1, Question.Kind.SINGLE, ("是", "否"), required=True, position=0
    )
    q["multiple"] = question_with_options(
        p1, Question.Kind.MULTIPLE, ("助餐", "助浴", "其他"), position=1, max_choices=2
    )
    other = q["multiple"].choices.get(text_zh="其他")
    other.is_other = True
    other.save()
    q["area"] = QuestionFactory(page=p1, kind=Question.Kind.AREA, position=2)
    q["date"] = QuestionFactory(page=p1, kind=Question.Kind.DATE, position=3)
    q["rating"] = QuestionFactory(
        page=p2,
        kind=Question.Kind.RATING,
        position=0,
        scale_min=0,
        scale_max=10,
        required=True,
    )
    q["number"] = QuestionFactory(
        page=p2, kind=Question.Kind.NUMBER, position=1, number_min=0, number_max=120
    )
    q["ranking"] = question_with_options(
        p2, Question.Kind.RANKING, ("食堂", "医疗", "文娱"), position=2
    )
    q["matrix"] = question_with_options(
        p2, Question.Kind.MATRIX, ("满意", "一般", "不满意"), position=3
    )
    for position, text in enumerate(("环境", "态度")):
        Choice.objects.create(
            question=q["matrix"], position=position, text_zh=text, is_row=True
        )
    q["short_text"] = QuestionFactory(
        page=p3, kind=Question.Kind.SHORT_TEXT, position=0
    )
    q["long_text"] = QuestionFactory(page=p3, kind=Question.Kind.LONG_TEXT, position=1)
    yes = q["single"].choices.get(text_zh="是")
    p3.condition_question = q["single"]
    p3.condition_operator = Page.Operator.EQUALS
    p3.condition_choice = yes
    p3.save()
    return {"survey": survey, "pages": [p1, p2, p3], "q": q, "yes": yes}


def respond(survey: Survey, answers: dict, user=None, browser: str = ""):
    """Store a response through the services: ``answers`` maps questions to
    their posted fields ({"q12": ["34"], ...})."""
    user = user or AnonymousUser()
    if survey.is_verified_mode:
        browser = ""
    draft = answering.draft_start(survey=survey, user=user, browser=browser)
    draft.data = {str(q.pk): raw for q, raw in answers.items()}
    draft.save()
    response, _answers = answering.response_submit(
        survey=survey,
        structure=selectors.structure(survey=survey),
        draft=draft,
        user=user,
        browser=browser,
    )
    return response


def resident(**kwargs) -> User:
    """A verified resident without a usable password (hashing one takes a
    second; these tests log in with force_login)."""
    verified = kwargs.pop("verified", True)
    number = User.objects.count() + 1
    user = User.objects.create(
        email=kwargs.pop(
            "email", f"resident-{number}-{uuid.uuid4().hex[:6]}@example.com"
        ),
        display_name=kwargs.pop("display_name", f"居民{number}"),
        **kwargs,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    EmailAddress.objects.create(
        user=user, email=user.email, verified=verified, primary=True
    )
    return user
