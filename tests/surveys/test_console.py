from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import logic, selectors
from surveys.models import Choice, Page, Question, Survey
from tests.factories import DepartmentFactory, UserFactory, official
from tests.surveys.factories import (
    PageFactory,
    QuestionFactory,
    SurveyFactory,
    every_kind_survey,
    question_with_options,
)

pytestmark = pytest.mark.django_db


def _login_official(client, department=None):
    user = official(department)
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    return user


def _options(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }
    for index, (text, order) in enumerate(rows):
        data[f"{prefix}-{index}-text_zh"] = text
        data[f"{prefix}-{index}-ORDER"] = str(order)
    return data


@pytest.mark.parametrize(
    ("who", "status"),
    [("visitor", 302), ("resident", 403), ("outsider", 404), ("member", 200)],
)
def test_builder_permission_matrix(client, who, status):
    survey = SurveyFactory()
    PageFactory(survey=survey)
    if who == "resident":
        client.force_login(UserFactory())
    elif who == "outsider":
        _login_official(client)
    elif who == "member":
        _login_official(client, survey.department)
    response = client.get(reverse("surveys_console:overview", args=[survey.pk]))
    assert response.status_code == status


def test_official_of_another_department_gets_403_on_a_published_survey(client):
    survey = SurveyFactory(open=True)
    _login_official(client)
    response = client.get(reverse("surveys_console:results", args=[survey.pk]))
    assert response.status_code == 403


