"""The results tallies equal a recount from the stored responses and
answers, whatever mix of submissions and changed answers led there."""

import threading

import pytest
from django.db import connection, connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import selectors
from surveys.models import Response, Survey, Tally
from surveys.results import aggregate, tallies
from tests.factories import AreaFactory, area_chain
from tests.surveys.factories import every_kind_survey, resident, respond

pytestmark = pytest.mark.django_db


def _areas():
    city, yuzhong, _street, _community = area_chain()
    other = AreaFactory(
        code="500106", name_zh="沙坪坝区", name_en="Shapingba", parent=city
    )
    return [yuzhong, other]


def _posted(built, districts, answer: dict) -> dict:
    """Posted fields for ``answer`` (drawn by ``submissions``)."""
    q = built["q"]
    single = list(q["single"].choices.all())
    multiple = list(q["multiple"].choices.all())
    ranking = list(q["ranking"].choices.all())
    matrix_rows = list(q["matrix"].choices.filter(is_row=True))
    matrix_columns = list(q["matrix"].choices.filter(is_row=False))
    name = {kind: question.field_name for kind, question in q.items()}
    posted = {
        q["single"]: {name["single"]: [str(single[0 if answer["yes"] else 1].pk)]},
        q["area"]: {f"{name['area']}_district": [str(districts[answer["area"]].pk)]},
        q["rating"]: {name["rating"]: [str(answer["rating"])]},
        # Answered even when page 3 is hidden: those answers are discarded.
        q["long_text"]: {name["long_text"]: ["多开几个社区食堂"]},
    }
    if answer["multiple"]:
        posted[q["multiple"]] = {
            name["multiple"]: [str(multiple[i].pk) for i in answer["multiple"]],
            f"{name['multiple']}_other": ["上门理发"],
        }
    if answer["number"] is not None:
        posted[q["number"]] = {name["number"]: [answer["number"]]}
    if answer["ranked"]:
        posted[q["ranking"]] = {
            f"{name['ranking']}_c{c.pk}": [str(rank)]
            for rank, c in enumerate(ranking, start=1)
        }
    if answer["matrix"] is not None:
        posted[q["matrix"]] = {
            f"{name['matrix']}_r{r.pk}": [str(matrix_columns[answer["matrix"]].pk)]
            for r in matrix_rows
        }
    return posted


submissions = st.lists(
    st.fixed_dictionaries(
        {
            "who": st.integers(0, 2),
            "yes": st.booleans(),
            "area": st.integers(0, 1),
            "rating": st.integers(0, 10),
            "multiple": st.sets(st.integers(0, 2), max_size=2).map(sorted),
            "number": st.sampled_from([None, "0", "64.5", "70", "120"]),
            "ranked": st.booleans(),
            "matrix": st.sampled_from([None, 0, 2]),
        }
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(submissions)
def test_tallies_equal_a_recount_after_submissions_and_changes(answers):
    """Identified residents answer and change their answers (moving
    district, hiding a page whose answers are then discarded): the tallies
    kept by the submission service equal a recount from the raw rows."""
    districts = _areas()
    built = every_kind_survey()
    survey = built["survey"]
    people = [resident() for _ in range(3)]
    for answer in answers:
        respond(survey, _posted(built, districts, answer), user=people[answer["who"]])

    assert tallies.stored(survey=survey) == tallies.recount(survey=survey)
    results = aggregate.survey_results(
        survey=survey, structure=selectors.structure(survey=survey)
    )
    assert results["responses"] == len({a["who"] for a in answers})


@pytest.mark.parametrize("mode", [Survey.Mode.ANONYMOUS, Survey.Mode.UNLINKABLE])
def test_anonymous_and_unlinkable_responses_are_tallied(mode):
    districts = _areas()
    built = every_kind_survey(mode=mode)
    survey = built["survey"]
    answer = {
        "yes": True,
        "area": 1,
        "rating": 7,
        "multiple": [0, 2],
        "number": "70",
        "ranked": True,
        "matrix": 0,
    }
    for n in range(2):
        respond(
            survey,
            _posted(built, districts, answer),
            user=resident(),
            browser=f"{n:032x}",
        )

    assert tallies.stored(survey=survey) == tallies.recount(survey=survey)
    responses = Tally.objects.get(
        survey=survey, kind=Tally.Kind.RESPONSES, district=districts[1]
    )
    assert responses.count == 2


def test_a_changed_answer_moves_every_count_to_the_new_one():
    districts = _areas()
    built = every_kind_survey()
    survey, q = built["survey"], built["q"]
    person = resident()
    first = {
        "yes": True,
        "area": 0,
        "rating": 9,
        "multiple": [0],
        "number": "70",
        "ranked": True,
        "matrix": 0,
    }
    respond(survey, _posted(built, districts, first), user=person)
    changed = {**first, "yes": False, "area": 1, "rating": 2, "number": None}
    respond(survey, _posted(built, districts, changed), user=person)

    results = aggregate.survey_results(
        survey=survey, structure=selectors.structure(survey=survey)
    )
    by_question = {r.question.pk: r for r in results["questions"]}
    assert results["responses"] == 1
    assert [b.count for b in by_question[q["single"].pk].bars] == [0, 1]
    assert by_question[q["rating"].pk].mean == 2
    assert by_question[q["number"].pk].answered == 0
    assert by_question[q["number"].pk].mean is None
    assert (
        by_question[q["long_text"].pk].seen,
        by_question[q["long_text"].pk].answered,
    ) == (0, 0)
    assert (
        aggregate.survey_results(
            survey=survey,
            structure=selectors.structure(survey=survey),
            district=districts[0].pk,
        )["responses"]
        == 0
    )


def test_rebuild_replaces_the_tallies_by_a_recount():
    districts = _areas()
    built = every_kind_survey()
    survey = built["survey"]
    answer = {
        "yes": True,
        "area": 0,
        "rating": 5,
        "multiple": [1],
        "number": "64.5",
        "ranked": False,
        "matrix": None,
    }
    respond(survey, _posted(built, districts, answer), user=resident())
    expected = tallies.stored(survey=survey)
    Tally.objects.filter(survey=survey).update(count=99)

    tallies.rebuild(survey=survey)

    assert tallies.stored(survey=survey) == expected


def test_tallies_hold_no_person_and_no_time_finer_than_a_day():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'surveys_tally'"
        )
        columns = dict(cursor.fetchall())
    assert not {"user_id", "browser", "response_id", "ip_address"} & set(columns)
    assert not [t for t in columns.values() if "timestamp" in t or t == "inet"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_share_tally_rows_without_deadlock_or_loss():
    """Residents of one district submitting at the same moment all count:
    every submission updates the same tally rows, in the same order."""
    districts = _areas()
    built = every_kind_survey()
    survey = built["survey"]
    people = [resident() for _ in range(6)]
    answer = {
        "yes": True,
        "area": 0,
        "rating": 8,
        "multiple": [0, 1],
        "number": "70",
        "ranked": True,
        "matrix": 2,
    }
    posted = _posted(built, districts, answer)
    barrier = threading.Barrier(len(people))
    errors = []

    def submit(person):
        try:
            barrier.wait()
            respond(survey, posted, user=person)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Response.objects.filter(survey=survey).count() == len(people)
    assert tallies.stored(survey=survey) == tallies.recount(survey=survey)
    seen = Tally.objects.get(
        survey=survey, kind=Tally.Kind.SEEN, question=built["q"]["single"]
    )
    assert seen.count == len(people)
