import pytest
from django.urls import reverse

from civic import demo as civic_demo
from surveys import demo, logic, selectors
from surveys.models import Question, Response, Survey
from surveys.services import builder

pytestmark = pytest.mark.django_db


def test_demo_survey_has_every_type_logic_and_responses_once(
    client, django_assert_max_num_queries
):
    civic_demo.seed()
    survey = demo.seed()
    assert demo.seed().pk == survey.pk
    assert Survey.objects.count() == 1
    kinds = set(survey.questions.values_list("kind", flat=True))
    assert kinds == set(Question.Kind.values)
    structure = selectors.structure(survey=survey)
    assert logic.logic_errors(structure) == []
    assert builder.publish_problems(survey=survey) == []
    assert Response.objects.filter(survey=survey).count() == demo.RESPONSES
    assert selectors.survey_counts(survey=survey)["completion"] <= 100
    with django_assert_max_num_queries(30):
        response = client.get(reverse("surveys:results", args=[survey.pk]))
    assert response.status_code == 200
