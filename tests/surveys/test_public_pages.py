import pytest
from django.urls import reverse

from surveys.models import Survey
from tests.surveys.factories import SurveyFactory, every_kind_survey, resident, respond

pytestmark = pytest.mark.django_db


def test_list_shows_published_surveys_only(client, django_assert_max_num_queries):
    open_survey = SurveyFactory(open=True, title_zh="公园满意度调查")
    SurveyFactory(closed=True, title_zh="旧调查")
    SurveyFactory(title_zh="草稿调查")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("surveys:list"))
    content = response.content.decode()
    assert open_survey.title_zh in content
    assert "旧调查" in content
    assert "草稿调查" not in content


def test_list_filters_by_status_department_and_search(client):
    park = SurveyFactory(open=True, title_zh="公园满意度调查")
    SurveyFactory(closed=True, title_zh="交通调查")
    response = client.get(reverse("surveys:list"), {"status": "open", "q": "公园"})
    assert list(response.context["page"].object_list) == [park]
    response = client.get(reverse("surveys:list"), {"department": park.department_id})
    assert list(response.context["page"].object_list) == [park]


def test_bad_filters_are_ignored_not_an_error(client):
    SurveyFactory(open=True)
    response = client.get(
        reverse("surveys:list"), {"status": "nonsense", "department": "x", "page": "99"}
    )
    assert response.status_code == 200


def test_detail_offers_to_start_or_continue(client, django_assert_max_num_queries):
    built = every_kind_survey(mode=Survey.Mode.ANONYMOUS)
    url = built["survey"].get_absolute_url()
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert (
        reverse("surveys:answer", args=[built["survey"].pk])
        in response.content.decode()
    )


def test_detail_for_a_resident_who_answered_offers_to_change(
    client, django_assert_max_num_queries
):
    built = every_kind_survey()
    user = resident(preferred_language="en")
    q = built["q"]
    respond(
        built["survey"],
        {
            q["single"]: {q["single"].field_name: [str(built["yes"].pk)]},
            q["rating"]: {q["rating"].field_name: ["3"]},
        },
        user=user,
    )
    client.force_login(user)
    with django_assert_max_num_queries(15):
        response = client.get(built["survey"].get_absolute_url())
    assert "Change my answers" in response.content.decode()