def test_official_creates_a_survey_with_a_first_page(client):
    department = DepartmentFactory()
    _login_official(client, department)
    opens = timezone.localtime() + timedelta(days=1)
    response = client.post(
        reverse("surveys_console:create"),
        {
            "title_zh": "养老需求调查",
            "department": department.pk,
            "mode": Survey.Mode.UNLINKABLE,
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (opens + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert survey.pages.count() == 1
    assert survey.mode == Survey.Mode.UNLINKABLE


def test_create_refuses_a_closing_before_opening(client):
    department = DepartmentFactory()
    _login_official(client, department)
    response = client.post(
        reverse("surveys_console:create"),
        {
            "title_zh": "调查",
            "department": department.pk,
            "mode": Survey.Mode.IDENTIFIED,
            "opens_at": "2030-05-02T10:00",
            "closes_at": "2030-05-01T10:00",
        },
    )
    assert response.status_code == 400
    assert "The survey must close after it opens." in response.content.decode()
    assert not Survey.objects.exists()


def test_official_adds_a_choice_question_with_ordered_options(client):
    survey = SurveyFactory()
    page = PageFactory(survey=survey)
    _login_official(client, survey.department)
    url = reverse("surveys_console:question_new", args=[survey.pk, page.pk])
    assert client.get(url, {"kind": "single"}).status_code == 200
    data = {"kind": "single", "text_zh": "您多大年纪？", "required": "on"}
    data.update(_options("options", [("60岁以下", 2), ("60岁及以上", 1), ("", 3)]))
    response = client.post(url, data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.required
    assert [c.text_zh for c in question.choices.all()] == ["60岁及以上", "60岁以下"]


def test_official_adds_a_rating_from_zero_to_ten(client):
    survey = SurveyFactory()
    page = PageFactory(survey=survey)
    _login_official(client, survey.department)
    url = reverse("surveys_console:question_new", args=[survey.pk, page.pk])
    response = client.post(
        url,
        {
            "kind": "rating",
            "text_zh": "满意度",
            "scale_min": "0",
            "low_label_zh": "很差",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.scale_min, question.scale_max) == (0, 10)


def test_condition_on_a_later_question_is_refused(client):
    survey = SurveyFactory()
    page = PageFactory(survey=survey, position=0)
    first = QuestionFactory(page=page, kind="short_text", position=0)
    later = question_with_options(page, "single", ("是", "否"), position=1)
    _login_official(client, survey.department)
    url = reverse("surveys_console:question_edit", args=[survey.pk, first.pk])
    response = client.post(
        url,
        {
            "kind": "short_text",
            "text_zh": first.text_zh,
            "condition_question": later.pk,
            "condition_operator": "equals",
            "condition_choice": later.choices.first().pk,
        },
    )
    # The form only offers earlier questions, so the later one is refused.
    assert response.status_code == 400
    first.refresh_from_db()
    assert first.condition_question_id is None


def test_page_condition_on_its_own_question_is_refused_as_a_cycle():
    built = every_kind_survey(open=False)
    page = built["pages"][0]
    page.condition_question = built["q"]["single"]
    page.condition_operator = Page.Operator.EQUALS
    page.condition_choice = built["yes"]
    page.save()
    errors = logic.logic_errors(selectors.structure(survey=built["survey"]))
    assert any("cycle" in e for e in errors)


def test_reorder_duplicate_and_delete_questions(client):
    survey = SurveyFactory()
    page = PageFactory(survey=survey)
    a = question_with_options(page, "single", ("x", "y"), position=0)
    b = QuestionFactory(page=page, kind="short_text", position=1)
    _login_official(client, survey.department)
    action = reverse("surveys_console:question_action", args=[survey.pk, b.pk])
    client.post(action, {"direction": "up"})
    assert list(page.questions.values_list("pk", flat=True)) == [b.pk, a.pk]
    client.post(
        reverse("surveys_console:question_action", args=[survey.pk, a.pk]),
        {"action": "duplicate"},
    )
    copy = page.questions.last()
    assert copy.pk not in (a.pk, b.pk)
    assert copy.choices.count() == 2
    client.post(
        reverse("surveys_console:question_action", args=[survey.pk, copy.pk]),
        {"action": "delete"},
    )
    assert page.questions.count() == 2


def test_publish_lists_what_is_missing_then_publishes(client):
    survey = SurveyFactory()
    page = PageFactory(survey=survey)
    q = QuestionFactory(page=page, kind="single")
    _login_official(client, survey.department)
    url = reverse("surveys_console:publish", args=[survey.pk])
    response = client.post(url, {"action": "publish"}, follow=True)
    content = response.content.decode()
    assert "Set when the survey opens and closes." in content
    assert "at least two options" in content
    Choice.objects.create(question=q, text_zh="甲", position=0)
    Choice.objects.create(question=q, text_zh="乙", position=1)
    survey.opens_at = timezone.now()
    survey.closes_at = timezone.now() + timedelta(days=3)
    survey.save()
    client.post(url, {"action": "publish"})
    survey.refresh_from_db()
    assert survey.published_at is not None
    # A published survey's questions can no longer be changed.
    response = client.post(
        reverse("surveys_console:question_action", args=[survey.pk, q.pk]),
        {"action": "delete"},
        follow=True,
    )
    assert "can no longer be changed" in response.content.decode()
    assert Question.objects.filter(pk=q.pk).exists()


def test_builder_pages_stay_under_a_query_bound(client, django_assert_max_num_queries):
    built = every_kind_survey(open=False)
    survey = built["survey"]
    _login_official(client, survey.department)
    for name, args in [
        ("overview", [survey.pk]),
        ("preview", [survey.pk]),
        ("settings", [survey.pk]),
        ("page_edit", [survey.pk, built["pages"][2].pk]),
        ("question_edit", [survey.pk, built["q"]["matrix"].pk]),
        ("index", []),
    ]:
        with django_assert_max_num_queries(40):
            response = client.get(reverse(f"surveys_console:{name}", args=args))
        assert response.status_code == 200, name


def test_preview_shows_conditional_questions_and_stores_nothing(client):
    built = every_kind_survey(open=False)
    survey = built["survey"]
    _login_official(client, survey.department)
    url = reverse("surveys_console:preview", args=[survey.pk])
    response = client.get(url, {"page": built["pages"][2].pk})
    assert "Nothing you enter here is stored" in response.content.decode()
    assert built["q"]["long_text"].text_en in response.content.decode()
    assert not survey.drafts.exists()
