"""`seed_bench` adds a survey with (at scale 1) 100,000 responses, loaded
with COPY and counted in its results tallies; smoke-tested at a tiny
scale."""

import io

import pytest
from django.core.management import CommandError, call_command

from surveys import bench_data, selectors
from surveys.models import Answer, Participation, Question, Response, Survey, Tally
from surveys.results import aggregate, tallies

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_bench", "--scale", "0.005", "--surveys-only", *args, stdout=out)
    return out.getvalue()


def test_surveys_only_loads_the_scaled_survey_with_published_results():
    output = seed()

    survey = bench_data.bench_survey()
    assert f"Benchmark survey id {survey.pk}." in output
    assert survey.mode == Survey.Mode.ANONYMOUS
    assert survey.is_open
    assert survey.results_published_at is not None
    assert Response.objects.filter(survey=survey).count() == 500
    assert Participation.objects.filter(survey=survey).count() == 500
    assert Response.objects.filter(survey=survey, user__isnull=False).count() == 0
    kinds = set(Question.objects.filter(survey=survey).values_list("kind", flat=True))
    assert kinds == set(Question.Kind.values)


def test_loaded_answers_follow_the_logic_and_are_tallied():
    seed()
    survey = bench_data.bench_survey()
    structure = selectors.structure(survey=survey)
    hidden_page = structure.pages[2]
    hidden = [q.pk for q in structure.page_questions(hidden_page)]

    responses = Response.objects.filter(survey=survey)
    not_shown = responses.exclude(seen__contains=[hidden[0]])
    assert 0 < not_shown.count() < responses.count()
    assert not Answer.objects.filter(
        response__in=not_shown, question__in=hidden
    ).exists()
    assert tallies.stored(survey=survey) == tallies.recount(survey=survey)
    results = aggregate.survey_results(survey=survey, structure=structure)
    assert results["responses"] == 500
    assert Tally.objects.filter(survey=survey, kind=Tally.Kind.PAIR).exists()


def test_surveys_only_refuses_to_load_twice_without_reset():
    seed()

    with pytest.raises(CommandError, match="--reset"):
        seed()


def test_reset_replaces_the_survey():
    seed()
    first = bench_data.bench_survey()

    seed("--reset")

    assert not Survey.objects.filter(pk=first.pk).exists()
    assert Response.objects.count() == 500
    assert Tally.objects.filter(survey=first.pk).count() == 0
